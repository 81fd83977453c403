"""Asking within chosen documents: names to documents, and searches limited to them (real Chroma, fake vectors)."""

from __future__ import annotations

import pytest

from reportqa.config import Settings
from reportqa.errors import UnknownDocumentError
from reportqa.scope import match_documents

SOURCES = ["annual-2024.pdf", "notes/battery.md", "notes/Market.txt", "plans/battery.txt"]


def test_a_document_is_named_by_its_path_its_file_name_or_its_stem_in_any_case():
    assert match_documents(["notes/battery.md"], SOURCES) == {"notes/battery.md"}
    assert match_documents(["ANNUAL-2024.PDF"], SOURCES) == {"annual-2024.pdf"}
    assert match_documents(["annual-2024", "market"], SOURCES) == {"annual-2024.pdf", "notes/Market.txt"}
    assert match_documents("battery.md", SOURCES) == {"notes/battery.md"}


def test_no_names_mean_every_document():
    assert match_documents(None, SOURCES) is None
    assert match_documents([], SOURCES) is None
    assert match_documents(["  "], SOURCES) is None


def test_a_name_that_matches_no_document_lists_the_documents():
    with pytest.raises(UnknownDocumentError) as raised:
        match_documents(["annual-2023"], SOURCES)
    assert str(raised.value) == (
        "No document named 'annual-2023'; documents are: annual-2024.pdf, notes/Market.txt, notes/battery.md, "
        "plans/battery.txt"
    )


def test_a_name_that_fits_two_documents_asks_for_the_path():
    with pytest.raises(UnknownDocumentError, match="fits several documents: notes/battery.md, plans/battery.txt"):
        match_documents(["battery"], SOURCES)
    with pytest.raises(UnknownDocumentError, match="must be text"):
        match_documents([3], SOURCES)


@pytest.fixture
def two_reports(tmp_path):
    """Two indexed documents that both speak of the battery plant's capacity, and two others."""
    from fakes import BagOfWordsEmbeddings
    from reportqa.index import build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plant-a.txt").write_text("一、电池\n甲工厂的电芯工厂年产能规划为20GWh。\n", encoding="utf-8")
    (corpus / "plant-b.txt").write_text(
        "一、电池\n乙公司的电芯工厂年产能规划为8GWh。\n二、市场\n乙公司计划进入泰国市场。\n", encoding="utf-8"
    )
    (corpus / "logistics.txt").write_text("一、物流\n嘉兴仓库的容量为8800托盘位。\n", encoding="utf-8")
    (corpus / "sales.txt").write_text("一、销量\n小米SU7上市首月交付超过一万辆。\n", encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", llm="none")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    return settings


def retriever_of(settings):
    from fakes import BagOfWordsEmbeddings
    from reportqa.retrieval import Retriever

    return Retriever(settings, embeddings=BagOfWordsEmbeddings())


QUESTION = "电芯工厂的年产能是多少？"


def test_a_scoped_search_returns_passages_of_the_chosen_documents_only(two_reports):
    retriever = retriever_of(two_reports)
    everything = retriever.retrieve(QUESTION, k=5)
    assert {p.source for p in everything[:2]} == {"plant-a.txt", "plant-b.txt"}
    for name, source in (("plant-b", "plant-b.txt"), ("plant-a.txt", "plant-a.txt")):
        scoped = retriever.retrieve(QUESTION, k=5, documents=[name])
        assert scoped and {p.source for p in scoped} == {source}
    assert {p.source for p in retriever.retrieve(QUESTION, k=5, documents=["plant-a", "plant-b"])} == {
        "plant-a.txt", "plant-b.txt"}
    assert {p.source for p in retriever.retrieve(QUESTION, k=5, documents=["sales"])} == {"sales.txt"}


def test_both_rankers_keep_to_the_scope(two_reports):
    retriever = retriever_of(two_reports)
    snapshot = retriever.snapshot()
    scope = frozenset({"plant-b.txt"})
    dense = retriever.dense_scores(QUESTION, snapshot, 10, scope=scope)
    lexical = retriever.lexical_scores(QUESTION, snapshot, 10, scope=scope)
    assert dense and lexical
    assert {snapshot.chunks[chunk_id].source for chunk_id, _ in dense + lexical} == {"plant-b.txt"}
    # BM25 scores a passage the same within a scope as without one (the IDF is the whole index's).
    unscoped = dict(retriever.lexical_scores(QUESTION, snapshot, 10))
    assert all(unscoped[chunk_id] == score for chunk_id, score in lexical)


def test_an_unknown_document_is_an_error_before_anything_is_searched(two_reports):
    with pytest.raises(UnknownDocumentError, match="No document named 'plant-c'; documents are: logistics.txt, plant-a.txt, plant-b.txt, sales.txt"):
        retriever_of(two_reports).retrieve(QUESTION, documents=["plant-c"])


class SearchingAgainBackend:
    """A backend that, like the generative one with a translated question, searches again while answering."""

    name = "none"

    def __init__(self, retriever):
        self.retriever = retriever
        self.searched: list[set[str]] = []

    def rewrite(self, question, history):
        return f"{history[-1][0]} {question}"

    def answer(self, question, passages):
        from reportqa.answer import Answer

        again = self.retriever.retrieve(question, k=5)
        self.searched += [{p.source for p in passages}, {p.source for p in again}]
        return Answer(question, "答案", (), False, self.name, tuple(passages))

    def stream(self, question, passages):
        yield "答"
        yield self.answer(question, passages)


@pytest.mark.parametrize("streaming", [False, True])
def test_every_search_of_an_answer_and_its_follow_up_keeps_the_scope(two_reports, streaming):
    from reportqa.answer import Assistant

    retriever = retriever_of(two_reports)
    backend = SearchingAgainBackend(retriever)
    assistant = Assistant(two_reports, retriever=retriever, backend=backend)

    def ask(question, history=()):
        if streaming:
            return list(assistant.stream(question, history=history, documents=["plant-b"]))[-1]
        return assistant.answer(question, history=history, documents=["plant-b"])

    first = ask(QUESTION)
    ask("那泰国呢？", history=[(QUESTION, first.text)])
    assert backend.searched == [{"plant-b.txt"}] * 4
    assistant.answer(QUESTION)
    assert {"plant-a.txt", "plant-b.txt"} <= backend.searched[-1]  # the scope ended with its answer

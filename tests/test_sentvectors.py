"""Sentence vectors stored with the index: a question embeds only itself; re-indexing keeps the store in line."""

from __future__ import annotations

import json

import pytest

from reportqa import definitions
from reportqa.answer import Assistant
from reportqa.config import Settings
from reportqa.index import Index, build_index
from reportqa.indexing import Progress
from reportqa.retrieval import Retriever
from reportqa.sentvectors import SentenceVectors

from conftest import DEV_QUESTIONS, EXTRA_QUESTIONS, read_jsonl
from fakes import BagOfWordsEmbeddings

DOCS = {
    "battery.md": "# 电池合作\n## 合资工厂\n时代北汽总投资 10 亿元。年产能规划达 20GWh。\n"
                  "## 技术路线\n- 磷酸铁锂电池用于入门车型。\n- 三元锂电池用于高性能车型。\n",
    "logistics.txt": "一、物流\n零部件通过北汽物流网络实现两小时供应链圈。仓储中心设在北京亦庄。\n",
    "market.md": "# Market\n## Sales\nThe SU7 sells more than 12,000 cars a month. Deliveries began in April.\n",
}
DESCRIPTIONS = [text for _, english, chinese in definitions.ENTRIES for text in (english, chinese)]
QUESTIONS = ["时代北汽的年产能规划是多少？", "电池有哪些技术路线？", "How many SU7 cars are sold a month?",
             "仓储中心在哪里？", "请介绍一下合资工厂"]


class CountingEmbeddings(BagOfWordsEmbeddings):
    """The bag-of-words fake, counting passage texts and questions embedded separately."""

    def __init__(self):
        super().__init__()
        self.questions = 0
        self.descriptions: list[str] = []  # the standard measures' descriptions (reportqa/definitions.py)

    def embed_query(self, text: str) -> list[float]:
        if text in DESCRIPTIONS:
            self.descriptions.append(text)
        else:
            self.questions += 1
        return super().embed_query(text)


@pytest.fixture
def settings(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "idx", llm="none", model_cache_dir=tmp_path / "cache")


def ask_all(settings: Settings, embeddings, questions=QUESTIONS) -> list[str]:
    assistant = Assistant(settings, retriever=Retriever(settings, embeddings=embeddings))
    return [assistant.answer(question).text for question in questions]


def store(settings: Settings) -> SentenceVectors:
    return SentenceVectors(settings.index_dir, Index(settings).model_id)


def test_a_question_over_an_indexed_corpus_embeds_only_the_question(settings):
    report = build_index(settings, embeddings=BagOfWordsEmbeddings())
    assert report.sentences_embedded > 0
    embeddings = CountingEmbeddings()
    answers = ask_all(settings, embeddings)
    assert embeddings.calls == 0 and embeddings.questions == len(QUESTIONS)
    # Besides the questions, each measure's description is embedded once, in the languages asked in.
    assert sorted(embeddings.descriptions) == sorted(DESCRIPTIONS)
    assert any("20GWh" in answer for answer in answers)


def test_the_stored_vectors_are_the_vectors_embedding_at_question_time_gives(settings):
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    with_store = ask_all(settings, CountingEmbeddings())
    for path in settings.index_dir.glob("sentence-vectors-*"):
        path.unlink()
    embeddings = CountingEmbeddings()
    assert ask_all(settings, embeddings) == with_store
    assert embeddings.calls > 0  # a missing store: the sentences are embedded at question time, as before


def test_reindexing_stores_a_changed_documents_sentences_and_forgets_a_deleted_ones(settings):
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    assert store(settings).get(["零部件通过北汽物流网络实现两小时供应链圈。"])
    (settings.corpus_dir / "battery.md").write_text(DOCS["battery.md"].replace("20GWh", "40GWh"), encoding="utf-8")
    (settings.corpus_dir / "logistics.txt").unlink()
    embeddings = BagOfWordsEmbeddings()
    report = build_index(settings, embeddings=embeddings)
    assert report.sentences_embedded == 1  # only the changed sentence; the document's others are kept
    vectors = store(settings)
    assert vectors.get(["年产能规划达 40GWh。"]) and not vectors.get(["年产能规划达 20GWh。"])
    assert not vectors.get(["零部件通过北汽物流网络实现两小时供应链圈。"])
    assert vectors.get(["The SU7 sells more than 12,000 cars a month."])
    counting = CountingEmbeddings()
    assert any("40GWh" in answer for answer in ask_all(settings, counting, QUESTIONS[:2]))
    assert counting.calls == 0


def test_the_vectors_of_a_version_a_killed_run_never_committed_are_dropped_by_the_next_run(settings):
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    orphan = "一句只属于未提交版本的句子。"
    writer = SentenceVectors(settings.index_dir, Index(settings).model_id, writable=True)
    writer.store_version("uncommitted-version", [orphan, "年产能规划达 20GWh。"], BagOfWordsEmbeddings().embed_documents)
    writer.close()
    assert store(settings).get([orphan])
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    assert not store(settings).get([orphan]) and store(settings).get(["年产能规划达 20GWh。"])


def test_an_unchanged_document_indexed_before_the_store_existed_gets_its_vectors_on_the_next_run(settings):
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    for path in settings.index_dir.glob("sentence-vectors-*"):
        path.unlink()
    embeddings = BagOfWordsEmbeddings()
    report = build_index(settings, embeddings=embeddings)
    assert report.documents_unchanged == 3 and report.chunks_embedded == 0
    assert report.sentences_embedded == embeddings.calls > 0
    counting = CountingEmbeddings()
    ask_all(settings, counting)
    assert counting.calls == 0


def test_a_damaged_store_falls_back_to_embedding_and_the_next_run_makes_it_again(settings, caplog):
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    expected = ask_all(settings, CountingEmbeddings())
    (path,) = settings.index_dir.glob("sentence-vectors-*.sqlite")
    for other in settings.index_dir.glob("sentence-vectors-*.sqlite-*"):
        other.unlink()
    path.write_bytes(b"not a database" * 100)
    embeddings = CountingEmbeddings()
    assert ask_all(settings, embeddings) == expected
    assert embeddings.calls > 0 and "turned off" in caplog.text
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    counting = CountingEmbeddings()
    assert ask_all(settings, counting) == expected and counting.calls == 0


def test_progress_counts_chunks_up_to_the_runs_total(settings):
    steps: list[Progress] = []
    report = build_index(settings, embeddings=BagOfWordsEmbeddings(), progress=steps.append)
    counted = [step for step in steps if step.action == "chunks"]
    assert [step.number for step in counted] == sorted(step.number for step in counted)
    assert counted[-1].number == counted[-1].total == report.chunks_added
    assert [step.source for step in steps if step.action == "indexing"] == sorted(DOCS)
    steps.clear()
    build_index(settings, embeddings=BagOfWordsEmbeddings(), progress=steps.append)
    assert not [step for step in steps if step.action == "chunks"]  # nothing to index: no bar


class RecordingEmbeddings(BagOfWordsEmbeddings):
    """The bag-of-words fake, keeping the texts of each call to embed passages."""

    def __init__(self):
        super().__init__()
        self.batches: list[list[str]] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        return super().embed_documents(texts)


def test_small_documents_are_embedded_together_in_one_call_each_text_once(settings):
    recording = RecordingEmbeddings()

    report = build_index(settings, embeddings=recording)

    assert len(recording.batches) == 1  # chunks, headings and sentences of all three documents
    texts = recording.batches[0]
    assert len(texts) == len(set(texts)) == report.chunks_embedded + report.sentences_embedded + 6  # + 6 headings
    assert ask_all(settings, CountingEmbeddings()) == ask_all(settings, BagOfWordsEmbeddings())


def test_a_group_of_small_documents_moves_the_progress_as_its_slices_are_embedded(settings, monkeypatch):
    import reportqa.indexing

    monkeypatch.setattr(reportqa.indexing, "AHEAD_SLICE", 4)
    recording, steps = RecordingEmbeddings(), []

    report = build_index(settings, embeddings=recording, progress=steps.append)

    assert len(recording.batches) > 3 and all(len(batch) <= 4 for batch in recording.batches)
    lengths = [len(text) for batch in recording.batches for text in batch]
    assert lengths == sorted(lengths)  # texts of similar length are embedded together
    first_document = next(n for n, step in enumerate(steps) if step.action == "indexing")
    counted = [step.number for step in steps[:first_document] if step.action == "chunks"]
    assert len(counted) == len(recording.batches) and counted == sorted(counted) and counted[0] < counted[-1]
    assert counted[-1] == report.chunks_added  # the group's chunks are counted as they are embedded, once
    assert not [step for step in steps[first_document:] if step.action == "chunks"]


def test_the_real_model_answers_the_report_questions_without_embedding_a_sentence(report_settings):
    from reportqa.embeddings import load_embeddings

    model = load_embeddings(report_settings)

    class Counting:
        passages = 0

        def embed_documents(self, texts):
            Counting.passages += len(texts)
            return model.embed_documents(texts)

        def embed_query(self, text):
            return model.embed_query(text)

    questions = [record["question"] for record in read_jsonl(DEV_QUESTIONS) + read_jsonl(EXTRA_QUESTIONS)]
    assistant = Assistant(report_settings, retriever=Retriever(report_settings, embeddings=Counting()))
    answers = [assistant.answer(question) for question in questions]
    scorer = assistant.backend.scorer
    assert Counting.passages == 0
    assert scorer.stored_vectors.lookups > 0 and scorer.stored_vectors.hits == scorer.stored_vectors.lookups
    assert any("20GWh" in answer.text for answer in answers), json.dumps([a.text for a in answers], ensure_ascii=False)

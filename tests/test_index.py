"""Incremental, crash-safe indexing into a real Chroma store (with a fake embedding model)."""

import pytest

from reportqa.config import Settings
from reportqa.errors import NoIndexError
from reportqa.index import Index, build_index
from reportqa.retrieval import Retriever

from fakes import BagOfWordsEmbeddings

DOCS = {
    "battery.txt": "一、电池\n- 合资工厂\n时代北汽总投资 10 亿元，年产能规划达 20GWh。\n",
    "logistics.txt": "一、物流\n- 供应链圈\n零部件通过北汽物流网络实现两小时供应链圈。\n",
    "market.md": "# 市场\n## 销量\n小米 SU7 月均销量超 1.2 万辆。\n",
}


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def settings(tmp_path, corpus):
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "idx")


def test_first_run_adds_everything_and_second_run_embeds_nothing(settings):
    embeddings = BagOfWordsEmbeddings()
    first = build_index(settings, embeddings=embeddings)
    assert (first.documents_added, first.chunks_added, first.chunks_embedded) == (3, 3, 3)
    embeddings.calls = 0
    second = build_index(settings, embeddings=embeddings)
    assert (second.documents_unchanged, second.chunks_embedded, embeddings.calls) == (3, 0, 0)
    assert "3 unchanged" in second.summary()


def test_other_chunk_sizes_or_rules_chunk_unchanged_documents_again_embedding_only_new_chunks(settings, corpus, monkeypatch):
    import reportqa.chunking

    (corpus / "long.txt").write_text("一、概况\n" + "公司去年营收增长了两成，利润增长了三成。" * 12 + "\n", encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    before = Index(settings).documents()
    smaller = settings.replace(chunk_max_chars=120)

    report = build_index(smaller, embeddings=BagOfWordsEmbeddings())

    # Only the long document splits differently; the short ones are chunked again and keep their chunks.
    assert (report.documents_updated, report.documents_unchanged) == (4, 0)
    assert 0 < report.chunks_embedded == report.chunks_added
    after = Index(smaller).documents()
    assert after["long.txt"].chunk_ids != before["long.txt"].chunk_ids
    assert all(after[name].chunk_ids == before[name].chunk_ids for name in DOCS)
    assert build_index(smaller, embeddings=BagOfWordsEmbeddings()).documents_unchanged == 4
    # New chunking rules, the same sizes: chunked again once.
    monkeypatch.setattr(reportqa.chunking, "CHUNK_RULES", reportqa.chunking.CHUNK_RULES + "-next")
    report = build_index(smaller, embeddings=BagOfWordsEmbeddings())
    assert (report.documents_updated, report.chunks_embedded) == (4, 0)
    assert build_index(smaller, embeddings=BagOfWordsEmbeddings()).documents_unchanged == 4


def test_changed_and_removed_documents_are_replaced_and_deleted(settings, corpus):
    embeddings = BagOfWordsEmbeddings()
    build_index(settings, embeddings=embeddings)
    (corpus / "battery.txt").write_text("一、电池\n- 合资工厂\n时代北汽年产能规划提高到 40GWh。\n", encoding="utf-8")
    (corpus / "market.md").unlink()
    report = build_index(settings, embeddings=embeddings)
    assert (report.documents_updated, report.documents_deleted, report.documents_unchanged) == (1, 1, 1)
    assert report.chunks_embedded == 1
    retriever = Retriever(settings, embeddings=embeddings)
    texts = [p.text for p in retriever.retrieve("时代北汽年产能", k=5)]
    assert any("40GWh" in text for text in texts)
    assert not any("20GWh" in text or "SU7" in text for text in texts)
    chunks, _ = Index(settings).collections()
    assert chunks.count() == 2


def test_an_interrupted_run_leaves_the_old_version_readable_and_the_next_run_cleans_up(settings, corpus):
    embeddings = BagOfWordsEmbeddings()
    build_index(settings, embeddings=embeddings)
    chunks, _ = Index(settings).collections()
    # What a run killed after adding a new version's chunks, before committing the document, leaves:
    chunks.add(
        ids=["orphan-chunk"],
        embeddings=embeddings.embed_documents(["时代北汽年产能规划 99GWh"]),
        documents=["时代北汽年产能规划 99GWh"],
        metadatas=[{"source": "battery.txt", "section": "一、电池", "start": 0, "end": 1}],
    )
    retriever = Retriever(settings, embeddings=embeddings)
    texts = [p.text for p in retriever.retrieve("时代北汽年产能规划", k=5)]
    assert any("20GWh" in text for text in texts) and not any("99GWh" in text for text in texts)
    report = build_index(settings, embeddings=embeddings)
    assert report.documents_unchanged == 3
    assert "orphan-chunk" not in chunks.get(include=[])["ids"]


def test_changing_the_embedding_model_rebuilds_in_its_own_collection(settings):
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    other = settings.replace(embedding_model="some/other-model")
    assert not Index(other).exists()
    report = build_index(other, embeddings=BagOfWordsEmbeddings(dimensions=128))
    assert report.documents_added == 3
    assert not Index(settings).exists()  # the old model's collections are dropped once the new index is complete


def test_an_unreadable_document_is_reported_and_the_rest_indexed(settings, corpus):
    (corpus / "broken.txt").write_bytes(b"\x00\x01binary")
    report = build_index(settings, embeddings=BagOfWordsEmbeddings())
    assert report.documents_added == 3
    assert len(report.errors) == 1 and "broken.txt" in report.errors[0]


def test_reading_before_indexing_says_how_to_build_the_index(settings):
    with pytest.raises(NoIndexError, match="python app.py index"):
        Retriever(settings, embeddings=BagOfWordsEmbeddings()).retrieve("电池")


def test_a_group_of_small_documents_is_written_to_chroma_in_a_few_calls_not_several_per_document(tmp_path, monkeypatch):
    # A Chroma write costs ~7 ms however few records it holds: 40 small documents took 160 (~1 s of an 8 s build).
    from chromadb.api.models.Collection import Collection

    corpus = tmp_path / "many"
    corpus.mkdir()
    for number in range(12):
        (corpus / f"doc{number:02d}.txt").write_text(f"一、第{number}节\n文档{number}的内容。\n", encoding="utf-8")
    writes = []
    for name in ("add", "upsert", "update", "delete"):
        def spy(self, *args, _write=getattr(Collection, name), _name=name, **kwargs):
            writes.append(_name)
            return _write(self, *args, **kwargs)
        monkeypatch.setattr(Collection, name, spy)

    report = build_index(Settings(corpus_dir=corpus, index_dir=tmp_path / "idx"), embeddings=BagOfWordsEmbeddings())

    assert report.documents_added == 12
    assert len(writes) <= 4, writes  # chunks, trees, records: one write each


def test_an_error_in_a_document_commits_those_indexed_before_it_and_the_next_run_does_the_rest(settings, monkeypatch):
    from reportqa.sentvectors import SentenceVectors

    store = SentenceVectors.store_version
    versions = []

    def failing_third(self, content_hash, texts, embed):
        versions.append(content_hash)
        if len(versions) == 3:
            raise RuntimeError("disk full")
        return store(self, content_hash, texts, embed)

    monkeypatch.setattr(SentenceVectors, "store_version", failing_third)
    with pytest.raises(RuntimeError, match="disk full"):
        build_index(settings, embeddings=BagOfWordsEmbeddings())
    index = Index(settings)
    committed = index.documents()
    assert sorted(committed) == ["battery.txt", "logistics.txt"]
    for record in committed.values():
        assert len(index.stored_chunks(list(record.chunk_ids))) == len(record.chunk_ids)

    monkeypatch.setattr(SentenceVectors, "store_version", store)
    report = build_index(settings, embeddings=BagOfWordsEmbeddings())
    assert (report.documents_added, report.documents_unchanged) == (1, 2)
    chunks, _ = index.collections()
    assert chunks.count() == 3

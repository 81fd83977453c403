"""Snapshots of the index: stored search terms instead of tokenising at open, and re-reads that never stall or drop a document."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from reportqa import lexical, partcache, retrieval, savedsnapshot, snapshot as snapshot_module
from reportqa.config import Settings
from reportqa.index import REINDEX_MARKER, Index, build_index
from reportqa.lexical import TERM_COUNTS, TERMS, TERMS_VERSION, tokenize
from reportqa.retrieval import Retriever
from reportqa.snapshot import Snapshot

from fakes import BagOfWordsEmbeddings

DOCS = {
    "battery.txt": "一、电池\n- 合资工厂\n时代北汽总投资 10 亿元，年产能规划达 20GWh。\n二、供应\n电芯供应小米，北汽提供资质。\n",
    "logistics.txt": "一、物流\n- 供应链圈\n零部件通过北汽物流网络实现两小时供应链圈。\n",
    "market.md": "# 市场\n## 销量\n小米 SU7 月均销量超 1.2 万辆。\n## 海外\n小米计划进入泰国和沙特市场。\n",
    "people.txt": "一、团队\n北汽派出八百名工程师支持小米工厂建设。\n",
}
QUESTIONS = ("时代北汽的总投资是多少？", "北汽 北汽 资质", "小米 市场", "特斯拉", "供应链")


@pytest.fixture
def settings(tmp_path) -> Settings:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "idx")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    return settings


@pytest.fixture
def tokenize_calls(monkeypatch) -> list[str]:
    """Every text lexical.tokenize is asked to split (opening an index must ask it nothing)."""
    calls: list[str] = []
    original = lexical.tokenize

    def counting(text: str) -> list[str]:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(lexical, "tokenize", counting)
    return calls


def assert_exact_bm25(snapshot: Snapshot) -> None:
    """The snapshot's BM25 scores every question exactly as rank_bm25 over freshly tokenised chunks."""
    chunks = [snapshot.chunks[chunk_id] for chunk_id in snapshot.ids]
    reference = BM25Okapi([tokenize(f"{chunk.section}\n{chunk.text}") for chunk in chunks])
    assert snapshot.bm25.idf == reference.idf
    for question in QUESTIONS:
        tokens = tokenize(question)
        assert snapshot.bm25_scores(tokens).tolist() == reference.get_scores(tokens).tolist(), question


def delete_cache(settings: Settings) -> None:
    for path in [*settings.index_dir.glob(f"{partcache.FILE_NAME}*"), settings.index_dir / savedsnapshot.FILE_NAME]:
        path.unlink(missing_ok=True)


def strip_stored_terms(settings: Settings) -> None:
    """Make the index look built before search terms were stored with the chunks (and before the search cache)."""
    delete_cache(settings)
    chunks, documents = Index(settings).collections()
    ids = chunks.get(include=[])["ids"]
    chunks.update(ids=ids, metadatas=[{TERMS: None, TERM_COUNTS: None, TERMS_VERSION: None}] * len(ids))
    sources = documents.get(include=[])["ids"]
    documents.update(ids=sources, metadatas=[{"terms_version": None}] * len(sources))


def test_opening_an_index_reads_the_stored_terms_and_tokenises_nothing(settings, tokenize_calls):
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    snapshot = retriever.snapshot()

    assert tokenize_calls == []
    assert retriever._reader.last_read["saved"] == 4  # build_index saved the snapshot
    assert len(snapshot.ids) == 6
    assert_exact_bm25(snapshot)


def test_without_the_search_cache_the_chunks_and_terms_are_read_from_chroma_and_cached(settings, tokenize_calls):
    cached = Retriever(settings, embeddings=BagOfWordsEmbeddings()).snapshot()
    delete_cache(settings)

    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    from_chroma = retriever.snapshot()
    assert (retriever._reader.last_read["read"], retriever._reader.last_read["cached"]) == (4, 0)
    again = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    from_cache = again.snapshot()
    assert (again._reader.last_read["read"], again._reader.last_read["saved"]) == (0, 4)

    assert tokenize_calls == []
    for snapshot in (from_chroma, from_cache):
        assert snapshot.ids == cached.ids
        assert [snapshot.chunks[i] for i in snapshot.ids] == [cached.chunks[i] for i in cached.ids]
        assert_exact_bm25(snapshot)


def test_opening_an_unchanged_index_again_builds_no_bm25_index_and_scores_exactly(settings, tokenize_calls, monkeypatch):
    first = Retriever(settings, embeddings=BagOfWordsEmbeddings()).snapshot()  # (saves the snapshot it opened)
    builds = []
    monkeypatch.setattr(snapshot_module, "Bm25", lambda *args, **kwargs: builds.append(args))

    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    again = retriever.snapshot()

    assert (builds, tokenize_calls) == ([], [])
    assert retriever._reader.last_read["saved"] == 4 and retriever._reader.last_read["read"] == 0
    assert again.ids == first.ids and [again.chunks[i] for i in again.ids] == [first.chunks[i] for i in first.ids]
    assert again.content_hashes == first.content_hashes
    assert_exact_bm25(again)
    assert retriever.retrieve("时代北汽的总投资是多少？", k=1)[0].source == "battery.txt"


def test_build_index_saves_the_snapshot_the_next_open_uses_whole(settings, monkeypatch):
    (settings.corpus_dir / "battery.txt").write_text("一、电池\n时代北汽年产能规划提高到 40GWh。\n", encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    builds = []
    monkeypatch.setattr(snapshot_module, "Bm25", lambda *args, **kwargs: builds.append(args))

    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    snapshot = retriever.snapshot()

    assert builds == [] and retriever._reader.last_read["saved"] == 4
    assert any("40GWh" in chunk.text for chunk in snapshot.chunks_of("battery.txt"))
    assert_exact_bm25(snapshot)


def test_a_saved_snapshot_serves_only_the_documents_whose_committed_version_it_holds(settings):
    saved = (settings.index_dir / savedsnapshot.FILE_NAME).read_bytes()
    (settings.corpus_dir / "battery.txt").write_text("一、电池\n时代北汽年产能规划提高到 40GWh。\n", encoding="utf-8")
    (settings.corpus_dir / "people.txt").unlink()
    (settings.corpus_dir / "new.txt").write_text("一、新闻\n北汽发布新车型。\n", encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    (settings.index_dir / savedsnapshot.FILE_NAME).write_bytes(saved)  # as if that run had been killed before saving

    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    snapshot = retriever.snapshot()

    assert {k: retriever._reader.last_read[k] for k in ("saved", "cached", "read")} == {"saved": 2, "cached": 2, "read": 0}
    assert sorted(snapshot.parts) == ["battery.txt", "logistics.txt", "market.md", "new.txt"]
    assert any("40GWh" in chunk.text for chunk in snapshot.chunks_of("battery.txt"))
    assert not any("20GWh" in chunk.text for chunk in snapshot.chunks.values())
    assert_exact_bm25(snapshot)
    reopened = Retriever(settings, embeddings=BagOfWordsEmbeddings())  # the new snapshot was saved in its place
    assert reopened.snapshot().ids == snapshot.ids and reopened._reader.last_read["saved"] == 4
    assert_exact_bm25(reopened.snapshot())


def test_an_index_opened_before_snapshots_were_saved_opens_and_saves_one(settings):
    Retriever(settings, embeddings=BagOfWordsEmbeddings()).snapshot()
    (settings.index_dir / savedsnapshot.FILE_NAME).unlink()  # as an index folder was before

    older = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    snapshot = older.snapshot()
    assert {k: older._reader.last_read[k] for k in ("saved", "cached", "read")} == {"saved": 0, "cached": 4, "read": 0}
    assert_exact_bm25(snapshot)
    newer = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    assert newer.snapshot().ids == snapshot.ids and newer._reader.last_read["saved"] == 4


@pytest.mark.parametrize("damage", ["not a zip file", "a posting short"])
def test_a_damaged_saved_snapshot_is_ignored_and_replaced(settings, caplog, damage):
    Retriever(settings, embeddings=BagOfWordsEmbeddings()).snapshot()
    path = settings.index_dir / savedsnapshot.FILE_NAME
    if damage == "not a zip file":
        path.write_bytes(b"PK\x03\x04 not a snapshot" * 100)
    else:
        with np.load(path) as stored:
            arrays = {name: stored[name] for name in stored.files}
        arrays["rows"] = arrays["rows"][:-1]
        with path.open("wb") as file:
            np.savez(file, **arrays)

    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    snapshot = retriever.snapshot()

    assert "saved snapshot" in caplog.text
    assert {k: retriever._reader.last_read[k] for k in ("saved", "cached")} == {"saved": 0, "cached": 4}
    assert_exact_bm25(snapshot)
    assert Retriever(settings, embeddings=BagOfWordsEmbeddings()).snapshot().ids == snapshot.ids  # (saved again)
    assert savedsnapshot.read(settings.index_dir) is not None


def test_saving_a_snapshot_removes_what_a_killed_save_left(settings):
    left = settings.index_dir / f"{savedsnapshot.FILE_NAME}.999999999-1.tmp"  # (no process has that pid)
    running = settings.index_dir / f"{savedsnapshot.FILE_NAME}.{os.getpid()}-1.tmp"
    left.write_bytes(b"half a snapshot")
    running.write_bytes(b"being written")
    (settings.index_dir / savedsnapshot.FILE_NAME).unlink()

    Retriever(settings, embeddings=BagOfWordsEmbeddings()).snapshot()

    assert not left.exists() and running.exists()
    assert savedsnapshot.read(settings.index_dir) is not None


def test_a_damaged_search_cache_is_turned_off_and_the_index_read_instead(settings, caplog):
    delete_cache(settings)
    (settings.index_dir / partcache.FILE_NAME).write_bytes(b"not a database" * 100)
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())

    snapshot = retriever.snapshot()

    assert "search cache" in caplog.text and retriever._reader.last_read["read"] == 4
    assert_exact_bm25(snapshot)
    assert retriever.retrieve("时代北汽的总投资是多少？", k=1)[0].source == "battery.txt"


def test_an_index_built_before_terms_were_stored_opens_and_the_next_run_stores_them_without_embedding(
    settings, tokenize_calls
):
    strip_stored_terms(settings)
    before = Retriever(settings, embeddings=BagOfWordsEmbeddings()).snapshot()
    assert len(tokenize_calls) == 6  # each chunk tokenised once, as before terms were stored
    assert_exact_bm25(before)

    embeddings = BagOfWordsEmbeddings()
    report = build_index(settings, embeddings=embeddings)
    assert (report.documents_unchanged, report.chunks_embedded, embeddings.calls) == (4, 0, 0)
    tokenize_calls.clear()
    after = Retriever(settings, embeddings=BagOfWordsEmbeddings()).snapshot()
    assert tokenize_calls == []
    assert after.ids == before.ids
    for question in QUESTIONS:
        tokens = tokenize(question)
        assert after.bm25_scores(tokens).tolist() == before.bm25_scores(tokens).tolist()


def test_a_changed_document_is_read_alone_and_scores_stay_exact(settings):
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    first = retriever.snapshot()
    (settings.corpus_dir / "battery.txt").write_text("一、电池\n时代北汽年产能规划提高到 40GWh，电芯供应小米。\n", encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings())

    second = retriever.refresh()

    assert second is not first
    assert retriever._reader.last_read == {
        "documents": 4, "saved": 0, "reused": 3, "cached": 1, "read": 0, "reread": 0, "chunks_tokenised": 0,  # cached by build_index
    }
    assert second.parts["logistics.txt"] is first.parts["logistics.txt"]
    assert any("40GWh" in chunk.text for chunk in second.chunks_of("battery.txt"))
    assert_exact_bm25(second)
    reloaded = retriever.refresh()  # the store stayed quiet: its vectors are reloaded, nothing else is built
    assert reloaded.bm25 is second.bm25 and retriever._reader.last_read["reused"] == 4
    assert retriever.refresh() is reloaded  # nothing written since: nothing is read


def test_renumbering_the_vocabulary_keeps_the_scores_exact(settings, monkeypatch):
    monkeypatch.setattr(snapshot_module, "COMPACT_SLACK", 0)
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    vocabularies = {id(retriever.snapshot().vocabulary)}
    for version in range(1, 4):  # each version of every document in words of its own: old words die
        for number, name in enumerate(DOCS):
            words = " ".join(f"v{version}w{number}x{word}" for word in range(20))
            (settings.corpus_dir / name).write_text(f"一、第{version}版\n北汽 {words}\n", encoding="utf-8")
        build_index(settings, embeddings=BagOfWordsEmbeddings())
        snapshot = retriever.refresh()
        vocabularies.add(id(snapshot.vocabulary))
        assert_exact_bm25(snapshot)
    assert len(vocabularies) > 1  # the dead terms of old versions were dropped at least once


def test_a_document_recommitted_while_being_read_is_read_in_its_new_version(settings):
    """The gap the load benchmark hit: a snapshot read a document's record, then a re-index committed
    its next version and deleted the chunks listed there before they were read."""
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    retriever.snapshot()
    (settings.corpus_dir / "logistics.txt").write_text("一、物流\n零部件通过北汽物流网络实现一小时供应链圈。\n", encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    reader = retriever._reader
    read_chunks = reader.index.chunk_records
    (settings.corpus_dir / "logistics.txt").write_text("一、物流\n零部件通过北汽物流网络实现半小时供应链圈。\n", encoding="utf-8")

    def reindex_first(ids, **kwargs):
        reader.index.chunk_records = read_chunks  # once
        build_index(settings, embeddings=BagOfWordsEmbeddings())  # commits the next version, deletes the one listed
        return read_chunks(ids, **kwargs)

    reader.index.chunk_records = reindex_first
    reader.cache.enabled = False  # build_index left the versions in the search cache: read them from Chroma
    snapshot = retriever.refresh()

    assert sorted(snapshot.parts) == sorted(DOCS)
    assert "半小时" in snapshot.chunks_of("logistics.txt")[0].text
    assert reader.last_read["reread"] == 1


def test_a_request_during_a_rebuild_is_answered_from_the_old_snapshot_without_waiting(settings, monkeypatch):
    monkeypatch.setattr(retrieval, "REFRESH_SECONDS", 0.0)
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    old = retriever.snapshot()
    (settings.corpus_dir / "battery.txt").write_text("一、电池\n时代北汽年产能规划提高到 40GWh。\n", encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    release, building = threading.Event(), threading.Event()
    reads = []
    read = retriever._reader.read

    def blocked_read(previous, **options):
        reads.append(threading.current_thread().name)
        building.set()
        assert release.wait(30), "the test never released the rebuild"
        return read(previous, **options)

    monkeypatch.setattr(retriever._reader, "read", blocked_read)
    try:
        retriever.retrieve("时代北汽年产能", k=3)  # starts the check, which starts the rebuild
        assert building.wait(10), "no rebuild started"
        waits = []
        for _ in range(5):
            started = time.perf_counter()
            texts = [p.text for p in retriever.retrieve("时代北汽年产能", k=3)]
            waits.append(time.perf_counter() - started)
            assert any("20GWh" in text for text in texts) and not any("40GWh" in text for text in texts)
        assert retriever.snapshot() is old
        assert max(waits) < 1.0, waits
        assert reads == ["reportqa-snapshot"]  # one thread rebuilds; requests never do
    finally:
        release.set()
    deadline = time.monotonic() + 10
    while retriever.snapshot() is old and time.monotonic() < deadline:
        time.sleep(0.01)
    texts = [p.text for p in retriever.retrieve("时代北汽年产能", k=3)]
    assert any("40GWh" in text for text in texts) and not any("20GWh" in text for text in texts)


_EXIT_DURING_REBUILD = """
import sys, time
from pathlib import Path
from reportqa import retrieval
from reportqa.config import Settings
from reportqa.index import build_index
from reportqa.retrieval import Retriever
from fakes import BagOfWordsEmbeddings

retrieval.REFRESH_SECONDS = 0.0
settings = Settings(corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2]))
retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
retriever.snapshot()
(settings.corpus_dir / "battery.txt").write_text("一、电池\\n年产能规划提高到 40GWh。\\n", encoding="utf-8")
build_index(settings, embeddings=BagOfWordsEmbeddings())
read = retriever._reader.read

def slow_read(previous, **options):
    time.sleep(1.5)
    result = read(previous, **options)
    Path(sys.argv[3]).write_text("rebuilt", encoding="utf-8")
    return result

retriever._reader.read = slow_read
retriever.retrieve("年产能", k=3)  # starts the rebuild in the background; the script ends here
"""


def test_a_process_ending_during_a_rebuild_waits_for_it_and_exits_cleanly(settings, tmp_path):
    done = tmp_path / "rebuilt.txt"
    tests_folder = os.path.dirname(__file__)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([tests_folder, os.environ.get("PYTHONPATH", "")])}
    finished = subprocess.run([sys.executable, "-c", _EXIT_DURING_REBUILD, str(settings.corpus_dir),
                               str(settings.index_dir), str(done)], env=environment, capture_output=True, text=True,
                              timeout=120)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert done.read_text(encoding="utf-8") == "rebuilt"  # the interpreter did not shut down under the rebuild


def test_a_failed_rebuild_keeps_serving_the_last_snapshot(settings, monkeypatch, caplog):
    monkeypatch.setattr(retrieval, "REFRESH_SECONDS", 0.0)
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    old = retriever.snapshot()

    def broken(snapshot):
        raise RuntimeError("store unreadable")

    monkeypatch.setattr(retriever._reader, "refresh", broken)
    retriever.retrieve("时代北汽年产能", k=3)
    deadline = time.monotonic() + 10
    while "store unreadable" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "serving the last snapshot" in caplog.text
    assert retriever.snapshot() is old
    assert retriever.retrieve("时代北汽年产能", k=1)[0].source == "battery.txt"


def test_a_document_recommitted_unchanged_is_reused_and_the_snapshot_is_current(settings):
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    first = retriever.snapshot()
    _, documents = Index(settings).collections()
    documents.update(ids=["market.md"], metadatas=[{"indexed_at": "2030-01-01T00:00:00+00:00"}])

    second = retriever.refresh()

    assert second is not first and retriever._reader.last_read["reused"] == 4
    assert second.parts["market.md"].chunks is first.parts["market.md"].chunks
    assert second.fingerprint == Index(settings).fingerprint()
    reloaded = retriever.refresh()  # (the store stayed quiet: its vectors are reloaded)
    assert retriever.refresh() is reloaded  # and not re-read again and again


def test_an_untouched_store_is_not_read_to_check_for_changes(settings, monkeypatch):
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    retriever.snapshot()
    retriever.refresh()  # the first check reads the records once
    reads = []
    monkeypatch.setattr(retriever.index, "fingerprint", lambda: reads.append(1) or "")

    retriever.refresh()
    assert reads == []
    (settings.corpus_dir / "people.txt").write_text("一、团队\n北汽派出九百名工程师。\n", encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    retriever.refresh()
    assert reads == [1]


def _counting_reloads(settings, monkeypatch) -> tuple[Retriever, list[int]]:
    """A retriever that has read the index, and the list its every reload of the store's vectors appends to."""
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    retriever.snapshot()
    reloads: list[int] = []
    reload = retriever.index.reload
    monkeypatch.setattr(retriever.index, "reload", lambda: reloads.append(1) or reload())
    return retriever, reloads


def test_the_vectors_are_reloaded_only_once_the_store_is_quiet(settings, monkeypatch):
    """Reopening the store while another process writes it holds every request up: commits are read at once
    (found by BM25), the vectors reloaded at the first check that finds the store untouched since the last."""
    retriever, reloads = _counting_reloads(settings, monkeypatch)

    for version in (1, 2):  # a re-index writing between checks
        (settings.corpus_dir / "battery.txt").write_text(f"一、电池\n时代北汽第{version}期产能规划。\n", encoding="utf-8")
        build_index(settings, embeddings=BagOfWordsEmbeddings())
        snapshot = retriever.refresh()
        assert f"第{version}期" in snapshot.chunks_of("battery.txt")[0].text and reloads == []
    reloaded = retriever.refresh()  # untouched since the last check
    assert reloads == [1] and reloaded.ids == snapshot.ids
    assert retriever.refresh() is reloaded and reloads == [1]


def test_while_another_process_re_indexes_the_vectors_wait_for_its_end(settings, monkeypatch):
    monkeypatch.setattr(snapshot_module, "INDEXING_READ_SECONDS", 0.0)
    retriever, reloads = _counting_reloads(settings, monkeypatch)
    marker = settings.index_dir / f"{REINDEX_MARKER}{os.getppid()}"  # a live process: this one's parent
    marker.write_text("", encoding="utf-8")
    (settings.index_dir / f"{REINDEX_MARKER}999999999").write_text("", encoding="utf-8")  # a killed run's: ignored

    (settings.corpus_dir / "battery.txt").write_text("一、电池\n时代北汽第三期产能规划。\n", encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    for _ in range(3):  # commits read, the store quiet, but the re-index still running: no reload
        assert "第三期" in retriever.refresh().chunks_of("battery.txt")[0].text
    assert reloads == []
    marker.unlink()
    retriever.refresh()
    assert reloads == [1]


def test_a_killed_re_index_whose_pid_names_another_process_does_not_hold_the_vectors_back(settings, monkeypatch):
    """A marker left by a killed run, whose pid was later given to another process, is no re-index running: the
    store's vectors are reloaded once it is quiet (else a server would serve the old ones for good)."""
    monkeypatch.setattr(snapshot_module, "INDEXING_READ_SECONDS", 0.0)
    retriever, reloads = _counting_reloads(settings, monkeypatch)
    (settings.corpus_dir / "battery.txt").write_text("一、电池\n时代北汽第五期产能规划。\n", encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    later = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        marker = settings.index_dir / f"{REINDEX_MARKER}{later.pid}"
        marker.write_text("", encoding="utf-8")
        os.utime(marker, (time.time() - 3600, time.time() - 3600))  # written an hour before that process started

        assert "第五期" in retriever.refresh().chunks_of("battery.txt")[0].text and reloads == []  # (found by BM25)
        retriever.refresh()  # the store quiet since the last check
    finally:
        later.kill()
        later.wait()

    assert reloads == [1]


def test_build_index_marks_the_index_folder_while_it_runs(settings):
    seen = []
    (settings.corpus_dir / "battery.txt").write_text("一、电池\n时代北汽第四期产能规划。\n", encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings(), progress=lambda step: seen.append(Index(settings).reindex_running()))
    assert seen and all(seen) and not Index(settings).reindex_running()
    assert list(settings.index_dir.glob(f"{REINDEX_MARKER}*")) == []

"""SIGKILL the indexer at random moments of a re-index: every document stays whole, old or new.

The indexer is a real subprocess writing a real embedded Chroma store; only the embedding
model is the fake bag-of-words one, so that a re-index of 200 documents takes seconds.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportqa.config import Settings
from reportqa.index import Index, build_index
from reportqa.retrieval import Retriever

from fakes import BagOfWordsEmbeddings

pytestmark = pytest.mark.slow

DOCUMENTS = 200
TRIALS = 11  # at least 10 of them must land while the indexer still runs
TESTS = Path(__file__).parent
INDEXER = f"""
import sys
sys.path[:0] = [{str(TESTS.parent)!r}, {str(TESTS)!r}]
from pathlib import Path
from fakes import BagOfWordsEmbeddings
from reportqa.config import Settings
from reportqa.index import build_index
settings = Settings(corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2]))
build_index(settings, embeddings=BagOfWordsEmbeddings(), progress=lambda line: print(line, flush=True))
print("done", flush=True)
"""


def document_text(number: int, version: int) -> str:
    """Two sections, so a document has two chunks that must change together."""
    return (
        f"一、编号\n文档{number}的版本编号是 V{version}-{number}，共两个部分。\n"
        f"二、说明\n文档{number}第二部分也属于版本 V{version}，用于检查完整性。\n"
    )


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_corpus(corpus: Path, version: int) -> None:
    for number in range(DOCUMENTS):
        (corpus / f"doc{number:03d}.txt").write_text(document_text(number, version), encoding="utf-8")


def committed_versions(settings: Settings) -> dict[str, int]:
    """Each document's committed version, after checking that the index holds exactly that version of it."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # read the store as a new process would
    index = Index(settings)
    documents = index.documents()
    versions = {}
    for source, record in documents.items():
        chunks = index.stored_chunks(list(record.chunk_ids))
        assert len(chunks) == len(record.chunk_ids) == 2, f"{source}: chunks missing from its committed version"
        markers = {text.split("V", 1)[1].split("-")[0].split("，")[0] for text in (c.text for c in chunks)}
        assert len(markers) == 1, f"{source}: chunks of different versions {markers}"
        version = int(markers.pop())
        number = int(source[3:6])
        assert record.content_hash == text_hash(document_text(number, version)), f"{source}: hash of another version"
        versions[source] = version
    return versions


def kill_during_reindex(settings: Settings, rng: random.Random) -> tuple[bool, int]:
    """Run the indexer and SIGKILL it after a random number of documents plus a random delay."""
    after = rng.randint(1, DOCUMENTS)
    process = subprocess.Popen(
        [sys.executable, "-c", INDEXER, str(settings.corpus_dir), str(settings.index_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    seen = 0
    try:
        for line in process.stdout:
            seen += "indexing" in line
            if seen >= after:
                time.sleep(rng.uniform(0, 0.03))  # land anywhere inside a document's writes
                os.kill(process.pid, signal.SIGKILL)
                break
    finally:
        process.stdout.close()
        code = process.wait(timeout=120)
    return code == -signal.SIGKILL, seen


def test_sigkill_during_reindex_never_loses_or_mixes_a_document(tmp_path):
    rng = random.Random(20241125)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    write_corpus(corpus, version=0)
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    versions = committed_versions(settings)
    assert set(versions.values()) == {0} and len(versions) == DOCUMENTS

    kills = []
    for trial in range(1, TRIALS + 1):
        write_corpus(corpus, version=trial)
        killed, reached = kill_during_reindex(settings, rng)
        kills.append((killed, reached))
        after = committed_versions(settings)
        assert set(after) == set(versions), f"trial {trial}: documents lost"
        for source, version in after.items():
            assert version in (versions[source], trial), f"trial {trial}: {source} at version {version}"
        versions = after
        # A reader trusting only committed chunks answers from a whole version.
        retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
        number = rng.randrange(DOCUMENTS)
        passages = retriever.retrieve(f"文档{number}的版本编号", k=5)
        found = [passage.source for passage in passages]
        assert f"doc{number:03d}.txt" in found, f"trial {trial} (killed after {reached} documents): {found}"
        for passage in passages:  # every passage shown comes from its document's committed version
            assert f"V{versions[passage.source]}" in passage.text, f"trial {trial}: {passage.source} not committed"
    assert sum(killed for killed, _ in kills) >= 10, kills

    report = build_index(settings, embeddings=BagOfWordsEmbeddings())
    assert report.documents_added == report.documents_deleted == 0
    final = committed_versions(settings)
    assert set(final.values()) == {TRIALS}
    chunks, _ = Index(settings).collections()
    assert chunks.count() == 2 * DOCUMENTS, "stale chunks of killed runs were left behind"
    print("kills (killed, documents reached):", kills)


def test_a_running_reader_finds_by_similarity_what_another_process_indexed(tmp_path, monkeypatch):
    from reportqa import retrieval

    monkeypatch.setattr(retrieval, "REFRESH_SECONDS", 0.0)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    for number in range(3):
        (corpus / f"doc{number:03d}.txt").write_text(document_text(number, 0), encoding="utf-8")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    assert retriever.retrieve("文档1的版本编号", k=1)[0].text.startswith("文档1的版本编号是 V0-1")

    (corpus / "doc001.txt").write_text(document_text(1, 7), encoding="utf-8")
    indexer = subprocess.run([sys.executable, "-c", INDEXER, str(corpus), str(settings.index_dir)], capture_output=True)
    assert indexer.returncode == 0, indexer.stderr

    retriever.refresh()  # what the background check does within REFRESH_SECONDS of a request: reads the commit,
    snapshot = retriever.refresh()  # and once the store is quiet (untouched between two checks) reloads its vectors
    new_chunks = {chunk_id for chunk_id, chunk in snapshot.chunks.items() if "V7-1" in chunk.text}
    assert new_chunks and new_chunks <= set(retriever.dense_ranking("文档1的版本编号是 V7-1", snapshot, 3))
    assert "V7-1" in retriever.retrieve("文档1的版本编号", k=1)[0].text

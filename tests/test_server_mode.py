"""With CHROMA_HOST set, indexing, re-indexing and hybrid retrieval run against a real `chroma run` server."""

from __future__ import annotations

import json

import pytest

from reportqa.cli import main
from reportqa.config import Settings
from reportqa.index import Index, build_index
from reportqa.retrieval import Retriever

from fakes import BagOfWordsEmbeddings
from servers import chroma_server, free_port

pytestmark = pytest.mark.slow

DOCS = {
    "battery.txt": "一、电池\n- 合资工厂\n时代北汽总投资 10 亿元，年产能规划达 20GWh。\n",
    "logistics.txt": "一、物流\n- 供应链圈\n零部件通过北汽物流网络实现两小时供应链圈。\n",
    "market.md": "# 市场\n## 销量\n小米 SU7 月均销量超 1.2 万辆。\n",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A `chroma run` server on a free 127.0.0.1 port for this module's tests."""
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as address:
        yield address


@pytest.fixture
def settings(server, tmp_path) -> Settings:
    """Settings that use the server, over a fresh corpus; the server starts each test empty."""
    import chromadb

    host, port = server
    client = chromadb.HttpClient(host=host, port=port)
    for collection in client.list_collections():
        client.delete_collection(collection.name)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", chroma_host=host, chroma_port=port)


def test_index_reindex_and_hybrid_retrieval_on_the_server(settings):
    embeddings = BagOfWordsEmbeddings()
    assert not Index(settings).exists()

    first = build_index(settings, embeddings=embeddings)
    assert (first.documents_added, first.chunks_embedded) == (3, 3)
    assert not settings.index_dir.exists(), "server mode must not write a local index"
    again = build_index(settings, embeddings=embeddings)
    assert (again.documents_unchanged, again.chunks_embedded) == (3, 0)

    (settings.corpus_dir / "battery.txt").write_text("一、电池\n- 合资工厂\n年产能规划调整为 30GWh。\n", encoding="utf-8")
    (settings.corpus_dir / "market.md").unlink()
    (settings.corpus_dir / "people.txt").write_text("一、团队\n合作团队共有八百名工程师。\n", encoding="utf-8")
    changed = build_index(settings, embeddings=embeddings)
    assert (changed.documents_added, changed.documents_updated, changed.documents_deleted) == (1, 1, 1)

    assert set(Index(settings).documents()) == {"battery.txt", "logistics.txt", "people.txt"}
    chunks, _ = Index(settings).collections()
    assert chunks.count() == 3  # the old battery chunk and the market chunk are gone
    retriever = Retriever(settings, embeddings=embeddings)
    top = retriever.retrieve("年产能规划", k=1)[0]
    assert top.source == "battery.txt" and "30GWh" in top.text
    snapshot = retriever.snapshot()
    assert snapshot.chunks[retriever.lexical_ranking("八百名工程师", snapshot, 3)[0]].source == "people.txt"
    assert snapshot.chunks[retriever.dense_ranking("两小时供应链圈", snapshot, 3)[0]].source == "logistics.txt"


def test_an_interrupted_run_on_the_server_keeps_the_old_version_and_is_cleaned_up(settings):
    embeddings = BagOfWordsEmbeddings()
    build_index(settings, embeddings=embeddings)
    (settings.corpus_dir / "battery.txt").write_text("一、电池\n年产能规划达 99GWh。\n" * 3, encoding="utf-8")

    class DiesWhileEmbedding(BagOfWordsEmbeddings):
        def embed_documents(self, texts):
            vectors = super().embed_documents(texts)
            chunks, _ = Index(settings).collections()
            chunks.add(ids=["half-written"], embeddings=vectors[:1], documents=texts[:1],
                       metadatas=[{"source": "battery.txt", "section": "一、电池", "start": 0, "end": 1}])
            raise KeyboardInterrupt  # stands in for the process being killed after a partial write

    with pytest.raises(KeyboardInterrupt):
        build_index(settings, embeddings=DiesWhileEmbedding())

    retriever = Retriever(settings, embeddings=embeddings)
    texts = [passage.text for passage in retriever.retrieve("年产能规划", k=5)]
    assert any("20GWh" in text for text in texts) and not any("99GWh" in text for text in texts)
    report = build_index(settings, embeddings=embeddings)
    assert report.documents_updated == 1
    chunks, _ = Index(settings).collections()
    assert "half-written" not in chunks.get(include=[])["ids"]
    assert [p.text for p in Retriever(settings, embeddings=embeddings).retrieve("年产能规划", k=1)] == ["年产能规划达 99GWh。"]


def test_the_cli_uses_the_server_named_by_chroma_host(settings, monkeypatch, capsys):
    """The real embedding model through `python app.py`, configured only by the environment."""
    monkeypatch.setenv("REPORTQA_CORPUS", str(settings.corpus_dir))
    monkeypatch.setenv("CHROMA_HOST", settings.chroma_host)
    monkeypatch.setenv("CHROMA_PORT", str(settings.chroma_port))

    assert main(["index"]) == 0
    assert "3 added" in capsys.readouterr().out
    assert main(["retrieve", "--json", "--k", "1", "电池工厂的年产能规划是多少？"]) == 0
    passage = json.loads(capsys.readouterr().out)["passages"][0]
    assert passage["source"] == "battery.txt" and "20GWh" in passage["text"]
    assert not Settings.from_env().index_dir.exists()


def test_an_unreachable_server_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    port = free_port()
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(port))
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("一些文字。", encoding="utf-8")
    for command in (["index"], ["retrieve", "年产能？"]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"error: Cannot reach the Chroma server at 127.0.0.1:{port}") and err.count("\n") == 1
        assert "Start it with `chroma run` or unset CHROMA_HOST." in err

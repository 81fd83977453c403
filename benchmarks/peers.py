"""The retrieval pipelines compared: ours, its two halves alone, and two pipelines users would build instead.

Every pipeline ranks passages of the same documents with the same embeddings; each returns
`Passage`s (text and source are what the scoring reads).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from unittest import mock

from reportqa import index as index_module
from reportqa.answer import Assistant
from reportqa.config import Settings
from reportqa.index import build_index
from reportqa.loaders import Document
from reportqa.retrieval import Passage, Retriever

# LangChain-Chatchat's ChineseRecursiveTextSplitter separators (regexes), its defaults 750/150.
CHATCHAT_SEPARATORS = ["\n\n", "\n", "。|！|？", r"\.\s|\!\s|\?\s", r"；|;\s", r"，|,\s"]
_collection_numbers = itertools.count()


class OurPipeline:
    """reportqa itself: structure-aware chunks, Chroma + BM25 fused by RRF, extractive answers."""

    name = "reportqa (hybrid)"

    def __init__(self, settings: Settings, embeddings):
        # build_index loads the model itself; here it must use the shared cached vectors.
        with mock.patch.object(index_module, "load_embeddings", lambda _settings: embeddings):
            self.index_report = build_index(settings)
        self.retriever = Retriever(settings, embeddings=embeddings)
        self.assistant = Assistant(settings, retriever=self.retriever)
        self.chunks = len(self.retriever.snapshot().ids)

    def rank(self, question: str, k: int) -> list[Passage]:
        return self.retriever.retrieve(question, k=k)


class RankerOnly:
    """One of our two rankers alone over our chunks: `dense` (Chroma) or `lexical` (BM25 over jieba)."""

    def __init__(self, ours: OurPipeline, ranker: str):
        self.name = {"dense": "dense only", "lexical": "BM25 only (jieba)"}[ranker]
        self.retriever = ours.retriever
        self.ranker = ranker
        self.chunks = ours.chunks

    def rank(self, question: str, k: int) -> list[Passage]:
        snapshot = self.retriever.snapshot()
        rank = self.retriever.dense_ranking if self.ranker == "dense" else self.retriever.lexical_ranking
        return [_passage(snapshot.chunks[i].text, snapshot.chunks[i].source, i) for i in rank(question, snapshot, k)]


class LangChainTutorial:
    """The LangChain RAG tutorial: RecursiveCharacterTextSplitter(1000, 200) + Chroma + similarity_search."""

    name = "LangChain tutorial (1000/200, Chroma)"

    def __init__(self, documents: list[Document], embeddings):
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        self.store, self.chunks = _chroma(splitter, documents, embeddings)

    def rank(self, question: str, k: int) -> list[Passage]:
        # The tutorial asks for k=4; the ranking's first 4 are the same for any k.
        return [_passage(d.page_content, d.metadata["source"], d.id) for d in self.store.similarity_search(question, k=k)]


class Chatchat:
    """LangChain-Chatchat defaults: Chinese recursive splitting 750/150, BM25 + vector ensemble 0.5/0.5."""

    name = "Chatchat defaults (750/150, BM25+vector 0.5/0.5)"

    def __init__(self, documents: list[Document], embeddings):
        import jieba
        from langchain_text_splitters import RecursiveCharacterTextSplitter
        from rank_bm25 import BM25Okapi

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=750, chunk_overlap=150, separators=CHATCHAT_SEPARATORS, is_separator_regex=True, keep_separator=True
        )
        self.store, self.chunks = _chroma(splitter, documents, embeddings)
        records = self.store.get(include=["documents", "metadatas"])
        self.ids, self.texts = records["ids"], records["documents"]
        self.sources = [metadata["source"] for metadata in records["metadatas"]]
        self._tokenize = jieba.lcut_for_search  # Chatchat's BM25Retriever preprocess_func
        self.bm25 = BM25Okapi([self._tokenize(text) for text in self.texts])

    def rank(self, question: str, k: int) -> list[Passage]:
        scores = self.bm25.get_scores(self._tokenize(question))
        lexical = [self.ids[i] for i in sorted(range(len(scores)), key=lambda i: -scores[i])[:k]]
        dense = [d.id for d in self.store.similarity_search(question, k=k)]
        # LangChain's EnsembleRetriever: weighted reciprocal rank fusion with c = 60.
        fused: dict[str, float] = {}
        for weight, ranking in ((0.5, lexical), (0.5, dense)):
            for rank, chunk_id in enumerate(ranking, 1):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (rank + 60)
        position = {chunk_id: i for i, chunk_id in enumerate(self.ids)}
        best = sorted(fused, key=lambda chunk_id: -fused[chunk_id])[:k]
        return [_passage(self.texts[position[i]], self.sources[position[i]], i) for i in best]


def _chroma(splitter, documents: list[Document], embeddings):
    from langchain_chroma import Chroma
    from langchain_core.documents import Document as LangChainDocument

    pieces = splitter.split_documents(
        [LangChainDocument(page_content=d.text, metadata={"source": d.source}) for d in documents]
    )
    store = Chroma(collection_name=f"peer_{next(_collection_numbers)}", embedding_function=embeddings)
    for first in range(0, len(pieces), 512):
        part = pieces[first : first + 512]
        store.add_documents(part, ids=[f"c{first + n}" for n in range(len(part))])
    return store, len(pieces)


def _passage(text: str, source: str, chunk_id: str) -> Passage:
    return Passage(chunk_id, text, source, "", 0.0, 0, 0)


def write_corpus(documents: list[Document], corpus_dir: Path) -> None:
    """The documents as files, for the pipelines that index a folder."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    for document in documents:
        (corpus_dir / document.source).write_text(document.text, encoding="utf-8")

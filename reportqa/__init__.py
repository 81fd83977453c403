"""Cited question answering over a company's reports, offline.

    from reportqa import answer, retrieve, build_index, Settings
"""

from .answer import Answer, Assistant, Citation, answer
from .config import Settings
from .errors import ReportQAError, UnknownDocumentError
from .index import IndexReport, build_index
from .retrieval import Passage, ReportRetriever, Retriever

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "IndexReport",
    "Passage",
    "ReportQAError",
    "ReportRetriever",
    "Retriever",
    "Settings",
    "UnknownDocumentError",
    "answer",
    "build_index",
    "retrieve",
]


def retrieve(question: str, *, k: int = 5, documents: list[str] | None = None,
             settings: Settings | None = None) -> list[Passage]:
    """The k passages of the index that best match the question, best first.

    Args:
        question: the question, in Chinese or English.
        k: how many passages to return.
        documents: search these documents only: each a path in the corpus folder, a file name, or a file
            name without its extension (UnknownDocumentError when one matches no document). None: all.
        settings: defaults to `Settings.from_env()`.
    Returns:
        Passages with id, text, source, section path, fused score and character offsets.
    """
    from .answer import default_retriever

    return default_retriever(settings or Settings.from_env()).retrieve(question, k=k, documents=documents)

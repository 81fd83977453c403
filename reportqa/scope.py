"""Asking within chosen documents: which indexed documents a list of names means, and a request's scope.

A name matches a document by, in this order (letter case aside): its path in the corpus folder
(`reports/2024/annual.pdf`), its file name (`annual.pdf`), or its file name without the extension
(`annual`). A name that matches no document, or several, is an `UnknownDocumentError` that lists
the documents. No scope (None, or no names) means every document.

The scope of an answer holds for every search made while answering (a backend searches again with
a translated question): `Assistant` sets it with `within()`, and `Retriever.retrieve` reads it with
`current_scope()` when it is not given documents itself.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from pathlib import PurePosixPath
from typing import Iterable, Iterator

from .errors import UnknownDocumentError

LISTED_DOCUMENTS = 20  # documents an error message names before it says "and N more"

_SCOPE: ContextVar[frozenset[str] | None] = ContextVar("reportqa_scope", default=None)


def match_documents(names: Iterable[str] | None, sources: Iterable[str]) -> frozenset[str] | None:
    """The indexed sources the names mean (None for no names: every document).

    Args:
        names: document names as a user gives them: a path, a file name, or a file name without its extension.
        sources: the indexed documents' paths in the corpus folder.
    Returns:
        The matching sources; UnknownDocumentError when a name matches no document or several.
    """
    if names is None:
        return None
    names = [names] if isinstance(names, str) else list(names)
    if not all(isinstance(name, str) for name in names):
        raise UnknownDocumentError("Document names must be text: a file name such as report.pdf.")
    wanted = [name.strip() for name in names if name.strip()]
    if not wanted:
        return None
    sources = sorted(set(sources))
    return frozenset(_match_one(name, sources) for name in wanted)


def _match_one(name: str, sources: list[str]) -> str:
    if name in sources:
        return name
    folded = name.casefold()
    for key in (lambda s: s, lambda s: PurePosixPath(s).name, lambda s: PurePosixPath(s).stem):
        found = [source for source in sources if key(source).casefold() == folded]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UnknownDocumentError(
                f"The name {name!r} fits several documents: {', '.join(found)}; give its path in the corpus folder."
            )
    if not sources:
        raise UnknownDocumentError(f"No document named {name!r}: the index holds no documents yet.")
    raise UnknownDocumentError(f"No document named {name!r}; documents are: {_listing(sources)}")


def _listing(sources: list[str]) -> str:
    shown = ", ".join(sources[:LISTED_DOCUMENTS])
    return shown if len(sources) <= LISTED_DOCUMENTS else f"{shown} and {len(sources) - LISTED_DOCUMENTS} more"


def current_scope() -> frozenset[str] | None:
    """The documents the answer being made is limited to (None: every document)."""
    return _SCOPE.get()


@contextlib.contextmanager
def within(sources: frozenset[str] | None) -> Iterator[None]:
    """Limit every search in this block (of this thread or task) to these documents."""
    token = _SCOPE.set(sources)
    try:
        yield
    finally:
        _SCOPE.reset(token)

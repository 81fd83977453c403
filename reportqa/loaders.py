"""Read documents from the corpus folder into plain text."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError, EmptyCorpusError

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES


@dataclass(frozen=True)
class Document:
    """A document's text as the chunker sees it, named by its path inside the corpus."""

    source: str
    text: str

    @property
    def content_hash(self) -> str:
        """A hash of the text: a document whose hash is unchanged needs no re-indexing."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def list_documents(corpus_dir: Path) -> list[Path]:
    """The supported files under corpus_dir, in a stable order."""
    if not corpus_dir.is_dir():
        raise EmptyCorpusError(
            f"Corpus folder {corpus_dir}/ does not exist. Create it and put .txt or .md documents in it."
        )
    return sorted(
        path
        for path in corpus_dir.rglob("*")
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith(".")
    )


def load_document(path: Path, corpus_dir: Path) -> Document:
    """Read one file into a Document; raises DocumentError naming the file."""
    source = path.relative_to(corpus_dir).as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"Cannot read {source}: {exc.strerror}. Check the file's permissions.") from None
    text = decode_text(raw, source)
    return Document(source=source, text=text.replace("\r\n", "\n").replace("\r", "\n"))


def decode_text(raw: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM) or GB18030 text; refuse binary data."""
    if b"\x00" in raw[:4096]:
        raise DocumentError(f"{source} looks like a binary file, not text. Remove it or save it as UTF-8 text.")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{source} is neither UTF-8 nor GBK/GB18030 text. Re-save it as UTF-8.")

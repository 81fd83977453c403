"""Managing the corpus from the UI: list, upload, delete and re-index documents."""

from __future__ import annotations

import logging
import queue
import re
import shutil
import threading
import time
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from ..config import Settings
from ..errors import DocumentError, NoIndexError, ReportQAError
from ..index import IndexReport, Progress, build_index
from .render import DocumentRow

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_NAME_CHARS = 120
_UNSAFE_NAME_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_reindex_lock = threading.Lock()


class ReindexBusy(ReportQAError):
    """Another re-index is running."""


class UploadRefused(DocumentError):
    """An upload that was not stored; `reason` and `values` let the page explain it in its own language."""

    def __init__(self, message: str, reason: str, **values):
        super().__init__(message)
        self.reason = reason
        self.values = values


def supported_suffixes() -> list[str]:
    """The file types the loaders read, e.g. ['.md', '.txt'] (read at call time: loaders may add more)."""
    from .. import loaders

    return sorted(loaders.SUPPORTED_SUFFIXES)


def safe_filename(name: str) -> str:
    """A plain file name for an uploaded document: no folders, no `..`, no characters file systems reject."""
    base = unicodedata.normalize("NFKC", name).replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_NAME_CHARS.sub("_", base).strip().lstrip(".").strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip(" .")[: MAX_NAME_CHARS] or "document"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def save_upload(settings: Settings, uploaded: Path, original_name: str | None = None) -> tuple[str, bool]:
    """Check an uploaded file and copy it into the corpus folder under a safe name.

    Returns the stored name and whether it replaced a document of that name.
    Raises DocumentError for a file of the wrong type, too large, or unreadable.
    """
    name = safe_filename(original_name or uploaded.name)
    suffix = Path(name).suffix.lower()
    allowed = supported_suffixes()
    if suffix not in allowed:
        raise UploadRefused(
            f"{name}: unsupported file type. Upload one of: {', '.join(allowed)}.",
            "unsupported", name=name, types=", ".join(allowed),
        )
    size = uploaded.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        megabytes, limit = f"{size / 1024 / 1024:.1f}", MAX_UPLOAD_BYTES // 1024 // 1024
        raise UploadRefused(
            f"{name} is {megabytes} MB; the limit is {limit} MB. Split it into smaller files.",
            "too_large", name=name, size=megabytes, limit=limit,
        )
    if size == 0:
        raise UploadRefused(f"{name} is empty. Upload a document with text in it.", "empty", name=name)
    _check_readable(uploaded, name)
    corpus = settings.corpus_dir.resolve()
    corpus.mkdir(parents=True, exist_ok=True)
    target = (corpus / name).resolve()
    if target.parent != corpus:
        raise UploadRefused(
            f"{original_name!r} is not a valid file name. Rename the file and upload it again.", "bad_name", name=original_name
        )
    replaced = target.exists()
    partial = target.with_name(f".{name}.uploading")
    shutil.copyfile(uploaded, partial)
    partial.replace(target)  # atomic: a re-index never reads a half-copied file
    log.info("stored upload %s (%d bytes)", name, size)
    return name, replaced


def _check_readable(uploaded: Path, name: str) -> None:
    """Load the file the way the indexer will, so a broken document is refused now, not at re-index."""
    from ..loaders import load_document

    folder = uploaded.parent / ".check"
    folder.mkdir(exist_ok=True)
    probe = folder / name
    shutil.copyfile(uploaded, probe)
    try:
        document = load_document(probe, folder)
    except DocumentError as exc:
        raise UploadRefused(str(exc), "unreadable", name=name, error=str(exc)) from None
    finally:
        probe.unlink(missing_ok=True)
    if not document.text.strip():
        raise UploadRefused(f"{name} has no text in it. Upload a document with text.", "no_text", name=name)


def delete_document(settings: Settings, name: str) -> None:
    """Remove a document of the corpus by its listed name; anything else is refused."""
    listed = {row.name for row in document_rows(settings) if row.status != "removed"}
    if name not in listed:
        raise DocumentError(f"{name!r} is not a document in {settings.corpus_dir}/. Refresh the list and choose again.")
    (settings.corpus_dir / name).unlink()
    log.info("deleted %s", name)


def document_rows(settings: Settings) -> list[DocumentRow]:
    """The corpus's documents and the index's, with chunk counts and whether each needs re-indexing."""
    from ..index import Index
    from ..loaders import list_documents

    try:
        files = {path.relative_to(settings.corpus_dir).as_posix(): path for path in list_documents(settings.corpus_dir)}
    except ReportQAError:
        files = {}
    try:
        indexed = Index(settings).documents()
    except NoIndexError:
        indexed = {}
    rows = []
    for name in sorted(set(files) | set(indexed)):
        path, record = files.get(name), indexed.get(name)
        size = path.stat().st_size if path else None
        if record is None:
            status = "new"
        elif path is None:
            status = "removed"
        elif _changed_since_indexing(path, name, record.indexed_at, record.content_hash, settings):
            status = "changed"
        else:
            status = "indexed"
        rows.append(
            DocumentRow(name, size, len(record.chunk_ids) if record else None, record.indexed_at if record else None, status)
        )
    return rows


def _changed_since_indexing(path: Path, name: str, indexed_at: str, content_hash: str, settings: Settings) -> bool:
    """Whether the file's text differs from what was indexed (read only when it was modified since)."""
    from ..loaders import load_document

    try:
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
        if modified.replace(microsecond=0) < datetime.fromisoformat(indexed_at):
            return False
        return load_document(path, settings.corpus_dir).content_hash != content_hash
    except (ValueError, ReportQAError):
        return True


def reindex(settings: Settings, *, progress: Callable | None = None) -> Iterator[Progress | IndexReport]:
    """Run `build_index`, yielding its messages about documents as they come, then the IndexReport.

    The chunks done go to `progress`, a `gr.Progress` (by default a new one: it shows on the page's event
    that iterates this, if any), with chunks/s and the time left. Raises ReindexBusy when another re-index
    of this process is running.
    """
    if progress is None:
        import gradio as gr

        progress = gr.Progress()
    if not _reindex_lock.acquire(blocking=False):
        raise ReindexBusy("A re-index is already running; wait for it to finish.")
    try:
        messages: queue.Queue = queue.Queue()
        outcome: dict[str, object] = {}

        def run() -> None:
            try:
                # The page lists what is in the corpus, so an empty corpus there means every document was deleted.
                outcome["report"] = build_index(settings, progress=messages.put, allow_empty=True)
            except BaseException as exc:  # handed to the caller's thread below
                outcome["error"] = exc
            finally:
                messages.put(None)

        worker = threading.Thread(target=run, name="reportqa-reindex", daemon=True)
        worker.start()
        bar = _ChunkBar(progress)
        while (message := messages.get()) is not None:
            if message.action == "chunks":
                bar.show(message)  # in the caller's thread: Gradio finds its event there
            else:
                yield message
        worker.join()
        if "error" in outcome:
            raise outcome["error"]
        yield outcome["report"]
    finally:
        _reindex_lock.release()


class _ChunkBar:
    """Chunks done out of the run's total for a gr.Progress, with the rate and the time left."""

    def __init__(self, progress: Callable):
        self.progress = progress
        self.started = time.monotonic()

    def show(self, step: Progress) -> None:
        seconds = time.monotonic() - self.started
        rate = step.number / seconds if seconds > 0 else 0.0
        left = f", {_duration((step.total - step.number) / rate)} left" if rate > 0 else ""
        self.progress((step.number, step.total), desc=f"{step.number}/{step.total} chunks, {rate:.1f} chunks/s{left}",
                      unit="chunks")


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}:{seconds:02d}"

"""Feedback on answers: 👍 / 👎 with an optional comment, one JSON line each in a local file; the 👎
rows become evaluation questions for a person to complete (`python app.py eval --from-feedback`).

A line of `feedback.jsonl`:

    {"time": "2025-06-01T08:30:00+00:00", "question": "那北汽呢？", "standalone": "… 那北汽呢？",
     "answer": "…[1]", "citations": [{"marker", "id", "source", "section", "text", "quote"}],
     "backend": "none", "abstained": false, "vote": "down", "comment": "…", "via": "openai-api"}
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from .answering.types import Answer
from .config import Settings
from .errors import ReportQAError
from .records import source_records

VOTES = {"up": "up", "down": "down", "👍": "up", "👎": "down", "+1": "up", "-1": "down", "1": "up"}
MAX_COMMENT_CHARS = 2000
_write_lock = threading.Lock()


class FeedbackError(ReportQAError):
    """Feedback that cannot be recorded as given (an unknown vote, a missing question, ...)."""


def feedback_path(settings: Settings) -> Path:
    """Where feedback is kept: `feedback.jsonl` in the index folder (local, never committed)."""
    return Path(settings.index_dir) / "feedback.jsonl"


def feedback_record(question: str, answer: Answer | dict, vote: object, comment: object = "", *, via: str) -> dict:
    """The feedback line for an answer: an Answer, or an answer record (`ask --json`, Gradio `/ask`)."""
    if not isinstance(question, str) or not question.strip():
        raise FeedbackError("Feedback needs the question that was asked.")
    chosen = VOTES.get(str(vote).strip().lower()) if isinstance(vote, (str, int)) and not isinstance(vote, bool) else None
    if chosen is None:
        raise FeedbackError(f"The vote {vote!r} is not one of up, down (or 👍, 👎).")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise FeedbackError("The comment must be text.")
    if len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackError(f"The comment is {len(comment)} characters long; keep it under {MAX_COMMENT_CHARS}.")
    if isinstance(answer, Answer):
        standalone, text, citations = answer.question, answer.text, source_records(answer)
        backend, abstained = answer.backend, answer.abstained
    elif isinstance(answer, dict) and isinstance(answer.get("answer"), str):
        standalone, text = answer.get("question") or question, answer["answer"]
        citations = answer.get("citations") if isinstance(answer.get("citations"), list) else []
        backend, abstained = str(answer.get("backend", "")), bool(answer.get("abstained", False))
    else:
        raise FeedbackError("Feedback needs the answer it is about: an object with an \"answer\" string.")
    return {
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "question": question.strip(),
        "standalone": standalone.strip() if isinstance(standalone, str) else question.strip(),
        "answer": text,
        "citations": citations,
        "backend": backend,
        "abstained": abstained,
        "vote": chosen,
        "comment": comment.strip(),
        "via": via,
    }


def record_feedback(settings: Settings, record: dict) -> dict:
    """Append a feedback line to the settings' feedback file; returns the record."""
    path = feedback_path(settings)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _write_lock, open(path, "a", encoding="utf-8") as output:
            output.write(line)
    except OSError as exc:
        raise ReportQAError(f"Cannot write the feedback file {path}: {exc.__class__.__name__}.") from None
    return record


def read_feedback(path: Path) -> list[dict]:
    """The feedback lines of a file (a line that is not a JSON object is skipped)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ReportQAError(f"No feedback yet: {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportQAError(f"Cannot read the feedback file {path}: {exc.__class__.__name__}.") from None
    rows = []
    for line in lines:
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and isinstance(row.get("question"), str):
            rows.append(row)
    return rows


def questions_from_feedback(rows: Iterable[dict]) -> list[dict]:
    """One evaluation question per distinct 👎 question, in the eval format, for a person to complete.

    `must_include`, `evidence`, `section` are left empty and `answerable` null: what the right answer
    is, and where the documents say it, is for the person to write; `feedback` holds what was answered
    and why it was wrong.
    """
    questions: dict[str, dict] = {}
    for row in rows:
        if row.get("vote") != "down":
            continue
        asked = str(row.get("standalone") or row["question"]).strip()
        entry = questions.setdefault(asked, {
            "id": f"feedback-{len(questions) + 1:03d}",
            "question": asked,
            "answerable": None,
            "must_include": [],
            "evidence": [],
            "section": "",
            "feedback": [],
        })
        entry["feedback"].append({
            "time": row.get("time"),
            "asked": row["question"],
            "answer": row.get("answer", ""),
            "abstained": row.get("abstained"),
            "cited": _cited(row.get("citations")),
            "backend": row.get("backend"),
            "comment": row.get("comment", ""),
        })
    return list(questions.values())


def _cited(citations: object) -> list[str]:
    if not isinstance(citations, Sequence):
        return []
    return [f"[{c.get('marker')}] {c.get('section')} ({c.get('source')})" for c in citations if isinstance(c, dict)]

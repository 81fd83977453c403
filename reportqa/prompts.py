"""The LLM prompts: files in `prompts/<language>/`, loaded and checked for their placeholders at start-up."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import SettingsError
from .retrieval import Passage

_TAG = re.compile(r"<(?=\s*/?\s*passage)", re.IGNORECASE)
PROMPT_DIR = Path(__file__).resolve().parent.parent / "prompts"
LANGUAGES = ("zh", "en")
# Each template and the placeholders it must use, no more and no fewer.
PLACEHOLDERS = {
    "answer_system": frozenset(),
    "answer_user": frozenset({"passages", "question"}),
    "rewrite_system": frozenset(),
    "rewrite_user": frozenset({"history", "question"}),
    # The extractive answer's lines put into the asker's language, when the documents are in the other one.
    "render_system": frozenset(),
    "render_user": frozenset({"lines"}),
    # How to shape the answer for each kind of question (answering.intent), added after the question.
    "shape_fact": frozenset(),
    "shape_list": frozenset(),
    "shape_reason": frozenset(),
    "shape_describe": frozenset(),
    "shape_summary": frozenset(),
}
# Kinds of question answered in the shape of another.
_SHAPE_OF = {"compare": "fact", "yesno": "fact"}


@dataclass(frozen=True)
class Example:
    """A worked question and cited answer, shown to the model before the real question."""

    question: str
    passages: tuple[Passage, ...]
    answer: str


@dataclass(frozen=True)
class Prompts:
    """The templates of one language."""

    language: str
    answer_system: str
    answer_user: str
    rewrite_system: str
    rewrite_user: str
    example: Example
    render_system: str = ""
    render_user: str = ""
    shape_fact: str = ""
    shape_list: str = ""
    shape_reason: str = ""
    shape_describe: str = ""
    shape_summary: str = ""

    def answer_messages(self, question: str, passages: Sequence[Passage], *, intent: str = "fact") -> list[tuple[str, str]]:
        """The (role, content) messages that ask for a cited answer from the numbered passages:
        the rules, the worked example (a question and its answer), then the question and how to shape the answer."""
        example = self.answer_user.format(passages=format_passages(self.example.passages), question=self.example.question)
        user = self.answer_user.format(passages=format_passages(passages), question=question)
        shape = getattr(self, f"shape_{_SHAPE_OF.get(intent, intent)}", "") or self.shape_fact
        if shape:
            user = f"{user}\n{shape}"
        return [("system", self.answer_system), ("user", example), ("assistant", self.example.answer), ("user", user)]

    def rewrite_messages(self, question: str, history: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """The (role, content) messages that ask to make a follow-up question standalone."""
        user = self.rewrite_user.format(history=format_history(history), question=question)
        return [("system", self.rewrite_system), ("user", user)]

    def render_messages(self, lines: Sequence[str]) -> list[tuple[str, str]]:
        """The (role, content) messages that ask to translate numbered lines of the documents into this language."""
        listed = "\n".join(f"{number}. {_data(line)}" for number, line in enumerate(lines, 1))
        return [("system", self.render_system), ("user", self.render_user.format(lines=listed))]


def load_prompts(directory: Path = PROMPT_DIR) -> dict[str, Prompts]:
    """Every language's templates, by language code.

    Raises:
        SettingsError: a template is missing, unreadable, or lacks or adds a placeholder.
    """
    return {language: _load_language(Path(directory), language) for language in LANGUAGES}


def format_passages(passages: Sequence[Passage]) -> str:
    """The passages as numbered, delimited data; tags inside their text are neutralised."""
    blocks = []
    for number, passage in enumerate(passages, 1):
        section = _data(passage.section).replace('"', "'")
        blocks.append(f'<passage id="{number}" section="{section}">\n[{number}] {_data(passage.text)}\n</passage>')
    return "\n".join(blocks)


def format_history(history: Sequence[tuple[str, str]], *, turns: int = 3, answer_chars: int = 200) -> str:
    """The last few (question, answer) turns, answers shortened."""
    lines = []
    for question, reply in list(history)[-turns:]:
        reply = reply if len(reply) <= answer_chars else reply[:answer_chars] + "…"
        lines.append(f"Q: {question}\nA: {reply}")
    return "\n".join(lines)


def _data(text: str) -> str:
    # A passage cannot open or close a passage tag and smuggle text out of its data block.
    return _TAG.sub("‹", text)


def _load_language(directory: Path, language: str) -> Prompts:
    templates = {}
    for name, required in PLACEHOLDERS.items():
        path = directory / language / f"{name}.txt"
        try:
            text = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(f"Cannot read the prompt {path} ({exc.__class__.__name__}); restore it from git.") from None
        try:
            used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        except ValueError as exc:
            raise SettingsError(f"The prompt {path} is not a valid template ({exc}); write {{{{ and }}}} for braces.") from None
        missing, unknown = required - used, used - required
        if missing:
            names = ", ".join("{" + field + "}" for field in sorted(missing))
            raise SettingsError(f"The prompt {path} lacks the placeholder {names}; add it back.")
        if unknown:
            names = ", ".join("{" + field + "}" for field in sorted(unknown))
            raise SettingsError(
                f"The prompt {path} uses {names}, which nothing fills; remove it or write {{{{ and }}}} for braces."
            )
        templates[name] = text
    return Prompts(language, **templates, example=_load_example(directory / language / "answer_example.txt"))


def _load_example(path: Path) -> Example:
    """The worked example: `question:`, `passage: section | text` (one or more) and `answer:` lines."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"Cannot read the prompt {path} ({exc.__class__.__name__}); restore it from git.") from None
    fields: dict[str, list[str]] = {"question": [], "passage": [], "answer": []}
    for line in lines:
        if line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        if colon and key.strip() in fields and value.strip():
            fields[key.strip()].append(value.strip())
    passages = []
    for number, entry in enumerate(fields["passage"], 1):
        section, bar, text = entry.rpartition("|")
        if not bar or not text.strip():
            raise SettingsError(f"The prompt {path} has a passage line without `section | text`; write it so.")
        passages.append(Passage(f"example-{number}", text.strip(), "example", section.strip(), 0.0, 0, len(text.strip())))
    if len(fields["question"]) != 1 or len(fields["answer"]) != 1 or not passages:
        raise SettingsError(
            f"The prompt {path} needs one `question:` line, one or more `passage:` lines and one `answer:` line."
        )
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", fields["answer"][0])}
    if not markers or not markers <= set(range(1, len(passages) + 1)):
        raise SettingsError(f"The answer in the prompt {path} must cite its passages as [1]..[{len(passages)}].")
    return Example(fields["question"][0], tuple(passages), fields["answer"][0])

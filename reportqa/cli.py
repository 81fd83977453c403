"""The command line: `python app.py [index|retrieve|ask|eval|serve] ...`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Callable, Iterable

from .access import is_loopback, read_auth
from .config import Settings
from .errors import ReportQAError, SettingsError
from .records import answer_record, passages_record

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; each option names the environment variable it overrides."""
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="Cited question answering over your reports, offline. Without a command, starts the web UI.",
    )
    parser.add_argument("--corpus", type=Path, help="documents folder (env REPORTQA_CORPUS, default corpus/)")
    parser.add_argument("--index", type=Path, help="index folder (env REPORTQA_INDEX, default index/)")
    parser.add_argument("--host", help="address the web UI binds (env REPORTQA_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port of the web UI (env REPORTQA_PORT, default 7860)")
    parser.add_argument(
        "--auth", metavar="USER:PASSWORD",
        help="require this login for the web UI and its API (env REPORTQA_AUTH; prefer --auth-file, "
        "since a command line is visible to other users)",
    )
    parser.add_argument(
        "--auth-file", metavar="FILE", help="read USER:PASSWORD from the first line of FILE (env REPORTQA_AUTH_FILE)"
    )
    parser.add_argument(
        "--insecure", action="store_true",
        help="serve on a non-loopback --host without a login (anyone who reaches the port can read the documents)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("serve", help="start the web UI (the default)")
    commands.add_parser("index", help="index new and changed documents, drop removed ones")

    for name, help_text in (("retrieve", "show the passages that match a question"), ("ask", "answer a question with citations")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("question", nargs="?", help="the question (or use --file)")
        command.add_argument("--file", type=Path, help="JSONL file of {\"id\", \"question\"}: one JSON result per line")
        command.add_argument("--json", action="store_true", help="print JSON")
        command.add_argument("--k", type=int, help="number of passages (env REPORTQA_TOP_K, default 5)")
        command.add_argument(
            "--doc", action="append", metavar="NAME", dest="documents",
            help="search only this document (repeat for several): its path in the corpus folder, its file name, "
            "or its file name without the extension",
        )
        if name == "ask":
            command.add_argument(
                "--llm", choices=["auto", "none", "local", "openai"],
                help="answer backend (env REPORTQA_LLM, default auto; none = extractive)",
            )
    export = commands.add_parser(
        "export", help="print a stored conversation as Markdown (without an id: list the conversations)"
    )
    export.add_argument("conversation", nargs="?", metavar="ID", help="the conversation's id, as the list shows it")
    export.add_argument("--answer", type=int, metavar="N", help="only its N-th question and answer (from 1)")
    evaluation = commands.add_parser("eval", help="score retrieval and answers on a JSONL question file")
    evaluation.add_argument(
        "file", type=Path, nargs="?", help="questions: the ../shared/eval format, or CMRC qa.jsonl with --contexts"
    )
    evaluation.add_argument(
        "--from-feedback", nargs="?", const="", metavar="FEEDBACK", type=str,
        help="instead: print the down-voted questions of the feedback file (default index/feedback.jsonl) as an eval "
        "question file for a person to complete",
    )
    evaluation.add_argument("--contexts", type=Path, help="CMRC contexts.jsonl: indexed as its own corpus in a temporary folder")
    evaluation.add_argument("--limit", type=int, help="score only the first N questions")
    evaluation.add_argument("--json", action="store_true", help="print the measures and failures as JSON")
    evaluation.add_argument(
        "--llm", choices=["auto", "none", "local", "openai"],
        help="answer backend (env REPORTQA_LLM, default auto; none = extractive)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code. User errors print one line, never a traceback."""
    arguments = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if arguments.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env(
            corpus_dir=arguments.corpus,
            index_dir=arguments.index,
            host=arguments.host,
            port=arguments.port,
            auth=arguments.auth,
            auth_file=arguments.auth_file,
            top_k=getattr(arguments, "k", None),
            llm=getattr(arguments, "llm", None),
        )
        if settings.top_k < 1:
            raise ReportQAError("--k must be at least 1.")
        command = arguments.command or "serve"
        if command == "index":
            return run_index(settings)
        if command == "serve":
            return run_serve(settings, insecure=arguments.insecure)
        if command == "eval":
            return run_eval(settings, arguments)
        if command == "export":
            return run_export(settings, arguments.conversation, arguments.answer)
        return run_questions(settings, arguments)
    except ReportQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run_index(settings: Settings) -> int:
    """Index the corpus and print the summary; documents that failed are listed. On a terminal a bar shows the
    chunks done, chunks/s and the time left."""
    from tqdm import tqdm

    from .index import build_index

    bar = None

    def show(step) -> None:
        nonlocal bar
        if step.action != "chunks":
            tqdm.write(str(step), file=sys.stderr)  # above the bar
            return
        if bar is None:  # disable=None: no bar when stderr is not a terminal (a log keeps the lines above)
            bar = tqdm(total=step.total, unit="chunk", file=sys.stderr, disable=None, dynamic_ncols=True)
        bar.update(step.number - bar.n)

    try:
        report = build_index(settings, progress=show)
    finally:
        if bar is not None:
            bar.close()
    for error in report.errors:
        print(f"skipped: {error}", file=sys.stderr)
    print(report.summary())
    return 0


def run_serve(settings: Settings, *, insecure: bool = False) -> int:
    """Start the web UI, building the index first if there is none; refuse an open non-loopback address."""
    from .index import Index
    from .ui import launch

    auth = read_auth(settings)
    if auth is None and not is_loopback(settings.host):
        if not insecure:
            raise SettingsError(
                f"--host {settings.host} makes the UI reachable from other machines; give a login with "
                "--auth-file FILE or --auth USER:PASSWORD (or state --insecure to serve without one)."
            )
        print(f"warning: serving on {settings.host} without a login (--insecure).", file=sys.stderr)
    if not settings.api_key and not is_loopback(settings.host):
        print(f"note: the OpenAI-compatible API (/v1) stays off on {settings.host} until REPORTQA_API_KEY is set.",
              file=sys.stderr)
    if not Index(settings).exists():
        print(f"No index in {settings.index_dir}/ yet: indexing {settings.corpus_dir}/ first.", file=sys.stderr)
        run_index(settings)
    launch(settings, auth=auth)
    return 0


def run_eval(settings: Settings, arguments) -> int:
    """`eval`: score the index (or a CMRC contexts file indexed on the side) on a question file."""
    import tempfile

    from .answer import Assistant
    from .evaluation import evaluate, format_report, load_questions, report_json, write_contexts
    from .index import build_index

    if arguments.from_feedback is not None:
        return run_from_feedback(settings, arguments.from_feedback)
    if arguments.file is None:
        raise ReportQAError("Give a question file: python app.py eval QUESTIONS.jsonl (or --from-feedback).")
    questions = load_questions(arguments.file)[: arguments.limit]
    if arguments.contexts is None and any(question.context_id for question in questions):
        raise ReportQAError(f"{arguments.file} is a CMRC question file: give its passages with --contexts contexts.jsonl.")
    with tempfile.TemporaryDirectory(prefix="reportqa-eval-") as scratch:
        if arguments.contexts is not None:
            corpus = Path(scratch) / "corpus"
            count = write_contexts(arguments.contexts, corpus)
            print(f"indexing {count} contexts in a temporary folder (embedding takes a while)", file=sys.stderr)
            settings = settings.replace(corpus_dir=corpus, index_dir=Path(scratch) / "index", chroma_host="")
            print(build_index(settings).summary(), file=sys.stderr)
        step = max(1, len(questions) // 10)

        def progress(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                print(f"scored {done}/{total}", file=sys.stderr, flush=True)

        report = evaluate(questions, Assistant(settings), progress=progress)
    print(json.dumps(report_json(report), ensure_ascii=False) if arguments.json else format_report(report))
    return 0


def run_export(settings: Settings, conversation_id: str | None, answer: int | None) -> int:
    """`export`: a stored conversation (or one of its answers) as Markdown; without an id, the list of them."""
    from .conversations import ConversationStore, conversations_path
    from .export import stored_markdown, turn_markdown

    store = ConversationStore(conversations_path(settings))
    if not conversation_id:
        listed = store.list(owner=None)
        for summary in listed:
            print(f"{summary.id}  {summary.updated[:16].replace('T', ' ')}  {summary.questions:>3} questions  {summary.title}")
        print(f"{len(listed)} conversations in {store.path}", file=sys.stderr)
        return 0
    conversation = store.get(conversation_id, owner=None)
    if answer is None:
        print(stored_markdown(conversation), end="")
        return 0
    if not 1 <= answer <= len(conversation.turns):
        raise ReportQAError(f"--answer {answer}: the conversation has questions 1 to {len(conversation.turns)}.")
    print(turn_markdown(conversation.turns[answer - 1], answer))
    return 0


def run_from_feedback(settings: Settings, path: str) -> int:
    """`eval --from-feedback`: the down-voted questions, one eval-format JSON line each, to complete by hand."""
    from .feedback import feedback_path, questions_from_feedback, read_feedback

    source = Path(path) if path else feedback_path(settings)
    questions = questions_from_feedback(read_feedback(source))
    for question in questions:
        print(json.dumps(question, ensure_ascii=False))
    print(
        f"{len(questions)} down-voted questions from {source}: fill in answerable, must_include, "
        "evidence and section (the feedback field says what was answered).",
        file=sys.stderr,
    )
    return 0


def run_questions(settings: Settings, arguments) -> int:
    """`retrieve` and `ask`, for one question or a JSONL file of them."""
    from .answer import Assistant

    assistant = Assistant(settings)
    documents = arguments.documents
    if arguments.file is not None:
        return _run_batch(_read_questions(arguments.file), assistant, arguments.command, documents)
    if not arguments.question:
        raise ReportQAError(f"Give a question: python app.py {arguments.command} \"...\" (or --file QUESTIONS.jsonl).")
    if arguments.command == "retrieve":
        passages = assistant.retriever.retrieve(arguments.question, documents=documents)
        if arguments.json:
            print(json.dumps(passages_record(None, arguments.question, passages), ensure_ascii=False))
        else:
            for rank, passage in enumerate(passages, 1):
                print(f"[{rank}] {passage.section} ({passage.source}) score={passage.score:.4f}\n    {passage.text}\n")
        return 0
    if arguments.json:
        result = assistant.answer(arguments.question, documents=documents)
        print(json.dumps(answer_record(None, arguments.question, result), ensure_ascii=False))
        return 0
    result = None
    bullets = _Bullets()
    for piece in assistant.stream(arguments.question, documents=documents):
        if isinstance(piece, str):
            print(bullets.feed(piece), end="", flush=True)
        else:
            result = piece
    print(bullets.held)
    if result is not None:
        for citation in result.citations:
            print(f"\n[{citation.marker}] {citation.section} ({citation.source})\n    {citation.text}")
        print(f"\n(answered by: {result.backend})")
    return 0


class _Bullets:
    """Streamed answer text for a terminal, its "- " list lines shown as indented bullets."""

    def __init__(self):
        self.held = ""  # the start of a line that may still become "- "
        self.at_line_start = True

    def feed(self, piece: str) -> str:
        shown = []
        for char in piece:
            if not self.at_line_start:
                shown.append(char)
                self.at_line_start = char == "\n"
                continue
            self.held += char
            if self.held == "- ":
                shown.append("  • ")
            elif "- ".startswith(self.held):
                continue
            else:
                shown.append(self.held)
            self.at_line_start = self.held.endswith("\n")
            self.held = ""
        return "".join(shown)


def _read_questions(path: Path) -> list[dict]:
    """The batch's question records; a bad line becomes a record that reports it in its place."""
    from .evaluation import question_records

    return [
        record or {"id": f"line-{number}", "error": f"{path}:{number} is not a JSON object with a \"question\" string."}
        for number, record in question_records(path)
    ]


def _run_batch(questions: Iterable[dict], assistant, command: str, documents: list[str] | None = None) -> int:
    failures = 0
    for record in questions:
        question_id = record.get("id")
        question = record.get("question", "")
        try:
            if "error" in record:
                raise ReportQAError(record["error"])
            if command == "retrieve":
                output = passages_record(question_id, question, assistant.retriever.retrieve(question, documents=documents))
            else:
                output = answer_record(question_id, question, assistant.answer(question, documents=documents))
        except ReportQAError as exc:
            failures += 1
            output = {"id": question_id, "question": question, "error": str(exc)}
        print(json.dumps(output, ensure_ascii=False), flush=True)
    return 1 if failures else 0

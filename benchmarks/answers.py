"""Answer quality by question set and backend: `python -m benchmarks.answers --llm none|local [--cmrc 300]`.

Sets: the shared dev questions (single facts; analyst questions), our unseen questions
(tests/data/unseen_analyst_qa.jsonl, written before the answerer and never tuned on), and the questions over each
of thirty reports of tests/data/reports (Word, PDF, Markdown, HTML and text; Chinese and English; one set per
report, named after it below). All were written before the answerer first ran on them; the last twenty-six by
writers who never saw the answerer, the last twenty-four kept unread until then, the last twenty until the end of
the round that added them or its start (tests/data/sealed/README.md).
benchmarks.calibrate fits on all but qiaoyun and marlow: how the gate does on a report it was not fitted on is its
held_out_sets (each set held out in turn); the first runs are in the README. Last, a CMRC
2018 dev sample (the first N questions over their own paragraphs; answer-level: does the answer hold a reference
answer, does a citation hold it). Prints one row per set and writes docs/answer-quality-<llm>.json.
CMRC 2018 (CC BY-SA 4.0) is read from ../shared/benchmarks/cmrc2018, never copied into the project.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import tempfile
import time
from pathlib import Path

from reportqa.answer import Assistant
from reportqa.config import Settings
from reportqa.evaluation import by_kind, evaluate, load_questions
from reportqa.index import build_index
from reportqa.loaders import list_documents, load_document
from reportqa.retrieval import Retriever

from .peers import write_corpus
from .quality import cmrc_dataset
from .run import REPO, SHARED, cached_embeddings

REPORTS = REPO / "tests" / "data" / "reports"
COLUMNS = ("must_include_recall", "citation_hit_rate", "abstention_accuracy", "median_answer_chars", "ask_p50_ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.answers", description=__doc__.splitlines()[0])
    parser.add_argument("--llm", default="none", choices=("none", "local"), help="answer backend (default none)")
    parser.add_argument("--cmrc", type=int, default=300, help="CMRC questions to ask (default 300; 0 to skip)")
    parser.add_argument("--only", action="append", help="run only the named set (repeatable)")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="reportqa-answers-") as scratch:
        base = Settings.from_env(llm=arguments.llm)
        embeddings = cached_embeddings(base)
        report = [load_document(path, REPO / "corpus") for path in list_documents(REPO / "corpus")]
        sets = {
            "seed_dev_qa": (report, load_questions(SHARED / "eval" / "seed_dev_qa.jsonl")),
            "seed_analyst_dev_qa": (report, load_questions(SHARED / "eval" / "seed_analyst_dev_qa.jsonl")),
            "unseen_analyst_qa": (report, load_questions(REPO / "tests" / "data" / "unseen_analyst_qa.jsonl")),
            # The Word file itself, so that it is read as a user's would be.
            "larkspur_qa": ([REPORTS / "larkspur-foods-2024.docx"], load_questions(REPORTS / "larkspur_qa.jsonl")),
            "qinghe_qa": ([REPORTS / "qinghe-dairy-2024.pdf"], load_questions(REPORTS / "qinghe_qa.jsonl")),
            "lanwan_qa": ([REPORTS / "lanwan-logistics-2024.md"], load_questions(REPORTS / "lanwan_qa.jsonl")),
            "corvane_qa": ([REPORTS / "corvane-networks-2024.pdf"], load_questions(REPORTS / "corvane_qa.jsonl")),
            "songyuan_qa": ([REPORTS / "songyuan-pharma-2024.docx"], load_questions(REPORTS / "songyuan_qa.jsonl")),
            "halden_qa": ([REPORTS / "halden-medical-2024.md"], load_questions(REPORTS / "halden_qa.jsonl")),
            "tidewell_qa": ([REPORTS / "tidewell-retail-2024.pdf"], load_questions(REPORTS / "tidewell_qa.jsonl")),
            "chenguang_qa": ([REPORTS / "chenguang-solar-2024.md"], load_questions(REPORTS / "chenguang_qa.jsonl")),
            "beacon_qa": ([REPORTS / "beacon-ridge-2024.html"], load_questions(REPORTS / "beacon_qa.jsonl")),
            "jinhe_qa": ([REPORTS / "jinhe-chem-2024.txt"], load_questions(REPORTS / "jinhe_qa.jsonl")),
            "qiaoyun_qa": ([REPORTS / "qiaoyun-2024.html"], load_questions(REPORTS / "qiaoyun_qa.jsonl")),
            "marlow_qa": ([REPORTS / "marlow-2024.docx"], load_questions(REPORTS / "marlow_qa.jsonl")),
            "kestrel_qa": ([REPORTS / "kestrel-airways-2024.md"], load_questions(REPORTS / "kestrel_qa.jsonl")),
            "rongchuan_qa": ([REPORTS / "rongchuan-coldchain-2024.pdf"], load_questions(REPORTS / "rongchuan_qa.jsonl")),
            "aldermoor_qa": ([REPORTS / "aldermoor-water-2024.md"], load_questions(REPORTS / "aldermoor_qa.jsonl")),
            "hailan_qa": ([REPORTS / "hailan-2024.docx"], load_questions(REPORTS / "hailan_qa.jsonl")),
            "tarrant_qa": ([REPORTS / "tarrant-signalling-2024.pdf"], load_questions(REPORTS / "tarrant_qa.jsonl")),
            "qingheseed_qa": ([REPORTS / "qinghe-seed-2024.txt"], load_questions(REPORTS / "qingheseed_qa.jsonl")),
            "pembridge_qa": ([REPORTS / "pembridge-2024.docx"], load_questions(REPORTS / "pembridge_qa.jsonl")),
            "zhiheng_qa": ([REPORTS / "zhiheng-2024.html"], load_questions(REPORTS / "zhiheng_qa.jsonl")),
            "fenwick_qa": ([REPORTS / "fenwick-2024.md"], load_questions(REPORTS / "fenwick_qa.jsonl")),
            "muxi_qa": ([REPORTS / "muxi-2024.pdf"], load_questions(REPORTS / "muxi_qa.jsonl")),
            "norrvik_qa": ([REPORTS / "norrvik-2024.html"], load_questions(REPORTS / "norrvik_qa.jsonl")),
            "qimu_qa": ([REPORTS / "qimu-2024.docx"], load_questions(REPORTS / "qimu_qa.jsonl")),
            "yunqiao_qa": ([REPORTS / "yunqiao-2024.md"], load_questions(REPORTS / "yunqiao_qa.jsonl")),
            "halvard_qa": ([REPORTS / "halvard-2024.pdf"], load_questions(REPORTS / "halvard_qa.jsonl")),
            "aldermoorhotels_qa": ([REPORTS / "aldermoor-hotels-2024.docx"],
                                   load_questions(REPORTS / "aldermoorhotels_qa.jsonl")),
            "xinglan_qa": ([REPORTS / "xinglan-2024.pdf"], load_questions(REPORTS / "xinglan_qa.jsonl")),
            "brightwater_qa": ([REPORTS / "brightwater-2024.txt"], load_questions(REPORTS / "brightwater_qa.jsonl")),
            "liyan_qa": ([REPORTS / "liyan-2024.docx"], load_questions(REPORTS / "liyan_qa.jsonl")),
        }
        if arguments.cmrc:
            documents, questions = cmrc_dataset(SHARED / "benchmarks" / "cmrc2018")
            questions = questions[: arguments.cmrc]
            wanted = {q.context_id for q in questions}
            sets[f"cmrc2018_dev_{len(questions)}"] = (
                [d for d in documents if Path(d.source).stem in wanted], questions)
        assistants: dict[int, Assistant] = {}
        for name, (documents, questions) in sets.items():
            if arguments.only and name not in arguments.only:
                continue
            key = id(documents)
            if key not in assistants:
                settings = base.replace(corpus_dir=Path(scratch) / str(key) / "corpus",
                                        index_dir=Path(scratch) / str(key) / "index")
                write_corpus([d for d in documents if not isinstance(d, Path)], settings.corpus_dir)
                for path in (d for d in documents if isinstance(d, Path)):
                    shutil.copy(path, settings.corpus_dir / path.name)
                build_index(settings, embeddings=embeddings)
                assistants[key] = Assistant(settings, retriever=Retriever(settings, embeddings=embeddings))
            started = time.perf_counter()
            report_ = evaluate(questions, assistants[key])
            row = {column: report_.metrics()[column] for column in COLUMNS}
            row["questions"] = report_.questions
            row["seconds"] = round(time.perf_counter() - started)
            row["by_kind"] = {kind: {c: part.metrics()[c] for c in COLUMNS[:3]} for kind, part in by_kind(report_).items()}
            row["failures"] = [
                {"id": r.question.id, "problems": r.problems(), "answer": (r.answer or "")[:300]} for r in report_.failures()
            ]
            print(f"{name:<24} " + "  ".join(f"{column} {row[column]}" for column in COLUMNS), flush=True)
            _save(arguments.llm, name, row)  # each set as it finishes: the local model takes long
    return 0


def _save(llm: str, name: str, row: dict) -> None:
    out = REPO / "docs" / f"answer-quality-{llm}.json"
    stored = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    stored[name] = row
    out.write_text(json.dumps(stored, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())

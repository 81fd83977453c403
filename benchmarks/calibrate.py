"""Derive the extractive answerer's numbers on data and write reportqa/answering/calibration.json.

    python -m benchmarks.calibrate [--contexts 60]

What is fitted, and on what:
- retrieval's word weight: BM25's share of the fused passage score, a grid scored by the share of asked
  facts stated by one of the top k passages (ties: their reciprocal rank), over the answerable questions
  of every group below, each group weighing the same; checked on the held-out CMRC questions and with
  each group held out;
- dense bands: the 5th and 95th percentile of each question's best question-to-sentence cosine,
  same-language and across languages;
- the English length ratio: the median length of a question translated into English over its Chinese
  length (answer lengths are set in Chinese characters);
- node weights: a grid over the weights that pick the section answering a question, scored by how
  often the chosen section is the one the question's `section` names (the labelled dev questions over
  the report and the analyst sets, each set weighing the same; each set also held out in turn);
- among how many best sentences a list question looks for one leading in to a list that names the things
  asked for: a grid scored by how often the part the answer comes from is the labelled section, over the
  labelled list questions, held out the same way;
- which part answers a question about a whole part (a list, reasons, a description, a summary): the share
  of the best sentence's score the best-ranked section must reach, and the share at which a section's
  title alone or a sentence leading to a list counts, a grid scored by how often the part the answer comes
  from is the labelled section, over the same questions and held out the same way;
- dense bands per pair of languages: Chinese, English (same language), and across languages;
- the same bands for a question against a section's heading (its best over the headings of the documents
  its passages come from), which rank_nodes uses for a title's embedding match;
- the weight of dictionary word matches in a sentence's score across languages: a grid, scored by how often
  the best sentence states the answer, over the answerable English questions (and Chinese ones of English
  reports), each group weighing the same; checked on the held-out CMRC questions and with each group held out;
  and the weight of word matches for questions in the documents' language, the same way over those;
- the share of a question's embedding taken from the question with the company put as "the company", and the
  shares taken from the question put in the documents' own words (their other names for its words, then also
  its words' translations), in retrieving and scoring sentences: grids scored the same way;
- the share of its weight a question word of the document's title (the company it is about) keeps in matching
  the document's sentences, the same way over the answerable questions of both kinds;
- how near a question must be, by embedding, to the description of a standard measure (reportqa/definitions.py)
  to name it, for Chinese and for English questions: a grid scored by how often the best sentence states the
  answer, over the answerable questions of that language, the same way;
- how many sentences of the passages' documents outside them, the nearest the question by embedding, a
  single-fact question's sentences take in: a grid scored by how often the best sentence states the answer,
  the same way;
- how many sentences a single-fact answer gives: the share of the best sentence's score a further sentence
  needs and the share of the question's words it must add, a grid scored by the F1 of answers stating the
  fact and of their sentences stating it, over the answerable single-fact questions, each group weighing
  the same; checked on the held-out CMRC questions and with each group held out;
- the abstention gates, one for questions in the documents' language and one across languages: a logistic
  model over the evidence features and the probability threshold that best separates answerable from
  unanswerable questions (balanced accuracy: answerable and unanswerable cases weigh the same, and inside
  each, every group the same), on
    the dev questions over the report (../shared/eval, tests/data/extra_qa.jsonl and
    tests/data/dev2_analyst_qa.jsonl) and over the reports of tests/data/reports with their questions (thirty
    more reports: English and Chinese; Markdown, text, Word, PDF and HTML; numbered and Markdown headings;
    ANALYST_SETS; all but qiaoyun and marlow, which are never fitted on), each also asked of the CMRC paragraphs,
    CMRC 2018 dev questions over their own paragraphs (answerable),
    CMRC questions over the report, and report questions over the CMRC paragraphs (unanswerable),
    CMRC questions over their own paragraphs with every sentence stating an answer removed (unanswerable:
    the same subject, the fact absent -- the hard case).
    and, when `python -m benchmarks.paraphrase` has made them, the CMRC questions reworded by the local LLM
    (users' questions share fewer words with the text than CMRC's do), over both, and translated into
    English (`--english`), over both and over the report.
  Each gate also gets a tentative threshold, below which it refuses: the one with the best accuracy over the
  mix of questions analysts ask (the share of answerable questions in the analyst question sets, shared
  seed_analyst_dev_qa included; most are answerable), where a refusal of an answerable question costs as
  much as an answer to an unanswerable one. Between the two thresholds the answer carries a caution.
  Every other CMRC question is held out and the thresholds are checked on those; each analyst question set
  is also held out in turn (the gate fitted without it, then measured on it): how the gate does on a
  report and wording it has not seen.
Every grid value keeps the last fit's (the calibration.json it replaces) unless another does better by more
than one question's worth of its measure: a refit on data that changed a little does not move a number for a
difference of one question either way (a tie, or 0.890 against 0.889 facts found), which is noise; a first
fit, with no file, takes the best value.
tests/data/unseen_analyst_qa.jsonl is never read here: it is what `python app.py eval` reports as unseen.
CMRC 2018 (CC BY-SA 4.0) is read from ../shared/benchmarks/cmrc2018, never copied into the project.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from reportqa.answer import Assistant
from reportqa.answering.abstention import FEATURES, answer_probability, evidence_features, evidence_strength
from reportqa.answering.answertype import asked_type
from reportqa.answering.calibration import CALIBRATION_FILE, Calibration, calibration
from reportqa.answering.evidence import SentenceScorer, rank_nodes, sentence_score
from reportqa.answering.extractive import FACT_INTENTS, MAX_ANSWER_CHARS, ExtractiveAnswerer, fact_sentences
from reportqa.answering.intent import question_intent
from reportqa.answering.types import is_chinese
from reportqa.config import Settings
from reportqa.evaluation import EvalQuestion, load_questions, normalize
from reportqa.index import build_index
from reportqa.loaders import Document, list_documents, load_document
from reportqa.retrieval import CANDIDATES, Retriever

from . import paraphrase
from .peers import write_corpus
from .quality import cmrc_dataset
from .run import cached_embeddings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
WEIGHT_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
LEXICAL_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
SUBJECT_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
WORDED_GRID = (0.0, 0.25, 0.5, 0.75)
# A title word keeps some weight: a title may name two parties ("小米与北汽合作报告"), and a question naming one
# of them must still match that one's sentences rather than the other's.
TITLE_WORD_GRID = (0.25, 0.5, 0.75, 1.0)
ELSEWHERE_GRID = (0, 1, 2, 3, 4, 6, 8)
# How near a question must be to a measure's description (reportqa/definitions.py) by embedding; similarities run
# higher between Chinese texts than between English ones.
CHINESE_DEFINITION_GRID = (0.87, 0.88, 0.89, 0.9, 0.905, 0.91, 0.92, 0.93, 0.94, 1.0)
ENGLISH_DEFINITION_GRID = (0.83, 0.84, 0.85, 0.86, 0.865, 0.87, 0.88, 0.89, 0.9, 0.92, 1.0)
LIST_LEAD_GRID = (0, 1, 2, 3, 4, 5, 6, 8)
FACT_KEEP_GRID = (0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)
FACT_GAIN_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
FACT_TYPED_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
# A section's score sums its weighted title, passage and sentence matches: it may reach a few times a sentence's.
PART_RATIO_GRID = (None, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2.0, 2.2, 2.5, 3.0, 3.5, 4.0)
PART_KEEP_GRID = (0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)
PART_INTENTS = ("list", "reason", "describe", "summary")
# A missing number or time can make an answer less likely, never more: where the data would fit it the
# other way (noise among few cases across languages), its weight stays 0.
NEGATIVE_FEATURES = frozenset({"asked_type_missing", "names_absent", "unknown_words", "premise_unstated",
                               "year_unknown", "measure_apart"})
REPORTS = REPO / "tests" / "data" / "reports"
# Analyst question sets: (name, corpus, the corpus's one document or None for the project's corpus, question
# file); each is held out in turn when the gate is checked. Every report of tests/data/reports with its questions:
# the more reports, formats and ways of asking the gate is fitted on, the less one case moves it.
ANALYST_SETS = (
    ("report dev2", "report", None, REPO / "tests" / "data" / "dev2_analyst_qa.jsonl"),
    ("northwind", "northwind", REPORTS / "northwind-annual-review.md", REPORTS / "northwind_qa.jsonl"),
    ("huayu", "huayu", REPORTS / "huayu-battery-report.txt", REPORTS / "huayu_qa.jsonl"),
    ("larkspur", "larkspur", REPORTS / "larkspur-foods-2024.docx", REPORTS / "larkspur_qa.jsonl"),
    ("qinghe", "qinghe", REPORTS / "qinghe-dairy-2024.pdf", REPORTS / "qinghe_qa.jsonl"),
    ("lanwan", "lanwan", REPORTS / "lanwan-logistics-2024.md", REPORTS / "lanwan_qa.jsonl"),
    ("corvane", "corvane", REPORTS / "corvane-networks-2024.pdf", REPORTS / "corvane_qa.jsonl"),
    ("songyuan", "songyuan", REPORTS / "songyuan-pharma-2024.docx", REPORTS / "songyuan_qa.jsonl"),
    ("halden", "halden", REPORTS / "halden-medical-2024.md", REPORTS / "halden_qa.jsonl"),
    ("tidewell", "tidewell", REPORTS / "tidewell-retail-2024.pdf", REPORTS / "tidewell_qa.jsonl"),
    ("chenguang", "chenguang", REPORTS / "chenguang-solar-2024.md", REPORTS / "chenguang_qa.jsonl"),
    ("beacon", "beacon", REPORTS / "beacon-ridge-2024.html", REPORTS / "beacon_qa.jsonl"),
    ("jinhe", "jinhe", REPORTS / "jinhe-chem-2024.txt", REPORTS / "jinhe_qa.jsonl"),
    ("kestrel", "kestrel", REPORTS / "kestrel-airways-2024.md", REPORTS / "kestrel_qa.jsonl"),
    ("rongchuan", "rongchuan", REPORTS / "rongchuan-coldchain-2024.pdf", REPORTS / "rongchuan_qa.jsonl"),
    ("aldermoor", "aldermoor", REPORTS / "aldermoor-water-2024.md", REPORTS / "aldermoor_qa.jsonl"),
    ("hailan", "hailan", REPORTS / "hailan-2024.docx", REPORTS / "hailan_qa.jsonl"),
    ("tarrant", "tarrant", REPORTS / "tarrant-signalling-2024.pdf", REPORTS / "tarrant_qa.jsonl"),
    ("qingheseed", "qingheseed", REPORTS / "qinghe-seed-2024.txt", REPORTS / "qingheseed_qa.jsonl"),
    ("pembridge", "pembridge", REPORTS / "pembridge-2024.docx", REPORTS / "pembridge_qa.jsonl"),
    ("zhiheng", "zhiheng", REPORTS / "zhiheng-2024.html", REPORTS / "zhiheng_qa.jsonl"),
    ("fenwick", "fenwick", REPORTS / "fenwick-2024.md", REPORTS / "fenwick_qa.jsonl"),
    ("muxi", "muxi", REPORTS / "muxi-2024.pdf", REPORTS / "muxi_qa.jsonl"),
    ("norrvik", "norrvik", REPORTS / "norrvik-2024.html", REPORTS / "norrvik_qa.jsonl"),
    ("qimu", "qimu", REPORTS / "qimu-2024.docx", REPORTS / "qimu_qa.jsonl"),
    ("yunqiao", "yunqiao", REPORTS / "yunqiao-2024.md", REPORTS / "yunqiao_qa.jsonl"),
    ("halvard", "halvard", REPORTS / "halvard-2024.pdf", REPORTS / "halvard_qa.jsonl"),
    ("aldermoorhotels", "aldermoorhotels", REPORTS / "aldermoor-hotels-2024.docx", REPORTS / "aldermoorhotels_qa.jsonl"),
    ("xinglan", "xinglan", REPORTS / "xinglan-2024.pdf", REPORTS / "xinglan_qa.jsonl"),
    ("brightwater", "brightwater", REPORTS / "brightwater-2024.txt", REPORTS / "brightwater_qa.jsonl"),
    ("liyan", "liyan", REPORTS / "liyan-2024.docx", REPORTS / "liyan_qa.jsonl"),
)


@dataclass(frozen=True)
class Case:
    """A question asked of one corpus, whether that corpus answers it, and the measured evidence."""

    question: EvalQuestion
    corpus: str
    answerable: bool
    cross_lingual: bool
    held_out: bool
    group: str  # cases of a group weigh together as much as any other group of their class
    question_set: str = ""  # the analyst question set it comes from, if any
    best_dense: float = 0.0
    strength: float = 0.0
    features: tuple[float, ...] = ()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contexts", type=int, default=60, help="CMRC paragraphs to use (default 60)")
    parser.add_argument("--cases", type=Path, help="also write every case with its features to this JSONL file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reportqa-calibrate-") as scratch:
        root = Path(scratch)
        base = Settings.from_env(llm="none", abstain_threshold=None)
        embeddings = cached_embeddings(base)
        report_docs = [load_document(path, REPO / "corpus") for path in list_documents(REPO / "corpus")]
        cmrc_docs, cmrc_questions = cmrc_dataset(SHARED / "benchmarks" / "cmrc2018", contexts=args.contexts)
        redacted = {Path(d.source).stem for d in cmrc_docs[: len(cmrc_docs) // 2]}
        assistants = {
            "report": _assistant(root / "report", report_docs, base, embeddings),
            "cmrc": _assistant(root / "cmrc", cmrc_docs, base, embeddings),
            "cmrc-redacted": _assistant(root / "cmrc-redacted", _redact(cmrc_docs, cmrc_questions, redacted),
                                        base, embeddings),
        }
        CHINESE_CORPORA.update(report=True, cmrc=True, **{"cmrc-redacted": True})
        for _, corpus, path, _ in ANALYST_SETS:
            if path is not None:
                document = load_document(path, path.parent)
                assistants[corpus] = _assistant(root / corpus, [], base, embeddings, files=[path])
                CHINESE_CORPORA[corpus] = _chinese(document.text)
        dev = (load_questions(SHARED / "eval" / "seed_dev_qa.jsonl")
               + load_questions(SHARED / "eval" / "seed_analyst_dev_qa.jsonl")
               + load_questions(REPO / "tests" / "data" / "extra_qa.jsonl"))
        analyst = {name: (corpus, _labelled(load_questions(path), assistants[corpus]))
                   for name, corpus, _, path in ANALYST_SETS}
        asked = [q for _, questions in analyst.values() for q in questions] + load_questions(
            SHARED / "eval" / "seed_analyst_dev_qa.jsonl")
        answerable_share = round(sum(q.answerable for q in asked) / len(asked), 3)
        own = {"report": dev, **{name: questions for name, (_, questions) in analyst.items()}}
        corpus_of = {"report": "report", **{name: corpus for name, (corpus, _) in analyst.items()}}
        removed = _part_removed_cases(own, corpus_of, assistants, root, base, embeddings)
        cases = _cases(dev, analyst, cmrc_questions, redacted, paraphrase.load(base),
                       paraphrase.load(base, english=True)) + removed
        print(f"{len(cases)} cases: {sum(c.answerable for c in cases)} answerable; "
              f"{sum(c.held_out for c in cases)} held out", flush=True)

        previous = calibration() if CALIBRATION_FILE.exists() else None  # read before it is replaced
        fitted = Calibration()
        translations = paraphrase.load(base, english=True)
        if len(translations) >= 20:
            fitted = replace(fitted, english_length_ratio=round(float(np.median(
                [len(english) / len(chinese) for chinese, english in translations.items()])), 2))
        fitted, retrieval = _fit_retrieval_lexical(cases, assistants, fitted, previous)
        fitted = _fit_bands(cases, assistants, fitted)
        fitted, cross_lexical = _fit_lexical_share(cases, assistants, fitted, previous, cross_lingual=True)
        fitted, same_lexical = _fit_lexical_share(cases, assistants, fitted, previous, cross_lingual=False)
        fitted, subject_query = _fit_subject_query_share(cases, assistants, fitted, previous)
        fitted, worded_query = _fit_worded_query_share(cases, assistants, fitted, previous, translated=False)
        fitted, translated_query = _fit_worded_query_share(cases, assistants, fitted, previous, translated=True)
        fitted, subject = _fit_subject_weight(cases, assistants, fitted, previous)
        fitted, definition = _fit_definitions(cases, assistants, fitted, previous)
        fitted, elsewhere = _fit_elsewhere(cases, assistants, fitted, previous)
        fitted, fact_choice = _fit_fact_sentences(cases, assistants, fitted, previous)
        labelled = {"report": [(q, assistants["report"]) for q in dev if q.answerable and q.section]}
        for name, (corpus, questions) in analyst.items():
            labelled[name] = [(q, assistants[corpus]) for q in questions if q.answerable and q.section]
        fitted, node_choice = _fit_node_weights(labelled, fitted, previous)
        fitted, node_choice["part_choice"] = _fit_part_choice(labelled, fitted, previous)
        fitted, node_choice["list_lead_sentences"] = _fit_list_lead(labelled, fitted, previous)
        cases = [_measure(case, assistants, fitted) for case in cases]
        fitted, thresholds = _fit_thresholds(cases, fitted, answerable_share, previous)
        thresholds["answerable_share_of_analyst_questions"] = answerable_share
        thresholds["held_out_sets"] = {name: _held_out_set(cases, name, fitted, answerable_share) for name in analyst}
        if args.cases:
            with args.cases.open("w", encoding="utf-8") as out:
                for case in cases:
                    out.write(json.dumps({"id": case.question.id, "question": case.question.question,
                                          "group": case.group, "answerable": case.answerable,
                                          "cross_lingual": case.cross_lingual, "held_out": case.held_out,
                                          "set": case.question_set,
                                          "strength": case.strength, "features": case.features},
                                         ensure_ascii=False) + "\n")
    result = {
        "fitted": {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(fitted).items()},
        "measured": {"retrieval_lexical": retrieval, "node_choice": node_choice, "cross_lingual_lexical": cross_lexical,
                     "same_language_lexical": same_lexical, "subject_weight": subject,
                     "subject_query_share": subject_query, "worded_query_share": worded_query,
                     "translated_query_share": translated_query, "definition_similarity": definition,
                     "elsewhere_sentences": elsewhere,
                     "fact_sentences": fact_choice, **thresholds,
                     "cmrc_contexts": args.contexts, "seconds": round(time.perf_counter() - started)},
        "how": "python -m benchmarks.calibrate; see its docstring for the data",
    }
    CALIBRATION_FILE.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def _assistant(root: Path, documents: list[Document], base: Settings, embeddings, *,
               files: list[Path] = ()) -> Assistant:
    """An extractive assistant over the documents (as text) and the files (copied as they are: a Word file or a
    PDF keeps the structure its loader reads)."""
    settings = base.replace(corpus_dir=root / "corpus", index_dir=root / "index")
    write_corpus(documents, settings.corpus_dir)
    for path in files:
        shutil.copy(path, settings.corpus_dir / path.name)
    build_index(settings, embeddings=embeddings)
    retriever = Retriever(settings, embeddings=embeddings)
    return Assistant(settings, retriever=retriever, backend=ExtractiveAnswerer(settings, retriever))


def _part_removed_cases(sets: dict[str, list[EvalQuestion]], corpus_of: dict[str, str], assistants: dict,
                        root: Path, base: Settings, embeddings) -> list[Case]:
    """Questions about a part of a report asked of the report without that part (each top-level section
    removed in turn): the same subject, the asked part absent -- the hard case for a list, reasons or a
    description. Adds an assistant for each such report to `assistants`."""
    from reportqa.tree import document_tree

    cases = []
    for corpus in sorted(set(corpus_of.values())):
        source, text = _corpus_text(assistants[corpus])
        tree = document_tree(Document(source, text))
        top = [node for node in tree.children(tree.nodes[0]) if node.kind == "heading"]
        if len(top) == 1:  # a title heading over the sections
            top = [node for node in tree.children(top[0]) if node.kind == "heading"]
        for number, part in enumerate(top):
            kept = text[: part.start] + text[part.end :]
            asked = [
                (name, q) for name, questions in sets.items() if corpus_of[name] == corpus
                for q in questions if q.answerable and q.section and q.evidence
                and _within(tree, q.section, part) and not any(normalize(e) in normalize(kept) for e in q.evidence)
            ]
            if not asked:
                continue
            key = f"{corpus}-without-{number}"
            # A Word file or a PDF is written as the text its loader read (its headings as the chunker reads them).
            name = source if Path(source).suffix.lower() in (".txt", ".md") else source + ".txt"
            assistants[key] = _assistant(root / key, [Document(name, kept)], base, embeddings)
            CHINESE_CORPORA[key] = CHINESE_CORPORA[corpus]
            cases.extend(_case(q, key, False, False, f"{name} questions, asked part removed",
                               "" if name == "report" else name) for name, q in asked)
    print(f"{len(cases)} questions asked of their report without the part that answers them", flush=True)
    return cases


def _corpus_text(assistant: Assistant) -> tuple[str, str]:
    """The one document of a single-report corpus: (source, text)."""
    [path] = list_documents(assistant.settings.corpus_dir)
    document = load_document(path, assistant.settings.corpus_dir)
    return document.source, document.text


def _within(tree, label: str, part) -> bool:
    """Whether the section a question's label names lies inside the part."""
    return any(_same_section(tree, node, label) and part.start <= node.start and node.end <= part.end
               for node in tree.headings())


def _redact(documents: list[Document], questions: list[EvalQuestion], redacted: set[str]) -> list[Document]:
    """The documents, those named in `redacted` without every sentence that states an answer to one of their
    questions: the same subject, the asked facts absent (the hard case for abstention)."""
    from reportqa.chunking import split_sentences

    answers: dict[str, list[str]] = {}
    for question in questions:
        answers.setdefault(question.context_id, []).extend(normalize(a) for a in question.evidence)
    result = []
    for document in documents:
        stem = Path(document.source).stem
        if stem not in redacted:
            result.append(document)
            continue
        kept = [document.text[start:end] for start, end in split_sentences(document.text)
                if not any(_shares_half(answer, normalize(document.text[start:end])) for answer in answers.get(stem, []))]
        result.append(Document(document.source, "".join(kept)))
    return result


def _shares_half(answer: str, sentence: str) -> bool:
    """Whether the sentence holds the answer or any part of it at least half its length ("21号线" of
    "上海轨道交通21号线"): such a sentence may still answer the question."""
    if not answer:
        return False
    size = max(2, (len(answer) + 1) // 2)
    return any(answer[i : i + size] in sentence for i in range(len(answer) - size + 1))


CHINESE_CORPORA: dict[str, bool] = {}  # whether each corpus is in Chinese, filled as main builds them


def _case(q: EvalQuestion, corpus: str, answerable: bool, held_out: bool, group: str, question_set: str = "") -> Case:
    return Case(q, corpus, answerable, _chinese(q.question) != CHINESE_CORPORA[corpus], held_out, group, question_set)


def _cases(dev: list[EvalQuestion], analyst: dict[str, tuple[str, list[EvalQuestion]]], cmrc: list[EvalQuestion],
           redacted: set[str], reworded: dict[str, str], english: dict[str, str]) -> list[Case]:
    cases = []
    for q in dev:
        cases.append(_case(q, "report", q.answerable, False,
                           "report questions" if q.answerable else "report questions it does not answer"))
        cases.append(_case(q, "cmrc", False, False, "questions over another corpus"))
    for name, (corpus, questions) in analyst.items():
        for q in questions:
            cases.append(_case(q, corpus, q.answerable, False, f"{name} questions" if q.answerable
                               else f"{name} questions it does not answer", name))
            cases.append(_case(q, "cmrc", False, False, "questions over another corpus", name))
    for number, q in enumerate(cmrc):
        held_out = number % 2 == 1
        cases.append(_case(q, "cmrc", True, held_out, "CMRC questions"))
        cases.append(_case(q, "report", False, held_out, "questions over another corpus"))
        if q.context_id in redacted:
            cases.append(_case(q, "cmrc-redacted", False, held_out, "CMRC questions, asked fact removed"))
        if q.question in reworded:  # the same question in other words (benchmarks/paraphrase.py)
            other = replace(q, question=reworded[q.question])
            cases.append(_case(other, "cmrc", True, held_out, "CMRC questions reworded"))
            if q.context_id in redacted:
                cases.append(_case(other, "cmrc-redacted", False, held_out,
                                   "CMRC questions reworded, asked fact removed"))
        if q.question in english:  # the same question in English (benchmarks/paraphrase.py --english)
            other = replace(q, question=english[q.question])
            cases.append(_case(other, "cmrc", True, held_out, "CMRC questions in English"))
            cases.append(_case(other, "report", False, held_out, "English questions over another corpus"))
            if q.context_id in redacted:
                cases.append(_case(other, "cmrc-redacted", False, held_out,
                                   "CMRC questions in English, asked fact removed"))
    return cases


def _chinese(text: str) -> bool:
    return is_chinese(text)


def _steady(grid, key, incumbent, margin):
    """The grid value with the best key (a tuple, its first element the measure); the incumbent, the last fit's
    value, while no value beats its measure by more than `margin` (one question's worth), or by more than
    `margin(best, incumbent)` when it is a function (`_noise`)."""
    best = max(grid, key=key)
    if incumbent is None or incumbent not in grid:
        return best
    allowed = margin(best, incumbent) if callable(margin) else margin
    return incumbent if key(best)[0] - key(incumbent)[0] <= allowed else best


def _noise(groups: list[list], outcome) -> object:
    """The margin for `_steady` of a measure that averages per-question outcomes (`outcome(row, value)`, 0..1)
    within each group, then over the groups: one question's worth, or the standard error of the difference
    between two values' measures on the same questions, whichever is larger. A refit on the same kind of
    data keeps the last value against a difference that other questions of the same kinds could reverse
    (0.652 against 0.648 of best sentences stating the answer, where the held-out questions put them the other
    way round, 0.868 against 0.882, and a report set nobody fitted on lost 0.09 of its facts)."""
    groups = [group for group in groups if group]

    def margin(best, incumbent) -> float:
        variance = 0.0
        for group in groups:
            differences = np.array([outcome(row, best) - outcome(row, incumbent) for row in group], dtype=float)
            if len(differences) > 1:
                variance += differences.var(ddof=1) / len(differences)
        return max(_one_question(groups), float(np.sqrt(variance)) / len(groups)) if groups else 0.0

    return margin


def _one_question(groups) -> float:
    """What one question weighs in a measure averaged over groups, each group weighing the same: in the
    largest group, the least."""
    sizes = [len(group) for group in groups if group]
    return 1.0 / (len(sizes) * max(sizes)) if sizes else 0.0


def _fit_retrieval_lexical(cases: list[Case], assistants: dict, fitted: Calibration,
                           previous: Calibration | None = None) -> tuple[Calibration, dict]:
    """BM25's share of the fused passage score: the grid value under which most asked facts are stated by one
    of the top k passages (what the answerer reads), ties going to the higher reciprocal rank of the first
    passage stating each, over the answerable questions not held out, each group weighing the same; checked
    on the held-out ones and with each group held out in turn. Sets it on every assistant's retriever."""
    rows: dict[str, list[tuple]] = {}
    held: list[tuple] = []
    for case in cases:
        if not (case.answerable and case.question.must_include):
            continue
        retriever = assistants[case.corpus].retriever
        question = case.question.question
        snapshot = retriever.snapshot()
        scored = (retriever.dense_scores(question, snapshot, CANDIDATES),
                  retriever.lexical_scores(question, snapshot, CANDIDATES))
        (held if case.held_out else rows.setdefault(case.group, [])).append((case.question, retriever, scored))

    def found(row: tuple, weight: float) -> tuple[float, float]:
        """The share of the question's facts the top k passages state, and their mean reciprocal rank."""
        question, retriever, (dense, lexical) = row
        snapshot = retriever.snapshot()
        top = [normalize(snapshot.chunks[chunk_id].text) for chunk_id, _ in
               retriever.fuse(question.question, snapshot, dense, lexical, weight)[:retriever.settings.top_k]]
        ranks = [next((rank for rank, text in enumerate(top, 1) if _holds(fact, text)), None)
                 for fact in question.must_include]
        return (float(np.mean([rank is not None for rank in ranks])),
                float(np.mean([1 / rank if rank else 0.0 for rank in ranks])))

    def score(groups: list[list[tuple]], weight: float) -> tuple[float, float]:
        per_group = [np.mean([found(row, weight) for row in group], axis=0) for group in groups if group]
        return tuple(round(float(value), 3) for value in np.mean(per_group, axis=0)) if per_group else (0.0, 0.0)

    def best(groups: list[list[tuple]]) -> float:
        return max(LEXICAL_GRID, key=lambda w: score(groups, w))

    groups = list(rows.values())
    weight = _steady(LEXICAL_GRID, lambda w: score(groups, w), previous and previous.retrieval_lexical,
                     _noise(groups, lambda row, w: found(row, w)[0]))
    measured = {
        "questions": {group: len(asked) for group, asked in rows.items()}, "weight": weight, "best": best(groups),
        "facts_in_top_k_and_reciprocal_rank": {str(w): score(list(rows.values()), w) for w in LEXICAL_GRID},
        "held_out": {"questions": len(held), "by_weight": {str(w): score([held], w) for w in LEXICAL_GRID}},
        "each_group_held_out": {
            group: {"weight": (w := best([g for n, g in rows.items() if n != group])), "fitted": score([rows[group]], w)}
            for group in rows
        },
    }
    print(f"retrieval word weight {weight}: {measured}", flush=True)
    for assistant in assistants.values():
        assistant.retriever.lexical_weight = weight
    return replace(fitted, retrieval_lexical=weight), measured


def _scorers(assistants: dict, fitted: Calibration) -> dict[str, SentenceScorer]:
    """A sentence scorer per corpus with the numbers fitted so far, not the answerer's (the calibration.json being
    replaced): what a fit measures must not depend on the last fit's later numbers (its elsewhere_sentences
    would add sentences to the ones the word weight is fitted on)."""
    return {corpus: SentenceScorer(assistant.retriever, fitted) for corpus, assistant in assistants.items()}


def _fit_bands(cases: list[Case], assistants: dict, fitted: Calibration) -> Calibration:
    """Percentile bands of each question's best question-to-sentence cosine, and of its best question-to-heading
    cosine over the headings of the documents its passages come from, per pair of languages."""
    kinds = ("dense_band", "english_dense_band", "cross_lingual_dense_band")
    best: dict[str, list[float]] = {key: [] for kind in kinds for key in (kind, kind.replace("dense", "heading_dense"))}
    scorers = _scorers(assistants, fitted)
    for case in cases:
        if case.held_out:
            continue
        assistant = assistants[case.corpus]
        question = case.question.question
        passages = assistant.retriever.retrieve(question)
        sentences = scorers[case.corpus].score(question, passages)
        key = ("cross_lingual_dense_band" if case.cross_lingual
               else "dense_band" if _chinese(question) else "english_dense_band")
        if sentences:
            best[key].append(max(s.dense for s in sentences))
        query = np.asarray(assistant.retriever.query_vector(question), dtype=np.float32)
        trees = {p.source: assistant.retriever.tree(p.source) for p in passages}
        headings = [float(np.dot(query, vector)) for tree in trees.values() if tree is not None
                    for index, vector in tree.heading_vectors.items() if not tree.is_whole(tree.nodes[index])]
        if headings:
            best[key.replace("dense", "heading_dense")].append(max(headings))
    band = lambda values: (round(float(np.percentile(values, 5)), 3), round(float(np.percentile(values, 95)), 3))
    print("bands from " + ", ".join(f"{len(values)} questions ({key})" for key, values in best.items()), flush=True)
    return replace(fitted, **{key: band(values) for key, values in best.items() if len(values) >= 10})


def _fit_lexical_share(cases: list[Case], assistants: dict, fitted: Calibration,
                       previous: Calibration | None = None, *, cross_lingual: bool) -> tuple[Calibration, dict]:
    """The weight of word matches in a sentence's score (the rest: the embedding), across languages (dictionary
    translations) or in the documents' language, under which the best sentence most often states the answer
    (a `must_include` fact), over the answerable questions of that kind not held out, each group weighing the
    same; checked on the held-out ones and with each group held out in turn."""
    rows: dict[str, list[list]] = {}
    held: list[list] = []
    scorers = _scorers(assistants, fitted)  # the bands just fitted
    for case in cases:
        if not (case.cross_lingual == cross_lingual and case.answerable and case.question.must_include):
            continue
        assistant = assistants[case.corpus]
        question = case.question.question
        passages = assistant.retriever.retrieve(question)
        scorer = scorers[case.corpus]
        sentences = [(scorer.dense_scaled(s.dense, cross_lingual, question), s.lexical, s.passage_rank,
                      _states(case.question, s.text))
                     for s in scorer.score(question, passages)]
        (held if case.held_out else rows.setdefault(case.group, [])).append(sentences)

    def right(sentences: list, weight: float) -> bool:
        best = max(sentences, key=lambda s: sentence_score(s[0], s[1], s[2], weight), default=None)
        return best is not None and best[3]

    def accuracy(groups: list[list[list]], weight: float) -> float:
        return float(np.mean([np.mean([right(s, weight) for s in group]) for group in groups if group] or [0.0]))

    if sum(len(group) for group in rows.values()) < 20:
        return fitted, {"questions": sum(len(group) for group in rows.values()), "fitted": False}
    groups = list(rows.values())
    incumbent = None if previous is None else (
        previous.cross_lingual_lexical if cross_lingual else previous.same_language_lexical)
    weight = _steady(LEXICAL_GRID, lambda w: (accuracy(groups, w), -w), incumbent, _noise(groups, lambda row, w: float(right(row, w))))
    measured = {
        "questions": {group: len(found) for group, found in rows.items()}, "weight": weight,
        "best": max(LEXICAL_GRID, key=lambda w: (accuracy(groups, w), -w)),
        "best_sentence_states_the_answer": {str(w): round(accuracy(list(rows.values()), w), 3) for w in LEXICAL_GRID},
        "held_out": {"questions": len(held), "embedding_only": round(accuracy([held], 0.0), 3),
                     "fitted": round(accuracy([held], weight), 3),
                     "by_weight": {str(w): round(accuracy([held], w), 3) for w in LEXICAL_GRID}},
        # Each group fitted without it, then measured on it.
        "each_group_held_out": {
            group: {"weight": (w := max(LEXICAL_GRID, key=lambda w: (accuracy([g for n, g in rows.items() if n != group], w), -w))),
                    "embedding_only": round(accuracy([rows[group]], 0.0), 3), "fitted": round(accuracy([rows[group]], w), 3)}
            for group in rows
        },
    }
    print(f"{'cross-language' if cross_lingual else 'same-language'} word weight {weight}: {measured}", flush=True)
    if cross_lingual:
        return replace(fitted, cross_lingual_lexical=weight), measured
    return replace(fitted, same_language_lexical=weight), measured


def _fit_subject_weight(cases: list[Case], assistants: dict, fitted: Calibration,
                        previous: Calibration | None = None) -> tuple[Calibration, dict]:
    """The share of its IDF a question word of the document's title keeps in matching the document's sentences,
    under which the best sentence most often states the answer (a `must_include` fact), over the answerable
    questions not held out (both languages), each group weighing the same; checked on the held-out ones."""
    def best_sentence(assistant, question: str, passages, weight: float):
        answerer = ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=replace(fitted, subject_weight=weight))
        return answerer.score_sentences(question, passages)[:1]

    incumbent = None if previous is None else previous.subject_weight
    weight, measured = _fit_by_best_sentence(cases, assistants, TITLE_WORD_GRID, incumbent, best_sentence)
    print(f"title word weight {weight}: {measured}", flush=True)
    return replace(fitted, subject_weight=weight), measured


def _fit_subject_query_share(cases: list[Case], assistants: dict, fitted: Calibration,
                             previous: Calibration | None = None) -> tuple[Calibration, dict]:
    """The share of a question's embedding taken from the question with the report's company put as "the
    company" (reportqa.subject), in retrieving passages and scoring their sentences, under which the best
    sentence most often states the answer, measured as for `_fit_subject_weight`; every retriever keeps it."""
    answerers = {}

    def best_sentence(assistant, question: str, _, share: float):
        assistant.retriever.subject_share = share
        answerer = answerers.setdefault(id(assistant), ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=fitted))
        return answerer.score_sentences(question, assistant.retriever.retrieve(question))[:1]

    incumbent = None if previous is None else previous.subject_query_share
    share, measured = _fit_by_best_sentence(cases, assistants, SUBJECT_GRID, incumbent, best_sentence)
    for assistant in assistants.values():
        assistant.retriever.subject_share = share
    print(f"subject-neutral query share {share}: {measured}", flush=True)
    return replace(fitted, subject_query_share=share), measured


def _fit_worded_query_share(cases: list[Case], assistants: dict, fitted: Calibration,
                            previous: Calibration | None = None, *, translated: bool) -> tuple[Calibration, dict]:
    """The share of a question's embedding taken from the question put in the documents' words (Retriever.worded;
    `translated`: also by its words' translations), in retrieving passages and scoring their sentences, under
    which the best sentence most often states the answer, measured as for `_fit_subject_weight`; every retriever
    keeps it. A tie goes to the smaller share: the question as asked."""
    attribute, field = ("translated_share", "translated_query_share") if translated else ("worded_share", "worded_query_share")
    answerers = {}

    def best_sentence(assistant, question: str, _, share: float):
        setattr(assistant.retriever, attribute, share)
        answerer = answerers.setdefault(id(assistant), ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=fitted))
        return answerer.score_sentences(question, assistant.retriever.retrieve(question))[:1]

    incumbent = None if previous is None else getattr(previous, field)
    share, measured = _fit_by_best_sentence(cases, assistants, WORDED_GRID, incumbent, best_sentence, tie_to_smaller=True)
    for assistant in assistants.values():
        setattr(assistant.retriever, attribute, share)
    print(f"{'translated' if translated else 'worded'} query share {share}: {measured}", flush=True)
    return replace(fitted, **{field: share}), measured


def _fit_elsewhere(cases: list[Case], assistants: dict, fitted: Calibration,
                   previous: Calibration | None = None) -> tuple[Calibration, dict]:
    """How many sentences of the passages' documents outside them, the nearest the question by embedding, a
    single-fact question's sentences take in (SentenceScorer.nearest_elsewhere), under which the best sentence
    most often states the answer, measured as for `_fit_subject_weight`."""
    def best_sentence(assistant, question: str, passages, n: int):
        answerer = ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=replace(fitted, elsewhere_sentences=n))
        return answerer.score_sentences(question, passages)[:1]

    incumbent = None if previous is None else previous.elsewhere_sentences
    # A tie goes to fewer sentences: each one more can only add a sentence that outscores the answer.
    n, measured = _fit_by_best_sentence(cases, assistants, ELSEWHERE_GRID, incumbent, best_sentence, tie_to_smaller=True)
    print(f"sentences from elsewhere in the documents {n}: {measured}", flush=True)
    return replace(fitted, elsewhere_sentences=n), measured


def _fit_definitions(cases: list[Case], assistants: dict, fitted: Calibration,
                     previous: Calibration | None = None) -> tuple[Calibration, dict]:
    """How near a Chinese question, then an English one, must be to a standard measure's description to name
    the measure (SentenceScorer.described), under which the best sentence most often states the answer, over
    the questions of that language (a tie goes to the nearer: fewer measures named)."""
    measured = {}
    for position, (language, grid) in enumerate((("chinese", CHINESE_DEFINITION_GRID),
                                                  ("english", ENGLISH_DEFINITION_GRID))):
        chinese = language == "chinese"
        among = [case for case in cases if is_chinese(case.question.question) == chinese]

        def best_sentence(assistant, question: str, passages, value: float, position=position):
            similarity = list(fitted.definition_similarity)
            similarity[position] = value
            answerer = ExtractiveAnswerer(assistant.settings, assistant.retriever,
                                          fitted=replace(fitted, definition_similarity=tuple(similarity)))
            return answerer.score_sentences(question, passages)[:1]

        incumbent = None if previous is None else previous.definition_similarity[position]
        value, measured[language] = _fit_by_best_sentence(among, assistants, grid, incumbent, best_sentence)
        similarity = list(fitted.definition_similarity)
        similarity[position] = value
        fitted = replace(fitted, definition_similarity=tuple(similarity))
        print(f"{language} questions name a measure they describe from similarity {value}: {measured[language]}",
              flush=True)
    return fitted, measured


def _fit_by_best_sentence(cases: list[Case], assistants: dict, grid, incumbent, best_sentence, *,
                          tie_to_smaller: bool = False) -> tuple[float, dict]:
    """The grid value under which `best_sentence(assistant, question, passages, value)` most often states the
    answer, over the answerable questions not held out, each group weighing the same (`_steady`; a tie goes to
    the larger value, or with `tie_to_smaller` the smaller), with the measure by value, on the held-out
    questions and in each group."""
    rows: dict[str, list[list[bool]]] = {}
    held: list[list[bool]] = []
    for case in cases:
        if not (case.answerable and case.question.must_include):
            continue
        assistant = assistants[case.corpus]
        question = case.question.question
        passages = assistant.retriever.retrieve(question)
        found = []
        for value in grid:
            best = best_sentence(assistant, question, passages, value)
            found.append(bool(best) and _states(case.question, best[0].text))
        (held if case.held_out else rows.setdefault(case.group, [])).append(found)

    def accuracy(groups: list[list[list[bool]]], column: int) -> float:
        return float(np.mean([np.mean([found[column] for found in group]) for group in groups if group] or [0.0]))

    groups = list(rows.values())
    column = {value: number for number, value in enumerate(grid)}
    value = _steady(grid, lambda v: (accuracy(groups, column[v]), -v if tie_to_smaller else v), incumbent,
                    _noise(groups, lambda found, v: float(found[column[v]])))
    measured = {
        "questions": {group: len(found) for group, found in rows.items()}, "value": value,
        "best_sentence_states_the_answer": {str(v): round(accuracy(groups, column[v]), 3) for v in grid},
        "held_out": {"questions": len(held),
                     "by_value": {str(v): round(accuracy([held], column[v]), 3) for v in grid}},
        "each_group": {group: {str(v): round(accuracy([rows[group]], column[v]), 3) for v in grid}
                       for group in rows},
    }
    return value, measured


def _fit_fact_sentences(cases: list[Case], assistants: dict, fitted: Calibration,
                        previous: Calibration | None = None) -> tuple[Calibration, dict]:
    """The share of the best sentence's score a further sentence of a single-fact answer needs, the share
    of the question's words it must add, and the share a sentence holding what the question asks for (a
    length, a year) needs to lead when the best one does not hold it: the triple with the best F1 of how
    often the answer states the fact (recall) and how many of its sentences state it (precision: each
    sentence more is more to read), over the answerable single-fact questions not held out, each group
    weighing the same; checked on the held-out ones and with each group held out in turn. (F2, weighing
    recall twice, picks 0.7 and 0: two sentences or more in every answer, half of them not stating the fact.)"""
    rows: dict[str, list] = {}
    held: list = []
    for case in cases:
        question = case.question.question
        if not (case.answerable and case.question.must_include) or question_intent(question) not in FACT_INTENTS:
            continue
        assistant = assistants[case.corpus]
        answerer = ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=fitted)
        sentences = answerer.score_sentences(question, assistant.retriever.retrieve(question))
        if sentences:
            entry = (sentences, {(s.source, s.start) for s in sentences if _states(case.question, s.text)},
                     lambda text, answerer=answerer: answerer.chars(MAX_ANSWER_CHARS, text), asked_type(question))
            (held if case.held_out else rows.setdefault(case.group, [])).append(entry)

    def measured(entries: list, keep: float, gain: float, typed: float) -> tuple[float, float, float]:
        """(recall, precision, sentences per answer) over the entries."""
        answers = [(fact_sentences(sentences, keep_ratio=keep, min_gain=gain, max_chars=limit, kind=kind,
                                   typed_ratio=typed), stating)
                   for sentences, stating, limit, kind in entries]
        states = [[(s.source, s.start) in stating for s in chosen] for chosen, stating in answers]
        return (float(np.mean([any(found) for found in states])), float(np.mean([np.mean(found) for found in states])),
                float(np.mean([len(found) for found in states])))

    def f1(groups: list[list], *triple: float) -> float:
        recall, precision = np.mean([measured(group, *triple)[:2] for group in groups if group], axis=0)
        return float(2 * recall * precision / (recall + precision)) if recall + precision else 0.0

    def best(groups: list[list]) -> tuple[float, float, float]:
        return max(itertools.product(FACT_KEEP_GRID, FACT_GAIN_GRID, FACT_TYPED_GRID),
                   key=lambda triple: (round(f1(groups, *triple), 4), *triple))

    def described(entries: list, triple: tuple[float, float, float]) -> dict:
        recall, precision, per_answer = measured(entries, *triple)
        return {"states_the_fact": round(recall, 3), "sentences_stating_it": round(precision, 3),
                "sentences": round(per_answer, 2)}

    if sum(len(group) for group in rows.values()) < 20:
        return fitted, {"questions": sum(len(group) for group in rows.values()), "fitted": False}
    groups = list(rows.values())
    incumbent = None if previous is None else (previous.fact_keep_ratio, previous.fact_min_gain,
                                                previous.fact_typed_ratio)
    # The F1 is flat across much of the grid (0.766 against 0.768), and such a difference moved the fit to one
    # sentence per answer, finding 0.03 fewer facts; a value is kept unless another beats it by more than the
    # noise of a per-question proxy of the F1 (the mean of a question's recall and precision), as elsewhere.
    def proxy(entry, triple) -> float:
        return float(np.mean(measured([entry], *triple)[:2]))

    keep, gain, typed = _steady(list(itertools.product(FACT_KEEP_GRID, FACT_GAIN_GRID, FACT_TYPED_GRID)),
                                lambda triple: (round(f1(groups, *triple), 4), *triple), incumbent,
                                _noise(groups, proxy))
    before = (fitted.fact_keep_ratio, fitted.fact_min_gain, fitted.fact_typed_ratio)
    everything = [e for group in rows.values() for e in group]
    result = {
        "questions": {group: len(found) for group, found in rows.items()}, "keep_ratio": keep, "min_gain": gain,
        "typed_ratio": typed, "best": best(groups),
        "grid": {f"{k}/{g}": {"f1": round(f1(list(rows.values()), k, g, typed), 3), **described(everything, (k, g, typed))}
                 for k, g in itertools.product(FACT_KEEP_GRID, FACT_GAIN_GRID)},
        "typed_grid": {str(t): {"f1": round(f1(list(rows.values()), keep, gain, t), 3),
                                **described(everything, (keep, gain, t))} for t in FACT_TYPED_GRID},
        "held_out": {"questions": len(held), "fitted": described(held, (keep, gain, typed)),
                     "untyped": described(held, (keep, gain, 1.0)),
                     "defaults": described(held, before)} if held else None,
        "each_group_held_out": {
            group: {"triple": (triple := best([g for n, g in rows.items() if n != group])),
                    "fitted": described(rows[group], triple), "defaults": described(rows[group], before)}
            for group in rows
        },
    }
    print(f"fact sentences: keep {keep}, gain {gain}, typed {typed}: {result}", flush=True)
    return replace(fitted, fact_keep_ratio=keep, fact_min_gain=gain, fact_typed_ratio=typed), result


def _states(question: EvalQuestion, text: str) -> bool:
    """Whether a sentence states one of the facts a correct answer must include."""
    found = normalize(text)
    return any(_holds(fact, found) for fact in question.must_include)


def _holds(fact: tuple[str, ...], normalized: str) -> bool:
    """Whether a normalized text states a fact (one of its variants)."""
    return any(normalize(variant) in normalized for variant in fact)


def _fit_node_weights(labelled: dict[str, list[tuple[EvalQuestion, Assistant]]],
                      fitted: Calibration, previous: Calibration | None = None) -> tuple[Calibration, dict]:
    """The weights under which the best-ranked section is most often the one the question's `section` names,
    over the labelled questions of every set (each set weighing the same), and how often that holds on each
    set when the weights are fitted without it."""
    components = {name: [_node_components(q, assistant, fitted) for q, assistant in questions]
                  for name, questions in labelled.items()}
    grid = [w for w in itertools.product(WEIGHT_GRID, repeat=4) if sum(w) > 0]

    def accuracy(weights, names) -> float:
        return sum(_chosen_right(rows, weights) for name in names for rows in components[name]) / max(
            1, sum(len(components[name]) for name in names))

    def best(names) -> tuple[float, ...]:
        return max(grid, key=lambda weights: sum(
            sum(_chosen_right(rows, weights) for rows in components[name]) / max(1, len(components[name]))
            for name in names))

    names = list(components)
    incumbent = None if previous is None else (previous.node_title_lexical, previous.node_title_dense,
                                                previous.node_support, previous.node_evidence)
    # The measure sums each set's accuracy (the mean over the sets times their number).
    groups = list(components.values())
    noise = _noise(groups, lambda rows, weights: float(_chosen_right(rows, weights)))
    chosen = _steady(grid, lambda weights: (sum(accuracy(weights, [name]) for name in names),),
                     incumbent, lambda best, last: len([g for g in groups if g]) * noise(best, last))
    measured = {"fitted_on": {name: len(rows) for name, rows in components.items()}, "best": best(names),
                "accuracy": {name: round(accuracy(chosen, [name]), 3) for name in names},
                "held_out_accuracy": {name: round(accuracy(best([n for n in names if n != name]), [name]), 3)
                                      for name in names}}
    print(f"node weights {chosen}: {measured}", flush=True)
    lexical, dense, support, evidence = chosen
    return replace(fitted, node_title_lexical=lexical, node_title_dense=dense, node_support=support,
                   node_evidence=evidence), measured


def _fit_part_choice(labelled: dict[str, list[tuple[EvalQuestion, Assistant]]],
                     fitted: Calibration, previous: Calibration | None = None) -> tuple[Calibration, dict]:
    """Which part answers a question about a whole part: the share of the best sentence's score at which the
    best-ranked section answers (`part_node_ratio`; None: that rule off) and the share at which a section's
    title alone, or a sentence leading to a list, counts (`part_keep_ratio`). The pair under which the part
    the answer comes from is most often the labelled section, over the labelled list, reason, describe and
    summary questions (each set weighing the same), and how often that holds on each set when fitted
    without it."""
    grid = list(itertools.product(PART_RATIO_GRID, PART_KEEP_GRID))
    rows = {name: [_part_choices(q, assistant, fitted, grid) for q, assistant in questions
                   if question_intent(q.question) in PART_INTENTS] for name, questions in labelled.items()}
    rows = {name: [row for row in choices if row is not None] for name, choices in rows.items()}

    def accuracy(pair, names) -> float:
        return sum(sum(row[pair] for row in rows[name]) / max(1, len(rows[name])) for name in names) / len(names)

    def best(names):
        # A tie goes to the node rule off, then to the higher ratios (closer to the best sentence's score).
        return max(grid, key=lambda pair: (round(accuracy(pair, names), 6), pair[0] is None, pair[0] or 0, pair[1]))

    names = list(rows)
    incumbent = None if previous is None else (previous.part_node_ratio, previous.part_keep_ratio)
    chosen = _steady(grid, lambda pair: (round(accuracy(pair, names), 6), pair[0] is None, pair[0] or 0, pair[1]),
                     incumbent, _noise([rows[name] for name in names], lambda row, pair: float(row[pair])))
    before = (None, 0.85)  # the hand-set rule this fit replaced
    measured = {"part_node_ratio": chosen[0], "part_keep_ratio": chosen[1], "best": best(names),
                "questions": {name: len(choices) for name, choices in rows.items()},
                "accuracy": {name: round(accuracy(chosen, [name]), 3) for name in names},
                "accuracy_hand_set": {name: round(accuracy(before, [name]), 3) for name in names},
                "grid": {f"{ratio}/{keep}": round(accuracy((ratio, keep), names), 3) for ratio, keep in grid},
                "held_out": {name: {"pair": (held := best([n for n in names if n != name])),
                                    "accuracy": round(accuracy(held, [name]), 3)} for name in names}}
    print(f"part choice {chosen}: {measured}", flush=True)
    return replace(fitted, part_node_ratio=chosen[0], part_keep_ratio=chosen[1]), measured


def _fit_list_lead(labelled: dict[str, list[tuple[EvalQuestion, Assistant]]],
                   fitted: Calibration, previous: Calibration | None = None) -> tuple[Calibration, dict]:
    """Among how many best sentences a list question looks for one introducing a list that names the things
    asked for (`list_lead_sentences`): the value under which the part the answer comes from is most often the
    labelled section, over the labelled list questions (each set weighing the same), with how often that holds
    on each set when fitted without it."""
    trials = {n: {"list_lead_sentences": n} for n in LIST_LEAD_GRID}
    rows = {name: [_part_choices(q, assistant, fitted, trials) for q, assistant in questions
                   if question_intent(q.question) == "list"] for name, questions in labelled.items()}
    rows = {name: [row for row in choices if row is not None] for name, choices in rows.items()}
    names = [name for name in rows if rows[name]]

    def accuracy(n, among) -> float:
        return sum(sum(row[n] for row in rows[name]) / len(rows[name]) for name in among) / len(among)

    def best(among):
        return max(LIST_LEAD_GRID, key=lambda n: (round(accuracy(n, among), 6), -n))  # a tie: fewer sentences

    incumbent = None if previous is None else previous.list_lead_sentences
    chosen = _steady(LIST_LEAD_GRID, lambda n: (round(accuracy(n, names), 6), -n), incumbent,
                     _noise([rows[name] for name in names], lambda row, n: float(row[n])))
    measured = {"value": chosen, "best": best(names), "questions": {name: len(rows[name]) for name in names},
                "by_value": {str(n): round(accuracy(n, names), 3) for n in LIST_LEAD_GRID},
                "accuracy": {name: round(accuracy(chosen, [name]), 3) for name in names},
                "held_out": {name: {"value": (held := best([n for n in names if n != name])),
                                    "accuracy": round(accuracy(held, [name]), 3)} for name in names}}
    print(f"list lead-in sentences {chosen}: {measured}", flush=True)
    return replace(fitted, list_lead_sentences=chosen), measured


def _part_choices(question: EvalQuestion, assistant: Assistant, fitted: Calibration, trials) -> dict | None:
    """For each trial, whether the part the answer comes from is the labelled section (a part that is not a
    section: the section holding it; no part: the best sentence's); a trial is a (part_node_ratio,
    part_keep_ratio) pair, or {key: trial's fitted values} to replace."""
    answerer = ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=fitted)
    passages = assistant.retriever.retrieve(question.question)
    intent, sentences, nodes, _ = answerer.evidence(question.question, passages)
    if not sentences:
        return None
    if intent == "summary" and answerer.summarises_document(question.question, sentences[0]):
        return None  # answered by the document's own summary, whichever section ranks first
    result = {}
    pairs = trials.items() if isinstance(trials, dict) else (
        ((ratio, keep), {"part_node_ratio": ratio, "part_keep_ratio": keep}) for ratio, keep in trials)
    for key, values in pairs:
        trial = ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=replace(fitted, **values))
        part = trial.part_for(question.question, intent, sentences, nodes)
        if part is None:
            tree = assistant.retriever.tree(sentences[0].source)
            part = (tree, tree.node_at(sentences[0].start, sentences[0].end)) if tree is not None else None
        if part is None:
            result[key] = False
            continue
        tree, node = part
        section = node if node.kind == "heading" else tree.section_of(node)
        result[key] = _same_section(tree, section, question.section)
    return result


def _node_components(question: EvalQuestion, assistant: Assistant, fitted: Calibration) -> list[tuple]:
    """Each candidate section's (title words, title embedding, support, evidence, start, right?) for one question."""
    scorer = ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=fitted).scorer
    passages = assistant.retriever.retrieve(question.question)
    sentences = scorer.score(question.question, passages)
    return [(m.title_words, m.title_dense, m.support, m.evidence, m.node.start,
             _same_section(m.tree, m.node, question.section))
            for m in rank_nodes(question.question, passages, assistant.retriever, scorer, sentences)]


def _chosen_right(rows: list[tuple], weights: tuple[float, ...]) -> bool:
    """Whether the section ranked first under the weights is the labelled one (the earlier one on a tie)."""
    if not rows:
        return False
    best = max(rows, key=lambda row: (sum(w * x for w, x in zip(weights, row[:4])), -row[4]))
    return best[5]


def _same_section(tree, node, label: str) -> bool:
    """Whether a node's heading path is the labelled one ("二、核心合作领域 › 动力电池深度绑定": lead words), with
    or without the document's title heading above the sections (labels name the sections only), and with or
    without the punctuation of their numbers ("1 Overview" for "1. Overview")."""
    wanted = [_heading_key(part) for part in label.split("›")]
    title = tree.title_heading()
    paths = [node.path] + ([node.path[1:]] if title is not None and node.path[:1] == (title.title,) else [])
    return any(len(path) == len(wanted) and all(_heading_key(h).startswith(w) or w.startswith(_heading_key(h))
                                               for h, w in zip(path, wanted)) for path in paths)


def _heading_key(heading: str) -> str:
    """A heading as labels are compared with it: normalised, its letters, digits and Chinese characters only."""
    return "".join(char for char in normalize(heading) if char.isalnum())


def _labelled(questions: list[EvalQuestion], assistant: Assistant) -> list[EvalQuestion]:
    """The questions, an answerable one without a section label given the deepest section whose text holds
    every clause of its evidence (none when only the whole document does: its items are spread over sections)."""
    trees = [tree for tree in map(assistant.retriever.tree, assistant.retriever.sources()) if tree is not None]
    labelled = []
    for question in questions:
        if question.answerable and question.evidence and not question.section:
            clauses = [normalize(clause) for clause in question.evidence]
            holding = [(node.end - node.start, node) for tree in trees for node in tree.headings()
                       if not tree.is_whole(node)
                       and all(clause in normalize(tree.text[node.start : node.end]) for clause in clauses)]
            if holding:
                question = replace(question, section=min(holding, key=lambda pair: pair[0])[1].section)
        labelled.append(question)
    return labelled


def _measure(case: Case, assistants: dict, fitted: Calibration) -> Case:
    assistant = assistants[case.corpus]
    answerer = ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=fitted)
    passages = assistant.retriever.retrieve(case.question.question)
    intent, sentences, nodes, _ = answerer.evidence(case.question.question, passages)
    return replace(case, strength=evidence_strength(intent, sentences, nodes),
                   features=evidence_features(case.question.question, intent, sentences, nodes,
                                              **answerer.gaps(case.question.question, intent, sentences)),
                   best_dense=max((s.dense for s in sentences), default=0.0))


def _fit_thresholds(cases: list[Case], fitted: Calibration, answerable_share: float,
                    previous: Calibration | None = None) -> tuple[Calibration, dict]:
    """For same-language questions and for questions across languages: a logistic model over the evidence
    features, then the probability threshold with the best balanced accuracy, and the tentative one with
    the best accuracy at the analysts' share of answerable questions; the last fit's gate while the new one
    decides no better than it by more than the noise of the difference (`_steady_gate`)."""
    measured = {}
    for cross in (False, True):
        fit = [c for c in cases if c.cross_lingual == cross and not c.held_out]
        check = [c for c in cases if c.cross_lingual == cross and c.held_out]
        refitted = _fit_gate(fit, fitted, cross, answerable_share)
        fitted, kept = _steady_gate(fit, refitted, previous, cross)
        score = _probability(fitted, cross)
        threshold, tentative = _thresholds(fitted, cross)
        key = "cross_lingual" if cross else "same_language"
        measured[key] = {
            "threshold": threshold, "tentative_threshold": tentative, "fit_cases": len(fit),
            "last_fit_kept": kept,
            "fit_balanced_accuracy": round(_balanced(fit, threshold, score), 3),
            "held_out_cases": len(check),
            "held_out_balanced_accuracy": round(_balanced(check, threshold, score), 3) if check else None,
            "held_out_mix_accuracy_tentative": round(_balanced(check, tentative, score, answerable_share), 3)
            if check else None,
            "by_corpus": {
                corpus: f"{sum(score(c) >= threshold for c in group)} of {len(group)} answered, "
                        f"{sum(tentative <= score(c) < threshold for c in group)} tentatively"
                for corpus, group in _groups(fit + check).items()
            },
        }
    measured["features"] = list(FEATURES)
    return fitted, measured


def _fit_gate(fit: list[Case], fitted: Calibration, cross: bool, answerable_share: float) -> Calibration:
    """The gate's logistic model (weights and bias), then its strict and tentative thresholds."""
    group_of = {id(c): name for name, group in _groups(fit).items() for c in group}
    weights, bias = _logistic([c.features for c in fit], [c.answerable for c in fit], [group_of[id(c)] for c in fit])
    weights, bias = tuple(round(w, 4) for w in weights), round(bias, 4)
    if cross:
        fitted = replace(fitted, cross_lingual_gate_weights=weights, cross_lingual_gate_bias=bias)
    else:
        fitted = replace(fitted, gate_weights=weights, gate_bias=bias)
    score = _probability(fitted, cross)
    candidates = sorted({round(score(c), 3) for c in fit})
    threshold = max(candidates, key=lambda t: (_balanced(fit, t, score), -abs(t - 0.5)))
    tentative = min(threshold, max(candidates, key=lambda t: (_balanced(fit, t, score, answerable_share),
                                                              -abs(t - threshold))))
    if cross:
        return replace(fitted, cross_lingual_abstain_threshold=threshold, cross_lingual_tentative_threshold=tentative)
    return replace(fitted, gate_threshold=threshold, tentative_threshold=tentative)


_GATE_FIELDS = {False: ("gate_weights", "gate_bias", "gate_threshold", "tentative_threshold"),
                True: ("cross_lingual_gate_weights", "cross_lingual_gate_bias", "cross_lingual_abstain_threshold",
                       "cross_lingual_tentative_threshold")}


def _steady_gate(fit: list[Case], refitted: Calibration, previous: Calibration | None,
                 cross: bool) -> tuple[Calibration, bool]:
    """The refitted gate, or the last fit's (weights, bias and thresholds) over the same features when the
    refitted one's balanced accuracy on the fit cases beats it by no more than the standard error of the
    difference (as `_steady` keeps a grid value): a refit on slightly changed data moved the cross-language
    threshold from 0.594 to 0.386 and answered six more unanswerable report questions. (True: kept.)"""
    if previous is None or len(getattr(previous, _GATE_FIELDS[cross][0])) != len(FEATURES):
        return refitted, False
    last = replace(refitted, **{name: getattr(previous, name) for name in _GATE_FIELDS[cross]})
    gates = {"refitted": refitted, "last": last}

    def right(case: Case, gate: str) -> float:
        return float((_probability(gates[gate], cross)(case) >= _thresholds(gates[gate], cross)[0]) == case.answerable)

    errors = []
    for answerable in (True, False):
        groups = list(_groups([c for c in fit if c.answerable == answerable]).values())
        errors.append(_noise(groups, right)("refitted", "last"))
    margin = 0.5 * float(np.hypot(*errors))
    gain = (_balanced(fit, _thresholds(refitted, cross)[0], _probability(refitted, cross))
            - _balanced(fit, _thresholds(last, cross)[0], _probability(last, cross)))
    return (last, True) if gain <= margin else (refitted, False)


def _thresholds(fitted: Calibration, cross: bool) -> tuple[float, float]:
    """(strict, tentative) thresholds of one gate."""
    if cross:
        return fitted.cross_lingual_abstain_threshold, fitted.cross_lingual_tentative_threshold
    return fitted.gate_threshold, fitted.tentative_threshold


def _probability(fitted: Calibration, cross: bool):
    return lambda case: answer_probability(case.features, fitted, cross_lingual=cross)


def _held_out_set(cases: list[Case], name: str, fitted: Calibration, answerable_share: float) -> dict:
    """The gate fitted without one analyst question set, measured on that set's questions over their report:
    how often it answers the answerable ones and refuses the others."""
    result = {}
    for cross in (False, True):
        fit = [c for c in cases if c.cross_lingual == cross and not c.held_out and c.question_set != name]
        check = [c for c in cases if c.cross_lingual == cross and c.question_set == name
                 and c.group.startswith(name)]
        if not check:
            continue
        refitted = _fit_gate(fit, fitted, cross, answerable_share)
        score = _probability(refitted, cross)
        threshold, tentative = _thresholds(refitted, cross)
        answerable = [c for c in check if c.answerable]
        asked = [c for c in check if not c.answerable and "removed" not in c.group]
        removed = [c for c in check if "removed" in c.group]
        result["cross_lingual" if cross else "same_language"] = {
            "answerable_answered": f"{sum(score(c) >= threshold for c in answerable)} of {len(answerable)}, "
                                   f"{sum(score(c) >= tentative for c in answerable)} with tentative ones",
            "unanswerable_refused": f"{sum(score(c) < threshold for c in asked)} of {len(asked)}, "
                                    f"{sum(score(c) < tentative for c in asked)} below the tentative threshold",
            "part_removed_refused": f"{sum(score(c) < threshold for c in removed)} of {len(removed)}, "
                                    f"{sum(score(c) < tentative for c in removed)} below the tentative threshold",
        }
    return result


def _logistic(features: list[tuple[float, ...]], labels: list[bool], groups: list[str], *, steps: int = 4000,
              rate: float = 0.5, l2: float = 1e-3) -> tuple[list[float], float]:
    """Logistic regression by gradient descent (numpy; a few thousand rows). Answerable and unanswerable
    cases weigh the same in all, and inside each, every group of cases (corpus and kind) the same.
    A feature that can only speak against an answer (NEGATIVE_FEATURES) keeps a weight of at most 0."""
    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    sample = _weights(groups, labels)
    negative = np.asarray([name in NEGATIVE_FEATURES for name in FEATURES[: x.shape[1]]])
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        gradient = sample * (p - y)
        w -= rate * (x.T @ gradient + l2 * w)
        w[negative] = np.minimum(w[negative], 0.0)
        b -= rate * gradient.sum()
    return w.tolist(), float(b)


def _weights(groups: list[str], labels: list[bool]) -> np.ndarray:
    """Each case's weight: half the total to each class, shared equally by its groups, then by their cases."""
    sizes = {group: groups.count(group) for group in set(groups)}
    per_class = {label: len({g for g, l in zip(groups, labels) if l == label}) for label in set(labels)}
    return np.asarray([0.5 / (per_class[label] * sizes[group]) for group, label in zip(groups, labels)])


def _groups(cases: list[Case]) -> dict[str, list[Case]]:
    groups: dict[str, list[Case]] = {}
    for case in cases:
        groups.setdefault(case.group, []).append(case)
    return groups


def _balanced(cases: list[Case], threshold: float, score, answerable_share: float = 0.5) -> float:
    """The share decided right, answerable cases weighing `answerable_share` (balanced: a half), and inside
    each class, every group of cases (corpus and kind) the same: the report's own questions count as much
    as hundreds from CMRC."""
    by_class = []
    for answerable in (True, False):
        groups = _groups([c for c in cases if c.answerable == answerable]).values()
        rates = [sum((score(c) >= threshold) == c.answerable for c in group) / len(group) for group in groups]
        if rates:
            by_class.append(sum(rates) / len(rates))
    if len(by_class) < 2:
        return by_class[0] if by_class else 0.0
    return answerable_share * by_class[0] + (1 - answerable_share) * by_class[1]


if __name__ == "__main__":
    raise SystemExit(main())

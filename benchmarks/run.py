"""The lexsim benchmark suite: lexsim against scikit-learn and gensim on the same corpora.

    python benchmarks/run.py [--smoke] [--repeat N] [--size-mb N] [--budget-s S] [--no-report] [--output FILE]

Steps: build or reuse the corpora (corpora.py, in a subprocess); check lexsim's parity with
scikit-learn on each corpus (worker.py --op parity) and stop if it fails; measure every
(corpus, tool, operation) in its own fresh process (worker.py), one after another; count
instructions per byte under callgrind (callgrind.py); derive the ratios and the goals; write
``benchmarks/results.json`` and the Markdown report, which is printed and written into the docs'
benchmarks page, docs/benchmarks.md, between ``<!-- bench:start -->`` and ``<!-- bench:end -->``
(the README links there rather than holding the tables).

``--smoke`` checks that all of it works, quickly: tiny corpora, one run per measurement, every tool
and operation on the sentences corpus only (parity on all three), callgrind on 50 KB while the
measurements run, the out-of-core fit on 2 MB, the Arrow-input and Dask parts on the 0.2 MB sentences corpus, results
in ``build/bench-smoke/results.json``, the docs page untouched. Its figures
measure nothing. This process stays small (no corpus, no numpy), so that the peak RSS each worker
inherits at exec time is below its own.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import arrow_input  # noqa: E402  (benchmarks/ is not a package; these are light to import)
import callgrind  # noqa: E402
import corpora  # noqa: E402

#: The page the report is written into, between the markers.
REPORT_PAGE = ROOT / "docs" / "benchmarks.md"
MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"
OPERATIONS = ("fit", "transform", "fit_transform")
REFERENCE = "sklearn-tfidf"
CORPUS_TITLES = {"sentences": "sentences", "news": "news articles", "nonlatin": "non-Latin"}


@dataclass(frozen=True)
class Tool:
    """One row kind of the tables: what the worker runs (``key``, ``n_jobs``) and how it is shown."""

    key: str
    n_jobs: int
    label: str
    ops: tuple[str, ...] = OPERATIONS
    #: "reference" (scikit-learn, what lexsim is checked against), "yes" (checked), or "no".
    parity: str = "no"

    @property
    def id(self) -> str:
        return f"{self.key}/{self.n_jobs}"


TOOLS = (
    Tool("sklearn-tfidf", 1, "scikit-learn TfidfVectorizer", parity="reference"),
    Tool("sklearn-count", 1, "scikit-learn CountVectorizer", parity="reference"),
    Tool("sklearn-hashing", 1, "scikit-learn HashingVectorizer", ops=("fit_transform",), parity="reference"),
    Tool("gensim-tfidf", 1, "gensim Dictionary + TfidfModel"),
    Tool("lexsim-tfidf", 1, "lexsim TfidfVectorizer n_jobs=1", parity="yes"),
    Tool("lexsim-tfidf", 2, "lexsim TfidfVectorizer n_jobs=2", parity="yes"),
    Tool("lexsim-count", 1, "lexsim CountVectorizer n_jobs=1", parity="yes"),
    Tool("lexsim-count", 2, "lexsim CountVectorizer n_jobs=2", parity="yes"),
    Tool("lexsim-hashing", 1, "lexsim HashingVectorizer n_jobs=1", ops=("fit_transform",), parity="yes"),
    Tool("lexsim-hashing", 2, "lexsim HashingVectorizer n_jobs=2", ops=("fit_transform",), parity="yes"),
)
#: The cost of Unicode normalization and case folding: measured on the sentences corpus only.
NFKC_TOOL = Tool(
    "lexsim-count-nfkc", 1, "lexsim CountVectorizer n_jobs=1, normalization='NFKC', casefold=True", ops=("fit",)
)
TOKENIZE = ("lexsim-count/1", "fit")


@dataclass
class Settings:
    smoke: bool
    size_mb: float
    repeat: int
    budget_s: float
    callgrind_mb: float
    output: Path
    write_report: bool  # into docs/benchmarks.md
    only_similarity: bool = False
    only_outofcore: bool = False
    outofcore_mb: float = 1000.0
    only_dask: bool = False
    only_grouping: bool = False
    only_arrow: bool = False


# ---------------------------------------------------------------------------- running the parts


def _python(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True)


def _json_output(run: subprocess.CompletedProcess, what: str) -> Any:
    """The JSON a helper script printed on stdout (a worker's also when its checks failed)."""
    try:
        return json.loads(run.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"{what} failed (exit {run.returncode}):\n{run.stderr[-4000:]}") from None


def build_corpora(size_mb: float) -> dict:
    return _json_output(_python("corpora.py", "--size-mb", str(size_mb)), "building the corpora")


def check_parity(corpus: dict) -> dict:
    run = _python("worker.py", "--corpus", corpus["path"], "--op", "parity")
    return _json_output(run, f"worker (parity on {corpus['name']})")


def run_worker(corpus: dict, tool: Tool, op: str, settings: Settings) -> dict:
    run = _python(
        "worker.py",
        "--corpus",
        corpus["path"],
        "--tool",
        tool.key,
        "--op",
        op,
        "--n-jobs",
        str(tool.n_jobs),
        "--repeat",
        str(settings.repeat),
        "--budget-s",
        str(settings.budget_s),
    )
    if run.returncode != 0:
        raise SystemExit(
            f"worker {tool.key} n_jobs={tool.n_jobs} {op} on {corpus['name']} failed:\n{run.stderr[-4000:]}"
        )
    result = _json_output(run, "worker")
    best = result["best_s"]
    result.update(
        corpus=corpus["name"],
        tool_id=tool.id,
        label=tool.label,
        parity=tool.parity,
        mb_per_s=corpus["bytes"] / 1e6 / best,
        docs_per_s=corpus["docs"] / best,
        increment_mib=round(result["peak_rss_mib"] - result["rss_before_mib"], 1),
    )
    return result


def run_similarity(settings: Settings) -> dict:
    args = ["--smoke"] if settings.smoke else ["--repeat", str(settings.repeat)]
    run = _python("similarity.py", *args)
    result = _json_output(run, "similarity.py")
    if run.returncode != 0:
        raise SystemExit(f"similarity.py: a peer's output differs from lexsim's: {json.dumps(result)[:2000]}")
    return result


def run_grouping(settings: Settings) -> dict:
    run = _python("grouping.py", *(["--smoke"] if settings.smoke else ["--full-size-mb", str(settings.size_mb)]))
    result = _json_output(run, "grouping.py")
    if run.returncode != 0:
        raise SystemExit(f"grouping.py failed: {json.dumps(result)[:2000]}")
    return result


def render_grouping(gr: dict) -> list[str]:
    out = [
        "",
        "### Story groups",
        "",
        f"`benchmarks/grouping.py`: the analyst TF-IDF matrix (accents folded, English stop words, sublinear tf) of the first "
        f"{gr['subset_docs']:,} sentences, each tool in a fresh process with {gr['jobs']} threads where it has them. "
        "scikit-learn's clusterers need dense or all-pairs distances (memory n²), so this is about the most they handle "
        'in minutes; lexsim\'s default also runs on the whole benchmark corpus below. "memory" is the peak the call '
        "added to the process.",
        "",
        "| tool | documents | time (s) | memory (MiB) | groups of 2+ | largest group |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    rows = list(gr["subset"]) + ([gr["full"]] if gr.get("full") else [])
    for r in rows:
        if "error" in r:
            out.append(f"| {r['tool']} | — | failed: {r['error'][:80]} | | | |")
            continue
        out.append(
            f"| {r['tool']} | {r['docs']:,} | {_sig(r['seconds'])} | {r['added_mib']:,.0f} | {r['groups']:,} | "
            f"{100 * r['largest_share']:.2f}% |"
        )
    full = gr.get("full") or {}
    if "params" in full:
        out += [
            "",
            f"On the whole corpus lexsim derived k = {full['params'].get('n_neighbors')} neighbours and linked "
            f"{full['params'].get('n_links', 0):,} pairs (modularity {full['params'].get('modularity', 0):.3f}).",
        ]
    return out


def run_outofcore(settings: Settings) -> dict:
    args = ["--size-mb", str(settings.outofcore_mb)] + (["--smoke"] if settings.smoke else [])
    run = _python("outofcore.py", *args)
    result = _json_output(run, "outofcore.py")
    if run.returncode != 0:
        raise SystemExit(
            f"outofcore.py: the fit on an iterator differs from the fit on a list: {json.dumps(result)[:2000]}"
        )
    return result


def run_arrow(settings: Settings) -> dict:
    args = (
        ["--smoke"]
        if settings.smoke
        else [
            "--size-mb",
            str(settings.size_mb),
            "--repeat",
            str(settings.repeat),
            "--budget-s",
            str(settings.budget_s),
        ]
    )
    run = _python("arrow_input.py", *args)
    result = _json_output(run, "arrow_input.py")
    if run.returncode != 0:
        raise SystemExit(f"arrow_input.py: an input gave another matrix than the list: {json.dumps(result)[:2000]}")
    return result


def render_arrow(ar: dict) -> list[str]:
    out = arrow_input.render(ar)
    if "measured_at_commit" in ar:
        out += [
            "",
            f"Measured separately (`benchmarks/run.py --only-arrow`) at commit {ar['measured_at_commit']}; "
            f"other processes kept {ar['other_processes_cores']:.2f} cores busy on average meanwhile.",
        ]
    return out


def run_dask(settings: Settings) -> dict:
    missing = [m for m in ("dask", "distributed") if importlib.util.find_spec(m) is None]
    if missing:
        reason = f"{' and '.join(missing)} not installed (make venv installs them)"
        if settings.smoke:
            return {"skipped": reason}
        raise SystemExit(f"the Dask part needs {reason}")
    args = ["--size-mb", str(settings.size_mb), "--repeat", str(settings.repeat), "--budget-s", str(settings.budget_s)]
    run = _python("dask_bench.py", *args + (["--smoke"] if settings.smoke else []))
    result = _json_output(run, "dask_bench.py")
    if run.returncode != 0:
        failed = [c for c in result["checks"] if not c["ok"]]
        raise SystemExit(
            f"dask_bench.py: the Dask results differ from the single-process fit: {json.dumps(failed)[:2000]}"
        )
    return result


N_WORKERS_DASK = 2  # dask_bench.N_WORKERS (not imported: this process stays light)
REFERENCE_DASK_FT = "lexsim-1-fit_transform"


def _dask_label(r: dict) -> str:
    if r["tool"] == "lexsim":
        return f"lexsim TfidfVectorizer n_jobs={r['n_jobs']}, one process"
    if r["tool"] == "sklearn":
        return "scikit-learn TfidfVectorizer, one process"
    how = (
        "read by the workers (`read_text`)"
        if r["source"] == "read_text"
        else "shipped from the client (`from_sequence`)"
    )
    return f"lexsim.dask, 2 workers, documents {how}"


def render_dask(dk: dict) -> list[str]:
    if "skipped" in dk:
        return [
            "",
            "### Dask: lexsim.dask on a LocalCluster of 2 worker processes",
            "",
            f"Not measured: {dk['skipped']}.",
        ]
    rows, c = dk["rows"], dk["corpus"]
    by = {r["config"]: r for r in rows}
    single = [r for r in rows if r["tool"] != "lexsim.dask"]
    on_dask = [r for r in rows if r["tool"] == "lexsim.dask"]
    read_s = min(r["read_jsonl_s"] for r in single)
    idle = min(w["rss_mib"] for r in on_dask for w in r["before"]["workers"]) if on_dask else 0
    ft = next((r for r in on_dask if r["op"] == "fit_transform" and "matrix" in r), None)
    startup = sorted(r["startup_s"] for r in on_dask)
    fit_ok = all(x["ok"] for x in dk["checks"] if "idf" in x["what"] and x["config"].startswith("dask"))
    matrix_ok = all(x["ok"] for x in dk["checks"] if "matrix" in x["what"] and x["config"].startswith("dask"))
    out = [
        "",
        "### Dask: lexsim.dask on a LocalCluster of 2 worker processes",
        "",
        f"`benchmarks/dask_bench.py`: `TfidfVectorizer` on the sentences corpus ({_sig(c['bytes'] / 1e6)} MB, {c['docs']:,} documents) "
        f'stored as JSONL ({_sig(dk["jsonl_bytes"] / 1e6)} MB, one `{{"text": ...}}` a line). The single-process rows read it into a '
        f"list first ({_sig(read_s)} s, not in their time). The Dask rows run `lexsim.dask.TfidfVectorizer(n_jobs=1)` on "
        "`distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True)` with the documents either read by the "
        f"workers themselves (`dask.bag.read_text` in {dk['partitions']} byte blocks, then `json.loads`: reading and parsing are "
        f"in the time) or read by the client and shipped (`dask.bag.from_sequence` in {dk['partitions']} partitions: pickling and "
        "sending them are in the time). Dask's `fit_transform` is `fit` then `transform`, two passes over the bag, and leaves the "
        "result on the workers (`persist()`, `distributed.wait`)"
        + (
            f": {ft['matrix']['blocks']} CSR blocks, {ft['matrix']['nnz']:,} non-zeros, {_sig(ft['matrix']['bytes'] / 2**20)} MiB"
            if ft
            else ""
        )
        + ". MB/s is the corpus's text per second. "
        + (
            "In this smoke run the single-process rows share one process and the Dask rows one cluster, "
            if dk["smoke"]
            else "Each row is a fresh process, "
        )
        + (
            f"the best of up to {dk['repeat']} runs (another only while all fit in {dk['budget_s']:g} s)"
            if dk["repeat"] > 1
            else "one run"
        )
        + f". Starting the cluster (both workers ready, lexsim imported on them, a warm-up `fit_transform` of 2,000 documents) took {_sig(startup[0])}"
        + (f"–{_sig(startup[-1])}" if startup[-1] != startup[0] else "")
        + " s, not in the time. Peak RSS is from the first run, each process's "
        "mark reset just before it; the client process also runs the scheduler and both nannies, and holds the list for "
        f"`from_sequence`; an idle worker (interpreter, distributed, lexsim, numpy, scipy) has {idle:,.0f} MiB.",
        "",
        f"Exact: every Dask fit gave the single-process fit's feature names and `idf_` bytes: {'yes' if fit_ok else '**no**'}; every "
        "Dask `fit_transform` its matrix (shape, non-zeros and a 64-bit checksum over each stored entry's row, column and value "
        f"bits): {'yes' if matrix_ok else '**no**'}.",
        "",
        "| configuration | operation | time (s) | MB/s | speed vs lexsim n_jobs=1 | client peak RSS (MiB) | worker peak RSS (MiB) | runs |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        ref = by.get(f"lexsim-1-{r['op']}")
        speed = ref["best_s"] / r["best_s"] if ref else None
        workers = ", ".join(f"{w['hwm_mib']:,.0f}" for w in r["workers"]) if "workers" in r else "—"
        out.append(
            f"| {_dask_label(r)} | {r['op']} | {_sig(r['best_s'])} | {_sig(r['mb_per_s'])} | {_times(speed)} | "
            f"{r['client']['maxrss_mib']:,.0f} | {workers} | {len(r['times'])} |"
        )
    kinds = (
        ("documents", "documents"),
        ("count", "count"),
        ("merge", "merge"),
        ("transform", "transform"),
        ("transfer", "transfers"),
        ("other", "other"),
    )
    out += [
        "",
        "Where the workers' time went, from Dask's task stream of the best run: seconds of task time summed over both workers "
        "(*documents*: reading a block, decoding it, splitting lines and `json.loads`, or taking the shipped partition; *count*: "
        "`partial_fit` of a partition; *merge*: merging two count states; *transform*: a partition's CSR block; *transfers*: fetching "
        "a task's inputs from the other worker), as wall time, which on a busy machine includes waiting for a core. *Busy* is that sum over twice the wall time: how much of the two workers' time "
        "tasks used; the rest went to the client, the scheduler and waiting.",
        "",
        "| configuration | operation | wall (s) | " + " | ".join(label for _, label in kinds) + " | busy |",
        "|---|---|--:|" + "--:|" * len(kinds) + "--:|",
    ]
    for r in on_dask:
        t = r.get("tasks_s") or {}
        busy = sum(t.values()) / (N_WORKERS_DASK * r["best_s"])
        out.append(
            f"| {_dask_label(r)} | {r['op']} | {_sig(r['best_s'])} | "
            + " | ".join(f"{t[k]:.2f}" if k in t else "—" for k, _ in kinds)
            + f" | {busy * 100:.0f}% |"
        )
    two = by.get("lexsim-2-fit")
    features = (ft or by[REFERENCE_DASK_FT]).get("matrix", {}).get("cols")
    out += [
        "",
        "What 2 cores can and cannot show: the two workers, the scheduler, the nannies and the client all share this machine's "
        "2 cores (with whatever else runs), the cores one lexsim process already uses with `n_jobs=2`"
        + (f" ({_sig(two['best_s'])} s for `fit`)" if two else "")
        + " while paying for none of the distribution. So these rows cannot show Dask speeding anything up, only what "
        "distributing costs on equal hardware: parsing the documents in Python on the workers (the single-process rows read "
        "theirs before the clock starts), pickling each partition's count state (an entry per distinct term), moving and merging the "
        "states, the scheduler's round trips, and for `from_sequence` pickling every document on the client (twice for "
        "`fit_transform`, once per pass). Everything travels over loopback TCP: no network latency or bandwidth is in these "
        "figures. What a real cluster adds (network transfers: the small count states, or every document when the client ships "
        "them) and what it gains (machines that each read, parse and count their own share, in their own memory) cannot be "
        "measured on 2 cores. The corpus is a fixed set of texts cycled, so its vocabulary, and each count state, stays at "
        + (f"{features:,} terms" if features else "a few tens of thousands of terms")
        + "; a real archive's grows with it, and so does the cost of merging. A worker's peak memory is mostly "
        "`dask.bag.read_text`'s: it decodes a whole block into one `str` (4 bytes a character once the block holds a character "
        "beyond U+FFFF, as these blocks do) and splits it through `io.StringIO`, another copy; smaller blocks lower it.",
        "",
        "What holds at any scale is exactness: each partition's counts are merged before `min_df`, `max_df`, `max_features` and "
        "the idf are applied, so the vocabulary, `idf_` and every row equal one process's fit of the same documents in the same "
        "order, for every partitioning (checked above on the whole corpus; tests/python/test_dask.py checks 8 option sets and "
        "1 to 9 partitions, empty ones included). It is a guarantee about results, not speed.",
    ]
    if "measured_at_commit" in dk:
        out.append("")
        out.append(
            f"Measured separately (`benchmarks/run.py --only-dask`) at commit {dk['measured_at_commit']}; "
            f"other processes kept {dk['other_processes_cores']:.2f} cores busy on average meanwhile."
        )
    return out


def render_outofcore(ooc: dict) -> list[str]:
    rows = ooc["rows"]
    first = rows[0]
    out = [
        "",
        "### Out-of-core: fitting from an iterator",
        "",
        f"`benchmarks/outofcore.py`: lexsim `TfidfVectorizer().fit` on {first['bytes'] / 1e6:,.0f} MB of text "
        f"({first['docs']:,} documents: the sentences corpus cycled, generated on the fly, each document a new `str`), "
        f"given as a generator (read in batches of about {first['batch_mb']:g} MB) and as a list made from the same generator. "
        "Each row is a fresh process; peak RSS is the process's `ru_maxrss` during the fit (interpreter, lexsim and the 50,000 "
        "source texts included, the mark reset just before), *+RSS* what the fit added to that. "
        f"Both inputs gave the same vocabulary and idf: {'yes' if ooc['same_fit'] else '**no**'}.",
        "",
        "| input | n_jobs | time (s) | MB/s | peak RSS (MiB) | +RSS (MiB) |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        label = "generator" if r["mode"] == "stream" else "list"
        out.append(
            f"| {label} | {r['n_jobs']} | {_sig(r['seconds'])} | {_sig(r['mb_per_s'])} | {r['peak_rss_mib']:,.0f} | {r['increment_mib']:,.0f} |"
        )
    if "measured_at_commit" in ooc:
        out.append("")
        out.append(
            f"Measured separately (`benchmarks/run.py --only-outofcore`) at commit {ooc['measured_at_commit']}; "
            f"other processes kept {ooc['other_processes_cores']:.2f} cores busy on average meanwhile."
        )
    return out


def similarity_goals(sim: dict) -> list[dict]:
    """The speed goals of the similarity engine, from similarity.py's rows."""

    def speedup(op: str, tool_prefix: str) -> Optional[float]:
        row = next((r for r in sim["rows"] if r["op"] == op and r["tool"].startswith(tool_prefix)), None)
        return row["lexsim_speedup"] if row else None

    goals = []
    for what, prefix, bound in (("sparse_dot_topn", "sparse_dot_topn", 2.0), ("scipy, chunked", "scipy", 5.0)):
        v = speedup("top_k", prefix)
        goals.append(
            {
                "goal": f"top_k (k={sim['k']}, 1 thread) >= {bound:g}x {what}",
                "value": v,
                "met": None if v is None else v >= bound,
            }
        )
    for t in ("0.7", "0.9"):
        v = speedup(f"similar_pairs {t}", "scipy")
        goals.append(
            {
                "goal": f"similar_pairs at {t} >= 10x a chunked brute-force product",
                "value": v,
                "met": None if v is None else v >= 10,
            }
        )
    return goals


def render_similarity(sim: dict, smoke: bool) -> list[str]:
    out = [
        "",
        "### Similarity: top_k and similar_pairs",
        "",
        f"`benchmarks/similarity.py`, in one process: the default TF-IDF matrix of the sentences corpus ({sim['docs']:,} documents, "
        f"{sim['features']:,} terms, {sim['nnz']:,} non-zeros), each row against all others. Before timing, every peer's output was "
        "checked against lexsim's (same scores per row to 1e-12 for top_k; the same pairs for similar_pairs). "
        f"sparse_dot_topn {sim.get('sparse_dot_topn') or 'not installed'} is asked for k + 1 to leave room for each row's match "
        "with itself, which lexsim leaves out without computing it.",
        "",
        "| goal | measured | met? |",
        "|---|---|---|",
    ]
    for g in similarity_goals(sim):
        met = "— (smoke run)" if smoke else {True: "yes", False: "**no**", None: "—"}[g["met"]]
        out.append(f"| {g['goal']} | {_times(g['value'])} | {met} |")
    out += ["", "| operation | tool | time (s) | lexsim n_jobs=1 is faster by | runs |", "|---|---|--:|--:|--:|"]
    for r in sim["rows"]:
        out.append(
            f"| {r['op']} | {r['tool']} | {_sig(r['best_s'])} | {_times(r['lexsim_speedup'])} | {len(r['times'])} |"
        )
    pairs = ", ".join(f"{t}: {c['pairs']:,}" for t, c in sim["pair_checks"].items())
    out += ["", f"Pairs found (threshold: count): {pairs}."]
    if "measured_at_commit" in sim:
        out.append(
            f"Measured separately (`benchmarks/run.py --only-similarity`) at commit {sim['measured_at_commit']}; "
            f"other processes kept {sim['other_processes_cores']:.2f} cores busy on average meanwhile."
        )
    return out


def run_callgrind(settings: Settings) -> dict:
    reason = callgrind.unavailable()
    if reason:
        return {"skipped": reason}
    return callgrind.measure(settings.callgrind_mb)


def plan(corpus_names: list[str], tools: tuple[Tool, ...]) -> list[tuple[str, Tool, str]]:
    """(corpus, tool, operation) in the order they are measured: by corpus, then operation."""
    steps = []
    for name in corpus_names:
        for op in OPERATIONS:
            for tool in tools:
                if op in tool.ops:
                    steps.append((name, tool, op))
            if name == "sentences" and op in NFKC_TOOL.ops:
                steps.append((name, NFKC_TOOL, op))
    return steps


# ---------------------------------------------------------------------------- derived figures


def _index(measurements: list[dict]) -> dict[tuple[str, str, str], dict]:
    return {(m["corpus"], m["tool_id"], m["op"]): m for m in measurements}


def add_speedups(measurements: list[dict]) -> None:
    """Each measurement's speed relative to scikit-learn's TfidfVectorizer (same corpus and operation)."""
    by = _index(measurements)
    for m in measurements:
        ref = by.get((m["corpus"], f"{REFERENCE}/1", m["op"]))
        m["speed_vs_sklearn_tfidf"] = ref["best_s"] / m["best_s"] if ref else None


def derive(measurements: list[dict], corpus_names: list[str]) -> dict:
    """Tokenization rate, NFKC + casefold cost, transform scaling and the goals."""
    by = _index(measurements)

    def get(corpus: str, tool_id: str, op: str) -> Optional[dict]:
        return by.get((corpus, tool_id, op))

    plain, nfkc = get("sentences", *TOKENIZE), get("sentences", NFKC_TOOL.id, "fit")
    tokenize = {
        "mb_per_s": plain["mb_per_s"] if plain else None,
        "nfkc_casefold_mb_per_s": nfkc["mb_per_s"] if nfkc else None,
        "nfkc_casefold_cost": nfkc["best_s"] / plain["best_s"] - 1 if plain and nfkc else None,
    }
    scaling = []
    for corpus in corpus_names:
        for key, label in (("lexsim-tfidf", "TfidfVectorizer"), ("lexsim-count", "CountVectorizer")):
            one, two = get(corpus, f"{key}/1", "transform"), get(corpus, f"{key}/2", "transform")
            if one and two:
                scaling.append(
                    {
                        "corpus": corpus,
                        "class": label,
                        "n_jobs_1_s": one["best_s"],
                        "n_jobs_2_s": two["best_s"],
                        "speedup": one["best_s"] / two["best_s"],
                    }
                )

    def speedups(corpora_: tuple[str, ...], n_jobs: int) -> dict[str, Optional[float]]:
        return {
            c: (get(c, f"lexsim-tfidf/{n_jobs}", "fit_transform") or {}).get("speed_vs_sklearn_tfidf") for c in corpora_
        }

    rss = {}
    for corpus in corpus_names:
        ref = get(corpus, f"{REFERENCE}/1", "fit_transform")
        mine = [m for m in (get(corpus, f"lexsim-tfidf/{n}", "fit_transform") for n in (1, 2)) if m]
        if ref and len(mine) == 2:
            rss[corpus] = max(m["peak_rss_mib"] for m in mine) / ref["peak_rss_mib"]
    tfidf_scaling = {s["corpus"]: s["speedup"] for s in scaling if s["class"] == "TfidfVectorizer"}
    goals = [
        _goal(
            "fit_transform ≥ 25× scikit-learn, n_jobs=1, both English corpora",
            speedups(("sentences", "news"), 1),
            25,
            "×",
        ),
        _goal(
            "fit_transform ≥ 45× scikit-learn, n_jobs=2, both English corpora",
            speedups(("sentences", "news"), 2),
            45,
            "×",
        ),
        _goal("fit_transform ≥ 10× scikit-learn on non-Latin text (n_jobs=1)", speedups(("nonlatin",), 1), 10, "×"),
        _goal(
            "tokenization ≥ 500 MB/s per core on ASCII-heavy text (CountVectorizer(n_jobs=1).fit, sentences)",
            {"sentences": tokenize["mb_per_s"]},
            500,
            " MB/s",
        ),
        _goal(
            "NFKC + casefold cost ≤ 15% (same measurement)",
            {"sentences": tokenize["nfkc_casefold_cost"]},
            0.15,
            "%",
            at_most=True,
        ),
        _goal(
            "transform 1 → 2 threads ≥ 1.8× (TfidfVectorizer, every corpus)",
            {c: tfidf_scaling.get(c) for c in corpus_names},
            1.8,
            "×",
        ),
        _goal(
            "peak RSS during fit_transform ≤ ½ of scikit-learn's (TfidfVectorizer; worse of n_jobs 1 and 2; every corpus)",
            {c: rss.get(c) for c in corpus_names},
            0.5,
            "×",
            at_most=True,
        ),
    ]
    return {"tokenization": tokenize, "transform_scaling": scaling, "goals": goals}


def _goal(goal: str, values: dict[str, Optional[float]], bound: float, unit: str, at_most: bool = False) -> dict:
    measured = {c: v for c, v in values.items() if v is not None}
    complete = bool(measured) and len(measured) == len(values)
    met = all((v <= bound) if at_most else (v >= bound) for v in measured.values()) if complete else None
    return {"goal": goal, "bound": bound, "at_most": at_most, "unit": unit, "measured": values, "met": met}


# ---------------------------------------------------------------------------- report


def lexsim_build() -> Optional[str]:
    """A digest of the installed lexsim package's files, to notice a reinstall in the middle of a run."""
    spec = importlib.util.find_spec("lexsim")
    if spec is None or not spec.submodule_search_locations:
        return None
    digest = hashlib.sha256()
    for location in spec.submodule_search_locations:
        for path in sorted(Path(location).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _check_build(expected: Optional[str]) -> None:
    if lexsim_build() != expected:
        raise SystemExit(
            "the installed lexsim changed during the run (it was reinstalled): "
            "the measurements would mix two builds. Run again."
        )


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)


def machine_info() -> dict:
    """CPU, cores, memory, OS, Python and library versions, date and the tree's commit."""

    def lines(path: str) -> list[str]:
        return Path(path).read_text().splitlines() if Path(path).exists() else []

    cpu = next(
        (line.split(":", 1)[1].strip() for line in lines("/proc/cpuinfo") if line.startswith("model name")),
        platform.processor(),
    )
    mem_kib = next((int(line.split()[1]) for line in lines("/proc/meminfo") if line.startswith("MemTotal:")), 0)
    release = dict(line.split("=", 1) for line in lines("/etc/os-release") if "=" in line)
    os_name = (
        f"{release['PRETTY_NAME'].strip(chr(34))}, Linux {platform.release()}"
        if "PRETTY_NAME" in release
        else platform.platform()
    )
    versions: dict[str, Optional[str]] = {}
    for dist in ("lexsim", "numpy", "scipy", "scikit-learn", "gensim"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = None
    try:
        commit = _git("rev-parse", "--short", "HEAD").stdout.strip()
        # Read-only: 1 when the sources of the package differ from the commit.
        modified = (
            _git("diff", "--quiet", "HEAD", "--", "cpp", "python", "CMakeLists.txt", "pyproject.toml").returncode == 1
        )
    except OSError:
        commit, modified = "", False
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 2**20, 1),
        "os": os_name,
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit or None,
        "uncommitted_changes": modified,
        "lexsim_build": lexsim_build(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _sig(x: float) -> str:
    """Three significant figures (whole numbers from 100 on, thousands separated)."""
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def _times(x: Optional[float]) -> str:
    return "—" if x is None else f"{_sig(x)}×"


def _goal_value(goal: dict, v: float) -> str:
    if goal["unit"] == "%":
        return f"{v * 100:+.1f}%"
    return f"{_sig(v)}{goal['unit']}"


def render(results: dict) -> str:
    """The Markdown report: method, machine, goals, one table per corpus, callgrind, scaling."""
    s, m = results["settings"], results["machine"]
    v = m["versions"]
    out = []
    if s["smoke"]:
        out += [
            "**Smoke run** (tiny inputs, one run each): it shows that the suite works; its figures measure nothing.",
            "",
        ]
    sizes = ", ".join(
        f"{CORPUS_TITLES[c['name']]} {c['bytes'] / 1e6:.1f} MB in {c['docs']:,} documents"
        for c in results["corpora"].values()
    )
    hashing_checked = any(c["class"] == "HashingVectorizer" for p in results["parity"].values() for c in p["checks"])
    out += [
        f"Measured by `{'make bench-smoke' if s['smoke'] else 'make bench'}` "
        "(`benchmarks/run.py`; "
        "[How each figure is measured](#how-each-figure-is-measured) explains each figure). "
        f"Corpora: {sizes}. "
        f"Every figure comes from a fresh process per tool, corpus and operation, {'two at a time' if s['smoke'] else 'one after another'}: "
        "the corpus is read into a list of `str` first (not timed); `transform` uses a vectorizer fitted on the same corpus (not timed). "
        f"Time is the best of up to {s['repeat']} run{'s' if s['repeat'] > 1 else ''} (another run only while all runs fit in {s['budget_s']:g} s; "
        "the *runs* column says how many). Peak RSS is the process's `ru_maxrss` during the first run, the mark reset after loading; "
        "*+RSS* is what the operation added to the interpreter, the loaded corpus and, for `transform`, the fitted vectorizer. "
        "Before any timing, lexsim's TfidfVectorizer and CountVectorizer (defaults; n_jobs 1 and 2; `fit_transform` and `fit` + `transform`) "
        "were checked on each whole corpus against scikit-learn's: same feature names, matrices equal to 1e-12 (counts exactly). "
        + (
            "So was lexsim's HashingVectorizer against scikit-learn's (defaults; n_jobs 1 and 2; `fit_transform` and `transform` without fit): "
            "the same sparsity structure, explicit zeros included, and values to 1e-12. "
            "HashingVectorizer is stateless (its `fit` does nothing and `transform` is `fit_transform`): one row each. "
            "gensim computes other things (its own idf, log2(N/df)) and is not checked. "
            if hashing_checked
            # A results file from before lexsim had a HashingVectorizer (a part rerun re-renders it).
            else "HashingVectorizer is stateless (its `fit` does nothing and `transform` is `fit_transform`): one row. "
            "HashingVectorizer and gensim compute other things (hashed columns; gensim's own idf, log2(N/df)) and are not checked. "
        )
        + "gensim gets scikit-learn's tokens (`str.lower()`, then the regex `(?u)\\b\\w\\w+\\b`; not `simple_preprocess`), "
        "and its `transform` builds a CSR matrix with `corpus2csc`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}. "
        f"Python {m['python']}, lexsim {v['lexsim']} (commit {m['commit']}{' with uncommitted changes' if m['uncommitted_changes'] else ''}), numpy {v['numpy']}, scipy {v['scipy']}, "
        f"scikit-learn {v['scikit-learn']}, gensim {v['gensim'] or 'not installed'}. {m['date']}.",
        "",
    ]
    if results["notes"]:
        out += ["Notes: " + "; ".join(results["notes"]) + ".", ""]
    out += [
        "### Goals",
        "",
        "| goal | measured | met? |",
        "|---|---|---|",
    ]
    for g in results["goals"]:
        measured = ", ".join(
            f"{CORPUS_TITLES[c]} {_goal_value(g, x)}" if x is not None else f"{CORPUS_TITLES[c]} not measured"
            for c, x in g["measured"].items()
        )
        met = "— (smoke run)" if s["smoke"] else {True: "yes", False: "**no**", None: "—"}[g["met"]]
        out.append(f"| {g['goal']} | {measured} | {met} |")
    for name, corpus in results["corpora"].items():
        rows = [x for x in results["measurements"] if x["corpus"] == name]
        if not rows:
            continue
        out += [
            "",
            f"### {CORPUS_TITLES[name]}: {corpus['bytes'] / 1e6:.1f} MB, {corpus['docs']:,} documents ({corpus['description']})",
            "",
            "| tool | operation | time (s) | MB/s | docs/s | peak RSS (MiB) | +RSS (MiB) | speed vs scikit-learn TfidfVectorizer | parity checked | runs |",
            "|---|---|--:|--:|--:|--:|--:|--:|---|--:|",
        ]
        for x in rows:
            parity = {"yes": "yes", "reference": "reference", "no": "no"}[x["parity"]]
            out.append(
                f"| {x['label']} | {x['op']} | {_sig(x['best_s'])} | {_sig(x['mb_per_s'])} | {x['docs_per_s']:,.0f} | "
                f"{x['peak_rss_mib']:,.0f} | {x['increment_mib']:,.0f} | {_times(x['speed_vs_sklearn_tfidf'])} | {parity} | {len(x['times'])} |"
            )
    out += ["", "### Instructions per input byte (callgrind)", ""]
    cg = results["callgrind"]
    if "skipped" in cg:
        out.append(f"Not measured: {cg['skipped']}.")
    else:
        ipb = cg["instructions_per_byte"]
        out += [
            f"`valgrind --tool=callgrind` on the {cg['input']} ({cg['bytes'] / 1e6:.2f} MB), `fit_transform` with default "
            "parameters, both in one process; only the call is counted (instrumentation switched on just before it and off "
            "just after, minus what the switching costs). Counts repeat from run to run to within 0.01%.",
            "",
            "| tool | instructions / byte |",
            "|---|--:|",
            f"| lexsim TfidfVectorizer n_jobs=1 | {ipb['lexsim']:,.0f} |",
            f"| scikit-learn TfidfVectorizer | {ipb['sklearn']:,.0f} |",
            f"| ratio | {_times(cg['sklearn_over_lexsim'])} |",
        ]
    tok = results["tokenization"]
    out += ["", "### Tokenization and the cost of NFKC + casefold", ""]
    if tok["mb_per_s"] is not None:
        line = (
            f"lexsim `CountVectorizer(n_jobs=1).fit` on the sentences corpus (tokenize and count, end to end): "
            f"{_sig(tok['mb_per_s'])} MB/s."
        )
        if tok["nfkc_casefold_cost"] is not None:
            line += (
                f" With `normalization='NFKC', casefold=True`: {_sig(tok['nfkc_casefold_mb_per_s'])} MB/s, "
                f"a cost of {tok['nfkc_casefold_cost'] * 100:+.1f}% in time."
            )
        out.append(line)
    if results["transform_scaling"]:
        out += [
            "",
            "### Transform scaling, 1 → 2 threads",
            "",
            "| corpus | class | n_jobs=1 (s) | n_jobs=2 (s) | speed-up |",
            "|---|---|--:|--:|--:|",
        ]
        for x in results["transform_scaling"]:
            out.append(
                f"| {CORPUS_TITLES[x['corpus']]} | {x['class']} | {_sig(x['n_jobs_1_s'])} | {_sig(x['n_jobs_2_s'])} | {_times(x['speedup'])} |"
            )
    if results.get("similarity"):
        out += render_similarity(results["similarity"], s["smoke"])
    if results.get("grouping"):
        out += render_grouping(results["grouping"])
    if results.get("outofcore"):
        out += render_outofcore(results["outofcore"])
    if results.get("arrow"):
        out += render_arrow(results["arrow"])
    if results.get("dask"):
        out += render_dask(results["dask"])
    return "\n".join(out) + "\n"


def write_report(section: str, page: Path = REPORT_PAGE) -> None:
    """Replace what is between the bench markers of the docs' benchmarks page with ``section``."""
    text = page.read_text(encoding="utf-8")
    start, end = text.find(MARK_START), text.find(MARK_END)
    if start < 0 or end < start:
        raise SystemExit(f"{page} lacks the markers {MARK_START} ... {MARK_END}")
    page.write_text(text[: start + len(MARK_START)] + "\n" + section + text[end:], encoding="utf-8")


# ---------------------------------------------------------------------------- main


def _busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (all processes, from /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    """CPU seconds of this process and of the children it has waited for (workers, valgrind)."""
    return sum(
        r.ru_utime + r.ru_stime
        for r in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def _say(message: str) -> None:
    print(message, flush=True)


def _map(fn: Callable[[Any], Any], items: list, jobs: int) -> list:
    """``[fn(x) for x in items]``, ``jobs`` at a time (in order of ``items`` either way)."""
    if jobs == 1:
        return [fn(x) for x in items]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(fn, items))


def _timed(what: str, durations: dict, fn: Callable[[], Any]) -> Any:
    start = time.monotonic()
    value = fn()
    durations[what] = round(time.monotonic() - start, 1)
    return value


def parse_args(argv: Optional[list[str]]) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--smoke", action="store_true", help="tiny inputs, one run each: only check that everything works"
    )
    parser.add_argument(
        "--repeat", type=int, help="runs per measurement at most, the best is kept (default 3; smoke 1)"
    )
    parser.add_argument(
        "--size-mb", type=float, help="MB of text in each English corpus; non-Latin gets half (default 100; smoke 0.2)"
    )
    parser.add_argument(
        "--budget-s",
        type=float,
        default=20.0,
        help="start another run only while all runs of a measurement fit in this many seconds (default 20)",
    )
    parser.add_argument(
        "--no-report",
        "--no-readme",
        dest="no_report",
        action="store_true",
        help="do not write the report into docs/benchmarks.md (--no-readme: its former name)",
    )
    parser.add_argument(
        "--only-similarity",
        action="store_true",
        help="rerun only the similarity part, keeping the other figures of the results file",
    )
    parser.add_argument(
        "--only-outofcore",
        action="store_true",
        help="rerun only the out-of-core part, keeping the other figures of the results file",
    )
    parser.add_argument(
        "--only-dask",
        action="store_true",
        help="rerun only the Dask part, keeping the other figures of the results file",
    )
    parser.add_argument(
        "--only-grouping",
        action="store_true",
        help="rerun only the story-group part, keeping the other figures of the results file",
    )
    parser.add_argument(
        "--only-arrow",
        action="store_true",
        help="rerun only the Arrow-input part, keeping the other figures of the results file",
    )
    parser.add_argument(
        "--outofcore-mb", type=float, help="MB of text the out-of-core fit reads (default 1000; smoke 2)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="results file (default benchmarks/results.json; smoke build/bench-smoke/results.json)",
    )
    args = parser.parse_args(argv)
    smoke = args.smoke
    return Settings(
        smoke=smoke,
        size_mb=args.size_mb if args.size_mb is not None else (0.2 if smoke else 100.0),
        repeat=max(1, args.repeat if args.repeat is not None else (1 if smoke else 3)),
        budget_s=args.budget_s,
        callgrind_mb=0.05 if smoke else 2.0,
        output=args.output or (ROOT / "build" / "bench-smoke" / "results.json" if smoke else HERE / "results.json"),
        write_report=not (smoke or args.no_report),
        only_similarity=args.only_similarity,
        only_outofcore=args.only_outofcore,
        outofcore_mb=args.outofcore_mb if args.outofcore_mb is not None else (2.0 if smoke else 1000.0),
        only_dask=args.only_dask,
        only_grouping=args.only_grouping,
        only_arrow=args.only_arrow,
    )


def rerun_part(settings: Settings, part: str) -> int:
    """Measure one part ('similarity', 'grouping', 'outofcore', 'arrow' or 'dask') again and merge it into an existing results file."""
    if not settings.output.exists():
        raise SystemExit(f"{settings.output} does not exist: run the whole suite first")
    results = json.loads(settings.output.read_text(encoding="utf-8"))
    started, busy_at_start, own_at_start = time.monotonic(), _busy_cpu_s(), _own_cpu_s()
    if part == "similarity":
        _say("similarity: top_k and similar_pairs against their peers")
        results[part] = run_similarity(settings)
    elif part == "grouping":
        _say("grouping: lexsim.group against scikit-learn's AgglomerativeClustering and HDBSCAN")
        results[part] = run_grouping(settings)
    elif part == "outofcore":
        _say(f"out-of-core: fit on {settings.outofcore_mb:g} MB from a generator and from a list")
        results[part] = run_outofcore(settings)
    elif part == "arrow":
        _say("arrow: fit_transform from a list, pyarrow, pandas and polars")
        results[part] = run_arrow(settings)
    else:
        _say(f"dask: lexsim.dask on 2 workers against one process, sentences corpus of {settings.size_mb:g} MB")
        results[part] = run_dask(settings)
    elapsed = time.monotonic() - started
    others = ((_busy_cpu_s() - busy_at_start) - (_own_cpu_s() - own_at_start)) / elapsed
    results[part]["measured_at_commit"] = machine_info()["commit"]
    results[part]["other_processes_cores"] = round(max(0.0, others), 3)
    settings.output.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    report = render(results)
    _say("\n" + report)
    if settings.write_report:
        write_report(report)
        _say(f"report: {REPORT_PAGE} updated between {MARK_START} and {MARK_END}")
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    settings = parse_args(argv)
    missing = corpora.missing_sources()
    if missing:
        where = ", ".join(str(p) for p in missing)
        hint = "set LEXSIM_CORPORA=<the shared corpora folder>"
        required = next(
            (
                shown
                for name, shown in (("LEXSIM_REQUIRE_CORPORA", "LEXSIM_REQUIRE_CORPORA=1"), ("CI", "CI=true"))
                if os.environ.get(name, "").strip().lower() in ("1", "true", "yes")
            ),
            "",
        )
        if settings.smoke and not required:
            _say(
                f"skipped the benchmark smoke run: it needs the corpora, {where} not found "
                f"({hint}; CI=true or LEXSIM_REQUIRE_CORPORA=1 makes this a failure)"
            )
            return 0
        raise SystemExit(
            f"the benchmarks need the corpora{f' ({required})' if required else ''}: {where} not found ({hint})"
        )
    if settings.only_similarity:
        return rerun_part(settings, "similarity")
    if settings.only_outofcore:
        return rerun_part(settings, "outofcore")
    if settings.only_dask:
        return rerun_part(settings, "dask")
    if settings.only_grouping:
        return rerun_part(settings, "grouping")
    if settings.only_arrow:
        return rerun_part(settings, "arrow")
    started, busy_at_start, own_at_start = time.monotonic(), _busy_cpu_s(), _own_cpu_s()
    machine = machine_info()
    durations: dict[str, float] = {}
    tools: tuple[Tool, ...] = TOOLS
    notes = []
    if importlib.util.find_spec("gensim") is None:
        if not settings.smoke:
            raise SystemExit(
                "gensim is needed for a full run: .venv/bin/pip install 'gensim>=4.4' (make bench does it)"
            )
        tools = tuple(t for t in TOOLS if t.key != "gensim-tfidf")
        notes.append("gensim is not installed: the smoke run skips it")
    for note in notes:
        _say(f"note: {note}")

    # Measurements that make no timing claims (the smoke run's) may share the cores.
    jobs = 2 if settings.smoke else 1
    _say(f"corpora: building or reusing {settings.size_mb:g} MB corpora in {corpora.DEFAULT_CACHE}")
    built = _timed("corpora", durations, lambda: build_corpora(settings.size_mb))
    names = list(built)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as background:
        # The smoke run counts instructions while it measures; a real run never overlaps timings.
        counting = background.submit(run_callgrind, settings) if settings.smoke else None

        def parity() -> dict:
            found = dict(zip(names, _map(lambda name: check_parity(built[name]), names, jobs)))
            for name in names:
                failed = [c for c in found[name]["checks"] if not c["ok"]]
                _say(
                    f"parity on {name}: {len(found[name]['checks']) - len(failed)}/{len(found[name]['checks'])} checks passed"
                )
                for c in failed:
                    same = (
                        f"same structure {c['same_structure']}"
                        if "same_structure" in c
                        else f"same feature names {c['same_feature_names']}"
                    )
                    _say(
                        f"  FAILED: lexsim {c['class']} n_jobs={c['n_jobs']} {c['op']}: {same}, "
                        f"max |difference| {c['max_abs_diff']:.3g} (tolerance {c['tolerance']:g})"
                    )
            return found

        parity_results = _timed("parity", durations, parity)
        if not all(p["ok"] for p in parity_results.values()):
            _say("lexsim's output differs from scikit-learn's: not measuring.")
            return 1

        steps = plan(names[:1] if settings.smoke else names, tools)

        def measure(step: tuple[str, Tool, str]) -> dict:
            name, tool, op = step
            _check_build(machine["lexsim_build"])
            result = run_worker(built[name], tool, op, settings)
            runs = len(result["times"])
            _say(
                f"{name} {op} {tool.label}: {result['best_s']:.3f} s (best of {runs}), peak RSS {result['peak_rss_mib']:,.0f} MiB"
            )
            return result

        def measure_all() -> list[dict]:
            _say(f"measuring: {len(steps)} measurements, each in its own process")
            return _map(measure, steps, jobs)

        measurements = _timed("measurements", durations, measure_all)
        if counting is not None:
            cg = counting.result()
        else:
            _say("callgrind: counting instructions")
            cg = _timed("callgrind", durations, lambda: run_callgrind(settings))
    if "skipped" in cg:
        _say(f"note: instructions not counted: {cg['skipped']}")
    _say("similarity: top_k and similar_pairs against their peers")
    similarity = _timed("similarity", durations, lambda: run_similarity(settings))
    _say("grouping: lexsim.group against scikit-learn's AgglomerativeClustering and HDBSCAN")
    grouping = _timed("grouping", durations, lambda: run_grouping(settings))
    _say(f"out-of-core: fit on {settings.outofcore_mb:g} MB from a generator and from a list")
    outofcore = _timed("outofcore", durations, lambda: run_outofcore(settings))
    _say("arrow: fit_transform from a list, pyarrow, pandas and polars")
    arrow = _timed("arrow", durations, lambda: run_arrow(settings))
    _say(f"dask: lexsim.dask on 2 workers against one process, sentences corpus of {settings.size_mb:g} MB")
    dask_part = _timed("dask", durations, lambda: run_dask(settings))
    if "skipped" in dask_part:
        notes.append(f"the Dask part was skipped: {dask_part['skipped']}")
        _say(f"note: {notes[-1]}")
    _check_build(machine["lexsim_build"])

    add_speedups(measurements)
    derived = derive(measurements, names)
    durations["total"] = round(time.monotonic() - started, 1)
    # Whatever else ran meanwhile competed for the cores: say how much, on average.
    others = ((_busy_cpu_s() - busy_at_start) - (_own_cpu_s() - own_at_start)) / durations["total"]
    if not settings.smoke and others > 0.1:
        notes.append(
            f"other processes kept {others:.2f} cores busy on average during the run, which may have slowed it down"
        )
    results = {
        "settings": {
            "smoke": settings.smoke,
            "size_mb": settings.size_mb,
            "repeat": settings.repeat,
            "budget_s": settings.budget_s,
            "callgrind_mb": settings.callgrind_mb,
        },
        "machine": machine,
        "notes": notes,
        "corpora": {n: {**c, "path": os.path.relpath(c["path"], ROOT)} for n, c in built.items()},
        "parity": parity_results,
        "measurements": measurements,
        "callgrind": cg,
        "similarity": similarity,
        "grouping": grouping,
        "outofcore": outofcore,
        "arrow": arrow,
        "dask": dask_part,
        **derived,
        "durations_s": durations,
        "other_processes_cores": round(max(0.0, others), 3),
    }
    settings.output.parent.mkdir(parents=True, exist_ok=True)
    settings.output.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    report = render(results)
    _say("\n" + report)
    _say(f"results: {settings.output}")
    if settings.write_report:
        write_report(report)
        _say(f"report: {REPORT_PAGE} updated between {MARK_START} and {MARK_END}")
    _say(f"total {durations['total']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

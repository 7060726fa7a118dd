"""Arrow input: TfidfVectorizer.fit_transform of the same documents given as a list of str, a pyarrow
array, a pandas Series of pandas' default str dtype and a polars Series, lexsim and scikit-learn side
by side, each measurement in a fresh process.

    python benchmarks/arrow_input.py [--size-mb N] [--smoke] [--repeat N] [--budget-s S]   # every row, one JSON object
    python benchmarks/arrow_input.py --worker INPUT TOOL --corpus FILE [--repeat N] [--budget-s S]

The documents are the sentences corpus of ``corpora.py`` (``sentences.jsonl``'s texts cycled to
``--size-mb``, default 100 MB). A worker reads the corpus into a list of str and makes its input
from it (``pa.array(list)``, ``pd.Series(list)``: ``str``, Arrow-backed in pandas 3 with pyarrow;
``pl.Series(list)``), then drops the list unless the list is the input: none of that is timed.
It then lowers its peak-RSS mark (Linux ``/proc/self/clear_refs``), notes its RSS and times
``fit_transform`` (lexsim ``TfidfVectorizer(n_jobs=1)`` or scikit-learn's ``TfidfVectorizer()``):
best of up to ``--repeat`` runs, another only while all runs so far plus one more fit in
``--budget-s``. Peak RSS is ``ru_maxrss`` after the first run.

scikit-learn iterates its input: a pyarrow array gives it ``pyarrow.StringScalar`` items, which it
cannot analyse, so its pyarrow row records that error and times ``fit_transform(array.to_pylist())``
instead (the conversion is in the time). lexsim's rows must all give the same matrix (a SHA-256 of
its indptr, indices and data) and scikit-learn's rows theirs; otherwise the exit status is 1.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpora  # noqa: E402  (benchmarks/ is not a package)

INPUTS = ("list", "pyarrow", "pandas", "polars")
TOOLS = ("lexsim", "sklearn")
LABELS = {
    "list": "list of str",
    "pyarrow": "pyarrow array (`pa.array(texts)`, string)",
    "pandas": "pandas Series (`pd.Series(texts)`: dtype str)",
    "polars": "polars Series (`pl.Series(texts)`: String)",
}


def _mib(kib: float) -> float:
    return round(kib / 1024, 1)


def _reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def make_input(kind: str, texts: list[str]) -> tuple[Any, str]:
    """The documents as ``kind``, and a description of what it is (type, dtype)."""
    if kind == "list":
        return texts, "list"
    if kind == "pyarrow":
        import pyarrow as pa

        docs = pa.array(texts)
        return docs, f"{type(docs).__name__} {docs.type}"
    if kind == "pandas":
        import pandas as pd

        s = pd.Series(texts)
        return s, f"pandas {pd.__version__} Series dtype {s.dtype!r} ({type(s.array).__name__})"
    if kind == "polars":
        import polars as pl

        s = pl.Series(texts)
        return s, f"polars {pl.__version__} Series {s.dtype}"
    raise ValueError(kind)


def _digest(X: Any) -> str:
    X = X.tocsr()
    h = hashlib.sha256()
    for part in (X.indptr.astype("int64"), X.indices.astype("int64"), X.data.astype("float64")):
        h.update(part.tobytes())
    return h.hexdigest()


def worker(kind: str, tool: str, corpus: str, repeat: int, budget_s: float) -> dict:
    if tool == "lexsim":
        import lexsim

        def make() -> Any:
            return lexsim.TfidfVectorizer(n_jobs=1)
    else:
        from sklearn.feature_extraction.text import TfidfVectorizer

        def make() -> Any:
            return TfidfVectorizer()

    texts = corpora.load(corpus)
    n_docs, n_bytes = len(texts), sum(len(t.encode("utf-8")) for t in texts)
    docs, what = make_input(kind, texts)
    if kind != "list":
        del texts
    result: dict[str, Any] = {"input": kind, "tool": tool, "what": what, "docs": n_docs, "bytes": n_bytes}
    call = lambda: make().fit_transform(docs)  # noqa: E731
    if tool == "sklearn" and kind == "pyarrow":
        try:
            make().fit_transform(docs[:10])
        except Exception as e:  # what a user sees: recorded, then the conversion a user would add
            result["error"] = f"{type(e).__name__}: {e}"
            call = lambda: make().fit_transform(docs.to_pylist())  # noqa: E731
            result["converted"] = "to_pylist() in the time"
    times: list[float] = []
    while len(times) < repeat and (not times or sum(times) + min(times) <= budget_s):
        gc.collect()
        if not times:
            reset = _reset_peak_rss()
            result["rss_before_mib"] = _mib(_status_kib("VmRSS"))
            result["peak_reset"] = reset
        start = time.perf_counter()
        X = call()
        times.append(time.perf_counter() - start)
        if len(times) == 1:
            result["peak_rss_mib"] = _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            result["digest"] = _digest(X)
            result["shape"], result["nnz"] = list(X.shape), int(X.nnz)
        del X
    best = min(times)
    result.update(
        times=[round(t, 6) for t in times],
        best_s=round(best, 6),
        mb_per_s=round(n_bytes / 1e6 / best, 2),
        increment_mib=round(result["peak_rss_mib"] - result["rss_before_mib"], 1),
    )
    return result


def run_all(size_mb: float, repeat: int, budget_s: float) -> dict:
    corpus = corpora.build("sentences", size_mb)
    rows = []
    for tool in TOOLS:
        for kind in INPUTS:
            run = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--worker",
                    kind,
                    tool,
                    "--corpus",
                    corpus["path"],
                    "--repeat",
                    str(repeat),
                    "--budget-s",
                    str(budget_s),
                ],
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                raise SystemExit(f"arrow_input worker {tool} {kind} failed:\n{run.stderr[-4000:]}")
            rows.append(json.loads(run.stdout))
    by_tool = {t: {r["digest"] for r in rows if r["tool"] == t} for t in TOOLS}
    same = all(len(d) == 1 for d in by_tool.values())
    reference = {r["tool"]: r["best_s"] for r in rows if r["input"] == "list"}
    for r in rows:
        r["vs_list"] = round(reference[r["tool"]] / r["best_s"], 3)  # above 1: faster than the list
        r["vs_sklearn_same_input"] = None
    for r in rows:
        if r["tool"] == "lexsim":
            peer = next(p for p in rows if p["tool"] == "sklearn" and p["input"] == r["input"])
            r["vs_sklearn_same_input"] = round(peer["best_s"] / r["best_s"], 2)
    return {
        "corpus": {k: corpus[k] for k in ("name", "docs", "bytes")},
        "size_mb": size_mb,
        "rows": rows,
        "same_matrix": same,
    }


def render(result: dict) -> list[str]:
    """The report's section for run.py."""
    c = result["corpus"]
    out = [
        "",
        "### Arrow input: a list of str, pyarrow, pandas and polars",
        "",
        f"`benchmarks/arrow_input.py`: `TfidfVectorizer().fit_transform` of the sentences corpus ({c['bytes'] / 1e6:,.1f} MB, "
        f"{c['docs']:,} documents) given as a list of str, a pyarrow array, a pandas Series (pandas' default dtype) and a "
        "polars Series; lexsim with n_jobs=1 and scikit-learn, each row a fresh process (making the input is not timed; the "
        "list is dropped once the input is made from it). *vs list* is the list's time over this row's, for the same tool. "
        f"Every lexsim row gave one matrix and every scikit-learn row another: {'yes' if result['same_matrix'] else '**no**'}.",
        "",
        "| tool | input | time (s) | MB/s | vs list | vs scikit-learn, same input | peak RSS (MiB) | +RSS (MiB) | runs |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in result["rows"]:
        tool = "lexsim TfidfVectorizer" if r["tool"] == "lexsim" else "scikit-learn TfidfVectorizer"
        what = LABELS[r["input"]] + (" → `to_pylist()` (it raises on the array itself)" if r.get("converted") else "")
        vs = f"{r['vs_sklearn_same_input']:.3g}×" if r["vs_sklearn_same_input"] is not None else ""
        out.append(
            f"| {tool} | {what} | {r['best_s']:.3g} | {r['mb_per_s']:.3g} | {r['vs_list']:.3g}× | {vs} | "
            f"{r['peak_rss_mib']:,.0f} | {r['increment_mib']:,.0f} | {len(r['times'])} |"
        )
    errors = {r["error"] for r in result["rows"] if r.get("error")}
    for e in sorted(errors):
        out += ["", f"scikit-learn on the pyarrow array itself: `{e[:200]}`"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, help="MB of text (default 100; smoke 0.2)")
    parser.add_argument("--smoke", action="store_true", help="0.2 MB, one run each: only check that it works")
    parser.add_argument("--repeat", type=int, help="runs per measurement at most (default 3; smoke 1)")
    parser.add_argument("--budget-s", type=float, default=20.0)
    parser.add_argument("--worker", nargs=2, metavar=("INPUT", "TOOL"), help="one measurement in this process")
    parser.add_argument("--corpus", help="the corpus file (with --worker)")
    parser.add_argument("--markdown", action="store_true", help="print the report section instead of JSON")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat if args.repeat is not None else (1 if args.smoke else 3))
    if args.worker:
        kind, tool = args.worker
        if kind not in INPUTS or tool not in TOOLS:
            parser.error(f"--worker INPUT TOOL: INPUT in {INPUTS}, TOOL in {TOOLS}")
        print(json.dumps(worker(kind, tool, args.corpus, repeat, args.budget_s)))
        return 0
    size_mb = args.size_mb if args.size_mb is not None else (0.2 if args.smoke else 100.0)
    result = run_all(size_mb, repeat, args.budget_s)
    print("\n".join(render(result)) if args.markdown else json.dumps(result))
    return 0 if result["same_matrix"] else 1


if __name__ == "__main__":
    sys.exit(main())

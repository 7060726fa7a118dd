"""Dask: lexsim.dask.TfidfVectorizer on a distributed.LocalCluster of 2 worker processes against the
single-process fit of the same documents, each configuration in a fresh process.

    python benchmarks/dask_bench.py [--size-mb N] [--partitions N] [--repeat N] [--budget-s S] [--smoke]
    python benchmarks/dask_bench.py --prepare --size-mb N        # the corpus and its JSONL copy
    python benchmarks/dask_bench.py --worker CONFIG[,CONFIG...] --jsonl FILE --partitions N [--repeat N]

The documents are the suite's sentences corpus (``corpora.py``, ``--size-mb`` MB, default 100),
also written under ``build/bench-data`` as JSONL, one ``{"text": ...}`` object a line (some texts
contain newlines, so a plain line-per-document file would split them). Every configuration reads
that file: the single-process ones into a list (timed on its own, not part of the operation), the
Dask ones either on the workers themselves (``dask.bag.read_text`` in ``--partitions`` byte blocks,
then ``json.loads``; reading is part of the operation) or into a list on the client that
``dask.bag.from_sequence`` ships to the workers (shipping is part of the operation).

Configurations (``CONFIGS``):

- ``lexsim-N-fit``, ``lexsim-N-fit_transform``: ``lexsim.TfidfVectorizer(n_jobs=N)`` on the list,
  N = 1 (the reference) and 2 (what the same 2 cores do in one process);
- ``sklearn-fit``: scikit-learn's ``TfidfVectorizer().fit`` on the list, for scale;
- ``dask-SOURCE-fit``, ``dask-SOURCE-fit_transform`` with SOURCE ``read_text`` or ``from_sequence``:
  ``lexsim.dask.TfidfVectorizer(n_jobs=1)`` on ``LocalCluster(n_workers=2, threads_per_worker=1,
  processes=True)``. ``fit_transform`` persists the result blocks on the workers
  (``X.persist()``, ``distributed.wait``); nothing per document comes back to the client. After
  the timed part, each block's rows, non-zeros, bytes and a checksum are computed where it lives.

A Dask process first starts the cluster, imports lexsim on both workers and runs a warm-up
``fit_transform`` of 2,000 documents (timed as start-up, not part of any operation). Each run records
Dask's task stream; the row keeps the best run's seconds of task time per kind of task
(``task_breakdown``). Peak memory: each process lowers its peak-RSS mark (``/proc/self/clear_refs``)
just before the first run; the client's figure is ``ru_maxrss`` (the client process also runs the
scheduler and the two nannies), each worker's is ``VmHWM`` from ``/proc/self/status``, read with
``client.run``. Time is the best of up to ``--repeat`` runs in that process (another run only while
all runs fit in ``--budget-s`` seconds); memory is from the first.

Exactness: every Dask fit must give the reference's feature names and ``idf_`` bytes, and every
``fit_transform`` the reference's shape, non-zeros and a 64-bit checksum over each stored entry's
(row, column, value bits); otherwise the exit status is 1. The smoke run (0.2 MB, one run) measures all
single-process configurations in one process and all Dask ones on one cluster in another, to stay
short.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpora  # noqa: E402  (benchmarks/ is not a package)

N_WORKERS = 2
SINGLE = ("lexsim-1-fit", "lexsim-1-fit_transform", "lexsim-2-fit", "lexsim-2-fit_transform", "sklearn-fit")
DASK = (
    "dask-read_text-fit",
    "dask-read_text-fit_transform",
    "dask-from_sequence-fit",
    "dask-from_sequence-fit_transform",
)
CONFIGS = SINGLE + DASK
REFERENCE_FIT, REFERENCE_FIT_TRANSFORM = "lexsim-1-fit", "lexsim-1-fit_transform"
#: A block is at most this many bytes of JSONL when the partition count is chosen automatically.
MAX_BLOCK_BYTES = 32 * 2**20
#: Bump when the JSONL writer changes, so that cached files are rebuilt.
JSONL_RECIPE = 1


# ---------------------------------------------------------------------------- memory


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def _reset_peak_rss() -> bool:
    """Lower this process's peak-RSS mark (VmHWM, and ru_maxrss above what exec inherited) to its RSS."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _memory() -> dict:
    """This process's memory, in MiB: RSS now, VmHWM (peak since the last reset) and ru_maxrss."""
    return {
        "rss_mib": _mib(_status_kib("VmRSS")),
        "hwm_mib": _mib(_status_kib("VmHWM")),
        "maxrss_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }


def _mib(kib: float) -> float:
    return round(kib / 1024, 1)


# ---------------------------------------------------------------------------- what is compared


def fit_digest(vec: Any) -> str:
    """SHA-256 of a fitted vectorizer's feature names and idf bytes."""
    names = "\n".join(vec.get_feature_names_out()).encode("utf-8")
    return hashlib.sha256(names + vec.idf_.tobytes()).hexdigest()


def names_digest(vec: Any) -> str:
    return hashlib.sha256("\n".join(vec.get_feature_names_out()).encode("utf-8")).hexdigest()


_MASK = 2**64 - 1


def block_stats(X: Any) -> dict:
    """Rows, columns, non-zeros, bytes of a CSR block and two sums that combine into a checksum of
    the whole matrix: ``s0`` = sum of h(column, value bits), ``s1`` = sum of (local row + 1) * h, both
    mod 2^64, so a block starting at row ``off`` adds ``s1 + off * s0`` to the matrix's ``s1``."""
    import numpy as np
    import scipy.sparse as sp

    X = sp.csr_matrix(X)
    if X.dtype != np.float64:
        raise TypeError(f"expected float64 values, got {X.dtype}")
    rows = np.repeat(np.arange(1, X.shape[0] + 1, dtype=np.uint64), np.diff(X.indptr))
    with np.errstate(over="ignore"):
        h = (X.indices.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ X.data.view(np.uint64)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(31)
        s0 = int(h.sum(dtype=np.uint64))
        s1 = int((h * rows).sum(dtype=np.uint64))
    return {
        "rows": X.shape[0],
        "cols": X.shape[1],
        "nnz": int(X.nnz),
        "bytes": int(X.data.nbytes + X.indices.nbytes + X.indptr.nbytes),
        "s0": s0,
        "s1": s1,
    }


def combine_stats(blocks: list[dict]) -> dict:
    """The whole matrix's figures from its row blocks' (in order)."""
    rows = nnz = nbytes = s1 = 0
    for b in blocks:
        s1 = (s1 + b["s1"] + rows * b["s0"]) & _MASK
        rows += b["rows"]
        nnz += b["nnz"]
        nbytes += b["bytes"]
    return {
        "rows": rows,
        "cols": blocks[0]["cols"] if blocks else 0,
        "nnz": nnz,
        "bytes": nbytes,
        "checksum": f"{s1:016x}",
        "blocks": len(blocks),
    }


# ---------------------------------------------------------------------------- the corpus as JSONL


def prepare(size_mb: float) -> dict:
    """Build (or reuse) the sentences corpus and its JSONL copy; return both descriptions."""
    meta = corpora.build("sentences", size_mb)
    path = Path(meta["path"])
    jsonl = path.with_suffix(".jsonl")
    sidecar = jsonl.with_suffix(".jsonl.json")
    want = {
        "recipe": JSONL_RECIPE,
        "source": path.name,
        "source_bytes": meta["bytes"],
        "docs": meta["docs"],
        "sources": meta["sources"],
    }
    if jsonl.exists() and sidecar.exists():
        have = json.loads(sidecar.read_text())
        if {k: have.get(k) for k in want} == want and have.get("file_bytes") == jsonl.stat().st_size:
            return {"corpus": meta, "jsonl": str(jsonl), "jsonl_bytes": have["file_bytes"]}
    docs = corpora.load(path)
    tmp = jsonl.with_suffix(".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for doc in docs:
            fh.write(json.dumps({"text": doc}, ensure_ascii=False))
            fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, jsonl)
    want["file_bytes"] = jsonl.stat().st_size
    sidecar.write_text(json.dumps(want, indent=1) + "\n")
    return {"corpus": meta, "jsonl": str(jsonl), "jsonl_bytes": want["file_bytes"]}


def read_jsonl(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def _line_text(line: str) -> str:
    return json.loads(line)["text"]


def auto_partitions(jsonl_bytes: int) -> int:
    """A multiple of the worker count, at least two partitions each, blocks of at most 32 MiB."""
    per_worker = max(2, math.ceil(jsonl_bytes / (N_WORKERS * MAX_BLOCK_BYTES)))
    return N_WORKERS * per_worker


# ---------------------------------------------------------------------------- measuring


def _repeat(run: Callable[[], float], repeat: int, budget_s: float) -> list[float]:
    """Time ``run`` (which returns its own duration) up to ``repeat`` times: another run only while
    all runs so far plus one more fit in ``budget_s``."""
    times = [run()]
    while len(times) < repeat and sum(times) + times[-1] <= budget_s:
        times.append(run())
    return times


def single_worker(config: str, jsonl: str, repeat: int, budget_s: float) -> dict:
    tool, *rest = config.split("-")
    op = rest[-1]
    n_jobs = int(rest[0]) if tool == "lexsim" else 1
    import numpy as np  # noqa: F401  (imported before the mark is reset, as every library is)

    if tool == "lexsim":
        import lexsim

        def make() -> Any:
            return lexsim.TfidfVectorizer(n_jobs=n_jobs)
    else:
        from sklearn.feature_extraction.text import TfidfVectorizer

        def make() -> Any:
            return TfidfVectorizer()

    start = time.perf_counter()
    docs = read_jsonl(jsonl)
    read_s = time.perf_counter() - start
    gc.collect()
    reset = _reset_peak_rss()
    before = _memory()
    out: dict[str, Any] = {}

    def run() -> float:
        vec = make()
        start = time.perf_counter()
        X = vec.fit_transform(docs) if op == "fit_transform" else vec.fit(docs)
        elapsed = time.perf_counter() - start
        if "client" not in out:  # the first run: memory, then what is compared
            out["client"] = _memory()
            out["names_digest"] = names_digest(vec)
            if tool == "lexsim":
                out["digest"] = fit_digest(vec)
            if op == "fit_transform":
                out["matrix"] = combine_stats([block_stats(X)])
        del X, vec
        return elapsed

    times = _repeat(run, repeat, budget_s)
    return {
        "config": config,
        "tool": tool,
        "n_jobs": n_jobs,
        "op": op,
        "docs": len(docs),
        "read_jsonl_s": round(read_s, 3),
        "times": [round(t, 4) for t in times],
        "best_s": round(min(times), 4),
        "peak_reset": reset,
        "client_before": before,
        **out,
    }


#: Task-name prefixes -> what the task does, for the breakdown of the workers' time.
_TASK_KINDS = (
    (("bag-from-delayed", "read", "decode", "_line_text", "from_sequence"), "documents"),
    (("_count_partition",), "count"),
    (("_merge_two",), "merge"),
    (("from-value-_transform_partition", "from-value-transform_partition", "_transform_partition"), "transform"),
)


def task_breakdown(records: list[dict]) -> dict:
    """Seconds of worker time per kind of task (summed over both workers) from a task stream:
    ``transfer`` is time spent fetching a task's inputs from the other worker, whatever the task."""
    out: dict[str, float] = {}
    for r in records:
        key = r["key"] if isinstance(r["key"], str) else r["key"][0]
        kind = next((k for prefixes, k in _TASK_KINDS if key.startswith(prefixes)), "other")
        for s in r["startstops"]:
            what = "transfer" if s["action"] == "transfer" else kind
            out[what] = out.get(what, 0.0) + s["stop"] - s["start"]
    return {k: round(v, 3) for k, v in sorted(out.items())}


def _warm() -> int:
    """Run on each worker before timing: what the tasks will import, imported."""
    import lexsim.dask  # noqa: F401

    return os.getpid()


def dask_worker(configs: list[str], jsonl: str, partitions: int, repeat: int, budget_s: float) -> list[dict]:
    import logging

    import dask
    import dask.bag as db
    import distributed

    import lexsim.dask

    start = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=N_WORKERS, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    )
    client = distributed.Client(cluster)
    client.wait_for_workers(N_WORKERS)
    cluster_s = time.perf_counter() - start
    pids = client.run(_warm)
    # A small fit_transform first, so that no timed run pays for first-time costs (connections
    # between the workers, lazy imports in the tasks).
    with open(jsonl, encoding="utf-8") as fh:
        sample = [_line_text(line) for _, line in zip(range(2000), fh)]
    warm = (
        lexsim.dask.TfidfVectorizer(n_jobs=1)
        .fit_transform(db.from_sequence(sample, npartitions=2 * N_WORKERS))
        .persist()
    )
    distributed.wait(warm)
    client.cancel(warm)
    del warm, sample
    startup_s = time.perf_counter() - start
    # read_bytes makes size // blocksize blocks (the last one longer): exactly `partitions` blocks.
    blocksize = os.path.getsize(jsonl) // partitions
    results = []
    try:
        for config in configs:
            _, source, op = config.split("-")
            docs = read_jsonl(jsonl) if source == "from_sequence" else None

            def bag() -> Any:
                if docs is not None:
                    return db.from_sequence(docs, partition_size=math.ceil(len(docs) / partitions))
                return db.read_text(jsonl, blocksize=blocksize, encoding="utf-8").map(_line_text)

            gc.collect()
            reset = all([_reset_peak_rss(), *client.run(_reset_peak_rss).values()])
            before = {"client": _memory(), "workers": list(client.run(_memory).values())}
            out: dict[str, Any] = {}

            breakdowns: list[dict] = []

            def run() -> float:
                vec = lexsim.dask.TfidfVectorizer(n_jobs=1)
                # What each task did (the scheduler keeps a task stream anyway; this asks for it).
                with distributed.get_task_stream(client) as stream:
                    start = time.perf_counter()
                    b = bag()
                    if op == "fit":
                        vec.fit(b)
                        X = None
                    else:
                        X = vec.fit_transform(b).persist()
                        distributed.wait(X)
                    elapsed = time.perf_counter() - start
                breakdowns.append(task_breakdown(stream.data))
                if "client" not in out:  # the first run: memory, then what is compared
                    out["client"] = _memory()
                    out["workers"] = list(client.run(_memory).values())
                    out["digest"] = fit_digest(vec)
                    out["names_digest"] = names_digest(vec)
                    out["partitions"] = b.npartitions
                    if X is not None:
                        stats = dask.compute(*[dask.delayed(block_stats)(blk) for blk in X.to_delayed().ravel()])
                        out["matrix"] = combine_stats(list(stats))
                if X is not None:
                    client.cancel(X)
                del X, b, vec
                return elapsed

            times = _repeat(run, repeat, budget_s)
            out["tasks_s"] = breakdowns[times.index(min(times))]  # of the best run
            results.append(
                {
                    "config": config,
                    "tool": "lexsim.dask",
                    "source": source,
                    "op": op,
                    "n_workers": N_WORKERS,
                    "threads_per_worker": 1,
                    "cluster_start_s": round(cluster_s, 3),
                    "startup_s": round(startup_s, 3),
                    "shared_cluster": len(configs) > 1,
                    "blocksize_bytes": blocksize if source == "read_text" else None,
                    "times": [round(t, 4) for t in times],
                    "best_s": round(min(times), 4),
                    "peak_reset": reset,
                    "before": before,
                    **out,
                }
            )
            docs = None
    finally:
        client.close()
        cluster.close()
    assert len(set(pids.values())) == N_WORKERS
    return results


# ---------------------------------------------------------------------------- orchestration


def _python(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)


def _output(run: subprocess.CompletedProcess, what: str) -> Any:
    if run.returncode != 0:
        raise SystemExit(f"dask_bench {what} failed (exit {run.returncode}):\n{run.stderr[-4000:]}")
    return json.loads(run.stdout)


def check(rows: list[dict]) -> list[dict]:
    """Each row against the reference: same fit (names and idf bytes), same matrix (checksum)."""
    by = {r["config"]: r for r in rows}
    ref_fit, ref_matrix = by[REFERENCE_FIT], by[REFERENCE_FIT_TRANSFORM].get("matrix")
    checks = []
    for r in rows:
        if r["config"] == REFERENCE_FIT:
            continue
        if "digest" in r:
            checks.append(
                {"config": r["config"], "what": "feature names and idf bytes", "ok": r["digest"] == ref_fit["digest"]}
            )
        else:
            checks.append(
                {"config": r["config"], "what": "feature names", "ok": r["names_digest"] == ref_fit["names_digest"]}
            )
        if r["op"] == "fit_transform" and r is not by[REFERENCE_FIT_TRANSFORM]:
            checks.append(
                {
                    "config": r["config"],
                    "what": "matrix (shape, non-zeros, checksum)",
                    "ok": r.get("matrix") is not None
                    and {k: r["matrix"][k] for k in ("rows", "cols", "nnz", "checksum")}
                    == {k: ref_matrix[k] for k in ("rows", "cols", "nnz", "checksum")},
                }
            )
    return checks


def run_all(size_mb: float, partitions: int | None, repeat: int, budget_s: float, smoke: bool) -> dict:
    # The corpus is built in a child, so that this process (whose peak every worker would inherit
    # at exec) never holds it.
    prepared = _output(_python("--prepare", "--size-mb", str(size_mb)), "--prepare")
    jsonl = prepared["jsonl"]
    parts = partitions or auto_partitions(prepared["jsonl_bytes"])
    common = ["--jsonl", jsonl, "--partitions", str(parts), "--repeat", str(repeat), "--budget-s", str(budget_s)]
    rows = []
    batches = [list(SINGLE), list(DASK)] if smoke else [[c] for c in CONFIGS]
    for batch in batches:
        rows.extend(_output(_python("--worker", ",".join(batch), *common), ",".join(batch)))
    corpus = prepared["corpus"]
    for r in rows:
        r["mb_per_s"] = round(corpus["bytes"] / 1e6 / r["best_s"], 1)
    checks = check(rows)
    return {
        "corpus": {k: corpus[k] for k in ("name", "docs", "bytes", "description")},
        "jsonl_bytes": prepared["jsonl_bytes"],
        "partitions": parts,
        "repeat": repeat,
        "budget_s": budget_s,
        "smoke": smoke,
        "cores": os.cpu_count(),
        "rows": rows,
        "checks": checks,
        "same_fit": all(c["ok"] for c in checks),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, help="MB of text in the sentences corpus (default 100; smoke 0.2)")
    parser.add_argument(
        "--partitions",
        type=int,
        help="partitions of the Dask bags (default: a multiple of 2 with blocks of at most 32 MiB, at least 4)",
    )
    parser.add_argument(
        "--repeat", type=int, help="runs per configuration at most, the best is kept (default 3; smoke 1)"
    )
    parser.add_argument(
        "--budget-s",
        type=float,
        default=20.0,
        help="another run only while all runs fit in this many seconds (default 20)",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="0.2 MB, one run, two processes: only to check that it works"
    )
    parser.add_argument(
        "--prepare", action="store_true", help="build the corpus and its JSONL copy, print where they are"
    )
    parser.add_argument("--worker", help="comma-separated configurations to measure in this process")
    parser.add_argument("--jsonl", help="the corpus as JSONL (for --worker)")
    args = parser.parse_args(argv)
    size_mb = args.size_mb if args.size_mb is not None else (0.2 if args.smoke else 100.0)
    repeat = max(1, args.repeat if args.repeat is not None else (1 if args.smoke else 3))
    if args.prepare:
        print(json.dumps(prepare(size_mb)))
        return 0
    if args.worker:
        configs = args.worker.split(",")
        unknown = [c for c in configs if c not in CONFIGS]
        if unknown or not args.jsonl or not args.partitions:
            parser.error(f"--worker needs known configurations ({', '.join(CONFIGS)}), --jsonl and --partitions")
        if all(c in DASK for c in configs):
            print(json.dumps(dask_worker(configs, args.jsonl, args.partitions, repeat, args.budget_s)))
        elif all(c in SINGLE for c in configs):
            print(json.dumps([single_worker(c, args.jsonl, repeat, args.budget_s) for c in configs]))
        else:
            parser.error("Dask and single-process configurations do not share a process")
        return 0
    result = run_all(size_mb, args.partitions, repeat, args.budget_s, args.smoke)
    print(json.dumps(result))
    return 0 if result["same_fit"] else 1


if __name__ == "__main__":
    sys.exit(main())

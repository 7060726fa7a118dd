"""Out-of-core fitting: TfidfVectorizer.fit on about 1 GB of text from a generator, against the same
documents in a list, each in a fresh process; peak memory is what this measures.

    python benchmarks/outofcore.py [--size-mb N] [--smoke]        # both ways, one JSON object
    python benchmarks/outofcore.py --worker stream|list --size-mb N [--n-jobs N]

The documents are the texts of ``sentences/sentences.jsonl`` cycled in file order until their UTF-8
size reaches ``--size-mb`` (default 1000 MB; never written to disk). Each yielded document is a new
``str`` (a copy of its source text), as documents read from a file would be. ``stream`` gives the
generator itself to ``fit``, which reads it in batches of about 32 MB; ``list`` first makes the list
of all documents (included in the time and memory: that is what the list costs).

A worker loads the 50,000 source texts and imports lexsim, then lowers its peak-RSS mark to its
current RSS (Linux ``/proc/self/clear_refs``), notes that RSS, fits, and reports
``getrusage(RUSAGE_SELF).ru_maxrss``: the whole process at its highest during the fit. Both ways
must give the same vocabulary and idf (their digests are compared); otherwise the exit status is 1.
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
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpora  # noqa: E402  (benchmarks/ is not a package)

MODES = ("stream", "list")


def documents(texts: list[str], sizes: list[int], target: int) -> Iterator[str]:
    """``texts`` cycled until ``target`` UTF-8 bytes, each document a fresh copy."""
    total = 0
    while True:
        for t, n in zip(texts, sizes):
            if total >= target:
                return
            total += n
            yield t[:1] + t[1:]  # a new str object, not a reference to the source text


def _mib(kib: float) -> float:
    return round(kib / 1024, 1)


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def _reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def worker(mode: str, size_mb: float, n_jobs: int) -> dict:
    import lexsim

    texts = [t for t in corpora._sentence_texts(corpora.DEFAULT_SHARED) if t]
    sizes = [len(t.encode("utf-8")) for t in texts]
    target = int(size_mb * 1e6)
    n_docs = n_bytes = 0
    for n in _cycled_sizes(sizes, target):
        n_docs += 1
        n_bytes += n
    gc.collect()
    reset = _reset_peak_rss()
    before = _status_kib("VmRSS")
    start = time.perf_counter()
    vec = lexsim.TfidfVectorizer(n_jobs=n_jobs)
    if mode == "stream":
        vec.fit(documents(texts, sizes, target))
    else:
        docs = list(documents(texts, sizes, target))
        vec.fit(docs)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    digest = hashlib.sha256("\n".join(vec.get_feature_names_out()).encode("utf-8") + vec.idf_.tobytes()).hexdigest()
    return {
        "mode": mode,
        "n_jobs": n_jobs,
        "docs": n_docs,
        "bytes": n_bytes,
        "seconds": round(elapsed, 3),
        "mb_per_s": round(n_bytes / 1e6 / elapsed, 1),
        "peak_reset": reset,
        "rss_before_mib": _mib(before),
        "peak_rss_mib": _mib(peak),
        "increment_mib": _mib(peak - before),
        "features": len(vec.idf_),
        "batch_mb": lexsim.TfidfVectorizer._batch_bytes / 2**20,
        "digest": digest,
    }


def _cycled_sizes(sizes: list[int], target: int) -> Iterator[int]:
    total = 0
    while True:
        for n in sizes:
            if total >= target:
                return
            total += n
            yield n


def run_all(size_mb: float, n_jobs_values: tuple[int, ...]) -> dict:
    rows = []
    for n_jobs in n_jobs_values:
        for mode in MODES:
            run = subprocess.run(
                [sys.executable, __file__, "--worker", mode, "--size-mb", str(size_mb), "--n-jobs", str(n_jobs)],
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                raise SystemExit(f"outofcore worker {mode} n_jobs={n_jobs} failed:\n{run.stderr[-4000:]}")
            rows.append(json.loads(run.stdout))
    same = len({r["digest"] for r in rows}) == 1
    return {"size_mb": size_mb, "rows": rows, "same_fit": same}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, help="MB of text to fit (default 1000; smoke 2)")
    parser.add_argument("--smoke", action="store_true", help="2 MB, only to check that it works")
    parser.add_argument("--worker", choices=MODES, help="one measurement in this process")
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args(argv)
    size_mb = args.size_mb if args.size_mb is not None else (2.0 if args.smoke else 1000.0)
    if args.worker:
        print(json.dumps(worker(args.worker, size_mb, args.n_jobs)))
        return 0
    result = run_all(size_mb, (1,) if args.smoke else (1, 2))
    print(json.dumps(result))
    return 0 if result["same_fit"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Similarity benchmarks: lexsim's top_k and similar_pairs against their peers, in one process.

    python benchmarks/similarity.py [--smoke] [--repeat N] [--budget-s S]

Input: the TF-IDF matrix (scikit-learn's defaults, built with lexsim, which equals scikit-learn's)
of the texts of ``sentences/sentences.jsonl`` in the shared corpora (50,000 documents; the smoke
run takes the first 2,000).

* ``top_k``, k = 10, each row against all others (its own match left out): lexsim n_jobs 1 and 2;
  sparse_dot_topn's ``sp_matmul_topn(X, X.T, top_n=11, n_threads=1)`` (its self-match dropped
  afterwards, which is why it asks for 11); scipy's ``X[chunk] @ X.T`` in chunks of 2,000 rows with
  ``np.argpartition`` per chunk (scipy's sparse product uses one thread).
* ``similar_pairs`` at thresholds 0.7 and 0.9: lexsim n_jobs 1 and 2; the chunked scipy product
  keeping the upper triangle ``>= threshold``.

Before timing, each peer's output is checked against lexsim's: the same pairs, and for top_k the
same scores per row (columns may differ only between equal scores), all to 1e-12. The peers are
timed in the same process, alternating tool by tool: best of up to ``--repeat`` runs, another run
started only while all runs of that tool fit in ``--budget-s`` seconds. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpora  # noqa: E402

import lexsim  # noqa: E402

K = 10
THRESHOLDS = (0.7, 0.9)
CHUNK = 2000
TOLERANCE = 1e-12


def scipy_top_k(X: sp.csr_matrix, XT: sp.csr_matrix, k: int) -> list[np.ndarray]:
    """Per row, the scores of its k best other rows, best first (brute force in chunks)."""
    out = []
    for start in range(0, X.shape[0], CHUNK):
        P = (X[start : start + CHUNK] @ XT).toarray()
        P[np.arange(P.shape[0]), np.arange(start, start + P.shape[0])] = -np.inf  # own match out
        best = np.argpartition(-P, k, axis=1)[:, :k]
        scores = np.take_along_axis(P, best, axis=1)
        out.extend(np.sort(s[s > 0])[::-1] for s in scores)
    return out


def sdt_top_k(X: sp.csr_matrix, XT: sp.csr_matrix, k: int) -> Any:
    from sparse_dot_topn import sp_matmul_topn

    return sp_matmul_topn(X, XT, top_n=k + 1, n_threads=1)


def sdt_scores(M: sp.csr_matrix, k: int) -> list[np.ndarray]:
    M = M.tolil()
    M.setdiag(0)  # drop the self-match
    M = M.tocsr()
    M.eliminate_zeros()
    return [np.sort(M.data[M.indptr[r] : M.indptr[r + 1]])[::-1][:k] for r in range(M.shape[0])]


def lexsim_scores(R: sp.csr_matrix) -> list[np.ndarray]:
    return [np.sort(R.data[R.indptr[r] : R.indptr[r + 1]])[::-1] for r in range(R.shape[0])]


def scipy_pairs(X: sp.csr_matrix, XT: sp.csr_matrix, t: float) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for start in range(0, X.shape[0], CHUNK):
        P = sp.triu(X[start : start + CHUNK] @ XT, k=start + 1).tocoo()
        keep = P.data >= t
        found.update(zip((P.row[keep] + start).tolist(), P.col[keep].tolist()))
    return found


def same_scores(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(
        len(x) == len(y) and np.allclose(x, y, rtol=0, atol=TOLERANCE) for x, y in zip(a, b)
    )


def timed(fn: Callable[[], Any], repeat: int, budget_s: float) -> dict:
    times: list[float] = []
    while True:
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        if len(times) >= repeat or sum(times) + min(times) > budget_s:
            return {"best_s": min(times), "times": times}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="2,000 documents, one run each")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget-s", type=float, default=60.0)
    args = parser.parse_args(argv)
    repeat = 1 if args.smoke else max(1, args.repeat)

    docs = corpora._sentence_texts(corpora.DEFAULT_SHARED)
    if args.smoke:
        docs = docs[:2000]
    X = lexsim.TfidfVectorizer().fit_transform(docs).astype(np.float64)
    XT = X.T.tocsr()
    result: dict[str, Any] = {"docs": X.shape[0], "features": X.shape[1], "nnz": int(X.nnz), "k": K, "rows": []}

    try:
        import sparse_dot_topn

        sdt_version: Optional[str] = sparse_dot_topn.__version__
    except ImportError:
        sdt_version = None
    result["sparse_dot_topn"] = sdt_version

    # top_k: check, then time.
    reference = lexsim_scores(lexsim.top_k(X, k=K))
    checks = {"scipy chunked": same_scores(scipy_top_k(X, XT, K), reference)}
    if sdt_version:
        checks["sparse_dot_topn"] = same_scores(sdt_scores(sdt_top_k(X, XT, K), K), reference)
    checks["lexsim n_jobs=2"] = same_scores(lexsim_scores(lexsim.top_k(X, k=K, n_jobs=2)), reference)
    result["top_k_checks"] = checks
    if not all(checks.values()):
        print(json.dumps(result))
        return 1
    peers: list[tuple[str, str, Callable[[], Any]]] = [
        ("top_k", "lexsim n_jobs=1", lambda: lexsim.top_k(X, k=K, n_jobs=1)),
        ("top_k", "lexsim n_jobs=2", lambda: lexsim.top_k(X, k=K, n_jobs=2)),
    ]
    if sdt_version:
        peers.append(("top_k", "sparse_dot_topn sp_matmul_topn, 1 thread", lambda: sdt_top_k(X, XT, K)))
    peers.append(("top_k", "scipy X @ X.T + argpartition, chunked", lambda: scipy_top_k(X, XT, K)))

    # similar_pairs: check, then time.
    pair_checks = {}
    for t in THRESHOLDS:
        rows, cols, _ = lexsim.similar_pairs(X, t)
        mine = set(zip(rows.tolist(), cols.tolist()))
        pair_checks[str(t)] = {"pairs": len(mine), "same_as_scipy": mine == scipy_pairs(X, XT, t)}
        peers += [
            (f"similar_pairs {t}", "lexsim n_jobs=1", lambda t=t: lexsim.similar_pairs(X, t, n_jobs=1)),
            (f"similar_pairs {t}", "lexsim n_jobs=2", lambda t=t: lexsim.similar_pairs(X, t, n_jobs=2)),
            (f"similar_pairs {t}", "scipy X @ X.T, chunked, upper triangle >= t", lambda t=t: scipy_pairs(X, XT, t)),
        ]
    result["pair_checks"] = pair_checks
    if not all(c["same_as_scipy"] for c in pair_checks.values()):
        print(json.dumps(result))
        return 1

    for op, tool, fn in peers:
        row = {"op": op, "tool": tool, **timed(fn, repeat, args.budget_s)}
        result["rows"].append(row)
        print(f"{op} {tool}: {row['best_s']:.3f} s", file=sys.stderr, flush=True)
    # Speed of lexsim n_jobs=1 relative to each peer of the same operation.
    for row in result["rows"]:
        mine = next(r for r in result["rows"] if r["op"] == row["op"] and r["tool"] == "lexsim n_jobs=1")
        row["lexsim_speedup"] = row["best_s"] / mine["best_s"]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

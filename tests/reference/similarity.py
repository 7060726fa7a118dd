"""Cosine similarity the slow way: every pair, dense, from the definition."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def reference_top_k(A, B=None, k=10, threshold=None):
    """Brute force: dense cosine similarities, diagonal removed for a self-join, per row the k best by
    (score descending, column ascending), keeping only non-zero scores (> threshold when given).

    Returns a canonical float64 csr_matrix of shape (A rows, B rows) with sorted column indices.
    """
    from sklearn.metrics.pairwise import cosine_similarity

    self_join = B is None
    A64 = sp.csr_matrix(A, dtype=np.float64)
    B64 = A64 if self_join else sp.csr_matrix(B, dtype=np.float64)
    # sparse input keeps exact ties exact (identical rows accumulate identical products in the same order)
    S = cosine_similarity(A64, B64)
    assert S.shape == (A64.shape[0], B64.shape[0])
    rows, cols, vals = [], [], []
    for i in range(S.shape[0]):
        cand = []
        for j in range(S.shape[1]):
            if self_join and i == j:
                continue
            s = S[i, j]
            if s == 0:
                continue
            if threshold is not None and not s > threshold:
                continue
            cand.append((-s, j))
        cand.sort()
        for neg, j in sorted(cand[:k], key=lambda t: t[1]):
            rows.append(i)
            cols.append(j)
            vals.append(-neg)
    R = sp.csr_matrix((vals, (rows, cols)), shape=S.shape, dtype=np.float64)
    R.sort_indices()
    return R


def dense_cosines(X) -> np.ndarray:
    """Every cosine, each summed over the shared columns in increasing order (as the kernels do)."""
    from sklearn.preprocessing import normalize

    U = normalize(sp.csr_matrix(X, dtype=np.float64)).toarray()
    n = U.shape[0]
    S = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for c in np.flatnonzero((U[i] != 0) & (U[j] != 0)):
                s += U[i, c] * U[j, c]
            S[i, j] = s
    return S


def brute_pairs(S: np.ndarray, t: float) -> set[tuple[int, int]]:
    n = S.shape[0]
    return {(i, j) for i in range(n) for j in range(i + 1, n) if S[i, j] >= t}


def brute_components(n: int, pairs: set[tuple[int, int]]) -> list[set[int]]:
    adj: dict[int, set[int]] = {v: set() for v in range(n)}
    for i, j in pairs:
        adj[i].add(j)
        adj[j].add(i)
    seen: set[int] = set()
    comps = []
    for v in range(n):
        if v in seen:
            continue
        stack, comp = [v], set()
        while stack:
            u = stack.pop()
            if u in comp:
                continue
            comp.add(u)
            stack.extend(adj[u] - comp)
        seen |= comp
        comps.append(comp)
    return comps

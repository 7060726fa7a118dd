"""Story groups the slow way: the graph method='leiden' works on, built with scipy, and Newman's
modularity from its definition."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

import lexsim


def leiden_graph(X, k: int, min_shared: int) -> sp.csr_matrix:
    """The graph method='leiden' groups, built the slow way with scipy: kNN by cosine, links with
    at least min_shared shared columns, made symmetric."""
    nn = lexsim.top_k(X, k=k).tocoo()
    B = sp.csr_matrix(X, copy=True)
    B.data[:] = 1
    shared = np.asarray(B[nn.row].multiply(B[nn.col]).sum(axis=1)).ravel()
    keep = shared >= min_shared
    A = sp.coo_matrix((nn.data[keep], (nn.row[keep], nn.col[keep])), shape=nn.shape).tocsr()
    return A.maximum(A.T).tocsr()


def modularity(A: sp.csr_matrix, labels: np.ndarray, gamma: float = 1.0) -> float:
    """Newman's modularity from its definition, on a symmetric weighted adjacency matrix."""
    A = A.tocoo()
    k = np.asarray(A.sum(axis=1)).ravel()
    two_m = k.sum()
    inside = A.data[labels[A.row] == labels[A.col]].sum()
    strength = np.bincount(labels, weights=k)
    return float((inside - gamma * (strength**2).sum() / two_m) / two_m)

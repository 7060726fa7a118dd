"""Search scores from their formulas: dense cosine, and BM25 in each of bm25s's variants; the
ranking rule (best first, ties to the lower document)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def cosine_scores(X, Q):
    """Dense cosine similarities, queries x documents (zero rows score 0)."""

    def unit(M):
        M = np.asarray(M.toarray() if sp.issparse(M) else M, dtype=np.float64)
        norms = np.linalg.norm(M, axis=1, keepdims=True)
        return np.divide(M, norms, out=np.zeros_like(M), where=norms > 0)

    return unit(Q) @ unit(X).T


def bm25_idf(method, N, n):
    """Each method's idf, as search.hpp tabulates it (n: document frequencies, all >= 1)."""
    n = np.asarray(n, dtype=np.float64)
    if method == "robertson":
        return np.maximum(0.0, np.log((N - n + 0.5) / (n + 0.5)))
    if method == "lucene":
        return np.log(1.0 + (N - n + 0.5) / (n + 0.5))
    if method == "atire":
        return np.log(N / n)
    if method == "bm25l":
        return np.log((N + 1.0) / (n + 0.5))
    return np.log((N + 1.0) / n)  # bm25+


def bm25_tfc(method, tf, L, k1, delta):
    """Each method's term-frequency component; L = 1 - b + b * |d| / avgdl."""
    if method in ("robertson", "lucene"):
        return tf / (k1 * L + tf)
    if method == "atire":
        return tf * (k1 + 1) / (tf + k1 * L)
    if method == "bm25l":
        c = tf / L
        return (k1 + 1) * (c + delta) / (k1 + c + delta)
    return (k1 + 1) * tf / (k1 * L + tf) + delta  # bm25+


def bm25_scores(C, Q, k1=1.2, b=0.75, method="lucene", delta=0.5):
    """BM25 from the formulas, queries x documents: the sum over the distinct query terms t (in at
    least one document) of idf(t) * tfc(tf of t in d), tf = 0 included (bm25l and bm25+ score it);
    a document that holds none of the query's terms scores 0 (lexsim leaves it out)."""
    C = sp.csc_matrix(C, dtype=np.float64)
    Q = sp.csr_matrix(Q)
    n_docs = C.shape[0]
    length = np.asarray(C.sum(axis=1)).ravel()
    avgdl = length.mean() if n_docs else 0.0
    L = 1 - b + b * length / avgdl if avgdl > 0 else np.ones(n_docs)
    out = np.zeros((Q.shape[0], n_docs))
    for qi in range(Q.shape[0]):
        row = Q[qi]
        held = np.zeros(n_docs, dtype=bool)
        for t in sorted(set(row.indices[row.data != 0].tolist())):
            tf = C[:, t].toarray().ravel()
            n_t = int((tf > 0).sum())
            if n_t == 0:
                continue
            held |= tf > 0
            with np.errstate(divide="ignore", invalid="ignore"):  # absent terms (e.g. |d| = 0, b = 1): not used
                tfc = np.where(tf > 0, bm25_tfc(method, tf, L, k1, delta), 0.0)
            if method in ("bm25l", "bm25+"):  # an absent term scores tfc(0), its baseline
                tfc[tf == 0] = delta if method == "bm25+" else (k1 + 1) * delta / (k1 + delta)
            out[qi] += bm25_idf(method, n_docs, n_t) * tfc
        out[qi][~held] = 0.0
    return out


def reference_ranking(scores, k):
    """Non-zero scores, best first, ties to the lower document, at most k."""
    return sorted(((d, s) for d, s in enumerate(scores.tolist()) if s != 0), key=lambda p: (-p[1], p[0]))[:k]


def cosine_scores_sparse(X, Q):
    """The dense reference, computed sparse (the corpus is too large for dense rows)."""

    def unit(M):
        M = sp.csr_matrix(M, dtype=np.float64)
        norms = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
        return sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ M

    return (unit(Q) @ unit(X).T).toarray()

"""lexsim.similarity.prepare: the handle gives the same results as X in every function that
takes X, and misuse is a clear error."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import lexsim
from lexsim import similarity
from lexsim.similarity import prepare

DOCS = [
    "Putin met Assad in Moscow",
    "Assad met Erdogan in Ankara",
    "Rain in Paris again today",
    "Paris rain floods the Seine",
    "Erdogan and Putin met again",
    "the Seine floods Paris",
]


@pytest.fixture(scope="module")
def fitted():
    vec = lexsim.TfidfVectorizer()
    return vec, vec.fit_transform(DOCS)


def _same(a, b) -> None:
    assert type(a) is type(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    assert (a != b).nnz == 0


@pytest.mark.parametrize("kind", ["matrix", "array", "float32", "coo", "dense"])
def test_the_handle_gives_the_results_of_x(fitted, kind: str) -> None:
    vec, X = fitted
    X = {
        "matrix": X,
        "array": sp.csr_array(X),
        "float32": X.astype(np.float32),
        "coo": X.tocoo(),
        "dense": X.toarray(),
    }[kind]
    P = prepare(X)
    assert P.shape == X.shape and P.nnz == sp.csr_matrix(X).nnz
    _same(lexsim.top_k(P, k=2), lexsim.top_k(X, k=2))
    _same(lexsim.top_k(P, P, k=2), lexsim.top_k(X, X, k=2))
    head = sp.csr_matrix(X)[:3]
    _same(lexsim.top_k(P, head, k=2), lexsim.top_k(X, head, k=2))
    _same(lexsim.top_k(P, head.astype(np.float64), k=2), lexsim.top_k(X, head.astype(np.float64), k=2))
    for got, want in zip(lexsim.similar_pairs(P, 0.1), lexsim.similar_pairs(X, 0.1)):
        assert got.dtype == want.dtype and got.tolist() == want.tolist()
    assert lexsim.top_terms(vec, P, n=3) == lexsim.top_terms(vec, X, n=3)
    assert similarity.ranked_rows(P) == similarity.ranked_rows(X)
    e1, e2 = lexsim.explain(vec, P, 0, 1), lexsim.explain(vec, X, 0, 1)
    assert e1.terms == e2.terms and e1.similarity == e2.similarity
    g1 = lexsim.group(P, vectorizer=vec, n_neighbors=2, min_shared=1)
    g2 = lexsim.group(X, vectorizer=vec, n_neighbors=2, min_shared=1)
    assert g1.labels.tolist() == g2.labels.tolist()
    assert [g.top_terms for g in g1.groups] == [g.top_terms for g in g2.groups]


def test_prepare_is_idempotent_and_says_what_it_holds(fitted) -> None:
    _, X = fitted
    P = prepare(X)
    assert prepare(P) is P
    assert repr(P) == f"<prepared 6x{X.shape[1]} matrix, float64, {X.nnz} stored values>"


def test_misuse_is_a_clear_error(fitted) -> None:
    vec, X = fitted
    with pytest.raises(TypeError, match="X must be a scipy sparse matrix or a 2-d numpy array, got str"):
        prepare("not a matrix")
    with pytest.raises(ValueError, match="X contains NaN"):
        prepare(np.array([[np.nan, 1.0]]))
    with pytest.raises(TypeError, match="X is already prepared"):
        type(prepare(X))(prepare(X))
    P = prepare(X[:, :3])
    with pytest.raises(ValueError, match="A and B must have the same number of columns"):
        lexsim.top_k(P, X)
    with pytest.raises(ValueError, match="out of range"):
        lexsim.explain(vec, prepare(X), 0, 99)

"""Sparse arrays in, sparse arrays out: one rule (lexsim._sparse.wants_sparse_array) for every result.

A scipy sparse array in (``csr_array``, ``coo_array``...) gives a ``csr_array`` out, a sparse matrix
a ``csr_matrix``; results built from documents or dense arrays follow scikit-learn's
``sparse_interface`` config, which, set to ``"sparray"``, makes every result an array.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import lexsim
from lexsim._sparse import as_output, csr_from_buffers, wants_sparse_array

DOCS = [
    "Putin met Assad in Moscow",
    "Assad met Putin in Moscow",
    "Rain in Paris",
    "Paris rain again",
    "Putin in Paris",
    "Moscow talks on Syria",
    "Syria talks in Moscow end",
]

ARRAYS = {"csr_array": sp.csr_array, "coo_array": sp.coo_array, "csc_array": sp.csc_array}
MATRICES = {"csr_matrix": sp.csr_matrix, "coo_matrix": sp.coo_matrix, "csc_matrix": sp.csc_matrix}


@pytest.fixture(scope="module")
def fitted():
    vec = lexsim.TfidfVectorizer()
    X = vec.fit_transform(DOCS)
    return vec, X


def _capsule_backed(M):
    for a in (M.data, M.indices, M.indptr):
        b = a
        while getattr(b, "base", None) is not None:
            b = b.base
        assert type(b).__name__ == "PyCapsule"


def test_the_rule():
    M = sp.csr_matrix(np.eye(3))
    A = sp.csr_array(np.eye(3))
    assert not wants_sparse_array(M) and not wants_sparse_array(M.toarray()) and not wants_sparse_array()
    assert wants_sparse_array(A) and wants_sparse_array(sp.coo_array(A)) and wants_sparse_array(M, A)
    assert wants_sparse_array(None, A) and not wants_sparse_array(None, M)
    assert type(as_output(M, like=(A,))) is sp.csr_array and type(as_output(M, like=(M,))) is sp.csr_matrix
    out = as_output(M, like=(A,))
    assert out.data is M.data or np.shares_memory(out.data, M.data)  # the same buffers


def test_the_rule_under_sklearns_sparray_config():
    sklearn = pytest.importorskip("sklearn")
    if "sparse_interface" not in sklearn.get_config():
        pytest.skip("this scikit-learn has no sparse_interface config")
    with sklearn.config_context(sparse_interface="sparray"):
        assert wants_sparse_array() and wants_sparse_array(sp.csr_matrix(np.eye(2)))
    assert not wants_sparse_array(sp.csr_matrix(np.eye(2)))


@pytest.mark.parametrize("kind", [*ARRAYS, *MATRICES, "dense"])
def test_top_k(fitted, kind):
    _, X = fitted
    make = {**ARRAYS, **MATRICES}.get(kind, lambda m: m.toarray())
    expected = sp.csr_array if kind in ARRAYS else sp.csr_matrix
    ref = lexsim.top_k(X, k=2)
    for R in (lexsim.top_k(make(X), k=2), lexsim.top_k(make(X), make(X[:3]), k=2, threshold=0.0)):
        assert type(R) is expected and R.has_sorted_indices
        _capsule_backed(R)
    R = lexsim.top_k(make(X), k=2)
    np.testing.assert_array_equal(R.indptr, ref.indptr)
    np.testing.assert_array_equal(R.indices, ref.indices)
    np.testing.assert_array_equal(R.data, ref.data)


def test_top_k_mixed_inputs_and_float32(fitted):
    _, X = fitted
    A = sp.csr_array(X)
    assert type(lexsim.top_k(A, X, k=1)) is sp.csr_array
    assert type(lexsim.top_k(X, A, k=1)) is sp.csr_array
    assert type(lexsim.top_k(X, X.toarray(), k=1)) is sp.csr_matrix
    R = lexsim.top_k(A.astype(np.float32), k=1)
    assert type(R) is sp.csr_array and R.dtype == np.float32


def test_top_k_under_sklearns_sparray_config(fitted):
    sklearn = pytest.importorskip("sklearn")
    if "sparse_interface" not in sklearn.get_config():
        pytest.skip("this scikit-learn has no sparse_interface config")
    _, X = fitted
    with sklearn.config_context(sparse_interface="sparray"):
        assert type(lexsim.top_k(X, k=1)) is sp.csr_array
        assert type(lexsim.top_k(X.toarray(), k=1)) is sp.csr_array
        assert type(lexsim.TfidfVectorizer().fit_transform(DOCS)) is sp.csr_array


@pytest.mark.parametrize("kind", list(ARRAYS))
def test_functions_without_sparse_results_accept_sparse_arrays(fitted, kind):
    vec, X = fitted
    A = ARRAYS[kind](X)
    for got, ref in zip(lexsim.similar_pairs(A, 0.2), lexsim.similar_pairs(X, 0.2)):
        np.testing.assert_array_equal(got, ref)
    for method, threshold in (("single", 0.3), ("leiden", None)):
        g, r = (
            lexsim.group(A, threshold, method=method, vectorizer=vec),
            lexsim.group(X, threshold, method=method, vectorizer=vec),
        )
        np.testing.assert_array_equal(g.labels, r.labels)
        assert [grp.top_terms for grp in g] == [grp.top_terms for grp in r]
    assert lexsim.top_terms(vec, A, 3) == lexsim.top_terms(vec, X, 3)
    assert lexsim.explain(vec, A, 0, 1) == lexsim.explain(vec, X, 0, 1)
    assert lexsim.SearchIndex(vec, A).search("putin moscow") == lexsim.SearchIndex(vec, X).search("putin moscow")


def test_vectorizer_output_is_a_matrix_by_default():
    assert type(lexsim.CountVectorizer().fit_transform(DOCS)) is sp.csr_matrix
    assert type(lexsim.HashingVectorizer(n_features=32).transform(DOCS)) is sp.csr_matrix
    parts = (np.ones(1), np.zeros(1, np.int32), np.array([0, 1], np.int64), (1, 1))
    assert type(csr_from_buffers(parts)) is sp.csr_matrix
    assert type(csr_from_buffers(parts, like=(sp.csr_array((1, 1)),))) is sp.csr_array


def test_dask_top_k_keeps_sparse_arrays(fitted):
    dask = pytest.importorskip("dask")
    da = pytest.importorskip("dask.array")
    import lexsim.dask

    _, X = fitted
    ref = lexsim.top_k(X, k=2)
    for make in (sp.csr_array, sp.csr_matrix):
        blocks = [make(X[:4]), make(X[4:])]
        D = da.concatenate(
            [
                da.from_delayed(dask.delayed(b), shape=b.shape, dtype=b.dtype, meta=make((0, X.shape[1])))
                for b in blocks
            ],
            axis=0,
        )
        R = lexsim.dask.top_k(D, k=2)
        parts = [R.blocks[i].compute(scheduler="synchronous") for i in range(2)]
        assert type(R._meta) is make and all(type(p) is make for p in parts)
        assert abs(sp.vstack([sp.csr_matrix(p) for p in parts]) - ref).max() == 0

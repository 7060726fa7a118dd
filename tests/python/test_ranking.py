"""lexsim.similarity.ranked_rows: the core's tie rule (best first, ties to the lower column) over
any sparse result, against a pure-Python reference; and the rank order search and the pairs
command take from the core, against the np.lexsort they used to compute it with."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from lexsim import _ranking, similarity


def _reference(X) -> list:
    X = sp.csr_matrix(X)
    out = []
    for r in range(X.shape[0]):
        b, e = X.indptr[r], X.indptr[r + 1]
        pairs = [(int(c), float(v)) for c, v in zip(X.indices[b:e], X.data[b:e])]
        out.append(sorted(pairs, key=lambda cv: (-cv[1], cv[0])))
    return out


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ranked_rows_matches_the_reference(seed: int, dtype) -> None:
    rng = np.random.default_rng(seed)
    dense = rng.integers(0, 4, size=(7, 9)).astype(dtype) * rng.choice([1, -1], size=(7, 9))  # many ties
    X = sp.csr_matrix(dense)
    assert similarity.ranked_rows(X) == _reference(X)
    assert similarity.ranked_rows(sp.csr_array(dense)) == _reference(X)
    assert similarity.ranked_rows(dense) == _reference(X)


def test_ranked_rows_of_a_top_k_result_and_names() -> None:
    rng = np.random.default_rng(3)
    X = sp.random(20, 8, density=0.4, random_state=rng, format="csr")
    result = similarity.top_k(X, k=4)
    assert similarity.ranked_rows(result) == _reference(result)
    names = [f"doc{i}" for i in range(20)]
    named = similarity.ranked_rows(result, names=names)
    assert named == [[(names[c], v) for c, v in row] for row in _reference(result)]


def test_ranked_rows_empty_rows() -> None:
    assert similarity.ranked_rows(sp.csr_matrix((3, 4))) == [[], [], []]


def test_ranked_rows_bad_input_is_named() -> None:
    with pytest.raises(TypeError, match="X must be a scipy sparse matrix"):
        similarity.ranked_rows([[1.0, 2.0]])


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("indptr_dtype", [np.int32, np.int64])
def test_ranked_order_is_the_lexsort_by_row_score_down_column_up(seed: int, dtype, indptr_dtype) -> None:
    rng = np.random.default_rng(seed)
    X = sp.csr_matrix(rng.integers(0, 4, size=(9, 30)).astype(dtype))  # many ties, an empty row or two
    X.data = X.data * rng.choice(np.array([1, -1], dtype=dtype), size=X.nnz)
    for r in range(X.shape[0]):  # rows in no column order: the rule must not lean on it
        b, e = X.indptr[r], X.indptr[r + 1]
        p = b + rng.permutation(e - b)
        X.indices[b:e], X.data[b:e] = X.indices[p].copy(), X.data[p].copy()
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    want = np.lexsort((X.indices, -X.data, rows))
    got = _ranking.ranked_order(X.data, X.indices, X.indptr.astype(indptr_dtype), X.shape[1])
    assert got.tolist() == want.tolist()


@pytest.mark.parametrize("n", [0, 1, 40])
def test_ranked_order_of_one_row_whose_columns_are_positions(n: int) -> None:
    """The pairs command's form: the p-th pair is column p, so ties keep the pairs' own order."""
    scores = np.random.default_rng(n).integers(0, 3, size=n).astype(np.float64) / 2
    got = _ranking.ranked_order(scores, np.arange(n, dtype=np.int32), np.array([0, n], dtype=np.int64), n)
    assert got.tolist() == np.lexsort((np.arange(n), -scores)).tolist()

"""lexsim.similarity.ranked_rows: the core's tie rule (best first, ties to the lower column) over
any sparse result, against a pure-Python reference."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from lexsim import similarity


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

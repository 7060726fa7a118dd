"""lexsim.top_k against a brute-force reference built on scikit-learn's cosine_similarity."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

pytest.importorskip("sklearn")

from conftest import CORPORA, _require  # noqa: E402
from reference.similarity import reference_top_k  # noqa: E402

import lexsim  # noqa: E402

# --------------------------------------------------------------------------- helpers (reference: tests/reference)


def assert_matches_reference(got, want, rtol=0.0, atol=1e-12):
    assert isinstance(got, sp.csr_matrix)
    assert got.format == "csr"
    assert got.shape == want.shape
    assert got.has_sorted_indices
    for r in range(got.shape[0]):  # sorted within every row, no duplicates
        idx = got.indices[got.indptr[r] : got.indptr[r + 1]]
        assert np.all(np.diff(idx) > 0)
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_allclose(got.data, want.data, rtol=rtol, atol=atol)
    assert np.all(got.data != 0)


def random_matrix(shape, density, seed, zero_rows=(), dtype=np.float64, negative=False):
    rng = np.random.default_rng(seed)
    rvs = (lambda n: rng.uniform(-1.0, 1.0, n)) if negative else None
    M = sp.random(shape[0], shape[1], density=density, format="csr", random_state=rng, data_rvs=rvs, dtype=np.float64)
    M = M.tolil()
    for r in zero_rows:
        M[r, :] = 0
    M = M.tocsr()
    M.eliminate_zeros()
    return M.astype(dtype)


SHAPES = [(1, 5), (7, 4), (30, 20), (60, 15), (45, 120), (100, 40)]
DENSITIES = [0.05, 0.1, 0.3]


@pytest.mark.parametrize("k", [1, 5, 1000])
@pytest.mark.parametrize("density", DENSITIES)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_self_join_random(shape, density, k):
    seed = shape[0] * 1000 + shape[1] + int(density * 100)
    zero_rows = [r for r in (0, shape[0] // 2, shape[0] - 1) if r < shape[0]]
    A = random_matrix(shape, density, seed, zero_rows=zero_rows)
    assert A[zero_rows].nnz == 0
    got = lexsim.top_k(A, k=k)
    want = reference_top_k(A, k=k)
    assert_matches_reference(got, want)
    assert got.dtype == np.float64
    # zero rows match nothing and nothing matches them
    for r in zero_rows:
        assert got[r].nnz == 0
        assert got[:, r].nnz == 0


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.9])
@pytest.mark.parametrize("k", [1, 5, 1000])
@pytest.mark.parametrize("shape,density", [((40, 12), 0.3), ((80, 30), 0.1), ((25, 200), 0.05)])
def test_threshold_random(shape, density, k, threshold):
    A = random_matrix(shape, density, seed=7 + shape[0], zero_rows=[3])
    got = lexsim.top_k(A, k=k, threshold=threshold)
    want = reference_top_k(A, k=k, threshold=threshold)
    assert_matches_reference(got, want)
    assert np.all(got.data > threshold)


@pytest.mark.parametrize("threshold", [None, -0.5, 0.0, 0.3])
@pytest.mark.parametrize("k", [1, 3, 50])
def test_negative_values(k, threshold):
    A = random_matrix((35, 10), 0.4, seed=11, negative=True, zero_rows=[0])
    assert A.data.min() < 0
    got = lexsim.top_k(A, k=k, threshold=threshold)
    want = reference_top_k(A, k=k, threshold=threshold)
    assert_matches_reference(got, want)
    if threshold is None and k == 50:
        assert got.data.min() < 0  # negative similarities are kept when no threshold is given
    if threshold is not None:
        assert np.all(got.data > threshold)


@pytest.mark.parametrize("threshold", [None, 0.0, 0.3, 0.9])
@pytest.mark.parametrize("k", [1, 5, 1000])
@pytest.mark.parametrize("shapes", [((20, 30), (50, 30)), ((50, 8), (3, 8)), ((1, 40), (70, 40)), ((33, 60), (1, 60))])
def test_a_vs_b_random(shapes, k, threshold):
    (sa, sb) = shapes
    A = random_matrix(sa, 0.2, seed=sa[0] + 3, zero_rows=[0])
    B = random_matrix(sb, 0.2, seed=sb[0] + 5, zero_rows=[sb[0] - 1])
    got = lexsim.top_k(A, B, k=k, threshold=threshold)
    want = reference_top_k(A, B, k=k, threshold=threshold)
    assert_matches_reference(got, want)
    assert got.shape == (sa[0], sb[0])


def test_a_vs_b_keeps_self_matches():
    # B is a copy of A (not A itself): the diagonal stays, with similarity 1
    A = random_matrix((20, 10), 0.4, seed=3, zero_rows=[5])
    got = lexsim.top_k(A, A.copy(), k=1)
    want = reference_top_k(A, A.copy(), k=1)
    assert_matches_reference(got, want)
    nonzero = [r for r in range(20) if A[r].nnz]
    for r in nonzero:
        row = got[r]
        assert row.nnz == 1
        assert row.indices[0] == r
        np.testing.assert_allclose(row.data[0], 1.0, rtol=0, atol=1e-12)


# --------------------------------------------------------------------------- ties


def test_ties_duplicated_rows():
    base = random_matrix((6, 10), 0.5, seed=21, zero_rows=[])
    A = sp.vstack([base, base, base[:3]]).tocsr()  # rows i, i+6 (and i+12 for i < 3) are identical
    for k in (1, 2, 3, 5, 20):
        got = lexsim.top_k(A, k=k)
        assert_matches_reference(got, reference_top_k(A, k=k))
    # each row's best match is its lowest-index duplicate (ties go to the lower index)
    got = lexsim.top_k(A, k=1)
    assert got[0].indices.tolist() == [6]
    assert got[6].indices.tolist() == [0]
    assert got[12].indices.tolist() == [0]
    assert got[3].indices.tolist() == [9]
    np.testing.assert_allclose(got[0].data, [1.0], rtol=0, atol=1e-12)
    got = lexsim.top_k(A, k=2)
    assert got[0].indices.tolist() == [6, 12]
    assert got[12].indices.tolist() == [0, 6]


def test_ties_binary_data():
    rng = np.random.default_rng(5)
    A = sp.csr_matrix((rng.random((60, 8)) < 0.3).astype(np.float64))
    for k in (1, 2, 4, 100):
        for threshold in (None, 0.0, 0.3, 0.9):
            assert_matches_reference(
                lexsim.top_k(A, k=k, threshold=threshold), reference_top_k(A, k=k, threshold=threshold)
            )
    B = sp.csr_matrix((rng.random((25, 8)) < 0.5).astype(np.float64))
    for k in (1, 3, 100):
        assert_matches_reference(lexsim.top_k(A, B, k=k), reference_top_k(A, B, k=k))


def test_ties_all_equal_rows():
    A = sp.csr_matrix(np.ones((10, 3)))
    got = lexsim.top_k(A, k=3)
    for i in range(10):
        expected = [j for j in range(10) if j != i][:3]
        assert got[i].indices.tolist() == expected
        np.testing.assert_allclose(got[i].data, 1.0, rtol=0, atol=1e-12)
    assert_matches_reference(got, reference_top_k(A, k=3))
    # threshold strictly greater: 1.0 is not > 1.0
    assert lexsim.top_k(sp.csr_matrix(np.eye(3)[[0, 0, 1]]), k=5, threshold=1.0).nnz == 0


@pytest.mark.parametrize(
    "dtype,scale", [(np.float32, 1e20), (np.float32, 1e-25), (np.float64, 1e200), (np.float64, 1e-170)]
)
def test_scale_invariance_extreme_magnitudes(dtype, scale):
    base = np.array([[1.0, 2.0, 0.0], [2.0, 1.0, 1.0], [0.0, 1.0, 3.0]])
    want = lexsim.top_k(base.astype(dtype), k=2)
    assert want.nnz == 6
    got = lexsim.top_k((base * scale).astype(dtype), k=2)
    assert got.nnz == 6
    np.testing.assert_allclose(got.toarray(), want.toarray(), rtol=1e-5)


def test_scale_invariance_moderate_magnitudes():
    base = np.array([[1.0, 2.0, 0.0], [2.0, 1.0, 1.0], [0.0, 1.0, 3.0]])
    for dtype, scale in ((np.float32, 1e15), (np.float32, 1e-15), (np.float64, 1e100), (np.float64, 1e-100)):
        want = lexsim.top_k(base.astype(dtype), k=2)
        got = lexsim.top_k((base * scale).astype(dtype), k=2)
        np.testing.assert_array_equal(got.indices, want.indices)
        np.testing.assert_allclose(got.data, want.data, rtol=1e-5 if dtype is np.float32 else 1e-12)


def test_expected_values_small():
    A = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.0, 2.0]])
    got = lexsim.top_k(A, k=5)
    s = 1 / np.sqrt(2)
    np.testing.assert_allclose(
        got.toarray(), [[0, s, 0, 0], [s, 0, 0, s], [0, 0, 0, 0], [0, s, 0, 0]], rtol=0, atol=1e-15
    )
    got = lexsim.top_k(A, k=1)
    np.testing.assert_allclose(
        got.toarray(), [[0, s, 0, 0], [s, 0, 0, 0], [0, 0, 0, 0], [0, s, 0, 0]], rtol=0, atol=1e-15
    )


# --------------------------------------------------------------------------- float32


@pytest.mark.parametrize("threshold", [None, 0.3])
@pytest.mark.parametrize("k", [1, 5, 1000])
@pytest.mark.parametrize("shape,density", [((40, 25), 0.2), ((70, 60), 0.1)])
def test_float32(shape, density, k, threshold):
    A = random_matrix(shape, density, seed=99 + shape[0], zero_rows=[1], dtype=np.float32)
    assert A.dtype == np.float32
    got = lexsim.top_k(A, k=k, threshold=threshold)
    assert got.dtype == np.float32
    want = reference_top_k(A, k=k, threshold=threshold)
    assert_matches_reference(got, want, rtol=1e-5, atol=1e-6)
    B = random_matrix((15, shape[1]), 0.3, seed=5, dtype=np.float32)
    got = lexsim.top_k(A, B, k=k, threshold=threshold)
    assert got.dtype == np.float32
    assert_matches_reference(got, reference_top_k(A, B, k=k, threshold=threshold), rtol=1e-5, atol=1e-6)


def test_mixed_dtypes_give_float64():
    A = random_matrix((20, 10), 0.3, seed=1, dtype=np.float32)
    B = random_matrix((15, 10), 0.3, seed=2, dtype=np.float64)
    got = lexsim.top_k(A, B, k=3)
    assert got.dtype == np.float64
    assert_matches_reference(got, reference_top_k(A, B, k=3))
    got = lexsim.top_k(B, A, k=3)
    assert got.dtype == np.float64
    assert_matches_reference(got, reference_top_k(B, A, k=3))


def test_integer_and_bool_input():
    rng = np.random.default_rng(8)
    Ai = sp.csr_matrix(rng.integers(0, 3, size=(30, 6)))
    got = lexsim.top_k(Ai, k=4)
    assert got.dtype == np.float64
    assert_matches_reference(got, reference_top_k(Ai, k=4))
    Ab = Ai.astype(bool)
    assert_matches_reference(lexsim.top_k(Ab, k=4), reference_top_k(Ab.astype(np.float64), k=4))


# --------------------------------------------------------------------------- n_jobs


@pytest.mark.parametrize("threshold", [None, 0.2])
def test_n_jobs_identical(threshold):
    A = random_matrix((301, 50), 0.1, seed=17, zero_rows=[0, 150, 300])
    B = random_matrix((97, 50), 0.15, seed=18)
    for args in ((A,), (A, B)):
        ref = lexsim.top_k(*args, k=7, threshold=threshold)
        for n_jobs in (None, 1, 2, 3, -1):
            got = lexsim.top_k(*args, k=7, threshold=threshold, n_jobs=n_jobs)
            np.testing.assert_array_equal(got.indptr, ref.indptr)
            np.testing.assert_array_equal(got.indices, ref.indices)
            np.testing.assert_array_equal(got.data, ref.data)
        assert_matches_reference(ref, reference_top_k(*args, k=7, threshold=threshold))


def test_n_jobs_more_threads_than_rows():
    A = random_matrix((3, 5), 0.6, seed=2)
    ref = lexsim.top_k(A, k=2)
    for n_jobs in (2, 8, -1):
        got = lexsim.top_k(A, k=2, n_jobs=n_jobs)
        np.testing.assert_array_equal(got.toarray(), ref.toarray())
    assert lexsim.top_k(sp.csr_matrix((0, 5)), k=2, n_jobs=4).shape == (0, 0)


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5, "2"])
def test_n_jobs_invalid(n_jobs):
    with pytest.raises(ValueError):
        lexsim.top_k(sp.csr_matrix(np.eye(3)), k=1, n_jobs=n_jobs)


# --------------------------------------------------------------------------- real corpus


@pytest.fixture(scope="module")
def news_seeds():
    files = sorted(p for p in _require(CORPORA / "news-seeds").iterdir() if p.is_file())
    assert len(files) == 5, files
    return [p.read_text(encoding="utf-8") for p in files]


def test_news_seeds_nearest_neighbours(news_seeds):
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True)
    X = vec.fit_transform(news_seeds)
    features = set(vec.get_feature_names_out())
    assert {"erdogan", "cavusoglu", "turkiye"} <= features
    assert not any(t in features for t in ("erdoğan", "çavuşoğlu", "türkiye"))
    nn = lexsim.top_k(X, k=1)
    assert nn.shape == (5, 5)
    assert np.diff(nn.indptr).tolist() == [1, 1, 1, 1, 1]
    assert nn.indices.tolist() == [3, 4, 3, 2, 1]  # 000->003, 001->004, 002->003, 003->002, 004->001
    assert_matches_reference(nn, reference_top_k(X, k=1))
    full = lexsim.top_k(X, k=4)
    assert_matches_reference(full, reference_top_k(X, k=4))
    # symmetric similarities
    np.testing.assert_allclose(full.toarray(), full.toarray().T, rtol=0, atol=1e-12)


def test_news_seeds_same_as_sklearn_tfidf(news_seeds):
    from sklearn.feature_extraction.text import TfidfVectorizer

    kw = dict(strip_accents="unicode", stop_words="english", sublinear_tf=True)
    X = lexsim.TfidfVectorizer(**kw).fit_transform(news_seeds)
    Y = TfidfVectorizer(**kw).fit_transform(news_seeds)
    got = lexsim.top_k(X, k=2)
    want = lexsim.top_k(Y, k=2)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_allclose(got.data, want.data, rtol=0, atol=1e-12)


# --------------------------------------------------------------------------- input formats and validation


@pytest.fixture(scope="module")
def mats():
    A = random_matrix((25, 12), 0.3, seed=31, zero_rows=[4])
    B = random_matrix((18, 12), 0.3, seed=32)
    return A, B


def _same(X, Y):
    assert isinstance(X, sp.csr_matrix) and isinstance(Y, sp.csr_matrix)
    assert X.shape == Y.shape
    np.testing.assert_array_equal(X.indptr, Y.indptr)
    np.testing.assert_array_equal(X.indices, Y.indices)
    np.testing.assert_allclose(X.data, Y.data, rtol=0, atol=1e-15)


@pytest.mark.parametrize("fmt", ["csc", "coo", "lil", "dok", "bsr", "dense", "csr_array", "coo_array"])
def test_other_formats_equal_csr(mats, fmt):
    A, B = mats

    def conv(M):
        if fmt == "dense":
            return M.toarray()
        if fmt == "csr_array":
            return sp.csr_array(M)
        if fmt == "coo_array":
            return sp.coo_array(M)
        return M.asformat(fmt)

    # a sparse array in (either operand) gives a csr_array out, anything else a csr_matrix
    expected = sp.csr_array if fmt.endswith("_array") else sp.csr_matrix

    def same(R, ref):
        assert type(R) is expected
        _same(sp.csr_matrix(R), ref)

    ref_self = lexsim.top_k(A, k=3)
    ref_ab = lexsim.top_k(A, B, k=3)
    Ac, Bc = conv(A), conv(B)
    same(lexsim.top_k(Ac, k=3), ref_self)
    same(lexsim.top_k(Ac, Bc, k=3), ref_ab)
    same(lexsim.top_k(Ac, B, k=3), ref_ab)
    same(lexsim.top_k(A, Bc, k=3), ref_ab)
    assert_matches_reference(ref_self, reference_top_k(A, k=3))


def test_non_canonical_csr_input(mats):
    A, _ = mats
    coo = A.tocoo()
    # duplicate every entry as two halves, in reversed order: unsorted indices and duplicates
    rows = np.concatenate([coo.row, coo.row])[::-1]
    cols = np.concatenate([coo.col, coo.col])[::-1]
    vals = np.concatenate([coo.data / 2, coo.data / 2])[::-1]
    dup_coo = sp.coo_matrix((vals, (rows, cols)), shape=A.shape)
    _same(lexsim.top_k(dup_coo, k=4), lexsim.top_k(A, k=4))
    order = np.argsort(rows, kind="stable")
    unsorted = sp.csr_matrix(
        (vals[order], cols[order], np.searchsorted(rows[order], np.arange(A.shape[0] + 1))), shape=A.shape
    )
    assert not unsorted.has_canonical_format
    before = (unsorted.data.copy(), unsorted.indices.copy(), unsorted.indptr.copy())
    got = lexsim.top_k(unsorted, k=4)
    np.testing.assert_allclose(got.toarray(), lexsim.top_k(A, k=4).toarray(), rtol=0, atol=1e-15)
    # the input is left untouched
    np.testing.assert_array_equal(unsorted.data, before[0])
    np.testing.assert_array_equal(unsorted.indices, before[1])
    np.testing.assert_array_equal(unsorted.indptr, before[2])


def test_input_not_modified(mats):
    A, B = mats
    A0, B0 = A.copy(), B.copy()
    lexsim.top_k(A, B, k=3)
    lexsim.top_k(A, k=3)
    for M, M0 in ((A, A0), (B, B0)):
        np.testing.assert_array_equal(M.data, M0.data)
        np.testing.assert_array_equal(M.indices, M0.indices)
        np.testing.assert_array_equal(M.indptr, M0.indptr)
    D = A.toarray()
    D0 = D.copy()
    lexsim.top_k(D, k=2)
    np.testing.assert_array_equal(D, D0)


def test_int64_index_arrays(mats):
    A, B = mats
    A64 = A.copy()
    A64.indices = A64.indices.astype(np.int64)
    A64.indptr = A64.indptr.astype(np.int64)
    _same(lexsim.top_k(A64, k=3), lexsim.top_k(A, k=3))
    _same(lexsim.top_k(A64, B, k=3), lexsim.top_k(A, B, k=3))
    _same(lexsim.top_k(B, A64, k=3), lexsim.top_k(B, A, k=3))


def test_b_is_a_means_self_join(mats):
    A, _ = mats
    _same(lexsim.top_k(A, A, k=3), lexsim.top_k(A, k=3))
    _same(lexsim.top_k(A, B=A, k=3, threshold=0.1), lexsim.top_k(A, None, k=3, threshold=0.1))
    D = A.toarray()
    _same(lexsim.top_k(D, D, k=3), lexsim.top_k(A, k=3))
    assert lexsim.top_k(A, A, k=3).diagonal().tolist() == [0.0] * A.shape[0]
    # an equal but distinct matrix is not a self-join
    assert lexsim.top_k(A, A.copy(), k=3).diagonal()[0] > 0.99


def test_shape_mismatch(mats):
    A, B = mats
    with pytest.raises(ValueError):
        lexsim.top_k(A, B[:, :5], k=3)
    with pytest.raises(ValueError):
        lexsim.top_k(A.toarray(), np.ones((3, 13)), k=3)


@pytest.mark.parametrize("k", [0, -1, -100])
def test_k_not_positive(mats, k):
    with pytest.raises(ValueError):
        lexsim.top_k(mats[0], k=k)


@pytest.mark.parametrize("k", [1.5, 2.0, "3", None, True])
def test_k_not_int(mats, k):
    with pytest.raises(TypeError):
        lexsim.top_k(mats[0], k=k)


def test_k_numpy_int(mats):
    A, _ = mats
    _same(lexsim.top_k(A, k=np.int64(3)), lexsim.top_k(A, k=3))
    _same(lexsim.top_k(A, k=np.int32(3)), lexsim.top_k(A, k=3))


def test_k_larger_than_rows(mats):
    A, B = mats
    huge = lexsim.top_k(A, k=10**9)
    assert_matches_reference(huge, reference_top_k(A, k=10**9))
    _same(huge, lexsim.top_k(A, k=A.shape[0] - 1))
    _same(lexsim.top_k(A, B, k=10**12), lexsim.top_k(A, B, k=B.shape[0]))


@pytest.mark.parametrize("threshold", [float("nan"), np.nan, np.float32("nan")])
def test_threshold_nan(mats, threshold):
    with pytest.raises(ValueError):
        lexsim.top_k(mats[0], k=3, threshold=threshold)


@pytest.mark.parametrize("threshold", [1.5, -1.5, float("inf"), -float("inf")])
def test_threshold_out_of_range(mats, threshold):
    with pytest.raises(ValueError):
        lexsim.top_k(mats[0], k=3, threshold=threshold)


@pytest.mark.parametrize("threshold", ["0.5", [0.5]])
def test_threshold_wrong_type(mats, threshold):
    with pytest.raises(TypeError):
        lexsim.top_k(mats[0], k=3, threshold=threshold)


def test_threshold_bounds_accepted(mats):
    A, _ = mats
    assert lexsim.top_k(A, k=3, threshold=1.0).nnz == 0
    _same(lexsim.top_k(A, k=3, threshold=-1.0), lexsim.top_k(A, k=3))  # non-negative data: all > -1
    _same(lexsim.top_k(A, k=3, threshold=np.float64(0.2)), lexsim.top_k(A, k=3, threshold=0.2))
    _same(lexsim.top_k(A, k=3, threshold=0), lexsim.top_k(A, k=3, threshold=0.0))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["A", "B"])
@pytest.mark.parametrize("kind", ["sparse", "dense"])
def test_non_finite_values(bad, where, kind):
    good = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]])
    worse = good.copy()
    worse[1, 2] = bad
    if kind == "sparse":
        good, worse = sp.csr_matrix(good), sp.csr_matrix(worse)
    with pytest.raises(ValueError):
        if where == "A":
            lexsim.top_k(worse, k=1)
        else:
            lexsim.top_k(good, worse, k=1)
    with pytest.raises(ValueError):
        if where == "A":
            lexsim.top_k(worse, good, k=1)
        else:
            lexsim.top_k(worse, None, k=1)


@pytest.mark.parametrize("bad", [[[1.0, 0.0], [0.0, 1.0]], "abc", b"abc", ((1.0, 0.0),), 3.0, None])
def test_non_matrix_input_type_error(bad):
    with pytest.raises(TypeError):
        lexsim.top_k(bad, k=1)
    with pytest.raises(TypeError):
        lexsim.top_k(sp.csr_matrix(np.eye(2)), bad if bad is not None else [[1.0]], k=1)


def test_non_2d_array_raises():
    with pytest.raises(ValueError):
        lexsim.top_k(np.ones(3), k=1)
    with pytest.raises(ValueError):
        lexsim.top_k(np.ones((2, 2, 2)), k=1)


def test_result_type_and_shape(mats):
    A, B = mats
    for args, shape in (((A,), (25, 25)), ((A, B), (25, 18)), ((B, A), (18, 25))):
        R = lexsim.top_k(*args, k=4)
        assert type(R) is sp.csr_matrix
        assert R.shape == shape
        assert R.has_sorted_indices
        assert R.has_canonical_format
        assert np.diff(R.indptr).max() <= 4
        # has_sorted_indices is not just a flag: check it
        S = R.copy()
        S.has_sorted_indices = False
        S.sort_indices()
        np.testing.assert_array_equal(S.indices, R.indices)


def test_empty_inputs():
    assert lexsim.top_k(sp.csr_matrix((0, 4)), k=3).shape == (0, 0)
    R = lexsim.top_k(sp.csr_matrix((3, 4)), k=3)
    assert R.shape == (3, 3) and R.nnz == 0
    R = lexsim.top_k(np.ones((2, 4)), np.zeros((0, 4)), k=3)
    assert R.shape == (2, 0) and R.nnz == 0
    R = lexsim.top_k(np.zeros((0, 4)), np.ones((2, 4)), k=3)
    assert R.shape == (0, 2) and R.nnz == 0
    R = lexsim.top_k(sp.csr_matrix((3, 0)), k=3)
    assert R.shape == (3, 3) and R.nnz == 0


def test_single_row_self_join():
    R = lexsim.top_k(sp.csr_matrix(np.array([[1.0, 2.0]])), k=5)
    assert R.shape == (1, 1) and R.nnz == 0


def test_result_is_zero_copy(mats):
    R = lexsim.top_k(mats[0], k=3)
    for arr in (R.data, R.indices, R.indptr):
        assert not arr.flags.owndata
        b = arr
        while getattr(b, "base", None) is not None:
            b = b.base
        assert type(b).__name__ == "PyCapsule"


def test_sparray_config():
    import sklearn

    if "sparse_interface" not in sklearn.get_config():
        pytest.skip("this scikit-learn has no sparse_interface config")
    A = random_matrix((10, 5), 0.5, seed=4)
    with sklearn.config_context(sparse_interface="sparray"):
        R = lexsim.top_k(A, k=2)
    assert isinstance(R, sp.csr_array)
    _same(sp.csr_matrix(R), lexsim.top_k(A, k=2))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_matrices_that_were_pickled_are_accepted(dtype) -> None:
    # An unpickled array carries an equal dtype object that is not numpy's cached one (Dask and
    # multiprocessing hand matrices over this way); it used to be refused as "float64, expected float64".
    import pickle

    A = sp.random(40, 12, density=0.3, format="csr", random_state=3, dtype=dtype)
    B = pickle.loads(pickle.dumps(A))
    assert B.data.dtype == A.data.dtype
    _same(lexsim.top_k(B, k=3), lexsim.top_k(A, k=3))
    _same(lexsim.top_k(B, B[:7], k=2), lexsim.top_k(A, A[:7], k=2))
    got, want = lexsim.similar_pairs(B, 0.3), lexsim.similar_pairs(A, 0.3)
    assert all(np.array_equal(g, w) for g, w in zip(got, want))

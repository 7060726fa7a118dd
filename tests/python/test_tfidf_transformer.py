"""lexsim.TfidfTransformer against scikit-learn's (the reference), its exact partial_fit and merge,
bad input, pickling, and TfidfVectorizer's weighting being one (``_tfidf``)."""

from __future__ import annotations

import itertools
import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

sk_text = pytest.importorskip("sklearn.feature_extraction.text")
from conftest import HARD_UNICODE, read_news_seeds, read_sentences  # noqa: E402
from sklearn import config_context  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

import lexsim  # noqa: E402

PARAMS = [
    dict(norm=norm, use_idf=use_idf, smooth_idf=smooth, sublinear_tf=sublinear)
    for norm, use_idf, smooth, sublinear in itertools.product(
        ["l2", "l1", None], [True, False], [True, False], [False, True]
    )
]
PARAM_IDS = ["-".join(f"{k}={v}" for k, v in p.items()) for p in PARAMS]

_COUNTS: dict[str, sp.csr_matrix] = {}


def counts(name: str) -> sp.csr_matrix:
    """scikit-learn's own count matrix of a corpus (int64), the input both transformers get."""
    if name not in _COUNTS:
        docs = {
            "news-seeds": lambda: read_news_seeds()[1],
            "sentences": read_sentences,
            "hard-unicode": lambda: HARD_UNICODE,
        }[name]()
        _COUNTS[name] = sk_text.CountVectorizer().fit_transform(docs)
    # A copy, so that no test changes another's input.
    return _COUNTS[name].copy()


def bits(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a).tobytes()


def owner(a: np.ndarray) -> object:
    """The object at the end of an array's chain of bases (what owns its memory)."""
    while isinstance(getattr(a, "base", None), np.ndarray):
        a = a.base
    return a.base


def assert_same(X, Y, atol: float = 1e-12, rtol: float = 0.0) -> None:
    """Same shape, stored entries and dtype; values to atol and rtol (both 0: bit for bit). The
    order of entries within a row may differ: scikit-learn's result for int counts has sorted rows
    (scipy's astype sorts them), lexsim's keeps the input's order."""
    assert X.shape == Y.shape and X.dtype == Y.dtype
    X, Y = sp.csr_matrix(X, copy=True), sp.csr_matrix(Y, copy=True)
    X.has_sorted_indices = Y.has_sorted_indices = False  # (recomputed, not trusted)
    X.sort_indices()
    Y.sort_indices()
    np.testing.assert_array_equal(X.indptr, Y.indptr)
    np.testing.assert_array_equal(X.indices, Y.indices)
    if atol == rtol == 0:
        assert bits(X.data) == bits(Y.data)
    else:
        np.testing.assert_allclose(X.data, Y.data, rtol=rtol, atol=atol)


# ---------------------------------------------------------------------------------- parity
@pytest.mark.parametrize("corpus", ["hard-unicode", "news-seeds", "sentences"])
@pytest.mark.parametrize("params", PARAMS, ids=PARAM_IDS)
def test_parity_with_scikit_learn_float64(corpus: str, params: dict) -> None:
    X = counts(corpus)
    ours, theirs = lexsim.TfidfTransformer(**params), sk_text.TfidfTransformer(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # smooth_idf=False on unused columns: both warn
        A, B = ours.fit_transform(X), theirs.fit_transform(X)
    assert type(A) is type(B) is sp.csr_matrix
    assert_same(A, B)
    assert_same(ours.transform(X[::3]), theirs.transform(X[::3]))
    assert hasattr(ours, "idf_") == hasattr(theirs, "idf_") == params["use_idf"]
    if params["use_idf"]:
        assert ours.idf_.dtype == theirs.idf_.dtype == np.float64
        np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=0, atol=1e-12)
    assert ours.n_features_in_ == theirs.n_features_in_
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()


@pytest.mark.parametrize("corpus", ["news-seeds", "sentences"])
@pytest.mark.parametrize("params", PARAMS[::3], ids=PARAM_IDS[::3])
def test_parity_with_scikit_learn_float32(corpus: str, params: dict) -> None:
    X = counts(corpus).astype(np.float32)
    ours, theirs = lexsim.TfidfTransformer(**params).fit(X), sk_text.TfidfTransformer(**params).fit(X)
    A, B = ours.transform(X), theirs.transform(X)
    assert A.dtype == np.float32
    # float32 arithmetic as scikit-learn's, with the C library's logf instead of numpy's (one or
    # two ulp apart): the vectorizer's float32 tolerance, relative for unnormalised values.
    F32 = dict(atol=1e-7, rtol=1e-6)
    assert_same(A, B, **F32)
    if params["use_idf"]:
        assert ours.idf_.dtype == theirs.idf_.dtype == np.float32
        np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=1e-6)
        # An idf fitted on float32 weighs float64 counts (and the other way round) as scikit-learn's does.
        assert_same(ours.transform(X.astype(np.float64)), theirs.transform(X.astype(np.float64)), **F32)
        fitted64 = lexsim.TfidfTransformer(**params).fit(X.astype(np.float64))
        theirs64 = sk_text.TfidfTransformer(**params).fit(X.astype(np.float64))
        assert fitted64.idf_.dtype == np.float64
        assert_same(fitted64.transform(X), theirs64.transform(X), **F32)


@pytest.mark.parametrize(
    "convert",
    [
        pytest.param(lambda X: X.tocsc(), id="csc"),
        pytest.param(lambda X: X.tocoo(), id="coo"),
        pytest.param(lambda X: X.tolil(), id="lil"),
        pytest.param(sp.csr_array, id="csr_array"),
        pytest.param(lambda X: X.astype(np.int32), id="int32"),
        pytest.param(lambda X: X.astype(bool), id="bool"),
        pytest.param(lambda X: X.astype(np.uint8), id="uint8"),
        pytest.param(lambda X: X.toarray(), id="dense"),
        pytest.param(lambda X: X.toarray().tolist(), id="lists"),
    ],
)
def test_every_input_scikit_learn_takes(convert) -> None:
    X = counts("news-seeds")[:, :400]
    ours = lexsim.TfidfTransformer().fit_transform(convert(X))
    theirs = sk_text.TfidfTransformer().fit_transform(convert(X))
    assert_same(ours, theirs)


def test_sparse_interface_config_and_dataframes() -> None:
    X = counts("hard-unicode")
    with config_context(sparse_interface="sparray"):
        out = lexsim.TfidfTransformer().fit_transform(X)
        assert type(out) is sp.csr_array
        assert type(lexsim.TfidfTransformer().fit(X).transform(X, copy=False)) is sp.csr_array
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(X.toarray(), columns=[f"t{i}" for i in range(X.shape[1])])
    ours, theirs = lexsim.TfidfTransformer().fit(df), sk_text.TfidfTransformer().fit(df)
    assert ours.feature_names_in_.tolist() == theirs.feature_names_in_.tolist()
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    assert_same(ours.transform(df), theirs.transform(df))
    with pytest.raises(ValueError, match="feature names should match"):
        ours.transform(df[df.columns[::-1]])
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        ours.transform(X)
    with pytest.raises(ValueError, match="input_features is not equal to feature_names_in_"):
        ours.get_feature_names_out(["x"] * X.shape[1])
    assert lexsim.TfidfTransformer().fit(X).get_feature_names_out().tolist()[:2] == ["x0", "x1"]


def test_duplicates_are_one_value_and_explicit_zeros_count_as_scikit_learn_counts_them() -> None:
    # Row 0 stores column 1 twice (1 + 2) and an explicit zero in column 2.
    X = sp.csr_matrix(
        (np.array([1.0, 1.0, 2.0, 0.0, 4.0]), np.array([0, 1, 1, 2, 2]), np.array([0, 4, 5])), shape=(2, 3)
    )
    assert not X.has_canonical_format
    summed = X.copy()
    summed.sum_duplicates()  # keeps the explicit zero
    ours = lexsim.TfidfTransformer().fit(X)
    assert ours.document_frequencies_.tolist() == [1, 1, 2]  # the stored zero counts, the duplicate once
    assert_same(ours.transform(X), sk_text.TfidfTransformer().fit(summed).transform(summed))
    assert X.data.tolist() == [1.0, 1.0, 2.0, 0.0, 4.0]  # the input is not changed
    # Without the stored zero, column 2 is in one document only.
    summed.eliminate_zeros()
    assert lexsim.TfidfTransformer().fit(summed).document_frequencies_.tolist() == [1, 1, 1]
    # Unsorted rows with a duplicate (column 1 in row 0): summed too, and X is not changed.
    U = sp.csr_matrix((np.array([True, True, True, True]), np.array([1, 0, 1, 2]), np.array([0, 3, 4])), shape=(2, 3))
    assert lexsim.TfidfTransformer().fit(U).document_frequencies_.tolist() == [1, 1, 1]
    assert U.indices.tolist() == [1, 0, 1, 2] and U.nnz == 4


def test_unsorted_rows_are_read_as_they_are_and_keep_their_order() -> None:
    X = counts("news-seeds")  # scikit-learn's CountVectorizer leaves rows unsorted
    assert not X.has_sorted_indices
    indices = X.indices.copy()
    t = lexsim.TfidfTransformer().fit(X)
    out = t.transform(X)
    assert np.array_equal(out.indices, indices) and np.array_equal(X.indices, indices)
    assert not out.has_sorted_indices
    assert_same(out, sk_text.TfidfTransformer().fit(X).transform(X.astype(np.float64)))


def test_sublinear_tf_keeps_stored_zeros_and_refuses_negative_counts() -> None:
    X = sp.csr_matrix((np.array([2.0, 0.0, 3.0]), np.array([0, 1, 1]), np.array([0, 2, 3])), shape=(2, 2))
    out = lexsim.TfidfTransformer(sublinear_tf=True, norm=None, use_idf=False).fit_transform(X)
    assert out.data.tolist() == [1 + np.log(2.0), 0.0, 1 + np.log(3.0)]
    signed = sp.csr_matrix(np.array([[1.0, -2.0], [0.0, 3.0]]))
    t = lexsim.TfidfTransformer(sublinear_tf=True).fit(signed)
    with pytest.raises(ValueError, match=r"row 0, column 1 holds -2: sublinear_tf"):
        t.transform(signed)
    # Without the logarithm, negative values are weighted, as scikit-learn weighs them (hashing signs).
    assert_same(lexsim.TfidfTransformer().fit_transform(signed), sk_text.TfidfTransformer().fit_transform(signed))


def test_no_smoothing_warns_as_scikit_learn_does() -> None:
    X = np.array([[1, 1, 0], [1, 1, 0], [1, 0, 0]])
    with pytest.warns(RuntimeWarning, match="divide by zero") as caught:
        out = lexsim.TfidfTransformer(smooth_idf=False).fit_transform(X)
    assert caught[0].filename == __file__  # the warning points at the caller
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        assert np.isinf(lexsim.TfidfTransformer(smooth_idf=False).fit(X).idf_[2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert_same(out, sk_text.TfidfTransformer(smooth_idf=False).fit_transform(X))


def test_copy_false_weighs_in_place_and_copy_true_does_not() -> None:
    X = counts("news-seeds").astype(np.float64)
    before = X.copy()
    t = lexsim.TfidfTransformer().fit(X)
    want = t.transform(X)
    assert_same(X, before, atol=0)
    for arr in (want.data, want.indices, want.indptr):  # the core's buffers, no copy
        assert type(owner(arr)).__name__ == "PyCapsule"
    same = t.transform(X, copy=False)
    assert same is X
    assert_same(X, want, atol=0)
    ints = before.astype(np.int64)
    assert t.transform(ints, copy=False) is not ints  # counts of other types are converted, as scikit-learn does
    assert ints.dtype == np.int64


@pytest.mark.parametrize("params", PARAMS[::5], ids=PARAM_IDS[::5])
def test_threads_change_nothing(params: dict) -> None:
    X = counts("sentences")
    one = lexsim.TfidfTransformer(**params).fit_transform(X)
    two = lexsim.TfidfTransformer(**params, n_jobs=2).fit_transform(X)
    assert_same(one, two, atol=0)


# ---------------------------------------------------------------------------------- composition
@pytest.mark.parametrize("corpus", ["hard-unicode", "news-seeds", "sentences"])
@pytest.mark.parametrize("params", PARAMS, ids=PARAM_IDS)
def test_count_vectorizer_then_transformer_is_the_tfidf_vectorizer(corpus: str, params: dict) -> None:
    docs = {
        "news-seeds": lambda: read_news_seeds()[1],
        "sentences": lambda: read_sentences()[:5000],
        "hard-unicode": lambda: HARD_UNICODE,
    }[corpus]()
    for dtype in (np.float64, np.float32):
        vec = lexsim.TfidfVectorizer(**params, dtype=dtype)
        want = vec.fit_transform(docs)
        X = lexsim.CountVectorizer(dtype=dtype).fit_transform(docs)
        t = lexsim.TfidfTransformer(**params)
        assert_same(t.fit_transform(X), want, atol=0)
        if params["use_idf"]:
            assert bits(t.idf_) == bits(vec.idf_) == bits(vec._tfidf.idf_)
        assert vec._tfidf.document_frequencies_.tolist() == t.document_frequencies_.tolist()
        assert vec._tfidf.n_documents_ == len(docs)
        assert_same(vec._tfidf.transform(X), want, atol=0)


def test_the_vectorizer_tfidf_is_its_fitted_weighting_and_read_only() -> None:
    docs = read_news_seeds()[1]
    tv = lexsim.TfidfVectorizer(norm="l2", use_idf=False, smooth_idf=False, sublinear_tf=False)
    with pytest.raises(AttributeError):
        tv._tfidf  # noqa: B018 - as scikit-learn's, only after fit
    tv.fit(docs)
    tv.set_params(norm="l1", use_idf=True, smooth_idf=True, sublinear_tf=True)
    assert (tv._tfidf.norm, tv._tfidf.use_idf, tv._tfidf.smooth_idf, tv._tfidf.sublinear_tf) == (
        "l2",
        False,
        False,
        False,
    )
    tv.fit(docs)
    assert (tv._tfidf.norm, tv._tfidf.use_idf, tv._tfidf.smooth_idf, tv._tfidf.sublinear_tf) == ("l1", True, True, True)
    view = tv._tfidf
    for change in (
        lambda: view.fit(np.eye(3)),
        lambda: view.partial_fit(np.eye(3)),
        lambda: setattr(view, "idf_", view.idf_),
    ):
        with pytest.raises(ValueError, match="copy of a TfidfVectorizer's weighting"):
            change()
    assert bits(tv._tfidf.idf_) == bits(tv.idf_)
    # The copy comes from the engine: a hand-set idf on the vectorizer shows in it.
    tv.idf_ = tv.idf_ * 2
    assert bits(tv._tfidf.idf_) == bits(tv.idf_)
    assert lexsim.TfidfVectorizer(dtype=np.float32).fit(docs)._tfidf.idf_.dtype == np.float32


@pytest.mark.parametrize(
    "hashing", [dict(alternate_sign=False, norm=None), dict(n_features=2**10)], ids=["unsigned", "signed-l2-1024"]
)
def test_hashing_vectorizer_then_transformer_in_a_pipeline(hashing: dict) -> None:
    docs = read_news_seeds()[1] + HARD_UNICODE
    ours = Pipeline([("hash", lexsim.HashingVectorizer(**hashing)), ("tfidf", lexsim.TfidfTransformer())])
    theirs = Pipeline([("hash", sk_text.HashingVectorizer(**hashing)), ("tfidf", sk_text.TfidfTransformer())])
    assert_same(ours.fit_transform(docs), theirs.fit_transform(docs))
    assert_same(ours.transform(docs[:3]), theirs.transform(docs[:3]))
    twin = clone(ours).set_params(tfidf__norm="l1")
    assert twin.named_steps["tfidf"].norm == "l1" and not twin.named_steps["tfidf"].__sklearn_is_fitted__()
    assert_same(twin.fit_transform(docs), clone(theirs).set_params(tfidf__norm="l1").fit_transform(docs))


# ---------------------------------------------------------------------------------- partial_fit and merge
@pytest.mark.parametrize("params", PARAMS, ids=PARAM_IDS)
def test_partial_fit_and_merge_equal_one_fit_in_any_order_or_grouping(params: dict) -> None:
    X = counts("sentences")[:6000]
    n = X.shape[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        whole = lexsim.TfidfTransformer(**params).fit(X)
        want = whole.transform(X)
        for cuts in ([0, n // 2, n], [0, 10, 4000, n], [0, 0, 1, n // 5, n // 5, n // 2, n - 3, n]):
            parts = [X[a:b] for a, b in zip(cuts, cuts[1:])]
            incremental = lexsim.TfidfTransformer(**params)
            for p in parts:
                incremental.partial_fit(p)
            fitted = [lexsim.TfidfTransformer(**params).partial_fit(p) for p in parts]
            shipped = [pickle.loads(pickle.dumps(t)) for t in fitted]  # as parts come back from workers
            forwards, backwards = lexsim.TfidfTransformer(**params), lexsim.TfidfTransformer(**params)
            for t in shipped:
                forwards.merge(t)
            for t in reversed(fitted):
                backwards.merge(t)
            left, right = lexsim.TfidfTransformer(**params), lexsim.TfidfTransformer(**params)
            for i, t in enumerate(fitted):
                (left if i % 2 else right).merge(t)
            tree = left.merge(right)
            for got in (incremental, forwards, backwards, tree):
                assert got.n_documents_ == n
                assert got.document_frequencies_.tolist() == whole.document_frequencies_.tolist()
                if params["use_idf"]:
                    assert bits(got.idf_) == bits(whole.idf_)
                assert_same(got.transform(X), want, atol=0)


def test_partial_fit_float32_and_mixed_types_follow_vstack() -> None:
    X = counts("news-seeds").astype(np.float32)
    a, b = X[:2], X[2:]
    t = lexsim.TfidfTransformer().partial_fit(a).partial_fit(b)
    whole = lexsim.TfidfTransformer().fit(sp.vstack([a, b]))
    assert t.idf_.dtype == whole.idf_.dtype == np.float32 and bits(t.idf_) == bits(whole.idf_)
    mixed = lexsim.TfidfTransformer().partial_fit(a).partial_fit(b.astype(np.float64))
    assert mixed.idf_.dtype == sp.vstack([a, b.astype(np.float64)]).dtype == np.float64
    assert bits(mixed.idf_) == bits(lexsim.TfidfTransformer().fit(X.astype(np.float64)).idf_)


def test_parameters_may_change_between_partial_fits() -> None:
    X = counts("news-seeds")
    t = lexsim.TfidfTransformer().partial_fit(X[:2])
    t.set_params(smooth_idf=False, norm="l1").partial_fit(X[2:])
    want = lexsim.TfidfTransformer(smooth_idf=False, norm="l1").fit(X)
    assert bits(t.idf_) == bits(want.idf_)
    assert_same(t.transform(X), want.transform(X), atol=0)


def test_merge_refuses_what_does_not_add_up() -> None:
    X = counts("news-seeds")
    a = lexsim.TfidfTransformer().fit(X)
    with pytest.raises(TypeError, match="cannot merge a TfidfTransformer"):
        a.merge(sk_text.TfidfTransformer().fit(X))
    with pytest.raises(lexsim.NotFittedError, match="not fitted"):
        a.merge(lexsim.TfidfTransformer())
    with pytest.raises(ValueError, match="norm='l2' here, norm='l1' in the other"):
        a.merge(lexsim.TfidfTransformer(norm="l1").fit(X))
    with pytest.raises(ValueError, match=r"fitted on \d+ and on 3 features"):
        a.merge(lexsim.TfidfTransformer().fit(np.eye(3)))
    by_hand = lexsim.TfidfTransformer()
    by_hand.idf_ = np.ones(X.shape[1])
    with pytest.raises(lexsim.NotFittedError, match="only an idf_ set by hand"):
        a.merge(by_hand)
    hand_set = lexsim.TfidfTransformer().fit(X)
    hand_set.idf_ = hand_set.idf_ * 2
    with pytest.raises(ValueError, match="set by hand"):
        hand_set.merge(a)
    with pytest.raises(ValueError, match="set by hand"):
        hand_set.partial_fit(X)
    with pytest.raises(ValueError, match="set by hand"):
        a.merge(hand_set)
    assert a.n_documents_ == X.shape[0]  # unchanged by the refusals
    assert lexsim.TfidfTransformer(n_jobs=2).merge(a).n_documents_ == X.shape[0]  # n_jobs may differ


# ---------------------------------------------------------------------------------- bad input, state
def test_bad_input_is_refused_with_what_and_where() -> None:
    X = sp.csr_matrix(np.array([[1.0, 0.0, 2.0], [0.0, np.nan, 1.0]]))
    with pytest.raises(ValueError, match="row 1, column 1 holds NaN"):
        lexsim.TfidfTransformer().fit(X)
    t = lexsim.TfidfTransformer().fit(np.array([[1, 0, 2], [0, 1, 1]]))
    with pytest.raises(ValueError, match="row 0, column 2 holds inf"):
        t.transform(np.array([[1, 0, np.inf]]))
    with pytest.raises(ValueError, match="X has 4 features, but TfidfTransformer is expecting 3 features as input"):
        t.transform(np.ones((1, 4)))
    with pytest.raises(ValueError, match="X has 2 features"):
        t.partial_fit(np.ones((1, 2)))
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        t.transform(np.ones(3))
    with pytest.raises(ValueError, match="bytes/strings"):
        t.transform(np.array([["a", "b", "c"]]))
    with pytest.raises(ValueError, match="Complex data not supported"):
        t.transform(np.ones((1, 3), dtype=complex))
    with pytest.raises(ValueError, match="Found array with 0 sample"):
        lexsim.TfidfTransformer().fit(np.ones((0, 3)))
    with pytest.raises(ValueError, match="The 'norm' parameter"):
        lexsim.TfidfTransformer(norm="l3").fit(np.eye(2))
    with pytest.raises(TypeError, match="'use_idf' parameter"):
        lexsim.TfidfTransformer(use_idf="yes").fit(np.eye(2))
    with pytest.raises(ValueError, match="'n_jobs' parameter"):
        lexsim.TfidfTransformer(n_jobs=0).fit(np.eye(2))
    with pytest.raises(lexsim.NotFittedError):
        lexsim.TfidfTransformer().transform(np.eye(2))
    with pytest.raises(ValueError, match="idf_ has 2 values"):
        t.idf_ = [1.0, 2.0]
    with pytest.raises(ValueError, match="idf\\[1\\] is NaN"):
        t.idf_ = [1.0, np.nan, 1.0]
    assert t.n_documents_ == 2 and not t.idf_.flags.writeable
    # An empty part is no error for partial_fit: it adds nothing.
    assert lexsim.TfidfTransformer().partial_fit(np.ones((0, 3))).partial_fit(np.eye(3)).n_documents_ == 3


def test_attributes_before_and_after_fit() -> None:
    t = lexsim.TfidfTransformer()
    for name in ("idf_", "n_features_in_", "n_documents_", "document_frequencies_"):
        assert not hasattr(t, name)
    t.fit(np.array([[1, 0], [1, 1]]))
    assert (t.n_features_in_, t.n_documents_, t.document_frequencies_.tolist()) == (2, 2, [2, 1])
    assert not hasattr(lexsim.TfidfTransformer(use_idf=False).fit(np.eye(2)), "idf_")
    # idf_ set on an unfitted transformer, as scikit-learn allows: it transforms without a fit.
    copy = lexsim.TfidfTransformer()
    copy.idf_ = t.idf_
    assert_same(copy.transform(np.eye(2)), t.transform(np.eye(2)), atol=0)
    assert not hasattr(copy, "n_documents_")


@pytest.mark.parametrize("state", ["unfitted", "fit", "partial_fit", "float32", "hand_set", "hand_set_only", "no_idf"])
def test_pickling_keeps_everything(state: str) -> None:
    X = counts("news-seeds")
    t = lexsim.TfidfTransformer(use_idf=state != "no_idf", smooth_idf=False, n_jobs=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if state in ("fit", "no_idf", "hand_set"):
            t.fit(X)
        elif state == "partial_fit":
            t.partial_fit(X[:2]).partial_fit(X[2:])
        elif state == "float32":
            t.fit(X.astype(np.float32))
        if state in ("hand_set", "hand_set_only"):
            t.idf_ = np.linspace(1, 2, X.shape[1])
        t.set_params(norm="l1", smooth_idf=True)  # the idf keeps the smoothing of its fit
        copy = pickle.loads(pickle.dumps(t))
    assert copy.get_params() == t.get_params()
    if state == "unfitted":
        assert not copy.__sklearn_is_fitted__()
        return
    assert_same(copy.transform(X), t.transform(X), atol=0)
    assert hasattr(copy, "idf_") == hasattr(t, "idf_")
    if hasattr(t, "idf_"):
        assert copy.idf_.dtype == t.idf_.dtype and bits(copy.idf_) == bits(t.idf_)
    if state in ("fit", "partial_fit"):
        more = X[:3]
        assert_same(copy.partial_fit(more).transform(X), t.partial_fit(more).transform(X), atol=0)


def test_scikit_learn_estimator_checks() -> None:
    from sklearn.utils.estimator_checks import check_estimator

    # Every check scikit-learn runs on an estimator passes.
    check_estimator(lexsim.TfidfTransformer())


def test_no_set_output_and_html_repr() -> None:
    t = lexsim.TfidfTransformer(norm="l1")
    assert not hasattr(t, "set_output")
    assert "norm=&#x27;l1&#x27;" in t._repr_html_()
    assert repr(t) == "TfidfTransformer(norm='l1')"

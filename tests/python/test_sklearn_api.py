"""lexsim's vectorizers behave as scikit-learn estimators and match scikit-learn's results.

Every test compares against scikit-learn's own CountVectorizer / TfidfVectorizer (installed in
the test environment) or asserts a concrete expected value.
"""

from __future__ import annotations

import copy
import io
import pickle
import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

sklearn = pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError as SkNotFittedError  # noqa: E402
from sklearn.feature_extraction import text as sktext  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.utils.validation import check_is_fitted  # noqa: E402

import lexsim  # noqa: E402
from lexsim._sparse import csr_from_buffers  # noqa: E402

LEXSIM_ONLY_PARAMS = {"normalization", "casefold", "stemmer", "n_jobs"}

PAIRS = [
    pytest.param(lexsim.CountVectorizer, sktext.CountVectorizer, id="count"),
    pytest.param(lexsim.TfidfVectorizer, sktext.TfidfVectorizer, id="tfidf"),
]

DOCS = [
    "The quick brown fox jumps over the lazy dog.",
    "Erdoğan met Putin in Sochi; Erdogan and Putin talked about Idlib.",
    "Çavuşoğlu said Türkiye would respond — Cavusoglu, Turkey's minister.",
    "The lazy dog sleeps, the quick fox runs; the dog dreams.",
    "Straße, STRASSE, straße: naïve café crème brûlée.",
    "It's a dog's life, isn't it? Don't stop the fox!",
    "ΣΊΣΥΦΟΣ and İstanbul, ﬁne ligatures and ½ fractions 2024 42",
    "",
]


def assert_same_csr(X, Y, *, exact=True, atol=1e-12):
    """Same shape, same sparsity structure (after canonicalising) and same values."""
    assert X.shape == Y.shape
    X = sp.csr_matrix(X).copy()
    Y = sp.csr_matrix(Y).copy()
    X.sum_duplicates()
    Y.sum_duplicates()
    X.eliminate_zeros()
    Y.eliminate_zeros()
    np.testing.assert_array_equal(X.indptr, Y.indptr)
    np.testing.assert_array_equal(X.indices, Y.indices)
    if exact:
        np.testing.assert_array_equal(X.data, Y.data)
    else:
        np.testing.assert_allclose(X.data, Y.data, rtol=0, atol=atol)


def fit_both(L, S, docs, **kw):
    lv, sv = L(**kw), S(**kw)
    return lv, lv.fit_transform(list(docs)), sv, sv.fit_transform(list(docs))


# --------------------------------------------------------------------------- get_params / set_params


@pytest.mark.parametrize("L,S", PAIRS)
def test_param_names_are_sklearns_plus_lexsims_own(L, S):
    lp, sp_ = L().get_params(), S().get_params()
    assert set(lp) - set(sp_) == LEXSIM_ONLY_PARAMS
    assert set(sp_) - set(lp) == set()


@pytest.mark.parametrize("L,S", PAIRS)
def test_default_values_equal_sklearns(L, S):
    lp, sp_ = L().get_params(), S().get_params()
    for name in set(lp) & set(sp_):
        assert lp[name] == sp_[name], name
        assert type(lp[name]) is type(sp_[name]), name
    assert lp["normalization"] is None
    assert lp["casefold"] is False
    assert lp["stemmer"] is None
    assert lp["n_jobs"] is None


def test_specific_defaults():
    assert lexsim.CountVectorizer().get_params()["dtype"] is np.int64
    assert lexsim.TfidfVectorizer().get_params()["dtype"] is np.float64
    p = lexsim.TfidfVectorizer().get_params()
    assert p["norm"] == "l2" and p["use_idf"] is True and p["smooth_idf"] is True and p["sublinear_tf"] is False
    assert p["token_pattern"] == r"(?u)\b\w\w+\b"
    assert p["ngram_range"] == (1, 1) and p["max_df"] == 1.0 and p["min_df"] == 1


@pytest.mark.parametrize("L,S", PAIRS)
def test_set_params_round_trip(L, S):
    v = L()
    new = {
        "ngram_range": (1, 3),
        "min_df": 2,
        "max_df": 0.9,
        "lowercase": False,
        "stop_words": "english",
        "strip_accents": "unicode",
        "casefold": True,
        "normalization": "NFKC",
        "n_jobs": 2,
    }
    assert v.set_params(**new) is v
    got = v.get_params()
    for name, value in new.items():
        assert got[name] == value
    # everything else kept its default
    default = L().get_params()
    for name in set(default) - set(new):
        assert got[name] == default[name]
    with pytest.raises(ValueError, match="Invalid parameter"):
        v.set_params(no_such_param=1)


@pytest.mark.parametrize("L,S", PAIRS)
def test_set_params_changes_fit_result(L, S):
    docs = ["a bb cc", "bb cc dd", "cc dd ee"]
    v = L().set_params(ngram_range=(1, 2), min_df=2)
    s = S().set_params(ngram_range=(1, 2), min_df=2)
    assert_same_csr(v.fit_transform(docs), s.fit_transform(docs), exact=False)
    assert v.vocabulary_ == s.vocabulary_ == {"bb": 0, "bb cc": 1, "cc": 2, "cc dd": 3, "dd": 4}


# --------------------------------------------------------------------------- clone / repr


@pytest.mark.parametrize("L,S", PAIRS)
def test_clone_unfitted_with_equal_params(L, S):
    v = L(ngram_range=(1, 2), min_df=1, stop_words="english", casefold=True)
    v.fit(DOCS)
    c = clone(v)
    assert type(c) is L
    assert c is not v
    assert c.get_params() == v.get_params()
    assert not hasattr(c, "vocabulary_")
    with pytest.raises(SkNotFittedError):
        check_is_fitted(c)
    # the clone fits to the same result
    assert_same_csr(c.fit_transform(DOCS), v.transform(DOCS))


@pytest.mark.parametrize("L,S", PAIRS)
def test_repr(L, S):
    name = L.__name__
    assert repr(L()) == f"{name}()"
    assert repr(L(min_df=2, ngram_range=(1, 2))) == repr(S(min_df=2, ngram_range=(1, 2)))
    assert repr(L(casefold=True)) == f"{name}(casefold=True)"
    assert repr(L(n_jobs=-1, normalization="NFC")) == f"{name}(n_jobs=-1, normalization='NFC')"


# --------------------------------------------------------------------------- Pipeline / GridSearchCV

_POS = [
    "the team won the football match with a late goal",
    "a great goal by the striker won the cup final",
    "the coach praised the team after the match",
    "fans cheered as the striker scored another goal",
    "the football season ends with the cup final",
    "the goalkeeper saved a penalty in the match",
    "the team trains every morning before the match",
    "a penalty goal decided the football cup",
    "the striker and the coach celebrate the win",
    "the league match ended in a draw after a late goal",
    "the referee gave a penalty and the team scored",
    "supporters sang as the football team won again",
]
_NEG = [
    "simmer the tomato sauce with garlic and basil",
    "bake the bread in a hot oven until golden",
    "the chef adds olive oil and garlic to the pan",
    "whisk the eggs with sugar for the cake",
    "the recipe needs flour butter and sugar",
    "roast the vegetables with olive oil and salt",
    "the chef tastes the sauce before serving",
    "knead the dough and bake the bread slowly",
    "a pinch of salt makes the tomato sauce better",
    "the cake needs eggs butter and a hot oven",
    "slice the garlic and fry it in olive oil",
    "serve the roast with bread and a green salad",
]
TRAIN_DOCS = [d for pair in zip(_POS, _NEG) for d in pair]
TRAIN_Y = np.array([1, 0] * len(_POS))


def test_pipeline_fit_predict():
    pipe = Pipeline([("tfidf", lexsim.TfidfVectorizer()), ("clf", LogisticRegression())])
    pipe.fit(TRAIN_DOCS, TRAIN_Y)
    test_docs = ["the striker scored a goal in the match", "bake the cake with butter and sugar"]
    np.testing.assert_array_equal(pipe.predict(test_docs), [1, 0])
    assert pipe.score(TRAIN_DOCS, TRAIN_Y) == 1.0
    ref = Pipeline([("tfidf", sktext.TfidfVectorizer()), ("clf", LogisticRegression())]).fit(TRAIN_DOCS, TRAIN_Y)
    np.testing.assert_allclose(pipe.predict_proba(test_docs), ref.predict_proba(test_docs), rtol=0, atol=1e-9)
    np.testing.assert_allclose(pipe.named_steps["clf"].coef_, ref.named_steps["clf"].coef_, rtol=0, atol=1e-9)
    assert pipe.named_steps["tfidf"].vocabulary_ == ref.named_steps["tfidf"].vocabulary_


def test_grid_search_matches_sklearn():
    # min_df=1 wins; listing it last makes the winner something other than the first candidate
    grid = {"tfidf__ngram_range": [(1, 1), (1, 2), (1, 3)], "tfidf__min_df": [3, 2, 1]}
    results = {}
    for name, V in (("lexsim", lexsim.TfidfVectorizer), ("sklearn", sktext.TfidfVectorizer)):
        pipe = Pipeline([("tfidf", V()), ("clf", LogisticRegression(C=0.5))])
        gs = GridSearchCV(pipe, grid, cv=2, error_score="raise")
        gs.fit(TRAIN_DOCS, TRAIN_Y)
        results[name] = gs
    lx, sk = results["lexsim"], results["sklearn"]
    assert lx.best_params_ == sk.best_params_
    assert lx.best_params_ == {"tfidf__min_df": 1, "tfidf__ngram_range": (1, 1)}
    assert len(set(lx.cv_results_["mean_test_score"])) > 1  # the candidates really differ
    np.testing.assert_array_equal(lx.cv_results_["mean_test_score"], sk.cv_results_["mean_test_score"])
    np.testing.assert_array_equal(lx.cv_results_["rank_test_score"], sk.cv_results_["rank_test_score"])
    assert isinstance(lx.best_estimator_.named_steps["tfidf"], lexsim.TfidfVectorizer)
    assert lx.best_estimator_.named_steps["tfidf"].vocabulary_ == sk.best_estimator_.named_steps["tfidf"].vocabulary_


# --------------------------------------------------------------------------- pickle / deepcopy

PICKLE_CONFIGS = [
    {},
    {"ngram_range": (1, 2), "stop_words": "english"},
    {"min_df": 2, "max_features": 5},
    {"strip_accents": "unicode", "sublinear_tf": True},
    {"use_idf": False},
    {"smooth_idf": False, "norm": "l1"},
    {"dtype": np.float32},
    {"analyzer": "char_wb", "ngram_range": (2, 3)},
    {"token_pattern": r"[A-Za-z]+"},
    {"vocabulary": ["dog", "fox", "putin", "unseen"]},
]


def _tfidf_only(kw):
    return any(k in kw for k in ("use_idf", "smooth_idf", "norm", "sublinear_tf"))


def _round_trips(v):
    return [pickle.loads(pickle.dumps(v)), copy.deepcopy(v), pickle.loads(pickle.dumps(v, protocol=2))]


@pytest.mark.parametrize(
    "L,kw",
    [
        (L, kw)
        for L in (lexsim.CountVectorizer, lexsim.TfidfVectorizer)
        for kw in PICKLE_CONFIGS
        if L is lexsim.TfidfVectorizer or not _tfidf_only(kw)
    ],
)
def test_pickle_fitted(L, kw):
    v = L(**kw).fit(DOCS)
    X = v.transform(DOCS)
    new_docs = ["the dog and the fox", "Putin, Erdogan and a fox", "nothing known here"]
    Xn = v.transform(new_docs)
    for w in _round_trips(v):
        assert type(w) is L
        assert w.get_params() == v.get_params()
        assert w.fixed_vocabulary_ == v.fixed_vocabulary_
        assert w.vocabulary_ == v.vocabulary_
        np.testing.assert_array_equal(w.get_feature_names_out(), v.get_feature_names_out())
        Y = w.transform(DOCS)
        assert Y.dtype == X.dtype
        assert_same_csr(Y, X, exact=True)
        assert_same_csr(w.transform(new_docs), Xn, exact=True)
        if L is lexsim.TfidfVectorizer and kw.get("use_idf", True):
            np.testing.assert_array_equal(w.idf_, v.idf_)
            assert w.idf_.dtype == v.idf_.dtype
        if L is lexsim.TfidfVectorizer and not kw.get("use_idf", True):
            assert not hasattr(w, "idf_")
        # the copy is independent: refitting it does not change the original
        other = ["zebra yak", "yak dog", "zebra"]
        w.fit(other)
        assert w.vocabulary_ == clone(v).fit(other).vocabulary_
        assert_same_csr(v.transform(DOCS), X, exact=True)


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
def test_pickle_unfitted(L):
    v = L(ngram_range=(1, 2), casefold=True, min_df=1)
    for w in _round_trips(v):
        assert w.get_params() == v.get_params()
        assert not hasattr(w, "vocabulary_")
        with pytest.raises(SkNotFittedError):
            check_is_fitted(w)
        assert_same_csr(w.fit_transform(DOCS), clone(v).fit_transform(DOCS), exact=True)


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
def test_pickle_and_deepcopy_with_python_analysis(L):
    # str.split pickles by reference; the fitted state must keep using the Python analysis path
    v = L(tokenizer=str.split, token_pattern=None, ngram_range=(1, 2)).fit(["Ab cd", "cd ef!"])
    assert v.vocabulary_ == {"ab": 0, "ab cd": 1, "cd": 2, "cd ef!": 3, "ef!": 4}
    new = ["ab cd ef!", "EF! cd"]
    for w in _round_trips(v):
        assert w.vocabulary_ == v.vocabulary_
        assert_same_csr(w.transform(new), v.transform(new), exact=True)
    v = L(preprocessor=lambda t: t.upper()).fit(["Ab cd", "cd ef!"])  # lambdas only deepcopy
    w = copy.deepcopy(v)
    assert w.vocabulary_ == {"AB": 0, "CD": 1, "EF": 2}
    assert_same_csr(w.transform(["ab cd ef!"]), v.transform(["ab cd ef!"]), exact=True)


def test_pickle_keeps_user_set_idf():
    v = lexsim.TfidfVectorizer().fit(DOCS)
    new_idf = np.linspace(1.0, 3.0, len(v.idf_))
    v.idf_ = new_idf
    X = v.transform(DOCS)
    for w in _round_trips(v):
        np.testing.assert_array_equal(w.idf_, new_idf)
        assert_same_csr(w.transform(DOCS), X, exact=True)


def test_pickle_matches_sklearn_after_round_trip():
    v = pickle.loads(pickle.dumps(lexsim.TfidfVectorizer(min_df=2).fit(DOCS)))
    s = sktext.TfidfVectorizer(min_df=2).fit(DOCS)
    assert v.vocabulary_ == s.vocabulary_
    np.testing.assert_allclose(v.idf_, s.idf_, rtol=0, atol=1e-12)
    assert_same_csr(v.transform(DOCS), s.transform(DOCS), exact=False)


# --------------------------------------------------------------------------- fitted attributes

ATTR_CONFIGS = [
    {},
    {"ngram_range": (1, 3)},
    {"stop_words": "english", "ngram_range": (1, 2)},
    {"min_df": 2},
    {"max_df": 0.5},
    {"max_df": 2, "min_df": 1},
    {"min_df": 0.2, "max_df": 0.8},
    {"max_features": 4},  # no tie at the cut-off (scikit-learn breaks ties with an unstable argsort)
    {"max_features": 9},
    {"strip_accents": "unicode"},
    {"strip_accents": "ascii", "lowercase": False},
    {"analyzer": "char", "ngram_range": (1, 2)},
    {"analyzer": "char_wb", "ngram_range": (2, 4)},
    {"binary": True},
    {"token_pattern": r"(?u)\b\w+\b"},
    {"stop_words": ["the", "and", "dog"]},
]


@pytest.mark.parametrize("kw", ATTR_CONFIGS)
@pytest.mark.parametrize("L,S", PAIRS)
def test_fitted_attributes_equal_sklearn(L, S, kw):
    lv, X, sv, Y = fit_both(L, S, DOCS, **kw)
    assert lv.vocabulary_ == sv.vocabulary_
    assert type(lv.vocabulary_) is dict
    assert lv.fixed_vocabulary_ is False
    assert sv.fixed_vocabulary_ is False
    np.testing.assert_array_equal(lv.get_feature_names_out(), sv.get_feature_names_out())
    assert lv.get_feature_names_out().dtype == object
    assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)
    if L is lexsim.TfidfVectorizer:
        assert lv.idf_.shape == sv.idf_.shape
        assert lv.idf_.dtype == np.float64
        np.testing.assert_allclose(lv.idf_, sv.idf_, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"smooth_idf": False},
        {"sublinear_tf": True},
        {"norm": "l1"},
        {"norm": None},
        {"use_idf": False},
        {"sublinear_tf": True, "smooth_idf": False, "norm": None},
    ],
)
def test_tfidf_options_equal_sklearn(kw):
    lv, X, sv, Y = fit_both(lexsim.TfidfVectorizer, sktext.TfidfVectorizer, DOCS * 2 + ["dog dog dog fox"], **kw)
    assert_same_csr(X, Y, exact=False)
    if kw.get("use_idf", True):
        np.testing.assert_allclose(lv.idf_, sv.idf_, rtol=0, atol=1e-12)
    else:
        assert not hasattr(lv, "idf_")
        assert not hasattr(sv, "idf_")


def test_max_features_ties_go_to_code_point_order():
    # lexsim documents a deterministic tie rule (scikit-learn's depends on numpy's unstable argsort)
    v = lexsim.CountVectorizer(max_features=2).fit(["bb aa zz", "cc aa éa", "dd"])
    assert v.vocabulary_ == {"aa": 0, "bb": 1}
    v = lexsim.CountVectorizer(max_features=1).fit(["éa zz"])
    assert v.vocabulary_ == {"zz": 0}
    v = lexsim.CountVectorizer(max_features=3).fit(["xx xx yy yy zz zz ww", "ww"])
    assert v.vocabulary_ == {"ww": 0, "xx": 1, "yy": 2}


def test_idf_values_by_formula():
    # 3 documents; df(a)=3, df(b)=2, df(c)=1
    v = lexsim.TfidfVectorizer(token_pattern=r"(?u)\b\w+\b").fit(["a b c", "a b", "a"])
    assert v.vocabulary_ == {"a": 0, "b": 1, "c": 2}
    np.testing.assert_allclose(v.idf_, [np.log(4 / 4) + 1, np.log(4 / 3) + 1, np.log(4 / 2) + 1], rtol=0, atol=1e-15)
    v = lexsim.TfidfVectorizer(token_pattern=r"(?u)\b\w+\b", smooth_idf=False).fit(["a b c", "a b", "a"])
    np.testing.assert_allclose(v.idf_, [1.0, np.log(3 / 2) + 1, np.log(3) + 1], rtol=0, atol=1e-15)


@pytest.mark.parametrize("L,S", PAIRS)
def test_fixed_vocabulary(L, S):
    vocab = {"fox": 1, "dog": 0, "putin": 2, "unseen": 3}
    lv, X, sv, Y = fit_both(L, S, DOCS, vocabulary=vocab)
    assert lv.fixed_vocabulary_ is True
    assert lv.vocabulary_ == sv.vocabulary_ == vocab
    np.testing.assert_array_equal(lv.get_feature_names_out(), ["dog", "fox", "putin", "unseen"])
    assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)
    if L is lexsim.TfidfVectorizer:
        np.testing.assert_allclose(lv.idf_, sv.idf_, rtol=0, atol=1e-12)


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
def test_not_fitted_state(L):
    v = L()
    assert not hasattr(v, "vocabulary_")
    assert not hasattr(v, "fixed_vocabulary_")
    if L is lexsim.TfidfVectorizer:
        assert not hasattr(v, "idf_")
    with pytest.raises(SkNotFittedError):
        check_is_fitted(v)
    with pytest.raises(SkNotFittedError):
        v.transform(["some text"])
    with pytest.raises(lexsim.NotFittedError):
        v.transform(["some text"])
    with pytest.raises(SkNotFittedError):
        v.get_feature_names_out()
    with pytest.raises(SkNotFittedError):
        v.inverse_transform(sp.csr_matrix((1, 3)))
    v.fit(DOCS)
    check_is_fitted(v)  # does not raise
    assert hasattr(v, "vocabulary_")
    assert len(v.vocabulary_) == len(v.get_feature_names_out()) > 0


def test_lexsim_not_fitted_error_is_sklearns():
    assert issubclass(lexsim.NotFittedError, SkNotFittedError)
    assert issubclass(lexsim.NotFittedError, ValueError)
    assert issubclass(lexsim.NotFittedError, AttributeError)
    try:
        lexsim.TfidfVectorizer().transform(["x"])
    except SkNotFittedError as e:
        assert type(e) is lexsim.NotFittedError
    else:  # pragma: no cover
        pytest.fail("transform before fit did not raise")


def test_count_vectorizer_with_vocabulary_transforms_without_fit():
    docs = ["apple apple pear", "banana split", "Pear APPLE pear"]
    for vocabulary in (["apple", "pear", "kiwi"], {"apple": 0, "pear": 1, "kiwi": 2}):
        v = lexsim.CountVectorizer(vocabulary=vocabulary)
        s = sktext.CountVectorizer(vocabulary=vocabulary)
        X = v.transform(docs)
        np.testing.assert_array_equal(X.toarray(), [[2, 1, 0], [0, 0, 0], [1, 2, 0]])
        assert_same_csr(X, s.transform(docs))
        assert X.dtype == np.int64
        assert v.vocabulary_ == s.vocabulary_ == {"apple": 0, "pear": 1, "kiwi": 2}
        assert v.fixed_vocabulary_ is True
        check_is_fitted(v)


def test_count_vectorizer_transform_only_pickles():
    v = lexsim.CountVectorizer(vocabulary=["apple", "pear"])
    X = v.transform(["apple pear pear"])
    w = pickle.loads(pickle.dumps(v))
    assert w.vocabulary_ == {"apple": 0, "pear": 1}
    assert w.fixed_vocabulary_ is True
    assert_same_csr(w.transform(["apple pear pear"]), X)
    np.testing.assert_array_equal(X.toarray(), [[1, 2]])


def test_count_vectorizer_fixed_vocabulary_feature_names_without_fit():
    v = lexsim.CountVectorizer(vocabulary={"b": 1, "a": 0})
    s = sktext.CountVectorizer(vocabulary={"b": 1, "a": 0})
    np.testing.assert_array_equal(v.get_feature_names_out(), s.get_feature_names_out())
    np.testing.assert_array_equal(v.get_feature_names_out(), ["a", "b"])


@pytest.mark.parametrize(
    "vocabulary,error",
    [
        ({"a": 0, "b": 0}, ValueError),
        ({"a": 0, "b": 2}, ValueError),
        (["a", "b", "a"], ValueError),
        ([], ValueError),
    ],
)
def test_bad_fixed_vocabulary(vocabulary, error):
    with pytest.raises(error):
        sktext.CountVectorizer(vocabulary=vocabulary).fit(["a b"])
    with pytest.raises(error):
        lexsim.CountVectorizer(vocabulary=vocabulary).fit(["a b"])


# --------------------------------------------------------------------------- idf_ setter


def test_idf_setter_changes_transform_like_sklearn():
    docs = DOCS[:6]
    v = lexsim.TfidfVectorizer().fit(docs)
    s = sktext.TfidfVectorizer().fit(docs)
    new_idf = np.arange(1.0, len(s.idf_) + 1.0)
    before = v.transform(docs)
    v.idf_ = new_idf
    s.idf_ = new_idf
    np.testing.assert_array_equal(v.idf_, new_idf)
    after = v.transform(docs)
    assert abs(after - before).max() > 1e-3  # it did change
    assert_same_csr(after, s.transform(docs), exact=False)
    # a list works as well
    v.idf_ = list(new_idf[::-1])
    s.idf_ = new_idf[::-1].copy()
    assert_same_csr(v.transform(docs), s.transform(docs), exact=False)


def test_idf_setter_wrong_length_raises_value_error():
    v = lexsim.TfidfVectorizer().fit(DOCS)
    n = len(v.vocabulary_)
    old = v.idf_.copy()
    for bad in (np.ones(n - 1), np.ones(n + 1), np.ones((n, 1)), [1.0, 2.0]):
        with pytest.raises(ValueError):
            v.idf_ = bad
    np.testing.assert_array_equal(v.idf_, old)  # unchanged


def test_idf_setter_without_use_idf_raises():
    v = lexsim.TfidfVectorizer(use_idf=False).fit(DOCS)
    with pytest.raises(ValueError):
        v.idf_ = np.ones(len(v.vocabulary_))


# --------------------------------------------------------------------------- inverse_transform


@pytest.mark.parametrize("L,S", PAIRS)
@pytest.mark.parametrize("kw", [{}, {"ngram_range": (1, 2), "min_df": 1}, {"vocabulary": ["dog", "fox", "nope"]}])
def test_inverse_transform_equals_sklearn(L, S, kw):
    lv, X, sv, Y = fit_both(L, S, DOCS, **kw)
    for M in (X, Y, X.toarray(), Y.toarray(), X.tocsc(), sp.csr_array(X)):
        got, want = lv.inverse_transform(M), sv.inverse_transform(M)
        assert len(got) == len(want) == len(DOCS)
        for g, w in zip(got, want):
            assert g.ndim == 1
            assert g.tolist() == w.tolist()
    # the empty document has no terms
    assert lv.inverse_transform(X)[-1].tolist() == []


def test_inverse_transform_expected_values():
    v = lexsim.CountVectorizer().fit(["ab cd ef", "ab cd", "gh ij"])
    got = v.inverse_transform(np.array([[1, 0, 0, 0, 2], [0, 0, 0, 0, 0], [0, 3, 1, 0, 0]]))
    assert [g.tolist() for g in got] == [["ab", "ij"], [], ["cd", "ef"]]


def test_inverse_transform_wrong_width_raises():
    v = lexsim.CountVectorizer().fit(["ab cd ef"])
    with pytest.raises(ValueError):
        v.inverse_transform(np.ones((1, 4)))
    with pytest.raises(ValueError):
        v.inverse_transform(sp.csr_matrix(np.ones((1, 2))))


# --------------------------------------------------------------------------- build_analyzer & co

ANALYSIS_TEXTS = [
    "Héllo Wörld, the ÇAVUŞOĞLU met Erdoğan!",
    "İstanbul ΣΊΣΥΦΟΣ straße ﬁne ½ 2024",
    "the and of it's don't, the THE The",
    "  tabs\tand\nnewlines  mixed—dashes “quotes” ",
    "日本語のテキスト と 中文 text 한국어",
    "",
]

ANALYSIS_CONFIGS = [
    {},
    {"stop_words": "english"},
    {"stop_words": "english", "ngram_range": (1, 3)},
    {"strip_accents": "unicode"},
    {"strip_accents": "ascii"},
    {"lowercase": False},
    {"lowercase": False, "strip_accents": "unicode"},
    {"analyzer": "char", "ngram_range": (1, 3)},
    {"analyzer": "char_wb", "ngram_range": (2, 4)},
    {"analyzer": "char_wb", "ngram_range": (1, 1), "strip_accents": "unicode"},
    {"token_pattern": r"(?u)\b\w+\b"},
    {"token_pattern": r"[A-Za-z]+", "stop_words": "english", "ngram_range": (1, 2)},
    {"stop_words": ["met", "the", "erdoğan"]},
]


@pytest.mark.parametrize("kw", ANALYSIS_CONFIGS)
@pytest.mark.parametrize("L,S", PAIRS)
def test_build_analyzer_preprocessor_tokenizer_equal_sklearn(L, S, kw):
    lv, sv = L(**kw), S(**kw)
    pre_l, pre_s = lv.build_preprocessor(), sv.build_preprocessor()
    tok_l, tok_s = lv.build_tokenizer(), sv.build_tokenizer()
    an_l, an_s = lv.build_analyzer(), sv.build_analyzer()
    for t in ANALYSIS_TEXTS:
        assert pre_l(t) == pre_s(t), t
        assert list(tok_l(t)) == list(tok_s(t)), t
        assert list(an_l(t)) == list(an_s(t)), t
        b = t.encode("utf-8")
        assert list(an_l(b)) == list(an_s(b)), t


def test_build_analyzer_expected_values():
    an = lexsim.CountVectorizer(stop_words="english", strip_accents="unicode", ngram_range=(1, 2)).build_analyzer()
    assert an("The Erdoğan and Çavuşoğlu meeting") == [
        "erdogan",
        "cavusoglu",
        "meeting",
        "erdogan cavusoglu",
        "cavusoglu meeting",
    ]
    an = lexsim.CountVectorizer(analyzer="char_wb", ngram_range=(3, 3)).build_analyzer()
    assert an("Ab é") == [
        " ab",
        "ab ",
        " é ",
    ]
    assert lexsim.CountVectorizer().build_preprocessor()("Çİ ΣΑΣ") == "Çİ ΣΑΣ".lower()
    assert lexsim.CountVectorizer().build_tokenizer()("it's a dog's 42 x") == ["it", "dog", "42"]


def test_get_stop_words():
    assert lexsim.CountVectorizer(stop_words="english").get_stop_words() == sktext.ENGLISH_STOP_WORDS
    assert lexsim.ENGLISH_STOP_WORDS == sktext.ENGLISH_STOP_WORDS
    assert lexsim.CountVectorizer().get_stop_words() is None
    assert lexsim.CountVectorizer(stop_words=["a", "b"]).get_stop_words() == {"a", "b"}


def test_strip_accents_functions_equal_sklearn():
    for t in ANALYSIS_TEXTS + ["ǅ Å Å ﬀ ẛ̣ ḱṷṓn"]:
        assert lexsim.strip_accents_unicode(t) == sktext.strip_accents_unicode(t)
        assert lexsim.strip_accents_ascii(t) == sktext.strip_accents_ascii(t)


# --------------------------------------------------------------------------- inputs


@pytest.mark.parametrize("L,S", PAIRS)
def test_generator_input(L, S):
    v = L()
    X = v.fit_transform(d for d in DOCS)
    Y = S().fit_transform(list(DOCS))
    assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)
    assert_same_csr(v.transform(iter(DOCS)), X, exact=True)
    assert_same_csr(v.transform(tuple(DOCS)), X, exact=True)
    # a generator can only be consumed once, and fit must not need it twice
    upper = [d.upper() for d in DOCS]
    assert v.fit(d for d in upper).vocabulary_ == S().fit(upper).vocabulary_
    assert "strasse" in v.vocabulary_  # "Straße".upper() == "STRASSE"


@pytest.mark.parametrize("L,S", PAIRS)
def test_bytes_documents(L, S):
    docs = [d.encode("utf-8") for d in DOCS]
    lv, X, sv, Y = fit_both(L, S, docs)
    assert lv.vocabulary_ == sv.vocabulary_
    assert "erdoğan" in lv.vocabulary_
    assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)
    # bytes and str give the same matrix
    assert_same_csr(lv.transform(DOCS), X, exact=True)
    mixed = [d if i % 2 else d.encode() for i, d in enumerate(DOCS)]
    assert_same_csr(lv.transform(mixed), X, exact=True)


@pytest.mark.parametrize("L,S", PAIRS)
def test_input_filename(L, S, tmp_path):
    paths = []
    for i, d in enumerate(DOCS):
        p = tmp_path / f"doc{i}.txt"
        p.write_bytes(d.encode("utf-8"))
        paths.append(str(p))
    lv, X, sv, Y = fit_both(L, S, paths, input="filename")
    assert lv.vocabulary_ == sv.vocabulary_ == S().fit(DOCS).vocabulary_
    assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)
    # pathlib paths too
    assert_same_csr(lv.transform([tmp_path / "doc0.txt"]), lv.transform([paths[0]]), exact=True)
    assert lv.build_analyzer()(paths[1]) == sv.build_analyzer()(paths[1])


@pytest.mark.parametrize("L,S", PAIRS)
def test_input_file(L, S, tmp_path):
    paths = []
    for i, d in enumerate(DOCS):
        p = tmp_path / f"doc{i}.txt"
        p.write_bytes(d.encode("utf-8"))
        paths.append(p)
    lv = L(input="file")
    sv = S(input="file")
    handles = [open(p, "rb") for p in paths]
    try:
        X = lv.fit_transform(handles)
    finally:
        for h in handles:
            h.close()
    handles = [open(p, "rb") for p in paths]
    try:
        Y = sv.fit_transform(handles)
    finally:
        for h in handles:
            h.close()
    assert lv.vocabulary_ == sv.vocabulary_
    assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)
    # text-mode file objects
    X2 = L(input="file").fit_transform([io.StringIO(d) for d in DOCS])
    assert_same_csr(X2, X, exact=True)
    X3 = L(input="file").fit_transform([io.BytesIO(d.encode()) for d in DOCS])
    assert_same_csr(X3, X, exact=True)


@pytest.mark.parametrize("L,S", PAIRS)
def test_latin1_encoding(L, S):
    docs = ["café naïve Ørsted straße".encode("latin-1"), b"plain ascii", "Äpfel und Öl".encode("latin-1")]
    lv, X, sv, Y = fit_both(L, S, docs, encoding="latin-1")
    assert lv.vocabulary_ == sv.vocabulary_
    assert {"café", "naïve", "ørsted", "straße", "äpfel", "öl"} <= set(lv.vocabulary_)
    assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)


INVALID_UTF8 = [
    b"caf\xe9 ok",
    b"na\xefve text \xff\xfe end",
    "plain str caf\u00e9".encode("utf-8"),
    b"\xed\xa0\x80 surrogate x\xf4\x90\x80\x80y overlong \xc0\xaf z \xf0\x9f\x98 trunc",
    b"a\xe2\x82\xe2\x82b\xf0\x9f\x98\xf0c\xff\xfe\x80 tail\xe2",
    b"a\xe0\x80\x80b\xed\xbf\xbfc\xf5\x80d\xf0\x80\x80\x80",
    b"str document",
]


@pytest.mark.parametrize("decode_error", ["replace", "ignore"])
@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"analyzer": "char", "ngram_range": (1, 2)},
        {"analyzer": "char_wb"},
        {"tokenizer": str.split, "token_pattern": None},
    ],
)
@pytest.mark.parametrize("L,S", PAIRS)
def test_decode_error_replace_ignore_equal_sklearn(L, S, kw, decode_error):
    lv, X, sv, Y = fit_both(L, S, INVALID_UTF8, decode_error=decode_error, **kw)
    assert lv.vocabulary_ == sv.vocabulary_
    assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)
    # U+FFFD is not a word character: it only shows up in character n-grams and whitespace tokens
    keeps_fffd = decode_error == "replace" and (kw.get("analyzer") in ("char", "char_wb") or "tokenizer" in kw)
    assert ("\ufffd" in "".join(lv.vocabulary_)) == keeps_fffd


def test_decode_error_expected_terms():
    assert lexsim.CountVectorizer(decode_error="ignore").fit([b"na\xefve caf\xe9"]).vocabulary_ == {"caf": 0, "nave": 1}
    assert lexsim.CountVectorizer(decode_error="replace").fit([b"na\xefve caf\xe9"]).vocabulary_ == {
        "caf": 0,
        "na": 1,
        "ve": 2,
    }


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
def test_decode_error_strict_names_document_and_offset(L):
    docs = [b"fine document", "a str one", b"ok \xc3\xa9 then bad \xff here"]
    with pytest.raises(ValueError) as info:
        L().fit(docs)
    msg = str(info.value)
    assert re.search(r"\bdocument 2\b", msg), msg
    assert re.search(r"\boffset 15\b", msg), msg
    assert isinstance(info.value, lexsim.UnicodeError)
    assert info.value.document == 2
    assert info.value.byte_offset == 15
    # transform too
    v = L().fit(["ok"])
    with pytest.raises(ValueError, match=r"document 0\b.*offset 2\b"):
        v.transform([b"ok\x80"])


@pytest.mark.parametrize(
    "kw", [{"encoding": "ascii"}, {"tokenizer": str.split, "token_pattern": None}, {"token_pattern": r"[A-Za-z]+"}]
)
def test_decode_error_strict_names_document_on_python_paths(kw):
    with pytest.raises(ValueError, match=r"document 1\b"):
        lexsim.CountVectorizer(**kw).fit([b"fine document", b"ok then bad \xff here"])


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
@pytest.mark.parametrize("bad", ["a bare string", b"bare bytes"])
def test_bare_string_raises(L, bad):
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        L().fit(bad)
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        L().fit_transform(bad)
    v = L().fit(["x y z", "yy zz"])
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        v.transform(bad)


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
@pytest.mark.parametrize("bad,type_name", [(None, "NoneType"), (3, "int"), (2.5, "float"), (["x"], "list")])
@pytest.mark.parametrize("kw", [{}, {"analyzer": "char"}])
def test_non_text_items_raise_type_error_with_position(L, bad, type_name, kw):
    with pytest.raises(TypeError) as info:
        L(**kw).fit_transform(["ok doc", "fine", bad, "more"])
    assert re.search(r"\b2\b", str(info.value)), str(info.value)
    assert type_name in str(info.value)
    v = L(**kw).fit(["ok doc"])
    with pytest.raises(TypeError, match=r"document 0\b"):
        v.transform([bad])


def test_non_text_item_position_with_python_token_pattern():
    with pytest.raises(TypeError, match=r"document 2\b"):
        lexsim.CountVectorizer(token_pattern=r"[A-Za-z]+").fit(["ok doc", "fine", None])


@pytest.mark.parametrize("L,S", PAIRS)
@pytest.mark.parametrize("kw", [{}, {"token_pattern": r"[A-Za-z]+"}, {"analyzer": "char_wb"}])
def test_nan_document_raises_value_error(L, S, kw):
    with pytest.raises(ValueError, match="np.nan is an invalid document"):
        L(**kw).fit(["ok doc", np.nan])
    with pytest.raises(ValueError, match="np.nan is an invalid document"):
        S(**kw).fit(["ok doc", np.nan])
    v = L(**kw).fit(["ok doc"])
    with pytest.raises(ValueError, match="np.nan is an invalid document"):
        v.transform([float("nan")])


# --------------------------------------------------------------------------- callables and Python-side patterns

CALLABLE_DOCS = [
    "Running and jumping: it's singing, Ring-ring! Don't STOP.",
    "Héllo wörld — it's a test's test; naïve café",
    "singing ring bring king thinking 123ing",
    "",
    "Erdoğan's ÇAVUŞOĞLU İstanbul",
]


def _upper(s):
    return s.upper()


def _split_commas(s):
    return s.split(",")


def _rot_tokens(s):
    return [w[::-1] for w in s.split()]


def _remove_e_accent(s):
    return s.replace("é", "e").replace("ö", "o")


CALLABLE_CONFIGS = [
    {"preprocessor": _upper},
    {"preprocessor": _upper, "ngram_range": (1, 2)},
    {"tokenizer": _rot_tokens, "token_pattern": None},
    {"tokenizer": _rot_tokens, "token_pattern": None, "stop_words": ["gnis", "a"], "ngram_range": (1, 2)},
    {"analyzer": _split_commas},
    {"analyzer": str.split, "ngram_range": (1, 3), "stop_words": "english"},  # analyzer callable ignores these
    {"strip_accents": _remove_e_accent},
    {"strip_accents": _remove_e_accent, "lowercase": False},
    {"strip_accents": _remove_e_accent, "analyzer": "char", "ngram_range": (1, 2)},
    {"preprocessor": _upper, "analyzer": "char_wb", "ngram_range": (2, 3)},
    {"token_pattern": r"[A-Za-z]+"},
    {"token_pattern": r"\b\w+'\w+\b"},
    {"token_pattern": r"(\w+)ing\b"},
    {"token_pattern": r"(\w+)ing\b", "ngram_range": (1, 2), "lowercase": False},
    {"token_pattern": r"[A-Za-z]+", "stop_words": "english", "strip_accents": "unicode"},
]


@pytest.mark.parametrize("kw", CALLABLE_CONFIGS)
@pytest.mark.parametrize("L,S", PAIRS)
def test_callables_and_python_patterns_equal_sklearn(L, S, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        lv, X, sv, Y = fit_both(L, S, CALLABLE_DOCS, **kw)
        assert lv.vocabulary_ == sv.vocabulary_
        assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)
        new = ["ring the king, running", "HÉLLO"]
        assert_same_csr(lv.transform(new), sv.transform(new), exact=L is lexsim.CountVectorizer)
        an_l, an_s = lv.build_analyzer(), sv.build_analyzer()
        for d in CALLABLE_DOCS:
            assert an_l(d) == an_s(d)


def test_python_token_patterns_expected_terms():
    cv = lexsim.CountVectorizer(token_pattern=r"(\w+)ing\b").fit(["running and jumping sing", "singing ring"])
    assert cv.vocabulary_ == {"jump": 0, "r": 1, "runn": 2, "s": 3, "sing": 4}
    np.testing.assert_array_equal(
        cv.transform(["running and jumping sing", "singing ring"]).toarray(), [[1, 0, 1, 1, 0], [0, 1, 0, 0, 1]]
    )
    cv = lexsim.CountVectorizer(token_pattern=r"\b\w+'\w+\b").fit(["It's a dog's life", "Don't"])
    assert cv.vocabulary_ == {"dog's": 0, "don't": 1, "it's": 2}


def test_two_capturing_groups_raise():
    with pytest.raises(ValueError, match="More than 1 capturing group"):
        sktext.CountVectorizer(token_pattern=r"(\w)(\w)").fit(["ab cd"])
    with pytest.raises(ValueError, match="More than 1 capturing group"):
        lexsim.CountVectorizer(token_pattern=r"(\w)(\w)").fit(["ab cd"])


# --------------------------------------------------------------------------- dtype


def test_count_default_dtype_int64():
    X = lexsim.CountVectorizer().fit_transform(DOCS)
    assert X.dtype == np.int64
    assert X.dtype == sktext.CountVectorizer().fit_transform(DOCS).dtype


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.float64, np.int64, np.int16, np.uint8])
def test_count_dtype(dtype):
    lv, X, sv, Y = fit_both(lexsim.CountVectorizer, sktext.CountVectorizer, DOCS, dtype=dtype)
    assert X.dtype == np.dtype(dtype)
    assert X.dtype == Y.dtype
    assert_same_csr(X, Y, exact=True)
    assert lv.transform(DOCS).dtype == np.dtype(dtype)


def test_tfidf_float32():
    lv, X, sv, Y = fit_both(lexsim.TfidfVectorizer, sktext.TfidfVectorizer, DOCS, dtype=np.float32)
    assert X.dtype == np.float32
    assert Y.dtype == np.float32
    assert lv.transform(DOCS).dtype == np.float32
    assert lv.idf_.dtype == np.float32
    np.testing.assert_allclose(lv.idf_, sv.idf_, rtol=1e-6)
    np.testing.assert_allclose(X.toarray(), Y.toarray(), rtol=1e-6, atol=1e-7)
    assert_same_csr(X, Y, exact=False, atol=1e-6)


def test_tfidf_integer_dtype_warns_and_uses_float64():
    with pytest.warns(UserWarning, match="float64"):
        X = lexsim.TfidfVectorizer(dtype=np.int32).fit_transform(DOCS)
    with pytest.warns(UserWarning, match="float64"):
        Y = sktext.TfidfVectorizer(dtype=np.int32).fit_transform(DOCS)
    assert X.dtype == Y.dtype == np.float64
    assert_same_csr(X, Y, exact=False)


# --------------------------------------------------------------------------- invalid parameters

INVALID_PARAMS = [
    ({"ngram_range": (2, 1)}, False),
    ({"ngram_range": (0, 1)}, False),  # scikit-learn 1.9 accepts this one; lexsim is stricter
    ({"min_df": -1}, False),
    ({"min_df": 1.5}, False),
    ({"max_df": 1.5}, False),
    ({"max_df": -0.1}, False),
    ({"max_df": 2, "min_df": 3}, False),
    ({"norm": "l3"}, True),
    ({"analyzer": "bogus"}, False),
    ({"stop_words": "klingon"}, False),
    ({"max_features": 0}, False),
    ({"max_features": -3}, False),
    ({"decode_error": "bogus"}, False),
    ({"input": "url"}, False),
    ({"strip_accents": "latin"}, False),
    ({"encoding": "no-such-codec"}, False),
    ({"normalization": "NFD"}, False),
    ({"stemmer": "klingon"}, False),
    ({"n_jobs": 0}, False),
    ({"ngram_range": "1,2"}, False),
    ({"preprocessor": "lower"}, False),
]


@pytest.mark.parametrize(
    "L,kw",
    [
        (L, kw)
        for L in (lexsim.CountVectorizer, lexsim.TfidfVectorizer)
        for kw, tfidf_only in INVALID_PARAMS
        if L is lexsim.TfidfVectorizer or not tfidf_only
    ],
    ids=lambda x: repr(x) if isinstance(x, dict) else x.__name__,
)
def test_invalid_params_raise_at_fit_not_construction(L, kw):
    docs = ["aa bb cc", "bb cc dd", "cc dd ee"]
    v = L(**kw)  # construction never validates
    assert all(v.get_params()[k] is kw[k] or v.get_params()[k] == kw[k] for k in kw)
    with pytest.raises((ValueError, TypeError)):
        v.fit(docs)
    with pytest.raises((ValueError, TypeError)):
        L(**kw).fit_transform(docs)
    assert not hasattr(v, "vocabulary_")


@pytest.mark.parametrize(
    "kw",
    [
        k
        for k, _ in INVALID_PARAMS
        if set(k) <= set(sktext.TfidfVectorizer().get_params())
        and "encoding" not in k
        and k.get("ngram_range") != (0, 1)
    ],
    ids=repr,
)
def test_sklearn_also_rejects_the_shared_invalid_params(kw):
    # guards the list above: scikit-learn rejects these too, so lexsim is not stricter
    with pytest.raises((ValueError, TypeError)):
        sktext.TfidfVectorizer(**kw).fit(["aa bb cc", "bb cc dd", "cc dd ee"])


def test_max_df_below_min_df_message():
    with pytest.raises(ValueError, match="max_df corresponds to < documents than min_df"):
        lexsim.CountVectorizer(max_df=2, min_df=3).fit(["aa bb", "aa", "aa cc"])


# --------------------------------------------------------------------------- fit errors


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
def test_all_stop_words_empty_vocabulary(L):
    with pytest.raises(ValueError, match="empty vocabulary"):
        L(stop_words="english").fit(["the and of", "is a the", "it was"])
    with pytest.raises(ValueError, match="empty vocabulary"):
        L().fit(["a b c", "", "!!"])
    with pytest.raises(ValueError, match="empty vocabulary"):
        L().fit([])


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
def test_min_df_too_high(L):
    docs = ["ab cd ef", "ab cd", "gh ij"]
    with pytest.raises(ValueError, match="After pruning, no terms remain"):
        L(min_df=3).fit(docs)
    with pytest.raises(ValueError, match="After pruning, no terms remain"):
        L(max_df=0.4, min_df=1).fit(["ab cd", "ab cd", "ab cd"])
    # and just below the limit it works
    assert L(min_df=2).fit(docs).vocabulary_ == {"ab": 0, "cd": 1}


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
def test_pruning_errors_name_the_parameter_and_the_document_count(L):
    docs = ["ab cd", "cd ef", "ef gh", "gh ab", "ab ij"]
    with pytest.raises(ValueError, match=r"^min_df=10 keeps no terms: the corpus has 5 documents \(max_df corresponds"):
        L(min_df=10).fit(docs)
    with pytest.raises(
        ValueError,
        match=r"^max_df=0\.1 keeps no terms: it allows at most 0\.5 documents, min_df=1 "
        r"asks for at least 1; the corpus has 5 documents",
    ):
        L(max_df=0.1).fit(docs)
    with pytest.raises(
        ValueError,
        match=r"^min_df=6 keeps no terms: the corpus has 5 documents \(After pruning, no "
        r"terms remain\. Try a lower min_df or a higher max_df\.\)$",
    ):
        L(min_df=6, max_df=9).fit(docs)
    with pytest.raises(
        ValueError, match=r"^min_df=4 and max_df=1\.0 keep no terms: none is in 4 to 5 of the corpus's 5 documents"
    ):
        L(min_df=4).fit(docs)


# --------------------------------------------------------------------------- zero copy


def _base_chain(a):
    chain = []
    b = a
    while b is not None:
        chain.append(b)
        b = getattr(b, "base", None)
    return chain


def test_zero_copy_private_core():
    docs = DOCS * 3
    native = lexsim.TfidfVectorizer()._new_native(True)
    parts = native.fit_transform(docs, "float64")
    X = csr_from_buffers(parts)
    assert np.shares_memory(X.data, parts[0])
    assert np.shares_memory(X.indices, parts[1])
    assert np.shares_memory(X.indptr, parts[2])
    assert X.shape == tuple(parts[3])
    for arr in parts[:3]:
        assert not arr.flags.owndata
        assert type(arr.base).__name__ == "PyCapsule"
    # and it is the right matrix
    assert_same_csr(X, sktext.TfidfVectorizer().fit_transform(docs), exact=False)


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
def test_zero_copy_public_result(L):
    X = L().fit_transform(DOCS)
    for arr in (X.data, X.indices, X.indptr):
        assert not arr.flags.owndata
        assert type(_base_chain(arr)[-1]).__name__ == "PyCapsule"
    Y = L().fit(DOCS).transform(DOCS)
    for arr in (Y.data, Y.indices, Y.indptr):
        assert type(_base_chain(arr)[-1]).__name__ == "PyCapsule"
    assert X.has_sorted_indices
    assert_same_csr(X, Y, exact=True)


def test_zero_copy_buffers_outlive_the_vectorizer():
    v = lexsim.TfidfVectorizer()
    X = v.fit_transform(DOCS)
    expected = X.toarray().copy()
    del v
    import gc

    gc.collect()
    np.testing.assert_array_equal(X.toarray(), expected)


# --------------------------------------------------------------------------- sparse_interface


def test_sparse_interface_sparray():
    if "sparse_interface" not in sklearn.get_config():
        pytest.skip("this scikit-learn has no sparse_interface config")
    old = sklearn.get_config()["sparse_interface"]
    try:
        sklearn.set_config(sparse_interface="sparray")
        X = lexsim.TfidfVectorizer().fit_transform(DOCS)
        C = lexsim.CountVectorizer().fit_transform(DOCS)
        T = lexsim.TfidfVectorizer().fit(DOCS).transform(DOCS)
        Y = sktext.TfidfVectorizer().fit_transform(DOCS)
        for M in (X, C, T):
            assert isinstance(M, sp.csr_array)
            assert not isinstance(M, sp.spmatrix)
        assert type(X) is type(Y)
        assert_same_csr(X, Y, exact=False)
    finally:
        sklearn.set_config(sparse_interface=old)
    assert sklearn.get_config()["sparse_interface"] == old
    X = lexsim.TfidfVectorizer().fit_transform(DOCS)
    assert isinstance(X, sp.csr_matrix)
    assert isinstance(sktext.TfidfVectorizer().fit_transform(DOCS), sp.csr_matrix) == isinstance(X, sp.csr_matrix)


# --------------------------------------------------------------------------- misc scikit-learn API


@pytest.mark.parametrize("L", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
def test_n_jobs_gives_identical_matrices(L):
    docs = DOCS * 40 + [f"document number {i} with term{i % 7} and term{i % 11}" for i in range(300)]
    ref_vec = L(n_jobs=1)
    ref = ref_vec.fit_transform(docs)
    for n_jobs in (None, 2, 3, -1):
        v = L(n_jobs=n_jobs)
        X = v.fit_transform(docs)
        assert v.vocabulary_ == ref_vec.vocabulary_
        np.testing.assert_array_equal(X.indptr, ref.indptr)
        np.testing.assert_array_equal(X.indices, ref.indices)
        np.testing.assert_array_equal(X.data, ref.data)
        Y = v.transform(docs[::-1])
        np.testing.assert_array_equal(Y.data, ref_vec.transform(docs[::-1]).data)


def test_decode_equals_sklearn(tmp_path):
    p = tmp_path / "d.txt"
    p.write_bytes("café".encode("latin-1"))
    assert (
        lexsim.CountVectorizer(input="filename", encoding="latin-1").decode(str(p))
        == sktext.CountVectorizer(input="filename", encoding="latin-1").decode(str(p))
        == "café"
    )
    bad = b"caf\xe9 x"
    for de in ("replace", "ignore"):
        assert lexsim.CountVectorizer(decode_error=de).decode(bad) == sktext.CountVectorizer(decode_error=de).decode(
            bad
        )
    assert lexsim.CountVectorizer(input="file").decode(io.BytesIO(b"abc")) == "abc"
    with pytest.raises(ValueError, match="np.nan is an invalid document"):
        lexsim.CountVectorizer().decode(np.nan)


@pytest.mark.parametrize("L,S", PAIRS)
@pytest.mark.parametrize("output", ["pandas", "polars"])
def test_global_transform_output_config_is_ignored_like_sklearn(L, S, output):
    with sklearn.config_context(transform_output=output):
        Y = S().fit_transform(DOCS)  # scikit-learn: unaffected, still sparse
        assert sp.issparse(Y)
        X = L().fit_transform(DOCS)
        assert sp.issparse(X)
        assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)


@pytest.mark.parametrize("L,S", PAIRS)
def test_sklearn_tags_equal(L, S):
    from sklearn.utils import get_tags

    lt, st = get_tags(L()), get_tags(S())
    assert lt.input_tags.string == st.input_tags.string is True
    assert lt.input_tags.two_d_array == st.input_tags.two_d_array is False
    assert lt.transformer_tags == st.transformer_tags


# --------------------------------------------------------------------------- what scikit-learn's own test_text.py pins
# (tests/python/test_sklearn_suite.py runs that file itself; these check each behaviour against
# scikit-learn directly.)

TRIPLES = [
    pytest.param(lexsim.CountVectorizer, sktext.CountVectorizer, id="count"),
    pytest.param(lexsim.TfidfVectorizer, sktext.TfidfVectorizer, id="tfidf"),
    pytest.param(lexsim.HashingVectorizer, sktext.HashingVectorizer, id="hashing"),
]


def _upper(s):
    return s.upper()


def _user_warnings(call):
    """The messages of the UserWarnings ``call()`` emits."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return sorted(str(w.message) for w in caught if issubclass(w.category, UserWarning))


@pytest.mark.parametrize("L,S", TRIPLES)
@pytest.mark.parametrize(
    "kw,unused",
    [
        ({"stop_words": ["and"], "analyzer": "char"}, "'stop_words'"),
        ({"tokenizer": str.split, "analyzer": "char"}, "'tokenizer'"),
        ({"token_pattern": r"\w+", "analyzer": "char_wb"}, "'token_pattern'"),
        ({"preprocessor": _upper, "analyzer": str.split}, "'preprocessor'"),
        ({"ngram_range": (1, 2), "analyzer": str.split}, "'ngram_range'"),
        ({"tokenizer": str.split}, "'token_pattern'"),
        ({"tokenizer": str.split, "token_pattern": None}, None),
        ({}, None),
    ],
)
def test_unused_parameters_warn_at_fit_as_sklearn(L, S, kw, unused):
    docs = ["Putin met Erdogan and Assad", "Erdogan and Putin again"]
    ours, theirs = _user_warnings(lambda: L(**kw).fit(docs)), _user_warnings(lambda: S(**kw).fit(docs))
    assert set(ours) == set(theirs)  # scikit-learn's TfidfVectorizer warns twice, from fit and its base
    if unused is None:
        assert ours == []
    else:
        assert any(m.startswith(f"The parameter {unused} will not be used since") for m in ours), ours
    fitted = L(**kw).fit(docs) if unused is None else None
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # not again at transform
        if fitted is not None:
            fitted.transform(docs)


def test_unused_parameter_warning_texts():
    with pytest.warns(UserWarning, match=r"^The parameter 'stop_words' will not be used since 'analyzer' != 'word'$"):
        lexsim.CountVectorizer(stop_words="english", analyzer="char").fit(["abc"])
    with pytest.warns(
        UserWarning, match=r"^The parameter 'preprocessor' will not be used since 'analyzer' is callable'$"
    ):
        lexsim.TfidfVectorizer(preprocessor=_upper, analyzer=str.split).fit(["abc"])
    with pytest.warns(
        UserWarning, match=r"^The parameter 'token_pattern' will not be used since 'tokenizer' is not None'$"
    ):
        lexsim.HashingVectorizer(tokenizer=str.split).fit(["abc"])
    with warnings.catch_warnings():  # the analysis API and transform do not warn
        warnings.simplefilter("error", UserWarning)
        w = lexsim.CountVectorizer(stop_words=["x"], analyzer="char")
        assert w.build_analyzer()("ab") == ["a", "b"]
        assert w.build_preprocessor()("AB") == "ab"
        assert lexsim.HashingVectorizer(stop_words=["x"], analyzer="char").transform(["ab"]).nnz == 2


@pytest.mark.parametrize("L,S", TRIPLES)
def test_stop_words_inconsistent_with_the_analysis_warn_once_as_sklearn(L, S):
    stop = ["you've", "you", "you'll", "AND"]
    expected = (
        "Your stop_words may be inconsistent with your preprocessing. Tokenizing the stop words generated "
        "tokens ['and', 'll', 've'] not in stop_words."
    )
    ours, theirs = L(stop_words=stop), S(stop_words=stop)
    assert _user_warnings(lambda: ours.fit_transform(["hello world"])) == [expected]
    assert _user_warnings(lambda: theirs.fit_transform(["hello world"])) == [expected]
    assert _user_warnings(lambda: ours.fit_transform(["hello world"])) == []  # checked once per list
    assert (
        ours._check_stop_words_consistency(ours.get_stop_words(), ours.build_preprocessor(), ours.build_tokenizer())
        is None
    )
    del ours._stop_words_id
    with pytest.warns(UserWarning):
        assert (
            ours._check_stop_words_consistency(ours.get_stop_words(), ours.build_preprocessor(), ours.build_tokenizer())
            is False
        )
    ours.set_params(stop_words=stop + ["blah"])  # a new list is checked again
    assert _user_warnings(lambda: ours.fit_transform(["hello world"])) == [expected]
    # Consistent lists and lists the preprocessor cannot take
    consistent = L(stop_words=["and", "the"])
    assert (
        consistent._check_stop_words_consistency(
            {"and", "the"}, consistent.build_preprocessor(), consistent.build_tokenizer()
        )
        is True
    )
    custom = L(preprocessor=lambda d: d["text"], stop_words=["and"])
    assert (
        custom._check_stop_words_consistency({"and"}, custom.build_preprocessor(), custom.build_tokenizer()) == "error"
    )
    # The check caches nothing in the instance's state: pickles and clones hold parameters only
    assert "_stop_words_id" not in ours.__dict__ and hasattr(ours, "_stop_words_id")
    assert not hasattr(clone(ours), "_stop_words_id")


@pytest.mark.parametrize("L,S", PAIRS)
def test_uppercase_in_fixed_vocabulary_warns_at_fit_only_as_sklearn(L, S):
    vocabulary = ["Sample", "upper", "Case"]
    message = (
        "Upper case characters found in vocabulary while 'lowercase' is True. These entries will not be "
        "matched with any documents"
    )
    for V in (L, S):
        v = V(vocabulary=vocabulary)
        assert _user_warnings(lambda: v.fit(["sample upper case"])) == [message]
        assert _user_warnings(lambda: v.transform(["sample upper case"])) == []
        assert _user_warnings(lambda: V(vocabulary=vocabulary, lowercase=False).fit(["Sample"])) == []
        assert _user_warnings(lambda: V(vocabulary=["lower", "only"]).fit(["lower"])) == []
    with pytest.warns(UserWarning, match="Upper case characters"):
        X = L(vocabulary=vocabulary).fit_transform(["Sample UPPER case"])
    np.testing.assert_array_equal(X.toarray() != 0, [[False, True, False]])  # only 'upper' can match


def test_fixed_vocabulary_attribute_before_fit_as_sklearn():
    for V in (lexsim.CountVectorizer, sktext.CountVectorizer, lexsim.TfidfVectorizer, sktext.TfidfVectorizer):
        v = V()
        assert not hasattr(v, "fixed_vocabulary_")
        with pytest.raises(SkNotFittedError):
            v.get_feature_names_out()
        assert v.fixed_vocabulary_ is False
    for V in (lexsim.CountVectorizer, sktext.CountVectorizer):
        v = V()
        with pytest.raises(SkNotFittedError):
            v.transform(["text"])
        assert v.fixed_vocabulary_ is False
    ours, theirs = (
        lexsim.CountVectorizer(vocabulary={"b": 1, "a": 0}),
        sktext.CountVectorizer(vocabulary={"b": 1, "a": 0}),
    )
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    assert ours.fixed_vocabulary_ is theirs.fixed_vocabulary_ is True
    assert ours.vocabulary_ == theirs.vocabulary_ == {"a": 0, "b": 1}
    ours_t = lexsim.TfidfVectorizer(vocabulary=["b", "a"])
    np.testing.assert_array_equal(ours_t.get_feature_names_out(), ["b", "a"])
    np.testing.assert_array_equal(
        ours_t.get_feature_names_out(), sktext.TfidfVectorizer(vocabulary=["b", "a"]).get_feature_names_out()
    )
    with pytest.raises(SkNotFittedError):  # the idf still needs a fit
        ours_t.transform(["a b"])


def test_idf_set_before_fit_with_a_vocabulary_as_sklearn():
    docs = DOCS[:6]
    fitted = lexsim.TfidfVectorizer().fit(docs)
    sk_fitted = sktext.TfidfVectorizer().fit(docs)
    idf = fitted.idf_ * np.linspace(1.0, 2.0, len(fitted.idf_))  # not uniform: the l2 norm would undo that
    ours = lexsim.TfidfVectorizer(vocabulary=fitted.vocabulary_)
    theirs = sktext.TfidfVectorizer(vocabulary=sk_fitted.vocabulary_)
    ours.idf_ = idf
    theirs.idf_ = idf
    np.testing.assert_array_equal(ours.idf_, idf)
    assert ours.fixed_vocabulary_ is True
    X = ours.transform(docs)
    assert_same_csr(X, theirs.transform(docs), exact=False)
    assert abs(X - fitted.transform(docs)).max() > 1e-3  # the idf given was used
    again = pickle.loads(pickle.dumps(ours))
    assert_same_csr(again.transform(docs), X)
    with pytest.raises(ValueError, match="must be equal to vocabulary size"):
        lexsim.TfidfVectorizer(vocabulary=fitted.vocabulary_).idf_ = idf[:-1]
    with pytest.raises(ValueError, match="partial_fit needs the corpus counts.*idf_ was set before any fit"):
        ours.partial_fit(docs)
    ours.fit(docs)  # a fit computes the idf again
    np.testing.assert_allclose(ours.idf_, fitted.idf_, rtol=0, atol=1e-12)
    with pytest.raises(SkNotFittedError):  # without a vocabulary there are no columns for it yet
        lexsim.TfidfVectorizer().idf_ = idf


PICKLE_CONFIGS = [
    {},
    {"stop_words": "english", "ngram_range": (1, 2), "strip_accents": "unicode"},
    {"token_pattern": r"[A-Za-z]+", "ngram_range": (1, 2)},
    {"analyzer": "char_wb", "ngram_range": (2, 3)},
    {"analyzer": "char", "preprocessor": _upper},
    {"strip_accents": lexsim.strip_accents_ascii, "lowercase": False},
    {"tokenizer": str.split, "token_pattern": None},
    {"analyzer": str.split},
    {"encoding": "latin-1"},
    {"normalization": "NFKC", "casefold": True, "stemmer": "english"},
]


@pytest.mark.parametrize("kw", PICKLE_CONFIGS)
@pytest.mark.parametrize("factory", ["build_analyzer", "build_preprocessor", "build_tokenizer"])
def test_built_processors_pickle_and_equal_sklearn(kw, factory):
    text = "J'ai mangé du kangourou  ce midi, c'était pas très bon. Running ﬁne RUNS"
    function = getattr(lexsim.CountVectorizer(**kw), factory)()
    again = pickle.loads(pickle.dumps(function))
    assert again(text) == function(text)
    if not set(kw) & LEXSIM_ONLY_PARAMS:
        assert list(function(text)) == list(getattr(sktext.CountVectorizer(**kw), factory)()(text))


def test_built_file_analyzer_pickles_and_reads_the_file(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes("Erdoğan met Putin".encode())
    analyze = lexsim.CountVectorizer(input="filename").build_analyzer()
    assert pickle.loads(pickle.dumps(analyze))(str(path)) == analyze(str(path)) == ["erdoğan", "met", "putin"]


def test_core_analyzer_pickles_with_every_option():
    o = lexsim._core.AnalyzerOptions()
    o.analyzer = lexsim._core.AnalyzerKind.char_wb
    o.decode_error = lexsim._core.DecodeError.replace
    o.normalization = lexsim._core.Normalization.nfkc
    o.casefold = True
    o.strip_accents = lexsim._core.StripAccents.ascii
    o.stop_words = ["a", "b"]
    o.ngram_range = (2, 4)
    a = lexsim._core.Analyzer(o)
    b = pickle.loads(pickle.dumps(a))
    for name in (
        "analyzer",
        "decode_error",
        "normalization",
        "casefold",
        "lowercase",
        "strip_accents",
        "token_pattern",
        "stop_words",
        "ngram_range",
        "stemmer",
    ):
        assert getattr(b.options, name) == getattr(a.options, name), name
    doc = "Straße ﬁne Ǆemal".encode() + b" \xff end"
    assert b.analyze(doc) == a.analyze(doc) and len(a.analyze(doc)) > 10
    assert pickle.loads(pickle.dumps(o)).ngram_range == (2, 4)
    blank = lexsim._core.Analyzer.__new__(lexsim._core.Analyzer)
    state = a.__getstate__()
    for bad in ((), (2,) + state[1:], state[:1] + (7,) + state[2:], state[:4] + ("x",) + state[5:]):
        with pytest.raises(ValueError, match="AnalyzerOptions state"):
            blank.__setstate__(bad)


def test_build_preprocessor_rejects_an_unknown_strip_accents_as_sklearn():
    for V in (lexsim.CountVectorizer, sktext.CountVectorizer):
        with pytest.raises(ValueError):
            V(strip_accents="_gabbledegook_").build_preprocessor()
        with pytest.raises(ValueError):
            V(strip_accents="_gabbledegook_").build_analyzer()
    with pytest.raises(ValueError, match="analyzer"):
        lexsim.CountVectorizer(analyzer="_invalid_").build_analyzer()


@pytest.mark.parametrize("L,S", TRIPLES)
def test_any_document_type_when_a_user_function_reads_it_as_sklearn(L, S):
    docs = [{"text": "Putin met Erdogan"}, {"text": "Erdogan met Assad"}]
    for kw in ({"preprocessor": lambda d: d["text"].lower()}, {"analyzer": lambda d: d["text"].split()}):
        X, Y = L(**kw).fit_transform(docs), S(**kw).fit_transform(docs)
        assert_same_csr(X, Y, exact=L is lexsim.CountVectorizer)
        assert_same_csr(L(**kw).fit_transform(iter(docs)), Y, exact=L is lexsim.CountVectorizer)
    with pytest.raises(ValueError, match="np.nan is an invalid document"):
        L(preprocessor=str.lower).fit_transform(["ok", float("nan")])
    with pytest.raises(TypeError, match=r"document 1 is dict"):  # without one, documents are text
        L().fit_transform(["ok", {"text": "x"}])


@pytest.mark.parametrize("L,S", TRIPLES)
def test_callable_analyzer_with_input_file_reads_once_as_sklearn(L, S, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("sample content\n", encoding="utf-8")
    seen = []

    def analyzer(doc):
        seen.append(doc)
        return doc.split()

    X = L(analyzer=analyzer, input="filename").fit_transform([str(path)])
    assert seen == ["sample content\n"] * len(seen) and seen
    assert_same_csr(
        X, S(analyzer=str.split, input="filename").fit_transform([str(path)]), exact=L is lexsim.CountVectorizer
    )

    def fails(doc):
        raise RuntimeError("testing")

    with open(path) as fh, pytest.raises(RuntimeError, match="testing"):
        L(analyzer=fails, input="file").fit_transform([fh])

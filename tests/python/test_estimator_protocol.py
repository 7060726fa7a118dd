"""lexsim's own estimator base (lexsim._base) behaves as scikit-learn's BaseEstimator did.

lexsim no longer imports scikit-learn to define its classes (``import lexsim`` would take a second),
so these tests hold its base to scikit-learn's: the repr equals what scikit-learn's vectorizers
print, alone and inside a Pipeline; the HTML repr equals the one the same class gets on top of
scikit-learn's ``BaseEstimator`` (what lexsim was before); clone, Pipeline, GridSearchCV,
cross_val_score and check_is_fitted work; metadata routing equals scikit-learn's; pickles travel;
``NotFittedError`` is scikit-learn's.
"""

from __future__ import annotations

import copy
import inspect
import pickle
import re
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

import sklearn.base as skbase  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError as SkNotFittedError  # noqa: E402
from sklearn.feature_extraction import text as sktext  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import FeatureUnion, Pipeline  # noqa: E402
from sklearn.utils._repr_html.estimator import estimator_html_repr  # noqa: E402
from sklearn.utils.validation import check_is_fitted  # noqa: E402

import lexsim  # noqa: E402
import lexsim._base as lxbase  # noqa: E402

PAIRS = [
    (lexsim.CountVectorizer, sktext.CountVectorizer),
    (lexsim.TfidfVectorizer, sktext.TfidfVectorizer),
    (lexsim.HashingVectorizer, sktext.HashingVectorizer),
]
PAIR_IDS = [L.__name__ for L, _ in PAIRS]

# Two topics; every document shares words with others of its topic, so no fold leaves a test
# document without features (a tie at probability 0.5 would make scores depend on rounding).
DOCS = [
    "the pet cat sat on the mat",
    "the pet dog ran after the cat",
    "a pet cat and a pet dog",
    "the market fell as rates rose",
    "markets rallied when the market rates fell",
    "the bank held market rates",
    "a pet dog barked at the cat on the mat",
    "market rates rose again at the bank",
    "my pet cat sleeps",
    "the bank says rates and the market are calm",
]
Y = [0, 0, 0, 1, 1, 1, 0, 1, 0, 1]

# Parameter sets (scikit-learn's parameters only) whose reprs cover one line, packed continuation
# lines, values broken inside (long lists, dicts, strings), nested tuples and callables, more than
# 700 non-blank characters (the ellipsis), and defaults given explicitly.
REPR_PARAMS = [
    {},
    {"min_df": 2},
    {"lowercase": True, "ngram_range": (1, 1)},
    {"ngram_range": (1, 2), "stop_words": "english", "strip_accents": "unicode", "min_df": 2},
    {
        "max_df": 0.5,
        "min_df": 3,
        "max_features": 1000,
        "binary": True,
        "lowercase": False,
        "analyzer": "char_wb",
        "ngram_range": (2, 4),
        "token_pattern": r"(?u)\b\w+\b",
        "decode_error": "replace",
        "encoding": "latin-1",
    },
    {"stop_words": ["a", "b", "c", "the"] * 12},
    {"stop_words": [f"word{i}" for i in range(300)]},
    {"vocabulary": {"zeta": 2, "alpha": 0, "mid": 1}},
    {"vocabulary": {f"term{i:03d}": i for i in range(120)}},
    {"token_pattern": r"(?u)\b(?!\d+\b)\w\w\w+\b" * 4},
    {"preprocessor": str.upper, "tokenizer": str.split, "dtype": np.float32},
    {"max_df": float("nan")},
]
TFIDF_ONLY = {"norm": "l1", "use_idf": False, "smooth_idf": False, "sublinear_tf": True}
HASHING_ONLY = {"n_features": 2**10, "alternate_sign": False, "norm": None}


def _small(V, **kw):
    """``V(**kw)``, with 2**10 hashed columns for a HashingVectorizer (2**20 makes the classifiers slow)."""
    if "n_features" in inspect.signature(V.__init__).parameters:
        kw.setdefault("n_features", 2**10)
    return V(**kw)


def _supported(S, kw):
    names = set(inspect.signature(S.__init__).parameters)
    return {k: v for k, v in kw.items() if k in names}


def _param_sets(S):
    extra = TFIDF_ONLY if S is sktext.TfidfVectorizer else HASHING_ONLY if S is sktext.HashingVectorizer else {}
    sets = [_supported(S, kw) for kw in REPR_PARAMS] + [extra, {**_supported(S, REPR_PARAMS[4]), **extra}]
    return [dict(s) for i, s in enumerate(sets) if s not in sets[:i]]


# --------------------------------------------------------------------------- the old class, as reference
def _before(cls):
    """``cls`` as lexsim defined it before: its own classes on top of scikit-learn's BaseEstimator
    (and TransformerMixin), whose methods take the place of lexsim._base's."""
    own = set()
    for k in cls.__mro__:
        if k.__module__ != "lexsim._base" and k is not object:
            own |= set(vars(k))
    transformer = issubclass(cls, lxbase.TransformerMixin)
    sk_bases = (skbase.TransformerMixin, skbase.BaseEstimator) if transformer else (skbase.BaseEstimator,)
    sk_mro = [k for k in type("SkBase", sk_bases, {}).__mro__[1:] if k is not object]
    replaced = set(vars(lxbase.BaseEstimator)) | (set(vars(lxbase.TransformerMixin)) if transformer else set())
    namespace = {"__module__": cls.__module__}
    for name in replaced - own - {"__module__", "__dict__", "__weakref__", "__doc__", "__init_subclass__"}:
        for k in sk_mro:
            if name in vars(k):
                namespace[name] = vars(k)[name]
                break
    return type(cls.__name__, (cls, *sk_bases), namespace)


def _as_before(est):
    before = _before(type(est))
    twin = before.__new__(before)
    twin.__dict__.update(est.__dict__)
    return twin


def _ids_normalised(html):
    return re.sub(r"(sk-container-id|sk-estimator-id)-\d+", r"\1-N", html)


# --------------------------------------------------------------------------- repr
@pytest.mark.parametrize("L,S", PAIRS, ids=PAIR_IDS)
def test_repr_equals_sklearns(L, S):
    for kw in _param_sets(S):
        assert repr(L(**kw)) == repr(S(**kw)), kw
        assert str(L(**kw)) == str(S(**kw)), kw


@pytest.mark.parametrize("L,S", PAIRS, ids=PAIR_IDS)
def test_repr_inside_meta_estimators_equals_sklearns(L, S):
    for kw in _param_sets(S):
        for make in (
            lambda v: Pipeline([("vec", v), ("clf", LogisticRegression(C=0.5))]),
            lambda v: FeatureUnion([("words", v), ("chars", S(analyzer="char"))]),
            lambda v: GridSearchCV(Pipeline([("vec", v), ("clf", LogisticRegression())]), {"clf__C": [1, 2]}),
        ):
            assert repr(make(L(**kw))) == repr(make(S(**kw))), kw


@pytest.mark.parametrize("L,S", PAIRS, ids=PAIR_IDS)
def test_repr_of_all_parameters_equals_sklearns(L, S):
    with sklearn.config_context(print_changed_only=False):
        for v in (L(), L(n_jobs=2, ngram_range=(1, 2))):
            assert repr(v) == repr(_as_before(v))
            assert "lowercase=True" in repr(v)


def test_repr_with_lexsim_parameters_is_laid_out_like_sklearns():
    for kw in (
        {"casefold": True},
        {
            "n_jobs": -1,
            "normalization": "NFKC",
            "stemmer": "english",
            "min_df": 2,
            "ngram_range": (1, 2),
            "stop_words": "english",
            "sublinear_tf": True,
        },
        {"stemmer": "english", "stop_words": ["one", "two", "three"] * 30},
    ):
        v = lexsim.TfidfVectorizer(**kw)
        assert repr(v) == repr(_as_before(v))
        assert repr(Pipeline([("v", v)])) == repr(Pipeline([("v", _as_before(v))]))


def test_repr_without_sklearn_imported_is_the_same(tmp_path):
    """The one-line and packed layouts are computed without importing scikit-learn."""
    cases = [
        {},
        {"min_df": 2},
        {
            "ngram_range": (1, 2),
            "stop_words": "english",
            "strip_accents": "unicode",
            "min_df": 2,
            "max_df": 0.9,
            "sublinear_tf": True,
            "n_jobs": 2,
        },
        {"vocabulary": {"b": 1, "a": 0}, "norm": "l1", "casefold": True},
    ]
    code = textwrap.dedent(f"""
        import sys, lexsim
        for kw in {cases!r}:
            print(repr(lexsim.TfidfVectorizer(**kw)))
            print("---")
        print(sorted(m for m in sys.modules if m == "sklearn" or m.startswith("sklearn.")))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    *reprs, modules = out.split("---\n")
    assert modules.strip() == "[]"
    assert [r.rstrip("\n") for r in reprs] == [repr(_as_before(lexsim.TfidfVectorizer(**kw))) for kw in cases]
    assert "\n" in reprs[2]  # a packed, multi-line layout


# --------------------------------------------------------------------------- HTML repr
@pytest.mark.parametrize("L", [L for L, _ in PAIRS], ids=PAIR_IDS)
def test_html_repr_is_what_it_was(L):
    for kw in ({}, {"ngram_range": (1, 2), "n_jobs": 2, "lowercase": False}):
        v = _small(L, **kw)
        for fitted in (False, True):
            if fitted:
                v.fit(DOCS)
            before = _as_before(v)
            html = estimator_html_repr(v)
            assert _ids_normalised(html) == _ids_normalised(estimator_html_repr(before))
            assert ("<span>Fitted</span>" in html) == (fitted or L is lexsim.HashingVectorizer)  # hashing: stateless
            assert _ids_normalised(v._repr_html_()) == _ids_normalised(html)
            bundle = v._repr_mimebundle_()
            assert bundle["text/plain"] == repr(v) and _ids_normalised(bundle["text/html"]) == _ids_normalised(html)
            pipe = Pipeline([("vec", v), ("clf", LogisticRegression())])
            pipe_before = Pipeline([("vec", before), ("clf", LogisticRegression())])
            if fitted:
                pipe.fit(DOCS, Y)
                pipe_before.fit(DOCS, Y)
            assert _ids_normalised(estimator_html_repr(pipe)) == _ids_normalised(estimator_html_repr(pipe_before))
            assert _ids_normalised(pipe._repr_html_()) == _ids_normalised(pipe_before._repr_html_())


def test_html_repr_follows_the_display_config():
    v = lexsim.TfidfVectorizer()
    assert hasattr(v, "_repr_html_")
    with sklearn.config_context(display="text"):
        assert not hasattr(v, "_repr_html_")
        assert v._repr_mimebundle_() == {"text/plain": "TfidfVectorizer()"}


def test_html_repr_shows_lexsim_parameters_and_fitted_attributes():
    v = lexsim.TfidfVectorizer(casefold=True, n_jobs=2).fit(DOCS)
    html = estimator_html_repr(v)
    assert "casefold" in html and "n_jobs" in html and "idf_" in html and "vocabulary_" in html


# --------------------------------------------------------------------------- scikit-learn's tools
@pytest.mark.parametrize("L,S", PAIRS, ids=PAIR_IDS)
def test_clone(L, S):
    v = L(ngram_range=(1, 2), n_jobs=2, dtype=np.float32)
    v.fit(DOCS)
    c = clone(v)
    assert type(c) is L and c is not v
    assert c.get_params() == v.get_params()
    if L is not lexsim.HashingVectorizer:
        assert not hasattr(c, "vocabulary_") and hasattr(v, "vocabulary_")
        with pytest.raises(SkNotFittedError):
            check_is_fitted(c)
    check_is_fitted(v)
    assert (clone(v).fit_transform(DOCS) != v.transform(DOCS)).nnz == 0
    assert clone(L(ngram_range=(2, 3))).get_params()["ngram_range"] == (2, 3)


def test_set_params_and_get_params_nested():
    pipe = Pipeline([("vec", lexsim.TfidfVectorizer()), ("clf", LogisticRegression())])
    pipe.set_params(vec__ngram_range=(1, 2), vec__casefold=True, clf__C=3.0)
    params = pipe.get_params()
    assert params["vec__ngram_range"] == (1, 2) and params["vec__casefold"] is True and params["clf__C"] == 3.0
    with pytest.raises(ValueError, match=r"Invalid parameter 'bogus' for estimator TfidfVectorizer\(casefold=True"):
        pipe.set_params(vec__bogus=1)
    sk = sktext.TfidfVectorizer()
    with pytest.raises(ValueError) as lx_error:
        lexsim.TfidfVectorizer().set_params(bogus=1)
    with pytest.raises(ValueError) as sk_error:
        sk.set_params(bogus=1)
    lexsim_only = ", 'casefold'|, 'n_jobs'|, 'normalization'|, 'stemmer'"
    assert re.sub(lexsim_only, "", str(lx_error.value)) == str(sk_error.value)
    assert lexsim.TfidfVectorizer().set_params() is not None


def test_cross_val_score_and_grid_search_equal_sklearns():
    lx = Pipeline([("vec", lexsim.TfidfVectorizer()), ("clf", LogisticRegression())])
    sk = Pipeline([("vec", sktext.TfidfVectorizer()), ("clf", LogisticRegression())])
    np.testing.assert_allclose(cross_val_score(lx, DOCS, Y, cv=2), cross_val_score(sk, DOCS, Y, cv=2), atol=1e-12)
    grid = {"vec__ngram_range": [(1, 1), (1, 2)], "vec__min_df": [1, 2], "clf__C": [0.5, 2.0]}
    a = GridSearchCV(lx, grid, cv=2, error_score="raise").fit(DOCS, Y)
    b = GridSearchCV(sk, grid, cv=2, error_score="raise").fit(DOCS, Y)
    assert a.best_params_ == b.best_params_
    np.testing.assert_allclose(a.cv_results_["mean_test_score"], b.cv_results_["mean_test_score"], atol=1e-12)
    # lexsim's own parameters are searchable too
    c = GridSearchCV(lx, {"vec__casefold": [False, True], "vec__n_jobs": [1, 2]}, cv=2, error_score="raise").fit(
        DOCS, Y
    )
    assert set(c.best_params_) == {"vec__casefold", "vec__n_jobs"}


def test_hashing_vectorizer_has_no_set_output_like_sklearns():
    assert (
        hasattr(lexsim.HashingVectorizer(), "set_output") == hasattr(sktext.HashingVectorizer(), "set_output") is False
    )
    with pytest.raises(ValueError, match="set_output"):
        Pipeline([("vec", lexsim.HashingVectorizer())]).set_output(transform="pandas")
    with pytest.raises(TypeError, match="auto_wrap_output_keys"):
        type("Wrapped", (lxbase.TransformerMixin, lxbase.BaseEstimator), {}, auto_wrap_output_keys=("transform",))


# --------------------------------------------------------------------------- metadata routing
def _routing(est):
    return est.get_metadata_routing()._serialize()


@pytest.mark.parametrize("L,S", PAIRS, ids=PAIR_IDS)
def test_metadata_routing_equals_sklearns(L, S):
    assert _routing(L()) == _routing(S()) == {}
    for method in ("fit", "partial_fit", "transform", "inverse_transform", "predict", "score"):
        assert hasattr(L(), f"set_{method}_request") == hasattr(S(), f"set_{method}_request"), method
    assert L().get_metadata_routing().consumes(method="fit", params={"raw_documents", "X"}) == set()


@pytest.mark.parametrize("L,S", PAIRS, ids=PAIR_IDS)
def test_pipeline_with_metadata_routing(L, S):
    results, routings = [], []
    with sklearn.config_context(enable_metadata_routing=True):
        for V in (L, S):
            clf = LogisticRegression().set_fit_request(sample_weight=True)
            pipe = Pipeline([("vec", _small(V)), ("clf", clf)])
            weights = np.linspace(0.5, 2.0, len(DOCS))
            pipe.fit(DOCS, Y, sample_weight=weights)
            results.append(pipe.predict_proba(DOCS))
            routings.append(pipe.get_metadata_routing()._serialize())
            with pytest.raises(TypeError, match="not routed to any object"):
                Pipeline([("vec", _small(V)), ("clf", LogisticRegression())]).fit(DOCS, Y, foo=weights)
    np.testing.assert_allclose(results[0], results[1], atol=1e-12)
    assert routings[0] == routings[1]


# An estimator with metadata written on lexsim's base, and the same on scikit-learn's.
def _toy(base, unused):
    class Toy(base):
        __metadata_request__transform = {"copy": unused}

        def __init__(self, *, alpha=1.0):
            self.alpha = alpha

        def fit(self, X, y=None, sample_weight=None):
            return self

        def transform(self, X, copy=True):
            return X

        def score(self, X, y=None, sample_weight=None, groups=None):
            return 0.0

    return Toy


def _toy_pair():
    from sklearn.utils.metadata_routing import UNUSED  # scikit-learn's own object: it compares by identity

    return _toy(lxbase.BaseEstimator, lxbase.UNUSED), _toy(skbase.BaseEstimator, UNUSED)


def test_routing_of_an_estimator_with_metadata_equals_sklearns():
    LxToy, SkToy = _toy_pair()
    assert (
        _routing(LxToy())
        == _routing(SkToy())
        == {"fit": {"sample_weight": None}, "score": {"sample_weight": None, "groups": None}}
    )
    for method in ("fit", "transform", "score", "predict"):
        assert hasattr(LxToy(), f"set_{method}_request") == hasattr(SkToy(), f"set_{method}_request"), method
    assert (
        inspect.signature(LxToy().set_score_request).parameters.keys()
        == inspect.signature(SkToy().set_score_request).parameters.keys()
    )
    with sklearn.config_context(enable_metadata_routing=True):
        a = LxToy().set_fit_request(sample_weight=True).set_score_request(groups="g")
        b = SkToy().set_fit_request(sample_weight=True).set_score_request(groups="g")
        assert _routing(a) == _routing(b)
        assert _routing(clone(a)) == _routing(b)
        assert _routing(copy.deepcopy(a)) == _routing(b)
        with pytest.raises(TypeError, match="Unexpected args"):
            LxToy().set_fit_request(weights=True)
    with pytest.raises(RuntimeError, match="enable_metadata_routing"):
        LxToy().set_fit_request(sample_weight=True)


def test_unused_marks_data_where_the_method_has_it():
    class Base(lxbase.BaseEstimator):
        __metadata_request__fit = {"documents": lxbase.UNUSED}

        def fit(self, documents, y=None, sample_weight=None):
            return self

    class Child(Base):
        def fit(self, X, y=None, weights=None):  # no `documents`: the mark does not apply
            return self

    assert _routing(Base()) == {"fit": {"sample_weight": None}}
    assert _routing(Child()) == {"fit": {"weights": None}}


# --------------------------------------------------------------------------- pickling
@pytest.mark.parametrize("L,S", PAIRS, ids=PAIR_IDS)
def test_pickle_round_trips(L, S):
    for v in (L(ngram_range=(1, 2), casefold=True), L(ngram_range=(1, 2), casefold=True).fit(DOCS)):
        for w in (pickle.loads(pickle.dumps(v)), copy.deepcopy(v), pickle.loads(pickle.dumps(v, protocol=2))):
            assert type(w) is L and repr(w) == repr(v) and w.get_params() == v.get_params()
            if L is not lexsim.HashingVectorizer and hasattr(v, "vocabulary_"):
                assert (w.transform(DOCS) != v.transform(DOCS)).nnz == 0
    pipe = Pipeline([("vec", _small(L)), ("clf", LogisticRegression())]).fit(DOCS, Y)
    again = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(again.predict_proba(DOCS), pipe.predict_proba(DOCS))
    grid = GridSearchCV(Pipeline([("vec", _small(L)), ("clf", LogisticRegression())]), {"clf__C": [1.0, 2.0]}, cv=2)
    grid.fit(DOCS, Y)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(grid)).predict(DOCS), grid.predict(DOCS))


def test_pickles_of_the_sklearn_based_classes_load():
    """A pickle written while lexsim's classes derived from scikit-learn's base holds the same state."""
    v = lexsim.TfidfVectorizer(min_df=1, casefold=True).fit(DOCS)
    state = _as_before(v).__reduce_ex__(2)[2]
    w = lexsim.TfidfVectorizer.__new__(lexsim.TfidfVectorizer)
    w.__setstate__(state)
    assert "_sklearn_version" not in state and repr(w) == repr(v)
    assert (w.transform(DOCS) != v.transform(DOCS)).nnz == 0


def test_slots_are_refused_when_pickling_as_in_sklearn():
    class Slotted(lxbase.BaseEstimator):
        __slots__ = ("a",)

    with pytest.raises(TypeError, match="__slots__"):
        pickle.dumps(Slotted())


# --------------------------------------------------------------------------- NotFittedError
def test_not_fitted_error_is_sklearns_once_sklearn_is_imported():
    with pytest.raises(SkNotFittedError) as info:
        lexsim.CountVectorizer().transform(DOCS)
    e = info.value
    assert isinstance(e, lexsim.NotFittedError) and isinstance(e, ValueError) and isinstance(e, AttributeError)
    assert type(e) is lexsim.NotFittedError and issubclass(lexsim.NotFittedError, SkNotFittedError)
    assert "not fitted" in str(e)
    for again in (pickle.loads(pickle.dumps(e)), copy.copy(e)):
        assert type(again) is type(e) and again.args == e.args
    with pytest.raises(SkNotFittedError):
        check_is_fitted(lexsim.TfidfVectorizer())
    assert not hasattr(lexsim.TfidfVectorizer(), "idf_")  # an AttributeError, as hasattr needs


def test_not_fitted_error_when_sklearn_is_imported_later_or_not_at_all():
    code = textwrap.dedent("""
        import sys, lexsim
        def raise_one():
            try:
                lexsim.TfidfVectorizer().transform(["a"])
            except lexsim.NotFittedError as e:
                return e
        e = raise_one()
        print(type(e) is lexsim.NotFittedError, isinstance(e, ValueError), "sklearn" in sys.modules)
        from sklearn.exceptions import NotFittedError
        try:
            lexsim.TfidfVectorizer().transform(["a"])
        except NotFittedError as e2:
            print(type(e2) is lexsim.NotFittedError, issubclass(lexsim.NotFittedError, NotFittedError), isinstance(e, NotFittedError))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["True True False", "True True False"]


def test_no_warnings_from_the_protocol():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v = lexsim.TfidfVectorizer(min_df=2)
        repr(v), clone(v), v.get_metadata_routing(), estimator_html_repr(v)

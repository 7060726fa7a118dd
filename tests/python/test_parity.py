"""Exact parity with scikit-learn: same feature names, same matrices (1e-12 in float64)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import HARD_UNICODE, read_news_seeds, read_sentences
from sklearn.feature_extraction import text as sk

import lexsim

# The configurations the parity promise names, as keyword arguments for both libraries.
CONFIGS = {
    "defaults": {},
    "stop_words_english": {"stop_words": "english"},
    "strip_accents_unicode": {"strip_accents": "unicode"},
    "strip_accents_ascii_no_lowercase": {"strip_accents": "ascii", "lowercase": False},
    "ngram_1_2": {"ngram_range": (1, 2)},
    "char_wb_2_4": {"analyzer": "char_wb", "ngram_range": (2, 4)},
    "char": {"analyzer": "char"},
    "min_df_2_max_df_0_5": {"min_df": 2, "max_df": 0.5},
    "max_features_1000": {"max_features": 1000},
    "sublinear_l1": {"sublinear_tf": True, "norm": "l1"},
    "no_idf": {"use_idf": False},
    "no_smooth_binary": {"smooth_idf": False, "binary": True},
    # The CLI's analyst defaults: no all-digit tokens, three characters or more (native pattern).
    "no_digits_3_chars": {"token_pattern": r"(?u)\b(?!\d+\b)\w\w\w+\b"},
    "analyst": {
        "token_pattern": r"(?u)\b(?!\d+\b)\w\w\w+\b",
        "strip_accents": "unicode",
        "stop_words": "english",
        "sublinear_tf": True,
    },
}

_CACHE: dict[str, list] = {}


def corpus(name: str) -> list:
    if name not in _CACHE:
        if name == "news-seeds":
            _CACHE[name] = read_news_seeds()[1]
        elif name == "sentences":
            _CACHE[name] = read_sentences()
        else:
            _CACHE[name] = HARD_UNICODE
    return _CACHE[name]


def assert_same_matrix(X: sp.spmatrix, Y: sp.spmatrix, atol: float = 1e-12) -> None:
    assert X.shape == Y.shape
    X, Y = sp.csr_matrix(X), sp.csr_matrix(Y)
    Y.sort_indices()
    np.testing.assert_array_equal(X.indptr, Y.indptr)
    np.testing.assert_array_equal(X.indices, Y.indices)
    np.testing.assert_allclose(X.data, Y.data, rtol=0, atol=atol)


def tie_tolerant_max_features(ours: lexsim.TfidfVectorizer, theirs: sk.TfidfVectorizer, docs: list, X, Y) -> None:
    """scikit-learn picks max_features with an unstable argsort, so among terms whose total count
    equals the cut-off count its choice is arbitrary; lexsim keeps the first in code-point order.
    Everything else must be identical."""
    a = list(ours.get_feature_names_out())
    b = list(theirs.get_feature_names_out())
    if a == b:
        assert_same_matrix(X, Y)
        return
    full = sk.CountVectorizer(
        **{
            k: v
            for k, v in theirs.get_params().items()
            if k in sk.CountVectorizer().get_params() and k != "max_features"
        }
    )
    counts = full.fit_transform(docs)
    total = dict(zip(full.get_feature_names_out(), np.asarray(counts.sum(axis=0)).ravel()))
    cutoff = min(total[t] for t in b)
    only_ours, only_theirs = set(a) - set(b), set(b) - set(a)
    assert len(only_ours) == len(only_theirs)
    assert all(total[t] == cutoff for t in only_ours | only_theirs), "differences beyond cut-off ties"
    assert all(total[t] == cutoff for t in only_ours)
    # lexsim's choice among the tied terms is the first ones in code-point order.
    tied = sorted(t for t in total if total[t] == cutoff)
    n_tied_kept = sum(1 for t in a if total[t] == cutoff)
    assert sorted(t for t in a if total[t] == cutoff) == tied[:n_tied_kept]


@pytest.mark.parametrize("corpus_name", ["hard-unicode", "news-seeds", "sentences"])
@pytest.mark.parametrize("config", list(CONFIGS))
def test_tfidf_parity(config: str, corpus_name: str) -> None:
    docs = corpus(corpus_name)
    kwargs = CONFIGS[config]
    ours = lexsim.TfidfVectorizer(**kwargs)
    theirs = sk.TfidfVectorizer(**kwargs)
    try:
        Y = theirs.fit_transform(docs)
    except ValueError as e:  # e.g. min_df=2 on a tiny corpus: lexsim must fail the same way
        with pytest.raises(ValueError) as ours_error:
            ours.fit_transform(docs)
        # scikit-learn's message, within one that also names the values and the document count
        assert str(e) in str(ours_error.value)
        return
    X = ours.fit_transform(docs)
    assert isinstance(X, sp.csr_matrix) and X.dtype == np.float64
    if "max_features" in kwargs:
        tie_tolerant_max_features(ours, theirs, docs, X, Y)
        return
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    assert ours.vocabulary_ == theirs.vocabulary_
    assert_same_matrix(X, Y)
    if kwargs.get("use_idf", True):
        np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=0, atol=1e-12)
    # transform() of already-seen text equals fit_transform
    assert_same_matrix(ours.transform(docs[:50]), theirs.transform(docs[:50]))


@pytest.mark.parametrize("corpus_name", ["hard-unicode", "news-seeds", "sentences"])
@pytest.mark.parametrize(
    "config", ["defaults", "stop_words_english", "ngram_1_2", "char_wb_2_4", "min_df_2_max_df_0_5", "no_digits_3_chars"]
)
def test_count_parity(config: str, corpus_name: str) -> None:
    docs = corpus(corpus_name)
    kwargs = {k: v for k, v in CONFIGS[config].items()}
    ours = lexsim.CountVectorizer(**kwargs)
    try:
        Y = sk.CountVectorizer(**kwargs).fit_transform(docs)
    except ValueError as e:  # lexsim must refuse it with the same message (within its own)
        with pytest.raises(ValueError) as ours_error:
            ours.fit_transform(docs)
        # scikit-learn's message, within one that also names the values and the document count
        assert str(e) in str(ours_error.value)
        return
    X = ours.fit_transform(docs)
    assert X.dtype == np.int64
    X, Y = sp.csr_matrix(X), sp.csr_matrix(Y)
    Y.sort_indices()
    np.testing.assert_array_equal(X.indptr, Y.indptr)
    np.testing.assert_array_equal(X.indices, Y.indices)
    np.testing.assert_array_equal(X.data, Y.data)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"token_pattern": r"\b\w+\b"},
        {"token_pattern": r"(?u)\b\w\w\w+\b"},
        {"token_pattern": r"\w{3,}"},
        {"token_pattern": r"\w+"},
        {"token_pattern": r"\b\w{2,4}\b"},
        {"token_pattern": r"\w{2,3}"},
        {"token_pattern": r"(\w\w+)"},
        {"token_pattern": r"(?u)\b(?!\d+\b)\w\w\w+\b"},
        {"token_pattern": r"\b(?!\d+\b)\w+\b"},
        {"token_pattern": r"\b(?!\d+\b)(\w{2,4})\b", "strip_accents": "unicode"},
        {"token_pattern": r"[A-Za-z]{2,}"},  # not native: Python's re runs it
        {"analyzer": "char", "ngram_range": (1, 3)},
        {"analyzer": "char_wb", "ngram_range": (1, 5)},
        {"analyzer": "char_wb", "ngram_range": (3, 3)},
        {"ngram_range": (2, 3), "stop_words": "english"},
        {"stop_words": ["ve", "the", "and", "erdogan"], "strip_accents": "unicode"},
        {"strip_accents": "ascii"},
        {"lowercase": False},
        {"vocabulary": ["zeta", "erdoğan", "the", "istanbul", "fox"]},
        {"max_df": 3, "min_df": 0.05},
        {"dtype": np.float32},
    ],
)
def test_more_options_on_news_and_hard_cases(kwargs: dict) -> None:
    docs = read_news_seeds()[1] + HARD_UNICODE
    ours = lexsim.TfidfVectorizer(**kwargs)
    theirs = sk.TfidfVectorizer(**kwargs)
    X = ours.fit_transform(docs)
    Y = theirs.fit_transform(docs)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    assert X.dtype == Y.dtype
    assert_same_matrix(X, Y, atol=1e-6 if kwargs.get("dtype") == np.float32 else 1e-12)


def test_news_seeds_story_neighbours_and_folded_names() -> None:
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True)
    X = vec.fit_transform(docs)
    nn = lexsim.top_k(X, k=1)
    nearest = {names[i][:3]: names[nn.indices[nn.indptr[i]]][:3] for i in range(len(names))}
    assert nearest == {"000": "003", "001": "004", "002": "003", "003": "002", "004": "001"}
    features = set(vec.get_feature_names_out())
    assert {"erdogan", "cavusoglu", "turkiye"} <= features
    assert not {"erdoğan", "çavuşoğlu", "türkiye"} & features


NO_DIGITS = r"(?u)\b(?!\d+\b)\w\w\w+\b"


def test_no_digit_pattern_runs_natively_and_equals_python_re_on_digit_cases() -> None:
    vec = lexsim.CountVectorizer(token_pattern=NO_DIGITS)
    assert vec._native_mode()  # the C++ tokenizer, not a fallback to Python's re
    docs = [
        "covid19 and COVID-19 in 2024, 2024-07-25, 1990s and 3rd",  # mixed letters and digits stay
        "مرحبا ١٢٣ ١٢٣٤ ٢٠٢٤م and ۱۴۰۳ (Extended Arabic-Indic) २०२४ ๒๕๖๗",  # Nd digits of other scripts
        "\U0001d7ce\U0001d7cf\U0001d7d0 x\U0001d7ce\U0001d7cf ²³⁴ ½⅓¼ ①②③ ⅫⅫⅫ",  # math digits; No/Nl are no \d
        "ＦＵＬＬ２０２０ ２０２０ _123 123_ ___ 000 abc",  # fullwidth digits, underscores
    ]
    for kwargs in ({}, {"strip_accents": "unicode"}, {"lowercase": False}, {"strip_accents": "ascii"}):
        ours = lexsim.CountVectorizer(token_pattern=NO_DIGITS, **kwargs).build_analyzer()
        theirs = sk.CountVectorizer(token_pattern=NO_DIGITS, **kwargs).build_analyzer()
        for d in docs + HARD_UNICODE:
            assert ours(d) == theirs(d), (kwargs, d)
    terms = lexsim.CountVectorizer(token_pattern=NO_DIGITS).build_analyzer()(docs[0])
    assert "covid19" in terms and "2024" not in terms and "1990s" in terms


def test_no_digit_pattern_on_every_decimal_digit() -> None:
    import sys
    import unicodedata

    digits = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Nd"]
    ours = lexsim.CountVectorizer(token_pattern=NO_DIGITS, lowercase=False).build_analyzer()
    theirs = sk.CountVectorizer(token_pattern=NO_DIGITS, lowercase=False).build_analyzer()
    # Python's Nd digits (its Unicode data may be older than utf8proc's; Nd never shrinks).
    text = " ".join(d * 3 + " a" + d * 2 for d in digits)
    assert len(digits) > 600
    assert ours(text) == theirs(text)
    assert len(ours(text)) == len(digits)  # only the "a" + digits tokens survive

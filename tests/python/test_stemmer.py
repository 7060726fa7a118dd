"""stemmer=: Snowball stemming through the vectorizers (off by default, so parity stays exact).

Expected stems are Snowball's; the reference check at the end compares with the snowballstemmer
package on the sentences corpus.
"""

from __future__ import annotations

import pickle
import re

import numpy as np
import pytest
from conftest import read_sentences

import lexsim

VECTORIZERS = [lexsim.CountVectorizer, lexsim.TfidfVectorizer]


def terms(vec, docs) -> list:
    vec.fit(docs)
    return vec.get_feature_names_out().tolist()


# --------------------------------------------------------------------------- stems


def test_stemmers_lists_the_snowball_algorithms() -> None:
    names = lexsim.stemmers()
    assert names == sorted(names) and all(isinstance(n, str) for n in names)
    assert {"english", "porter", "french", "german", "russian", "spanish", "turkish"} <= set(names)
    assert "stemmers" in lexsim.__all__


@pytest.mark.parametrize("V", VECTORIZERS)
def test_english_feature_names_are_stems(V) -> None:
    docs = ["Running connections", "He ran generously; the runners are running", "CONNECTED, connecting"]
    assert terms(V(stemmer="english"), docs) == ["are", "connect", "generous", "he", "ran", "run", "runner", "the"]
    assert terms(V(stemmer="en"), docs) == terms(V(stemmer="english"), docs)  # ISO 639 code
    X = lexsim.CountVectorizer(stemmer="english").fit_transform(docs)
    assert X.toarray().tolist() == [
        [0, 1, 0, 0, 0, 1, 0, 0],
        [1, 0, 1, 1, 1, 1, 1, 1],
        [0, 2, 0, 0, 0, 0, 0, 0],
    ]


@pytest.mark.parametrize(
    "algorithm,text,stems",
    [
        ("turkish", "Kitaplarımız çocuklar okullarda öğretmenler", ["kitap", "okul", "çocuk", "öğretmen"]),
        ("tr", "arabalar evlerimizden", ["araba", "ev"]),
        ("russian", "Книги книгами", ["книг"]),
        ("french", "continuité nationales", ["continu", "national"]),
        ("porter", "generously caresses", ["caress", "gener"]),
    ],
)
def test_other_algorithms(algorithm: str, text: str, stems: list) -> None:
    assert terms(lexsim.CountVectorizer(stemmer=algorithm), [text]) == sorted(stems)


def test_stemming_sees_the_preprocessed_tokens() -> None:
    # accents are stripped before stemming: "continuite" stems to "continuit", "continuité" to "continu"
    assert terms(lexsim.CountVectorizer(stemmer="french", strip_accents="unicode"), ["Continuité"]) == ["continuit"]


def test_bigrams_join_stems() -> None:
    vec = lexsim.TfidfVectorizer(stemmer="english", ngram_range=(1, 2))
    assert terms(vec, ["running connections generously"]) == [
        "connect",
        "connect generous",
        "generous",
        "run",
        "run connect",
    ]


def test_stop_words_are_removed_before_stemming() -> None:
    # "the", "and", "were" go; "haves" and "having" are not stop words and stem to "have", a stop word
    vec = lexsim.CountVectorizer(stemmer="english", stop_words="english", ngram_range=(1, 2))
    X = vec.fit_transform(["The haves and the having runners were running"])
    assert dict(zip(vec.get_feature_names_out(), X.toarray()[0])) == {
        "have": 2,
        "have have": 1,
        "have runner": 1,
        "run": 1,
        "runner": 1,
        "runner run": 1,
    }


def test_build_analyzer_and_transform_stem() -> None:
    vec = lexsim.CountVectorizer(stemmer="english").fit(["connections run"])
    assert vec.build_analyzer()("Generously connected, RUNNING") == ["generous", "connect", "run"]
    assert vec.transform(["connecting runs connected"]).toarray().tolist() == [[2, 1]]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"token_pattern": r"[A-Za-zÀ-ÿ]+"},  # tokenized by Python's re
        {"tokenizer": re.compile(r"(?u)\b\w\w+\b").findall, "token_pattern": None},
        {"preprocessor": lambda s: s.lower().replace("-", " ")},  # preprocessed in Python
        {"strip_accents": lambda s: s},
    ],
)
def test_python_analysis_paths_stem_too(kwargs: dict) -> None:
    docs = ["Running connections, generously connected", "The runners' connecting run", "naïve cafés"]
    native = lexsim.CountVectorizer(stemmer="english", ngram_range=(1, 2))
    python = lexsim.CountVectorizer(stemmer="english", ngram_range=(1, 2), **kwargs)
    X, Y = native.fit_transform(docs), python.fit_transform(docs)
    assert python.get_feature_names_out().tolist() == native.get_feature_names_out().tolist()
    assert (X != Y).nnz == 0
    assert "connect generous" in python.vocabulary_


def test_threads_give_the_same_stemmed_matrix() -> None:
    docs = read_sentences()[:6000]
    ref_vec = lexsim.TfidfVectorizer(stemmer="english", stop_words="english", n_jobs=1)
    ref = ref_vec.fit_transform(docs)
    for n_jobs in (2, -1):
        vec = lexsim.TfidfVectorizer(stemmer="english", stop_words="english", n_jobs=n_jobs)
        X = vec.fit_transform(docs)
        assert vec.get_feature_names_out().tolist() == ref_vec.get_feature_names_out().tolist()
        np.testing.assert_array_equal(X.indptr, ref.indptr)
        np.testing.assert_array_equal(X.indices, ref.indices)
        assert X.data.tobytes() == ref.data.tobytes()
        assert (vec.transform(docs[::5]) != ref_vec.transform(docs[::5])).nnz == 0


# --------------------------------------------------------------------------- off by default


def test_default_is_off_and_equals_scikit_learn() -> None:
    sktext = pytest.importorskip("sklearn.feature_extraction.text")
    docs = read_sentences()[:2000]
    vec = lexsim.TfidfVectorizer()
    assert vec.get_params()["stemmer"] is None
    X, Y = vec.fit_transform(docs), sktext.TfidfVectorizer().fit_transform(docs)
    assert vec.get_feature_names_out().tolist() == sktext.TfidfVectorizer().fit(docs).get_feature_names_out().tolist()
    assert abs(X - Y).max() < 1e-12


# --------------------------------------------------------------------------- estimator API


@pytest.mark.parametrize("V", VECTORIZERS)
def test_get_params_set_params_clone_pickle(V) -> None:
    docs = ["running connections", "connected runners"]
    vec = V()
    assert vec.set_params(stemmer="english") is vec
    assert vec.get_params()["stemmer"] == "english"
    assert repr(vec) == f"{V.__name__}(stemmer='english')"
    assert terms(vec, docs) == ["connect", "run", "runner"]
    assert terms(vec.set_params(stemmer=None), docs) == ["connected", "connections", "runners", "running"]
    vec.set_params(stemmer="english").fit(docs)
    restored = pickle.loads(pickle.dumps(vec))
    assert restored.get_params()["stemmer"] == "english"
    assert (restored.transform(["RUNNING connects"]) != vec.transform(["RUNNING connects"])).nnz == 0
    base = pytest.importorskip("sklearn.base")
    c = base.clone(vec)
    assert c.get_params() == vec.get_params() and c.stemmer == "english"
    assert terms(c, docs) == ["connect", "run", "runner"]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("V", VECTORIZERS)
@pytest.mark.parametrize("bad", [3, b"english", ["english"], True])
def test_a_non_str_stemmer_is_a_type_error(V, bad) -> None:
    vec = V(stemmer=bad)  # construction never validates
    with pytest.raises(TypeError, match="'stemmer' parameter must be a str or None"):
        vec.fit(["running"])


@pytest.mark.parametrize("V", VECTORIZERS)
@pytest.mark.parametrize("bad", ["klingon", "English", "", "english\x00"])
def test_an_unknown_stemmer_is_a_value_error_naming_it(V, bad) -> None:
    shown = bad.replace("\x00", "\\x00")
    with pytest.raises(ValueError, match=re.escape(f"unknown stemmer '{shown}'")) as info:
        V(stemmer=bad).fit(["running"])
    assert "english" in str(info.value) and "turkish" in str(info.value)  # lists the algorithms
    with pytest.raises(ValueError, match="klingon"):
        V(stemmer="klingon").build_analyzer()


@pytest.mark.parametrize("analyzer", ["char", "char_wb"])
def test_a_stemmer_with_character_ngrams_is_a_value_error(analyzer: str) -> None:
    with pytest.raises(ValueError, match=f"applies to analyzer='word' only. Got analyzer='{analyzer}'"):
        lexsim.TfidfVectorizer(stemmer="english", analyzer=analyzer).fit(["running"])


def test_a_stemmer_with_a_callable_analyzer_is_a_value_error() -> None:
    vec = lexsim.CountVectorizer(stemmer="english", analyzer=str.split)
    with pytest.raises(ValueError, match="cannot be combined with a callable analyzer"):
        vec.fit(["running"])
    with pytest.raises(ValueError, match="cannot be combined with a callable analyzer"):
        vec.build_analyzer()


# --------------------------------------------------------------------------- reference


# Debian's libstemmer and the snowballstemmer wheel can be different Snowball releases (2.2 and
# 3.x today), and Snowball 3.0 changed a few English words ("added" -> "add", not "ad"); the
# original Porter algorithm is frozen, so there the two must agree on every word.
@pytest.mark.parametrize("algorithm,min_agreement", [("porter", 1.0), ("english", 0.995)])
def test_stems_agree_with_the_snowballstemmer_package(algorithm: str, min_agreement: float) -> None:
    snowballstemmer = pytest.importorskip("snowballstemmer")
    words = lexsim.CountVectorizer().fit(read_sentences()).get_feature_names_out().tolist()
    ours = lexsim.CountVectorizer(stemmer=algorithm).build_analyzer()(" ".join(words))
    assert len(ours) == len(words) > 30000
    theirs = snowballstemmer.stemmer(algorithm).stemWords(words)
    differ = [(w, a, b) for w, a, b in zip(words, ours, theirs) if a != b]
    assert 1 - len(differ) / len(words) >= min_agreement, differ[:20]

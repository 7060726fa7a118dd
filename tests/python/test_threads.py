"""Results never depend on n_jobs: fit, transform and fit_transform are bit-for-bit identical."""

from __future__ import annotations

import numpy as np
import pytest

import lexsim
from conftest import HARD_UNICODE, read_news_seeds, read_sentences


def assert_identical(X, Y) -> None:
    assert X.shape == Y.shape and X.dtype == Y.dtype
    np.testing.assert_array_equal(X.indptr, Y.indptr)
    np.testing.assert_array_equal(X.indices, Y.indices)
    assert X.data.tobytes() == Y.data.tobytes()


@pytest.mark.parametrize("kwargs", [
    {},
    {"min_df": 3, "max_df": 0.4},
    {"max_features": 2000},
    {"stop_words": "english", "ngram_range": (1, 2), "sublinear_tf": True},
    {"analyzer": "char_wb", "ngram_range": (2, 4)},
    {"strip_accents": "unicode", "binary": True, "dtype": np.float32},
    {"token_pattern": r"[A-Za-z]{3,}"},  # Python tokenization, C++ counting
])
def test_tfidf_is_identical_for_every_n_jobs(kwargs: dict) -> None:
    docs = read_sentences()[:20000] + HARD_UNICODE + read_news_seeds()[1]
    ref_vec = lexsim.TfidfVectorizer(n_jobs=1, **kwargs)
    ref = ref_vec.fit_transform(docs)
    ref_t = ref_vec.transform(docs[::3])
    for n_jobs in (2, 3, -1):
        vec = lexsim.TfidfVectorizer(n_jobs=n_jobs, **kwargs)
        assert_identical(vec.fit_transform(docs), ref)
        assert list(vec.get_feature_names_out()) == list(ref_vec.get_feature_names_out())
        assert vec.idf_.tobytes() == ref_vec.idf_.tobytes()
        assert_identical(vec.transform(docs[::3]), ref_t)
        assert_identical(vec.fit(docs).transform(docs[::3]), ref_t)


def test_count_is_identical_for_every_n_jobs() -> None:
    docs = read_sentences()[:30000]
    ref = lexsim.CountVectorizer(n_jobs=1).fit_transform(docs)
    for n_jobs in (2, -1):
        assert_identical(lexsim.CountVectorizer(n_jobs=n_jobs).fit_transform(docs), ref)


def test_the_first_bad_document_is_reported_whatever_the_threads() -> None:
    docs = ["good text"] * 5000 + [b"bad \xff one"] + ["more text"] * 5000 + [b"bad \xfe two"] + ["x y"] * 5000
    for n_jobs in (1, 2, 3):
        with pytest.raises(ValueError, match=r"document 5000: invalid UTF-8 at byte offset 4"):
            lexsim.TfidfVectorizer(n_jobs=n_jobs).fit(docs)


def test_n_jobs_set_after_fit_or_load_is_used(tmp_path) -> None:
    docs = read_sentences()[:20000]
    vec = lexsim.TfidfVectorizer().fit(docs)
    ref = vec.transform(docs)
    vec.set_params(n_jobs=2)
    assert vec._native.n_jobs == 1  # nothing changes until the next call...
    assert_identical(vec.transform(docs), ref)
    assert vec._native.n_jobs == 2  # ...which runs on two threads
    vec.save(tmp_path / "m.lexsim")
    loaded = lexsim.load(tmp_path / "m.lexsim")
    loaded.set_params(n_jobs=-1)
    assert_identical(loaded.transform(docs), ref)
    assert loaded._native.n_jobs == -1
    with pytest.raises(ValueError, match="n_jobs"):
        loaded.set_params(n_jobs=0).transform(docs[:3])

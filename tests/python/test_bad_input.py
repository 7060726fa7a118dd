"""Hostile input: every case ends in a clear exception naming the problem, or in a correct result;
never a crash, a hang or silent garbage. Also: many Python threads on one fitted object, and Ctrl-C
during long calls."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import read_sentences
from sklearn.feature_extraction.text import TfidfVectorizer as SkTfidf

import lexsim

V = lexsim.TfidfVectorizer


# ----------------------------------------------------------------------------- documents


@pytest.mark.parametrize(
    "docs, exc, match",
    [
        ([b"fine", b"bad \xff byte"], lexsim.UnicodeError, r"document 1: invalid UTF-8 at byte offset 4"),
        ([b"ok", b"\xc3"], lexsim.UnicodeError, r"document 1: invalid UTF-8 at byte offset 0"),
        (["ok", "lone \ud800 surrogate"], ValueError, r"document 1 .*lone surrogate"),
        (["ok", None], TypeError, r"document 1 is NoneType"),
        (["ok", 3.5], TypeError, r"document 1 is float"),
        (["ok", ["nested"]], TypeError, r"document 1 is list"),
        ("a bare string", ValueError, r"string object received"),
        (b"bare bytes", ValueError, r"object received"),
        (["", "", ""], ValueError, r"empty vocabulary"),
        (["the and of", "it is"], ValueError, r"empty vocabulary"),
    ],
)
def test_bad_documents_raise_naming_the_problem(docs, exc, match) -> None:
    kwargs = {"stop_words": "english"} if docs == ["the and of", "it is"] else {}
    with pytest.raises(exc, match=match):
        V(**kwargs).fit_transform(docs)


def test_unicode_errors_are_value_errors_with_the_offset() -> None:
    with pytest.raises(ValueError) as info:
        V().fit_transform([b"abc", b"abc", b"ok \xe2\x82 broken"])
    assert info.value.document == 2 and info.value.byte_offset == 3


def test_decode_error_replace_and_ignore_are_what_python_decodes() -> None:
    docs = [b"caf\xc3\xa9 na\xefve \xff\xfe end", b"plain words"]
    for mode in ("replace", "ignore"):
        ours = V(decode_error=mode).fit(docs).get_feature_names_out()
        theirs = SkTfidf(decode_error=mode).fit(docs).get_feature_names_out()
        assert list(ours) == list(theirs)


def test_nul_and_control_characters_tokenize_as_scikit_learn_does() -> None:
    docs = ["nul\x00inside\x00word ctrl\x01\x02\x1f bell\x07 del\x7f c1\x85next\x9fend", "tab\tvt\x0bff\x0cend"]
    ours, theirs = V(), SkTfidf()
    A, B = ours.fit_transform(docs), theirs.fit_transform(docs)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    assert abs(A - B).max() < 1e-12


def test_empty_documents_are_zero_rows() -> None:
    X = V().fit_transform(["", "words here", "   ", "\n"])
    assert X.shape == (4, 2) and np.diff(X.indptr).tolist() == [0, 2, 0, 0]


def test_a_million_empty_documents() -> None:
    X = V().fit_transform([""] * 999_999 + ["two words"])
    assert X.shape == (1_000_000, 2) and X.nnz == 2


def test_a_single_60_mb_token() -> None:
    X = lexsim.CountVectorizer().fit_transform(["x" * 60_000_000 + " end"])
    assert X.shape == (1, 2) and X.sum() == 2


@pytest.mark.parametrize(
    "params, exc, match",
    [
        ({"min_df": 5, "max_df": 2}, ValueError, "max_df corresponds to < documents than min_df"),
        ({"ngram_range": (2, 1)}, ValueError, "ngram_range"),
        ({"ngram_range": (0, 1)}, ValueError, "ngram_range"),
        ({"norm": "l3"}, ValueError, "norm"),
        ({"min_df": -1}, ValueError, "min_df"),
        ({"max_df": 1.5}, ValueError, "max_df"),
        ({"max_features": 0}, ValueError, "max_features"),
        ({"analyzer": "sentence"}, ValueError, "analyzer"),
        ({"decode_error": "maybe"}, ValueError, "decode_error"),
        ({"strip_accents": "latin"}, ValueError, "strip_accents"),
        ({"normalization": "NFD"}, ValueError, "normalization"),
        ({"stemmer": "klingon"}, ValueError, "klingon"),
        ({"n_jobs": 0}, ValueError, "n_jobs"),
    ],
)
def test_invalid_parameters_are_checked_when_fitting(params, exc, match) -> None:
    vec = V(**params)  # construction never validates (scikit-learn's convention)
    with pytest.raises(exc, match=match):
        vec.fit(["some words here", "more words", "words again"])


def test_transform_before_fit() -> None:
    with pytest.raises(lexsim.NotFittedError, match="not fitted"):
        V().transform(["text"])
    with pytest.raises(ValueError):  # NotFittedError is a ValueError as in scikit-learn
        lexsim.CountVectorizer().transform(["text"])


# ----------------------------------------------------------------------------- matrices


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_matrices_with_nan_or_inf_are_refused_by_every_kernel(bad: float) -> None:
    X = sp.csr_matrix(np.array([[1.0, bad], [0.5, 1.0], [1.0, 0.0]]))
    for call in (
        lambda: lexsim.top_k(X),
        lambda: lexsim.top_k(sp.eye(3, 2, format="csr"), X),
        lambda: lexsim.similar_pairs(X, 0.5),
        lambda: lexsim.group(X, 0.5),
        lambda: lexsim.top_terms(None, X),
        lambda: lexsim.explain(None, X, 0, 1),
    ):
        with pytest.raises(ValueError, match="NaN or infinity"):
            call()


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"k": 0}, ValueError, "k must be a positive integer"),
        ({"k": -3}, ValueError, "k must be a positive integer"),
        ({"k": 2.0}, TypeError, "k must be an int"),
        ({"threshold": float("nan")}, ValueError, "NaN"),
        ({"threshold": 1.5}, ValueError, r"\[-1, 1\]"),
        ({"n_jobs": -2}, ValueError, "n_jobs"),
    ],
)
def test_top_k_bad_arguments(kwargs, exc, match) -> None:
    with pytest.raises(exc, match=match):
        lexsim.top_k(sp.eye(4, format="csr"), **kwargs)


def test_shape_mismatch_is_named() -> None:
    with pytest.raises(ValueError, match="same number of columns"):
        lexsim.top_k(sp.eye(3, 4, format="csr"), sp.eye(3, 5, format="csr"))


# ----------------------------------------------------------------------------- size


_BIG_DOCUMENT = textwrap.dedent(
    """
    import random, resource, sys
    import lexsim
    random.seed(0)
    words = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.randint(3, 9))) for _ in range(20000)]
    piece = " ".join(words) if sys.argv[1] == "ascii" else " ".join(w.replace("a", "ä").replace("o", "ö") for w in words)
    doc = (piece + " ") * (300_000_000 // (len(piece.encode()) + 1) + 1)
    size = len(doc.encode())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    X = lexsim.TfidfVectorizer().fit_transform([doc])
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    print(size, grew, X.shape[1])
    """
)


@pytest.mark.parametrize("kind, factor", [("ascii", 1.5), ("utf8", 3.5)])
def test_a_300_mb_document_costs_memory_in_proportion_to_its_size(kind: str, factor: float) -> None:
    # In a fresh process, so that peak RSS measures this document alone.
    run = subprocess.run([sys.executable, "-c", _BIG_DOCUMENT, kind], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    size, grew, n_terms = map(int, run.stdout.split())
    assert size >= 300_000_000 and n_terms > 19_000
    # ASCII text is read in place; other text is encoded to UTF-8 once, and lowercased once.
    assert grew <= factor * size, f"{kind}: peak RSS grew {grew / 2**20:.0f} MiB for a {size / 2**20:.0f} MiB document"


# ----------------------------------------------------------------------------- threads


def test_eight_python_threads_share_fitted_objects() -> None:
    docs = read_sentences()[:3000]
    vec = V().fit(docs)
    X = vec.transform(docs)
    index = lexsim.SearchIndex(vec, X)
    want = (
        vec.transform(docs[:500]),
        lexsim.top_k(X[:300], X, k=5),
        lexsim.similar_pairs(X, 0.6),
        index.search_batch(docs[:50], k=5),
    )
    results: list = [None] * 8
    errors: list = []

    def work(t: int) -> None:
        try:
            results[t] = (
                vec.transform(docs[:500]),
                lexsim.top_k(X[:300], X, k=5),
                lexsim.similar_pairs(X, 0.6),
                index.search_batch(docs[:50], k=5),
            )
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    for got in results:
        assert (got[0] != want[0]).nnz == 0 and (got[1] != want[1]).nnz == 0
        assert all(np.array_equal(a, b) for a, b in zip(got[2], want[2]))
        assert got[3] == want[3]


def test_the_gil_is_released_during_cpp_work() -> None:
    docs = [f"word{i} other{i % 977} text goes here" for i in range(400_000)]
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    start = time.perf_counter()
    lexsim.CountVectorizer().fit(docs)
    elapsed = time.perf_counter() - start
    stop.set()
    counter.join()
    # A thread that holds the GIL for the whole fit would leave the counter at ~0.
    assert ticks >= 0.3 * elapsed / 0.001 * 0.2


# ----------------------------------------------------------------------------- Ctrl-C


def _interrupt_after(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    return timer


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery to self is POSIX")
@pytest.mark.parametrize("what", ["fit", "fit_transform", "transform", "top_k", "similar_pairs", "search_batch"])
def test_ctrl_c_stops_long_calls_within_a_second(what: str) -> None:
    base = read_sentences()
    vec = V().fit(base)
    X = vec.transform(base)
    big = sp.vstack([X] * 4).tocsr()
    names = vec.get_feature_names_out().tolist()
    index = lexsim.SearchIndex(vec, X)
    calls = {
        "fit": lambda: vec.fit(base * 60),
        "fit_transform": lambda: vec.fit_transform(base * 60),
        "transform": lambda: vec.transform(base * 60),
        "search_batch": lambda: index.search_batch(base * 20, k=10),
        "top_k": lambda: lexsim.top_k(big, k=10),
        "similar_pairs": lambda: lexsim.similar_pairs(big, 0.05),
    }
    timer = _interrupt_after(0.3)
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        calls[what]()
    elapsed = time.perf_counter() - start
    timer.join()
    assert elapsed < 0.3 + 1.0, f"{what} took {elapsed:.2f} s to stop"
    # Everything is still usable afterwards.
    assert lexsim.top_k(X[:10], X, k=2).shape == (10, X.shape[0])
    assert vec.transform(base[:5]).shape[0] == 5
    # An interrupted fit leaves the vectorizer fitted as it was before the call.
    assert vec.get_feature_names_out().tolist() == names
    assert (vec.transform(base[:50]) != X[:50]).nnz == 0


@pytest.mark.parametrize("extra, stop_words", [("", None), ("", "english"), (" ΟΔΟΣ Σ", None)])
def test_large_non_ascii_documents_stream_and_match_scikit_learn(extra: str, stop_words) -> None:
    # Past 1 MB the UTF-8 path emits tokens while it scans; a capital sigma makes it fall back.
    piece = "İstanbul'da Ärger über the Straße, Привет мир, ǅemal café naïve 日本語 x² ½ and "
    doc = piece * (3_000_000 // len(piece.encode())) + extra
    docs = [doc, "kısa belge İİ", doc[::-1]]
    from sklearn.feature_extraction.text import CountVectorizer as SkCount

    ours, theirs = lexsim.CountVectorizer(stop_words=stop_words), SkCount(stop_words=stop_words)
    A, B = ours.fit_transform(docs), theirs.fit_transform(docs)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    assert (A != B).nnz == 0

"""lexsim.HashingVectorizer against scikit-learn's HashingVectorizer and sklearn.utils.murmurhash3_32.

Parity means the same matrix: the same shape, dtype, indptr and indices (so the same explicit zeros,
which both keep where a document's terms cancel in a column) and the same values (exactly; the
arithmetic is the same).
"""

from __future__ import annotations

import copy
import io
import os
import pickle
import random
import signal
import sys
import threading
import time
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

sklearn = pytest.importorskip("sklearn")

from conftest import HARD_UNICODE, read_news_seeds, read_sentences  # noqa: E402
from reference.murmur import ascii_prefixes, unicode_prefixes, word_preimages  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.feature_extraction.text import HashingVectorizer as SkHashing  # noqa: E402
from sklearn.feature_extraction.text import TfidfTransformer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.utils import get_tags, murmurhash3_32  # noqa: E402
from sklearn.utils.validation import check_is_fitted  # noqa: E402

import lexsim  # noqa: E402

H = lexsim.HashingVectorizer
LEXSIM_ONLY_PARAMS = {"normalization", "casefold", "stemmer", "n_jobs"}
MIN_HASH = -(2**31)


def assert_same(X, Y) -> None:
    """Same type of matrix, shape, dtype, structure (explicit zeros included) and values."""
    assert type(X) is type(Y)
    assert X.shape == Y.shape
    assert X.dtype == Y.dtype, (X.dtype, Y.dtype)
    np.testing.assert_array_equal(X.indptr, Y.indptr)
    np.testing.assert_array_equal(X.indices, Y.indices)
    np.testing.assert_array_equal(X.data, Y.data)


def assert_identical(X, Y) -> None:
    assert_same(X, Y)
    assert X.data.tobytes() == Y.data.tobytes()


_CACHE: dict[str, list] = {}


def corpus(name: str) -> list:
    if name not in _CACHE:
        _CACHE[name] = {
            "hard-unicode": lambda: HARD_UNICODE,
            "news-seeds": lambda: read_news_seeds()[1],
            "sentences": read_sentences,
        }[name]()
    return _CACHE[name]


def _my_tokenizer(s: str) -> list:
    return s.split()


def _my_analyzer(s: str) -> list:
    return [w.upper() for w in s.split() if len(w) > 2]


def _my_preprocessor(s: str) -> str:
    return s.casefold().replace("ğ", "g")


CONFIGS = {
    "defaults": {},
    "no_alternate_sign": {"alternate_sign": False},
    "norm_none": {"norm": None},
    "norm_l1": {"norm": "l1"},
    "binary": {"binary": True},
    "binary_n16_norm_none": {"binary": True, "n_features": 2**4, "norm": None},
    "n16": {"n_features": 2**4},
    "n16_norm_none": {"n_features": 2**4, "norm": None},
    "n16_no_alternate_l1": {"n_features": 2**4, "alternate_sign": False, "norm": "l1"},
    "n1_norm_none": {"n_features": 1, "norm": None},
    "n1000": {"n_features": 1000},
    "ngram_1_2": {"ngram_range": (1, 2)},
    "char": {"analyzer": "char", "n_features": 2**12},
    "char_wb_2_4": {"analyzer": "char_wb", "ngram_range": (2, 4), "n_features": 2**18},
    "stop_words_english": {"stop_words": "english"},
    "strip_accents_unicode": {"strip_accents": "unicode"},
    "strip_accents_ascii_no_lowercase": {"strip_accents": "ascii", "lowercase": False},
    "float32": {"dtype": np.float32},
    "float32_n16_l1": {"dtype": np.float32, "n_features": 2**4, "norm": "l1"},
    "callable_tokenizer": {"tokenizer": _my_tokenizer, "token_pattern": None},
    "callable_analyzer": {"analyzer": _my_analyzer},
    "callable_preprocessor_ngrams": {"preprocessor": _my_preprocessor, "ngram_range": (1, 3), "n_features": 2**10},
    "python_token_pattern": {"token_pattern": r"[A-Za-zÀ-ÿ]{3,}"},
}
# scikit-learn is slow on character n-grams: the sentences corpus is cut for those.
SLOW = {"char", "char_wb_2_4"}


@pytest.mark.parametrize("corpus_name", ["hard-unicode", "news-seeds", "sentences"])
@pytest.mark.parametrize("config", list(CONFIGS))
def test_parity_with_sklearn(config: str, corpus_name: str) -> None:
    docs = corpus(corpus_name)
    if corpus_name == "sentences" and config in SLOW:
        docs = docs[:5000]
    kwargs = CONFIGS[config]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = H(**kwargs).fit_transform(docs)
        theirs = SkHashing(**kwargs).fit_transform(docs)
    assert_same(ours, theirs)


def test_explicit_zeros_are_kept_as_sklearn_keeps_them() -> None:
    docs = read_sentences()[:3000]
    ours, theirs = H(n_features=2**4, norm=None).transform(docs), SkHashing(n_features=2**4, norm=None).transform(docs)
    assert_same(ours, theirs)
    zeros = int((ours.data == 0).sum())
    assert zeros > 100  # collisions with opposite signs cancel...
    assert zeros == int((theirs.data == 0).sum())  # ...and both keep them stored
    # binary turns them into ones, as scikit-learn's X.data.fill(1) does
    assert_same(
        H(n_features=2**4, norm=None, binary=True).transform(docs),
        SkHashing(n_features=2**4, norm=None, binary=True).transform(docs),
    )


def test_a_row_of_cancelled_terms_only() -> None:
    # Two words in one column with opposite signs (found with scikit-learn's own hash).
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda omicron sigma".split()
    h = {w: murmurhash3_32(w) for w in words}
    pair = next(
        (a, b) for a in words for b in words if a < b and abs(h[a]) % 4 == abs(h[b]) % 4 and (h[a] < 0) != (h[b] < 0)
    )
    doc = [" ".join(pair)]
    for norm in (None, "l1", "l2"):
        X, Y = H(n_features=4, norm=norm).transform(doc), SkHashing(n_features=4, norm=norm).transform(doc)
        assert_same(X, Y)
        assert X.nnz == 1 and X.data[0] == 0.0


def test_a_huge_document_equals_sklearn() -> None:
    # Past 65,536 terms a row's contributions are folded into running sums in C++.
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(20000)]
    doc = " ".join(rng.choice(vocab) for _ in range(400_000))
    for n in (2**4, 2**20):
        assert_same(
            H(n_features=n, norm=None).transform([doc, "short one"]),
            SkHashing(n_features=n, norm=None).transform([doc, "short one"]),
        )


# ----------------------------------------------------------------------------- MurmurHash3


def _random_strings(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        length = rng.randint(0, 40)
        chars = []
        for _ in range(length):
            r = rng.random()
            if r < 0.4:
                c = rng.randint(0x20, 0x7E)
            elif r < 0.7:
                c = rng.randint(0x80, 0x7FF)
            elif r < 0.9:
                c = rng.randint(0x800, 0xFFFF)
            else:
                c = rng.randint(0x10000, 0x10FFFF)
            if 0xD800 <= c <= 0xDFFF:  # lone surrogates are not UTF-8 encodable, in either library
                c = 0xFFFD
            chars.append(chr(c))
        out.append("".join(chars))
    return out


def test_murmurhash3_equals_sklearn_on_random_unicode() -> None:
    keys = _random_strings(5000, seed=1) + HARD_UNICODE + ["", "a", "ab", "abc", "abcd", "\x00", "\x00" * 7]
    for seed in (0, 1, 42, 2**31, 2**32 - 1):
        ours = [lexsim._core.murmurhash3_32(k, seed) for k in keys]
        theirs = [int(murmurhash3_32(k, seed=seed)) for k in keys]
        assert ours == theirs, seed
    # bytes are hashed as they are (also invalid UTF-8)
    raw = [bytes(random.Random(i).randrange(256) for _ in range(i % 23)) for i in range(2000)]
    assert [lexsim._core.murmurhash3_32(b) for b in raw] == [int(murmurhash3_32(b)) for b in raw]


def test_murmurhash3_covers_both_signs_and_all_tails() -> None:
    keys = _random_strings(3000, seed=2)
    values = [lexsim._core.murmurhash3_32(k) for k in keys]
    assert min(values) < -(2**30) and max(values) > 2**30
    assert {len(k.encode()) % 4 for k in keys} == {0, 1, 2, 3}


def test_words_hashing_to_minus_two_to_the_31() -> None:
    """A random string hashes to -2**31 with probability 2**-32, so searching a few million
    random strings would almost surely find none; running the hash backwards (see _murmur.py)
    finds word-like ones directly. scikit-learn confirms each."""
    words = list(word_preimages(MIN_HASH, ascii_prefixes(), 3)) + list(word_preimages(MIN_HASH, unicode_prefixes(), 2))
    assert len(words) == 5
    for w in words:
        assert murmurhash3_32(w) == MIN_HASH
        assert lexsim._core.murmurhash3_32(w) == MIN_HASH
    top = next(word_preimages(2**31 - 1, ascii_prefixes(), 1))
    assert murmurhash3_32(top) == lexsim._core.murmurhash3_32(top) == 2**31 - 1
    docs = [" ".join(words), f"{words[0]} {top} {words[3]} plain words", words[4]]
    for n in (1, 2, 3, 7, 1000, 2**20, 2**31 - 2):
        for alternate_sign in (True, False):
            kw = {"n_features": n, "norm": None, "alternate_sign": alternate_sign}
            X = H(**kw).transform(docs)
            assert_same(X, SkHashing(**kw).transform(docs))
            assert X[2, 2**31 % n] == (-1.0 if alternate_sign else 1.0)  # column 2**31 mod n, sign -1
            assert H(**kw).fit(docs)._hashing_options().n_features == n


# ----------------------------------------------------------------------------- threads


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"n_features": 2**4, "binary": True},
        {"ngram_range": (1, 2), "dtype": np.float32},
        {"analyzer": "char_wb", "ngram_range": (2, 3)},
        {"tokenizer": _my_tokenizer},
    ],
)
def test_identical_for_every_n_jobs(kwargs: dict) -> None:
    docs = read_sentences()[:20000] + HARD_UNICODE + read_news_seeds()[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = H(n_jobs=1, **kwargs).transform(docs)
        for n_jobs in (2, 3, -1):
            assert_identical(H(n_jobs=n_jobs, **kwargs).transform(docs), ref)


def test_the_first_bad_document_is_reported_whatever_the_threads() -> None:
    docs = ["good text"] * 5000 + [b"bad \xff one"] + ["more text"] * 5000 + [b"bad \xfe two"]
    for n_jobs in (1, 2, 3):
        with pytest.raises(lexsim.UnicodeError, match=r"document 5000: invalid UTF-8 at byte offset 4"):
            H(n_jobs=n_jobs).transform(docs)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery to self is POSIX")
def test_ctrl_c_stops_a_long_transform_within_a_second() -> None:
    docs = read_sentences() * 60
    vec = H(n_jobs=2)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        vec.transform(docs)
    elapsed = time.perf_counter() - start
    timer.join()
    assert elapsed < 0.3 + 1.0, f"took {elapsed:.2f} s to stop"
    assert vec.transform(docs[:5]).shape == (5, 2**20)


def test_the_gil_is_released() -> None:
    docs = read_sentences() * 10
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
    H().transform(docs)
    elapsed = time.perf_counter() - start
    stop.set()
    counter.join()
    assert ticks >= 0.2 * elapsed / 0.002  # a GIL held throughout would leave it near 0


# ----------------------------------------------------------------------------- scikit-learn API


def test_param_names_order_and_defaults_equal_sklearns() -> None:
    import inspect

    ours = [p for p in inspect.signature(H).parameters]
    theirs = [p for p in inspect.signature(SkHashing).parameters]
    assert ours[: len(theirs)] == theirs
    assert set(ours[len(theirs) :]) == LEXSIM_ONLY_PARAMS
    lp, sp_ = H().get_params(), SkHashing().get_params()
    assert set(lp) - set(sp_) == LEXSIM_ONLY_PARAMS
    for name in sp_:
        assert lp[name] == sp_[name] and type(lp[name]) is type(sp_[name]), name
    assert (
        lp["n_features"] == 2**20 and lp["alternate_sign"] is True and lp["norm"] == "l2" and lp["dtype"] is np.float64
    )
    assert (lp["normalization"], lp["casefold"], lp["stemmer"], lp["n_jobs"]) == (None, False, None, None)
    for cls in (H, SkHashing):  # keyword-only, as in scikit-learn
        with pytest.raises(TypeError):
            cls("content")


def test_set_params_clone_and_repr() -> None:
    v = H()
    assert v.set_params(n_features=2**8, alternate_sign=False, ngram_range=(1, 2), casefold=True) is v
    assert v.get_params()["n_features"] == 2**8
    c = clone(v)
    assert type(c) is H and c is not v and c.get_params() == v.get_params()
    assert repr(H()) == "HashingVectorizer()"
    assert repr(H(n_features=2**8, norm="l1")) == repr(SkHashing(n_features=2**8, norm="l1"))
    assert repr(H(n_jobs=2)) == "HashingVectorizer(n_jobs=2)"
    with pytest.raises(ValueError, match="Invalid parameter"):
        v.set_params(max_df=0.5)
    docs = corpus("news-seeds")
    assert_same(
        v.transform(docs),
        SkHashing(n_features=2**8, alternate_sign=False, ngram_range=(1, 2)).transform([d.casefold() for d in docs]),
    )


def test_stateless_transform_without_fit_and_fit_does_not_consume() -> None:
    docs = corpus("news-seeds")
    v = H()
    X = v.transform(docs)  # no fit, as in scikit-learn
    check_is_fitted(v)
    check_is_fitted(SkHashing())
    gen = (d for d in docs)
    assert v.fit(gen) is v
    assert v.partial_fit(docs) is v and SkHashing().partial_fit(docs) is not None
    assert_same(v.transform(gen), X)  # fit left the generator unconsumed
    assert_same(H().fit_transform(d for d in docs), X)
    assert_same(H().fit_transform(docs), SkHashing().fit_transform(docs))
    assert v.__dict__ == H().__dict__  # nothing was stored


def test_no_vocabulary_attributes_like_sklearn() -> None:
    for name in ("vocabulary_", "get_feature_names_out", "inverse_transform"):
        assert hasattr(H(), name) == hasattr(SkHashing(), name) is False, name
        with pytest.raises(AttributeError, match="hashes"):
            getattr(H().fit(["a b"]), name)
    # nor a model file (only fitted Count/Tfidf vectorizers have one): the parameters are all there is
    assert not hasattr(H(), "save")
    with pytest.raises(AttributeError, match="pickle it"):
        H().save("unused.lexsim")


def test_sklearn_tags_equal() -> None:
    ours, theirs = get_tags(H()), get_tags(SkHashing())
    assert ours.requires_fit is theirs.requires_fit is False
    assert ours.input_tags == theirs.input_tags
    assert ours.transformer_tags == theirs.transformer_tags
    assert ours.estimator_type == theirs.estimator_type
    assert not hasattr(H(), "set_output") and not hasattr(SkHashing(), "set_output")


def test_pickle_is_tiny_and_round_trips() -> None:
    docs = corpus("news-seeds")
    for v in (H(), H(n_features=2**10, ngram_range=(1, 2), stop_words="english", n_jobs=2), H(analyzer="char_wb")):
        X = v.transform(docs)
        blob = pickle.dumps(v)
        assert len(blob) < 1000  # just the parameters: nothing per document, no vocabulary
        w = pickle.loads(blob)
        assert w.get_params() == v.get_params()
        assert_identical(w.transform(docs), X)
        assert_identical(copy.deepcopy(v).transform(docs), X)
    assert len(pickle.dumps(H())) <= 2 * len(pickle.dumps(SkHashing()))


def test_build_analyzer_preprocessor_tokenizer_equal_sklearn() -> None:
    docs = HARD_UNICODE + corpus("news-seeds")
    for kw in (
        {},
        {"strip_accents": "unicode", "ngram_range": (1, 2)},
        {"analyzer": "char_wb", "ngram_range": (2, 3)},
        {"stop_words": "english", "lowercase": False},
    ):
        ours, theirs = H(**kw).build_analyzer(), SkHashing(**kw).build_analyzer()
        assert [ours(d) for d in docs] == [theirs(d) for d in docs], kw
    assert H().build_preprocessor()("ÇAVUŞOĞLU") == SkHashing().build_preprocessor()("ÇAVUŞOĞLU")
    assert H().build_tokenizer()("a bb ccc") == SkHashing().build_tokenizer()("a bb ccc")
    assert H(stop_words="english").get_stop_words() == SkHashing(stop_words="english").get_stop_words()


def test_pipeline_with_tfidf_transformer_and_a_classifier() -> None:
    docs = corpus("sentences")[:4000]
    y = np.array([("love" in d.lower() or "good" in d.lower()) for d in docs], dtype=int)
    ours = make_pipeline(
        H(n_features=2**16, alternate_sign=False), TfidfTransformer(), LogisticRegression(max_iter=200)
    )
    theirs = make_pipeline(
        SkHashing(n_features=2**16, alternate_sign=False), TfidfTransformer(), LogisticRegression(max_iter=200)
    )
    np.testing.assert_array_equal(ours.fit(docs, y).predict(docs[:500]), theirs.fit(docs, y).predict(docs[:500]))


def test_sparse_interface_sparray() -> None:
    if "sparse_interface" not in sklearn.get_config():
        pytest.skip("this scikit-learn has no sparse_interface config")
    with sklearn.config_context(sparse_interface="sparray"):
        X, Y = H().transform(["a bb", "cc dd ee"]), SkHashing().transform(["a bb", "cc dd ee"])
        assert isinstance(X, sp.csr_array)
        assert_same(X, Y)
    assert isinstance(H().transform(["a bb"]), sp.csr_matrix)


def test_result_is_the_cores_buffers() -> None:
    X = H().transform(corpus("news-seeds"))
    for arr in (X.data, X.indices, X.indptr):
        assert not arr.flags.owndata
        base = arr
        while getattr(base, "base", None) is not None:
            base = base.base
        assert type(base).__name__ == "PyCapsule"
    assert X.has_sorted_indices and X.has_canonical_format


# ----------------------------------------------------------------------------- inputs and dtypes


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int16, np.complex128, bool, np.float64, np.float32])
@pytest.mark.parametrize("norm", [None, "l2"])
def test_dtypes_equal_sklearn(dtype, norm) -> None:
    docs = corpus("news-seeds") + HARD_UNICODE
    kw = {"dtype": dtype, "norm": norm, "n_features": 2**6}
    if dtype is np.complex128 and norm is not None:
        with pytest.raises(ValueError, match="Complex data not supported"):
            SkHashing(**kw).transform(docs)
        with pytest.raises(ValueError, match="Complex data not supported"):
            H(**kw).transform(docs)
        return
    assert_same(H(**kw).transform(docs), SkHashing(**kw).transform(docs))


def test_unsigned_and_narrow_dtypes_never_wrap() -> None:
    docs = ["a bb cc dd", "ee ff"]
    with pytest.raises(OverflowError):  # scikit-learn, on the first negative value
        SkHashing(dtype=np.uint8, norm=None).transform(docs * 3)
    with pytest.raises(ValueError, match="negative values"):
        H(dtype=np.uint8, norm=None).transform(docs)
    assert_same(
        H(dtype=np.uint8, norm=None, alternate_sign=False).transform(docs),
        SkHashing(dtype=np.uint8, norm=None, alternate_sign=False).transform(docs),
    )
    with pytest.raises(ValueError, match="cannot hold the counts"):
        H(dtype=np.int8, norm=None, alternate_sign=False).transform(["word " * 200])
    for bad, exc in ((np.float16, ValueError), ("not a dtype", TypeError), (object, ValueError), (np.str_, ValueError)):
        with pytest.raises(exc):
            H(dtype=bad).transform(docs)


def test_bytes_files_and_encodings_equal_sklearn(tmp_path) -> None:
    texts = corpus("news-seeds")[:3] + ["Straße café Erdoğan"]
    assert_same(H().transform([t.encode() for t in texts]), SkHashing().transform([t.encode() for t in texts]))
    latin = ["café naïve crème", "ÉTÉ à Paris"]
    kw = {"encoding": "latin-1"}
    assert_same(
        H(**kw).transform([t.encode("latin-1") for t in latin]),
        SkHashing(**kw).transform([t.encode("latin-1") for t in latin]),
    )
    paths = []
    for i, t in enumerate(texts):
        p = tmp_path / f"{i}.txt"
        p.write_text(t, encoding="utf-8")
        paths.append(str(p))
    assert_same(H(input="filename").transform(paths), SkHashing(input="filename").transform(paths))
    assert_same(
        H(input="file").transform([io.StringIO(t) for t in texts]),
        SkHashing(input="file").transform([io.StringIO(t) for t in texts]),
    )
    for mode in ("replace", "ignore"):
        raw = [b"caf\xc3\xa9 na\xefve \xff\xfe end", b"plain words"]
        assert_same(H(decode_error=mode).transform(raw), SkHashing(decode_error=mode).transform(raw))


def test_callable_analyzer_terms_str_bytes_and_others() -> None:
    docs = ["one two", "three"]

    def with_bytes(d: str) -> list:
        return [d.encode(), d, d.upper().encode("utf-16-le")]

    assert_same(H(analyzer=with_bytes).transform(docs), SkHashing(analyzer=with_bytes).transform(docs))

    def with_ints(d: str) -> list:
        return ["ok", 3]

    with pytest.raises(TypeError, match="feature names must be strings"):
        SkHashing(analyzer=with_ints).transform(docs)
    with pytest.raises(TypeError, match=r"feature names must be strings: term 1 of document 0 is int"):
        H(analyzer=with_ints).transform(docs)

    def with_generator(d: str):
        return (w for w in d.split())

    assert_same(H(analyzer=with_generator).transform(docs), SkHashing(analyzer=with_generator).transform(docs))


@pytest.mark.parametrize("n_features", [0, -1, 2**31 - 1, 2**31, 1.5, "3", None, 2.0**10])
def test_bad_n_features_raise_like_sklearn(n_features) -> None:
    with pytest.raises(
        ValueError,
        match=r"The 'n_features' parameter of HashingVectorizer must be an int in the range \[1, 2147483647\)",
    ):
        SkHashing(n_features=n_features).fit(["a"])
    with pytest.raises(
        ValueError,
        match=r"The 'n_features' parameter of HashingVectorizer must be an int in the range \[1, 2147483647\)",
    ):
        H(n_features=n_features).fit(["a"])
    with pytest.raises(ValueError, match="n_features"):
        H(n_features=n_features).transform(["a"])  # transform validates too


def test_valid_extreme_n_features() -> None:
    for n in (1, np.int64(5), 2**31 - 2):
        assert_same(
            H(n_features=n).fit_transform(["aa bb cc", "dd"]), SkHashing(n_features=n).fit_transform(["aa bb cc", "dd"])
        )


@pytest.mark.parametrize(
    "params, exc, match",
    [
        ({"norm": "l3"}, ValueError, "norm"),
        ({"alternate_sign": "yes"}, TypeError, "alternate_sign"),
        ({"binary": 1}, TypeError, "binary"),
        ({"analyzer": "chars"}, ValueError, "analyzer"),
        ({"ngram_range": (2, 1)}, ValueError, "ngram_range"),
        ({"input": "url"}, ValueError, "input"),
        ({"n_jobs": 0}, ValueError, "n_jobs"),
        ({"stemmer": "klingon"}, ValueError, "stemmer"),
        ({"stop_words": "french"}, ValueError, "stop list"),
    ],
)
def test_invalid_parameters_raise_naming_them(params, exc, match) -> None:
    v = H(**params)  # construction never validates, as in scikit-learn
    for call in (v.fit, v.transform, v.fit_transform, v.partial_fit):
        with pytest.raises(exc, match=match):
            call(["some text"])


@pytest.mark.parametrize(
    "docs, exc, match",
    [
        ("a bare string", ValueError, "string object received"),
        (b"bare bytes", ValueError, "string object received"),
        ([], ValueError, "Cannot vectorize empty sequence"),
        (["ok", None], TypeError, r"document 1 is NoneType"),
        (["ok", 3.5], TypeError, r"document 1 is float"),
        (["ok", float("nan")], ValueError, r"np.nan is an invalid document"),
        ([b"fine", b"bad \xff byte"], lexsim.UnicodeError, r"document 1: invalid UTF-8 at byte offset 4"),
        (["ok", "lone \ud800 surrogate"], ValueError, r"document 1 .*lone surrogate"),
        (5, TypeError, "Iterable over raw text documents expected"),
    ],
)
def test_bad_documents_raise_naming_the_problem(docs, exc, match) -> None:
    with pytest.raises(exc, match=match):
        H().fit_transform(docs)


def test_bad_documents_on_the_python_analysis_path() -> None:
    with pytest.raises(TypeError, match=r"document 1 is NoneType"):
        H(tokenizer=str.split, token_pattern=None).transform(["ok", None])
    with pytest.raises(ValueError, match=r"term 0 of document 1 is not encodable"):
        H(analyzer=lambda d: [d]).transform(["ok", "lone \ud800"])

"""Arrow input: pyarrow arrays, polars Series and pandas' Arrow-backed strings are read from their
buffers, give exactly what the same documents in a list give, and make no str per document."""

from __future__ import annotations

import gc
import pathlib
import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")

from conftest import HARD_UNICODE, read_news_seeds, read_sentences  # noqa: E402

import lexsim  # noqa: E402
from lexsim import _core  # noqa: E402


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return read_sentences()


def _identical(a: sp.spmatrix, b: sp.spmatrix) -> None:
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


def _chunked(texts: list[str], typ) -> object:
    # uneven chunks, an empty one among them, each a slice of a larger array (non-zero offsets)
    whole = pa.array(["before"] + texts + ["after"], typ)
    cuts = [0, 1, len(texts) // 3, len(texts) // 3, len(texts)]
    return pa.chunked_array([whole.slice(1 + a, b - a) for a, b in zip(cuts, cuts[1:])], typ)


# Every kind of Arrow-backed input, made from a list of str.
MAKERS = {
    "pa.string": lambda t: pa.array(t, pa.string()),
    "pa.large_string": lambda t: pa.array(t, pa.large_string()),
    "pa.string_view": lambda t: pa.array(t, pa.string_view()),
    "pa.chunked string": lambda t: _chunked(t, pa.string()),
    "pa.chunked large_string": lambda t: _chunked(t, pa.large_string()),
    "pa.chunked string_view": lambda t: _chunked(t, pa.string_view()),
    "pa.sliced": lambda t: pa.array(["x"] * 3 + t + ["y"] * 2).slice(3, len(t)),
    "pa.dictionary": lambda t: pa.array(t).dictionary_encode(),
    "polars": lambda t: pl.Series(t),
    "polars rechunked": lambda t: pl.concat([pl.Series(t[: len(t) // 2]), pl.Series(t[len(t) // 2 :])], rechunk=False),
    "polars Categorical": lambda t: pl.Series(t, dtype=pl.Categorical),
    "pandas Index str": lambda t: pd.Index(t, dtype="str"),
    "pandas str": lambda t: pd.Series(t, dtype="str"),
    "pandas string[pyarrow]": lambda t: pd.Series(t, dtype="string[pyarrow]"),
    "pandas ArrowDtype": lambda t: pd.Series(t, dtype=pd.ArrowDtype(pa.string())),
    "pandas ArrowDtype large": lambda t: pd.Series(t, dtype=pd.ArrowDtype(pa.large_string())),
}


class StreamOnly:
    """A producer that is neither pyarrow nor polars: only the PyCapsule stream protocol."""

    def __init__(self, data) -> None:
        self._data = data

    def __arrow_c_stream__(self, requested_schema=None):
        return self._data.__arrow_c_stream__(requested_schema)


class ArrayOnly:
    """Only the PyCapsule array protocol."""

    def __init__(self, data) -> None:
        self._data = data

    def __arrow_c_array__(self, requested_schema=None):
        return self._data.__arrow_c_array__(requested_schema)


def test_pandas_series_of_str_is_arrow_backed_here() -> None:
    # The default the issue is about: pandas 3 with pyarrow stores str Series as Arrow strings.
    if int(pd.__version__.split(".")[0]) < 3:
        pytest.skip(f"pandas {pd.__version__}: str Series are object arrays before pandas 3")
    assert lexsim._arrow.arrow_source(pd.Series(["a", "b"])) is not None


CASES = [(lexsim.TfidfVectorizer, {}), (lexsim.CountVectorizer, {"ngram_range": (1, 2), "min_df": 2})]


@pytest.fixture(scope="module")
def reference(sentences: list[str]) -> list:
    """What the list of str gives: (feature names, matrix) per case, and the hashed matrix."""
    out = []
    for cls, kw in CASES:
        vec = cls(**kw)
        X = vec.fit_transform(sentences)
        out.append((list(vec.get_feature_names_out()), X))
    out.append(lexsim.HashingVectorizer(n_features=2**18).transform(sentences))
    return out


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_every_arrow_input_equals_the_list_on_the_sentences(kind: str, sentences: list[str], reference: list) -> None:
    docs = MAKERS[kind](sentences)
    assert len(_core.ArrowDocuments(lexsim._arrow.arrow_source(docs))) == len(sentences)
    for (cls, kw), (names, want) in zip(CASES, reference):
        vec = cls(**kw)
        _identical(vec.fit_transform(docs), want)
        assert list(vec.get_feature_names_out()) == names
        _identical(vec.transform(docs), want)
        _identical(cls(**kw).fit(docs).transform(sentences), want)
    _identical(lexsim.HashingVectorizer(n_features=2**18).fit_transform(docs), reference[-1])


@pytest.mark.parametrize("kind", ["pa.chunked string_view", "polars", "pandas str"])
def test_partial_fit_and_n_jobs_on_arrow_equal_the_list(kind: str, sentences: list[str]) -> None:
    half = len(sentences) // 2
    a, b = MAKERS[kind](sentences[:half]), MAKERS[kind](sentences[half:])
    ref = lexsim.TfidfVectorizer(min_df=2).partial_fit(sentences[:half]).partial_fit(sentences[half:])
    vec = lexsim.TfidfVectorizer(min_df=2, n_jobs=2).partial_fit(a).partial_fit(b)
    assert list(vec.get_feature_names_out()) == list(ref.get_feature_names_out())
    assert np.array_equal(vec.idf_, ref.idf_)
    _identical(vec.transform(MAKERS[kind](sentences)), ref.transform(sentences))


def test_news_seeds_with_the_analyst_options(tmp_path: pathlib.Path) -> None:
    _, texts = read_news_seeds()
    kw = dict(strip_accents="unicode", stop_words="english", sublinear_tf=True, normalization="NFKC", casefold=True)
    want = lexsim.TfidfVectorizer(**kw).fit_transform(texts)
    for kind in ("pa.string_view", "polars", "pandas str", "pa.dictionary"):
        _identical(lexsim.TfidfVectorizer(**kw).fit_transform(MAKERS[kind](texts)), want)


@pytest.mark.parametrize(
    "kw",
    [
        {"analyzer": lambda d: d.lower().split()},
        {"preprocessor": lambda d: d.upper()},
        {"tokenizer": str.split, "token_pattern": None},
        {"token_pattern": r"[a-z]{3,}(?=\s)"},  # not a pattern the core runs
        {"strip_accents": lambda d: d.replace("é", "e")},
        {"analyzer": "char_wb", "ngram_range": (2, 3), "preprocessor": str.lower},
    ],
)
def test_python_side_analysis_reads_arrow_too(kw: dict, sentences: list[str]) -> None:
    docs = sentences[:3000] + HARD_UNICODE
    want = lexsim.CountVectorizer(**kw).fit_transform(docs)
    for kind in ("pa.large_string", "polars", "pandas str"):
        _identical(lexsim.CountVectorizer(**kw).fit_transform(MAKERS[kind](docs)), want)
    hashed = lexsim.HashingVectorizer(**kw).transform(docs)
    _identical(lexsim.HashingVectorizer(**kw).transform(pa.array(docs, pa.string_view())), hashed)


@pytest.mark.parametrize(
    "wrap",
    [lambda d: StreamOnly(_chunked(d, pa.string_view())), lambda d: ArrayOnly(pa.array(d, pa.string_view()))],
    ids=["stream", "array"],
)
def test_any_producer_of_the_pycapsule_protocol(wrap, sentences: list[str]) -> None:
    docs = sentences[:5000]
    source = wrap(docs)
    _identical(lexsim.TfidfVectorizer().fit_transform(source), lexsim.TfidfVectorizer().fit_transform(docs))


def _peak_traced_bytes(fn) -> int:
    """The most memory Python's allocators held during fn(), above what they held before."""
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "kind", ["pa.string", "pa.chunked string_view", "polars", "pandas str", "pandas string[pyarrow]"]
)
def test_no_str_is_made_per_document(kind: str, sentences: list[str]) -> None:
    docs = MAKERS[kind](sentences)
    n = len(sentences)
    assert n >= 50_000
    vec = lexsim.TfidfVectorizer().fit(sentences[:100])  # imports and first-call set-up done
    # A str costs at least 49 bytes; the Arrow path allocates less than one byte per document
    # through Python (tracemalloc sees Python's allocators and numpy's, not the core's).
    assert _peak_traced_bytes(lambda: vec.fit_transform(docs)) < n
    assert _peak_traced_bytes(lambda: lexsim.HashingVectorizer().transform(docs)) < n
    # The measurement would see them: making the documents' str objects in the call is caught.
    control = _peak_traced_bytes(
        lambda: vec.fit_transform(_core.ArrowDocuments(lexsim._arrow.arrow_source(docs)).to_list())
    )
    assert control > 49 * n


def test_an_object_series_still_goes_through_python(sentences: list[str]) -> None:
    # exporting it to Arrow would be a conversion: it is read as a sequence of str, as before
    s = pd.Series(sentences[:100], dtype=object)
    assert lexsim._arrow.arrow_source(s) is None
    _identical(lexsim.CountVectorizer().fit_transform(s), lexsim.CountVectorizer().fit_transform(sentences[:100]))


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "docs, at",
    [
        (lambda: pa.array(["ok", "fine", None]), 2),
        (lambda: pa.chunked_array([["a b", "c d"], ["e f", None]], pa.large_string()), 3),
        (lambda: pa.array(["ok", None, "x" * 40], pa.string_view()), 1),
        (lambda: pa.array(["zero", None, "two", "three"]).slice(1), 0),
        (lambda: pa.array(["ok", None, "ok"]).dictionary_encode(), 1),
        (lambda: pl.Series(["ok", "fine", None]), 2),
        (lambda: pd.Series(["ok", None, "fine"], dtype="str"), 1),
        (lambda: pd.Series(["ok", "fine", None], dtype=pd.ArrowDtype(pa.string())), 2),
    ],
)
def test_a_null_is_a_value_error_naming_the_document(docs, at: int) -> None:
    for call in (
        lexsim.TfidfVectorizer().fit_transform,
        lexsim.HashingVectorizer().transform,
        lexsim.CountVectorizer(analyzer=lambda d: d.split()).fit,
    ):
        with pytest.raises(ValueError, match=rf"^document {at} is null"):
            call(docs())


@pytest.mark.parametrize(
    "docs, name",
    [
        (lambda: pa.array([1, 2, 3]), "int64"),
        (lambda: pa.array([1.5]), "float64"),
        (lambda: pa.array([["a"], ["b"]]), "list"),
        (lambda: pa.table({"text": ["a b"]}), r"struct \(a table or record batch\? pass one of its columns\)"),
        (lambda: pl.Series([1, 2]), "int64"),
        (lambda: pl.DataFrame({"text": ["a b"]}), "struct"),
        (lambda: pd.Series([1, 2], dtype=pd.ArrowDtype(pa.int32())), "int32"),
        (lambda: pa.array([1, 2, 1]).dictionary_encode(), "dictionary of int64"),
    ],
)
def test_another_arrow_type_is_a_type_error_naming_it(docs, name: str) -> None:
    with pytest.raises(TypeError, match=rf"got Arrow type {name}"):
        lexsim.TfidfVectorizer().fit_transform(docs())


def _as_string(binary, typ):
    """Arrow strings holding whatever bytes (a producer may lie about UTF-8)."""
    return binary.view(typ)


@pytest.mark.parametrize("typ", ["string", "large_string", "string_view"])
def test_invalid_utf8_in_arrow_strings_is_handled_as_bytes_are(typ: str) -> None:
    raw = [b"ok fine", b"caf\xe9 good", b"long enough to be out of line \xff here"]
    binary_type = {"string": pa.binary(), "large_string": pa.large_binary(), "string_view": pa.binary_view()}[typ]
    docs = _as_string(pa.array(raw, binary_type), getattr(pa, typ)())
    with pytest.raises(lexsim.UnicodeError, match=r"document 1: invalid UTF-8 at byte offset 3") as info:
        lexsim.CountVectorizer().fit_transform(docs)
    assert info.value.document == 1 and info.value.byte_offset == 3
    for mode in ("replace", "ignore"):
        want = lexsim.CountVectorizer(decode_error=mode).fit(raw)
        got = lexsim.CountVectorizer(decode_error=mode).fit(docs)
        assert list(got.get_feature_names_out()) == list(want.get_feature_names_out())
        # and the Python-side analysis decodes the same way
        py = lexsim.CountVectorizer(decode_error=mode, preprocessor=str.lower).fit(docs)
        assert list(py.get_feature_names_out()) == list(want.get_feature_names_out())
    with pytest.raises(UnicodeDecodeError, match=r"\(document 1, byte offset 3\)"):
        lexsim.CountVectorizer(preprocessor=str.lower).fit(docs)


def test_binary_arrays_are_bytes_documents() -> None:
    raw = [b"Erdo\xc4\x9fan met Putin", b"caf\xe9 ol\xe9", b"plain"]
    for typ in (pa.binary(), pa.large_binary(), pa.binary_view()):
        docs = pa.array(raw, typ)
        for kw in ({"decode_error": "replace"}, {"encoding": "latin-1"}, {"encoding": "latin-1", "analyzer": "char"}):
            _identical(
                lexsim.CountVectorizer(**kw).fit_transform(docs), lexsim.CountVectorizer(**kw).fit_transform(raw)
            )
        with pytest.raises(lexsim.UnicodeError, match="document 1"):
            lexsim.CountVectorizer().fit(docs)


def test_damaged_buffers_are_a_value_error_not_a_crash() -> None:
    offsets = pa.py_buffer(np.array([0, 5, 3, 8], dtype=np.int32))
    data = pa.py_buffer(b"abcdefgh")
    bad = pa.Array.from_buffers(pa.string(), 3, [None, offsets, data])
    with pytest.raises(ValueError, match=r"damaged Arrow data: the offsets decrease at document 1"):
        lexsim.TfidfVectorizer().fit_transform(bad)
    # a view that points past its data buffer
    good = pa.array(["x" * 20, "y" * 30], pa.string_view())
    views = bytearray(good.buffers()[1].to_pybytes())
    views[16 + 12 : 16 + 16] = np.int32(100).tobytes()  # document 1's offset in its buffer
    bad_view = pa.Array.from_buffers(pa.string_view(), 2, [None, pa.py_buffer(bytes(views)), good.buffers()[2]])
    with pytest.raises(ValueError, match=r"damaged Arrow data: document 1 points past its data buffer"):
        lexsim.TfidfVectorizer().fit_transform(bad_view)


def test_empty_arrow_input_is_what_an_empty_list_is() -> None:
    for empty in (pa.array([], pa.string()), pa.chunked_array([], pa.string_view()), pl.Series([], dtype=pl.String)):
        with pytest.raises(ValueError, match="empty vocabulary"):
            lexsim.TfidfVectorizer().fit(empty)
        with pytest.raises(ValueError, match="Cannot vectorize empty sequence"):
            lexsim.HashingVectorizer().transform(empty)
        vec = lexsim.TfidfVectorizer().fit(["a fitted vocabulary"])
        assert vec.transform(empty).shape == vec.transform([]).shape


def test_the_buffers_outlive_the_caller_s_objects(sentences: list[str]) -> None:
    # ArrowDocuments owns what it exported: dropping every Python reference to the producer's
    # objects leaves its views valid (the release callbacks run only when it goes).
    docs = _core.ArrowDocuments(pl.Series(sentences[:2000]))
    gc.collect()
    want = lexsim.CountVectorizer().fit_transform(sentences[:2000])
    engine = _core.CountVectorizer(lexsim.CountVectorizer()._count_options(_core.CountOptions(), True))
    from lexsim._sparse import csr_from_buffers

    _identical(csr_from_buffers(engine.fit_transform(docs, "int64")), want)


# ----------------------------------------------------------------------------- the other readers


def test_term_occurrences_key_terms_and_search_take_arrow(sentences: list[str]) -> None:
    docs = sentences[:4000]
    vec = lexsim.CountVectorizer(stop_words="english").fit(docs)
    for kind in ("pa.string_view", "polars", "pandas str"):
        arrow = MAKERS[kind](docs)
        a, b = lexsim.term_occurrences(vec, arrow), lexsim.term_occurrences(vec, docs)
        _identical(a.counts, b.counts)
        assert np.array_equal(a.first, b.first) and np.array_equal(a.lengths, b.lengths)
        assert lexsim.key_terms(vec, arrow, n=3)[:50] == lexsim.key_terms(vec, docs, n=3)[:50]
    from sklearn.feature_extraction.text import CountVectorizer as SkCount

    sk = SkCount().fit(docs)
    _identical(lexsim.term_occurrences(sk, pa.array(docs)).counts, lexsim.term_occurrences(sk, docs).counts)

    tfidf = lexsim.TfidfVectorizer().fit(docs)
    queries = ["the film was good", "united nations resolution", "call me later"]
    for scoring in ("cosine", "bm25"):
        want = lexsim.SearchIndex(tfidf, documents=docs, scoring=scoring)
        got = lexsim.SearchIndex(tfidf, documents=pa.array(docs, pa.large_string()), scoring=scoring)
        assert [list(h) for h in got.search_batch(pa.array(queries))] == [list(h) for h in want.search_batch(queries)]
        assert [list(h) for h in got.search_batch(pl.Series(queries))] == [list(h) for h in want.search_batch(queries)]


def test_dask_partitions_with_arrow_strings_are_read_in_place(sentences: list[str]) -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    import lexsim.dask as ldask

    docs = sentences[:3000]
    frame = dd.from_pandas(pd.DataFrame({"text": pd.Series(docs, dtype="string[pyarrow]")}), npartitions=3)
    part = frame["text"].partitions[0].compute()
    assert ldask._as_list(part) is part  # given to the vectorizer as it is, not as a list of str
    with dask.config.set(scheduler="synchronous"):
        vec = ldask.TfidfVectorizer().fit(frame["text"])
        X = vec.transform(frame["text"]).compute()
    ref = lexsim.TfidfVectorizer()
    _identical(X, ref.fit_transform(docs))
    assert list(vec.get_feature_names_out()) == list(ref.get_feature_names_out())


def test_input_filename_reads_the_files_an_arrow_array_names(tmp_path: pathlib.Path) -> None:
    paths = []
    for i, text in enumerate(["Erdogan met Putin", "Putin met Assad"]):
        p = tmp_path / f"{i}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    want = lexsim.CountVectorizer(input="filename").fit_transform(paths)
    _identical(lexsim.CountVectorizer(input="filename").fit_transform(pa.array(paths)), want)

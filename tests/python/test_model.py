"""Model files (lexsim.model, vectorizer.save, lexsim.load): a loaded model transforms bit for bit
like the saved one with the same get_params(); the bytes are the documented layout; damaged,
foreign, truncated, crafted and future files are refused with a reason and never executed; saving
is atomic; pickles carry the same model bytes."""

from __future__ import annotations

import json
import os
import pickle
import struct
import subprocess
import sys
import threading
import zlib

import numpy as np
import pytest
from conftest import HARD_UNICODE, read_news_seeds, read_sentences

import lexsim
from lexsim import _core
from lexsim.model import FORMAT_VERSION, MAGIC, deserialize, load, load_model, save, save_model, serialize


@pytest.fixture(scope="module")
def texts() -> list:
    return read_news_seeds()[1] + read_sentences()[:2000] + HARD_UNICODE


# ----------------------------------------------------------------------------- the layout, read here
def parse(data: bytes) -> tuple[int, list[tuple[bytes, int, bytes]]]:
    """(version, [(tag, flags, payload)]) by the documented layout, checking size and checksum."""
    assert data[:8] == MAGIC == b"\x89LXM\r\n\x1a\n"
    version, total = struct.unpack_from("<IQ", data, 8)
    assert total == len(data)
    assert struct.unpack_from("<I", data, len(data) - 4)[0] == zlib.crc32(data[:-4])
    sections, pos = [], 20
    while pos < len(data) - 4:
        tag, flags, length = struct.unpack_from("<4sIQ", data, pos)
        sections.append((tag, flags, data[pos + 16 : pos + 16 + length]))
        pos += 16 + length
    assert pos == len(data) - 4
    return version, sections


def build(sections: list, version: int = FORMAT_VERSION) -> bytes:
    """A model from sections, with a correct size and checksum: only the content can be wrong."""
    body = b"".join(struct.pack("<4sIQ", tag, flags, len(payload)) + payload for tag, flags, payload in sections)
    head = MAGIC + struct.pack("<IQ", version, 20 + len(body) + 4)
    return head + body + struct.pack("<I", zlib.crc32(head + body))


def edit(data: bytes, tag: bytes, change) -> bytes:
    version, sections = parse(data)
    return build([(t, f, change(p) if t == tag else p) for t, f, p in sections], version)


def terms_of(payload: bytes) -> list:
    (n,) = struct.unpack_from("<Q", payload, 0)
    lengths = struct.unpack_from(f"<{n}I", payload, 8)
    out, pos = [], 8 + 4 * n
    for length in lengths:
        out.append(payload[pos : pos + length].decode("utf-8"))
        pos += length
    return out


def metadata_of(data: bytes) -> dict:
    return json.loads(dict((t, p) for t, _, p in parse(data)[1])[b"META"])


# ----------------------------------------------------------------------------- round trips
COMMON = [
    dict(),
    dict(strip_accents="unicode", stop_words="english"),
    dict(stemmer="english", stop_words="english", strip_accents="unicode"),
    dict(stemmer="tr", lowercase=True),
    dict(analyzer="char_wb", ngram_range=(2, 4)),
    dict(analyzer="char", ngram_range=(1, 3), decode_error="replace"),
    dict(ngram_range=(1, 2), min_df=2, max_df=0.8, max_features=3000),
    dict(min_df=0.001, max_df=0.5),
    dict(min_df=3, max_df=400, binary=True),
    dict(normalization="NFKC", casefold=True, strip_accents="ascii", lowercase=False),
    dict(normalization="NFC", lowercase=False),
    dict(token_pattern=r"(?u)\b\w+\b"),
    dict(token_pattern=r"[A-Za-z']+", stop_words=["the", "and", "of"]),  # a pattern run by Python's re
    dict(stop_words={"the", "and", "of"}),
    dict(stop_words=("the", "and", "the")),
    dict(stop_words=frozenset({"a"})),
    dict(vocabulary=["putin", "erdogan", "assad", "idlib", "film", "zzz-unseen"]),
    dict(vocabulary={"putin": 2, "erdogan": 0, "assad": 1}),
    dict(vocabulary={"putin", "erdogan", "assad"}),
    dict(vocabulary=("putin", "erdogan")),
    dict(n_jobs=2),
    dict(n_jobs=-1, encoding="latin-1"),
]
TFIDF_ONLY = [
    dict(use_idf=False),
    dict(norm=None, smooth_idf=False),
    dict(norm="l1", sublinear_tf=True),
    dict(dtype=np.float32, sublinear_tf=True),
    dict(dtype="float32", analyzer="char_wb", ngram_range=(3, 5)),
    dict(dtype=np.dtype("float32"), use_idf=False, norm="l1"),
    dict(dtype=float, stop_words="english"),
    dict(vocabulary=["putin", "zzz-unseen"], smooth_idf=False, norm=None),  # an infinite idf
]
COUNT_ONLY = [
    dict(dtype=np.int32),
    dict(dtype=np.float32, binary=True),
    dict(dtype="int64"),
    dict(dtype=np.float64, ngram_range=(2, 2)),
    dict(dtype=int),
]
CASES = [(lexsim.TfidfVectorizer, p) for p in COMMON + TFIDF_ONLY] + [
    (lexsim.CountVectorizer, p) for p in COMMON + COUNT_ONLY
]


def _id(case) -> str:
    cls, params = case
    return cls.__name__[:5] + ":" + (",".join(f"{k}={v}" for k, v in params.items())[:70] or "defaults")


def assert_same_vectorizer(loaded, vec, docs_sets) -> None:
    assert type(loaded) is type(vec)
    assert loaded.get_params() == vec.get_params()
    assert loaded.vocabulary_ == vec.vocabulary_
    assert loaded.fixed_vocabulary_ == vec.fixed_vocabulary_
    assert loaded.get_feature_names_out().tolist() == vec.get_feature_names_out().tolist()
    for docs in docs_sets:
        a, b = vec.transform(docs), loaded.transform(docs)
        assert a.dtype == b.dtype and a.shape == b.shape
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
        assert a.data.tobytes() == b.data.tobytes()  # bit for bit
    if isinstance(vec, lexsim.TfidfVectorizer):
        if vec.use_idf:
            assert loaded.idf_.dtype == vec.idf_.dtype and loaded.idf_.tobytes() == vec.idf_.tobytes()
        else:
            assert not hasattr(loaded, "idf_")


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_a_loaded_model_transforms_exactly_like_the_saved_one(tmp_path, texts, case) -> None:
    cls, params = case
    vec = cls(**params)
    fitted_on, unseen = texts[:1500], texts[1500:]
    if vec.get_params()["encoding"] != "utf-8":
        fitted_on, unseen = (
            [t.encode("latin-1", "replace") for t in fitted_on],
            [t.encode("latin-1", "replace") for t in unseen],
        )
    vec.fit(fitted_on)
    path = tmp_path / "m.lexsim"
    vec.save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["m.lexsim"]
    assert path.read_bytes() == serialize(vec)
    for loaded in (
        load(path),
        lexsim.load(str(path)),
        load(os.fsencode(path)),
        deserialize(serialize(vec)),
        deserialize(bytearray(serialize(vec))),
        deserialize(memoryview(serialize(vec))),
        load_model(path),
    ):
        assert_same_vectorizer(loaded, vec, (fitted_on, unseen))
    # Saving what was loaded gives the same bytes.
    assert serialize(load(path)) == path.read_bytes()


def test_input_filename_and_file_models_read_their_documents(tmp_path) -> None:
    docs = []
    for i, text in enumerate(["Putin met Erdogan", "Erdoğan met Assad", "Idlib talks"]):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
        docs.append(str(tmp_path / f"{i}.txt"))
    for input in ("filename", "file"):
        vec = lexsim.TfidfVectorizer(input=input, strip_accents="unicode")
        opened = lambda: docs if input == "filename" else [open(d, "rb") for d in docs]  # noqa: E731
        vec.fit(opened())
        vec.save(tmp_path / "m.lexsim")
        loaded = lexsim.load(tmp_path / "m.lexsim")
        assert loaded.input == input
        assert (loaded.transform(opened()) != vec.transform(opened())).nnz == 0


def test_a_hand_set_idf_survives(tmp_path) -> None:
    for dtype in (np.float64, np.float32):
        vec = lexsim.TfidfVectorizer(dtype=dtype).fit(["a bb cc", "bb dd", "cc dd ee"])
        vec.idf_ = np.linspace(1.0, 3.0, len(vec.idf_))
        loaded = deserialize(serialize(vec))
        assert loaded.idf_.tobytes() == vec.idf_.tobytes()
        assert loaded.transform(["bb cc ee"]).data.tobytes() == vec.transform(["bb cc ee"]).data.tobytes()
        vec.idf_ = vec.idf_  # equal to the computed values, but set by hand: float32 rounds the float64 idf
        loaded = deserialize(serialize(vec))
        assert loaded.transform(["bb cc ee"]).data.tobytes() == vec.transform(["bb cc ee"]).data.tobytes()


def test_a_fixed_vocabulary_count_vectorizer_saves_without_fit(tmp_path) -> None:
    vec = lexsim.CountVectorizer(vocabulary=["apple", "pear"])
    vec.save(tmp_path / "m.lexsim")
    loaded = lexsim.load(tmp_path / "m.lexsim")
    assert loaded.transform(["apple pear pear"]).toarray().tolist() == [[1, 2]]
    assert loaded.get_params() == vec.get_params() and loaded.fixed_vocabulary_


def test_models_load_from_many_threads_at_once(tmp_path, texts) -> None:
    vec = lexsim.TfidfVectorizer(ngram_range=(1, 2)).fit(texts[:500])
    vec.save(tmp_path / "m.lexsim")
    expected = vec.transform(texts[500:700])
    results: list = [None] * 8

    def work(i: int) -> None:
        results[i] = lexsim.load(tmp_path / "m.lexsim").transform(texts[500:700])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r is not None and (r != expected).nnz == 0 for r in results)


# ----------------------------------------------------------------------------- the layout
def test_the_file_is_the_documented_layout(tmp_path) -> None:
    vec = lexsim.TfidfVectorizer(stop_words=["met"], dtype=np.float32).fit(["Erdoğan met Putin", "Putin met Assad"])
    vec.save(tmp_path / "m.lexsim")
    data = (tmp_path / "m.lexsim").read_bytes()
    version, sections = parse(data)
    assert version == FORMAT_VERSION == 1
    assert [(t, f) for t, f, _ in sections] == [
        (b"OPTS", 1),
        (b"TERM", 1),
        (b"NDOC", 1),
        (b"DOCF", 1),
        (b"IDFV", 1),
        (b"TCNT", 0),
        (b"META", 0),
    ]
    payload = dict((t, p) for t, _, p in sections)
    assert payload[b"OPTS"][0] == 2  # TfidfVectorizer
    assert payload[b"OPTS"] == _core.encode_options(vec._native)
    assert terms_of(payload[b"TERM"]) == ["assad", "erdoğan", "putin"]
    assert struct.unpack("<q", payload[b"NDOC"]) == (2,)
    assert struct.unpack("<Q3q", payload[b"DOCF"]) == (3, 1, 1, 2)
    (n,) = struct.unpack_from("<Q", payload[b"IDFV"])
    assert n == 3
    assert np.frombuffer(payload[b"IDFV"], "<f8", 3, 8).tolist() == vec._native.idf().tolist()
    assert np.frombuffer(payload[b"IDFV"], "<f4", 3, 32).tobytes() == vec.idf_.astype("<f4").tobytes()
    meta = json.loads(payload[b"META"])["lexsim.python"]
    assert meta["class"] == "TfidfVectorizer" and meta["layout"] == 1 and meta["lexsim_version"] == lexsim.__version__
    assert meta["params"] == {
        "dtype": ["numpy", "float32"],
        "encoding": "utf-8",
        "input": "content",
        "n_jobs": None,
        "stop_words": {"items": ["met"], "type": "list"},
        "token_pattern": r"(?u)\b\w\w+\b",
        "vocabulary": None,
    }


def test_a_model_saved_from_cpp_without_python_metadata_loads_with_defaults() -> None:
    for cls in (lexsim.CountVectorizer, lexsim.TfidfVectorizer):
        vec = cls(ngram_range=(1, 2), n_jobs=3, min_df=1, stop_words=["b"]).fit(["a bb cc", "bb dd"])
        loaded = deserialize(_core.serialize(vec._native))  # what C++ lexsim::save writes
        expected = dict(vec.get_params(), n_jobs=3, stop_words=["b"])
        assert loaded.get_params() == expected
        assert (loaded.transform(["bb cc"]) != vec.transform(["bb cc"])).nnz == 0
        # Metadata that is not Python's (a C++ caller's own) is left alone.
        for blob in (b"opaque \x01 data", b'{"owner": "c++ tool"}', b"[1, 2]"):
            assert deserialize(_core.serialize(vec._native, blob)).get_params() == expected


# ----------------------------------------------------------------------------- damaged and foreign
@pytest.fixture(scope="module")
def small() -> bytes:
    return serialize(lexsim.TfidfVectorizer(stop_words=["the"]).fit(["Erdoğan met Putin", "Putin met the Assad"]))


@pytest.fixture(scope="module")
def news() -> bytes:
    return serialize(lexsim.TfidfVectorizer(stop_words="english").fit(read_news_seeds()[1]))


def test_truncation_at_every_byte_offset_is_refused(small) -> None:
    for size in range(len(small)):
        with pytest.raises(lexsim.ModelFormatError) as e:
            deserialize(small[:size])
        assert e.value.byte_offset is not None and e.value.byte_offset <= size


def test_every_single_byte_change_is_refused(small) -> None:
    for i in range(len(small)):
        for mask in (0x01, 0x80, 0xFF):
            bad = bytearray(small)
            bad[i] ^= mask
            with pytest.raises(lexsim.ModelFormatError):
                deserialize(bytes(bad))


def test_a_pickle_or_other_foreign_file_is_refused_and_never_run(tmp_path) -> None:
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    cases = {
        pickle.dumps(Evil()): "pickle",
        pickle.dumps(lexsim.TfidfVectorizer().fit(["a bb"])): "pickle",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR": "PNG image",
        b"PK\x03\x04" + b"\0" * 30: "zip archive",
        b"\x1f\x8b\x08\0" + b"\0" * 30: "gzip",
        b"LEXSIM\0M\1\0\0\0" + b"\0" * 30: "development version of lexsim",
        b'{"vocabulary": ["a"]}': "wrong magic bytes",
        b"": "empty",
        b"\x89LX": "truncated",
    }
    for data, reason in cases.items():
        path = tmp_path / "foreign.lexsim"
        path.write_bytes(data)
        with pytest.raises(lexsim.ModelFormatError, match=reason) as e:
            lexsim.load(path)
        assert str(path) in str(e.value)
        assert isinstance(e.value, ValueError) and isinstance(e.value, lexsim.LexsimError)
    assert not marker.exists()


@pytest.mark.parametrize("version", [2, 7, 2**32 - 1])
def test_a_future_version_is_refused(small, version) -> None:
    _, sections = parse(small)
    with pytest.raises(
        lexsim.ModelFormatError, match=f"version {version} is newer than this lexsim reads \\(1\\): upgrade"
    ):
        deserialize(build(sections, version))
    with pytest.raises(lexsim.ModelFormatError, match="version 0"):
        deserialize(build(sections, 0))


def _with_crc(body: bytes) -> bytes:
    return body + struct.pack("<I", zlib.crc32(body))


def _nan() -> bytes:
    return struct.pack("<d", float("nan"))


def _opts(payload: bytes, at: int, value: bytes) -> bytes:
    return payload[:at] + value + payload[at + len(value) :]


PATTERN = len(r"(?u)\b\w\w+\b")
CRAFTED = {
    # lengths claiming far more than there is: refused before anything is allocated
    "section length 2^60": (
        lambda d: _with_crc(d[:28] + struct.pack("<Q", 2**60) + d[36:-4]),
        "claims 1152921504606846976 bytes",
    ),
    "term count 2^60": (
        lambda d: edit(d, b"TERM", lambda p: struct.pack("<Q", 2**60) + p[8:]),
        "the number of terms is 1152921504606846976",
    ),
    "term length 2^32-1": (
        lambda d: edit(d, b"TERM", lambda p: p[:8] + b"\xff\xff\xff\xff" + p[12:]),
        "term lengths add up to",
    ),
    "stop-word count 2^60": (
        lambda d: edit(d, b"OPTS", lambda p: _opts(p, 12 + PATTERN, struct.pack("<Q", 2**60))),
        "the number of stop words",
    ),
    "idf count 2^60": (
        lambda d: edit(d, b"IDFV", lambda p: struct.pack("<Q", 2**60) + p[8:]),
        "the number of idf values",
    ),
    # inconsistent content
    "duplicate term": (lambda d: edit(d, b"TERM", lambda p: p[:-5] + b"assad"), "term 3 repeats term 0"),
    "invalid UTF-8 term": (lambda d: edit(d, b"TERM", lambda p: p[:-1] + b"\xc3"), "term 3 is not valid UTF-8"),
    "idf length mismatch": (
        lambda d: edit(d, b"IDFV", lambda p: struct.pack("<Q", 3) + p[8:32] + p[40:52]),
        "3 idf values for 4 terms",
    ),
    "NaN idf": (lambda d: edit(d, b"IDFV", lambda p: p[:16] + _nan() + p[24:]), r"idf\[1\] is NaN"),
    "bad analyzer": (lambda d: edit(d, b"OPTS", lambda p: _opts(p, 1, b"\x09")), "analyzer is 9, not one of"),
    "bad boolean": (lambda d: edit(d, b"OPTS", lambda p: _opts(p, 5, b"\x02")), "lowercase is 2, not 0 or 1"),
    "bad norm": (lambda d: edit(d, b"OPTS", lambda p: p[:-4] + b"\x05" + p[-3:]), "norm is 5"),
    "bad class": (lambda d: edit(d, b"OPTS", lambda p: _opts(p, 0, b"\x07")), "the vectorizer class is 7"),
    "negative documents": (
        lambda d: edit(d, b"NDOC", lambda p: struct.pack("<q", -1)),
        "number of documents is negative",
    ),
    "extra bytes in a section": (
        lambda d: edit(d, b"NDOC", lambda p: p + b"\0"),
        "unexpected bytes at the end of the section",
    ),
    "unknown required section": (
        lambda d: build(parse(d)[1] + [(b"NEWS", 1, b"x")]),
        "section 'NEWS' is required but unknown",
    ),
    "repeated section": (lambda d: build(parse(d)[1] + [parse(d)[1][1]]), "section 'TERM' appears twice"),
    "missing section": (
        lambda d: build([s for s in parse(d)[1] if s[0] != b"DOCF"]),
        "required section 'DOCF' is missing",
    ),
    "unknown flags": (
        lambda d: build([(t, f | 4, p) for t, f, p in parse(d)[1]]),
        "flags 0x00000005 that this lexsim does not know",
    ),
    "unknown stemmer": (
        lambda d: edit(
            d,
            b"OPTS",
            lambda p: p[: 12 + PATTERN + 8 + 4 + 3 + 8] + b"\x01\x07\0\0\0klingon" + p[12 + PATTERN + 8 + 4 + 3 + 9 :],
        ),
        "invalid model: unknown stemmer 'klingon'",
    ),
    "trailing bytes": (lambda d: d + b"\0\0", "2 unexpected bytes after the end of the model"),
    "flipped checksum": (lambda d: d[:-1] + bytes([d[-1] ^ 0x80]), "checksum mismatch"),
    # Python's parameters in the metadata
    "metadata: unknown parameter": (
        lambda d: _meta(d, lambda m: m["params"].update(preprocessor="os.system")),
        "parameters this lexsim does not know: preprocessor",
    ),
    "metadata: wrong class": (
        lambda d: _meta(d, lambda m: m.update({"class": "CountVectorizer"})),
        "the model is a TfidfVectorizer",
    ),
    "metadata: object dtype": (
        lambda d: _meta(d, lambda m: m["params"].update(dtype=["str", "object"])),
        "dtype 'object' is not numeric",
    ),
    "metadata: bad input": (lambda d: _meta(d, lambda m: m["params"].update(input="url")), "input 'url' is not one of"),
    "metadata: encoding with a path": (
        lambda d: _meta(d, lambda m: m["params"].update(encoding="../../x")),
        "not an encoding name",
    ),
    "metadata: another token pattern": (
        lambda d: _meta(d, lambda m: m["params"].update(token_pattern=r"(?u)\b\w+\b")),
        "the Python parameters disagree with the model's options",
    ),
    "metadata: other stop words": (lambda d: _meta(d, lambda m: m["params"].update(stop_words="english")), "disagree"),
    "metadata: vocabulary of a fitted model": (
        lambda d: _meta(d, lambda m: m["params"].update(vocabulary={"type": "list"})),
        "vocabulary was not fixed",
    ),
    "metadata: newer layout": (lambda d: _meta(d, lambda m: m.update(layout=2)), "layout 2 of the Python parameters"),
    "metadata: invalid UTF-8": (lambda d: edit(d, b"META", lambda p: p + b"\xff"), "metadata is not valid UTF-8"),
}


def _meta(data: bytes, change) -> bytes:
    def rewrite(payload: bytes) -> bytes:
        doc = json.loads(payload)
        change(doc["lexsim.python"])
        return json.dumps(doc).encode()

    return edit(data, b"META", rewrite)


@pytest.mark.parametrize("how", CRAFTED)
def test_crafted_models_with_a_valid_checksum_are_refused_with_the_reason(small, how) -> None:
    make, reason = CRAFTED[how]
    with pytest.raises(lexsim.ModelFormatError, match=reason):
        deserialize(make(small))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_huge_claimed_lengths_allocate_nothing(tmp_path, small) -> None:
    # Each crafted model claims a count that, allocated up front, would take gigabytes. A child
    # process with an address-space limit of what it already uses plus 256 MiB loads them all: each
    # must be a ModelFormatError, not a MemoryError.
    claims = {
        "terms": edit(small, b"TERM", lambda p: struct.pack("<Q", 2**26) + p[8:]),
        "stop words": edit(small, b"OPTS", lambda p: _opts(p, 12 + PATTERN, struct.pack("<Q", 2**26))),
        "document frequencies": edit(small, b"DOCF", lambda p: struct.pack("<Q", 2**27) + p[8:]),
        "idf values": edit(small, b"IDFV", lambda p: struct.pack("<Q", 2**27) + p[8:]),
        "section length": _with_crc(small[:28] + struct.pack("<Q", 2**40) + small[36:-4]),
        "total size": small[:12] + struct.pack("<Q", 2**40) + small[20:],
    }
    for i, data in enumerate(claims.values()):
        (tmp_path / f"{i}.lexsim").write_bytes(data)
    script = (
        "import pathlib, resource, sys, lexsim\n"
        "from lexsim.model import deserialize\n"
        "files = sorted(pathlib.Path(sys.argv[1]).glob('*.lexsim'))\n"
        "datas = [f.read_bytes() for f in files]\n"
        "vm = [int(l.split()[1]) * 1024 for l in open('/proc/self/status') if l.startswith('VmSize:')][0]\n"
        "resource.setrlimit(resource.RLIMIT_AS, (vm + (256 << 20), resource.getrlimit(resource.RLIMIT_AS)[1]))\n"
        "for f, data in zip(files, datas):\n"
        "    for how in (lambda: lexsim.load(f), lambda: deserialize(data)):\n"
        "        try:\n"
        "            how()\n"
        "            print('loaded')\n"
        "        except Exception as e:\n"
        "            print(type(e).__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["ModelFormatError"] * (2 * len(claims))


def test_unknown_optional_sections_are_skipped(small) -> None:
    _, sections = parse(small)
    data = build(sections[:2] + [(b"XTRA", 0, b"\7" * 100), (b"zzzz", 0, b"")] + sections[2:])
    loaded, original = deserialize(data), deserialize(small)
    assert loaded.get_params() == original.get_params()
    assert (loaded.transform(["Putin met Assad"]) != original.transform(["Putin met Assad"])).nnz == 0


def test_damage_anywhere_in_a_real_model_is_refused(news) -> None:
    rng = np.random.default_rng(6)
    for i in rng.choice(len(news), 300, replace=False):
        bad = bytearray(news)
        bad[int(i)] ^= 1 << int(rng.integers(8))
        with pytest.raises(lexsim.ModelFormatError):
            deserialize(bytes(bad))
    for cut in rng.choice(len(news), 100, replace=False):
        with pytest.raises(lexsim.ModelFormatError, match="truncated"):
            deserialize(news[: int(cut)])


# ----------------------------------------------------------------------------- what cannot be saved
@pytest.mark.parametrize(
    "params",
    [
        dict(preprocessor=str.upper),
        dict(tokenizer=str.split, token_pattern=None),
        dict(strip_accents=lambda s: s),
        dict(analyzer=lambda s: s.split()),
    ],
)
def test_callables_are_refused_naming_the_parameter_and_nothing_is_written(tmp_path, params) -> None:
    name = next(iter(params))
    for cls in (lexsim.CountVectorizer, lexsim.TfidfVectorizer):
        vec = cls(**params).fit(["a bb cc", "bb dd"])
        with pytest.raises(ValueError, match=f"'{name}' is a Python callable"):
            vec.save(tmp_path / "m.lexsim")
        with pytest.raises(ValueError, match=f"'{name}' is a Python callable"):
            serialize(vec)
        assert not list(tmp_path.iterdir())


def test_unfitted_changed_and_foreign_objects_are_refused(tmp_path) -> None:
    for cls in (lexsim.CountVectorizer, lexsim.TfidfVectorizer):
        with pytest.raises(lexsim.NotFittedError):
            cls().save(tmp_path / "m.lexsim")
        vec = cls().fit(["a bb", "bb cc"])
        vec.set_params(ngram_range=(1, 2))
        with pytest.raises(ValueError, match="changed .set_params. after it was fitted"):
            vec.save(tmp_path / "m.lexsim")
        vec.set_params(ngram_range=(1, 1), n_jobs=4)  # threads do not change what the model means
        vec.save(tmp_path / "m.lexsim")
        assert lexsim.load(tmp_path / "m.lexsim").n_jobs == 4
        (tmp_path / "m.lexsim").unlink()
    with pytest.raises(lexsim.NotFittedError):
        lexsim.TfidfVectorizer(vocabulary=["a"]).save(tmp_path / "m.lexsim")  # needs fit for its idf
    with pytest.raises(TypeError, match="CountVectorizer or lexsim.TfidfVectorizer"):
        save(object(), tmp_path / "m.lexsim")
    assert not list(tmp_path.iterdir())


# ----------------------------------------------------------------------------- files
def test_save_replaces_a_model_and_load_reports_file_errors(tmp_path) -> None:
    path = tmp_path / "m.lexsim"
    lexsim.CountVectorizer().fit(["first model"]).save(path)
    path.chmod(0o640)
    lexsim.TfidfVectorizer().fit(["second model here"]).save(path)
    assert (path.stat().st_mode & 0o777) == 0o640  # replacing keeps the permissions
    assert isinstance(lexsim.load(path), lexsim.TfidfVectorizer)
    assert [p.name for p in tmp_path.iterdir()] == ["m.lexsim"]
    with pytest.raises(FileNotFoundError, match="nope.lexsim.*No such file or directory"):
        lexsim.load(tmp_path / "nope.lexsim")
    with pytest.raises(IsADirectoryError):
        lexsim.load(tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")
        with pytest.raises(OSError, match="not a regular file"):  # refused, not waited on
            lexsim.load(tmp_path / "pipe")


def test_a_failed_save_leaves_the_old_model_and_no_temporary_file(tmp_path) -> None:
    path = tmp_path / "m.lexsim"
    old = lexsim.TfidfVectorizer().fit(["old model"])
    old.save(path)
    before = path.read_bytes()
    big = lexsim.TfidfVectorizer().fit([f"term{i} other{i * 7}" for i in range(3000)])
    with pytest.raises(FileNotFoundError, match="no/such/m.lexsim.*No such file or directory"):
        big.save(tmp_path / "no" / "such" / "m.lexsim")
    folder = tmp_path / "folder.lexsim"
    folder.mkdir()
    with pytest.raises(OSError, match="folder.lexsim"):  # the rename fails once the data is written
        big.save(folder)
    assert folder.is_dir() and not list(folder.iterdir())
    if os.geteuid() != 0:  # permissions do not stop root
        tmp_path.chmod(0o500)
        try:
            with pytest.raises(PermissionError, match="Permission denied"):
                big.save(path)
        finally:
            tmp_path.chmod(0o700)
    # A file-size limit makes writing fail half-way through (in a child process, so the limit and
    # the ignored SIGXFSZ stay there).
    script = (
        "import resource, signal, sys, lexsim\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "big = lexsim.TfidfVectorizer().fit([f'term{i} other{i * 7}' for i in range(3000)])\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))\n"
        "try:\n"
        "    big.save(sys.argv[1])\n"
        "except OSError as e:\n"
        "    print(e.errno, e)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True).stdout
    assert out.startswith("27 ") and "File too large" in out and str(path) in out  # EFBIG
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.lexsim", "m.lexsim"]
    assert (lexsim.load(path).transform(["old model"]) != old.transform(["old model"])).nnz == 0


# ----------------------------------------------------------------------------- pickles
@pytest.mark.parametrize("cls", [lexsim.CountVectorizer, lexsim.TfidfVectorizer])
def test_pickles_carry_the_model_bytes(cls, texts) -> None:
    vec = cls(ngram_range=(1, 2), stop_words="english").fit(texts[:300])
    state = vec.__getstate__()
    assert state["_model"] == _core.serialize(vec._native) and state["_model"][:8] == MAGIC
    assert "_native" not in state
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        restored = pickle.loads(pickle.dumps(vec, protocol=protocol))
        assert_same_vectorizer(restored, vec, (texts[:300], texts[300:400]))


def test_pickles_keep_python_callables_beside_the_bytes() -> None:
    vec = lexsim.TfidfVectorizer(tokenizer=str.split, token_pattern=None).fit(["Ab cd", "cd ef!"])
    restored = pickle.loads(pickle.dumps(vec))
    assert restored.tokenizer is str.split
    assert (restored.transform(["ab cd ef!"]) != vec.transform(["ab cd ef!"])).nnz == 0


def test_old_development_pickles_are_refused() -> None:
    vec = lexsim.CountVectorizer()
    state = vec.__getstate__()
    state["_fitted_state"] = {"terms": ["a"], "n_documents": 1, "document_frequencies": [1]}
    with pytest.raises(ValueError, match="development version"):
        lexsim.CountVectorizer().__setstate__(state)


# ----------------------------------------------------------------------------- aliases and docs
def test_save_model_and_load_model_are_aliases(tmp_path) -> None:
    vec = lexsim.CountVectorizer().fit(["a bb cc"])
    save_model(vec, tmp_path / "m.lexsim")
    assert (tmp_path / "m.lexsim").read_bytes() == serialize(vec)
    assert load_model(tmp_path / "m.lexsim").get_params() == vec.get_params()


def test_docstring_examples() -> None:
    import doctest

    import lexsim.model

    result = doctest.testmod(lexsim.model)
    assert result.failed == 0 and result.attempted > 0

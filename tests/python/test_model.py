"""lexsim.model: saved vectorizers transform exactly like the fitted ones, and damaged or foreign
files are refused with a reason, never executed."""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np
import pytest

import lexsim
from lexsim.model import FORMAT_VERSION, MAGIC, load_model, save_model
from conftest import HARD_UNICODE, read_news_seeds, read_sentences


@pytest.fixture(scope="module")
def texts() -> list:
    return read_news_seeds()[1] + read_sentences()[:2000] + HARD_UNICODE


PARAMS = [
    dict(strip_accents="unicode", stop_words="english", sublinear_tf=True),
    dict(),
    dict(ngram_range=(1, 2), min_df=2, max_df=0.8, max_features=3000),
    dict(analyzer="char_wb", ngram_range=(2, 4), norm="l1"),
    dict(analyzer="char", ngram_range=(1, 3), use_idf=False),
    dict(smooth_idf=False, binary=True, norm=None),
    dict(dtype=np.float32, sublinear_tf=True),
    dict(normalization="NFKC", casefold=True, strip_accents="ascii", lowercase=False),
    dict(token_pattern=r"[A-Za-z']+", stop_words=["the", "and", "of"]),  # a pattern run by Python's re
    dict(vocabulary=["putin", "erdogan", "assad", "idlib", "film"]),
]


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: ",".join(map(str, p)) or "defaults")
def test_a_loaded_model_transforms_exactly_like_the_saved_one(tmp_path, texts, params) -> None:
    vec = lexsim.TfidfVectorizer(**params)
    fitted_on, unseen = texts[:1500], texts[1500:]
    vec.fit(fitted_on)
    path = tmp_path / "m.lexsim"
    save_model(vec, path)
    loaded = load_model(path)
    assert loaded.get_feature_names_out().tolist() == vec.get_feature_names_out().tolist()
    for docs in (fitted_on, unseen):
        a, b = vec.transform(docs), loaded.transform(docs)
        assert a.dtype == b.dtype and a.shape == b.shape
        assert (a != b).nnz == 0  # bit for bit
    if vec.use_idf:
        assert np.array_equal(np.asarray(loaded.idf_), np.asarray(vec.idf_))
    saved = {k: v for k, v in vec.get_params().items() if k not in ("vocabulary", "n_jobs")}
    got = {k: v for k, v in loaded.get_params().items() if k not in ("vocabulary", "n_jobs")}
    if isinstance(saved.get("stop_words"), list):
        saved["stop_words"] = sorted(saved["stop_words"])
    assert got == saved


def test_the_file_layout_is_the_documented_one(tmp_path) -> None:
    vec = lexsim.TfidfVectorizer().fit(["Erdoğan met Putin", "Putin met Assad"])
    path = tmp_path / "m.lexsim"
    save_model(vec, path)
    data = path.read_bytes()
    assert data[:8] == MAGIC == b"LEXSIM\0M"
    version, header_len = struct.unpack_from("<II", data, 8)
    assert version == FORMAT_VERSION == 1
    header = json.loads(data[16 : 16 + header_len])
    assert header["class"] == "TfidfVectorizer" and header["n_features"] == 4
    assert "vocabulary" not in header["params"] and header["params"]["dtype"] == "float64"
    pos = 16 + header_len
    (n,) = struct.unpack_from("<Q", data, pos)
    lengths = np.frombuffer(data, "<u4", n, pos + 8)
    pos += 8 + 4 * n
    terms = [data[pos + int(a) : pos + int(b)].decode() for a, b in zip(np.r_[0, np.cumsum(lengths)[:-1]], np.cumsum(lengths))]
    assert terms == ["assad", "erdoğan", "met", "putin"]
    pos += int(lengths.sum())
    (m,) = struct.unpack_from("<Q", data, pos)
    assert np.array_equal(np.frombuffer(data, "<f8", m, pos + 8), vec.idf_)
    assert pos + 8 + 8 * m + 4 == len(data)
    assert struct.unpack_from("<I", data, len(data) - 4)[0] == zlib.crc32(data[:-4])


def _model_bytes(tmp_path) -> bytes:
    vec = lexsim.TfidfVectorizer(stop_words="english").fit(read_news_seeds()[1])
    save_model(vec, tmp_path / "good.lexsim")
    return (tmp_path / "good.lexsim").read_bytes()


def _with_crc(body: bytes) -> bytes:
    return body + struct.pack("<I", zlib.crc32(body))


def _damaged(data: bytes, how: str) -> bytes:
    header_len = struct.unpack_from("<I", data, 12)[0]
    n_terms_at = 16 + header_len
    body = data[:-4]
    if how == "empty":
        return b""
    if how == "truncated magic":
        return data[:5]
    if how == "truncated":
        return data[: len(data) - 100]
    if how == "truncated header":
        return data[:14]
    if how == "flipped byte":
        return data[:200] + bytes([data[200] ^ 1]) + data[201:]
    if how == "flipped checksum":
        return data[:-1] + bytes([data[-1] ^ 0x80])
    if how == "wrong magic":
        return b"\x80\x04\x95" + data[3:]  # what a pickle starts with
    if how == "future version":
        return data[:8] + struct.pack("<I", FORMAT_VERSION + 1) + data[12:]
    if how == "version 0":
        return data[:8] + struct.pack("<I", 0) + data[12:]
    if how == "trailing bytes":
        return data + b"\0\0"
    # Crafted files with a valid checksum: the lengths inside must still be checked.
    if how == "huge term count":
        return _with_crc(body[:n_terms_at] + struct.pack("<Q", 2**60) + body[n_terms_at + 8 :])
    if how == "huge header length":
        return _with_crc(body[:12] + struct.pack("<I", 2**31) + body[16:])
    if how == "extra bytes before checksum":
        return _with_crc(body + b"x")
    if how == "header not json":
        return _with_crc(body[:16] + b"{" * header_len + body[16 + header_len :])
    if how == "unknown parameter":
        header = json.loads(body[16 : 16 + header_len])
        header["params"]["preprocessor_code"] = "import os"
        raw = json.dumps(header).encode()
        return _with_crc(body[:12] + struct.pack("<I", len(raw)) + raw + body[16 + header_len :])
    if how == "bad parameter value":
        header = json.loads(body[16 : 16 + header_len])
        header["params"]["norm"] = "l3"
        raw = json.dumps(header).encode()
        return _with_crc(body[:12] + struct.pack("<I", len(raw)) + raw + body[16 + header_len :])
    raise AssertionError(how)


DAMAGE = {
    "empty": "empty file",
    "truncated magic": "truncated",
    "truncated": "checksum mismatch",
    "truncated header": "truncated",
    "flipped byte": "checksum mismatch",
    "flipped checksum": "checksum mismatch",
    "wrong magic": "not a lexsim model file",
    "future version": "newer than this lexsim reads",
    "version 0": "unknown model format version 0",
    "trailing bytes": "checksum mismatch",
    "huge term count": "truncated or corrupted: the term lengths need",
    "huge header length": "truncated or corrupted: the JSON header needs",
    "extra bytes before checksum": "unexpected bytes",
    "header not json": "not valid JSON",
    "unknown parameter": "parameters this lexsim does not know: preprocessor_code",
    "bad parameter value": "invalid model",
}


@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_and_foreign_files_raise_value_error_with_the_reason(tmp_path, how: str) -> None:
    path = tmp_path / "bad.lexsim"
    path.write_bytes(_damaged(_model_bytes(tmp_path), how))
    with pytest.raises(ValueError, match=DAMAGE[how]):
        load_model(path)


def test_every_truncation_is_refused(tmp_path) -> None:
    data = _model_bytes(tmp_path)
    path = tmp_path / "cut.lexsim"
    for size in list(range(0, 64)) + list(range(64, len(data), 97)):
        path.write_bytes(data[:size])
        with pytest.raises(ValueError):
            load_model(path)


def test_callables_are_refused_and_nothing_is_written(tmp_path) -> None:
    path = tmp_path / "m.lexsim"
    for params in (dict(preprocessor=str.upper), dict(tokenizer=str.split, token_pattern=None), dict(strip_accents=lambda s: s),
                   dict(analyzer=lambda s: s.split())):
        vec = lexsim.TfidfVectorizer(**params).fit(["a bb cc", "bb dd"])
        with pytest.raises(ValueError, match="callable"):
            save_model(vec, path)
        assert not list(tmp_path.iterdir())


def test_unfitted_and_foreign_objects_are_refused(tmp_path) -> None:
    with pytest.raises(lexsim.NotFittedError):
        save_model(lexsim.TfidfVectorizer(), tmp_path / "m.lexsim")
    with pytest.raises(TypeError, match="TfidfVectorizer"):
        save_model(lexsim.CountVectorizer().fit(["a bb"]), tmp_path / "m.lexsim")
    assert not list(tmp_path.iterdir())


def test_saving_replaces_the_file_in_one_step(tmp_path, monkeypatch) -> None:
    path = tmp_path / "m.lexsim"
    first = lexsim.TfidfVectorizer().fit(["first corpus", "of two docs"])
    save_model(first, path)
    before = path.read_bytes()
    # A failure while writing leaves the old model as it was and no temporary file behind.
    import os

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space"):
        save_model(lexsim.TfidfVectorizer().fit(["another corpus entirely"]), path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["m.lexsim"]
    monkeypatch.undo()
    save_model(lexsim.TfidfVectorizer().fit(["another corpus entirely"]), path)
    assert load_model(path).get_feature_names_out().tolist() == ["another", "corpus", "entirely"]


def test_input_filename_models_load_and_read_files(tmp_path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Putin met Erdogan", encoding="utf-8")
    vec = lexsim.TfidfVectorizer(input="filename").fit([str(doc)])
    save_model(vec, tmp_path / "m.lexsim")
    loaded = load_model(tmp_path / "m.lexsim")
    assert loaded.input == "filename"
    assert (loaded.transform([str(doc)]) != vec.transform([str(doc)])).nnz == 0


def test_docstring_examples() -> None:
    import doctest

    import lexsim.model

    result = doctest.testmod(lexsim.model)
    assert result.failed == 0 and result.attempted > 0

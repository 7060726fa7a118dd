"""Saving and loading a fitted :class:`~lexsim.TfidfVectorizer` in a small, safe file format.

Unlike a pickle, loading a model never runs code: the file holds the vectorizer's parameters as
JSON, its terms and its idf, nothing else, and every length in it is checked against the file's
size before anything is allocated.

File format, version 1 (all integers little-endian)::

    offset  size      field
    0       8         magic: b"LEXSIM\\0M"
    8       4         uint32 format version (1)
    12      4         uint32 H, the length of the JSON header
    16      H         JSON header, UTF-8: {"class": "TfidfVectorizer", "lexsim_version": str,
                      "params": {...get_params() without vocabulary and n_jobs...},
                      "n_features": int}
    16+H    8         uint64 N, the number of terms (the vocabulary size)
            4*N       uint32 byte length of each term's UTF-8 encoding, in column order
            sum       the terms' UTF-8 bytes, concatenated in column order
            8         uint64 M, the number of idf values: N (use_idf=True) or 0
            8*M       float64 idf values, in column order
            4         uint32 CRC-32 (zlib.crc32) of every byte before it

A later lexsim will write models from C++ in a versioned binary format of its own; files of this
version stay readable by :func:`load_model`.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import struct
import tempfile
import zlib
from typing import Any, Union

import numpy as np

from .vectorizers import TfidfVectorizer

__all__ = ["FORMAT_VERSION", "MAGIC", "load_model", "save_model"]

#: The first 8 bytes of every model file.
MAGIC = b"LEXSIM\0M"
#: The format version this module writes (and the newest it reads).
FORMAT_VERSION = 1

PathLike = Union[str, "os.PathLike[str]"]

# Parameters that are not part of what a model means: the vocabulary is stored as the terms
# themselves, and threads are chosen by whoever loads the model.
_NOT_SAVED = ("vocabulary", "n_jobs")
_CALLABLE_PARAMS = ("preprocessor", "tokenizer", "analyzer", "strip_accents")


def _json_params(vectorizer: TfidfVectorizer) -> dict[str, Any]:
    params = vectorizer.get_params()
    out: dict[str, Any] = {}
    for name, value in params.items():
        if name in _NOT_SAVED:
            continue
        if callable(value) and name != "dtype":
            raise ValueError(
                f"cannot save a vectorizer whose {name!r} is a Python callable ({value!r}): "
                "a model file holds data, never code"
            )
        if name == "dtype":
            value = np.dtype(value).name
        elif name == "ngram_range":
            value = [int(n) for n in value]
        elif name == "stop_words" and value is not None and not isinstance(value, str):
            value = sorted(str(w) for w in value)
        elif isinstance(value, (np.bool_, np.integer, np.floating)):
            value = value.item()
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            raise ValueError(f"cannot save the parameter {name}={value!r}: not representable in JSON") from None
        out[name] = value
    return out


def _encode(vectorizer: TfidfVectorizer) -> bytes:
    if not isinstance(vectorizer, TfidfVectorizer):
        raise TypeError(f"save_model takes a lexsim.TfidfVectorizer, got {type(vectorizer).__name__}")
    params = _json_params(vectorizer)
    terms = [str(t) for t in vectorizer.get_feature_names_out()]  # raises NotFittedError if unfitted
    idf = np.asarray(vectorizer.idf_, dtype="<f8") if vectorizer.use_idf else np.empty(0, "<f8")
    header = json.dumps(
        {
            "class": "TfidfVectorizer",
            "lexsim_version": _lexsim_version(),
            "params": params,
            "n_features": len(terms),
        },
        ensure_ascii=False,
        sort_keys=True,
        allow_nan=False,
    ).encode("utf-8")
    encoded = [t.encode("utf-8") for t in terms]
    parts = [
        MAGIC,
        struct.pack("<II", FORMAT_VERSION, len(header)),
        header,
        struct.pack("<Q", len(encoded)),
        np.asarray([len(t) for t in encoded], dtype="<u4").tobytes(),
        b"".join(encoded),
        struct.pack("<Q", len(idf)),
        idf.tobytes(),
    ]
    body = b"".join(parts)
    return body + struct.pack("<I", zlib.crc32(body))


def _lexsim_version() -> str:
    from . import __version__

    return __version__


def save_model(vectorizer: TfidfVectorizer, path: PathLike) -> None:
    """Save a fitted TfidfVectorizer to ``path`` (see the module docstring for the format).

    The file is written next to its final place under a temporary name, flushed to disk, then
    renamed over ``path``: a crash never leaves a half-written model behind.

    Parameters
    ----------
    vectorizer : lexsim.TfidfVectorizer
        A fitted vectorizer without Python callables (preprocessor, tokenizer, analyzer,
        strip_accents); ``n_jobs`` and ``vocabulary`` are not saved (the fitted terms are).
    path : str or path-like
        Where to write the model.

    Raises
    ------
    ValueError
        When a parameter is a callable or cannot be written as JSON.
    lexsim.NotFittedError
        When the vectorizer is not fitted.

    Examples
    --------
    >>> import lexsim, tempfile, os
    >>> vec = lexsim.TfidfVectorizer().fit(["Erdogan met Putin", "Putin met Assad"])
    >>> path = os.path.join(tempfile.mkdtemp(), "news.lexsim")
    >>> save_model(vec, path)
    >>> load_model(path).get_feature_names_out().tolist()
    ['assad', 'erdogan', 'met', 'putin']
    """
    data = _encode(vectorizer)
    target = pathlib.Path(path)
    folder = target.parent if str(target.parent) else pathlib.Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class _Reader:
    """Bounds-checked reads over the bytes of a model file."""

    def __init__(self, data: bytes, end: int) -> None:
        self.data = memoryview(data)
        self.pos = 0
        self.end = end  # where the checksum starts

    def take(self, n: int, what: str) -> memoryview:
        if n < 0 or n > self.end - self.pos:
            raise ValueError(
                f"truncated or corrupted: {what} needs {n} bytes at offset {self.pos}, "
                f"but only {max(self.end - self.pos, 0)} remain"
            )
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def uint(self, fmt: str, what: str) -> int:
        return int(struct.unpack(fmt, self.take(struct.calcsize(fmt), what))[0])


def _decode(data: bytes) -> TfidfVectorizer:
    if not data:
        raise ValueError("empty file, not a lexsim model")
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data):
            raise ValueError("truncated: the file ends inside the magic bytes")
        raise ValueError("not a lexsim model file (wrong magic bytes)")
    if len(data) < len(MAGIC) + 4:
        raise ValueError("truncated: the file ends inside its format version")
    (version,) = struct.unpack_from("<I", data, len(MAGIC))
    if version > FORMAT_VERSION:
        raise ValueError(
            f"model format version {version} is newer than this lexsim reads ({FORMAT_VERSION}): upgrade lexsim"
        )
    if version < 1:
        raise ValueError(f"unknown model format version {version}")
    minimum = len(MAGIC) + 4 + 4 + 8 + 8 + 4
    if len(data) < minimum:
        raise ValueError(f"truncated: {len(data)} bytes, less than the smallest model ({minimum} bytes)")
    # The checksum first: a damaged file is then reported as damaged, whatever byte changed.
    end = len(data) - 4
    (stored,) = struct.unpack_from("<I", data, end)
    if zlib.crc32(memoryview(data)[:end]) != stored:
        raise ValueError("corrupted: checksum mismatch (the file was damaged or truncated)")
    # A matching checksum does not make a file trustworthy: every length is still checked
    # against what is left of the file before it is used.
    r = _Reader(data, end)
    r.take(len(MAGIC) + 4, "the magic and version")
    header_len = r.uint("<I", "the header length")
    header_bytes = r.take(header_len, "the JSON header")
    n_terms = r.uint("<Q", "the number of terms")
    lengths = np.frombuffer(r.take(4 * n_terms, "the term lengths"), dtype="<u4")
    blob = bytes(r.take(int(lengths.sum(dtype=np.uint64)), "the terms"))
    n_idf = r.uint("<Q", "the number of idf values")
    idf = np.frombuffer(r.take(8 * n_idf, "the idf values"), dtype="<f8")
    if r.pos != r.end:
        raise ValueError(f"corrupted: {r.end - r.pos} unexpected bytes before the checksum")

    try:
        header = json.loads(bytes(header_bytes).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise ValueError(f"corrupted: the header is not valid JSON ({e})") from None
    if not isinstance(header, dict) or header.get("class") != "TfidfVectorizer":
        raise ValueError("not a TfidfVectorizer model (the header does not say so)")
    params = header.get("params")
    if not isinstance(params, dict):
        raise ValueError("corrupted: the header has no parameters")
    known = set(TfidfVectorizer().get_params()) - set(_NOT_SAVED)
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValueError(f"the model has parameters this lexsim does not know: {', '.join(unknown)}")
    if isinstance(params.get("dtype"), str) and params["dtype"] in ("float32", "float64"):
        params["dtype"] = getattr(np, params["dtype"])  # the numpy type, as the vectorizer had it
    if isinstance(params.get("ngram_range"), list):
        params["ngram_range"] = tuple(params["ngram_range"])
    if n_terms == 0:
        raise ValueError("corrupted: the model has no terms")
    if header.get("n_features") != n_terms:
        raise ValueError("corrupted: the header and the body disagree on the number of terms")

    terms, offset = [], 0
    try:
        for n in lengths.tolist():
            terms.append(blob[offset : offset + n].decode("utf-8"))
            offset += n
    except UnicodeDecodeError:
        raise ValueError(f"corrupted: term {len(terms)} is not valid UTF-8") from None
    if len(set(terms)) != len(terms):
        raise ValueError("corrupted: the model repeats a term")

    try:
        vec = TfidfVectorizer(**params, vocabulary=terms)
        use_idf = bool(vec.use_idf)
        if n_idf != (n_terms if use_idf else 0):
            raise ValueError(f"corrupted: {n_idf} idf values for {n_terms} terms (use_idf={use_idf})")
        # With a fixed vocabulary, fitting only counts documents: fitting on one empty document
        # (as content, whatever `input` says) makes the vectorizer usable, then the saved idf
        # replaces the one just computed.
        saved_input = vec.input
        vec.set_params(input="content")
        vec.fit([""])
        vec.set_params(input=saved_input)
        if use_idf:
            vec.idf_ = idf.astype(np.float64)
    except (TypeError, ValueError, re.error) as e:
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ValueError(f"invalid model: {message}") from None
    return vec


def load_model(path: PathLike) -> TfidfVectorizer:
    """Load a TfidfVectorizer saved by :func:`save_model`.

    Nothing in the file is executed: the model is rebuilt as
    ``TfidfVectorizer(**params, vocabulary=terms)`` with the saved ``idf_``, and transforms
    documents exactly as the vectorizer that was saved. Its ``vocabulary`` parameter is the list of
    terms, and ``n_jobs`` is ``None`` (set it with ``set_params``).

    Parameters
    ----------
    path : str or path-like
        The model file.

    Returns
    -------
    lexsim.TfidfVectorizer
        The fitted vectorizer.

    Raises
    ------
    ValueError
        When the file is not a lexsim model, comes from a newer format version, is truncated or
        corrupted (the message says which, and where).
    OSError
        When the file cannot be read.
    """
    with open(path, "rb") as fh:
        data = fh.read()
    return _decode(data)

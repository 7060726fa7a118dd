"""Model files: a fitted vectorizer saved to a file (or to bytes) and loaded back, never running code.

The format is lexsim's C++ one, the same for Python and C++ (specified in the docs, "The model
file format", and in ``lexsim/model_io.hpp``): magic bytes, a format version, tagged sections holding
the options, the terms, the document frequencies, the number of documents and the idf, then a
CRC-32. Python keeps the parameters the C++ options do not hold (``input``, ``encoding``,
``dtype``, ``n_jobs`` and the exact spelling of ``stop_words``, ``token_pattern`` and
``vocabulary``) as JSON in the model's metadata section; a model saved from C++ without them
loads with their defaults. A :class:`lexsim.SearchIndex` is saved in the same format: its
vectorizer's sections, then the index's (options, postings, BM25's raw counts), and its own Python
part in the metadata.

Loading checks every byte before it is used and builds the vectorizer from data only: a model
file never holds code, so a vectorizer with a Python callable (``preprocessor``, ``tokenizer``,
``analyzer`` or ``strip_accents``) cannot be saved (pickle keeps callables as references to their
code, and unpickling runs it: unpickle only what you trust).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, Union, cast

import numpy as np

from . import _core
from ._errors import ModelFormatError, NotFittedError
from ._params import CHOICES
from .vectorizers import CountVectorizer, TfidfVectorizer

__all__ = [
    "FORMAT_VERSION",
    "MAGIC",
    "ModelFormatError",
    "deserialize",
    "load",
    "load_model",
    "save",
    "save_model",
    "serialize",
]

#: The first 8 bytes of every model.
MAGIC: bytes = _core.MODEL_MAGIC
#: The format version this lexsim writes, and the newest it reads.
FORMAT_VERSION: int = _core.MODEL_FORMAT_VERSION

if TYPE_CHECKING:
    from .search import SearchIndex

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
Vectorizer = Union[CountVectorizer, TfidfVectorizer]
Saved = Union[CountVectorizer, TfidfVectorizer, "SearchIndex"]

# The metadata is a JSON object; Python's part is under this key (a C++ caller may store more).
_KEY = "lexsim.python"
_LAYOUT = 1  # version of the layout of Python's part
_CALLABLE_PARAMS = ("preprocessor", "tokenizer", "analyzer", "strip_accents")
_SAVED = ("input", "encoding", "dtype", "n_jobs", "token_pattern", "stop_words", "vocabulary")
_COLLECTIONS = {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}
_BUILTIN_DTYPES = {"float": float, "int": int, "bool": bool}
_ENCODING_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


# ------------------------------------------------------------------------------------------- saving
def _check_vectorizer(vectorizer: Any, what: str) -> None:
    if not isinstance(vectorizer, (CountVectorizer, TfidfVectorizer)):
        raise TypeError(
            f"{what} takes a lexsim.CountVectorizer or lexsim.TfidfVectorizer (or a lexsim.SearchIndex), "
            f"got {type(vectorizer).__name__}"
        )


def _native_of(vectorizer: Vectorizer) -> Any:
    native = vectorizer._model_native()
    if native is None:
        raise NotFittedError(f"This {type(vectorizer).__name__} instance is not fitted yet: fit it before saving it.")
    # The file pairs the fitted C++ state with the current Python parameters; they must describe the
    # same analysis, or the model would not load (set_params after fit changes the parameters only).
    vectorizer._validate_params()
    fresh = vectorizer._new_native(vectorizer._native_mode())
    if _core.encode_options(fresh) != _core.encode_options(native):
        raise ValueError(
            f"cannot save this {type(vectorizer).__name__}: its parameters were changed (set_params) after it "
            "was fitted, so they no longer describe its vocabulary; fit it again before saving it"
        )
    return native


def _dtype_spelling(dtype: Any) -> list:
    if isinstance(dtype, str):
        return ["str", dtype]
    if isinstance(dtype, np.dtype):
        return ["dtype", dtype.name]
    for name, t in _BUILTIN_DTYPES.items():
        if dtype is t:
            return ["builtin", name]
    if isinstance(dtype, type) and issubclass(dtype, np.generic):
        return ["numpy", np.dtype(dtype).name]
    raise ValueError(
        f"cannot save the parameter dtype={dtype!r}: a model stores a numpy dtype, its name or a builtin type"
    )


def _collection(value: Any) -> Any:
    """A stop-word list as JSON: its type and items (sets sorted, so equal sets give equal files)."""
    for tname, t in _COLLECTIONS.items():
        if type(value) is t:
            items = sorted(value) if t in (set, frozenset) else list(value)
            return {"type": tname, "items": [str(w) for w in items]}
    return {"type": "list", "items": [str(w) for w in value]}


def _python_metadata(vectorizer: Vectorizer) -> bytes:
    return _json(_python_doc(vectorizer))


def _json(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, allow_nan=False).encode("utf-8")


def _python_doc(vectorizer: Vectorizer) -> dict:
    params = vectorizer.get_params()
    for name in _CALLABLE_PARAMS:
        value = params[name]
        if callable(value):
            raise ValueError(
                f"cannot save a vectorizer whose {name!r} is a Python callable ({value!r}): a model file "
                "holds data, never code"
            )
    stop_words = params["stop_words"]
    vocabulary = params["vocabulary"]
    if vocabulary is None:
        vocabulary_form = None
    elif isinstance(vocabulary, Mapping):
        vocabulary_form = {"type": "dict"}
    else:
        vocabulary_form = {"type": next((n for n, t in _COLLECTIONS.items() if type(vocabulary) is t), "list")}
    n_jobs = params["n_jobs"]
    saved = {
        "input": params["input"],
        "encoding": params["encoding"],
        "dtype": _dtype_spelling(params["dtype"]),
        "n_jobs": None if n_jobs is None else int(n_jobs),
        "token_pattern": params["token_pattern"],
        "stop_words": stop_words if stop_words is None or isinstance(stop_words, str) else _collection(stop_words),
        "vocabulary": vocabulary_form,
    }
    from . import __version__

    return {
        _KEY: {"layout": _LAYOUT, "class": type(vectorizer).__name__, "lexsim_version": __version__, "params": saved}
    }


def serialize(vectorizer: Saved) -> bytes:
    """The model bytes of a fitted vectorizer (or a search index): what :func:`save` writes to a file.

    Parameters
    ----------
    vectorizer : lexsim.CountVectorizer, lexsim.TfidfVectorizer or lexsim.SearchIndex
        A fitted vectorizer (or a CountVectorizer with a fixed ``vocabulary``) without Python
        callables, or a search index over one (see :meth:`lexsim.SearchIndex.save`).

    Returns
    -------
    bytes
        The model, in the documented format.

    Raises
    ------
    ValueError
        When a parameter is a Python callable (the message names it).
    lexsim.NotFittedError
        When the vectorizer is not fitted.

    Examples
    --------
    >>> import lexsim
    >>> from lexsim.model import deserialize, serialize
    >>> data = serialize(lexsim.CountVectorizer().fit(["Putin met Erdogan"]))
    >>> data[:4] == b"\\x89LXM"
    True
    >>> deserialize(data).get_feature_names_out().tolist()
    ['erdogan', 'met', 'putin']
    """
    if _is_index(vectorizer):
        return _serialize_index(vectorizer)
    _check_vectorizer(vectorizer, "serialize")
    vec = cast(Vectorizer, vectorizer)
    metadata = _python_metadata(vec)
    return bytes(_core.serialize(_native_of(vec), metadata))


def save(vectorizer: Saved, path: PathLike) -> None:
    """Save a fitted vectorizer (or a search index) to a model file (also ``vectorizer.save(path)``).

    The model is written to a temporary file beside ``path``, flushed to disk, then renamed over
    ``path``: a crash or a full disk never leaves a half-written model, and never destroys the
    previous one.

    Parameters
    ----------
    vectorizer : lexsim.CountVectorizer, lexsim.TfidfVectorizer or lexsim.SearchIndex
        A fitted vectorizer (or a CountVectorizer with a fixed ``vocabulary``) without Python
        callables, or a search index over one.
    path : str, bytes or path-like
        Where to write the model.

    Raises
    ------
    ValueError
        When a parameter is a Python callable (the message names it).
    lexsim.NotFittedError
        When the vectorizer is not fitted.
    OSError
        When the file cannot be written (the message names the path and the reason).
    """
    if _is_index(vectorizer):
        _save_index(vectorizer, path)
        return
    _check_vectorizer(vectorizer, "save")
    vec = cast(Vectorizer, vectorizer)
    metadata = _python_metadata(vec)
    _core.save(_native_of(vec), os.fsencode(path), metadata)


# ------------------------------------------------------------------------------------ search indexes
# An index file holds the vectorizer's sections and its metadata (Python's parameters under _KEY,
# as a vectorizer's model), plus the index's own Python part under _INDEX_KEY.
_INDEX_KEY = "lexsim.python.index"
_INDEX_LAYOUT = 1


def _is_index(obj: Any) -> bool:
    from .search import SearchIndex

    return isinstance(obj, SearchIndex)


def _index_parts(index: Any) -> tuple[Any, bytes]:
    """The C++ vectorizer and the metadata an index's file holds; ValueError when its vectorizer
    cannot go in a model file."""
    vec = index.vectorizer
    if not isinstance(vec, (CountVectorizer, TfidfVectorizer)):
        kind = f"{type(vec).__module__}.{type(vec).__qualname__}"
        raise ValueError(
            f"cannot save this SearchIndex: its vectorizer is a {kind}, and a model file holds a "
            "lexsim.CountVectorizer or lexsim.TfidfVectorizer only; pickle the index instead (it pickles "
            "when its vectorizer does)"
        )
    try:
        doc = _python_doc(vec)
        native = _native_of(vec)
    except ValueError as e:
        raise ValueError(f"cannot save this SearchIndex: {e}; pickle the index instead") from None
    n_terms = len(native.feature_names())
    if n_terms != index._index.n_terms:
        raise ValueError(
            f"cannot save this SearchIndex: its vectorizer now has {n_terms} terms but the index has "
            f"{index._index.n_terms} (was the vectorizer fitted again after the index was built?)"
        )
    doc[_INDEX_KEY] = {"layout": _INDEX_LAYOUT, "n_jobs": index._n_jobs, "info": index._info}
    try:
        return native, _json(doc)
    except (TypeError, ValueError) as e:
        raise ValueError(f"cannot save this SearchIndex: its information is not JSON ({e})") from None


def _serialize_index(index: Any) -> bytes:
    native, metadata = _index_parts(index)
    return bytes(index._index.serialize(metadata, native))


def _save_index(index: Any, path: PathLike) -> None:
    native, metadata = _index_parts(index)
    index._index.save(os.fsencode(path), native, metadata)


def _index_python_part(metadata: bytes) -> tuple[int, dict]:
    """(n_jobs, info) of an index's metadata; (1, {}) for an index saved from C++."""
    try:
        doc = json.loads(metadata.decode("utf-8")) if metadata else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        doc = None
    if not isinstance(doc, dict) or _INDEX_KEY not in doc:
        return 1, {}
    part = doc[_INDEX_KEY]
    if not isinstance(part, dict) or part.get("layout") != _INDEX_LAYOUT:
        raise _invalid(f"{_INDEX_KEY!r} is not an object of layout {_INDEX_LAYOUT} (written by a newer lexsim?)")
    n_jobs, info = part.get("n_jobs"), part.get("info")
    if not (isinstance(n_jobs, int) and not isinstance(n_jobs, bool) and (n_jobs >= 1 or n_jobs == -1)):
        raise _invalid(f"the index's n_jobs {n_jobs!r} is not -1 or a positive int")
    if not isinstance(info, dict):
        raise _invalid(f"the index's info {info!r} is not an object")
    return n_jobs, info


def _from_loaded(loaded: tuple) -> Any:
    """The Python object of what _core.load_any or _core.deserialize_any returned."""
    kind, obj, native_vectorizer, metadata = loaded
    if kind == "vectorizer":
        return _from_native(obj, metadata)
    if native_vectorizer is None:
        error = ModelFormatError(
            "the search index was saved without its vectorizer (from C++): lexsim.SearchIndex needs the "
            "vectorizer that turns queries into rows; save it with one (lexsim::save(index, vectorizer, path))"
        )
        setattr(error, "byte_offset", None)  # noqa: B010 (the stubs do not declare the attribute the core sets)
        raise error
    vectorizer = _from_native(native_vectorizer, metadata)
    n_jobs, info = _index_python_part(metadata)
    from .search import SearchIndex

    return SearchIndex._from_core(obj, vectorizer, n_jobs, info)


def _load_any(path: PathLike, *, mmap: bool = False, verify: bool = False) -> Any:
    return _from_loaded(_core.load_any(os.fsencode(path), mmap, verify))


# ------------------------------------------------------------------------------------------ loading
def _invalid(reason: str) -> ModelFormatError:
    error = ModelFormatError(f"invalid model metadata (section 'META'): {reason}")
    setattr(error, "byte_offset", None)  # noqa: B010 (set by the C++ core for the errors it raises; the stubs do not declare it)
    return error


def _python_part(metadata: bytes, native_class: str) -> Optional[dict]:
    """Python's saved parameters, or None when the metadata is not Python's (a C++ caller's own)."""
    if not metadata:
        return None
    try:
        doc = json.loads(metadata.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None  # opaque metadata of a C++ caller
    if not isinstance(doc, dict) or _KEY not in doc:
        return None
    part = doc[_KEY]
    if not isinstance(part, dict) or not isinstance(part.get("params"), dict):
        raise _invalid(f"{_KEY!r} is not an object with 'params'")
    layout = part.get("layout")
    if layout != _LAYOUT:
        raise _invalid(f"layout {layout!r} of the Python parameters is not {_LAYOUT} (written by a newer lexsim?)")
    if part.get("class") != native_class:
        raise _invalid(f"it says {part.get('class')!r}, but the model is a {native_class}")
    params = part["params"]
    unknown = sorted(set(params) - set(_SAVED))
    if unknown:
        raise _invalid(f"parameters this lexsim does not know: {', '.join(map(str, unknown))}")
    missing = sorted(set(_SAVED) - set(params))
    if missing:
        raise _invalid(f"parameters missing: {', '.join(missing)}")
    return params


def _restore_dtype(spec: Any) -> Any:
    if not (isinstance(spec, list) and len(spec) == 2 and all(isinstance(s, str) for s in spec)):
        raise _invalid(f"dtype {spec!r} is not a [form, name] pair")
    form, name = spec
    if form == "builtin":
        if name not in _BUILTIN_DTYPES:
            raise _invalid(f"dtype {name!r} is not a builtin type a vectorizer takes")
        return _BUILTIN_DTYPES[name]
    if len(name) > 32:
        raise _invalid("dtype name longer than 32 characters")
    try:
        dtype = np.dtype(name)
    except TypeError:
        raise _invalid(f"dtype {name!r} is not a numpy dtype") from None
    if dtype.kind not in "biuf":
        raise _invalid(f"dtype {name!r} is not numeric")
    if form == "str":
        return name
    if form == "dtype":
        return dtype
    if form == "numpy":
        return dtype.type
    raise _invalid(f"dtype form {form!r} is not one of builtin, str, dtype, numpy")


def _restore_stop_words(spec: Any) -> Any:
    if spec is None or isinstance(spec, str):
        return spec
    if (
        isinstance(spec, dict)
        and set(spec) == {"type", "items"}
        and spec["type"] in _COLLECTIONS
        and isinstance(spec["items"], list)
        and all(isinstance(w, str) for w in spec["items"])
    ):
        return _COLLECTIONS[spec["type"]](spec["items"])
    raise _invalid(f"stop_words {spec!r} is not a saved stop-word list")


def _restore_vocabulary(spec: Any, terms: Optional[list]) -> Any:
    if terms is None:
        if spec is not None:
            raise _invalid("it gives a vocabulary type, but the model's vocabulary was not fixed")
        return None
    form = "list" if spec is None else spec.get("type") if isinstance(spec, dict) else None
    if form == "dict":
        return {t: i for i, t in enumerate(terms)}
    if form in _COLLECTIONS:
        return _COLLECTIONS[form](terms)
    raise _invalid(f"vocabulary {spec!r} is not a saved vocabulary type")


def _df_param(d: Any) -> Union[int, float]:
    return float(d.value) if d.is_proportion else int(d.value)


def _from_core(name: str) -> dict[str, Any]:
    """The core's enum names a model file holds -> the parameter's values (e.g. "nfc" -> "NFC")."""
    return {member.name: value for value, member in CHOICES[name].items()}


_ANALYZERS = _from_core("analyzer")
_ACCENTS = _from_core("strip_accents")
_NORMALIZATIONS = _from_core("normalization")
_NORMS = _from_core("norm")


def _params_of(native: Any, saved: Optional[dict]) -> dict:
    """The Python parameters of a loaded model: from its C++ options, and from Python's metadata
    for what those do not hold."""
    o = _core.model_options(native)
    a = o.analysis
    params: dict[str, Any] = {
        "input": "content",
        "encoding": "utf-8",
        "decode_error": a.decode_error.name,
        "strip_accents": _ACCENTS[a.strip_accents.name],
        "lowercase": bool(a.lowercase),
        "preprocessor": None,
        "tokenizer": None,
        "stop_words": None if a.stop_words is None else list(a.stop_words),
        "token_pattern": a.token_pattern,
        "ngram_range": tuple(a.ngram_range),
        "analyzer": _ANALYZERS[a.analyzer.name],
        "max_df": _df_param(o.max_df),
        "min_df": _df_param(o.min_df),
        "max_features": o.max_features,
        "vocabulary": _restore_vocabulary(None, o.vocabulary),
        "binary": bool(o.binary),
        "normalization": _NORMALIZATIONS[a.normalization.name],
        "casefold": bool(a.casefold),
        "stemmer": a.stemmer,
        "n_jobs": None if o.n_jobs == 1 else int(o.n_jobs),
    }
    if isinstance(native, _core.TfidfVectorizer):
        params.update(
            norm=_NORMS[o.norm.name],
            use_idf=bool(o.use_idf),
            smooth_idf=bool(o.smooth_idf),
            sublinear_tf=bool(o.sublinear_tf),
        )
    if saved is not None:
        if saved["input"] not in tuple(CHOICES["input"]):
            raise _invalid(f"input {saved['input']!r} is not one of {', '.join(CHOICES['input'])}")
        if not (isinstance(saved["encoding"], str) and _ENCODING_NAME.fullmatch(saved["encoding"])):
            raise _invalid(f"encoding {saved['encoding']!r} is not an encoding name")
        n_jobs = saved["n_jobs"]
        if n_jobs is not None and (not isinstance(n_jobs, int) or isinstance(n_jobs, bool)):
            raise _invalid(f"n_jobs {n_jobs!r} is not an int or null")
        if not isinstance(saved["token_pattern"], (str, type(None))):
            raise _invalid(f"token_pattern {saved['token_pattern']!r} is not a str or null")
        params.update(
            input=saved["input"],
            encoding=saved["encoding"],
            dtype=_restore_dtype(saved["dtype"]),
            n_jobs=n_jobs,
            token_pattern=saved["token_pattern"],
            stop_words=_restore_stop_words(saved["stop_words"]),
            vocabulary=_restore_vocabulary(saved["vocabulary"], o.vocabulary),
        )
    return params


def _from_native(native: Any, metadata: bytes) -> Vectorizer:
    cls = TfidfVectorizer if isinstance(native, _core.TfidfVectorizer) else CountVectorizer
    saved = _python_part(metadata, cls.__name__)
    params = _params_of(native, saved)
    vec = cls(**params)
    try:
        vec._validate_params()
        native_mode = vec._native_mode()
        fresh = vec._new_native(native_mode)
    except (TypeError, ValueError, re.error) as e:
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise _invalid(f"the parameters are not valid: {message}") from None
    # The vectorizer transforms with the loaded C++ object; its options must be exactly those the
    # Python parameters give, or get_params() would describe a different analysis than it runs.
    if _core.encode_options(fresh) != _core.encode_options(native):
        raise _invalid("the Python parameters disagree with the model's options")
    vec._adopt(native, native_mode)
    return vec


def deserialize(data: Union[bytes, bytearray, memoryview]) -> Saved:
    """The vectorizer (or search index) in model bytes made by :func:`serialize` (or by C++
    ``lexsim::serialize``).

    Parameters
    ----------
    data : bytes-like
        The model.

    Returns
    -------
    lexsim.CountVectorizer, lexsim.TfidfVectorizer or lexsim.SearchIndex
        The fitted vectorizer, of the class that was saved, with the same ``get_params()``; it
        transforms documents exactly (bit for bit) as the vectorizer that was saved. For the
        bytes of an index: the index, with its vectorizer, searching as the one that was saved.

    Raises
    ------
    lexsim.ModelFormatError
        A ``ValueError``: the bytes are not a complete, intact model of a format version this
        lexsim reads (the message gives the reason and the byte offset).
    """
    return _from_loaded(_core.deserialize_any(data))


def load(path: PathLike) -> Saved:
    """Load a vectorizer from a model file (saved by ``vectorizer.save``, :func:`save`, ``lexsim
    fit`` or C++ ``lexsim::save``), or a search index from an index file (``index.save``,
    ``lexsim index``).

    Nothing in the file is executed: the vectorizer is rebuilt from its options, terms, document
    frequencies and idf, and transforms documents exactly (bit for bit) as the one that was saved.

    Parameters
    ----------
    path : str, bytes or path-like
        The model file.

    Returns
    -------
    lexsim.CountVectorizer, lexsim.TfidfVectorizer or lexsim.SearchIndex
        The fitted vectorizer, of the class that was saved, with the same ``get_params()``; or,
        for an index file, the :class:`lexsim.SearchIndex` (read into memory: see
        :meth:`lexsim.SearchIndex.load` to map it), searching exactly as the one saved.

    Raises
    ------
    lexsim.ModelFormatError
        A ``ValueError``: the file is empty, truncated, damaged, not a lexsim model, from a newer
        format version, or inconsistent (the message names the file, the reason and the byte offset).
    OSError
        When the file cannot be read, or is not a regular file.

    Examples
    --------
    >>> import lexsim, os, tempfile
    >>> vec = lexsim.TfidfVectorizer().fit(["Erdogan met Putin", "Putin met Assad"])
    >>> path = os.path.join(tempfile.mkdtemp(), "news.lexsim")
    >>> vec.save(path)
    >>> loaded = lexsim.load(path)
    >>> loaded.get_feature_names_out().tolist()
    ['assad', 'erdogan', 'met', 'putin']
    >>> (loaded.transform(["Putin"]) != vec.transform(["Putin"])).nnz
    0
    """
    return _load_any(path)


def save_model(vectorizer: Saved, path: PathLike) -> None:
    """Save a fitted vectorizer to a model file: the same as :func:`save`.

    Parameters
    ----------
    vectorizer : lexsim.CountVectorizer or lexsim.TfidfVectorizer
        A fitted vectorizer without Python callables.
    path : str, bytes or path-like
        Where to write the model.
    """
    save(vectorizer, path)


def load_model(path: PathLike) -> Saved:
    """Load a vectorizer from a model file: the same as :func:`load`.

    Parameters
    ----------
    path : str, bytes or path-like
        The model file.

    Returns
    -------
    lexsim.CountVectorizer or lexsim.TfidfVectorizer
        The fitted vectorizer.
    """
    return load(path)

"""Arrow input: which document collections are read from their Arrow buffers.

A pyarrow ``Array`` or ``ChunkedArray``, a polars ``Series``, or any other object that exports Arrow
data through the PyCapsule interface (``__arrow_c_stream__`` / ``__arrow_c_array__``) is read by
``lexsim._core.ArrowDocuments`` in place: no Python ``str`` per document. A pandas Series is read
that way only when its values already are Arrow strings (``str`` in pandas 3 with pyarrow,
``string[pyarrow]``, ``pd.ArrowDtype(pa.string())``...): exporting any other Series would first
convert it to Arrow, a copy that costs more than reading its ``str`` objects. Objects are
recognised by these attributes only, so this module imports neither pyarrow, polars nor pandas.
"""

from __future__ import annotations

from typing import Any, Optional

from . import _core

__all__ = ["arrow_source", "read", "as_python"]

# pandas StringDtype storages that hold a pyarrow array ("pyarrow_numpy" is pandas 2.1-2.3's
# name for what pandas 3 calls "pyarrow" with NaN as its missing value).
_PANDAS_ARROW_STORAGES = ("pyarrow", "pyarrow_numpy")


def arrow_source(obj: Any) -> Optional[Any]:
    """The object to read as Arrow data, or None when ``obj`` is to be read as a Python iterable."""
    cls = type(obj)
    if (cls.__module__ or "").split(".", 1)[0] == "pandas":
        return _pandas_source(obj)
    if hasattr(cls, "__arrow_c_stream__") or hasattr(cls, "__arrow_c_array__"):
        return obj
    return None


def _pandas_source(obj: Any) -> Optional[Any]:
    # A Series or Index (a DataFrame has no .dtype: iterating it gives its column names, as
    # scikit-learn's vectorizers see them), with Arrow-backed values.
    dtype, values = getattr(obj, "dtype", None), getattr(obj, "array", None)
    if dtype is None or values is None or getattr(obj, "ndim", 1) != 1:
        return None
    if getattr(dtype, "storage", None) not in _PANDAS_ARROW_STORAGES and getattr(dtype, "pyarrow_dtype", None) is None:
        return None
    # pyarrow's protocol for pandas extension arrays: an Arrow-backed array hands over the pyarrow
    # ChunkedArray it holds, without a copy (pandas 3's Series.__arrow_c_stream__ goes through it too).
    export = getattr(values, "__arrow_array__", None)
    return export() if callable(export) else None


def read(obj: Any) -> Optional[_core.ArrowDocuments]:
    """``obj``'s documents viewed in its Arrow buffers, or None when it is not Arrow data.

    Raises TypeError for Arrow data that is not strings or binary, ValueError for a null.
    """
    source = arrow_source(obj)
    return None if source is None else _core.ArrowDocuments(source)


def as_python(obj: Any, errors: str = "strict") -> Any:
    """``obj`` as a list of str (bytes for binary data) when it is Arrow data, else ``obj`` itself:
    for code that needs Python objects, such as a scikit-learn vectorizer's analyzer."""
    docs = read(obj)
    return obj if docs is None else docs.to_list(errors)

"""Assembling scipy matrices from the C++ core's buffers, and handing scipy matrices to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._base import sklearn_config
from ._lazy import scipy_sparse as sp

_INT32_MAX = np.iinfo(np.int32).max


def _sparse_interface() -> str:
    """scikit-learn's ``sparse_interface`` config ("spmatrix" unless scikit-learn is imported and says otherwise)."""
    return str(sklearn_config().get("sparse_interface", "spmatrix"))


def _is_sparse_array(X: Any) -> bool:
    if isinstance(X, PreparedMatrix):
        return X._sparse_array
    sparray = getattr(sp, "sparray", None)  # the common base of scipy's sparse arrays (scipy >= 1.11)
    if sparray is not None:
        return isinstance(X, sparray)
    return sp.issparse(X) and type(X).__name__.endswith("_array")  # pragma: no cover - older scipy


def wants_sparse_array(*inputs: Any) -> bool:
    """The one rule for the sparse type lexsim returns: a scipy sparse array (``csr_array``) when
    one of the inputs is a sparse array or scikit-learn's ``sparse_interface`` config says
    ``"sparray"``; a sparse matrix (``csr_matrix``) otherwise.

    So a ``csr_array`` in gives a ``csr_array`` out and a ``csr_matrix`` in a ``csr_matrix`` out,
    and output built from documents or dense arrays follows scikit-learn's config as scikit-learn's
    vectorizers do.
    """
    return any(_is_sparse_array(X) for X in inputs) or _sparse_interface() == "sparray"


def as_output(M: Any, like: Sequence[Any] = ()) -> Any:
    """A CSR result ``M`` in the type :func:`wants_sparse_array` picks for inputs ``like`` (the
    same buffers, no copy)."""
    cls = sp.csr_array if wants_sparse_array(*like) else sp.csr_matrix
    if type(M) is cls:
        return M
    out = cls((M.data, M.indices, M.indptr), shape=M.shape, copy=False)
    out.has_sorted_indices = M.has_sorted_indices
    return out


def csr_from_buffers(parts: tuple[Any, Any, Any, tuple[int, int]], like: Sequence[Any] = ()) -> Any:
    """Wrap the (data, indices, indptr, shape) the core returns, without copying the arrays.

    The result is a ``scipy.sparse.csr_matrix``, or a ``csr_array`` by :func:`wants_sparse_array`
    for the inputs ``like`` it was computed from.
    """
    data, indices, indptr, shape = parts
    cls = sp.csr_array if wants_sparse_array(*like) else sp.csr_matrix
    m = cls((data, indices, indptr), shape=tuple(shape), copy=False)
    m.has_sorted_indices = True  # the core sorts column indices within each row
    return m


class PreparedMatrix:
    """A matrix checked and converted once into the buffers the core reads (see
    :func:`lexsim.similarity.prepare`); :func:`as_core_csr` hands them out without checking again.

    The buffers may be the caller's own arrays (nothing is copied that need not change), so the
    matrix must not be modified while the handle is in use.
    """

    __slots__ = ("_parts", "_sparse_array")

    def __init__(self, X: Any) -> None:
        if isinstance(X, PreparedMatrix):
            raise TypeError("X is already prepared")
        self._parts = as_core_csr(X, "X")
        self._sparse_array = _is_sparse_array(X)

    @property
    def shape(self) -> tuple[int, int]:
        return (self._parts[3], self._parts[4])

    @property
    def dtype(self) -> Any:
        return self._parts[0].dtype

    @property
    def nnz(self) -> int:
        return int(self._parts[2][-1])

    def __repr__(self) -> str:
        return f"<prepared {self.shape[0]}x{self.shape[1]} matrix, {self.dtype}, {self.nnz} stored values>"


def as_core_csr(X: Any, name: str, dtype: Any = None) -> tuple[Any, Any, Any, int, int]:
    """Check a matrix and return (data, indices, indptr, rows, cols) in the types the core reads.

    Accepts any scipy sparse matrix or array (converted to CSR) and 2-d numpy arrays. Copies only
    what must change: other formats, index types, duplicate entries or non-float data. A
    :class:`PreparedMatrix` was checked when it was made: its buffers are returned as they are
    (data converted only when another ``dtype`` is asked for).
    """
    if isinstance(X, PreparedMatrix):
        parts = X._parts
        if dtype is not None and parts[0].dtype != dtype:
            parts = (parts[0].astype(dtype),) + parts[1:]
        return parts
    if isinstance(X, (str, bytes)) or not (sp.issparse(X) or isinstance(X, np.ndarray)):
        raise TypeError(f"{name} must be a scipy sparse matrix or a 2-d numpy array, got {type(X).__name__}")
    if X.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers (bool, int or float), got dtype {X.dtype}")
    if not sp.issparse(X):
        if X.ndim != 2:
            raise ValueError(f"{name} must be 2-dimensional, got an array of shape {X.shape}")
        X = sp.csr_matrix(X)
    elif X.format != "csr":
        X = X.tocsr()
    if dtype is None:
        dtype = np.float32 if X.dtype == np.float32 else np.float64
    if X.dtype != dtype:
        X = X.astype(dtype)
    if not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
    if X.shape[1] > _INT32_MAX:
        raise ValueError(f"{name} has {X.shape[1]} columns; at most 2**31 - 1 are supported")
    data = np.ascontiguousarray(X.data)
    if not np.isfinite(data).all():
        bad = int(np.flatnonzero(~np.isfinite(data))[0])
        raise ValueError(f"{name} contains NaN or infinity (stored value {bad}: {data[bad]!r})")
    indices = np.ascontiguousarray(X.indices, dtype=np.int32)
    indptr = X.indptr
    if indptr.dtype not in (np.int32, np.int64):
        indptr = indptr.astype(np.int64)
    indptr = np.ascontiguousarray(indptr)
    return data, indices, indptr, int(X.shape[0]), int(X.shape[1])

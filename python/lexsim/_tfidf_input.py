"""The count matrices a TfidfTransformer reads: scikit-learn's checks and messages for what is not
one, its feature-name rule, and the CSR form the core reads in place."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from . import _core
from ._sparse import _sparse_interface

# Value types the core reads in place; others are converted to float64, as scikit-learn does.
_CORE_VALUES = frozenset(np.dtype(t) for t in (np.int32, np.int64, np.float32, np.float64))
_INT32_MAX = int(np.iinfo(np.int32).max)


def _is_bool(x: Any) -> bool:
    return isinstance(x, (bool, np.bool_))


def _feature_names(X: Any) -> Optional[np.ndarray]:
    """The column names of a DataFrame when they are all strings (scikit-learn's rule), else None."""
    import scipy.sparse as sp  # here, not at the top: ``import lexsim`` does not load scipy.sparse

    columns = getattr(X, "columns", None)
    if columns is None or sp.issparse(X) or isinstance(X, np.ndarray):
        return None
    names = np.asarray(list(columns), dtype=object)
    kinds = {type(n).__name__ for n in names}
    is_str = [isinstance(n, str) for n in names]
    if len(names) and all(is_str):
        return names
    if any(is_str):
        raise TypeError(
            "Feature names are only supported if all input features have string names, but your input has "
            f"{sorted(kinds)} as feature name / column name types. Convert them all to str, e.g. X.columns = X.columns.astype(str)."
        )
    return None


def _dense(X: Any) -> np.ndarray:
    """A 2-d numeric numpy array of X (array-like), with scikit-learn's errors for what is not one."""
    if isinstance(X, (str, bytes)):
        raise ValueError(f"Expected 2D array, got scalar array instead: {X!r}")
    try:
        A = np.asarray(X)
    except Exception as e:  # ragged lists and the like
        raise ValueError(f"X cannot be read as a 2-d array: {e}") from None
    if A.dtype.kind in "US":
        raise ValueError(
            "dtype='numeric' is not compatible with arrays of bytes/strings. Convert your data to numeric values explicitly instead."
        )
    if A.dtype.kind == "c":
        raise ValueError("Complex data not supported")
    if A.dtype.kind not in "biuf":
        A = A.astype(
            np.float64
        )  # objects that are numbers; numpy's TypeError or ValueError otherwise, as in scikit-learn
    if A.ndim == 0:
        raise ValueError(f"Expected 2D array, got scalar array instead: {X!r}")
    if A.ndim == 1:
        raise ValueError(
            "Expected 2D array, got 1D array instead. Reshape your data either using array.reshape(-1, 1) "
            "if your data has a single feature or array.reshape(1, -1) if it contains a single sample."
        )
    if A.ndim > 2:
        raise ValueError(f"Found array with dim {A.ndim}. TfidfTransformer expected <= 2.")
    return A


def _counts_csr(X: Any, min_rows: int) -> Any:
    """X as a CSR matrix the core reads: int32, int64, float32 or float64 values, each column at
    most once per row (in any order). X itself when it already is one, else a new matrix; X is
    never changed."""
    import scipy.sparse as sp

    if sp.issparse(X):
        if X.dtype.kind == "c":
            raise ValueError("Complex data not supported")
        if X.dtype.kind not in "biuf":
            raise ValueError(f"X must hold real numbers, got dtype {X.dtype}")
        M = X if X.format == "csr" else X.tocsr()
    else:
        M = sp.csr_matrix(_dense(X))
    rows, cols = M.shape
    if rows < min_rows:
        raise ValueError(
            f"Found array with {rows} sample(s) (shape={M.shape}) while a minimum of {min_rows} is required by TfidfTransformer."
        )
    if cols < 1:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={M.shape}) while a minimum of 1 is required by TfidfTransformer."
        )
    if cols > _INT32_MAX:
        raise ValueError(f"X has {cols} columns; at most 2**31 - 1 are supported")
    owned = M is not X  # its arrays are new, ours to change
    if M.dtype not in _CORE_VALUES:
        # Not M.astype(): it also sorts every row (scipy canonicalises the copy), which costs more.
        M = type(M)((M.data.astype(np.float64), M.indices, M.indptr), shape=M.shape)
    # Rows need not be sorted (the core keeps their order, as scikit-learn does), but a column
    # stored twice in a row is one entry, their sum (what scipy means by it).
    if not M.has_canonical_format and (M.has_sorted_indices or _core.csr_has_duplicates(_core_tuple(M))):
        M = M if owned else M.copy()
        M.sum_duplicates()
    return M


def _core_tuple(M: Any) -> tuple[Any, Any, Any, int, int]:
    """(data, indices, indptr, rows, cols) of a CSR matrix, as the core reads them (its
    data array itself when contiguous, so that the core can weigh it in place)."""
    data = M.data if M.data.flags.c_contiguous else np.ascontiguousarray(M.data)
    indices = np.ascontiguousarray(M.indices, dtype=np.int32)
    indptr = M.indptr if M.indptr.dtype in (np.int32, np.int64) else M.indptr.astype(np.int64)
    return data, indices, np.ascontiguousarray(indptr), int(M.shape[0]), int(M.shape[1])


def _aligned(M: Any) -> Any:
    """A CSR result in the sparse class scikit-learn's ``sparse_interface`` config asks for
    (``csr_matrix`` by default), sharing its arrays, as scikit-learn's transformers return it."""
    import scipy.sparse as sp

    want_array = _sparse_interface() == "sparray"
    is_array = type(M).__name__ == "csr_array"
    if want_array == is_array:
        return M
    return sp.csr_array(M) if want_array else sp.csr_matrix(M)


def _names_differ(fitted: np.ndarray, names: np.ndarray) -> str:
    """scikit-learn's message for feature names that are not those of the fit."""
    unseen = [n for n in names if n not in set(fitted)]
    missing = [n for n in fitted if n not in set(names)]
    message = "The feature names should match those that were passed during fit.\n"
    if unseen:
        message += "Feature names unseen at fit time:\n" + "".join(f"- {n}\n" for n in unseen[:5])
    if missing:
        message += "Feature names seen at fit time, yet now missing:\n" + "".join(f"- {n}\n" for n in missing[:5])
    if not unseen and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    return message

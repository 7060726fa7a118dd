"""Cosine similarity between the rows of sparse matrices."""

from __future__ import annotations

import math
import numbers
from typing import Any, Optional

import numpy as np
import scipy.sparse as sp

from . import _core
from ._sparse import as_core_csr, csr_from_buffers

__all__ = ["top_k"]


def top_k(
    A: Any,
    B: Any = None,
    k: int = 10,
    threshold: Optional[float] = None,
    n_jobs: Optional[int] = None,
) -> sp.csr_matrix:
    """The k most cosine-similar rows of B for every row of A, exactly.

    Rows are L2-normalised on the fly (unit rows are used as they are; zero rows match nothing).

    Parameters
    ----------
    A : sparse matrix or 2-d array of shape (n_a, n_features)
        Query rows, e.g. a TF-IDF matrix. Any scipy sparse format; float32 stays float32.
    B : sparse matrix or 2-d array of shape (n_b, n_features), default=None
        Candidate rows. ``None`` (or ``A`` itself) compares A with itself and leaves each row's
        match with itself out.
    k : int, default=10
        How many neighbours to keep per row.
    threshold : float in [-1, 1], default=None
        Keep only similarities strictly greater than this.
    n_jobs : int, default=None
        Threads (``None`` = 1, ``-1`` = all cores); the result does not depend on it.

    Returns
    -------
    scipy.sparse.csr_matrix of shape (n_a, n_b)
        Row i holds the similarities of row i of A to its k best rows of B (only non-zero
        similarities are stored; ties go to the lower index). Column indices are sorted within
        each row; rank a row with ``np.argsort(-row.data)``.

    Examples
    --------
    >>> import lexsim
    >>> X = lexsim.TfidfVectorizer().fit_transform(["a red apple", "a red car", "blue sky"])
    >>> lexsim.top_k(X, k=1).toarray().round(2).tolist()
    [[0.0, 0.37, 0.0], [0.37, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    if not (isinstance(k, numbers.Integral) and not isinstance(k, bool)):
        raise TypeError(f"k must be an int, got {type(k).__name__}")
    if k <= 0:
        raise ValueError(f"k must be a positive integer, got {k}")
    if threshold is not None:
        if not (isinstance(threshold, numbers.Real) and not isinstance(threshold, bool)):
            raise TypeError(f"threshold must be a number or None, got {type(threshold).__name__}")
        if math.isnan(threshold):
            raise ValueError("threshold must not be NaN")
        if not -1.0 <= float(threshold) <= 1.0:
            raise ValueError(f"threshold must be in [-1, 1], got {threshold}")
        threshold = float(threshold)
    if n_jobs is not None and not (isinstance(n_jobs, numbers.Integral) and (n_jobs >= 1 or n_jobs == -1)):
        raise ValueError(f"n_jobs must be None, -1 or a positive int, got {n_jobs!r}")
    self_join = B is None or B is A
    a = as_core_csr(A, "A")
    b = None
    if not self_join:
        dtype = a[0].dtype
        b = as_core_csr(B, "B")
        if b[0].dtype != dtype:  # both in float64 unless both are float32
            a = as_core_csr(A, "A", np.float64)
            b = as_core_csr(B, "B", np.float64)
        if a[4] != b[4]:
            raise ValueError(f"A and B must have the same number of columns, got {a[4]} and {b[4]}")
        if a[2].dtype != b[2].dtype:
            a = a[:2] + (a[2].astype(np.int64),) + a[3:]
            b = b[:2] + (b[2].astype(np.int64),) + b[3:]
    parts = _core.top_k(a, b, int(k), threshold, 1 if n_jobs is None else int(n_jobs))
    return csr_from_buffers(parts)

"""Rank order for every ranked result Python shows: neighbours, top terms, search hits, pairs.

The one tie rule (best value first, ties to the lower column) lives in the C++ core
(``_core.ranked_order``); the Python layer asks it rather than sorting with a rule of its own."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from . import _core


def ranked_order(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, n_cols: int) -> np.ndarray:
    """Positions of each CSR row's stored values in rank order: row r's are
    ``order[indptr[r]:indptr[r + 1]]``, best value first, ties to the lower column index."""
    # Column indices always fit int32 (the core's index type); large results come with int64 ones.
    core_indices = np.ascontiguousarray(indices, dtype=np.int32)
    return _core.ranked_order((data, core_indices, indptr, len(indptr) - 1, int(n_cols)))


def ranked_rows(parts: Any, names: Optional[np.ndarray]) -> list:
    """CSR buffers ``(data, indices, indptr, shape)`` -> per row, ``[(term, value)]`` in rank order;
    a term is ``names[column]``, or the column itself without names."""
    data, indices, indptr, shape = parts
    order = ranked_order(data, indices, indptr, int(shape[1]))
    cols, vals = indices[order], data[order]
    bounds = indptr.tolist()
    out = []
    for r in range(len(bounds) - 1):
        b, e = bounds[r], bounds[r + 1]
        out.append([(names[c] if names is not None else int(c), float(v)) for c, v in zip(cols[b:e], vals[b:e])])
    return out

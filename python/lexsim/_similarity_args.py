"""The argument checks of the similarity functions (lexsim.similarity, lexsim.dask, key terms):
one message for each kind of wrong value, wherever it is given."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, Optional

import numpy as np


def _positive_int(value: Any, name: str) -> int:
    if not (isinstance(value, numbers.Integral) and not isinstance(value, bool)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def _threshold(value: Any, *, low: float, low_inclusive: bool) -> float:
    """A cosine threshold: a real number in [low, 1] (or (low, 1]), never NaN."""
    if not (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        raise TypeError(f"threshold must be a number, got {type(value).__name__}")
    value = float(value)
    if math.isnan(value):
        raise ValueError("threshold must not be NaN")
    ok = (low <= value if low_inclusive else low < value) and value <= 1.0
    if not ok:
        interval = f"[{low:g}, 1]" if low_inclusive else f"({low:g}, 1]"
        extra = "" if low_inclusive else " (a threshold <= 0 would pair every two documents)"
        raise ValueError(f"threshold must be in {interval}{extra}, got {value!r}")
    return value


def _jobs(n_jobs: Any) -> int:
    if n_jobs is None:
        return 1
    if not (
        isinstance(n_jobs, numbers.Integral)
        and not isinstance(n_jobs, bool)
        and (int(n_jobs) >= 1 or int(n_jobs) == -1)
    ):
        raise ValueError(f"n_jobs must be None, -1 or a positive int, got {n_jobs!r}")
    return int(n_jobs)


def _feature_names(vectorizer: Any, n_features: int) -> Optional[np.ndarray]:
    """Column names from a fitted vectorizer (anything with get_feature_names_out) or a sequence;
    None keeps column indices."""
    if vectorizer is None:
        return None
    if hasattr(vectorizer, "get_feature_names_out"):
        names = np.asarray(vectorizer.get_feature_names_out(), dtype=object)
    elif (
        isinstance(vectorizer, (str, bytes))
        or not isinstance(vectorizer, Sequence)
        and not isinstance(vectorizer, np.ndarray)
    ):
        raise TypeError(
            "vectorizer must be a fitted vectorizer (with get_feature_names_out), a sequence of "
            f"feature names or None, got {type(vectorizer).__name__}"
        )
    else:
        names = np.asarray(list(vectorizer), dtype=object)
    if len(names) != n_features:
        raise ValueError(f"the vectorizer has {len(names)} features but X has {n_features} columns")
    return names


def _ids(ids: Any, n_rows: int) -> Optional[list]:
    """``ids`` as a list of one id per row, or None; for the ``id`` columns of the frames."""
    if ids is None:
        return None
    if isinstance(ids, (str, bytes)) or not hasattr(ids, "__len__") or not hasattr(ids, "__iter__"):
        raise TypeError(f"ids must be a sequence of document ids, got {type(ids).__name__}")
    out = list(ids)
    if len(out) != n_rows:
        raise ValueError(f"ids has {len(out)} entries but X has {n_rows} rows")
    return out


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("as_frame=True and to_frame() need pandas: pip install pandas") from e
    return pandas

"""What :func:`lexsim.group` needs besides the core: its methods, the sentence describing a
grouping, and the dates of the documents (read as days)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

GROUP_METHODS = ("leiden", "single")


def describe_grouping(method: str, params: dict) -> str:
    """One sentence saying how :func:`group` formed its groups, for reports."""
    if method == "single":
        return f"single linkage: documents linked by a chain of pairs with cosine >= {params['threshold']:g}"
    k = params["n_neighbors"]
    how = (
        f"k = {k}, from {params['n_documents']} documents as clamp(round(log2 n), 1, 10)"
        if params.get("n_neighbors_derived")
        else f"k = {k}"
    )
    parts = [
        f"Leiden communities (modularity {params['modularity']:.3f}, resolution {params['resolution']:g}) "
        f"of the {k}-nearest-neighbour graph ({how}); a link needs >= {params['min_shared']} shared terms"
    ]
    if params.get("threshold") is not None:
        parts.append(f" and cosine >= {params['threshold']:g}")
    if params.get("date_window"):
        parts.append(f"; documents more than {params['date_window']:g} days apart are not linked")
    return "".join(parts)


_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]|$)")


def _parse_date(text: str, i: int) -> Any:
    """A date or date-time string -> datetime64 (year-month-day first; pandas parses the rest)."""
    import datetime as _dt

    m = _YMD.match(text)
    if m:
        try:
            day = np.datetime64(_dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            raise ValueError(f"dates[{i}] = {text!r} is not a valid date") from None
        if m.end() == len(text):
            return day
    try:
        import pandas as pd

        stamp = pd.Timestamp(text)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        return stamp.to_datetime64()
    except ImportError:
        pass
    except (ValueError, TypeError):
        if m:  # a date with a time that could not be read: the day is what grouping needs
            return day
        raise ValueError(f"dates[{i}] = {text!r} is not a date (expected e.g. 2024-07-24)") from None
    try:
        return np.datetime64(text.replace(" ", "T", 1) if m else text)
    except ValueError:
        if m:
            return day
        raise ValueError(f"dates[{i}] = {text!r} is not a date (expected e.g. 2024-07-24)") from None


def _days(dates: Any, n: int) -> np.ndarray:
    """Dates (datetime64, datetime/date, ISO strings, or numbers of days) -> float days, NaN = unknown."""
    import datetime as _dt

    if isinstance(dates, (str, bytes)):
        raise TypeError("dates must be a sequence with one date per document, not a single string")
    arr = np.asarray(dates)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"dates must have one value per document: got shape {arr.shape} for {n} documents")
    if arr.dtype.kind == "M":
        secs = arr.astype("datetime64[s]")
        out = secs.astype("int64").astype(np.float64) / 86400.0
        out[np.isnat(secs)] = np.nan
        return out
    if arr.dtype.kind in "biuf":
        return arr.astype(np.float64)
    out = np.empty(n, dtype=np.float64)
    for i, d in enumerate(arr.tolist()):
        if d is None or (isinstance(d, float) and np.isnan(d)) or (isinstance(d, str) and not d.strip()):
            out[i] = np.nan
            continue
        if isinstance(d, (int, float)) and not isinstance(d, bool):
            out[i] = float(d)
            continue
        if hasattr(d, "to_datetime64"):  # pandas Timestamp / NaT
            d = d.to_datetime64()
        elif isinstance(d, _dt.datetime):
            d = np.datetime64(
                d.replace(tzinfo=None) if d.tzinfo is None else d.astimezone(_dt.timezone.utc).replace(tzinfo=None)
            )
        elif isinstance(d, _dt.date):
            d = np.datetime64(d)
        elif isinstance(d, str):
            d = _parse_date(d.strip(), i)
        else:
            raise TypeError(f"dates[{i}] = {d!r} is not a date")
        d = np.datetime64(d, "s")
        out[i] = np.nan if np.isnat(d) else float(d.astype("int64")) / 86400.0
    return out

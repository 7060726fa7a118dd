"""A fitted TfidfTransformer's engine as its pickles hold it, and back."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._params import CHOICES

_NORMS = CHOICES["norm"]
_NORM_NAMES = {v: k for k, v in _NORMS.items()}


def fitted_state(native: Any) -> dict[str, Any]:
    """The fitted engine's state: the counts (the idf is computed from them again, bit for bit,
    with the weighting of the fit) and an idf set by hand."""
    w = native.weighting
    return {
        "weighting": (_NORM_NAMES[w.norm], w.use_idf, w.smooth_idf, w.sublinear_tf),
        "n_features": native.n_features,
        "counts": (native.n_documents, native.document_frequencies()) if native.has_counts else None,
        "idf": native.idf() if native.idf_set_by_hand else None,
    }


def native_from_state(fitted: dict[str, Any], n_jobs: int) -> Any:
    """The engine ``fitted_state`` describes, running ``n_jobs`` threads."""
    w = _core.TfidfWeighting()
    w.norm = _NORMS[fitted["weighting"][0]]
    w.use_idf, w.smooth_idf, w.sublinear_tf = (bool(v) for v in fitted["weighting"][1:])
    native = _core.TfidfTransformer(w, n_jobs)
    if fitted["counts"] is not None:
        native.set_counts(int(fitted["counts"][0]), np.asarray(fitted["counts"][1], dtype=np.int64))
    if fitted["idf"] is not None:
        native.set_idf(np.asarray(fitted["idf"], dtype=np.float64))
    if native.n_features != fitted["n_features"]:
        raise ValueError(
            "the pickled TfidfTransformer is inconsistent: its counts and idf disagree on the number of features"
        )
    return native

"""The estimator base: scikit-learn's when it is installed, a compatible minimal one otherwise."""

from __future__ import annotations

import inspect
from typing import Any

try:
    from sklearn.base import BaseEstimator, TransformerMixin

    HAVE_SKLEARN = True
except ImportError:  # pragma: no cover - exercised only without scikit-learn
    HAVE_SKLEARN = False

    class BaseEstimator:  # type: ignore[no-redef]
        """get_params / set_params as scikit-learn defines them (parameters = __init__ arguments)."""

        @classmethod
        def _get_param_names(cls) -> list[str]:
            sig = inspect.signature(cls.__init__)
            return sorted(p.name for p in sig.parameters.values() if p.name != "self" and p.kind != p.VAR_KEYWORD)

        def get_params(self, deep: bool = True) -> dict[str, Any]:
            return {name: getattr(self, name) for name in self._get_param_names()}

        def set_params(self, **params: Any) -> "BaseEstimator":
            valid = self._get_param_names()
            for key, value in params.items():
                if key not in valid:
                    raise ValueError(f"Invalid parameter {key!r} for estimator {type(self).__name__}. Valid parameters are: {valid!r}.")
                setattr(self, key, value)
            return self

        def __repr__(self) -> str:
            return f"{type(self).__name__}()"

    class TransformerMixin:  # type: ignore[no-redef]
        """fit_transform from fit and transform."""

        def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
            return self.fit(X, y, **fit_params).transform(X)  # type: ignore[attr-defined]


__all__ = ["BaseEstimator", "TransformerMixin", "HAVE_SKLEARN"]

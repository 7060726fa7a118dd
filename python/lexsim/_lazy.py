"""Modules imported on first use, so that ``import lexsim`` stays fast.

``scipy.sparse`` takes about as long to import as numpy and lexsim together (it loads
``numpy.f2py``, ``numpy.testing``, ``numpy.ma`` and ``numpy.random`` through its array API layer),
yet ``import lexsim`` needs none of it: the modules refer to it as ``sp`` from here, and it is
imported when a function first touches it.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any


class LazyModule:
    """Stands for the module ``name`` and imports it when one of its attributes is first read."""

    __slots__ = ("_lazy_name",)

    def __init__(self, name: str) -> None:
        self._lazy_name = name

    def __getattr__(self, attr: str) -> Any:
        module = sys.modules.get(self._lazy_name)
        if module is None:
            module = importlib.import_module(self._lazy_name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazily imported module {self._lazy_name!r}>"


if TYPE_CHECKING:  # type checkers see the module itself
    import scipy.sparse as scipy_sparse
else:
    scipy_sparse = LazyModule("scipy.sparse")

__all__ = ["LazyModule", "scipy_sparse"]

"""Exception types of the lexsim package."""

from __future__ import annotations

import sys
from typing import Any

from . import _core

#: Base class of the errors raised by lexsim's C++ core (a ``ValueError``).
LexsimError = _core.LexsimError
#: Invalid UTF-8 in a ``bytes`` document with ``decode_error='strict'`` (a ``ValueError``);
#: has ``document`` and ``byte_offset`` attributes.
UnicodeError = _core.UnicodeError  # noqa: A001 - lexsim.UnicodeError, deliberately
#: Bytes that are not a valid lexsim model: empty, truncated, damaged, foreign, from a newer format
#: version, or inconsistent (a ``ValueError``); ``byte_offset`` says where (None for an error in
#: the Python parameters the model's metadata holds).
ModelFormatError = _core.ModelFormatError


class NotFittedError(ValueError, AttributeError):
    """Raised when a vectorizer is used before ``fit``.

    A subclass of ``ValueError`` and ``AttributeError``, and also of scikit-learn's
    ``NotFittedError`` whenever scikit-learn is imported: ``except
    sklearn.exceptions.NotFittedError`` catches it (as it catches scikit-learn's own).
    """

    # lexsim does not import scikit-learn (it takes most of a second), so this class cannot derive
    # from scikit-learn's. Code that names scikit-learn's NotFittedError has imported scikit-learn,
    # though; from then on what is raised is an instance of a subclass of both, made once, and
    # lexsim.NotFittedError (a module __getattr__) is that subclass. Only a reference to this class
    # taken before scikit-learn was imported is not a scikit-learn NotFittedError.
    def __new__(cls, *args: Any, **kwargs: Any) -> NotFittedError:
        if cls is NotFittedError:
            cls = not_fitted_error_class()
        return super().__new__(cls, *args, **kwargs)

    def __reduce__(self) -> Any:
        # Unpickled, it becomes whichever of the two fits the receiving process.
        return (NotFittedError, self.args, self.__dict__ or None)


_both: Any = None


def not_fitted_error_class() -> type:
    """What ``lexsim.NotFittedError`` is: this module's ``NotFittedError``, or once scikit-learn is
    imported a subclass of it that is also scikit-learn's ``NotFittedError`` (the class of what
    lexsim raises then)."""
    global _both
    exceptions = sys.modules.get("sklearn.exceptions")
    sk_error = getattr(exceptions, "NotFittedError", None)
    if not isinstance(sk_error, type):
        return NotFittedError
    if _both is None or sk_error not in _both.__bases__:
        _both = type(
            "NotFittedError", (NotFittedError, sk_error), {"__module__": __name__, "__doc__": NotFittedError.__doc__}
        )
    return _both


__all__ = ["LexsimError", "ModelFormatError", "NotFittedError", "UnicodeError", "not_fitted_error_class"]

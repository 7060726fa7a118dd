"""Exception types of the lexsim package."""

from __future__ import annotations

from . import _core

try:  # scikit-learn users catch its NotFittedError; be one when it is installed
    from sklearn.exceptions import NotFittedError as _NotFittedBase
except ImportError:  # pragma: no cover - exercised only without scikit-learn

    class _NotFittedBase(ValueError, AttributeError):  # type: ignore[no-redef]
        """Raised when an estimator is used before it was fitted."""


#: Base class of the errors raised by lexsim's C++ core (a ``ValueError``).
LexsimError = _core.LexsimError
#: Invalid UTF-8 in a ``bytes`` document with ``decode_error='strict'`` (a ``ValueError``);
#: has ``document`` and ``byte_offset`` attributes.
UnicodeError = _core.UnicodeError  # noqa: A001 - lexsim.UnicodeError, deliberately
#: Bytes that are not a valid lexsim model: empty, truncated, damaged, foreign, from a newer format
#: version, or inconsistent (a ``ValueError``); ``byte_offset`` says where (None for an error in
#: the Python parameters the model's metadata holds).
ModelFormatError = _core.ModelFormatError


class NotFittedError(_NotFittedBase):
    """Raised when a vectorizer is used before ``fit``.

    A subclass of ``ValueError`` and ``AttributeError`` (and of scikit-learn's
    ``NotFittedError`` when scikit-learn is installed).
    """


__all__ = ["LexsimError", "ModelFormatError", "NotFittedError", "UnicodeError"]

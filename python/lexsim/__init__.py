"""lexsim: Unicode-aware TF-IDF and cosine similarity with exact scikit-learn parity, in C++.

>>> import lexsim
>>> vec = lexsim.TfidfVectorizer(strip_accents="unicode")
>>> X = vec.fit_transform(["Erdoğan met Putin in Sochi", "Erdogan and Putin met again"])
>>> neighbours = lexsim.top_k(X, k=1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _core, _errors
from ._errors import LexsimError, ModelFormatError, UnicodeError
from ._threads import _register_with_threadpoolctl, effective_n_jobs
from .hashing import HashingVectorizer
from .keyterms import Background, KeyTerm, key_terms, term_occurrences
from .model import load
from .search import SearchHits, SearchIndex
from .similarity import Explanation, Group, StoryGroups, explain, group, similar_pairs, top_k, top_terms
from .tfidf import TfidfTransformer
from .vectorizers import (
    ENGLISH_STOP_WORDS,
    CountVectorizer,
    TfidfVectorizer,
    stemmers,
    strip_accents_ascii,
    strip_accents_unicode,
)

if TYPE_CHECKING:
    from ._errors import NotFittedError


def __getattr__(name: str) -> Any:
    if name == "NotFittedError":  # scikit-learn's NotFittedError too once scikit-learn is imported (see _errors)
        return _errors.not_fitted_error_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"NotFittedError"})


__version__: str = _core.__version__
_register_with_threadpoolctl()
#: Unicode version of the character data in the C++ core (utf8proc's).
unicode_version: str = _core.unicode_version

__all__ = [
    "Background",
    "CountVectorizer",
    "ENGLISH_STOP_WORDS",
    "Explanation",
    "Group",
    "HashingVectorizer",
    "KeyTerm",
    "LexsimError",
    "ModelFormatError",
    "NotFittedError",
    "StoryGroups",
    "SearchHits",
    "SearchIndex",
    "TfidfTransformer",
    "TfidfVectorizer",
    "UnicodeError",
    "__version__",
    "explain",
    "effective_n_jobs",
    "group",
    "key_terms",
    "load",
    "similar_pairs",
    "stemmers",
    "strip_accents_ascii",
    "strip_accents_unicode",
    "term_occurrences",
    "top_k",
    "top_terms",
    "unicode_version",
]

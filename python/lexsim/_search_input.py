"""What a SearchIndex reads, checked: its arguments, the queries, and the documents' matrix (as
the vectorizer gives it, or the counts BM25 needs)."""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any, Optional

import numpy as np

from . import _arrow
from ._sparse import as_core_csr

# The parameters that decide how a vectorizer turns text into terms. A CountVectorizer with these
# and the fitted vocabulary counts exactly the terms behind the vectorizer's TF-IDF matrix.
_ANALYSIS_PARAMS = (
    "input",
    "encoding",
    "decode_error",
    "strip_accents",
    "lowercase",
    "preprocessor",
    "tokenizer",
    "stop_words",
    "token_pattern",
    "ngram_range",
    "analyzer",
    "normalization",
    "casefold",
    "n_jobs",
)


def _check_k(k: Any) -> int:
    if not (isinstance(k, numbers.Integral) and not isinstance(k, bool)):
        raise TypeError(f"k must be an int, got {type(k).__name__}")
    if k <= 0:
        raise ValueError(f"k must be a positive integer, got {k}")
    return int(k)


def _check_real(name: str, value: Any) -> float:
    if not (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    return float(value)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "as_frame=True needs pandas, which is not installed (pip install pandas); "
            "lexsim itself does not depend on it"
        ) from None
    return pandas


def _gives_counts(vectorizer: Any) -> Optional[bool]:
    """Whether the vectorizer's matrix holds raw counts: True for a non-binary CountVectorizer
    (lexsim's or scikit-learn's), False for TF-IDF and binary ones, None when it cannot tell."""
    from .vectorizers import CountVectorizer, TfidfVectorizer

    if isinstance(vectorizer, CountVectorizer):
        return not vectorizer.binary
    if isinstance(vectorizer, TfidfVectorizer):
        return False
    if not type(vectorizer).__module__.startswith("sklearn."):
        return None
    from sklearn.feature_extraction.text import CountVectorizer as SkCount
    from sklearn.feature_extraction.text import TfidfVectorizer as SkTfidf

    if isinstance(vectorizer, SkTfidf):  # a subclass of scikit-learn's CountVectorizer
        return False
    if isinstance(vectorizer, SkCount):
        return not vectorizer.binary
    return None


def _n_features(vectorizer: Any) -> Optional[int]:
    """The vectorizer's number of columns when it can tell (raises NotFittedError when unfitted)."""
    names = getattr(vectorizer, "get_feature_names_out", None)
    if callable(names):
        return len(names())
    n = getattr(vectorizer, "n_features", None)  # e.g. scikit-learn's HashingVectorizer
    return int(n) if isinstance(n, numbers.Integral) else None


def _counter_for(vectorizer: Any) -> Any:
    """A lexsim.CountVectorizer that counts the vectorizer's own terms, in its column order."""
    from .vectorizers import CountVectorizer

    vocabulary = getattr(vectorizer, "vocabulary_", None)
    get_params = getattr(vectorizer, "get_params", None)
    if vocabulary is None or not callable(get_params):
        raise ValueError(
            f"scoring='bm25' needs term counts, and {type(vectorizer).__name__} has no vocabulary_ and "
            "get_params() to count its terms with; use a CountVectorizer (or TfidfVectorizer)"
        )
    params = {name: value for name, value in get_params(deep=False).items() if name in _ANALYSIS_PARAMS}
    return CountVectorizer(vocabulary=dict(vocabulary), dtype=np.float64, **params)


def _query_list(queries: Any) -> list[str]:
    if isinstance(queries, (str, bytes)):
        raise ValueError(
            "search_batch expects an iterable of query strings, got a single string; use search() for one query"
        )
    queries = _arrow.as_python(queries)  # each query is analysed in Python too: str it is
    if not isinstance(queries, Iterable):
        raise TypeError(f"queries must be an iterable of str, got {type(queries).__name__}")
    queries = list(queries)
    for i, q in enumerate(queries):
        if not isinstance(q, str):
            raise TypeError(f"query {i} is {type(q).__name__}, expected str")
    return queries


def _check_documents(documents: Any, vectorizer: Any) -> Any:
    """The documents as a list, or as the Arrow data they are when the vectorizer is lexsim's (which
    reads Arrow data in place; a peer's needs str)."""
    if documents is None:
        return None
    if isinstance(documents, (str, bytes)):
        raise ValueError("documents must be an iterable of texts, got a single string")
    if _arrow.arrow_source(documents) is not None:
        from .vectorizers import _BaseVectorizer

        return documents if isinstance(vectorizer, _BaseVectorizer) else _arrow.as_python(documents)
    if not isinstance(documents, Iterable):
        raise TypeError(f"documents must be an iterable of str, got {type(documents).__name__}")
    return list(documents)


def _document_matrix(vectorizer: Any, X: Any, documents: Any, scoring: str, dtype: Any) -> tuple:
    """The rows to index, for the core: X, or the documents transformed (cosine, and BM25 with a
    vectorizer that counts) or counted with the vectorizer's vocabulary (BM25 otherwise)."""
    if X is not None and not hasattr(X, "shape"):
        hint = "; to index texts, pass them as documents=" if isinstance(X, Iterable) else ""
        raise TypeError(
            f"X must be a document-term matrix (scipy sparse or a 2-d numpy array), got {type(X).__name__}{hint}"
        )
    documents = _check_documents(documents, vectorizer)
    if X is None and documents is None:
        raise TypeError("SearchIndex needs the documents: pass X (their matrix) or documents= (their texts)")
    n_features = _n_features(vectorizer)
    # The matrix of a vectorizer lexsim does not know is taken as it is; the core checks that it
    # holds counts.
    counts_from_x = scoring == "cosine" or _gives_counts(vectorizer) is not False
    if X is None and counts_from_x:
        X = vectorizer.transform(documents)
    if X is not None:
        if len(getattr(X, "shape", ())) != 2:
            raise ValueError(f"X must be 2-dimensional, got shape {getattr(X, 'shape', None)}")
        if n_features is not None and X.shape[1] != n_features:
            raise ValueError(
                f"X has {X.shape[1]} columns but the vectorizer has {n_features} features; "
                "X must come from the same fitted vectorizer"
            )
        if documents is not None and X.shape[0] != len(documents):
            raise ValueError(f"X has {X.shape[0]} rows but {len(documents)} documents were given")
    if counts_from_x:
        return as_core_csr(X, "X", dtype)
    if documents is None:
        raise ValueError(
            f"scoring='bm25' needs raw term counts, and {type(vectorizer).__name__} does not give counts: "
            "pass documents= (the texts, counted with the vectorizer's vocabulary) or use a CountVectorizer "
            "and its matrix"
        )
    return as_core_csr(_counter_for(vectorizer).transform(documents), "X", np.float64)


def _counts_hint(error: Exception, scoring: str) -> Exception:
    if scoring == "bm25" and "term counts" in str(error):
        return type(error)(f"{error}; X must hold raw counts (from a CountVectorizer) for scoring='bm25'")
    return error

"""Ranked search over a fixed collection of documents: TF-IDF cosine similarity or Okapi BM25."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any, Optional

import numpy as np

from . import _core
from ._sparse import as_core_csr

__all__ = ["SearchIndex"]

_SCORINGS = ("cosine", "bm25")
# The parameters that decide how a vectorizer turns text into terms. A CountVectorizer with these
# and the fitted vocabulary counts exactly the terms behind the vectorizer's TF-IDF matrix.
_ANALYSIS_PARAMS = (
    "input", "encoding", "decode_error", "strip_accents", "lowercase", "preprocessor", "tokenizer",
    "stop_words", "token_pattern", "ngram_range", "analyzer", "normalization", "casefold", "n_jobs",
)
_FRAME_COLUMNS = ["query", "rank", "doc", "score"]


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
    if not isinstance(queries, Iterable):
        raise TypeError(f"queries must be an iterable of str, got {type(queries).__name__}")
    queries = list(queries)
    for i, q in enumerate(queries):
        if not isinstance(q, str):
            raise TypeError(f"query {i} is {type(q).__name__}, expected str")
    return queries


class SearchIndex:
    """Rank documents by their relevance to text queries: TF-IDF cosine similarity or Okapi BM25.

    The index copies the document matrix once (BM25 precomputes every document's term weights) and
    never changes afterwards, so one index can be searched from many threads at once. The search
    runs in C++ without the GIL; ``search_batch`` spreads the queries over ``n_jobs`` threads.

    Parameters
    ----------
    vectorizer : fitted vectorizer
        Turns query strings into rows of the matrix: a fitted :class:`lexsim.TfidfVectorizer` or
        :class:`lexsim.CountVectorizer`, or a fitted scikit-learn vectorizer with ``transform``.
    X : sparse matrix or 2-d array of shape (n_documents, n_features), default=None
        The documents' matrix from the same vectorizer. Default: ``vectorizer.transform(documents)``.
        ``scoring='bm25'`` needs raw term counts: X is used when ``vectorizer`` is a non-binary
        CountVectorizer (or one lexsim does not know, whose matrix must then hold non-negative
        integers); for a TfidfVectorizer or a binary CountVectorizer the counts come from
        ``documents``.
    documents : iterable of str, default=None
        The texts behind the rows of ``X``. Needed when ``X`` is not given, and for BM25 with a
        vectorizer that does not count (e.g. a TfidfVectorizer): the terms are then counted with
        the vectorizer's own analysis options and fitted vocabulary.
    scoring : {'cosine', 'bm25'}, default='cosine'
        ``'cosine'``: cosine similarity between the query's row and each document's row (rows are
        L2-normalised on the fly). ``'bm25'``: Okapi BM25 (below).
    k1 : float, default=1.2
        BM25 term-frequency saturation, finite and >= 0 (0: only a term's presence counts).
    b : float, default=0.75
        BM25 length normalisation, in [0, 1] (0: document length does not matter).
    n_jobs : int, default=None
        Threads for ``search_batch`` (``None`` = 1, ``-1`` = all cores); results do not depend on it.

    Notes
    -----
    BM25 scores a document d for a query q as the sum, over the distinct terms t of q, of

        idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * |d| / avgdl))

    with tf the count of t in d, |d| the number of counted terms in d, avgdl the mean |d|, and the
    Robertson / Sparck Jones idf(t) = ln((N - n_t + 0.5) / (n_t + 0.5)) over N documents of which
    n_t contain t. That idf is negative for terms in more than half the documents; lexsim floors it
    at 0, so a term in half the documents or more adds nothing to any score (and in a collection of
    one or two documents BM25 finds nothing).

    Results leave out documents that score 0 and break equal scores in favour of the lower
    document index.

    Examples
    --------
    >>> import lexsim
    >>> docs = ["Erdogan and Putin met in Sochi", "Putin met Assad in Moscow", "The bank held rates in May"]
    >>> vec = lexsim.TfidfVectorizer()
    >>> index = lexsim.SearchIndex(vec, vec.fit_transform(docs))
    >>> [(doc, round(score, 3)) for doc, score in index.search("Putin in Moscow")]
    [(1, 0.741), (0, 0.315), (2, 0.109)]
    >>> counts = lexsim.CountVectorizer()
    >>> bm25 = lexsim.SearchIndex(counts, counts.fit_transform(docs), scoring="bm25")
    >>> [(doc, round(score, 3)) for doc, score in bm25.search("Putin in Moscow")]
    [(1, 0.537)]
    """

    def __init__(
        self,
        vectorizer: Any,
        X: Any = None,
        *,
        documents: Optional[Iterable[str]] = None,
        scoring: str = "cosine",
        k1: float = 1.2,
        b: float = 0.75,
        n_jobs: Optional[int] = None,
    ) -> None:
        if not callable(getattr(vectorizer, "transform", None)):
            raise TypeError(
                f"vectorizer must be a fitted vectorizer with a transform method (such as lexsim.TfidfVectorizer), "
                f"got {type(vectorizer).__name__}"
            )
        if not isinstance(scoring, str) or scoring not in _SCORINGS:
            raise ValueError(f"scoring must be 'cosine' or 'bm25', got {scoring!r}")
        k1 = _check_real("k1", k1)
        if not (math.isfinite(k1) and k1 >= 0.0):
            raise ValueError(f"k1 must be a finite number >= 0, got {k1!r}")
        b = _check_real("b", b)
        if not 0.0 <= b <= 1.0:  # also refuses NaN
            raise ValueError(f"b must be in [0, 1], got {b!r}")
        if n_jobs is not None and not (
            isinstance(n_jobs, numbers.Integral) and not isinstance(n_jobs, bool) and (n_jobs >= 1 or n_jobs == -1)
        ):
            raise ValueError(f"n_jobs must be None, -1 or a positive int, got {n_jobs!r}")
        if X is not None and not hasattr(X, "shape"):
            hint = "; to index texts, pass them as documents=" if isinstance(X, Iterable) else ""
            raise TypeError(
                f"X must be a document-term matrix (scipy sparse or a 2-d numpy array), got {type(X).__name__}{hint}"
            )
        if documents is not None:
            if isinstance(documents, (str, bytes)):
                raise ValueError("documents must be an iterable of texts, got a single string")
            if not isinstance(documents, Iterable):
                raise TypeError(f"documents must be an iterable of str, got {type(documents).__name__}")
            documents = list(documents)
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
            matrix = as_core_csr(X, "X", None if scoring == "cosine" else np.float64)
        elif documents is None:
            raise ValueError(
                f"scoring='bm25' needs raw term counts, and {type(vectorizer).__name__} does not give counts: "
                "pass documents= (the texts, counted with the vectorizer's vocabulary) or use a CountVectorizer "
                "and its matrix"
            )
        else:
            matrix = as_core_csr(_counter_for(vectorizer).transform(documents), "X", np.float64)
        try:
            self._index = _core.SearchIndex(matrix, scoring, k1, b)
        except _core.LexsimError as e:
            if scoring == "bm25" and "term counts" in str(e):
                raise type(e)(f"{e}; X must hold raw counts (from a CountVectorizer) for scoring='bm25'") from None
            raise
        self._vectorizer = vectorizer
        self._n_jobs = 1 if n_jobs is None else int(n_jobs)

    # ------------------------------------------------------------------ properties
    @property
    def n_documents(self) -> int:
        """Number of indexed documents (rows of the matrix)."""
        return int(self._index.n_documents)

    @property
    def scoring(self) -> str:
        """``'cosine'`` or ``'bm25'``."""
        return str(self._index.scoring)

    @property
    def k1(self) -> float:
        """The BM25 parameter k1 (unused by cosine)."""
        return float(self._index.k1)

    @property
    def b(self) -> float:
        """The BM25 parameter b (unused by cosine)."""
        return float(self._index.b)

    @property
    def vectorizer(self) -> Any:
        """The vectorizer that turns queries into rows."""
        return self._vectorizer

    def __repr__(self) -> str:
        extra = f", k1={self.k1!r}, b={self.b!r}" if self.scoring == "bm25" else ""
        return f"SearchIndex(scoring={self.scoring!r}, n_documents={self.n_documents}{extra})"

    # ------------------------------------------------------------------ searching
    def search(self, query: str, k: int = 10, *, as_frame: bool = False) -> Any:
        """The k documents most relevant to one query, best first.

        Parameters
        ----------
        query : str
            The query text, analysed by the vectorizer.
        k : int, default=10
            How many documents to return at most.
        as_frame : bool, default=False
            Return a pandas DataFrame (needs pandas) instead of a list.

        Returns
        -------
        list of (int, float) or pandas.DataFrame
            ``(document index, score)`` pairs by decreasing score; equal scores in document order;
            documents scoring 0 are left out. As a DataFrame: columns ``query`` (always 0),
            ``rank`` (1 = best), ``doc`` and ``score``.
        """
        if not isinstance(query, str):
            raise TypeError(f"query must be a str, got {type(query).__name__} (use search_batch for many queries)")
        return self._search([query], k, as_frame, single=True)

    def search_batch(self, queries: Iterable[str], k: int = 10, *, as_frame: bool = False) -> Any:
        """The k most relevant documents for each of many queries, searched in parallel (``n_jobs``).

        Parameters
        ----------
        queries : iterable of str
            The query texts.
        k : int, default=10
            How many documents to return per query at most.
        as_frame : bool, default=False
            Return one pandas DataFrame (needs pandas) instead of a list of lists.

        Returns
        -------
        list of list of (int, float) or pandas.DataFrame
            For each query, what :meth:`search` returns. As a DataFrame: columns ``query`` (the
            query's position in ``queries``), ``rank`` (1 = best), ``doc`` and ``score``, sorted by
            query then rank.
        """
        return self._search(_query_list(queries), k, as_frame, single=False)

    def _search(self, queries: list[str], k: Any, as_frame: bool, single: bool) -> Any:
        k = _check_k(k)
        pd = _pandas() if as_frame else None
        if queries:
            Q = as_core_csr(self._vectorizer.transform(queries), "the query matrix", np.dtype(self._index.dtype))
            data, indices, indptr, _ = self._index.search(Q, k, self._n_jobs)
        else:
            data, indices, indptr = np.zeros(0, np.dtype(self._index.dtype)), np.zeros(0, np.int32), np.zeros(1, np.int64)
        # Rank within each row: score descending, then document ascending.
        rows = np.repeat(np.arange(len(queries), dtype=np.int64), np.diff(indptr))
        order = np.lexsort((indices, -data, rows))
        docs, scores = indices[order].astype(np.int64), data[order].astype(np.float64)
        if pd is not None:
            # rows is sorted, so ordering leaves it as it is: position minus the row's start is the rank
            rank = np.arange(len(order), dtype=np.int64) - np.asarray(indptr, dtype=np.int64)[rows] + 1
            return pd.DataFrame({"query": rows, "rank": rank, "doc": docs, "score": scores}, columns=_FRAME_COLUMNS)
        pairs = list(zip(docs.tolist(), scores.tolist()))
        bounds = np.asarray(indptr).tolist()
        ranked = [pairs[bounds[i]:bounds[i + 1]] for i in range(len(queries))]
        return ranked[0] if single else ranked

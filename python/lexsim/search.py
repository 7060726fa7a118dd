"""Ranked search over a fixed collection of documents: TF-IDF cosine similarity or BM25 (five variants)."""

from __future__ import annotations

import math
import numbers
import os
import threading
from collections.abc import Iterable, Sequence
from typing import Any, Optional, Union

import numpy as np

from . import _core
from ._ranking import ranked_order
from ._search_input import _check_k, _check_real, _counts_hint, _document_matrix, _pandas, _query_list
from ._sparse import as_core_csr

__all__ = ["SearchIndex", "SearchHits"]

_SCORINGS = ("cosine", "bm25")
#: The BM25 variants, by their bm25s names (``method=``); the first is the default.
BM25_METHODS = ("lucene", "robertson", "atire", "bm25l", "bm25+")
_FRAME_COLUMNS = ["query", "rank", "doc", "score"]
_FRAME_COLUMNS_IDS = ["query", "rank", "doc", "id", "score"]


class SearchHits(list):
    """The hits of one query: a list of ``(document index, score)`` pairs, best first, that also
    says which of the query's terms the index does not know.

    It is a plain ``list`` in every other way (``hits == [(0, 0.5)]`` compares the pairs only).

    Attributes
    ----------
    terms : tuple of str
        The query's distinct terms after analysis, in query order (empty when the vectorizer has
        no ``build_analyzer``).
    unknown_terms : tuple of str
        Those of ``terms`` that are not in the vectorizer's vocabulary and so match nothing (empty
        when the vectorizer has no ``vocabulary_``). With word n-grams, unknown n-grams of two or
        more words are not listed.
    """

    terms: tuple[str, ...]
    unknown_terms: tuple[str, ...]

    def __init__(
        self, hits: Iterable[tuple[int, float]] = (), terms: tuple[str, ...] = (), unknown_terms: tuple[str, ...] = ()
    ) -> None:
        super().__init__(hits)
        self.terms = tuple(terms)
        self.unknown_terms = tuple(unknown_terms)

    def __repr__(self) -> str:
        if not self.unknown_terms:
            return super().__repr__()
        return f"SearchHits({super().__repr__()}, unknown_terms={self.unknown_terms!r})"


class SearchIndex:
    """Rank documents by their relevance to text queries: TF-IDF cosine similarity or Okapi BM25.

    The index copies the document matrix once (BM25 precomputes every document's term weights);
    one index can be searched from many threads at once. The search runs in C++ without the GIL;
    ``search_batch`` spreads the queries over ``n_jobs`` threads. :meth:`add` appends documents,
    exactly as an index built over all of them; :meth:`save` writes the index and its vectorizer to
    a model file that :func:`lexsim.load` or :meth:`SearchIndex.load` reads back (optionally mapped
    from the file instead of read); an index pickles (for joblib, Dask, caches) when its vectorizer
    does.

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
        L2-normalised on the fly). ``'bm25'``: BM25, in the variant ``method`` (below).
    method : {'lucene', 'robertson', 'atire', 'bm25l', 'bm25+'}, default=None
        The BM25 variant, by the names and formulas of bm25s's ``method=``; ``None`` means
        ``'lucene'``, whose idf is positive for every term. Only with ``scoring='bm25'``.
    k1 : float, default=1.2
        BM25 term-frequency saturation, finite and >= 0 (0: only a term's presence counts; bm25l
        needs k1 > 0).
    b : float, default=0.75
        BM25 length normalisation, in [0, 1] (0: document length does not matter).
    delta : float, default=0.5
        bm25l and bm25+: the lower bound delta (bm25s's ``delta``), finite and >= 0; unused by the
        other methods.
    n_jobs : int, default=None
        Threads for ``search_batch`` (``None`` = 1, ``-1`` = all usable CPUs); results do not depend on it.

    Notes
    -----
    BM25 scores a document d for a query q as the sum, over the distinct terms t of q, of
    ``idf(t) * tfc(tf)``, with tf the count of t in d, N documents of which n_t contain t, ``|d|`` the
    number of counted tokens of d (its terms in the vocabulary, after analysis), avgdl the mean ``|d|``
    and ``L = 1 - b + b * |d| / avgdl``:

    ===========  ==========================================  ===========================================
    method       idf(t)                                      tfc(tf)
    ===========  ==========================================  ===========================================
    lucene       ln(1 + (N - n_t + 0.5) / (n_t + 0.5))       tf / (tf + k1 * L)
    robertson    max(0, ln((N - n_t + 0.5) / (n_t + 0.5)))   tf / (tf + k1 * L)
    atire        ln(N / n_t)                                 tf * (k1 + 1) / (tf + k1 * L)
    bm25l        ln((N + 1) / (n_t + 0.5))                   (k1 + 1) (c + delta) / (k1 + c + delta),
                                                             c = tf / L
    bm25+        ln((N + 1) / n_t)                           tf * (k1 + 1) / (tf + k1 * L) + delta
    ===========  ==========================================  ===========================================

    These are bm25s's formulas; the scores equal bm25s's (``dtype='float64'``) and, for bm25+,
    rank_bm25's ``BM25Plus`` to 1e-12 when fed the same tokens. robertson's idf is 0 for a term in
    half the documents or more (so in a collection of one or two documents it finds nothing); the
    others rank by such terms too. bm25l and bm25+ give an absent term its ``tfc(0)`` as well, so
    every query term adds to every document's score; lexsim returns only documents that hold a
    query term, with the same scores as the peers.

    Results leave out documents that hold none of the query's terms or score 0, break equal scores
    in favour of the lower document index, and say which query terms are not in the vocabulary
    (:class:`SearchHits`).

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
    [(1, 0.757), (0, 0.268), (2, 0.059)]
    """

    def __init__(
        self,
        vectorizer: Any,
        X: Any = None,
        *,
        documents: Optional[Iterable[str]] = None,
        scoring: str = "cosine",
        method: Optional[str] = None,
        k1: float = 1.2,
        b: float = 0.75,
        delta: float = 0.5,
        n_jobs: Optional[int] = None,
    ) -> None:
        if not callable(getattr(vectorizer, "transform", None)):
            raise TypeError(
                f"vectorizer must be a fitted vectorizer with a transform method (such as lexsim.TfidfVectorizer), "
                f"got {type(vectorizer).__name__}"
            )
        if not isinstance(scoring, str) or scoring not in _SCORINGS:
            raise ValueError(f"scoring must be 'cosine' or 'bm25', got {scoring!r}")
        if method is not None:
            if not isinstance(method, str):
                raise TypeError(f"method must be a str, got {type(method).__name__}")
            if method not in BM25_METHODS:
                raise ValueError(f"method must be one of {', '.join(repr(m) for m in BM25_METHODS)}, got {method!r}")
            if scoring != "bm25":
                raise ValueError(f"method={method!r} is a BM25 variant; it needs scoring='bm25'")
        method = BM25_METHODS[0] if method is None else method
        delta = _check_real("delta", delta)
        if not (math.isfinite(delta) and delta >= 0.0):
            raise ValueError(f"delta must be a finite number >= 0, got {delta!r}")
        k1 = _check_real("k1", k1)
        if not (math.isfinite(k1) and k1 >= 0.0):
            raise ValueError(f"k1 must be a finite number >= 0, got {k1!r}")
        if scoring == "bm25" and method == "bm25l" and k1 == 0.0:
            raise ValueError(
                "method='bm25l' needs k1 > 0 (with k1=0 a term scores the same in every document, "
                "holding it or not); got k1=0"
            )
        b = _check_real("b", b)
        if not 0.0 <= b <= 1.0:  # also refuses NaN
            raise ValueError(f"b must be in [0, 1], got {b!r}")
        if n_jobs is not None and not (
            isinstance(n_jobs, numbers.Integral) and not isinstance(n_jobs, bool) and (n_jobs >= 1 or n_jobs == -1)
        ):
            raise ValueError(f"n_jobs must be None, -1 or a positive int, got {n_jobs!r}")
        matrix = _document_matrix(vectorizer, X, documents, scoring, None if scoring == "cosine" else np.float64)
        try:
            core = _core.SearchIndex(matrix, scoring, k1, b, method, delta)
        except _core.LexsimError as e:
            raise _counts_hint(e, scoring) from None
        self._setup(core, vectorizer, 1 if n_jobs is None else int(n_jobs), {})

    def _setup(self, core: Any, vectorizer: Any, n_jobs: int, info: dict) -> None:
        self._index = core
        self._vectorizer = vectorizer
        self._n_jobs = n_jobs
        self._info = info  # saved with the index (the lexsim command keeps its corpus's fingerprint there)
        self._analyzer: Any = None  # built on first use by _query_terms
        self._adding = threading.Lock()  # one add() at a time; searches go on beside it

    @classmethod
    def _from_core(cls, core: Any, vectorizer: Any, n_jobs: int, info: dict) -> SearchIndex:
        index = cls.__new__(cls)
        index._setup(core, vectorizer, n_jobs, info)
        return index

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
    def method(self) -> Optional[str]:
        """The BM25 variant (``'lucene'``, ``'robertson'``, ``'atire'``, ``'bm25l'`` or ``'bm25+'``);
        ``None`` for cosine."""
        return str(self._index.method) if self.scoring == "bm25" else None

    @property
    def delta(self) -> float:
        """The BM25L / BM25+ parameter delta (unused by the other methods and cosine)."""
        return float(self._index.delta)

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

    @property
    def mapped(self) -> bool:
        """Whether the index reads its postings from its file, mapped into memory
        (``SearchIndex.load(path, mmap=True)``), rather than from memory of its own."""
        return bool(self._index.mapped)

    # ------------------------------------------------------------------ growing
    def add(self, documents: Optional[Iterable[str]] = None, *, X: Any = None) -> SearchIndex:
        """Append documents to the index, as documents ``n_documents`` onwards.

        The index is then exactly the one built over all its documents at once with the same
        vectorizer (which is not refitted: terms it does not know are left out, as they are by
        ``vectorizer.transform``). Cosine appends the new rows; BM25 counts N, avgdl and every
        term's idf again, so every document's weights are recomputed from the raw counts the index
        keeps. Searches from other threads go on during an add (they see the index before it);
        adds take turns. A mapped index (``load(..., mmap=True)``) is copied into memory: its file
        is never written.

        Parameters
        ----------
        documents : iterable of str, default=None
            The new texts, turned into rows as the constructor turns ``documents`` into rows.
        X : sparse matrix or 2-d array, default=None
            Their matrix from the same vectorizer instead (see the constructor's ``X``); converted
            to the index's dtype.

        Returns
        -------
        SearchIndex
            The index itself.

        Examples
        --------
        >>> import lexsim
        >>> docs = ["Erdogan and Putin met in Sochi", "Putin met Assad in Moscow", "The bank held rates"]
        >>> counts = lexsim.CountVectorizer().fit(docs)
        >>> index = lexsim.SearchIndex(counts, documents=docs[:2], scoring="bm25")
        >>> index.add(docs[2:]).n_documents
        3
        >>> fresh = lexsim.SearchIndex(counts, documents=docs, scoring="bm25")
        >>> index.search("Putin in Moscow") == fresh.search("Putin in Moscow")
        True
        """
        scoring = self.scoring
        matrix = _document_matrix(self._vectorizer, X, documents, scoring, np.dtype(self._index.dtype))
        with self._adding:
            try:
                self._index.add(matrix)
            except _core.LexsimError as e:
                raise _counts_hint(e, scoring) from None
        return self

    # ------------------------------------------------------------------ model files and pickling
    def save(self, path: Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]) -> None:
        """Save the index and its vectorizer to a model file; :func:`lexsim.load` reads it back.

        The file is lexsim's model format (see :mod:`lexsim.model`): the vectorizer's sections,
        then the index's (its options, postings and, for BM25, the raw counts), each array aligned
        so that a mapped file can be searched in place. It holds data only, and is written to a
        temporary file beside ``path``, flushed and renamed over ``path``: a crash never leaves a
        half-written index, and an index mapped from the old file goes on reading the old one.

        Parameters
        ----------
        path : str, bytes or path-like
            Where to write the index.

        Raises
        ------
        ValueError
            When the vectorizer is not one a model file holds (a scikit-learn vectorizer, a
            HashingVectorizer, or one with a Python callable; the message says which): pickle the
            index instead.
        OSError
            When the file cannot be written.

        Examples
        --------
        >>> import lexsim, os, pickle, tempfile
        >>> docs = ["Erdogan and Putin met in Sochi", "Putin met Assad in Moscow", "The bank held rates"]
        >>> vec = lexsim.TfidfVectorizer().fit(docs)
        >>> index = lexsim.SearchIndex(vec, vec.transform(docs))
        >>> path = os.path.join(tempfile.mkdtemp(), "news.lexsim")
        >>> index.save(path)
        >>> loaded = lexsim.load(path)
        >>> loaded.search("Putin in Moscow") == index.search("Putin in Moscow")
        True
        >>> mapped = lexsim.SearchIndex.load(path, mmap=True)
        >>> mapped.mapped, mapped.search("Putin in Moscow") == index.search("Putin in Moscow")
        (True, True)
        >>> pickle.loads(pickle.dumps(index)).search("Putin in Moscow") == index.search("Putin in Moscow")
        True
        """
        from .model import _save_index

        _save_index(self, path)

    @classmethod
    def load(
        cls,
        path: Union[str, bytes, os.PathLike[str], os.PathLike[bytes]],
        *,
        mmap: bool = False,
        verify: bool = False,
    ) -> SearchIndex:
        """Load an index saved by :meth:`save` (also what :func:`lexsim.load` does for an index file).

        Parameters
        ----------
        path : str, bytes or path-like
            The index file.
        mmap : bool, default=False
            Map the file read-only instead of reading it: loading then reads only the small parts
            (options, vocabulary, per-term arrays) and checks their checksum, and the operating
            system reads a term's postings when a search first needs them (each term's postings
            are checked then). The index uses no memory of its own for them, and processes mapping
            the same file share it. Keep the file as it is while mapped: saving over it (which
            renames a new file over it) is safe; cutting it short makes searches raise
            ``ModelFormatError``.
        verify : bool, default=False
            With ``mmap=True``: read and check every byte at load, as ``mmap=False`` always does.

        Returns
        -------
        SearchIndex
            The index, searching exactly (bit for bit) as the one that was saved, with the loaded
            vectorizer.

        Raises
        ------
        lexsim.ModelFormatError
            When the file is not an intact index (or is a vectorizer's model); the message names
            the file, the reason and the byte offset.
        OSError
            When the file cannot be read.
        """
        from .model import _load_any

        loaded = _load_any(path, mmap=bool(mmap), verify=bool(verify))
        if not isinstance(loaded, SearchIndex):
            error = _core.ModelFormatError(
                f"cannot load the model {os.fsdecode(path)!r} as a SearchIndex: it holds a {type(loaded).__name__}; "
                "lexsim.load reads it"
            )
            setattr(error, "byte_offset", None)  # noqa: B010 (the stubs do not declare the attribute the core sets)
            raise error
        return loaded

    def __getstate__(self) -> dict[str, Any]:
        # The index as model bytes (without a vectorizer) beside the vectorizer, pickled as itself:
        # any vectorizer that pickles (scikit-learn's, one with Python callables) travels too.
        return {
            "layout": 1,
            "index": bytes(self._index.serialize()),
            "vectorizer": self._vectorizer,
            "n_jobs": self._n_jobs,
            "info": self._info,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict) or state.get("layout") != 1:
            raise ValueError(
                "this SearchIndex was pickled by a lexsim whose pickles this version does not read; "
                "build the index again"
            )
        kind, core, _, _ = _core.deserialize_any(state["index"])
        if kind != "index":
            raise ValueError("the pickled SearchIndex holds no index")
        self._setup(core, state["vectorizer"], int(state["n_jobs"]), dict(state.get("info") or {}))

    def __repr__(self) -> str:
        extra = ""
        if self.scoring == "bm25":
            extra = f", method={self.method!r}, k1={self.k1!r}, b={self.b!r}"
            if self.method in ("bm25l", "bm25+"):
                extra += f", delta={self.delta!r}"
        return f"SearchIndex(scoring={self.scoring!r}, n_documents={self.n_documents}{extra})"

    # ------------------------------------------------------------------ searching
    def search(self, query: str, k: int = 10, *, as_frame: bool = False, ids: Optional[Sequence[Any]] = None) -> Any:
        """The k documents most relevant to one query, best first.

        Parameters
        ----------
        query : str
            The query text, analysed by the vectorizer.
        k : int, default=10
            How many documents to return at most.
        as_frame : bool, default=False
            Return a pandas DataFrame (needs pandas) instead of a list.
        ids : sequence, default=None
            With ``as_frame=True``: one id per indexed document (e.g. file names), added to the
            frame as an ``id`` column. Its length must be ``n_documents``.

        Returns
        -------
        SearchHits or pandas.DataFrame
            A list of ``(document index, score)`` pairs by decreasing score; equal scores in
            document order; documents holding none of the query's terms, or scoring 0, are left
            out. Its ``unknown_terms`` attribute lists the query's terms that are not in the
            vocabulary. As a DataFrame: columns ``query`` (always 0), ``rank`` (1 = best),
            ``doc`` (the document's position), ``id`` (with ``ids=``) and ``score``;
            ``frame.attrs["unknown_terms"]`` is the tuple of unknown terms.
        """
        if not isinstance(query, str):
            raise TypeError(f"query must be a str, got {type(query).__name__} (use search_batch for many queries)")
        return self._search([query], k, as_frame, ids, single=True)

    def search_batch(
        self, queries: Iterable[str], k: int = 10, *, as_frame: bool = False, ids: Optional[Sequence[Any]] = None
    ) -> Any:
        """The k most relevant documents for each of many queries, searched in parallel (``n_jobs``).

        Parameters
        ----------
        queries : iterable of str
            The query texts.
        k : int, default=10
            How many documents to return per query at most.
        as_frame : bool, default=False
            Return one pandas DataFrame (needs pandas) instead of a list of lists.
        ids : sequence, default=None
            With ``as_frame=True``: one id per indexed document, added as an ``id`` column.

        Returns
        -------
        list of SearchHits or pandas.DataFrame
            For each query, what :meth:`search` returns. As a DataFrame: columns ``query`` (the
            query's position in ``queries``), ``rank`` (1 = best), ``doc``, ``id`` (with
            ``ids=``) and ``score``, sorted by query then rank; ``frame.attrs["unknown_terms"]``
            is a list with each query's tuple of unknown terms.
        """
        return self._search(_query_list(queries), k, as_frame, ids, single=False)

    def _query_terms(self, query: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The query's distinct analysed terms and those of them the vocabulary lacks."""
        if self._analyzer is None:
            vec = self._vectorizer
            build = getattr(vec, "build_analyzer", None)
            params = vec.get_params() if callable(getattr(vec, "get_params", None)) else {}
            vocabulary = getattr(vec, "vocabulary_", None)
            # Character n-grams: an unknown n-gram says nothing useful. Word n-grams: an unknown pair
            # of words says less than its unknown words, which are listed.
            words = params.get("analyzer", "word") == "word" and isinstance(vocabulary, dict)
            single = tuple(params.get("ngram_range", (1, 1)))[0] == 1
            self._analyzer = (build(), vocabulary if words else None, single) if callable(build) else False
        if self._analyzer is False:
            return (), ()
        analyze, vocabulary, single = self._analyzer
        terms = tuple(dict.fromkeys(str(t) for t in analyze(query)))
        if vocabulary is None:
            return terms, ()
        return terms, tuple(t for t in terms if t not in vocabulary and not (single and " " in t))

    def _check_ids(self, ids: Any, as_frame: bool) -> Optional[list]:
        if ids is None:
            return None
        if not as_frame:
            raise ValueError(
                "ids= names the documents in the as_frame=True output; pass as_frame=True (the "
                "lists hold document positions: look them up in your ids)"
            )
        if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
            raise TypeError(f"ids must be a sequence with one id per document, got {type(ids).__name__}")
        ids = list(ids)
        if len(ids) != self.n_documents:
            raise ValueError(f"ids has {len(ids)} entries but the index has {self.n_documents} documents")
        return ids

    def _search(self, queries: list[str], k: Any, as_frame: bool, ids: Any, single: bool) -> Any:
        k = _check_k(k)
        ids = self._check_ids(ids, as_frame)
        pd = _pandas() if as_frame else None
        if queries:
            Q = as_core_csr(self._vectorizer.transform(queries), "the query matrix", np.dtype(self._index.dtype))
            data, indices, indptr, shape = self._index.search(Q, k, self._n_jobs)
        else:
            data, indices, indptr, shape = (
                np.zeros(0, np.dtype(self._index.dtype)),
                np.zeros(0, np.int32),
                np.zeros(1, np.int64),
                (0, 0),
            )
        analysed = [self._query_terms(q) for q in queries]
        rows = np.repeat(np.arange(len(queries), dtype=np.int64), np.diff(indptr))
        # Each query's hits by the core's rule: score descending, then document ascending. The core
        # ranks finite scores; BM25 weights overflow to inf with a k1 near the float limit (1e308),
        # and those results keep their old ranking, the same rule by np.lexsort (NaN last).
        if np.isfinite(data).all():
            order = ranked_order(data, indices, indptr, int(shape[1]))
        else:
            order = np.lexsort((indices, -data, rows))
        docs, scores = indices[order].astype(np.int64), data[order].astype(np.float64)
        if pd is not None:
            # rows is sorted, so ordering leaves it as it is: position minus the row's start is the rank
            rank = np.arange(len(order), dtype=np.int64) - np.asarray(indptr, dtype=np.int64)[rows] + 1
            columns = {"query": rows, "rank": rank, "doc": docs}
            if ids is not None:
                columns["id"] = (
                    pd.array([ids[d] for d in docs.tolist()], dtype=object) if len(docs) else pd.array([], dtype=object)
                )
            columns["score"] = scores
            frame = pd.DataFrame(columns, columns=_FRAME_COLUMNS if ids is None else _FRAME_COLUMNS_IDS)
            unknown = [u for _, u in analysed]
            frame.attrs["unknown_terms"] = unknown[0] if single else unknown
            return frame
        pairs = list(zip(docs.tolist(), scores.tolist()))
        bounds = np.asarray(indptr).tolist()
        ranked = [SearchHits(pairs[bounds[i] : bounds[i + 1]], *analysed[i]) for i in range(len(queries))]
        return ranked[0] if single else ranked

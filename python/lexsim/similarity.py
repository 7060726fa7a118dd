"""Cosine similarity between the rows of sparse matrices: neighbours, pairs, story groups, key
terms and why two documents match."""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import numpy as np

from . import _core, _ranking
from ._grouping import GROUP_METHODS, _days, describe_grouping
from ._lazy import scipy_sparse as sp
from ._similarity_args import _feature_names, _ids, _jobs, _pandas, _positive_int, _threshold
from ._sparse import PreparedMatrix, as_core_csr, csr_from_buffers

Term = Union[str, int]

__all__ = [
    "Explanation",
    "Group",
    "StoryGroups",
    "explain",
    "group",
    "prepare",
    "ranked_rows",
    "similar_pairs",
    "top_k",
    "top_terms",
]


def prepare(X: Any) -> PreparedMatrix:
    """X checked and converted once, for several calls on it.

    :func:`top_k`, :func:`similar_pairs`, :func:`group`, :func:`top_terms`, :func:`explain` and
    :func:`ranked_rows` accept the handle in place of X and give the same results as with X, without
    checking and converting X again (a report doing several of them prepares X once).

    Parameters
    ----------
    X : sparse matrix or 2-d array of shape (n_samples, n_features)
        As those functions take it. X must not be modified while the handle is in use (the handle
        may share its arrays).

    Returns
    -------
    handle
        Has ``shape``, ``dtype`` and ``nnz``; pass it where X goes.

    Examples
    --------
    >>> import lexsim
    >>> from lexsim.similarity import prepare
    >>> vec = lexsim.TfidfVectorizer()
    >>> P = prepare(vec.fit_transform(["a red apple", "a red car", "blue sky"]))
    >>> lexsim.top_k(P, k=1).nnz, lexsim.top_terms(vec, P, n=1)[2]
    (2, [('blue', 0.7071067811865476)])
    """
    if isinstance(X, PreparedMatrix):
        return X
    return PreparedMatrix(X)


def top_k(
    A: Any,
    B: Any = None,
    k: int = 10,
    threshold: Optional[float] = None,
    n_jobs: Optional[int] = None,
) -> sp.csr_matrix:
    """The k most cosine-similar rows of B for every row of A, exactly.

    Rows are L2-normalised on the fly (unit rows are used as they are; zero rows match nothing).

    Parameters
    ----------
    A : sparse matrix or 2-d array of shape (n_a, n_features)
        Query rows, e.g. a TF-IDF matrix. Any scipy sparse format; float32 stays float32.
    B : sparse matrix or 2-d array of shape (n_b, n_features), default=None
        Candidate rows. ``None`` (or ``A`` itself) compares A with itself and leaves each row's
        match with itself out.
    k : int, default=10
        How many neighbours to keep per row.
    threshold : float in [-1, 1], default=None
        Keep only similarities strictly greater than this.
    n_jobs : int, default=None
        Threads (``None`` = 1, ``-1`` = all usable CPUs); the result does not depend on it.

    Returns
    -------
    scipy.sparse.csr_matrix or csr_array of shape (n_a, n_b)
        A ``csr_array`` when A or B is a scipy sparse array (or scikit-learn's ``sparse_interface``
        config is ``'sparray'``), else a ``csr_matrix``. Row i holds the similarities of row i of A
        to its k best rows of B (only non-zero similarities are stored; ties go to the lower
        index). Column indices are sorted within each row; rank a row with
        ``np.argsort(-row.data)``.

    Examples
    --------
    >>> import lexsim
    >>> X = lexsim.TfidfVectorizer().fit_transform(["a red apple", "a red car", "blue sky"])
    >>> lexsim.top_k(X, k=1).toarray().round(2).tolist()
    [[0.0, 0.37, 0.0], [0.37, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    k = _positive_int(k, "k")
    if threshold is not None:
        threshold = _threshold(threshold, low=-1.0, low_inclusive=True)
    jobs = _jobs(n_jobs)
    self_join = B is None or B is A
    a = as_core_csr(A, "A")
    b = None
    if not self_join:
        dtype = a[0].dtype
        b = as_core_csr(B, "B")
        if b[0].dtype != dtype:  # both in float64 unless both are float32
            a = as_core_csr(A, "A", np.float64)
            b = as_core_csr(B, "B", np.float64)
        if a[4] != b[4]:
            raise ValueError(f"A and B must have the same number of columns, got {a[4]} and {b[4]}")
        if a[2].dtype != b[2].dtype:
            a = a[:2] + (a[2].astype(np.int64),) + a[3:]
            b = b[:2] + (b[2].astype(np.int64),) + b[3:]
    parts = _core.top_k(a, b, k, threshold, jobs)
    return csr_from_buffers(parts, like=(A, B))


def similar_pairs(
    X: Any,
    threshold: float,
    n_jobs: Optional[int] = None,
    *,
    as_frame: bool = False,
    ids: Any = None,
) -> Any:
    """Every pair of rows ``i < j`` whose cosine similarity is at least ``threshold``, exactly.

    An all-pairs search with prefix filtering and L2 bounds: rows are split into a prefix of
    frequent, light columns and a suffix of rare, heavy ones, and only pairs that share a suffix
    column are ever scored. Far faster than a brute-force product for thresholds that mean
    "the same story" (0.5 and above). Scores are bit-identical to :func:`top_k`'s.

    Parameters
    ----------
    X : sparse matrix or 2-d array of shape (n_samples, n_features)
        Rows to compare, e.g. a TF-IDF matrix (L2-normalised on the fly).
    threshold : float in (0, 1]
        Keep pairs with cosine ``>= threshold``.
    n_jobs : int, default=None
        Threads (``None`` = 1, ``-1`` = all usable CPUs); the result does not depend on it.
    as_frame : bool, default=False
        Return a pandas DataFrame with columns ``doc_i, doc_j, score`` (the two rows and their
        cosine, sorted by ``(doc_i, doc_j)``) instead.
    ids : sequence, default=None
        One id per row of X; with ``as_frame=True`` adds the columns ``id_i`` and ``id_j``
        (``doc_i, id_i, doc_j, id_j, score``).

    Returns
    -------
    rows, cols, scores : ndarray of int32, int32 and X's float type
        Sorted by ``(rows, cols)``; ``rows[p] < cols[p]``. A DataFrame with ``as_frame=True``.

    Examples
    --------
    >>> import lexsim
    >>> X = lexsim.TfidfVectorizer().fit_transform(["a red apple", "a red apple!", "blue sky"])
    >>> rows, cols, scores = lexsim.similar_pairs(X, 0.9)
    >>> rows.tolist(), cols.tolist(), scores.round(6).tolist()
    ([0], [1], [1.0])
    """
    t = _threshold(threshold, low=0.0, low_inclusive=False)
    jobs = _jobs(n_jobs)
    a = as_core_csr(X, "X")
    names = _ids(ids, a[3])
    rows, cols, scores = _core.similar_pairs(a, t, jobs)
    if as_frame:
        columns: dict = {"doc_i": rows}
        if names is not None:
            columns["id_i"] = [names[r] for r in rows.tolist()]
        columns["doc_j"] = cols
        if names is not None:
            columns["id_j"] = [names[c] for c in cols.tolist()]
        columns["score"] = scores
        return _pandas().DataFrame(columns)
    return rows, cols, scores


@dataclass(frozen=True)
class Group:
    """One story group.

    Attributes
    ----------
    label : int
        The group's number; 0 is the largest group.
    members : ndarray of int32
        Row indices, increasing.
    representative : int
        The member with the largest summed cosine similarity to the other members (the lowest
        row on ties; the only member of a group of one).
    top_terms : list of (term, weight)
        The heaviest columns of the group's centroid (the mean of its L2-normalised rows),
        largest first; terms are feature names when a vectorizer was given, else column indices.
    """

    label: int
    members: np.ndarray
    representative: int
    top_terms: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class StoryGroups:
    """The result of :func:`group`: a label per document and the groups, largest first.

    Attributes
    ----------
    labels : ndarray of int32 of shape (n_samples,)
        Each document's group.
    groups : list of Group
        Indexed by label.
    method : str
        ``'leiden'`` or ``'single'``.
    params : dict
        What the grouping used, including what it derived from the corpus: ``n_documents``,
        ``threshold``; for ``'leiden'`` also ``n_neighbors`` (and whether it was derived),
        ``min_shared``, ``resolution``, ``date_window``, ``n_links`` and ``modularity``.
    """

    labels: np.ndarray
    groups: list
    method: str = "single"
    params: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.groups)

    def describe(self) -> str:
        """How the groups were formed, with every value derived from the corpus (for reports)."""
        return describe_grouping(self.method, self.params)

    def __iter__(self) -> Iterator[Group]:
        return iter(self.groups)

    def __getitem__(self, label: int) -> Group:
        return self.groups[label]

    def to_frame(self, ids: Any = None) -> Any:
        """One row per group, indexed by label (pandas).

        Parameters
        ----------
        ids : sequence, default=None
            One id per document; adds the columns ``representative_id`` and ``member_ids``.

        Returns
        -------
        pandas.DataFrame
            Columns ``size``, ``representative`` (a document position), ``members`` (positions)
            and ``top_terms``, plus the id columns when ``ids`` is given.
        """
        pd = _pandas()
        names = _ids(ids, len(self.labels))
        columns: dict = {
            "label": [g.label for g in self.groups],
            "size": [len(g) for g in self.groups],
            "representative": [g.representative for g in self.groups],
            "members": [g.members.tolist() for g in self.groups],
            "top_terms": [[t for t, _ in g.top_terms] for g in self.groups],
        }
        if names is not None:
            columns["representative_id"] = [names[g.representative] for g in self.groups]
            columns["member_ids"] = [[names[m] for m in g.members.tolist()] for g in self.groups]
        return pd.DataFrame(columns).set_index("label")


def ranked_rows(X: Any, names: Optional[Sequence[Any]] = None) -> list:
    """Per row of a sparse result (``top_k``'s, a TF-IDF matrix...), its stored ``(column, value)``
    pairs in rank order: largest value first, ties to the lower column (the rule ``top_k`` keeps).
    With ``names``, columns are given as ``names[column]``."""
    m = as_core_csr(X, "X")
    return _ranking.ranked_rows(
        (m[0], m[1], m[2], (m[3], m[4])), None if names is None else np.asarray(names, dtype=object)
    )


def group(
    X: Any,
    threshold: Optional[float] = None,
    *,
    method: Optional[str] = None,
    vectorizer: Any = None,
    n_terms: int = 10,
    n_jobs: Optional[int] = None,
    n_neighbors: Optional[int] = None,
    min_shared: int = 3,
    resolution: float = 1.0,
    dates: Any = None,
    date_window: Optional[float] = None,
) -> StoryGroups:
    """Story groups: documents that tell the same story.

    Two methods:

    ``'leiden'`` (the default)
        Link each document to its ``n_neighbors`` most similar documents (cosine), keep the links
        between documents that share at least ``min_shared`` terms, and split that graph into
        communities with the Leiden algorithm (maximising modularity at ``resolution``). Groups
        are dense regions of the graph, so a chain of pairwise links cannot merge two stories the
        way single linkage does, and no threshold is needed: ``n_neighbors`` defaults to
        ``clamp(round(log2 n), 1, 10)`` for ``n`` documents. The algorithm is deterministic
        (nodes in index order, no random seed) and the result is the same for every ``n_jobs``;
        memory is bounded by the ``n x n_neighbors`` graph.
    ``'single'``
        Single linkage: the connected components of :func:`similar_pairs` at ``threshold``.
        Exact and order-independent; near-duplicate detection is this with a high threshold
        (0.9 and above). On large or varied corpora chains of links join unrelated stories.

    Every document gets a label; a document linked to no other is a group of one.

    Parameters
    ----------
    X : sparse matrix or 2-d array of shape (n_samples, n_features)
        Rows to group, e.g. a TF-IDF matrix.
    threshold : float in (0, 1], default=None
        ``'single'``: link two documents when their cosine is at least this (required).
        ``'leiden'``: optional floor; neighbour links below it are dropped.
    method : {'leiden', 'single'}, default=None
        ``None`` means ``'leiden'``, except that a threshold given without a method keeps its
        historical meaning, ``'single'``.
    vectorizer : fitted vectorizer or sequence of str, default=None
        Gives the names of the top terms; without it they are column indices.
    n_terms : int, default=10
        How many top terms to report per group.
    n_jobs : int, default=None
        Threads for the similarity search (``None`` = 1, ``-1`` = all usable CPUs); the result does not
        depend on it.
    n_neighbors : int, default=None
        ``'leiden'``: neighbours per document; ``None`` derives it from the number of documents.
    min_shared : int, default=3
        ``'leiden'``: a link needs this many shared terms (columns with non-zero weight in both
        rows). Links made of one or two common words glue unrelated short texts together.
    resolution : float, default=1.0
        ``'leiden'``: larger values give more, smaller groups.
    dates : sequence, default=None
        ``'leiden'``: one date per document (``datetime64``, ``datetime``/``date``, ISO strings
        such as ``'2024-07-24'``, or numbers of days; missing values allowed). A story is an
        event in time: with ``date_window``, documents further apart are not linked directly.
    date_window : float, default=None
        Days; ``None`` with dates given means 7. Ignored without dates.

    Returns
    -------
    StoryGroups
        ``labels`` per document, ``groups`` numbered by decreasing size (ties: first member), and
        ``method``/``params``/:meth:`StoryGroups.describe` saying what was used and derived.

    Examples
    --------
    >>> import lexsim
    >>> docs = ["Putin met Assad in Moscow", "Assad met Putin in Moscow", "Rain in Paris"]
    >>> vec = lexsim.TfidfVectorizer()
    >>> groups = lexsim.group(vec.fit_transform(docs), 0.8, vectorizer=vec, n_terms=2)
    >>> groups.labels.tolist()
    [0, 0, 1]
    >>> groups[0].members.tolist(), groups[0].representative, [t for t, _ in groups[0].top_terms]
    ([0, 1], 0, ['assad', 'met'])
    """
    if method is None:
        method = "single" if threshold is not None else "leiden"
    if not isinstance(method, str) or method not in GROUP_METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, GROUP_METHODS))}; got {method!r}")
    if method == "single" and threshold is None:
        raise ValueError(
            "method='single' needs a threshold (link documents with cosine >= threshold); method='leiden' needs none"
        )
    t = None if threshold is None else _threshold(threshold, low=0.0, low_inclusive=False)
    n_terms = _positive_int(n_terms, "n_terms")
    jobs = _jobs(n_jobs)
    k = 0 if n_neighbors is None else _positive_int(n_neighbors, "n_neighbors")
    m = _positive_int(min_shared, "min_shared")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, float, np.integer, np.floating)):
        raise TypeError(f"resolution must be a positive number; got {resolution!r}")
    if not (float(resolution) > 0 and np.isfinite(resolution)):
        raise ValueError(f"resolution must be a positive number; got {resolution!r}")
    a = as_core_csr(X, "X")
    n_docs = int(a[3])
    days = None
    window = 0.0
    if dates is not None:
        days = _days(dates, n_docs)
        window = 7.0 if date_window is None else float(date_window)
        if not (window >= 0 and np.isfinite(window)):
            raise ValueError(f"date_window must be a number of days >= 0; got {date_window!r}")
    elif date_window is not None:
        raise ValueError("date_window needs dates (one per document)")
    names = _feature_names(vectorizer, a[4])
    labels, offsets, members, representative, terms, stats = _core.group(
        a, t, n_terms, jobs, method, k, m, float(resolution), days, window
    )
    ranked = _ranking.ranked_rows(terms, names)
    groups = [
        Group(
            label=g,
            members=members[int(offsets[g]) : int(offsets[g + 1])],
            representative=int(representative[g]),
            top_terms=ranked[g],
        )
        for g in range(len(representative))
    ]
    params: dict = {"n_documents": n_docs, "threshold": t, "n_links": int(stats["n_links"])}
    if method == "leiden":
        params.update(
            n_neighbors=int(stats["n_neighbors"]),
            n_neighbors_derived=n_neighbors is None,
            min_shared=m,
            resolution=float(resolution),
            date_window=window if days is not None else None,
            modularity=float(stats["modularity"]),
        )
    return StoryGroups(labels=labels, groups=groups, method=method, params=params)


def top_terms(
    vectorizer: Any,
    X: Any,
    n: int = 10,
    *,
    n_jobs: Optional[int] = None,
    as_frame: bool = False,
    ids: Any = None,
) -> Any:
    """Each document's ``n`` highest-weighted terms, largest first (ties: the lower column).

    Parameters
    ----------
    vectorizer : fitted vectorizer, sequence of str, or None
        Gives the term names (``get_feature_names_out()``); None keeps column indices.
    X : sparse matrix or 2-d array of shape (n_samples, n_features)
        Document weights, e.g. from ``vectorizer.transform``.
    n : int, default=10
        Terms per document.
    n_jobs : int, default=None
        Threads (``None`` = 1, ``-1`` = all usable CPUs).
    as_frame : bool, default=False
        Return a long pandas DataFrame with columns ``doc, rank, term, score`` instead: the
        document's position, the term's rank in it (from 1), the term and its weight.
    ids : sequence, default=None
        One id per row of X; with ``as_frame=True`` adds an ``id`` column after ``doc``.

    Returns
    -------
    list of list of (term, weight)
        One list per row of X; zero weights are left out. A DataFrame with ``as_frame=True``.

    Examples
    --------
    >>> import lexsim
    >>> vec = lexsim.TfidfVectorizer()
    >>> X = vec.fit_transform(["the cat sat", "the dog sat on the dog"])
    >>> [term for term, _ in lexsim.top_terms(vec, X, n=2)[1]]
    ['dog', 'the']
    """
    n = _positive_int(n, "n")
    jobs = _jobs(n_jobs)
    a = as_core_csr(X, "X")
    names = _feature_names(vectorizer, a[4])
    doc_ids = _ids(ids, a[3])
    ranked = _ranking.ranked_rows(_core.top_terms(a, n, jobs), names)
    if as_frame:
        pd = _pandas()
        if doc_ids is None:
            rows = [(d, r, t, w) for d, terms in enumerate(ranked) for r, (t, w) in enumerate(terms, 1)]
            return pd.DataFrame(rows, columns=["doc", "rank", "term", "score"])
        with_ids = [(d, doc_ids[d], r, t, w) for d, terms in enumerate(ranked) for r, (t, w) in enumerate(terms, 1)]
        return pd.DataFrame(with_ids, columns=["doc", "id", "rank", "term", "score"])
    return ranked


@dataclass(frozen=True)
class Explanation:
    """Why two documents match: the shared terms behind their cosine similarity.

    Attributes
    ----------
    i, j : int
        The two rows.
    similarity : float
        Their cosine similarity (the sum of every shared term's contribution).
    terms : list of (term, contribution, weight_i, weight_j)
        The top shared terms, largest contribution first (ties: the lower column); weights are
        the terms' values in the L2-normalised rows and contribution = weight_i * weight_j.
    n_shared : int
        How many terms the two rows share in all.
    """

    i: int
    j: int
    similarity: float
    terms: list
    n_shared: int

    def to_frame(self) -> Any:
        """The shared terms as a pandas DataFrame.

        Returns
        -------
        pandas.DataFrame
            Columns ``rank`` (from 1), ``term``, ``score`` (the term's contribution to the
            cosine), ``share`` (the contribution divided by the similarity, 0 when it is 0),
            ``weight_i`` and ``weight_j``; largest contribution first.
        """
        total = self.similarity
        rows = [(r, t, x, x / total if total else 0.0, a, b) for r, (t, x, a, b) in enumerate(self.terms, 1)]
        return _pandas().DataFrame(rows, columns=["rank", "term", "score", "share", "weight_i", "weight_j"])


def explain(vectorizer: Any, X: Any, i: int, j: int, n: Optional[int] = 10) -> Explanation:
    """The shared terms contributing most to the cosine similarity of rows ``i`` and ``j``.

    Parameters
    ----------
    vectorizer : fitted vectorizer, sequence of str, or None
        Gives the term names; None keeps column indices.
    X : sparse matrix or 2-d array of shape (n_samples, n_features)
        Document weights, e.g. a TF-IDF matrix.
    i, j : int
        The two rows (negative indices count from the end, as in Python).
    n : int or None, default=10
        How many terms to list; None lists every shared term.

    Returns
    -------
    Explanation
        ``similarity`` and the top ``terms`` with their contributions; all shared terms'
        contributions add up to ``similarity``.

    Examples
    --------
    >>> import lexsim
    >>> vec = lexsim.TfidfVectorizer()
    >>> X = vec.fit_transform(["Putin met Assad", "Assad met Erdogan", "Rain in Paris"])
    >>> e = lexsim.explain(vec, X, 0, 1)
    >>> [t for t, *_ in e.terms], round(e.similarity, 4)
    (['assad', 'met'], 0.5363)
    """
    a = as_core_csr(X, "X")
    rows = a[3]
    idx: list[int] = []
    for name, v in (("i", i), ("j", j)):
        if not (isinstance(v, numbers.Integral) and not isinstance(v, bool)):
            raise TypeError(f"{name} must be an int, got {type(v).__name__}")
        if not -rows <= v < rows:
            raise ValueError(f"{name}={v} is out of range for a matrix with {rows} rows")
        idx.append(int(v) % rows)
    if n is not None:
        n = _positive_int(n, "n")
    names = _feature_names(vectorizer, a[4])
    cols, contribution, wi, wj = _core.explain(a, idx[0], idx[1])
    # The kernels sum the products in column order: do the same for the similarity.
    similarity = float(sum(contribution[np.argsort(cols, kind="stable")].tolist()))
    keep = len(cols) if n is None else min(n, len(cols))
    terms = [
        (names[c] if names is not None else int(c), float(contribution[p]), float(wi[p]), float(wj[p]))
        for p, c in enumerate(cols[:keep])
    ]
    return Explanation(i=idx[0], j=idx[1], similarity=similarity, terms=terms, n_shared=len(cols))

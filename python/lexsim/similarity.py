"""Cosine similarity between the rows of sparse matrices: neighbours, pairs, story groups, key
terms and why two documents match."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional, Sequence, Union

import numpy as np
import scipy.sparse as sp

from . import _core
from ._sparse import as_core_csr, csr_from_buffers

Term = Union[str, int]


def _positive_int(value: Any, name: str) -> int:
    if not (isinstance(value, numbers.Integral) and not isinstance(value, bool)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def _threshold(value: Any, *, low: float, low_inclusive: bool) -> float:
    """A cosine threshold: a real number in [low, 1] (or (low, 1]), never NaN."""
    if not (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        raise TypeError(f"threshold must be a number, got {type(value).__name__}")
    value = float(value)
    if math.isnan(value):
        raise ValueError("threshold must not be NaN")
    ok = (low <= value if low_inclusive else low < value) and value <= 1.0
    if not ok:
        interval = f"[{low:g}, 1]" if low_inclusive else f"({low:g}, 1]"
        extra = "" if low_inclusive else " (a threshold <= 0 would pair every two documents)"
        raise ValueError(f"threshold must be in {interval}{extra}, got {value!r}")
    return value


def _jobs(n_jobs: Any) -> int:
    if n_jobs is None:
        return 1
    if not (isinstance(n_jobs, numbers.Integral) and not isinstance(n_jobs, bool) and (int(n_jobs) >= 1 or int(n_jobs) == -1)):
        raise ValueError(f"n_jobs must be None, -1 or a positive int, got {n_jobs!r}")
    return int(n_jobs)


def _feature_names(vectorizer: Any, n_features: int) -> Optional[np.ndarray]:
    """Column names from a fitted vectorizer (anything with get_feature_names_out) or a sequence;
    None keeps column indices."""
    if vectorizer is None:
        return None
    if hasattr(vectorizer, "get_feature_names_out"):
        names = np.asarray(vectorizer.get_feature_names_out(), dtype=object)
    elif isinstance(vectorizer, (str, bytes)) or not isinstance(vectorizer, Sequence) and not isinstance(
        vectorizer, np.ndarray
    ):
        raise TypeError(
            "vectorizer must be a fitted vectorizer (with get_feature_names_out), a sequence of "
            f"feature names or None, got {type(vectorizer).__name__}"
        )
    else:
        names = np.asarray(list(vectorizer), dtype=object)
    if len(names) != n_features:
        raise ValueError(f"the vectorizer has {len(names)} features but X has {n_features} columns")
    return names


def _ids(ids: Any, n_rows: int) -> Optional[list]:
    """``ids`` as a list of one id per row, or None; for the ``id`` columns of the frames."""
    if ids is None:
        return None
    if isinstance(ids, (str, bytes)) or not hasattr(ids, "__len__") or not hasattr(ids, "__iter__"):
        raise TypeError(f"ids must be a sequence of document ids, got {type(ids).__name__}")
    out = list(ids)
    if len(out) != n_rows:
        raise ValueError(f"ids has {len(out)} entries but X has {n_rows} rows")
    return out


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("as_frame=True and to_frame() need pandas: pip install pandas") from e
    return pandas

__all__ = ["Explanation", "Group", "StoryGroups", "explain", "group", "similar_pairs", "top_k", "top_terms"]


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
        Threads (``None`` = 1, ``-1`` = all cores); the result does not depend on it.

    Returns
    -------
    scipy.sparse.csr_matrix of shape (n_a, n_b)
        Row i holds the similarities of row i of A to its k best rows of B (only non-zero
        similarities are stored; ties go to the lower index). Column indices are sorted within
        each row; rank a row with ``np.argsort(-row.data)``.

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
    return csr_from_buffers(parts)


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
        Threads (``None`` = 1, ``-1`` = all cores); the result does not depend on it.
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
    """

    labels: np.ndarray
    groups: list

    def __len__(self) -> int:
        return len(self.groups)

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


def _ranked_rows(parts: Any, names: Optional[np.ndarray]) -> list:
    """CSR buffers from the core -> per row, [(term, value)] largest first (ties: lower column)."""
    data, indices, indptr, _shape = parts
    out = []
    for r in range(len(indptr) - 1):
        b, e = int(indptr[r]), int(indptr[r + 1])
        cols, vals = indices[b:e], data[b:e]
        order = np.lexsort((cols, -vals))
        out.append(
            [(names[c] if names is not None else int(c), float(v)) for c, v in zip(cols[order], vals[order])]
        )
    return out


def group(
    X: Any,
    threshold: float,
    *,
    vectorizer: Any = None,
    n_terms: int = 10,
    n_jobs: Optional[int] = None,
) -> StoryGroups:
    """Story groups: documents linked by a chain of pairs with cosine ``>= threshold``.

    The groups are the connected components of :func:`similar_pairs` (single linkage), so the
    result is exact and does not depend on the order of the documents. Near-duplicate detection is
    the same call with a high threshold (0.9 and above). Every document gets a label; a document
    similar to no other is a group of one.

    Parameters
    ----------
    X : sparse matrix or 2-d array of shape (n_samples, n_features)
        Rows to group, e.g. a TF-IDF matrix.
    threshold : float in (0, 1]
        Link two documents when their cosine is at least this.
    vectorizer : fitted vectorizer or sequence of str, default=None
        Gives the names of the top terms; without it they are column indices.
    n_terms : int, default=10
        How many top terms to report per group.
    n_jobs : int, default=None
        Threads for the pair search (``None`` = 1, ``-1`` = all cores).

    Returns
    -------
    StoryGroups
        ``labels`` per document, and ``groups`` numbered by decreasing size (ties: first member).

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
    t = _threshold(threshold, low=0.0, low_inclusive=False)
    n_terms = _positive_int(n_terms, "n_terms")
    jobs = _jobs(n_jobs)
    a = as_core_csr(X, "X")
    names = _feature_names(vectorizer, a[4])
    labels, offsets, members, representative, terms = _core.group(a, t, n_terms, jobs)
    ranked = _ranked_rows(terms, names)
    groups = [
        Group(
            label=g,
            members=members[int(offsets[g]) : int(offsets[g + 1])],
            representative=int(representative[g]),
            top_terms=ranked[g],
        )
        for g in range(len(representative))
    ]
    return StoryGroups(labels=labels, groups=groups)


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
        Threads (``None`` = 1, ``-1`` = all cores).
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
    ranked = _ranked_rows(_core.top_terms(a, n, jobs), names)
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

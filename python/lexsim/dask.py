"""lexsim on Dask: vectorizers fitted exactly over partitioned corpora, and a blockwise top_k.

Needs the optional extra: ``pip install "lexsim[dask]"`` (dask with bag, array and dataframe, and
distributed for clusters).

Everything a TF-IDF fit needs is additive: the number of documents, each term's document frequency
and its total count. Each partition is counted on a worker (``partial_fit``), the small count states
are merged pairwise in a tree, and ``min_df``, ``max_df``, ``max_features`` and the idf are applied
once, on the merged counts. The fitted vectorizer is therefore identical to a single-process
``lexsim.TfidfVectorizer().fit(all_documents)``, however the corpus is partitioned. (Dask-ML's
vectorizers prune per partition, so theirs depends on the partitioning.)

The classes follow Dask-ML's conventions: ``fit``, ``transform`` and ``fit_transform`` take a
``dask.bag.Bag`` of strings or a ``dask.dataframe.Series`` (a DataFrame column), and ``transform``
returns a ``dask.array.Array`` whose blocks are ``scipy.sparse.csr_matrix``, one per partition, with
unknown row counts (``X.compute_chunk_sizes()`` learns them). They run on whatever scheduler is
active: a ``distributed.Client`` when one exists, else Dask's default.

>>> import dask.bag as db
>>> import lexsim.dask
>>> docs = db.from_sequence(["Erdoğan met Putin", "Erdogan and Putin met", "rates held"], npartitions=2)
>>> vec = lexsim.dask.TfidfVectorizer(strip_accents="unicode")
>>> X = vec.fit_transform(docs)
>>> X.compute().shape
(3, 5)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional

import numpy as np
import scipy.sparse as sp

try:
    import dask
    import dask.array as da
    import dask.bag as db
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError('lexsim.dask needs dask: pip install "lexsim[dask]"') from e

from . import _arrow, _core, _similarity_args
from . import similarity as _similarity
from . import vectorizers as _vectorizers
from ._sparse import as_core_csr, as_output

__all__ = ["CountVectorizer", "TfidfVectorizer", "top_k"]


# ----------------------------------------------------------------------------- partitions


def _partitions(raw_documents: Any) -> list:
    """The corpus as one dask.delayed object per partition."""
    if isinstance(raw_documents, db.Bag):
        return list(raw_documents.to_delayed())
    dd: Any
    try:  # a dask DataFrame column; dask.dataframe is optional (it needs pandas)
        import dask.dataframe as dd
    except ImportError:  # pragma: no cover - depends on the environment
        dd = None
    if dd is not None and isinstance(raw_documents, dd.Series):
        return list(raw_documents.to_delayed())
    if dd is not None and isinstance(raw_documents, dd.DataFrame):
        raise TypeError(
            "expected one column of documents (a dask Series, e.g. df['text']), got a dask DataFrame "
            f"with columns {list(raw_documents.columns)}"
        )
    raise TypeError(
        "expected a dask.bag.Bag of strings or a dask.dataframe.Series (a DataFrame column), "
        f"got {type(raw_documents).__name__}; for in-memory lists use lexsim.TfidfVectorizer"
    )


def _as_list(part: Any) -> Any:
    # A bag partition is any iterable; a Series partition is a pandas Series, which the vectorizers
    # read from its Arrow buffers when its strings are Arrow-backed (pandas 3's default).
    if _arrow.arrow_source(part) is not None:
        return part
    values = getattr(part, "values", None)
    if values is not None and not isinstance(part, (list, tuple)):
        return list(values)
    return list(part)


def _count_partition(cls: type, params: dict, part: Any) -> Any:
    vec = cls(**params)
    vec.partial_fit(_as_list(part))
    return vec


def _merge_two(a: Any, b: Any) -> Any:
    # A fresh vectorizer takes both: task inputs may be shared (or cached) and must not change.
    return type(a)(**a.get_params()).merge(a).merge(b)


def _tree(items: list, combine: Any, split_every: int = 2) -> Any:
    """Combine delayed objects pairwise (in order), so no task sees more than `split_every`."""
    while len(items) > 1:
        grouped = []
        for i in range(0, len(items), split_every):
            group = items[i : i + split_every]
            node = group[0]
            for other in group[1:]:
                node = dask.delayed(combine)(node, other)
            grouped.append(node)
        items = grouped
    return items[0]


def _transform_partition(vec: Any, part: Any) -> sp.csr_matrix:
    return vec.transform(_as_list(part))


class _DaskMixin:
    """fit / transform / fit_transform over partitions; the single-process class does the work."""

    _local: type  # the lexsim class each partition is counted with

    def fit(self, raw_documents: Any, y: Any = None) -> Any:
        """Learn the vocabulary (and idf) from every partition, exactly as one process would.

        Parameters
        ----------
        raw_documents : dask.bag.Bag of str or dask.dataframe.Series
            The corpus, in any number of partitions.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        parts = _partitions(raw_documents)
        if not parts:
            raise ValueError("the corpus has no partitions")
        params = self.get_params()  # type: ignore[attr-defined]
        counted = [dask.delayed(_count_partition)(self._local, params, p) for p in parts]
        merged = _tree(counted, _merge_two).compute()
        if not merged.__sklearn_is_fitted__():
            # Every term was pruned (or there were none): the reason, as a single-process fit says it.
            try:
                merged.get_feature_names_out()
            except Exception as e:  # NotFittedError, whose message says why
                raise ValueError(str(e)) from None
        self._take_fitted_state(merged)
        return self

    def _take_fitted_state(self, fitted: Any) -> None:
        # Take the fitted state (everything that is not a parameter) of the merged vectorizer.
        params = set(self.get_params())  # type: ignore[attr-defined]
        for name, value in vars(fitted).items():
            if name not in params:
                setattr(self, name, value)

    def _local_copy(self) -> Any:
        """A plain lexsim vectorizer with this one's parameters and fitted state (what ships to
        the workers: parameters and per-term state, never per-document state)."""
        local = self._local(**self.get_params())  # type: ignore[attr-defined]
        params = set(self.get_params())  # type: ignore[attr-defined]
        for name, value in vars(self).items():
            if name not in params:
                setattr(local, name, value)
        return local

    def transform(self, raw_documents: Any) -> da.Array:
        """Document-term matrix as a dask array of CSR blocks, one block per partition.

        Parameters
        ----------
        raw_documents : dask.bag.Bag of str or dask.dataframe.Series

        Returns
        -------
        dask.array.Array of shape (n_documents, n_features)
            Blocks are ``scipy.sparse.csr_matrix`` with this vectorizer's dtype; row counts are
            unknown until computed (``compute_chunk_sizes()``).
        """
        parts = _partitions(raw_documents)
        local = self._local_copy()
        n_features = len(local.get_feature_names_out())  # raises NotFittedError when not fitted
        dtype = np.dtype(local.dtype)
        fitted = dask.delayed(local, pure=True)
        meta = sp.csr_matrix((0, n_features), dtype=dtype)
        blocks = [
            da.from_delayed(
                dask.delayed(_transform_partition)(fitted, p), shape=(np.nan, n_features), dtype=dtype, meta=meta
            )
            for p in parts
        ]
        return da.concatenate(blocks, axis=0) if blocks else da.from_array(meta)

    def fit_transform(self, raw_documents: Any, y: Any = None) -> da.Array:
        """``fit`` then ``transform`` (two passes over the partitions; persist the bag first
        when it is expensive to compute).

        Returns
        -------
        dask.array.Array of shape (n_documents, n_features)
        """
        return self.fit(raw_documents).transform(raw_documents)


class CountVectorizer(_DaskMixin, _vectorizers.CountVectorizer):
    """lexsim.CountVectorizer over a dask bag or dask Series, fitted exactly across partitions.

    Takes exactly the parameters of :class:`lexsim.CountVectorizer`; ``n_jobs`` sets the threads
    each task uses.
    """

    _local = _vectorizers.CountVectorizer


class TfidfVectorizer(_DaskMixin, _vectorizers.TfidfVectorizer):
    """lexsim.TfidfVectorizer over a dask bag or dask Series, fitted exactly across partitions.

    Takes exactly the parameters of :class:`lexsim.TfidfVectorizer`; ``n_jobs`` sets the threads
    each task uses. The vocabulary, ``idf_`` and every transformed row equal those of a
    single-process fit on the same documents, for every partitioning.
    """

    _local = _vectorizers.TfidfVectorizer


# ----------------------------------------------------------------------------- top_k


def _row_offsets(blocks: Sequence[Any], chunks: tuple) -> list[int]:
    sizes = list(chunks)
    if any(isinstance(s, float) and np.isnan(s) for s in sizes):
        sizes = list(dask.compute(*[dask.delayed(lambda b: b.shape[0])(b) for b in blocks]))
    offsets = [0]
    for s in sizes:
        offsets.append(offsets[-1] + int(s))
    return offsets


def _top_k_block(a: Any, b: Any, k: int, threshold: Optional[float], n_jobs: Optional[int]) -> sp.csr_matrix:
    return _similarity.top_k(a, b, k=k, threshold=threshold, n_jobs=n_jobs)


def _merge_top_k(parts: list, offsets: list[int], k: int, n_cols: int) -> sp.csr_matrix:
    """Per row, the k best of every block's candidates: highest score first, ties to the lower
    column, exactly as one top_k over the whole of B picks them."""
    dtype = np.result_type(*[p.dtype for p in parts])
    core = [as_core_csr(p, "part", dtype=np.float32 if dtype == np.float32 else np.float64) for p in parts]
    # One indptr type for all (the core reads every part alike).
    if any(c[2].dtype != np.int64 for c in core) and not all(c[2].dtype == np.int32 for c in core):
        core = [(d, i, ip.astype(np.int64), r, n) for d, i, ip, r, n in core]
    data, indices, indptr, shape = _core.merge_top_k(core, [int(o) for o in offsets], int(k), int(n_cols))
    merged = sp.csr_matrix((data.astype(dtype, copy=False), indices, indptr), shape=tuple(shape))
    merged.has_sorted_indices = True
    return as_output(merged, like=parts)  # the blocks' type: csr_array blocks give csr_array rows


def top_k(
    A: da.Array,
    B: Optional[da.Array] = None,
    k: int = 10,
    threshold: Optional[float] = None,
    n_jobs: Optional[int] = None,
) -> da.Array:
    """:func:`lexsim.top_k` over dask arrays of sparse row blocks, block by block, exactly.

    Every block of A is compared with every block of B on the workers (``lexsim.top_k`` on each
    pair), and each row keeps the k best candidates of all blocks with the same tie rule (the lower
    column), so the result equals ``lexsim.top_k(A.compute(), B.compute(), ...)``. Memory per task:
    one block of A, one of B and the block's rows x k candidates per block of B.

    Parameters
    ----------
    A : dask.array.Array of shape (n_a, n_features)
        Row blocks (e.g. from :meth:`TfidfVectorizer.transform`), chunked along rows only.
    B : dask.array.Array of shape (n_b, n_features), default=None
        Candidate rows; ``None`` compares A with itself and leaves each row's own match out.
    k, threshold, n_jobs
        As in :func:`lexsim.top_k` (``n_jobs`` is per task).

    Returns
    -------
    dask.array.Array of shape (n_a, n_b)
        CSR blocks with A's row chunks (``csr_array`` blocks when A's or B's are sparse arrays).
    """
    k = _similarity_args._positive_int(k, "k")
    if threshold is not None:
        threshold = _similarity_args._threshold(threshold, low=-1.0, low_inclusive=True)
    _similarity_args._jobs(n_jobs)
    self_join = B is None or B is A
    for name, M in (("A", A), ("B", None if self_join else B)):
        if M is None:
            continue
        if not isinstance(M, da.Array):
            raise TypeError(f"{name} must be a dask array of sparse row blocks, got {type(M).__name__}")
        if M.ndim != 2:
            raise ValueError(f"{name} must be 2-dimensional, got {M.ndim} dimensions")
        if len(M.chunks[1]) != 1:
            raise ValueError(
                f"{name} must be chunked along rows only (one block of columns), got column chunks {M.chunks[1]}"
            )
    if self_join:
        B = A
    assert B is not None
    if A.shape[1] != B.shape[1]:
        raise ValueError(f"A and B must have the same number of columns, got {A.shape[1]} and {B.shape[1]}")
    a_blocks = list(A.to_delayed()[:, 0])
    b_blocks = a_blocks if self_join else list(B.to_delayed()[:, 0])
    offsets = _row_offsets(b_blocks, B.chunks[0])
    n_cols = offsets[-1]
    meta_dtype = np.float32 if A.dtype == np.float32 and B.dtype == np.float32 else np.float64
    meta = as_output(sp.csr_matrix((0, n_cols), dtype=meta_dtype), like=(A._meta, B._meta))
    out = []
    for i, a in enumerate(a_blocks):
        parts = [
            dask.delayed(_top_k_block)(a, None if (self_join and i == j) else b, k, threshold, n_jobs)
            for j, b in enumerate(b_blocks)
        ]
        merged = dask.delayed(_merge_top_k)(parts, offsets[:-1], k, n_cols)
        rows = A.chunks[0][i]
        out.append(da.from_delayed(merged, shape=(rows, n_cols), dtype=meta_dtype, meta=meta))
    return da.concatenate(out, axis=0)

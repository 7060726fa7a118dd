"""``TfidfTransformer``: scikit-learn's count-matrix weighting, computed in lexsim's C++ core.

A drop-in for :class:`sklearn.feature_extraction.text.TfidfTransformer` with the same parameters and
results, plus an exact ``partial_fit`` and ``merge``: the fitted state is the number of documents
and each column's document frequency, sums over rows, so fits on parts of a corpus add up to the
fit on all of it, bit for bit.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

import numpy as np

from . import _core
from ._base import HAVE_SKLEARN, BaseEstimator, TransformerMixin
from ._errors import NotFittedError
from ._sparse import csr_from_buffers
from ._tfidf_input import _aligned, _core_tuple, _counts_csr, _feature_names, _is_bool, _names_differ
from ._tfidf_state import _NORM_NAMES, _NORMS, fitted_state, native_from_state

__all__ = ["TfidfTransformer"]

# scikit-learn's TfidfTransformer opts out of set_output wrapping (its output is sparse); so does this one.
_NO_OUTPUT_WRAPPING: dict[str, Any] = {"auto_wrap_output_keys": None} if HAVE_SKLEARN else {}


class TfidfTransformer(TransformerMixin, BaseEstimator, **_NO_OUTPUT_WRAPPING):
    """Transform a count matrix to a normalized tf or tf-idf representation.

    A drop-in replacement for :class:`sklearn.feature_extraction.text.TfidfTransformer`: the same
    parameters, defaults, attributes and results (to 1e-12 in float64), computed in C++, plus
    ``partial_fit`` and ``merge``, which are exact. The weight of a stored count ``tf`` in column
    ``j`` is ``tf * idf[j]`` (``1 + ln(tf)`` with ``sublinear_tf``), then each row is normalised;
    ``idf[j] = ln((1 + n) / (1 + df[j])) + 1`` with ``smooth_idf``, ``ln(n / df[j]) + 1`` without,
    where ``n`` is the number of documents (rows) fitted and ``df[j]`` the number of them that
    store a value in column ``j``.

    Parameters
    ----------
    norm : {'l2', 'l1'} or None, default='l2'
        Row normalisation of the result.
    use_idf : bool, default=True
        Weight by inverse document frequency.
    smooth_idf : bool, default=True
        Add one to document frequencies, as if one extra document held every column once.
    sublinear_tf : bool, default=False
        Replace tf with ``1 + ln(tf)``.
    n_jobs : int, default=None
        Threads for ``fit`` and ``transform`` (``None`` = 1, ``-1`` = all cores; not in
        scikit-learn). Results do not depend on it.

    Attributes
    ----------
    idf_ : numpy.ndarray of shape (n_features,)
        The inverse document frequencies (only when fitted with ``use_idf=True``, or set by hand);
        float32 when the counts fitted were float32, as scikit-learn computes it. Read-only: assign
        a new array to change it (``partial_fit`` and ``merge`` then refuse to replace it).
    n_features_in_ : int
        Number of columns fitted.
    feature_names_in_ : numpy.ndarray of shape (n_features,)
        Column names, when fitted on a DataFrame whose columns are all strings.
    n_documents_ : int
        Number of documents (rows) fitted by ``fit``, or by every ``partial_fit`` and ``merge`` since.
    document_frequencies_ : numpy.ndarray of int64, shape (n_features,)
        In how many of those documents each column stores a value (an explicitly stored zero
        counts, as in scikit-learn).

    Notes
    -----
    Rows of a sparse input are read in their order, sorted or not, and the result keeps it (for int
    counts scikit-learn's result has sorted rows: scipy's ``astype`` sorts them). What differs from scikit-learn, on purpose: a column
    stored twice in one row is one value, their sum (scikit-learn counts it twice in the document
    frequency and normalises the two values apart); with ``sublinear_tf`` a negative value is a ``ValueError``
    naming its row and column and a stored zero stays zero (scikit-learn gives NaN and -inf);
    NaN and infinite values are a ``ValueError`` naming their row and column.

    Examples
    --------
    >>> from lexsim import CountVectorizer, TfidfTransformer
    >>> counts = CountVectorizer().fit_transform(["Putin met Erdogan", "Putin met Assad", "Assad"])
    >>> tfidf = TfidfTransformer().fit(counts)
    >>> tfidf.idf_.round(3).tolist()
    [1.288, 1.693, 1.288, 1.288]
    >>> tfidf.transform(counts).shape
    (3, 4)

    Fits on parts add up exactly:

    >>> part = TfidfTransformer().partial_fit(counts[:2]).partial_fit(counts[2:])
    >>> bool((part.idf_ == tfidf.idf_).all()), part.n_documents_
    (True, 3)
    """

    _native: Any = None
    _idf_dtype: str = "float64"
    #: Set on the read-only copy a TfidfVectorizer shows as ``_tfidf``: why it cannot change.
    _read_only: Optional[str] = None

    def __init__(
        self,
        *,
        norm: Optional[str] = "l2",
        use_idf: bool = True,
        smooth_idf: bool = True,
        sublinear_tf: bool = False,
        n_jobs: Optional[int] = None,
    ) -> None:
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ parameters
    def _validate_params(self) -> None:
        if self.norm not in tuple(_NORMS):
            raise ValueError(
                f"The 'norm' parameter of TfidfTransformer must be a str among {{'l1', 'l2'}} or None. Got {self.norm!r} instead."
            )
        for name in ("use_idf", "smooth_idf", "sublinear_tf"):
            if not _is_bool(getattr(self, name)):
                raise TypeError(
                    f"The '{name}' parameter of TfidfTransformer must be an instance of 'bool'. Got {getattr(self, name)!r} instead."
                )
        n_jobs = self.n_jobs
        if n_jobs is not None and not (
            isinstance(n_jobs, (int, np.integer)) and not _is_bool(n_jobs) and (n_jobs >= 1 or n_jobs == -1)
        ):
            raise ValueError(
                f"The 'n_jobs' parameter of TfidfTransformer must be None, -1 or a positive int. Got {n_jobs!r} instead."
            )

    def _weighting(self) -> _core.TfidfWeighting:
        w = _core.TfidfWeighting()
        w.norm = _NORMS[self.norm]
        w.use_idf = bool(self.use_idf)
        w.smooth_idf = bool(self.smooth_idf)
        w.sublinear_tf = bool(self.sublinear_tf)
        return w

    def _jobs(self) -> int:
        return 1 if self.n_jobs is None else int(self.n_jobs)

    def _check_writable(self, what: str) -> None:
        if self._read_only is not None:
            raise ValueError(f"cannot {what}: {self._read_only}")

    # ------------------------------------------------------------------ fitting
    def fit(self, X: Any, y: Any = None) -> TfidfTransformer:
        """Learn the idf vector (global term weights).

        Forgets earlier fits: the counts become the number of rows of ``X`` and the number of rows
        storing a value in each column.

        Parameters
        ----------
        X : {sparse matrix, array-like} of shape (n_samples, n_features)
            A matrix of term/token counts: any scipy sparse format (read in place when it is CSR
            of int32, int64, float32 or float64 values) or a dense array or DataFrame.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        self._check_writable("fit")
        self._validate_params()
        names = _feature_names(X)
        M = _counts_csr(X, min_rows=1)
        self._fit_csr(M, names)
        return self

    def _fit_csr(self, M: Any, names: Optional[np.ndarray]) -> None:
        native = _core.TfidfTransformer(self._weighting(), self._jobs())
        native.fit(_core_tuple(M))
        self._native = native
        self._idf_dtype = "float32" if M.dtype == np.float32 else "float64"
        self._set_feature_names(names)
        self._warn_infinite_idf(stacklevel=4)  # the caller of fit or fit_transform

    def partial_fit(self, X: Any, y: Any = None) -> TfidfTransformer:
        """Add the rows of ``X`` to the fit: afterwards the transformer is fitted on every row it has seen.

        The number of documents and the document frequencies are sums, kept exactly (int64), and
        the idf is computed once from the sums: ``fit(vstack([a, b]))``, ``fit(a).partial_fit(b)``
        and ``partial_fit(a).partial_fit(b)`` give the same ``idf_``, bit for bit, and so the same
        matrices (scikit-learn's TfidfTransformer has no ``partial_fit``). All parameters may change
        between calls (the counts do not depend on them); the idf is that of the parameters of the
        last call. ``idf_`` is float32 while every matrix fitted was float32.

        Parameters
        ----------
        X : {sparse matrix, array-like} of shape (n_samples, n_features)
            Counts with the columns of the earlier fits (a first call may have any; no rows is
            allowed and adds nothing).
        y : None
            Ignored.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            When ``X`` has another number of columns or other feature names than the earlier fits,
            or ``idf_`` was set by hand (the idf of the counts would silently replace it).
        """
        self._check_writable("partial_fit")
        self._validate_params()
        native = self._native
        if native is None or not native.is_fitted:
            names = _feature_names(X)
            M = _counts_csr(X, min_rows=0)
            native = _core.TfidfTransformer(self._weighting(), self._jobs())
            native.partial_fit(_core_tuple(M))
            self._native = native
            self._idf_dtype = "float32" if M.dtype == np.float32 else "float64"
            self._set_feature_names(names)
        else:
            self._check_feature_names(X, strict=True)
            M = _counts_csr(X, min_rows=0)
            self._check_n_features(M)
            self._update(native, lambda: native.partial_fit(_core_tuple(M)))
            if M.dtype != np.float32:
                self._idf_dtype = "float64"
        self._warn_infinite_idf()
        return self

    def merge(self, other: TfidfTransformer) -> TfidfTransformer:
        """Add the counts of another fitted transformer to this one's, and compute the idf of the sum.

        Afterwards this transformer is what one fit on the rows of both would have given, exactly
        (``other`` is not changed). This is how fits on parts of a corpus, on several processes or
        machines, combine: ``partial_fit`` each part, merge the results in any order or grouping.

        The contract: ``other`` is a ``TfidfTransformer`` (else ``TypeError``) fitted by ``fit``,
        ``partial_fit`` or ``merge`` (else ``NotFittedError``), with the same number of columns,
        the same feature names (or none on both), equal ``norm``, ``use_idf``, ``smooth_idf`` and
        ``sublinear_tf`` (``n_jobs`` may differ), and neither transformer's ``idf_`` set by hand
        (else ``ValueError``, naming what differs). An unfitted transformer takes ``other``'s counts.

        Parameters
        ----------
        other : TfidfTransformer
            The transformer whose counts are added.

        Returns
        -------
        self

        Examples
        --------
        >>> import numpy as np
        >>> from lexsim import TfidfTransformer
        >>> a, b = np.array([[1, 0, 2], [0, 1, 1]]), np.array([[3, 0, 0]])
        >>> merged = TfidfTransformer().fit(a).merge(TfidfTransformer().fit(b))
        >>> whole = TfidfTransformer().fit(np.vstack([a, b]))
        >>> merged.document_frequencies_.tolist(), bool((merged.idf_ == whole.idf_).all())
        ([2, 1, 2], True)
        """
        if not isinstance(other, TfidfTransformer):
            raise TypeError(f"cannot merge a {type(other).__name__} into a TfidfTransformer")
        self._check_writable("merge")
        self._validate_params()
        theirs = other._native
        if theirs is None or not theirs.has_counts:
            raise NotFittedError(
                "cannot merge: the other TfidfTransformer is not fitted (call fit or partial_fit on it first)"
                if theirs is None or not theirs.is_fitted
                else "cannot merge: the other TfidfTransformer has no counts, only an idf_ set by hand"
            )
        for name in ("norm", "use_idf", "smooth_idf", "sublinear_tf"):
            mine, its = getattr(self, name), getattr(other, name)
            if mine != its:
                raise ValueError(
                    f"cannot merge transformers with different parameters: {name}={mine!r} here, {name}={its!r} in the other"
                )
        my_names, its_names = getattr(self, "feature_names_in_", None), getattr(other, "feature_names_in_", None)
        native = self._native
        fitted = native is not None and native.is_fitted
        if (
            fitted
            and not (my_names is None and its_names is None)
            and (my_names is None or its_names is None or not np.array_equal(my_names, its_names))
        ):
            raise ValueError("cannot merge transformers fitted on different feature names")
        # The other's engine may still hold the weighting of its last fit: compare ours with ours.
        copy = _core.TfidfTransformer(theirs)
        copy.weighting = self._weighting()
        if not fitted:
            native = _core.TfidfTransformer(self._weighting(), self._jobs())
            native.merge(copy)
            self._native = native
            self._idf_dtype = other._idf_dtype
            self._set_feature_names(its_names)
        else:
            if native.n_features != theirs.n_features:
                raise ValueError(
                    f"cannot merge transformers fitted on {native.n_features} and on {theirs.n_features} features"
                )
            self._update(native, lambda: native.merge(copy))
            if other._idf_dtype != "float32":
                self._idf_dtype = "float64"
        self._warn_infinite_idf()
        return self

    def _update(self, native: Any, add: Any) -> None:
        """Run ``add`` (a partial_fit or merge of the engine) with this transformer's parameters;
        on failure the engine keeps the weighting its idf was computed with."""
        before = native.weighting
        native.weighting = self._weighting()
        native.n_jobs = self._jobs()
        try:
            add()
        except BaseException:
            native.weighting = before
            raise

    def _set_feature_names(self, names: Optional[np.ndarray]) -> None:
        if names is not None:
            self.feature_names_in_ = names
        elif "feature_names_in_" in self.__dict__:
            del self.feature_names_in_

    def _warn_infinite_idf(self, stacklevel: int = 3) -> None:
        """scikit-learn's numpy warning when smooth_idf=False divides by a zero document frequency."""
        native = self._native
        if native is None or not native.has_counts or not native.has_idf or native.weighting.smooth_idf:
            return
        df = native.document_frequencies()
        zero = np.flatnonzero(df == 0)
        if zero.size:
            what = (
                "invalid value encountered in divide"
                if native.n_documents == 0
                else "divide by zero encountered in divide"
            )
            warnings.warn(
                f"{what}: {zero.size} column(s) (the first: {int(zero[0])}) have a document frequency of 0, and "
                "smooth_idf=False gives them an infinite idf; values in them will make their rows NaN",
                RuntimeWarning,
                stacklevel=stacklevel,
            )

    # ------------------------------------------------------------------ transforming
    def transform(self, X: Any, copy: bool = True) -> Any:
        """Transform a count matrix to a tf or tf-idf representation.

        Parameters
        ----------
        X : {sparse matrix, array-like} of shape (n_samples, n_features)
            A matrix of term/token counts.
        copy : bool, default=True
            Whether to leave X as it is. With ``copy=False`` a CSR matrix of float32 or float64
            values is weighted in place and returned (unless a row stores a column twice); any
            other input is converted first, as scikit-learn does.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_samples, n_features)
            Tf-idf-weighted document-term matrix: float32 for float32 counts, else float64 (a
            ``csr_array`` when scikit-learn's ``sparse_interface`` config says ``"sparray"``).
        """
        native = self._fitted()
        self._validate_params()
        self._check_feature_names(X, strict=False)
        M = _counts_csr(X, min_rows=1)
        return self._transform_csr(native, M, in_place=(M is not X) or not copy)

    def _transform_csr(self, native: Any, M: Any, in_place: bool) -> Any:
        self._check_n_features(M)
        # norm and sublinear_tf are read at transform time, as scikit-learn reads them; the idf
        # keeps the use_idf and smooth_idf of its fit.
        w = native.weighting
        w.norm = _NORMS[self.norm]
        w.sublinear_tf = bool(self.sublinear_tf)
        native.weighting = w
        native.n_jobs = self._jobs()
        precision = _core.IdfPrecision.float32 if self._idf_dtype == "float32" else _core.IdfPrecision.float64
        parts = _core_tuple(M)
        if in_place and M.dtype in (np.float32, np.float64) and parts[0] is M.data and M.data.flags.writeable:
            native.transform_in_place(parts, precision)
            return _aligned(M)
        out = csr_from_buffers(native.transform(parts, precision))
        out.has_sorted_indices = bool(M.has_sorted_indices)  # the core keeps each row's order
        return out

    def fit_transform(self, X: Any, y: Any = None) -> Any:
        """Learn the idf vector and return the tf-idf matrix of ``X`` (``X`` is not changed).

        Parameters
        ----------
        X : {sparse matrix, array-like} of shape (n_samples, n_features)
            A matrix of term/token counts.
        y : None
            Ignored.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_samples, n_features)
            Tf-idf-weighted document-term matrix.
        """
        self._check_writable("fit")
        self._validate_params()
        names = _feature_names(X)
        M = _counts_csr(X, min_rows=1)
        self._fit_csr(M, names)
        return self._transform_csr(self._native, M, in_place=M is not X)

    def _fitted(self) -> Any:
        native = self._native
        if native is None or not native.is_fitted:
            raise NotFittedError(
                "This TfidfTransformer instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator."
            )
        return native

    def _check_n_features(self, M: Any) -> None:
        n = self._native.n_features if self._native is not None and self._native.is_fitted else None
        if n is not None and M.shape[1] != n:
            raise ValueError(f"X has {M.shape[1]} features, but TfidfTransformer is expecting {n} features as input.")

    def _check_feature_names(self, X: Any, strict: bool) -> None:
        """scikit-learn's checks: different names are an error, names on one side only a warning
        (an error for ``partial_fit``, whose counts must add up: ``strict``)."""
        fitted = getattr(self, "feature_names_in_", None)
        names = _feature_names(X)
        if fitted is None and names is None:
            return
        if fitted is None or names is None:
            message = (
                "X has feature names, but TfidfTransformer was fitted without feature names"
                if fitted is None
                else "X does not have valid feature names, but TfidfTransformer was fitted with feature names"
            )
            if strict:
                raise ValueError(message)
            warnings.warn(message, UserWarning, stacklevel=3)
            return
        if len(fitted) == len(names) and (fitted == names).all():
            return
        raise ValueError(_names_differ(fitted, names))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Get output feature names: the input's, one column out for each column in.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            The input's feature names: ``feature_names_in_`` when None (or ``x0``, ``x1``... when
            fitted without names); when given, they must equal ``feature_names_in_`` if it exists.

        Returns
        -------
        numpy.ndarray of str objects
            The feature names.
        """
        n = int(self._fitted().n_features)
        fitted = getattr(self, "feature_names_in_", None)
        if input_features is None:
            return fitted.copy() if fitted is not None else np.asarray([f"x{i}" for i in range(n)], dtype=object)
        names = np.asarray(input_features, dtype=object)
        if fitted is not None and (len(fitted) != len(names) or not (fitted == names).all()):
            raise ValueError("input_features is not equal to feature_names_in_")
        if len(names) != n:
            raise ValueError(f"input_features should have length equal to number of features ({n}), got {len(names)}")
        return names

    # ------------------------------------------------------------------ fitted attributes
    @property
    def idf_(self) -> np.ndarray:
        """The inverse document frequency of each column (read-only; assign a new array to change it)."""
        native = self._native
        if native is None or not native.has_idf:
            raise AttributeError(
                "'TfidfTransformer' object has no attribute 'idf_' (it is fitted with use_idf=True, or set)"
            )
        idf = native.idf_float() if self._idf_dtype == "float32" else native.idf()
        idf.flags.writeable = False
        return idf

    @idf_.setter
    def idf_(self, value: Any) -> None:
        self._check_writable("set idf_")
        idf = np.asarray(value)
        if idf.ndim != 1 or idf.dtype.kind not in "biuf":
            raise ValueError(f"idf_ must be a 1-d array of numbers; got {idf.dtype} of shape {idf.shape}")
        native = self._native
        if native is None:
            native = _core.TfidfTransformer(self._weighting(), self._jobs())
        elif native.is_fitted and idf.shape[0] != native.n_features:
            raise ValueError(
                f"idf_ has {idf.shape[0]} values, but the TfidfTransformer was fitted on {native.n_features} features"
            )
        native.set_idf(np.asarray(idf, dtype=np.float64))
        self._native = native
        self._idf_dtype = "float32" if idf.dtype == np.float32 else "float64"

    @property
    def n_features_in_(self) -> int:
        """Number of columns fitted (after ``fit``, ``partial_fit`` or ``merge``)."""
        return int(self._counts().n_features)

    @property
    def n_documents_(self) -> int:
        """Number of documents (rows) fitted: by ``fit``, or by every ``partial_fit`` and ``merge`` since."""
        return int(self._counts().n_documents)

    @property
    def document_frequencies_(self) -> np.ndarray:
        """In how many of the fitted documents each column stores a value (int64, read-only)."""
        df = self._counts().document_frequencies()
        df.flags.writeable = False
        return df

    def _counts(self) -> Any:
        native = self._native
        if native is None or not native.has_counts:
            raise NotFittedError(
                "This TfidfTransformer instance has no counts: it is not fitted (or only its idf_ was set)"
            )
        return native

    # ------------------------------------------------------------------ scikit-learn protocol
    if HAVE_SKLEARN:

        def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
            tags = super().__sklearn_tags__()
            tags.input_tags.sparse = True
            tags.transformer_tags.preserves_dtype = ["float64", "float32"]
            return tags

    def __sklearn_is_fitted__(self) -> bool:
        return self._native is not None and bool(self._native.is_fitted)

    # ------------------------------------------------------------------ pickling
    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__)
        native = state.pop("_native", None)
        if native is not None and native.is_fitted:
            state["_fitted_state"] = fitted_state(native)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        fitted = state.pop("_fitted_state", None)
        if hasattr(super(), "__setstate__"):
            super().__setstate__(state)
        else:  # pragma: no cover
            self.__dict__.update(state)
        if fitted is not None:
            self._native = native_from_state(fitted, self._jobs())

    # ------------------------------------------------------------------ the vectorizer's view
    @classmethod
    def _copy_of(cls, native: Any, float32: bool, n_jobs: Optional[int], owner: str) -> TfidfTransformer:
        """A read-only TfidfTransformer holding a copy of ``native``, the weighting of a fitted
        ``owner`` (a TfidfVectorizer), with the parameters it was fitted with."""
        w = native.weighting
        t = cls(
            norm=_NORM_NAMES[w.norm],
            use_idf=bool(w.use_idf),
            smooth_idf=bool(w.smooth_idf),
            sublinear_tf=bool(w.sublinear_tf),
            n_jobs=n_jobs,
        )
        t._native = native
        t._idf_dtype = "float32" if float32 else "float64"
        t._read_only = (
            f"this TfidfTransformer is a copy of a {owner}'s weighting; fit the {owner} (or set its idf_) instead"
        )
        return t

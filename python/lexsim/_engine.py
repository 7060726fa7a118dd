"""The vectorizers' fitted state: fit and transform through the C++ engine (whole collections or
batches), partial_fit and merge of corpus counts, the fitted attributes, model files and pickling.

``_Engine`` is the third layer of ``_BaseVectorizer`` (see :mod:`lexsim._params`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, NamedTuple, Optional, TypeVar, Union

import numpy as np

from . import _core
from ._base import HAVE_SKLEARN
from ._errors import NotFittedError
from ._input import Document, _Input
from ._lazy import scipy_sparse as sp
from ._params import _FLOAT_DTYPES, _INTEGER_DTYPES, _same_value
from ._sparse import csr_from_buffers

_Self = TypeVar("_Self", bound="_Engine")

# Parameters that only prune or weight the counts (they may change between partial_fit calls) and
# ones that change nothing a fit computes; every other parameter decides what is counted.
_PRUNING_PARAMS = frozenset(
    {"min_df", "max_df", "max_features", "norm", "use_idf", "smooth_idf", "sublinear_tf", "dtype"}
)
_RESULT_NEUTRAL_PARAMS = frozenset({"n_jobs"})


class CorpusCounts(NamedTuple):
    """The counts a fit is computed from (``corpus_counts_``), terms in code-point order.

    Every term seen before ``min_df``, ``max_df`` and ``max_features`` pruned anything; all of it
    is a sum over documents, which is why fits on parts of a corpus merge exactly.
    """

    #: The terms (str), sorted by code point.
    terms: np.ndarray
    #: In how many documents each term occurs (int64).
    document_frequencies: np.ndarray
    #: How often each term occurs in all documents (int64); with ``binary=True``, each document
    #: counts a term once.
    total_counts: np.ndarray
    #: The number of documents.
    n_documents: int


class _Engine(_Input):
    """The fitted C++ engine and what is read from it (the third layer of ``_BaseVectorizer``)."""

    _native: Any
    _vocabulary_cache: Optional[dict[str, int]] = None

    #: Text per batch when documents come from an iterator (see ``_stream_batches``).
    _batch_bytes: int = 32 * 2**20

    def _new_native(self, native_mode: bool) -> Any:
        raise NotImplementedError

    def _run(self, raw_documents: Any, op: str) -> Optional[sp.csr_matrix]:
        """``op`` ('fit', 'fit_transform' or 'transform') on a collection, or batch by batch on an iterator."""
        self._validate_params()
        native_mode = self._native_mode()
        fit = op != "transform"
        if fit:
            self._warn_for_unused_params()
            self._warn_for_uppercase_vocabulary()
        engine = self._new_native(native_mode) if fit else self._with_jobs(self._fitted_native())
        in_core = self._engine_native_mode(engine, native_mode)
        dtype = self._dtype_name()
        core_dtype = dtype if dtype in _INTEGER_DTYPES | _FLOAT_DTYPES else "int64"
        docs: Any = []
        try:
            if self._is_stream(raw_documents):
                batches = self._stream_batches(raw_documents, terms=not in_core)
                if op == "fit":
                    engine.fit_batches(batches, not in_core)
                    parts = None
                else:
                    call = engine.fit_transform_batches if fit else engine.transform_batches
                    parts = call(batches, core_dtype, not in_core)
            else:
                docs = self._documents(raw_documents, native=in_core)
                items = docs if in_core else self._analyze_all(docs)
                suffix = "" if in_core else "_terms"
                if op == "fit":
                    getattr(engine, "fit" + suffix)(items)
                    parts = None
                else:
                    parts = getattr(engine, ("fit_transform" if fit else "transform") + suffix)(items, core_dtype)
        except TypeError as e:
            raise self._explain_type_error(docs, e) from None
        except _core.NotFittedError as e:
            raise NotFittedError(str(e)) from None
        if fit:
            self._adopt(engine, native_mode)
        if parts is None:
            return None
        X = csr_from_buffers(parts)
        if core_dtype != dtype:
            X = X.astype(self.dtype)
        return X

    def _with_jobs(self, engine: Any) -> Any:
        """The engine, running with this vectorizer's n_jobs (which set_params may have changed
        since the fit, or a loaded model never had)."""
        wanted = 1 if self.n_jobs is None else int(self.n_jobs)
        if engine.n_jobs != wanted:
            engine.n_jobs = wanted
        return engine

    def _matrix(self, raw_documents: Any, op: str) -> sp.csr_matrix:
        X = self._run(raw_documents, op)
        assert X is not None
        return X

    def _adopt(self, engine: Any, native_mode: bool) -> None:
        """Make ``engine`` this vectorizer's fitted state."""
        self._native = engine
        self._native_is_native_mode = native_mode
        self._vocabulary_cache = None
        self.fixed_vocabulary_ = self.vocabulary is not None
        # What the counts were made with: partial_fit and merge refuse to add counts made otherwise.
        self._fit_params = self.get_params(deep=False)

    def _engine_native_mode(self, engine: Any, native_mode: bool) -> bool:
        return (
            getattr(self, "_native_is_native_mode", native_mode)
            if engine is getattr(self, "_native", None)
            else native_mode
        )

    def _engine_to_update(self, op: str) -> Any:
        """The engine partial_fit / merge add counts to: this vectorizer's (rebuilt if pruning or
        weighting parameters changed since its fit), or a new one before any fit."""
        engine = getattr(self, "_native", None)
        if engine is None:
            return self._new_native(self._native_mode())
        if not engine.has_counts:
            raise ValueError(
                f"{op} needs the corpus counts of the earlier fit, and this {type(self).__name__} has none: it "
                "was restored without them (from a pickle of an older lexsim or a model file) or its idf_ was "
                "set before any fit; fit it again"
            )
        if getattr(engine, "idf_set_by_hand", False):
            raise ValueError(
                f"{op} would replace the idf_ that was set by hand (as a loaded model file does) with the idf "
                "of the counts; fit again, or set idf_ afterwards"
            )
        before = getattr(self, "_fit_params", None) or {}
        now = self.get_params(deep=False)
        changed = [name for name in now if name in before and not _same_value(before[name], now[name])]
        for name in changed:
            if name not in _PRUNING_PARAMS and name not in _RESULT_NEUTRAL_PARAMS:
                raise ValueError(
                    f"{op}: the parameter {name!r} changed since this {type(self).__name__} was fitted "
                    f"({before[name]!r} then, {now[name]!r} now); counts made with different analysis cannot be added up. "
                    "Call fit to start again."
                )
        if changed:  # the counts are unpruned: carry them over to an engine with the new parameters
            fresh = self._new_native(self._native_mode())
            fresh.set_counts(*engine.counts_state())
            return fresh
        return self._with_jobs(engine)

    def partial_fit(self: _Self, raw_documents: Iterable[Document], y: Any = None) -> _Self:
        """Add documents to the fit: afterwards the vectorizer is fitted on every document it has seen.

        The counts of all fits (every term before pruning, its document frequency and total count,
        the number of documents) are kept and summed; ``min_df``, ``max_df``, ``max_features`` and
        the idf are applied once, on the sums. So ``fit(a + b)``, ``fit(a).partial_fit(b)`` and
        ``partial_fit(a).partial_fit(b)`` give exactly the same vocabulary, idf and matrices
        (scikit-learn's vectorizers have no ``partial_fit``).

        Unlike ``fit``, it does not raise when pruning leaves no terms (a small part of a corpus may
        have none that pass ``min_df``): the counts are kept, and the vectorizer is not fitted until
        more documents come (``transform`` raises :class:`NotFittedError` saying why).

        Pruning and weighting parameters (``min_df``, ``max_df``, ``max_features``, ``norm``,
        ``use_idf``, ``smooth_idf``, ``sublinear_tf``, ``dtype``) and ``n_jobs`` may change between
        calls; any other parameter changing is a ``ValueError`` (the counts would not add up). So
        is a vectorizer without counts (unpickled from an older lexsim) or whose ``idf_`` was set by
        hand (as a loaded model file's is), which the counts would silently replace.

        Parameters
        ----------
        raw_documents : iterable of str or bytes
            The documents: a collection, or an iterator read in batches.
        y : None
            Ignored.

        Returns
        -------
        self

        Examples
        --------
        >>> from lexsim import TfidfVectorizer
        >>> a, b = ["Erdogan met Putin", "Putin met Assad"], ["Assad met Erdogan"]
        >>> v = TfidfVectorizer(min_df=2).partial_fit(a).partial_fit(b)
        >>> w = TfidfVectorizer(min_df=2).fit(a + b)
        >>> v.get_feature_names_out().tolist() == w.get_feature_names_out().tolist()
        True
        >>> bool((v.idf_ == w.idf_).all())
        True
        """
        self._validate_params()
        self._warn_for_unused_params()
        self._warn_for_uppercase_vocabulary()
        engine = self._engine_to_update("partial_fit")
        native_mode = self._native_mode()
        in_core = self._engine_native_mode(engine, native_mode)
        docs: Any = []
        try:
            if self._is_stream(raw_documents):
                engine.partial_fit_batches(self._stream_batches(raw_documents, terms=not in_core), not in_core)
            else:
                docs = self._documents(raw_documents, native=in_core)
                if in_core:
                    engine.partial_fit(docs)
                else:
                    engine.partial_fit_terms(self._analyze_all(docs))
        except TypeError as e:
            raise self._explain_type_error(docs, e) from None
        self._adopt(engine, native_mode)
        return self

    def merge(self: _Self, other: _Self) -> _Self:
        """Add the counts of another fitted vectorizer to this one's, and fit on the sum.

        Afterwards this vectorizer is what one fit on the documents of both would have given,
        exactly: the counts are summed first, then ``min_df``, ``max_df``, ``max_features`` and the
        idf are applied once. ``other`` is not changed. This is how fits on parts of a corpus (on
        several processes or machines) combine: ``partial_fit`` each part, merge the results in any
        order or grouping.

        Parameters
        ----------
        other : CountVectorizer or TfidfVectorizer
            A vectorizer of the same class, fitted (``fit`` or ``partial_fit``), with equal
            parameters (``n_jobs`` may differ). This vectorizer may be unfitted: it then takes
            ``other``'s counts.

        Returns
        -------
        self

        Raises
        ------
        TypeError
            When ``other`` is not of the same class.
        NotFittedError
            When ``other`` is not fitted.
        ValueError
            When a parameter differs (the message names it), or a vectorizer has no counts (it
            was restored from an older pickle or a model file).

        Examples
        --------
        >>> from lexsim import CountVectorizer
        >>> left = CountVectorizer(min_df=2).partial_fit(["a1 b2", "b2 c3"])
        >>> right = CountVectorizer(min_df=2).partial_fit(["c3 d4"])
        >>> left.merge(right).get_feature_names_out().tolist()
        ['b2', 'c3']
        """
        if type(other) is not type(self):
            raise TypeError(
                f"cannot merge a {type(other).__name__} into a {type(self).__name__}: both must be of the same class"
            )
        if getattr(other, "_native", None) is None:
            raise NotFittedError(
                f"cannot merge: the other {type(other).__name__} is not fitted (call fit or partial_fit on it first)"
            )
        self._validate_params()
        mine, theirs = self.get_params(deep=False), other.get_params(deep=False)
        for name in mine:
            if name not in _RESULT_NEUTRAL_PARAMS and not _same_value(mine[name], theirs.get(name)):
                raise ValueError(
                    f"cannot merge vectorizers with different parameters: {name}={mine[name]!r} here, "
                    f"{name}={theirs.get(name)!r} in the other"
                )
        other_engine = other._engine_to_update("merge")  # a rebuilt engine is not given to other: it stays as it is
        engine = self._engine_to_update("merge")
        try:
            engine.merge(other_engine)
        except _core.NotFittedError as e:
            raise NotFittedError(str(e)) from None
        self._adopt(engine, self._native_mode())
        return self

    def _fitted_native(self) -> Any:
        native = getattr(self, "_native", None)
        if native is None:
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator."
            )
        if not native.is_fitted:
            try:
                native.feature_names()
            except _core.NotFittedError as e:
                raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet: {e}") from None
        return native

    if HAVE_SKLEARN:

        def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
            tags = super().__sklearn_tags__()
            tags.input_tags.string = True
            tags.input_tags.two_d_array = False
            return tags

    def __sklearn_is_fitted__(self) -> bool:
        native = getattr(self, "_native", None)
        return native is not None and bool(native.is_fitted)

    # ------------------------------------------------------------------ fitted attributes
    @property
    def vocabulary_(self) -> dict[str, int]:
        """A mapping of terms to column indices (fitted)."""
        native = self._fitted_native_attr()
        cache = self._vocabulary_cache
        if cache is None:
            cache = self._vocabulary_cache = {t: i for i, t in enumerate(native.feature_names())}
        return cache

    def _fitted_native_attr(self) -> Any:
        return self._fitted_native()

    @property
    def corpus_counts_(self) -> CorpusCounts:
        """The counts everything fitted so far comes from (see :class:`CorpusCounts`).

        Available after ``fit``, ``partial_fit`` or ``merge`` (also when pruning left no terms);
        terms in code-point order. Raises :class:`NotFittedError` before, or for a vectorizer
        restored without its counts.
        """
        native = getattr(self, "_native", None)
        if native is None or not native.has_counts:
            raise NotFittedError(
                f"This {type(self).__name__} instance has no corpus counts: it is not fitted, "
                "or was restored without them"
            )
        blob, lengths, df, total, n = native.counts_state()
        ends = np.cumsum(lengths)
        terms = np.array(
            [blob[e - n_ : e].decode("utf-8") for e, n_ in zip(ends.tolist(), lengths.tolist())], dtype=object
        )
        return CorpusCounts(terms, df, total, int(n))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Get output feature names (the terms, in column order).

        Parameters
        ----------
        input_features : None
            Not used, present for API consistency.

        Returns
        -------
        numpy.ndarray of str objects
            The terms.
        """
        if getattr(self, "_native", None) is None:
            self._note_fixed_vocabulary()
            if self.vocabulary is not None:  # a given vocabulary names the columns before any fit
                if self._is_tfidf:  # which still needs a fit for its idf
                    return np.asarray(self._terms_in_order(), dtype=object)
                self._build_fixed_vocabulary_native()  # vocabulary_ too, as in scikit-learn
        return np.asarray(self._fitted_native().feature_names(), dtype=object)

    def _note_fixed_vocabulary(self) -> None:
        """Before a fit, set ``fixed_vocabulary_`` when the vocabulary is checked (as scikit-learn's
        get_feature_names_out, inverse_transform and CountVectorizer.transform do)."""
        self.fixed_vocabulary_ = self.vocabulary is not None

    def inverse_transform(self, X: Any) -> list[np.ndarray]:
        """Return the terms with non-zero entries in each row of X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A document-term matrix.

        Returns
        -------
        list of numpy.ndarray
            For each row, its terms.
        """
        terms = np.array(list(self.get_feature_names_out()))  # a '<U' array, as scikit-learn returns
        if sp.issparse(X):
            X = sp.csr_matrix(X)
            if X.shape[1] != len(terms):
                raise ValueError(
                    f"X has {X.shape[1]} features, but {type(self).__name__} is expecting {len(terms)} features as input."
                )
            return [terms[X[i, :].nonzero()[-1]].ravel() for i in range(X.shape[0])]
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"Expected a 2-d array, got shape {X.shape}")
        if X.shape[1] != len(terms):
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is expecting {len(terms)} features as input."
            )
        return [terms[np.flatnonzero(X[i, :])].ravel() for i in range(X.shape[0])]

    # ------------------------------------------------------------------ model files and pickling
    def save(self, path: Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]) -> None:
        """Save the fitted vectorizer to a model file; :func:`lexsim.load` reads it back.

        The file is lexsim's versioned, checksummed binary format (see :mod:`lexsim.model`), the
        same for Python and C++. It holds data only, never code: loading it runs nothing, and the
        loaded vectorizer transforms documents exactly (bit for bit) as this one. It is written to
        a temporary file beside ``path``, flushed to disk and renamed over ``path``, so a crash
        never leaves a half-written model nor destroys the previous one.

        Parameters
        ----------
        path : str, bytes or path-like
            Where to write the model.

        Raises
        ------
        ValueError
            When ``preprocessor``, ``tokenizer``, ``analyzer`` or ``strip_accents`` is a Python
            callable (the message names it), or the parameters were changed after fitting.
        lexsim.NotFittedError
            When the vectorizer is not fitted.
        OSError
            When the file cannot be written (the message names the path and the reason).

        Examples
        --------
        >>> import lexsim, os, tempfile
        >>> vec = lexsim.CountVectorizer(ngram_range=(1, 2)).fit(["Putin met Erdogan"])
        >>> path = os.path.join(tempfile.mkdtemp(), "counts.lexsim")
        >>> vec.save(path)
        >>> lexsim.load(path).get_feature_names_out().tolist()
        ['erdogan', 'met', 'met erdogan', 'putin', 'putin met']
        """
        from .model import save

        save(self, path)  # type: ignore[arg-type]  # a CountVectorizer or TfidfVectorizer: HashingVectorizer hides save

    def _model_native(self) -> Any:
        """The C++ vectorizer a model is made of (None when not fitted)."""
        native = getattr(self, "_native", None)
        if native is None and self.vocabulary is not None and not self._is_tfidf:
            self._build_fixed_vocabulary_native()
            native = self._native
        return native

    def _build_fixed_vocabulary_native(self) -> None:
        # A CountVectorizer with a fixed vocabulary transforms without fit, as in scikit-learn.
        self._validate_params()
        native_mode = self._native_mode()
        self._adopt(self._new_native(native_mode), native_mode)

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__.copy()
        state = dict(state)
        native = state.pop("_native", None)
        state.pop("_vocabulary_cache", None)
        if native is not None and native.is_fitted:
            # The fitted state as model bytes (with the unpruned counts of partial fits); the
            # parameters (callables included, pickled by reference) stay ordinary attributes.
            state["_model"] = bytes(_core.serialize(native))
        elif native is not None and native.has_counts:
            state["_counts"] = native.counts_state()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        model = state.pop("_model", None)
        counts = state.pop("_counts", None)
        if "_fitted_state" in state:
            raise ValueError(
                f"this {type(self).__name__} was pickled by a development version of lexsim whose pickles this "
                "version does not read; fit it again"
            )
        if hasattr(super(), "__setstate__"):
            super().__setstate__(state)
        else:  # pragma: no cover
            self.__dict__.update(state)
        self._vocabulary_cache = None
        if model is not None:
            native, _ = _core.deserialize(model)
            expected = _core.TfidfVectorizer if self._is_tfidf else _core.CountVectorizer
            if not isinstance(native, expected):
                raise ValueError(f"the pickled model is not a {type(self).__name__}")
            self._native = native
        elif counts is not None:  # partial fits whose counts no term survives the pruning of yet
            native = self._new_native(self._native_mode())
            native.set_counts(*counts)
            self._native = native

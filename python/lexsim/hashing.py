"""``HashingVectorizer``: scikit-learn's hashing trick, computed in lexsim's C++ core.

Stateless: no vocabulary is learned or stored, so it needs no fit, pickles to its parameters only
and transforms any number of batches (or processes) consistently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Optional

import numpy as np

from . import _core
from ._analysis import _BaseVectorizer
from ._base import HAVE_SKLEARN, TransformerMixin
from ._input import Document, _is_nan
from ._lazy import scipy_sparse as sp
from ._schema import _DEFAULT_TOKEN_PATTERN, CHOICES, validate
from ._sparse import csr_from_buffers

__all__ = ["HashingVectorizer"]

# scikit-learn's vectorizers opt out of set_output wrapping; so does this one.
_NO_OUTPUT_WRAPPING: dict[str, Any] = {"auto_wrap_output_keys": None} if HAVE_SKLEARN else {}


class _Absent:
    """Hides an attribute inherited from the shared vectorizer base: a HashingVectorizer has no
    vocabulary, so (as in scikit-learn) it has no ``vocabulary_``, ``get_feature_names_out`` or
    ``inverse_transform``, and no fitted state for a model file; ``hasattr`` says so."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: Optional[type] = None) -> Any:
        raise AttributeError(f"HashingVectorizer has no {self.name!r}: {self.reason}")


_NO_TERMS = "its columns are hashes of terms, not terms"


class HashingVectorizer(TransformerMixin, _BaseVectorizer, **_NO_OUTPUT_WRAPPING):
    """Convert a collection of text documents to a matrix of hashed token occurrences.

    A drop-in replacement for :class:`sklearn.feature_extraction.text.HashingVectorizer`: the same
    parameters, defaults and results (the same sparsity structure, values equal to 1e-12 in
    float64), computed in C++. Each term's signed 32-bit MurmurHash3 (seed 0) of its UTF-8 bytes,
    ``h``, gives its column ``abs(h) % n_features`` and, with ``alternate_sign``, its sign
    (``-1`` when ``h < 0``). A document's contributions to one column are summed; sums that cancel
    to zero stay stored as explicit zeros, as scikit-learn leaves them. Then ``binary``, then
    ``norm``. No vocabulary is learned: ``transform`` needs no ``fit``, and the object pickles to its
    parameters alone, so it suits streams and pipelines that cannot afford a vocabulary pass.

    Parameters
    ----------
    input : {'content', 'filename', 'file'}, default='content'
        What the items of the input are: text, file names to read, or file objects.
    encoding : str, default='utf-8'
        Encoding of ``bytes`` input.
    decode_error : {'strict', 'ignore', 'replace'}, default='strict'
        What to do with bytes that do not decode. ``strict`` raises a ``ValueError`` naming the
        document and byte offset.
    strip_accents : {'ascii', 'unicode'} or callable, default=None
        Remove accents after lowercasing.
    lowercase : bool, default=True
        Lowercase with Python's ``str.lower()`` rules.
    preprocessor : callable, default=None
        Replaces lowercasing and accent stripping (runs in Python).
    tokenizer : callable, default=None
        Replaces the token pattern (runs in Python).
    stop_words : {'english'}, list or None, default=None
        Words removed after tokenization, before n-grams.
    token_pattern : str, default=r"(?u)\\b\\w\\w+\\b"
        What a token is (see :class:`lexsim.CountVectorizer`).
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        The n-gram sizes to extract.
    analyzer : {'word', 'char', 'char_wb'} or callable, default='word'
        Word n-grams, character n-grams, or character n-grams inside word boundaries. A callable
        returns each document's terms (``str``, hashed as UTF-8, or ``bytes``, hashed as they are).
    n_features : int, default=2**20
        Number of columns, in ``[1, 2**31 - 1)``. Fewer columns mean more collisions.
    binary : bool, default=False
        Every stored value becomes 1 before the norm (including the zeros of cancelled terms,
        as in scikit-learn).
    norm : {'l1', 'l2'} or None, default='l2'
        Row normalisation.
    alternate_sign : bool, default=True
        Give a term the sign of its hash, so that collisions tend to cancel instead of adding up.
    dtype : type, default=np.float64
        Type of the matrix. float32 is computed in float32 arithmetic, as scikit-learn does; with
        ``norm`` set, any other type gives float64 (as scikit-learn's normalisation does); without
        it, integer and complex types hold the exact counts. ``bool`` marks every stored entry True
        (scikit-learn sums booleans with logical or), so it acts as ``binary=True``.
    normalization : {'NFC', 'NFKC'}, default=None
        Unicode normalisation before everything else (not in scikit-learn).
    casefold : bool, default=False
        Full Unicode case folding instead of lowercasing (not in scikit-learn).
    stemmer : str, default=None
        Snowball stemming of word tokens (not in scikit-learn; see :class:`lexsim.CountVectorizer`).
    n_jobs : int, default=None
        Threads for transforming (``None`` = 1, ``-1`` = all usable CPUs). Results do not depend on it.

    Examples
    --------
    >>> from lexsim import HashingVectorizer
    >>> hv = HashingVectorizer(n_features=2**4, norm=None)
    >>> X = hv.transform(["Erdoğan met Putin", "Putin met Assad"])
    >>> X.shape
    (2, 16)
    >>> abs(X).sum(axis=1).tolist()  # three terms each, none colliding here
    [[3.0], [3.0]]
    """

    vocabulary_ = _Absent(_NO_TERMS)
    get_feature_names_out = _Absent(_NO_TERMS)  # type: ignore[assignment]
    inverse_transform = _Absent(_NO_TERMS)  # type: ignore[assignment]
    save = _Absent("it learns nothing, so there is no model file to write; pickle it (its parameters) instead")  # type: ignore[assignment]

    def __init__(
        self,
        *,
        input: str = "content",
        encoding: str = "utf-8",
        decode_error: str = "strict",
        strip_accents: Any = None,
        lowercase: bool = True,
        preprocessor: Optional[Callable[[str], str]] = None,
        tokenizer: Optional[Callable[[str], list]] = None,
        stop_words: Any = None,
        token_pattern: Optional[str] = _DEFAULT_TOKEN_PATTERN,
        ngram_range: tuple[int, int] = (1, 1),
        analyzer: Any = "word",
        n_features: int = 2**20,
        binary: bool = False,
        norm: Optional[str] = "l2",
        alternate_sign: bool = True,
        dtype: Any = np.float64,
        normalization: Optional[str] = None,
        casefold: bool = False,
        stemmer: Optional[str] = None,
        n_jobs: Optional[int] = None,
    ) -> None:
        self.input = input
        self.encoding = encoding
        self.decode_error = decode_error
        self.strip_accents = strip_accents
        self.lowercase = lowercase
        self.preprocessor = preprocessor
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.token_pattern = token_pattern
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.n_features = n_features
        self.binary = binary
        self.norm = norm
        self.alternate_sign = alternate_sign
        self.dtype = dtype
        self.normalization = normalization
        self.casefold = casefold
        self.stemmer = stemmer
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ parameters
    def _validate_params(self) -> None:
        self._validate_analysis_params()
        validate(self, "n_features", "norm", "alternate_sign")
        self._dtypes()

    def _dtypes(self) -> tuple[str, np.dtype]:
        """(what the core computes, the dtype of the result), with scikit-learn's rules."""
        try:
            dtype = np.dtype(self.dtype)
        except TypeError:
            raise TypeError(f"The 'dtype' parameter must be a numpy dtype. Got {self.dtype!r} instead.") from None
        if dtype == np.float32:
            return "float32", dtype
        if dtype.kind not in "biufc" or dtype == np.float16:
            raise ValueError(f"The 'dtype' parameter: scipy.sparse does not support dtype {dtype}.")
        if dtype.kind == "u" and self.alternate_sign:
            raise ValueError(
                f"dtype={dtype} cannot hold the negative values alternate_sign=True gives; "
                "use a signed or float dtype, or alternate_sign=False."
            )
        if self.norm is not None:
            if dtype.kind == "c":
                raise ValueError("Complex data not supported: norm requires a real dtype.")
            return "float64", np.dtype(np.float64)  # normalisation converts other types to float64
        return "float64", dtype

    # ------------------------------------------------------------------ the estimator API
    def _check_not_a_string(self, X: Any) -> None:
        if isinstance(X, (str, bytes)):
            raise ValueError("Iterable over raw text documents expected, string object received.")

    def fit(self, X: Any, y: Any = None) -> HashingVectorizer:
        """Only validate the parameters (there is nothing to learn).

        Parameters
        ----------
        X : iterable of str or bytes
            Ignored (not even iterated, so a generator stays unconsumed).
        y : None
            Ignored.

        Returns
        -------
        self
        """
        self._check_not_a_string(X)
        self._validate_params()
        self._warn_for_unused_params()
        return self

    def partial_fit(self, X: Any, y: Any = None) -> HashingVectorizer:
        """Only validate the parameters, as :meth:`fit` (for out-of-core pipelines).

        Parameters
        ----------
        X : iterable of str or bytes
            Ignored.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        return self.fit(X, y)

    def transform(self, X: Iterable[Document]) -> sp.csr_matrix:
        """Transform documents to the matrix of hashed term counts (no fit needed).

        Parameters
        ----------
        X : iterable of str or bytes
            The documents (or file names / file objects, per ``input``).

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_samples, n_features)
            The matrix; its arrays are the buffers the C++ core filled (no copy), except when a
            dtype other than float32 / float64 asks for a conversion.
        """
        self._check_not_a_string(X)
        self._validate_params()
        core_dtype, dtype = self._dtypes()
        docs = self._documents(X, native=self._native_mode())
        if not len(docs):
            raise ValueError("Cannot vectorize empty sequence.")
        engine = _core.HashingVectorizer(self._hashing_options())
        try:
            if self._native_mode():
                parts = engine.transform(docs, core_dtype)
            else:
                terms = self._terms_of(docs)
                try:
                    parts = engine.transform_terms(terms, core_dtype)
                except (TypeError, ValueError) as e:
                    if isinstance(e, _core.LexsimError):
                        raise
                    raise self._explain_bad_terms(terms, e) from None
        except TypeError as e:
            raise self._explain_type_error(docs, e) from None
        X_out = csr_from_buffers(parts)
        return X_out if X_out.dtype == dtype else self._convert(X_out, dtype)

    def fit_transform(self, X: Iterable[Document], y: Any = None) -> sp.csr_matrix:
        """Validate the parameters and transform, as ``fit(X).transform(X)``.

        Parameters
        ----------
        X : iterable of str or bytes
            The documents.
        y : None
            Ignored.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_samples, n_features)
            The matrix.
        """
        return self.fit(X, y).transform(X)

    # ------------------------------------------------------------------ helpers
    def _hashing_options(self) -> _core.HashingOptions:
        o = _core.HashingOptions()
        o.analysis = self._analyzer_options(self._native_mode())
        o.n_features = int(self.n_features)
        # scikit-learn sums booleans with logical or, so a bool dtype keeps every stored entry
        # True, whatever the counts: binary.
        o.binary = bool(self.binary) or np.dtype(self.dtype).kind == "b"
        o.norm = CHOICES["norm"][self.norm]
        o.alternate_sign = bool(self.alternate_sign)
        o.n_jobs = 1 if self.n_jobs is None else int(self.n_jobs)
        return o

    def _terms_of(self, docs: list) -> list:
        """Every document's terms through the Python analysis; str or bytes terms are kept as they
        are (scikit-learn hashes bytes unencoded)."""
        analyze = self._build_analyzer(read_input=False)  # _documents has read files already
        any_object = self._takes_any_document()
        out = []
        for i, d in enumerate(docs):
            if not isinstance(d, (str, bytes)) and not (any_object and not _is_nan(d)):
                if _is_nan(d):
                    raise ValueError(f"np.nan is an invalid document, expected byte or unicode string (document {i}).")
                raise TypeError(f"document {i} is {type(d).__name__}, expected str or bytes")
            try:
                terms = analyze(d)
            except UnicodeDecodeError as e:
                raise UnicodeDecodeError(
                    e.encoding, e.object, e.start, e.end, f"{e.reason} (document {i}, byte offset {e.start})"
                ) from None
            out.append(terms if type(terms) is list else list(terms))
        return out

    @staticmethod
    def _explain_bad_terms(terms: list, error: Exception) -> Exception:
        """The core names the position of a bad term within its document only: name both."""
        for i, doc in enumerate(terms):
            for j, t in enumerate(doc):
                if not isinstance(t, (str, bytes)):
                    return TypeError(f"feature names must be strings: term {j} of document {i} is {type(t).__name__}")
                if isinstance(t, str):
                    try:
                        t.encode("utf-8")
                    except UnicodeEncodeError:
                        return ValueError(f"term {j} of document {i} is not encodable as UTF-8 (a lone surrogate)")
        return error

    def _convert(self, X: sp.csr_matrix, dtype: np.dtype) -> sp.csr_matrix:
        """The float64 result in another dtype, exactly, as scikit-learn would hold it."""
        if dtype.kind in "iu" and X.nnz:
            info = np.iinfo(dtype)
            low, high = X.data.min(), X.data.max()
            if low < info.min or high > info.max:
                raise ValueError(f"dtype={dtype} cannot hold the counts (from {low:g} to {high:g}); use a wider dtype")
        return X.astype(dtype)

    # ------------------------------------------------------------------ scikit-learn protocol
    if HAVE_SKLEARN:

        def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
            tags = super().__sklearn_tags__()
            tags.requires_fit = False
            return tags

    def __sklearn_is_fitted__(self) -> bool:
        return True  # stateless: always ready to transform

"""scikit-learn compatible vectorizers backed by lexsim's C++ core.

``CountVectorizer`` and ``TfidfVectorizer`` take the same parameters as scikit-learn's classes of
the same names, give the same matrices (to 1e-12 in float64) and the same attributes, and add a few
options of their own (``normalization``, ``casefold``, ``stemmer``, ``n_jobs``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Optional

import numpy as np

from . import _core
from ._analysis import _analyze_chars, _analyze_with, _analyze_words, _BaseVectorizer, _then  # noqa: F401 (pickles name the analysis steps here)
from ._engine import CorpusCounts
from ._input import Document
from ._lazy import scipy_sparse as sp
from ._params import _DEFAULT_TOKEN_PATTERN, CHOICES, ENGLISH_STOP_WORDS, _plain_analyzer_options
from .tfidf import TfidfTransformer

__all__ = [
    "CorpusCounts",
    "CountVectorizer",
    "TfidfVectorizer",
    "ENGLISH_STOP_WORDS",
    "stemmers",
    "strip_accents_unicode",
    "strip_accents_ascii",
]


Analyzer = Callable[[Any], list]


def stemmers() -> list[str]:
    """The Snowball stemming algorithms that ``stemmer=`` accepts (libstemmer's canonical names).

    ``stemmer=`` also accepts the two- and three-letter ISO 639 codes libstemmer knows (``'en'``,
    ``'tur'``...).

    Returns
    -------
    list of str
        The algorithm names, sorted.

    Examples
    --------
    >>> from lexsim import stemmers
    >>> "english" in stemmers() and "turkish" in stemmers()
    True
    """
    return list(_core.stemmers())


def strip_accents_unicode(s: str) -> str:
    """NFKD, then drop combining characters (what ``strip_accents='unicode'`` does).

    Parameters
    ----------
    s : str
        The text.

    Returns
    -------
    str
        The text without accents.
    """
    return _ACCENTS_UNICODE.preprocess(s)


def strip_accents_ascii(s: str) -> str:
    """NFKD, then drop every non-ASCII character (what ``strip_accents='ascii'`` does).

    Parameters
    ----------
    s : str
        The text.

    Returns
    -------
    str
        The ASCII text.
    """
    return _ACCENTS_ASCII.preprocess(s)


_ACCENTS_UNICODE = _core.Analyzer(_plain_analyzer_options(lowercase=False, strip_accents=_core.StripAccents.unicode))
_ACCENTS_ASCII = _core.Analyzer(_plain_analyzer_options(lowercase=False, strip_accents=_core.StripAccents.ascii))


class CountVectorizer(_BaseVectorizer):
    """Convert a collection of text documents to a matrix of token counts.

    A drop-in replacement for :class:`sklearn.feature_extraction.text.CountVectorizer`: the same
    parameters, defaults, attributes and results, computed in C++.

    Parameters
    ----------
    input : {'content', 'filename', 'file'}, default='content'
        What the items of ``raw_documents`` are: text, file names to read, or file objects.
    encoding : str, default='utf-8'
        Encoding of ``bytes`` input.
    decode_error : {'strict', 'ignore', 'replace'}, default='strict'
        What to do with bytes that do not decode. ``strict`` raises a ``ValueError`` naming the
        document and byte offset.
    strip_accents : {'ascii', 'unicode'} or callable, default=None
        Remove accents after lowercasing: ``'unicode'`` = NFKD then drop combining characters,
        ``'ascii'`` = NFKD then drop non-ASCII characters.
    lowercase : bool, default=True
        Lowercase with Python's ``str.lower()`` rules.
    preprocessor : callable, default=None
        Replaces lowercasing and accent stripping (runs in Python).
    tokenizer : callable, default=None
        Replaces the token pattern (runs in Python).
    stop_words : {'english'}, list or None, default=None
        Words removed after tokenization, before n-grams.
    token_pattern : str, default=r"(?u)\\b\\w\\w+\\b"
        What a token is. Runs of ``\\w`` (such as the default, ``\\b\\w+\\b`` or ``\\w{3,}``) run in
        C++; any other regular expression runs in Python with :mod:`re`.
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        The n-gram sizes to extract.
    analyzer : {'word', 'char', 'char_wb'} or callable, default='word'
        Word n-grams, character n-grams, or character n-grams inside word boundaries.
    max_df : float in [0.0, 1.0] or int, default=1.0
        Ignore terms in more documents than this (a proportion if float, a count if int).
    min_df : float in [0.0, 1.0] or int, default=1
        Ignore terms in fewer documents than this.
    max_features : int, default=None
        Keep only the terms with the highest total counts; equal counts are broken in favour of the
        term that comes first in code-point order.
    vocabulary : Mapping or iterable, default=None
        A fixed vocabulary (terms to column indices, or terms in column order).
    binary : bool, default=False
        Count presence (1) instead of occurrences.
    dtype : dtype, default=np.int64
        Type of the matrix values.
    normalization : {'NFC', 'NFKC'}, default=None
        Unicode normalisation before everything else (not in scikit-learn).
    casefold : bool, default=False
        Full Unicode case folding (``str.casefold()``) instead of lowercasing (not in scikit-learn).
    stemmer : str, default=None
        Snowball stemming (not in scikit-learn, so it breaks parity by design): an algorithm of
        :func:`lexsim.stemmers` such as ``'english'``, ``'porter'``, ``'french'`` or ``'turkish'``,
        or an ISO 639 code such as ``'en'``. Word analyzer only: each token is replaced by its stem
        after stop-word removal (stop words are matched before stemming) and before n-grams, so
        n-grams and feature names are made of stems. It applies with a custom ``preprocessor``,
        ``tokenizer`` or ``token_pattern`` too; a callable ``analyzer`` or ``analyzer='char'`` /
        ``'char_wb'`` with a stemmer is a ``ValueError``. The algorithms expect lowercase text.
    n_jobs : int, default=None
        Threads for fitting and transforming (``None`` = 1, ``-1`` = all usable CPUs). Results do not
        depend on it.

    Attributes
    ----------
    vocabulary_ : dict
        Terms to column indices.
    fixed_vocabulary_ : bool
        Whether the vocabulary was given.

    Examples
    --------
    >>> from lexsim import CountVectorizer
    >>> cv = CountVectorizer()
    >>> X = cv.fit_transform(["Erdoğan met Putin", "Putin met Assad"])
    >>> cv.get_feature_names_out().tolist()
    ['assad', 'erdoğan', 'met', 'putin']
    >>> X.toarray().tolist()
    [[0, 1, 1, 1], [1, 0, 1, 1]]
    """

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
        max_df: float = 1.0,
        min_df: float = 1,
        max_features: Optional[int] = None,
        vocabulary: Any = None,
        binary: bool = False,
        dtype: Any = np.int64,
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
        self.max_df = max_df
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary = vocabulary
        self.binary = binary
        self.dtype = dtype
        self.normalization = normalization
        self.casefold = casefold
        self.stemmer = stemmer
        self.n_jobs = n_jobs

    def _new_native(self, native_mode: bool) -> Any:
        return _core.CountVectorizer(self._count_options(_core.CountOptions(), native_mode))

    def fit(self, raw_documents: Iterable[Document], y: Any = None) -> CountVectorizer:
        """Learn the vocabulary of the documents.

        Parameters
        ----------
        raw_documents : iterable of str or bytes
            The documents. A collection (list, tuple, array, Series) is read as a whole; an
            iterator or generator (such as :func:`lexsim.corpus.iter_corpus` or an open file,
            one document a line) in batches of about 32 MB, so the text is never all in memory.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        self._run(raw_documents, "fit")
        return self

    def fit_transform(self, raw_documents: Iterable[Document], y: Any = None) -> sp.csr_matrix:
        """Learn the vocabulary and return the document-term count matrix.

        Parameters
        ----------
        raw_documents : iterable of str or bytes
            The documents. A collection (list, tuple, array, Series) is read as a whole; an
            iterator or generator (such as :func:`lexsim.corpus.iter_corpus` or an open file,
            one document a line) in batches of about 32 MB, so the text is never all in memory.
        y : None
            Ignored.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_samples, n_features)
            The counts; its arrays are the buffers the C++ core filled (no copy).
        """
        return self._matrix(raw_documents, "fit_transform")

    def transform(self, raw_documents: Iterable[Document]) -> sp.csr_matrix:
        """Count the fitted vocabulary's terms in the documents.

        Parameters
        ----------
        raw_documents : iterable of str or bytes
            The documents. A collection (list, tuple, array, Series) is read as a whole; an
            iterator or generator (such as :func:`lexsim.corpus.iter_corpus` or an open file,
            one document a line) in batches of about 32 MB, so the text is never all in memory.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_samples, n_features)
            The counts.
        """
        if getattr(self, "_native", None) is None:
            self._note_fixed_vocabulary()
            if self.vocabulary is not None:
                self._validate_params()
                self._adopt(self._new_native(self._native_mode()), self._native_mode())
        return self._matrix(raw_documents, "transform")


class TfidfVectorizer(_BaseVectorizer):
    """Convert a collection of raw documents to a matrix of TF-IDF features.

    A drop-in replacement for :class:`sklearn.feature_extraction.text.TfidfVectorizer`: the same
    parameters, defaults, attributes and results (to 1e-12 in float64), computed in C++. It takes
    every parameter of :class:`CountVectorizer` (``dtype`` defaults to float64 here) plus:

    Parameters
    ----------
    norm : {'l2', 'l1'} or None, default='l2'
        Row normalisation.
    use_idf : bool, default=True
        Weight by inverse document frequency.
    smooth_idf : bool, default=True
        Add one to document frequencies (as if one extra document held every term).
    sublinear_tf : bool, default=False
        Replace tf with 1 + log(tf).
    **count_parameters
        ``input``, ``encoding``, ``decode_error``, ``strip_accents``, ``lowercase``, ``preprocessor``,
        ``tokenizer``, ``analyzer``, ``stop_words``, ``token_pattern``, ``ngram_range``, ``max_df``,
        ``min_df``, ``max_features``, ``vocabulary``, ``binary``, ``dtype``, ``normalization``,
        ``casefold``, ``stemmer``, ``n_jobs``: see :class:`CountVectorizer`.

    Attributes
    ----------
    vocabulary_ : dict
        Terms to column indices.
    fixed_vocabulary_ : bool
        Whether the vocabulary was given.
    idf_ : numpy.ndarray of shape (n_features,)
        The inverse document frequency of each term: ``ln((1 + n) / (1 + df)) + 1`` with smoothing,
        ``ln(n / df) + 1`` without.

    Examples
    --------
    >>> from lexsim import TfidfVectorizer
    >>> vec = TfidfVectorizer(strip_accents="unicode")
    >>> X = vec.fit_transform(["Erdoğan met Putin", "Erdogan met Assad"])
    >>> vec.get_feature_names_out().tolist()
    ['assad', 'erdogan', 'met', 'putin']
    >>> X.shape
    (2, 4)
    """

    _is_tfidf = True

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
        analyzer: Any = "word",
        stop_words: Any = None,
        token_pattern: Optional[str] = _DEFAULT_TOKEN_PATTERN,
        ngram_range: tuple[int, int] = (1, 1),
        max_df: float = 1.0,
        min_df: float = 1,
        max_features: Optional[int] = None,
        vocabulary: Any = None,
        binary: bool = False,
        dtype: Any = np.float64,
        norm: Optional[str] = "l2",
        use_idf: bool = True,
        smooth_idf: bool = True,
        sublinear_tf: bool = False,
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
        self.analyzer = analyzer
        self.stop_words = stop_words
        self.token_pattern = token_pattern
        self.ngram_range = ngram_range
        self.max_df = max_df
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary = vocabulary
        self.binary = binary
        self.dtype = dtype
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf
        self.normalization = normalization
        self.casefold = casefold
        self.stemmer = stemmer
        self.n_jobs = n_jobs

    def _new_native(self, native_mode: bool) -> Any:
        o = self._count_options(_core.TfidfOptions(), native_mode)
        o.norm = CHOICES["norm"][self.norm]
        o.use_idf = bool(self.use_idf)
        o.smooth_idf = bool(self.smooth_idf)
        o.sublinear_tf = bool(self.sublinear_tf)
        return _core.TfidfVectorizer(o)

    def fit(self, raw_documents: Iterable[Document], y: Any = None) -> TfidfVectorizer:
        """Learn the vocabulary and idf of the documents.

        Parameters
        ----------
        raw_documents : iterable of str or bytes
            The documents. A collection (list, tuple, array, Series) is read as a whole; an
            iterator or generator (such as :func:`lexsim.corpus.iter_corpus` or an open file,
            one document a line) in batches of about 32 MB, so the text is never all in memory.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        self._run(raw_documents, "fit")
        return self

    def fit_transform(self, raw_documents: Iterable[Document], y: Any = None) -> sp.csr_matrix:
        """Learn the vocabulary and idf, and return the TF-IDF matrix.

        Parameters
        ----------
        raw_documents : iterable of str or bytes
            The documents. A collection (list, tuple, array, Series) is read as a whole; an
            iterator or generator (such as :func:`lexsim.corpus.iter_corpus` or an open file,
            one document a line) in batches of about 32 MB, so the text is never all in memory.
        y : None
            Ignored.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_samples, n_features)
            TF-IDF weights; its arrays are the buffers the C++ core filled (no copy).
        """
        return self._matrix(raw_documents, "fit_transform")

    def transform(self, raw_documents: Iterable[Document]) -> sp.csr_matrix:
        """Transform documents to the TF-IDF matrix with the fitted vocabulary and idf.

        Parameters
        ----------
        raw_documents : iterable of str or bytes
            The documents. A collection (list, tuple, array, Series) is read as a whole; an
            iterator or generator (such as :func:`lexsim.corpus.iter_corpus` or an open file,
            one document a line) in batches of about 32 MB, so the text is never all in memory.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_samples, n_features)
            TF-IDF weights.
        """
        self._fitted_native()
        return self._matrix(raw_documents, "transform")

    @property
    def idf_(self) -> np.ndarray:
        """Inverse document frequency of each term (fitted; only when ``use_idf``)."""
        native = self._fitted_native_attr()
        if not self.use_idf:
            raise AttributeError("idf_ is only defined when use_idf=True")
        if np.dtype(self.dtype) == np.float32:  # computed in float32 arithmetic, as scikit-learn does
            return native.idf_float()
        return native.idf()

    @idf_.setter
    def idf_(self, value: Any) -> None:
        if not self.use_idf:
            raise ValueError("`idf_` cannot be set when `user_idf=False`.")
        # Before a fit, a given vocabulary takes the idf as scikit-learn does (to copy a fitted
        # vectorizer's idf); without one there are no columns to give it to.
        terms = (
            self._terms_in_order() if getattr(self, "_native", None) is None and self.vocabulary is not None else None
        )
        native: Any = self._fitted_native_attr() if terms is None else None
        idf = np.asarray(value, dtype=np.float64)
        n = len(terms) if terms is not None else len(native.feature_names())
        if idf.ndim != 1 or idf.shape[0] != n:
            raise ValueError(f"idf length = {idf.shape[0] if idf.ndim else 0} must be equal to vocabulary size = {n}")
        if not np.isfinite(idf).all():
            raise ValueError("idf_ must hold finite values")
        if terms is not None:
            self._validate_params()
            native_mode = self._native_mode()
            engine = self._new_native(native_mode)
            engine.set_state(terms, 0, idf.tolist())
            self._adopt(engine, native_mode)
        else:
            native.set_idf(idf.tolist())

    @property
    def _tfidf(self) -> TfidfTransformer:
        """The weighting, under scikit-learn's name for it: a read-only :class:`TfidfTransformer`
        copied from the C++ engine (so it cannot disagree with it), with the parameters of the fit."""
        native = self._fitted_native_attr()
        return TfidfTransformer._copy_of(
            native.transformer(), np.dtype(self.dtype) == np.float32, self.n_jobs, type(self).__name__
        )

"""scikit-learn compatible vectorizers backed by lexsim's C++ core.

``CountVectorizer`` and ``TfidfVectorizer`` take the same parameters as scikit-learn's classes of
the same names, give the same matrices (to 1e-12 in float64) and the same attributes, and add a few
options of their own (``normalization``, ``casefold``, ``stemmer``, ``n_jobs``).
"""

from __future__ import annotations

import codecs
import functools
import math
import numbers
import os
import re
import sys
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple, Optional, TypeVar, Union

import numpy as np

from . import _arrow, _core
from ._base import HAVE_SKLEARN, BaseEstimator, RawDocumentsNotMetadata
from ._errors import NotFittedError
from ._lazy import scipy_sparse as sp
from ._sparse import csr_from_buffers
from .tfidf import TfidfTransformer

__all__ = ["CorpusCounts", "CountVectorizer", "TfidfVectorizer", "ENGLISH_STOP_WORDS", "stemmers", "strip_accents_unicode", "strip_accents_ascii"]

#: scikit-learn's English stop-word list (318 words).
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(_core.english_stop_words())

Document = Union[str, bytes]
Analyzer = Callable[[Any], list]

_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_Self = TypeVar("_Self", bound="_BaseVectorizer")

# Parameters that only prune or weight the counts (they may change between partial_fit calls) and
# ones that change nothing a fit computes; every other parameter decides what is counted.
_PRUNING_PARAMS = frozenset({"min_df", "max_df", "max_features", "norm", "use_idf", "smooth_idf", "sublinear_tf", "dtype"})
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


def _same_callable(a: Any, b: Any) -> bool:
    """Whether two callables are the same function: the same object, or copies of one (as when a
    function is pickled by value, which cloudpickle and so Dask do with lambdas and functions
    defined in __main__): same module, name, code, defaults and captured values."""
    code_a, code_b = getattr(a, "__code__", None), getattr(b, "__code__", None)
    if code_a is None or code_b is None:
        return bool(a == b)

    def cells(f: Any) -> tuple:
        return tuple(c.cell_contents for c in (f.__closure__ or ()))

    return (
        getattr(a, "__module__", None) == getattr(b, "__module__", None)
        and getattr(a, "__qualname__", None) == getattr(b, "__qualname__", None)
        and code_a == code_b
        and a.__defaults__ == b.__defaults__
        and a.__kwdefaults__ == b.__kwdefaults__
        and cells(a) == cells(b)
    )


def _same_value(a: Any, b: Any) -> bool:
    """Parameter equality that also works for numpy arrays, dtypes and copies of functions."""
    if a is b:
        return True
    if callable(a) and callable(b) and not isinstance(a, type) and not isinstance(b, type):
        try:
            return _same_callable(a, b)
        except Exception:  # a captured value whose == raises: treat as different
            return False
    try:
        if isinstance(a, type) or isinstance(b, type) or isinstance(a, np.dtype) or isinstance(b, np.dtype):
            return bool(np.dtype(a) == np.dtype(b))
    except TypeError:
        return False
    try:
        equal = a == b
    except Exception:  # a user's object whose == raises: treat as different
        return False
    if isinstance(equal, (bool, np.bool_)):
        return bool(equal)
    try:
        return bool(np.array_equal(a, b))
    except Exception:
        return False
_INTEGER_DTYPES = {"int32", "int64"}
_FLOAT_DTYPES = {"float32", "float64"}


def _plain_analyzer_options(**kw: Any) -> _core.AnalyzerOptions:
    o = _core.AnalyzerOptions()
    for k, v in kw.items():
        setattr(o, k, v)
    return o


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


def _is_int(x: Any) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _is_real(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _is_nan(doc: Any) -> bool:
    return isinstance(doc, float) and math.isnan(doc)


# The steps of the analysis callables that build_preprocessor() and build_analyzer() return, as
# module-level functions under functools.partial (positional, the fastest call): unlike closures,
# these pickle, as joblib needs to ship them.
def _then(first: Callable[[Any], Any], second: Callable[[Any], Any], doc: Any) -> Any:
    return second(first(doc))


def _analyze_with(decode: Callable[[Any], Any], analyzer: Callable[[Any], Iterable[Any]], doc: Any) -> list:
    return list(analyzer(decode(doc)))


def _analyze_chars(decode: Callable[[Any], Any], preprocess: Callable[[Any], str], ngrams: Callable[[str], list],
                   doc: Any) -> list:
    return ngrams(preprocess(decode(doc)))


def _analyze_words(decode: Callable[[Any], Any], preprocess: Callable[[Any], str], tokenize: Callable[[str], Iterable[Any]],
                   ngrams: Callable[[list], list], doc: Any) -> list:
    return ngrams([str(t) for t in tokenize(preprocess(decode(doc)))])


def _check_df(name: str, value: Any) -> _core.DocFrequency:
    if _is_int(value):
        if value < 1:
            raise ValueError(f"The '{name}' parameter must be a float in the range [0.0, 1.0] or an int in the range [1, inf). Got {value!r} instead.")
        return _core.DocFrequency.count(int(value))
    if _is_real(value):
        if not (0.0 <= float(value) <= 1.0):
            raise ValueError(f"The '{name}' parameter must be a float in the range [0.0, 1.0] or an int in the range [1, inf). Got {value!r} instead.")
        return _core.DocFrequency.proportion(float(value))
    raise TypeError(f"The '{name}' parameter must be a float in the range [0.0, 1.0] or an int in the range [1, inf). Got {value!r} instead.")


def _check_choice(name: str, value: Any, choices: tuple, allow_callable: bool = False) -> None:
    if allow_callable and callable(value):
        return
    if value not in choices:
        extra = " or a callable" if allow_callable else ""
        raise ValueError(f"The '{name}' parameter must be one of {list(choices)!r}{extra}. Got {value!r} instead.")


def _check_stemmer(stemmer: Any, analyzer: Any) -> None:
    if stemmer is None:
        return
    if not isinstance(stemmer, str):
        raise TypeError(f"The 'stemmer' parameter must be a str or None. Got {stemmer!r} instead.")
    try:  # the core knows which names libstemmer accepts, and says which there are
        _core.Analyzer(_plain_analyzer_options(stemmer=stemmer))
    except _core.LexsimError as e:
        raise ValueError(f"The 'stemmer' parameter: {e}") from None
    if callable(analyzer):
        raise ValueError(f"stemmer={stemmer!r} cannot be combined with a callable analyzer, which does all of the "
                         "analysis itself; stem inside the callable instead")
    if analyzer != "word":
        raise ValueError(f"stemmer={stemmer!r} applies to analyzer='word' only. Got analyzer={analyzer!r} instead.")


def _stop_list(stop_words: Any) -> Optional[frozenset[str]]:
    if stop_words is None:
        return None
    if isinstance(stop_words, str):
        if stop_words == "english":
            return ENGLISH_STOP_WORDS
        raise ValueError(f"not a built-in stop list: {stop_words}")
    if isinstance(stop_words, Iterable):
        words = list(stop_words)
        for i, w in enumerate(words):
            if not isinstance(w, str):
                raise TypeError(f"stop_words must contain only str; item {i} is {type(w).__name__}")
        return frozenset(words)
    raise TypeError(f"The 'stop_words' parameter must be 'english', a list of str or None. Got {stop_words!r} instead.")


#: id(stop_words) of the stop list each vectorizer has checked (see ``_check_stop_words``).
_STOP_WORDS_CHECKED: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()


class _BaseVectorizer(RawDocumentsNotMetadata, BaseEstimator):
    """Parameter handling, input decoding and the scikit-learn analysis API shared by both vectorizers.

    Like scikit-learn's vectorizers it is not a TransformerMixin: its output is always sparse, so
    scikit-learn's ``set_output`` / ``transform_output`` wrapping does not apply.
    """

    _native: Any
    _vocabulary_cache: Optional[dict[str, int]] = None
    _is_tfidf = False

    # ------------------------------------------------------------------ parameters
    def _validate_params(self) -> None:
        self._validate_analysis_params()
        _check_df("max_df", self.max_df)
        _check_df("min_df", self.min_df)
        if self.max_features is not None and not (_is_int(self.max_features) and self.max_features >= 1):
            raise ValueError(f"The 'max_features' parameter must be an int in the range [1, inf) or None. Got {self.max_features!r} instead.")

    def _validate_analysis_params(self) -> None:
        """The checks of the parameters every vectorizer shares (input, analysis, binary, n_jobs)."""
        _check_choice("input", self.input, ("content", "filename", "file"))
        _check_choice("decode_error", self.decode_error, ("strict", "ignore", "replace"))
        _check_choice("strip_accents", self.strip_accents, (None, "ascii", "unicode"), allow_callable=True)
        _check_choice("analyzer", self.analyzer, ("word", "char", "char_wb"), allow_callable=True)
        _check_choice("normalization", self.normalization, (None, "NFC", "NFKC"))
        for name in ("preprocessor", "tokenizer"):
            value = getattr(self, name)
            if value is not None and not callable(value):
                raise TypeError(f"The '{name}' parameter must be a callable or None. Got {value!r} instead.")
        if not isinstance(self.encoding, str):
            raise TypeError(f"The 'encoding' parameter must be a str. Got {self.encoding!r} instead.")
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"The 'encoding' parameter names an unknown encoding: {self.encoding!r}") from None
        if not isinstance(self.token_pattern, (str, type(None))):
            raise TypeError(f"The 'token_pattern' parameter must be a str or None. Got {self.token_pattern!r} instead.")
        ngram = self.ngram_range
        if not (isinstance(ngram, tuple) and len(ngram) == 2 and all(_is_int(n) for n in ngram)):
            raise TypeError(f"The 'ngram_range' parameter must be a tuple of two ints. Got {ngram!r} instead.")
        if ngram[0] < 1 or ngram[1] < 1:
            raise ValueError(f"Invalid value for ngram_range={ngram} both bounds must be at least 1.")
        if ngram[0] > ngram[1]:
            raise ValueError(f"Invalid value for ngram_range={ngram} lower boundary larger than the upper boundary.")
        if not isinstance(self.binary, (bool, np.bool_)):
            raise TypeError(f"The 'binary' parameter must be a bool. Got {self.binary!r} instead.")
        if not isinstance(self.lowercase, (bool, np.bool_)) or not isinstance(self.casefold, (bool, np.bool_)):
            raise TypeError("The 'lowercase' and 'casefold' parameters must be bools.")
        if self.n_jobs is not None and not (_is_int(self.n_jobs) and (self.n_jobs >= 1 or self.n_jobs == -1)):
            raise ValueError(f"The 'n_jobs' parameter must be None, -1 or a positive int. Got {self.n_jobs!r} instead.")
        _stop_list(self.stop_words)
        _check_stemmer(self.stemmer, self.analyzer)
        self._check_stop_words()

    # scikit-learn's cache of the stop-list check, by the same name (its tests reset it with del).
    # It lives outside the instance: it is no state, so __dict__, pickles and clones hold none of it.
    @property
    def _stop_words_id(self) -> int:
        try:
            return _STOP_WORDS_CHECKED[self]
        except KeyError:
            raise AttributeError("_stop_words_id") from None

    @_stop_words_id.setter
    def _stop_words_id(self, value: int) -> None:
        _STOP_WORDS_CHECKED[self] = value

    @_stop_words_id.deleter
    def _stop_words_id(self) -> None:
        try:
            del _STOP_WORDS_CHECKED[self]
        except KeyError:
            raise AttributeError("_stop_words_id") from None

    def _warn_for_unused_params(self) -> None:
        """At fit, warn of each parameter the analysis will not use (scikit-learn's warnings and texts)."""
        if self.tokenizer is not None and self.token_pattern is not None:
            warnings.warn("The parameter 'token_pattern' will not be used since 'tokenizer' is not None'", UserWarning)
        if self.preprocessor is not None and callable(self.analyzer):
            warnings.warn("The parameter 'preprocessor' will not be used since 'analyzer' is callable'", UserWarning)
        if self.ngram_range != (1, 1) and self.ngram_range is not None and callable(self.analyzer):
            warnings.warn("The parameter 'ngram_range' will not be used since 'analyzer' is callable'", UserWarning)
        if callable(self.analyzer) or self.analyzer != "word":
            if self.stop_words is not None:
                warnings.warn("The parameter 'stop_words' will not be used since 'analyzer' != 'word'", UserWarning)
            if self.token_pattern is not None and self.token_pattern != _DEFAULT_TOKEN_PATTERN:
                warnings.warn("The parameter 'token_pattern' will not be used since 'analyzer' != 'word'", UserWarning)
            if self.tokenizer is not None:
                warnings.warn("The parameter 'tokenizer' will not be used since 'analyzer' != 'word'", UserWarning)

    def _warn_for_uppercase_vocabulary(self) -> None:
        """At fit, warn when a fixed vocabulary has terms that lowercased documents can never hold."""
        # An iterator is read once, by the fit itself (scikit-learn does not check one either).
        if self.vocabulary is None or isinstance(self.vocabulary, Iterator) or not (self.lowercase or self.casefold):
            return
        terms = self.vocabulary.keys() if isinstance(self.vocabulary, Mapping) else self.vocabulary
        if any(isinstance(t, str) and any(map(str.isupper, t)) for t in terms):
            what = "'lowercase'" if self.lowercase else "'casefold'"
            warnings.warn(f"Upper case characters found in vocabulary while {what} is True. These entries will not "
                          "be matched with any documents", UserWarning)

    def _check_stop_words(self) -> None:
        """Check the stop words against the word analysis once per stop list (as scikit-learn's
        build_analyzer does): warn when analysing them gives tokens that are not stop words."""
        if callable(self.analyzer) or self.analyzer != "word":
            return
        if id(self.stop_words) == getattr(self, "_stop_words_id", None):
            return  # checked already (the same object, as scikit-learn caches it)
        stop_words = self.get_stop_words()
        if stop_words is None:
            self._stop_words_id = id(self.stop_words)
            return
        self._check_stop_words_consistency(stop_words, self.build_preprocessor(), self.build_tokenizer())

    def _check_stop_words_consistency(self, stop_words: Optional[frozenset[str]], preprocess: Callable[[str], str],
                                      tokenize: Callable[[str], list]) -> Union[bool, None, str]:
        """Whether preprocessing and tokenizing each stop word gives only stop words.

        The same contract as scikit-learn's method of this name: True when consistent, False when
        not (after a ``UserWarning`` naming the tokens), None when this stop list was checked
        already, ``"error"`` when the check could not run (a custom preprocessor or tokenizer that
        fails on a plain string).
        """
        if id(self.stop_words) == getattr(self, "_stop_words_id", None):
            return None
        try:
            inconsistent = set()
            stops = stop_words or frozenset()
            for w in stops:
                for token in tokenize(preprocess(w)):
                    if token not in stops:
                        inconsistent.add(token)
        except Exception:  # a user's preprocessor or tokenizer that does not take a str
            self._stop_words_id = id(self.stop_words)
            return "error"
        self._stop_words_id = id(self.stop_words)
        if inconsistent:
            warnings.warn(f"Your stop_words may be inconsistent with your preprocessing. Tokenizing the stop words "
                          f"generated tokens {sorted(inconsistent)!r} not in stop_words.", UserWarning)
        return not inconsistent

    def _terms_in_order(self) -> Optional[list[str]]:
        """The fixed vocabulary as terms in column order (scikit-learn's _validate_vocabulary)."""
        vocabulary = self.vocabulary
        if vocabulary is None:
            return None
        if isinstance(vocabulary, set):
            vocabulary = sorted(vocabulary)
        if isinstance(vocabulary, str):
            raise TypeError("The 'vocabulary' parameter must be a mapping or an iterable of terms, not a str.")
        if not isinstance(vocabulary, Mapping):
            vocab: dict[Any, int] = {}
            for i, t in enumerate(vocabulary):
                if vocab.setdefault(t, i) != i:
                    raise ValueError(f"Duplicate term in vocabulary: {t!r}")
            vocabulary = vocab
        else:
            indices = set(vocabulary.values())
            if len(indices) != len(vocabulary):
                raise ValueError("Vocabulary contains repeated indices.")
            for i in range(len(vocabulary)):
                if i not in indices:
                    raise ValueError(f"Vocabulary of size {len(vocabulary)} doesn't contain index {i}.")
        if not vocabulary:
            raise ValueError("empty vocabulary passed to fit")
        terms: list[Any] = [None] * len(vocabulary)
        for t, i in vocabulary.items():
            if not isinstance(t, str):
                raise TypeError(f"vocabulary terms must be str; got {t!r}")
            terms[int(i)] = t
        return terms

    def _dtype_name(self) -> str:
        name = np.dtype(self.dtype).name
        if self._is_tfidf:
            if name not in _FLOAT_DTYPES:
                warnings.warn(
                    f"Only (<class 'numpy.float64'>, <class 'numpy.float32'>) 'dtype' should be used. "
                    f"{self.dtype} 'dtype' will be converted to np.float64.",
                    UserWarning,
                )
                return "float64"
            return name
        return name

    def _native_mode(self) -> bool:
        """True when the whole analysis runs in C++ (no Python callables, a native token pattern)."""
        if callable(self.analyzer) or self.preprocessor is not None or callable(self.strip_accents):
            return False
        if self.analyzer == "word":
            return self.tokenizer is None and _core.Analyzer.supports_token_pattern(self.token_pattern or "")
        return True

    def _analyzer_options(self, native: bool) -> _core.AnalyzerOptions:
        o = _core.AnalyzerOptions()
        o.analyzer = {"word": _core.AnalyzerKind.word, "char": _core.AnalyzerKind.char, "char_wb": _core.AnalyzerKind.char_wb}.get(
            self.analyzer if isinstance(self.analyzer, str) else "word", _core.AnalyzerKind.word
        )
        o.decode_error = getattr(_core.DecodeError, self.decode_error)
        o.normalization = {None: _core.Normalization.none, "NFC": _core.Normalization.nfc, "NFKC": _core.Normalization.nfkc}[self.normalization]
        o.casefold = bool(self.casefold)
        o.lowercase = bool(self.lowercase)
        o.strip_accents = {None: _core.StripAccents.none, "ascii": _core.StripAccents.ascii, "unicode": _core.StripAccents.unicode}.get(
            self.strip_accents if isinstance(self.strip_accents, str) or self.strip_accents is None else None, _core.StripAccents.none
        )
        # A pattern the core cannot run is tokenized in Python; the core then only sees terms.
        o.token_pattern = self.token_pattern if native and self.analyzer == "word" else _DEFAULT_TOKEN_PATTERN
        stop = _stop_list(self.stop_words)
        o.stop_words = sorted(stop) if stop is not None else None
        o.ngram_range = tuple(self.ngram_range)
        o.stemmer = self.stemmer
        return o

    def _count_options(self, options: Any, native: bool) -> Any:
        options.analysis = self._analyzer_options(native)
        options.min_df = _check_df("min_df", self.min_df)
        options.max_df = _check_df("max_df", self.max_df)
        options.max_features = self.max_features
        options.vocabulary = self._terms_in_order()
        options.binary = bool(self.binary)
        options.n_jobs = 1 if self.n_jobs is None else int(self.n_jobs)
        return options

    # ------------------------------------------------------------------ input
    def _utf8_passthrough(self) -> bool:
        return codecs.lookup(self.encoding).name == "utf-8"

    def decode(self, doc: Any) -> str:
        """Decode one input item to ``str`` as scikit-learn does (``input``, ``encoding``, ``decode_error``).

        Parameters
        ----------
        doc : str, bytes, path or file
            The item, read according to ``input``.

        Returns
        -------
        str
            The document text.
        """
        if self.input == "filename":
            with open(doc, "rb") as fh:
                doc = fh.read()
        elif self.input == "file":
            doc = doc.read()
        return self._decode_content(doc)

    def _decode_content(self, doc: Any) -> str:
        """decode() for an item already read (the contents of a file, whatever ``input`` says)."""
        if isinstance(doc, bytes):
            doc = doc.decode(self.encoding, self.decode_error)
        if doc is np.nan or (isinstance(doc, float) and math.isnan(doc)):
            raise ValueError("np.nan is an invalid document, expected byte or unicode string.")
        return doc

    @staticmethod
    def _is_stream(raw_documents: Any) -> bool:
        """Iterators and generators (no len) are read in batches; sized collections and Arrow data as a whole."""
        return (isinstance(raw_documents, Iterable) and not isinstance(raw_documents, (str, bytes))
                and not hasattr(raw_documents, "__len__") and _arrow.arrow_source(raw_documents) is None)

    def _stream_batches(self, raw_documents: Iterable[Any], terms: bool) -> Callable[[], Optional[list]]:
        """A function that returns the next batch of an iterator's documents, or None at the end.

        A batch is about ``_batch_bytes`` of text as Python holds it (with its terms, when they are
        made in Python); only the current batch is in memory. Items are read (``input``) and
        checked one by one, and errors name the item's position in the whole input.
        """
        items: Iterator[Any] = iter(raw_documents)
        analyze = self._build_analyzer(read_input=False) if terms else None
        decode = not self._utf8_passthrough()
        read = self.input != "content"
        limit = self._batch_bytes
        getsizeof = sys.getsizeof
        position = 0  # documents in the batches before this one

        def bad(doc: Any, i: int) -> Exception:
            if isinstance(doc, float) and math.isnan(doc):
                return ValueError(f"np.nan is an invalid document, expected byte or unicode string (document {i}).")
            return TypeError(f"document {i} is {type(doc).__name__}, expected str or bytes")

        def next_batch() -> Optional[list]:
            nonlocal position
            batch: list = []
            append = batch.append
            size = 0
            if analyze is None and not read and not decode:  # the common case, kept lean
                for doc in items:
                    if type(doc) is not str and not isinstance(doc, (str, bytes)):
                        raise bad(doc, position + len(batch))
                    append(doc)
                    size += getsizeof(doc)
                    if size >= limit:
                        break
            else:
                any_object = self._takes_any_document()
                for item in items:
                    i = position + len(batch)
                    doc = self._read_item(item) if read else item
                    if not isinstance(doc, (str, bytes)) and not (any_object and not _is_nan(doc)):
                        raise bad(doc, i)
                    if analyze is not None:
                        found = self._analyze_one(analyze, doc, i)
                        append(found)
                        size += getsizeof(doc) + 64 * len(found)
                    else:
                        if decode and isinstance(doc, bytes):
                            doc = self._decode_bytes(i, doc)
                        append(doc)
                        size += getsizeof(doc)
                    if size >= limit:
                        break
            position += len(batch)
            return batch or None

        return next_batch

    def _documents(self, raw_documents: Any, native: bool = False) -> Any:
        """The input as a list of str/bytes the core reads (bytes are UTF-8, decoded by the core).

        Arrow data (see ``lexsim._arrow``) is read from its buffers; with ``native`` (the core
        analyses the text) and nothing to decode in Python, the core reads those buffers as they
        are (an ``ArrowDocuments``), otherwise a ``str`` (or ``bytes``) is made per document.
        """
        if isinstance(raw_documents, (str, bytes)):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        arrow = _arrow.read(raw_documents)
        if arrow is not None:
            if native and self.input == "content" and (not arrow.binary or self._utf8_passthrough()):
                return arrow
            # Arrow strings are UTF-8 whatever `encoding` says; binary values are bytes, decoded below.
            raw_documents = arrow.to_list(self.decode_error)
        if not isinstance(raw_documents, Iterable):
            raise TypeError(f"Iterable over raw text documents expected, got {type(raw_documents).__name__}.")
        docs = raw_documents if type(raw_documents) is list else list(raw_documents)
        if self.input != "content":
            docs = [self._read_item(d) for d in docs]
        if not self._utf8_passthrough():
            docs = [self._decode_bytes(i, d) if isinstance(d, bytes) else d for i, d in enumerate(docs)]
        return docs

    def _decode_bytes(self, i: int, data: bytes) -> str:
        try:
            return data.decode(self.encoding, self.decode_error)
        except UnicodeDecodeError as e:
            raise UnicodeDecodeError(e.encoding, e.object, e.start, e.end, f"{e.reason} (document {i}, byte offset {e.start})") from None

    def _takes_any_document(self) -> bool:
        """Whether documents may be any object: a user's preprocessor or analyzer reads them (as in
        scikit-learn, where a preprocessor may take dicts); otherwise they must be str or bytes."""
        return self.preprocessor is not None or callable(self.analyzer)

    def _analyze_all(self, docs: list) -> list:
        """Terms of every document (already read) through the Python analyzer, naming the document on errors."""
        analyze = self._build_analyzer(read_input=False)
        any_object = self._takes_any_document()
        out = []
        for i, d in enumerate(docs):
            if not isinstance(d, (str, bytes)) and not (any_object and not _is_nan(d)):
                if isinstance(d, float) and math.isnan(d):
                    raise ValueError(f"np.nan is an invalid document, expected byte or unicode string (document {i}).")
                raise TypeError(f"document {i} is {type(d).__name__}, expected str or bytes")
            out.append(self._analyze_one(analyze, d, i))
        return out

    @staticmethod
    def _analyze_one(analyze: Callable[[Any], list], doc: Any, i: int) -> list:
        try:
            return [str(t) for t in analyze(doc)]
        except UnicodeDecodeError as e:
            raise UnicodeDecodeError(e.encoding, e.object, e.start, e.end, f"{e.reason} (document {i}, byte offset {e.start})") from None

    def _read_item(self, item: Any) -> Union[str, bytes]:
        if self.input == "filename":
            with open(item, "rb") as fh:
                return fh.read()
        data = item.read()
        if not isinstance(data, (str, bytes)):
            raise TypeError(f"file object returned {type(data).__name__} from read(), expected str or bytes")
        return data

    def _explain_type_error(self, docs: Any, error: TypeError) -> Exception:
        if not isinstance(docs, list):  # Arrow data has no NaN documents
            return error
        for i, d in enumerate(docs):
            if isinstance(d, float) and math.isnan(d):
                return ValueError(f"np.nan is an invalid document, expected byte or unicode string (document {i}).")
        return error

    # ------------------------------------------------------------------ scikit-learn analysis API
    def build_preprocessor(self) -> Callable[[str], str]:
        """Return the function that preprocesses text before tokenization.

        Returns
        -------
        callable
            ``str -> str``: lowercasing and accent stripping (or the user's ``preprocessor``). It
            pickles (unless a callable parameter does not).
        """
        if self.preprocessor is not None:
            return self.preprocessor
        _check_choice("strip_accents", self.strip_accents, (None, "ascii", "unicode"), allow_callable=True)
        _check_choice("normalization", self.normalization, (None, "NFC", "NFKC"))
        native = _core.Analyzer(self._preprocess_options())
        if callable(self.strip_accents):
            return functools.partial(_then, native.preprocess, self.strip_accents)
        return native.preprocess  # a bound method of a picklable analyzer: it pickles

    def _preprocess_options(self) -> _core.AnalyzerOptions:
        o = self._analyzer_options(native=False)
        o.stop_words = None
        o.stemmer = None  # stemming follows tokenization
        o.analyzer = _core.AnalyzerKind.word
        return o

    def build_tokenizer(self) -> Callable[[str], list]:
        """Return the function that splits preprocessed text into tokens.

        Returns
        -------
        callable
            ``str -> list of str`` (the user's ``tokenizer``, else ``token_pattern``). It pickles
            (unless the user's tokenizer does not).
        """
        if self.tokenizer is not None:
            return self.tokenizer
        token_pattern = re.compile(self.token_pattern)
        if token_pattern.groups > 1:
            raise ValueError("More than 1 capturing group in token pattern. Only a single group should be captured.")
        if _core.Analyzer.supports_token_pattern(self.token_pattern):
            o = _plain_analyzer_options(lowercase=False, token_pattern=self.token_pattern)
            return _core.Analyzer(o).tokenize
        return token_pattern.findall

    def get_stop_words(self) -> Optional[frozenset[str]]:
        """Build or fetch the effective stop words list.

        Returns
        -------
        frozenset of str or None
            The stop words.
        """
        return _stop_list(self.stop_words)

    def build_analyzer(self) -> Callable[[Any], list]:
        """Return the callable that turns one document into its terms.

        Returns
        -------
        callable
            ``document -> list of str``; decoding, preprocessing, tokenization, stop words and n-grams.
            It pickles (unless a callable parameter does not), so joblib can ship it.
        """
        return self._build_analyzer(read_input=True)

    def _build_analyzer(self, read_input: bool) -> Callable[[Any], list]:
        """build_analyzer(); with ``read_input=False`` for items already read (file contents).

        The result is a bound method of a core analyzer or a ``functools.partial`` of a module-level
        function: both pickle (closures would not).
        """
        self._validate_params()
        decode = self.decode if read_input else self._decode_content
        if callable(self.analyzer):
            return functools.partial(_analyze_with, decode, self.analyzer)
        if self._native_mode():
            native = _core.Analyzer(self._analyzer_options(native=True))
            if (read_input and self.input != "content") or not self._utf8_passthrough():
                return functools.partial(_then, decode, native.analyze)
            return native.analyze  # str, and bytes as UTF-8, straight to the core
        preprocess = self.build_preprocessor()
        helper = _core.Analyzer(self._analyzer_options(native=False))
        if self.analyzer == "word":
            return functools.partial(_analyze_words, decode, preprocess, self.build_tokenizer(), helper.word_ngrams)
        # char / char_wb with a Python preprocessor: n-grams of the preprocessed text in the core
        ngrams = _core.Analyzer(_plain_analyzer_options(
            lowercase=False, analyzer=helper.options.analyzer, ngram_range=tuple(self.ngram_range)))
        return functools.partial(_analyze_chars, decode, preprocess, ngrams.analyze)

    # ------------------------------------------------------------------ fitting
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
        return getattr(self, "_native_is_native_mode", native_mode) if engine is getattr(self, "_native", None) else native_mode

    def _engine_to_update(self, op: str) -> Any:
        """The engine partial_fit / merge add counts to: this vectorizer's (rebuilt if pruning or
        weighting parameters changed since its fit), or a new one before any fit."""
        engine = getattr(self, "_native", None)
        if engine is None:
            return self._new_native(self._native_mode())
        if not engine.has_counts:
            raise ValueError(f"{op} needs the corpus counts of the earlier fit, and this {type(self).__name__} has none: it "
                             "was restored without them (from a pickle of an older lexsim or a model file) or its idf_ was "
                             "set before any fit; fit it again")
        if getattr(engine, "idf_set_by_hand", False):
            raise ValueError(f"{op} would replace the idf_ that was set by hand (as a loaded model file does) with the idf "
                             "of the counts; fit again, or set idf_ afterwards")
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
            raise TypeError(f"cannot merge a {type(other).__name__} into a {type(self).__name__}: both must be of the same class")
        if getattr(other, "_native", None) is None:
            raise NotFittedError(f"cannot merge: the other {type(other).__name__} is not fitted (call fit or partial_fit on it first)")
        self._validate_params()
        mine, theirs = self.get_params(deep=False), other.get_params(deep=False)
        for name in mine:
            if name not in _RESULT_NEUTRAL_PARAMS and not _same_value(mine[name], theirs.get(name)):
                raise ValueError(f"cannot merge vectorizers with different parameters: {name}={mine[name]!r} here, "
                                 f"{name}={theirs.get(name)!r} in the other")
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
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.")
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
            raise NotFittedError(f"This {type(self).__name__} instance has no corpus counts: it is not fitted, "
                                 "or was restored without them")
        blob, lengths, df, total, n = native.counts_state()
        ends = np.cumsum(lengths)
        terms = np.array([blob[e - n_: e].decode("utf-8") for e, n_ in zip(ends.tolist(), lengths.tolist())], dtype=object)
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
                raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is expecting {len(terms)} features as input.")
            return [terms[X[i, :].nonzero()[-1]].ravel() for i in range(X.shape[0])]
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"Expected a 2-d array, got shape {X.shape}")
        if X.shape[1] != len(terms):
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is expecting {len(terms)} features as input.")
        return [terms[np.flatnonzero(X[i, :])].ravel() for i in range(X.shape[0])]

    # ------------------------------------------------------------------ model files and pickling
    def save(self, path: Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]) -> None:
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

    def fit(self, raw_documents: Iterable[Document], y: Any = None) -> "CountVectorizer":
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

    def _validate_params(self) -> None:
        super()._validate_params()
        _check_choice("norm", self.norm, ("l1", "l2", None))
        for name in ("use_idf", "smooth_idf", "sublinear_tf"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise TypeError(f"The '{name}' parameter must be a bool. Got {getattr(self, name)!r} instead.")

    def _new_native(self, native_mode: bool) -> Any:
        o = self._count_options(_core.TfidfOptions(), native_mode)
        o.norm = {"l1": _core.Norm.l1, "l2": _core.Norm.l2, None: _core.Norm.none}[self.norm]
        o.use_idf = bool(self.use_idf)
        o.smooth_idf = bool(self.smooth_idf)
        o.sublinear_tf = bool(self.sublinear_tf)
        return _core.TfidfVectorizer(o)

    def fit(self, raw_documents: Iterable[Document], y: Any = None) -> "TfidfVectorizer":
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
        terms = self._terms_in_order() if getattr(self, "_native", None) is None and self.vocabulary is not None else None
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
        return TfidfTransformer._copy_of(native.transformer(), np.dtype(self.dtype) == np.float32, self.n_jobs, type(self).__name__)

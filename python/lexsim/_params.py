"""The vectorizers' parameters: their checks (scikit-learn's messages), the warnings about unused
ones, and their conversion to the C++ core's options.

``_Params`` is the first of the layers ``_BaseVectorizer`` is built from (``_Params`` <- ``_Input``
<- ``_Engine`` <- ``_BaseVectorizer``, each adding one concern; see :mod:`lexsim.vectorizers`).
"""

from __future__ import annotations

import codecs
import numbers
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Optional, Union

import numpy as np

from . import _core
from ._base import BaseEstimator, RawDocumentsNotMetadata

#: scikit-learn's English stop-word list (318 words).
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(_core.english_stop_words())

_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"

#: The parameters that take one of a few values, each spelled out once: value -> the core's enum
#: member, in the order the error messages list them. A model file stores the member's name
#: (lexsim.model reads it back through this table); ``input`` has no core enum (files are read in
#: Python).
CHOICES: dict[str, dict[Any, Any]] = {
    "input": {"content": None, "filename": None, "file": None},
    "decode_error": {
        "strict": _core.DecodeError.strict,
        "ignore": _core.DecodeError.ignore,
        "replace": _core.DecodeError.replace,
    },
    "strip_accents": {
        None: _core.StripAccents.none,
        "ascii": _core.StripAccents.ascii,
        "unicode": _core.StripAccents.unicode,
    },
    "analyzer": {
        "word": _core.AnalyzerKind.word,
        "char": _core.AnalyzerKind.char,
        "char_wb": _core.AnalyzerKind.char_wb,
    },
    "normalization": {None: _core.Normalization.none, "NFC": _core.Normalization.nfc, "NFKC": _core.Normalization.nfkc},
    "norm": {"l1": _core.Norm.l1, "l2": _core.Norm.l2, None: _core.Norm.none},
}


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


def _is_int(x: Any) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _is_real(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _check_df(name: str, value: Any) -> _core.DocFrequency:
    if _is_int(value):
        if value < 1:
            raise ValueError(
                f"The '{name}' parameter must be a float in the range [0.0, 1.0] or an int in the range [1, inf). Got {value!r} instead."
            )
        return _core.DocFrequency.count(int(value))
    if _is_real(value):
        if not (0.0 <= float(value) <= 1.0):
            raise ValueError(
                f"The '{name}' parameter must be a float in the range [0.0, 1.0] or an int in the range [1, inf). Got {value!r} instead."
            )
        return _core.DocFrequency.proportion(float(value))
    raise TypeError(
        f"The '{name}' parameter must be a float in the range [0.0, 1.0] or an int in the range [1, inf). Got {value!r} instead."
    )


def _check_choice(name: str, value: Any, choices: Optional[tuple] = None, allow_callable: bool = False) -> None:
    """``value`` is one of ``choices`` (default: the parameter's in CHOICES), or a callable when allowed."""
    if allow_callable and callable(value):
        return
    if choices is None:
        choices = tuple(CHOICES[name])
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
        raise ValueError(
            f"stemmer={stemmer!r} cannot be combined with a callable analyzer, which does all of the "
            "analysis itself; stem inside the callable instead"
        )
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
_STOP_WORDS_CHECKED: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


class _Params(RawDocumentsNotMetadata, BaseEstimator):
    """Parameter checks and the core options they make (the first layer of ``_BaseVectorizer``)."""

    _is_tfidf = False

    def _validate_params(self) -> None:
        self._validate_analysis_params()
        _check_df("max_df", self.max_df)
        _check_df("min_df", self.min_df)
        if self.max_features is not None and not (_is_int(self.max_features) and self.max_features >= 1):
            raise ValueError(
                f"The 'max_features' parameter must be an int in the range [1, inf) or None. Got {self.max_features!r} instead."
            )

    def _validate_analysis_params(self) -> None:
        """The checks of the parameters every vectorizer shares (input, analysis, binary, n_jobs)."""
        _check_choice("input", self.input)
        _check_choice("decode_error", self.decode_error)
        _check_choice("strip_accents", self.strip_accents, allow_callable=True)
        _check_choice("analyzer", self.analyzer, allow_callable=True)
        _check_choice("normalization", self.normalization)
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
            warnings.warn(
                f"Upper case characters found in vocabulary while {what} is True. These entries will not "
                "be matched with any documents",
                UserWarning,
            )

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

    def _check_stop_words_consistency(
        self, stop_words: Optional[frozenset[str]], preprocess: Callable[[str], str], tokenize: Callable[[str], list]
    ) -> Union[bool, None, str]:
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
            warnings.warn(
                f"Your stop_words may be inconsistent with your preprocessing. Tokenizing the stop words "
                f"generated tokens {sorted(inconsistent)!r} not in stop_words.",
                UserWarning,
            )
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
        # A callable analyzer or strip_accents runs in Python: the core then does no such step.
        o.analyzer = CHOICES["analyzer"].get(
            self.analyzer if isinstance(self.analyzer, str) else "word", _core.AnalyzerKind.word
        )
        o.decode_error = CHOICES["decode_error"][self.decode_error]
        o.normalization = CHOICES["normalization"][self.normalization]
        o.casefold = bool(self.casefold)
        o.lowercase = bool(self.lowercase)
        o.strip_accents = CHOICES["strip_accents"].get(
            self.strip_accents if isinstance(self.strip_accents, str) or self.strip_accents is None else None,
            _core.StripAccents.none,
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

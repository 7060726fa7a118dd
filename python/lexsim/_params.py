"""The vectorizers' parameters: their checks (the entries of lexsim._schema, scikit-learn's
messages), the warnings about unused ones, and their conversion to the C++ core's options.

``_Params`` is the first of the layers ``_BaseVectorizer`` is built from (``_Params`` <- ``_Input``
<- ``_Engine`` <- ``_BaseVectorizer``, each adding one concern; see :mod:`lexsim.vectorizers`).
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Optional, Union

import numpy as np

from . import _core
from ._base import BaseEstimator, RawDocumentsNotMetadata
from ._schema import _DEFAULT_TOKEN_PATTERN, CHOICES, _check_df, _stop_list, validate

# Re-exported: the vectorizers import these from here (the table and its checks are _schema's).
from ._schema import ENGLISH_STOP_WORDS as ENGLISH_STOP_WORDS
from ._schema import _check_choice as _check_choice
from ._schema import _plain_analyzer_options as _plain_analyzer_options


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


#: id(stop_words) of the stop list each vectorizer has checked (see ``_check_stop_words``).
_STOP_WORDS_CHECKED: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


class _Params(RawDocumentsNotMetadata, BaseEstimator):
    """Parameter checks and the core options they make (the first layer of ``_BaseVectorizer``)."""

    _is_tfidf = False

    def _validate_params(self) -> None:
        self._validate_analysis_params()
        validate(self, stage="vocabulary")
        if self._is_tfidf:
            validate(self, stage="weighting")

    def _validate_analysis_params(self) -> None:
        """The checks of the parameters every vectorizer shares (input, analysis, binary, n_jobs)."""
        validate(self, stage="analysis")
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

"""The vectorizers' scikit-learn analysis API: build_preprocessor, build_tokenizer, get_stop_words,
build_analyzer, and the steps of the callables they return.

``_BaseVectorizer`` is the last layer (see :mod:`lexsim._params`); the public vectorizers in
:mod:`lexsim.vectorizers` derive from it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, Optional

from . import _core
from ._engine import _Engine
from ._params import _check_choice, _plain_analyzer_options, _stop_list


# The steps of the analysis callables that build_preprocessor() and build_analyzer() return, as
# module-level functions under functools.partial (positional, the fastest call): unlike closures,
# these pickle, as joblib needs to ship them.
def _then(first: Callable[[Any], Any], second: Callable[[Any], Any], doc: Any) -> Any:
    return second(first(doc))


def _analyze_with(decode: Callable[[Any], Any], analyzer: Callable[[Any], Iterable[Any]], doc: Any) -> list:
    return list(analyzer(decode(doc)))


def _analyze_chars(
    decode: Callable[[Any], Any], preprocess: Callable[[Any], str], ngrams: Callable[[str], list], doc: Any
) -> list:
    return ngrams(preprocess(decode(doc)))


def _analyze_words(
    decode: Callable[[Any], Any],
    preprocess: Callable[[Any], str],
    tokenize: Callable[[str], Iterable[Any]],
    ngrams: Callable[[list], list],
    doc: Any,
) -> list:
    return ngrams([str(t) for t in tokenize(preprocess(decode(doc)))])


# They are pickled under the module that has always exported them: pickles name
# lexsim.vectorizers._then and so on, whichever module defines them.
for _step in (_then, _analyze_with, _analyze_chars, _analyze_words):
    _step.__module__ = "lexsim.vectorizers"
del _step


class _BaseVectorizer(_Engine):
    """What the vectorizers share: the scikit-learn analysis API here, over three layers, one module
    each: the parameters (``_params._Params``), reading the input (``_input._Input``) and the fitted
    engine (``_engine._Engine``).

    Like scikit-learn's vectorizers it is not a TransformerMixin: its output is always sparse, so
    scikit-learn's ``set_output`` / ``transform_output`` wrapping does not apply.
    """

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
        _check_choice("strip_accents", self.strip_accents, allow_callable=True)
        _check_choice("normalization", self.normalization)
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
        ngrams = _core.Analyzer(
            _plain_analyzer_options(
                lowercase=False, analyzer=helper.options.analyzer, ngram_range=tuple(self.ngram_range)
            )
        )
        return functools.partial(_analyze_chars, decode, preprocess, ngrams.analyze)

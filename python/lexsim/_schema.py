"""The vectorizers' parameters, one entry each (as scikit-learn's ``_parameter_constraints``).

Each entry holds the parameter's constraint (what ``_validate_params`` checks, with scikit-learn's
messages), its default (TfidfVectorizer's, which is scikit-learn's), a one-line help (the flag's
help text on the command line) and, when the ``lexsim`` command sets it, its flag: the flag's names,
argument type and the command's own default. What reads it:

* validation: :class:`lexsim._params._Params` checks the entries of each stage in table order;
  ``CHOICES`` (value -> core enum) is the enumerated entries' choices;
* the command line: :mod:`lexsim.cli.arguments` makes the analysis flags from the entries' flags,
  :mod:`lexsim.cli.options` the defaults (scikit-learn's and the analyst's) and the report's
  description of an analysis (each entry's ``describe``).

Table order is the order of the checks (the first bad parameter is the one reported); the command's
--help order and the description's order are named where they are used.
"""

from __future__ import annotations

import codecs
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from . import _core

_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"

#: The command's words: runs of 3 or more word characters that are not all digits (no "24", "al",
#: "10"), so key terms read as words; scikit-learn's re understands the same pattern (parity-tested).
ANALYST_TOKEN_PATTERN = r"(?u)\b(?!\d+\b)\w\w\w+\b"

#: scikit-learn's English stop-word list (318 words).
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(_core.english_stop_words())

#: n_features must be below this (scikit-learn's HashingVectorizer: an int in [1, 2**31 - 1)).
N_FEATURES_END = 2**31 - 1


def _is_int(x: Any) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _is_real(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _is_bool(x: Any) -> bool:
    return isinstance(x, (bool, np.bool_))


# ---- constraints: check(param, value, estimator) raises scikit-learn's error for a bad value


def _check_df(name: str, value: Any) -> _core.DocFrequency:
    """min_df / max_df: an int count >= 1 or a float proportion in [0, 1], as the core's DocFrequency."""
    message = f"The '{name}' parameter must be a float in the range [0.0, 1.0] or an int in the range [1, inf). Got {value!r} instead."
    if _is_int(value):
        if value < 1:
            raise ValueError(message)
        return _core.DocFrequency.count(int(value))
    if _is_real(value):
        if not (0.0 <= float(value) <= 1.0):
            raise ValueError(message)
        return _core.DocFrequency.proportion(float(value))
    raise TypeError(message)


def _check_choice(name: str, value: Any, choices: Optional[tuple] = None, allow_callable: bool = False) -> None:
    """``value`` is one of ``choices`` (default: the parameter's in the table), or a callable when allowed."""
    if allow_callable and callable(value):
        return
    if choices is None:
        choices = tuple(SCHEMA[name].choices or ())
    if value not in choices:
        extra = " or a callable" if allow_callable else ""
        raise ValueError(f"The '{name}' parameter must be one of {list(choices)!r}{extra}. Got {value!r} instead.")


def _plain_analyzer_options(**kw: Any) -> _core.AnalyzerOptions:
    o = _core.AnalyzerOptions()
    for k, v in kw.items():
        setattr(o, k, v)
    return o


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


Check = Callable[["Param", Any, Any], None]


def one_of(allow_callable: bool = False) -> Check:
    """One of the entry's choices (or a callable, when allowed)."""

    def check(p: Param, value: Any, est: Any) -> None:
        _check_choice(p.name, value, tuple(p.choices or ()), allow_callable=allow_callable)

    return check


def a_bool(message: Optional[str] = None) -> Check:
    def check(p: Param, value: Any, est: Any) -> None:
        if not _is_bool(value):
            raise TypeError(message or f"The '{p.name}' parameter must be a bool. Got {value!r} instead.")

    return check


def _callable_or_none(p: Param, value: Any, est: Any) -> None:
    if value is not None and not callable(value):
        raise TypeError(f"The '{p.name}' parameter must be a callable or None. Got {value!r} instead.")


def _encoding(p: Param, value: Any, est: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"The 'encoding' parameter must be a str. Got {value!r} instead.")
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValueError(f"The 'encoding' parameter names an unknown encoding: {value!r}") from None


def _str_or_none(p: Param, value: Any, est: Any) -> None:
    if not isinstance(value, (str, type(None))):
        raise TypeError(f"The '{p.name}' parameter must be a str or None. Got {value!r} instead.")


def _ngram_range(p: Param, ngram: Any, est: Any) -> None:
    if not (isinstance(ngram, tuple) and len(ngram) == 2 and all(_is_int(n) for n in ngram)):
        raise TypeError(f"The 'ngram_range' parameter must be a tuple of two ints. Got {ngram!r} instead.")
    if ngram[0] < 1 or ngram[1] < 1:
        raise ValueError(f"Invalid value for ngram_range={ngram} both bounds must be at least 1.")
    if ngram[0] > ngram[1]:
        raise ValueError(f"Invalid value for ngram_range={ngram} lower boundary larger than the upper boundary.")


def _n_jobs(p: Param, value: Any, est: Any) -> None:
    if value is not None and not (_is_int(value) and (value >= 1 or value == -1)):
        raise ValueError(f"The 'n_jobs' parameter must be None, -1 or a positive int. Got {value!r} instead.")


def _stop_words(p: Param, value: Any, est: Any) -> None:
    _stop_list(value)


def _stemmer(p: Param, value: Any, est: Any) -> None:
    _check_stemmer(value, est.analyzer)


def _doc_frequency(p: Param, value: Any, est: Any) -> None:
    _check_df(p.name, value)


def _max_features(p: Param, value: Any, est: Any) -> None:
    if value is not None and not (_is_int(value) and value >= 1):
        raise ValueError(
            f"The 'max_features' parameter must be an int in the range [1, inf) or None. Got {value!r} instead."
        )


def _n_features(p: Param, n: Any, est: Any) -> None:
    if not (_is_int(n) and 1 <= n < N_FEATURES_END):
        raise ValueError(
            f"The 'n_features' parameter of HashingVectorizer must be an int in the range [1, {N_FEATURES_END}). Got {n!r} instead."
        )


def _checked_later(p: Param, value: Any, est: Any) -> None:
    """vocabulary and dtype: checked where they are used (at fit, by the estimator's own rules)."""


# ---- the command line and the report

_UNSET: Any = object()


@dataclass(frozen=True)
class Flag:
    """How the ``lexsim`` command sets a parameter: ``name`` (its help is the parameter's) with
    argparse's ``choices`` (None spelled "none"), ``type`` (a name in lexsim.cli.arguments' argument
    types), ``nargs`` and ``metavar``; a bool has a second flag, ``off``, that clears it.
    ``default`` is the command's own default where it is not scikit-learn's (the analyst's;
    --sklearn-defaults drops it)."""

    name: str
    choices: Optional[tuple] = None
    type: Optional[str] = None
    nargs: Optional[int] = None
    metavar: Any = None
    off: Optional[str] = None
    off_help: str = ""
    none: bool = False  # "none" means None (implied by None among the choices)
    default: Any = _UNSET

    @property
    def has_default(self) -> bool:
        return self.default is not _UNSET

    @property
    def takes_none(self) -> bool:
        """Whether the word "none" on the command line means None."""
        return self.none or (self.choices is not None and None in self.choices)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.off) if self.off else (self.name,)


#: (the parameter, its value, all the values given) -> the words saying how the value differs from
#: scikit-learn's default, or None when it does not.
Describe = Callable[["Param", Any, Mapping[str, Any]], Optional[str]]


@dataclass(frozen=True)
class Param:
    """One parameter: its name, default, constraint, one-line help (its flag's help on the command
    line), the stage that checks it, and optionally its choices (value -> the core's enum member),
    its flag and its words in the report's description of an analysis."""

    name: str
    default: Any
    check: Check
    help: str
    stage: str
    choices: Optional[dict[Any, Any]] = None
    flag: Optional[Flag] = None
    describe: Optional[Describe] = field(default=None)

    def validate(self, est: Any) -> None:
        self.check(self, getattr(est, self.name), est)


#: The stages, in the order they are checked: every vectorizer's analysis, the vocabulary of the
#: counting vectorizers, the weighting of TF-IDF (and of HashingVectorizer's norm), hashing's own.
STAGES = ("analysis", "vocabulary", "weighting", "hashing", "output")

_ACCENTS = {"unicode": "accents folded", "ascii": "accents stripped to ASCII"}


def _words_if(text: str) -> Describe:
    """The words when the value is true (the parameter's default is false)."""
    return lambda p, value, params: text if value else None


def _name_and_value(p: Param, value: Any, params: Mapping[str, Any]) -> Optional[str]:
    return f"{p.name} {value}" if value != p.default else None


def _describe_stop_words(p: Param, stop: Any, params: Mapping[str, Any]) -> Optional[str]:
    if stop == "english":
        return "English stop words"
    return f"{len(stop)} stop words" if stop else None


def _describe_token_pattern(p: Param, pattern: Any, params: Mapping[str, Any]) -> Optional[str]:
    if pattern == ANALYST_TOKEN_PATTERN:
        return "3+ character words, no numbers"
    return f"tokens {pattern}" if pattern not in (None, p.default) else None


def _table(*entries: Param) -> dict[str, Param]:
    return {p.name: p for p in entries}


#: Every vectorizer parameter, in the order of the checks.
SCHEMA: dict[str, Param] = _table(
    # ---- analysis (every vectorizer)
    Param(
        "input",
        "content",
        one_of(),
        "what the documents are: their text (content), file names (filename) or open files (file)",
        "analysis",
        choices={"content": None, "filename": None, "file": None},  # no core enum: files are read in Python
    ),
    Param(
        "decode_error",
        "strict",
        one_of(),
        "bytes that do not decode: an error (strict), U+FFFD (replace) or dropped (ignore)",
        "analysis",
        choices={
            "strict": _core.DecodeError.strict,
            "ignore": _core.DecodeError.ignore,
            "replace": _core.DecodeError.replace,
        },
    ),
    Param(
        "strip_accents",
        None,
        one_of(allow_callable=True),
        "fold accents: unicode (default; NFKD then drop combining marks), ascii (NFKD then drop "
        "non-ASCII), none (scikit-learn's default)",
        "analysis",
        choices={
            None: _core.StripAccents.none,
            "ascii": _core.StripAccents.ascii,
            "unicode": _core.StripAccents.unicode,
        },
        flag=Flag("--strip-accents", choices=("unicode", "ascii", None), default="unicode"),
        describe=lambda p, value, params: _ACCENTS.get(value) if isinstance(value, str) else None,
    ),
    Param(
        "analyzer",
        "word",
        one_of(allow_callable=True),
        "word n-grams (default), character n-grams, or character n-grams inside words (these leave off the "
        "default stop words and token pattern, which apply to words)",
        "analysis",
        choices={
            "word": _core.AnalyzerKind.word,
            "char": _core.AnalyzerKind.char,
            "char_wb": _core.AnalyzerKind.char_wb,
        },
        flag=Flag("--analyzer", choices=("word", "char", "char_wb")),
        describe=lambda p, value, params: f"{value} n-grams" if value != p.default else None,
    ),
    Param(
        "normalization",
        None,
        one_of(),
        "Unicode normalisation before everything else (default none)",
        "analysis",
        choices={None: _core.Normalization.none, "NFC": _core.Normalization.nfc, "NFKC": _core.Normalization.nfkc},
        flag=Flag("--normalization", choices=("NFC", "NFKC", None)),
        describe=lambda p, value, params: value or None,
    ),
    Param(
        "preprocessor", None, _callable_or_none, "a callable str -> str run instead of the preprocessing", "analysis"
    ),
    Param(
        "tokenizer", None, _callable_or_none, "a callable str -> list of tokens run instead of the pattern", "analysis"
    ),
    Param("encoding", "utf-8", _encoding, "the encoding that bytes and files are decoded with", "analysis"),
    Param(
        "token_pattern",
        _DEFAULT_TOKEN_PATTERN,
        _str_or_none,
        r"what a word is (default: (?u)\b(?!\d+\b)\w\w\w+\b, 3+ characters and not all digits; with "
        r"--sklearn-defaults (?u)\b\w\w+\b, two or more)",
        "analysis",
        flag=Flag("--token-pattern", type="regex", metavar="REGEX", default=ANALYST_TOKEN_PATTERN),
        describe=_describe_token_pattern,
    ),
    Param(
        "ngram_range",
        (1, 1),
        _ngram_range,
        "n-gram sizes (default: 1 1)",
        "analysis",
        flag=Flag("--ngram-range", type="positive_int", nargs=2, metavar=("MIN", "MAX")),
        describe=lambda p, value, params: f"{value[0]}-{value[1]}-grams" if tuple(value) != p.default else None,
    ),
    Param(
        "binary",
        False,
        a_bool(),
        "tf = 1 for every present term",
        "analysis",
        flag=Flag("--binary", off="--no-binary", off_help="count occurrences (default)"),
        describe=_words_if("binary tf"),
    ),
    Param(
        "lowercase",
        True,
        a_bool("The 'lowercase' and 'casefold' parameters must be bools."),
        "lowercase before tokenizing (default)",
        "analysis",
        flag=Flag("--lowercase", off="--no-lowercase", off_help="keep case"),
        # stems are lowercase whatever lowercase says
        describe=lambda p, value, params: "case kept" if not value and not params.get("stemmer") else None,
    ),
    Param(
        "casefold",
        False,
        a_bool("The 'lowercase' and 'casefold' parameters must be bools."),
        "full Unicode case folding instead of lowercasing (ß = ss)",
        "analysis",
        flag=Flag("--casefold", off="--no-casefold", off_help="lowercase with str.lower() rules (default)"),
        describe=_words_if("case folded"),
    ),
    Param("n_jobs", None, _n_jobs, "threads: None (one), -1 (the usable CPUs) or a count", "analysis"),
    Param(
        "stop_words",
        None,
        _stop_words,
        "drop scikit-learn's English stop words (english, the default) or none",
        "analysis",
        flag=Flag("--stop-words", choices=("english", None), default="english"),
        describe=_describe_stop_words,
    ),
    Param(
        "stemmer",
        None,
        _stemmer,
        "reduce words to their Snowball stems, e.g. english, porter, french, turkish (default none; see "
        "lexsim.stemmers())",
        "analysis",
        flag=Flag("--stemmer", metavar="LANGUAGE", none=True),
        describe=lambda p, value, params: f"{value} stems" if value else None,
    ),
    # ---- vocabulary (CountVectorizer, TfidfVectorizer)
    Param(
        "max_df",
        1.0,
        _doc_frequency,
        "ignore terms in more documents: a count or a proportion; default 1.0",
        "vocabulary",
        flag=Flag("--max-df", type="df", metavar="DF"),
        describe=_name_and_value,
    ),
    Param(
        "min_df",
        1,
        _doc_frequency,
        "ignore terms in fewer documents: a count (int) or a proportion (float); default 1",
        "vocabulary",
        flag=Flag("--min-df", type="df", metavar="DF"),
        describe=_name_and_value,
    ),
    Param(
        "max_features",
        None,
        _max_features,
        "keep the N terms with the highest total counts (default: all)",
        "vocabulary",
        flag=Flag("--max-features", type="positive_int", metavar="N"),
        describe=_name_and_value,
    ),
    Param(
        "vocabulary",
        None,
        _checked_later,
        "a fixed vocabulary: a UTF-8 file with one term a line, in column order",
        "vocabulary",
        flag=Flag("--vocabulary", metavar="FILE"),
    ),
    # ---- weighting (TfidfVectorizer; norm is also HashingVectorizer's)
    Param(
        "norm",
        "l2",
        one_of(),
        "row normalisation (default l2)",
        "weighting",
        choices={"l1": _core.Norm.l1, "l2": _core.Norm.l2, None: _core.Norm.none},
        flag=Flag("--norm", choices=("l2", "l1", None)),
        describe=lambda p, value, params: f"{value or 'no'} norm" if value != p.default else None,
    ),
    Param(
        "use_idf",
        True,
        a_bool(),
        "weight by inverse document frequency (default)",
        "weighting",
        flag=Flag("--idf", off="--no-idf", off_help="no idf weighting"),
        describe=lambda p, value, params: "no idf" if not value else None,
    ),
    Param(
        "smooth_idf",
        True,
        a_bool(),
        "add one to document frequencies (default)",
        "weighting",
        flag=Flag("--smooth-idf", off="--no-smooth-idf", off_help="idf = ln(n / df) + 1"),
        # without idf there is nothing to smooth
        describe=lambda p, value, params: (
            "unsmoothed idf" if not value and params.get("use_idf", SCHEMA["use_idf"].default) else None
        ),
    ),
    Param(
        "sublinear_tf",
        False,
        a_bool(),
        "tf = 1 + log(tf) (default)",
        "weighting",
        flag=Flag(
            "--sublinear-tf", off="--no-sublinear-tf", off_help="raw term counts (scikit-learn's default)", default=True
        ),
        describe=_words_if("sublinear tf"),
    ),
    # ---- hashing (HashingVectorizer)
    Param("n_features", 2**20, _n_features, "the number of columns terms are hashed into", "hashing"),
    Param("alternate_sign", True, a_bool(), "a bit of each term's hash gives its sign", "hashing"),
    # ---- the output (checked by each vectorizer where it makes its matrix)
    Param(
        "dtype",
        np.float64,
        _checked_later,
        "type of the TF-IDF values (default float64)",
        "output",
        flag=Flag("--dtype", choices=("float64", "float32")),
        describe=lambda p, value, params: "float32" if np.dtype(value) != np.dtype(p.default) else None,
    ),
)

#: The parameters that take one of a few values, each spelled out once: value -> the core's enum
#: member, in the order the error messages list them. A model file stores the member's name
#: (lexsim.model reads it back through this table); ``input`` has no core enum (files are read in
#: Python).
CHOICES: dict[str, dict[Any, Any]] = {p.name: p.choices for p in SCHEMA.values() if p.choices is not None}

#: The defaults that differ between the estimators: (class name, parameter) -> that class's default.
OTHER_DEFAULTS: dict[tuple[str, str], Any] = {("CountVectorizer", "dtype"): np.int64}


# Each stage's entries in table order (validation runs at every fit and transform).
_BY_STAGE: dict[str, tuple[Param, ...]] = {
    stage: tuple(p for p in SCHEMA.values() if p.stage == stage) for stage in STAGES
}


def validate(est: Any, *names: str, stage: Optional[str] = None) -> None:
    """Check the estimator's parameters: those named, or those of ``stage`` in table order (the
    first bad one raises)."""
    for p in tuple(SCHEMA[n] for n in names) if names else _BY_STAGE[stage or ""]:
        p.validate(est)

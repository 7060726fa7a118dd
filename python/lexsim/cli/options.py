"""The vectorizer's options on the command line: the analyst's and scikit-learn's defaults, the
parameters the flags give, the model's fixed options, and the analysis described for people and JSON
(the defaults and the words of each parameter are its entry in lexsim._schema)."""

from __future__ import annotations

import argparse
import re
from typing import Any, Optional

import numpy as np

from .._schema import ANALYST_TOKEN_PATTERN as ANALYST_TOKEN_PATTERN  # the command's words
from .._schema import SCHEMA
from .arguments import _ANALYSIS_FLAGS, CommandError, _none_or

# The analysis options: argparse destination (= the vectorizer parameter) -> the flags named in errors.
_ANALYSIS = {dest: "/".join(flag for flag, _ in flags) for dest, flags in _ANALYSIS_FLAGS.items()}

#: What the command uses unless told otherwise (the flags' own defaults): accent folding, English
#: stop words and sublinear tf find the same story told in different words and spellings (see the
#: README), and words are ANALYST_TOKEN_PATTERN's; every other parameter is scikit-learn's default.
ANALYST_DEFAULTS: dict[str, Any] = {
    dest: flag.default for dest in _ANALYSIS if (flag := SCHEMA[dest].flag) is not None and flag.has_default
}

#: scikit-learn's TfidfVectorizer defaults for every parameter the command exposes (the table's,
#: which are TfidfVectorizer's signature's: test_params checks they agree).
SKLEARN_DEFAULTS: dict[str, Any] = {name: SCHEMA[name].default for name in _ANALYSIS}

# The order the report's description names what differs from scikit-learn's defaults.
_DESCRIBED = (
    "normalization",
    "casefold",
    "stemmer",
    "lowercase",
    "strip_accents",
    "stop_words",
    "analyzer",
    "ngram_range",
    "token_pattern",
    "min_df",
    "max_df",
    "max_features",
    "binary",
    "sublinear_tf",
    "use_idf",
    "smooth_idf",
    "norm",
    "dtype",
)


def _vectorizer_params(args: argparse.Namespace) -> dict[str, Any]:
    params = dict(SKLEARN_DEFAULTS)
    if not args.sklearn_defaults:
        params.update(ANALYST_DEFAULTS)
    for dest in _ANALYSIS:
        value = getattr(args, dest)
        if value is None:
            continue
        flag = SCHEMA[dest].flag
        assert flag is not None
        if flag.takes_none:
            value = _none_or(value)
        elif flag.nargs is not None:
            value = tuple(value)
        elif dest == "dtype":
            value = getattr(np, value)
        elif dest == "vocabulary":
            value = _read_vocabulary(value)
        params[dest] = value
    if params["analyzer"] != "word":  # the analyst's word options do not apply to character n-grams
        for dest in ("stop_words", "token_pattern"):
            if getattr(args, dest) is None:
                params[dest] = SKLEARN_DEFAULTS[dest]
    return params


def _read_vocabulary(path: str) -> list:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise OSError(e.errno, f"cannot read the vocabulary {path}: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CommandError(f"{path}: not valid UTF-8 at byte offset {e.start}") from None
    terms = [line.strip() for line in text.splitlines() if line.strip()]
    if not terms:
        raise CommandError(f"{path}: the vocabulary file is empty")
    return terms


def _check_model_options(args: argparse.Namespace) -> None:
    given = [flag for dest, flag in _ANALYSIS.items() if getattr(args, dest) is not None]
    if args.sklearn_defaults:
        given.insert(0, "--sklearn-defaults")
    if given:
        raise CommandError(f"--model fixes the analysis options; leave out {given[0]}")


def _jobs_param(args: argparse.Namespace) -> Optional[int]:
    return None if args.jobs == 1 else args.jobs


def _as_options(message: str) -> str:
    """A library message about min_df or max_df, in the command's option names."""
    message = message.replace(" (max_df corresponds to < documents than min_df)", "")
    message = re.sub(r"\b(min|max)_df=", lambda m: f"--{m.group(1)}-df ", message)
    return re.sub(r"\b(min|max)_df\b", lambda m: f"--{m.group(1)}-df", message)


def _describe(params: dict[str, Any]) -> str:
    """The analysis in words, for people: what differs from scikit-learn's defaults (each
    parameter's words are its entry's in lexsim._schema)."""
    words = []
    for name in _DESCRIBED:
        p = SCHEMA[name]
        assert p.describe is not None
        text = p.describe(p, params.get(name, p.default), params)
        if text:
            words.append(text)
    return ", ".join(words) if words else "scikit-learn defaults"


def _params_json(vec: Any) -> dict[str, Any]:
    """The vectorizer's analysis parameters, for JSON (not the vocabulary, the input handling or
    the threads)."""
    out = {}
    for name, value in vec.get_params().items():
        if name in ("vocabulary", "input", "encoding", "decode_error", "preprocessor", "tokenizer", "n_jobs"):
            continue
        if name == "dtype":
            value = np.dtype(value).name
        elif name == "ngram_range":
            value = list(value)
        elif name == "stop_words" and value is not None and not isinstance(value, str):
            value = sorted(value)
        out[name] = value
    return out

"""The vectorizer's options on the command line: the analyst's and scikit-learn's defaults, the
parameters the flags give, the model's fixed options, and the analysis described for people and JSON."""

from __future__ import annotations

import argparse
import inspect
import re
from typing import Any, Optional

import numpy as np

from .._params import _DEFAULT_TOKEN_PATTERN
from ..vectorizers import TfidfVectorizer
from .arguments import _ANALYSIS_FLAGS, CommandError, _none_or

#: What the command uses unless told otherwise: accent folding, English stop words and sublinear
#: tf find the same story told in different words and spellings (see the README); every other
#: parameter is scikit-learn's default.
#: Words are runs of 3 or more word characters that are not all digits (no "24", "al", "10"), so key
#: terms read as words; scikit-learn's re understands the same pattern (parity-tested).
ANALYST_TOKEN_PATTERN = r"(?u)\b(?!\d+\b)\w\w\w+\b"
ANALYST_DEFAULTS: dict[str, Any] = {
    "strip_accents": "unicode",
    "stop_words": "english",
    "sublinear_tf": True,
    "token_pattern": ANALYST_TOKEN_PATTERN,
}

# The analysis options: argparse destination (= the vectorizer parameter) -> the flags named in errors.
_ANALYSIS = {dest: "/".join(flag for flag, _ in flags) for dest, flags in _ANALYSIS_FLAGS.items()}

#: scikit-learn's TfidfVectorizer defaults for every parameter the command exposes, read from
#: lexsim's TfidfVectorizer (the same defaults, parity-tested), whose signature is where they are written.
SKLEARN_DEFAULTS: dict[str, Any] = {
    name: inspect.signature(TfidfVectorizer.__init__).parameters[name].default for name in _ANALYSIS
}


def _vectorizer_params(args: argparse.Namespace) -> dict[str, Any]:
    params = dict(SKLEARN_DEFAULTS)
    if not args.sklearn_defaults:
        params.update(ANALYST_DEFAULTS)
    for dest in _ANALYSIS:
        value = getattr(args, dest)
        if value is None:
            continue
        if dest in ("strip_accents", "stop_words", "norm", "normalization", "stemmer"):
            value = _none_or(value)
        elif dest == "ngram_range":
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
    """The analysis in words, for people: what differs from scikit-learn's defaults."""
    default = SKLEARN_DEFAULTS
    words = []
    accents = {"unicode": "accents folded", "ascii": "accents stripped to ASCII"}
    if params.get("normalization"):
        words.append(params["normalization"])
    if params.get("casefold"):
        words.append("case folded")
    if params.get("stemmer"):
        words.append(f"{params['stemmer']} stems")
    elif not params.get("lowercase", default["lowercase"]):
        words.append("case kept")
    if params.get("strip_accents") in accents:
        words.append(accents[params["strip_accents"]])
    stop = params.get("stop_words")
    if stop == "english":
        words.append("English stop words")
    elif stop:
        words.append(f"{len(stop)} stop words")
    if params.get("analyzer", default["analyzer"]) != default["analyzer"]:
        words.append(f"{params['analyzer']} n-grams")
    ngram = tuple(params.get("ngram_range", default["ngram_range"]))
    if ngram != tuple(default["ngram_range"]):
        words.append(f"{ngram[0]}-{ngram[1]}-grams")
    if params.get("token_pattern") == ANALYST_TOKEN_PATTERN:
        words.append("3+ character words, no numbers")
    elif params.get("token_pattern") not in (None, _DEFAULT_TOKEN_PATTERN):
        words.append(f"tokens {params['token_pattern']}")
    for name in ("min_df", "max_df", "max_features"):
        if params.get(name, default[name]) != default[name]:
            words.append(f"{name} {params[name]}")
    if params.get("binary"):
        words.append("binary tf")
    if params.get("sublinear_tf"):
        words.append("sublinear tf")
    if not params.get("use_idf", default["use_idf"]):
        words.append("no idf")
    elif not params.get("smooth_idf", default["smooth_idf"]):
        words.append("unsmoothed idf")
    if params.get("norm", default["norm"]) != default["norm"]:
        words.append(f"{params['norm'] or 'no'} norm")
    if np.dtype(params.get("dtype", default["dtype"])) != np.dtype(default["dtype"]):
        words.append("float32")
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

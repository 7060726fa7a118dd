"""The ``lexsim`` command: key terms, nearest neighbours, story groups and search from the terminal.

``lexsim COMMAND [PATH] [options]`` reads a corpus (a folder of ``.txt``/``.md`` files, a ``.jsonl``,
``.csv`` or ``.parquet`` file, or one ``.txt`` file as one document; see :func:`lexsim.corpus.read_corpus`),
turns it into TF-IDF vectors, and
prints a table, JSON or CSV. ``python -m lexsim`` is the same command. :func:`main` runs it from
Python and returns the exit status: 0 on success, 2 on an error (one line on stderr, never a
traceback), 130 on Ctrl-C, 1 on an internal error (its traceback with ``--debug``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import os
import pathlib
import re
import shutil
import sys
import threading
import time
import unicodedata
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional, Sequence

import numpy as np

__all__ = ["main"]

# ============================================================================ defaults

#: What the command uses unless told otherwise: accent folding, English stop words and sublinear
#: tf find the same story told in different words and spellings (see the README); every other
#: parameter is scikit-learn's default.
#: Words are runs of 3 or more word characters that are not all digits (no "24", "al", "10"), so key
#: terms read as words; scikit-learn's re understands the same pattern (parity-tested).
ANALYST_TOKEN_PATTERN = r"(?u)\b(?!\d+\b)\w\w\w+\b"
ANALYST_DEFAULTS: dict[str, Any] = {"strip_accents": "unicode", "stop_words": "english", "sublinear_tf": True,
                                    "token_pattern": ANALYST_TOKEN_PATTERN}

_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"

#: scikit-learn's TfidfVectorizer defaults for every parameter the command exposes.
SKLEARN_DEFAULTS: dict[str, Any] = {
    "lowercase": True,
    "strip_accents": None,
    "stop_words": None,
    "sublinear_tf": False,
    "ngram_range": (1, 1),
    "min_df": 1,
    "max_df": 1.0,
    "max_features": None,
    "norm": "l2",
    "use_idf": True,
    "smooth_idf": True,
    "binary": False,
    "normalization": None,
    "casefold": False,
    "stemmer": None,
    "analyzer": "word",
    "token_pattern": _DEFAULT_TOKEN_PATTERN,
    "dtype": np.float64,
    "vocabulary": None,
}

# The analysis options: argparse destination (= the vectorizer parameter) -> the flag named in errors.
_ANALYSIS = {
    "lowercase": "--lowercase/--no-lowercase",
    "strip_accents": "--strip-accents",
    "stop_words": "--stop-words",
    "sublinear_tf": "--sublinear-tf/--no-sublinear-tf",
    "ngram_range": "--ngram-range",
    "min_df": "--min-df",
    "max_df": "--max-df",
    "max_features": "--max-features",
    "norm": "--norm",
    "use_idf": "--idf/--no-idf",
    "smooth_idf": "--smooth-idf/--no-smooth-idf",
    "binary": "--binary/--no-binary",
    "normalization": "--normalization",
    "casefold": "--casefold/--no-casefold",
    "stemmer": "--stemmer",
    "analyzer": "--analyzer",
    "token_pattern": "--token-pattern",
    "dtype": "--dtype",
    "vocabulary": "--vocabulary",
}

_NONE = "none"  # how "no value" is spelled on the command line


class CommandError(Exception):
    """An error to report in one line (exit status 2)."""


# ============================================================================ argument types


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1 and value != -1:
        raise argparse.ArgumentTypeError(f"expected a positive integer or -1 (all usable CPUs), got {text!r}")
    return value


def _real(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if math.isnan(value) or math.isinf(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _cosine_floor(text: str) -> float:
    """A threshold for neighbours: scores strictly above it are kept, so 0 is allowed."""
    value = _real(text)
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"expected a cosine threshold in [0, 1), got {text!r}")
    return value


def _cosine_threshold(text: str) -> float:
    """A threshold for pairs and groups: scores at or above it count, so 0 would pair everything."""
    value = _real(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a cosine threshold in (0, 1], got {text!r}")
    return value


def _df(text: str) -> Any:
    """An int (a document count) or a float in [0, 1] (a proportion), as scikit-learn takes them."""
    if re.fullmatch(r"[+]?\d+", text.strip()):
        count = int(text)
        if count < 1:
            raise argparse.ArgumentTypeError(f"expected a count >= 1 or a proportion in [0.0, 1.0], got {text!r}")
        return count
    value = _real(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a count >= 1 or a proportion in [0.0, 1.0], got {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _non_negative(text: str) -> float:
    value = _real(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def _unit(text: str) -> float:
    value = _real(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {text!r}")
    return value


def _regex(text: str) -> str:
    try:
        compiled = re.compile(text)
    except re.error as e:
        raise argparse.ArgumentTypeError(f"not a valid regular expression ({e})") from None
    if compiled.groups > 1:
        raise argparse.ArgumentTypeError("the token pattern may capture at most one group")
    return text


def _none_or(text: str) -> Optional[str]:
    return None if text == _NONE else text


# ============================================================================ parser


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors in one line: ``lexsim: error: ... (see lexsim CMD --help)``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"lexsim: error: {message} (see {self.prog} --help)\n")


_FORMATTER = argparse.RawDescriptionHelpFormatter

_DESCRIPTION = """\
Find the documents that say the same thing: key terms, nearest neighbours, similar pairs, story
groups, search and explanations, over a corpus read from PATH:

  a folder     every .txt and .md file below it (recursively); id = path relative to the folder
  FILE.jsonl   one JSON object a line: the "text" field (--text-column), the "id" field if present
               (--id-column), else the line number
  FILE.csv     a header row, then one document a row: the "text" column (--text-column), the
               "id" column if present (--id-column), else the row number
  FILE.parquet one document a row, as for .csv (needs pyarrow: pip install "lexsim[parquet]")
  FILE.txt     one document, the whole file (also FILE.md); id = the file name

Defaults are tuned for analysts: accents folded (Erdoğan = Erdogan), English stop words and
sublinear tf; --sklearn-defaults gives scikit-learn's TfidfVectorizer defaults instead, and every
vectorizer parameter has an option. `lexsim fit PATH -o MODEL` saves a fitted vectorizer; --model
MODEL on the other commands reuses it.

Output: --format table (default, for people), json or csv (for tools); each command's --help
shows its JSON shape. Errors print one line and exit with status 2."""

_EXAMPLES = """\
examples:
  lexsim report                              the built-in sample corpus (what `make demo` shows)
  lexsim report articles/                    summary, story groups, each document's terms and neighbours
  lexsim similar articles/ --k 3             each document's 3 nearest neighbours
  lexsim pairs news.jsonl                    every pair with cosine >= 0.2 (--threshold 0.9: near-duplicates)
  lexsim groups news.csv                     story groups (no threshold needed)
  lexsim terms articles/ --n 5 --format csv  each document's 5 key terms, as CSV
  lexsim search articles/ "grain corridor"   the documents that best match a query
  lexsim index articles/ -o news.index       index once; then search articles/ QUERY --index news.index
  lexsim explain articles/ a.txt b.txt       why two documents match
  lexsim fit articles/ -o news.lexsim        save the fitted model; then --model news.lexsim"""


def _common_options(with_path: bool, path_optional: bool = False, with_model: bool = True) -> _Parser:
    """The options every command takes (an argparse parent parser)."""
    p = _Parser(add_help=False)
    if with_path:
        if path_optional:
            p.add_argument("path", metavar="PATH", nargs="?", help="the corpus (default: the built-in sample corpus)")
        else:
            p.add_argument("path", metavar="PATH",
                           help="the corpus: a folder, a .jsonl, .csv or .parquet file, or a .txt file (one document)")

    out = p.add_argument_group("output and running")
    out.add_argument("--format", choices=("table", "json", "csv"), default="table",
                     help="table (default; aligned, for people), json or csv (for tools)")
    out.add_argument("--jobs", type=_jobs, default=-1, metavar="N",
                     help="threads (default -1: all usable CPUs; results do not depend on it)")
    out.add_argument("--debug", action="store_true", help="show the traceback of an internal error")

    src = p.add_argument_group("reading the corpus")
    src.add_argument("--text-column", default="text", metavar="NAME",
                     help="JSON field or CSV/Parquet column holding the text (default: text)")
    src.add_argument("--id-column", default=None, metavar="NAME",
                     help="JSON field or CSV/Parquet column holding the id (default: the id field or column "
                          "if present, else the line or row number)")
    src.add_argument("--encoding", default="utf-8", help="encoding of the files (default: utf-8)")
    src.add_argument("--decode-error", choices=("strict", "replace", "ignore"), default="strict",
                     help="bytes that do not decode: an error naming file and byte offset (strict, "
                          "the default), replaced with U+FFFD (replace) or dropped (ignore)")

    ana = p.add_argument_group(
        "analysis (defaults: scikit-learn's TfidfVectorizer's, except accents folded, English stop "
        "words, sublinear tf and words of 3+ characters that are not all digits; --sklearn-defaults "
        "resets those four)")
    if with_model:
        ana.add_argument("--model", metavar="MODEL",
                         help="use a model saved by `lexsim fit` instead of fitting on PATH (the "
                              "analysis options below then come from the model)")
    ana.add_argument("--sklearn-defaults", action="store_true",
                     help="start from scikit-learn's defaults (no accent folding, no stop words, raw "
                          "tf); the options below still apply on top")
    ana.add_argument("--lowercase", dest="lowercase", action="store_const", const=True, default=None,
                     help="lowercase before tokenizing (default)")
    ana.add_argument("--no-lowercase", dest="lowercase", action="store_const", const=False, help="keep case")
    ana.add_argument("--strip-accents", choices=("unicode", "ascii", _NONE), default=None,
                     help="fold accents: unicode (default; NFKD then drop combining marks), ascii (NFKD "
                          "then drop non-ASCII), none (scikit-learn's default)")
    ana.add_argument("--stop-words", choices=("english", _NONE), default=None,
                     help="drop scikit-learn's English stop words (english, the default) or none")
    ana.add_argument("--sublinear-tf", dest="sublinear_tf", action="store_const", const=True, default=None,
                     help="tf = 1 + log(tf) (default)")
    ana.add_argument("--no-sublinear-tf", dest="sublinear_tf", action="store_const", const=False,
                     help="raw term counts (scikit-learn's default)")
    ana.add_argument("--ngram-range", nargs=2, type=_positive_int, metavar=("MIN", "MAX"), default=None,
                     help="n-gram sizes (default: 1 1)")
    ana.add_argument("--min-df", type=_df, default=None, metavar="DF",
                     help="ignore terms in fewer documents: a count (int) or a proportion (float); default 1")
    ana.add_argument("--max-df", type=_df, default=None, metavar="DF",
                     help="ignore terms in more documents: a count or a proportion; default 1.0")
    ana.add_argument("--max-features", type=_positive_int, default=None, metavar="N",
                     help="keep the N terms with the highest total counts (default: all)")
    ana.add_argument("--norm", choices=("l2", "l1", _NONE), default=None, help="row normalisation (default l2)")
    ana.add_argument("--idf", dest="use_idf", action="store_const", const=True, default=None,
                     help="weight by inverse document frequency (default)")
    ana.add_argument("--no-idf", dest="use_idf", action="store_const", const=False, help="no idf weighting")
    ana.add_argument("--smooth-idf", dest="smooth_idf", action="store_const", const=True, default=None,
                     help="add one to document frequencies (default)")
    ana.add_argument("--no-smooth-idf", dest="smooth_idf", action="store_const", const=False,
                     help="idf = ln(n / df) + 1")
    ana.add_argument("--binary", dest="binary", action="store_const", const=True, default=None,
                     help="tf = 1 for every present term")
    ana.add_argument("--no-binary", dest="binary", action="store_const", const=False,
                     help="count occurrences (default)")
    ana.add_argument("--normalization", choices=("NFC", "NFKC", _NONE), default=None,
                     help="Unicode normalisation before everything else (default none)")
    ana.add_argument("--casefold", dest="casefold", action="store_const", const=True, default=None,
                     help="full Unicode case folding instead of lowercasing (ß = ss)")
    ana.add_argument("--no-casefold", dest="casefold", action="store_const", const=False,
                     help="lowercase with str.lower() rules (default)")
    ana.add_argument("--stemmer", default=None, metavar="LANGUAGE",
                     help="reduce words to their Snowball stems, e.g. english, porter, french, turkish "
                          "(default none; see lexsim.stemmers())")
    ana.add_argument("--analyzer", choices=("word", "char", "char_wb"), default=None,
                     help="word n-grams (default), character n-grams, or character n-grams inside words "
                          "(these leave off the default stop words and token pattern, which apply to words)")
    ana.add_argument("--token-pattern", type=_regex, default=None, metavar="REGEX",
                     help=r"what a word is (default: (?u)\b(?!\d+\b)\w\w\w+\b, 3+ characters and not "
                          r"all digits; with --sklearn-defaults (?u)\b\w\w+\b, two or more)")
    ana.add_argument("--dtype", choices=("float64", "float32"), default=None,
                     help="type of the TF-IDF values (default float64)")
    ana.add_argument("--vocabulary", metavar="FILE", default=None,
                     help="a fixed vocabulary: a UTF-8 file with one term a line, in column order")
    return p


def _add_command(
    sub: Any, name: str, func: Callable[[argparse.Namespace, "_Progress"], int], help_text: str, epilog: str,
    parent: _Parser,
) -> _Parser:
    p = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".",
                       epilog=epilog, parents=[parent], formatter_class=_FORMATTER)
    p.set_defaults(func=func)
    return p


def _grouping_arguments(p: argparse.ArgumentParser) -> None:
    """The story-group options of `groups` and `report`."""
    g = p.add_argument_group(
        "story groups",
        "Default (leiden): each document is linked to its K most similar documents, links need 3 shared "
        "terms, and the groups are the Leiden communities (modularity) of that graph: no threshold, no "
        "chaining, deterministic. Everything derived from the corpus is printed with the groups.")
    g.add_argument("--method", choices=("leiden", "single"), default=None,
                   help="leiden (default) or single (single linkage at --threshold; the default when only "
                        "--threshold is given)")
    g.add_argument("--threshold", type=_cosine_threshold, default=None, metavar="T",
                   help="single: cosine in (0, 1] linking two documents; leiden: drop neighbour links below T "
                        "(default: none)")
    g.add_argument("--neighbors", type=_positive_int, default=None, metavar="K", dest="n_neighbors",
                   help="leiden: neighbours per document (default: clamp(round(log2 n), 1, 10) for n documents)")
    g.add_argument("--min-shared", type=_positive_int, default=3, metavar="N",
                   help="leiden: terms two documents must share to be linked (default 3)")
    g.add_argument("--resolution", type=_positive_float, default=1.0, metavar="R",
                   help="leiden: modularity resolution; larger gives more, smaller groups (default 1)")
    g.add_argument("--date-column", default=None, metavar="NAME",
                   help="leiden, .jsonl/.csv/.parquet corpora: the field or column holding each document's date "
                        "(e.g. 2024-07-24); documents more than --date-window days apart are then never linked "
                        "directly. Off by default: on topic-labelled news it splits topics across weeks")
    g.add_argument("--date-window", type=_non_negative, default=None, metavar="DAYS",
                   help="with --date-column: the most days between two linked documents (default 7)")


def _build_parser() -> _Parser:
    from . import __version__

    parser = _Parser(prog="lexsim", description=_DESCRIPTION, epilog=_EXAMPLES, formatter_class=_FORMATTER)
    parser.add_argument("--version", action="version", version=f"lexsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)
    common = _common_options(with_path=True)

    p = _add_command(sub, "report", _cmd_report, "corpus summary, story groups, and each document's key terms "
                     "and nearest neighbours", _REPORT_EPILOG, _common_options(True, path_optional=True))
    _grouping_arguments(p)
    p.add_argument("--n", type=_positive_int, default=6, metavar="N", help="key terms per document and group (default 6)")
    p.add_argument("--k", type=_positive_int, default=2, metavar="K", help="neighbours per document (default 2)")
    _key_term_options(p)

    p = _add_command(sub, "similar", _cmd_similar, "each document's nearest neighbours by cosine similarity",
                     _SIMILAR_EPILOG, common)
    p.add_argument("--k", type=_positive_int, default=5, metavar="K", help="neighbours per document (default 5)")
    p.add_argument("--threshold", type=_cosine_floor, default=None, metavar="T",
                   help="keep only neighbours with cosine above T (default: all, up to K)")

    p = _add_command(sub, "pairs", _cmd_pairs, "every pair of documents with cosine similarity at or above a "
                     "threshold", _PAIRS_EPILOG, common)
    p.add_argument("--threshold", type=_cosine_threshold, default=0.2, metavar="T",
                   help="cosine in (0, 1] (default 0.2, as report's): 0.9 and above finds near-duplicates, "
                        "0.2-0.5 the same story")

    p = _add_command(sub, "groups", _cmd_groups, "story groups: communities of each document's nearest "
                     "neighbours (no threshold needed), or single linkage at a threshold", _GROUPS_EPILOG, common)
    _grouping_arguments(p)
    p.add_argument("--n", type=_positive_int, default=6, metavar="N", help="top terms per group (default 6)")
    _key_term_options(p)

    p = _add_command(sub, "terms", _cmd_terms, "each document's key terms", _TERMS_EPILOG, common)
    p.add_argument("--n", type=_positive_int, default=10, metavar="N", help="terms per document (default 10)")
    _key_term_options(p)

    p = _add_command(sub, "search", _cmd_search, "the documents that best match a query", _SEARCH_EPILOG, common)
    p.add_argument("query", metavar="QUERY", help="the query text, analysed like the documents")
    p.add_argument("--k", type=_positive_int, default=10, metavar="K", help="results (default 10)")
    p.add_argument("--index", metavar="INDEX",
                   help="search the index `lexsim index PATH -o INDEX` saved instead of indexing PATH again "
                        "(PATH is still read for the ids and the text around each hit, and must be the corpus "
                        "the index was built from; the analysis and scoring options come from the index)")
    _scoring_arguments(p)

    p = _add_command(sub, "explain", _cmd_explain, "why two documents match: their shared terms and what each "
                     "contributes to the cosine", _EXPLAIN_EPILOG, common)
    p.add_argument("id1", metavar="ID1", help="a document id, as read from the corpus")
    p.add_argument("id2", metavar="ID2", help="another document id")
    p.add_argument("--n", type=_positive_int, default=10, metavar="N", help="shared terms to list (default 10)")

    p = _add_command(sub, "fit", _cmd_fit, "fit the vectorizer on a corpus and save it as a model file",
                     _FIT_EPILOG, _common_options(True, with_model=False))
    p.add_argument("-o", "--output", required=True, metavar="MODEL", help="the model file to write")

    p = _add_command(sub, "index", _cmd_index, "index a corpus for `lexsim search --index` and save the index "
                     "(with its vectorizer) as a model file", _INDEX_EPILOG, common)
    p.add_argument("-o", "--output", required=True, metavar="INDEX", help="the index file to write")
    _scoring_arguments(p)
    return parser


# The scoring options of search and index. Their defaults are applied by _scoring(), so that
# `search --index` can tell what was given.
_SCORING_DEFAULTS: dict[str, Any] = {"scoring": "cosine", "bm25_method": "lucene", "k1": 1.2, "b": 0.75, "delta": 0.5}


def _scoring_arguments(p: argparse.ArgumentParser) -> None:
    g = p
    g.add_argument("--scoring", choices=("cosine", "bm25"), default=None,
                   help="cosine of TF-IDF vectors (default) or BM25 (--bm25-method)")
    g.add_argument("--bm25-method", choices=("lucene", "robertson", "atire", "bm25l", "bm25+"), default=None,
                   metavar="METHOD",
                   help="the BM25 variant, by bm25s's names: lucene (default; its idf is positive for every "
                        "term), robertson (idf 0 for terms in half the documents or more), atire, bm25l, bm25+")
    g.add_argument("--k1", type=_non_negative, default=None, help="BM25 term-frequency saturation (default 1.2)")
    g.add_argument("--b", type=_unit, default=None, help="BM25 length normalisation in [0, 1] (default 0.75)")
    g.add_argument("--delta", type=_non_negative, default=None,
                   help="bm25l and bm25+: the lower bound on a matched term's score (default 0.5)")


def _scoring(args: argparse.Namespace) -> dict[str, Any]:
    """The scoring options given, with their defaults."""
    return {name: default if getattr(args, name) is None else getattr(args, name)
            for name, default in _SCORING_DEFAULTS.items()}


def _key_term_options(p: _Parser) -> None:
    g = p.add_argument_group("key terms")
    g.add_argument("--scoring", choices=("keyness", "tfidf"), default="keyness",
                   help="keyness (default): log-likelihood G2 of each term's count against the background, "
                        "over-represented terms only; tfidf: the heaviest TF-IDF weights")
    g.add_argument("--background", default=None, metavar="BACKGROUND",
                   help="what keyness compares with: wordfreq (English word frequencies plus the other "
                        "documents), corpus (the other documents) or a MODEL file saved by `lexsim fit` "
                        "(its term counts); default wordfreq when installed, else corpus")


_SIMILAR_EPILOG = """\
JSON: [{"id": ID, "neighbors": [{"id": ID, "score": COSINE}, ...]}, ...]
  one object per document in corpus order; neighbours best first (ties: corpus order).
CSV:  id,rank,neighbor,score (one row per document and neighbour; rank starts at 1)."""

_PAIRS_EPILOG = """\
JSON: [{"id1": ID, "id2": ID, "score": COSINE}, ...]
  best first (ties: corpus order); id1 comes before id2 in the corpus.
CSV:  id1,id2,score"""

_GROUPS_EPILOG = """\
JSON: [{"label": INT, "size": INT, "representative": ID,
        "top_terms": [{"term": STR, "score": FLOAT, "count": INT}, ...], "members": [ID, ...]}, ...]
  every group, documents on their own included, largest first (label 0); members in corpus order;
  the representative is the member closest to the others; top terms are scored on the members'
  summed counts (see `lexsim terms --help`).
CSV:  label,size,representative,top_terms,member (one row per document; top terms joined by "; ")."""

_TERMS_EPILOG = """\
Keyness: G2 = 2 (a ln(a/E1) + b ln(b/E2)), E1 = c (a+b)/(c+B), E2 = B (a+b)/(c+B), with a the
term's count in the document, c the document's terms, b out of B its count in the background:
wordfreq = the other documents plus 100,000 tokens of English (wordfreq's frequencies, analysed
like the documents); corpus = the other documents; MODEL = the model's term totals (or document
frequencies when it has none). Only terms more frequent than in the background rank. Equal
scores: the higher count first, then the earlier first occurrence in the document.
JSON: [{"id": ID, "terms": [{"term": STR, "score": FLOAT, "count": INT}, ...]}, ...]
  one object per document in corpus order; best first.
CSV:  id,rank,term,score,count"""

_SEARCH_EPILOG = """\
JSON: [{"id": ID, "score": FLOAT, "snippet": STR}, ...]   best first.
CSV:  rank,id,score,snippet
The snippet is the text around the query's terms, matched words marked «like this» (bold on a
terminal). Query terms not in the vocabulary are named on stderr. With --scoring bm25 the scores
are BM25 scores, not cosines."""

_INDEX_EPILOG = """\
The index file holds the vectorizer fitted on PATH (or --model's) and the index of PATH's
documents, in lexsim's model format (see lexsim.SearchIndex.save), with a fingerprint of the
corpus: `lexsim search PATH QUERY --index INDEX` then searches without fitting or indexing again,
and refuses a PATH that is not the corpus indexed. The scoring options are fixed by the index.
JSON: {"index": PATH, "documents": INT, "terms": INT, "scoring": "cosine" or "bm25", "method": STR or null}
CSV:  index,documents,terms,scoring,method"""

_EXPLAIN_EPILOG = """\
JSON: {"id1": ID, "id2": ID, "similarity": COSINE, "n_shared": INT,
       "terms": [{"term": STR, "contribution": FLOAT, "weight1": FLOAT, "weight2": FLOAT}, ...]}
  contribution = weight1 * weight2 (weights in the L2-normalised rows); the contributions of all
  shared terms add up to the similarity.
CSV:  term,contribution,share,weight1,weight2 (share = contribution / similarity; the table shows
      it as a percentage)"""

_REPORT_EPILOG = """\
Without PATH, runs on the built-in sample corpus (30 short news articles on 6 stories).
JSON: {"corpus": {"source": STR, "documents": INT, "bytes": INT, "terms": INT, "options": {...}},
       "threshold": FLOAT or null,
       "grouping": {"method": "leiden" or "single", "n_neighbors": INT, "min_shared": INT, "resolution": FLOAT,
                    "n_links": INT, "modularity": FLOAT, ..., "description": STR},
       "groups": [...as `lexsim groups`...],
       "key_terms": {"scoring": STR, "background": STR or null},
       "documents": [{"id": ID, "group": LABEL, "terms": [{"term": STR, "score": FLOAT, "count": INT}, ...],
                      "neighbors": [{"id": ID, "score": COSINE}, ...]}, ...]}
CSV:  id,group,terms,neighbors (one row per document; terms joined by "; ", neighbors as
      "ID SCORE" joined by "; ")."""

_FIT_EPILOG = """\
The model file holds the vectorizer's options, terms, document frequencies and idf, in lexsim's
versioned, checksummed binary format (the same as Python's vectorizer.save and C++'s lexsim::save);
loading it never runs code (see lexsim.model). `--model MODEL` on the other commands
transforms their corpus with it instead of fitting afresh.
JSON: {"model": PATH, "documents": INT, "terms": INT, "options": {...}}
CSV:  model,documents,terms"""


# ============================================================================ progress on stderr


class _Progress:
    """A one-line progress display on stderr, only when stderr is a terminal.

    ``bar`` draws a counted bar (files read); ``step`` shows a label and the elapsed time while one
    long call runs (the C++ core releases the GIL, so a small thread can keep the time ticking).
    """

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.enabled = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.enabled = False
        self._last = 0.0
        self._lock = threading.Lock()
        self._shown = False

    def _draw(self, text: str) -> None:
        with self._lock:
            width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
            self.stream.write("\r" + _cut(text, width) + "\x1b[K")
            self.stream.flush()
            self._shown = True

    def clear(self) -> None:
        if self.enabled and self._shown:
            with self._lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self._shown = False

    def bar(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:  # at most ten redraws a second
            return
        self._last = now
        filled = int(30 * done / total) if total else 30
        self._draw(f"lexsim: {label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        if done >= total:
            self.clear()

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        stop = threading.Event()
        start = time.monotonic()

        def tick() -> None:
            # Quick steps show nothing: the line appears only after a quarter of a second.
            while not stop.wait(0.25 if not self._shown else 0.1):
                self._draw(f"lexsim: {label}... {time.monotonic() - start:.1f}s")

        thread = threading.Thread(target=tick, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            self.clear()


# ============================================================================ output


# wcwidth (optional) gives the most exact display widths (emoji sequences, new wide characters).
# It takes longer to import than lexsim itself, so it is imported when a width is first needed:
# the module global _wcswidth is set then (None without wcwidth), and read through __getattr__
# before.
def _wcswidth_function() -> Optional[Callable[[str], int]]:
    function = globals().get("_wcswidth", _wcswidth_function)
    if function is _wcswidth_function:
        try:
            from wcwidth import wcswidth as function
        except ImportError:  # pragma: no cover - depends on the environment
            function = None
        globals()["_wcswidth"] = function
    return function  # type: ignore[return-value]


def __getattr__(name: str) -> Any:
    if name == "_wcswidth":
        return _wcswidth_function()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _char_width(c: str) -> int:
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def _regional(c: str) -> bool:
    return "\U0001f1e6" <= c <= "\U0001f1ff"


def _extends(c: str) -> bool:
    """``c`` belongs to the character before it on screen: a combining mark, a variation selector,
    a zero-width joiner or an emoji skin-tone modifier."""
    return (unicodedata.combining(c) != 0 or unicodedata.category(c) in ("Mn", "Me", "Cf")
            or "\U0001f3fb" <= c <= "\U0001f3ff")


def _clusters(text: str) -> list:
    """``text`` split into what a terminal draws as one character: a base with its combining marks
    and modifiers, an emoji ZWJ sequence, a flag (two regional indicators)."""
    out: list = []
    for c in text:
        if out and (_extends(c) or out[-1][-1] == "\u200d"
                    or (_regional(c) and len(out[-1]) == 1 and _regional(out[-1]))):
            out[-1] += c
        else:
            out.append(c)
    return out


def _cluster_width(cluster: str) -> int:
    wcswidth = _wcswidth_function()
    if wcswidth is not None:
        w = wcswidth(cluster)
        if w >= 0:
            return int(w)
    # unicodedata alone: the base character's width; a flag or an emoji presentation is 2.
    if len(cluster) > 1 and (_regional(cluster[0]) or "\ufe0f" in cluster):
        return 2
    return _char_width(cluster[0])


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: wcwidth's count when it is installed, else unicodedata's."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(_cluster_width(g) for g in _clusters(text))


def _cut(text: str, width: Optional[int]) -> str:
    """``text`` in at most ``width`` terminal columns, ending in an ellipsis when it was cut;
    ``width=None``: never cut."""
    if width is None or _width(text) <= width:
        return text
    out, used = [], 0
    for g in _clusters(text):
        w = _cluster_width(g)
        if used + w > width - 1:
            break
        out.append(g)
        used += w
    return "".join(out) + "…"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = (),
           flexible: Sequence[int] = (), width: Optional[int] = 100, indent: str = "") -> list[str]:
    """Aligned columns, two spaces apart, fitting in ``width`` columns by cutting the ``flexible``
    columns (first listed, first cut) with an ellipsis; ``width=None``: nothing is cut."""
    n = len(headers)
    cells = [[_one_line(str(c)) for c in row] for row in rows]
    widths = [max([_width(headers[i])] + [_width(r[i]) for r in cells]) for i in range(n)]
    excess = sum(widths) + 2 * (n - 1) + len(indent) - width if width is not None else 0
    for i in flexible:
        if excess <= 0:
            break
        floor = max(_width(headers[i]), 8)
        cut = min(excess, max(0, widths[i] - floor))
        widths[i] -= cut
        excess -= cut
    lines = []
    for row in [list(headers)] + cells:
        parts = [_pad(_cut(c, widths[i]), widths[i], i in right) for i, c in enumerate(row)]
        lines.append((indent + "  ".join(parts)).rstrip())
    return lines


def _stdout_is_terminal() -> bool:
    try:
        return bool(sys.stdout.isatty())
    except (AttributeError, ValueError):
        return False


def _terminal_width() -> Optional[int]:
    """The terminal's width (at least 60; $COLUMNS overrides it) when stdout is a terminal; None when
    it is piped or captured, where nothing is cut."""
    if not _stdout_is_terminal():
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 40:
        return int(columns)
    return max(60, shutil.get_terminal_size((100, 24)).columns)


def _print_lines(lines: Sequence[str]) -> None:
    sys.stdout.write("".join(line + "\n" for line in lines))


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _print_csv(header: Sequence[str], rows: Iterator[Sequence[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def _score(value: float) -> str:
    return f"{value:.3f}"


# ============================================================================ corpus and model


@dataclass
class _Corpus:
    ids: list
    texts: list
    vectorizer: Any
    X: Any
    source: str
    noun: str  # "documents", or "articles" for the sample
    model: Optional[str]

    def index(self, doc_id: str) -> int:
        lookup = {d: i for i, d in enumerate(self.ids)}
        if doc_id not in lookup:
            examples = ", ".join(repr(d) for d in self.ids[:3])
            raise CommandError(f"unknown document id {doc_id!r} (ids look like: {examples})")
        return lookup[doc_id]


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


def _read(args: argparse.Namespace, progress: _Progress) -> tuple[list, list, str, str]:
    from .corpus import CorpusDecodeError, read_corpus

    if args.path is None:  # `lexsim report` alone: the built-in sample
        from .datasets import load_sample

        articles = load_sample()
        return [a.id for a in articles], [a.title + "\n" + a.text for a in articles], "lexsim sample corpus", "articles"
    try:
        ids, texts = read_corpus(
            args.path, text_column=args.text_column, id_column=args.id_column, encoding=args.encoding,
            decode_error=args.decode_error, progress=lambda done, total: progress.bar("reading", done, total),
        )
    except CorpusDecodeError as e:
        raise CommandError(f"{e}; --decode-error replace (or ignore) reads it anyway") from None
    except ImportError as e:  # a .parquet file without pyarrow: the message says what to install
        raise CommandError(str(e)) from None
    return ids, texts, args.path, "documents"


def _load(args: argparse.Namespace, progress: _Progress) -> _Corpus:
    from .vectorizers import TfidfVectorizer

    model = getattr(args, "model", None)
    if model is not None:
        _check_model_options(args)
        vec = _load_model(model)
    ids, texts, source, noun = _read(args, progress)
    if model is not None:
        vec.set_params(n_jobs=_jobs_param(args))
        with progress.step("transforming"):
            X = vec.transform(texts)
    else:
        vec = TfidfVectorizer(**_vectorizer_params(args), n_jobs=_jobs_param(args))
        with progress.step("fitting TF-IDF"):
            try:
                X = vec.fit_transform(texts)
            except ValueError as e:
                raise CommandError(_as_options(str(e))) from None
    return _Corpus(ids, texts, vec, X, source, noun, model)


def _as_options(message: str) -> str:
    """A library message about min_df or max_df, in the command's option names."""
    message = message.replace(" (max_df corresponds to < documents than min_df)", "")
    message = re.sub(r"\b(min|max)_df=", lambda m: f"--{m.group(1)}-df ", message)
    return re.sub(r"\b(min|max)_df\b", lambda m: f"--{m.group(1)}-df", message)


def _load_model(path: str) -> Any:
    from .model import load
    from .vectorizers import TfidfVectorizer

    try:
        vec = load(path)
    except ValueError as e:  # lexsim.ModelFormatError: the message names the file and the reason
        raise CommandError(str(e)) from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a folder, not a model file") from None
    except OSError as e:
        raise CommandError(e.strerror or str(e)) from None
    if not isinstance(vec, TfidfVectorizer):
        raise CommandError(f"{path}: a {type(vec).__name__} model; the lexsim commands need a TfidfVectorizer "
                           "model, as `lexsim fit` saves")
    return vec


def _describe(params: dict[str, Any]) -> str:
    """The analysis in words, for people: what differs from scikit-learn's defaults."""
    words = []
    accents = {"unicode": "accents folded", "ascii": "accents stripped to ASCII"}
    if params.get("normalization"):
        words.append(params["normalization"])
    if params.get("casefold"):
        words.append("case folded")
    if params.get("stemmer"):
        words.append(f"{params['stemmer']} stems")
    elif not params.get("lowercase", True):
        words.append("case kept")
    if params.get("strip_accents") in accents:
        words.append(accents[params["strip_accents"]])
    stop = params.get("stop_words")
    if stop == "english":
        words.append("English stop words")
    elif stop:
        words.append(f"{len(stop)} stop words")
    if params.get("analyzer", "word") != "word":
        words.append(f"{params['analyzer']} n-grams")
    ngram = tuple(params.get("ngram_range", (1, 1)))
    if ngram != (1, 1):
        words.append(f"{ngram[0]}-{ngram[1]}-grams")
    if params.get("token_pattern") == ANALYST_TOKEN_PATTERN:
        words.append("3+ character words, no numbers")
    elif params.get("token_pattern") not in (None, _DEFAULT_TOKEN_PATTERN):
        words.append(f"tokens {params['token_pattern']}")
    for name, default in (("min_df", 1), ("max_df", 1.0), ("max_features", None)):
        if params.get(name, default) != default:
            words.append(f"{name} {params[name]}")
    if params.get("binary"):
        words.append("binary tf")
    if params.get("sublinear_tf"):
        words.append("sublinear tf")
    if not params.get("use_idf", True):
        words.append("no idf")
    elif not params.get("smooth_idf", True):
        words.append("unsmoothed idf")
    if params.get("norm", "l2") != "l2":
        words.append(f"{params['norm'] or 'no'} norm")
    if np.dtype(params.get("dtype", np.float64)) != np.float64:
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


def _ranked(row_indices: np.ndarray, row_data: np.ndarray) -> list:
    """(column, value) of one sparse row, largest value first (ties: the lower column)."""
    order = np.lexsort((row_indices, -row_data))
    return [(int(row_indices[o]), float(row_data[o])) for o in order]


def _neighbors(c: _Corpus, k: int, threshold: Optional[float], jobs: Optional[int],
               progress: _Progress) -> list:
    from .similarity import top_k

    with progress.step("finding neighbours"):
        nn = top_k(c.X, k=k, threshold=threshold, n_jobs=jobs)
    return [
        [(c.ids[j], s) for j, s in _ranked(nn.indices[nn.indptr[i]:nn.indptr[i + 1]], nn.data[nn.indptr[i]:nn.indptr[i + 1]])]
        for i in range(len(c.ids))
    ]


def _grouping_json(groups: Any) -> dict:
    """How the groups were formed: the method, every parameter used or derived, in words too."""
    params = {k: (float(v) if isinstance(v, float) else v) for k, v in groups.params.items()}
    return {"method": groups.method, **params, "description": groups.describe()}


def _wrapped_text(label: str, text: str, width: Optional[int]) -> list:
    """``label`` + text, wrapped at spaces to ``width`` on a terminal, else at 100 columns (never cut)."""
    if width is None:
        width = 100
    lines, current = [], label
    for word in text.split(" "):
        if _width(current) + 1 + _width(word) > width and current.strip():
            lines.append(current.rstrip())
            current = " " * len(label) + word
        else:
            current = current + ("" if current.endswith(" ") else " ") + word
    lines.append(current.rstrip())
    return lines


def _groups_json(c: _Corpus, groups: Any, top: Optional[list] = None) -> list:
    """``top``: each group's key terms (from _key_terms), in the groups' order."""
    return [
        {
            "label": int(g.label),
            "size": len(g),
            "representative": c.ids[g.representative],
            "top_terms": ([{"term": str(t), "weight": float(w)} for t, w in g.top_terms] if top is None
                          else _terms_json(top[k])),
            "members": [c.ids[m] for m in g.members.tolist()],
        }
        for k, g in enumerate(groups)
    ]


def _terms_json(terms: list) -> list:
    return [{"term": t.term, "score": t.score, "count": t.raw_count} for t in terms]


def _default_background() -> str:
    import importlib.util

    return "wordfreq" if importlib.util.find_spec("wordfreq") is not None else "corpus"


def _key_terms(args: argparse.Namespace, c: _Corpus, n: int, groups: Any = None) -> tuple[list, dict]:
    """Key terms of each document (or of each group's members) as the options say, and how they
    were scored: {"scoring": ..., "background": ...}."""
    from .keyterms import Background, key_terms

    members = None if groups is None else [g.members for g in groups]
    vec, X = c.vectorizer, c.X
    if args.scoring == "tfidf":
        if args.background is not None:
            raise CommandError("--background applies to --scoring keyness only")
        ranked = key_terms(vec, c.texts, n, scoring="tfidf", X=X, groups=members)
        return ranked, {"scoring": "tfidf", "background": None}
    name = args.background or _default_background()
    if name == "corpus":
        bg = Background.corpus()
    elif name == "wordfreq":
        try:
            bg = Background.wordfreq(vec)
        except ImportError:
            raise CommandError("--background wordfreq needs the wordfreq package (pip install 'lexsim[wordfreq]'); "
                               "--background corpus needs nothing") from None
    else:
        bg = Background.from_model(_load_model(name), name=name)
    ranked = key_terms(vec, c.texts, n, background=bg, groups=members)
    return ranked, {"scoring": "keyness", "background": bg.name}


def _scoring_line(how: dict) -> str:
    if how["scoring"] == "tfidf":
        return "key terms by TF-IDF weight, ties to the higher count, then the earlier first occurrence"
    return f"key terms by keyness (G2) against {how['background']}"


def _wrapped_ids(label: str, ids: Sequence[str], width: Optional[int], max_lines: int = 3) -> list:
    """``label a, b, c`` wrapped to ``width``, at most ``max_lines`` lines, then a count of the rest;
    ``width=None`` (not a terminal): wrapped at 100 columns, every id shown."""
    if width is None:
        width, max_lines = 100, len(ids) + 1
    lines: list[str] = []
    current, shown = label, 0
    for n, doc_id in enumerate(ids):
        piece = doc_id + (", " if n < len(ids) - 1 else "")
        if _width(current) + _width(piece.rstrip()) > width and current.strip():
            if len(lines) + 1 == max_lines:
                break
            lines.append(current.rstrip())
            current = " " * len(label)
        current += piece
        shown += 1
    rest = len(ids) - shown
    if rest:
        current = current.rstrip() + f" … and {rest} more"
    lines.append(current.rstrip())
    return lines


# ============================================================================ commands


def _cmd_similar(args: argparse.Namespace, progress: _Progress) -> int:
    c = _load(args, progress)
    neighbors = _neighbors(c, args.k, args.threshold, _jobs_param(args), progress)
    if args.format == "json":
        _print_json([{"id": d, "neighbors": [{"id": j, "score": s} for j, s in nb]} for d, nb in zip(c.ids, neighbors)])
    elif args.format == "csv":
        _print_csv(["id", "rank", "neighbor", "score"],
                   ((d, r, j, s) for d, nb in zip(c.ids, neighbors) for r, (j, s) in enumerate(nb, 1)))
    else:
        rows = []
        for d, nb in zip(c.ids, neighbors):
            if not nb:
                rows.append([d, "(none)", ""])
            for r, (j, s) in enumerate(nb):
                rows.append([d if r == 0 else "", j, _score(s)])
        _print_lines(_table(["document", "neighbour", "score"], rows, right=(2,), flexible=(1, 0),
                            width=_terminal_width()))
    return 0


def _cmd_pairs(args: argparse.Namespace, progress: _Progress) -> int:
    from .similarity import similar_pairs

    c = _load(args, progress)
    with progress.step("finding pairs"):
        rows, cols, scores = similar_pairs(c.X, args.threshold, n_jobs=_jobs_param(args))
    # Best first for people and tools alike; similar_pairs gives (row, col) order, kept for ties.
    order = np.lexsort((cols, rows, -scores))
    pairs = [(c.ids[int(rows[o])], c.ids[int(cols[o])], float(scores[o])) for o in order]
    if args.format == "json":
        _print_json([{"id1": a, "id2": b, "score": s} for a, b, s in pairs])
    elif args.format == "csv":
        _print_csv(["id1", "id2", "score"], iter(pairs))
    else:
        lines = _table(["score", "document 1", "document 2"], [[_score(s), a, b] for a, b, s in pairs],
                       right=(0,), flexible=(2, 1), width=_terminal_width())
        lines.append(f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''} with cosine >= {args.threshold:g} "
                     f"among {len(c.ids)} {c.noun}")
        _print_lines(lines)
    return 0


def _cmd_groups(args: argparse.Namespace, progress: _Progress) -> int:
    from .similarity import group

    c = _load(args, progress)
    with progress.step("grouping"):
        groups = _group(c, args, _jobs_param(args))
    with progress.step("scoring key terms"):
        top, how = _key_terms(args, c, args.n, groups=groups)
    data = _groups_json(c, groups, top)
    if args.format == "json":
        _print_json(data)
    elif args.format == "csv":
        _print_csv(["label", "size", "representative", "top_terms", "member"],
                   ((g["label"], g["size"], g["representative"], "; ".join(t["term"] for t in g["top_terms"]), m)
                    for g in data for m in g["members"]))
    else:
        width = _terminal_width()
        _print_lines([_cut(_scoring_line(how), width)] + _groups_table(c, data, groups.describe(), width, members=True))
    return 0


def _group(c: _Corpus, args: argparse.Namespace, jobs: Optional[int]) -> Any:
    """lexsim.group with the command's story-group options (dates read when asked for)."""
    from .similarity import group

    if args.date_window is not None and args.date_column is None:
        raise CommandError("--date-window needs --date-column (the field or column with the dates)")
    dates = None
    if args.date_column is not None:
        if args.method == "single":
            raise CommandError("--date-column works with --method leiden; single linkage ignores dates")
        dates = _read_dates(args, c)
    return group(c.X, args.threshold, method=args.method, vectorizer=c.vectorizer, n_terms=args.n, n_jobs=jobs,
                 n_neighbors=args.n_neighbors, min_shared=args.min_shared, resolution=args.resolution,
                 dates=dates, date_window=args.date_window)


def _read_dates(args: argparse.Namespace, c: _Corpus) -> list:
    """The --date-column values of a .jsonl, .csv or .parquet corpus, in corpus order (None where missing)."""
    path = pathlib.Path(args.path) if getattr(args, "path", None) is not None else None
    suffix = path.suffix.lower() if path is not None and path.is_file() else ""
    if path is None or suffix not in (".jsonl", ".csv", ".parquet"):
        raise CommandError("--date-column needs a .jsonl, .csv or .parquet corpus (a folder of text files has no dates)")
    name = args.date_column
    if suffix == ".parquet":
        import pyarrow.parquet as pq  # the corpus was read, so pyarrow is there

        names = list(pq.ParquetFile(path).schema_arrow.names)
        if name not in names:
            raise CommandError(f"{path}: no column {name!r} (columns: {', '.join(map(repr, names))})")
        # date and timestamp columns become datetime objects, strings stay strings: group() reads both
        values: list = pq.read_table(path, columns=[name]).column(0).to_pylist()
        if len(values) != len(c.ids):
            raise CommandError(f"{path}: read {len(values)} dates for {len(c.ids)} documents (--date-column {name})")
        return values
    text = path.read_text(encoding=args.encoding, errors=args.decode_error)
    dates: list = []
    if suffix == ".jsonl":
        for line in text.splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            value = record.get(name) if isinstance(record, dict) else None
            dates.append(None if value is None else str(value) if not isinstance(value, (int, float)) else value)
        if all(d is None for d in dates):
            raise CommandError(f"{path}: no {name!r} field in any record (--date-column)")
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        if name not in header:
            raise CommandError(f"{path}: no column {name!r} (columns: {', '.join(map(repr, header))})")
        at = header.index(name)
        dates = [row[at] if at < len(row) else None for row in reader if row]
    if len(dates) != len(c.ids):
        raise CommandError(f"{path}: read {len(dates)} dates for {len(c.ids)} documents (--date-column {name})")
    return dates


def _groups_table(c: _Corpus, data: list, how: str, width: Optional[int], members: bool) -> list:
    big = [g for g in data if g["size"] >= 2]
    alone = [g["members"][0] for g in data if g["size"] == 1]
    lines = [_cut(f"{len(big)} group{'s' if len(big) != 1 else ''} of 2 or more {c.noun}; {len(alone)} on their own",
                  width)]
    lines.extend(_wrapped_text("  by ", how, width))
    if big:
        lines.append("")
        rows = [[str(g["label"]), str(g["size"]), g["representative"], ", ".join(t["term"] for t in g["top_terms"])]
                for g in big]
        table = _table(["group", "size", "representative", "top terms"], rows, right=(0, 1), flexible=(3, 2),
                       width=width, indent="  ")
        if not members:
            lines.extend(table)
        else:
            lines.append(table[0])
            for g, line in zip(big, table[1:]):
                lines.append(line)
                lines.extend(_wrapped_ids("      members: ", g["members"], width))
    if alone and members:
        lines.append("")
        lines.extend(_wrapped_ids("on their own: ", alone, width))
    return lines


def _cmd_terms(args: argparse.Namespace, progress: _Progress) -> int:
    c = _load(args, progress)
    with progress.step("scoring key terms"):
        terms, how = _key_terms(args, c, args.n)
    if args.format == "json":
        _print_json([{"id": d, "terms": _terms_json(ts)} for d, ts in zip(c.ids, terms)])
    elif args.format == "csv":
        _print_csv(["id", "rank", "term", "score", "count"],
                   ((d, r, t.term, t.score, t.raw_count) for d, ts in zip(c.ids, terms) for r, t in enumerate(ts, 1)))
    else:
        width = _terminal_width()
        rows = [[d, ", ".join(t.term for t in ts) or "(no terms)"] for d, ts in zip(c.ids, terms)]
        _print_lines([_cut(_scoring_line(how), width), ""] +
                     _table(["document", "terms"], rows, flexible=(1, 0), width=width))
    return 0


def _cmd_search(args: argparse.Namespace, progress: _Progress) -> int:
    try:
        from .search import SearchIndex  # noqa: F401
    except ImportError:
        raise CommandError("this lexsim has no search index (lexsim.SearchIndex); the search command "
                           "needs a newer lexsim") from None
    if args.index is not None:
        c, index = _load_index(args, progress)
        scoring, method = index.scoring, index.method
    else:
        c = _load(args, progress)
        with progress.step("indexing"):
            index = _build_index(c, args)
        scoring, method = _scoring(args)["scoring"], _scoring(args)["bm25_method"]
    bm25 = scoring == "bm25"
    with progress.step("searching"):
        found = index.search(args.query, k=args.k)
    analysed = hasattr(found, "terms")  # the index says what the query's terms were
    terms = tuple(getattr(found, "terms", ()))
    unknown = tuple(getattr(found, "unknown_terms", ()))
    table = args.format == "table"
    if unknown and (found or not table or len(unknown) < len(terms)):  # else the message below names them
        sys.stderr.write(f"lexsim: note: not in the vocabulary: {', '.join(unknown)}\n")
    bold = table and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    marks = (_MARK_ON, _MARK_OFF) if bold else ("«", "»")
    analyze = _word_analyzer(c.vectorizer)
    wanted = set(terms)
    hits = [(int(i), c.ids[int(i)], float(s)) for i, s in found]
    if not hits:
        why = _why_nothing_matches(terms, unknown, bm25 and method == "robertson", c.noun) if analysed else ""
        if table:
            _print_lines([f"no {c.noun} match {args.query!r}{why}"])
            return 0
        if why:
            sys.stderr.write(f"lexsim: note: no {c.noun} match{why}\n")
    if args.format == "json":
        _print_json([{"id": d, "score": s, "snippet": _snippet(c.texts[i], wanted, analyze, _SNIPPET_WIDTH, marks)}
                     for i, d, s in hits])
    elif args.format == "csv":
        _print_csv(["rank", "id", "score", "snippet"],
                   ((r, d, s, _snippet(c.texts[i], wanted, analyze, _SNIPPET_WIDTH, marks))
                    for r, (i, d, s) in enumerate(hits, 1)))
    else:
        width = _terminal_width()
        fixed = [max(4, len(str(len(hits)))), max(5, *(len(_score(s)) for _, _, s in hits)),
                 max(8, *(_width(d) for _, d, _ in hits))]
        # Piped: the snippet as long as JSON/CSV give it (nothing is cut, but it stays a snippet).
        room = _SNIPPET_WIDTH if width is None else max(30, width - sum(fixed) - 2 * len(fixed))
        rows = [[str(r), _score(s), d, _snippet(c.texts[i], wanted, analyze, room, marks)]
                for r, (i, d, s) in enumerate(hits, 1)]
        lines = _table(["rank", "score", "document", "text"], rows, right=(0, 1), flexible=(3, 2), width=width)
        if bold:
            lines = [line.replace(_MARK_ON, "\033[1m").replace(_MARK_OFF, "\033[0m") for line in lines]
        _print_lines(lines)
    return 0


def _build_index(c: _Corpus, args: argparse.Namespace) -> Any:
    from .search import SearchIndex

    o = _scoring(args)
    options: dict[str, Any] = {"scoring": o["scoring"], "k1": o["k1"], "b": o["b"], "n_jobs": _jobs_param(args)}
    bm25 = o["scoring"] == "bm25"
    if bm25:
        options.update(method=o["bm25_method"], delta=o["delta"])
    # BM25 weighs raw term counts, so it indexes the texts; cosine uses the TF-IDF matrix.
    return SearchIndex(c.vectorizer, None if bm25 else c.X, documents=c.texts if bm25 else None, **options)


def _fingerprint(ids: list, texts: list) -> str:
    """A digest of the corpus (ids and texts, in order): an index knows the corpus it was built from."""
    h = hashlib.blake2b(digest_size=16)
    for value in (*ids, *texts):
        data = str(value).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _cmd_index(args: argparse.Namespace, progress: _Progress) -> int:
    c = _load(args, progress)
    with progress.step("indexing"):
        index = _build_index(c, args)
    index._info = {"cli": {"documents": len(c.ids), "fingerprint": _fingerprint(c.ids, c.texts)}}
    with progress.step("saving"):
        index.save(args.output)
    n_terms = len(c.vectorizer.get_feature_names_out())
    how = index.scoring if index.method is None else f"{index.scoring} ({index.method})"
    if args.format == "json":
        _print_json({"index": args.output, "documents": len(c.ids), "terms": n_terms, "scoring": index.scoring,
                     "method": index.method})
    elif args.format == "csv":
        _print_csv(["index", "documents", "terms", "scoring", "method"],
                   iter([(args.output, len(c.ids), n_terms, index.scoring, index.method or "")]))
    else:
        _print_lines([f"saved {args.output}: a {how} index of {len(c.ids)} {c.noun}, {n_terms} terms "
                      f"({_describe(c.vectorizer.get_params())})"])
    return 0


def _load_index(args: argparse.Namespace, progress: _Progress) -> tuple[_Corpus, Any]:
    """The corpus and the index saved for it (`search --index`)."""
    from .search import SearchIndex

    given = [f"--{name.replace('_', '-')}" for name in _SCORING_DEFAULTS if getattr(args, name) is not None]
    if getattr(args, "model", None) is not None:
        given.insert(0, "--model")
    if given:
        raise CommandError(f"--index fixes the scoring and the analysis; leave out {given[0]}")
    try:
        _check_model_options(args)
    except CommandError as e:
        raise CommandError(str(e).replace("--model", "--index")) from None
    path = args.index
    with progress.step("loading the index"):
        try:
            index = SearchIndex.load(path, mmap=True)  # only the postings a query reads are read
        except ValueError as e:  # lexsim.ModelFormatError: the message names the file and the reason
            raise CommandError(str(e)) from None
        except IsADirectoryError:
            raise CommandError(f"{path}: is a folder, not an index file") from None
        except OSError as e:
            raise CommandError(e.strerror or str(e)) from None
    ids, texts, source, noun = _read(args, progress)
    saved = index._info.get("cli") if isinstance(index._info, dict) else None
    if not isinstance(saved, dict) or "fingerprint" not in saved:
        raise CommandError(f"{path}: an index saved without the fingerprint of its corpus; `lexsim index PATH -o "
                           f"{path}` saves one that search --index can check PATH against")
    if saved.get("documents") != len(ids) or saved["fingerprint"] != _fingerprint(ids, texts):
        raise CommandError(f"{path} indexes another corpus than {args.path} ({saved.get('documents')} documents, not "
                           f"{len(ids)} with these ids and texts): index it again with `lexsim index {args.path} -o {path}`")
    index.vectorizer.set_params(n_jobs=_jobs_param(args))
    return _Corpus(ids, texts, index.vectorizer, None, source, noun, path), index


# Stand-ins for the bold on/off escapes while the table measures its cells (private-use characters,
# one column wide, as the escapes' text is not); replaced once the lines are laid out.
_MARK_ON, _MARK_OFF = "\ue000", "\ue001"
# Snippet length, in columns, in JSON and CSV output.
_SNIPPET_WIDTH = 160
# A word of the original text: letters, digits and underscores with any combining marks among them.
_WORD_SPAN = re.compile(r"(?:\w|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")


def _why_nothing_matches(terms: tuple, unknown: tuple, robertson: bool, noun: str) -> str:
    """Why a search found nothing, as ": ..." to follow "no documents match QUERY"."""
    known = [t for t in terms if t not in set(unknown)]
    if not terms:
        return ": it has no terms after analysis (only stop words, or words too short)"
    if not known:
        return f": none of its terms is in the vocabulary ({', '.join(unknown)})"
    if robertson:
        return (f": its terms ({', '.join(known)}) are each in half the {noun} or more, where robertson's idf "
                "is 0; --bm25-method lucene counts them")
    return f": no {noun[:-1] if noun.endswith('s') else noun} holds its terms ({', '.join(known)})"


def _word_analyzer(vectorizer: Any) -> Optional[Callable[[str], list]]:
    """The vectorizer's analyzer when it makes word terms (so that one word of the text can be
    analysed alone), else None (character n-grams: snippets then mark nothing)."""
    get_params = getattr(vectorizer, "get_params", None)
    build = getattr(vectorizer, "build_analyzer", None)
    if not callable(build) or not callable(get_params) or get_params().get("analyzer", "word") != "word":
        return None
    return build()


def _snippet(text: str, terms: set, analyze: Optional[Callable[[str], list]], width: int,
             marks: tuple[str, str]) -> str:
    """About ``width`` columns of ``text`` around the words whose analysed terms are among the
    query's ``terms``, those words wrapped in ``marks``, whitespace collapsed; the text's start
    when no word matches."""
    matched: list[tuple[int, int, str]] = []  # (start, end, term) of each matched word
    if analyze is not None and terms:
        seen: dict[str, Optional[str]] = {}
        for m in _WORD_SPAN.finditer(text):
            word = m.group()
            if word not in seen:
                seen[word] = next((str(t) for t in analyze(word) if str(t) in terms), None)
            term = seen[word]
            if term is not None:
                matched.append((m.start(), m.end(), term))
    if not matched:
        return _cut(_one_line(text), width)
    # The window (about width characters, starting a quarter of it before a matched word) that
    # holds the most distinct terms; the earliest among equals. It starts at a word's beginning.
    lead = width // 4
    best, best_count = 0, -1
    for s0, _, _ in matched:
        start = max(0, s0 - lead)
        count = len({t for s, e, t in matched if s >= start and e <= start + width})
        if count > best_count:
            best, best_count = start, count
    start = best
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    prefix = "…" if start > 0 else ""
    budget = width - len(prefix)
    mark_width = _width(marks[0]) + _width(marks[1])
    out, used, pos = [prefix], len(prefix), start
    for s, e, _ in matched:
        if s < pos:
            continue
        plain = _WHITESPACE.sub(" ", text[pos:s])
        if pos == start:
            plain = plain.lstrip()
        word = text[s:e]
        need = _width(plain) + _width(word) + mark_width
        if used + need > budget - 1:  # room for a closing ellipsis
            break
        out.append(plain + marks[0] + word + marks[1])
        used += need
        pos = e
    tail = _WHITESPACE.sub(" ", text[pos:]).rstrip()
    if pos == start:
        tail = tail.lstrip()
    if used + _width(tail) <= budget:
        return "".join(out) + tail
    cut = _cut(tail, max(1, budget - used))[:-1]
    if cut and not tail[len(cut)].isspace():  # end at a word: drop the one cut in two
        cut = cut[:max(0, cut.rfind(" "))]
    return "".join(out) + cut.rstrip() + "…"


_WHITESPACE = re.compile(r"\s+")


def _cmd_explain(args: argparse.Namespace, progress: _Progress) -> int:
    from .similarity import explain

    c = _load(args, progress)
    i, j = c.index(args.id1), c.index(args.id2)
    why = explain(c.vectorizer, c.X, i, j, n=args.n)
    terms = [(str(t), float(x), float(a), float(b)) for t, x, a, b in why.terms]
    if args.format == "json":
        _print_json({"id1": args.id1, "id2": args.id2, "similarity": float(why.similarity), "n_shared": int(why.n_shared),
                     "terms": [{"term": t, "contribution": x, "weight1": a, "weight2": b} for t, x, a, b in terms]})
    elif args.format == "csv":
        total = why.similarity if why.similarity > 0 else 1.0
        _print_csv(["term", "contribution", "share", "weight1", "weight2"],
                   ((t, x, x / total, a, b) for t, x, a, b in terms))
    else:
        width = _terminal_width()
        shown = f", {len(terms)} shown" if len(terms) < why.n_shared else ""
        lines = [_cut(f"{args.id1} and {args.id2}: cosine {_score(why.similarity)}, "
                      f"{why.n_shared} shared term{'s' if why.n_shared != 1 else ''}{shown}", width)]
        if terms:
            total = why.similarity if why.similarity > 0 else 1.0
            rows = [[t, _score(x), f"{100 * x / total:.1f}%", _score(a), _score(b)] for t, x, a, b in terms]
            lines.append("")
            lines.extend(_table(["term", "contribution", "share", "weight 1", "weight 2"], rows,
                                right=(1, 2, 3, 4), flexible=(0,), width=width, indent="  "))
        _print_lines(lines)
    return 0


def _cmd_fit(args: argparse.Namespace, progress: _Progress) -> int:
    args.model = None
    c = _load(args, progress)
    with progress.step("saving"):
        c.vectorizer.save(args.output)
    n_terms = len(c.vectorizer.get_feature_names_out())
    if args.format == "json":
        _print_json({"model": args.output, "documents": len(c.ids), "terms": n_terms, "options": _params_json(c.vectorizer)})
    elif args.format == "csv":
        _print_csv(["model", "documents", "terms"], iter([(args.output, len(c.ids), n_terms)]))
    else:
        _print_lines([f"saved {args.output}: {n_terms} terms from {len(c.ids)} {c.noun} "
                      f"({_describe(c.vectorizer.get_params())})"])
    return 0


def _cmd_report(args: argparse.Namespace, progress: _Progress) -> int:
    from .similarity import group

    c = _load(args, progress)
    jobs = _jobs_param(args)
    with progress.step("grouping"):
        groups = _group(c, args, jobs)
    with progress.step("scoring key terms"):
        terms, how = _key_terms(args, c, args.n)
        group_terms, _ = _key_terms(args, c, args.n, groups=groups)
    neighbors = _neighbors(c, args.k, None, jobs, progress)
    n_bytes = sum(len(t.encode("utf-8", "surrogatepass")) for t in c.texts)
    n_terms = len(c.vectorizer.get_feature_names_out())
    group_data = _groups_json(c, groups, group_terms)
    labels = groups.labels.tolist()
    if args.format == "json":
        _print_json({
            "corpus": {"source": c.source if args.path is not None else "sample", "documents": len(c.ids),
                       "bytes": n_bytes, "terms": n_terms, "options": _params_json(c.vectorizer)},
            "threshold": args.threshold,
            "grouping": _grouping_json(groups),
            "key_terms": how,
            "groups": group_data,
            "documents": [
                {"id": d, "group": int(labels[i]),
                 "terms": _terms_json(terms[i]),
                 "neighbors": [{"id": j, "score": s} for j, s in neighbors[i]]}
                for i, d in enumerate(c.ids)
            ],
        })
        return 0
    if args.format == "csv":
        _print_csv(["id", "group", "terms", "neighbors"],
                   ((d, labels[i], "; ".join(t.term for t in terms[i]),
                     "; ".join(f"{j} {s:.6g}" for j, s in neighbors[i])) for i, d in enumerate(c.ids)))
        return 0
    width = _terminal_width()
    analysis = f"model {c.model}" if c.model else _describe(c.vectorizer.get_params())
    lines = [_cut(f"{c.source}: {len(c.ids)} {c.noun}, {n_bytes:,} bytes, {n_terms} terms", width),
             _cut(f"analysis: {analysis}", width), _cut(_scoring_line(how), width), ""]
    lines.extend(_groups_table(c, group_data, groups.describe(), width, members=False))
    lines.append("")
    id_width = max(_width(d) for d in c.ids)
    if width is not None:
        id_width = min(id_width, width // 3)
    pad = " " * id_width
    for i, d in enumerate(c.ids):
        head = _pad(_cut(d, id_width), id_width, False)
        listed = ", ".join(t.term for t in terms[i]) or "(none)"
        near = ", ".join(f"{j} ({s:.2f})" for j, s in neighbors[i]) or "(none)"
        lines.append(_cut(f"{head}  terms: {listed}", width))
        lines.append(_cut(f"{pad}  nearest: {near}", width))
    _print_lines(lines)
    return 0


# ============================================================================ main


_EXPECTED = (OSError, ValueError, TypeError, UnicodeError, re.error, CommandError)


def _message(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        text = f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    else:
        text = str(error) or type(error).__name__
    return _one_line(text)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the ``lexsim`` command.

    Parameters
    ----------
    argv : sequence of str, default=None
        The arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 on success, 2 on an error (reported in one line on stderr), 130 when
        interrupted, 1 on an internal error.
    """
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version and usage errors: argparse has printed them
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    progress = _Progress()
    try:
        with warnings.catch_warnings():
            # A library warning is worth one line, not a source location and a code excerpt.
            warnings.showwarning = _show_warning
            return int(args.func(args, progress))
    except KeyboardInterrupt:
        progress.clear()
        return 130
    except BrokenPipeError:  # `lexsim report | head`: the reader left; stop quietly
        _silence_stdout()
        return 0
    except _EXPECTED as e:
        progress.clear()
        if args.debug:
            raise
        print(f"lexsim: error: {_message(e)}", file=sys.stderr)
        return 2
    except Exception as e:  # a bug: say so in one line, with the traceback only on demand
        progress.clear()
        if args.debug:
            raise
        print(f"lexsim: internal error: {type(e).__name__}: {_message(e)} (run with --debug for the traceback)",
              file=sys.stderr)
        return 1


def _show_warning(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
    print(f"lexsim: warning: {_one_line(str(message))}", file=sys.stderr)


def _silence_stdout() -> None:
    # Python flushes stdout at exit and would complain about the closed pipe a second time.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass

"""The command line's grammar: argument types, the options every command shares, the story-group,
scoring and key-term options, and the help text (descriptions, examples, each command's JSON shape).

The parser itself is assembled in :mod:`lexsim.cli` (it names the commands)."""

from __future__ import annotations

import argparse
import math
import re
from typing import Any, Callable, Optional

from .. import _core
from .._schema import SCHEMA, Param
from .rendering import _Progress

_NONE = "none"  # how "no value" is spelled on the command line


class CommandError(Exception):
    """An error to report in one line (exit status 2)."""


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


# The analysis options in --help order: each sets the vectorizer parameter of its name (argparse's
# destination; None until given, so that --sklearn-defaults and --model can tell what was). Their
# flags, help texts and the command's defaults are the parameters' entries in lexsim._schema;
# lexsim.cli.options turns the values into the parameters.
_ANALYSIS_ORDER = (
    "lowercase",
    "strip_accents",
    "stop_words",
    "sublinear_tf",
    "ngram_range",
    "min_df",
    "max_df",
    "max_features",
    "norm",
    "use_idf",
    "smooth_idf",
    "binary",
    "normalization",
    "casefold",
    "stemmer",
    "analyzer",
    "token_pattern",
    "dtype",
    "vocabulary",
)

# The argument types an analysis flag names (Flag.type).
_FLAG_TYPES: dict[str, Callable[[str], Any]] = {"positive_int": _positive_int, "df": _df, "regex": _regex}


def _flags(param: Param) -> list[tuple[str, dict[str, Any]]]:
    """The flags of a parameter, each with argparse's keywords: a bool's two switches (the first
    sets it, ``off`` clears it), or one flag taking a value."""
    flag = param.flag
    assert flag is not None
    if flag.off:
        return [
            (flag.name, {"action": "store_const", "const": True, "help": param.help}),
            (flag.off, {"action": "store_const", "const": False, "help": flag.off_help}),
        ]
    keywords: dict[str, Any] = {"help": param.help}
    if flag.choices is not None:
        keywords["choices"] = tuple(_NONE if c is None else c for c in flag.choices)
    if flag.type is not None:
        keywords["type"] = _FLAG_TYPES[flag.type]
    if flag.nargs is not None:
        keywords["nargs"] = flag.nargs
    if flag.metavar is not None:
        keywords["metavar"] = flag.metavar
    return [(flag.name, keywords)]


# The vectorizer parameter each analysis option sets -> its flags with argparse's keywords.
_ANALYSIS_FLAGS: dict[str, list[tuple[str, dict[str, Any]]]] = {name: _flags(SCHEMA[name]) for name in _ANALYSIS_ORDER}


def _common_options(with_path: bool, path_optional: bool = False, with_model: bool = True) -> _Parser:
    """The options every command takes (an argparse parent parser)."""
    p = _Parser(add_help=False)
    if with_path:
        if path_optional:
            p.add_argument("path", metavar="PATH", nargs="?", help="the corpus (default: the built-in sample corpus)")
        else:
            p.add_argument(
                "path",
                metavar="PATH",
                help="the corpus: a folder, a .jsonl, .csv or .parquet file, or a .txt file (one document)",
            )

    out = p.add_argument_group("output and running")
    out.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table (default; aligned, for people), json or csv (for tools)",
    )
    out.add_argument(
        "--jobs",
        type=_jobs,
        default=-1,
        metavar="N",
        help="threads (default -1: all usable CPUs; results do not depend on it)",
    )
    out.add_argument("--debug", action="store_true", help="show the traceback of an internal error")

    src = p.add_argument_group("reading the corpus")
    src.add_argument(
        "--text-column",
        default="text",
        metavar="NAME",
        help="JSON field or CSV/Parquet column holding the text (default: text)",
    )
    src.add_argument(
        "--id-column",
        default=None,
        metavar="NAME",
        help="JSON field or CSV/Parquet column holding the id (default: the id field or column "
        "if present, else the line or row number)",
    )
    src.add_argument("--encoding", default="utf-8", help="encoding of the files (default: utf-8)")
    src.add_argument(
        "--decode-error",
        choices=("strict", "replace", "ignore"),
        default="strict",
        help="bytes that do not decode: an error naming file and byte offset (strict, "
        "the default), replaced with U+FFFD (replace) or dropped (ignore)",
    )

    ana = p.add_argument_group(
        "analysis (defaults: scikit-learn's TfidfVectorizer's, except accents folded, English stop "
        "words, sublinear tf and words of 3+ characters that are not all digits; --sklearn-defaults "
        "resets those four)"
    )
    if with_model:
        ana.add_argument(
            "--model",
            metavar="MODEL",
            help="use a model saved by `lexsim fit` instead of fitting on PATH (the "
            "analysis options below then come from the model)",
        )
    ana.add_argument(
        "--sklearn-defaults",
        action="store_true",
        help="start from scikit-learn's defaults (no accent folding, no stop words, raw "
        "tf); the options below still apply on top",
    )
    for dest, flags in _ANALYSIS_FLAGS.items():
        for flag, keywords in flags:
            ana.add_argument(flag, dest=dest, default=None, **keywords)
    return p


def _add_command(
    sub: Any,
    name: str,
    func: Callable[[argparse.Namespace, _Progress], int],
    help_text: str,
    epilog: str,
    parent: _Parser,
) -> _Parser:
    p = sub.add_parser(
        name,
        help=help_text,
        description=help_text[0].upper() + help_text[1:] + ".",
        epilog=epilog,
        parents=[parent],
        formatter_class=_FORMATTER,
    )
    p.set_defaults(func=func)
    return p


def _grouping_arguments(p: argparse.ArgumentParser) -> None:
    """The story-group options of `groups` and `report`."""
    g = p.add_argument_group(
        "story groups",
        "Default (leiden): each document is linked to its K most similar documents, links need 3 shared "
        "terms, and the groups are the Leiden communities (modularity) of that graph: no threshold, no "
        "chaining, deterministic. Everything derived from the corpus is printed with the groups.",
    )
    g.add_argument(
        "--method",
        choices=tuple(_core.group_method_names()),
        default=None,
        help="leiden (default) or single (single linkage at --threshold; the default when only --threshold is given)",
    )
    g.add_argument(
        "--threshold",
        type=_cosine_threshold,
        default=None,
        metavar="T",
        help="single: cosine in (0, 1] linking two documents; leiden: drop neighbour links below T (default: none)",
    )
    g.add_argument(
        "--neighbors",
        type=_positive_int,
        default=None,
        metavar="K",
        dest="n_neighbors",
        help="leiden: neighbours per document (default: clamp(round(log2 n), 1, 10) for n documents)",
    )
    g.add_argument(
        "--min-shared",
        type=_positive_int,
        default=3,
        metavar="N",
        help="leiden: terms two documents must share to be linked (default 3)",
    )
    g.add_argument(
        "--resolution",
        type=_positive_float,
        default=1.0,
        metavar="R",
        help="leiden: modularity resolution; larger gives more, smaller groups (default 1)",
    )
    g.add_argument(
        "--date-column",
        default=None,
        metavar="NAME",
        help="leiden, .jsonl/.csv/.parquet corpora: the field or column holding each document's date "
        "(e.g. 2024-07-24); documents more than --date-window days apart are then never linked "
        "directly. Off by default: on topic-labelled news it splits topics across weeks",
    )
    g.add_argument(
        "--date-window",
        type=_non_negative,
        default=None,
        metavar="DAYS",
        help="with --date-column: the most days between two linked documents (default 7)",
    )


# The scoring options of search and index. Their defaults are applied by _scoring(), so that
# `search --index` can tell what was given.
_SCORING_DEFAULTS: dict[str, Any] = {"scoring": "cosine", "bm25_method": "lucene", "k1": 1.2, "b": 0.75, "delta": 0.5}


# The core's names of the BM25 methods (its table), the default first.
_BM25_METHODS = ("lucene", *(m for m in _core.bm25_method_names() if m != "lucene"))


def _scoring_arguments(p: argparse.ArgumentParser) -> None:
    g = p
    g.add_argument(
        "--scoring",
        choices=tuple(_core.scoring_names()),
        default=None,
        help="cosine of TF-IDF vectors (default) or BM25 (--bm25-method)",
    )
    g.add_argument(
        "--bm25-method",
        choices=_BM25_METHODS,
        default=None,
        metavar="METHOD",
        help="the BM25 variant, by bm25s's names: lucene (default; its idf is positive for every "
        "term), robertson (idf 0 for terms in half the documents or more), atire, bm25l, bm25+",
    )
    g.add_argument("--k1", type=_non_negative, default=None, help="BM25 term-frequency saturation (default 1.2)")
    g.add_argument("--b", type=_unit, default=None, help="BM25 length normalisation in [0, 1] (default 0.75)")
    g.add_argument(
        "--delta",
        type=_non_negative,
        default=None,
        help="bm25l and bm25+: the lower bound on a matched term's score (default 0.5)",
    )


def _scoring(args: argparse.Namespace) -> dict[str, Any]:
    """The scoring options given, with their defaults."""
    return {
        name: default if getattr(args, name) is None else getattr(args, name)
        for name, default in _SCORING_DEFAULTS.items()
    }


def _key_term_options(p: _Parser) -> None:
    g = p.add_argument_group("key terms")
    g.add_argument(
        "--scoring",
        choices=("keyness", "tfidf"),
        default="keyness",
        help="keyness (default): log-likelihood G2 of each term's count against the background, "
        "over-represented terms only; tfidf: the heaviest TF-IDF weights",
    )
    g.add_argument(
        "--background",
        default=None,
        metavar="BACKGROUND",
        help="what keyness compares with: wordfreq (English word frequencies plus the other "
        "documents), corpus (the other documents) or a MODEL file saved by `lexsim fit` "
        "(its term counts); default wordfreq when installed, else corpus",
    )


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

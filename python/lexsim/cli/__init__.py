"""The ``lexsim`` command: key terms, nearest neighbours, story groups and search from the terminal.

``lexsim COMMAND [PATH] [options]`` reads a corpus (a folder of ``.txt``/``.md`` files, a ``.jsonl``,
``.csv`` or ``.parquet`` file, or one ``.txt`` file as one document; see :func:`lexsim.corpus.read_corpus`),
turns it into TF-IDF vectors, and
prints a table, JSON or CSV. ``python -m lexsim`` is the same command. :func:`main` runs it from
Python and returns the exit status: 0 on success, 2 on an error (one line on stderr, never a
traceback), 130 on Ctrl-C, 1 on an internal error (its traceback with ``--debug``).

The package: ``arguments`` (argument types, shared options, help text), ``options`` (the vectorizer's
options and defaults), ``loading`` (corpus, model and index), ``rendering`` (tables, widths,
snippets, progress), ``commands`` (one function a command); this module assembles the parser and
runs a command.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Sequence
from typing import Any, Optional

from .arguments import (
    _DESCRIPTION,
    _EXAMPLES,
    _EXPLAIN_EPILOG,
    _FIT_EPILOG,
    _FORMATTER,
    _GROUPS_EPILOG,
    _INDEX_EPILOG,
    _PAIRS_EPILOG,
    _REPORT_EPILOG,
    _SEARCH_EPILOG,
    _SIMILAR_EPILOG,
    _TERMS_EPILOG,
    CommandError,
    _add_command,
    _common_options,
    _cosine_floor,
    _cosine_threshold,
    _grouping_arguments,
    _key_term_options,
    _Parser,
    _positive_int,
    _scoring_arguments,
)
from .commands import (
    _cmd_explain,
    _cmd_fit,
    _cmd_groups,
    _cmd_index,
    _cmd_pairs,
    _cmd_report,
    _cmd_search,
    _cmd_similar,
    _cmd_terms,
)
from .options import ANALYST_DEFAULTS as ANALYST_DEFAULTS  # re-exported: tests and notebooks read them here
from .options import ANALYST_TOKEN_PATTERN as ANALYST_TOKEN_PATTERN
from .options import SKLEARN_DEFAULTS as SKLEARN_DEFAULTS
from .rendering import _one_line, _Progress

__all__ = ["main"]


def _build_parser() -> _Parser:
    from .. import __version__

    parser = _Parser(prog="lexsim", description=_DESCRIPTION, epilog=_EXAMPLES, formatter_class=_FORMATTER)
    parser.add_argument("--version", action="version", version=f"lexsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)
    common = _common_options(with_path=True)

    p = _add_command(
        sub,
        "report",
        _cmd_report,
        "corpus summary, story groups, and each document's key terms and nearest neighbours",
        _REPORT_EPILOG,
        _common_options(True, path_optional=True),
    )
    _grouping_arguments(p)
    p.add_argument(
        "--n", type=_positive_int, default=6, metavar="N", help="key terms per document and group (default 6)"
    )
    p.add_argument("--k", type=_positive_int, default=2, metavar="K", help="neighbours per document (default 2)")
    _key_term_options(p)

    p = _add_command(
        sub, "similar", _cmd_similar, "each document's nearest neighbours by cosine similarity", _SIMILAR_EPILOG, common
    )
    p.add_argument("--k", type=_positive_int, default=5, metavar="K", help="neighbours per document (default 5)")
    p.add_argument(
        "--threshold",
        type=_cosine_floor,
        default=None,
        metavar="T",
        help="keep only neighbours with cosine above T (default: all, up to K)",
    )

    p = _add_command(
        sub,
        "pairs",
        _cmd_pairs,
        "every pair of documents with cosine similarity at or above a threshold",
        _PAIRS_EPILOG,
        common,
    )
    p.add_argument(
        "--threshold",
        type=_cosine_threshold,
        default=0.2,
        metavar="T",
        help="cosine in (0, 1] (default 0.2, as report's): 0.9 and above finds near-duplicates, 0.2-0.5 the same story",
    )

    p = _add_command(
        sub,
        "groups",
        _cmd_groups,
        "story groups: communities of each document's nearest "
        "neighbours (no threshold needed), or single linkage at a threshold",
        _GROUPS_EPILOG,
        common,
    )
    _grouping_arguments(p)
    p.add_argument("--n", type=_positive_int, default=6, metavar="N", help="top terms per group (default 6)")
    _key_term_options(p)

    p = _add_command(sub, "terms", _cmd_terms, "each document's key terms", _TERMS_EPILOG, common)
    p.add_argument("--n", type=_positive_int, default=10, metavar="N", help="terms per document (default 10)")
    _key_term_options(p)

    p = _add_command(sub, "search", _cmd_search, "the documents that best match a query", _SEARCH_EPILOG, common)
    p.add_argument("query", metavar="QUERY", help="the query text, analysed like the documents")
    p.add_argument("--k", type=_positive_int, default=10, metavar="K", help="results (default 10)")
    p.add_argument(
        "--index",
        metavar="INDEX",
        help="search the index `lexsim index PATH -o INDEX` saved instead of indexing PATH again "
        "(PATH is still read for the ids and the text around each hit, and must be the corpus "
        "the index was built from; the analysis and scoring options come from the index)",
    )
    _scoring_arguments(p)

    p = _add_command(
        sub,
        "explain",
        _cmd_explain,
        "why two documents match: their shared terms and what each contributes to the cosine",
        _EXPLAIN_EPILOG,
        common,
    )
    p.add_argument("id1", metavar="ID1", help="a document id, as read from the corpus")
    p.add_argument("id2", metavar="ID2", help="another document id")
    p.add_argument("--n", type=_positive_int, default=10, metavar="N", help="shared terms to list (default 10)")

    p = _add_command(
        sub,
        "fit",
        _cmd_fit,
        "fit the vectorizer on a corpus and save it as a model file",
        _FIT_EPILOG,
        _common_options(True, with_model=False),
    )
    p.add_argument("-o", "--output", required=True, metavar="MODEL", help="the model file to write")

    p = _add_command(
        sub,
        "index",
        _cmd_index,
        "index a corpus for `lexsim search --index` and save the index (with its vectorizer) as a model file",
        _INDEX_EPILOG,
        common,
    )
    p.add_argument("-o", "--output", required=True, metavar="INDEX", help="the index file to write")
    _scoring_arguments(p)
    return parser


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
        print(
            f"lexsim: internal error: {type(e).__name__}: {_message(e)} (run with --debug for the traceback)",
            file=sys.stderr,
        )
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

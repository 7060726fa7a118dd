"""The ``lexsim`` command (a first version: ``lexsim report``)."""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

import numpy as np

__all__ = ["main"]


def _report(args: argparse.Namespace) -> int:
    from .datasets import load_sample
    from .similarity import top_k
    from .vectorizers import TfidfVectorizer

    articles = load_sample()
    ids = [a.id for a in articles]
    vec = TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True)
    X = vec.fit_transform([a.title + "\n" + a.text for a in articles])
    terms = vec.get_feature_names_out()
    nn = top_k(X, k=args.k)
    print(f"lexsim sample corpus: {X.shape[0]} articles, {X.shape[1]} terms "
          "(accents folded, English stop words, sublinear tf)\n")
    width = max(len(i) for i in ids)
    for i, doc_id in enumerate(ids):
        row = X.getrow(i)
        order = np.lexsort((row.indices, -row.data))[: args.n]
        top = ", ".join(str(terms[row.indices[j]]) for j in order)
        nrow = nn.getrow(i)
        ranked = np.lexsort((nrow.indices, -nrow.data))
        neigh = ", ".join(f"{ids[nrow.indices[j]]} ({nrow.data[j]:.2f})" for j in ranked)
        print(f"{doc_id:<{width}}  terms: {top}")
        print(f"{'':<{width}}  nearest: {neigh}")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="lexsim", description="Key terms and similar documents, from the terminal.")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="top terms and nearest neighbours of every document of the built-in sample")
    rep.add_argument("--n", type=int, default=6, help="terms per document (default 6)")
    rep.add_argument("--k", type=int, default=2, help="neighbours per document (default 2)")
    rep.set_defaults(func=_report)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # e.g. `lexsim report | head`
        sys.stderr.close()
        return 0
    except (ValueError, TypeError, OSError) as e:
        print(f"lexsim: error: {e}", file=sys.stderr)
        return 2

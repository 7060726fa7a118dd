"""The commands (``similar``, ``pairs``, ``groups``, ``terms``, ``search``, ``index``, ``explain``,
``fit``, ``report``): each takes the parsed arguments and a progress display and returns 0."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Optional

import numpy as np

from .arguments import CommandError, _scoring
from .loading import _build_index, _Corpus, _fingerprint, _load, _load_index, _load_model, _read_dates
from .options import _describe, _jobs_param, _params_json
from .rendering import (
    _MARK_OFF,
    _MARK_ON,
    _SNIPPET_WIDTH,
    _cut,
    _pad,
    _print_csv,
    _print_json,
    _print_lines,
    _Progress,
    _score,
    _snippet,
    _table,
    _terminal_width,
    _width,
    _word_analyzer,
    _wrapped_ids,
    _wrapped_text,
)


def _neighbors(
    c: _Corpus, k: int, threshold: Optional[float], jobs: Optional[int], progress: _Progress, X: Any = None
) -> list:
    """Each document's neighbours as (id, score), best first: the core's tie rule (ranked_rows).
    ``X``: c.X prepared once by the caller (similarity.prepare), or None for c.X."""
    from ..similarity import ranked_rows, top_k

    with progress.step("finding neighbours"):
        nn = top_k(c.X if X is None else X, k=k, threshold=threshold, n_jobs=jobs)
    return ranked_rows(nn, names=c.ids)


def _grouping_json(groups: Any) -> dict:
    """How the groups were formed: the method, every parameter used or derived, in words too."""
    params = {k: (float(v) if isinstance(v, float) else v) for k, v in groups.params.items()}
    return {"method": groups.method, **params, "description": groups.describe()}


def _groups_json(c: _Corpus, groups: Any, top: Optional[list] = None) -> list:
    """``top``: each group's key terms (from _key_terms), in the groups' order."""
    return [
        {
            "label": int(g.label),
            "size": len(g),
            "representative": c.ids[g.representative],
            "top_terms": (
                [{"term": str(t), "weight": float(w)} for t, w in g.top_terms] if top is None else _terms_json(top[k])
            ),
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
    from ..keyterms import Background, key_terms

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
            raise CommandError(
                "--background wordfreq needs the wordfreq package (pip install 'lexsim[wordfreq]'); "
                "--background corpus needs nothing"
            ) from None
    else:
        bg = Background.from_model(_load_model(name), name=name)
    ranked = key_terms(vec, c.texts, n, background=bg, groups=members)
    return ranked, {"scoring": "keyness", "background": bg.name}


def _scoring_line(how: dict) -> str:
    if how["scoring"] == "tfidf":
        return "key terms by TF-IDF weight, ties to the higher count, then the earlier first occurrence"
    return f"key terms by keyness (G2) against {how['background']}"


def _cmd_similar(args: argparse.Namespace, progress: _Progress) -> int:
    c = _load(args, progress)
    neighbors = _neighbors(c, args.k, args.threshold, _jobs_param(args), progress)
    if args.format == "json":
        _print_json([{"id": d, "neighbors": [{"id": j, "score": s} for j, s in nb]} for d, nb in zip(c.ids, neighbors)])
    elif args.format == "csv":
        _print_csv(
            ["id", "rank", "neighbor", "score"],
            ((d, r, j, s) for d, nb in zip(c.ids, neighbors) for r, (j, s) in enumerate(nb, 1)),
        )
    else:
        rows = []
        for d, nb in zip(c.ids, neighbors):
            if not nb:
                rows.append([d, "(none)", ""])
            for r, (j, s) in enumerate(nb):
                rows.append([d if r == 0 else "", j, _score(s)])
        _print_lines(
            _table(["document", "neighbour", "score"], rows, right=(2,), flexible=(1, 0), width=_terminal_width())
        )
    return 0


def _cmd_pairs(args: argparse.Namespace, progress: _Progress) -> int:
    from .._ranking import ranked_order
    from ..similarity import similar_pairs

    c = _load(args, progress)
    with progress.step("finding pairs"):
        rows, cols, scores = similar_pairs(c.X, args.threshold, n_jobs=_jobs_param(args))
    # Best first for people and tools alike, ties in similar_pairs' (row, col) order: the pairs as
    # one row whose p-th column is the p-th pair, ranked by the core's rule (ties: lower column).
    n = len(scores)
    order = ranked_order(scores, np.arange(n, dtype=np.int32), np.array([0, n], dtype=np.int64), n)
    pairs = [(c.ids[int(rows[o])], c.ids[int(cols[o])], float(scores[o])) for o in order]
    if args.format == "json":
        _print_json([{"id1": a, "id2": b, "score": s} for a, b, s in pairs])
    elif args.format == "csv":
        _print_csv(["id1", "id2", "score"], iter(pairs))
    else:
        lines = _table(
            ["score", "document 1", "document 2"],
            [[_score(s), a, b] for a, b, s in pairs],
            right=(0,),
            flexible=(2, 1),
            width=_terminal_width(),
        )
        lines.append(
            f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''} with cosine >= {args.threshold:g} "
            f"among {len(c.ids)} {c.noun}"
        )
        _print_lines(lines)
    return 0


def _cmd_groups(args: argparse.Namespace, progress: _Progress) -> int:

    c = _load(args, progress)
    with progress.step("grouping"):
        groups = _group(c, args, _jobs_param(args))
    with progress.step("scoring key terms"):
        top, how = _key_terms(args, c, args.n, groups=groups)
    data = _groups_json(c, groups, top)
    if args.format == "json":
        _print_json(data)
    elif args.format == "csv":
        _print_csv(
            ["label", "size", "representative", "top_terms", "member"],
            (
                (g["label"], g["size"], g["representative"], "; ".join(t["term"] for t in g["top_terms"]), m)
                for g in data
                for m in g["members"]
            ),
        )
    else:
        width = _terminal_width()
        _print_lines([_cut(_scoring_line(how), width)] + _groups_table(c, data, groups.describe(), width, members=True))
    return 0


def _group(c: _Corpus, args: argparse.Namespace, jobs: Optional[int], X: Any = None) -> Any:
    """lexsim.group with the command's story-group options (dates read when asked for). ``X``: c.X
    prepared once by the caller (similarity.prepare), or None for c.X."""
    from ..similarity import group

    if args.date_window is not None and args.date_column is None:
        raise CommandError("--date-window needs --date-column (the field or column with the dates)")
    dates = None
    if args.date_column is not None:
        if args.method == "single":
            raise CommandError("--date-column works with --method leiden; single linkage ignores dates")
        dates = _read_dates(args, c)
    return group(
        c.X if X is None else X,
        args.threshold,
        method=args.method,
        vectorizer=c.vectorizer,
        n_terms=args.n,
        n_jobs=jobs,
        n_neighbors=args.n_neighbors,
        min_shared=args.min_shared,
        resolution=args.resolution,
        dates=dates,
        date_window=args.date_window,
    )


def _groups_table(c: _Corpus, data: list, how: str, width: Optional[int], members: bool) -> list:
    big = [g for g in data if g["size"] >= 2]
    alone = [g["members"][0] for g in data if g["size"] == 1]
    lines = [
        _cut(f"{len(big)} group{'s' if len(big) != 1 else ''} of 2 or more {c.noun}; {len(alone)} on their own", width)
    ]
    lines.extend(_wrapped_text("  by ", how, width))
    if big:
        lines.append("")
        rows = [
            [str(g["label"]), str(g["size"]), g["representative"], ", ".join(t["term"] for t in g["top_terms"])]
            for g in big
        ]
        table = _table(
            ["group", "size", "representative", "top terms"],
            rows,
            right=(0, 1),
            flexible=(3, 2),
            width=width,
            indent="  ",
        )
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
        _print_csv(
            ["id", "rank", "term", "score", "count"],
            ((d, r, t.term, t.score, t.raw_count) for d, ts in zip(c.ids, terms) for r, t in enumerate(ts, 1)),
        )
    else:
        width = _terminal_width()
        rows = [[d, ", ".join(t.term for t in ts) or "(no terms)"] for d, ts in zip(c.ids, terms)]
        _print_lines(
            [_cut(_scoring_line(how), width), ""] + _table(["document", "terms"], rows, flexible=(1, 0), width=width)
        )
    return 0


def _cmd_search(args: argparse.Namespace, progress: _Progress) -> int:
    try:
        from ..search import SearchIndex  # noqa: F401
    except ImportError:
        raise CommandError(
            "this lexsim has no search index (lexsim.SearchIndex); the search command needs a newer lexsim"
        ) from None
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
        _print_json(
            [
                {"id": d, "score": s, "snippet": _snippet(c.texts[i], wanted, analyze, _SNIPPET_WIDTH, marks)}
                for i, d, s in hits
            ]
        )
    elif args.format == "csv":
        _print_csv(
            ["rank", "id", "score", "snippet"],
            (
                (r, d, s, _snippet(c.texts[i], wanted, analyze, _SNIPPET_WIDTH, marks))
                for r, (i, d, s) in enumerate(hits, 1)
            ),
        )
    else:
        width = _terminal_width()
        fixed = [
            max(4, len(str(len(hits)))),
            max(5, *(len(_score(s)) for _, _, s in hits)),
            max(8, *(_width(d) for _, d, _ in hits)),
        ]
        # Piped: the snippet as long as JSON/CSV give it (nothing is cut, but it stays a snippet).
        room = _SNIPPET_WIDTH if width is None else max(30, width - sum(fixed) - 2 * len(fixed))
        rows = [
            [str(r), _score(s), d, _snippet(c.texts[i], wanted, analyze, room, marks)]
            for r, (i, d, s) in enumerate(hits, 1)
        ]
        lines = _table(["rank", "score", "document", "text"], rows, right=(0, 1), flexible=(3, 2), width=width)
        if bold:
            lines = [line.replace(_MARK_ON, "\033[1m").replace(_MARK_OFF, "\033[0m") for line in lines]
        _print_lines(lines)
    return 0


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
        _print_json(
            {
                "index": args.output,
                "documents": len(c.ids),
                "terms": n_terms,
                "scoring": index.scoring,
                "method": index.method,
            }
        )
    elif args.format == "csv":
        _print_csv(
            ["index", "documents", "terms", "scoring", "method"],
            iter([(args.output, len(c.ids), n_terms, index.scoring, index.method or "")]),
        )
    else:
        _print_lines(
            [
                f"saved {args.output}: a {how} index of {len(c.ids)} {c.noun}, {n_terms} terms "
                f"({_describe(c.vectorizer.get_params())})"
            ]
        )
    return 0


def _why_nothing_matches(terms: tuple, unknown: tuple, robertson: bool, noun: str) -> str:
    """Why a search found nothing, as ": ..." to follow "no documents match QUERY"."""
    known = [t for t in terms if t not in set(unknown)]
    if not terms:
        return ": it has no terms after analysis (only stop words, or words too short)"
    if not known:
        return f": none of its terms is in the vocabulary ({', '.join(unknown)})"
    if robertson:
        return (
            f": its terms ({', '.join(known)}) are each in half the {noun} or more, where robertson's idf "
            "is 0; --bm25-method lucene counts them"
        )
    return f": no {noun[:-1] if noun.endswith('s') else noun} holds its terms ({', '.join(known)})"


def _cmd_explain(args: argparse.Namespace, progress: _Progress) -> int:
    from ..similarity import explain

    c = _load(args, progress)
    i, j = c.index(args.id1), c.index(args.id2)
    why = explain(c.vectorizer, c.X, i, j, n=args.n)
    terms = [(str(t), float(x), float(a), float(b)) for t, x, a, b in why.terms]
    if args.format == "json":
        _print_json(
            {
                "id1": args.id1,
                "id2": args.id2,
                "similarity": float(why.similarity),
                "n_shared": int(why.n_shared),
                "terms": [{"term": t, "contribution": x, "weight1": a, "weight2": b} for t, x, a, b in terms],
            }
        )
    elif args.format == "csv":
        total = why.similarity if why.similarity > 0 else 1.0
        _print_csv(
            ["term", "contribution", "share", "weight1", "weight2"], ((t, x, x / total, a, b) for t, x, a, b in terms)
        )
    else:
        width = _terminal_width()
        shown = f", {len(terms)} shown" if len(terms) < why.n_shared else ""
        lines = [
            _cut(
                f"{args.id1} and {args.id2}: cosine {_score(why.similarity)}, "
                f"{why.n_shared} shared term{'s' if why.n_shared != 1 else ''}{shown}",
                width,
            )
        ]
        if terms:
            total = why.similarity if why.similarity > 0 else 1.0
            rows = [[t, _score(x), f"{100 * x / total:.1f}%", _score(a), _score(b)] for t, x, a, b in terms]
            lines.append("")
            lines.extend(
                _table(
                    ["term", "contribution", "share", "weight 1", "weight 2"],
                    rows,
                    right=(1, 2, 3, 4),
                    flexible=(0,),
                    width=width,
                    indent="  ",
                )
            )
        _print_lines(lines)
    return 0


def _cmd_fit(args: argparse.Namespace, progress: _Progress) -> int:
    args.model = None
    c = _load(args, progress)
    with progress.step("saving"):
        c.vectorizer.save(args.output)
    n_terms = len(c.vectorizer.get_feature_names_out())
    if args.format == "json":
        _print_json(
            {"model": args.output, "documents": len(c.ids), "terms": n_terms, "options": _params_json(c.vectorizer)}
        )
    elif args.format == "csv":
        _print_csv(["model", "documents", "terms"], iter([(args.output, len(c.ids), n_terms)]))
    else:
        _print_lines(
            [
                f"saved {args.output}: {n_terms} terms from {len(c.ids)} {c.noun} "
                f"({_describe(c.vectorizer.get_params())})"
            ]
        )
    return 0


def _cmd_report(args: argparse.Namespace, progress: _Progress) -> int:
    from ..similarity import prepare

    c = _load(args, progress)
    jobs = _jobs_param(args)
    X = prepare(c.X)  # checked and converted once, for the grouping and the neighbours
    with progress.step("grouping"):
        groups = _group(c, args, jobs, X)
    with progress.step("scoring key terms"):
        terms, how = _key_terms(args, c, args.n)
        group_terms, _ = _key_terms(args, c, args.n, groups=groups)
    neighbors = _neighbors(c, args.k, None, jobs, progress, X)
    n_bytes = sum(len(t.encode("utf-8", "surrogatepass")) for t in c.texts)
    n_terms = len(c.vectorizer.get_feature_names_out())
    group_data = _groups_json(c, groups, group_terms)
    labels = groups.labels.tolist()
    if args.format == "json":
        _print_json(
            {
                "corpus": {
                    "source": c.source if args.path is not None else "sample",
                    "documents": len(c.ids),
                    "bytes": n_bytes,
                    "terms": n_terms,
                    "options": _params_json(c.vectorizer),
                },
                "threshold": args.threshold,
                "grouping": _grouping_json(groups),
                "key_terms": how,
                "groups": group_data,
                "documents": [
                    {
                        "id": d,
                        "group": int(labels[i]),
                        "terms": _terms_json(terms[i]),
                        "neighbors": [{"id": j, "score": s} for j, s in neighbors[i]],
                    }
                    for i, d in enumerate(c.ids)
                ],
            }
        )
        return 0
    if args.format == "csv":
        _print_csv(
            ["id", "group", "terms", "neighbors"],
            (
                (d, labels[i], "; ".join(t.term for t in terms[i]), "; ".join(f"{j} {s:.6g}" for j, s in neighbors[i]))
                for i, d in enumerate(c.ids)
            ),
        )
        return 0
    width = _terminal_width()
    analysis = f"model {c.model}" if c.model else _describe(c.vectorizer.get_params())
    lines = [
        _cut(f"{c.source}: {len(c.ids)} {c.noun}, {n_bytes:,} bytes, {n_terms} terms", width),
        _cut(f"analysis: {analysis}", width),
        _cut(_scoring_line(how), width),
        "",
    ]
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

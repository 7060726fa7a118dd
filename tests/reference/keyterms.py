"""Key-term inputs counted in Python: each vocabulary term's count and first position per document."""

from __future__ import annotations


def occurrences(analyze, vocabulary: dict, docs: list) -> list:
    """Per document: ({column: (count, first position)}, number of terms), from ``analyze``."""
    out = []
    for d in docs:
        terms = analyze(d)
        row = {}
        for pos, t in enumerate(terms):
            if t in vocabulary:
                count, first = row.get(vocabulary[t], (0, pos))
                row[vocabulary[t]] = (count + 1, first)
        out.append((row, len(terms)))
    return out

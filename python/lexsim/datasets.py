"""The built-in sample corpus: 30 short news articles on 6 stories, written for lexsim."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

__all__ = ["Article", "load_sample"]


@dataclass(frozen=True)
class Article:
    """One article of the sample corpus."""

    id: str
    story: str
    source: str
    date: str
    title: str
    text: str


def load_sample() -> list[Article]:
    """Load the built-in sample corpus.

    Thirty invented wire-style articles, five on each of six stories, with names spelled both with
    and without diacritics (Erdoğan / Erdogan, Gdańsk / Gdansk, Zoë Müller / Zoe Muller...).

    Returns
    -------
    list of Article
        The articles, ordered by story.

    Examples
    --------
    >>> from lexsim.datasets import load_sample
    >>> articles = load_sample()
    >>> len(articles), len({a.story for a in articles})
    (30, 6)
    """
    text = resources.files("lexsim").joinpath("data/sample_news.jsonl").read_text(encoding="utf-8")
    return [Article(**json.loads(line)) for line in text.splitlines() if line.strip()]

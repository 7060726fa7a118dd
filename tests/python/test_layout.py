"""The package's layout is not part of its pickles: what a pickle names (classes, the analysis steps
build_analyzer's callables are made of) stays where pickles written before the modules were split
look for it, so old pickles load and new ones load in older versions."""

from __future__ import annotations

import pickle
import pickletools

import lexsim
import lexsim.vectorizers


def _globals(data: bytes) -> set[str]:
    """module.name of every global a pickle of protocol 2 or 3 refers to (GLOBAL spells both out)."""
    return {arg.replace(" ", ".") for op, arg, _ in pickletools.genops(data) if op.name == "GLOBAL"}


def test_pickles_name_lexsim_vectorizers_and_nothing_private_to_the_layout() -> None:
    docs = ["Putin met Erdogan", "Erdogan thanked Putin", "grain corridor talks"]
    objects = [
        lexsim.CountVectorizer(ngram_range=(1, 2)).fit(docs),
        lexsim.TfidfVectorizer(strip_accents=str.lower).fit(docs),
        lexsim.TfidfVectorizer(min_df=5).partial_fit(docs),
        lexsim.TfidfVectorizer(tokenizer=str.split, token_pattern=None).build_analyzer(),
        lexsim.CountVectorizer(analyzer="char_wb", preprocessor=str.lower).build_analyzer(),
        lexsim.CountVectorizer(strip_accents=str.upper).build_preprocessor(),
    ]
    named = set().union(*(_globals(pickle.dumps(o, protocol=p)) for o in objects for p in (2, 3)))
    ours = {g for g in named if g.startswith("lexsim.")}
    assert ours and all(g.startswith(("lexsim.vectorizers.", "lexsim._core.")) for g in ours), sorted(ours)
    for g in ours:  # and each is still there
        module, _, name = g.rpartition(".")
        assert getattr(__import__(module, fromlist=[name]), name) is not None


def test_the_names_earlier_pickles_refer_to_are_importable() -> None:
    for name in (
        "CountVectorizer",
        "TfidfVectorizer",
        "CorpusCounts",
        "_then",
        "_analyze_with",
        "_analyze_chars",
        "_analyze_words",
    ):
        assert hasattr(lexsim.vectorizers, name), name

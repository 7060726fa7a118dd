"""The package's layout: no Python module over 600 lines (tables aside), and the layout is not part
of its pickles or its public names: what a pickle names (classes, the analysis steps
build_analyzer's callables are made of) stays where pickles written before the modules were split
look for it, so old pickles load and new ones load in older versions; a public name is its public
module's (docs and doctests look for it there)."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pickletools

from conftest import ROOT

import lexsim
import lexsim.vectorizers

#: Longest a module of the package may be, in lines; past it, split it by concern.
LINE_LIMIT = 600
#: Modules allowed past the limit because they are tables (data to read, not code to follow), by
#: path under python/lexsim: none today.
TABLES: frozenset[str] = frozenset()
#: The public modules, whose public names (__all__) are their own...
PUBLIC_MODULES = (
    "lexsim.corpus",
    "lexsim.dask",
    "lexsim.datasets",
    "lexsim.hashing",
    "lexsim.keyterms",
    "lexsim.model",
    "lexsim.search",
    "lexsim.similarity",
    "lexsim.tfidf",
    "lexsim.vectorizers",
)
#: ...but for these, which they export from elsewhere on purpose.
BORROWED = {("lexsim.model", "ModelFormatError"), ("lexsim.vectorizers", "CorpusCounts")}


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


def test_no_module_is_over_the_line_limit_unless_it_is_a_table() -> None:
    package = ROOT / "python" / "lexsim"
    lines = {
        p.relative_to(package).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in package.rglob("*.py")
    }
    assert TABLES <= set(lines), sorted(TABLES - set(lines))
    too_long = {path: n for path, n in lines.items() if n > LINE_LIMIT and path not in TABLES}
    assert not too_long, f"over {LINE_LIMIT} lines (split them by concern): {too_long}"


def test_public_names_are_their_public_modules() -> None:
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and (name, attr) not in BORROWED:
                assert obj.__module__ == name, (name, attr, obj.__module__)
                assert getattr(module, obj.__qualname__) is obj

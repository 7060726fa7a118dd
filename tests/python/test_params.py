"""The option table (lexsim._params.CHOICES) against the core's enums and the estimators' signatures:
each enumerated parameter is spelled out once, and every place that reads the table agrees with it."""

from __future__ import annotations

import inspect

import pytest

import lexsim
from lexsim import _core
from lexsim._params import CHOICES

ENUMS = {
    "decode_error": _core.DecodeError,
    "strip_accents": _core.StripAccents,
    "analyzer": _core.AnalyzerKind,
    "normalization": _core.Normalization,
    "norm": _core.Norm,
}


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_every_core_enum_member_has_exactly_one_value(name) -> None:
    members = list(CHOICES[name].values())
    assert sorted(m.name for m in members) == sorted(ENUMS[name].__members__)
    assert len(set(members)) == len(members)


@pytest.mark.parametrize(
    "cls", [lexsim.CountVectorizer, lexsim.TfidfVectorizer, lexsim.HashingVectorizer, lexsim.TfidfTransformer]
)
def test_the_defaults_in_the_signatures_are_choices(cls) -> None:
    parameters = inspect.signature(cls.__init__).parameters
    shared = [name for name in CHOICES if name in parameters]
    assert shared
    for name in shared:
        assert parameters[name].default in CHOICES[name], (cls.__name__, name)


def test_a_value_outside_the_table_is_refused_with_the_table_in_the_message() -> None:
    with pytest.raises(ValueError, match=r"The 'normalization' parameter must be one of \[None, 'NFC', 'NFKC'\]"):
        lexsim.CountVectorizer(normalization="NFD").fit(["a b"])
    with pytest.raises(ValueError, match=r"The 'norm' parameter must be one of \['l1', 'l2', None\]"):
        lexsim.TfidfVectorizer(norm="l3").fit(["a b"])


def test_model_files_store_the_core_names(tmp_path) -> None:
    path = tmp_path / "m.lexsim"
    vec = lexsim.TfidfVectorizer(normalization="NFKC", strip_accents="ascii", norm="l1", analyzer="char_wb").fit(
        ["ab cd"]
    )
    vec.save(path)
    params = lexsim.load(path).get_params()
    assert {k: params[k] for k in ("normalization", "strip_accents", "norm", "analyzer")} == {
        "normalization": "NFKC",
        "strip_accents": "ascii",
        "norm": "l1",
        "analyzer": "char_wb",
    }


def test_the_command_offers_the_same_choices() -> None:
    from lexsim.cli.arguments import _ANALYSIS_FLAGS, _NONE

    offered = {dest: flags[0][1]["choices"] for dest, flags in _ANALYSIS_FLAGS.items() if "choices" in flags[0][1]}
    shared = [dest for dest in offered if dest in CHOICES]
    assert sorted(shared) == ["analyzer", "norm", "normalization", "strip_accents"]
    for dest in shared:
        assert set(offered[dest]) == {_NONE if v is None else v for v in CHOICES[dest]}, dest


# ---- the schema: one entry per parameter (lexsim._schema.SCHEMA)

from lexsim._schema import OTHER_DEFAULTS, SCHEMA, STAGES  # noqa: E402

ESTIMATORS = [lexsim.CountVectorizer, lexsim.TfidfVectorizer, lexsim.HashingVectorizer, lexsim.TfidfTransformer]


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_every_parameter_has_an_entry_with_the_signature_default(cls) -> None:
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if name == "self":
            continue
        assert name in SCHEMA, (cls.__name__, name)
        want = OTHER_DEFAULTS.get((cls.__name__, name), SCHEMA[name].default)
        assert parameter.default == want, (cls.__name__, name)


def test_every_entry_is_some_estimator_parameter_and_well_formed() -> None:
    names = set()
    for cls in ESTIMATORS:
        names |= set(inspect.signature(cls.__init__).parameters) - {"self"}
    assert set(SCHEMA) == names
    for name, p in SCHEMA.items():
        assert p.name == name
        assert p.stage in STAGES, name
        assert p.help and "\n" not in p.help, name
        if p.choices is not None:
            assert p.default in p.choices, name
        if p.flag is not None and p.flag.choices is not None:
            assert set(p.flag.choices) <= set(p.choices or p.flag.choices), name
    assert CHOICES == {name: p.choices for name, p in SCHEMA.items() if p.choices is not None}


def test_the_parser_is_made_from_the_schema() -> None:
    from lexsim.cli import _build_parser
    from lexsim.cli.arguments import _ANALYSIS_ORDER, _NONE

    flagged = [name for name, p in SCHEMA.items() if p.flag is not None]
    assert sorted(_ANALYSIS_ORDER) == sorted(flagged)
    parser = _build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for command, p in sub.choices.items():
        actions = {}
        for action in p._actions:
            for option in action.option_strings:
                actions[option] = action
        for name in _ANALYSIS_ORDER:
            param = SCHEMA[name]
            flag = param.flag
            on = actions[flag.name]
            assert on.dest == name and on.default is None, (command, name)
            assert on.help == param.help, (command, name)
            if flag.off:
                off = actions[flag.off]
                assert (on.const, off.const, off.dest, off.help) == (True, False, name, flag.off_help)
            elif flag.choices is not None:
                assert on.choices == tuple(_NONE if c is None else c for c in flag.choices), (command, name)
        # the analysis options are those; the corpus reader's encoding options are the only others
        # that name a parameter (they apply to reading, with the same choices)
        analysis_flags = {f for n in _ANALYSIS_ORDER for f in SCHEMA[n].flag.names}
        for action in p._actions:
            if action.dest in SCHEMA and action.option_strings[0] not in analysis_flags:
                assert action.dest in ("encoding", "decode_error"), (command, action.dest)
        assert set(actions["--decode-error"].choices) == set(CHOICES["decode_error"])


def test_the_commands_defaults_come_from_the_schema() -> None:
    from lexsim.cli import ANALYST_DEFAULTS, ANALYST_TOKEN_PATTERN, SKLEARN_DEFAULTS

    assert ANALYST_DEFAULTS == {
        "strip_accents": "unicode",
        "stop_words": "english",
        "sublinear_tf": True,
        "token_pattern": ANALYST_TOKEN_PATTERN,
    }
    signature = inspect.signature(lexsim.TfidfVectorizer.__init__).parameters
    assert SKLEARN_DEFAULTS == {name: signature[name].default for name in SKLEARN_DEFAULTS}
    assert len(SKLEARN_DEFAULTS) == 19


def _describe_before_the_schema(params: dict) -> str:
    """lexsim.cli.options._describe as it was written out by hand: the reference the schema's words
    must reproduce."""
    import numpy as np

    from lexsim.cli import ANALYST_TOKEN_PATTERN, SKLEARN_DEFAULTS

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
    elif params.get("token_pattern") not in (None, r"(?u)\b\w\w+\b"):
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


def test_the_description_is_the_same_as_before_the_schema() -> None:
    import random

    import numpy as np

    from lexsim.cli import ANALYST_TOKEN_PATTERN
    from lexsim.cli.options import _describe

    values = {
        "normalization": [None, "NFC", "NFKC"],
        "casefold": [False, True],
        "stemmer": [None, "english"],
        "lowercase": [True, False],
        "strip_accents": [None, "ascii", "unicode", str.upper],
        "stop_words": [None, "english", ["a", "b"], []],
        "analyzer": ["word", "char", "char_wb"],
        "ngram_range": [(1, 1), (1, 2), [2, 3]],
        "token_pattern": [r"(?u)\b\w\w+\b", ANALYST_TOKEN_PATTERN, r"\w+", None],
        "min_df": [1, 2, 0.1],
        "max_df": [1.0, 0.5, 10],
        "max_features": [None, 100],
        "binary": [False, True],
        "sublinear_tf": [False, True],
        "use_idf": [True, False],
        "smooth_idf": [True, False],
        "norm": ["l2", "l1", None],
        "dtype": [np.float64, np.float32],
    }
    rng = random.Random(14)
    cases = [{}, lexsim.TfidfVectorizer().get_params()]
    for _ in range(3000):
        params = {name: rng.choice(options) for name, options in values.items() if rng.random() < 0.7}
        cases.append(params)
    for params in cases:
        assert _describe(params) == _describe_before_the_schema(params), params


def test_the_checks_run_in_table_order() -> None:
    # the first bad parameter in table order is the one reported
    with pytest.raises(ValueError, match="'input'"):
        lexsim.TfidfVectorizer(input="url", norm="l3", max_df=-1).fit(["a b"])
    with pytest.raises(ValueError, match="'max_df'"):
        lexsim.TfidfVectorizer(norm="l3", max_df=-1).fit(["a b"])
    with pytest.raises(ValueError, match="'norm'"):
        lexsim.TfidfVectorizer(norm="l3", use_idf=1).fit(["a b"])
    with pytest.raises(TypeError, match="The 'lowercase' and 'casefold' parameters must be bools."):
        lexsim.CountVectorizer(casefold=1, n_jobs=0).fit(["a b"])
    with pytest.raises(ValueError, match="'n_features' parameter of HashingVectorizer"):
        lexsim.HashingVectorizer(n_features=0, norm="l3").transform(["a b"])


def test_the_option_names_python_spells_are_the_cores() -> None:
    from lexsim import search, similarity
    from lexsim.cli import _build_parser

    assert list(search._SCORINGS) == _core.scoring_names()
    assert sorted(search.BM25_METHODS) == sorted(_core.bm25_method_names())
    assert list(similarity.GROUP_METHODS) == _core.group_method_names()
    parser = _build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    options = {o: a for a in sub.choices["search"]._actions for o in a.option_strings}
    assert list(options["--scoring"].choices) == _core.scoring_names()
    assert list(options["--bm25-method"].choices) == list(search.BM25_METHODS)
    options = {o: a for a in sub.choices["groups"]._actions for o in a.option_strings}
    assert list(options["--method"].choices) == _core.group_method_names()

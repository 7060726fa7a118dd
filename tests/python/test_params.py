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

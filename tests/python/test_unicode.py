"""The Unicode rules lexsim shares with Python, checked on every code point.

lexsim's character data comes from utf8proc (cpp/src/unicode/); scikit-learn's from the running
Python. They must agree on every code point both know. Code points assigned only in the newer of the
two Unicode versions are the documented exception, pinned at the end.
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest
from sklearn.feature_extraction import text as sk

import lexsim
from lexsim import _core


def _options(**kw) -> _core.AnalyzerOptions:
    o = _core.AnalyzerOptions()
    for k, v in kw.items():
        setattr(o, k, v)
    return o


def assigned_code_points() -> list[str]:
    """Every code point Python's unicodedata knows (surrogates excluded: str cannot hold them in UTF-8)."""
    return [chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and unicodedata.category(chr(cp)) != "Cn"]


ALL = assigned_code_points()


def chunks(chars: list[str], size: int = 4096):
    for i in range(0, len(chars), size):
        yield chars[i : i + size]


def test_lowercase_equals_python_str_lower_for_every_code_point() -> None:
    lower = _core.Analyzer(_options(lowercase=True))
    mismatches = []
    for part in chunks(ALL):
        text = " ".join(part)
        if lower.preprocess(text) != text.lower():
            mismatches += [c for c in part if lower.preprocess(c) != c.lower()]
    assert mismatches == []


@pytest.mark.parametrize(
    "text",
    [
        "ΟΔΟΣ",
        "ΟΔΟΣ.",
        "Σ",
        "ΑΣ'",
        "ΑΣ'Α",
        "ΑΣΑ",
        "Α\u0301Σ",
        "ΑΣ\u0301",
        "ΑΣ\u0301Α",
        "1Σ",
        "ΑΣ1",
        "ᾼΣ",
        "ʰΣ",
        "AΣb",
        "Ⓐ Σ",
    ],
)
def test_final_sigma_context_equals_python(text: str) -> None:
    assert _core.Analyzer(_options()).preprocess(text) == text.lower()


def test_word_characters_equal_python_re_for_every_code_point() -> None:
    # Each character between two letters: one token if it is \w, else two.
    tokenize = _core.Analyzer(_options(lowercase=False, token_pattern=r"\w+")).tokenize
    pattern = re.compile(r"\w+")
    bad = []
    for part in chunks(ALL):
        text = " ".join("a" + c + "b" for c in part)
        if tokenize(text) != pattern.findall(text):
            bad += [c for c in part if tokenize("a" + c + "b") != pattern.findall("a" + c + "b")]
    assert [f"U+{ord(c):04X}" for c in bad] == []


def test_whitespace_equals_python_for_every_code_point_below_u3100() -> None:
    # scikit-learn's char analyzer collapses runs of two or more \s into one space.
    chars = [c for c in ALL if ord(c) < 0x3100]
    text = "".join("a" + c + c + "b" for c in chars)
    ours = _core.Analyzer(_options(lowercase=False, analyzer=_core.AnalyzerKind.char, ngram_range=(1, 1))).analyze(text)
    theirs = sk.CountVectorizer(lowercase=False, analyzer="char").build_analyzer()(text)
    assert ours == theirs


@pytest.mark.parametrize("mode", ["unicode", "ascii"])
def test_strip_accents_equals_scikit_learn_for_every_code_point(mode: str) -> None:
    ours = lexsim.strip_accents_unicode if mode == "unicode" else lexsim.strip_accents_ascii
    theirs = sk.strip_accents_unicode if mode == "unicode" else sk.strip_accents_ascii
    bad = []
    for part in chunks(ALL):
        text = " ".join(part)
        if ours(text) != theirs(text):
            bad += [c for c in part if ours(c) != theirs(c)]
    assert [f"U+{ord(c):04X}" for c in bad] == []


def test_python_fallback_for_unicode_version_is_pinned() -> None:
    """Characters added to Unicode after Python's own data are the one documented difference:
    lexsim (utf8proc) knows them, Python does not. U+31350 is a CJK ideograph added in Unicode 15."""
    text = "中\U00031350文"
    ours = lexsim.CountVectorizer().build_analyzer()(text)
    theirs = sk.CountVectorizer().build_analyzer()(text)
    if unicodedata.category("\U00031350") == "Cn":  # this Python predates Unicode 15
        assert lexsim.unicode_version >= "15.0.0"
        assert ours == [text] and theirs == []
    else:
        assert ours == theirs


def _random_bytes(rng: random.Random) -> bytes:
    pieces = [
        b"a",
        b" ",
        b"\xc3\xa9",
        b"\xe2\x82\xac",
        b"\xf0\x9f\x98\x80",
        b"\xed\xa0\x80",
        b"\xc0\xaf",
        b"\xe0\x80",
        b"\xf4\x90\x80\x80",
        b"\xff",
        b"\x80",
        b"\xe1\x80",
        b"\xf0\x9f\x98",
        b"\xc2",
        b"\xef\xbf\xbd",
    ]
    out = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
    if rng.random() < 0.3:
        out += bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
    return out


@pytest.mark.parametrize("errors", ["replace", "ignore"])
def test_decode_error_matches_python_on_random_bytes(errors: str) -> None:
    rng = random.Random(7)
    plain = _core.Analyzer(_options(lowercase=False, decode_error=getattr(_core.DecodeError, errors)))
    for _ in range(5000):
        data = _random_bytes(rng)
        assert plain.preprocess(data) == data.decode("utf-8", errors), data


def test_strict_decoding_names_the_byte_offset_python_names() -> None:
    rng = random.Random(11)
    strict = _core.Analyzer(_options(lowercase=False))
    checked = 0
    for _ in range(3000):
        data = _random_bytes(rng)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            with pytest.raises(lexsim.UnicodeError) as ours:
                strict.preprocess(data)
            assert ours.value.byte_offset == e.start
            assert f"byte offset {e.start}" in str(ours.value)
            checked += 1
    assert checked > 500


def test_vectorizer_reports_document_and_offset_for_invalid_utf8() -> None:
    with pytest.raises(ValueError, match=r"document 2: invalid UTF-8 at byte offset 3") as e:
        lexsim.CountVectorizer().fit([b"fine", "also fine", b"bad\xffbyte"])
    assert e.value.document == 2 and e.value.byte_offset == 3


def test_token_offsets_point_into_the_original_text() -> None:
    text = "İstanbul’da Erdoğan, ÇAVUŞOĞLU ve ﬁnance: ΟΔΟΣ!"
    for kw in (
        {},
        {"strip_accents": _core.StripAccents.unicode},
        {"normalization": _core.Normalization.nfkc},
        {"casefold": True},
    ):
        analyzer = _core.Analyzer(_options(**kw))
        tokens = analyzer.tokens_with_offsets(text)
        assert [t.text for t in tokens] == analyzer.analyze(text)
        raw = text.encode("utf-8")
        for t in tokens:
            assert raw[t.byte_begin : t.byte_end].decode("utf-8") == text[t.char_begin : t.char_end]
            # the original span, processed the same way, gives the token back
            assert analyzer.preprocess(text[t.char_begin : t.char_end]) == t.text


@pytest.mark.parametrize("form", ["NFC", "NFKC"])
def test_normalization_equals_unicodedata(form: str) -> None:
    samples = ["e\u0301", "ﬁ", "Å", "A\u030a", "ｶﾞ", "한국어", "\u1100\u1161\u11a8", "x²", "q\u0307\u0323", "Ǆ", "①"]
    samples += ["".join(random.Random(3).choice(ALL[:3000]) for _ in range(40)) for _ in range(50)]
    analyzer = _core.Analyzer(_options(lowercase=False, normalization=getattr(_core.Normalization, form.lower())))
    for s in samples:
        assert analyzer.preprocess(s) == unicodedata.normalize(form, s)


def test_casefold_equals_python_for_common_scripts() -> None:
    analyzer = _core.Analyzer(_options(casefold=True))
    chars = [c for c in ALL if ord(c) < 0x10000]
    bad = [c for c in chars if analyzer.preprocess(c) != c.casefold()]
    # utf8proc's case folding is Unicode's full folding, as Python's is.
    assert [f"U+{ord(c):04X}" for c in bad] == []


def test_accent_folding_makes_spellings_one_feature() -> None:
    vec = lexsim.TfidfVectorizer(strip_accents="unicode")
    vec.fit(["Erdoğan ERDOĞAN Erdogan", "Çavuşoğlu Cavusoglu", "Türkiye TÜRKİYE Turkiye"])
    assert list(vec.get_feature_names_out()) == ["cavusoglu", "erdogan", "turkiye"]


def test_unicode_versions_are_reported() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", lexsim.unicode_version)
    assert sys.version_info >= (3, 9)


def test_lone_surrogates_are_refused_with_the_document_named() -> None:
    """A str holding a lone surrogate has no UTF-8 form; lexsim says so instead of guessing
    (the documented difference from scikit-learn, which tokenizes around it)."""
    with pytest.raises(ValueError, match=r"document 1 .*lone surrogate"):
        lexsim.TfidfVectorizer().fit(["fine text", "bad \ud800 text"])
    # One text at a time (build_analyzer and friends): the same encoder, naming where the surrogate is.
    analyze = lexsim.CountVectorizer().build_analyzer()
    assert analyze("Çavuşoğlu ok") == ["çavuşoğlu", "ok"]
    with pytest.raises(ValueError, match=r"text .*lone surrogate code point at index 6"):
        analyze("Ça va \udc80 non")
    with pytest.raises(ValueError, match=r"document 0 .*lone surrogate code point at index 0"):
        lexsim.CountVectorizer().fit(["\ud83d and an emoji's other half missing"])


def test_nul_and_control_characters_tokenize_as_scikit_learn_does() -> None:
    docs = ["nul\x00inside\x00word", "ctrl\x01\x02\x1fx bell\x07 c1\x85next\x9fend", "tab\tsep\x0bvt\x1cfs"]
    for kw in ({}, {"analyzer": "char", "ngram_range": (1, 2)}, {"analyzer": "char_wb", "ngram_range": (2, 3)}):
        assert (
            lexsim.CountVectorizer(**kw).fit(docs).get_feature_names_out().tolist()
            == sk.CountVectorizer(**kw).fit(docs).get_feature_names_out().tolist()
        )


def test_default_analyzer_equals_scikit_learn_for_every_code_point() -> None:
    """The default word analysis (lowercase + (?u)\\b\\w\\w+\\b) runs on lexsim's fused UTF-8 path;
    every assigned code point between letters must give scikit-learn's tokens."""
    ours = lexsim.CountVectorizer().build_analyzer()
    theirs = sk.CountVectorizer().build_analyzer()
    bad = []
    for part in chunks(ALL, 2048):
        text = " ".join("Ab" + c + "Cd" for c in part)
        if ours(text) != theirs(text):
            bad += [c for c in part if ours("Ab" + c + "Cd") != theirs("Ab" + c + "Cd")]
    assert [f"U+{ord(c):04X}" for c in bad] == []

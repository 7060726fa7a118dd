"""Shared fixtures: the real corpora in ../shared/corpora and a hand-made set of hard Unicode cases."""

from __future__ import annotations

import json
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPORA = pathlib.Path(os.environ.get("LEXSIM_CORPORA", ROOT.parent / "shared" / "corpora"))


def _require(path: pathlib.Path) -> pathlib.Path:
    if not path.exists():
        message = f"corpus not found: {path} (set LEXSIM_CORPORA to the shared/corpora folder)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def read_news_seeds() -> tuple[list[str], list[str]]:
    folder = _require(CORPORA / "news-seeds")
    files = sorted(folder.glob("*.txt"))
    return [f.name for f in files], [f.read_text(encoding="utf-8") for f in files]


def read_sentences() -> list[str]:
    path = _require(CORPORA / "sentences" / "sentences.jsonl")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


# Hard cases: each is a document; together they exercise every special rule of Python's str.lower(),
# re's \w and \s, NFKD, and scikit-learn's n-gram loops.
HARD_UNICODE = [
    "İstanbul'da İSTANBUL ve Iğdır; DİYARBAKIR",  # Turkish dotted capital I lowercases to i + U+0307
    "ıi İI Iı",  # dotless i
    "हिन्दी भाषा में किताबें पढ़ना",  # Devanagari: viramas and vowel signs are combining marks
    "क़िला ज़रूर",  # nukta
    "ﬁnance ﬂow ﬀ ﬃ ﬄ Æsir œuvre ß Straße",  # ligatures
    "ＦＵＬＬＷＩＤＴＨ　ｔｅｘｔ　１２３",  # fullwidth forms and ideographic space
    "x² + y³ = z⁴ H₂O ½ ¼ ⅓ ① ⑳ Ⅻ",  # superscripts, subscripts, fractions, circled and roman numerals
    "emoji 😀🎉 mixed👍🏽text ❤️ flags 🇹🇷🇺🇦",  # emoji, skin tones, variation selectors, flags
    "ΟΔΟΣ ΟΔΟΣ. Σ ΑΣ ΑΣ' ΑΣΑ ΌΣΟΣ ΣΑΣ",  # Greek final sigma in all its contexts
    "nul\x00inside\x00word ctrl\x01\x02\x1f bell\x07 del\x7f c1\x85next\x9fend",  # NUL and controls
    "tabs\tand\nnewlines\r\nand\x0bvt\x0cff  double  space\u00a0nbsp\u2009thin\u3000ideo",
    "Erdoğan Erdogan ERDOĞAN Çavuşoğlu Cavusoglu Türkiye Turkiye TÜRKİYE",
    "café cafe\u0301 CAFÉ naïve coöperate résumé",  # precomposed and decomposed accents
    "“curly quotes” ‘single’ — em-dash – en-dash … ellipsis",
    "Ǆemal ǅemal ǆemal ǈ ǉ ǋ",  # titlecase digraphs
    "Привет, МИР! Ёлка ёжик",  # Cyrillic
    "مرحبا بالعالم العربي ١٢٣",  # Arabic with Arabic-Indic digits
    "日本語のテキスト、中文文本。한국어 텍스트",  # CJK and Hangul
    "under_score __dunder__ snake_case_name x_",
    "a b c d e f g",  # one-letter words (not tokens by default)
    "ﾊﾝｶｸ ｶﾀｶﾅ ｶﾞ",  # halfwidth katakana with a voiced mark
    "Ⓐⓑⓒ ⅰⅱⅲ ᴬᴮᴰ ʰʲ ª º",  # letters that are cased only by Other_Uppercase/Other_Lowercase
    "",  # empty document
    "   \t\n  ",  # whitespace only
    "\U0001d400\U0001d401\U0001d402 \U0001d7ce\U0001d7cf",  # mathematical bold letters and digits
    "Ⱥⱥ Ⱦⱦ ẞß ϴθ Ωω K k Å å",  # case pairs whose lower changes length in UTF-8
]

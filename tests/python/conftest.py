"""Shared fixtures: the real corpora in ../shared/corpora and a hand-made set of hard Unicode cases."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# tests/reference: the slow reference implementations, imported as reference.<module>.
sys.path.insert(0, str(ROOT / "tests"))

# The Ctrl-C tests send SIGINT to this process. A shell starts a background job (`make test &`)
# with SIGINT ignored, and Python then installs no handler: the signal would be lost and the long
# call it should stop would run to the end (one of them grows to tens of GB). Python's own handler
# makes them behave as in a terminal.
if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, signal.SIG_DFL, None):
    signal.signal(signal.SIGINT, signal.default_int_handler)
CORPORA = pathlib.Path(os.environ.get("LEXSIM_CORPORA") or ROOT.parent / "shared" / "corpora")

#: Every skip for missing corpora has this reason prefix: such tests are counted apart and summed
#: up in one line at the end of the run (pytest_report_teststatus, pytest_terminal_summary).
_NO_CORPORA = "needs the corpora: "
_NO_CORPORA_CATEGORY = "skipped (no corpora)"


def corpora_required_by() -> str:
    """The variable that makes missing corpora a failure ("LEXSIM_REQUIRE_CORPORA=1", "CI=true"), or ""."""
    for name, shown in (("LEXSIM_REQUIRE_CORPORA", "LEXSIM_REQUIRE_CORPORA=1"), ("CI", "CI=true")):
        if os.environ.get(name, "").strip().lower() in ("1", "true", "yes"):
            return shown
    return ""


def _require(path: pathlib.Path) -> pathlib.Path:
    """``path`` inside the corpora; skips the test when it is missing, or fails it when they are required."""
    if not path.exists():
        required = corpora_required_by()
        if required:
            pytest.fail(
                f"the corpora are required ({required}) but {path} is missing "
                "(set LEXSIM_CORPORA=<the shared corpora folder>)",
                pytrace=False,
            )
        pytest.skip(_NO_CORPORA + str(CORPORA if not CORPORA.exists() else path))
    return path


def _corpora_skip(report: pytest.TestReport) -> str:
    """The missing path when ``report`` is a skip for missing corpora, else ""."""
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        if _NO_CORPORA in reason:
            return reason.split(_NO_CORPORA, 1)[1]
    return ""


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config):
    if report.when == "setup" or report.when == "call":
        if _corpora_skip(report):
            return _NO_CORPORA_CATEGORY, "s", "SKIPPED"
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    reports = terminalreporter.stats.get(_NO_CORPORA_CATEGORY, [])
    if reports:
        missing = sorted({_corpora_skip(r) for r in reports})
        terminalreporter.write_line(
            f"skipped {len(reports)} Python tests that need the corpora: {', '.join(missing)} not found "
            "(set LEXSIM_CORPORA=<the shared corpora folder>; CI=true or LEXSIM_REQUIRE_CORPORA=1 makes this a failure)",
            yellow=True,
        )


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

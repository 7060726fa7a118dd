"""The benchmark corpora: built once, cached under ``build/bench-data``, read back as a list of str.

Three corpora, sized by one figure ``size_mb`` (megabytes of UTF-8 document text, 1 MB = 10^6 bytes):

``sentences``
    The texts of ``sentences/sentences.jsonl`` from the shared corpora, cycled in file order until
    the corpus holds at least ``size_mb`` MB: many short documents (~80 bytes each).
``news``
    The 5 articles of ``news-seeds/*.txt``, each one whole document, cycled until the corpus holds
    at least ``size_mb`` MB: many copies of 5 long documents (~2.2 KB each; not split into paragraphs).
``nonlatin``
    Generated, at least ``size_mb / 2`` MB: documents of random words in Cyrillic, Arabic, CJK (Han
    and katakana) or Devanagari, with punctuation, a few digits and a few words from another script.
    Each script has a fixed vocabulary of invented words whose frequencies follow Zipf's law, so the
    number of distinct terms grows with the corpus the way a real vocabulary does. CJK words are
    separated by spaces, as after word segmentation. Seeded: the same size gives the same text.

A cached corpus is one UTF-8 file of documents separated by NUL characters (no document contains
one) beside a JSON sidecar that records how it was built; it is rebuilt when the recipe, the size or
the source files change. Run ``python benchmarks/corpora.py --size-mb 100`` to build them; it prints
the sidecars as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = Path(os.environ.get("LEXSIM_CORPORA") or ROOT.parent / "shared" / "corpora")
DEFAULT_CACHE = ROOT / "build" / "bench-data"
NAMES = ("sentences", "news", "nonlatin")
SEPARATOR = "\0"
#: Bump when a builder changes what it writes, so that cached files are rebuilt.
RECIPE = 1
NONLATIN_SEED = 20240718

DESCRIPTIONS = {
    "sentences": "sentences.jsonl texts cycled: many short English documents",
    "news": "the 5 news-seeds articles cycled, one document each: long English documents",
    "nonlatin": "generated Cyrillic/Arabic/CJK/Devanagari words, Zipf-distributed, with punctuation",
}


def target_bytes(name: str, size_mb: float) -> int:
    """Bytes of document text the corpus ``name`` must reach (the non-Latin one is half the size)."""
    return int(size_mb * 1e6 / (2 if name == "nonlatin" else 1))


def _sentence_texts(shared: Path) -> list[str]:
    with open(shared / "sentences" / "sentences.jsonl", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def _news_articles(shared: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((shared / "news-seeds").glob("*.txt"))]


def _source_files(name: str, shared: Path) -> list[Path]:
    if name == "sentences":
        return [shared / "sentences" / "sentences.jsonl"]
    if name == "news":
        return sorted((shared / "news-seeds").glob("*.txt"))
    return []


def missing_sources(shared: Path = DEFAULT_SHARED) -> list[Path]:
    """The source files of the English corpora that are not there (``shared`` itself when it is missing)."""
    if not shared.is_dir():
        return [shared]
    wanted = [shared / "sentences" / "sentences.jsonl", shared / "news-seeds"]
    return [p for p in wanted if not p.exists()] or (
        [] if _source_files("news", shared) else [shared / "news-seeds" / "*.txt"]
    )


def _cycle_to(docs: list[str], target: int) -> list[str]:
    """``docs`` repeated in order (the last copy cut short) until their UTF-8 size reaches ``target``."""
    sizes = [len(d.encode("utf-8")) for d in docs]
    if sum(sizes) == 0:
        raise ValueError("the source documents are empty")
    out: list[str] = []
    total = 0
    while total < target:
        for doc, size in zip(docs, sizes):
            out.append(doc)
            total += size
            if total >= target:
                break
    return out


# ---------------------------------------------------------------------------- non-Latin generator

_CYR_CONSONANTS = "бвгджзйклмнпрстфхцчшщ"
_CYR_VOWELS = "аеёиоуыэюя"
_AR_LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهوي"
_DEV_CONSONANTS = [chr(c) for c in range(0x0915, 0x093A)]
_DEV_VOWEL_SIGNS = [chr(c) for c in (0x093E, 0x093F, 0x0940, 0x0941, 0x0942, 0x0947, 0x0948, 0x094B, 0x094C)]
_DEV_VOWELS = [chr(c) for c in (0x0905, 0x0906, 0x0907, 0x0908, 0x0909, 0x090A, 0x090F, 0x0910, 0x0913, 0x0914)]
_DEV_VIRAMA, _DEV_ANUSVARA = "\u094d", "\u0902"

#: Per script: sentence endings (with weights), the comma, and the digits numbers are written with.
_PUNCTUATION = {
    "cyrillic": ((".", "!", "?", "…"), (8, 1, 1, 1), ",", "0123456789"),
    "arabic": ((".", "؟", "!"), (8, 1, 1), "،", "٠١٢٣٤٥٦٧٨٩"),
    "cjk": (("。", "！", "？"), (8, 1, 1), "、", "0123456789"),
    "devanagari": (("।", "?", "!"), (8, 1, 1), ",", "०१२३४५६७८९"),
}
SCRIPTS = tuple(_PUNCTUATION)
_VOCABULARY_SIZE = 40_000
_ZIPF_EXPONENT = 1.07


def _cyrillic_word(r: random.Random) -> str:
    n = r.randint(2, 11)
    start_with_vowel = r.random() < 0.25
    letters = []
    for i in range(n):
        vowel = (i % 2 == 0) == start_with_vowel
        letters.append(r.choice(_CYR_VOWELS if vowel else _CYR_CONSONANTS))
        if not vowel and r.random() < 0.05:
            letters.append("ь")
    return "".join(letters)


def _arabic_word(r: random.Random) -> str:
    word = "".join(r.choice(_AR_LETTERS) for _ in range(r.randint(2, 7)))
    if r.random() < 0.2:
        word = "ال" + word
    if r.random() < 0.1:
        word += "ة"
    return word


def _cjk_word(r: random.Random) -> str:
    if r.random() < 0.15:  # a katakana loanword
        kana = "".join(chr(r.randint(0x30A2, 0x30F3)) for _ in range(r.randint(2, 5)))
        return kana + ("ー" if r.random() < 0.3 else "")
    return "".join(chr(r.randint(0x4E00, 0x6FFF)) for _ in range(r.choice((1, 2, 2, 2, 3))))


def _devanagari_word(r: random.Random) -> str:
    parts = [r.choice(_DEV_VOWELS)] if r.random() < 0.15 else []
    for _ in range(r.randint(1, 4)):
        if r.random() < 0.1:  # a conjunct: consonant + virama + consonant
            parts.append(r.choice(_DEV_CONSONANTS) + _DEV_VIRAMA)
        parts.append(r.choice(_DEV_CONSONANTS))
        if r.random() < 0.6:
            parts.append(r.choice(_DEV_VOWEL_SIGNS))
    if r.random() < 0.1:
        parts.append(_DEV_ANUSVARA)
    return "".join(parts)


_WORD_MAKERS = {"cyrillic": _cyrillic_word, "arabic": _arabic_word, "cjk": _cjk_word, "devanagari": _devanagari_word}


def _vocabulary(script: str, r: random.Random) -> list[str]:
    """``_VOCABULARY_SIZE`` distinct invented words; their index is their frequency rank."""
    make = _WORD_MAKERS[script]
    words: dict[str, None] = {}
    while len(words) < _VOCABULARY_SIZE:
        words.setdefault(make(r))
    return list(words)


def _zipf_cdf(n: int, exponent: float) -> list[float]:
    weights = [1.0 / (rank**exponent) for rank in range(1, n + 1)]
    total = math.fsum(weights)
    cdf, running = [], 0.0
    for w in weights:
        running += w
        cdf.append(running / total)
    cdf[-1] = 1.0
    return cdf


def _nonlatin_documents(target: int, seed: int = NONLATIN_SEED) -> list[str]:
    """Generated documents until their UTF-8 size reaches ``target`` bytes."""
    r = random.Random(seed)
    vocab = {s: _vocabulary(s, r) for s in SCRIPTS}
    cum_weights = _zipf_cdf(_VOCABULARY_SIZE, _ZIPF_EXPONENT)
    docs: list[str] = []
    total = 0
    while total < target:
        script = r.choice(SCRIPTS)
        enders, ender_weights, comma, digits = _PUNCTUATION[script]
        n_words = max(5, min(2000, int(r.lognormvariate(math.log(120), 0.6))))
        words = r.choices(vocab[script], cum_weights=cum_weights, k=n_words)
        for i in range(n_words):
            x = r.random()
            if x < 0.03:  # a word from another script, as names and loanwords appear
                words[i] = r.choices(vocab[r.choice(SCRIPTS)], cum_weights=cum_weights)[0]
            elif x < 0.045:
                words[i] = "".join(r.choice(digits) for _ in range(r.randint(1, 4)))
        sentences = []
        i = 0
        while i < n_words:
            n = r.randint(5, 18)
            sentence = words[i : i + n]
            if script == "cyrillic":
                sentence[0] = sentence[0].capitalize()
            for j in range(len(sentence) - 1):
                if r.random() < 0.08:
                    sentence[j] += comma
            sentence[-1] += r.choices(enders, weights=ender_weights)[0]
            sentences.append(" ".join(sentence))
            i += n
        doc = " ".join(sentences)
        docs.append(doc)
        total += len(doc.encode("utf-8"))
    return docs


# ---------------------------------------------------------------------------- cache


def _fingerprint(files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _documents(name: str, target: int, shared: Path) -> list[str]:
    if name == "sentences":
        return _cycle_to(_sentence_texts(shared), target)
    if name == "news":
        return _cycle_to(_news_articles(shared), target)
    if name == "nonlatin":
        return _nonlatin_documents(target)
    raise ValueError(f"unknown corpus {name!r}; known: {', '.join(NAMES)}")


def build(name: str, size_mb: float, cache: Path = DEFAULT_CACHE, shared: Path = DEFAULT_SHARED) -> dict:
    """Build corpus ``name`` into ``cache`` unless an up-to-date copy is there; return its sidecar.

    The sidecar is a dict: ``name``, ``description``, ``path`` (the NUL-separated text file),
    ``docs``, ``bytes`` (UTF-8 document text, separators excluded), ``target_bytes``, ``recipe``
    and ``sources`` (a SHA-256 over the source files, or the generator's seed).
    """
    target = target_bytes(name, size_mb)
    sources = _fingerprint(_source_files(name, shared)) if name != "nonlatin" else f"seed {NONLATIN_SEED}"
    path = cache / f"{name}-{target}.txt"
    meta_path = path.with_suffix(".json")
    if meta_path.exists() and path.exists():
        meta = json.loads(meta_path.read_text())
        if (
            meta.get("recipe") == RECIPE
            and meta.get("sources") == sources
            and path.stat().st_size == meta["bytes"] + meta["docs"] - 1
        ):
            return meta
    docs = _documents(name, target, shared)
    bad = next((i for i, d in enumerate(docs) if SEPARATOR in d), None)
    if bad is not None:
        raise ValueError(f"{name}: document {bad} contains a NUL character, which this cache uses as separator")
    cache.mkdir(parents=True, exist_ok=True)
    data = SEPARATOR.join(docs).encode("utf-8")
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    meta = {
        "name": name,
        "description": DESCRIPTIONS[name],
        "path": str(path),
        "docs": len(docs),
        "bytes": len(data) - (len(docs) - 1),
        "target_bytes": target,
        "recipe": RECIPE,
        "sources": sources,
    }
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    return meta


def load(path: str | os.PathLike) -> list[str]:
    """The documents of a cached corpus file, as a list of str."""
    with open(path, "rb") as fh:
        return fh.read().decode("utf-8").split(SEPARATOR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size-mb",
        type=float,
        default=100.0,
        help="MB of text for the English corpora; non-Latin gets half (default 100)",
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cache directory (default build/bench-data)")
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="the shared corpora (default ../shared/corpora or $LEXSIM_CORPORA)",
    )
    args = parser.parse_args(argv)
    json.dump({n: build(n, args.size_mb, args.cache, args.shared) for n in NAMES}, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the command prints: progress on stderr, display widths, tables, wrapped lines, search
snippets, and JSON/CSV on stdout."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Callable, Optional


class _Progress:
    """A one-line progress display on stderr, only when stderr is a terminal.

    ``bar`` draws a counted bar (files read); ``step`` shows a label and the elapsed time while one
    long call runs (the C++ core releases the GIL, so a small thread can keep the time ticking).
    """

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.enabled = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.enabled = False
        self._last = 0.0
        self._lock = threading.Lock()
        self._shown = False

    def _draw(self, text: str) -> None:
        with self._lock:
            width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
            self.stream.write("\r" + _cut(text, width) + "\x1b[K")
            self.stream.flush()
            self._shown = True

    def clear(self) -> None:
        if self.enabled and self._shown:
            with self._lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self._shown = False

    def bar(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:  # at most ten redraws a second
            return
        self._last = now
        filled = int(30 * done / total) if total else 30
        self._draw(f"lexsim: {label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        if done >= total:
            self.clear()

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        stop = threading.Event()
        start = time.monotonic()

        def tick() -> None:
            # Quick steps show nothing: the line appears only after a quarter of a second.
            while not stop.wait(0.25 if not self._shown else 0.1):
                self._draw(f"lexsim: {label}... {time.monotonic() - start:.1f}s")

        thread = threading.Thread(target=tick, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            self.clear()


# wcwidth (optional) gives the most exact display widths (emoji sequences, new wide characters).
# It takes longer to import than lexsim itself, so it is imported when a width is first needed:
# the module global _wcswidth is set then (None without wcwidth), and read through __getattr__
# before.
def _wcswidth_function() -> Optional[Callable[[str], int]]:
    function = globals().get("_wcswidth", _wcswidth_function)
    if function is _wcswidth_function:
        try:
            from wcwidth import wcswidth as function
        except ImportError:  # pragma: no cover - depends on the environment
            function = None
        globals()["_wcswidth"] = function
    return function  # type: ignore[return-value]


def __getattr__(name: str) -> Any:
    if name == "_wcswidth":
        return _wcswidth_function()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _char_width(c: str) -> int:
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def _regional(c: str) -> bool:
    return "\U0001f1e6" <= c <= "\U0001f1ff"


def _extends(c: str) -> bool:
    """``c`` belongs to the character before it on screen: a combining mark, a variation selector,
    a zero-width joiner or an emoji skin-tone modifier."""
    return (
        unicodedata.combining(c) != 0
        or unicodedata.category(c) in ("Mn", "Me", "Cf")
        or "\U0001f3fb" <= c <= "\U0001f3ff"
    )


def _clusters(text: str) -> list:
    """``text`` split into what a terminal draws as one character: a base with its combining marks
    and modifiers, an emoji ZWJ sequence, a flag (two regional indicators)."""
    out: list = []
    for c in text:
        if out and (
            _extends(c) or out[-1][-1] == "\u200d" or (_regional(c) and len(out[-1]) == 1 and _regional(out[-1]))
        ):
            out[-1] += c
        else:
            out.append(c)
    return out


def _cluster_width(cluster: str) -> int:
    wcswidth = _wcswidth_function()
    if wcswidth is not None:
        w = wcswidth(cluster)
        if w >= 0:
            return int(w)
    # unicodedata alone: the base character's width; a flag or an emoji presentation is 2.
    if len(cluster) > 1 and (_regional(cluster[0]) or "\ufe0f" in cluster):
        return 2
    return _char_width(cluster[0])


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: wcwidth's count when it is installed, else unicodedata's."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(_cluster_width(g) for g in _clusters(text))


def _cut(text: str, width: Optional[int]) -> str:
    """``text`` in at most ``width`` terminal columns, ending in an ellipsis when it was cut;
    ``width=None``: never cut."""
    if width is None or _width(text) <= width:
        return text
    out, used = [], 0
    for g in _clusters(text):
        w = _cluster_width(g)
        if used + w > width - 1:
            break
        out.append(g)
        used += w
    return "".join(out) + "…"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[int] = (),
    flexible: Sequence[int] = (),
    width: Optional[int] = 100,
    indent: str = "",
) -> list[str]:
    """Aligned columns, two spaces apart, fitting in ``width`` columns by cutting the ``flexible``
    columns (first listed, first cut) with an ellipsis; ``width=None``: nothing is cut."""
    n = len(headers)
    cells = [[_one_line(str(c)) for c in row] for row in rows]
    widths = [max([_width(headers[i])] + [_width(r[i]) for r in cells]) for i in range(n)]
    excess = sum(widths) + 2 * (n - 1) + len(indent) - width if width is not None else 0
    for i in flexible:
        if excess <= 0:
            break
        floor = max(_width(headers[i]), 8)
        cut = min(excess, max(0, widths[i] - floor))
        widths[i] -= cut
        excess -= cut
    lines = []
    for row in [list(headers)] + cells:
        parts = [_pad(_cut(c, widths[i]), widths[i], i in right) for i, c in enumerate(row)]
        lines.append((indent + "  ".join(parts)).rstrip())
    return lines


def _stdout_is_terminal() -> bool:
    try:
        return bool(sys.stdout.isatty())
    except (AttributeError, ValueError):
        return False


def _terminal_width() -> Optional[int]:
    """The terminal's width (at least 60; $COLUMNS overrides it) when stdout is a terminal; None when
    it is piped or captured, where nothing is cut."""
    if not _stdout_is_terminal():
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 40:
        return int(columns)
    return max(60, shutil.get_terminal_size((100, 24)).columns)


def _print_lines(lines: Sequence[str]) -> None:
    sys.stdout.write("".join(line + "\n" for line in lines))


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _print_csv(header: Sequence[str], rows: Iterator[Sequence[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def _score(value: float) -> str:
    return f"{value:.3f}"


def _wrapped_text(label: str, text: str, width: Optional[int]) -> list:
    """``label`` + text, wrapped at spaces to ``width`` on a terminal, else at 100 columns (never cut)."""
    if width is None:
        width = 100
    lines, current = [], label
    for word in text.split(" "):
        if _width(current) + 1 + _width(word) > width and current.strip():
            lines.append(current.rstrip())
            current = " " * len(label) + word
        else:
            current = current + ("" if current.endswith(" ") else " ") + word
    lines.append(current.rstrip())
    return lines


def _wrapped_ids(label: str, ids: Sequence[str], width: Optional[int], max_lines: int = 3) -> list:
    """``label a, b, c`` wrapped to ``width``, at most ``max_lines`` lines, then a count of the rest;
    ``width=None`` (not a terminal): wrapped at 100 columns, every id shown."""
    if width is None:
        width, max_lines = 100, len(ids) + 1
    lines: list[str] = []
    current, shown = label, 0
    for n, doc_id in enumerate(ids):
        piece = doc_id + (", " if n < len(ids) - 1 else "")
        if _width(current) + _width(piece.rstrip()) > width and current.strip():
            if len(lines) + 1 == max_lines:
                break
            lines.append(current.rstrip())
            current = " " * len(label)
        current += piece
        shown += 1
    rest = len(ids) - shown
    if rest:
        current = current.rstrip() + f" … and {rest} more"
    lines.append(current.rstrip())
    return lines


# Stand-ins for the bold on/off escapes while the table measures its cells (private-use characters,
# one column wide, as the escapes' text is not); replaced once the lines are laid out.
_MARK_ON, _MARK_OFF = "\ue000", "\ue001"


# Snippet length, in columns, in JSON and CSV output.
_SNIPPET_WIDTH = 160


# A word of the original text: letters, digits and underscores with any combining marks among them.
_WORD_SPAN = re.compile(r"(?:\w|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")


def _word_analyzer(vectorizer: Any) -> Optional[Callable[[str], list]]:
    """The vectorizer's analyzer when it makes word terms (so that one word of the text can be
    analysed alone), else None (character n-grams: snippets then mark nothing)."""
    get_params = getattr(vectorizer, "get_params", None)
    build = getattr(vectorizer, "build_analyzer", None)
    if not callable(build) or not callable(get_params) or get_params().get("analyzer", "word") != "word":
        return None
    return build()


def _snippet(
    text: str, terms: set, analyze: Optional[Callable[[str], list]], width: int, marks: tuple[str, str]
) -> str:
    """About ``width`` columns of ``text`` around the words whose analysed terms are among the
    query's ``terms``, those words wrapped in ``marks``, whitespace collapsed; the text's start
    when no word matches."""
    matched: list[tuple[int, int, str]] = []  # (start, end, term) of each matched word
    if analyze is not None and terms:
        seen: dict[str, Optional[str]] = {}
        for m in _WORD_SPAN.finditer(text):
            word = m.group()
            if word not in seen:
                seen[word] = next((str(t) for t in analyze(word) if str(t) in terms), None)
            term = seen[word]
            if term is not None:
                matched.append((m.start(), m.end(), term))
    if not matched:
        return _cut(_one_line(text), width)
    # The window (about width characters, starting a quarter of it before a matched word) that
    # holds the most distinct terms; the earliest among equals. It starts at a word's beginning.
    lead = width // 4
    best, best_count = 0, -1
    for s0, _, _ in matched:
        start = max(0, s0 - lead)
        count = len({t for s, e, t in matched if s >= start and e <= start + width})
        if count > best_count:
            best, best_count = start, count
    start = best
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    prefix = "…" if start > 0 else ""
    budget = width - len(prefix)
    mark_width = _width(marks[0]) + _width(marks[1])
    out, used, pos = [prefix], len(prefix), start
    for s, e, _ in matched:
        if s < pos:
            continue
        plain = _WHITESPACE.sub(" ", text[pos:s])
        if pos == start:
            plain = plain.lstrip()
        word = text[s:e]
        need = _width(plain) + _width(word) + mark_width
        if used + need > budget - 1:  # room for a closing ellipsis
            break
        out.append(plain + marks[0] + word + marks[1])
        used += need
        pos = e
    tail = _WHITESPACE.sub(" ", text[pos:]).rstrip()
    if pos == start:
        tail = tail.lstrip()
    if used + _width(tail) <= budget:
        return "".join(out) + tail
    cut = _cut(tail, max(1, budget - used))[:-1]
    if cut and not tail[len(cut)].isspace():  # end at a word: drop the one cut in two
        cut = cut[: max(0, cut.rfind(" "))]
    return "".join(out) + cut.rstrip() + "…"


_WHITESPACE = re.compile(r"\s+")

"""The examples in docstrings, in the docs' pages (docs/) and in the README run and print what they claim.

A page's example is a ```python block; each line it should print is written after ``# -> `` on
the line that prints it (a note in parentheses may follow: ``# -> True (bit for bit)``). Every
block of every page runs, as a script would run it (``__name__ == "__main__"``).
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import subprocess
import sys

import pytest
from conftest import ROOT

import lexsim
import lexsim._threads
import lexsim.datasets
import lexsim.hashing
import lexsim.keyterms
import lexsim.search
import lexsim.similarity
import lexsim.tfidf
import lexsim.vectorizers

DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]

#: Where each example lives (page, heading): the README's examples moved to these pages, and the
#: README keeps its tour; none may be lost when pages are rearranged.
EXAMPLES = [
    ("README.md", "## A short tour"),
    ("docs/guide/vectorizers.md", "# Vectorizers, threads and scikit-learn interop"),
    ("docs/guide/stories.md", "# Finding the same story"),
    ("docs/guide/search.md", "# Search"),
    ("docs/guide/search.md", "## Growing, saving and loading an index"),
    ("docs/guide/hashing.md", "# Hashing: HashingVectorizer"),
    ("docs/guide/models.md", "# Model files"),
    ("docs/guide/incremental.md", "# Incremental and out-of-core fits"),
    ("docs/guide/transformer.md", "# Count matrices: TfidfTransformer"),
    ("docs/guide/arrow.md", "# Arrow, pandas and polars input"),
    ("docs/guide/dask.md", "# Beyond one machine: Dask"),
]


def python_blocks(path) -> list[tuple[int, str]]:
    """(first line, code) of each ```python block of a Markdown page."""
    text = path.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start(1)) + 1, m.group(1))
        for m in re.finditer(r"^```python\n(.*?)^```", text, re.S | re.M)
    ]


def section(page: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    text = (ROOT / page).read_text(encoding="utf-8")
    body = re.split(rf"^{re.escape(heading)}\n", text, maxsplit=1, flags=re.M)[1]
    level = heading.split(" ", 1)[0]
    return re.split(rf"^#{{1,{len(level)}}} ", body, maxsplit=1, flags=re.M)[0]


BLOCKS = [(page, line, code) for page in PAGES for line, code in python_blocks(page)]


def run_block(code: str, filename: str, first_line: int) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):  # line numbers of tracebacks are the page's
        exec(compile("\n" * (first_line - 1) + code, filename, "exec"), {"__name__": "__main__"})
    return out.getvalue().splitlines()


@pytest.mark.parametrize(
    "module",
    [
        lexsim,
        lexsim.vectorizers,
        lexsim.hashing,
        lexsim.similarity,
        lexsim.search,
        lexsim.datasets,
        lexsim.keyterms,
        lexsim._threads,
        lexsim.tfidf,
    ],
)
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize(("page", "line", "code"), BLOCKS, ids=[f"{p.relative_to(ROOT)}:{n}" for p, n, _ in BLOCKS])
def test_page_python_examples(page, line: int, code: str) -> None:
    expected = [m.group(1).strip() for m in re.finditer(r"# -> (.*)", code)]
    printed = run_block(code, str(page.relative_to(ROOT)), line)
    assert len(printed) == len(expected), (printed, expected)
    for got, claim in zip(printed, expected):
        assert got == claim or claim.startswith(got + " ("), (got, claim)


@pytest.mark.parametrize(("page", "heading"), EXAMPLES)
def test_every_example_is_still_on_its_page(page: str, heading: str) -> None:
    assert "```python\n" in section(page, heading), f"{page} lost the example under {heading!r}"


def test_dask_example_runs_as_a_script(tmp_path) -> None:
    """Pasted into a file and run with python, as a user would (worker processes re-import it)."""
    pytest.importorskip("distributed")
    block = section("docs/guide/dask.md", "# Beyond one machine: Dask").split("```python\n", 1)[1].split("```", 1)[0]
    script = tmp_path / "dask_example.py"
    script.write_text(block, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["0", "0"]

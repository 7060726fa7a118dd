"""The examples in docstrings and in the README run and print what they claim."""

from __future__ import annotations

import contextlib
import doctest
import io
import re

import pytest

import lexsim
import lexsim.datasets
import lexsim.hashing
import lexsim.keyterms
import lexsim.search
import lexsim.similarity
import lexsim.vectorizers
from conftest import ROOT


@pytest.mark.parametrize("module", [lexsim, lexsim.vectorizers, lexsim.hashing, lexsim.similarity, lexsim.search, lexsim.datasets,
                                    lexsim.keyterms])
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("section", ["## Python quick start", "## Finding the same story", "## Hashing: HashingVectorizer",
                                     "## Model files", "## Incremental and out-of-core fits", "## Beyond one machine: Dask"])
def test_readme_python_examples(section: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(re.escape(section) + r".*?```python\n(.*?)```", readme, re.S).group(1)
    expected = [m.group(1).split(" (")[0].strip() for m in re.finditer(r"# -> (.*)", block)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    assert out.getvalue().splitlines() == expected

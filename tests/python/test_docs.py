"""The examples in docstrings and in the README run and print what they claim."""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import subprocess
import sys

import pytest

import lexsim
import lexsim._threads
import lexsim.datasets
import lexsim.hashing
import lexsim.keyterms
import lexsim.search
import lexsim.similarity
import lexsim.tfidf
import lexsim.vectorizers
from conftest import ROOT


@pytest.mark.parametrize("module", [lexsim, lexsim.vectorizers, lexsim.hashing, lexsim.similarity, lexsim.search, lexsim.datasets,
                                    lexsim.keyterms, lexsim._threads, lexsim.tfidf])
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("section", ["## Python quick start", "## Finding the same story", "## Hashing: HashingVectorizer",
                                     "## Model files", "## Incremental and out-of-core fits", "### Count matrices: TfidfTransformer",
                                     "## Beyond one machine: Dask", "## Arrow, pandas and polars input"])
def test_readme_python_examples(section: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(re.escape(section) + r".*?```python\n(.*?)```", readme, re.S).group(1)
    expected = [m.group(1).split(" (")[0].strip() for m in re.finditer(r"# -> (.*)", block)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {"__name__": "__main__"})  # as a script runs it
    assert out.getvalue().splitlines() == expected


def test_readme_dask_example_runs_as_a_script(tmp_path) -> None:
    """Pasted into a file and run with python, as a user would (worker processes re-import it)."""
    pytest.importorskip("distributed")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Beyond one machine: Dask.*?```python\n(.*?)```", readme, re.S).group(1)
    script = tmp_path / "dask_example.py"
    script.write_text(block, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["0", "0"]

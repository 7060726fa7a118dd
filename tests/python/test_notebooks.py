"""The notebooks run top to bottom on a real Jupyter kernel, on the built-in sample and on the real
corpora, and are stored without outputs."""

from __future__ import annotations

import nbformat
import pytest
from conftest import CORPORA, ROOT, _require
from nbclient import NotebookClient

NOTEBOOK_DIR = ROOT / "notebooks"
#: Each notebook's real corpus (the sample is the other run).
REAL = {
    "01-news-stories": "news-seeds",
    "02-search-and-duplicates": "sentences/sentences.jsonl",
    "03-scikit-learn-interop": "sentences/sentences.jsonl",
    "04-dask": "sentences/sentences.jsonl",
}


def test_every_notebook_is_listed() -> None:
    assert sorted(p.stem for p in NOTEBOOK_DIR.glob("*.ipynb")) == sorted(REAL)


@pytest.mark.parametrize("name", sorted(REAL))
def test_notebook_is_stored_without_outputs(name: str) -> None:
    book = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: clear the outputs before committing"


def _run(name: str, corpus: str, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    monkeypatch.setenv("LEXSIM_CORPUS", corpus)
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    book = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    client = NotebookClient(
        book, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK_DIR)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, when a cell fails
    return book


def _outputs(book: nbformat.NotebookNode) -> list:
    return [o for cell in book.cells if cell.cell_type == "code" for o in cell.outputs]


@pytest.mark.parametrize("name", sorted(REAL))
@pytest.mark.parametrize("corpus", ["sample", "real"])
def test_notebook_runs(name: str, corpus: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = "" if corpus == "sample" else str(_require(CORPORA / REAL[name]))
    book = _run(name, path, monkeypatch)
    outputs = _outputs(book)
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert figures, "every notebook draws at least one figure"
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    source = "the built-in sample" if corpus == "sample" else path
    assert f"from {source}" in text or name.startswith("03")

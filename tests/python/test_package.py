"""Packaging promises: one version everywhere, typed package, demo data, interrupts."""

from __future__ import annotations

import importlib.metadata
import os
import pathlib
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import ROOT

import lexsim


def test_version_is_the_same_everywhere() -> None:
    cmake_version = re.search(r"project\(lexsim VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text()).group(1)
    assert lexsim.__version__ == cmake_version == importlib.metadata.version("lexsim") == lexsim._core.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", lexsim.__version__)


def test_package_is_typed_and_exports_what_it_documents() -> None:
    pkg = pathlib.Path(lexsim.__file__).parent
    assert (pkg / "py.typed").exists() and (pkg / "_core.pyi").exists()
    for name in lexsim.__all__:
        obj = getattr(lexsim, name)
        if callable(obj) and not isinstance(obj, type(lexsim.__version__)):
            assert obj.__doc__, f"{name} has no docstring"


def test_stubs_describe_the_compiled_module() -> None:
    stub = (pathlib.Path(lexsim.__file__).parent / "_core.pyi").read_text()
    for name in (
        "class TfidfVectorizer",
        "class CountVectorizer",
        "class Analyzer",
        "def top_k",
        "def english_stop_words",
    ):
        assert name in stub
    assert not [n for n in dir(lexsim._core) if not n.startswith("_") and n not in stub]


def test_sample_corpus_has_six_stories_and_both_spellings() -> None:
    from lexsim.datasets import load_sample

    articles = load_sample()
    assert len(articles) == 30 and len({a.story for a in articles}) == 6
    text = " ".join(a.text for a in articles)
    for accented, plain in [("Erdoğan", "Erdogan"), ("Çavuşoğlu", "Cavusoglu"), ("Türkiye", "Turkiye")]:
        assert accented in text and plain in text


def test_sample_stories_are_recovered_by_nearest_neighbours() -> None:
    from lexsim.datasets import load_sample

    articles = load_sample()
    X = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True).fit_transform(
        [a.title + "\n" + a.text for a in articles]
    )
    nn = lexsim.top_k(X, k=1)
    for i, a in enumerate(articles):
        assert articles[nn.indices[nn.indptr[i]]].story == a.story, a.id


def test_demo_command_prints_terms_and_neighbours() -> None:
    out = subprocess.run([sys.executable, "-m", "lexsim", "report"], capture_output=True, text=True, check=True).stdout
    assert "30 articles" in out
    assert out.count("terms:") == 30 and out.count("nearest:") == 30
    assert "erdogan" in out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery to self is POSIX")
def test_ctrl_c_stops_a_long_fit_quickly_and_leaves_the_vectorizer_usable() -> None:
    docs = [f"word{i} other{i % 977} text goes here with several more tokens" for i in range(3_000_000)]
    vec = lexsim.TfidfVectorizer()
    vec.fit(["a fitted state that must survive", "the interrupt"])
    before = list(vec.get_feature_names_out())
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        vec.fit(docs)
    elapsed = time.perf_counter() - start
    timer.join()
    assert elapsed < 0.3 + 1.0, f"took {elapsed:.2f}s to stop"
    assert list(vec.get_feature_names_out()) == before
    assert vec.transform(["the interrupt"]).nnz == 2


def test_the_package_type_checks() -> None:
    # The typed layer (py.typed, _core.pyi) is only worth shipping if mypy accepts it.
    import subprocess
    import sys

    pytest.importorskip("mypy")
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]

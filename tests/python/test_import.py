"""``import lexsim`` loads no optional library, and neither does everyday use that needs none.

Behaviour, not timing: each check runs in a fresh interpreter and looks at ``sys.modules``
(speed is measured by hand, see docs/guide/vectorizers.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

# Optional libraries (and scikit-learn's heavy dependencies) that `import lexsim` must not load.
# threadpoolctl is not one of them: lexsim may register its threads with it at import (it has to
# come before the user's threadpool_limits, and costs a few milliseconds).
OPTIONAL = [
    "sklearn",
    "pandas",
    "dask",
    "distributed",
    "pyarrow",
    "polars",
    "matplotlib",
    "wordfreq",
    "igraph",
    "wcwidth",
    "joblib",
    "scipy.stats",
    "scipy.linalg",
    "scipy.sparse.linalg",
]


def _loaded_after(code: str) -> dict:
    """Runs ``code`` in a fresh interpreter; which of OPTIONAL (and scipy.sparse) it loaded."""
    script = textwrap.dedent(code) + textwrap.dedent(f"""
        import json, sys
        names = {OPTIONAL + ["scipy.sparse"]!r}
        print(json.dumps({{n: n in sys.modules for n in names}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_import_lexsim_loads_no_optional_library_and_not_scipy_sparse():
    loaded = _loaded_after("import lexsim")
    assert [name for name in OPTIONAL if loaded[name]] == []
    assert not loaded["scipy.sparse"]  # imported on first use (lexsim._lazy)


def test_using_lexsim_needs_no_sklearn():
    loaded = _loaded_after("""
        import pickle
        import lexsim
        docs = ["Erdoğan met Putin", "Putin met Assad", "rain in Paris"]
        vec = lexsim.TfidfVectorizer(ngram_range=(1, 2), stop_words="english", strip_accents="unicode", min_df=1,
                                     sublinear_tf=True, n_jobs=2)
        X = vec.fit_transform(docs)
        repr(vec), repr(lexsim.CountVectorizer()), vec.get_params(), vec.set_params(min_df=1)
        pickle.loads(pickle.dumps(vec)).transform(docs)
        lexsim.top_k(X, k=1), lexsim.similar_pairs(X, 0.1), lexsim.group(X, 0.5), lexsim.top_terms(vec, X, 2)
        lexsim.HashingVectorizer(n_features=64).transform(docs)
        lexsim.SearchIndex(vec, X).search("putin")
        try:
            lexsim.CountVectorizer().transform(docs)
        except lexsim.NotFittedError:
            pass
    """)
    assert [name for name in OPTIONAL if loaded[name]] == []
    assert loaded["scipy.sparse"]


def test_import_submodules_and_the_command_load_no_optional_library():
    loaded = _loaded_after("import lexsim.cli, lexsim.corpus, lexsim.model, lexsim.datasets, lexsim.keyterms")
    assert [name for name in OPTIONAL if loaded[name]] == []
    loaded = _loaded_after("""
        import contextlib, io, lexsim.cli
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                lexsim.cli.main(["--help"])
            except SystemExit:
                pass
    """)
    assert [name for name in OPTIONAL if loaded[name]] == []


def test_sklearn_is_imported_when_its_html_repr_is_asked_for():
    pytest.importorskip("sklearn")
    loaded = _loaded_after("import lexsim; lexsim.TfidfVectorizer()._repr_mimebundle_()")
    assert loaded["sklearn"]


def test_lexsim_dask_loads_dask_but_not_pandas_or_sklearn():
    pytest.importorskip("dask.bag")
    loaded = _loaded_after("import lexsim.dask")
    assert loaded["dask"] and not loaded["sklearn"] and not loaded["pandas"]


def test_without_sklearn_installed():
    """With scikit-learn absent (simulated), the vectorizers work, print their parameters, pickle;
    what needs scikit-learn says so."""
    code = textwrap.dedent("""
        import pickle, sys
        sys.modules["sklearn"] = None  # as if it were not installed: importing it raises ImportError
        import lexsim, lexsim._base
        assert not lexsim._base.HAVE_SKLEARN
        v = lexsim.TfidfVectorizer(min_df=1, casefold=True).fit(["apple banana", "banana cherry"])
        print(repr(v))
        print(repr(lexsim.TfidfVectorizer(ngram_range=(1, 2), stop_words="english", strip_accents="unicode",
                                          min_df=1, max_df=0.9, sublinear_tf=True, n_jobs=2)))
        print(len(repr(lexsim.CountVectorizer(stop_words=["w%d" % i for i in range(50)])).splitlines()))
        print(hasattr(v, "_repr_html_"), v._repr_mimebundle_() == {"text/plain": repr(v)})
        w = pickle.loads(pickle.dumps(v))
        print(w.get_params() == v.get_params(), (w.transform(["apple cherry"]) != v.transform(["apple cherry"])).nnz)
        print(v.set_params(min_df=2).min_df, [k.__name__ for k in lexsim.NotFittedError.__mro__[:4]])
        try:
            v.get_metadata_routing()
        except ImportError as e:
            print(e)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "TfidfVectorizer(casefold=True)",
        "TfidfVectorizer(max_df=0.9, n_jobs=2, ngram_range=(1, 2), stop_words='english',",
        "                strip_accents='unicode', sublinear_tf=True)",
        "1",  # a value too long for a line is not broken without scikit-learn's printer
        "False True",
        "True 0",
        "2 ['NotFittedError', 'ValueError', 'AttributeError', 'Exception']",
        "metadata routing needs scikit-learn: pip install scikit-learn",
    ]

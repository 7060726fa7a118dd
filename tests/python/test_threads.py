"""Results never depend on n_jobs: fit, transform and fit_transform are bit-for-bit identical."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from conftest import HARD_UNICODE, read_news_seeds, read_sentences

import lexsim


def assert_identical(X, Y) -> None:
    assert X.shape == Y.shape and X.dtype == Y.dtype
    np.testing.assert_array_equal(X.indptr, Y.indptr)
    np.testing.assert_array_equal(X.indices, Y.indices)
    assert X.data.tobytes() == Y.data.tobytes()


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"min_df": 3, "max_df": 0.4},
        {"max_features": 2000},
        {"stop_words": "english", "ngram_range": (1, 2), "sublinear_tf": True},
        {"analyzer": "char_wb", "ngram_range": (2, 4)},
        {"strip_accents": "unicode", "binary": True, "dtype": np.float32},
        {"token_pattern": r"[A-Za-z]{3,}"},  # Python tokenization, C++ counting
    ],
)
def test_tfidf_is_identical_for_every_n_jobs(kwargs: dict) -> None:
    docs = read_sentences()[:20000] + HARD_UNICODE + read_news_seeds()[1]
    ref_vec = lexsim.TfidfVectorizer(n_jobs=1, **kwargs)
    ref = ref_vec.fit_transform(docs)
    ref_t = ref_vec.transform(docs[::3])
    for n_jobs in (2, 3, -1):
        vec = lexsim.TfidfVectorizer(n_jobs=n_jobs, **kwargs)
        assert_identical(vec.fit_transform(docs), ref)
        assert list(vec.get_feature_names_out()) == list(ref_vec.get_feature_names_out())
        assert vec.idf_.tobytes() == ref_vec.idf_.tobytes()
        assert_identical(vec.transform(docs[::3]), ref_t)
        assert_identical(vec.fit(docs).transform(docs[::3]), ref_t)


def test_count_is_identical_for_every_n_jobs() -> None:
    docs = read_sentences()[:30000]
    ref = lexsim.CountVectorizer(n_jobs=1).fit_transform(docs)
    for n_jobs in (2, -1):
        assert_identical(lexsim.CountVectorizer(n_jobs=n_jobs).fit_transform(docs), ref)


def test_the_first_bad_document_is_reported_whatever_the_threads() -> None:
    docs = ["good text"] * 5000 + [b"bad \xff one"] + ["more text"] * 5000 + [b"bad \xfe two"] + ["x y"] * 5000
    for n_jobs in (1, 2, 3):
        with pytest.raises(ValueError, match=r"document 5000: invalid UTF-8 at byte offset 4"):
            lexsim.TfidfVectorizer(n_jobs=n_jobs).fit(docs)


def test_n_jobs_set_after_fit_or_load_is_used(tmp_path) -> None:
    docs = read_sentences()[:20000]
    vec = lexsim.TfidfVectorizer().fit(docs)
    ref = vec.transform(docs)
    vec.set_params(n_jobs=2)
    assert vec._native.n_jobs == 1  # nothing changes until the next call...
    assert_identical(vec.transform(docs), ref)
    assert vec._native.n_jobs == 2  # ...which runs on two threads
    vec.save(tmp_path / "m.lexsim")
    loaded = lexsim.load(tmp_path / "m.lexsim")
    loaded.set_params(n_jobs=-1)
    assert_identical(loaded.transform(docs), ref)
    assert loaded._native.n_jobs == -1
    with pytest.raises(ValueError, match="n_jobs"):
        loaded.set_params(n_jobs=0).transform(docs[:3])


# ---------------------------------------------------------------------------------------------------
# How many threads: n_jobs=-1 counts the CPUs the process may use, within threadpoolctl's limit or
# the environment's (LEXSIM_NUM_THREADS, OMP_NUM_THREADS); explicit n_jobs are honoured.


threadpoolctl = pytest.importorskip("threadpoolctl")


def run_python(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("LEXSIM_NUM_THREADS", "OMP_NUM_THREADS")}
    environment.update(env)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=environment, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def no_thread_env(monkeypatch):
    monkeypatch.delenv("LEXSIM_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    lexsim._core.set_thread_limit(0)
    yield monkeypatch
    lexsim._core.set_thread_limit(0)


def test_explicit_n_jobs_are_honoured_and_bad_ones_named(no_thread_env) -> None:
    assert lexsim.effective_n_jobs(None) == 1
    assert lexsim.effective_n_jobs(1) == 1
    assert lexsim.effective_n_jobs(5) == 5
    assert lexsim.effective_n_jobs(-1) == lexsim._core.available_cpus() >= 1
    for bad in (0, -2):
        with pytest.raises(ValueError, match=f"n_jobs must be None, -1 or a positive integer; got {bad}"):
            lexsim.effective_n_jobs(bad)
    for bad in (1.5, "2", True):
        with pytest.raises(TypeError, match="n_jobs must be an int or None"):
            lexsim.effective_n_jobs(bad)


def test_minus_one_counts_the_cpus_of_the_affinity_mask() -> None:
    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("no sched_setaffinity on this platform")
    # As under `taskset -c <one cpu>`: the mask is set before lexsim is imported, and a fit with
    # n_jobs=-1 then runs on one thread and gives the same matrix.
    out = run_python("""
        import os
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        import lexsim
        docs = ["Erdogan met Putin in Sochi", "Putin met Assad in Moscow"] * 2000
        a = lexsim.TfidfVectorizer(n_jobs=-1).fit_transform(docs)
        b = lexsim.TfidfVectorizer(n_jobs=1).fit_transform(docs)
        print(lexsim.effective_n_jobs(-1), lexsim._core.available_cpus(), (a != b).nnz)
    """)
    assert out == "1 1 0"


def test_environment_limits_minus_one_only() -> None:
    out = run_python(
        "import lexsim; print(lexsim.effective_n_jobs(-1), lexsim.effective_n_jobs(3))", OMP_NUM_THREADS="1"
    )
    assert out == "1 3"
    cpus = lexsim._core.available_cpus()
    out = run_python(
        "import lexsim; print(lexsim.effective_n_jobs(-1))", OMP_NUM_THREADS="1", LEXSIM_NUM_THREADS=str(cpus)
    )
    assert out == str(cpus)  # LEXSIM_NUM_THREADS comes first
    out = run_python("import lexsim; print(lexsim.effective_n_jobs(-1))", OMP_NUM_THREADS="lots")
    assert out == str(cpus)  # not a count: ignored, as OpenMP ignores it


def test_a_bad_lexsim_num_threads_is_named(no_thread_env) -> None:
    no_thread_env.setenv("LEXSIM_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="LEXSIM_NUM_THREADS must be a positive integer; got 'many'"):
        lexsim.TfidfVectorizer(n_jobs=-1).fit(["a b c"])
    assert lexsim.TfidfVectorizer(n_jobs=2).fit(["ab cd"]).get_feature_names_out().tolist() == ["ab", "cd"]


def test_threadpoolctl_sees_and_limits_lexsim(no_thread_env) -> None:
    cpus = lexsim._core.available_cpus()
    info = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "lexsim"]
    assert len(info) == 1
    assert info[0]["internal_api"] == "lexsim" and info[0]["version"] == lexsim.__version__
    assert info[0]["num_threads"] == cpus
    with threadpoolctl.threadpool_limits(limits=1):
        assert lexsim.effective_n_jobs(-1) == 1
        assert lexsim.effective_n_jobs(2) == 2  # an explicit request is honoured
    assert lexsim.effective_n_jobs(-1) == cpus
    assert lexsim._core.thread_limit() == 0  # restored, not pinned to the count read before
    with threadpoolctl.threadpool_limits(limits=1, user_api="lexsim"):
        assert lexsim.effective_n_jobs(-1) == 1
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        assert lexsim.effective_n_jobs(-1) == cpus
    # threadpoolctl's limit comes before the environment's
    no_thread_env.setenv("OMP_NUM_THREADS", "1")
    assert lexsim.effective_n_jobs(-1) == 1
    with threadpoolctl.threadpool_limits(limits=cpus, user_api="lexsim"):
        assert lexsim.effective_n_jobs(-1) == cpus
    assert lexsim.effective_n_jobs(-1) == 1


class _ThreadProbe:
    """An estimator that records, when fitted, how many threads lexsim's n_jobs=-1 would run."""

    def get_params(self, deep: bool = True) -> dict:
        return {}

    def set_params(self, **params):  # noqa: ANN201
        return self

    def fit(self, X, y=None):  # noqa: ANN001, ANN201
        self.threads_ = lexsim.effective_n_jobs(-1)
        return self

    def predict(self, X):  # noqa: ANN001, ANN201
        return np.zeros(X.shape[0])

    def score(self, X, y=None):  # noqa: ANN001, ANN201
        return 0.0


def test_minus_one_inside_joblib_process_workers_takes_their_share(no_thread_env) -> None:
    joblib = pytest.importorskip("joblib")
    sklearn_model_selection = pytest.importorskip("sklearn.model_selection")
    sklearn_pipeline = pytest.importorskip("sklearn.pipeline")
    share = max(joblib.cpu_count() // 2, 1)
    expected = min(lexsim._core.available_cpus(), share)
    seen = joblib.Parallel(n_jobs=2, backend="loky")(joblib.delayed(lexsim.effective_n_jobs)(-1) for _ in range(4))
    assert seen == [expected] * 4
    # The case users meet: a vectorizer with n_jobs=-1 in a pipeline cross-validated on 2 processes.
    pipe = sklearn_pipeline.Pipeline([("tfidf", lexsim.TfidfVectorizer(n_jobs=-1)), ("probe", _ThreadProbe())])
    docs = ["Erdogan met Putin", "Putin met Assad", "rates held in May", "Assad in Moscow"] * 5
    result = sklearn_model_selection.cross_validate(
        pipe, docs, np.zeros(len(docs)), cv=2, n_jobs=2, return_estimator=True
    )
    assert [est.named_steps["probe"].threads_ for est in result["estimator"]] == [expected] * 2

"""One benchmark measurement, in a fresh process, printed as one JSON object on stdout.

    python benchmarks/worker.py --corpus FILE --tool TOOL --op OP [--n-jobs N] [--repeat N] [--budget-s S]
    python benchmarks/worker.py --corpus FILE --op parity

A measurement reads the corpus into a list of str (not timed), builds the tool, and for ``transform``
fits it on the same corpus (not timed). It then resets the process's peak-RSS mark (Linux
``/proc/self/clear_refs``), notes the RSS, and times the operation with ``time.perf_counter``: best
of up to ``--repeat`` runs, another run being started only while the runs so far plus one more stay
within ``--budget-s`` seconds. Peak RSS is ``getrusage(RUSAGE_SELF).ru_maxrss`` after the first run:
the whole process (interpreter, corpus, tool and output) at its highest during that run.

``--op parity`` checks lexsim against scikit-learn with default parameters instead: for
TfidfVectorizer and CountVectorizer, n_jobs 1 and 2, lexsim's ``fit_transform`` and ``fit`` +
``transform`` must give scikit-learn's ``fit_transform`` feature names exactly and its matrix to
1e-12 (counts exactly); for HashingVectorizer, n_jobs 1 and 2, ``fit_transform`` and ``transform``
(without fit) must give scikit-learn's sparsity structure (explicit zeros included) and values to
1e-12. The process exits with status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpora  # noqa: E402  (benchmarks/ is not a package)

OPERATIONS = ("fit", "transform", "fit_transform")
TFIDF_TOLERANCE = 1e-12


class GensimTfidf:
    """gensim's equivalent of a TF-IDF vectorizer's fit / transform / fit_transform.

    Tokens are scikit-learn's default ones (``str.lower()``, then the pattern ``(?u)\\b\\w\\w+\\b``),
    so gensim sees the same terms as the others. ``fit`` builds a ``Dictionary`` (term ids and
    document frequencies) and a ``TfidfModel`` from it; ``transform`` turns each document into a
    bag of words, weights it with the model and gathers the vectors into a documents x terms CSR
    matrix with ``corpus2csc``, so that the output is a matrix like the others'.
    """

    _token = re.compile(r"(?u)\b\w\w+\b").findall

    def __init__(self) -> None:
        from gensim.corpora import Dictionary
        from gensim.matutils import corpus2csc
        from gensim.models import TfidfModel

        self._dictionary_class, self._model_class, self._corpus2csc = Dictionary, TfidfModel, corpus2csc

    def _tokens(self, doc: str) -> list[str]:
        return self._token(doc.lower())

    def fit(self, docs: list[str]) -> GensimTfidf:
        self.dictionary = self._dictionary_class(self._tokens(d) for d in docs)
        self.model = self._model_class(dictionary=self.dictionary)
        return self

    def transform(self, docs: list[str]) -> Any:
        bow = self.dictionary.doc2bow
        vectors = (self.model[bow(self._tokens(d))] for d in docs)
        return self._corpus2csc(vectors, num_terms=len(self.dictionary), num_docs=len(docs)).T.tocsr()

    def fit_transform(self, docs: list[str]) -> Any:
        return self.fit(docs).transform(docs)


def make_tool(tool: str, n_jobs: int) -> Any:
    """A fresh, unfitted instance of ``tool`` (one of :data:`TOOLS`)."""
    if tool.startswith("sklearn-"):
        from sklearn.feature_extraction import text

        return {
            "sklearn-tfidf": text.TfidfVectorizer,
            "sklearn-count": text.CountVectorizer,
            "sklearn-hashing": text.HashingVectorizer,
        }[tool]()
    if tool.startswith("lexsim-"):
        import lexsim

        if tool == "lexsim-tfidf":
            return lexsim.TfidfVectorizer(n_jobs=n_jobs)
        if tool == "lexsim-count":
            return lexsim.CountVectorizer(n_jobs=n_jobs)
        if tool == "lexsim-count-nfkc":
            return lexsim.CountVectorizer(n_jobs=n_jobs, normalization="NFKC", casefold=True)
        if tool == "lexsim-hashing":
            return lexsim.HashingVectorizer(n_jobs=n_jobs)
    if tool == "gensim-tfidf":
        return GensimTfidf()
    raise ValueError(f"unknown tool {tool!r}")


TOOLS = (
    "sklearn-tfidf",
    "sklearn-count",
    "sklearn-hashing",
    "gensim-tfidf",
    "lexsim-tfidf",
    "lexsim-count",
    "lexsim-count-nfkc",
    "lexsim-hashing",
)


def _mib(kib: float) -> float:
    return round(kib / 1024, 1)


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def _reset_peak_rss() -> bool:
    """Lower the peak-RSS mark to the current RSS (Linux >= 4.0); False where that is not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _describe(output: Any) -> dict:
    shape = getattr(output, "shape", None)
    return {"shape": list(shape), "nnz": int(output.nnz)} if shape is not None else {}


def measure(docs: list[str], tool: str, op: str, n_jobs: int, repeat: int, budget_s: float) -> dict:
    """Time ``op`` of ``tool`` on ``docs`` and measure the peak RSS of its first run."""
    fitted = make_tool(tool, n_jobs).fit(docs) if op == "transform" else None
    times: list[float] = []
    result: dict[str, Any] = {}
    while len(times) < repeat and (not times or sum(times) + min(times) <= budget_s):
        subject = fitted if fitted is not None else make_tool(tool, n_jobs)
        gc.collect()
        if not times:
            reset = _reset_peak_rss()
            result["peak_reset"] = reset
            result["rss_before_mib"] = _mib(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss if reset else _status_kib("VmRSS")
            )
        start = time.perf_counter()
        output = getattr(subject, op)(docs)
        times.append(time.perf_counter() - start)
        if len(times) == 1:
            result["peak_rss_mib"] = _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            result["vmhwm_mib"] = _mib(_status_kib("VmHWM"))
            result["output"] = _describe(output)
        del output, subject
    result.update(times=[round(t, 6) for t in times], best_s=round(min(times), 6))
    return result


def _max_abs_diff(a: Any, b: Any) -> float:
    if a.shape != b.shape:
        return float("inf")
    diff = abs(a.astype("float64") - b.astype("float64"))
    return float(diff.max()) if diff.nnz else 0.0


def check_parity(docs: list[str]) -> dict:
    """lexsim vs scikit-learn, default parameters, on ``docs``: a list of checks and an overall ok."""
    import numpy as np
    from sklearn.feature_extraction import text

    import lexsim

    checks = []
    for kind, reference_class, lexsim_class, tolerance in (
        ("TfidfVectorizer", text.TfidfVectorizer, lexsim.TfidfVectorizer, TFIDF_TOLERANCE),
        ("CountVectorizer", text.CountVectorizer, lexsim.CountVectorizer, 0.0),
    ):
        reference = reference_class()
        expected = reference.fit_transform(docs)
        names = reference.get_feature_names_out()
        del reference
        for n_jobs in (1, 2):
            for op in ("fit_transform", "transform"):
                vec = lexsim_class(n_jobs=n_jobs)
                got = vec.fit_transform(docs) if op == "fit_transform" else vec.fit(docs).transform(docs)
                same_names = bool(np.array_equal(vec.get_feature_names_out(), names))
                diff = _max_abs_diff(expected, got)
                checks.append(
                    {
                        "class": kind,
                        "n_jobs": n_jobs,
                        "op": op,
                        "features": len(names),
                        "same_feature_names": same_names,
                        "max_abs_diff": diff,
                        "tolerance": tolerance,
                        "ok": same_names and diff <= tolerance,
                    }
                )
                del vec, got
                gc.collect()
        del expected, names
        gc.collect()
    checks += _check_hashing_parity(docs)
    return {"checks": checks, "ok": all(c["ok"] for c in checks)}


def _check_hashing_parity(docs: list[str]) -> list[dict]:
    """lexsim's HashingVectorizer (stateless: ``transform`` without fit) against scikit-learn's:
    the same sparsity structure, explicit zeros included, and values to 1e-12."""
    import numpy as np
    from sklearn.feature_extraction import text

    import lexsim

    expected = text.HashingVectorizer().fit_transform(docs)
    checks = []
    for n_jobs in (1, 2):
        for op in ("fit_transform", "transform"):
            got = getattr(lexsim.HashingVectorizer(n_jobs=n_jobs), op)(docs)
            same = bool(
                got.shape == expected.shape
                and np.array_equal(got.indptr, expected.indptr)
                and np.array_equal(got.indices, expected.indices)
            )
            diff = _max_abs_diff(expected, got)
            checks.append(
                {
                    "class": "HashingVectorizer",
                    "n_jobs": n_jobs,
                    "op": op,
                    "features": expected.shape[1],
                    "same_feature_names": None,
                    "same_structure": same,
                    "max_abs_diff": diff,
                    "tolerance": TFIDF_TOLERANCE,
                    "ok": same and diff <= TFIDF_TOLERANCE,
                }
            )
            del got
            gc.collect()
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, help="a corpus file written by corpora.py")
    parser.add_argument("--tool", choices=TOOLS, help="what to measure (not needed with --op parity)")
    parser.add_argument("--op", required=True, choices=(*OPERATIONS, "parity"))
    parser.add_argument("--n-jobs", type=int, default=1, help="n_jobs for lexsim (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs at most, the best is kept (default 3)")
    parser.add_argument(
        "--budget-s",
        type=float,
        default=20.0,
        help="start another run only while all runs fit in this many seconds (default 20)",
    )
    args = parser.parse_args(argv)
    if args.op != "parity" and args.tool is None:
        parser.error("--tool is required unless --op parity")
    docs = corpora.load(args.corpus)
    if args.op == "parity":
        result = check_parity(docs)
    else:
        result = {"tool": args.tool, "op": args.op, "n_jobs": args.n_jobs}
        result.update(measure(docs, args.tool, args.op, args.n_jobs, max(1, args.repeat), args.budget_s))
    print(json.dumps(result))
    return 0 if result.get("ok", True) else 1


if __name__ == "__main__":
    sys.exit(main())

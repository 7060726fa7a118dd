"""Story-group benchmarks: lexsim.group against scikit-learn's clusterers.

    python benchmarks/grouping.py [--smoke] [--subset N] [--full-size-mb MB]

Input: the analyst TF-IDF matrix (accents folded, English stop words, sublinear tf) of sentence
texts. Two parts, each tool in a fresh process (so its peak memory is its own):

* the **subset**: the first ``--subset`` sentences of ``sentences/sentences.jsonl`` (default
  10,000; smoke 1,000), the most that scikit-learn's ``AgglomerativeClustering`` (average linkage,
  cosine, dense distances: n^2 memory) and ``HDBSCAN`` (cosine, brute force) handle in minutes.
  Documents left without terms (stop words only) are dropped for every tool.
  Rows: lexsim leiden and single linkage, AgglomerativeClustering cut at cosine 0.2, HDBSCAN
  ``min_cluster_size=2``. Each row gives the time, the peak memory the call added, the number of
  groups of two or more and the share of the largest group;
* the **full corpus**: lexsim leiden on the benchmark sentences corpus (``corpora.py``, the
  ``--full-size-mb`` MB version; 1.3 million sentences at 100 MB). The peers are not run on it:
  their memory grows as n^2.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Optional

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpora  # noqa: E402

ANALYST = dict(strip_accents="unicode", stop_words="english", sublinear_tf=True)
TOOLS = (
    "lexsim leiden",
    "lexsim single 0.5",
    "sklearn AgglomerativeClustering average cosine 0.2",
    "sklearn HDBSCAN cosine",
)


def _rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(tool: str, docs: list[str], jobs: int) -> dict:
    """One tool on docs, in this process: time, memory added, group sizes."""
    import lexsim

    X = lexsim.TfidfVectorizer(**ANALYST, n_jobs=jobs).fit_transform(docs)
    del docs
    X = X[np.diff(X.indptr) > 0]  # documents without terms: AgglomerativeClustering refuses them
    before = _rss_mib()
    params: dict = {}
    start = time.perf_counter()
    if tool == "lexsim leiden":
        g = lexsim.group(X, n_jobs=jobs)
        labels, params = g.labels, g.params
    elif tool == "lexsim single 0.5":
        labels = lexsim.group(X, 0.5, n_jobs=jobs).labels
    elif tool.startswith("sklearn AgglomerativeClustering"):
        from sklearn.cluster import AgglomerativeClustering

        model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=0.8)
        labels = model.fit_predict(X.toarray())
    elif tool == "sklearn HDBSCAN cosine":
        from sklearn.cluster import HDBSCAN

        labels = HDBSCAN(min_cluster_size=2, metric="cosine").fit_predict(X)
        noise = labels < 0  # noise points are groups of one
        labels = labels.copy()
        labels[noise] = labels.max() + 1 + np.arange(int(noise.sum()))
    else:
        raise ValueError(f"unknown tool {tool!r}")
    seconds = time.perf_counter() - start
    sizes = np.bincount(np.unique(labels, return_inverse=True)[1])
    return {
        "tool": tool,
        "docs": X.shape[0],
        "seconds": seconds,
        "added_mib": max(0.0, _peak_mib() - before),
        "groups": int((sizes >= 2).sum()),
        "largest_share": float(sizes.max() / X.shape[0]),
        "singletons": int((sizes == 1).sum()),
        "params": {k: v for k, v in params.items() if k != "threshold"},
    }


def _child(tool: str, source: str, n: int, jobs: int) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--child", tool, "--source", source, "--n", str(n), "--jobs", str(jobs)],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        return {"tool": tool, "error": (run.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(run.stdout)


def _docs(source: str, n: int) -> list[str]:
    docs = corpora._sentence_texts(corpora.DEFAULT_SHARED) if source == "sentences" else corpora.load(source)
    return docs[:n] if n > 0 else docs


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="1,000 sentences, a 0.2 MB full corpus")
    parser.add_argument("--subset", type=int, default=None, help="sentences for the side-by-side part (default 10000)")
    parser.add_argument("--full-size-mb", type=float, default=None, help="MB of the full corpus (default 100)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--source", default="sentences", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, _docs(args.source, args.n), args.jobs)))
        return 0
    subset = args.subset or (1000 if args.smoke else 10000)
    full_mb = args.full_size_mb or (0.2 if args.smoke else 100.0)
    result: dict[str, Any] = {"subset_docs": subset, "jobs": args.jobs, "subset": [], "full": None}
    for tool in TOOLS:
        row = _child(tool, "sentences", subset, args.jobs)
        result["subset"].append(row)
        print(
            f"grouping {subset} sentences, {tool}: {row.get('seconds', float('nan')):.2f} s",
            file=sys.stderr,
            flush=True,
        )
    full = corpora.build("sentences", full_mb)
    result["full"] = _child("lexsim leiden", full["path"], 0, args.jobs)
    result["full"]["megabytes"] = full["bytes"] / 1e6
    print(
        f"grouping {full['docs']} sentences, lexsim leiden: {result['full'].get('seconds', float('nan')):.1f} s",
        file=sys.stderr,
        flush=True,
    )
    print(json.dumps(result))
    return 0 if all("error" not in r for r in result["subset"]) and "error" not in result["full"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Instructions per input byte, counted by valgrind's callgrind: a figure that, unlike time, does not
move from run to run.

    python benchmarks/callgrind.py [--input-mb 2]

The input is the first ``--input-mb`` MB of ``sentences.jsonl`` (its first documents, built by
corpora.py). One process runs under ``valgrind --tool=callgrind --instr-atstart=no``: it imports
lexsim and scikit-learn, reads the input into a list of str, and then counts three pieces of code
one after another, each between the two marks of ``callgrind_marks.c`` (instrumentation on and
counts zeroed; counts dumped to a file of their own and instrumentation off), so that only they are
instrumented:

* ``baseline``: nothing (what the marks cost themselves),
* ``lexsim``: ``lexsim.TfidfVectorizer(n_jobs=1).fit_transform(docs)``,
* ``sklearn``: ``sklearn.feature_extraction.text.TfidfVectorizer().fit_transform(docs)``.

instructions/byte = (instructions of the piece - instructions of the baseline) / input bytes. The
process runs with ``PYTHONHASHSEED=0`` and one BLAS/OpenMP thread, so the counts repeat from run to
run to within 0.01%. Counting needs valgrind, its header ``valgrind/callgrind.h`` and a C compiler
(``$CC``, default ``cc``); :func:`unavailable` says what is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpora  # noqa: E402  (benchmarks/ is not a package)

HERE = Path(__file__).resolve().parent
MARKS_SOURCE = HERE / "callgrind_marks.c"
PIECES = ("baseline", "lexsim", "sklearn")


def _compiler() -> str:
    return os.environ.get("CC", "cc")


def unavailable() -> str | None:
    """Why instructions cannot be counted on this machine, or None when they can."""
    if shutil.which("valgrind") is None:
        return "valgrind is not installed (Debian: apt-get install valgrind)"
    if shutil.which(_compiler()) is None:
        return f"no C compiler ({_compiler()}) to build the callgrind marks"
    return None


def build_marks(cache: Path) -> Path:
    """The shared library of callgrind_marks.c, compiled into ``cache`` when missing or older than its source."""
    lib = cache / "callgrind_marks.so"
    if not lib.exists() or lib.stat().st_mtime < MARKS_SOURCE.stat().st_mtime:
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([_compiler(), "-O2", "-shared", "-fPIC", "-o", str(lib), str(MARKS_SOURCE)], check=True)
    return lib


def _read_dumps(out_file: Path) -> dict[str, int]:
    """Total instructions of each dump callgrind wrote next to ``out_file``, by the label that triggered it."""
    counts = {}
    for dump in out_file.parent.glob(out_file.name + ".*"):
        label = total = None
        with open(dump) as fh:
            for line in fh:
                if line.startswith("desc: Trigger: Client Request: "):
                    label = line.split(": ", 3)[-1].strip()
                elif line.startswith("totals:"):
                    total = int(line.split()[1])
        if label in PIECES and total is not None:
            counts[label] = total
    missing = set(PIECES) - set(counts)
    if missing:
        raise RuntimeError(f"callgrind wrote no counts for {', '.join(sorted(missing))} next to {out_file}")
    return counts


def measure(input_mb: float, cache: Path = corpora.DEFAULT_CACHE, shared: Path = corpora.DEFAULT_SHARED) -> dict:
    """Count the three pieces in one callgrind run; return the counts and instructions per byte."""
    corpus = corpora.build("sentences", input_mb, cache, shared)
    marks = build_marks(cache)
    out_dir = cache / "callgrind"
    out_dir.mkdir(parents=True, exist_ok=True)
    out_file = out_dir / "callgrind.out"
    for old in out_dir.glob("callgrind.out*"):
        old.unlink()
    env = dict(os.environ, PYTHONHASHSEED="0", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out_file}",
        "-q",
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--corpus",
        corpus["path"],
        "--marks",
        str(marks),
    ]
    run = subprocess.run(command, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"the callgrind run failed ({run.returncode}):\n{run.stderr[-3000:]}")
    counts = _read_dumps(out_file)
    per_byte = {p: (counts[p] - counts["baseline"]) / corpus["bytes"] for p in ("lexsim", "sklearn")}
    return {
        "input": f"first {corpus['docs']:,} documents of sentences.jsonl",
        "docs": corpus["docs"],
        "bytes": corpus["bytes"],
        "instructions": {p: counts[p] for p in PIECES},
        "instructions_per_byte": {p: round(v, 1) for p, v in per_byte.items()},
        "sklearn_over_lexsim": round(per_byte["sklearn"] / per_byte["lexsim"], 2) if per_byte["lexsim"] > 0 else None,
    }


def _child(corpus: str, marks: str) -> None:
    """The process valgrind runs: imports and input first, uncounted; then each piece, counted."""
    import ctypes
    import gc

    from sklearn.feature_extraction.text import TfidfVectorizer

    import lexsim

    docs = corpora.load(corpus)
    lib = ctypes.CDLL(marks)
    lib.lexsim_bench_stop.argtypes = [ctypes.c_char_p]
    pieces = {
        "baseline": lambda: None,
        "lexsim": lambda: lexsim.TfidfVectorizer(n_jobs=1).fit_transform(docs),
        "sklearn": lambda: TfidfVectorizer().fit_transform(docs),
    }
    for label in PIECES:
        gc.collect()
        lib.lexsim_bench_start()
        result = pieces[label]()
        lib.lexsim_bench_stop(label.encode())
        del result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--input-mb", type=float, default=2.0, help="MB of sentences.jsonl text to count on (default 2)"
    )
    parser.add_argument(
        "--cache", type=Path, default=corpora.DEFAULT_CACHE, help="cache directory (default build/bench-data)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--marks", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.corpus, args.marks)
        return 0
    reason = unavailable()
    if reason:
        print(f"cannot count instructions: {reason}", file=sys.stderr)
        return 1
    json.dump(measure(args.input_mb, args.cache), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

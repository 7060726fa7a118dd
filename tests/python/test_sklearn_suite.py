"""scikit-learn's own tests of its text vectorizers, run against lexsim's: the peer suite.

The installed scikit-learn's ``feature_extraction/tests/test_text.py`` is copied into a temporary
folder with its ``from sklearn.feature_extraction.text import ...`` rewritten (with ``ast``) so that
every public name lexsim also provides (``CountVectorizer``, ``TfidfVectorizer``,
``HashingVectorizer``, ``ENGLISH_STOP_WORDS``, ``strip_accents_ascii``, ``strip_accents_unicode``,
and ``TfidfTransformer`` once lexsim has one) comes from lexsim; what lexsim lacks (``strip_tags``)
stays scikit-learn's. pytest runs the copy in a subprocess and reports each test in JUnit XML.

Which tests count ("use the swapped names"), decided statically on the rewritten module: a test
function counts, with all of its parametrizations, when its body, its decorators (parametrize
lists) or its parameters' names reference a swapped name, directly or through module-level
functions and assignments it references (transitively: ``_check_stop_words_consistency(vec)``
or ``preprocessor=uppercase``, which calls ``strip_accents_unicode``, count).

The test fails when the pass rate of those tests (passed / (passed + failed); skipped ones are
counted apart) is below ``MIN_PASS_RATE``, when a test fails that is not in ``KNOWN_FAILURES``, and
when a known failure passes (so the table, and the docs' list made from it, cannot go stale).
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import NamedTuple

import pytest
from conftest import corpora_required_by

import lexsim

#: The least share of the counted tests that must pass.
MIN_PASS_RATE = 0.95

#: The modules whose imports the rewrite looks at.
_SKLEARN_TEXT_MODULES = ("sklearn.feature_extraction.text", "sklearn.feature_extraction")


class KnownFailure(NamedTuple):
    #: Why the test fails: never a difference in behaviour (that gets fixed instead).
    reason: str


#: scikit-learn's tests that fail with lexsim, by test id, each with its reason. The docs page
#: "The parity promise" (docs/parity.md) lists the same.
KNOWN_FAILURES: dict[str, KnownFailure] = {
    "test_countvectorizer_sort_features_64bit_sparse_indices[csr_matrix]": KnownFailure(
        "calls CountVectorizer._sort_features, a private helper of scikit-learn's Python counting loop; "
        "lexsim sorts the vocabulary in C++ and has no such method"
    ),
    "test_countvectorizer_sort_features_64bit_sparse_indices[csr_array]": KnownFailure(
        "calls CountVectorizer._sort_features, a private helper of scikit-learn's Python counting loop; "
        "lexsim sorts the vocabulary in C++ and has no such method"
    ),
}


# ----------------------------------------------------------------------------- the rewrite


def swappable_names(names: list[str]) -> list[str]:
    """The public names of ``names`` that lexsim provides."""
    return [n for n in names if not n.startswith("_") and hasattr(lexsim, n)]


def rewrite(source: str) -> tuple[str, set[str]]:
    """``source`` with its imports from scikit-learn's text module taking lexsim's names instead,
    and the set of names (as bound in the module) that now come from lexsim."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    swapped: set[str] = set()
    edits: list[tuple[int, int, str]] = []
    for node in tree.body:
        if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in _SKLEARN_TEXT_MODULES):
            continue
        ours = set(swappable_names([a.name for a in node.names]))
        if not ours:
            continue
        kept = [a for a in node.names if a.name not in ours]
        moved = [a for a in node.names if a.name in ours]
        swapped.update(a.asname or a.name for a in moved)
        new = []
        if kept:
            new.append(ast.unparse(ast.ImportFrom(module=node.module, names=kept, level=0)))
        new.append(ast.unparse(ast.ImportFrom(module="lexsim", names=moved, level=0)))
        assert node.end_lineno is not None
        edits.append((node.lineno - 1, node.end_lineno, "\n".join(new) + "\n"))
    for begin, end, text in reversed(edits):  # one statement spans whole lines in this file
        lines[begin:end] = [text]
    return "".join(lines), swapped


def _referenced_names(node: ast.AST) -> set[str]:
    """Every name a definition reads, its decorators and parameter names included."""
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        names |= {a.arg for a in node.args.args + node.args.kwonlyargs + node.args.posonlyargs}
    return names


def counted_tests(source: str, swapped: set[str]) -> set[str]:
    """The names of the test functions that use a swapped name (the rule in the module docstring)."""
    tree = ast.parse(source)
    refs: dict[str, set[str]] = {}  # module-level name -> names its definition reads
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            refs.setdefault(node.name, set()).update(_referenced_names(node))
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        refs.setdefault(name.id, set()).update(_referenced_names(node.value) if node.value else set())

    def uses(name: str) -> bool:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for r in refs.get(current, ()):
                if r in swapped:
                    return True
                if r in refs:
                    todo.append(r)
        return False

    return {
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name.startswith("test")
        and uses(node.name)
    }


# ----------------------------------------------------------------------------- running it


class Outcome(NamedTuple):
    test_id: str
    status: str  # "passed", "failed" or "skipped"
    message: str


def run_suite(path: pathlib.Path, folder: pathlib.Path) -> list[Outcome]:
    """Run pytest on ``path`` in a subprocess with this lexsim; each test's outcome."""
    report = folder / "report.xml"
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # this folder is the rootdir
    env = dict(os.environ)
    # The subprocess imports the lexsim this process tests, whatever its working directory.
    package_parent = str(pathlib.Path(lexsim.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", path.name],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if not report.exists():
        pytest.fail(
            f"the peer suite did not run (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    outcomes = []
    for case in ET.parse(report).getroot().iter("testcase"):
        status, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                status = "skipped" if child.tag == "skipped" else "failed"
                message = (child.get("message") or "").strip().split("\n")[0][:200]
                if status == "failed":
                    break
        outcomes.append(Outcome(case.get("name", ""), status, message))
    if not outcomes:
        pytest.fail(f"the peer suite reported no tests (exit {proc.returncode}):\n{proc.stdout[-3000:]}")
    return outcomes


def _sklearn_test_text() -> pathlib.Path:
    """The installed scikit-learn's test_text.py; skips (or fails, when required) without it."""
    spec = importlib.util.find_spec("sklearn")
    path = None
    if spec is not None and spec.submodule_search_locations:
        path = pathlib.Path(list(spec.submodule_search_locations)[0]) / "feature_extraction" / "tests" / "test_text.py"
    if path is None or not path.exists():
        what = "scikit-learn is not installed" if spec is None else f"scikit-learn's bundled tests are missing ({path})"
        required = corpora_required_by()
        if required:
            pytest.fail(f"the scikit-learn peer suite is required ({required}) but {what}", pytrace=False)
        pytest.skip(f"scikit-learn's own test suite not run: {what}")
    return path


# ----------------------------------------------------------------------------- the tests


def test_rewrite_swaps_every_name_lexsim_provides_and_keeps_the_rest() -> None:
    source = (
        "import numpy as np\n"
        "from sklearn.feature_extraction.text import (\n"
        "    ENGLISH_STOP_WORDS,\n"
        "    CountVectorizer as CV,\n"
        "    strip_tags,\n"
        ")\n"
        "from sklearn.pipeline import Pipeline\n"
        "def helper():\n"
        "    return CV()\n"
        "def test_a():\n"
        "    helper()\n"
        "@pytest.mark.parametrize('s', [ENGLISH_STOP_WORDS])\n"
        "def test_b(s):\n"
        "    pass\n"
        "def test_c():\n"
        "    strip_tags('<b>x</b>')\n"
    )
    new, swapped = rewrite(source)
    assert swapped == {"ENGLISH_STOP_WORDS", "CV"}
    assert "from sklearn.feature_extraction.text import strip_tags\n" in new
    assert "from lexsim import ENGLISH_STOP_WORDS, CountVectorizer as CV\n" in new
    assert new.startswith("import numpy as np\n") and "from sklearn.pipeline import Pipeline\n" in new
    assert counted_tests(new, swapped) == {"test_a", "test_b"}
    namespace: dict = {}
    exec("\n".join(line for line in new.splitlines() if line.startswith("from lexsim ")), namespace)
    assert namespace["CV"] is lexsim.CountVectorizer and namespace["ENGLISH_STOP_WORDS"] is lexsim.ENGLISH_STOP_WORDS


def test_missing_scikit_learn_skips_or_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, package=None: None)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("LEXSIM_REQUIRE_CORPORA", raising=False)
    with pytest.raises(pytest.skip.Exception, match="scikit-learn is not installed"):
        _sklearn_test_text()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"required \(CI=true\) but scikit-learn is not installed"):
        _sklearn_test_text()


def test_every_known_failure_is_in_the_docs_with_its_reason() -> None:
    section = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "parity.md").read_text(encoding="utf-8")
    for test_id, known in KNOWN_FAILURES.items():
        assert f"`{test_id}`" in section, f"the parity promise (docs/parity.md) does not list {test_id}"
        assert known.reason, test_id


def test_scikit_learn_own_text_tests_pass_with_lexsim(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture) -> None:
    original = _sklearn_test_text()
    version = importlib.metadata.version("scikit-learn")
    source, swapped = rewrite(original.read_text(encoding="utf-8"))
    for name in ("CountVectorizer", "TfidfVectorizer", "HashingVectorizer"):
        assert name in swapped, f"the rewrite of {original} did not swap {name}"
    counted = counted_tests(source, swapped)
    copy = tmp_path / "test_text.py"
    copy.write_text(source, encoding="utf-8")

    outcomes = run_suite(copy, tmp_path)
    mine = [o for o in outcomes if o.test_id.split("[")[0] in counted]
    passed = [o for o in mine if o.status == "passed"]
    failed = [o for o in mine if o.status == "failed"]
    skipped = [o for o in mine if o.status == "skipped"]
    rate = len(passed) / max(1, len(passed) + len(failed))
    others = [o for o in outcomes if o.test_id.split("[")[0] not in counted]
    with capsys.disabled():
        print(
            f"\nscikit-learn {version} test_text.py with lexsim's {', '.join(sorted(swapped))}: of the "
            f"{len(mine)} tests that use them, {len(passed)} passed, {len(failed)} failed, {len(skipped)} skipped "
            f"(pass rate {rate:.1%}, at least {MIN_PASS_RATE:.0%} required); {len(others)} other tests "
            f"({sum(o.status == 'failed' for o in others)} failed)"
        )

    unexpected = [o for o in failed if o.test_id not in KNOWN_FAILURES]
    now_passing = [o.test_id for o in passed if o.test_id in KNOWN_FAILURES]
    problems = []
    if unexpected:
        problems.append(
            "scikit-learn tests that fail with lexsim and are not known failures (fix the difference):\n"
            + "\n".join(f"  {o.test_id}: {o.message}" for o in unexpected)
        )
    if now_passing:
        problems.append(
            "known failures that now pass: remove them from KNOWN_FAILURES and from docs/parity.md's list:\n"
            + "\n".join(f"  {t}" for t in now_passing)
        )
    if rate < MIN_PASS_RATE:
        problems.append(f"pass rate {rate:.1%} is below {MIN_PASS_RATE:.0%}")
    assert not problems, "\n".join(problems)
    # Tests that do not use lexsim's names test scikit-learn only; they still have to pass here,
    # or the copy is not running as scikit-learn's own run would.
    assert not [o for o in others if o.status == "failed"], [o for o in others if o.status == "failed"]

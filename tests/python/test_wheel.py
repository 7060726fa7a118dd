"""The distributions: the repaired manylinux wheel and the sdist that `make dist` leaves in dist/.

The wheel is installed into a fresh venv (no system site-packages; numpy and scipy come from the
package index pip is configured with) and run there; its _core must resolve no library outside that
venv but the C and C++ runtime, and export nothing but its init function. `make dist` is a no-op
while dist/ is newer than every file it is built from (as after `make test`, which runs it before
pytest); otherwise these tests run it first (a full build from the sdist: minutes).
"""

from __future__ import annotations

import email.parser
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest
from conftest import ROOT

import lexsim

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="manylinux wheels are Linux's")

#: What a manylinux wheel may take from the system: glibc, libstdc++ and libgcc (PEP 600's list
#: also names X11 and GL libraries, which lexsim has no business loading).
SYSTEM_LIBRARIES = {
    "libc.so.6",
    "libm.so.6",
    "libdl.so.2",
    "librt.so.1",
    "libpthread.so.0",
    "libstdc++.so.6",
    "libgcc_s.so.1",
}


def _is_system_runtime(name: str) -> bool:
    return name in SYSTEM_LIBRARIES or name.startswith(("ld-linux", "linux-vdso", "linux-gate"))


def _clean_env() -> dict[str, str]:
    """The environment without anything that would let the outer venv or this tree leak in."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def _run(cmd: list[str], timeout: float = 600, **kw) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    assert run.returncode == 0, (
        f"{' '.join(map(str, cmd))} failed ({run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    )
    return run


@pytest.fixture(scope="module")
def dist() -> dict[str, pathlib.Path]:
    """dist/'s wheel (for this interpreter) and sdist, rebuilt by make when out of date."""
    _run(["make", "--no-print-directory", "dist"], cwd=ROOT, timeout=3600)
    version = lexsim.__version__
    py = f"cp{sys.version_info.major}{sys.version_info.minor}"
    wheels = sorted((ROOT / "dist").glob(f"lexsim-{version}-{py}-{py}-*.whl"))
    assert len(wheels) == 1, f"expected one {py} wheel of lexsim {version} in dist/, found {wheels}"
    sdist = ROOT / "dist" / f"lexsim-{version}.tar.gz"
    assert sdist.exists(), f"{sdist} is missing"
    return {"wheel": wheels[0], "sdist": sdist}


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> dict[str, pathlib.Path]:
    """A fresh venv with the wheel installed: its python, its root and the installed _core."""
    root = tmp_path_factory.mktemp("fresh")
    env = root / "venv"
    _run([sys.executable, "-m", "venv", str(env)], env=_clean_env())
    python = env / "bin" / "python"
    _run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", str(dist["wheel"])],
        env=_clean_env(),
        cwd=root,
    )
    core = _run([str(python), "-c", "import lexsim._core as c; print(c.__file__)"], env=_clean_env(), cwd=root)
    return {"python": python, "root": env, "core": pathlib.Path(core.stdout.strip()), "cwd": root}


def test_wheel_is_repaired_to_a_manylinux_tag_auditwheel_confirms(dist) -> None:
    wheel = dist["wheel"]
    tag = re.fullmatch(r"lexsim-[^-]+-cp\d+-cp\d+-(.+)\.whl", wheel.name).group(1)
    assert tag.startswith("manylinux_"), wheel.name
    shown = _run([sys.executable, "-m", "auditwheel", "show", str(wheel)]).stdout
    consistent = re.search(r'consistent\s+with\s+the\s+following\s+platform\s+tag:\s+"([^"]+)"', shown)
    assert consistent and consistent.group(1) == tag, shown
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        wheel_info = zf.read(f"lexsim-{lexsim.__version__}.dist-info/WHEEL").decode()
    assert f"Tag: {wheel.name.split('-', 2)[2][: -len('.whl')]}" in wheel_info
    assert [n for n in names if re.fullmatch(r"lexsim/_core\.cpython-.*\.so", n)], names


def _metadata(text: str) -> email.message.Message:
    return email.parser.Parser().parsestr(text)


def test_metadata_is_pep_639_with_the_one_version(dist) -> None:
    cmake_version = re.search(r"project\(lexsim VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text()).group(1)
    version = lexsim.__version__
    with zipfile.ZipFile(dist["wheel"]) as zf:
        wheel_meta = _metadata(zf.read(f"lexsim-{version}.dist-info/METADATA").decode())
        shipped_license = zf.read(f"lexsim-{version}.dist-info/licenses/LICENSE").decode()
    with tarfile.open(dist["sdist"]) as tf:
        sdist_meta = _metadata(tf.extractfile(f"lexsim-{version}/PKG-INFO").read().decode())
    for meta in (wheel_meta, sdist_meta):
        assert meta["Metadata-Version"] == "2.4"
        assert meta["Name"] == "lexsim" and meta["Version"] == version == cmake_version
        assert meta["License-Expression"] == "MIT"
        assert meta.get_all("License-File") == ["LICENSE"]
        assert meta["License"] is None  # the old field held the whole license text
        classifiers = meta.get_all("Classifier")
        assert not [c for c in classifiers if c.startswith("License ::")], classifiers
        assert {"Development Status", "Intended Audience", "Operating System", "Programming Language", "Topic"} <= {
            c.split(" :: ")[0] for c in classifiers
        }
        urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
        assert set(urls) == {"Homepage", "Source", "Issues", "Documentation"}, urls
        assert meta["Keywords"]
        assert meta["Requires-Python"] == ">=3.9"
        unconditional = sorted(r for r in meta.get_all("Requires-Dist") if ";" not in r)
        assert unconditional == ["numpy>=1.22", "scipy>=1.8"], unconditional
    assert shipped_license == (ROOT / "LICENSE").read_text()


def test_sdist_holds_the_sources_and_nothing_built(dist) -> None:
    prefix = f"lexsim-{lexsim.__version__}/"
    with tarfile.open(dist["sdist"]) as tf:
        names = {m.name[len(prefix) :] for m in tf.getmembers() if m.isfile()}
    for needed in (
        "CMakeLists.txt",
        "pyproject.toml",
        "LICENSE",
        "README.md",
        "PKG-INFO",
        "cmake/FindUtf8proc.cmake",
        "cmake/FindStemmer.cmake",
        "cmake/lexsimConfig.cmake.in",
        "cmake/python-module.map",
        "python/lexsim/py.typed",
        "python/lexsim/_core.pyi",
        "tests/wheel_smoke.py",
        "tools/cibw_before_all.sh",
    ):
        assert needed in names, needed
    # Everything the build reads: the sources tracked in git under these folders, all of them.
    tracked = subprocess.run(["git", "ls-files", "cpp", "cmake", "python"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode == 0 and tracked.stdout:
        missing = set(tracked.stdout.split()) - names
        assert not missing, sorted(missing)
    built = [
        n
        for n in names
        if n.split("/")[0] in ("build", ".venv", "dist", ".ci", ".git")
        or "__pycache__" in n
        or n.endswith((".so", ".pyc", ".whl"))
    ]
    assert not built, built


def test_fresh_venv_installs_the_wheel_and_runs_it(venv) -> None:
    cfg = (venv["root"] / "pyvenv.cfg").read_text()
    assert re.search(r"include-system-site-packages\s*=\s*false", cfg), cfg
    # The smoke script is copied beside nothing else, as cibuildwheel's test-sources does.
    script = venv["cwd"] / "wheel_smoke.py"
    shutil.copy(ROOT / "tests" / "wheel_smoke.py", script)
    out = _run([str(venv["python"]), str(script)], env=_clean_env(), cwd=venv["cwd"]).stdout
    assert f"lexsim {lexsim.__version__} from " in out and out.rstrip().endswith(": ok"), out
    where = _run(
        [
            str(venv["python"]),
            "-c",
            "import lexsim, numpy, scipy; print(lexsim.__file__, numpy.__file__, scipy.__file__)",
        ],
        env=_clean_env(),
        cwd=venv["cwd"],
    ).stdout.split()
    for path in where:
        assert pathlib.Path(path).resolve().is_relative_to(venv["root"].resolve()), where


def test_core_needs_only_the_c_and_cpp_runtime(venv) -> None:
    out = _run(["ldd", str(venv["core"])]).stdout
    assert "not found" not in out, out
    outside = []
    for line in out.splitlines():
        line = line.strip()
        m = re.match(r"(\S+)(?: => (\S+))? \(0x[0-9a-f]+\)$", line)
        assert m, f"unexpected ldd line {line!r}"
        name, path = m.group(1), m.group(2) or m.group(1)
        inside = path.startswith("/") and pathlib.Path(path).resolve().is_relative_to(venv["root"].resolve())
        if not inside and not _is_system_runtime(pathlib.Path(name).name):
            outside.append(line)
    assert not outside, "_core loads libraries from outside the venv:\n" + "\n".join(outside)


def test_core_exports_only_its_init_function_and_thread_controls(venv) -> None:
    # The static utf8proc and libstemmer inside must not be visible to other extensions; the two
    # thread-count functions are what threadpoolctl calls (lexsim/_threads.py).
    out = _run(["nm", "-D", "--defined-only", str(venv["core"])]).stdout
    exported = {line.split()[-1] for line in out.splitlines() if line.strip()}
    assert exported == {"PyInit__core", "lexsim_get_num_threads", "lexsim_set_num_threads"}, sorted(exported)[:20]


def test_cibuildwheel_configuration_selects_the_promised_builds() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        tomllib = pytest.importorskip("tomli")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["cibuildwheel"]
    for source in config["test-sources"]:
        assert (ROOT / source).is_file(), source
    assert (ROOT / "tools" / "cibw_before_all.sh").is_file() and "tools/cibw_before_all.sh" in config["before-all"]
    cibw = shutil.which("cibuildwheel", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("cibuildwheel")
    assert cibw, "cibuildwheel is missing (make dist installs it into .venv)"
    ids = {}
    for platform, archs in (("linux", "x86_64,aarch64"), ("macos", "native")):
        # Only the configuration in pyproject.toml counts: no CIBW_* variable from the caller.
        env = {k: v for k, v in _clean_env().items() if not k.startswith("CIBW_")}
        run = _run([cibw, "--print-build-identifiers", "--platform", platform, "--archs", archs], cwd=ROOT, env=env)
        ids[platform] = run.stdout.split()
    linux = ids["linux"]
    for kind in ("manylinux", "musllinux"):
        for arch in ("x86_64", "aarch64"):
            versions = {i.split("-")[0] for i in linux if i.endswith(f"{kind}_{arch}")}
            assert {"cp39", "cp313"} <= versions, (kind, arch, sorted(versions))
    assert all(i.split("-")[0].startswith("cp") and not i.split("-")[0].endswith("t") for i in linux), linux
    assert ids["macos"] and all("macosx" in i for i in ids["macos"]), ids["macos"]

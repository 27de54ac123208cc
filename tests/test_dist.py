"""The release artifacts: the sdist and the wheel build, pass `twine check`, hold what they
must, and the wheel works in a fresh virtual environment with no extras.

Marked ``dist`` (``pytest -m dist`` runs only these, ``-m "not dist"`` skips them); they
belong to the normal suite. The fresh environment gets numpy and array-api-compat from the
package index, as a user's would; nothing comes from this interpreter's site-packages.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest
from test_readme import _quick_start

pytestmark = pytest.mark.dist

ROOT = Path(__file__).resolve().parents[1]
HINT = "pip install 'lrdecay[plot]'"
STAIRCASE = "exponential_decay(0.6, 10, 0.6, staircase=True)"


def _run(*argv, **kwargs):
    kwargs.setdefault("timeout", 300)
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    pytest.importorskip("build")
    out = tmp_path_factory.mktemp("dist")
    # The default build: the sdist, then the wheel built from the unpacked sdist, so a
    # file missing from the sdist breaks the wheel too.
    proc = _run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (sdist,) = out.glob("lrdecay-*.tar.gz")
    (wheel,) = out.glob("lrdecay-*-py3-none-any.whl")
    return sdist, wheel


@pytest.fixture(scope="module")
def fresh(dist, tmp_path_factory):
    """A new venv with only the wheel installed (and what it requires), and an environment
    for running it that cannot see this checkout."""
    home = tmp_path_factory.mktemp("fresh")
    # No pip inside (ensurepip alone takes ~20 s here): this interpreter's pip installs into
    # the new environment with --python.
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(home / "env")
    bin_dir = home / "env" / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = str(bin_dir) + os.pathsep + env.get("PATH", "")
    python = bin_dir / "python"
    proc = _pip_install(python, dist[1], env=env, cwd=home)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return python, bin_dir / "lrdecay", env, home


def _pip_install(python, requirement, **kwargs):
    # --no-compile: byte-compiling numpy's and matplotlib's sources doubles the install time.
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile"]
    return _run(*pip, requirement, **kwargs)


def test_wheel_contents_and_metadata(dist):
    _, wheel = dist
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA")).rsplit("/", 1)[0]
        metadata = z.read(f"{info}/METADATA").decode()
        entry_points = z.read(f"{info}/entry_points.txt").decode()
        license_text = z.read(f"{info}/licenses/LICENSE").decode()
    assert {
        "lrdecay/__init__.py",
        "lrdecay/py.typed",
        "lrdecay/cli/__init__.py",
        "lrdecay/cli/_main.py",
    } <= names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "figures/"))]
    assert "License-Expression: Apache-2.0" in metadata
    # PEP 639: the expression replaces the license classifiers (PyPI refuses both together).
    assert "Classifier: License ::" not in metadata
    for line in (
        "Requires-Python: >=3.11",
        "Requires-Dist: numpy>=1.24",
        "Requires-Dist: array-api-compat>=1.9",
        "Requires-Dist: matplotlib>=3.7; extra == 'plot'",
        "Classifier: Typing :: Typed",
        "Classifier: Operating System :: OS Independent",
        "Classifier: Programming Language :: Python :: 3.13",
    ):
        assert line in metadata.splitlines(), line
    assert any(line.startswith("Project-URL: Changelog, ") for line in metadata.splitlines())
    assert "lrdecay = lrdecay.cli:main" in entry_points
    assert license_text == (ROOT / "LICENSE").read_text()


def test_license_is_the_apache_2_0_text():
    text = (ROOT / "LICENSE").read_text()
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    titles = [
        "Definitions",
        "Grant of Copyright License",
        "Grant of Patent License",
        "Redistribution",
        "Submission of Contributions",
        "Trademarks",
        "Disclaimer of Warranty",
        "Limitation of Liability",
        "Accepting Warranty or Additional Liability",
    ]
    positions = [text.index(f"{i}. {title}.") for i, title in enumerate(titles, 1)]
    assert positions == sorted(positions)
    assert "END OF TERMS AND CONDITIONS" in text and "http://www.apache.org/licenses/LICENSE-2.0" in text


def test_sdist_holds_the_sources_tests_and_license(dist):
    sdist, _ = dist
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "pyproject.toml",
        "src/lrdecay/py.typed",
        "src/lrdecay/cli/_main.py",
        "tests/test_dist.py",
        "requirements/constraints.txt",
    } <= names
    # figures/ stays: the README shows them and tests/test_cli.py checks them (about 0.4 MB).
    assert {f"figures/{p.name}" for p in (ROOT / "figures").glob("*.png")} <= names
    assert not [n for n in names if n.startswith((".venv/", "dist/", "site/")) or "__pycache__" in n]


def test_twine_check_passes(dist):
    pytest.importorskip("twine")
    proc = _run(sys.executable, "-m", "twine", "check", "--strict", *dist)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2


def test_fresh_install_has_no_extras_and_imports_the_wheel(fresh):
    python, _, env, home = fresh
    code = (
        "import importlib.util, lrdecay\n"
        "print(lrdecay.__file__)\n"
        "print([m for m in ('matplotlib', 'yaml', 'torch', 'jax', 'tensorflow', 'keras', 'pip')"
        " if importlib.util.find_spec(m)])\n"
    )
    proc = _run(python, "-c", code, env=env, cwd=home)
    assert proc.returncode == 0, proc.stderr
    where, extras = proc.stdout.splitlines()
    assert Path(where).is_relative_to(home / "env") and extras == "[]"


def test_fresh_install_runs_the_readme_quick_start(fresh):
    python, _, env, home = fresh
    # The quick start's last value, printed, so the run shows it did the work.
    code = _quick_start() + "\nprint(repr(sched(25)), repr(lr()))\n"
    proc = _run(python, "-c", code, env=env, cwd=home)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [repr(0.1 * 0.5**2), repr(0.1 * 0.5**2)]


def test_fresh_install_lrdecay_values(fresh):
    _, lrdecay, env, home = fresh
    proc = _run(lrdecay, "values", STAIRCASE, "--at", "0,10,25", "--format", "csv", env=env, cwd=home)
    assert proc.returncode == 0, proc.stderr
    rows = [line.split(",") for line in proc.stdout.splitlines()]
    assert rows[0] == ["step", "learning_rate"]
    for (step, value), expected_step in zip(rows[1:], (0, 10, 25), strict=True):
        assert int(step) == expected_step
        assert math.isclose(float(value), 0.6 * 0.6 ** (expected_step // 10), rel_tol=1e-15)


def test_fresh_install_plot_asks_only_for_the_plot_extra(fresh, dist):
    python, lrdecay, env, home = fresh
    # In the terminal: no extra needed.
    proc = _run(lrdecay, "plot", STAIRCASE, "--width", "40", "--height", "8", env=env, cwd=home)
    assert proc.returncode == 0 and proc.stdout.strip(), proc.stderr
    # To a file: one line, exit status 1, naming the extra and nothing else.
    out = home / "x.png"
    proc = _run(lrdecay, "plot", STAIRCASE, "-o", out, env=env, cwd=home)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == f"lrdecay: error: Plotting needs matplotlib: {HINT}\n"
    assert not out.exists()
    # What it asks for is all it needs.
    proc = _pip_install(python, f"{dist[1]}[plot]", env=env, cwd=home)
    assert proc.returncode == 0, proc.stderr[-3000:]
    proc = _run(lrdecay, "plot", STAIRCASE, "-o", out, env=env, cwd=home)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"wrote {out}\n", "")
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

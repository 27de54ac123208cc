"""mypy --strict passes on src/lrdecay, and the public API has the types users see.

The ``assert_type`` cases in tests/typing/cases.py are checked by mypy here: a change
that makes ``schedule(3)`` an ``Any`` or an array a list fails this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _mypy(*args: str) -> tuple[str, int]:
    api = pytest.importorskip("mypy.api")
    out, err, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache"), *args]
    )
    return out + err, status


def test_mypy_strict_passes_on_the_package():
    out, status = _mypy(str(ROOT / "src" / "lrdecay"))
    assert status == 0, out


def test_public_types_are_what_users_see():
    out, status = _mypy(str(ROOT / "tests" / "typing" / "cases.py"))
    assert status == 0, out


def test_a_wrong_type_is_caught(tmp_path):
    """The check can fail: a case stating the wrong type is reported."""
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "from typing import assert_type\nimport lrdecay\nassert_type(lrdecay.CosineDecay(0.1, 10)(3), int)\n"
    )
    out, status = _mypy(str(wrong))
    assert status == 1 and "assert-type" in out, out

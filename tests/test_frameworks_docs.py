"""The README's framework section and examples/ run as written."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK_OF = {"PyTorch": "torch", "Keras 3": "keras", "TensorFlow": "tensorflow", "JAX / optax": "optax"}


def _snippets():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Frameworks", 1)[1].split("\n## ", 1)[0]
    found = {}
    for title, body in re.findall(r"^### (.+?)\n(.*?)(?=^### |\Z)", section, flags=re.M | re.S):
        blocks = re.findall(r"```python\n(.*?)```", body, flags=re.S)
        if blocks:
            found[title.strip()] = blocks
    return found


def test_readme_has_one_example_per_framework():
    snippets = _snippets()
    assert set(FRAMEWORK_OF) <= set(snippets)
    assert all(len(snippets[t]) == 1 for t in FRAMEWORK_OF)


@pytest.mark.parametrize("title", list(FRAMEWORK_OF))
def test_readme_snippet_runs(title, tmp_path, monkeypatch, capsys):
    pytest.importorskip(FRAMEWORK_OF[title])
    monkeypatch.chdir(tmp_path)  # the Keras snippet writes model.keras
    (code,) = _snippets()[title]
    exec(compile(code, f"README.md[{title}]", "exec"), {"__name__": "__readme__"})
    printed = capsys.readouterr().out
    # The outputs the README shows in comments.
    for comment in re.findall(r"print\(.*\)\s+# (.+)", code):
        assert comment.strip() in printed, (comment, printed)


@pytest.mark.parametrize(
    "name, module", [("torch", "torch"), ("keras", "keras"), ("tf", "tensorflow"), ("jax", "optax")]
)
def test_example_script_runs(name, module, capsys):
    pytest.importorskip(module)
    runpy.run_path(str(ROOT / "examples" / f"{name}_example.py"), run_name="__main__")
    out = capsys.readouterr().out
    # Each example prints the rate it observed next to schedule(step): they agree.
    observed, expected = re.search(r"lr(?: at step \d+ =)? ([\d.e-]+) \(schedule: ([\d.e-]+)\)", out).groups()
    assert float(observed) == pytest.approx(float(expected), rel=1e-6)

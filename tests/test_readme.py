"""The README's quick start runs, and each value shown in a comment is what it gives."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def _quick_start() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return code


def test_quick_start_values_are_what_the_code_gives():
    namespace: dict = {}
    checked = 0
    for line in _quick_start().splitlines():
        code, _, comment = line.partition("#")
        code = code.strip()
        shown = re.match(r"\s*(array\(\[[^\]]*\]\)|[-+0-9.e]+)(\s|$)", comment)
        if code and shown and "=" not in code.split("(")[0]:
            value = eval(code, namespace)  # an expression whose value the comment shows
            expected = eval(shown.group(1), {"array": np.array})
            np.testing.assert_allclose(value, expected, rtol=1e-15)
            checked += 1
        elif code:
            exec(code, namespace)
    assert checked == 4  # sched(25), sched(array), lr() twice
    curve = namespace["lrdecay"].evaluate(namespace["lrdecay"].CosineDecay(0.1, 1000), 1000)
    assert curve.shape == (1000,) and curve.dtype == np.float64

"""The README's quick start runs, and each value shown in a comment is what it gives."""

from __future__ import annotations

import ast
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


# -- Composition and Recipes: every block runs, every value shown is what it gives, and the
# recipes' schedules follow the formulas of the papers and libraries they come from.


def _blocks(heading: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def _shown(comment: str):
    """The value a ``# VALUE  (words)`` comment shows, or None."""
    text = comment.strip().split("  ", 1)[0]
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None


def _run(code: str) -> tuple[dict, int]:
    """Run `code` statement by statement; an expression followed by a value comment is
    compared with it (rtol 1e-12: the comments show rounded decimals)."""
    namespace: dict = {}
    lines = code.splitlines()
    checked = 0
    for node in ast.parse(code).body:
        source = ast.get_source_segment(code, node)
        _, _, comment = lines[node.end_lineno - 1].partition("#")
        shown = _shown(comment) if isinstance(node, ast.Expr) and comment else None
        if shown is None:
            exec(compile(ast.Module([node], []), "README.md", "exec"), namespace)
            continue
        value = eval(source, namespace)
        if isinstance(shown, bool):
            assert value is shown, source
        else:
            np.testing.assert_allclose(value, shown, rtol=1e-12, atol=0, err_msg=source)
        checked += 1
    return namespace, checked


def _section(heading: str) -> list[tuple[dict, int]]:
    return [_run(code) for code in _blocks(heading)]


def test_composition_section_values():
    ((ns, checked),) = _section("Composition")
    assert checked == 8
    k = np.arange(0, 120_001, 7, dtype=np.float64)
    # warmup 2,000 steps to 3e-4, then Keras' cosine with alpha = 0.1 over 98,000
    t = np.clip(k - 2_000, 0, 98_000) / 98_000
    cosine = 3e-4 * (0.9 * 0.5 * (1 + np.cos(np.pi * t)) + 0.1)
    np.testing.assert_allclose(ns["s"](k), np.where(k < 2_000, 3e-4 * k / 2_000, cosine), rtol=1e-12)
    ramp = np.minimum(k, 100) / 100
    np.testing.assert_allclose(
        ns["local"](k), np.where(k < 100, ramp, 0.5 ** ((k - 100) / 100)), rtol=1e-12, atol=1e-300
    )
    np.testing.assert_allclose(
        ns["glob"](k), np.where(k < 100, ramp, 0.5 ** (k / 100)), rtol=1e-12, atol=1e-300
    )
    u = np.minimum(k / 50_000, 1.0)  # fraction of the run
    frac = np.where(u < 0.1, u / 0.1, 0.5 * (1 + np.cos(np.pi * np.minimum((u - 0.1) / 0.9, 1.0))))
    np.testing.assert_allclose(ns["run"](k), frac, rtol=1e-12, atol=1e-15)


def _bert_oracle(k, init, w, n):
    """google-research/bert optimization.py: polynomial_decay(init, k, n, end=0, power=1),
    replaced by init * k / w while k < w."""
    return np.where(k < w, init * k / w, init * (1 - np.minimum(k, n) / n))


def test_recipes_values_and_formulas():
    (bert, c1), (goyal, c2), (wsd, c3), (epochs, c4) = _section("Recipes")
    assert (c1, c2, c3, c4) == (4, 4, 3, 3)
    k = np.unique(np.concatenate([np.arange(0, 1_200_000, 997), [9_999, 10_000, 10_001, 999_999, 10**6]]))
    k = k.astype(np.float64)
    np.testing.assert_allclose(bert["bert"](k), _bert_oracle(k, 1e-4, 10_000, 10**6), rtol=1e-12, atol=1e-20)

    # Goyal et al.: lr = 0.1 * 8192 / 256, 5-epoch linear warmup from 0.1, x0.1 at 30, 60, 80
    assert goyal["steps_per_epoch"] == 156
    k = np.arange(0, 100 * 156, dtype=np.float64)
    epoch = k / 156
    lr = 0.1 * 8192 / 256
    decays = (epoch >= 30).astype(int) + (epoch >= 60) + (epoch >= 80)
    expected = np.where(epoch < 5, 0.1 + (lr - 0.1) * epoch / 5, lr * 0.1**decays)
    np.testing.assert_allclose(goyal["goyal"](k), expected, rtol=1e-12)

    # WSD branched later: warmup to the peak, stable, a 1-sqrt cooldown from the branch step
    peak, w = 3e-4, 2_000
    k = np.arange(0, 420_000, 13, dtype=np.float64)
    for name, branch, d in (("short", 180_000, 20_000), ("longer", 360_000, 40_000)):
        cool = peak * (1 - np.sqrt(np.clip(k - branch, 0, d) / d))
        expected = np.where(k < w, peak * k / w, np.where(k < branch, peak, cool))
        np.testing.assert_allclose(wsd[name](k), expected, rtol=1e-12, atol=1e-20)
    before = k[k <= 180_000]
    np.testing.assert_array_equal(wsd["short"](before), wsd["run"](before))
    np.testing.assert_array_equal(wsd["longer"](k[k <= 360_000]), wsd["run"](k[k <= 360_000]))

    # In epochs: 5 warmup epochs to 0.1, then a cosine over 85 epochs; 390 steps an epoch
    k = np.arange(0, 100 * 390, dtype=np.float64)
    for name, e in (("per_step", k / 390), ("per_epoch", np.floor(k / 390))):
        cos = 0.05 * (1 + np.cos(np.pi * np.minimum(e - 5, 85) / 85))
        np.testing.assert_allclose(
            epochs[name](k), np.where(e < 5, 0.1 * e / 5, cos), rtol=1e-12, atol=1e-17
        )  # the oracle's 1 + cos cancels near 0

"""The `lrdecay` command, run in-process through `lrdecay.cli.main(argv)`."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import math
import os
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import lrdecay
from lrdecay import _registry
from lrdecay._spec import signature_text, v1_forms
from lrdecay.cli import _demo, main

STAIRCASE = "exponential_decay(0.6, 10, 0.6, staircase=True)"
TPU = "cosine_learning_rate_with_linear_warmup(0.08, 0.0067, 500, 22500)"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def tpu_oracle(step):
    """tensorflow/tpu's formula, written out here (holding 0 after total_steps)."""
    init, warm, w, total = 0.08, 0.0067, 500, 22500
    if step < w:
        return warm + step / w * (init - warm)
    step = min(step, total)
    return init * (math.cos(math.pi * (step - w) / (total - w)) + 1.0) / 2.0


# -- values ----------------------------------------------------------------------------------


def test_values_table_prints_the_exact_values(capsys):
    code, out, err = run(capsys, "values", STAIRCASE)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["step", "learning_rate"]
    schedule = lrdecay.ExponentialDecay(0.6, 10, 0.6, staircase=True)
    rows = [line.split() for line in lines[1:]]
    assert [int(r[0]) for r in rows] == list(range(61))  # default: steps 0..60
    assert [float(r[1]) for r in rows] == [schedule(k) for k in range(61)]
    assert [r[1] for r in rows] == [repr(schedule(k)) for k in range(61)]
    # and the known values themselves: 0.6 * 0.6 ** floor(k / 10)
    assert [float(r[1]) for r in rows][::10] == pytest.approx([0.6 * 0.6**i for i in range(7)], rel=1e-15)


def test_values_csv_parses_back_to_the_same_floats(capsys):
    code, out, _ = run(
        capsys, "values", TPU, "--at", "0,250,499,500,11500,22499,22500,30000", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["step", "learning_rate"]
    steps = [int(r[0]) for r in rows[1:]]
    values = [float(r[1]) for r in rows[1:]]
    schedule = lrdecay.CosineDecayWithLinearWarmup(0.08, 0.0067, 500, 22500)
    assert steps == [0, 250, 499, 500, 11500, 22499, 22500, 30000]
    assert values == [schedule(s) for s in steps]  # bit for bit
    assert values == pytest.approx([tpu_oracle(s) for s in steps], rel=1e-12, abs=1e-15)


def test_values_json_parses_back_to_the_same_floats(capsys):
    spec = "noisy_linear_cosine_decay(0.1, 50, initial_variance=0.01, variance_decay=0.1, num_periods=0.2, alpha=0.5, beta=0.2)"
    code, out, _ = run(capsys, "values", spec, "--steps", "75", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    schedule = lrdecay.NoisyLinearCosineDecay(0.1, 50, 0.01, 0.1, 0.2, 0.5, 0.2)
    assert doc["steps"] == list(range(75))
    assert doc["learning_rate"] == [schedule(k) for k in range(75)]
    assert lrdecay.deserialize(doc["config"]) == schedule
    assert lrdecay.parse(doc["schedule"]) == schedule


def test_values_at_fractional_steps(capsys):
    code, out, _ = run(
        capsys,
        "values",
        "PiecewiseConstantDecay([10], [1.0, 0.5])",
        "--at",
        "9.5, 10, 10.5",
        "--format",
        "csv",
    )
    assert code == 0
    assert out.splitlines()[1:] == ["9.5,1.0", "10,1.0", "10.5,0.5"]


def test_values_from_files(tmp_path, capsys):
    s = lrdecay.PolynomialDecay(0.1, 10, 0.01, cycle=True)
    path = tmp_path / "poly.json"
    path.write_text(json.dumps(lrdecay.serialize(s)))
    code, out, _ = run(capsys, "values", str(path), "--steps", "25", "--format", "json")
    assert code == 0
    assert json.loads(out)["learning_rate"] == [s(k) for k in range(25)]


# -- list -----------------------------------------------------------------------------------


def test_list_shows_every_schedule_with_its_defaults(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    for name in _registry.names():
        cls = _registry.get(name)
        assert signature_text(cls) in out
        first_line = cls.__doc__.strip().splitlines()[0].replace("``", "").replace("`", "")
        assert (cls.summary or first_line) in out
    assert (
        "PolynomialDecay(initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False, name=None)"
        in out
    )
    for name in v1_forms():
        assert f"  {name}(" in out
    assert (
        "cosine_learning_rate_with_linear_warmup(init_learning_rate, warmup_learning_rate, warmup_steps, total_steps)  -> CosineDecayWithLinearWarmup"
        in out
    )


# -- plot -----------------------------------------------------------------------------------


@pytest.fixture
def plt_free():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")


def test_plot_png_svg_pdf(tmp_path, capsys, plt_free):
    import matplotlib.image

    specs = [STAIRCASE, "piecewise_constant([10, 20, 30, 40, 50], [0.06, 0.05, 0.04, 0.03, 0.02, 0.01])"]
    paths = {fmt: tmp_path / f"curves.{fmt}" for fmt in ("png", "svg", "pdf")}
    for path in paths.values():
        code, out, err = run(capsys, "plot", *specs, "--title", "two", "-o", str(path))
        assert (code, err) == (0, "")
        assert out == f"wrote {path}\n"
    png = paths["png"].read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = matplotlib.image.imread(str(paths["png"]))
    assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 600
    assert image.std() > 0.05  # not a blank canvas
    root = ET.parse(paths["svg"]).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = paths["svg"].read_text()
    assert "learning rate" in text and "step" in text  # svg.fonttype=path keeps text as comments/paths
    assert paths["pdf"].read_bytes().startswith(b"%PDF-")
    # Reproducible: the same command writes the same bytes.
    for fmt, path in paths.items():
        again = tmp_path / f"again.{fmt}"
        assert main(["plot", *specs, "--title", "two", "-o", str(again)]) == 0
        assert again.read_bytes() == path.read_bytes(), fmt
    capsys.readouterr()


def test_plot_draws_the_schedule_values(plt_free):
    from lrdecay.cli._plot import Curve, draw

    curves = [
        Curve("a", lrdecay.ExponentialDecay(0.6, 10, 0.6, staircase=True)),
        Curve("b", lrdecay.PiecewiseConstantDecay([10], [1.0, 0.5])),
    ]
    fig = draw(curves, 61, title="t")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "step" and ax.get_ylabel() == "learning rate" and ax.get_title() == "t"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "b"]
    for curve, line in zip(curves, ax.get_lines(), strict=False):
        x, y = line.get_xdata(), line.get_ydata()
        np.testing.assert_array_equal(y, lrdecay.evaluate(curve.schedule, x))
        whole = x[x == np.round(x)]
        np.testing.assert_array_equal(whole, np.arange(61))
    # Jumps are vertical at the step where the value changes: the staircase takes its new
    # value AT step 10, the piecewise constant just AFTER boundary 10.
    x, y = ax.get_lines()[0].get_xdata(), ax.get_lines()[0].get_ydata()
    near = (x > 9.99) & (x < 10.01)
    assert list(y[near]) == [0.6, 0.6 * 0.6, 0.6 * 0.6]
    x, y = ax.get_lines()[1].get_xdata(), ax.get_lines()[1].get_ydata()
    near = (x > 9.99) & (x < 10.01)
    assert list(y[near]) == [1.0, 1.0, 0.5]


def test_plot_in_the_terminal(capsys):
    code, out, err = run(
        capsys, "plot", STAIRCASE, "exponential_decay(0.6, 10, 0.6)", "--width", "61", "--height", "12"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "learning rate"
    assert "step" in lines[-3]
    assert lines[-2] == f"  * {STAIRCASE}"
    assert lines[-1] == "  o exponential_decay(0.6, 10, 0.6)"
    grid = lines[1:13]
    assert len(grid) == 12
    assert grid[0].startswith("0.6 +")  # the top tick is the start value
    # The staircase drops at step 10: column 10 of the grid holds a vertical run of '*'.
    offset = grid[0].index("+") + 1
    column10 = [row[offset + 10] if len(row) > offset + 10 else " " for row in grid]
    assert column10.count("*") >= 3
    axis = lines[13]
    assert set(axis.strip()) <= {"+", "-"}
    assert lines[14].split() == ["0", "30", "60"]


def test_plot_terminal_log_scale(capsys):
    code, out, _ = run(capsys, "plot", "cosine_decay(1.0, 100)", "--log", "--steps", "120")
    assert code == 0
    assert "learning rate (log scale)" in out
    assert "values <= 0 are not drawn" in out


# -- describe -------------------------------------------------------------------------------


def test_describe_tpu_warmup(capsys):
    code, out, _ = run(capsys, "describe", TPU)
    assert code == 0
    schedule = lrdecay.CosineDecayWithLinearWarmup(0.08, 0.0067, 500, 22500)
    n = 25300  # default: 1.1 x (warmup_steps + total_steps)
    values = [schedule(k) for k in range(n)]
    below = next(k for k, v in enumerate(values) if v < 0.01 * 0.0067)
    assert f"steps 0..{n - 1} ({n} steps)" in out
    assert "start                0.0067\n" in out
    assert "peak                 0.08 at step 500\n" in out
    assert "minimum              0 at step 22500\n" in out
    assert f"end                  0 at step {n - 1}\n" in out
    assert f"first < 1% of start  step {below} (1% of start = 6.7e-05)" in out
    assert f"sum of the rate      {math.fsum(values):.8g} over steps 0..{n - 1}" in out
    phases = out.split("phases:\n")[1].splitlines()
    assert phases[0].split() == [
        "warmup",
        "0→500",
        "rises",
        "linearly",
        "0.0067→0.08",
        "(+0.0001466",
        "per",
        "step)",
    ]
    assert phases[1].split() == ["decay", "500→22500", "falls", "along", "a", "half", "cosine", "0.08→0"]
    assert phases[2].split() == ["hold", f"22500→{n - 1}", "constant", "0"]


@pytest.mark.parametrize(
    ("spec", "phase_words"),
    [
        (
            STAIRCASE,
            [
                "0.6→0.36→0.216→0.1296→0.07776→0.04666→0.02799",
                "6 steps down, ×0.6 each, every 10 steps",
                "new value from step 10, 20, 30, 40, 50, 60",
            ],
        ),
        (
            "piecewise_constant([10, 20, 30, 40, 50], [0.06, 0.05, 0.04, 0.03, 0.02, 0.01])",
            ["5 steps down, by 0.01 each, every 10 steps", "new value from step 11, 21, 31, 41, 51"],
        ),
        (
            "exponential_decay(0.6, 10, 0.6)",
            ["falls exponentially 0.6→0.02799", f"×{math.exp(math.log(0.6) / 10):.6g} per step"],
        ),
        ("inverse_time_decay(0.1, 10, 0.2)", ["falls as 1/(a + b*step) 0.1→0.04545"]),
        # TF's cycle: the horizon is 10 * ceil(step / 10), so a new cycle starts one
        # step after each multiple of 10, at 0.09 * (1 - (10j + 1) / (10j + 10)) + 0.01.
        (
            "polynomial_decay(0.1, 10, 0.01, cycle=True)",
            [
                "cycles  0→60  6 cycles (the last cut off), each falls linearly, then jumps up; "
                "starting at step 0, 11, 21, 31, 41, 51; peaks "
                + "→".join(
                    f"{0.1 if j == 0 else 0.09 * (1 - (10 * j + 1) / (10 * j + 10)) + 0.01:.4g}"
                    for j in range(5)
                )
            ],
        ),
        # SGDR periods 10, 15, 22.5: restarts at steps 10, 25, 47.5 (so 48), peaks
        # 0.3 * ((1 - alpha) * 0.8**i + alpha).
        (
            "cosine_decay_restarts(0.3, 10, t_mul=1.5, m_mul=0.8, alpha=0.011)",
            [
                "cycles  0→60  4 cycles (the last cut off), each falls along a cosine arc, then jumps up; "
                "starting at step 0, 10, 25, 48; peaks "
                + "→".join(f"{0.3 * (0.989 * 0.8**i + 0.011):.4g}" for i in range(3))
            ],
        ),
        (
            "noisy_linear_cosine_decay(0.1, 50, 0.01, 0.1, 0.2, 0.5, 0.2)",
            ["noisy  0→50", "hold   50→60  constant 0.05145"],
        ),
        # A smooth oscillation is not noise: it is cycles, of a fall and a rise.
        (
            "linear_cosine_decay(0.3, 50, num_periods=3.0, beta=0.2)",
            [
                "cycles  0→50   4 cycles (the last cut off), each falls slow-fast-slow (S-shaped), "
                "then rises slow-fast-slow (S-shaped); starting at step 0, 16, 33, 47",
                "hold    50→60  constant 0.06",
            ],
        ),
        ("ExponentialDecay(1.0, 1, 0.5, staircase=True)", ["×0.5 per step, halving every step"]),
    ],
)
def test_describe_phases(capsys, spec, phase_words):
    code, out, _ = run(capsys, "describe", spec)
    assert code == 0
    phases = out.split("phases:\n")[1]
    for words in phase_words:
        assert words in phases
    if "noisy" not in spec:
        assert "noisy" not in phases


# -- compositions on the command line ------------------------------------------------------

ARITHMETIC = "0.5 * Warmup(CosineDecay(1.0, 100), 10) + 0.01"


def arithmetic_oracle(k):
    """``0.5 * Warmup(CosineDecay(1.0, 100), 10) + 0.01``, written out."""
    if k < 10:
        return 0.5 * k / 10 + 0.01
    return 0.5 * 0.5 * (1 + math.cos(math.pi * min(k - 10, 100) / 100)) + 0.01


def test_values_of_an_arithmetic_spec(capsys):
    code, out, err = run(capsys, "values", ARITHMETIC)
    assert (code, err) == (0, "")
    rows = [line.split() for line in out.splitlines()[1:]]
    # 1.1 x (10 warmup steps + 100 decay steps)
    assert [int(r[0]) for r in rows] == list(range(121))
    assert [float(r[1]) for r in rows] == pytest.approx([arithmetic_oracle(k) for k in range(121)], rel=1e-13)
    code, out, _ = run(capsys, "values", ARITHMETIC, "--at", "0,5,10,60,110,500", "--format", "json")
    doc = json.loads(out)
    assert doc["schedule"] == ARITHMETIC  # the short form is infix, as it was written
    assert lrdecay.parse(doc["config"]) == lrdecay.parse(ARITHMETIC)
    assert doc["learning_rate"] == pytest.approx([0.01, 0.26, 0.51, 0.26, 0.01, 0.01], rel=1e-13)


# (spec, default number of steps: max(61, 1.1 x the length worked out by hand))
DEFAULT_STEPS = [
    (ARITHMETIC, 121),  # 10 + 100
    ("Warmup(CosineDecay(1.0, 900), 100)", 1100),  # 100 + 900
    ("Join([Linear(0.0, 0.1, 100), CosineDecay(0.1, 900)], [100])", 1100),  # 100 + 900
    # global clock: the last piece's 1000 steps count from step 0
    ("Join([Linear(0.0, 0.1, 100), PolynomialDecay(0.1, 1000, 0.0)], [100], clock='global')", 1100),
    ("Join([0.1, 0.05, 0.01], [300, 600])", 660),  # the last boundary, constants last 0
    # 80 epochs of 500 steps
    ("TimeScale(PiecewiseConstantDecay([30, 60, 80], [0.1, 0.01, 0.001, 0.0001]), 500)", 44000),
    ("Repeat(Linear(1.0, 0.0, 100), 100)", 330),  # three periods
    ("Shift(CosineDecay(1.0, 200), 300)", 550),  # 300 + 200
    ("Minimum(CosineDecay(1.0, 1000), Linear(0.0, 1.0, 50))", 1100),  # the longer part
    ("Maximum(Warmup(0.1, 20), Shift(Linear(1.0, 0.0, 10), 5))", 61),  # 20 and 15: the minimum 61
    ("Clip(ExponentialDecay(1.0, 100, 0.5), minimum=0.01)", 110),
    # three deep, fractions of a 1000-step run: 1000 * (0.1 + 0.5 + 0)
    ("TimeScale(Warmup(Join([CosineDecay(1.0, 0.5), 0.1], [0.5]), 0.1), 1000)", 660),
    # the modern schedules: their phases added up, or a rule of their own
    ("WarmupStableDecay(1.0, 100, 700, 200)", 1100),  # 100 + 700 + 200
    ("OneCycle(1.0, 1000)", 1100),  # total_steps
    ("TriStage(1.0, 100, 300, 500)", 990),  # 100 + 300 + 500
    ("Cyclic(0.1, 1.0, 100)", 660),  # three cycles of 100 up, 100 down
    ("Cyclic(0.1, 1.0, 100, 50)", 495),  # three cycles of 150
    ("InverseSqrtDecay(1.0, 100)", 1760),  # the warmup, then 15 timescales: a quarter of the peak
    ("InverseSqrtDecay(1.0, 0, timescale=100)", 1650),
    ("MultiStepDecay(1.0, [300, 600, 800])", 880),  # the last milestone
    ("Warmup(WarmupStableDecay(1.0, 0, 700, 200), 100)", 1100),  # nested
]


@pytest.mark.parametrize(("spec", "n"), DEFAULT_STEPS)
def test_default_steps_of_compositions(capsys, spec, n):
    from lrdecay._steps import default_steps

    assert default_steps(lrdecay.parse(spec)) == n
    code, out, _ = run(capsys, "values", spec, "--format", "csv")
    assert code == 0
    assert len(out.splitlines()) == 1 + n


def test_plot_and_describe_take_nested_specs(capsys):
    code, out, err = run(capsys, "plot", ARITHMETIC, "--width", "40", "--height", "8")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == f"  * {ARITHMETIC}"
    code, out, err = run(capsys, "describe", ARITHMETIC)
    assert (code, err) == (0, "")
    assert out.startswith(f"{ARITHMETIC}\nsteps 0..120 (121 steps)\n")  # no "= ..." line: same text
    assert "peak                 0.51 at step 10\n" in out
    assert "outline              warmup 0–10, decay (cosine) 10–110, hold 110–120\n" in out
    assert "warmup  0→10     rises linearly 0.01→0.51 (+0.05 per step)" in out
    assert "decay   10→110   falls along a half cosine 0.51→0.01" in out


@pytest.mark.parametrize(
    ("spec", "fragments"),
    [
        # warmup, stable at the peak, cooldown: what a warmup-stable-decay run looks like
        (
            "Join([Linear(0.0, 0.1, 100), 0.1, Linear(0.1, 0.0, 200)], [100, 700])",
            [
                "steps 0..989 (990 steps)",
                "outline              warmup 0–100, stable 100–700, cooldown (linear) 700–900, hold 900–989",
                "stable    100→700  constant 0.1 (the peak)",
                "cooldown  700→900  falls linearly 0.1→0 (-0.0005 per step)",
            ],
        ),
        # a cosine warmup is said to be one
        (
            "Warmup(ExponentialDecay(1.0, 100, 0.5), 50, shape='cosine')",
            ["outline              warmup (cosine) 0–50, decay (exponential) 50–164"],
        ),
        # triangles repeated: cycles, with their period
        (
            "Repeat(Join([Linear(0.1, 1.0, 50), Linear(1.0, 0.1, 50)], [50]), 100)",
            [
                "outline              4 cycles 0–329",
                "cycles  0→329  4 cycles (the last cut off), each rises linearly, then falls linearly; "
                "one every 100 steps; peak 1 each",
            ],
        ),
        # two falls meeting at a kink (one-cycle's three phases): two phases
        (
            "Join([Linear(1.0, 0.1, 300), Linear(0.1, 0.0, 400)], [300])",
            [
                "outline              decay (linear) 0–300, decay (linear) 300–700, hold 700–769",
                "decay  300→700  falls linearly 0.1→0 (-0.00025 per step)",
            ],
        ),
        (
            "Join([CosineDecay(1.0, 300, alpha=0.04), CosineDecay(0.04, 400, alpha=0.001)], [300])",
            ["outline              decay (cosine) 0–300, decay (cosine) 300–700, hold 700–769"],
        ),
        # the modern schedules, read off their curves
        (
            "WarmupStableDecay(1.0, 100, 700, 200, decay_shape='1-sqrt')",
            [
                # warmup 0-W, stable W-W+S, cooldown W+S-W+S+D, then the final rate to 1.1 x 1000
                "outline              warmup 0–100, stable 100–800, cooldown (1-sqrt) 800–1000, hold 1000–1099",
                "cooldown  800→1000   falls as 1 - sqrt(step) 1→0",
            ],
        ),
        (
            "WarmupStableDecay(1.0, 100, 700, 200, decay_shape='exponential', final_learning_rate=0.01)",
            [
                "outline              warmup 0–100, stable 100–800, cooldown (exponential) 800–1000, hold 1000–1099",
                # 1 -> 0.01 geometrically over 200 steps: half-life 200 ln 2 / ln 100
                f"halving every {200 * math.log(2) / math.log(100):.4g} steps",
            ],
        ),
        (
            "TriStage(1.0, 100, 300, 500)",
            [
                "outline              warmup 0–100, stable 100–400, cooldown (exponential) 400–900, hold 900–989"
            ],
        ),
        (
            "InverseSqrtDecay(1.0, 100)",
            ["outline              warmup 0–100, decay (inverse sqrt) 100–1759"],
        ),
        # torch's phase ends: pct * N - 1 = 299, 2 * pct * N - 2 = 598, N - 1 = 999
        (
            "OneCycle(1.0, 1000, anneal='linear', three_phase=True)",
            [
                "outline              warmup 0–299, decay (linear) 299–598, decay (linear) 598–999, hold 999–1099",
                f"falls linearly 1→0.04 (-{(1 - 0.04) / 299:.4g} per step)",
            ],
        ),
        (
            "OneCycle(1.0, 1000, three_phase=True)",
            ["warmup (cosine) 0–299, decay (cosine) 299–598, decay (cosine) 598–999, hold 999–1099"],
        ),
        # triangular2: the height 0.9 halves every cycle
        (
            "Cyclic(0.1, 1.0, 100, mode='triangular2')",
            [
                "outline              4 cycles 0–659",
                "4 cycles (the last cut off), each rises linearly, then falls linearly; one every 200 steps; "
                "peaks " + "→".join(f"{0.1 + 0.9 * 0.5**c:.4g}" for c in range(3)),
            ],
        ),
        # torch's side: the milestone step is already decayed
        (
            "MultiStepDecay(1.0, [300, 600, 800])",
            ["1→0.1→0.01→0.001: 3 steps down, ×0.1 each (new value from step 300, 600, 800)"],
        ),
        # a jump is named
        ("Join([0.1, 1.0], [30])", ["outline              hold 0–29, jump 29–30, stable 30–60"]),
    ],
)
def test_describe_names_the_phases_of_a_run(capsys, spec, fragments):
    code, out, _ = run(capsys, "describe", spec)
    assert code == 0
    for fragment in fragments:
        assert fragment in out


def test_describe_reads_square_root_shapes():
    from lrdecay.cli._describe import describe_text

    k = np.arange(1100.0)
    w, stable, d = 100, 700, 200
    progress = np.clip((k - w - stable) / d, 0, 1)
    wsd = np.where(k < w, k / w, np.where(k < w + stable, 1.0, 1 - np.sqrt(progress)))
    text = describe_text("wsd", wsd)
    assert (
        "outline              warmup 0–100, stable 100–800, cooldown (1-sqrt) 800–1000, hold 1000–1099"
        in text
    )
    assert "cooldown  800→1000   falls as 1 - sqrt(step) 1→0" in text
    inverse_sqrt = np.where(k < w, k / w, np.sqrt(w / np.maximum(k, 1)))
    text = describe_text("inverse sqrt", inverse_sqrt)
    assert "outline              warmup 0–100, decay (inverse sqrt) 100–1099" in text


def test_list_groups_the_schedules(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    heads = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert heads[:3] == [
        "TensorFlow schedules (the Keras classes; exact):",
        "composition: schedules made of schedules:",
        "modern schedules:",
    ]
    tf_part, rest = out.split("composition: schedules made of schedules:")
    compose_part = rest.split("\n\n")[0]
    for name in ("ExponentialDecay", "PiecewiseConstantDecay", "CosineDecayWithLinearWarmup"):
        assert f"\n  {name}(" in tf_part
    for name in ("Warmup", "Join", "TimeScale", "Sum", "Clip"):
        assert f"\n  {name}(" in compose_part
    assert "  Minimum(*schedules)\n" in compose_part
    modern_part = out.split("\nmodern schedules:\n")[1].split("\n\n")[0]
    for name in ("WarmupStableDecay", "InverseSqrtDecay", "OneCycle", "Cyclic", "TriStage", "MultiStepDecay"):
        assert f"  {name}(" in modern_part
    assert '"0.5 * Warmup(CosineDecay(1.0, 100), 10) + 0.01"' in compose_part


# -- demo -----------------------------------------------------------------------------------

# The seeds' parameters, written out independently of lrdecay.cli._demo.
SEED_FIGURES = {
    "exponential_decay.png": [
        lrdecay.ExponentialDecay(0.6, 10, 0.6, True),
        lrdecay.ExponentialDecay(0.6, 10, 0.6, False),
    ],
    "piecewise_constant.png": [
        lrdecay.PiecewiseConstantDecay([10, 20, 30, 40, 50], [0.06, 0.05, 0.04, 0.03, 0.02, 0.01])
    ],
    "polynomial_decay.png": [
        lrdecay.PolynomialDecay(0.102, 10, 0.011, 1.0, False),
        lrdecay.PolynomialDecay(0.1, 10, 0.01, 1.0, True),
    ],
    "natural_exp_decay.png": [
        lrdecay.NaturalExpDecay(0.6, 10, 0.6, True),
        lrdecay.NaturalExpDecay(0.6, 10, 0.6, False),
    ],
    "inverse_time_decay.png": [
        lrdecay.InverseTimeDecay(0.1, 10, 0.2, True),
        lrdecay.InverseTimeDecay(0.1, 10, 0.2, False),
    ],
    "cosine_decays.png": [
        lrdecay.CosineDecay(0.3, 50, alpha=0.01),
        lrdecay.CosineDecayRestarts(0.3, 10, t_mul=1.5, m_mul=0.8, alpha=0.011),
        lrdecay.LinearCosineDecay(0.3, 50, num_periods=3.0, alpha=0.0, beta=0.2),
        lrdecay.NoisyLinearCosineDecay(
            0.1, 50, initial_variance=0.01, variance_decay=0.1, num_periods=0.2, alpha=0.5, beta=0.2
        ),
    ],
    "cosine_with_linear_warmup.png": [lrdecay.CosineDecayWithLinearWarmup(0.08, 0.0067, 500, 22500)],
}


# The gallery, built in Python (not from the demo's specs): composition, then the modern schedules.
L = lrdecay


def _goyal(discrete):
    epochs = L.Join([L.Linear(0.1, 0.4, 5), 0.4, 0.04, 0.004, 0.0004], [5, 30, 60, 80])
    return L.TimeScale(epochs, 100, discrete=discrete)


GALLERY_FIGURES = {
    "warmup_then_decay.png": [
        L.Warmup(L.CosineDecay(1.0, 900), 100),
        L.Join([L.Linear(0.0, 1.0, 100), L.ExponentialDecay(1.0, 100, 0.5)], [100]),
        L.Join([L.Linear(0.0, 1.0, 100), L.PolynomialDecay(1.0, 1000, 0.0)], [100], clock="global"),
    ],
    "arithmetic.png": [
        L.Sum(L.Product(0.9, L.CosineDecay(1.0, 1000)), 0.1),
        L.Maximum(L.ExponentialDecay(1.0, 100, 0.5), 0.2),
        L.Repeat(L.Warmup(L.CosineDecay(0.8, 230), 20), 250),
    ],
    "epochs.png": [_goyal(False), _goyal(True)],
    "warmup_stable_decay.png": [
        L.WarmupStableDecay(1.0, 100, 700, 200),
        L.WarmupStableDecay(1.0, 100, 700, 200, decay_shape="cosine"),
        L.WarmupStableDecay(1.0, 100, 700, 200, decay_shape="1-sqrt"),
        L.WarmupStableDecay(1.0, 100, 700, 200, decay_shape="exponential", final_learning_rate=0.01),
    ],
    "one_cycle.png": [L.OneCycle(1.0, 1000), L.OneCycle(1.0, 1000, three_phase=True)],
    "cyclic.png": [
        L.Cyclic(0.1, 1.0, 100),
        L.Cyclic(0.1, 1.0, 100, mode="triangular2"),
        L.Cyclic(0.1, 1.0, 100, mode="exp_range", gamma=0.998),
    ],
    "inverse_sqrt_tri_stage.png": [
        L.InverseSqrtDecay(1.0, 100),
        L.InverseSqrtDecay(1.0, 100, timescale=400),
        L.TriStage(1.0, 100, 300, 500),
    ],
}
GALLERY_STEPS = {
    "warmup_then_decay.png": 1101,
    "arithmetic.png": 1001,
    "epochs.png": 9001,
    "warmup_stable_decay.png": 1101,
    "one_cycle.png": 1001,
    "cyclic.png": 801,
    "inverse_sqrt_tri_stage.png": 1001,
}
ALL_FIGURES = {**SEED_FIGURES, **GALLERY_FIGURES}
STEPS = {**dict.fromkeys(SEED_FIGURES, 61), "cosine_with_linear_warmup.png": 22501, **GALLERY_STEPS}


def test_demo_writes_every_figure_with_the_schedule_values(tmp_path, capsys, plt_free):
    import matplotlib.image

    outdir = tmp_path / "figures"
    code, out, err = run(capsys, "demo", "-o", str(outdir))
    assert (code, err) == (0, "")
    written = sorted(os.listdir(outdir))
    assert written == sorted([*ALL_FIGURES, "index.md", "index.html", "values.csv"])
    for name in ALL_FIGURES:
        image = matplotlib.image.imread(str(outdir / name))
        assert image.shape[1] == 960 and image.shape[0] >= 500
    index = (outdir / "index.md").read_text()
    for name in ALL_FIGURES:
        assert f"]({name})" in index
    assert "# Gallery: composition and the modern schedules" in index
    images = []

    class Images(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                images.append(dict(attrs)["src"])

    Images().feed((outdir / "index.html").read_text())
    assert images == list(ALL_FIGURES)
    # The summary table: one row per curve, with start, value at step 60 (or the end), min.
    summary, seed_table, footer = out.split("\n\n")
    table = summary.splitlines()
    assert table[0].split() == ["figure", "curve", "start", "at", "step", "value", "minimum"]
    assert len(table) == 1 + sum(len(v) for v in ALL_FIGURES.values())
    assert (
        footer.strip() == f"wrote {len(ALL_FIGURES)} figures, index.md, index.html and values.csv to {outdir}"
    )
    # The seed curves' values at steps 0, 5, ..., 60, and every step in values.csv.
    seed_curves = [s for name, group in SEED_FIGURES.items() if "warmup" not in name for s in group]
    lines = seed_table.splitlines()
    legend = [line for line in lines if line.startswith("  [")]
    assert len(legend) == len(seed_curves)
    rows = [line.split() for line in lines[1 + len(legend) + 1 :]]
    assert [int(r[0]) for r in rows] == list(range(0, 61, 5))
    for r in rows:
        step = int(r[0])
        assert [float(v) for v in r[1:]] == pytest.approx([s(step) for s in seed_curves], rel=1e-5)
    with open(outdir / "values.csv", newline="") as fh:
        csv_rows = list(csv.reader(fh))
    assert len(csv_rows) == 1 + 61 and len(csv_rows[0]) == 1 + len(seed_curves)
    for row in csv_rows[1:]:
        step = int(row[0])
        assert [float(v) for v in row[1:]] == [s(step) for s in seed_curves]

    results = _demo.run(str(tmp_path / "again"))
    assert [r.figure.file for r in results] == list(ALL_FIGURES)
    for r in results:
        expected = ALL_FIGURES[r.figure.file]
        assert [c.schedule for c in r.curves] == expected
        lines = r.curves[0].line.axes.get_lines()
        assert len(lines) == len(expected)
        for schedule, line in zip(expected, lines, strict=False):
            x, y = line.get_xdata(), line.get_ydata()
            np.testing.assert_array_equal(y, lrdecay.evaluate(schedule, x))
            whole = x[x == np.round(x)]
            np.testing.assert_array_equal(whole, np.arange(r.figure.steps))
            # the values at whole steps are the schedule's (scalar calls agree to the ulp)
            np.testing.assert_allclose(
                y[x == np.round(x)], [schedule(int(k)) for k in whole], rtol=1e-14, atol=1e-17
            )
        assert r.figure.steps == STEPS[r.figure.file]
        for row in table[1:]:
            if row.startswith(r.figure.file):
                at = r.figure.steps - 1
                assert row.split()[-3] == str(at)
    # The committed figures/ are exactly what the demo writes (`make demo` was run).
    committed = Path(__file__).parents[1] / "figures"
    for name in written:
        fresh = (outdir / name).read_bytes()
        if name.startswith("index."):  # its commands name the directory written to
            fresh = fresh.replace(str(outdir).encode(), b"figures")
        assert (committed / name).read_bytes() == fresh, name


def test_demo_figure_is_one_plot_command(tmp_path, capsys, plt_free):
    # The command printed under each figure in the index redraws it byte for byte.
    fig = _demo.FIGURES[0]
    results = _demo.run(str(tmp_path / "demo"))
    command = _demo.plot_command(fig, str(tmp_path / "alone"))
    os.makedirs(tmp_path / "alone")
    argv = shlex.split(command)
    assert argv[:2] == ["lrdecay", "plot"]
    assert main(argv[1:]) == 0
    capsys.readouterr()
    assert (tmp_path / "alone" / fig.file).read_bytes() == Path(results[0].path).read_bytes()


def test_committed_figures_are_listed_in_the_readme():
    root = Path(__file__).parents[1]
    figures = root / "figures"
    assert figures.is_dir(), "figures/ (made by `make demo`) is committed next to tests/"
    readme = (root / "README.md").read_text(encoding="utf-8")
    for fig in _demo.FIGURES:
        assert (figures / fig.file).is_file(), fig.file
        assert f"(figures/{fig.file})" in readme, fig.file
        assert _demo.plot_command(fig, "figures") in readme, fig.file


# -- errors: one line on stderr, exit 2 for usage, 1 for runtime ----------------------------

BAD = [
    ([], 2, "the following arguments are required: COMMAND"),
    (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
    (["values"], 2, "the following arguments are required: SPEC"),
    (["values", "NoSuchThing(0.1, 10)"], 2, "`NoSuchThing` is not a schedule at column 1"),
    (
        ["values", "ExponentialDecay(0.1, 0, 0.5)"],
        2,
        "Argument `decay_steps` must be > 0. Received: decay_steps=0",
    ),
    (["values", "ExponentialDecay(0.1, 10, 0.5"], 2, "'(' was never closed"),
    (
        ["values", "__import__('os').system('echo hacked')"],
        2,
        "attribute access (`.`) is not allowed at column 17",
    ),
    (["values", "ExponentialDecay(0.1, 10)"], 2, "missing a required argument: 'decay_rate'"),
    (["values", STAIRCASE, "--steps", "-3"], 2, "argument --steps: must be >= 1, got -3"),
    (["values", STAIRCASE, "--steps", "ten"], 2, "argument --steps: not a whole number: 'ten'"),
    (["values", STAIRCASE, "--steps", "100000000"], 2, "at most 10,000,000 steps"),
    (["values", STAIRCASE, "--at", "1,x"], 2, "argument --at: not a step: 'x'"),
    (["values", STAIRCASE, "--at", "nan"], 2, "steps are finite numbers >= 0, got 'nan'"),
    (["values", STAIRCASE, "--steps", "5", "--at", "1"], 2, "not allowed with argument --steps"),
    (["values", STAIRCASE, "--format", "xml"], 2, "invalid choice: 'xml'"),
    (["plot", STAIRCASE, "-o", "curve.jpg"], 2, "cannot write 'curve.jpg': the format comes from the suffix"),
    (["plot", STAIRCASE, STAIRCASE, "--label", "one"], 2, "1 --label for 2 SPEC"),
    (["plot", *[STAIRCASE] * 9], 2, "at most 8 curves in a terminal plot"),
    (["describe", "1 + 1"], 2, "arithmetic between numbers is not allowed"),
    (["values", "missing.json"], 1, "cannot read 'missing.json': No such file or directory"),
]


@pytest.mark.parametrize(
    ("argv", "code", "fragment"), BAD, ids=[" ".join(b[0])[:50] or "(none)" for b in BAD]
)
def test_bad_invocations(capsys, argv, code, fragment):
    got, out, err = run(capsys, *argv)
    assert got == code
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("lrdecay: error: "), err
    assert fragment in err


def test_runtime_errors(tmp_path, capsys, monkeypatch):
    # Unwritable output.
    code, out, err = run(capsys, "plot", STAIRCASE, "-o", str(tmp_path / "no" / "such" / "dir.png"))
    assert code == 1 and out == ""
    assert (
        err
        == f"lrdecay: error: cannot write '{tmp_path / 'no' / 'such' / 'dir.png'}': No such file or directory\n"
    )
    # A file where the demo directory should be.
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    code, _, err = run(capsys, "demo", "-o", str(blocker))
    assert (
        code == 1 and err.startswith(f"lrdecay: error: cannot write to '{blocker}'") and err.count("\n") == 1
    )
    # An unreadable spec file (a directory named like one).
    (tmp_path / "dir.json").mkdir()
    code, _, err = run(capsys, "values", str(tmp_path / "dir.json"))
    assert code == 1 and err == f"lrdecay: error: cannot read '{tmp_path / 'dir.json'}': Is a directory\n"
    # Invalid content is the spec's fault: usage.
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    code, _, err = run(capsys, "values", str(bad))
    assert code == 2 and "bad.json: not valid JSON" in err and err.count("\n") == 1


def test_missing_optional_dependencies_give_the_install_hint(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, out, err = run(capsys, "plot", STAIRCASE, "-o", str(tmp_path / "x.png"))
    assert (code, out) == (1, "")
    assert err == "lrdecay: error: Plotting needs matplotlib: pip install 'lrdecay[plot]'\n"
    code, _, err = run(capsys, "demo", "-o", str(tmp_path / "figs"))
    assert code == 1 and "pip install 'lrdecay[plot]'" in err
    # The terminal plot needs no matplotlib.
    code, out, _ = run(capsys, "plot", STAIRCASE)
    assert code == 0 and "learning rate" in out
    monkeypatch.setitem(sys.modules, "yaml", None)
    path = tmp_path / "s.yaml"
    path.write_text("class_name: CosineDecay\nconfig: {initial_learning_rate: 1.0, decay_steps: 10}\n")
    code, _, err = run(capsys, "values", str(path))
    assert code == 1
    assert err == "lrdecay: error: Reading a YAML spec needs PyYAML: pip install 'lrdecay[yaml]'\n"


def test_help_and_version(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "SPEC names a schedule" in out
    code, out, _ = run(capsys, "--version")
    assert (code, out) == (0, f"lrdecay {lrdecay.__version__}\n")
    code, out, _ = run(capsys, "plot", "--help")
    assert code == 0 and "--log" in out


def test_python_dash_m_lrdecay():
    result = subprocess.run(
        [sys.executable, "-m", "lrdecay", "values", STAIRCASE, "--at", "10", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "step,learning_rate\n10,0.36\n"
    result = subprocess.run(
        [sys.executable, "-m", "lrdecay", "values", "Nope(1)"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("lrdecay: error: Invalid schedule spec: `Nope` is not a schedule")
    assert "Traceback" not in result.stderr

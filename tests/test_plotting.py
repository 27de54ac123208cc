"""Looking at schedules from Python: `lrdecay.plot` on matplotlib Axes, and the inline SVG a
notebook shows for a schedule (`Schedule._repr_html_`, no matplotlib)."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import lrdecay
from lrdecay._svg import curve_svg, repr_html

SVG = "{http://www.w3.org/2000/svg}"
STAIRCASE = lrdecay.ExponentialDecay(0.6, 10, 0.6, staircase=True)
WARMUP_COSINE = lrdecay.CosineDecay(0.1, 900, warmup_target=1.0, warmup_steps=100)


# -- the notebook picture --------------------------------------------------------------------


def _box(svg):
    rect = svg.find(f"{SVG}rect")
    left, top = float(rect.get("x")), float(rect.get("y"))
    return left, top, left + float(rect.get("width")), top + float(rect.get("height"))


def _points(svg):
    text = svg.find(f"{SVG}polyline").get("points")
    return np.array([[float(v) for v in p.split(",")] for p in text.split()])


def _scales(svg, n, high, low=0.0):
    """Step -> x pixel and rate -> y pixel, from the picture's box and the curve's range."""
    left, top, right, bottom = _box(svg)
    return (
        lambda step: left + (right - left) * np.asarray(step, dtype=float) / (n - 1),
        lambda rate: bottom - (bottom - top) * (np.asarray(rate, dtype=float) - low) / (high - low),
    )


@pytest.mark.parametrize(
    ("schedule", "n"),
    [
        (STAIRCASE, 61),
        (lrdecay.PiecewiseConstantDecay([10, 30], [1.0, 0.5, 0.1]), 61),
        (WARMUP_COSINE, 1100),
        (lrdecay.CosineDecayRestarts(1.0, 20), 61),
        (lrdecay.PolynomialDecay(0.1, 50_000, end_learning_rate=0.01, power=2.0), 55_000),
    ],
    ids=["staircase", "piecewise", "warmup-cosine", "restarts", "long-polynomial"],
)
def test_every_point_of_the_svg_polyline_is_on_the_curve(schedule, n):
    svg = ET.fromstring(curve_svg(schedule))
    assert svg.tag == f"{SVG}svg"
    values = lrdecay.evaluate(schedule, n)
    _, sy = _scales(svg, n, high=float(values.max()))
    points = _points(svg)
    left, _, right, _ = _box(svg)
    # It spans the default steps (the ones `lrdecay values` shows), from s(0) to s(n-1).
    np.testing.assert_allclose(points[0], [left, sy(schedule(0))], atol=0.006)
    np.testing.assert_allclose(points[-1], [right, sy(schedule(n - 1))], atol=0.006)
    assert np.all(np.diff(points[:, 0]) >= 0)
    # Thinned to what 266 pixels can show, whatever the number of steps.
    assert len(points) <= 4 * (right - left + 1)
    # Each point is (step, rate) scaled, for a step within the coordinates' rounding: the
    # rate at some step of that window, jumps included.
    half = 0.0051 * (n - 1) / (right - left)
    for px, py in points:
        step = (px - left) / (right - left) * (n - 1)
        window = np.linspace(max(step - half, 0), min(step + half, n - 1), 9)
        k = round(step)
        if abs(k - step) <= half:
            window = np.r_[window, np.nextafter(k, -1.0) if k else 0.0, k, np.nextafter(k, np.inf)]
        ys = sy(lrdecay.evaluate(schedule, np.clip(window, 0, n - 1)))
        assert ys.min() - 0.006 <= py <= ys.max() + 0.006, (px, py, step)


@pytest.mark.parametrize(
    "schedule",
    [WARMUP_COSINE, lrdecay.ExponentialDecay(0.1, 7, 0.9), lrdecay.InverseTimeDecay(1.0, 3, 0.5)],
    ids=["warmup-cosine", "exponential", "inverse-time"],
)
def test_the_svg_polyline_passes_through_every_step_of_a_continuous_curve(schedule):
    n = 1100 if schedule is WARMUP_COSINE else 61
    svg = ET.fromstring(curve_svg(schedule))
    values = lrdecay.evaluate(schedule, n)
    sx, sy = _scales(svg, n, high=float(values.max()))
    points = _points(svg)
    drawn = np.interp(sx(np.arange(n)), points[:, 0], points[:, 1])
    # Within a pixel of the true value at every step (the thinning keeps a column's extremes).
    assert np.max(np.abs(drawn - sy(values))) < 1.0


def test_the_svg_draws_jumps_where_they_happen():
    svg = ET.fromstring(curve_svg(STAIRCASE, 21))
    sx, sy = _scales(svg, 21, high=0.6)
    points = _points(svg).tolist()
    # A vertical segment AT step 10 from 0.6 to 0.36 (the staircase's new value at 10).
    i = points.index([round(float(sx(10)), 2), round(float(sy(0.6)), 2)])
    assert points[i + 1] == [round(float(sx(10)), 2), round(float(sy(0.36)), 2)]


def test_the_svg_marks_warmup_end_and_boundaries():
    (phase,) = ET.fromstring(curve_svg(WARMUP_COSINE)).findall(f"{SVG}line")
    sx, _ = _scales(ET.fromstring(curve_svg(WARMUP_COSINE)), 1100, high=1.0)
    assert float(phase.get("x1")) == float(phase.get("x2")) == pytest.approx(float(sx(100)), abs=0.006)
    piecewise = lrdecay.PiecewiseConstantDecay([10, 30, 500], [1.0, 0.5, 0.1, 0.01])
    svg = ET.fromstring(curve_svg(piecewise, 61))
    sx, _ = _scales(svg, 61, high=1.0)
    xs = [float(line.get("x1")) for line in svg.findall(f"{SVG}line")]
    assert xs == pytest.approx([float(sx(10)), float(sx(30))], abs=0.006)  # 500 is past the end
    assert ET.fromstring(curve_svg(STAIRCASE)).findall(f"{SVG}line") == []


def test_the_svg_labels_the_range():
    svg = ET.fromstring(curve_svg(WARMUP_COSINE))
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert texts == ["1", "0", "0", "step 1099"]
    assert "CosineDecay" in svg.find(f"{SVG}title").text


def test_repr_html_shows_the_curve_beside_the_escaped_repr():
    s = lrdecay.ExponentialDecay(0.1, 10, 0.5, name="<lr & co>")
    page = s._repr_html_()
    assert page == repr_html(s)
    root = ET.fromstring(page)  # well-formed: the repr is escaped
    (svg,) = root.iter(f"{SVG}svg")
    assert svg.find(f"{SVG}polyline") is not None
    (code,) = root.iter("code")
    assert code.text == repr(s)
    assert "&lt;lr &amp; co&gt;" in page


def test_repr_html_needs_no_matplotlib():
    code = (
        "import sys, lrdecay\n"
        "html = lrdecay.CosineDecay(0.1, 100)._repr_html_()\n"
        "assert '<polyline' in html\n"
        "print([m for m in sys.modules if m.split('.')[0] == 'matplotlib'])\n"
    )
    src = str(Path(lrdecay.__file__).parents[1])
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": src}, check=True
    )
    assert out.stdout.strip() == "[]"


# -- lrdecay.plot ------------------------------------------------------------------------------


@pytest.fixture
def plt():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_plot_draws_each_schedule_with_its_values(plt):
    from matplotlib.axes import Axes

    piecewise = "piecewise_constant([20, 40], [0.5, 0.2, 0.1])"
    ax = lrdecay.plot(STAIRCASE, piecewise, WARMUP_COSINE)
    assert isinstance(ax, Axes)
    lines = ax.get_lines()
    assert len(lines) == 3
    schedules = [STAIRCASE, lrdecay.parse(piecewise), WARMUP_COSINE]
    for line, s in zip(lines, schedules, strict=True):
        x, y = line.get_data()
        np.testing.assert_array_equal(y, lrdecay.evaluate(s, x))
        # The longest default length of the three: WARMUP_COSINE's 1.1 x (100 + 900) steps.
        np.testing.assert_array_equal(x[x == np.round(x)], np.arange(1100))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "ExponentialDecay(0.6, 10, 0.6, staircase=True)",
        piecewise,
        "CosineDecay(0.1, 900, warmup_target=1.0, warmup_steps=100)",
    ]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("step", "learning rate")
    assert ax.get_ylim() == pytest.approx((0, 1.06))
    assert ax.get_yscale() == "linear"


def test_plot_draws_jumps_at_the_step_where_they_happen(plt):
    ax = lrdecay.plot(STAIRCASE, lrdecay.PiecewiseConstantDecay([10], [1.0, 0.5]), steps=21)
    (x, y), (_, y2) = (line.get_data() for line in ax.get_lines())
    near = (x > 9.99) & (x < 10.01)
    assert y[near].tolist() == [0.6, 0.36, 0.36]  # the staircase takes its new value AT 10
    assert y2[near].tolist() == [1.0, 1.0, 0.5]  # the piecewise constant just AFTER 10
    assert x.max() == 20


def test_plot_options(plt):
    _, (left, right) = plt.subplots(1, 2)
    ax = lrdecay.plot(
        STAIRCASE,
        "exponential_decay(0.6, 10, 0.6)",
        steps=40,
        ax=right,
        log=True,
        labels=["a", "b"],
        title="t",
    )
    assert ax is right and not left.get_lines()
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    assert ax.get_title() == "t"
    line = ax.get_lines()[0]
    assert line.get_marker() in (None, "None", "")
    marked = lrdecay.plot(STAIRCASE, steps=40, ax=left, markers=True).get_lines()[0]
    x, _ = marked.get_data()
    assert marked.get_marker() == "o"
    np.testing.assert_array_equal(x[marked.get_markevery()], np.arange(40))


def test_plot_keeps_an_axes_own_scaling(plt):
    _, ax = plt.subplots()
    ax.plot([0, 5], [0, 3.0])
    lrdecay.plot(STAIRCASE, ax=ax)
    assert ax.get_ylim()[1] >= 3.0  # not cut to the schedule's 0.6 x 1.06


def test_plot_bad_arguments(plt):
    with pytest.raises(TypeError, match="at least one schedule"):
        lrdecay.plot()
    with pytest.raises(TypeError, match=r"schedules\[1\]=3 of type int"):
        lrdecay.plot(STAIRCASE, 3)
    with pytest.raises(ValueError, match="Invalid schedule spec"):
        lrdecay.plot("NoSuchDecay(1)")
    with pytest.raises(ValueError, match=r"Argument `steps` must be >= 1. Received: steps=0"):
        lrdecay.plot(STAIRCASE, steps=0)
    with pytest.raises(ValueError, match=r"Argument `steps` must be <= 10000000"):
        lrdecay.plot(STAIRCASE, steps=10**7 + 1)
    for steps in (2.5, True, "10"):
        with pytest.raises(
            TypeError, match=re.escape(f"Argument `steps` must be an int. Received: steps={steps!r}")
        ):
            lrdecay.plot(STAIRCASE, steps=steps)
    with pytest.raises(ValueError, match=r"one label per schedule \(2\). Received: labels=\['a'\]"):
        lrdecay.plot(STAIRCASE, STAIRCASE, labels=["a"])
    with pytest.raises(TypeError, match="Argument `labels` must be a list of strings"):
        lrdecay.plot(STAIRCASE, labels="a")
    with pytest.raises(TypeError, match="Argument `labels` must hold strings"):
        lrdecay.plot(STAIRCASE, labels=[1])
    with pytest.raises(
        TypeError, match=r"Argument `ax` must be a matplotlib Axes\. Received: ax='x' of type str"
    ):
        lrdecay.plot(STAIRCASE, ax="x")
    with pytest.raises(TypeError, match=r"Argument `log` must be a bool\. Received: log='yes'"):
        lrdecay.plot(STAIRCASE, log="yes")
    with pytest.raises(TypeError, match="Argument `markers` must be a bool"):
        lrdecay.plot(STAIRCASE, markers=1)
    with pytest.raises(TypeError, match=r"Argument `title` must be a string or None\. Received: title=3"):
        lrdecay.plot(STAIRCASE, title=3)
    assert plt.get_fignums() == []  # nothing half-drawn was left behind


def test_plot_without_matplotlib_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    with pytest.raises(
        ImportError, match=re.escape("Plotting needs matplotlib: pip install 'lrdecay[plot]'")
    ):
        lrdecay.plot(STAIRCASE)


def test_import_lrdecay_does_not_import_matplotlib():
    code = "import sys, lrdecay; lrdecay.plot; print('matplotlib' in sys.modules)"
    src = str(Path(lrdecay.__file__).parents[1])
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": src}, check=True
    )
    assert out.stdout.strip() == "False"

"""Figures of schedules with matplotlib (the ``plot`` extra), written to PNG, SVG or PDF.

matplotlib is imported here only, when a figure is asked for. The figure is built as a
`matplotlib.figure.Figure` without pyplot: no global state, no GUI backend, the Agg
renderer behind every file format. Files are reproducible: matplotlib's default style
whatever the user's matplotlibrc, and no dates or version strings in the files.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

__all__ = ["FORMATS", "PLOT_HINT", "Curve", "draw", "require_matplotlib", "save"]

FORMATS = ("png", "svg", "pdf")
PLOT_HINT = "pip install 'lrdecay[plot]'"
_DPI = 120
#: No creation date, no version string: the same figure gives the same bytes.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}
#: Markers on the whole steps when there are at most this many.
_MARKERS_UP_TO = 130


@dataclasses.dataclass
class Curve:
    """One drawn schedule: its label, and once drawn, the points of its line and the
    matplotlib ``Line2D`` itself."""

    label: str
    schedule: Any
    x: Any = None
    y: Any = None
    line: Any = None


def require_matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ImportError(f"Plotting needs matplotlib: {PLOT_HINT}") from None
    return matplotlib


@contextlib.contextmanager
def _style() -> Iterator[None]:
    """matplotlib's default style (not the user's matplotlibrc) and fixed SVG ids."""
    import matplotlib
    import matplotlib.style

    with matplotlib.rc_context():
        matplotlib.style.use("default")
        matplotlib.rcParams["svg.hashsalt"] = "lrdecay"
        yield


def draw(curves: list[Curve], n: int, *, log: bool = False, title: str | None = None) -> Any:
    """A figure with one line per curve over steps 0..n-1; fills each curve's ``x``/``y``
    with the plotted data (`lrdecay.evaluate` of the schedule at ``x``)."""
    require_matplotlib()
    from matplotlib.figure import Figure

    from lrdecay._steps import drawing_points

    with _style():
        height = 4.2 + 0.22 * max(0, len(curves) - 1)
        fig = Figure(figsize=(8.0, height), dpi=_DPI, layout="constrained")
        ax = fig.add_subplot()
        for curve in curves:
            x, y, whole = drawing_points(curve.schedule, n)
            curve.x, curve.y = x, y
            (curve.line,) = ax.plot(
                x,
                y,
                label=curve.label,
                linewidth=1.8,
                marker="o" if n <= _MARKERS_UP_TO else None,
                markersize=2.8,
                markevery=whole.tolist() if n <= _MARKERS_UP_TO else None,
            )
        ax.set_xlabel("step")
        ax.set_ylabel("learning rate")
        if title:
            ax.set_title(title)
        # A little room on both sides, so the first and last steps (and a jump at the
        # last step) are not hidden under the frame.
        last = max(n - 1, 1)
        ax.set_xlim(-0.012 * last, 1.012 * last)
        if log:
            ax.set_yscale("log", nonpositive="mask")
        else:
            low = min(float(c.y.min()) for c in curves)
            high = max(float(c.y.max()) for c in curves)
            if low >= 0 and high > 0:
                # A learning-rate axis from 0 shows proportions honestly; headroom on top.
                ax.set_ylim(0, high * 1.06)
        ax.grid(True, color="0.9", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.ticklabel_format(axis="x", style="plain", useOffset=False)
        fig.legend(loc="outside lower center", ncols=1, frameon=False, fontsize="small")
    return fig


def save(fig: Any, path: str) -> None:
    """Write `fig` to `path`; the format is the file's suffix (png, svg or pdf)."""
    import os

    fmt = os.path.splitext(path)[1].lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(
            f"Unsupported output format {('.' + fmt) if fmt else 'without a suffix'} "
            f"in {path!r}: use .png, .svg or .pdf"
        )
    with _style():
        fig.savefig(path, format=fmt, metadata=_METADATA[fmt], dpi=_DPI)

"""Figures of schedules with matplotlib (the ``plot`` extra), written to PNG, SVG or PDF.

The curves are drawn by `lrdecay.plot`, on a `matplotlib.figure.Figure` built without
pyplot: no global state, no GUI backend, the Agg renderer behind every file format. Files are reproducible: matplotlib's default style
whatever the user's matplotlibrc, and no dates or version strings in the files.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

from lrdecay._plotting import PLOT_HINT, plot, require_matplotlib

__all__ = ["FORMATS", "PLOT_HINT", "Curve", "draw", "require_matplotlib", "save"]

FORMATS = ("png", "svg", "pdf")
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
    """A figure with one line per curve over steps 0..n-1, drawn by `lrdecay.plot`; fills
    each curve's ``x``/``y`` with the plotted data and ``line`` with its Line2D."""
    require_matplotlib()
    from matplotlib.figure import Figure

    with _style():
        height = 4.2 + 0.22 * max(0, len(curves) - 1)
        fig = Figure(figsize=(8.0, height), dpi=_DPI, layout="constrained")
        ax = fig.add_subplot()
        plot(
            *(c.schedule for c in curves),
            steps=n,
            ax=ax,
            log=log,
            labels=[c.label for c in curves],
            title=title,
            markers=n <= _MARKERS_UP_TO,
        )
        for curve, line in zip(curves, ax.get_lines(), strict=True):
            curve.line = line
            curve.x, curve.y = line.get_data()
        # Below the axes, one label a line: the specs are long, and must not hide a curve.
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
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

"""`lrdecay.plot`: schedules' curves on a matplotlib Axes (the ``plot`` extra).

matplotlib is imported when `plot` is called, never by ``import lrdecay``. The command
line's ``lrdecay plot -o FILE`` and ``lrdecay demo`` draw through this function too
(``lrdecay.cli._plot`` adds the figure, its style and the file), so a curve looks the same
from Python and from the shell.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from lrdecay import _validate as v

__all__ = ["PLOT_HINT", "plot", "require_matplotlib"]

PLOT_HINT = "pip install 'lrdecay[plot]'"
_LINEWIDTH = 1.8
_MARKERSIZE = 2.8


def require_matplotlib() -> Any:
    """The matplotlib module, or an ImportError saying how to install it."""
    try:
        import matplotlib
    except ImportError:
        raise ImportError(f"Plotting needs matplotlib: {PLOT_HINT}") from None
    return matplotlib


def plot(
    *schedules: Any,
    steps: int | None = None,
    ax: Any = None,
    log: bool = False,
    labels: Sequence[str] | None = None,
    title: str | None = None,
    markers: bool = False,
) -> Any:
    """Draw the schedules' learning rates over steps 0..N-1 on a matplotlib Axes; return it.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import lrdecay
    >>> ax = lrdecay.plot(lrdecay.ExponentialDecay(0.6, 10, 0.6, staircase=True),
    ...                   "piecewise_constant([20], [0.5, 0.1])", steps=30)
    >>> [line.get_label() for line in ax.get_lines()]
    ['ExponentialDecay(0.6, 10, 0.6, staircase=True)', 'piecewise_constant([20], [0.5, 0.1])']
    >>> x, y = ax.get_lines()[0].get_data()
    >>> y[x == 10].tolist(), ax.get_xlabel(), ax.get_ylabel()
    ([0.36], 'step', 'learning rate')
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)

    Each of `schedules` is an `lrdecay.Schedule` or a spec string (see `lrdecay.parse`),
    as on the command line. Each line is `lrdecay.evaluate` of its schedule: at every
    whole step, and for up to 5,000 steps also just before and after each step, so a
    jump is drawn as a vertical line exactly at the step where it happens (a staircase
    takes its new value *at* a multiple of `decay_steps`, a piecewise constant just
    *after* a boundary). Longer runs are drawn with at most 200,000 points.

    Args:
        steps: how many steps to draw (0..steps-1), an int >= 1; by default the longest
            of the schedules' default lengths (``lrdecay values`` uses the same: at least
            61, or 1.1 x the length the schedule declares).
        ax: the matplotlib Axes to draw on; by default a new figure of pyplot's (so it
            shows in a notebook or with ``plt.show()``).
        log: a logarithmic learning-rate axis (rates <= 0 are not drawn).
        labels: one legend label per schedule; by default a spec string's own text, or
            the schedule's short form (``ExponentialDecay(0.6, 10, 0.6)``).
        title: the Axes' title.
        markers: a dot on every whole step (the command line's choice up to 130 steps).

    On an Axes with nothing drawn yet, the limits are the command line's: the steps with
    a small margin, and, when no rate is negative, the rates from 0 to 6% above the
    highest. On an Axes that already holds data, matplotlib's own scaling is kept.

    Raises:
        ImportError: matplotlib is not installed (``pip install 'lrdecay[plot]'``).
        TypeError: no schedule, or one that is neither a Schedule nor a string; `ax`
            that is not a matplotlib Axes; `steps`, `log`, `markers`, `labels` or
            `title` of the wrong type.
        ValueError: a spec that does not parse; ``steps < 1`` or above 10 million;
            as many `labels` as schedules is required.
    """
    from lrdecay._base import Schedule
    from lrdecay._spec import parse, short_form
    from lrdecay._steps import MAX_STEPS, default_steps, drawing_points

    if not schedules:
        raise TypeError("lrdecay.plot needs at least one schedule: lrdecay.plot(schedule, ...)")
    parsed = []
    default_labels = []
    for i, s in enumerate(schedules):
        if isinstance(s, str):
            parsed.append(parse(s))
            default_labels.append(" ".join(s.split()))
        elif isinstance(s, Schedule):
            parsed.append(s)
            default_labels.append(short_form(s))
        else:
            raise TypeError(
                "Each of `schedules` must be an lrdecay.Schedule or a spec string. "
                f"Received: schedules[{i}]={s!r} of type {type(s).__name__}"
            )
    if steps is None:
        n = max(default_steps(s) for s in parsed)
    else:
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
            raise TypeError(
                f"Argument `steps` must be an int. {v.received('steps', steps)} of type {type(steps).__name__}"
            )
        n = int(v.number("steps", steps, lower=1, upper=MAX_STEPS))
    log = v.boolean("log", log)
    markers = v.boolean("markers", markers)
    if labels is None:
        labels = default_labels
    else:
        if isinstance(labels, str) or not isinstance(labels, Sequence):
            raise TypeError(
                f"Argument `labels` must be a list of strings, one per schedule. {v.received('labels', labels)}"
            )
        if len(labels) != len(parsed):
            raise ValueError(
                f"Argument `labels` must have one label per schedule ({len(parsed)}). "
                f"{v.received('labels', labels)}"
            )
        bad = [label for label in labels if not isinstance(label, str)]
        if bad:
            raise TypeError(f"Argument `labels` must hold strings. {v.received('labels', labels)}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"Argument `title` must be a string or None. {v.received('title', title)}")

    require_matplotlib()
    from matplotlib.axes import Axes

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8.0, 4.2), layout="constrained")
    elif not isinstance(ax, Axes):
        raise TypeError(
            f"Argument `ax` must be a matplotlib Axes. {v.received('ax', ax)} of type {type(ax).__name__}"
        )

    fresh = not ax.has_data()
    ys = []
    for label, s in zip(labels, parsed, strict=True):
        x, y, whole = drawing_points(s, n)
        ys.append(y)
        ax.plot(
            x,
            y,
            label=label,
            linewidth=_LINEWIDTH,
            marker="o" if markers else None,
            markersize=_MARKERSIZE,
            markevery=whole.tolist() if markers else None,
        )
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    if title:
        ax.set_title(title)
    if fresh:
        ax.ticklabel_format(axis="x", style="plain", useOffset=False)
        # A little room on both sides, so the first and last steps (and a jump at the
        # last step) are not hidden under the frame.
        last = max(n - 1, 1)
        ax.set_xlim(-0.012 * last, 1.012 * last)
    if log:
        ax.set_yscale("log", nonpositive="mask")
    elif fresh:
        low = min(float(y.min()) for y in ys)
        high = max(float(y.max()) for y in ys)
        if low >= 0 and high > 0:
            # A learning-rate axis from 0 shows proportions honestly; headroom on top.
            ax.set_ylim(0, high * 1.06)
    ax.grid(True, color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, fontsize="small")
    return ax

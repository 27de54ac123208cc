"""Hugging Face transformers' schedules (``transformers.optimization``), as lrdecay compositions.

>>> import torch
>>> from lrdecay.presets.transformers import get_linear_schedule_with_warmup
>>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=10.0)
>>> sched = get_linear_schedule_with_warmup(opt, num_warmup_steps=2, num_training_steps=10)
>>> lrs = []
>>> for _ in range(10):
...     lrs.append(sched.get_last_lr()[0])
...     opt.step()
...     sched.step()
>>> lrs
[0.0, 5.0, 10.0, 8.75, 7.5, 6.25, 5.0, 3.75, 2.5, 1.25]
>>> sched.lr_lambdas[0]
Join(schedules=(Linear(start=0.0, end=1.0, steps=2), Linear(start=1.0, end=0.0, steps=8)), boundaries=(2,))

Each ``get_*`` function has transformers' name, signature (the optimizer first,
``last_epoch=-1`` last), defaults and errors, and returns what transformers returns, a
``torch.optim.lr_scheduler.LambdaLR`` (a subclass of it, `LambdaLR` below) that sets
each param group's lr to ``initial_lr * factor(step)``. Its `lr_lambdas` are lrdecay
schedules of the factor: printable, picklable, serializable with `lrdecay.serialize`,
plottable. Each also has a pure form without the ``get_`` prefix and without the
optimizer (``cosine_schedule_with_warmup(num_warmup_steps, num_training_steps)``), the
factor schedule itself, for plots, JAX, Keras (multiply it by a peak rate:
``0.1 * cosine_schedule_with_warmup(100, 1000)``).

Transformers' conventions, kept here (see docs/migration/transformers.md):

* the warmup is counted inside `num_training_steps`, the factor is 0 at step 0 (the
  first update has lr 0) and exactly 1 at ``num_warmup_steps``;
* past `num_training_steps`, linear and hard restarts hold 0, polynomial holds
  ``lr_end``, WSD holds ``min_lr_ratio``, inverse sqrt keeps decaying, and the cosine
  schedules keep oscillating (transformers does not clamp their progress: with
  ``num_cycles=0.5`` the factor climbs back to 1 at ``2 * N - W``);
* lrdecay's own `Warmup` and `CosineDecay` instead put the warmup before the decay and
  hold the floor after the end.

Not provided as lrdecay schedules: the two schedulers of `get_scheduler` that follow a
metric rather than the step, ``"reduce_lr_on_plateau"`` (torch's ``ReduceLROnPlateau``)
and ``"greedy"`` (transformers' ``GreedyLR``, which needs transformers installed), which
`get_scheduler` returns from their own libraries as transformers does; and
transformers' per-parameter ``LayerWiseDummyOptimizer`` path of `get_scheduler`.

Values are transformers' to ~1e-16 relative (a few float64 roundings), not bit for bit:
where a factor approaches 0 by cancellation (``1 + cos`` near the trough) both sides
carry an absolute rounding of ~1e-16 of the peak.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any

try:
    import torch
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError("lrdecay.presets.transformers needs PyTorch: pip install 'lrdecay[torch]'") from err
from torch.optim.lr_scheduler import LambdaLR as _TorchLambdaLR

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay.schedules.compose import Constant, Join, Linear, Maximum, Repeat, Shift, Warmup
from lrdecay.schedules.cosine import CosineDecay
from lrdecay.schedules.inverse_sqrt import InverseSqrtDecay
from lrdecay.schedules.polynomial import PolynomialDecay
from lrdecay.schedules.warmup_stable_decay import WarmupStableDecay

__all__ = [
    "SCHEDULER_NAMES",
    "LambdaLR",
    "constant_schedule",
    "constant_schedule_with_warmup",
    "cosine_schedule_with_warmup",
    "cosine_with_hard_restarts_schedule_with_warmup",
    "cosine_with_min_lr_schedule_with_warmup",
    "cosine_with_min_lr_schedule_with_warmup_lr_rate",
    "get_constant_schedule",
    "get_constant_schedule_with_warmup",
    "get_cosine_schedule_with_warmup",
    "get_cosine_with_hard_restarts_schedule_with_warmup",
    "get_cosine_with_min_lr_schedule_with_warmup",
    "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
    "get_inverse_sqrt_schedule",
    "get_linear_schedule_with_warmup",
    "get_polynomial_decay_schedule_with_warmup",
    "get_scheduler",
    "get_wsd_schedule",
    "inverse_sqrt_schedule",
    "linear_schedule_with_warmup",
    "polynomial_decay_schedule_with_warmup",
    "wsd_schedule",
]

SCHEDULER_NAMES = (
    "linear",
    "cosine",
    "cosine_with_restarts",
    "polynomial",
    "constant",
    "constant_with_warmup",
    "inverse_sqrt",
    "reduce_lr_on_plateau",
    "cosine_with_min_lr",
    "cosine_warmup_with_min_lr",
    "warmup_stable_decay",
    "greedy",
)
"""transformers' ``SchedulerType`` values, in its order (the names `get_scheduler` knows)."""

_SHAPES = ("linear", "cosine", "1-sqrt")


class LambdaLR(_TorchLambdaLR):
    """torch's ``LambdaLR`` whose factors are lrdecay schedules, saved as transformers saves its own.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_cosine_schedule_with_warmup
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> sched = get_cosine_schedule_with_warmup(opt, 10, 100)
    >>> sorted(sched.state_dict())
    ['_get_lr_called_within_step', '_is_initial', '_last_lr', '_step_count', 'base_lrs', 'last_epoch', 'lr_lambdas']
    >>> sched.state_dict()["lr_lambdas"]
    [{}]

    ``state_dict()`` has the keys and plain values transformers' scheduler has (its
    ``lr_lambdas`` entries are ``{}``, as for transformers' ``functools.partial``
    factors, or None for the constant schedule), so it loads with
    ``torch.load(..., weights_only=True)`` and a checkpoint written by either library
    loads into the other. As in transformers, the factor schedules are not restored from
    the checkpoint: they come from the code that builds the scheduler (a longer
    `num_training_steps` on resume takes effect). torch's ``LambdaLR`` would save each
    schedule's ``__dict__``, which is not plain data.
    """

    def __init__(self, optimizer: Any, lr_lambda: Schedule, last_epoch: int = -1, *, _saved: Any = None):
        if not isinstance(lr_lambda, Schedule):
            raise TypeError(
                "Argument `lr_lambda` must be an lrdecay.Schedule. "
                f"Received: lr_lambda={lr_lambda!r} of type {type(lr_lambda).__name__}"
            )
        self._saved = {} if _saved is None else _saved
        super().__init__(optimizer, lr_lambda, last_epoch)

    def state_dict(self) -> dict[str, Any]:
        """torch's state of the scheduler (plain types), with transformers' ``lr_lambdas`` entries."""
        state = {
            k: value for k, value in self.__dict__.items() if k not in ("optimizer", "lr_lambdas", "_saved")
        }
        state["lr_lambdas"] = [None if self._saved is None else dict(self._saved) for _ in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore the step and counters; the factor schedules stay those of this scheduler."""
        if not isinstance(state_dict, Mapping) or "last_epoch" not in state_dict:
            raise ValueError(
                "Argument `state_dict` must be a dict from a scheduler's state_dict(). "
                f"Received: state_dict={state_dict!r}"
            )
        self.__dict__.update({k: value for k, value in state_dict.items() if k != "lr_lambdas"})


def _steps(arg: str, value: Any) -> int | float:
    return v.number(arg, value, lower=0)


def _warmup_then(after: Schedule, num_warmup_steps: int | float) -> Schedule:
    """transformers' warmup: ``step / max(1, W)`` up to W (exclusive), then `after` from its step 0."""
    if num_warmup_steps <= 0:
        return after
    return Join([Linear(0.0, 1.0, num_warmup_steps), after], [num_warmup_steps])


def _cosine_wave(steps: float, num_cycles: float) -> Schedule:
    """``(1 + cos(2 pi num_cycles s / steps)) / 2`` for every ``s >= 0``, never clamped."""
    cycles = abs(v.number("num_cycles", num_cycles))
    if cycles == 0:
        return Constant(1.0)
    half = steps / (2 * cycles)
    # Down by CosineDecay, back up by a cosine warmup to 1 (a squared sine: no
    # cancellation near the trough), repeated: transformers' unclamped cosine.
    return Repeat(Join([CosineDecay(1.0, half), Warmup(1.0, half, shape="cosine")], [half]), 2 * half)


def _floor_map(factor: Schedule, floor: float) -> Schedule:
    """``factor * (1 - floor) + floor``, as transformers maps a factor onto ``[floor, 1]``."""
    return factor if floor == 0 else factor * (1.0 - floor) + floor


def _floored(wave: Schedule, rate: float) -> Schedule:
    """transformers' ``max(0, wave * (1 - rate) + rate)``; only a negative floor reaches below 0."""
    factor = _floor_map(wave, rate)
    return Maximum(factor, 0.0) if rate < 0 else factor


def _cosine_wave_early(steps: float, num_cycles: float, early: float) -> Schedule:
    """`_cosine_wave` read `early` steps ahead: ``wave(s + early)``, for ``0 < early <= 1``.

    lrdecay's clocks only run late (`Shift`, `Join`), so the lead comes from the
    three-term identity of the cosine, ``wave(s + a) = 2 cos(d) wave(s) - wave(s - a) +
    (1 - cos(d))`` with ``d = 2 pi cycles a / steps``, where ``wave(s - a)`` is a `Shift`
    by `a`; before `a` (at step 0, for integer steps) the factor is its value there.
    The three terms are of the size of the result's neighbours, so it keeps ~1e-16 of
    the peak; ``1 - cos(d)`` is ``2 sin(d / 2) ** 2``, without cancellation.
    """
    wave = _cosine_wave(steps, num_cycles)
    if isinstance(wave, Constant):
        return wave
    d = 2 * math.pi * abs(num_cycles) * early / steps
    ahead = 2 * math.cos(d) * wave + (-1.0) * Shift(wave, early) + 2 * math.sin(d / 2) ** 2
    return Join([wave(early), ahead], [early], clock="global")


def _min_rate(min_lr: float | None, min_lr_rate: float | None, lr_init: float | None) -> float:
    """transformers' floor as a fraction of the peak: `min_lr_rate`, or `min_lr` over the default lr."""
    if min_lr is not None and min_lr_rate is not None:
        raise ValueError("Only one of min_lr or min_lr_rate should be set")
    if min_lr is not None:
        if lr_init is None:
            raise ValueError(
                "Argument `min_lr` needs `lr_init`, the optimizer's default lr it is divided by. "
                f"Received: min_lr={min_lr!r}, lr_init=None"
            )
        return v.number("min_lr", min_lr) / v.number("lr_init", lr_init)
    if min_lr_rate is None:
        raise ValueError("One of min_lr or min_lr_rate should be set through the `lr_scheduler_kwargs`")
    return v.number("min_lr_rate", min_lr_rate)


def _total(num_warmup_steps: Any, num_training_steps: Any) -> tuple[int | float, int | float]:
    return _steps("num_warmup_steps", num_warmup_steps), _steps("num_training_steps", num_training_steps)


# -- the factor schedules (pure forms) ------------------------------------------------------


def constant_schedule() -> Schedule:
    """transformers' constant factor, 1.

    >>> from lrdecay.presets.transformers import constant_schedule
    >>> constant_schedule()(10**6)
    1.0
    """
    return Constant(1.0)


def constant_schedule_with_warmup(num_warmup_steps: int) -> Schedule:
    """``step / num_warmup_steps`` during the warmup, then 1.

    >>> from lrdecay.presets.transformers import constant_schedule_with_warmup
    >>> s = constant_schedule_with_warmup(4)
    >>> [s(k) for k in range(6)]
    [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]

    Raises:
        ValueError: a negative or non-finite `num_warmup_steps`.
    """
    return _warmup_then(Constant(1.0), _steps("num_warmup_steps", num_warmup_steps))


def linear_schedule_with_warmup(num_warmup_steps: int, num_training_steps: int) -> Schedule:
    """0 to 1 over the warmup, then linearly to 0 at `num_training_steps`, then 0.

    >>> from lrdecay.presets.transformers import linear_schedule_with_warmup
    >>> s = linear_schedule_with_warmup(2, 6)
    >>> [s(k) for k in range(8)]
    [0.0, 0.5, 1.0, 0.75, 0.5, 0.25, 0.0, 0.0]

    Formula (transformers): ``k / max(1, W)`` for ``k < W``, else
    ``max(0, (N - k) / max(1, N - W))``.

    Raises:
        ValueError: a negative or non-finite number of steps.
    """
    w, n = _total(num_warmup_steps, num_training_steps)
    span = n - w
    after = Linear(span / max(1, span), 0.0, span) if span > 0 else Constant(0.0)
    return _warmup_then(after, w)


def cosine_schedule_with_warmup(
    num_warmup_steps: int, num_training_steps: int, num_cycles: float = 0.5
) -> Schedule:
    """0 to 1 over the warmup, then ``(1 + cos(2 pi num_cycles p)) / 2``, ``p`` the progress after it.

    >>> from lrdecay.presets.transformers import cosine_schedule_with_warmup
    >>> s = cosine_schedule_with_warmup(10, 110)
    >>> [round(s(k), 6) for k in (0, 5, 10, 60, 110, 160, 210)]
    [0.0, 0.5, 1.0, 0.5, 0.0, 0.5, 1.0]

    ``p = (k - W) / max(1, N - W)`` is not clamped: past `num_training_steps` the factor
    rises again (transformers' behaviour; lrdecay's `CosineDecay` holds its floor).

    Raises:
        ValueError: a negative or non-finite number of steps, a non-finite `num_cycles`.
    """
    w, n = _total(num_warmup_steps, num_training_steps)
    return _warmup_then(_cosine_wave(max(1, n - w), num_cycles), w)


def cosine_with_hard_restarts_schedule_with_warmup(
    num_warmup_steps: int, num_training_steps: int, num_cycles: int = 1
) -> Schedule:
    """0 to 1 over the warmup, then `num_cycles` half cosines from 1 to 0, then 0.

    >>> from lrdecay.presets.transformers import cosine_with_hard_restarts_schedule_with_warmup
    >>> s = cosine_with_hard_restarts_schedule_with_warmup(0, 100, num_cycles=2)
    >>> [round(s(k), 6) for k in (0, 25, 49, 50, 75, 100, 1000)]
    [1.0, 0.5, 0.000987, 1.0, 0.5, 0.0, 0.0]

    Formula (transformers): ``p = (k - W) / max(1, N - W)``; 0 for ``p >= 1``, else
    ``(1 + cos(pi * ((num_cycles * p) mod 1))) / 2``.

    Raises:
        ValueError: a negative or non-finite number of steps, ``num_cycles < 0``.
    """
    w, n = _total(num_warmup_steps, num_training_steps)
    cycles = v.number("num_cycles", num_cycles, lower=0)
    span = max(1, n - w)
    if cycles == 0:
        return _warmup_then(Join([1.0, 0.0], [span]), w)
    # One piece per cycle, each starting at (j * span) / cycles: exact whenever the
    # restart is an integer step (a Repeat by the rounded period span / cycles can put
    # a restart step at the end of the previous cycle instead).
    count = math.ceil(cycles)
    starts = [j * span / cycles for j in range(1, count)]
    cosine = CosineDecay(1.0, span / cycles)
    return _warmup_then(Join([cosine] * count + [Constant(0.0)], [*starts, span]), w)


def polynomial_decay_schedule_with_warmup(
    num_warmup_steps: int, num_training_steps: int, lr_init: float, lr_end: float = 1e-7, power: float = 1.0
) -> Schedule:
    """0 to 1 over the warmup, then ``(1 - p) ** power`` from 1 to ``lr_end / lr_init``, then that.

    >>> from lrdecay.presets.transformers import polynomial_decay_schedule_with_warmup
    >>> s = polynomial_decay_schedule_with_warmup(2, 12, lr_init=1.0, lr_end=0.1, power=2.0)
    >>> [round(s(k), 6) for k in (0, 1, 2, 7, 12, 100)]
    [0.0, 0.5, 1.0, 0.325, 0.1, 0.1]

    The factor of transformers' polynomial decay is relative to `lr_init`, the
    optimizer's default lr (``optimizer.defaults["lr"]``), so that group ends at
    `lr_end`; a group with another lr ends at ``lr_end * its_lr / lr_init``.

    Raises:
        ValueError: ``lr_init <= lr_end`` (transformers' message), ``lr_end < 0``,
            ``power <= 0``, ``num_training_steps == num_warmup_steps`` (transformers
            divides by zero at that step), a negative or non-finite number of steps.
    """
    w, n = _total(num_warmup_steps, num_training_steps)
    lr_init = v.number("lr_init", lr_init)
    lr_end = v.number("lr_end", lr_end, lower=0)
    power = v.number("power", power, lower=0, lower_op=">")
    if not lr_init > lr_end:
        raise ValueError(f"lr_end ({lr_end}) must be smaller than initial lr ({lr_init})")
    if n == w:
        raise ValueError(
            "Argument `num_training_steps` must differ from `num_warmup_steps` (the decay would last 0 "
            f"steps; transformers divides by zero at that step). Received: num_training_steps={n!r}, "
            f"num_warmup_steps={w!r}"
        )
    end = lr_end / lr_init
    after = PolynomialDecay(1.0, n - w, end, power) if n > w else Constant(end)
    return _warmup_then(after, w)


def inverse_sqrt_schedule(num_warmup_steps: int, timescale: int | None = None) -> Schedule:
    """0 to 1 over the warmup, then ``1 / sqrt((k - W + timescale) / timescale)``, without end.

    >>> from lrdecay.presets.transformers import inverse_sqrt_schedule
    >>> s = inverse_sqrt_schedule(100)
    >>> [s(k) for k in (0, 50, 100, 400, 10_000)]
    [0.0, 0.5, 1.0, 0.5, 0.1]
    >>> inverse_sqrt_schedule(0)(30_000)  # no warmup: timescale 10,000
    0.5

    `timescale` defaults to `num_warmup_steps`, or 10,000 when that is 0.

    Raises:
        ValueError: a negative or non-finite `num_warmup_steps`, ``timescale <= 0``.
    """
    w = _steps("num_warmup_steps", num_warmup_steps)
    tau = v.number("timescale", (w or 10_000) if timescale is None else timescale, lower=0, lower_op=">")
    return InverseSqrtDecay(1.0, w, timescale=tau)


def cosine_with_min_lr_schedule_with_warmup(
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
    lr_init: float | None = None,
) -> Schedule:
    """`cosine_schedule_with_warmup` mapped onto ``[min_lr_rate, 1]`` (still unclamped after the end).

    >>> from lrdecay.presets.transformers import cosine_with_min_lr_schedule_with_warmup
    >>> s = cosine_with_min_lr_schedule_with_warmup(10, 110, min_lr_rate=0.1)
    >>> [round(s(k), 6) for k in (0, 10, 60, 110)]
    [0.0, 1.0, 0.55, 0.1]

    ``min_lr_rate`` is the floor as a fraction of the peak; ``min_lr`` is it as an lr,
    divided by `lr_init` (the optimizer's default lr); give exactly one.

    Raises:
        ValueError: both or neither of `min_lr` and `min_lr_rate` (transformers'
            messages), `min_lr` without `lr_init`, a bad number of steps.
    """
    w, n = _total(num_warmup_steps, num_training_steps)
    rate = _min_rate(min_lr, min_lr_rate, lr_init)
    return _warmup_then(_floored(_cosine_wave(max(1, n - w), num_cycles), rate), w)


def cosine_with_min_lr_schedule_with_warmup_lr_rate(
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
    warmup_lr_rate: float | None = None,
    lr_init: float | None = None,
) -> Schedule:
    """The warmup ends one step early and the cosine starts one step in: transformers' "warmup with min lr".

    >>> from lrdecay.presets.transformers import cosine_with_min_lr_schedule_with_warmup_lr_rate
    >>> s = cosine_with_min_lr_schedule_with_warmup_lr_rate(4, 14, min_lr_rate=0.1)
    >>> [round(s(k), 6) for k in (0, 1, 3, 4, 8, 13, 14)]
    [0.25, 0.5, 1.0, 0.977975, 0.55, 0.1, 0.122025]
    >>> w = cosine_with_min_lr_schedule_with_warmup_lr_rate(5, 15, min_lr_rate=0.0, warmup_lr_rate=0.2)
    >>> [round(w(k), 6) for k in range(5)]
    [0.2, 0.4, 0.6, 0.8, 1.0]

    Formula (transformers' ``get_cosine_with_min_lr_schedule_with_warmup_lr_rate``):
    for ``k < W``, ``(k + 1) / max(1, W)``, or with `warmup_lr_rate` ``r``,
    ``r + (1 - r) * k / max(1, W - 1)``; then ``p = (k - W + 1) / max(1, N - W)`` and
    ``max(0, m + (1 - m) * (1 + cos(2 pi num_cycles p)) / 2)``, ``m`` the floor
    (`min_lr_rate`, or `min_lr` over `lr_init`). So the factor is never 0 in the
    warmup, is 1 at ``W - 1``, reaches the floor at ``N - 1`` and, unclamped like
    `cosine_schedule_with_warmup`, rises again after it. Without a warmup (``W = 0``)
    the cosine is read one step ahead (``p = (k + 1) / N``); at non-integer steps
    below 1 it holds its value at step 0.

    Raises:
        ValueError: both or neither of `min_lr` and `min_lr_rate` (transformers'
            messages), `min_lr` without `lr_init`, a bad number of steps, a non-finite
            `num_cycles` or `warmup_lr_rate`.
    """
    w, n = _total(num_warmup_steps, num_training_steps)
    rate = _min_rate(min_lr, min_lr_rate, lr_init)
    span = max(1, n - w)
    # On the global clock the cosine is at k - (W - 1): late by W - 1, or early when W < 1.
    lag = w - 1
    decay: Schedule
    if lag >= 0:
        decay = _floored(_cosine_wave(span, num_cycles), rate)
        decay = Shift(decay, lag) if lag > 0 else decay
    else:
        decay = _floored(_cosine_wave_early(span, num_cycles, -lag), rate)
    if w <= 0:
        return decay
    if warmup_lr_rate is None:
        top = max(1, w)
        warm = Linear(1 / top, (w + 1) / top, w)
    else:
        r = v.number("warmup_lr_rate", warmup_lr_rate)
        warm = Linear(r, r + (1 - r) * w / max(1, w - 1), w)
    return Join([warm, decay], [w], clock="global")


def wsd_schedule(
    num_warmup_steps: int,
    num_decay_steps: int,
    num_training_steps: int | None = None,
    num_stable_steps: int | None = None,
    warmup_type: str = "linear",
    decay_type: str = "cosine",
    min_lr_ratio: float = 0,
    num_cycles: float = 0.5,
) -> Schedule:
    """Warmup from `min_lr_ratio` to 1, stable at 1, decay back to `min_lr_ratio`, then that.

    >>> from lrdecay.presets.transformers import wsd_schedule
    >>> s = wsd_schedule(10, 20, num_training_steps=100, min_lr_ratio=0.1)
    >>> [round(s(k), 6) for k in (0, 5, 10, 79, 80, 90, 100, 10**6)]
    [0.1, 0.55, 1.0, 1.0, 1.0, 0.55, 0.1, 0.1]

    ``num_stable_steps`` defaults to ``num_training_steps - num_warmup_steps -
    num_decay_steps``. Shapes, with ``p`` the progress of the phase in [0, 1), mapped
    onto ``[min_lr_ratio, 1]``: warmup ``"linear"`` p, ``"cosine"`` ``(1 - cos(pi p)) / 2``,
    ``"1-sqrt"`` ``1 - sqrt(1 - p)``; decay ``"linear"`` ``1 - p``, ``"cosine"``
    ``(1 + cos(2 pi num_cycles p)) / 2``, ``"1-sqrt"`` ``1 - sqrt(p)``.

    Raises:
        ValueError: neither `num_training_steps` nor `num_stable_steps`, an unknown
            shape (transformers' messages), a negative stable phase or `min_lr_ratio`,
            a bad number of steps.
    """
    if num_training_steps is None and num_stable_steps is None:
        raise ValueError("Either num_training_steps or num_stable_steps must be specified.")
    if num_training_steps is not None and num_stable_steps is not None:
        warnings.warn(
            "Both num_training_steps and num_stable_steps are specified. num_stable_steps will be used.",
            stacklevel=2,
        )
    if warmup_type not in _SHAPES:
        raise ValueError(f"Unknown warmup type: {warmup_type}, expected 'linear', 'cosine' or '1-sqrt'")
    if decay_type not in _SHAPES:
        raise ValueError(f"Unknown decay type: {decay_type}, expected 'linear', 'cosine' or '1-sqrt'")
    w = _steps("num_warmup_steps", num_warmup_steps)
    d = _steps("num_decay_steps", num_decay_steps)
    if num_stable_steps is None:
        n = _steps("num_training_steps", num_training_steps)
        stable = n - w - d
        if stable < 0:
            raise ValueError(
                "Argument `num_training_steps` must be >= num_warmup_steps + num_decay_steps (the stable "
                f"phase would be negative). Received: num_training_steps={n!r}, num_warmup_steps={w!r}, "
                f"num_decay_steps={d!r}"
            )
    else:
        stable = _steps("num_stable_steps", num_stable_steps)
    m = v.number("min_lr_ratio", min_lr_ratio, lower=0)
    wl = max(1, w)
    warm: Schedule
    if warmup_type == "linear":
        warm = Linear(m, 1.0, wl)
    elif warmup_type == "cosine":
        warm = Warmup(1.0, wl, start=m, shape="cosine")
    else:  # 1 - sqrt(1 - p), mapped: 1 - (1 - m) * sqrt(1 - p)
        warm = PolynomialDecay(m, wl, end_learning_rate=1.0, power=0.5)
    dl = max(1, d)
    decay: Schedule
    if decay_type == "linear":
        decay = Linear(1.0, m, dl)
    elif decay_type == "cosine":
        decay = _floor_map(_cosine_wave(dl, num_cycles), m)
    else:
        decay = WarmupStableDecay(1.0, 0, 0, dl, "1-sqrt", final_learning_rate=m)
    pieces = [warm, Constant(1.0), decay, Constant(float(m))]
    bounds = [w, w + stable, w + stable + d]
    if w <= 0:  # no warmup piece (transformers: step < 0 never holds)
        pieces, bounds = pieces[1:], bounds[1:]
    return Join(pieces, bounds)


# -- the schedulers: transformers' signatures ------------------------------------------------


def _scheduler(optimizer: Any, factor: Schedule, last_epoch: int, saved: Any = None) -> LambdaLR:
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            "Argument `optimizer` must be a torch.optim.Optimizer. "
            f"Received: optimizer={optimizer!r} of type {type(optimizer).__name__}"
        )
    return LambdaLR(optimizer, factor, last_epoch, _saved={} if saved is None else saved)


def _default_lr(optimizer: Any) -> float:
    return float(optimizer.defaults["lr"])


def get_constant_schedule(optimizer: Any, last_epoch: int = -1) -> LambdaLR:
    """transformers' ``get_constant_schedule``: the optimizer's lr at every step.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_constant_schedule
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
    >>> get_constant_schedule(opt).get_last_lr()
    [0.1]
    """
    sched = _scheduler(optimizer, constant_schedule(), last_epoch)
    sched._saved = None  # transformers' factor is a plain function: saved as None
    return sched


def get_constant_schedule_with_warmup(
    optimizer: Any, num_warmup_steps: int, last_epoch: int = -1
) -> LambdaLR:
    """transformers' ``get_constant_schedule_with_warmup``; see `constant_schedule_with_warmup`.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_constant_schedule_with_warmup
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=10.0)
    >>> sched = get_constant_schedule_with_warmup(opt, num_warmup_steps=4)
    >>> [sched.lr_lambdas[0](k) * 10.0 for k in range(6)]
    [0.0, 2.5, 5.0, 7.5, 10.0, 10.0]
    """
    return _scheduler(optimizer, constant_schedule_with_warmup(num_warmup_steps), last_epoch)


def get_linear_schedule_with_warmup(
    optimizer: Any, num_warmup_steps: int, num_training_steps: int, last_epoch: int = -1
) -> LambdaLR:
    """transformers' ``get_linear_schedule_with_warmup``; see `linear_schedule_with_warmup`.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_linear_schedule_with_warmup
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=10.0)
    >>> sched = get_linear_schedule_with_warmup(opt, 2, 10)
    >>> [sched.lr_lambdas[0](k) * 10.0 for k in (0, 1, 2, 6, 10, 20)]
    [0.0, 5.0, 10.0, 5.0, 0.0, 0.0]
    """
    return _scheduler(
        optimizer, linear_schedule_with_warmup(num_warmup_steps, num_training_steps), last_epoch
    )


def get_cosine_schedule_with_warmup(
    optimizer: Any,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
) -> LambdaLR:
    """transformers' ``get_cosine_schedule_with_warmup``; see `cosine_schedule_with_warmup`.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_cosine_schedule_with_warmup
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=10.0)
    >>> sched = get_cosine_schedule_with_warmup(opt, 2, 10)
    >>> [round(sched.lr_lambdas[0](k) * 10.0, 2) for k in (0, 1, 2, 6, 10)]
    [0.0, 5.0, 10.0, 5.0, 0.0]
    """
    factor = cosine_schedule_with_warmup(num_warmup_steps, num_training_steps, num_cycles)
    return _scheduler(optimizer, factor, last_epoch)


def get_cosine_with_hard_restarts_schedule_with_warmup(
    optimizer: Any, num_warmup_steps: int, num_training_steps: int, num_cycles: int = 1, last_epoch: int = -1
) -> LambdaLR:
    """transformers' ``get_cosine_with_hard_restarts_schedule_with_warmup``; see the pure form.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_cosine_with_hard_restarts_schedule_with_warmup
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=10.0)
    >>> sched = get_cosine_with_hard_restarts_schedule_with_warmup(opt, 2, 10, num_cycles=2)
    >>> [round(sched.lr_lambdas[0](k) * 10.0, 2) for k in (2, 4, 6, 8, 10)]
    [10.0, 5.0, 10.0, 5.0, 0.0]
    """
    factor = cosine_with_hard_restarts_schedule_with_warmup(num_warmup_steps, num_training_steps, num_cycles)
    return _scheduler(optimizer, factor, last_epoch)


def get_polynomial_decay_schedule_with_warmup(
    optimizer: Any,
    num_warmup_steps: int,
    num_training_steps: int,
    lr_end: float = 1e-7,
    power: float = 1.0,
    last_epoch: int = -1,
) -> LambdaLR:
    """transformers' ``get_polynomial_decay_schedule_with_warmup``, relative to ``optimizer.defaults["lr"]``.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_polynomial_decay_schedule_with_warmup
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=10.0)
    >>> sched = get_polynomial_decay_schedule_with_warmup(opt, 2, 10, lr_end=1.0, power=2.0)
    >>> [round(sched.lr_lambdas[0](k) * 10.0, 6) for k in (0, 2, 6, 10, 20)]
    [0.0, 10.0, 3.25, 1.0, 1.0]
    """
    factor = polynomial_decay_schedule_with_warmup(
        num_warmup_steps, num_training_steps, _default_lr(optimizer), lr_end, power
    )
    return _scheduler(optimizer, factor, last_epoch)


def get_inverse_sqrt_schedule(
    optimizer: Any, num_warmup_steps: int, timescale: int | None = None, last_epoch: int = -1
) -> LambdaLR:
    """transformers' ``get_inverse_sqrt_schedule``; see `inverse_sqrt_schedule`.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_inverse_sqrt_schedule
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=10.0)
    >>> sched = get_inverse_sqrt_schedule(opt, num_warmup_steps=100)
    >>> [sched.lr_lambdas[0](k) * 10.0 for k in (0, 50, 100, 400)]
    [0.0, 5.0, 10.0, 5.0]
    """
    return _scheduler(optimizer, inverse_sqrt_schedule(num_warmup_steps, timescale), last_epoch)


def get_cosine_with_min_lr_schedule_with_warmup(
    optimizer: Any,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
) -> LambdaLR:
    """transformers' ``get_cosine_with_min_lr_schedule_with_warmup`` (`min_lr` relative to ``defaults["lr"]``).

    >>> import torch
    >>> from lrdecay.presets.transformers import get_cosine_with_min_lr_schedule_with_warmup
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=10.0)
    >>> sched = get_cosine_with_min_lr_schedule_with_warmup(opt, 2, 10, min_lr=1.0)
    >>> [round(sched.lr_lambdas[0](k) * 10.0, 6) for k in (0, 2, 6, 10)]
    [0.0, 10.0, 5.5, 1.0]
    """
    factor = cosine_with_min_lr_schedule_with_warmup(
        num_warmup_steps,
        num_training_steps,
        num_cycles,
        min_lr=min_lr,
        min_lr_rate=min_lr_rate,
        lr_init=None if min_lr is None else _default_lr(optimizer),
    )
    return _scheduler(optimizer, factor, last_epoch)


def get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
    optimizer: Any,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
    warmup_lr_rate: float | None = None,
) -> LambdaLR:
    """transformers' ``get_cosine_with_min_lr_schedule_with_warmup_lr_rate``; see the pure form.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_cosine_with_min_lr_schedule_with_warmup_lr_rate
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=10.0)
    >>> sched = get_cosine_with_min_lr_schedule_with_warmup_lr_rate(opt, 2, 10, min_lr=1.0)
    >>> [round(sched.lr_lambdas[0](k) * 10.0, 6) for k in (0, 1, 2, 5, 9)]
    [5.0, 10.0, 9.657458, 5.5, 1.0]

    `min_lr` is relative to ``optimizer.defaults["lr"]``, as in transformers.
    """
    factor = cosine_with_min_lr_schedule_with_warmup_lr_rate(
        num_warmup_steps,
        num_training_steps,
        num_cycles,
        min_lr=min_lr,
        min_lr_rate=min_lr_rate,
        warmup_lr_rate=warmup_lr_rate,
        lr_init=None if min_lr is None else _default_lr(optimizer),
    )
    return _scheduler(optimizer, factor, last_epoch)


def get_wsd_schedule(
    optimizer: Any,
    num_warmup_steps: int,
    num_decay_steps: int,
    num_training_steps: int | None = None,
    num_stable_steps: int | None = None,
    warmup_type: str = "linear",
    decay_type: str = "cosine",
    min_lr_ratio: float = 0,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
) -> LambdaLR:
    """transformers' ``get_wsd_schedule`` (warmup, stable, decay); see `wsd_schedule`.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_wsd_schedule
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=10.0)
    >>> sched = get_wsd_schedule(opt, 2, 4, num_training_steps=10, decay_type="linear")
    >>> [sched.lr_lambdas[0](k) * 10.0 for k in range(11)]
    [0.0, 5.0, 10.0, 10.0, 10.0, 10.0, 10.0, 7.5, 5.0, 2.5, 0.0]
    """
    factor = wsd_schedule(
        num_warmup_steps,
        num_decay_steps,
        num_training_steps,
        num_stable_steps,
        warmup_type,
        decay_type,
        min_lr_ratio,
        num_cycles,
    )
    return _scheduler(optimizer, factor, last_epoch)


def _greedy(optimizer: Any, kwargs: dict[str, Any]) -> Any:
    """transformers' own ``GreedyLR``: it adapts the lr to the loss, which no schedule of the step can."""
    try:
        from transformers.optimization import GreedyLR
    except ImportError as err:
        raise ImportError(
            "get_scheduler('greedy') is transformers' GreedyLR, which changes the lr from the loss it is "
            "given (like ReduceLROnPlateau), not from the step, so it is not an lrdecay schedule: "
            "pip install transformers to get it from this function, or use transformers.get_scheduler."
        ) from err
    return GreedyLR(optimizer, **kwargs)


def get_scheduler(
    name: str,
    optimizer: Any,
    num_warmup_steps: int | None = None,
    num_training_steps: int | None = None,
    scheduler_specific_kwargs: dict[str, Any] | None = None,
) -> Any:
    """transformers' ``get_scheduler``: a scheduler by its ``SchedulerType`` name.

    >>> import torch
    >>> from lrdecay.presets.transformers import get_scheduler
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> get_scheduler("cosine", opt, num_warmup_steps=10, num_training_steps=100).lr_lambdas[0](55)
    0.5
    >>> get_scheduler("linear", opt, num_warmup_steps=10)
    Traceback (most recent call last):
    ...
    ValueError: SchedulerType.LINEAR requires `num_training_steps`, please provide that argument.

    `name` is a ``SchedulerType`` value (a string, or transformers' enum itself).
    ``"constant_with_warmup"`` gets `num_warmup_steps` only, ``"inverse_sqrt"`` also
    the kwargs (``timescale``), ``"warmup_stable_decay"`` `num_training_steps` when
    given; ``"constant"`` ignores the steps. ``"cosine_warmup_with_min_lr"`` is
    `get_cosine_with_min_lr_schedule_with_warmup_lr_rate`. Two names follow a metric,
    not the step, so they are no lrdecay schedule and come from their own library, as
    transformers returns them: ``"reduce_lr_on_plateau"`` is torch's
    ``ReduceLROnPlateau``, ``"greedy"`` transformers' ``GreedyLR`` (imported from
    transformers when asked for; lrdecay does not need transformers otherwise).

    Raises:
        ValueError: an unknown name, a missing `num_warmup_steps` or
            `num_training_steps` (transformers' messages).
        TypeError: kwargs the scheduler does not take.
        ImportError: ``"greedy"`` without transformers installed.
    """
    key = getattr(name, "value", name)
    if key not in SCHEDULER_NAMES:
        raise ValueError(f"{key} is not a valid SchedulerType, please select one of {list(SCHEDULER_NAMES)}")
    # transformers formats the enum member in its messages: "SchedulerType.LINEAR".
    label = f"SchedulerType.{key.upper()}"
    if key == "constant":
        return get_constant_schedule(optimizer)
    kwargs = {} if scheduler_specific_kwargs is None else dict(scheduler_specific_kwargs)
    if key == "reduce_lr_on_plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **kwargs)
    if key == "greedy":
        return _greedy(optimizer, kwargs)
    if num_warmup_steps is None:
        raise ValueError(f"{label} requires `num_warmup_steps`, please provide that argument.")
    if key == "constant_with_warmup":
        return get_constant_schedule_with_warmup(optimizer, num_warmup_steps=num_warmup_steps)
    if key == "inverse_sqrt":
        return get_inverse_sqrt_schedule(optimizer, num_warmup_steps=num_warmup_steps, **kwargs)
    if key == "warmup_stable_decay":
        return get_wsd_schedule(
            optimizer, num_warmup_steps=num_warmup_steps, num_training_steps=num_training_steps, **kwargs
        )
    if num_training_steps is None:
        raise ValueError(f"{label} requires `num_training_steps`, please provide that argument.")
    functions: dict[str, Callable[..., LambdaLR]] = {
        "linear": get_linear_schedule_with_warmup,
        "cosine": get_cosine_schedule_with_warmup,
        "cosine_with_restarts": get_cosine_with_hard_restarts_schedule_with_warmup,
        "polynomial": get_polynomial_decay_schedule_with_warmup,
        "cosine_with_min_lr": get_cosine_with_min_lr_schedule_with_warmup,
        "cosine_warmup_with_min_lr": get_cosine_with_min_lr_schedule_with_warmup_lr_rate,
    }
    return functions[key](
        optimizer, num_warmup_steps=num_warmup_steps, num_training_steps=num_training_steps, **kwargs
    )

"""Drop-ins for ``torch.optim.lr_scheduler``: torch's names, signatures and numbers, lrdecay schedules inside.

>>> import torch
>>> from lrdecay.presets.torch import StepLR
>>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
>>> sched = StepLR(opt, step_size=2, gamma=0.5)
>>> lrs = []
>>> for _ in range(5):
...     lrs.append(sched.get_last_lr()[0])
...     opt.step()
...     sched.step()
>>> lrs
[0.1, 0.1, 0.05, 0.05, 0.025]
>>> sched.schedules[0]  # the schedule it runs: printable, serializable, plottable
0.1 * ExponentialDecay(initial_learning_rate=1.0, decay_steps=2, decay_rate=0.5, staircase=True)

Every class is a `lrdecay.torch.LRScheduler` (so a ``torch.optim.lr_scheduler.LRScheduler``,
accepted by torch's ``SequentialLR`` and ``ChainedScheduler``) whose per-group schedules are
compositions of lrdecay's primitives: the relative ones (`StepLR` ... `CosineAnnealingWarmRestarts`)
are ``initial_lr * factor(step)``, `CyclicLR` and `OneCycleLR` are absolute. Each step writes
the closed form, never a ratio of the previous lr, so nothing drifts; the values equal
torch's to rounding (tests/test_presets_torch.py checks 1e-12 relative to each group's lr).

Differences from torch, all deliberate:

* Stacking (``ChainedScheduler`` of two multiplying schedulers, or two schedulers stepped on
  one optimizer): torch multiplies, these overwrite; `step` warns with
  `lrdecay.torch.StackedSchedulerWarning`. Write one schedule: ``LRScheduler(opt, base * (f * g))``
  or a `lrdecay.Join` of phases. ``SequentialLR`` (one child at a time) behaves as torch's.
* Resuming by ``last_epoch`` without ``initial_lr`` in the groups: torch raises KeyError,
  these take the group's lr as the base (the closed form needs nothing else).
* ``state_dict()`` holds torch's attributes (plain types: milestones as a sorted list, not a
  ``Counter``) plus the schedules' configs; `load_state_dict` restores both.
* `CosineAnnealingWarmRestarts.step(epoch)` with a float epoch places restarts exactly, where
  torch's ``floor(log)`` can land one cycle short (T_0=1, T_mult=3, epoch 121).
* `CyclicLR`: a custom ``scale_fn`` must be an lrdecay `Schedule` (evaluated at the 0-based
  cycle index ``floor(k / (up + down))`` for ``scale_mode="cycle"``, at k for "iterations"),
  so the whole curve stays serializable; torch takes any callable of the 1-based cycle.
* `OneCycleLR` needs ``pct_start * total_steps > 1`` (torch raises ZeroDivisionError at
  exactly 1 and silently skips the warmup below it) and, with ``three_phase``, ``pct_start <= 0.5``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from typing import Any

import torch

from lrdecay._base import Schedule
from lrdecay.schedules.compose import Constant, Join, Linear, Repeat, TimeScale
from lrdecay.schedules.cosine import CosineDecay, CosineDecayRestarts
from lrdecay.schedules.cyclic import Cyclic
from lrdecay.schedules.exponential import ExponentialDecay
from lrdecay.schedules.polynomial import PolynomialDecay
from lrdecay.torch import LRScheduler as _Adapter

__all__ = [
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
    "PolynomialLR",
    "StepLR",
]


def _check_optimizer(optimizer: Any) -> None:
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def _plain(x: Any) -> Any:
    return float(x) if isinstance(x, torch.Tensor) else x


def _format_param(name: str, optimizer: Any, param: Any) -> list[float]:
    """One float per param group (torch's `_format_param`, with its error)."""
    if isinstance(param, (list, tuple)):
        if len(param) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} must have the same length as optimizer.param_groups. "
                f"{name} has {len(param)} values, param_groups has {len(optimizer.param_groups)}."
            )
        return [float(p) for p in param]
    return [float(param)] * len(optimizer.param_groups)


def _cosine_down_up(start: float, end: float, steps: float) -> Any:
    """The half cosine from `start` to `end` over `steps`, then back up over as many (torch's unclamped cosine)."""
    return Join(_anneal("cos", start, end, steps, last=True), [steps])


def _anneal(kind: str, start: float, end: float, steps: float, last: bool) -> list[Any]:
    """One OneCycleLR phase as `Join` pieces; the last one has a second piece from its end on,
    carrying on past it as torch's formula does (the cosine back up, the line beyond `end`)."""
    if kind == "cos":
        wave = CosineDecay(1.0, steps)
        down = end + (start - end) * wave
        return [down, start + (end - start) * wave] if last else [down]
    line = Linear(start, end, steps)
    return [line, Linear(end, end + (end - start) / steps, 1.0)] if last else [line]


def _cycle_momentum(
    optimizer: Any, maxes: list[float], bases: list[float], schedules: list[Any], last_epoch: int
) -> tuple[bool, dict[str, Any]]:
    """torch's momentum set-up for CyclicLR and OneCycleLR, and the adapter's `hyperparams` for it."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
    use_beta1 = "betas" in optimizer.defaults
    if last_epoch == -1:
        for m, b, group in zip(maxes, bases, optimizer.param_groups, strict=True):
            if use_beta1:
                group["betas"] = (m, *group["betas"][1:])
            else:
                group["momentum"] = m
            group["max_momentum"] = m
            group["base_momentum"] = b
    if use_beta1:
        return True, {"betas": [(m, None) for m in schedules]}
    return False, {"momentum": schedules}


class _Preset(_Adapter):
    """An adapter whose schedules come from torch-style arguments; `state_dict` keeps those too."""

    _fields: tuple[str, ...] = ()

    def __init__(
        self,
        optimizer: Any,
        last_epoch: int,
        hyperparams: Mapping[str, Any] | None = None,
        schedules: list[Any] | None = None,
    ) -> None:
        if last_epoch == -1:
            for group in optimizer.param_groups:
                lr = group["lr"]
                group.setdefault("initial_lr", lr.clone() if isinstance(lr, torch.Tensor) else lr)
        bases = [float(g.get("initial_lr", g["lr"])) for g in optimizer.param_groups]
        if schedules is None:  # relative: each group's base times one shared shape
            shape = self._factor()  # one object: the adapter evaluates it once per step
            schedules = [self._schedule(b, shape) for b in bases]
        super().__init__(optimizer, schedules, last_epoch, hyperparams)
        self.base_lrs = list[float | torch.Tensor](bases)

    def _schedule(self, base: float, shape: Any) -> Any:
        return base * shape

    def _factor(self) -> Any:  # pragma: no cover - abstract
        """The shape every group's schedule is made of (by default ``initial_lr * shape``)."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """torch's attributes (plain types) and the schedules' configs."""
        state = super().state_dict()
        state["base_lrs"] = [_plain(b) for b in self.base_lrs]
        for name in self._fields:
            state[name] = _plain(getattr(self, name))
        return state

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore torch's attributes, the schedules and the step; write the values now."""
        for name in (*self._fields, "base_lrs"):
            if name in state_dict:
                setattr(self, name, state_dict[name])
        super().load_state_dict(state_dict)


class _Annealing(_Preset):
    """A relative preset annealed down to `eta_min`: ``eta_min + (initial_lr - eta_min) * shape``."""

    eta_min: float

    def _schedule(self, base: float, shape: Any) -> Any:
        eta = float(self.eta_min)
        return eta + (base - eta) * shape


class StepLR(_Preset):
    """torch's ``StepLR``: ``initial_lr * gamma ** (k // step_size)``.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> s = StepLR(opt, step_size=3, gamma=0.1)
    >>> [round(s.schedules[0](k), 6) for k in (0, 2, 3, 6)]
    [1.0, 1.0, 0.1, 0.01]

    Decayed at k = step_size already (the step on a boundary belongs to the later piece).
    """

    _fields = ("step_size", "gamma")

    def __init__(self, optimizer: Any, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _factor(self) -> Any:
        return ExponentialDecay(1.0, self.step_size, self.gamma, staircase=True)


class MultiStepLR(_Preset):
    """torch's ``MultiStepLR``: ``initial_lr * gamma ** #{m in milestones : m <= k}``.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> s = MultiStepLR(opt, milestones=[2, 4, 4], gamma=0.5)
    >>> [s.schedules[0](k) for k in range(6)]
    [1.0, 1.0, 0.5, 0.5, 0.125, 0.125]

    A repeated milestone decays once per repetition, as torch's ``Counter`` does.
    """

    _fields = ("milestones", "gamma")

    def __init__(self, optimizer: Any, milestones: Any, gamma: float = 0.1, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.milestones = sorted(Counter(milestones).elements())
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _factor(self) -> Any:
        bounds = sorted(set(self.milestones))
        if not bounds:
            return Constant(1.0)
        pieces = [self.gamma ** bisect_right(self.milestones, b) for b in bounds]
        return Join([1.0, *pieces], bounds)

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore the state (torch's own, with a ``Counter``, is accepted too)."""
        state = dict(state_dict)
        if "milestones" in state:
            state["milestones"] = sorted(Counter(state["milestones"]).elements())
        super().load_state_dict(state)


class ConstantLR(_Preset):
    """torch's ``ConstantLR``: ``initial_lr * factor`` for ``k < total_iters``, then ``initial_lr``.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> [ConstantLR(opt, factor=0.5, total_iters=2).schedules[0](k) for k in range(4)]
    [0.5, 0.5, 1.0, 1.0]
    """

    _fields = ("factor", "total_iters")

    def __init__(
        self, optimizer: Any, factor: float = 1.0 / 3, total_iters: int = 5, last_epoch: int = -1
    ) -> None:
        if factor > 1.0 or factor < 0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        _check_optimizer(optimizer)
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def _factor(self) -> Any:
        return Join([self.factor, 1.0], [self.total_iters])


class LinearLR(_Preset):
    """torch's ``LinearLR``: the factor goes linearly from `start_factor` to `end_factor` in `total_iters`, then holds.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> [LinearLR(opt, start_factor=0.25, total_iters=3).schedules[0](k) for k in range(5)]
    [0.25, 0.5, 0.75, 1.0, 1.0]
    """

    _fields = ("start_factor", "end_factor", "total_iters")

    def __init__(
        self,
        optimizer: Any,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError(
                "Starting multiplicative factor expected to be greater than 0 and less or equal to 1."
            )
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        _check_optimizer(optimizer)
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def _factor(self) -> Any:
        return Linear(self.start_factor, self.end_factor, self.total_iters)


class ExponentialLR(_Preset):
    """torch's ``ExponentialLR``: ``initial_lr * gamma ** k``.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> [ExponentialLR(opt, gamma=0.5).schedules[0](k) for k in range(4)]
    [1.0, 0.5, 0.25, 0.125]
    """

    _fields = ("gamma",)

    def __init__(self, optimizer: Any, gamma: float, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _factor(self) -> Any:
        return ExponentialDecay(1.0, 1, self.gamma)


class PolynomialLR(_Preset):
    """torch's ``PolynomialLR``: ``initial_lr * (1 - min(k, total_iters) / total_iters) ** power``.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> [PolynomialLR(opt, total_iters=4, power=2.0).schedules[0](k) for k in range(6)]
    [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]
    """

    _fields = ("total_iters", "power")

    def __init__(
        self, optimizer: Any, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1
    ) -> None:
        _check_optimizer(optimizer)
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def _factor(self) -> Any:
        return PolynomialDecay(1.0, self.total_iters, 0.0, self.power)


class CosineAnnealingLR(_Annealing):
    """torch's ``CosineAnnealingLR``: ``eta_min + (initial_lr - eta_min) * (1 + cos(pi k / T_max)) / 2``.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> s = CosineAnnealingLR(opt, T_max=4).schedules[0]
    >>> [round(s(k), 6) for k in (0, 2, 4, 6, 8)]  # wraps after T_max, as torch's does
    [1.0, 0.5, 0.0, 0.5, 1.0]

    torch's quirk kept: the curve is not clamped at `T_max`; it rises again, period
    ``2 * T_max`` (a `lrdecay.Repeat` of the cosine down and back up). For a cosine that
    holds its floor use `lrdecay.CosineDecay`.
    """

    _fields = ("T_max", "eta_min")

    def __init__(self, optimizer: Any, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def _factor(self) -> Any:
        return Repeat(_cosine_down_up(1.0, 0.0, self.T_max), 2 * self.T_max)


class CosineAnnealingWarmRestarts(_Annealing):
    """torch's ``CosineAnnealingWarmRestarts``: the cosine restarted at T_0, T_0 (1 + T_mult), ...

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> s = CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
    >>> [round(s.schedules[0](k), 6) for k in range(8)]
    [1.0, 0.5, 1.0, 0.853553, 0.5, 0.146447, 1.0, 0.96194]
    >>> for _ in range(3):
    ...     opt.step()
    ...     s.step()
    >>> s.T_cur, s.T_i
    (1, 4)

    ``initial_lr * CosineDecayRestarts(...)`` shifted to `eta_min`; `eta_min` itself is never
    reached at an integer step, as in torch. `T_cur` and `T_i` are computed from the step.
    """

    _fields = ("T_0", "T_mult", "eta_min")

    def __init__(
        self, optimizer: Any, T_0: int, T_mult: int = 1, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        if T_0 <= 0 or not isinstance(T_0, int):
            raise ValueError(f"Expected positive integer T_0, but got {T_0}")
        if T_mult < 1 or not isinstance(T_mult, int):
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(f"Expected float or int eta_min, but got {eta_min} of type {type(eta_min)}")
        _check_optimizer(optimizer)
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def _factor(self) -> Any:
        return CosineDecayRestarts(1.0, self.T_0, self.T_mult, 1.0, 0.0)

    def _cycle(self) -> tuple[float, float]:
        t, length = max(self.last_epoch, 0), self.T_0
        if self.T_mult == 1:
            return t % length, length
        while t >= length:
            t -= length
            length *= self.T_mult
        return t, length

    @property
    def T_cur(self) -> float:
        """Steps since the last restart."""
        return self._cycle()[0]

    @property
    def T_i(self) -> float:
        """The length of the current cycle."""
        return self._cycle()[1]


class CyclicLR(_Preset):
    """torch's ``CyclicLR``: triangular waves between `base_lr` and `max_lr` (absolute), momentum inverse.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0, momentum=0.9)
    >>> s = CyclicLR(opt, base_lr=0.1, max_lr=0.5, step_size_up=2, mode="triangular2")
    >>> [round(s.schedules[0](k), 6) for k in range(9)]
    [0.1, 0.3, 0.5, 0.3, 0.1, 0.2, 0.3, 0.2, 0.1]
    >>> round(opt.param_groups[0]["momentum"], 6)  # max_momentum at the base lr
    0.9

    ``base + (max - base) * wave`` with ``wave`` the triangle from 0 to 1 and back,
    ``lrdecay.Cyclic(0.0, 1.0, ...)`` in the same `mode` (its amplitude 1, halved each
    cycle, or times ``gamma ** k``; a custom `scale_fn` multiplies the plain triangle). With ``cycle_momentum`` the momentum (or
    Adam's beta1) runs ``max_momentum - (max_momentum - base_momentum) * wave * scale``,
    written through the adapter's `hyperparams`. Periodic forever, as torch's.
    """

    _fields = ("total_size", "step_ratio", "mode", "gamma", "scale_mode", "cycle_momentum")

    def __init__(
        self,
        optimizer: Any,
        base_lr: Any,
        max_lr: Any,
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Any = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float = 0.8,
        max_momentum: float = 0.9,
        last_epoch: int = -1,
    ) -> None:
        _check_optimizer(optimizer)
        base_lrs = _format_param("base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups, strict=True):
                if isinstance(group["lr"], torch.Tensor):
                    group["lr"].fill_(lr)
                else:
                    group["lr"] = lr
        self.max_lrs = _format_param("max_lr", optimizer, max_lr)
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if mode not in ["triangular", "triangular2", "exp_range"] and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        if scale_fn is not None and not isinstance(scale_fn, Schedule):
            raise TypeError(
                "Argument `scale_fn` must be an lrdecay.Schedule (of the 0-based cycle index, or of "
                f"the step with scale_mode='iterations'). Received: scale_fn={scale_fn!r}"
            )
        self.mode, self.gamma, self.scale_mode = mode, gamma, scale_mode
        if scale_fn is None:
            self.scale_mode = "iterations" if mode == "exp_range" else "cycle"
        wave = self._scaled_wave(scale_fn, up, down)  # one object: evaluated once a step
        self.cycle_momentum = cycle_momentum
        hyperparams = None
        if cycle_momentum:
            self.base_momentums = _format_param("base_momentum", optimizer, base_momentum)
            self.max_momentums = _format_param("max_momentum", optimizer, max_momentum)
            moms = [m + (b - m) * wave for b, m in zip(self.base_momentums, self.max_momentums, strict=True)]
            self.use_beta1, hyperparams = _cycle_momentum(
                optimizer, self.max_momentums, self.base_momentums, moms, last_epoch
            )
        # The groups' own lrs are not the base here: base_lr and max_lr are given.
        schedules = [lo + (hi - lo) * wave for lo, hi in zip(base_lrs, self.max_lrs, strict=True)]
        super().__init__(optimizer, last_epoch, hyperparams, schedules)
        self.base_lrs = list[float | torch.Tensor](base_lrs)

    def _scaled_wave(self, scale_fn: Any, up: float, down: float) -> Any:
        """The triangle from 0 up to 1 and back, times the amplitude's scale: lrdecay's `Cyclic` of 0 and 1."""
        if scale_fn is None and (self.mode != "exp_range" or 0 < self.gamma <= 1):
            gamma = self.gamma if self.mode == "exp_range" else 1.0
            return Cyclic(0.0, 1.0, up, down, mode=self.mode, gamma=gamma)
        wave = Cyclic(0.0, 1.0, up, down)
        if scale_fn is None:  # exp_range with a growing amplitude, which Cyclic refuses
            return wave * ExponentialDecay(1.0, 1, self.gamma)
        return wave * (scale_fn if self.scale_mode == "iterations" else _per_cycle(scale_fn, self.total_size))


def _per_cycle(schedule: Any, period: float) -> Any:
    return TimeScale(schedule, period, discrete=True)


class OneCycleLR(_Preset):
    """torch's ``OneCycleLR``: up from ``max_lr / div_factor`` to `max_lr`, down to ``initial / final_div_factor``.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0, momentum=0.9)
    >>> s = OneCycleLR(opt, max_lr=1.0, total_steps=10, anneal_strategy="linear", div_factor=10.0)
    >>> [round(s.schedules[0](k), 6) for k in (0, 1, 2, 9)]
    [0.1, 0.55, 1.0, 1e-05]
    >>> round(opt.param_groups[0]["momentum"], 6)
    0.95

    Phase ends are torch's floats, ``pct_start * total_steps - 1`` and ``total_steps - 1``
    (three-phase: ``2 * pct_start * total_steps - 2`` in between); the phases are a
    `lrdecay.Join` of cosine or linear pieces. torch's quirks kept: step ``total_steps`` is
    still computed (the last phase carried on; a linear one goes below its end) and the step
    after it raises ``ValueError("Tried to step ...")``. With ``cycle_momentum`` the momentum
    (or Adam's beta1) runs the inverse curve between `max_momentum` and `base_momentum`.
    The groups get torch's ``initial_lr``, ``max_lr``, ``min_lr`` (and momentum bounds) entries.
    """

    _fields = ("total_steps", "cycle_momentum")

    def __init__(
        self,
        optimizer: Any,
        max_lr: Any,
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: Any = 0.85,
        max_momentum: Any = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        _check_optimizer(optimizer)
        if total_steps is not None:
            if total_steps <= 0 or not isinstance(total_steps, int):
                raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            if not isinstance(epochs, int) or epochs <= 0:
                raise ValueError(f"Expected positive integer epochs, but got {epochs}")
            if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
                raise ValueError(f"Expected positive integer steps_per_epoch, but got {steps_per_epoch}")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ["cos", "linear"]:
            raise ValueError(
                f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}"
            )
        n = self.total_steps
        if pct_start * n <= 1 or (three_phase and pct_start > 0.5):
            raise ValueError(
                "Argument `pct_start` must give a warmup longer than one step (pct_start * total_steps > 1; "
                f"<= 0.5 with three_phase). Received: pct_start={pct_start}, total_steps={n}"
            )
        self._anneal_func_type = anneal_strategy
        if three_phase:
            ends = [float(pct_start * n) - 1, float(2 * pct_start * n) - 2, n - 1]
            lr_keys = [("initial_lr", "max_lr"), ("max_lr", "initial_lr"), ("initial_lr", "min_lr")]
            m_keys = [("max", "base"), ("base", "max"), ("max", "max")]
        else:
            ends = [float(pct_start * n) - 1, n - 1]
            lr_keys = [("initial_lr", "max_lr"), ("max_lr", "min_lr")]
            m_keys = [("max", "base"), ("base", "max")]
        self._ends = ends
        max_lrs = _format_param("max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for m, group in zip(max_lrs, optimizer.param_groups, strict=True):
                group["initial_lr"] = m / div_factor
                group["max_lr"] = m
                group["min_lr"] = group["initial_lr"] / final_div_factor
        lr_values = [
            {"initial_lr": float(g["initial_lr"]), "max_lr": float(g["max_lr"]), "min_lr": float(g["min_lr"])}
            for g in optimizer.param_groups
        ]
        schedules = [self._phases(v, lr_keys) for v in lr_values]
        self.cycle_momentum = cycle_momentum
        hyperparams = None
        if cycle_momentum:
            maxes = _format_param("max_momentum", optimizer, max_momentum)
            bases = _format_param("base_momentum", optimizer, base_momentum)
            moms = [self._phases({"max": m, "base": b}, m_keys) for m, b in zip(maxes, bases, strict=True)]
            self.use_beta1, hyperparams = _cycle_momentum(optimizer, maxes, bases, moms, last_epoch)
        super().__init__(optimizer, last_epoch, hyperparams, schedules)

    def _phases(self, values: Mapping[str, float], keys: list[tuple[str, str]]) -> Any:
        starts = [0.0, *self._ends[:-1]]
        pieces = [
            piece
            for i, ((a, b), start, end) in enumerate(zip(keys, starts, self._ends, strict=True))
            for piece in _anneal(
                self._anneal_func_type, values[a], values[b], end - start, i == len(keys) - 1
            )
        ]
        # One flat Join: the last phase's continuation starts at its end, total_steps - 1.
        return Join(pieces, self._ends)

    def step(self, epoch: int | None = None) -> None:
        """One step; past ``total_steps`` raises ``ValueError``, as torch's does."""
        step = self.last_epoch + 1 if epoch is None else epoch
        if step > self.total_steps:
            raise ValueError(
                f"Tried to step {step} times. The specified number of total steps is {self.total_steps}"
            )
        super().step(epoch)

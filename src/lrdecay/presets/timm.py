"""Drop-ins for timm's schedulers (``timm.scheduler``): timm 1.0's interface, lrdecay schedules inside.

>>> import torch
>>> from lrdecay.presets.timm import CosineLRScheduler
>>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
>>> sched = CosineLRScheduler(opt, t_initial=10, warmup_t=2, warmup_lr_init=0.01)
>>> opt.param_groups[0]["lr"]  # the constructor writes warmup_lr_init
0.01
>>> for epoch in range(3):
...     sched.step(epoch + 1)  # timm's loop: step(epoch + 1) after each epoch
>>> round(opt.param_groups[0]["lr"], 6)
0.079389
>>> sched.schedules[0](10)  # the curve as an lrdecay schedule: lr_min after the cycle
0.0

timm's schedulers are stateless in time: the caller passes t, ``step(epoch, metric=None)``
acts when ``t_in_epochs`` (the default) and ``step_update(num_updates, metric=None)``
otherwise; a group's ``lr_scale`` multiplies the value. Each group's curve (peak: the
group's ``initial_lr``) is a composition of lrdecay schedules in `schedules`; the noise of
``noise_range_t`` is timm's own, drawn from a ``torch.Generator`` seeded with
``noise_seed + t``, so it is the same number as timm's at every t.

The cycles of Cosine, Poly and Tanh are one composition (`lrdecay.Repeat` with
``period_mul`` and ``decay`` over a shape on a `lrdecay.TimeScale` clock, whose ``power``
is ``k_decay``). Their restart index for ``cycle_mul != 1`` is exact, where timm's
``floor(log)`` can land one cycle short at an exact restart step (e.g. cycle_mul 3 at
t = 3**5 - 1 cycles of t_initial 1); ``cycle_mul < 1`` (cycles that shrink, after whose
finite total timm fails with a math domain error) raises ValueError.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

import torch

from lrdecay._base import Schedule
from lrdecay._registry import deserialize, serialize
from lrdecay.schedules.compose import Join, Linear, Repeat, TimeScale
from lrdecay.schedules.cosine import CosineDecay
from lrdecay.schedules.exponential import ExponentialDecay
from lrdecay.schedules.polynomial import PolynomialDecay
from lrdecay.schedules.tanh import TanhDecay

__all__ = [
    "CosineLRScheduler",
    "MultiStepLRScheduler",
    "PolyLRScheduler",
    "StepLRScheduler",
    "TanhLRScheduler",
]


class _Scheduler:
    """timm's ``Scheduler`` interface over per-group lrdecay schedules."""

    def __init__(
        self,
        optimizer: Any,
        t_in_epochs: bool,
        noise_range_t: Any,
        noise_pct: float,
        noise_std: float,
        noise_seed: int | None,
        initialize: bool,
        warmup_t: int,
        warmup_lr_init: float,
        warmup_prefix: bool,
    ) -> None:
        self.optimizer = optimizer
        self.param_group_field = "lr"
        for i, group in enumerate(optimizer.param_groups):
            if initialize:
                if "lr" not in group:
                    raise KeyError(f"lr missing from param_groups[{i}]")
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(f"initial_lr missing from param_groups[{i}]")
        self.base_values = [float(g["initial_lr"]) for g in optimizer.param_groups]
        self.metric: float | None = None
        self.t_in_epochs = t_in_epochs
        self.noise_range_t = noise_range_t
        self.noise_pct = noise_pct
        self.noise_type = "normal"
        self.noise_std = noise_std
        self.noise_seed = noise_seed if noise_seed is not None else 42
        self.warmup_t = warmup_t
        self.warmup_lr_init = warmup_lr_init
        self.warmup_prefix = warmup_prefix
        self.schedules = [self._with_warmup(b) for b in self.base_values]
        self.update_groups(self.warmup_lr_init if warmup_t else self.base_values)

    def _with_warmup(self, base: float) -> Schedule:
        main = self._schedule(base)
        if not self.warmup_t:
            return main
        clock = "local" if self.warmup_prefix else "global"
        ramp = Linear(self.warmup_lr_init, self._warmup_target(base, main), self.warmup_t)
        return Join([ramp, main], [self.warmup_t], clock=clock)

    def _warmup_target(self, base: float, main: Schedule) -> float:
        """Where the warmup ends: the group's lr (timm's Tanh overrides it)."""
        return base

    def _schedule(self, base: float) -> Schedule:  # pragma: no cover - abstract
        raise NotImplementedError

    def _get_lr(self, t: float) -> list[float]:
        return [s(t) for s in self.schedules]

    def step(self, epoch: int, metric: float | None = None) -> None:
        """Set the lrs for `epoch` (when ``t_in_epochs``)."""
        self.metric = metric
        if self.t_in_epochs:
            self.update_groups(self._add_noise(self._get_lr(epoch), epoch))

    def step_update(self, num_updates: int, metric: float | None = None) -> None:
        """Set the lrs for update `num_updates` (when not ``t_in_epochs``)."""
        self.metric = metric
        if not self.t_in_epochs:
            self.update_groups(self._add_noise(self._get_lr(num_updates), num_updates))

    def update_groups(self, values: Any) -> None:
        """Write `values` (one per group, or one for all) times each group's ``lr_scale``."""
        if not isinstance(values, (list, tuple)):
            values = [values] * len(self.optimizer.param_groups)
        for group, value in zip(self.optimizer.param_groups, values, strict=False):
            group["lr"] = value * group["lr_scale"] if "lr_scale" in group else value

    def _add_noise(self, lrs: list[float], t: int) -> list[float]:
        r = self.noise_range_t
        if r is None:
            return lrs
        on = r[0] <= t < r[1] if isinstance(r, (list, tuple)) else t >= r
        if not on:
            return lrs
        g = torch.Generator()
        g.manual_seed(self.noise_seed + t)
        while True:  # timm's draw: resample until inside noise_pct
            noise = torch.randn(1, generator=g).item() * self.noise_std
            if abs(noise) < self.noise_pct:
                break
        return [v + v * noise for v in lrs]

    def state_dict(self) -> dict[str, Any]:
        """Every attribute but the optimizer (as timm's), schedules as configs: plain types."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "schedules")}
        state["schedules"] = [serialize(s) for s in self.schedules]
        return state

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore the attributes and the schedules."""
        state = dict(state_dict)
        if "schedules" in state:
            self.schedules = [deserialize(c) for c in state.pop("schedules")]
        self.__dict__.update(state)


class _CycleScheduler(_Scheduler):
    """timm's cycles (Cosine, Poly, Tanh): a shape per cycle from the cycle's peak to `lr_min`.

    Cycle i lasts ``t_initial * cycle_mul**i`` and peaks at ``peak * cycle_decay**i``; at
    the fraction ``u`` of it the rate is ``lr_min + (peak_i - lr_min) * shape(u**k_decay)``,
    built as ``lr_min + peak * R(cycle_decay) - lr_min * R(1)`` with
    ``R(d) = Repeat(TimeScale(shape, t_initial, power=k_decay), t_initial, cycle_mul, d)``,
    then `lr_min` after `cycle_limit` cycles.
    """

    # timm's CosineLRScheduler signature (the others reorder it: they have their own).
    def __init__(
        self,
        optimizer: Any,
        t_initial: int,
        lr_min: float = 0.0,
        cycle_mul: float = 1.0,
        cycle_decay: float = 1.0,
        cycle_limit: int = 1,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
        warmup_prefix: bool = False,
        t_in_epochs: bool = True,
        noise_range_t: Any = None,
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int = 42,
        k_decay: float = 1.0,
        initialize: bool = True,
    ) -> None:
        assert t_initial > 0
        assert lr_min >= 0
        if cycle_mul < 1:
            # timm's floor(log) index fails with a math domain error once the shrinking
            # cycles' finite total is passed; lrdecay's Repeat has growing cycles only.
            raise ValueError(
                f"Argument `cycle_mul` must be >= 1 (cycles that shrink are not supported). "
                f"Received: cycle_mul={cycle_mul}"
            )
        if not k_decay > 0:
            raise ValueError(f"Argument `k_decay` must be > 0. Received: k_decay={k_decay}")
        self.t_initial = t_initial
        self.lr_min = lr_min
        self.cycle_mul = cycle_mul
        self.cycle_decay = cycle_decay
        self.cycle_limit = cycle_limit
        self.k_decay = k_decay
        super().__init__(
            optimizer, t_in_epochs, noise_range_t, noise_pct, noise_std, noise_seed, initialize,
            warmup_t, warmup_lr_init, warmup_prefix,
        )  # fmt: skip

    def _shape(self) -> Schedule:  # pragma: no cover - abstract
        """The curve on a cycle's fraction done, [0, 1]: from 1 down."""
        raise NotImplementedError

    def _cycles_end(self, cycles: int) -> float:
        if self.cycle_mul == 1 or cycles == 1:
            return self.t_initial * cycles
        # The geometric sum term by term: (1 - mul**c) / (1 - mul) rounds T (c = 1) to T + ulp.
        return self.t_initial * sum(self.cycle_mul**j for j in range(cycles))

    def _schedule(self, base: float) -> Schedule:
        t = self.t_initial
        clock = TimeScale(self._shape(), t, power=self.k_decay)

        def cycles(decay: float) -> Schedule:
            return Repeat(clock, t, period_mul=self.cycle_mul, decay=decay)

        main: Schedule = base * cycles(self.cycle_decay)
        if self.lr_min:
            main = self.lr_min + main + (-self.lr_min) * cycles(1.0)
        if self.cycle_limit <= 0:
            return Linear(self.lr_min, self.lr_min, 1)
        return Join([main, self.lr_min], [self._cycles_end(self.cycle_limit)])

    def get_cycle_length(self, cycles: int = 0) -> int:
        """Steps in `cycles` cycles (default `cycle_limit`), plus the warmup with ``warmup_prefix``."""
        cycles = max(1, cycles or self.cycle_limit)
        if self.cycle_mul == 1.0:
            t = int(self.t_initial * cycles)
        else:  # timm's closed form, floored, for the same integer as timm
            t = math.floor(-self.t_initial * (self.cycle_mul**cycles - 1) / (1 - self.cycle_mul))
        return t + self.warmup_t if self.warmup_prefix else t


class CosineLRScheduler(_CycleScheduler):
    """timm's ``CosineLRScheduler``: cosine cycles from the group's lr to `lr_min`, with warmup.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> s = CosineLRScheduler(opt, t_initial=4, cycle_limit=2, cycle_decay=0.5)
    >>> [round(s.schedules[0](t), 6) for t in range(10)]
    [1.0, 0.853553, 0.5, 0.146447, 0.5, 0.426777, 0.25, 0.073223, 0.0, 0.0]
    >>> s.get_cycle_length()
    8

    In cycle i: ``lr_min + (peak * cycle_decay**i - lr_min) * (1 + cos(pi u**k)) / 2``
    with ``u`` the fraction of the cycle done and ``k = k_decay`` (k-decay, Zhang et
    al. 2020: the shape is `lrdecay.CosineDecay` on a `lrdecay.TimeScale` clock with
    ``power=k``). With ``warmup_prefix=False`` (timm's default) the warmup overlaps the
    first cycle (a global clock); with True the cycles start after it.
    """

    def _shape(self) -> Schedule:
        return CosineDecay(1.0, 1.0)


class PolyLRScheduler(_CycleScheduler):
    """timm's ``PolyLRScheduler``: ``(1 - u**k) ** power`` cycles from the group's lr to `lr_min`.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> s = PolyLRScheduler(opt, t_initial=4, power=1.0, lr_min=0.1)
    >>> [round(s.schedules[0](t), 6) for t in range(6)]
    [1.0, 0.775, 0.55, 0.325, 0.1, 0.1]

    In cycle i: ``lr_min + (peak * cycle_decay**i - lr_min) * (1 - u**k) ** power``
    with ``u`` the fraction of the cycle done (`lrdecay.PolynomialDecay` to 0 over one
    unit, on a `lrdecay.TimeScale` clock with ``power=k_decay``). timm's default
    ``power=0.5`` falls fastest at the end of a cycle. The warmup is as in
    `CosineLRScheduler`.
    """

    def __init__(
        self,
        optimizer: Any,
        t_initial: int,
        power: float = 0.5,
        lr_min: float = 0.0,
        cycle_mul: float = 1.0,
        cycle_decay: float = 1.0,
        cycle_limit: int = 1,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
        warmup_prefix: bool = False,
        t_in_epochs: bool = True,
        noise_range_t: Any = None,
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int = 42,
        k_decay: float = 1.0,
        initialize: bool = True,
    ) -> None:
        self.power = power
        super().__init__(
            optimizer, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init,
            warmup_prefix, t_in_epochs, noise_range_t, noise_pct, noise_std, noise_seed, k_decay, initialize,
        )  # fmt: skip

    def _shape(self) -> Schedule:
        return PolynomialDecay(1.0, 1.0, end_learning_rate=0.0, power=self.power)


class TanhLRScheduler(_CycleScheduler):
    """timm's ``TanhLRScheduler``: hyperbolic-tangent cycles (`lrdecay.TanhDecay`) to `lr_min`.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> s = TanhLRScheduler(opt, t_initial=10)
    >>> [round(s.schedules[0](t), 4) for t in (0, 5, 7, 9, 10)]
    [1.0, 0.982, 0.5, 0.018, 0.0]

    In cycle i: ``lr_min + (peak * cycle_decay**i - lr_min) * (1 - tanh(lb * (1 - u) +
    ub * u)) / 2``, which is ``1 - 8e-7`` at a cycle's start and ``0.0025`` just before
    its end with timm's ``lb=-7, ub=3``. Without ``warmup_prefix`` (timm's default) the
    warmup rises to the curve's value at ``warmup_t`` (timm's target for this scheduler,
    where the others rise to the group's lr); with it, to the group's lr.
    """

    def __init__(
        self,
        optimizer: Any,
        t_initial: int,
        lb: float = -7.0,
        ub: float = 3.0,
        lr_min: float = 0.0,
        cycle_mul: float = 1.0,
        cycle_decay: float = 1.0,
        cycle_limit: int = 1,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
        warmup_prefix: bool = False,
        t_in_epochs: bool = True,
        noise_range_t: Any = None,
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int = 42,
        initialize: bool = True,
    ) -> None:
        assert lb < ub
        assert cycle_limit >= 0
        assert warmup_t >= 0
        assert warmup_lr_init >= 0
        self.lb = lb
        self.ub = ub
        super().__init__(
            optimizer, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init,
            warmup_prefix, t_in_epochs, noise_range_t, noise_pct, noise_std, noise_seed, 1.0, initialize,
        )  # fmt: skip

    def _shape(self) -> Schedule:
        return TanhDecay(1.0, 1.0, lower=self.lb, upper=self.ub)

    def _warmup_target(self, base: float, main: Schedule) -> float:
        return base if self.warmup_prefix else main(self.warmup_t)


class StepLRScheduler(_Scheduler):
    """timm's ``StepLRScheduler``: ``peak * decay_rate ** (t // decay_t)`` after the warmup.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> s = StepLRScheduler(opt, decay_t=2, decay_rate=0.5, warmup_t=2, warmup_lr_init=0.5)
    >>> [s.schedules[0](t) for t in range(7)]
    [0.5, 0.75, 1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(
        self,
        optimizer: Any,
        decay_t: float,
        decay_rate: float = 1.0,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
        warmup_prefix: bool = True,
        t_in_epochs: bool = True,
        noise_range_t: Any = None,
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int = 42,
        initialize: bool = True,
    ) -> None:
        self.decay_t = decay_t
        self.decay_rate = decay_rate
        super().__init__(
            optimizer, t_in_epochs, noise_range_t, noise_pct, noise_std, noise_seed, initialize,
            warmup_t, warmup_lr_init, warmup_prefix,
        )  # fmt: skip

    def _schedule(self, base: float) -> Schedule:
        return base * ExponentialDecay(1.0, self.decay_t, self.decay_rate, staircase=True)


class MultiStepLRScheduler(StepLRScheduler):
    """timm's ``MultiStepLRScheduler``: ``peak * decay_rate ** bisect_right(decay_t, t + 1)``.

    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> s = MultiStepLRScheduler(opt, decay_t=[3, 5], decay_rate=0.5)
    >>> [s.schedules[0](t) for t in range(6)]  # timm decays one step early, at m - 1
    [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    """

    decay_t: Any  # a list of milestones here

    def _schedule(self, base: float) -> Schedule:
        ms = list(self.decay_t)
        bounds = sorted({max(m - 1, 0) for m in ms})
        if not bounds:
            return base * Linear(1.0, 1.0, 1)
        return base * Join([1.0, *(self.decay_rate ** bisect_right(ms, b + 1) for b in bounds)], bounds)

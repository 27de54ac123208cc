"""PyTorch adapter: a `torch.optim.lr_scheduler.LRScheduler` that writes ``schedule(step)``.

Importing this module imports torch; ``import lrdecay`` does not.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

try:
    import torch
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError("lrdecay.torch needs PyTorch: pip install 'lrdecay[torch]'") from err
from torch.optim.lr_scheduler import LRScheduler as _TorchLRScheduler

from lrdecay._base import Schedule
from lrdecay._registry import deserialize, serialize
from lrdecay._validate import short
from lrdecay._xp import SCALAR
from lrdecay.schedules.compose import Constant, affine

__all__ = ["LRScheduler", "StackedSchedulerWarning"]


class StackedSchedulerWarning(UserWarning):
    """Something other than this scheduler wrote the lr it writes (two schedulers stacked)."""


class LRScheduler(_TorchLRScheduler):
    """Set each param group's lr to ``schedule(step)``, the closed form, at every step.

    >>> import torch, lrdecay
    >>> from lrdecay.torch import LRScheduler
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> sched = LRScheduler(opt, lrdecay.PiecewiseConstantDecay([2], [0.1, 0.01]))
    >>> opt.param_groups[0]["lr"]  # schedule(0), right after construction
    0.1
    >>> for _ in range(3):  # one scheduler step per optimizer update
    ...     opt.step()
    ...     sched.step()
    >>> sched.last_epoch, opt.param_groups[0]["lr"]
    (3, 0.01)

    The convention is torch's: after construction the lr is ``schedule(0)``, after
    ``k`` calls of `step` it is ``schedule(k)``. The value comes from the schedule
    alone, never from the group's current lr, so nothing drifts and nothing
    compounds. Call `step` once per optimizer update (with gradient accumulation,
    once per accumulated update, not per micro-batch).

    Resuming: `state_dict` holds the step and the schedules' configs (plain Python
    types, loadable with ``torch.load(..., weights_only=True)``); `load_state_dict`
    restores both (the checkpoint's schedule wins, as with torch's own schedulers) and
    writes ``schedule(step)`` into every group at once. The optimizer's
    ``load_state_dict`` also rewrites it, so the order in which the two states are
    loaded does not matter. A tensor-valued lr (e.g. ``lr=torch.tensor(0.1)`` for
    ``torch.compile``) is updated in place with ``fill_``.

    `schedules` and `hyperparams` can be replaced (assigned, checked as the constructor
    checks them), not changed in place: each step follows a plan made from them, in
    which a shape shared by several entries is evaluated once.

    Args:
        optimizer: a ``torch.optim.Optimizer``.
        schedule: an ``lrdecay.Schedule`` for every param group, or a list with one
            per param group.
        last_epoch: torch's argument: the index of the last step taken; -1 (default)
            starts at step 0. Prefer `load_state_dict` to resume.
        hyperparams: other param-group entries to drive, by name: ``{"momentum": s,
            "weight_decay": w, "betas": (b1, None)}``. A value is a schedule (every
            group), a tuple for a tuple-valued entry (one schedule or ``None``, "leave
            alone", per element: ``(b1, None)`` drives Adam's beta1 only), or a
            ``list`` with one of those per param group. `schedule` may be ``None`` to
            drive these alone and leave the lr to the optimizer.

    Schedules for other hyperparameters: one-cycle's inverse momentum next to its lr,

    >>> from lrdecay import Linear
    >>> adam = torch.optim.Adam(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    >>> sched = LRScheduler(adam, Linear(0.1, 1.0, 10),
    ...                     hyperparams={"betas": (Linear(0.95, 0.85, 10), None), "weight_decay": 0.01})
    >>> for _ in range(5):
    ...     adam.step()
    ...     sched.step()
    >>> g = adam.param_groups[0]
    >>> round(g["lr"], 6), round(g["betas"][0], 6), g["betas"][1], g["weight_decay"]
    (0.55, 0.9, 0.999, 0.01)

    Stacking: torch's "chainable" schedulers multiply what the previous one wrote;
    this one writes the closed form, so a second scheduler on the same groups (in a
    ``ChainedScheduler`` or stepped side by side) would be overwritten, not multiplied.
    `step` warns (`StackedSchedulerWarning`) when it finds an lr it did not write.
    The lrdecay way is one schedule: the product ``base * (f * g)`` of the factors or
    a `lrdecay.Join` of the phases (``SequentialLR``, which runs one child at a time,
    is fine).

    Raises:
        TypeError: `optimizer` is not an Optimizer, `schedule` is not a Schedule (or
            a list of them), `last_epoch` is not an int, a `hyperparams` value of
            the wrong kind.
        ValueError: a list whose length differs from the number of param groups, a
            `last_epoch` below -1, a `hyperparams` entry missing from a param group
            (or a tuple of the wrong length).
    """

    def __init__(
        self,
        optimizer: Any,
        schedule: Any,
        last_epoch: int = -1,
        hyperparams: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(
                "Argument `optimizer` must be a torch.optim.Optimizer. "
                f"Received: optimizer={optimizer!r} of type {type(optimizer).__name__}"
            )
        groups = len(optimizer.param_groups)
        self._plan: _Plan | None = None
        self._schedules = None if schedule is None else _per_group(schedule, groups)
        self._hyperparams = _hyperparams(hyperparams, optimizer.param_groups)
        if isinstance(last_epoch, bool) or not isinstance(last_epoch, int):
            raise TypeError(
                "Argument `last_epoch` must be an int. "
                f"Received: last_epoch={last_epoch!r} of type {type(last_epoch).__name__}"
            )
        if last_epoch < -1:
            raise ValueError(f"Argument `last_epoch` must be >= -1. Received: last_epoch={last_epoch!r}")
        if last_epoch != -1:
            # torch insists on `initial_lr` when resuming by `last_epoch`; the closed form
            # does not need it, so supply it rather than fail.
            for group in optimizer.param_groups:
                lr = group["lr"]
                group.setdefault("initial_lr", lr.clone() if isinstance(lr, torch.Tensor) else lr)
        super().__init__(optimizer, last_epoch)
        register = getattr(optimizer, "register_load_state_dict_post_hook", None)
        if register is not None:  # torch >= 2.1
            self._load_hook = register(_rewrite_after_load(weakref.ref(self)))

    @property
    def schedules(self) -> tuple[Schedule, ...] | None:
        """The lr's schedule of each param group (None: the lr is left to the optimizer)."""
        return self._schedules

    @schedules.setter
    def schedules(self, schedule: Any) -> None:
        # Checked as the constructor checks it; the step's plan is made anew.
        groups = len(self.optimizer.param_groups)
        self._schedules = None if schedule is None else _per_group(schedule, groups)
        self._plan = None

    @property
    def hyperparams(self) -> Mapping[str, tuple[Any, ...]]:
        """The other entries driven, one spec per param group (read-only: assign a new dict)."""
        return MappingProxyType(self._hyperparams)

    @hyperparams.setter
    def hyperparams(self, hyperparams: Mapping[str, Any] | None) -> None:
        self._hyperparams = _hyperparams(hyperparams, self.optimizer.param_groups)
        self._plan = None

    def get_lr(self) -> list[float | torch.Tensor]:
        """``schedule(last_epoch)`` for every param group (and the other hyperparameters written)."""
        # torch's own step (its first ones, `step(epoch)`) writes these again: the same values.
        self._write()
        return [g["lr"] for g in self.optimizer.param_groups]

    _get_closed_form_lr = get_lr

    def step(self, epoch: int | None = None) -> None:
        """Advance one optimizer update and write ``schedule(step)`` into every group."""
        if epoch is not None or self._step_count <= 1:
            # torch's own path for its first-call order checks and the deprecated
            # `epoch` argument.
            super().step(epoch)
            return
        # After that, only the closed form: none of torch's bookkeeping is needed, and
        # skipping it makes a step cheaper than torch's own schedulers' (benchmarks/).
        self._step_count += 1
        self.last_epoch += 1
        self._write(check_stacked=True)

    def _stacked(self, i: int, found: Any, wrote: Any) -> None:
        self._stack_warned = True
        warnings.warn(
            f"{type(self).__name__}: param_groups[{i}]['lr'] is {float(found)!r}, not the "
            f"{float(wrote)!r} this scheduler wrote: another scheduler (or code) drives the same "
            "optimizer. lrdecay schedulers write the closed form and do not multiply what "
            "others wrote (torch's chainable stacking); write one schedule instead: a "
            "product `base * (f * g)` of the factors, or a lrdecay.Join of the phases.",
            StackedSchedulerWarning,
            stacklevel=4,
        )

    def state_dict(self) -> dict[str, Any]:
        """The step, the counters torch keeps, and each group's schedule config."""
        state = {
            "last_epoch": self.last_epoch,
            "_step_count": self._step_count,
            "_last_lr": [_plain(x) for x in self._last_lr],
            "schedules": None if self.schedules is None else [serialize(s) for s in self.schedules],
        }
        if self.hyperparams:
            state["hyperparams"] = {k: [_spec_config(x) for x in per] for k, per in self.hyperparams.items()}
        return state

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore the step (and the schedules) and write ``schedule(step)`` now.

        Everything is checked before anything changes: a bad checkpoint raises
        ValueError/TypeError naming the entry and leaves the scheduler as it was.
        """
        if not isinstance(state_dict, Mapping) or "last_epoch" not in state_dict:
            raise ValueError(
                "Argument `state_dict` must be a dict from LRScheduler.state_dict(). "
                f"Received: state_dict={short(state_dict)}"
            )
        schedules = self._schedules
        if state_dict.get("schedules") is not None:
            saved = state_dict["schedules"]
            if not isinstance(saved, (list, tuple)):
                raise TypeError(
                    "state_dict['schedules'] must be a list of serialized schedules. "
                    f"Received: {short(saved)} of type {type(saved).__name__}"
                )
            schedules = _per_group([deserialize(d) for d in saved], len(self.optimizer.param_groups))
        hyperparams = self._hyperparams
        if "hyperparams" in state_dict:
            loaded = {k: [_spec_from_config(x) for x in per] for k, per in state_dict["hyperparams"].items()}
            hyperparams = _hyperparams(loaded, self.optimizer.param_groups)
        last_epoch = _counter("last_epoch", state_dict["last_epoch"], -1)
        step_count = _counter("_step_count", state_dict.get("_step_count", last_epoch + 1), 0)
        for s in schedules or ():
            s(last_epoch)  # a step the schedule refuses (overflow) fails here, not half-way
        self._schedules = schedules
        self._hyperparams = hyperparams
        self._plan = None
        self.last_epoch = last_epoch
        self._step_count = step_count
        self._write()

    def _write(self, check_stacked: bool = False) -> None:
        """Write every driven entry at ``last_epoch``; with `check_stacked`, warn once about a foreign lr."""
        groups = self.optimizer.param_groups
        plan = self._plan
        if plan is None or plan.groups != len(groups):  # the setters and load_state_dict drop it
            plan = self._plan = _Plan(self._schedules, self._hyperparams, len(groups))
        step = self.last_epoch
        if type(step) is not int or step < 0:
            # torch's deprecated step(epoch) can bring any number: the schedules check it
            # as their call does, before the shapes' formulas see it.
            for s in plan.originals:
                s(step)
        values: list[float] = []  # a loop, not a comprehension: ~60 ns less for one or two shapes
        try:
            for f in plan.shapes:
                values.append(f(step, SCALAR))
        except OverflowError:
            for s in plan.originals:
                s(step)  # the schedule's own ValueError, naming it and the step
            raise
        check = check_stacked and not getattr(self, "_stack_warned", False)
        last = self._last_lr if check else ()  # torch sets it after the first get_lr
        out: list[float | torch.Tensor] = []
        for j, key, pos, i, a, b in plan.targets:
            x = values[i]
            if b is not None:
                x = b * x
            if a is not None:
                x = a + x
            group = groups[j]
            if key is not None:  # another hyperparameter: a float replaced, a tensor filled
                current = group[key]
                if pos < 0:
                    group[key] = x if type(current) is float else _set_value(current, x)
                else:  # one element of a tuple (Adam's betas)
                    new = list(current)
                    new[pos] = _set_value(current[pos], x)
                    group[key] = tuple(new) if isinstance(current, tuple) else new
                continue
            current = group["lr"]
            # The float this scheduler wrote is the object it finds, unless someone else
            # wrote one: `is` first spares the comparison on every step.
            if check and current is not last[j] and float(current) != float(last[j]):
                self._stacked(j, current, last[j])
                check = False
            if type(current) is float or not isinstance(current, torch.Tensor):
                group["lr"] = x  # a number (a numpy float from a checkpoint too) is replaced
                out.append(x)
            else:  # a tensor is updated in place: compiled graphs keep reading it
                current.fill_(x)
                out.append(current.clone())
        self._last_lr = out if plan.drives_lr else [_copy(g["lr"]) for g in groups]


class _Plan:
    """What `LRScheduler._write` does at each step, worked out once.

    Each driven value is ``a + b * shape(step)`` (`lrdecay.schedules.compose.affine`);
    a shape shared by several entries (one factor for every group's base lr, one wave
    for the lr and the momentum) is evaluated once per step. `targets` holds
    ``(group, key, position, shape index, a, b)``: the other hyperparameters first,
    then the lrs (key None).
    """

    __slots__ = ("drives_lr", "groups", "originals", "shapes", "targets")

    def __deepcopy__(self, memo: dict[int, Any]) -> None:
        return None  # a copied scheduler plans again, for its own copies of the schedules

    def __init__(self, schedules: Any, hyperparams: Mapping[str, tuple[Any, ...]], groups: int) -> None:
        self.groups = groups
        self.drives_lr = schedules is not None
        shapes: list[Schedule] = []
        self.originals: list[Schedule] = []

        def term(schedule: Schedule) -> tuple[int, float | None, float | None]:
            self.originals.append(schedule)
            a, b, shape = affine(schedule)
            for i, known in enumerate(shapes):
                # Equal schedules are the same function of the step (a config is all
                # there is to one): a checkpoint's copies share a shape again.
                if known is shape or (type(known) is type(shape) and known == shape):
                    return i, a, b
            shapes.append(shape)
            return len(shapes) - 1, a, b

        targets: list[tuple[int, str | None, int, int, float | None, float | None]] = []
        for key, per_group in hyperparams.items():
            if len(per_group) != groups:
                raise _group_count_error(groups, len(per_group))
            for j, spec in enumerate(per_group):
                if isinstance(spec, Schedule):
                    targets.append((j, key, -1, *term(spec)))
                elif isinstance(spec, tuple):
                    targets.extend((j, key, pos, *term(s)) for pos, s in enumerate(spec) if s is not None)
        if schedules is not None:
            if len(schedules) != groups:
                raise _group_count_error(groups, len(schedules))
            targets.extend((j, None, -1, *term(s)) for j, s in enumerate(schedules))
        self.targets = tuple(targets)
        self.shapes = tuple(s._f for s in shapes)


def _group_count_error(groups: int, entries: int) -> ValueError:
    return ValueError(
        f"The optimizer has {groups} param groups and the scheduler has {entries} schedules: "
        "a group added (add_param_group) after the scheduler was made needs a new scheduler."
    )


def _set_value(current: Any, value: float) -> Any:
    if isinstance(current, torch.Tensor):
        current.fill_(value)  # in place, as for a tensor lr
        return current
    return value


def _copy(x: Any) -> Any:
    return x.clone() if isinstance(x, torch.Tensor) else x


def _plain(x: Any) -> Any:
    return float(x) if isinstance(x, torch.Tensor) else x


def _hyperparams(hyperparams: Mapping[str, Any] | None, groups: Sequence[Any]) -> dict[str, tuple[Any, ...]]:
    """Each entry as one spec per group: a Schedule, None, or a tuple of Schedule | None.

    Tuples, and shown read-only by `LRScheduler.hyperparams`: a step's plan is made
    from it, so it is replaced, never changed in place.
    """
    if hyperparams is None:
        return {}
    if not isinstance(hyperparams, Mapping):
        raise TypeError(
            "Argument `hyperparams` must be a dict of param-group entries to schedules. "
            f"Received: hyperparams={hyperparams!r} of type {type(hyperparams).__name__}"
        )
    out: dict[str, tuple[Any, ...]] = {}
    for key, value in hyperparams.items():
        if key == "lr":
            raise ValueError(
                "Argument `hyperparams` must not hold 'lr' (pass the lr's schedule as `schedule`). "
                f"Received: hyperparams keys {sorted(hyperparams)}"
            )
        per = value if isinstance(value, list) else [value] * len(groups)
        if len(per) != len(groups):
            raise ValueError(
                f"Argument `hyperparams[{key!r}]` must have one entry per param group ({len(groups)}). "
                f"Received: {len(per)} entries"
            )
        specs = []
        for i, (group, spec) in enumerate(zip(groups, per, strict=True)):
            spec = _spec(f"hyperparams[{key!r}]", spec)
            if key not in group:
                raise ValueError(
                    f"Argument `hyperparams` names {key!r}, which param_groups[{i}] does not have. "
                    f"Received: its keys {sorted(group)}"
                )
            if isinstance(spec, tuple) and (
                not isinstance(group[key], (tuple, list)) or len(group[key]) != len(spec)
            ):
                raise ValueError(
                    f"Argument `hyperparams[{key!r}]` must match param_groups[{i}][{key!r}]. "
                    f"Received: a tuple of {len(spec)} for {group[key]!r}"
                )
            specs.append(spec)
        out[key] = tuple(specs)
    return out


def _spec(arg: str, value: Any) -> Any:
    if value is None or isinstance(value, Schedule):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Constant(value)
    if isinstance(value, tuple):
        return tuple(_spec(f"{arg}[{i}]", x) for i, x in enumerate(value))
    raise TypeError(
        f"Argument `{arg}` must be an lrdecay.Schedule, a number, None or a tuple of them. "
        f"Received: {arg}={value!r} of type {type(value).__name__}"
    )


def _spec_config(spec: Any) -> Any:
    if isinstance(spec, tuple):
        return {"tuple": [None if s is None else serialize(s) for s in spec]}
    return None if spec is None else serialize(spec)


def _spec_from_config(config: Any) -> Any:
    if isinstance(config, Mapping) and set(config) == {"tuple"}:
        return tuple(None if c is None else deserialize(c) for c in config["tuple"])
    return None if config is None else deserialize(config)


def _rewrite_after_load(ref: Any) -> Any:
    # A weak reference: the optimizer must not keep a discarded scheduler alive.
    def hook(optimizer: Any) -> None:
        scheduler = ref()
        if scheduler is not None and scheduler.optimizer is optimizer:
            scheduler._write()

    return hook


def _counter(key: str, value: Any, lowest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"state_dict[{key!r}] must be an int. Received: {short(value)} of type {type(value).__name__}"
        )
    if value < lowest:
        raise ValueError(f"state_dict[{key!r}] must be >= {lowest}. Received: {short(value)}")
    return int(value)


def _per_group(schedule: Any, groups: int) -> tuple[Schedule, ...]:
    if isinstance(schedule, Schedule):
        return (schedule,) * groups
    if isinstance(schedule, Sequence) and not isinstance(schedule, str):
        for i, s in enumerate(schedule):
            if not isinstance(s, Schedule):
                raise TypeError(
                    f"Argument `schedule` must be an lrdecay.Schedule or a list of them. "
                    f"Received: schedule[{i}]={s!r} of type {type(s).__name__}"
                )
        if len(schedule) != groups:
            raise ValueError(
                "Argument `schedule` must have one schedule per param group "
                f"({groups}). Received: {len(schedule)} schedules"
            )
        return tuple(schedule)
    raise TypeError(
        "Argument `schedule` must be an lrdecay.Schedule or a list of them. "
        f"Received: schedule={schedule!r} of type {type(schedule).__name__}"
    )

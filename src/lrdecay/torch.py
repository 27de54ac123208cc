"""PyTorch adapter: a `torch.optim.lr_scheduler.LRScheduler` that writes ``schedule(step)``.

Importing this module imports torch; ``import lrdecay`` does not.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any

try:
    import torch
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError("lrdecay.torch needs PyTorch: pip install 'lrdecay[torch]'") from err
from torch.optim.lr_scheduler import LRScheduler as _TorchLRScheduler

from lrdecay._base import Schedule
from lrdecay._registry import deserialize, serialize
from lrdecay._validate import short

__all__ = ["LRScheduler"]


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

    Args:
        optimizer: a ``torch.optim.Optimizer``.
        schedule: an ``lrdecay.Schedule`` for every param group, or a list with one
            per param group.
        last_epoch: torch's argument: the index of the last step taken; -1 (default)
            starts at step 0. Prefer `load_state_dict` to resume.

    Raises:
        TypeError: `optimizer` is not an Optimizer, `schedule` is not a Schedule (or
            a list of them), `last_epoch` is not an int.
        ValueError: a list whose length differs from the number of param groups, a
            `last_epoch` below -1.
    """

    def __init__(self, optimizer: Any, schedule: Any, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(
                "Argument `optimizer` must be a torch.optim.Optimizer. "
                f"Received: optimizer={optimizer!r} of type {type(optimizer).__name__}"
            )
        self.schedules = _per_group(schedule, len(optimizer.param_groups))
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

    def get_lr(self) -> list[float | torch.Tensor]:
        """``schedule(last_epoch)`` for every param group."""
        step = self.last_epoch
        return [s(step) for s in self.schedules]

    _get_closed_form_lr = get_lr

    def step(self, epoch: int | None = None) -> None:
        """Advance one optimizer update and write ``schedule(step)`` into every group."""
        if epoch is not None or self._step_count <= 1:
            # torch's own path for its first-call order checks and the deprecated
            # `epoch` argument.
            super().step(epoch)
            return
        # After that, only the closed form: none of torch's bookkeeping is needed, and
        # skipping it makes a step cheaper than torch's own ExponentialLR.step().
        self._step_count += 1
        self.last_epoch += 1
        self._write()

    def state_dict(self) -> dict[str, Any]:
        """The step, the counters torch keeps, and each group's schedule config."""
        return {
            "last_epoch": self.last_epoch,
            "_step_count": self._step_count,
            "_last_lr": list(self._last_lr),
            "schedules": [serialize(s) for s in self.schedules],
        }

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
        schedules = self.schedules
        if "schedules" in state_dict:
            saved = state_dict["schedules"]
            if not isinstance(saved, (list, tuple)):
                raise TypeError(
                    "state_dict['schedules'] must be a list of serialized schedules. "
                    f"Received: {short(saved)} of type {type(saved).__name__}"
                )
            schedules = _per_group([deserialize(d) for d in saved], len(self.optimizer.param_groups))
        last_epoch = _counter("last_epoch", state_dict["last_epoch"], -1)
        step_count = _counter("_step_count", state_dict.get("_step_count", last_epoch + 1), 0)
        for s in schedules:
            s(last_epoch)  # a step the schedule refuses (overflow) fails here, not half-way
        self.schedules = schedules
        self.last_epoch = last_epoch
        self._step_count = step_count
        self._write()

    def _write(self) -> None:
        step = self.last_epoch
        last: list[float | torch.Tensor] = []
        for group, schedule in zip(self.optimizer.param_groups, self.schedules, strict=True):
            lr = schedule(step)
            current = group["lr"]
            if isinstance(current, torch.Tensor):
                current.fill_(lr)  # in place: compiled graphs keep reading it
                last.append(current.clone())
            else:
                group["lr"] = lr
                last.append(lr)
        self._last_lr = last


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

"""`scale_learning_rate`: the batch-size scaling rule, applied only when asked for."""

from __future__ import annotations

import math
import numbers
from typing import Any

from lrdecay import _validate as v

__all__ = ["scale_learning_rate"]

_RULES = ("linear", "sqrt")


def _batch(arg: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"Argument `{arg}` must be a positive int. "
            f"Received: {arg}={value!r} of type {type(value).__name__}"
        )
    if value <= 0:
        raise ValueError(f"Argument `{arg}` must be > 0. Received: {arg}={value!r}")
    return int(value)


def scale_learning_rate(base_lr: float, base_batch: int, global_batch: int, rule: str = "linear") -> float:
    """The learning rate for `global_batch`, given one tuned at `base_batch`.

    >>> import lrdecay
    >>> lrdecay.scale_learning_rate(0.1, base_batch=256, global_batch=1024)
    0.4
    >>> lrdecay.scale_learning_rate(0.1, 256, 1024, rule="sqrt")
    0.2
    >>> sched = lrdecay.CosineDecay(lrdecay.scale_learning_rate(0.1, 256, 8 * 64), 1000)
    >>> sched(0)
    0.2

    Rules: ``"linear"`` multiplies by ``global_batch / base_batch`` (Goyal et al. 2017,
    "Accurate, Large Minibatch SGD", usually with a warmup); ``"sqrt"`` by its square
    root (often used with Adam-type optimizers). `global_batch` is the batch of one
    optimizer update summed over every data-parallel process (and gradient
    accumulation step). lrdecay never scales a rate by itself: call this and pass the
    result to a schedule.

    Args:
        base_lr: the tuned rate, a finite number >= 0.
        base_batch: the batch size it was tuned at, an int > 0.
        global_batch: the batch size of one update now, an int > 0.
        rule: ``"linear"`` or ``"sqrt"``.

    Raises:
        ValueError: a negative or non-finite `base_lr`, a batch <= 0, an unknown `rule`.
        TypeError: a non-number `base_lr`, a non-int batch.
    """
    lr = v.number("base_lr", base_lr, lower=0)
    ratio = _batch("global_batch", global_batch) / _batch("base_batch", base_batch)
    if rule == "linear":
        return lr * ratio
    if rule == "sqrt":
        return lr * math.sqrt(ratio)
    raise ValueError(f"Argument `rule` must be one of {list(_RULES)}. Received: rule={rule!r}")

"""`evaluate`: a whole curve as a numpy array."""

from __future__ import annotations

import numbers
from typing import Any

from lrdecay._xp import NUMPY, numpy_steps

__all__ = ["evaluate"]


def evaluate(schedule: Any, steps: Any, *, dtype: Any = None, out: Any = None) -> Any:
    """The schedule's values at `steps` as a numpy array (float64 unless `dtype` says).

    `steps` is an array-like of steps, or an int ``n`` meaning ``0, 1, ..., n - 1``.

    >>> import lrdecay, numpy as np
    >>> s = lrdecay.PiecewiseConstantDecay([2], [1.0, 0.5])
    >>> lrdecay.evaluate(s, 5)
    array([1. , 1. , 1. , 0.5, 0.5])
    >>> lrdecay.evaluate(s, [0, 3], dtype=np.float32)
    array([1. , 0.5], dtype=float32)
    """
    import numpy as np

    from lrdecay._base import Schedule

    if not isinstance(schedule, Schedule):
        raise TypeError(
            "Argument `schedule` must be an lrdecay.Schedule. "
            f"Received: schedule={schedule!r} of type {type(schedule).__name__}"
        )
    dtype = np.dtype(np.float64 if dtype is None else dtype)
    if dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"Argument `dtype` must be float64 or float32. Received: dtype={dtype}")
    if isinstance(steps, numbers.Integral) and not isinstance(steps, bool):
        if steps < 0:
            raise ValueError(f"Argument `steps` must be >= 0. Received: steps={steps!r}")
        s = np.arange(int(steps), dtype=dtype)
    else:
        s = numpy_steps(steps, dtype=dtype)
    values = np.asarray(schedule._f(s, NUMPY), dtype=dtype)
    values = np.broadcast_to(values, s.shape)
    if out is None:
        return values.copy() if not values.flags.writeable or values.base is not None else values
    if not isinstance(out, np.ndarray) or out.shape != s.shape or out.dtype != dtype:
        raise ValueError(
            f"Argument `out` must be a {dtype} array of shape {s.shape}. "
            f"Received: out of {type(out).__name__}"
            + (f" {out.dtype} {out.shape}" if isinstance(out, np.ndarray) else "")
        )
    out[...] = values
    return out

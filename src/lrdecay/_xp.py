"""Which arithmetic a step is evaluated with.

A schedule's formula is written once, as ``_f(self, s, xp)``, against a small set of
operations (``exp``, ``log``, ``cos``, ``sqrt``, ``floor``, ``ceil``, ``minimum``,
``maximum``, ``where``, ``lookup``, ``normal``). This module supplies them:

* ``SCALAR``: ``math`` on Python numbers, the fast path, no array library touched;
* ``NUMPY``: numpy ufuncs, for numpy arrays and scalars;
* framework namespaces (torch, jax, TensorFlow), looked up only when such a tensor is
  passed (see ``_frameworks``); this module never imports a framework itself.

Formulas keep both sides of a ``where`` finite, because the scalar ``where`` evaluates
both arguments, and ``math`` raises where numpy would return NaN.
"""

from __future__ import annotations

import math
import sys
from bisect import bisect_left
from typing import Any

from lrdecay import _noise

__all__ = ["NUMPY", "SCALAR", "bad_step", "call_nonscalar", "numpy_steps"]

_INF = math.inf


class _ScalarOps:
    """Operations on Python floats (``where`` is eager: keep both branches finite)."""

    name = "python"
    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    cos = staticmethod(math.cos)
    sqrt = staticmethod(math.sqrt)
    floor = staticmethod(math.floor)
    ceil = staticmethod(math.ceil)
    minimum = staticmethod(min)
    maximum = staticmethod(max)

    @staticmethod
    def where(cond: bool, a: float, b: float) -> float:
        return a if cond else b

    @staticmethod
    def lookup(s: float, boundaries: tuple, values: tuple) -> float:
        # Intervals closed on the right, as in TensorFlow: a step equal to a boundary
        # keeps the earlier value.
        return values[bisect_left(boundaries, s)]

    normal = staticmethod(_noise.normal_scalar)


class _NumpyOps:
    """Operations on numpy arrays; numpy is imported on first use."""

    name = "numpy"

    def __getattr__(self, attr: str) -> Any:
        import numpy as np

        table = {
            "exp": np.exp,
            "log": np.log,
            "cos": np.cos,
            "sqrt": np.sqrt,
            "floor": np.floor,
            "ceil": np.ceil,
            "minimum": np.minimum,
            "maximum": np.maximum,
            "where": np.where,
        }
        if attr not in table:
            raise AttributeError(attr)
        # Cache on the instance so later look-ups skip __getattr__.
        for key, fn in table.items():
            setattr(self, key, fn)
        return table[attr]

    @staticmethod
    def lookup(s: Any, boundaries: tuple, values: tuple) -> Any:
        import numpy as np

        index = np.searchsorted(np.asarray(boundaries, dtype=s.dtype), s, side="left")
        return np.asarray(values, dtype=s.dtype)[index]

    normal = staticmethod(_noise.normal_numpy)


SCALAR = _ScalarOps()
NUMPY = _NumpyOps()


def bad_step(step: Any) -> Exception:
    """The error for a step that is not a finite number >= 0."""
    if isinstance(step, bool) or not isinstance(step, (int, float)):
        return TypeError(
            "Argument `step` must be a number or an array of numbers. "
            f"Received: step={step!r} of type {type(step).__name__}"
        )
    return ValueError(f"Argument `step` must be a finite number >= 0. Received: step={step!r}")


def numpy_steps(step: Any, dtype: Any = None) -> Any:
    """Validate an array-like of steps and return it as a float array (float64 default)."""
    import numpy as np

    a = np.asarray(step)
    kind = a.dtype.kind
    if kind not in "iuf":
        raise TypeError(
            "Argument `step` must be a number or an array of numbers. "
            f"Received: step of dtype {a.dtype}"
        )
    if a.size and kind != "u":
        lo = a.min()
        # min() propagates NaN, so one reduction catches negative and NaN steps.
        if not lo >= 0 or (kind == "f" and not a.max() < _INF):
            bad = a[~((a >= 0) & (a < _INF))] if kind == "f" else a[a < 0]
            raise ValueError(
                "Argument `step` must be a finite number >= 0. "
                f"Received: step={bad.flat[0].item()!r} (in an array of shape {a.shape})"
            )
    return a.astype(np.float64 if dtype is None else dtype, copy=False)


def call_nonscalar(schedule: Any, step: Any) -> Any:
    """Evaluate for everything but a plain int/float (those take the scalar path)."""
    if isinstance(step, bool):
        raise bad_step(step)
    if isinstance(step, int):  # int subclasses (IntEnum, ...)
        return schedule(int(step))
    if isinstance(step, float):
        return schedule(float(step))
    np = sys.modules.get("numpy")
    if np is not None and isinstance(step, (np.ndarray, np.generic)):
        if isinstance(step, np.bool_) or (isinstance(step, np.ndarray) and step.dtype == bool):
            raise bad_step(bool(step) if step.ndim == 0 else step)
        s = numpy_steps(step)
        out = schedule._f(s, NUMPY)
        out = np.asarray(out, dtype=np.float64)
        if out.shape != s.shape:  # a formula that ignores the step (a constant)
            out = np.broadcast_to(out, s.shape).copy()
        return out[()] if out.ndim == 0 else out
    if isinstance(step, (list, tuple)):
        import numpy

        return call_nonscalar(schedule, numpy.asarray(step))
    from lrdecay import _frameworks

    ops = _frameworks.ops_for(step)
    if ops is None:
        raise bad_step(step)
    return ops.call(schedule, step)

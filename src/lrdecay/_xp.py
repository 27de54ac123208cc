"""Which arithmetic a step is evaluated with.

A schedule's formula is written once, as ``_f(self, s, xp)``, against a small set of
operations (``exp``, ``log``, ``cos``, ``sin``, ``sqrt``, ``floor``, ``ceil``, ``minimum``,
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
import types
from bisect import bisect_left
from typing import Any

from lrdecay import _noise
from lrdecay._validate import short

__all__ = ["NUMPY", "SCALAR", "bad_step", "check_step_dtype", "check_step_values", "numpy_steps"]

_INF = math.inf


# -- SCALAR: operations on Python numbers ---------------------------------------------
#
# SCALAR is a module object, not an instance of a class: CPython specialises
# ``xp.exp(...)`` on a module into a dictionary-version check plus a direct load
# (~16 ns a call), whereas a staticmethod on an instance's class goes through the
# descriptor protocol (~26 ns). min()/max() are replaced by conditionals: the builtins
# accept iterables and keywords and cost ~65 ns for two numbers, the functions ~30 ns.


def _minimum(a: float, b: float) -> float:
    # min()'s choice on ties: the first argument.
    return b if b < a else a


def _maximum(a: float, b: float) -> float:
    return b if b > a else a


def _where(cond: bool, a: float, b: float) -> float:
    # Eager: both branches were computed by the caller, keep them finite.
    return a if cond else b


def _lookup(s: float, boundaries: tuple[float, ...], values: tuple[float, ...]) -> float:
    # Intervals closed on the right, as in TensorFlow: a step equal to a boundary
    # keeps the earlier value.
    return values[bisect_left(boundaries, s)]


def _scalar_namespace() -> types.ModuleType:
    ns = types.ModuleType("lrdecay._xp.SCALAR", "Operations on Python floats (``where`` is eager).")
    ns.__dict__.update(
        name="python",
        exp=math.exp,
        log=math.log,
        cos=math.cos,
        sin=math.sin,
        sqrt=math.sqrt,
        floor=math.floor,
        ceil=math.ceil,
        minimum=_minimum,
        maximum=_maximum,
        where=_where,
        lookup=_lookup,
        normal=_noise.normal_scalar,
    )
    return ns


SCALAR = _scalar_namespace()


# -- NUMPY: operations on numpy arrays ------------------------------------------------


def _np_minimum(a: Any, b: Any) -> Any:
    import numpy as np

    # numpy 2.x runs minimum(array, scalar) through a non-vectorised loop (~4x slower
    # than on two arrays); clip against a bound is vectorised. Steps are validated, so
    # no NaN reaches here (clip and minimum differ only in NaN handling).
    if type(b) is float or type(b) is int:
        return np.clip(a, -_INF, b)
    if type(a) is float or type(a) is int:
        return np.clip(b, -_INF, a)
    return np.minimum(a, b)


def _np_maximum(a: Any, b: Any) -> Any:
    import numpy as np

    if type(b) is float or type(b) is int:
        return np.clip(a, b, _INF)
    if type(a) is float or type(a) is int:
        return np.clip(b, a, _INF)
    return np.maximum(a, b)


def _np_where(cond: Any, a: Any, b: Any) -> Any:
    import numpy as np

    # np.where is ~2.5x slower than filling with one branch and copying the other
    # over it where `cond` holds (numpy 2.x, float32 and float64).
    if type(cond) is not np.ndarray:
        return np.where(cond, a, b)
    out = np.empty(np.broadcast_shapes(cond.shape, np.shape(a), np.shape(b)), np.result_type(a, b))
    np.copyto(out, b)
    np.copyto(out, a, where=cond)
    return out


class _NumpyOps:
    """Operations on numpy arrays; numpy is imported on first use."""

    name = "numpy"
    minimum = staticmethod(_np_minimum)
    maximum = staticmethod(_np_maximum)
    where = staticmethod(_np_where)

    def __getattr__(self, attr: str) -> Any:
        import numpy as np

        table = {
            "exp": np.exp,
            "log": np.log,
            "cos": np.cos,
            "sin": np.sin,
            "sqrt": np.sqrt,
            "floor": np.floor,
            "ceil": np.ceil,
        }
        if attr not in table:
            raise AttributeError(attr)
        # Cache on the instance so later look-ups skip __getattr__.
        for key, fn in table.items():
            setattr(self, key, fn)
        return table[attr]

    @staticmethod
    def lookup(s: Any, boundaries: tuple[float, ...], values: tuple[float, ...]) -> Any:
        import numpy as np

        index = np.searchsorted(np.asarray(boundaries, dtype=s.dtype), s, side="left")
        return np.asarray(values, dtype=s.dtype)[index]

    normal = staticmethod(_noise.normal_numpy)


NUMPY = _NumpyOps()


# -- step validation ------------------------------------------------------------------


def bad_step(step: Any) -> Exception:
    """The error for a step that is not a finite number >= 0."""
    if isinstance(step, bool) or not isinstance(step, (int, float)):
        return TypeError(
            "Argument `step` must be a number or an array of numbers. "
            f"Received: step={short(step)} of type {type(step).__name__}"
        )
    return ValueError(f"Argument `step` must be a finite number >= 0. Received: step={short(step)}")


def check_step_dtype(a: Any) -> None:
    """Refuse arrays that are not of real numbers (bool, complex, object, strings)."""
    if a.dtype.kind not in "iuf":
        raise TypeError(
            f"Argument `step` must be a number or an array of numbers. Received: step of dtype {a.dtype}"
        )


def check_step_values(a: Any, shape: Any = None) -> None:
    """Raise ValueError naming the first step that is negative, NaN or infinite.

    One or two reductions (min, and max for floats) and no temporary array when every
    step is fine: min() propagates NaN, so it catches negative and NaN steps at once.
    `shape` is the shape of the whole array when `a` is a part of it (for the message).
    """
    kind = a.dtype.kind
    if kind == "u" or not a.size:
        return
    if a.min() >= 0 and (kind != "f" or a.max() < _INF):
        return
    bad = a[~((a >= 0) & (a < _INF))] if kind == "f" else a[a < 0]
    raise ValueError(
        "Argument `step` must be a finite number >= 0. "
        f"Received: step={bad.flat[0].item()!r} "
        f"(in an array of shape {a.shape if shape is None else shape})"
    )


def numpy_steps(step: Any, dtype: Any = None) -> Any:
    """Validate an array-like of steps and return it as a float array (float64 default)."""
    import numpy as np

    a = np.asarray(step)
    check_step_dtype(a)
    check_step_values(a)
    return a.astype(np.float64 if dtype is None else dtype, copy=False)

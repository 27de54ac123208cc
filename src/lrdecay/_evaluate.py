"""`evaluate`: a schedule's values at many steps, as a numpy array."""

from __future__ import annotations

import numbers
import os
from typing import TYPE_CHECKING, Any, overload

from lrdecay._base import Schedule
from lrdecay._chunks import evaluate_array
from lrdecay._validate import short
from lrdecay._xp import bad_step, check_step_dtype

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["evaluate", "evaluate_array", "memory_bytes"]

#: The memory assumed where the machine's cannot be read (64 GiB): `evaluate(s, n)`
#: refuses an n whose result would not fit (see `memory_bytes`).
MAX_BYTES_UNKNOWN = 64 << 30


@overload
def evaluate(
    schedule: Schedule, steps: Any, *, dtype: None = None, out: None = None
) -> NDArray[np.float64]: ...
@overload
def evaluate(schedule: Schedule, steps: Any, *, dtype: Any = None, out: Any = None) -> NDArray[Any]: ...


def evaluate(schedule: Any, steps: Any, *, dtype: Any = None, out: Any = None) -> Any:
    """The schedule's values at `steps` as a numpy array (float64 unless `dtype` says).

    >>> import lrdecay, numpy as np
    >>> s = lrdecay.PiecewiseConstantDecay([2], [1.0, 0.5])
    >>> lrdecay.evaluate(s, 5)
    array([1. , 1. , 1. , 0.5, 0.5])
    >>> lrdecay.evaluate(s, [0, 3], dtype=np.float32)
    array([1. , 0.5], dtype=float32)
    >>> buf = np.empty((2, 2))
    >>> lrdecay.evaluate(s, [[0, 1], [2, 3]], out=buf) is buf
    True

    `steps` is an array-like of steps (any shape, ints or floats, each finite and
    >= 0), or an int ``n`` meaning ``0, 1, ..., n - 1``. The result has the shape of
    `steps` (``(n,)`` for an int).

    `dtype` is float64 or float32. float32 computes in float32 (about 7 significant
    digits, like TensorFlow's default), which is faster and half the memory; float64
    is exact to a few units in the last place. Steps above 2**24, where float32 can no
    longer tell consecutive steps apart, are computed in float64 and the rates rounded
    to float32, so a float32 curve never repeats or skips a step.

    `out`, if given, is a writeable float64/float32 numpy array of the result's shape;
    it is filled and returned. If a step is invalid, `out` may be partly written.

    Large inputs are computed in cache-sized chunks, on ``LRDECAY_NUM_THREADS``
    threads (default 1). The values depend on neither.

    Raises:
        TypeError: `schedule` is not a Schedule; `steps` is not numbers (bools,
            strings, objects).
        ValueError: a step that is negative, NaN or infinite; ``n < 0``; an ``n`` whose
            result would not fit in this machine's memory (``evaluate(s, 10**12)``: 8 TB;
            checked before anything is allocated); a value past the float range (a
            growing exponential), naming the step; a `dtype`
            other than float32/float64; `out` not a numpy array of the result's
            dtype and shape, or read-only.
    """
    import numpy as np

    if not isinstance(schedule, Schedule):
        raise TypeError(
            "Argument `schedule` must be an lrdecay.Schedule. "
            f"Received: schedule={short(schedule)} of type {type(schedule).__name__}"
        )
    dtype = np.dtype(np.float64 if dtype is None else dtype)
    if dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"Argument `dtype` must be float64 or float32. Received: dtype={dtype}")

    if isinstance(steps, numbers.Integral) and not isinstance(steps, (bool, np.bool_)):
        n = int(steps)
        if n < 0:
            raise ValueError(f"Argument `steps` must be >= 0. Received: steps={short(steps)}")
        if out is None:
            _check_size(n, dtype)
        a, shape = None, (n,)
    else:
        if isinstance(steps, (bool, np.bool_)):
            raise bad_step(steps)
        a = np.asarray(steps)
        check_step_dtype(a)
        shape = a.shape

    if out is not None:
        if not isinstance(out, np.ndarray) or out.shape != shape or out.dtype != dtype:
            raise ValueError(
                f"Argument `out` must be a {dtype} array of shape {shape}. "
                f"Received: out of {type(out).__name__}"
                + (f" {out.dtype} {out.shape}" if isinstance(out, np.ndarray) else "")
            )
        if not out.flags.writeable:
            raise ValueError("Argument `out` must be writeable. Received: a read-only array")
        if a is not None and np.may_share_memory(out, a):
            # Chunk i is read before it is written, but other overlaps would read
            # values already overwritten: work from a copy.
            a = a.copy()
    return evaluate_array(schedule, a if a is not None else shape[0], dtype, out)


def memory_bytes() -> int:
    """This machine's physical memory in bytes (MAX_BYTES_UNKNOWN where it cannot be read)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # not a POSIX system
        return MAX_BYTES_UNKNOWN


def _check_size(n: int, dtype: Any) -> None:
    """Refuse a curve larger than memory up front, instead of a MemoryError (or swapping)
    after trying: `evaluate(s, 10**12)` is 8 TB."""
    need = n * dtype.itemsize
    have = memory_bytes()
    if need > have:
        raise ValueError(
            f"Argument `steps` asks for {n} values: {_size(need)} as {dtype}, more than this "
            f"machine's memory ({_size(have)}). Evaluate the curve in parts (an array of steps "
            "at a time) or at fewer steps. Received: steps=" + short(n)
        )


def _size(nbytes: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if nbytes < 1024 or unit == "PiB":
            return f"{nbytes:.1f} {unit}" if unit != "bytes" else f"{int(nbytes)} bytes"
        nbytes /= 1024
    raise AssertionError  # pragma: no cover

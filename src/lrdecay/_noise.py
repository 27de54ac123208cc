"""Gaussian noise that is a pure function of (seed, step).

TensorFlow draws a fresh random number on every call, so the same step gives a different
learning rate on each call, each data-parallel rank and each resume. Here the noise is
a counter-based hash of (seed, integer step) turned into a standard normal with
Box-Muller: every evaluation of a step agrees, on every backend and every process.

The hash is Chris Wellons' 32-bit "lowbias32" integer mixer, chained over the seed and the
two 32-bit halves of the step. It needs only 32-bit xor, shift and wrapping multiply, which
every array library has.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["normal_numpy", "normal_scalar"]

_MASK = 0xFFFFFFFF
_M1 = 0x7FEB352D
_M2 = 0x846CA68B
_SEED_SALT = 0x9E3779B9
_SECOND_SALT = 0x85EBCA6B
_TWO_PI = 2.0 * math.pi
_INV_2_32 = 2.0**-32


def _mix32(x: int) -> int:
    x ^= x >> 16
    x = (x * _M1) & _MASK
    x ^= x >> 15
    x = (x * _M2) & _MASK
    x ^= x >> 16
    return x


def _box_muller(h1: Any, h2: Any, xp: Any) -> Any:
    # (h + 0.5) / 2^32 lies strictly inside (0, 1), so the log is finite.
    u1 = (h1 + 0.5) * _INV_2_32
    u2 = (h2 + 0.5) * _INV_2_32
    return xp.sqrt(-2.0 * xp.log(u1)) * xp.cos(_TWO_PI * u2)


def normal_scalar(seed: int, step: float) -> float:
    """A standard normal draw for (seed, floor(step)).

    >>> normal_scalar(0, 5) == normal_scalar(0, 5.5)
    True
    >>> normal_scalar(0, 5) != normal_scalar(1, 5)
    True
    """
    k = int(step)
    h = _mix32((seed & _MASK) ^ _SEED_SALT)
    h = _mix32(h ^ (k & _MASK))
    h1 = _mix32(h ^ ((k >> 32) & _MASK))
    h2 = _mix32(h1 ^ _SECOND_SALT)
    return float(_box_muller(h1, h2, math))


def _mix32_np(x: Any) -> Any:
    x = x ^ (x >> 16)
    x = x * _M1  # uint32 arrays wrap on overflow, as the hash wants
    x = x ^ (x >> 15)
    x = x * _M2
    return x ^ (x >> 16)


def normal_numpy(seed: int, step: Any) -> Any:
    """`normal_scalar` over a float array of steps >= 0, in float64."""
    import numpy as np

    k = step.astype(np.uint64)
    lo = (k & _MASK).astype(np.uint32)
    hi = (k >> np.uint64(32)).astype(np.uint32)
    h = np.uint32(_mix32((seed & _MASK) ^ _SEED_SALT))
    with np.errstate(over="ignore"):
        h1 = _mix32_np(_mix32_np(h ^ lo) ^ hi)
        h2 = _mix32_np(h1 ^ np.uint32(_SECOND_SALT))
    return _box_muller(h1.astype(np.float64), h2.astype(np.float64), np)

"""Decays driven by a rate per `decay_steps`: exponential, natural exponential, inverse time."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay._pieces import floor_div
from lrdecay._registry import register
from lrdecay._xp import NUMPY, SCALAR

__all__ = ["ExponentialDecay", "InverseTimeDecay", "NaturalExpDecay"]


@dataclasses.dataclass(frozen=True, repr=False)
class _RateDecay(Schedule):
    """Shared arguments of the three rate decays (TensorFlow's argument order)."""

    initial_learning_rate: float
    decay_steps: float
    decay_rate: float
    staircase: bool = False
    name: str | None = None

    #: (bound, operator) that `decay_rate` must satisfy.
    _rate_bound = (0, ">=")

    def __post_init__(self) -> None:
        bound, op = self._rate_bound
        self._set(
            initial_learning_rate=v.number("initial_learning_rate", self.initial_learning_rate, lower=0),
            decay_steps=v.number("decay_steps", self.decay_steps, lower=0, lower_op=">"),
            decay_rate=v.number("decay_rate", self.decay_rate, lower=bound, lower_op=op),
            staircase=v.boolean("staircase", self.staircase),
            name=v.name(self.name),
        )
        self._set(_lr=float(self.initial_learning_rate), _steps=self.decay_steps)


def _exp_decay(self: _RateDecay, s: Any, xp: Any) -> Any:
    # The one exponential formula: lr0 * exp(c * p), with c = ln(decay_rate) for
    # ExponentialDecay and c = -decay_rate for NaturalExpDecay. (The progress p is
    # written out here and in InverseTimeDecay rather than in a shared method: a
    # method call is a quarter of a scalar call's time.)
    p = s / self._steps
    if self.staircase:
        # Python's and numpy's float64 division is correctly rounded, so its floor is the
        # stair; XLA's float32 division multiplies by the reciprocal (164 / 164 gives
        # 0.99999994, optax's staircase is off there): tensors take the exact floor_div.
        p = xp.floor(p) if xp is SCALAR or xp is NUMPY else floor_div(s, self._steps, xp)
    return self._lr * xp.exp(self._log_factor * p)


@register
@dataclasses.dataclass(frozen=True, repr=False)
class ExponentialDecay(_RateDecay):
    """Multiply the learning rate by `decay_rate` every `decay_steps` steps.

    >>> from lrdecay import ExponentialDecay
    >>> s = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> [round(s(step), 6) for step in (0, 5, 10, 20)]
    [0.1, 0.070711, 0.05, 0.025]
    >>> ExponentialDecay(0.1, 10, 0.5, staircase=True)(19)
    0.05

    Formula: ``initial_learning_rate * decay_rate ** (step / decay_steps)``, with the
    exponent floored when ``staircase=True``. Like TensorFlow's, it never stops decaying.

    Args:
        initial_learning_rate: the rate at step 0, >= 0.
        decay_steps: steps per factor of `decay_rate`, > 0.
        decay_rate: the factor, > 0 (values above 1 grow the rate).
        staircase: decay at whole multiples of `decay_steps` only.
        name: kept in the config (Keras names its schedules).

    Raises:
        ValueError: a negative or non-finite number, ``decay_steps <= 0``,
            ``decay_rate <= 0``.
        TypeError: a non-number, or a non-bool `staircase`.
    """

    _rate_bound = (0, ">")

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set(_log_factor=math.log(self.decay_rate))

    _f = _exp_decay


@register
@dataclasses.dataclass(frozen=True, repr=False)
class NaturalExpDecay(_RateDecay):
    """Decay by a factor of ``exp(-decay_rate)`` every `decay_steps` steps.

    >>> from lrdecay import NaturalExpDecay
    >>> s = NaturalExpDecay(0.1, decay_steps=10, decay_rate=0.96)
    >>> round(s(5), 10)
    0.0618783392
    >>> NaturalExpDecay(0.1, 10, 0.96, staircase=True)(9)
    0.1

    Formula: ``initial_learning_rate * exp(-decay_rate * step / decay_steps)``, the
    exponent floored when ``staircase=True``. (tf.compat.v1 has only the function
    ``natural_exp_decay``; this is its class form.)

    Args:
        initial_learning_rate: the rate at step 0, >= 0.
        decay_steps: > 0.
        decay_rate: >= 0 (0 keeps the rate constant).
        staircase: decay at whole multiples of `decay_steps` only.
        name: kept in the config.

    Raises:
        ValueError: a negative or non-finite number, ``decay_steps <= 0``.
        TypeError: a non-number, or a non-bool `staircase`.
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set(_log_factor=-float(self.decay_rate))

    _f = _exp_decay


@register
@dataclasses.dataclass(frozen=True, repr=False)
class InverseTimeDecay(_RateDecay):
    """Divide the initial rate by ``1 + decay_rate * step / decay_steps``.

    >>> from lrdecay import InverseTimeDecay
    >>> s = InverseTimeDecay(0.1, decay_steps=1.0, decay_rate=0.5)
    >>> [s(step) for step in (0, 2, 6)]
    [0.1, 0.05, 0.025]
    >>> InverseTimeDecay(0.1, 10, 0.96, staircase=True)(9)
    0.1

    Formula: ``initial_learning_rate / (1 + decay_rate * step / decay_steps)``, the
    ratio floored when ``staircase=True``.

    Args:
        initial_learning_rate: the rate at step 0, >= 0.
        decay_steps: > 0.
        decay_rate: >= 0.
        staircase: decay at whole multiples of `decay_steps` only.
        name: kept in the config.

    Raises:
        ValueError: a negative or non-finite number, ``decay_steps <= 0``.
        TypeError: a non-number, or a non-bool `staircase`.
    """

    def _f(self, s: Any, xp: Any) -> Any:
        p = s / self._steps
        if self.staircase:  # exact on tensors too (see _exp_decay)
            p = xp.floor(p) if xp is SCALAR or xp is NUMPY else floor_div(s, self._steps, xp)
        return self._lr / (1.0 + self.decay_rate * p)

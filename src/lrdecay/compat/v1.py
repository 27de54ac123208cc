"""`tf.compat.v1.train`-style decay functions, with TensorFlow's signatures.

Each function returns a zero-argument callable that reads `global_step` every time it
is called, as TensorFlow's do in eager mode, so an optimizer that calls it each step
sees the current rate; ``float(result)`` also works.

>>> from lrdecay.compat import v1
>>> step = 0
>>> lr = v1.exponential_decay(0.1, lambda: step, decay_steps=10, decay_rate=0.5)
>>> lr()
0.1
>>> step = 20
>>> lr(), float(lr)
(0.025, 0.025)

`global_step` may be an int, a float, a zero-argument callable, a numpy scalar, or any
object with ``numpy()`` or ``item()`` (a ``tf.Variable``, a torch tensor).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Any

from lrdecay._base import Schedule
from lrdecay.schedules.cosine import (
    CosineDecay,
    CosineDecayRestarts,
    CosineDecayWithLinearWarmup,
    LinearCosineDecay,
    NoisyLinearCosineDecay,
)
from lrdecay.schedules.exponential import ExponentialDecay, InverseTimeDecay, NaturalExpDecay
from lrdecay.schedules.piecewise import PiecewiseConstantDecay
from lrdecay.schedules.polynomial import PolynomialDecay

__all__ = [
    "DecayedLearningRate",
    "cosine_decay",
    "cosine_decay_restarts",
    "cosine_learning_rate_with_linear_warmup",
    "exponential_decay",
    "inverse_time_decay",
    "linear_cosine_decay",
    "natural_exp_decay",
    "noisy_linear_cosine_decay",
    "piecewise_constant",
    "piecewise_constant_decay",
    "polynomial_decay",
]


def _symbolic(value: Any) -> bool:
    """A tensor with no value yet: traced by ``tf.function`` or ``jax.jit``."""
    tf = sys.modules.get("tensorflow")
    if tf is not None and isinstance(value, (tf.Tensor, tf.Variable)):
        return not tf.executing_eagerly()
    jax = sys.modules.get("jax")
    return jax is not None and isinstance(value, jax.core.Tracer)


def _read_step(global_step: Any) -> Any:
    """The current value of a step counter as a Python number, or, inside
    ``tf.function`` or ``jax.jit``, the traced tensor itself (the schedule then
    evaluates it in its own framework)."""
    value = global_step
    if callable(value) and not hasattr(value, "numpy") and not hasattr(value, "item"):
        value = value()
    if _symbolic(value):
        return value
    # item() first: it works on torch tensors that require grad (numpy() refuses them),
    # numpy scalars and 0-d arrays; tf.Variable and EagerTensor only have numpy().
    if not hasattr(value, "item") and hasattr(value, "numpy"):
        value = value.numpy()
    if hasattr(value, "item"):
        try:
            value = value.item()
        except (ValueError, RuntimeError):  # numpy / torch: more than one element
            raise ValueError(
                f"Argument `global_step` must hold a single step. Received: global_step={global_step!r}"
            ) from None
    return value


class DecayedLearningRate:
    """A zero-argument callable: the schedule evaluated at the step counter's current value.

    >>> from lrdecay.compat import v1
    >>> lr = v1.piecewise_constant(5, [10], [1.0, 0.5])
    >>> lr(), lr.schedule
    (1.0, PiecewiseConstantDecay(boundaries=(10,), values=(1.0, 0.5)))
    """

    __slots__ = ("global_step", "schedule")

    def __init__(self, schedule: Schedule, global_step: Any) -> None:
        self.schedule = schedule
        self.global_step = global_step

    def __call__(self) -> Any:
        """The rate at the current `global_step`: a float, or a tensor for a tensor step."""
        step = _read_step(self.global_step)
        if isinstance(step, float) and step.is_integer() and math.isfinite(step):
            step = int(step)
        return self.schedule(step)

    def __float__(self) -> float:
        return float(self())

    def __repr__(self) -> str:
        return f"DecayedLearningRate({self.schedule!r}, global_step={self.global_step!r})"


def _bind(
    function: str, schedule_args: Any, global_step: Any, step_arg: str = "global_step"
) -> DecayedLearningRate:
    if global_step is None:
        raise ValueError(f"{step_arg} is required for {function}.")
    cls, args = schedule_args
    return DecayedLearningRate(cls(*args), global_step)


def exponential_decay(
    learning_rate: float,
    global_step: Any,
    decay_steps: float,
    decay_rate: float,
    staircase: bool = False,
    name: str | None = None,
) -> DecayedLearningRate:
    """`ExponentialDecay` bound to `global_step`.

    >>> round(exponential_decay(0.05, 5, 10, 0.96)(), 10)
    0.0489897949
    """
    return _bind(
        "exponential_decay",
        (ExponentialDecay, (learning_rate, decay_steps, decay_rate, staircase, name)),
        global_step,
    )


def piecewise_constant(
    x: Any, boundaries: Sequence[float], values: Sequence[float], name: str | None = None
) -> DecayedLearningRate:
    """`PiecewiseConstantDecay` bound to the step `x` (a step on a boundary keeps the earlier value).

    >>> piecewise_constant(100, [100, 110], [1.0, 0.1, 0.01])()
    1.0
    """
    return _bind("piecewise_constant", (PiecewiseConstantDecay, (boundaries, values, name)), x, step_arg="x")


piecewise_constant_decay = piecewise_constant
"""`piecewise_constant` under the other name `tf.compat.v1.train` gives it."""


def polynomial_decay(
    learning_rate: float,
    global_step: Any,
    decay_steps: float,
    end_learning_rate: float = 0.0001,
    power: float = 1.0,
    cycle: bool = False,
    name: str | None = None,
) -> DecayedLearningRate:
    """`PolynomialDecay` bound to `global_step`.

    >>> round(polynomial_decay(0.05, 15, 10, 0.001, cycle=True)(), 10)
    0.01325
    """
    return _bind(
        "polynomial_decay",
        (PolynomialDecay, (learning_rate, decay_steps, end_learning_rate, power, cycle, name)),
        global_step,
    )


def natural_exp_decay(
    learning_rate: float,
    global_step: Any,
    decay_steps: float,
    decay_rate: float,
    staircase: bool = False,
    name: str | None = None,
) -> DecayedLearningRate:
    """`NaturalExpDecay` bound to `global_step`.

    >>> round(natural_exp_decay(0.1, 5, 10, 0.96)(), 10)
    0.0618783392
    """
    return _bind(
        "natural_exp_decay",
        (NaturalExpDecay, (learning_rate, decay_steps, decay_rate, staircase, name)),
        global_step,
    )


def inverse_time_decay(
    learning_rate: float,
    global_step: Any,
    decay_steps: float,
    decay_rate: float,
    staircase: bool = False,
    name: str | None = None,
) -> DecayedLearningRate:
    """`InverseTimeDecay` bound to `global_step`.

    >>> round(inverse_time_decay(0.1, 5, 10, 0.96)(), 10)
    0.0675675676
    """
    return _bind(
        "inverse_time_decay",
        (InverseTimeDecay, (learning_rate, decay_steps, decay_rate, staircase, name)),
        global_step,
    )


def cosine_decay(
    learning_rate: float, global_step: Any, decay_steps: float, alpha: float = 0.0, name: str | None = None
) -> DecayedLearningRate:
    """`CosineDecay` (no warmup) bound to `global_step`.

    >>> round(cosine_decay(1.0, 250, 1000)(), 10)
    0.8535533906
    """
    return _bind("cosine_decay", (CosineDecay, (learning_rate, decay_steps, alpha, name)), global_step)


def cosine_decay_restarts(
    learning_rate: float,
    global_step: Any,
    first_decay_steps: float,
    t_mul: float = 2.0,
    m_mul: float = 1.0,
    alpha: float = 0.0,
    name: str | None = None,
) -> DecayedLearningRate:
    """`CosineDecayRestarts` bound to `global_step`.

    >>> round(cosine_decay_restarts(1.0, 3000, 1000, m_mul=0.9)(), 10)
    0.81
    """
    return _bind(
        "cosine_decay_restarts",
        (CosineDecayRestarts, (learning_rate, first_decay_steps, t_mul, m_mul, alpha, name)),
        global_step,
    )


def linear_cosine_decay(
    learning_rate: float,
    global_step: Any,
    decay_steps: float,
    num_periods: float = 0.5,
    alpha: float = 0.0,
    beta: float = 0.001,
    name: str | None = None,
) -> DecayedLearningRate:
    """`LinearCosineDecay` bound to `global_step`.

    >>> round(linear_cosine_decay(1.0, 500, 1000)(), 10)
    0.251
    """
    return _bind(
        "linear_cosine_decay",
        (LinearCosineDecay, (learning_rate, decay_steps, num_periods, alpha, beta, name)),
        global_step,
    )


def noisy_linear_cosine_decay(
    learning_rate: float,
    global_step: Any,
    decay_steps: float,
    initial_variance: float = 1.0,
    variance_decay: float = 0.55,
    num_periods: float = 0.5,
    alpha: float = 0.0,
    beta: float = 0.001,
    name: str | None = None,
) -> DecayedLearningRate:
    """`NoisyLinearCosineDecay` (seed 0) bound to `global_step`; TF's has no seed argument.

    >>> lr = noisy_linear_cosine_decay(1.0, 10, 1000)
    >>> lr() == lr()  # deterministic in the step, unlike TensorFlow's
    True
    """
    return _bind(
        "noisy_linear_cosine_decay",
        (
            NoisyLinearCosineDecay,
            (
                learning_rate,
                decay_steps,
                initial_variance,
                variance_decay,
                num_periods,
                alpha,
                beta,
                0,
                name,
            ),
        ),
        global_step,
    )


def cosine_learning_rate_with_linear_warmup(
    global_step: Any,
    init_learning_rate: float,
    warmup_learning_rate: float,
    warmup_steps: float,
    total_steps: float,
) -> DecayedLearningRate:
    """tensorflow/tpu's warmup + cosine (`CosineDecayWithLinearWarmup`) bound to `global_step`.

    >>> round(cosine_learning_rate_with_linear_warmup(250, 0.08, 0.0067, 500, 22500)(), 10)
    0.04335
    """
    return _bind(
        "cosine_learning_rate_with_linear_warmup",
        (
            CosineDecayWithLinearWarmup,
            (init_learning_rate, warmup_learning_rate, warmup_steps, total_steps),
        ),
        global_step,
    )

"""Example instances of every public schedule class, shared by the test files.

``EXAMPLES`` maps each class name to instances that together take every branch of its
formula (staircase, cycle, warmup on/off, ``t_mul`` below/at/above 1, empty boundaries,
...) and give every optional argument a non-default value at least once, with ints and
floats mixed, so that value, framework, serialization and spec tests all see them.
Adding a schedule class means adding its examples here: tests/test_examples.py fails
until that is done.

Use ``@pytest.mark.parametrize("schedule", examples.params())``; test files that need
particular instances add them with ``params(extra, ...)``.
"""

from __future__ import annotations

import dataclasses
import inspect

import pytest

import lrdecay

__all__ = ["EXAMPLES", "case_id", "params", "public_names", "schedules"]

#: class name -> instances; every public schedule class needs at least one.
EXAMPLES: dict[str, list[lrdecay.Schedule]] = {
    "ExponentialDecay": [
        lrdecay.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.96),
        lrdecay.ExponentialDecay(0.05, 10, 0.96, staircase=True, name="my_ed"),
        lrdecay.ExponentialDecay(0.1, decay_steps=7.5, decay_rate=0.5, staircase=True),
        # Growing (rate > 1); 1e-05 and the name are written in repr as they are here,
        # which the spec parser must read back (an exponent; quotes, a backslash, CJK).
        lrdecay.ExponentialDecay(1e-05, 1000, 1.5, name='quote " and \\ and 学习率'),
    ],
    "NaturalExpDecay": [
        lrdecay.NaturalExpDecay(0.1, decay_steps=50, decay_rate=0.5),
        lrdecay.NaturalExpDecay(0.1, 7, 0.5, True, "ne"),
    ],
    "InverseTimeDecay": [
        lrdecay.InverseTimeDecay(0.1, decay_steps=10, decay_rate=0.5),
        lrdecay.InverseTimeDecay(0.05, 10, 0.96, True, "my_itd"),
    ],
    "PiecewiseConstantDecay": [
        lrdecay.PiecewiseConstantDecay([10, 100, 250.5], [1.0, 0.5, 0.1, 0.01]),
        lrdecay.PiecewiseConstantDecay([10], [1, 0.5], name="my_pcd"),  # a one-element tuple: (10,)
        lrdecay.PiecewiseConstantDecay([], [0.3]),  # no boundary: a constant
        lrdecay.PiecewiseConstantDecay([-5.5, 0, 1e3], [1, 2, 3, 4]),  # boundaries at and before 0
    ],
    "PolynomialDecay": [
        lrdecay.PolynomialDecay(0.1, decay_steps=300, end_learning_rate=0.001),
        lrdecay.PolynomialDecay(0.1, 70, 0.01, power=0.5, cycle=True, name="my_ld"),
        lrdecay.PolynomialDecay(0.01, decay_steps=90, end_learning_rate=0.1, power=2.0),  # rising
    ],
    "CosineDecay": [
        lrdecay.CosineDecay(0.1, decay_steps=400),
        lrdecay.CosineDecay(0.1, decay_steps=400, alpha=0.1),
        lrdecay.CosineDecay(0.0, 300, alpha=0.05, name="warm", warmup_target=0.2, warmup_steps=50),
        # A target without warmup steps: the cosine starts at the target.
        lrdecay.CosineDecay(0.05, 10, 0.1, warmup_target=0.2, warmup_steps=0),
    ],
    "CosineDecayRestarts": [
        lrdecay.CosineDecayRestarts(0.1, first_decay_steps=30),
        lrdecay.CosineDecayRestarts(0.05, 10, t_mul=1.5, m_mul=0.9, alpha=0.1, name="my_cdr"),
        lrdecay.CosineDecayRestarts(0.1, first_decay_steps=25, t_mul=1.0, m_mul=0.8, alpha=0.1),
        # Shrinking periods: they add up to 200 steps, then the rate holds alpha * initial.
        lrdecay.CosineDecayRestarts(0.1, first_decay_steps=100, t_mul=0.5, alpha=0.2),
    ],
    "LinearCosineDecay": [
        lrdecay.LinearCosineDecay(0.1, decay_steps=400),
        lrdecay.LinearCosineDecay(0.1, decay_steps=250, num_periods=2.0, alpha=0.1, beta=0.0),
        lrdecay.LinearCosineDecay(0.3, 50, 5, 0.0, 0.2, "lc"),
    ],
    "NoisyLinearCosineDecay": [
        lrdecay.NoisyLinearCosineDecay(0.1, decay_steps=400, seed=3),
        lrdecay.NoisyLinearCosineDecay(1.0, 1000, 0.5, 0.1, 5, 0.1, 1e-4, seed=42, name="nlc"),
        # seed=None, as Keras 2 writes it: seed 0.
        lrdecay.NoisyLinearCosineDecay(0.1, 50, initial_variance=0.01, seed=None),
    ],
    "CosineDecayWithLinearWarmup": [
        lrdecay.CosineDecayWithLinearWarmup(0.08, 0.0067, warmup_steps=50, total_steps=450),
        lrdecay.CosineDecayWithLinearWarmup(0.08, 0.0067, 500, 22500, name="tpu"),
        # No warmup: it starts at the peak.
        lrdecay.CosineDecayWithLinearWarmup(0.1, 0.001, warmup_steps=0, total_steps=300),
    ],
    # -- composition (schedules/compose.py) --
    "Constant": [lrdecay.Constant(0.1), lrdecay.Constant(-2)],
    "Linear": [
        lrdecay.Linear(0.0, 0.1, steps=50),  # a warmup ramp: measured from its start
        lrdecay.Linear(0.1, 0.001, 300),  # a decay: measured from its end
        lrdecay.Linear(0.3, 0.1, 7.5),  # 0.1 + 0.2 misses 0.3: the start is pinned
    ],
    "Warmup": [
        lrdecay.Warmup(lrdecay.CosineDecay(0.1, decay_steps=300), warmup_steps=50),
        lrdecay.Warmup(
            lrdecay.ExponentialDecay(0.2, 40, 0.5, staircase=True), 25, start=0.01, shape="cosine"
        ),
        lrdecay.Warmup(0.05, 0),  # no warmup: the schedule itself
    ],
    "Join": [
        lrdecay.Join([lrdecay.Linear(0.0, 0.1, 30), lrdecay.CosineDecay(0.1, 200), 0.001], [30, 230]),
        lrdecay.Join(
            [lrdecay.Linear(0.0, 0.1, 40), lrdecay.PolynomialDecay(0.1, 300, 0.0)], [40], clock="global"
        ),
        # An empty middle piece (equal boundaries) and a boundary at 0: the later piece wins.
        lrdecay.Join([0.3, 0.2, lrdecay.InverseTimeDecay(0.1, 10, 0.5)], [0, 0]),
    ],
    "Sum": [lrdecay.CosineDecay(0.09, 200) + 0.01, lrdecay.Sum(lrdecay.Linear(0.0, 0.05, 100), 0.01, 0.02)],
    "Product": [
        0.5 * lrdecay.CosineDecay(0.2, 150),
        lrdecay.Linear(0.0, 1.0, 20) * lrdecay.ExponentialDecay(0.1, 50, 0.5),
    ],
    "Minimum": [lrdecay.Minimum(lrdecay.Linear(0.0, 1.0, 100), lrdecay.InverseTimeDecay(0.5, 10, 1.0))],
    "Maximum": [lrdecay.Maximum(lrdecay.CosineDecay(0.1, 200), 0.02, lrdecay.Linear(0.05, 0.0, 100))],
    "Clip": [
        lrdecay.Clip(lrdecay.ExponentialDecay(0.2, 20, 0.5), minimum=0.01),
        lrdecay.Clip(lrdecay.Linear(0.0, 1.0, 100), maximum=0.3),
        lrdecay.Clip(lrdecay.CosineDecay(0.2, 100), 0.02, 0.15),
    ],
    "Shift": [lrdecay.Shift(lrdecay.CosineDecay(0.1, 100), steps=40)],
    "Repeat": [
        lrdecay.Repeat(lrdecay.Linear(0.1, 0.0, 60), period=60),
        lrdecay.Repeat(lrdecay.CosineDecay(0.1, 50), 37.5),
        # SGDR's cycles as a combinator: 40, 80, 160 steps, each half as high.
        lrdecay.Repeat(lrdecay.CosineDecay(0.1, 40), 40, period_mul=2, decay=0.5),
        lrdecay.Repeat(lrdecay.Linear(0.1, 0.0, 25), 25, 1.5, 0.8),
    ],
    "Power": [
        lrdecay.Power(lrdecay.CosineDecay(0.3, 200), exponent=2),
        lrdecay.Power(lrdecay.Linear(1.0, 0.0, 150), 0.5),
    ],
    "TimeScale": [
        lrdecay.TimeScale(lrdecay.ExponentialDecay(0.1, 1, 0.8), steps_per_unit=30),
        lrdecay.TimeScale(lrdecay.PiecewiseConstantDecay([2, 5], [0.1, 0.05, 0.01]), 20, discrete=True),
        # Fractions of a 300-step run: 10% warmup, then a cosine over the rest.
        lrdecay.TimeScale(lrdecay.Warmup(lrdecay.CosineDecay(0.1, 0.9), 0.1), 300),
        # k-decay's cosine (k = 2) over 250 steps.
        lrdecay.TimeScale(lrdecay.CosineDecay(0.1, 1.0), 250, power=2),
    ],
    # -- the schedules modern training uses --
    "WarmupStableDecay": [
        lrdecay.WarmupStableDecay(0.1, warmup_steps=50, stable_steps=200, decay_steps=100),
        lrdecay.WarmupStableDecay(0.1, 30, 150, 70, decay_shape="cosine", final_learning_rate=0.01),
        lrdecay.WarmupStableDecay(
            0.2, 25, 100, 75.5, decay_shape="1-sqrt", final_learning_rate=0.002, initial_learning_rate=0.02
        ),
        lrdecay.WarmupStableDecay(0.1, 0, 90, 140, "exponential", 0.001),  # no warmup
    ],
    "InverseSqrtDecay": [
        lrdecay.InverseSqrtDecay(0.1, warmup_steps=50),
        lrdecay.InverseSqrtDecay(0.1, 40, initial_learning_rate=0.01, timescale=200),
        lrdecay.InverseSqrtDecay(0.05, 0, timescale=75.5),  # no warmup
    ],
    "OneCycle": [
        lrdecay.OneCycle(0.1, total_steps=300),
        lrdecay.OneCycle(0.2, 250, pct_start=0.25, anneal="linear", div_factor=10.0, final_div_factor=100),
        lrdecay.OneCycle(0.1, 350, 0.33, three_phase=True),  # fractional phase ends
        lrdecay.OneCycle(0.1, 201, 0.2, "linear", 5, 1e3, True),
    ],
    "Cyclic": [
        lrdecay.Cyclic(0.01, 0.1, step_size_up=50),
        lrdecay.Cyclic(0.01, 0.1, 20, step_size_down=70, mode="triangular2"),
        lrdecay.Cyclic(0.001, 0.1, 37.5, 25, mode="exp_range", gamma=0.999),
    ],
    "TriStage": [
        lrdecay.TriStage(0.1, warmup_steps=50, hold_steps=100, decay_steps=200),
        lrdecay.TriStage(0.1, 30, 70, 175, init_lr_scale=0.1, final_lr_scale=0.05),
        lrdecay.TriStage(0.2, 0, 0, 90.5, 0.0, 0.5),  # decay from step 0
    ],
    "TanhDecay": [
        lrdecay.TanhDecay(0.1, decay_steps=300),
        lrdecay.TanhDecay(0.1, 200, lower=-6, upper=5.5),
    ],
    "MultiStepDecay": [
        lrdecay.MultiStepDecay(0.1, milestones=[50, 150, 250]),
        lrdecay.MultiStepDecay(0.1, [0, 100, 100, 201.5], gamma=0.5),  # at 0, repeated: compounds
        lrdecay.MultiStepDecay(0.3, []),
    ],
}


def public_names() -> list[str]:
    """The schedule classes lrdecay exports (and registers), sorted.

    Classes a test or a doctest registers are not among them, whatever their module.
    """
    return sorted(
        name
        for name in lrdecay.__all__
        if isinstance(obj := getattr(lrdecay, name), type)
        and issubclass(obj, lrdecay.Schedule)
        and obj is not lrdecay.Schedule
    )


def schedules() -> list[lrdecay.Schedule]:
    """Every example, class by class."""
    return [s for name in EXAMPLES for s in EXAMPLES[name]]


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ",".join(_text(v) for v in value) + "]"
    return repr(value)


def case_id(schedule: lrdecay.Schedule) -> str:
    """A readable test id: the class and the formula's arguments, defaults left out.

    ``ExponentialDecay(0.1,7.5,0.5,staircase=True)``; the name is left out (it is not
    part of the formula), so two examples differing only by name get the same id.
    """
    parts = []
    for p in inspect.signature(type(schedule)).parameters.values():
        value = getattr(schedule, p.name)
        if p.default is p.empty:
            parts.append(_text(value))
        elif p.name != "name" and value != p.default:
            parts.append(f"{p.name}={_text(value)}")
    return f"{type(schedule).__name__}({','.join(parts)})"


def params(*extra: lrdecay.Schedule) -> list:
    """``pytest.param``s of every example, then of `extra`, each with its `case_id`."""
    return [pytest.param(s, id=case_id(s)) for s in [*schedules(), *extra]]


# -- shared by the optimizer tests (test_jax.py, test_keras.py) --------------------------

#: Schedules trained with in the optimizer tests: a warmup phase, a step boundary, noise.
TRAINING = {
    "warmup-cosine": lrdecay.CosineDecay(0.0, decay_steps=150, alpha=0.1, warmup_target=0.5, warmup_steps=50),
    "piecewise": lrdecay.PiecewiseConstantDecay([30, 120], [0.3, 0.1, 0.01]),
    "noisy": lrdecay.NoisyLinearCosineDecay(0.2, 200, initial_variance=0.1, seed=3),
}

#: Schedules of the training-loop tests (test_lightning.py, test_hf_trainer.py,
#: test_keras_callback.py): both rise from 0 to 0.1 over 4 steps and decay over the next
#: 8, so 16 updates (8 with accumulation) cross warmup, decay and what follows; the
#: composed one resumes from a nested config.
LOOPS = {
    "cosine-warmup": lrdecay.CosineDecay(0.0, decay_steps=8, warmup_target=0.1, warmup_steps=4),
    "warmup-join": lrdecay.Warmup(lrdecay.Join([lrdecay.CosineDecay(0.1, 8, alpha=0.1), 0.01], [8]), 4),
}


def assert_close_to_float64(values, schedule: lrdecay.Schedule, steps) -> None:
    """Rates an optimizer used (computed in float32) against the float64 schedule:
    float32 tolerance relative to the peak."""
    import numpy as np

    ref = np.array([schedule(int(k)) for k in steps])
    np.testing.assert_allclose(np.asarray(values, dtype=np.float64), ref, rtol=1e-5, atol=1e-6 * ref.max())


# -- a schedule holding a schedule (the shape of later combinators) ----------------------


@dataclasses.dataclass(frozen=True, repr=False)
class Scaled(lrdecay.Schedule):
    """A nested schedule for the serialization and spec tests; registered by them only."""

    schedule: lrdecay.Schedule
    factor: float = 1.0

    def _f(self, s, xp):
        return self.factor * self.schedule._f(s, xp)

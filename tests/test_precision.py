"""Precision: every schedule within 1e-12 relative of the exact oracle, steps up to 2**53.

The oracle is tests/reference.py: every quotient of the step exact (`fractions`), the
cosine in half-angle form after an exact reduction, so near the end of a phase (where a
float64 formula written ``1 - s / T`` or ``1 + cos(pi * t)`` cancels) it keeps full
relative precision. Here, unlike tests/test_edges.py, there is NO absolute allowance:
wherever the true value is above 1e-300 the float64 result must be within 1e-12 of it,
relative. (A value at or below 1e-300 must be at most 1e-290 in size.)

The hyperparameters come from tests/strategies.py (every registered class), the steps
from their phase boundaries and neighbours up to 2**53 plus arbitrary ones.

Where the float64 problem itself is ill-conditioned, not the formula, the test says so
and what it allows instead:

* ``LinearCosineDecay`` with ``num_periods`` other than 0.5: its cosine's argument
  ``2 * num_periods * step / decay_steps`` is rounded before the cosine is taken, so
  next to a zero of ``1 + cos`` the relative error is that rounding divided by the
  distance to the zero; ``beta`` > 0 keeps the value away from zero and the test is
  exact then.
* ``CosineDecayRestarts`` with ``t_mul != 1``: the step is located inside its period from
  ``step / first_decay_steps`` (rounded), see tests/test_edges.py; allowed ``1e-15``
  times the step's position over the period's length, absolute, times the peak.
* ``PolynomialDecay(cycle=True)`` with a non-integer ``decay_steps``: exact while the
  cycle's end is a float64 (steps up to 2**50 for multiples of 1/8), not checked beyond.
* ``NoisyLinearCosineDecay``: the noise is itself a float64 computation (Box-Muller);
  when ``alpha + linear + noise`` cancels, its rounding is magnified the same way.
"""

from __future__ import annotations

import contextlib
import math
from fractions import Fraction

import numpy as np
import pytest
import reference as R
import strategies as S
from hypothesis import given
from hypothesis import strategies as st

import lrdecay

REL = 1e-12
TINY = 1e-300


def _oracle(s, step) -> float:
    return R.expected(type(s).__name__, s.get_config(), step)


def _allowance(s, step, want) -> float:
    """The absolute error the conditioning of the float64 problem allows (see above)."""
    if isinstance(s, lrdecay.CosineDecayRestarts) and s.t_mul != 1:
        position = R.restart_position(s.first_decay_steps, s.t_mul, step)
        if position is not None:
            f = Fraction(step) / Fraction(s.first_decay_steps)
            return 1e-15 * float(f / position[2]) * s.initial_learning_rate
    if isinstance(s, lrdecay.LinearCosineDecay) and s.num_periods != 0.5:
        return 1e-15 * max(1.0, 2.0 * s.num_periods) * s.initial_learning_rate
    if isinstance(s, lrdecay.NoisyLinearCosineDecay):
        return 1e-15 * max(1.0, 2.0 * s.num_periods) * s.initial_learning_rate * (1 + s.initial_variance)
    return 0.0


def _cycle_past_float64(s, step) -> bool:
    """PolynomialDecay(cycle=True) with a non-integer decay_steps: the cycle's end
    ``decay_steps * ceil(step / decay_steps)`` must be a float64 (up to 2**50 for
    multiples of 1/8); with an integer decay_steps it is exact up to 2**53."""
    if not (isinstance(s, lrdecay.PolynomialDecay) and s.cycle):
        return False
    t = Fraction(s.decay_steps)
    end = t * math.ceil(Fraction(step) / t)
    return t.denominator != 1 and Fraction(float(end)) != end


def _ok(got, want, allowance) -> bool:
    if abs(want) <= TINY:
        return abs(got) <= 1e-290 + allowance
    return abs(got - want) <= REL * abs(want) + allowance


def _check(s, steps):
    bad = []
    arr = None
    with contextlib.suppress(ValueError):  # growth past float64: checked step by step below
        arr = s(np.asarray(steps, dtype=np.float64)).tolist()
    for i, step in enumerate(steps):
        try:
            want = _oracle(s, step)
        except OverflowError:
            continue  # the oracle overflows too (a growing exponential)
        if abs(want) > 1e300:  # a growing exponential: an error, never inf
            with pytest.raises(ValueError, match="overflows float64"):
                s(step)
            continue
        got = s(step)
        if _cycle_past_float64(s, step):
            continue
        allowance = _allowance(s, step, want)
        if not _ok(got, want, allowance):
            bad.append(("scalar", step, got, want))
        if arr is not None and not _ok(arr[i], want, allowance):
            bad.append(("array", step, arr[i], want))
    assert not bad, f"{s!r}: (path, step, lrdecay, exact) {bad[:6]} ({len(bad)} bad)"


@st.composite
def _case(draw):
    s = draw(S.schedules(oracle_only=True))
    extra = draw(st.lists(S.steps_for(s), max_size=8))
    return s, S.phase_steps(s) + extra


@given(_case())
def test_every_schedule_within_1e12_relative_of_the_exact_oracle(case):
    s, steps = case
    _check(s, steps)


# -- the cases that used to cancel: phase ends at large step counts ------------------------

NEAR_END = [
    lrdecay.CosineDecay(1.0, 2**40),
    lrdecay.CosineDecay(1.0, 1000),
    lrdecay.CosineDecay(1.0, 10**15 + 1),
    lrdecay.CosineDecay(0.0, 10**12, warmup_target=1.0, warmup_steps=2**50),
    lrdecay.CosineDecayWithLinearWarmup(1.0, 0.0, 10, 2**53),
    lrdecay.CosineDecayWithLinearWarmup(0.1, 0.0, 500, 22500),
    lrdecay.CosineDecayRestarts(1.0, 2**40, t_mul=1.0),
    lrdecay.CosineDecayRestarts(1.0, 1000, t_mul=1.0, m_mul=0.9),
    lrdecay.CosineDecayRestarts(1.0, 1000, t_mul=2.0),
    lrdecay.CosineDecayRestarts(1.0, 2**30, t_mul=2.0),
    lrdecay.LinearCosineDecay(1.0, 2**40, beta=0.0),
    lrdecay.LinearCosineDecay(1.0, 10**6 + 3, alpha=0.0, beta=0.0),
    lrdecay.PolynomialDecay(1.0, 2**52, 0.0, power=0.5),
    lrdecay.PolynomialDecay(1.0, 10**15 + 7, 0.0, power=3.0, cycle=True),
]


@pytest.mark.parametrize("s", NEAR_END, ids=repr)
def test_the_last_steps_of_a_phase_keep_full_relative_precision(s):
    """One step before the end of a cosine at 2**40 steps the true rate is ~2e-24;
    ``1 + cos(pi * t)`` in float64 gives 0 there (or 1e-16)."""
    steps = S.phase_steps(s)
    steps += [k for p in steps for k in (p - 3, p - 10, p - 1000, p + 1000) if 0 <= k <= S.MAX_STEP]
    _check(s, sorted(set(steps)))


# -- float32 past 2**24 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "s",
    [
        lrdecay.PolynomialDecay(1.0, 2**26, 0.0),
        lrdecay.CosineDecay(1.0, 2**25 + 3),
        lrdecay.ExponentialDecay(1.0, 1000, 0.99999),
        lrdecay.PiecewiseConstantDecay([2**24 + 1], [1.0, 0.5]),
    ],
    ids=repr,
)
def test_float32_evaluation_past_2_24_computes_the_step_in_float64(s):
    """float32 cannot hold 2**24 + 1: `evaluate(..., dtype="float32")` computes such
    chunks in float64 and rounds the rates, so they are float64's rates rounded once."""
    steps = np.array(
        [2**24 - 1, 2**24, 2**24 + 1, 2**24 + 2, 2**24 + 3, 2**25 + 1, 2**26 - 1], dtype=np.int64
    )
    got = lrdecay.evaluate(s, steps, dtype=np.float32)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, lrdecay.evaluate(s, steps).astype(np.float32))
    # The steps are told apart where the rate changes between them (float32 steps
    # would make 2**24 + 1 equal to 2**24).
    if isinstance(s, lrdecay.PiecewiseConstantDecay):
        assert got[2] == 1.0 and got[3] == 0.5
    # Below 2**24 float32 arithmetic is kept (the fast path): within float32 rounding.
    small = np.arange(0, 2**24, 2**20)
    np.testing.assert_allclose(
        lrdecay.evaluate(s, small, dtype=np.float32), lrdecay.evaluate(s, small), rtol=2e-6, atol=1e-7
    )

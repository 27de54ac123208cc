"""Every schedule against the independent oracle (tests/reference.py) at its exact edge steps.

Edge steps: 0, 1, each boundary and boundary±1, decay_steps±1, multiples of decay_steps
(staircase, cycle), every restart point of CosineDecayRestarts (t_mul = 1, 2, 3, 10,
1.5, 0.5; first_decay_steps = 1, 7, 1000), the warmup end, the end of the decay, far
past the end, and steps up to 2**40 (2**53 for integer steps). Each is checked as a
Python int, a Python float and inside a numpy array.

Tolerances. The oracle computes every quotient of the step exactly (fractions) and the
cosine in half-angle form, so it is correct to ~1 ulp; lrdecay computes in float64.
We allow:

* ``rel = 1e-12``: float64 formulas lose a few ulps (exp of a product up to 745 in
  size loses ~745 ulps in the worst case, 8e-14 relative);
* ``abs = 1e-15 * scale`` (scale = the largest rate on the case's steps, i.e. ~4.5 ulp
  of it): where the rate approaches zero by cancellation, ``1 + cos(pi t)`` near
  ``t = 1`` and ``1 - t`` near the end, the rounding of the intermediate (~ulp(1)) is
  absolute, not relative to the tiny result; this is the conditioning of the formula,
  not an implementation error. It is scaled by ``2 * num_periods`` for linear cosine
  (the cosine's argument is that many times larger), and for CosineDecayRestarts by
  ``f / length`` when t_mul != 1 (the step in units of first_decay_steps over the
  current period's length): lrdecay locates the step inside a period by subtracting the
  period's start from ``f``, so the rounding of ``f`` is magnified by how short the
  period is relative to ``f``. That factor is <= t_mul / (t_mul - 1) for t_mul > 1 but
  grows like ``t_mul ** -i`` for t_mul < 1, whose periods shrink towards the schedule's
  finite end. (With t_mul == 1 the position comes from the exact remainder of the step:
  no allowance, up to 2**53.)

Arguments are chosen exactly representable (ints, or dyadic like 2.5): with
``decay_steps=0.1`` the position of a staircase step is decided by rounding (in floats
``1.0 / 0.1 == 10.0``, while the exact quotient of the binary values is just below 10), an
ill-conditioned question that neither answer settles.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import reference as R

import lrdecay
from lrdecay import (
    Clip,
    Constant,
    CosineDecay,
    CosineDecayRestarts,
    CosineDecayWithLinearWarmup,
    ExponentialDecay,
    InverseTimeDecay,
    Join,
    Linear,
    LinearCosineDecay,
    Maximum,
    Minimum,
    NaturalExpDecay,
    NoisyLinearCosineDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
    Power,
    Repeat,
    Shift,
    Sum,
    TanhDecay,
    TimeScale,
    Warmup,
)

#: Far steps every case is checked at (Python ints; each one is an exact float64).
FAR = [10**6, 10**9, 2**31, 2**32, 2**40 - 1, 2**40, 2**40 + 1, 2**53 - 1, 2**53]
#: Non-integer steps every case is checked at.
FRACTIONAL = [0.5, 1.5, 2.0**40 + 0.5]

REL = 1e-12
ABS = 1e-15


def around(*points) -> list:
    """Each point and its neighbours ±1 (>= 0); non-integer points also floor/ceil."""
    out = []
    for p in points:
        if Fraction(p).denominator == 1:
            p = int(p)
            out += [p - 1, p, p + 1]
        else:
            out += [math.floor(p), math.ceil(p)]
            if Fraction(float(p)) == Fraction(p):  # the point itself, if a float64
                out.append(float(p))
    return [s for s in out if s >= 0]


def multiples(decay_steps, ks=(1, 2, 3, 10, 1000)) -> list:
    return around(*(k * decay_steps for k in ks))


def hairs(*points) -> list:
    """The floats just below and just above each point (one ulp away).

    Used where lrdecay's arithmetic is exact (power-of-two divisors, comparisons), so a
    jump must happen exactly at the point: a floor/ceil that is off by a hair fails here.
    """
    out = []
    for p in points:
        out += [math.nextafter(float(p), -math.inf), math.nextafter(float(p), math.inf)]
    return [s for s in out if s >= 0]


def restart_points(first, t_mul, limit=2**53, count=80) -> list[Fraction]:
    """The exact steps where SGDR periods start (first * (1 - t**i) / (1 - t)), i >= 1."""
    t = Fraction(t_mul)
    points, start, length = [], Fraction(0), Fraction(1)
    for _ in range(count):
        start += length
        length *= t
        point = start * first
        if point > limit:
            break
        points.append(point)
    return points


def restart_steps(first, t_mul) -> list:
    """Steps at and around the restart points: ints ±1, and exact floats where possible."""
    steps = []
    for p in restart_points(first, t_mul):
        if p.denominator == 1:
            steps += around(int(p))
        elif Fraction(float(p)) == p:  # exactly representable: the restart itself
            steps += [math.floor(p), float(p), math.ceil(p)]
        else:
            # Not a float64 (t_mul=0.9 is not 9/10, so the restart "at 1900" really lies
            # 2e-14 steps later): an integer step within rounding distance of a jump is
            # an ill-conditioned question; keep the neighbours that are clearly apart.
            steps += [k for k in (math.floor(p), math.ceil(p)) if abs(k - p) > 1e-9 * p]
    if t_mul < 1:  # the finite end first / (1 - t_mul), and around it
        steps += around(Fraction(first) / (1 - Fraction(t_mul)))
    return steps


def _restart_case(first, t_mul, m_mul, alpha):
    schedule = CosineDecayRestarts(1.0, first, t_mul=t_mul, m_mul=m_mul, alpha=alpha)
    steps = [0, 1, 2, *restart_steps(first, t_mul), *multiples(first, (0.5, 1.5))]
    return pytest.param(schedule, steps, id=f"restarts-first{first}-t{t_mul}-m{m_mul}-a{alpha}")


def _one_cycle_ends(s) -> list:
    """OneCycle's float phase ends (torch's arithmetic), the end of the cycle and after."""
    n, pct = s.total_steps, s.pct_start
    ends = [float(pct * n) - 1, n - 1]
    if s.three_phase:
        ends.insert(1, float(2 * pct * n) - 2)
    return around(*ends, n)


_W = lrdecay.WarmupStableDecay
_ONE_CYCLES = [
    lrdecay.OneCycle(1.0, 100),
    lrdecay.OneCycle(1.0, 37),  # e1 = 10.1 (a float phase end)
    lrdecay.OneCycle(1.0, 100, 0.3, "linear", 10.0, 100.0, True),
    lrdecay.OneCycle(2.0, 1000, 0.25, "cosine", 4.0, 1e4, True),
    lrdecay.OneCycle(1.0, 10**9, 0.1, "linear"),
]
MODERN_CASES = [
    pytest.param(_W(1.0, 10, 80, 10), around(10, 90, 100), id="wsd-linear"),
    pytest.param(_W(1.0, 10, 80, 10, "cosine", 0.1, 0.01), around(10, 90, 95, 100), id="wsd-cosine"),
    pytest.param(_W(1.0, 0, 100, 1000, "1-sqrt"), around(100, 600, 1100), id="wsd-1-sqrt"),
    pytest.param(_W(2.0, 7, 0, 13, "exponential", 0.002, 0.5), around(7, 20), id="wsd-exp-no-stable"),
    pytest.param(
        _W(1.0, 2**20, 2**40, 10**12 + 7, "cosine"),
        around(2**20, 2**40 + 2**20, 2**40 + 2**20 + 10**12 + 7),
        id="wsd-huge-cosine",
    ),
    pytest.param(
        _W(1.0, 5, 2**40, 10**12 + 7, "1-sqrt", 0.0, 0.5),
        around(5, 2**40 + 5, 2**40 + 5 + 10**12 + 7),
        id="wsd-huge-1-sqrt",
    ),
    pytest.param(lrdecay.InverseSqrtDecay(1.0, 100), around(100, 400), id="isqrt"),
    pytest.param(lrdecay.InverseSqrtDecay(1.0, 40, 0.01, 200), around(40, 240), id="isqrt-timescale"),
    pytest.param(lrdecay.InverseSqrtDecay(0.5, 0, timescale=7), around(7), id="isqrt-no-warmup"),
    *(pytest.param(s, _one_cycle_ends(s), id=f"onecycle-{s.total_steps}-{s.anneal}") for s in _ONE_CYCLES),
    pytest.param(lrdecay.Cyclic(0.1, 1.0, 4), [*multiples(8), *around(4, 12, 8004)], id="cyclic"),
    pytest.param(
        lrdecay.Cyclic(0.0, 1.0, 2, 6, "triangular2"), [*multiples(8), *around(2, 10, 18)], id="cyclic-tri2"
    ),
    pytest.param(
        lrdecay.Cyclic(0.001, 0.1, 37.5, 25, "exp_range", 0.999),
        [*multiples(62.5), *around(37.5, 100), 37.5, 100.0],
        id="cyclic-exp-range",
    ),
    pytest.param(
        lrdecay.Cyclic(0.1, 0.2, 3, 4),
        [*multiples(7, (1, 2, 10, 10**6, 10**12)), *hairs(7, 3)],
        id="cyclic-7",
    ),
    pytest.param(lrdecay.TriStage(1.0, 10, 20, 10, 0.1, 0.25), around(10, 30, 35, 40), id="tristage"),
    pytest.param(lrdecay.TriStage(1.0, 0, 0, 7), around(7), id="tristage-decay-only"),
    pytest.param(lrdecay.MultiStepDecay(1.0, [30, 80], 0.5), around(30, 80), id="multistep"),
    pytest.param(
        lrdecay.MultiStepDecay(0.1, [0, 100, 100, 201.5], 0.5),
        [*around(0, 100, 201.5), 201.5, *hairs(100, 201.5)],
        id="multistep-repeated",
    ),
    pytest.param(lrdecay.MultiStepDecay(0.3, []), [5], id="multistep-empty"),
]

# -- composition (schedules/compose.py): every boundary, the warmup end, restarts, crossings
_RAMP = Linear(0.0, 2.0**53, 2**53)  # the identity on [0, 2**53]: shows which step a piece saw
_SAW = Linear(1.0, 0.0, 8)  # 1 at its step 0, a hair above 0 just before 8
_DEEP = TimeScale(
    Join([Warmup(CosineDecay(1.0, 6), 2, shape="cosine"), Repeat(Linear(0.5, 0.0, 4), 4)], [8]),
    steps_per_unit=4,
) * 0.5 + Clip(Shift(Linear(1.0, 0.0, 64), 16), minimum=0.125, maximum=0.75)

COMPOSITION_CASES = [
    pytest.param(Constant(0.1), [0, 1, 10**9], id="constant"),
    pytest.param(Constant(-2), [0, 1], id="constant-negative-int"),
    pytest.param(Linear(0.0, 0.1, 50), [*around(25, 50), *hairs(50)], id="linear-up"),
    pytest.param(Linear(0.1, 0.001, 300), [*around(150, 300), *hairs(300)], id="linear-down"),
    pytest.param(Linear(0.3, 0.1, 7.5), [*around(7.5), 7.5, 3.75, *hairs(7.5)], id="linear-T7.5"),
    pytest.param(Linear(1.0, 0.0, 2**40), [*around(2**39, 2**40), *hairs(2**40)], id="linear-huge"),
    # -- Warmup: the warmup end, and the inner schedule's end warmup_steps later -------
    pytest.param(
        Warmup(CosineDecay(1.0, 1000), 100),
        [*around(50, 100, 600, 1100), *hairs(100, 1100)],
        id="warmup-cos",
    ),
    pytest.param(
        Warmup(ExponentialDecay(0.2, 40, 0.5, staircase=True), 25, start=0.01, shape="cosine"),
        [*around(12.5, 25, 65, 105), 12.5, *hairs(25, 65)],
        id="warmup-cosine-shape-stair",
    ),
    pytest.param(
        Warmup(_SAW, 2.5, start=0.5), [*around(2.5, 10.5), 2.5, 10.5, *hairs(2.5)], id="warmup-w2.5"
    ),
    pytest.param(Warmup(0.05, 0), [0, 1, 2], id="warmup-w0"),
    pytest.param(Warmup(_RAMP, 2**40), [*around(2**40), *hairs(2**40)], id="warmup-huge"),
    # -- Join: b-1, b, b+1 (and the hairs: comparisons are exact), both clocks ----------
    pytest.param(
        Join([Linear(0.0, 0.1, 30), CosineDecay(0.1, 200), 0.001], [30, 230]),
        [*around(30, 130, 230), *hairs(30, 230)],
        id="join-local",
    ),
    pytest.param(
        Join([_SAW, _RAMP, _SAW, _RAMP], [8, 24, 28.5]),
        [*around(8, 24, 28.5), 8.0, 24.0, 28.5, *hairs(8, 24, 28.5)],
        id="join-local-clock-visible",
    ),
    pytest.param(
        Join([_SAW, _RAMP, _SAW], [8, 24], clock="global"),
        [*around(8, 24), *hairs(8, 24)],
        id="join-global",
    ),
    pytest.param(
        Join([Linear(0.0, 0.1, 40), PolynomialDecay(0.1, 300, 0.0)], [40], clock="global"),
        around(40, 300),
        id="join-global-bert",
    ),
    pytest.param(  # equal boundaries (an empty piece, never used) and one at 0
        Join([0.3, 0.2, InverseTimeDecay(0.1, 10, 0.5), _RAMP, 0.7], [0, 0, 16, 16]),
        [*around(16), *hairs(16)],
        id="join-equal-bounds-and-0",
    ),
    pytest.param(
        Join([_SAW, _RAMP], [2**52], clock="global"),
        [*around(2**52), *hairs(2**52)],
        id="join-huge-bound",
    ),
    # -- Shift: the delay, and the inner end after it ----------------------------------
    pytest.param(Shift(CosineDecay(0.1, 100), 40), [*around(40, 90, 140), *hairs(40, 140)], id="shift"),
    pytest.param(Shift(_RAMP, 2**40), [*around(2**40), *hairs(2**40)], id="shift-huge"),
    # -- Repeat: period multiples up to 2**53 (the restart is exact) --------------------
    pytest.param(
        Repeat(_SAW, 8),
        [*multiples(8, (1, 2, 3, 10, 1000, 2**20, 2**49)), *hairs(8, 16, 8000, 2**40)],
        id="repeat-8",
    ),
    pytest.param(
        Repeat(Linear(1.0, 0.0, 7), 7),
        multiples(7, (1, 2, 10, 10**6, 10**12, (2**53 - 1) // 7)),
        id="repeat-7",
    ),
    pytest.param(
        Repeat(_RAMP, 3),
        multiples(3, (1, 2, 10**15, 3 * 10**15 - 1, 2**53 // 3)),
        id="repeat-3-ramp",
    ),
    pytest.param(
        Repeat(CosineDecay(0.1, 50), 37.5),
        [*multiples(37.5, (1, 2, 4, 1000, 2**40)), 37.5, 75.0, *hairs(37.5, 75, 2**40 * 37.5)],
        id="repeat-37.5",
    ),
    pytest.param(
        Repeat(CosineDecay(0.1, 40), 40, period_mul=2, decay=0.5),
        [*around(40, 120, 280, 40 * (2**20 - 1), 40 * (2**40 - 1)), *hairs(40, 120, 40 * (2**40 - 1))],
        id="repeat-sgdr-2",
    ),
    pytest.param(
        Repeat(Linear(1.0, 0.0, 10), 10, period_mul=3, decay=0.9),
        [*around(*(5 * (3**k - 1) for k in (1, 2, 5, 10, 20, 30)))],
        id="repeat-mul-3",
    ),
    # -- TimeScale: unit boundaries, the discrete floor exact up to 2**53 ---------------
    pytest.param(TimeScale(ExponentialDecay(0.1, 1, 0.8), 30), around(30, 60, 300), id="timescale"),
    pytest.param(
        TimeScale(PiecewiseConstantDecay([2, 5], [0.1, 0.05, 0.01]), 20, discrete=True),
        [*around(40, 60, 100, 120), *hairs(40, 60, 100, 120)],
        id="timescale-discrete-pcd",
    ),
    pytest.param(
        TimeScale(_RAMP, 3, discrete=True),
        [*around(3, 3 * 10**15, 3 * 10**15 - 3, 2**53 - 2, 2**53 - 5), *hairs(3, 3 * 10**15, 2**52)],
        id="timescale-discrete-3-ramp",
    ),
    pytest.param(
        TimeScale(_RAMP, 7, discrete=True),
        [*around(*(7 * k for k in (1, 10**9, 10**14, (2**53 - 1) // 7))), *hairs(7, 7 * 10**14)],
        id="timescale-discrete-7-ramp",
    ),
    pytest.param(
        TimeScale(Repeat(Linear(1.0, 0.0, 4), 4), 4, discrete=True),
        [*multiples(4, (1, 2, 3, 4, 10**12, 2**50)), *hairs(4, 8, 16, 2**44)],
        id="timescale-discrete-4-repeat",
    ),
    pytest.param(
        TimeScale(Warmup(CosineDecay(0.1, 0.875), 0.125), 256),
        [*around(32, 256), 32.0, *hairs(32, 256)],
        id="timescale-fractions-of-run",
    ),
    pytest.param(
        TimeScale(CosineDecay(0.1, 1.0), 250, power=2), around(125, 177, 249, 250), id="timescale-k-decay"
    ),
    pytest.param(
        TimeScale(Linear(1.0, 0.0, 1.0), 64, power=0.5),
        [*around(16, 32, 64), *hairs(16, 64)],
        id="timescale-sqrt",
    ),
    # -- Power: a shape sharpened or softened --------------------------------------------
    pytest.param(Power(CosineDecay(1.0, 200), 2), around(100, 199, 200), id="power-2"),
    pytest.param(Power(Linear(1.0, 0.0, 2**40), 0.5), around(2**39, 2**40), id="power-sqrt-huge"),
    pytest.param(Power(Linear(-1.0, 1.0, 8), 3), [*around(4, 8), *hairs(4)], id="power-odd-negative"),
    # -- TanhDecay: the crossing of 0 and the end ------------------------------------------
    pytest.param(TanhDecay(1.0, 100), around(70, 100), id="tanh"),
    pytest.param(TanhDecay(0.5, 2**40, lower=-6, upper=30), around(2**39, 2**40), id="tanh-deep-tail"),
    # -- Clip, Minimum, Maximum: the crossings ------------------------------------------
    pytest.param(
        Clip(Linear(1.0, 0.0, 100), 0.25, 0.75),
        [*around(25, 75), *hairs(25, 75)],
        id="clip-both",
    ),
    pytest.param(Clip(ExponentialDecay(0.2, 20, 0.5), minimum=0.0125), around(80), id="clip-min"),
    pytest.param(Clip(Linear(0.0, 1.0, 64), maximum=0.5), [*around(32), *hairs(32)], id="clip-max"),
    pytest.param(
        Minimum(Linear(0.0, 1.0, 100), Linear(1.0, 0.0, 100)), [*around(50), *hairs(50)], id="minimum"
    ),
    pytest.param(
        Maximum(CosineDecay(0.1, 200), 0.02, Linear(0.05, 0.0, 100)), around(100, 200), id="maximum"
    ),
    # -- Sum, Product --------------------------------------------------------------------
    pytest.param(CosineDecay(0.09, 200) + 0.01, around(100, 200), id="sum"),
    pytest.param(Sum(Linear(0.0, 0.05, 100), 0.01, 0.02), around(100), id="sum-3"),
    pytest.param(0.5 * CosineDecay(0.2, 150), around(75, 150), id="product"),
    pytest.param(
        Linear(0.0, 1.0, 20) * ExponentialDecay(0.1, 50, 0.5), around(20, 50), id="product-of-schedules"
    ),
    # -- three deep ----------------------------------------------------------------------
    pytest.param(
        _DEEP,
        [*around(8, 16, 32, 40, 48, 80, 64), *hairs(8, 32, 48, 64, 80)],
        id="deep-timescale-join-warmup-repeat-clip",
    ),
    pytest.param(
        Repeat(Join([Warmup(_SAW, 4), Shift(0.5 * _SAW, 2)], [12]), 32),
        [*multiples(32, (1, 2, 3, 2**40)), *around(4, 12, 14, 22, 44), *hairs(4, 12, 32, 44)],
        id="deep-repeat-join-warmup-shift",
    ),
]

CASES = [
    # -- the rate decays: decay_steps ± 1 and its multiples (the staircase jumps) ------
    pytest.param(ExponentialDecay(0.1, 10, 0.96), multiples(10), id="exp"),
    pytest.param(ExponentialDecay(0.1, 3, 0.96, staircase=True), multiples(3), id="exp-stair"),
    pytest.param(ExponentialDecay(1.0, 1, 0.5, staircase=True), multiples(1), id="exp-stair-T1"),
    pytest.param(ExponentialDecay(0.05, 7, 0.5), multiples(7), id="exp-T7"),
    pytest.param(
        ExponentialDecay(0.1, 2.5, 0.9, staircase=True),
        [*multiples(2.5), 2.5, 5.0, 7.5, 4.9, 5.1],
        id="exp-stair-T2.5",
    ),
    pytest.param(
        ExponentialDecay(0.1, 4, 0.5, staircase=True),
        multiples(4) + hairs(4, 8, 12, 40, 4000, 2**40),
        id="exp-stair-T4-hairs",
    ),
    pytest.param(ExponentialDecay(0.0, 10, 0.5), multiples(10), id="exp-zero-lr"),
    pytest.param(ExponentialDecay(0.1, 10, 1.0), multiples(10), id="exp-rate1"),
    pytest.param(NaturalExpDecay(0.1, 10, 0.96), multiples(10), id="natexp"),
    pytest.param(NaturalExpDecay(0.1, 10, 0.96, staircase=True), multiples(10), id="natexp-stair"),
    pytest.param(NaturalExpDecay(0.1, 7, 0.0), multiples(7), id="natexp-k0"),
    pytest.param(
        NaturalExpDecay(0.1, 2, 0.5, staircase=True),
        multiples(2) + hairs(2, 4, 2**40),
        id="natexp-stair-hairs",
    ),
    pytest.param(InverseTimeDecay(0.1, 10, 0.96), multiples(10), id="inv"),
    pytest.param(InverseTimeDecay(0.1, 10, 0.96, staircase=True), multiples(10), id="inv-stair"),
    pytest.param(InverseTimeDecay(1.0, 1, 1000.0), multiples(1), id="inv-steep"),
    pytest.param(InverseTimeDecay(0.1, 10, 0.0), multiples(10), id="inv-r0"),
    pytest.param(
        InverseTimeDecay(0.1, 8, 0.5, staircase=True), multiples(8) + hairs(8, 16, 8000), id="inv-stair-hairs"
    ),
    # -- piecewise: each boundary ± 1 (a step on a boundary keeps the earlier value) ---
    pytest.param(
        PiecewiseConstantDecay([100, 110, 120], [1.0, 0.1, 0.01, 0.001]),
        [*around(100, 110, 120), 100.0, 100.5, 109.5, 110.0, 120.0, 120.5, *hairs(100, 110, 120)],
        id="pcd",
    ),
    pytest.param(PiecewiseConstantDecay([1, 2, 3], [0.4, 0.5, 0.6, 0.7]), around(1, 2, 3), id="pcd-123"),
    pytest.param(PiecewiseConstantDecay([0], [1.0, 2.0]), [0, 0.0, 0.25, 1, 2], id="pcd-b0"),
    pytest.param(
        PiecewiseConstantDecay([2.5, 7.5], [3, 2, 1]),
        [*around(2.5, 7.5), 2.5, 7.5, 2.25, 7.75],
        id="pcd-float-bounds-int-values",
    ),
    pytest.param(PiecewiseConstantDecay([], [0.5]), [0, 1], id="pcd-constant"),
    pytest.param(
        PiecewiseConstantDecay([2**40, 2**52], [1.0, 0.5, 0.25]),
        [*around(2**40, 2**52), 2.0**40, 2.0**40 + 0.5, 2.0**40 - 0.5, *hairs(2**40)],
        id="pcd-huge-bounds",
    ),
    # -- polynomial: decay_steps ± 1, cycle multiples (end value exactly at k*T) ------
    pytest.param(PolynomialDecay(0.05, 10, 0.001), multiples(10), id="poly"),
    pytest.param(PolynomialDecay(0.05, 10, 0.0), multiples(10), id="poly-end0"),
    pytest.param(PolynomialDecay(0.05, 10, 0.001, cycle=True), multiples(10), id="poly-cycle"),
    pytest.param(PolynomialDecay(0.05, 10, 0.001, power=0.5), multiples(10), id="poly-sqrt"),
    pytest.param(
        PolynomialDecay(0.05, 10, 0.001, power=0.5, cycle=True),
        multiples(10),
        id="poly-sqrt-cycle",
    ),
    pytest.param(PolynomialDecay(1.0, 7, 0.0, power=2.0, cycle=True), multiples(7), id="poly-sq-cycle-T7"),
    pytest.param(PolynomialDecay(0.001, 10, cycle=True), multiples(10), id="poly-default-end"),
    pytest.param(
        PolynomialDecay(1.0, 4, 0.0, power=0.5, cycle=True),
        multiples(4) + hairs(4, 8, 40, 2**40),
        id="poly-cycle-T4-hairs",
    ),
    pytest.param(PolynomialDecay(0.1, 1, 0.0, power=3, cycle=True), multiples(1), id="poly-cycle-T1"),
    pytest.param(PolynomialDecay(0.0, 100, 1.0), multiples(100), id="poly-ramp-up"),
    pytest.param(
        PolynomialDecay(1.0, 2.5, 0.0, cycle=True),
        [*multiples(2.5), 2.5, 5.0, 7.5, 5.5],
        id="poly-cycle-T2.5",
    ),
    pytest.param(
        PolynomialDecay(1.0, 2**40, 0.0, power=0.5),
        around(2**40, 2**39),
        id="poly-huge-T",
    ),
    pytest.param(  # 1 - t near the end keeps its relative precision (power < 1 magnifies it)
        PolynomialDecay(1.0, 10**12 + 7, 0.0, power=0.5),
        around(10**12 + 7, 10**12, 10**12 - 10**6),
        id="poly-huge-odd-T",
    ),
    pytest.param(
        PolynomialDecay(1.0, 10**12 + 7, 0.0, power=0.25, cycle=True),
        around(10**12 + 7, 2 * (10**12 + 7), 2 * (10**12 + 7) - 10**6),
        id="poly-huge-odd-T-cycle",
    ),
    # -- cosine: the end of the decay, the warmup end, warmup + decay end --------------
    pytest.param(CosineDecay(1.0, 1000), around(250, 500, 750, 1000), id="cos"),
    pytest.param(CosineDecay(1.0, 1000, alpha=0.1), around(500, 1000), id="cos-alpha"),
    pytest.param(CosineDecay(0.1, 7, alpha=0.5), around(3.5, 7), id="cos-T7"),
    pytest.param(CosineDecay(1.0, 1), around(1), id="cos-T1"),
    pytest.param(CosineDecay(1.0, 2**40), around(2**39, 2**40), id="cos-huge-T"),
    pytest.param(
        CosineDecay(0.0, 1000, warmup_target=10.0, warmup_steps=2000),
        [*around(1000, 2000, 2500, 3000), 1999.5, 2000.0, 2000.5, *hairs(2000, 3000)],
        id="cos-warmup",
    ),
    pytest.param(
        CosineDecay(0.1, 100, alpha=0.1, warmup_target=1.0, warmup_steps=10),
        around(5, 10, 60, 110, 200),
        id="cos-warmup-alpha",
    ),
    pytest.param(CosineDecay(0.5, 10, warmup_target=1.0, warmup_steps=0), around(5, 10), id="cos-w0"),
    pytest.param(CosineDecay(0.0, 1, warmup_target=1.0, warmup_steps=1), around(1, 2), id="cos-w1-T1"),
    pytest.param(
        CosineDecay(2.0, 100, warmup_target=1.0, warmup_steps=7),
        around(7, 57, 107),
        id="cos-warmup-down",
    ),
    # -- restarts: every restart point --------------------------------------------------
    *(
        _restart_case(first, t_mul, m_mul, alpha)
        for t_mul in (1.0, 2.0, 3.0, 10.0, 1.5, 0.5)
        for first in (1, 7, 1000)
        for m_mul, alpha in ((1.0, 0.0), (0.9, 0.1))
    ),
    _restart_case(1000, 0.9, 0.5, 0.0),
    pytest.param(
        CosineDecayRestarts(1.0, 1, t_mul=2.0, m_mul=0.5, alpha=0.1),
        [2**k - 1 for k in range(1, 54)] + hairs(*(2**k - 1 for k in range(1, 40))),
        id="restarts-first1-t2-hairs",
    ),
    pytest.param(
        CosineDecayRestarts(1.0, 4, t_mul=1.0, m_mul=0.9),
        multiples(4) + hairs(4, 8, 4000, 2**40),
        id="restarts-first4-t1-hairs",
    ),
    _restart_case(3, 4.0, 0.0, 0.25),
    # -- linear cosine: the end, the cosine's periods -----------------------------------
    pytest.param(LinearCosineDecay(1.0, 1000), around(250, 500, 1000), id="lincos"),
    pytest.param(
        LinearCosineDecay(1.0, 1000, num_periods=5, alpha=0.1, beta=1e-4),
        around(*range(0, 1001, 100)),
        id="lincos-np5",
    ),
    pytest.param(LinearCosineDecay(0.5, 7, num_periods=2.0, alpha=0.0, beta=0.0), around(7), id="lincos-T7"),
    pytest.param(LinearCosineDecay(1.0, 1, num_periods=0.25), around(1), id="lincos-T1"),
    # -- noisy linear cosine: composition with the (seed, step) noise -------------------
    pytest.param(NoisyLinearCosineDecay(1.0, 1000), around(250, 500, 1000), id="noisy"),
    pytest.param(
        NoisyLinearCosineDecay(
            1.0,
            1000,
            initial_variance=0.5,
            variance_decay=0.1,
            num_periods=5,
            alpha=0.1,
            beta=1e-4,
            seed=7,
        ),
        around(250, 500, 1000),
        id="noisy-np5",
    ),
    pytest.param(
        NoisyLinearCosineDecay(0.1, 7, num_periods=1.0, seed=123456789),
        [*around(7), 6.5, 7.5],
        id="noisy-np1-held",
    ),
    pytest.param(NoisyLinearCosineDecay(1.0, 100, initial_variance=0.0), around(50, 100), id="noisy-var0"),
    # -- tpu cosine with linear warmup: warmup end, total_steps, past it (holds 0) -----
    pytest.param(
        CosineDecayWithLinearWarmup(0.08, 0.0067, 500, 22500),
        around(250, 500, 11500, 22500, 44500),
        id="tpu",
    ),
    pytest.param(CosineDecayWithLinearWarmup(1.0, 0.0, 0, 10), around(5, 10), id="tpu-w0"),
    pytest.param(CosineDecayWithLinearWarmup(0.1, 0.2, 7, 8), around(7, 8), id="tpu-short"),
    pytest.param(CosineDecayWithLinearWarmup(0.5, 0.5, 3, 1000), around(3, 1000), id="tpu-flat"),
    # -- the schedules modern training uses: every phase end, milestone and cycle end ----
    *MODERN_CASES,
    *COMPOSITION_CASES,
]


def _all_steps(steps) -> list:
    """The case's steps plus the common ones, sorted, without duplicates (by value+type)."""
    seen, out = set(), []
    for s in [0, 1, 2, *steps, *FAR, *FRACTIONAL]:
        key = (type(s), s)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return sorted(out, key=lambda s: (Fraction(s), isinstance(s, float)))


def _oracle(schedule, step) -> float:
    return R.expected(type(schedule).__name__, schedule.get_config(), step)


def _atol(schedule, step, scale: float) -> float:
    atol = ABS * scale
    if isinstance(schedule, (LinearCosineDecay, NoisyLinearCosineDecay)):
        atol *= max(1.0, 2.0 * schedule.num_periods)
    if isinstance(schedule, CosineDecayRestarts) and schedule.t_mul != 1:
        position = R.restart_position(schedule.first_decay_steps, schedule.t_mul, step)
        if position is not None:
            f = Fraction(step) / Fraction(schedule.first_decay_steps)
            atol *= max(1.0, float(f / position[2]))
    return atol


def _check_steps(schedule, steps):
    """(steps, oracle values, scale) for a case."""
    steps = _all_steps(steps)
    want = [_oracle(schedule, s) for s in steps]
    scale = max(abs(w) for w in want) or 1.0
    return steps, want, scale


@pytest.mark.parametrize("schedule, steps", CASES)
def test_scalar_steps_match_the_oracle(schedule, steps):
    steps, want, scale = _check_steps(schedule, steps)
    bad = []
    for step, w in zip(steps, want, strict=False):
        calls = [step] if isinstance(step, float) else [step, float(step)]
        for s in calls:
            got = schedule(s)
            assert type(got) is float, (s, type(got))
            if not math.isclose(got, w, rel_tol=REL, abs_tol=_atol(schedule, step, scale)):
                bad.append((s, got, w))
    assert not bad, f"{schedule!r}: (step, lrdecay, oracle) {bad[:10]} ({len(bad)} bad)"


@pytest.mark.parametrize("schedule, steps", CASES)
def test_int_and_float_steps_agree_exactly(schedule, steps):
    """Up to 2**40 an int step and the same float step give the identical float.

    (Beyond, Python's exact int arithmetic can be more precise than float64, e.g. the
    cycle horizon 7 * ceil(s / 7) > 2**53; both still match the oracle, see above.)
    """
    ints = [s for s in _all_steps(steps) if isinstance(s, int) and s <= 2**40]
    assert ints
    differ = [s for s in ints if schedule(s) != schedule(float(s))]
    assert not differ, f"{schedule!r}: int and float steps differ at {differ[:10]}"


@pytest.mark.parametrize("schedule, steps", CASES)
def test_array_steps_match_scalar_steps(schedule, steps):
    """numpy arrays: same shape, float64, and the scalar results elementwise.

    Not bit-identical: numpy's SIMD exp/log/power may differ from libm's by an ulp or two,
    so compare to 1e-15 relative (4.5 ulp), plus the cancellation allowance near zero.
    """
    steps, want, scale = _check_steps(schedule, steps)
    scalars = np.array([schedule(s) for s in steps])
    array = np.array(steps, dtype=np.float64)
    out = schedule(array)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.shape == array.shape
    np.testing.assert_allclose(out, scalars, rtol=1e-15, atol=ABS * scale)
    # The array is checked against the oracle too (not only against the scalar path).
    atol = np.array([_atol(schedule, s, scale) for s in steps])
    assert np.all(np.abs(out - np.array(want)) <= REL * np.abs(want) + atol)

    # Shape is kept for any number of dimensions; the input is not modified.
    grid = np.resize(array, (3, len(array)))
    copy = grid.copy()
    out2 = schedule(grid)
    assert out2.shape == grid.shape and out2.dtype == np.float64
    np.testing.assert_array_equal(grid, copy)
    np.testing.assert_array_equal(out2[1], out)

    # Integer arrays (int64 steps up to 2**53 are exact in float64) give the same values.
    ints = [s for s in steps if isinstance(s, int)]
    np.testing.assert_array_equal(
        schedule(np.array(ints, dtype=np.int64)), schedule(np.array(ints, dtype=np.float64))
    )


@pytest.mark.parametrize("schedule, steps", CASES[:: max(1, len(CASES) // 12)])
def test_numpy_scalars_and_zero_d_arrays(schedule, steps):
    for step in (0, 1, 7, 2**40):
        want = schedule(np.array([step], dtype=np.float64))[0]
        for s in (np.int64(step), np.float64(step), np.array(step), np.array(float(step))):
            got = schedule(s)
            # A float64 (np.float64 is itself a subclass of float; a np.float64 step may
            # take the Python-float path and return a plain float).
            assert isinstance(got, float) and np.asarray(got).shape == (), (s, type(got))
            assert got == pytest.approx(want, rel=1e-15, abs=1e-300)  # libm vs numpy ulps
        if step < 2**31:
            assert schedule(np.int32(step)) == want
            assert schedule(np.uint32(step)) == want
    assert schedule(np.array([], dtype=np.float64)).shape == (0,)


def test_every_class_has_edge_cases():
    classes = {type(p.values[0]).__name__ for p in CASES}
    assert classes == set(lrdecay._registry.names())


# -- restart points, exactly -------------------------------------------------------------


RESTART_GRID = [
    (first, t_mul, m_mul, alpha)
    for t_mul in (1.0, 2.0, 3.0, 10.0, 1.5, 0.5)
    for first in (1, 7, 1000)
    for m_mul, alpha in ((1.0, 0.0), (0.9, 0.1))
]


@pytest.mark.parametrize("first, t_mul, m_mul, alpha", RESTART_GRID)
def test_every_restart_point_gives_the_restart_value(first, t_mul, m_mul, alpha):
    """At the exact step where period i starts: initial * ((1 - alpha) * m_mul**i + alpha).

    TensorFlow finds the period with a logarithm and misses some of these (float32 at
    8191000 for first=1000; float64 at 111 for t_mul=10, first=1); lrdecay must not.
    The step one before (integer restarts) ends the previous period: near the floor.
    """
    s = CosineDecayRestarts(1.0, first, t_mul=t_mul, m_mul=m_mul, alpha=alpha)
    points = [p for p in restart_points(first, t_mul) if Fraction(float(p)) == p]
    if t_mul == 1.0:
        points = [Fraction(k * first) for k in (1, 2, 3, 10, 1000, 2**40 // first, 2**53 // first)]
    assert points
    for i, p in enumerate(points, start=1):
        if t_mul == 1.0:
            i = int(p / first)
        step = int(p) if p.denominator == 1 else float(p)
        restart = (1 - alpha) * m_mul**i + alpha
        assert s(step) == pytest.approx(restart, rel=1e-13, abs=1e-300), (i, step)
        assert s(np.array([float(p)]))[0] == pytest.approx(restart, rel=1e-13, abs=1e-300)
        if p.denominator == 1 and t_mul * first >= 2 and i < 60:
            # One step before: the end of period i - 1, within one step's worth of cosine.
            length = first * Fraction(t_mul) ** (i - 1)
            slack = (1 - alpha) * m_mul ** (i - 1) * (math.pi / float(length)) ** 2
            assert alpha - 1e-15 <= s(step - 1) <= alpha + slack + 1e-15, (i, step)


@pytest.mark.parametrize("first", [1, 7, 1000])
@pytest.mark.parametrize("t_mul", [0.5, 0.9])
def test_shrinking_periods_hold_the_floor_after_their_finite_length(first, t_mul):
    """t_mul < 1: the periods add up to first / (1 - t_mul); from there on, alpha * initial."""
    s = CosineDecayRestarts(2.0, first, t_mul=t_mul, alpha=0.25)
    end = Fraction(first) / (1 - Fraction(t_mul))
    after = [math.ceil(end), math.ceil(end) + 1, 10 * math.ceil(end), 2**40, 2**53]
    if Fraction(float(end)) == end:
        after.append(float(end))
    for step in after:
        assert s(step) == 0.5, step
    np.testing.assert_array_equal(s(np.array(after, dtype=np.float64)), 0.5)
    # Just before the end the rate is still in its last (very short) periods.
    # (Ill-conditioned there: the periods are ~1e-7 of the whole length, so the rounding
    # of step / first_decay_steps moves the position inside one by ~1e-9.)
    before = float(end) * (1 - 1e-6)
    want = R.cosine_decay_restarts(2.0, first, t_mul, 1.0, 0.25, step=before)
    assert s(before) == pytest.approx(want, abs=1e-7)


# -- the noise composition ---------------------------------------------------------------


def test_noise_is_the_documented_function_of_seed_and_floor_of_step():
    """The oracle re-derives the noise from lrdecay._noise's specification; every seed and
    step (including steps above 2**32, where the high half of the hash input matters)."""
    from lrdecay import _noise

    for seed in (0, 1, 7, 2**31 - 1, 2**32 - 1):
        for step in (0, 1, 2, 999, 2**32 - 1, 2**32, 2**32 + 1, 2**40, 2**53):
            want = R.noise_normal(seed, step)
            assert _noise.normal_scalar(seed, step) == pytest.approx(want, rel=1e-14, abs=1e-15)
            assert _noise.normal_scalar(seed, step + 0.75) == _noise.normal_scalar(seed, step)
        steps = np.array([0, 1, 2, 999, 2**32 - 1, 2**32, 2**32 + 1, 2**40, 2**53], dtype=np.float64)
        np.testing.assert_allclose(
            _noise.normal_numpy(seed, steps),
            [R.noise_normal(seed, int(k)) for k in steps],
            rtol=1e-14,
            atol=1e-15,
        )


# -- evaluate() gives the same curve -----------------------------------------------------


@pytest.mark.parametrize("schedule, steps", CASES)
def test_evaluate_matches_the_array_call(schedule, steps):
    """lrdecay.evaluate (the fast whole-curve path) agrees with calling on an array."""
    steps, _want, scale = _check_steps(schedule, steps)
    array = np.array(steps, dtype=np.float64)
    expected = schedule(array)
    got = lrdecay.evaluate(schedule, array)
    assert got.dtype == np.float64 and got.shape == array.shape
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=ABS * scale)
    # An int n means steps 0 .. n - 1.
    np.testing.assert_allclose(
        lrdecay.evaluate(schedule, 64), schedule(np.arange(64.0)), rtol=1e-15, atol=ABS * scale
    )
    # Into a caller's buffer.
    out = np.full_like(array, np.nan)
    assert lrdecay.evaluate(schedule, array, out=out) is out
    np.testing.assert_allclose(out, expected, rtol=1e-15, atol=ABS * scale)
    # float32 on request (steps that float32 holds exactly; values rounded to float32).
    small = array[array < 2**20]
    f32 = lrdecay.evaluate(schedule, small, dtype=np.float32)
    assert f32.dtype == np.float32 and f32.shape == small.shape and np.all(np.isfinite(f32))

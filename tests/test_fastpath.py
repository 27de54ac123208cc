"""The scalar fast path agrees with the numpy path, and keeps the call contract.

The scalar path (a Python int/float, ``math``) and the numpy path (float64 arrays)
run the same formula through different operations (``SCALAR`` and ``NUMPY`` in
``lrdecay._xp``); they must agree for every example of tests/examples.py at steps chosen
on each formula's edges. The speed itself is measured in benchmarks/, never asserted here.
"""

from __future__ import annotations

import enum
import math

import numpy as np
import pytest

import examples
import lrdecay
from lrdecay._xp import NUMPY, SCALAR

EXAMPLES = examples.params()

# Integer steps on the edges of the examples' formulas (0, period boundaries and their
# neighbours, the end of every decay, far beyond), and non-integer steps.
INT_STEPS = [
    0,
    1,
    2,
    6,
    7,
    8,
    9,
    10,
    11,
    13,
    14,
    15,
    24,
    25,
    26,
    29,
    30,
    31,
    46,
    47,
    48,
    49,
    50,
    51,
    69,
    70,
    71,
    74,
    75,
    76,
    81,
    82,
    89,
    90,
    91,
    99,
    100,
    101,
    131,
    132,
    139,
    140,
    141,
    149,
    150,
    174,
    175,
    176,
    187,
    188,
    199,
    200,
    201,
    209,
    210,
    211,
    249,
    250,
    251,
    299,
    300,
    301,
    349,
    350,
    399,
    400,
    401,
    449,
    450,
    451,
    499,
    500,
    501,
    999,
    1000,
    1001,
    4321,
    22499,
    22500,
    22501,
    10**5,
    2**31 + 5,
]
FLOAT_STEPS = [0.0, 0.5, 7.5, 15.0, 47.5, 81.25, 99.9, 100.0, 187.5, 199.99, 250.5, 250.25, 333.3, 1e4 + 0.5]


def _close(actual, expected, scale):
    # float64 formulas through math vs numpy ufuncs: a few ulps apart at most.
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15 * scale)


@pytest.mark.parametrize("s", EXAMPLES)
def test_scalar_path_matches_numpy_path(s):
    steps = INT_STEPS + FLOAT_STEPS
    scalar = []
    for step in steps:
        try:
            scalar.append(s(step))
        except ValueError as err:  # a growing schedule overflows float64 far out
            if "overflows float64" not in str(err):
                raise
            scalar.append(math.inf)
    finite = [i for i, v in enumerate(scalar) if v != math.inf]
    assert all(type(scalar[i]) is float for i in finite), [type(v) for v in scalar]
    if len(finite) < len(steps):  # the array path refuses the same steps, never inf
        with pytest.raises(ValueError, match=r"overflows float64 at step="):
            s(np.array(steps, dtype=np.float64))
    array = s(np.array([steps[i] for i in finite], dtype=np.float64))
    assert array.dtype == np.float64 and array.shape == (len(finite),)
    scale = max(abs(scalar[i]) for i in finite)
    _close(np.array(scalar)[finite], array, scale)
    # One step at a time through numpy (a 0-d array) gives a numpy scalar.
    for i in finite[:: max(1, len(finite) // 8)]:
        one = s(np.array(steps[i], dtype=np.float64))
        assert isinstance(one, np.floating)
        _close(float(one), scalar[i], scale)


@pytest.mark.parametrize("s", EXAMPLES)
def test_int_and_float_steps_agree(s):
    for step in INT_STEPS[:-1]:
        assert s(step) == s(float(step))


@pytest.mark.parametrize("s", EXAMPLES)
def test_scalar_path_rejects_bad_steps(s):
    for bad in (-1, -0.5, -(2**70), math.nan, math.inf, -math.inf):
        with pytest.raises(
            ValueError,
            match=r"Argument `step` must be a finite number >= 0\. "
            r"Received: step=",
        ):
            s(bad)
    for bad in (True, False, "3", None, 1 + 0j):
        with pytest.raises(TypeError, match="Argument `step` must be a number"):
            s(bad)


class _Step(enum.IntEnum):
    TEN = 10


class _Float(float):
    pass


@pytest.mark.parametrize("s", EXAMPLES)
def test_int_and_float_subclasses_take_the_same_value(s):
    assert s(_Step.TEN) == s(10)
    assert type(s(_Step.TEN)) is float
    assert s(_Float(7.5)) == s(7.5)
    with pytest.raises(ValueError, match=r"must be a finite number >= 0\. Received: step=-1\.0"):
        s(_Float(-1.0))


def test_exponential_fast_path_against_the_textbook_formula():
    s = lrdecay.ExponentialDecay(0.1, 1000, 0.96)
    for step in (0, 1, 137, 1000, 2500, 10**6):
        expected = 0.1 * 0.96 ** (step / 1000)
        assert math.isclose(s(step), expected, rel_tol=1e-13, abs_tol=0.0)
    stair = lrdecay.ExponentialDecay(0.1, 1000, 0.96, staircase=True)
    assert stair(999) == 0.1
    assert math.isclose(stair(2999), 0.1 * 0.96**2, rel_tol=1e-15)


def test_warmup_cosine_fast_path_against_the_textbook_formula():
    # Keras 3: linear from 0 to 0.1 over 100 steps, then half a cosine over 1000 steps.
    s = lrdecay.CosineDecay(0.0, 1000, warmup_target=0.1, warmup_steps=100)
    for step in (0, 50, 99, 100, 137, 600, 1099, 1100, 5000):
        if step < 100:
            expected = 0.1 * step / 100
        else:
            t = min(step - 100, 1000) / 1000
            expected = 0.1 * 0.5 * (1 + math.cos(math.pi * t))
        assert math.isclose(s(step), expected, rel_tol=1e-13, abs_tol=1e-17)


def test_overflow_is_a_value_error_naming_the_schedule_and_step():
    s = lrdecay.ExponentialDecay(0.1, 1, 2.0)
    with pytest.raises(ValueError, match=r"ExponentialDecay overflows float64 at step=100000"):
        s(100000)
    with pytest.raises(ValueError, match="overflows float64"):
        s(10**400)  # an int too large for a float


@pytest.mark.parametrize(("a", "b"), [(1, 2), (2, 1), (3.0, 3), (3, 3.0), (-0.0, 0.0), (0.0, -0.0), (2.5, 7)])
def test_scalar_minimum_maximum_choose_like_min_max(a, b):
    for ours, builtin in ((SCALAR.minimum, min), (SCALAR.maximum, max)):
        got, want = ours(a, b), builtin(a, b)
        assert got == want and type(got) is type(want)
        assert math.copysign(1, got) == math.copysign(1, want)


def test_scalar_where_and_lookup():
    assert SCALAR.where(True, 1.0, 2.0) == 1.0
    assert SCALAR.where(False, 1.0, 2.0) == 2.0
    # A step on a boundary keeps the earlier value (TensorFlow's intervals).
    values = (1.0, 0.5, 0.1)
    got = [SCALAR.lookup(x, (10, 20), values) for x in (0, 10, 10.5, 20, 21)]
    assert got == [1.0, 1.0, 0.5, 0.5, 0.1]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numpy_minimum_maximum_where_match_numpy(dtype):
    x = np.array([0.0, 0.25, 0.5, 0.75, 3.0], dtype=dtype)
    y = np.array([1.0, 0.0, 0.5, 2.0, -1.0], dtype=dtype)
    for ours, ref in ((NUMPY.minimum, np.minimum), (NUMPY.maximum, np.maximum)):
        for a, b in ((x, 0.5), (0.5, x), (x, 1), (x, y)):
            got, want = ours(a, b), ref(a, b)
            assert got.dtype == want.dtype == dtype  # NEP 50: Python scalars are weak
            np.testing.assert_array_equal(got, want)
    cond = x > 0.4
    for a, b in ((x, y), (x, 0.1), (0.1, y), (2.0, 0.1)):
        got, want = NUMPY.where(cond, a, b), np.where(cond, a, b)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    # A 0-d condition (numpy scalar) falls back to np.where.
    np.testing.assert_array_equal(NUMPY.where(np.bool_(True), x, y), x)


@pytest.mark.parametrize("make", [np.float64, np.float32, np.int64, np.int32, np.uint8])
def test_numpy_scalar_steps_give_numpy_float64(make):
    # np.float64 is a float subclass: it must still take the numpy path (numpy in,
    # numpy out), with the same value as the Python-number call.
    s = lrdecay.ExponentialDecay(0.1, 10, 0.5)
    out = s(make(5))
    assert type(out) is np.float64
    assert out == s(5)


@pytest.mark.parametrize(
    "s",
    [
        lrdecay.CosineDecayRestarts(1.0, 7, t_mul=2.0),
        lrdecay.CosineDecayRestarts(0.3, 10, t_mul=1.5, m_mul=0.7, alpha=0.1),
        # Restarts at 1, 4, 13, 40, 121, where floor(log) alone misses some.
        lrdecay.CosineDecayRestarts(1.0, 1, t_mul=3.0),
        lrdecay.Repeat(lrdecay.Linear(1.0, 0.0, 5), 5, period_mul=2, decay=0.5),
    ],
    ids=repr,
)
def test_remembered_restart_cycle_gives_what_a_fresh_lookup_gives(s):
    # A scalar step is first checked against the cycle of the previous call; a
    # schedule rebuilt from its config has no such memory, and numpy never uses it
    # (math and numpy agree to a few ulps, not to the bit).
    steps = [*range(400), 10**6, 3, 10**6 + 1, 121, 120, 40, 39, 0, *range(2000, 1500, -7)]
    for step in steps:
        fresh = type(s).from_config(s.get_config())
        got = s(step)
        assert got == fresh(step), step  # the same operations: the same bits
        _close(got, s(np.array([step], dtype=np.float64))[0], 1.0)


def test_remembered_cycle_near_the_float_range_is_what_a_fresh_lookup_gives():
    # Where a cycle's end or the next power overflows, nothing is remembered: the same
    # step gives the same value (or the same error) whatever was asked before.
    def value(s, step):
        try:
            return s(step)
        except ValueError as err:
            return str(err)

    cases = [
        (lrdecay.CosineDecayRestarts(1.0, 0.3, t_mul=3.0), [2.4912757920350136e307]),
        (lrdecay.CosineDecayRestarts(1.0, 1, t_mul=2.0), [8.988465674311579e307, 4.494232837155791e307]),
    ]
    for s, steps in cases:
        for order in (steps, steps[::-1], steps + steps):
            for step in order:
                fresh = type(s).from_config(s.get_config())
                assert value(s, step) == value(fresh, step), step


@pytest.mark.parametrize(
    "base",
    [lrdecay.CosineDecay(1.0, 10), lrdecay.InverseSqrtDecay(1.0, 10), lrdecay.Join([1.0, 0.5], [3])],
    ids=lambda s: type(s).__name__,
)
def test_a_subclass_formula_is_not_bypassed(base):
    import dataclasses

    @dataclasses.dataclass(frozen=True, repr=False)
    class Doubled(type(base)):  # type: ignore[misc]
        def _f(self, s, xp):
            return 2 * super()._f(s, xp)

    doubled = Doubled(**{f.name: getattr(base, f.name) for f in dataclasses.fields(base)})
    for k in (0, 2, 5, 20):
        assert doubled(k) == 2 * base(k), k

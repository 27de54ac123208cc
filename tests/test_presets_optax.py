"""lrdecay.presets.optax against the real optax (the pinned 0.2.8).

float32 (jax's default): both libraries evaluate the whole curve from an int32 count
array, lrdecay's schedule under ``jax.jit``. They round differently (optax computes
``1 - count / T`` and ``init * r ** p``, lrdecay ``(T - count) / T`` and
``init * exp(ln(r) * p)``...), so they agree to float32 rounding, not bit for bit: the
test allows ``8 * 2**-24 * (|optax| + max|optax|)``, i.e. eight float32 roundings of
the value plus eight of the curve's largest value (the absolute part for values reached
by cancellation: a cosine near its trough, a line near 0). The worst seen is ~3.3 of
those units. optax's polynomial with ``power != 1`` loses more near its end, where
``(1 - c/T) ** power`` amplifies the rounding of ``1 - c/T`` by ``power / (1 - c/T)``:
that much more is allowed there (lrdecay's ``(T - c) / T`` is exact).

float64: the same comparison with x64 enabled, to 1e-12 relative plus 1e-15 of the
largest value. 200 random parameter sets per preset, 1,200 steps each (past every end).

Speed. optax's schedules that take only a scalar count (SCALAR_ONLY, all closures of
``piecewise_interpolate_schedule``) are vmapped over the counts; a vmap per draw costs
~10 ms of tracing, so in float32 the 200 draws run batched: each optax closure's own
code is called with the numbers of its closure passed in as traced values, and the
draws of one shape (same code, same number of boundaries, same interpolation) go
through one jitted double vmap (`_rebound`, `_batched_curves`). The first JITTED draws
are also evaluated the ordinary way and must agree with the batch within 2 float32
roundings (XLA fuses the compiled closure: ~1 rounding seen). To add a schedule: a
branch in `_draw` (its positional args), and its name in SCALAR_ONLY if optax's
schedule does not broadcast over an array of counts; `_both`, the allowances and
`_not_on_a_stair` need a case only for an odd one.
"""

from __future__ import annotations

import types

import numpy as np
import pytest

jax = pytest.importorskip("jax")
optax = pytest.importorskip("optax")
import jax.numpy as jnp  # noqa: E402

import lrdecay  # noqa: E402
from lrdecay.presets import optax as P  # noqa: E402

DRAWS = 200
JITTED = 3  # of the draws, how many are also compared under jax.jit (one compilation each)
X64_DRAWS = 20
STEPS = 1200


def _exponent(rng):
    """The cosine's exponent: 1 in half the draws."""
    return float(rng.choice([1.0, 1.0, 1.0, 1.0, 2.0, 0.5, rng.uniform(0.1, 4.0), rng.uniform(0.1, 4.0)]))


def _draw(rng, name):
    i, e = float(rng.uniform(-1, 2)), float(rng.uniform(-1, 2))
    t = int(rng.choice([0, -3, int(rng.integers(1, 900))]))
    b = int(rng.choice([0, -5, int(rng.integers(1, 200))]))
    power = float(rng.choice([1.0, 2.0, 0.5, rng.uniform(0.1, 3.0)]))
    rate = float(rng.choice([0.5, 0.9, 1.5, 0.0, rng.uniform(0.01, 2.0)]))
    staircase = bool(rng.random() < 0.5)
    end = None if rng.random() < 0.5 else float(rng.uniform(-0.5, 1.0))
    w = int(rng.choice([0, int(rng.integers(1, 300))]))
    scales = {int(k): float(rng.uniform(0, 2)) for k in rng.integers(0, 1000, size=rng.integers(0, 5))}
    n = int(rng.integers(1, 1000))
    if name == "constant_schedule":
        return (i,)
    if name == "polynomial_schedule":
        return (i, e, power, t, b)
    if name == "linear_schedule":
        return (i, e, t, b)
    if name == "exponential_decay":
        return (i, t, rate, b, staircase, end)
    if name == "cosine_decay_schedule":
        return (i, n, float(rng.choice([0.0, rng.uniform(0, 1), rng.uniform(-0.5, 1.5)])), _exponent(rng))
    if name == "piecewise_constant_schedule":
        return (i, scales)
    if name == "piecewise_interpolate_schedule":
        return (str(rng.choice(["linear", "cosine"])), i, scales)
    if name == "linear_onecycle_schedule":
        pct = sorted(rng.uniform(0.01, 0.99, 2))
        return (
            n,
            abs(i) + 0.1,
            float(pct[0]),
            float(pct[1]),
            float(rng.uniform(2, 30)),
            float(rng.uniform(2, 1e4)),
        )
    if name == "cosine_onecycle_schedule":
        return (
            n,
            abs(i) + 0.1,
            float(rng.uniform(0.01, 0.99)),
            float(rng.uniform(2, 30)),
            float(rng.uniform(2, 1e4)),
        )
    if name == "warmup_constant_schedule":
        return (i, e, w)
    if name == "warmup_cosine_decay_schedule":
        return (i, e, w, w + n, float(rng.uniform(-0.5, 1.0)), _exponent(rng))
    if name == "warmup_exponential_decay_schedule":
        return (i, e, w, t, rate, b, staircase, end)
    if name == "sgdr_schedule":
        cycles = int(rng.integers(1, 5))
        kw = [
            {
                "init_value": float(rng.uniform(0, 1)),
                "peak_value": float(rng.uniform(0.5, 2)),
                "warmup_steps": (ww := int(rng.integers(0, 50))),
                "decay_steps": ww + int(rng.integers(1, 400)),
                "end_value": float(rng.uniform(0, 0.1)),
            }
            for _ in range(cycles)
        ]
        return (kw,)
    if name == "join_schedules":
        bounds = sorted(int(x) for x in rng.integers(0, 1000, size=2))
        return (
            [
                (P.linear_schedule(i, e, n), optax.linear_schedule(i, e, n)),
                (P.cosine_decay_schedule(abs(e), n), optax.cosine_decay_schedule(abs(e), n)),
                (P.exponential_decay(i, n, 0.5), optax.exponential_decay(i, n, 0.5)),
            ],
            bounds,
        )
    raise AssertionError(name)


NAMES = sorted(P.__all__)


def _both(name, args):
    if name == "join_schedules":
        pairs, bounds = args
        return P.join_schedules([p for p, _ in pairs], bounds), optax.join_schedules(
            [o for _, o in pairs], bounds
        )
    return getattr(P, name)(*args), getattr(optax, name)(*args)


def _allowance(name, args, counts, expected):
    """optax's own extra float32 loss, where its formula amplifies a rounding (module docstring)."""
    if name == "polynomial_schedule" and args[3] > 0 and args[2] not in (0.0, 1.0):
        i, e, power, t, b = args
        frac = 1 - np.clip(counts - max(b, 0), 0, t) / t
        with np.errstate(divide="ignore"):
            slope = np.where(frac > 0, abs(i - e) * power * frac ** (power - 1.0), np.inf)
        return 4 * 2.0**-24 * np.minimum(slope, abs(i - e) * 2**12)
    if name in ("cosine_decay_schedule", "warmup_cosine_decay_schedule") and args[-1] < 1:
        # c ** e with e < 1: optax's float32 cosine c = (1 + cos) / 2 is off by ~2**-24
        # absolutely, and the slope e * c ** (e - 1) amplifies it where c is small.
        if name == "cosine_decay_schedule":
            amplitude, begin, length, exponent = abs(args[0] * (1 - args[2])), 0, args[1], args[3]
        else:
            peak, w, d, end, exponent = args[1:]
            amplitude, begin, length = abs(peak - end), w, d - w
        c = 0.5 * (1 + np.cos(np.pi * np.clip(counts - begin, 0, length) / length))
        ulp = 4 * 2.0**-24
        with np.errstate(divide="ignore"):
            slope = np.where(c > 0, exponent * c ** (exponent - 1), np.inf)
        return amplitude * np.minimum(slope * ulp, 2 * ulp**exponent)
    if name in ("exponential_decay", "warmup_exponential_decay_schedule"):
        # r ** p in float32: the rounding of the exponent is relative to its size.
        init = args[0] if name == "exponential_decay" else args[1]
        with np.errstate(divide="ignore", invalid="ignore"):
            exponent = np.abs(np.log(np.abs(expected / init)))
        return 8 * 2.0**-24 * np.abs(expected) * (1.0 + np.nan_to_num(exponent, posinf=0.0))
    return 0.0


def _check(ours, theirs, rel, extra=0.0):
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    scale = np.max(np.abs(theirs))
    bad = np.abs(ours - theirs) > rel * (np.abs(theirs) + scale) + extra
    assert not bad.any(), (np.argmax(bad), ours[np.argmax(bad)], theirs[np.argmax(bad)])


def _not_on_a_stair(name, args, steps):
    """All steps but the exact multiples of `transition_steps` of a staircase decay.

    There XLA's float32 division (a multiplication by the reciprocal) can round
    ``164 / 164`` to 0.99999994, so optax keeps the previous stair for that one step;
    lrdecay divides exactly on every path (test_float32_staircase_under_jit_is_exact).
    """
    keep = np.ones(steps.shape, bool)
    if name in ("exponential_decay", "warmup_exponential_decay_schedule"):
        t, begin, staircase = (
            (args[1], args[3], args[4]) if name == "exponential_decay" else (args[3], args[5], args[6])
        )
        if staircase and t > 0:
            local = steps - (0 if name == "exponential_decay" else args[2]) - max(begin, 0)
            keep = ~((local > 0) & (local % t == 0))
    return keep


#: optax schedules that do not broadcast over an array of counts (evaluated with vmap).
SCALAR_ONLY = {"piecewise_interpolate_schedule", "linear_onecycle_schedule", "cosine_onecycle_schedule"}


def _optax_curve(name, schedule, counts, dtype, compiled=False):
    """optax's curve over `counts`: one call on the array, or vmapped for SCALAR_ONLY.

    ``compiled=True`` jits the vmapped call: one XLA compilation, cheaper than the
    per-operation compilations of an eager vmap when a test has few draws of a new
    dtype (the x64 test); the float32 test's many draws reuse the eager operations.
    """
    if name in SCALAR_ONLY:
        curve = jax.vmap(lambda c: jnp.asarray(schedule(c), dtype))
        return np.asarray((jax.jit(curve) if compiled else curve)(counts), np.float64)
    return np.asarray(jnp.broadcast_to(jnp.asarray(schedule(counts), dtype), counts.shape), np.float64)


def _rebound(schedule, dtype):
    """`schedule`'s own code with the numbers of its closure passed in, to batch draws.

    optax's closure runs as it is, only with its numbers (and tuples of numbers) as
    traced values, so one compiled function evaluates every draw of the same shape.
    Returns (that shape: the code, the lengths, the other closure values), the numbers
    (ints as int32, floats as `dtype`), and ``call(numbers, count)``.
    """

    def numeric(x):
        return isinstance(x, (int, float)) and not isinstance(x, bool)

    def traced(x):
        return jnp.asarray(x, jnp.int32 if isinstance(x, int) else dtype)

    cells = [c.cell_contents for c in schedule.__closure__]
    passed = [numeric(x) or (isinstance(x, tuple) and all(map(numeric, x))) for x in cells]
    lengths = [
        (len(x) if isinstance(x, tuple) else None) if p else x for x, p in zip(cells, passed, strict=True)
    ]
    shape = (schedule.__code__, *lengths)
    numbers = [
        tuple(map(traced, x)) if isinstance(x, tuple) else traced(x)
        for x, p in zip(cells, passed, strict=True)
        if p
    ]

    def call(values, count):
        values = iter(values)
        closure = tuple(types.CellType(next(values) if p else x) for x, p in zip(cells, passed, strict=True))
        own = types.FunctionType(schedule.__code__, schedule.__globals__, None, None, closure)
        return jnp.asarray(own(count), dtype)

    return shape, numbers, call


def _batched_curves(schedules, counts, dtype):
    """SCALAR_ONLY optax curves, draws of one shape in one jitted vmap (module docstring)."""
    groups = {}
    for i, schedule in enumerate(schedules):
        key, numbers, call = _rebound(schedule, dtype)
        groups.setdefault(key, ([], [], call))
        groups[key][0].append(i)
        groups[key][1].append(numbers)
    out = [None] * len(schedules)
    for index, numbers, call in groups.values():
        stacked = jax.tree_util.tree_map(lambda *xs: jnp.stack(xs), *numbers)
        per_draw = jax.vmap(lambda values, call=call: jax.vmap(lambda c: call(values, c))(counts))
        for i, curve in zip(index, np.asarray(jax.jit(per_draw)(stacked), np.float64), strict=True):
            out[i] = curve
    return out


def _jitted_curves(schedules, counts):
    """Each schedule's curve under ``jax.jit``, all in one compiled function (one compilation)."""
    return [np.asarray(c) for c in jax.jit(lambda c: [s(c) for s in schedules])(counts)]


@pytest.mark.parametrize("name", NAMES)
def test_float32_equals_optax(name):
    rng = np.random.default_rng(NAMES.index(name))
    counts = jnp.arange(STEPS, dtype=jnp.int32)
    steps = np.arange(STEPS)
    draws = [(args, *_both(name, args)) for args in (_draw(rng, name) for _ in range(DRAWS))]
    if name in SCALAR_ONLY:
        curves = _batched_curves([theirs for _, _, theirs in draws], counts, jnp.float32)
        for curve, (_, _, theirs) in zip(curves[:JITTED], draws, strict=False):
            # The batch is optax's own closure, compiled: within a rounding of its eager curve.
            _check(curve, _optax_curve(name, theirs, counts, jnp.float32), 2 * 2.0**-24)
    else:
        curves = [_optax_curve(name, theirs, counts, jnp.float32) for _, _, theirs in draws]
    under_jit = []  # the first JITTED draws, compared again under one jax.jit after the loop
    for draw, ((args, ours, _), expected) in enumerate(zip(draws, curves, strict=True)):
        assert isinstance(ours, lrdecay.Schedule)
        extra = _allowance(name, args, steps, expected)
        keep = _not_on_a_stair(name, args, steps)
        extra = extra if np.isscalar(extra) else extra[keep]
        got = lrdecay.evaluate(ours, steps, dtype=np.float32)
        _check(got[keep], expected[keep], 8 * 2.0**-24, extra)
        if draw < JITTED:
            under_jit.append((ours, expected[keep], keep, extra))
    jitted = _jitted_curves([ours for ours, *_ in under_jit], counts)
    for curve, (_, expected, keep, extra) in zip(jitted, under_jit, strict=True):
        assert curve.dtype == np.float32
        _check(curve[keep], expected, 8 * 2.0**-24, extra)


@pytest.mark.parametrize("name", NAMES)
def test_float64_with_x64_equals_optax(name):
    """x64: optax in float64, lrdecay under jit in float64 and in numpy, to 1e-12 (1e-15 of the scale)."""
    rng = np.random.default_rng(1000 + NAMES.index(name))
    steps = np.arange(STEPS)
    with jax.enable_x64(True):
        counts = jnp.arange(STEPS, dtype=jnp.int64)
        under_jit = []
        for draw in range(X64_DRAWS if name not in SCALAR_ONLY else X64_DRAWS // 4):
            args = _draw(rng, name)
            ours, theirs = _both(name, args)
            expected = _optax_curve(name, theirs, counts, jnp.float64, compiled=True)
            # optax's amplified roundings again, now at float64's 2**-53.
            extra = _allowance(name, args, steps, expected) * 2.0**-29
            got = lrdecay.evaluate(ours, steps)
            bad = np.abs(got - expected) > 1e-12 * np.abs(expected) + 1e-15 * np.max(np.abs(expected)) + extra
            assert not bad.any(), (args, np.argmax(bad))
            if draw < JITTED:
                under_jit.append((ours, got))
        jitted = _jitted_curves([ours for ours, _ in under_jit], counts)
        for curve, (_, got) in zip(jitted, under_jit, strict=True):
            assert curve.dtype == np.float64
            _check(curve, got, 1e-14)


def test_float32_staircase_under_jit_is_exact():
    """lrdecay's jitted float32 staircase is on the right stair at every count; optax's is not."""
    n, rate = 20_000, 0.999
    counts, stair = jnp.arange(n, dtype=jnp.int32), np.arange(n) // 164
    ours = P.exponential_decay(1.0, 164, rate, staircase=True)
    theirs = optax.exponential_decay(1.0, 164, rate, staircase=True)

    def stairs(values):
        return np.round(np.log(np.asarray(values, np.float64)) / np.log(rate))

    assert (stairs(jax.jit(ours)(counts)) == stair).all()
    assert (stairs(lrdecay.evaluate(ours, np.arange(n), dtype=np.float32)) == stair).all()
    off = np.flatnonzero(stairs(jax.jit(theirs)(counts)) != stair)
    assert off.size and (off % 164 == 0).all()  # optax: the previous stair at some exact multiples


def test_inside_inject_hyperparams_and_jit():
    schedule = P.warmup_cosine_decay_schedule(0.0, 0.1, warmup_steps=10, decay_steps=100, end_value=0.001)
    opt = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
    params = {"w": jnp.ones(3)}
    state = opt.init(params)

    @jax.jit
    def step(params, state):
        updates, state = opt.update({"w": jnp.ones(3)}, state, params)
        return optax.apply_updates(params, updates), state

    seen = []
    for _ in range(30):
        params, state = step(params, state)
        seen.append(float(state.hyperparams["learning_rate"]))
    reference = optax.warmup_cosine_decay_schedule(0.0, 0.1, 10, 100, 0.001)
    # inject_hyperparams evaluates the schedule at the count before incrementing it.
    np.testing.assert_allclose(seen, [float(reference(k)) for k in range(30)], rtol=2e-6, atol=1e-9)
    # And as a plain optax learning rate.
    sgd = optax.sgd(schedule)
    s = sgd.init(params)
    updates, s = jax.jit(sgd.update)({"w": jnp.ones(3)}, s, params)
    assert float(updates["w"][0]) == pytest.approx(-float(schedule(0)), abs=1e-12)


@pytest.mark.parametrize("count", [2**31 - 1, 2**31 - 2, 2**30 + 2**29])
def test_int32_counts_near_overflow(count):
    """lrdecay turns the count into a float before any arithmetic: no int32 wrap-around."""
    cases = [
        (P.linear_schedule(1.0, 0.5, 100, transition_begin=2**30), 0.5),
        (P.polynomial_schedule(1.0, 0.1, 2.0, 1000, transition_begin=50), 0.1),
        (P.exponential_decay(1.0, 1000, 0.5, transition_begin=10, end_value=0.01), 0.01),
        (P.warmup_cosine_decay_schedule(0.0, 1.0, 10, 1000, end_value=0.1), 0.1),
        (P.piecewise_constant_schedule(1.0, {10: 0.1, 2**30: 0.5}), 0.05),
        (P.cosine_onecycle_schedule(1000, 1.0), 1.0 / 25 / 1e4),
    ]
    c = jnp.int32(count)
    for schedule, hold in cases:
        assert float(jax.jit(schedule)(c)) == pytest.approx(hold, rel=1e-6)
        assert schedule(count) == pytest.approx(hold, rel=1e-12)
    # optax itself, at int32 counts this large, where it is right:
    assert float(optax.linear_schedule(1.0, 0.5, 100, transition_begin=2**30)(c)) == pytest.approx(0.5)


def test_huge_counts_in_float64():
    s = P.exponential_decay(1.0, 10, 0.5, staircase=True, end_value=0.25)
    assert s(2**53) == 0.25
    assert P.linear_schedule(0.0, 1.0, 2**40)(2**39) == 0.5


def test_optax_edge_cases():
    """optax's boundary and degenerate cases, against optax itself (its schedule_test cases)."""
    cases = [
        ("constant_schedule", (5,), [0, 1, 100]),
        ("polynomial_schedule", (10.0, 0.0, 1, 0), [0, 5, 100]),  # 0 steps: constant
        ("polynomial_schedule", (10.0, 2.0, 2, -4), [0, 5]),  # negative steps: constant
        ("polynomial_schedule", (10.0, 2.0, 0.0, 10), [0, 5, 10, 20]),  # power 0: constant (0 ** 0 == 1)
        ("linear_schedule", (10.0, 20.0, 10, -5), [0, 1, 10, 11]),  # negative begin counts as 0
        ("linear_schedule", (-1.0, -3.0, 4, 2), [0, 2, 3, 6, 9]),  # negative values
        ("exponential_decay", (0.1, 0, 0.5), [0, 10]),
        ("exponential_decay", (0.1, 10, 0.0), [0, 10]),  # rate 0: constant
        ("exponential_decay", (0.1, 10, 2.0, 0, False, 0.3), [0, 10, 20, 30]),  # end as a ceiling
        ("exponential_decay", (0.1, 10, 0.5, 0, True, 0.02), [0, 9, 10, 29, 30, 1000]),  # a floor
        ("exponential_decay", (-0.1, 10, 0.5, 3), [0, 3, 4, 13]),
        ("piecewise_constant_schedule", (1.0, {0: 0.5, 5: 0.0, 3: 4.0}), [0, 2, 3, 4, 5, 6]),
        ("piecewise_constant_schedule", (1.0, None), [0, 7]),
        ("piecewise_interpolate_schedule", ("cosine", 2.0, {0: 0.5, 5: 2.0, 6: 0.0}), [0, 1, 4, 5, 6, 7]),
        ("piecewise_interpolate_schedule", ("linear", 2.0, {}), [0, 7]),
        ("cosine_decay_schedule", (1.0, 10, 1.5), [0, 5, 10, 11]),  # alpha > 1: a rise
        ("cosine_decay_schedule", (2.0, 10, 0.1, 3.0), [0, 3, 5, 9, 10, 11]),  # exponent: sharper
        ("cosine_decay_schedule", (-1.0, 10, 0.0, 0.5), [0, 5, 9, 10]),  # softer, negative values
        ("warmup_cosine_decay_schedule", (0.0, 1.0, 2, 6, 0.1, 2.0), list(range(9))),
        ("warmup_cosine_decay_schedule", (0.0, 1.0, 2, 6, 0.1), list(range(9))),
        ("warmup_cosine_decay_schedule", (0.0, 0.0, 2, 6, 0.1), list(range(9))),  # peak 0: alpha 0
        ("warmup_cosine_decay_schedule", (0.5, 1.0, 0, 6), [0, 3, 6, 7]),
    ]
    for name, args, counts in cases:
        ours, theirs = getattr(P, name)(*args), getattr(optax, name)(*args)
        for k in counts:
            assert ours(k) == pytest.approx(float(theirs(k)), rel=1e-6, abs=1e-7), (name, args, k)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.cosine_decay_schedule(1.0, 0),
        lambda m: m.cosine_decay_schedule(1.0, -5),
        lambda m: m.warmup_cosine_decay_schedule(0.0, 1.0, 10, 10),
        lambda m: m.piecewise_constant_schedule(1.0, {5: -0.1}),
        lambda m: m.piecewise_interpolate_schedule("cubic", 1.0, {5: 0.1}),
        lambda m: m.piecewise_interpolate_schedule("linear", 1.0, {5: -0.1}),
        lambda m: m.linear_onecycle_schedule(0, 1.0),
        lambda m: m.cosine_onecycle_schedule(-1, 1.0),
    ],
)
def test_errors_are_optax(call):
    def error(module):
        with pytest.raises(ValueError, match=r"\S") as info:
            call(module)
        return str(info.value)

    assert error(P) == error(optax)


def test_what_lrdecay_rejects_that_optax_takes():
    with pytest.raises(ValueError, match=r"Argument `exponent` must be >= 0\. Received: exponent=-1\.0"):
        P.cosine_decay_schedule(1.0, 10, exponent=-1.0)  # optax: inf at the end
    with pytest.raises(ValueError, match="decay_rate"):
        P.exponential_decay(1.0, 10, -0.5)  # optax: NaN
    with pytest.raises(ValueError, match="power"):
        P.polynomial_schedule(1.0, 0.0, -1.0, 10)  # optax: inf at the end
    with pytest.raises(TypeError, match="schedules"):
        P.join_schedules([lambda c: 0.1, P.constant_schedule(0.2)], [10])  # optax takes any callable
    with pytest.raises(ValueError, match="sorted"):
        P.join_schedules([0.1, 0.2, 0.3], [20, 10])

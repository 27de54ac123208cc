"""The combinators (schedules/compose.py) on every kind of step, saved, parsed, trained with.

* Every boundary ``b`` of every combinator at ``b-1``, ``b``, ``b+1``: Python numbers,
  numpy, torch, jax under ``jax.jit`` (x64) and TensorFlow under ``tf.function``, all
  float64, against the independent oracle (tests/reference.py).
* Nested schedules (three deep) survive ``from_config(get_config())``, ``serialize`` /
  ``deserialize``, JSON, pickle and ``parse(repr(s))``; Keras ``model.save`` /
  ``load_model`` through ``to_keras``; torch's ``LRScheduler`` with its ``state_dict``;
  optax's ``inject_hyperparams`` and ``scale_by_schedule`` under ``jit``.

(Edge steps up to 2**53 and hairs: tests/test_edges.py; the peers' curves:
tests/test_compose_parity.py.)
"""

from __future__ import annotations

import json
import math
import pickle

import numpy as np
import pytest
import reference as R

import lrdecay
from lrdecay import (
    Clip,
    Constant,
    CosineDecay,
    ExponentialDecay,
    InverseTimeDecay,
    Join,
    Linear,
    Maximum,
    Minimum,
    PiecewiseConstantDecay,
    PolynomialDecay,
    Power,
    Product,
    Repeat,
    Shift,
    Sum,
    TimeScale,
    Warmup,
)
from lrdecay._pieces import floor_div
from lrdecay._xp import NUMPY

#: Three deep: a TimeScale of a Join of a Warmup and a Repeat, scaled, plus a Clip of a Shift.
DEEP = TimeScale(
    Join([Warmup(CosineDecay(1.0, 6), 2, shape="cosine"), Repeat(Linear(0.5, 0.0, 4), 4)], [8]),
    steps_per_unit=4,
) * 0.5 + Clip(Shift(Linear(1.0, 0.0, 64), 16), minimum=0.125, maximum=0.75)
DEEP_2 = Warmup(
    Join(
        [
            Minimum(CosineDecay(0.1, 100), Linear(0.2, 0.0, 80)),
            Repeat(Maximum(ExponentialDecay(0.05, 5, 0.5), 0.01), 20),
        ],
        [60],
        clock="global",
    ),
    10,
    start=0.001,
)

#: id -> (schedule, the steps where its curve changes: each is checked at b-1, b, b+1).
BOUNDARIES = {
    "constant": (Constant(0.25), [1]),
    "linear": (Linear(0.0, 0.1, 50), [50]),
    "linear-down": (Linear(0.3, 0.1, 7.5), [7.5]),
    "warmup-linear": (Warmup(CosineDecay(1.0, 100), 20), [20, 120]),
    "warmup-cosine": (Warmup(ExponentialDecay(0.2, 40, 0.5, staircase=True), 25, 0.01, "cosine"), [25, 65]),
    "join-local": (Join([Linear(0.0, 0.1, 30), CosineDecay(0.1, 200), 0.001], [30, 230]), [30, 230]),
    "join-global": (
        Join([Linear(0.0, 0.1, 40), PolynomialDecay(0.1, 300, 0.0)], [40], clock="global"),
        [40, 300],
    ),
    "join-equal-and-0": (Join([0.3, 0.2, InverseTimeDecay(0.1, 10, 0.5), 0.05], [0, 0, 16]), [0, 16]),
    "sum": (CosineDecay(0.09, 200) + 0.01, [200]),
    "product": (Linear(0.0, 1.0, 20) * ExponentialDecay(0.1, 50, 0.5, staircase=True), [20, 50]),
    # Sums and products of two are folded into one function (`_fold_two`): each form.
    "affine": (0.01 + 0.09 * CosineDecay(1.0, 100), [100]),
    "sum-number-right": (Linear(0.3, 0.0, 30) + 0.02, [30]),
    "sum-of-two": (Linear(0.0, 0.1, 30) + CosineDecay(0.05, 60), [30, 60]),
    "product-number-right": (CosineDecay(1.0, 40) * 0.25, [40]),
    "sum-number-and-schedule": (0.5 + Linear(0.0, 1.0, 10) * CosineDecay(1.0, 20), [10, 20]),
    "minimum": (Minimum(Linear(0.0, 1.0, 100), Linear(1.0, 0.0, 100)), [50, 100]),
    "maximum": (Maximum(CosineDecay(0.1, 200), 0.02, Linear(0.05, 0.0, 100)), [100, 200]),
    "clip": (Clip(Linear(1.0, 0.0, 100), 0.25, 0.75), [25, 75]),
    "shift": (Shift(CosineDecay(0.1, 100), 40), [40, 140]),
    "repeat": (Repeat(Linear(1.0, 0.0, 8), 8), [8, 16, 8 * 10**6]),
    "repeat-fractional": (Repeat(CosineDecay(0.1, 50), 37.5), [75, 150]),
    "repeat-sgdr": (Repeat(CosineDecay(0.1, 40), 40, period_mul=2, decay=0.5), [40, 120, 280]),
    "power": (Power(Linear(1.0, 0.0, 40), 0.5), [40]),
    "timescale-power": (TimeScale(CosineDecay(0.1, 1.0), 60, power=2), [60]),
    "timescale": (TimeScale(ExponentialDecay(0.1, 1, 0.5, staircase=True), 30), [30, 60]),
    "timescale-discrete": (
        TimeScale(PiecewiseConstantDecay([2, 5], [0.1, 0.05, 0.01]), 20, True),
        [40, 60, 100],
    ),
    "timescale-discrete-3": (
        TimeScale(Repeat(Linear(1.0, 0.0, 4), 4), 3, discrete=True),
        [3, 12, 3 * 10**12],
    ),
    "deep": (DEEP, [8, 16, 32, 40, 48, 64, 80]),
    "deep-2": (DEEP_2, [10, 70, 90, 110]),
}
IDS = list(BOUNDARIES)


def _steps(bounds) -> list[int]:
    return sorted(
        {
            s
            for b in bounds
            for s in (math.floor(b) - 1, math.floor(b), math.ceil(b), math.ceil(b) + 1)
            if s >= 0
        }
        | {0}
    )


def _case(name):
    schedule, bounds = BOUNDARIES[name]
    steps = _steps(bounds)
    want = np.array([R.expected(type(schedule).__name__, schedule.get_config(), k) for k in steps])
    atol = 1e-15 * max(1.0, float(np.max(np.abs(want))))
    return schedule, steps, want, atol


def _peak(want) -> float:
    return max(1e-300, float(np.max(np.abs(want))))


def _small(steps, want):
    """The steps float32 holds exactly (below 2**24), with their expected values."""
    keep = [i for i, k in enumerate(steps) if k < 2**24]
    return [steps[i] for i in keep], want[keep]


def test_every_combinator_has_boundary_cases():
    import lrdecay.schedules.compose as compose

    combinators = {n for n in compose.__all__ if isinstance(getattr(compose, n), type)}
    covered = set()
    for schedule, _ in BOUNDARIES.values():
        stack = [schedule]
        while stack:  # the classes inside the nested ones count too
            s = stack.pop()
            covered.add(type(s).__name__)
            stack += [getattr(s, "schedule", None), *getattr(s, "schedules", ())]
            stack = [x for x in stack if isinstance(x, lrdecay.Schedule)]
    assert combinators <= covered, combinators - covered


@pytest.mark.parametrize("name", IDS)
def test_boundaries_python_numbers_and_numpy(name):
    schedule, steps, want, atol = _case(name)
    np.testing.assert_allclose([schedule(k) for k in steps], want, rtol=1e-12, atol=atol)
    np.testing.assert_allclose([schedule(float(k)) for k in steps], want, rtol=1e-12, atol=atol)
    np.testing.assert_allclose(schedule(np.array(steps, dtype=np.int64)), want, rtol=1e-12, atol=atol)
    np.testing.assert_allclose(lrdecay.evaluate(schedule, np.array(steps)), want, rtol=1e-12, atol=atol)
    # One step at a time through numpy too (a chunk inside one piece takes a shortcut).
    np.testing.assert_allclose([schedule(np.array([k]))[0] for k in steps], want, rtol=1e-12, atol=atol)


@pytest.mark.parametrize("name", IDS)
def test_boundaries_torch(name):
    torch = pytest.importorskip("torch")
    schedule, steps, want, atol = _case(name)
    out = schedule(torch.tensor(steps, dtype=torch.float64))
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float64
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-12, atol=atol)
    ints, small = _small(steps, want)  # an int counter: computed in the default float32
    out = schedule(torch.tensor(ints, dtype=torch.int64))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), small, rtol=1e-5, atol=1e-6 * _peak(want))


@pytest.mark.parametrize("name", IDS)
def test_boundaries_jax_jit(name):
    jax = pytest.importorskip("jax")
    schedule, steps, want, atol = _case(name)
    with jax.enable_x64(True):
        fn = jax.jit(schedule)
        for dtype in (jax.numpy.float64, jax.numpy.int64):  # under x64 an int is computed in float64
            out = fn(jax.numpy.asarray(steps, dtype=dtype))
            assert out.dtype == jax.numpy.float64
            np.testing.assert_allclose(np.asarray(out), want, rtol=1e-12, atol=atol)
        # One step at a time: a jitted scalar counter, as optax gives it.
        np.testing.assert_allclose(
            [float(fn(jax.numpy.asarray(k))) for k in steps], want, rtol=1e-12, atol=atol
        )


@pytest.mark.parametrize("name", IDS)
def test_boundaries_tf_function(name):
    tf = pytest.importorskip("tensorflow")
    schedule, steps, want, atol = _case(name)
    fn = tf.function(lambda x: schedule(x))
    out = fn(tf.constant(steps, dtype=tf.float64))
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-12, atol=atol)
    step = tf.Variable(0.0, dtype=tf.float64)  # a counter read inside the graph, as Keras does
    got = []
    for k in steps:
        step.assign(k)
        got.append(float(fn(step)))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=atol)
    ints, small = _small(steps, want)  # an int counter: computed in float32
    out = fn(tf.constant(ints, dtype=tf.int64))
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), small, rtol=1e-5, atol=1e-6 * _peak(want))


# -- floor_div (Repeat, TimeScale(discrete=True)) -------------------------------------------


FOLDED = [
    0.01 + 0.09 * CosineDecay(1.0, 100),
    0.01 + CosineDecay(1.0, 100) * 0.09,  # the product's number on the right: not peeled
    CosineDecay(0.3, 100) + 0.02,
    0.02 + CosineDecay(0.3, 100),
    Linear(0.0, 0.1, 30) + CosineDecay(0.05, 60),
    0.7 * CosineDecay(1.0, 40),
    CosineDecay(1.0, 40) * 0.7,
    Linear(0.0, 1.0, 30) * CosineDecay(1.0, 60),
    Sum(0.5, 0.25),
    Product(0.5, 0.25),
]


@pytest.mark.parametrize("s", FOLDED, ids=repr)
def test_a_folded_sum_or_product_of_two_is_the_generic_fold_to_the_bit(s):
    from lrdecay._xp import SCALAR
    from lrdecay.schedules.compose import _Nary

    assert s._f is not _Nary._f.__get__(s)  # it was folded
    for k in [0, 1, 7, 29, 30, 31, 50, 99, 100, 101, 10**9, 0.5, 33.25]:
        assert s._f(k, SCALAR) == _Nary._f(s, k, SCALAR), k
    steps = np.arange(0, 130, 0.5)
    np.testing.assert_array_equal(s._f(steps, NUMPY), _Nary._f(s, steps, NUMPY))


@pytest.mark.parametrize("d", [3, 5, 6, 7, 1000003, 2**26 + 1, 3 * 2**40])
def test_floor_div_is_exact_up_to_2_53(d):
    """Regression: ``(q + 1) * d`` rounded onto ``s = 2**53`` (d = 3), moving q one up."""
    ints = [2**53, 2**53 - 1, 2**53 - 2, 2**53 - d, 2**53 - d - 1, (2**53 // d) * d, (2**53 // d) * d - 1]
    ints += [k * d + r for k in (1, 10**6, 10**12 // d) for r in (-1, 0, 1) if 0 <= k * d + r <= 2**53]
    got = floor_div(np.array(ints, dtype=np.float64), float(d), NUMPY)
    assert [int(q) for q in got] == [k // d for k in ints]
    s = Repeat(Linear(0.0, 2.0**53, 2**53), d)  # the identity, restarted: shows the remainder
    np.testing.assert_array_equal(s(np.array(ints, dtype=np.float64)), [float(k % d) for k in ints])
    t = TimeScale(Linear(0.0, 2.0**53, 2**53), d, discrete=True)
    np.testing.assert_array_equal(t(np.array(ints, dtype=np.int64)), [float(k // d) for k in ints])


# -- serialization and specs of nested schedules --------------------------------------------

NESTED = [DEEP, DEEP_2, Warmup(Join([0.1, Repeat(Linear(0.1, 0.0, 10), 10)], [5]), 3) * 2 + 0.5]


@pytest.mark.parametrize("schedule", NESTED, ids=["deep", "deep-2", "warmup-join-repeat"])
def test_nested_round_trips(schedule):
    steps = np.arange(0, 300, dtype=np.float64)
    want = schedule(steps)
    config = schedule.get_config()
    revived = [
        type(schedule).from_config(config),
        type(schedule).from_config(json.loads(json.dumps(config))),
        lrdecay.deserialize(lrdecay.serialize(schedule)),
        lrdecay.deserialize(json.loads(json.dumps(lrdecay.serialize(schedule)))),
        pickle.loads(pickle.dumps(schedule)),
        lrdecay.parse(repr(schedule)),
    ]
    for other in revived:
        assert other == schedule and hash(other) == hash(schedule) and repr(other) == repr(schedule)
        np.testing.assert_array_equal(other(steps), want)
    # Three deep, really: the config nests schedule configs at least three levels down.
    assert json.dumps(config).count('"class_name"') >= 6


def test_repr_of_a_deep_schedule_reads_as_written():
    assert lrdecay.parse("0.5 * Warmup(Linear(1.0, 0.0, 10), 5) + 0.1") == Sum(
        Product(0.5, Warmup(Linear(1.0, 0.0, 10), 5)), 0.1
    )
    text = repr(DEEP)
    assert text.startswith(("0.5 * TimeScale(", "TimeScale("))
    assert " + Clip(" in text and lrdecay.parse(text) == DEEP


# -- Keras: model.save / load_model of a nested schedule -----------------------------------


def test_keras_save_and_load_model_of_a_nested_schedule(tmp_path):
    keras = pytest.importorskip("keras")
    pytest.importorskip("tensorflow")
    from lrdecay.keras import to_keras

    schedule = DEEP_2
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=to_keras(schedule)), loss="mse")
    x = np.ones((72, 2), dtype="float32")
    model.fit(x, x[:, :1], batch_size=1, epochs=1, shuffle=False, verbose=0)  # 72 updates: past 70
    path = tmp_path / "nested.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.optimizer._learning_rate.schedule == schedule
    assert int(loaded.optimizer.iterations.numpy()) == 72
    assert float(loaded.optimizer.learning_rate) == pytest.approx(schedule(72), rel=1e-6)
    loaded.fit(x[:20], x[:20, :1], batch_size=1, epochs=1, shuffle=False, verbose=0)
    assert float(loaded.optimizer.learning_rate) == pytest.approx(schedule(92), rel=1e-6)


# -- torch: LRScheduler with a Join of a Warmup over 200 steps, and resume ---------------------


def test_torch_lr_scheduler_with_a_join_of_warmups_and_resume():
    torch = pytest.importorskip("torch")
    from lrdecay.torch import LRScheduler

    schedule = Join([Warmup(CosineDecay(0.1, 90), 10), Warmup(Linear(0.05, 0.0, 80), 20, start=0.001)], [100])
    w = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    opt = torch.optim.SGD([w], lr=1.0)
    scheduler = LRScheduler(opt, schedule)
    for step in range(200):
        assert opt.param_groups[0]["lr"] == schedule(step), step
        before = w.detach().clone()
        w.grad = torch.ones_like(w)
        opt.step()
        scheduler.step()
        assert (before - w.detach())[0].item() == pytest.approx(schedule(step), rel=1e-12, abs=1e-15)
        if step == 104:
            state, opt_state = scheduler.state_dict(), opt.state_dict()
    # Resume from step 105 with a fresh optimizer and scheduler.
    w2 = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    opt2 = torch.optim.SGD([w2], lr=1.0)
    opt2.load_state_dict(opt_state)
    resumed = LRScheduler(opt2, schedule)
    resumed.load_state_dict(state)
    assert resumed.last_epoch == 105
    for step in range(105, 200):
        assert opt2.param_groups[0]["lr"] == schedule(step), step
        opt2.step()
        resumed.step()
    assert resumed.get_last_lr() == scheduler.get_last_lr() == [schedule(200)]


# -- optax: lrdecay schedules inside optax transformations under jit --------------------------


def test_optax_inject_hyperparams_and_scale_by_schedule_under_jit():
    jax = pytest.importorskip("jax")
    optax = pytest.importorskip("optax")
    jnp = jax.numpy
    schedule = DEEP_2
    counts = range(130)
    want = np.array([schedule(k) for k in counts])

    opt = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
    params = jnp.zeros(2)
    state = opt.init(params)
    update = jax.jit(opt.update)
    used, recorded = [], []
    for _ in counts:
        updates, state = update(jnp.ones(2), state, params)
        used.append(-float(updates[0]))
        recorded.append(float(state.hyperparams["learning_rate"]))
    # jax's float32: 1e-6 of the peak.
    np.testing.assert_allclose(used, want, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(recorded, want, rtol=1e-6, atol=1e-7)

    scale = optax.scale_by_schedule(schedule)
    state = scale.init(params)
    update = jax.jit(scale.update)
    got = []
    for _ in counts:
        updates, state = update(jnp.ones(2), state)
        got.append(float(updates[0]))
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    with jax.enable_x64(True):  # and exactly the float64 curve with x64
        scale = optax.scale_by_schedule(schedule)
        state = scale.init(jnp.zeros(2, dtype=jnp.float64))
        update = jax.jit(scale.update)
        got = []
        for _ in counts:
            updates, state = update(jnp.ones(2, dtype=jnp.float64), state)
            got.append(float(updates[0]))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda c, r: 0.9 - 0.05 * c, lambda c, r, k: 0.9 - 0.05 * c(k)),
        (lambda c, r: c - 0.1, lambda c, r, k: c(k) - 0.1),
        (lambda c, r: 1 - c, lambda c, r, k: 1 - c(k)),
        (lambda c, r: c - r, lambda c, r, k: c(k) - r(k)),
        (lambda c, r: -c, lambda c, r, k: -c(k)),
        (lambda c, r: -(0.5 + 2 * c), lambda c, r, k: -(0.5 + 2 * c(k))),
        (lambda c, r: c - (r - 0.25), lambda c, r, k: c(k) - (r(k) - 0.25)),
        (lambda c, r: 0.95 - (0.05 + 0.05 * c), lambda c, r, k: 0.95 - (0.05 + 0.05 * c(k))),
        (lambda c, r: c - (0.3 * r + 0.1 * c), lambda c, r, k: c(k) - (0.3 * r(k) + 0.1 * c(k))),
    ],
)
def test_subtraction_and_negation_are_exact_sums_that_parse(make, expected):
    c, line = CosineDecay(1.0, 40), Linear(0.0, 1.0, 25)
    s = make(c, line)
    assert isinstance(s, (Sum, Product))
    for k in range(60):
        assert s(k) == expected(c, line, k), k  # a - b == a + (-b) in IEEE arithmetic
    assert lrdecay.parse(repr(s)) == s
    assert lrdecay.deserialize(lrdecay.serialize(s)) == s


def test_the_sign_goes_into_the_numbers():
    c = CosineDecay(1.0, 40)
    assert repr(0.9 - 0.05 * c) == "0.9 + -0.05 * " + repr(c)
    assert -(0.5 * c) == Product(-0.5, c)
    assert -Constant(0.25) == Constant(-0.25)
    assert -c == Product(-1.0, c)
    assert -(0.5 + c) == Product(-1.0, Sum(0.5, c))  # not distributed: s - (a + b) stays exact
    assert repr(1 - (0.5 + c)) == "1 + -1.0 * (0.5 + " + repr(c) + ")"
    assert lrdecay.parse("0.9 - 0.05 * CosineDecay(1.0, 40)") == 0.9 - 0.05 * c
    assert lrdecay.parse("CosineDecay(1.0, 40) - Linear(0, 1, 5)") == c - Linear(0, 1, 5)
    assert lrdecay.parse("-CosineDecay(1.0, 40)") == -c

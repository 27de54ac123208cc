"""lrdecay.compat.v1: TensorFlow's tf.compat.v1.train decay functions.

Each returns a zero-argument callable that reads `global_step` on every call (as TF's do
in eager mode), whatever the counter is: an int, a callable, a numpy scalar or 0-d array,
a tf.Variable, a torch tensor. `float(result)` works. The signatures are TF's, exactly.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

import lrdecay
from lrdecay.compat import v1

# (function name, call with the step counter `gs`, the equivalent schedule)
FUNCTIONS = [
    (
        "exponential_decay",
        lambda gs: v1.exponential_decay(0.1, gs, 10, 0.5),
        lrdecay.ExponentialDecay(0.1, 10, 0.5),
    ),
    (
        "exponential_decay",
        lambda gs: v1.exponential_decay(0.1, gs, 3, 0.96, staircase=True, name="ed"),
        lrdecay.ExponentialDecay(0.1, 3, 0.96, True, "ed"),
    ),
    (
        "natural_exp_decay",
        lambda gs: v1.natural_exp_decay(0.1, gs, 10, 0.5),
        lrdecay.NaturalExpDecay(0.1, 10, 0.5),
    ),
    (
        "inverse_time_decay",
        lambda gs: v1.inverse_time_decay(0.1, gs, 10, 0.5, True),
        lrdecay.InverseTimeDecay(0.1, 10, 0.5, True),
    ),
    (
        "polynomial_decay",
        lambda gs: v1.polynomial_decay(0.1, gs, 10, 0.001, 0.5, True),
        lrdecay.PolynomialDecay(0.1, 10, 0.001, 0.5, True),
    ),
    (
        "piecewise_constant",
        lambda gs: v1.piecewise_constant(gs, [3, 7], [1.0, 0.5, 0.1]),
        lrdecay.PiecewiseConstantDecay([3, 7], [1.0, 0.5, 0.1]),
    ),
    (
        "piecewise_constant_decay",
        lambda gs: v1.piecewise_constant_decay(gs, [3, 7], [1.0, 0.5, 0.1]),
        lrdecay.PiecewiseConstantDecay([3, 7], [1.0, 0.5, 0.1]),
    ),
    ("cosine_decay", lambda gs: v1.cosine_decay(0.1, gs, 10, 0.1), lrdecay.CosineDecay(0.1, 10, 0.1)),
    (
        "cosine_decay_restarts",
        lambda gs: v1.cosine_decay_restarts(0.1, gs, 5, 2.0, 0.9, 0.1),
        lrdecay.CosineDecayRestarts(0.1, 5, 2.0, 0.9, 0.1),
    ),
    (
        "linear_cosine_decay",
        lambda gs: v1.linear_cosine_decay(0.1, gs, 10, 2.0, 0.1, 0.01),
        lrdecay.LinearCosineDecay(0.1, 10, 2.0, 0.1, 0.01),
    ),
    (
        "noisy_linear_cosine_decay",
        lambda gs: v1.noisy_linear_cosine_decay(0.1, gs, 10, 0.5, 0.2, 1.0, 0.1, 0.01),
        lrdecay.NoisyLinearCosineDecay(0.1, 10, 0.5, 0.2, 1.0, 0.1, 0.01, seed=0),
    ),
    (
        "cosine_learning_rate_with_linear_warmup",
        lambda gs: v1.cosine_learning_rate_with_linear_warmup(gs, 0.1, 0.01, 3, 10),
        lrdecay.CosineDecayWithLinearWarmup(0.1, 0.01, 3, 10),
    ),
]
IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(FUNCTIONS)]
STEPS = [0, 1, 2, 3, 4, 7, 8, 10, 12, 40]


@pytest.mark.parametrize("name, bind, schedule", FUNCTIONS, ids=IDS)
def test_int_step_gives_a_zero_argument_callable(name, bind, schedule):
    for step in STEPS:
        lr = bind(step)
        assert callable(lr)
        value = lr()
        assert type(value) is float and value == schedule(step)
        assert lr() == value  # an int counter is frozen: the same value every call
        assert float(lr) == value
        assert lr.schedule == schedule and lr.global_step == step
        with pytest.raises(TypeError):
            lr(step)  # zero arguments, like TF's functools.partial
    assert repr(bind(3)).startswith("DecayedLearningRate(")


@pytest.mark.parametrize("name, bind, schedule", FUNCTIONS, ids=IDS)
def test_a_callable_counter_is_read_on_every_call(name, bind, schedule):
    counter = [0]
    lr = bind(lambda: counter[0])
    seen = []
    for step in STEPS:
        counter[0] = step
        seen.append((lr(), float(lr)))
    assert seen == [(schedule(s), schedule(s)) for s in STEPS]


@pytest.mark.parametrize("name, bind, schedule", FUNCTIONS, ids=IDS)
def test_numpy_counters(name, bind, schedule):
    for step in (0, 7, 12):
        for scalar in (np.int64(step), np.int32(step), np.float64(step), np.float32(step)):
            assert bind(scalar)() == schedule(step)
    # A 0-d array updated in place (e.g. a shared counter) is re-read on each call.
    counter = np.array(0, dtype=np.int64)
    lr = bind(counter)
    for step in STEPS:
        counter[...] = step
        assert lr() == schedule(step)


@pytest.mark.parametrize("name, bind, schedule", FUNCTIONS, ids=IDS)
def test_float_steps(name, bind, schedule):
    assert bind(2.5)() == schedule(2.5)
    assert bind(4.0)() == schedule(4)


@pytest.mark.parametrize("name, bind, schedule", FUNCTIONS, ids=IDS)
def test_tf_variable_counter(name, bind, schedule):
    tf = pytest.importorskip("tensorflow")
    for dtype in (tf.int64, tf.float32):
        step = tf.Variable(0, dtype=dtype)
        lr = bind(step)
        values = []
        for _ in range(12):
            values.append(lr())
            step.assign_add(tf.cast(1, dtype))
        assert values == [schedule(s) for s in range(12)]
        assert float(lr) == schedule(12)


@pytest.mark.parametrize("name, bind, schedule", FUNCTIONS, ids=IDS)
def test_torch_tensor_counter(name, bind, schedule):
    torch = pytest.importorskip("torch")
    step = torch.tensor(0)
    lr = bind(step)
    for k in range(1, 13):
        step += 1  # in place: the callable sees it
        assert lr() == schedule(k)
    assert float(lr) == schedule(12)
    assert bind(torch.tensor(5.0))() == schedule(5)


def test_tensorflow_v1_also_rereads_a_variable():
    """The behaviour we copy: TF's eager v1 functions return a callable over the Variable."""
    tf = pytest.importorskip("tensorflow")
    step = tf.Variable(0, dtype=tf.int64)
    theirs = tf.compat.v1.train.exponential_decay(np.float64(0.1), step, 10, np.float64(0.5))
    ours = v1.exponential_decay(0.1, step, 10, 0.5)
    for _ in range(3):
        assert float(theirs()) == pytest.approx(ours(), rel=1e-12)
        step.assign_add(7)
    assert ours() == pytest.approx(0.1 * 0.5**2.1, rel=1e-14)


# -- signatures ---------------------------------------------------------------------------

TF_SIGNATURES = {
    "exponential_decay": "(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None)",
    "natural_exp_decay": "(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None)",
    "inverse_time_decay": "(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None)",
    "polynomial_decay": "(learning_rate, global_step, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False, name=None)",
    "piecewise_constant": "(x, boundaries, values, name=None)",
    "cosine_decay": "(learning_rate, global_step, decay_steps, alpha=0.0, name=None)",
    "cosine_decay_restarts": "(learning_rate, global_step, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name=None)",
    "linear_cosine_decay": "(learning_rate, global_step, decay_steps, num_periods=0.5, alpha=0.0, beta=0.001, name=None)",
    "noisy_linear_cosine_decay": (
        "(learning_rate, global_step, decay_steps, initial_variance=1.0, variance_decay=0.55, "
        "num_periods=0.5, alpha=0.0, beta=0.001, name=None)"
    ),
}


def _signature(fn) -> str:
    """The signature as TF writes it: names, order and defaults (our annotations left out)."""
    sig = inspect.signature(fn)
    bare = [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]
    return str(sig.replace(parameters=bare, return_annotation=inspect.Signature.empty))


@pytest.mark.parametrize("name", sorted(TF_SIGNATURES))
def test_signatures_are_tensorflows(name):
    assert _signature(getattr(v1, name)) == TF_SIGNATURES[name]


@pytest.mark.parametrize("name", sorted(TF_SIGNATURES))
def test_signatures_match_installed_tensorflow(name):
    tf = pytest.importorskip("tensorflow")
    theirs = inspect.signature(getattr(tf.compat.v1.train, name))
    ours = inspect.signature(getattr(v1, name))
    assert [(p.name, p.default, p.kind) for p in ours.parameters.values()] == [
        (p.name, p.default, p.kind) for p in theirs.parameters.values()
    ]
    if name == "piecewise_constant":
        assert hasattr(tf.compat.v1.train, "piecewise_constant_decay")
        assert inspect.signature(v1.piecewise_constant_decay) == ours


def test_tpu_function_signature():
    """tensorflow/tpu's argument order: the step first."""
    assert _signature(v1.cosine_learning_rate_with_linear_warmup) == (
        "(global_step, init_learning_rate, warmup_learning_rate, warmup_steps, total_steps)"
    )


def test_noisy_v1_has_no_seed_and_is_deterministic():
    """TF's v1 function has no seed; ours uses seed 0, so repeated calls agree (TF's don't)."""
    assert "seed" not in inspect.signature(v1.noisy_linear_cosine_decay).parameters
    lr = v1.noisy_linear_cosine_decay(1.0, 10, 1000)
    assert lr() == lr() == lrdecay.NoisyLinearCosineDecay(1.0, 1000, seed=0)(10)
    assert math.isfinite(lr())


def test_global_step_that_requires_grad_is_read():
    torch = pytest.importorskip("torch")
    step = torch.tensor(5.0, requires_grad=True)
    lr = v1.exponential_decay(0.1, step, 10, 0.5)
    assert lr() == pytest.approx(0.1 * 0.5**0.5, rel=1e-15)


@pytest.mark.parametrize("make", ["numpy", "torch"])
def test_global_step_with_several_values_is_refused(make):
    if make == "numpy":
        import numpy as np

        step = np.arange(3)
    else:
        step = pytest.importorskip("torch").arange(3)
    lr = v1.exponential_decay(0.1, step, 10, 0.5)
    with pytest.raises(
        ValueError, match=r"Argument `global_step` must hold a single step\. Received: global_step="
    ):
        lr()


def test_tf_variable_inside_tf_function():
    tf = pytest.importorskip("tensorflow")
    step = tf.Variable(0, dtype=tf.int64)
    lr = v1.exponential_decay(0.1, step, 10, 0.5)

    @tf.function
    def advance_and_read():
        step.assign_add(5)
        return lr()

    values = [float(advance_and_read()) for _ in range(3)]
    expected = [lrdecay.ExponentialDecay(0.1, 10, 0.5)(5 * k) for k in (1, 2, 3)]
    assert values == pytest.approx(expected, rel=1e-6)


def test_jax_traced_global_step():
    jax = pytest.importorskip("jax")
    sched = lrdecay.PolynomialDecay(0.05, 10, 0.001, cycle=True)

    @jax.jit
    def rate(step):
        return v1.polynomial_decay(0.05, step, 10, 0.001, cycle=True)()

    for k in (0, 10, 11, 15):
        assert float(rate(k)) == pytest.approx(sched(k), rel=1e-6)

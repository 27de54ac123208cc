"""Schedules on TensorFlow tensors and variables, eagerly and inside tf.function."""

from __future__ import annotations

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

import lrdecay  # noqa: E402

WARMUP = lrdecay.CosineDecay(0.0, decay_steps=150, alpha=0.1, warmup_target=0.5, warmup_steps=50)
STEPWISE = lrdecay.PiecewiseConstantDecay([30, 120], [0.3, 0.1, 0.01])
NOISY = lrdecay.NoisyLinearCosineDecay(0.2, 200, initial_variance=0.1, seed=3)
RESTARTS = lrdecay.CosineDecayRestarts(0.2, 40, t_mul=1.5, m_mul=0.8)
SCHEDULES = {"warmup-cosine": WARMUP, "piecewise": STEPWISE, "noisy": NOISY, "restarts": RESTARTS}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_hand_written_tf_training_loop_uses_schedule_of_step(name):
    """A tf.function train step reads the rate from a step variable: 200 updates."""
    sched = SCHEDULES[name]
    step = tf.Variable(0, dtype=tf.int64)
    w = tf.Variable(tf.zeros(2))

    @tf.function
    def train_step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w)  # unit gradient
        lr = sched(step)
        w.assign_sub(lr * tape.gradient(loss, w))
        step.assign_add(1)

    used = []
    for _ in range(200):
        before = w.numpy()[0]
        train_step()
        used.append(float(before - w.numpy()[0]))
    assert train_step.experimental_get_tracing_count() == 1  # the step is read, not baked in
    ref = np.array([sched(k) for k in range(200)])
    # float32 weights: the difference of two floats near -sum(lr) carries their rounding.
    np.testing.assert_allclose(used, ref, rtol=1e-4, atol=1e-5 * ref.max())


@pytest.mark.parametrize(
    "dtype, expected", [(tf.int64, tf.float32), (tf.int32, tf.float32), (tf.float64, tf.float64)]
)
def test_variables_are_read(dtype, expected):
    v = tf.Variable(37, dtype=dtype)
    out = WARMUP(v)
    assert isinstance(out, tf.Tensor) and out.dtype == expected
    np.testing.assert_allclose(out.numpy(), WARMUP(37), rtol=1e-6)
    v.assign(120)
    np.testing.assert_allclose(WARMUP(v).numpy(), WARMUP(120), rtol=1e-6)


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_dynamic_shapes_and_xla(name):
    sched = SCHEDULES[name]
    steps = np.arange(0, 400, 3)
    eager = sched(tf.constant(steps, tf.float32)).numpy()
    dynamic = tf.function(lambda s: sched(s), input_signature=[tf.TensorSpec([None], tf.int32)])
    xla = tf.function(lambda s: sched(s), jit_compile=True)
    np.testing.assert_allclose(
        dynamic(tf.constant(steps, tf.int32)).numpy(), eager, rtol=1e-6, atol=1e-6 * eager.max()
    )
    np.testing.assert_allclose(
        xla(tf.constant(steps, tf.float32)).numpy(), eager, rtol=1e-6, atol=1e-6 * eager.max()
    )
    np.testing.assert_allclose(eager, sched(steps.astype(np.float64)), rtol=1e-5, atol=1e-6 * eager.max())
    out_spec = dynamic.get_concrete_function().structured_outputs
    assert out_spec.shape.as_list() == [None]  # traced once for every length


def test_keras_optimizer_with_a_callable_learning_rate():
    """Keras also accepts a zero-argument callable: read the optimizer's own counter."""
    keras = pytest.importorskip("keras")
    opt = keras.optimizers.SGD()
    opt.learning_rate = lambda: STEPWISE(opt.iterations)
    w = keras.Variable(np.zeros(1, dtype="float32"))
    used = []
    for _ in range(130):
        w.assign(np.zeros(1, dtype="float32"))
        opt.apply([keras.ops.ones(1)], [w])
        used.append(-float(w.numpy()[0]))
    np.testing.assert_allclose(used, [STEPWISE(k) for k in range(130)], rtol=1e-6)

"""lrdecay.keras.to_keras with real Keras 3 optimizers, fit, save and load_model."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

import lrdecay  # noqa: E402
from examples import TRAINING, assert_close_to_float64  # noqa: E402
from lrdecay.keras import KerasSchedule, to_keras  # noqa: E402

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="these tests drive the TensorFlow backend"
)

WARMUP, STEPWISE, NOISY = TRAINING["warmup-cosine"], TRAINING["piecewise"], TRAINING["noisy"]
SCHEDULES = TRAINING
_close_to_float64 = assert_close_to_float64


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_sgd_update_at_each_of_200_steps_is_schedule_of_step(name):
    sched = SCHEDULES[name]
    opt = keras.optimizers.SGD(learning_rate=to_keras(sched))
    w = keras.Variable(np.zeros(3, dtype="float32"))
    used, reported = [], []
    for _ in range(200):
        reported.append(float(opt.learning_rate))  # what the optimizer says it will use
        w.assign(np.zeros(3, dtype="float32"))
        opt.apply([keras.ops.ones(3)], [w])  # unit gradient: w becomes -lr
        used.append(-float(w.numpy()[0]))
    assert int(opt.iterations.numpy()) == 200
    _close_to_float64(used, sched, range(200))
    assert used == reported


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_fit_uses_schedule_of_step_at_each_of_200_batches(name):
    sched = SCHEDULES[name]
    model = keras.Sequential(
        [keras.Input((1,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=to_keras(sched)), loss=lambda y, p: keras.ops.sum(p)
    )
    kernel = model.layers[0].kernel
    used, reported = [], []

    class Record(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            kernel.assign(np.zeros((1, 1), dtype="float32"))  # d loss / d kernel = x = 1
            reported.append(float(self.model.optimizer.learning_rate))

        def on_train_batch_end(self, batch, logs=None):
            used.append(-float(kernel.numpy()[0, 0]))

    x = np.ones((200, 1), dtype="float32")
    model.fit(x, x, batch_size=1, epochs=1, shuffle=False, verbose=0, callbacks=[Record()])
    _close_to_float64(used, sched, range(200))
    # `fit` evaluates inside a tf.function, `reported` eagerly: 1e-6 of the peak.
    np.testing.assert_allclose(used, reported, rtol=1e-6, atol=1e-6 * max(reported))


def test_call_computes_on_tensorflow_tensors_inside_tf_function():
    k = to_keras(WARMUP)
    it = tf.Variable(0, dtype=tf.int64)

    @tf.function
    def lr_now():
        return k(it)

    for step in (0, 25, 50, 51, 199, 5000):
        it.assign(step)
        out = lr_now()
        assert isinstance(out, tf.Tensor) and out.dtype == tf.float32
        np.testing.assert_allclose(out.numpy(), WARMUP(step), rtol=1e-6, atol=1e-7)
    eager = k(keras.Variable(np.int64(60), dtype="int64"))  # a Keras variable too
    np.testing.assert_allclose(np.asarray(eager), WARMUP(60), rtol=1e-6)


def test_config_round_trip_and_keras_serialization():
    k = to_keras(NOISY)
    assert to_keras(k) is k
    assert KerasSchedule.from_config(k.get_config()).schedule == NOISY
    data = keras.optimizers.schedules.serialize(k)
    assert data["registered_name"] == "lrdecay>KerasSchedule"
    assert data["config"] == {"schedule": lrdecay.serialize(NOISY)}
    back = keras.optimizers.schedules.deserialize(data)
    assert isinstance(back, KerasSchedule) and back.schedule == NOISY
    opt = keras.optimizers.Adam(learning_rate=k)
    restored = keras.optimizers.Adam.from_config(opt.get_config())
    assert restored._learning_rate.schedule == NOISY


def test_to_keras_refuses_non_schedules():
    with pytest.raises(TypeError, match="`schedule`"):
        to_keras(keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5))


# -- model.save / load_model resume -----------------------------------------------------


def _data(n=160):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n * 4, 3)).astype("float32")
    return x, np.sin(x.sum(axis=1, keepdims=True))


def _model(schedule):
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=to_keras(schedule), momentum=0.9), loss="mse")
    return model


class _Lrs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.lrs = []

    def on_train_batch_begin(self, batch, logs=None):
        self.lrs.append(float(self.model.optimizer.learning_rate))


@pytest.mark.parametrize(
    "schedule, resume_at",
    [(WARMUP, 50), (WARMUP, 37), (STEPWISE, 120), (STEPWISE, 121)],
    ids=["warmup-end", "mid-warmup", "piecewise-boundary", "after-boundary"],
)
def test_save_load_model_resume_equals_uninterrupted(schedule, resume_at, tmp_path):
    x, y = _data()
    total = 160
    full, rec = _model(schedule), _Lrs()
    full.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[rec])
    full_lrs = rec.lrs

    first, rec1 = _model(schedule), _Lrs()
    n = resume_at * 4
    first.fit(x[:n], y[:n], batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[rec1])
    path = tmp_path / "model.keras"
    first.save(path)
    del first
    model = keras.models.load_model(path)
    assert model.optimizer._learning_rate.schedule == schedule
    assert int(model.optimizer.iterations.numpy()) == resume_at
    np.testing.assert_allclose(float(model.optimizer.learning_rate), schedule(resume_at), rtol=1e-6)
    rec2 = _Lrs()
    model.fit(x[n:], y[n:], batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[rec2])

    assert len(full_lrs) == total
    assert rec1.lrs + rec2.lrs == full_lrs
    _close_to_float64(full_lrs, schedule, range(total))
    for a, b in zip(model.get_weights(), full.get_weights(), strict=False):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_load_model_in_a_fresh_process(tmp_path):
    model = _model(STEPWISE)
    x, y = _data(40)
    model.fit(x[:124], y[:124], batch_size=4, epochs=1, shuffle=False, verbose=0)  # 31 updates
    path = tmp_path / "model.keras"
    model.save(path)
    code = textwrap.dedent(
        f"""
        import keras, lrdecay, lrdecay.keras
        m = keras.models.load_model({str(path)!r})
        assert m.optimizer._learning_rate.schedule == lrdecay.PiecewiseConstantDecay([30, 120], [0.3, 0.1, 0.01])
        assert int(m.optimizer.iterations.numpy()) == 31
        print(float(m.optimizer.learning_rate))
        """
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    assert float(out.stdout.split()[-1]) == pytest.approx(0.1, rel=1e-6)


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_other_keras_backends(backend):
    pytest.importorskip(backend)
    code = textwrap.dedent(
        """
        import numpy as np, keras, lrdecay
        from lrdecay.keras import to_keras
        s = lrdecay.CosineDecay(0.0, 100, warmup_target=0.5, warmup_steps=20)
        opt = keras.optimizers.SGD(learning_rate=to_keras(s))
        w = keras.Variable(np.zeros(2, dtype="float32"))
        for k in range(40):
            w.assign(np.zeros(2, dtype="float32"))
            opt.apply([keras.ops.ones(2)], [w])
            assert abs(-float(keras.ops.convert_to_numpy(w)[0]) - s(k)) < 1e-6, k
        # LearningRateLogger in fit: the rate at each epoch end's iterations (3 updates an epoch).
        from lrdecay.keras import LearningRateLogger
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(to_keras(s)), loss="mse")
        h = model.fit(np.ones((12, 3)), np.ones((12, 1)), batch_size=4, epochs=3, verbose=0,
                      callbacks=[LearningRateLogger()])
        np.testing.assert_allclose(h.history["learning_rate"], [s(3), s(6), s(9)], rtol=1e-6)
        print(keras.backend.backend())
        """
    )
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    assert out.stdout.split()[-1] == backend

"""lrdecay.keras.LearningRateLogger in ``model.fit``: History and TensorBoard hold the schedule's rates.

(The jax and torch backends: tests/test_keras.py::test_other_keras_backends.)
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from examples import LOOPS  # noqa: E402
from lrdecay.keras import LearningRateLogger, to_keras  # noqa: E402

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="these tests drive the TensorFlow backend"
)

# Warmup over 4 steps, cosine decay over 8, then the hold: 5 epochs of 3 updates cross all three.
SCHEDULE, COMPOSED = LOOPS["cosine-warmup"], LOOPS["warmup-join"]
UPDATES_PER_EPOCH = 3
EPOCHS = 5


class IterationsAtEpochEnd(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.iterations = []

    def on_epoch_end(self, epoch, logs=None):
        self.iterations.append(int(keras.ops.convert_to_numpy(self.model.optimizer.iterations)))


def _fit(learning_rate, *callbacks, epochs=EPOCHS):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse")
    rng = np.random.default_rng(0)
    n = 4 * UPDATES_PER_EPOCH
    x, y = rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")
    iterations = IterationsAtEpochEnd()
    history = model.fit(x, y, batch_size=4, epochs=epochs, verbose=0, callbacks=[*callbacks, iterations])
    return history, iterations.iterations


def _float32_close(values, expected):
    # Keras evaluates the schedule in float32: one rounding of a float64 value, or a few ulps.
    np.testing.assert_allclose(values, expected, rtol=1e-6, atol=1e-9)


def test_history_holds_the_schedule_at_the_iterations_of_each_epoch_end():
    history, iterations = _fit(to_keras(SCHEDULE), LearningRateLogger())
    assert iterations == [UPDATES_PER_EPOCH * (e + 1) for e in range(EPOCHS)]
    lrs = history.history["learning_rate"]
    assert all(type(lr) is float for lr in lrs)
    _float32_close(lrs, [SCHEDULE(k) for k in iterations])
    assert lrs[0] < lrs[1] > lrs[2] > lrs[3] == lrs[4]  # steps 3, 6, 9, 12, 15: warmup, decay, hold


def test_history_with_a_composed_schedule():
    history, iterations = _fit(to_keras(COMPOSED), LearningRateLogger())
    _float32_close(history.history["learning_rate"], [COMPOSED(k) for k in iterations])


def test_tensorboard_scalars_equal_the_history(tmp_path):
    history, _ = _fit(to_keras(SCHEDULE), LearningRateLogger(log_dir=tmp_path))
    (event_file,) = (
        tmp_path / name for name in os.listdir(tmp_path) if name.startswith("events.out.tfevents")
    )
    scalars = {}
    for event in tf.compat.v1.train.summary_iterator(str(event_file)):
        for value in event.summary.value:
            assert value.tag == "learning_rate"
            assert value.metadata.plugin_data.plugin_name == "scalars"
            scalars[event.step] = float(tf.make_ndarray(value.tensor))
    assert scalars == dict(enumerate(history.history["learning_rate"]))  # step = epoch, both float32


def test_key_names_the_entry_and_a_constant_rate_is_logged_too(tmp_path):
    history, _ = _fit(0.05, LearningRateLogger(key="lr", log_dir=str(tmp_path)), epochs=2)
    assert "learning_rate" not in history.history
    _float32_close(history.history["lr"], [0.05, 0.05])


def test_tensorboard_reads_the_scalars(tmp_path):
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    history, _ = _fit(to_keras(SCHEDULE), LearningRateLogger(log_dir=tmp_path))
    acc = event_accumulator.EventAccumulator(str(tmp_path))
    acc.Reload()
    assert acc.Tags()["tensors"] == ["learning_rate"]
    assert list(acc.PluginTagToContent("scalars")) == ["learning_rate"]  # shown as a scalar
    events = acc.Tensors("learning_rate")
    assert [e.step for e in events] == list(range(EPOCHS))
    assert [float(tf.make_ndarray(e.tensor_proto)) for e in events] == history.history["learning_rate"]


def test_a_logger_before_keras_tensorboard_puts_the_rate_in_its_logs_too(tmp_path):
    pytest.importorskip("tensorboard")  # Keras' callback writes with tf.summary.scalar, which needs it
    # Keras' TensorBoard writes every entry of `logs` as `epoch_<key>` under train/.
    _fit(
        to_keras(SCHEDULE),
        LearningRateLogger(key="lrdecay_lr"),
        keras.callbacks.TensorBoard(tmp_path),
        epochs=2,
    )
    train = tmp_path / "train"
    tags = {
        value.tag
        for name in os.listdir(train)
        for event in tf.compat.v1.train.summary_iterator(str(train / name))
        for value in event.summary.value
    }
    assert "epoch_lrdecay_lr" in tags


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(key=3), TypeError, "Argument `key` must be a string. Received: key=3 of type int"),
        (dict(key=""), ValueError, "Argument `key` must be a non-empty string. Received: key=''"),
        (dict(log_dir=1.5), TypeError, "Argument `log_dir` must be a path or None. Received: log_dir=1.5"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        LearningRateLogger(**kwargs)

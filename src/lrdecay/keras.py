"""Keras 3 adapter: an lrdecay schedule as a serializable Keras `LearningRateSchedule`,
and a callback that records the rate during ``fit``.

Importing this module imports keras (and registers `KerasSchedule` with Keras'
serialization, so ``keras.models.load_model`` finds it); ``import lrdecay`` does not.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

try:
    import keras
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError("lrdecay.keras needs Keras 3: pip install 'lrdecay[keras]'") from err

from lrdecay._base import Schedule
from lrdecay._registry import deserialize, serialize
from lrdecay._validate import received, short

__all__ = ["KerasSchedule", "LearningRateLogger", "to_keras"]


def _check(schedule: Any) -> Schedule:
    if not isinstance(schedule, Schedule):
        raise TypeError(
            "Argument `schedule` must be an lrdecay.Schedule. "
            f"Received: schedule={short(schedule)} of type {type(schedule).__name__}"
        )
    return schedule


@keras.saving.register_keras_serializable(package="lrdecay")
class KerasSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """A Keras `LearningRateSchedule` that evaluates an lrdecay schedule (see `to_keras`).

    >>> import lrdecay
    >>> from lrdecay.keras import KerasSchedule
    >>> k = KerasSchedule(lrdecay.ExponentialDecay(0.1, 10, 0.5))
    >>> k.get_config()["schedule"]["class_name"]
    'ExponentialDecay'
    >>> KerasSchedule.from_config(k.get_config()).schedule == k.schedule
    True

    Args:
        schedule: an ``lrdecay.Schedule``, or its ``lrdecay.serialize`` dict.
    """

    def __init__(self, schedule: Any) -> None:
        if isinstance(schedule, Mapping):
            schedule = deserialize(schedule)
        self.schedule = _check(schedule)

    def __call__(self, step: Any) -> Any:
        # Keras passes its int64 `iterations` variable. Cast it to float on the backend
        # (TensorFlow, jax or torch tensors, traced inside `fit`), then let the schedule
        # compute with that backend's operations: no host round trip. float16 floatx
        # would lose steps above 2048, so steps are float32 at least.
        floatx = keras.config.floatx()
        compute = "float64" if floatx == "float64" else "float32"
        lr = self.schedule(keras.ops.cast(step, compute))
        return keras.ops.cast(lr, floatx)

    def get_config(self) -> dict[str, Any]:
        return {"schedule": serialize(self.schedule)}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> KerasSchedule:
        """The inverse of `get_config`: ``{"schedule": lrdecay.serialize(schedule)}``."""
        if not isinstance(config, Mapping) or list(config) != ["schedule"]:
            raise ValueError(
                "KerasSchedule.from_config expects {'schedule': <a serialized lrdecay schedule>}. "
                f"Received: config={short(config)}"
            )
        schedule = config["schedule"]
        if not isinstance(schedule, (Mapping, Schedule)):
            raise TypeError(
                "KerasSchedule's config['schedule'] must be a serialized lrdecay schedule (a dict). "
                f"Received: {short(schedule)} of type {type(schedule).__name__}"
            )
        return cls(schedule)

    def __repr__(self) -> str:
        return f"KerasSchedule({self.schedule!r})"


def to_keras(schedule: Schedule) -> KerasSchedule:
    """Wrap `schedule` as a Keras 3 ``LearningRateSchedule`` for any Keras optimizer.

    >>> import keras, lrdecay
    >>> from lrdecay.keras import to_keras
    >>> lr = to_keras(lrdecay.PiecewiseConstantDecay([1], [0.1, 0.01]))
    >>> opt = keras.optimizers.SGD(learning_rate=lr)
    >>> w = keras.Variable([0.0, 0.0])
    >>> for _ in range(3):  # SGD with a unit gradient moves w by -lr each step
    ...     before = w.numpy()[0]
    ...     opt.apply([keras.ops.ones(2)], [w])
    ...     print(round(float(before - w.numpy()[0]), 6))
    0.1
    0.1
    0.01

    The step is the optimizer's ``iterations`` (the number of updates applied), so the
    rate at update ``k`` is ``schedule(k)``, computed in float32 (float64 if
    ``keras.config.floatx()`` is float64) with the backend's own operations, inside
    ``model.fit`` too. ``model.save`` stores the schedule's config
    (``lrdecay.serialize``); ``keras.models.load_model`` restores it and the saved
    ``iterations``, so training resumes at the same rate. Import ``lrdecay.keras``
    before loading, so Keras knows the class (its registered name is
    ``"lrdecay>KerasSchedule"``).

    Args:
        schedule: an ``lrdecay.Schedule`` (a `KerasSchedule` is returned as is).

    Raises:
        TypeError: `schedule` is not an lrdecay.Schedule.
    """
    if isinstance(schedule, KerasSchedule):
        return schedule
    return KerasSchedule(_check(schedule))


class LearningRateLogger(keras.callbacks.Callback):
    """Record the optimizer's learning rate in ``logs`` (so in ``History``) at each epoch end.

    >>> import keras, numpy as np, lrdecay
    >>> from lrdecay.keras import LearningRateLogger, to_keras
    >>> schedule = lrdecay.PiecewiseConstantDecay([4], [0.1, 0.01])
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer=keras.optimizers.SGD(to_keras(schedule)), loss="mse")
    >>> x, y = np.zeros((8, 2)), np.zeros((8, 1))  # 2 updates per epoch
    >>> history = model.fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[LearningRateLogger()])
    >>> [round(lr, 6) for lr in history.history["learning_rate"]]  # schedule(2), (4), (6)
    [0.1, 0.1, 0.01]

    The value is ``optimizer.learning_rate`` when the epoch ends: for a schedule, the
    schedule at the optimizer's ``iterations`` (the updates done so far), which is the
    rate the next update will use. It is a Python float, as Keras computed it (float32
    unless ``floatx`` is float64). Any optimizer works, whatever its learning rate is
    (a number, a Keras or lrdecay schedule, a callable).

    With `log_dir`, each value is also written there as a TensorBoard scalar named
    `key`, at step ``epoch`` (0-based, as Keras' ``TensorBoard`` callback writes its
    ``epoch_*`` scalars), with ``tf.summary``: it needs TensorFlow (whatever the Keras
    backend), not the ``tensorboard`` package. Place the logger before a ``TensorBoard`` or
    ``CSVLogger`` callback in the list if those should see the value in ``logs`` too.

    Args:
        key: the name in ``logs``, ``History.history`` and TensorBoard; default
            ``"learning_rate"`` (the name Keras' ``LearningRateScheduler`` uses).
        log_dir: a directory for TensorBoard event files, or None (default) for none.

    Raises:
        TypeError: `key` is not a string, `log_dir` is not a path or None.
        ValueError: `key` is empty.
        ImportError: `log_dir` is given and TensorFlow is not installed.
    """

    def __init__(self, key: str = "learning_rate", log_dir: str | os.PathLike[str] | None = None) -> None:
        super().__init__()
        if not isinstance(key, str):
            raise TypeError(
                f"Argument `key` must be a string. {received('key', key)} of type {type(key).__name__}"
            )
        if not key:
            raise ValueError(f"Argument `key` must be a non-empty string. {received('key', key)}")
        if log_dir is not None and not isinstance(log_dir, (str, os.PathLike)):
            raise TypeError(
                "Argument `log_dir` must be a path or None. "
                f"{received('log_dir', log_dir)} of type {type(log_dir).__name__}"
            )
        self.key = key
        self.log_dir = None if log_dir is None else os.fspath(log_dir)
        self._tf: Any = None
        self._writer: Any = None
        if self.log_dir is not None:
            try:
                import tensorflow as tf
            except ImportError as err:  # pragma: no cover - depends on the environment
                raise ImportError(
                    "LearningRateLogger(log_dir=...) writes TensorBoard files with TensorFlow: "
                    "pip install 'lrdecay[tensorflow]'"
                ) from err
            self._tf = tf
            # What tf.summary.scalar writes, without needing the tensorboard package:
            # a float32 tensor tagged for TensorBoard's scalars plugin.
            self._metadata = tf.compat.v1.SummaryMetadata(
                plugin_data=tf.compat.v1.SummaryMetadata.PluginData(plugin_name="scalars")
            )

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        if self._tf is not None and self._writer is None:
            self._writer = self._tf.summary.create_file_writer(self.log_dir)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        lr = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        if logs is not None:
            logs[self.key] = lr
        if self._writer is not None:
            tf = self._tf
            with self._writer.as_default():
                tf.summary.write(self.key, tf.constant(lr, tf.float32), step=epoch, metadata=self._metadata)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        # Closed after each fit, so the files are complete; a later fit opens a new one.
        if self._writer is not None:
            self._writer.close()
            self._writer = None

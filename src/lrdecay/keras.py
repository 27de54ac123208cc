"""Keras 3 adapter: an lrdecay schedule as a serializable Keras `LearningRateSchedule`.

Importing this module imports keras (and registers `KerasSchedule` with Keras'
serialization, so ``keras.models.load_model`` finds it); ``import lrdecay`` does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

try:
    import keras
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError("lrdecay.keras needs Keras 3: pip install 'lrdecay[keras]'") from err

from lrdecay._base import Schedule
from lrdecay._registry import deserialize, serialize
from lrdecay._validate import short

__all__ = ["KerasSchedule", "to_keras"]


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

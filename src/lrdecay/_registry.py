"""Class names <-> classes, and JSON-safe (de)serialization of schedules.

`serialize` writes Keras 3's layout (``module``, ``class_name``, ``config``,
``registered_name``) so the dictionaries look familiar; `deserialize` also reads what
Keras 2/3 and tf.keras write, and the legacy ``{"class_name", "config"}`` form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = ["deserialize", "get", "names", "register", "revive", "serialize"]

_CLASSES: dict[str, type] = {}
T = TypeVar("T", bound=type)

MODULE = "lrdecay"


def register(cls: T) -> T:
    """Register a `Schedule` subclass under its class name, for `deserialize` and specs.

    >>> import dataclasses, lrdecay
    >>> @lrdecay.register
    ... @dataclasses.dataclass(frozen=True, repr=False)
    ... class Halving(lrdecay.Schedule):
    ...     initial_learning_rate: float
    ...     def _f(self, s, xp):
    ...         return self.initial_learning_rate * 0.5 ** xp.floor(s / 100)
    >>> lrdecay.deserialize(lrdecay.serialize(Halving(1.0)))(250)
    0.25
    """
    from lrdecay._base import Schedule

    if not (isinstance(cls, type) and issubclass(cls, Schedule)):
        raise TypeError(f"Argument `cls` must be a subclass of lrdecay.Schedule. Received: cls={cls!r}")
    _CLASSES[cls.__name__] = cls
    return cls


def names() -> list[str]:
    """The registered class names, sorted."""
    return sorted(_CLASSES)


def get(class_name: str) -> type:
    try:
        return _CLASSES[class_name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown schedule class_name={class_name!r}. Accepted: {names()}") from None


def serialize(schedule: Any) -> dict[str, Any]:
    """A JSON-safe dict describing `schedule` (nested schedules included).

    >>> import lrdecay
    >>> d = lrdecay.serialize(lrdecay.PiecewiseConstantDecay([10], [1.0, 0.5]))
    >>> d["class_name"], d["config"]
    ('PiecewiseConstantDecay', {'boundaries': [10], 'values': [1.0, 0.5], 'name': None})
    """
    from lrdecay._base import Schedule

    if not isinstance(schedule, Schedule):
        raise TypeError(
            "Argument `schedule` must be an lrdecay.Schedule. "
            f"Received: schedule={schedule!r} of type {type(schedule).__name__}"
        )
    return {
        "module": MODULE,
        "class_name": type(schedule).__name__,
        "config": schedule.get_config(),
        "registered_name": None,
    }


def deserialize(data: Mapping[str, Any]) -> Any:
    """Rebuild a schedule from `serialize`'s output or from a dict Keras wrote.

    >>> import lrdecay
    >>> keras_dict = {"module": "keras.optimizers.schedules",
    ...               "class_name": "ExponentialDecay",
    ...               "config": {"initial_learning_rate": 0.1, "decay_steps": 10,
    ...                          "decay_rate": 0.5, "staircase": False,
    ...                          "name": "ExponentialDecay"},
    ...               "registered_name": None}
    >>> lrdecay.deserialize(keras_dict)(20)
    0.025
    """
    if not isinstance(data, Mapping):
        raise TypeError(
            "Argument `data` must be a dict with 'class_name' and 'config'. "
            f"Received: data={data!r} of type {type(data).__name__}"
        )
    if "class_name" not in data or "config" not in data:
        raise ValueError(
            f"Argument `data` must have the keys 'class_name' and 'config'. Received keys: {sorted(data)}"
        )
    extra = set(data) - {"module", "class_name", "config", "registered_name"}
    if extra:
        raise ValueError(
            f"Unknown key(s) {sorted(extra)} in a serialized schedule. "
            "Accepted: ['class_name', 'config', 'module', 'registered_name']"
        )
    class_name = data["class_name"]
    registered = data.get("registered_name")
    # Keras writes "package>Name" for classes registered with register_keras_serializable.
    if class_name not in _CLASSES and isinstance(registered, str):
        class_name = registered.rpartition(">")[2]
    return get(class_name).from_config(data["config"])


def revive(value: Any) -> Any:
    """A config value with nested serialized schedules turned back into schedules."""
    if isinstance(value, Mapping) and "class_name" in value and "config" in value:
        return deserialize(value)
    if isinstance(value, list):
        return [revive(v) for v in value]
    return value

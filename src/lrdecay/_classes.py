"""The table of schedule classes by name, and schedules rebuilt from serialized dicts.

`register` (in ``_registry``) fills the table; `Schedule.from_config` revives nested
schedules through it. Nothing here needs the `Schedule` class, so the base class can use
it without an import cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lrdecay._base import Schedule

__all__ = ["MODULE", "deserialize", "get", "names", "revive"]

_CLASSES: dict[str, type[Schedule]] = {}

MODULE = "lrdecay"


def names() -> list[str]:
    """The registered class names, sorted."""
    return sorted(_CLASSES)


def get(class_name: str) -> type[Schedule]:
    try:
        return _CLASSES[class_name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown schedule class_name={class_name!r}. Accepted: {names()}") from None


def deserialize(data: Mapping[str, Any]) -> Schedule:
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

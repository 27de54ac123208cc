"""The table of schedule classes by name, and schedules rebuilt from serialized dicts.

`register` (in ``_registry``) fills the table; `Schedule.from_config` revives nested
schedules through it. Nothing here needs the `Schedule` class, so the base class can use
it without an import cycle.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lrdecay._base import Schedule

from lrdecay._validate import short

__all__ = ["MAX_ITEMS", "MAX_NESTING", "MODULE", "deserialize", "get", "names", "revive"]

_CLASSES: dict[str, type[Schedule]] = {}

MODULE = "lrdecay"

#: Deepest nesting of schedules and lists `deserialize` reads (a config 10,000 deep
#: would otherwise end in RecursionError).
MAX_NESTING = 100
#: Most list items `deserialize` reads in one call (a million boundaries fit). A list
#: or dict that appears several times (YAML aliases: nine references to a list of nine
#: references ...) is read once, so aliases cannot multiply the work.
MAX_ITEMS = 20_000_000

# What the deserialization running on this thread is inside of: the containers being
# read (for depth and self-reference) and the items left in its budget.
_reading = threading.local()
_PLAIN = frozenset({int, float, str, bool, type(None)})


class _Inside:
    """Entered for each dict or list `deserialize` reads; refuses what cannot end."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __enter__(self) -> None:
        stack = _reading.__dict__.setdefault("stack", [])
        if not stack:
            _reading.budget = MAX_ITEMS
            _reading.memo = {}
        if any(o is self.obj for o in stack):
            raise ValueError(
                "A serialized schedule contains itself (its config refers back to an enclosing "
                "dict or list); it cannot be loaded."
            )
        if len(stack) >= MAX_NESTING:
            raise ValueError(
                f"A serialized schedule is nested more than {MAX_NESTING} deep; it cannot be loaded."
            )
        if isinstance(self.obj, list):
            _reading.budget -= len(self.obj)
            if _reading.budget < 0:
                raise ValueError(
                    f"A serialized schedule holds more than {MAX_ITEMS} list items in all; it cannot be loaded."
                )
        stack.append(self.obj)

    def __exit__(self, *exc: Any) -> None:
        _reading.stack.pop()


def names() -> list[str]:
    """The registered class names, sorted."""
    return sorted(_CLASSES)


def get(class_name: str) -> type[Schedule]:
    try:
        return _CLASSES[class_name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown schedule class_name={short(class_name)}. Accepted: {names()}") from None


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
            f"Received: data={short(data)} of type {type(data).__name__}"
        )
    memo = getattr(_reading, "memo", None)
    if memo is not None and getattr(_reading, "stack", None) and id(data) in memo:
        seen: Schedule = memo[id(data)][1]
        return seen
    with _Inside(data):
        out: Schedule = _deserialize(data)
        # Kept with its input, so the id is not reused while this call runs.
        _reading.memo[id(data)] = (data, out)
        return out


def _deserialize(data: Mapping[str, Any]) -> Any:
    if "class_name" not in data or "config" not in data:
        raise ValueError(
            f"Argument `data` must have the keys 'class_name' and 'config'. Received keys: {short(list(data))}"
        )
    extra = [k for k in data if k not in ("module", "class_name", "config", "registered_name")]
    if extra:
        raise ValueError(
            f"Unknown key(s) {short(extra)} in a serialized schedule. "
            "Accepted: ['class_name', 'config', 'module', 'registered_name']"
        )
    class_name = data["class_name"]
    if not isinstance(class_name, str):
        raise TypeError(
            f"The 'class_name' of a serialized schedule must be a string. "
            f"Received: class_name={short(class_name)} of type {type(class_name).__name__}"
        )
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
        memo = getattr(_reading, "memo", None)
        if memo is not None and getattr(_reading, "stack", None) and id(value) in memo:
            return memo[id(value)][1]
        with _Inside(value):
            # Lists of plain numbers (boundaries, values) as they are: one C-speed pass.
            plain = set(map(type, value)) <= _PLAIN
            out = list(value) if plain else [revive(v) for v in value]
            _reading.memo[id(value)] = (value, out)
            return out
    return value

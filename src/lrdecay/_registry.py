"""Class names <-> classes, and JSON-safe (de)serialization of schedules.

`serialize` writes Keras 3's layout (``module``, ``class_name``, ``config``,
``registered_name``) so the dictionaries look familiar; `deserialize` also reads what
Keras 2/3 and tf.keras write, and the legacy ``{"class_name", "config"}`` form.

This is where the registry's names are imported from. The table and `deserialize` live
in ``_classes`` and `serialize` beside `Schedule` in ``_base``: the base class needs
them, and `register` needs the base class, so they sit below it and this module above.
"""

from __future__ import annotations

from typing import TypeVar

from lrdecay._base import Schedule, serialize
from lrdecay._classes import _CLASSES, MODULE, deserialize, get, names, revive
from lrdecay._validate import short

__all__ = ["MODULE", "deserialize", "get", "names", "register", "revive", "serialize"]

T = TypeVar("T", bound=type)


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
    if not (isinstance(cls, type) and issubclass(cls, Schedule)):
        raise TypeError(f"Argument `cls` must be a subclass of lrdecay.Schedule. Received: cls={short(cls)}")
    _CLASSES[cls.__name__] = cls
    return cls

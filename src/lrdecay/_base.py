"""The `Schedule` base class: a learning rate as a pure function of the step."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any, ClassVar

from lrdecay._validate import short
from lrdecay._xp import SCALAR, bad_step, call_nonscalar

__all__ = ["Schedule"]

_INF = math.inf
_NO_STEP: Any = object()


class Schedule:
    """A learning-rate schedule: an immutable value whose call maps a step to a rate.

    Subclasses are frozen dataclasses whose fields are exactly the constructor
    arguments; they write their formula once, in ``_f(self, s, xp)``, against the
    operations of ``xp`` (see ``lrdecay._xp``), and check their arguments in
    ``__post_init__``.

    >>> import lrdecay
    >>> s = lrdecay.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> s(10)
    0.05
    >>> s.get_config()["decay_rate"]
    0.5
    """

    #: One-line description used by ``lrdecay list``; defaults to the docstring's first line.
    summary: ClassVar[str] = ""

    def __call__(self, step: Any = _NO_STEP) -> Any:
        """The learning rate at `step` (a number, a numpy array, or a framework tensor).

        A Python int or float gives a Python float; an array gives an array of the
        same shape and kind. Steps must be finite and >= 0.
        """
        # The scalar fast path: no array library, and for an int one comparison.
        # (Measured on CPython 3.11: `type(x) is int` ~8 ns, `x >= 0` ~5 ns, the
        # chained `0 <= x < inf` ~19 ns because an int compared with a float is not
        # specialised; the `try` costs nothing until it raises.)
        if (type(step) is int and step >= 0) or (type(step) is float and 0.0 <= step < _INF):
            try:
                return self._f(step, SCALAR)
            except OverflowError:
                raise ValueError(f"{type(self).__name__} overflows float64 at step={short(step)}") from None
        if type(step) is int or type(step) is float:
            raise bad_step(step)
        if step is _NO_STEP:
            # Keras calls a plain callable learning rate with no arguments.
            raise TypeError(
                f"{type(self).__name__} needs the step: schedule(step). To give it to a "
                "Keras optimizer, wrap it: lrdecay.keras.to_keras(schedule); for torch "
                "use lrdecay.torch.LRScheduler(optimizer, schedule)."
            )
        return call_nonscalar(self, step)

    def _f(self, s: Any, xp: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `_f(self, s, xp)`."
        )

    # -- configuration -------------------------------------------------------------

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as JSON types (lists for sequences)."""
        return {f.name: _to_json(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Schedule:
        """Build a schedule from ``get_config()``'s output (also Keras' configs)."""
        if not isinstance(config, Mapping):
            raise TypeError(
                f"{cls.__name__}.from_config expects a dict. "
                f"Received: config={short(config)} of type {type(config).__name__}"
            )
        fields = dataclasses.fields(cls)
        accepted = [f.name for f in fields]
        unknown = [k for k in config if k not in accepted]
        if unknown:
            raise ValueError(f"Unknown argument(s) {short(unknown)} for {cls.__name__}. Accepted: {accepted}")
        missing = [
            f.name
            for f in fields
            if f.name not in config
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ]
        if missing:
            raise ValueError(f"Missing argument(s) {missing} for {cls.__name__}. Accepted: {accepted}")
        from lrdecay._registry import revive

        return cls(**{k: revive(v) for k, v in config.items()})

    def __repr__(self) -> str:
        args = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.default is not dataclasses.MISSING and _same(value, f.default):
                continue
            args.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(args)})"

    # -- helpers for subclasses ----------------------------------------------------

    def _set(self, **values: Any) -> None:
        """Store normalized arguments or derived constants on a frozen instance."""
        for key, value in values.items():
            object.__setattr__(self, key, value)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _to_json(value: Any) -> Any:
    if isinstance(value, Schedule):
        from lrdecay._registry import serialize

        return serialize(value)
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value

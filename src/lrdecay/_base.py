"""The `Schedule` base class: a learning rate as a pure function of the step."""

from __future__ import annotations

import dataclasses
import math
import numbers
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload

from lrdecay._chunks import evaluate_array
from lrdecay._classes import MODULE, revive
from lrdecay._validate import short
from lrdecay._xp import SCALAR, bad_step, check_step_dtype

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from lrdecay.schedules.compose import Product, Sum

__all__ = ["Schedule", "serialize"]

#: A framework tensor (torch, jax, TensorFlow): the result is of the step's own type.
_Tensor = TypeVar("_Tensor")

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

    if TYPE_CHECKING:
        # Derived constants are stored by `_set` in __post_init__, not declared as
        # fields (they are not constructor arguments).
        def __getattr__(self, name: str) -> Any: ...

        # A dataclass in every concrete subclass.
        __dataclass_fields__: ClassVar[dict[str, Any]]

    @overload
    def __call__(self, step: float) -> float: ...
    @overload
    def __call__(self, step: np.ndarray) -> NDArray[np.float64]: ...
    @overload
    def __call__(self, step: np.generic) -> np.float64: ...
    @overload
    def __call__(self, step: list[float] | tuple[float, ...]) -> NDArray[np.float64]: ...
    @overload
    def __call__(self, step: _Tensor) -> _Tensor: ...

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
        return _call_nonscalar(self, step)

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
        return cls(**{k: revive(v) for k, v in config.items()})

    def __repr__(self) -> str:
        args = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.default is not dataclasses.MISSING and _same(value, f.default):
                continue
            args.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(args)})"

    def _length(self) -> float:
        """How many steps the schedule says it runs for (what ``lrdecay values`` shows
        by default, with a tenth more): its configuration's ``*_steps`` numbers and its
        last boundary added up (``warmup_steps + decay_steps``, ``total_steps``, ...).

        >>> import lrdecay
        >>> lrdecay.CosineDecay(0.1, decay_steps=900, warmup_target=1.0, warmup_steps=100)._length()
        1000

        A schedule made of schedules overrides it with a rule over its parts (a `Join`
        is its last boundary plus its last piece), so nesting is understood at any depth.
        """
        config = self.get_config()
        length: float = 0
        for key, value in config.items():
            if _is_number(value) and key.endswith("_steps"):
                length += value
        boundaries = config.get("boundaries")
        if isinstance(boundaries, list) and boundaries and _is_number(boundaries[-1]):
            length += max(boundaries[-1], 0)
        return length

    # -- pickling: by the constructor arguments ----------------------------------

    def __reduce__(self) -> tuple[Any, ...]:
        # Derived state (bound methods of nested schedules, precomputed constants) is
        # rebuilt by the constructor rather than pickled: what is saved is the config.
        return (_rebuild, (type(self), {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}))

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> Schedule:
        return cls(**fields)

    # -- arithmetic: ``s * 0.5``, ``0.5 * s``, ``s + t`` (see schedules/compose.py) ----

    def __add__(self, other: Schedule | float) -> Sum:
        combined: Sum = _combine("Sum", self, other)
        return combined

    def __radd__(self, other: Schedule | float) -> Sum:
        combined: Sum = _combine("Sum", other, self)
        return combined

    def __mul__(self, other: Schedule | float) -> Product:
        combined: Product = _combine("Product", self, other)
        return combined

    def __rmul__(self, other: Schedule | float) -> Product:
        combined: Product = _combine("Product", other, self)
        return combined

    def __sub__(self, other: Schedule | float) -> Sum:
        # ``a - b`` is ``a + (-b)``, exactly (IEEE negation and subtraction agree), and a
        # Sum, so it serializes and parses like any sum.
        if not _operand(other):
            return NotImplemented
        combined: Sum = OPERATORS["Sum"](self, _negated(other))
        return combined

    def __rsub__(self, other: Schedule | float) -> Sum:
        if not _operand(other):
            return NotImplemented
        combined: Sum = OPERATORS["Sum"](other, _negated(self))
        return combined

    def __neg__(self) -> Schedule:
        negated: Schedule = _negated(self)
        return negated

    def _repr_html_(self) -> str:
        """In a notebook: the curve over the default steps (an inline SVG) beside the repr.

        >>> import lrdecay
        >>> html = lrdecay.CosineDecay(0.1, 100)._repr_html_()
        >>> "<svg" in html and "<polyline" in html and "CosineDecay(initial_learning_rate=0.1" in html
        True

        No matplotlib: the points are the schedule's values at the steps
        ``lrdecay values`` shows, with a dashed line where a warmup or a boundary ends.
        """
        from lrdecay._svg import repr_html  # numpy only when a notebook asks

        return repr_html(self)

    # -- helpers for subclasses ----------------------------------------------------

    def _set(self, **values: Any) -> None:
        """Store normalized arguments or derived constants on a frozen instance."""
        for key, value in values.items():
            object.__setattr__(self, key, value)

    def _set_formula(self, owner: type[Schedule], formula: Any) -> None:
        """Store `formula` over `owner._f` for this instance: one Python call less a step.

        Not for a subclass that defines its own `_f`, which must not be bypassed.
        """
        if type(self)._f is owner._f:
            object.__setattr__(self, "_f", formula)


def _rebuild(cls: type[Schedule], fields: dict[str, Any]) -> Schedule:
    return cls._from_fields(fields)


#: "Sum", "Product" and "Constant", filled in by schedules/compose.py where they are
#: defined: the base class must not import the module that builds on it (no import cycle).
OPERATORS: dict[str, Any] = {}


def _operand(x: Any) -> bool:
    return not isinstance(x, bool) and isinstance(x, (Schedule, numbers.Real))


def _combine(kind: str, a: Any, b: Any) -> Any:
    if not _operand(b if isinstance(a, Schedule) else a):
        return NotImplemented  # lets Python raise its usual TypeError for `s + "x"`
    return OPERATORS[kind](a, b)


def _negated(x: Any) -> Any:
    """``-x`` as a number or a schedule, the sign put into a leading number where there is one.

    ``-(c * s)`` is ``(-c) * s`` and ``-Constant(c)`` is ``Constant(-c)``, both exact, so
    ``0.9 - 0.05 * s`` reads ``0.9 + -0.05 * s``; anything else, a sum too, is
    ``-1.0 * x`` (distributing over a sum would round ``s - (a + b)`` as ``(s - a) - b``).
    """
    if not isinstance(x, Schedule):
        return -x
    kind: Any = type(x)
    constant: Any = OPERATORS["Constant"]
    product: Any = OPERATORS["Product"]
    if kind is constant:
        return constant(-x.value)
    if kind is product:
        head: Any = x.schedules[0]
        if type(head) is constant:
            return product([-head.value, *x.schedules[1:]])
    return product(-1.0, x)


def serialize(schedule: Any) -> dict[str, Any]:
    """A JSON-safe dict describing `schedule` (nested schedules included).

    >>> import lrdecay
    >>> d = lrdecay.serialize(lrdecay.PiecewiseConstantDecay([10], [1.0, 0.5]))
    >>> d["class_name"], d["config"]
    ('PiecewiseConstantDecay', {'boundaries': [10], 'values': [1.0, 0.5], 'name': None})
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(
            "Argument `schedule` must be an lrdecay.Schedule. "
            f"Received: schedule={short(schedule)} of type {type(schedule).__name__}"
        )
    return {
        "module": MODULE,
        "class_name": type(schedule).__name__,
        "config": schedule.get_config(),
        "registered_name": None,
    }


def _call_nonscalar(schedule: Schedule, step: Any) -> Any:
    """Evaluate for everything but a plain int/float (those take the scalar path)."""
    if isinstance(step, bool):
        raise bad_step(step)
    np = sys.modules.get("numpy")
    # numpy first: np.float64 is a float subclass, and numpy in gives numpy out.
    if np is not None and isinstance(step, (np.ndarray, np.generic)):
        if isinstance(step, np.bool_) or (isinstance(step, np.ndarray) and step.dtype == bool):
            raise bad_step(bool(step) if step.ndim == 0 else step)
        # The same chunked evaluation as lrdecay.evaluate, in float64.
        a = np.asarray(step)
        check_step_dtype(a)
        out = evaluate_array(schedule, a, np.dtype(np.float64))
        return out[()] if out.ndim == 0 else out
    if isinstance(step, int):  # int subclasses (IntEnum, ...)
        return schedule(int(step))
    if isinstance(step, float):
        return schedule(float(step))
    if isinstance(step, (list, tuple)):
        import numpy

        return _call_nonscalar(schedule, numpy.asarray(step))
    from lrdecay import _frameworks

    ops = _frameworks.ops_for(step)
    if ops is None:
        raise bad_step(step)
    return ops.call(schedule, step)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _to_json(value: Any) -> Any:
    if isinstance(value, Schedule):
        return serialize(value)
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value

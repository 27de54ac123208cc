"""Argument checks with one message style, run once at construction.

Every message names the argument and echoes the value received, in Keras' style:
"Argument `decay_steps` must be > 0. Received: decay_steps=0".
"""

from __future__ import annotations

import math
import numbers
from typing import Any

__all__ = [
    "boolean",
    "choice",
    "name",
    "non_decreasing",
    "number",
    "numbers_tuple",
    "received",
    "short",
]

_OPS = {
    ">": (lambda v, b: v > b),
    ">=": (lambda v, b: v >= b),
    "<": (lambda v, b: v < b),
    "<=": (lambda v, b: v <= b),
}


def _make_repr() -> Any:
    import reprlib

    r = reprlib.Repr()
    # Enough to show what was passed; a million-element list or a 10**400 is cut short,
    # so an error message stays one readable line (and cheap to make).
    r.maxlist = r.maxtuple = r.maxset = r.maxdict = 10
    r.maxlevel = 2
    r.maxstring = r.maxother = 160
    r.maxlong = 60
    return r


_REPR = _make_repr()
_MAX_TEXT = 240


def short(value: Any) -> str:
    """``repr(value)``, shortened for an error message (long lists, numbers, strings).

    >>> short(list(range(10**6)))
    '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...] (1000000 items)'
    >>> short(10**400)
    '1000000000000000000000000000...00000000000000000000000000000 (401 digits)'
    """
    try:
        text: str = _REPR.repr(value)
    except ValueError:  # an int beyond Python's 4300-digit str() limit
        text = f"<int of about {int(value.bit_length() * 0.30103)} digits>"
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 3] + "..."
    if isinstance(value, (list, tuple)) and len(value) > _REPR.maxlist:
        text += f" ({len(value)} items)"
    elif isinstance(value, int) and "..." in text:
        text += f" ({len(str(abs(value))) + (value < 0)} digits)" if value.bit_length() < 14000 else ""
    return text


def received(arg: str, value: Any) -> str:
    return f"Received: {arg}={short(value)}"


def _type_error(arg: str, value: Any, expected: str) -> TypeError:
    return TypeError(
        f"Argument `{arg}` must be {expected}. {received(arg, value)} of type {type(value).__name__}"
    )


def number(
    arg: str,
    value: Any,
    *,
    lower: float | None = None,
    lower_op: str = ">=",
    upper: float | None = None,
    upper_op: str = "<=",
) -> int | float:
    """Return `value` as a Python int or float, or raise naming `arg`.

    numpy scalars become Python numbers so that configs are plain JSON; an int stays
    an int so that `get_config()` gives back exactly what was passed.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        # numpy bools are not numbers.Real, Python bools are: reject both.
        raise _type_error(arg, value, "a real number")
    try:
        out: int | float = int(value) if isinstance(value, numbers.Integral) else float(value)
        float(out)  # an int too large for a float (10**400) is not a usable number
    except OverflowError:
        raise ValueError(f"Argument `{arg}` must be a finite number. {received(arg, value)}") from None
    if not math.isfinite(out):
        raise ValueError(f"Argument `{arg}` must be a finite number. {received(arg, out)}")
    if lower is not None and not _OPS[lower_op](out, lower):
        raise ValueError(f"Argument `{arg}` must be {lower_op} {lower}. {received(arg, out)}")
    if upper is not None and not _OPS[upper_op](out, upper):
        raise ValueError(f"Argument `{arg}` must be {upper_op} {upper}. {received(arg, out)}")
    return out


def _plain_and_fine(items: list[Any], bounds: dict[str, Any]) -> bool:
    """True if every item is a Python int or float that `number` would return as it is:
    a few C-speed passes instead of a call per item (a million boundaries in ~0.1 s).
    Anything else takes the item-by-item path, which names the first bad one."""
    if not items:
        return True
    if not set(map(type, items)) <= {int, float}:
        return False
    try:
        if not all(map(math.isfinite, items)):  # also raises OverflowError for 10**400
            return False
    except OverflowError:
        return False
    lower, upper = bounds.get("lower"), bounds.get("upper")
    if lower is not None and not _OPS[bounds.get("lower_op", ">=")](min(items), lower):
        return False
    return upper is None or _OPS[bounds.get("upper_op", "<=")](max(items), upper)


def boolean(arg: str, value: Any) -> bool:
    if value is True or value is False:
        return value
    if type(value).__name__ == "bool_":  # numpy.bool_, without importing numpy here
        return bool(value)
    raise _type_error(arg, value, "a bool")


def name(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _type_error("name", value, "a string or None")


def numbers_tuple(arg: str, value: Any, **bounds: Any) -> tuple[int | float, ...]:
    """A list/tuple/array of numbers, each checked like `number`, returned as a tuple.

    Sized sequences only (an endless generator would never finish); one pass.
    """
    if isinstance(value, (str, bytes, dict)) or not (
        hasattr(value, "__iter__") and hasattr(value, "__len__")
    ):
        raise _type_error(arg, value, "a list of numbers")
    items = list(value.tolist() if hasattr(value, "tolist") else value)
    if _plain_and_fine(items, bounds):
        return tuple(items)
    out = []
    for i, item in enumerate(items):
        try:
            out.append(number(f"{arg}[{i}]", item, **bounds))
        except (TypeError, ValueError) as err:
            # Re-raise naming the whole list too, so the user sees what they passed.
            raise type(err)(f"{err} (in {arg}={short(items)})") from None
    return tuple(out)


def choice(arg: str, value: Any, accepted: tuple[str, ...]) -> str:
    """`value` if it is one of the `accepted` strings, else a ValueError listing them."""
    if isinstance(value, str) and value in accepted:
        return value
    if not isinstance(value, str):
        raise _type_error(arg, value, f"one of {list(accepted)}")
    raise ValueError(f"Argument `{arg}` must be one of {list(accepted)}. {received(arg, value)}")


def non_decreasing(arg: str, values: tuple[Any, ...]) -> None:
    """Raise naming the first place where `values` decreases (one pass, at C speed)."""
    import operator

    if all(map(operator.le, values, values[1:])):
        return
    for i in range(1, len(values)):
        if values[i] < values[i - 1]:
            raise ValueError(
                f"Argument `{arg}` must be sorted (non-decreasing). Received: {arg}={short(list(values))} "
                f"({arg}[{i}]={values[i]!r} < {arg}[{i - 1}]={values[i - 1]!r})"
            )

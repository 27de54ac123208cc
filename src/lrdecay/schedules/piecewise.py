"""Piecewise constant learning rates."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Sequence
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay._registry import register

__all__ = ["PiecewiseConstantDecay"]


@register
@dataclasses.dataclass(frozen=True, repr=False)
class PiecewiseConstantDecay(Schedule):
    """Constant rates between step boundaries; a step on a boundary keeps the earlier rate.

    >>> from lrdecay import PiecewiseConstantDecay
    >>> s = PiecewiseConstantDecay(boundaries=[100, 110], values=[1.0, 0.5, 0.1])
    >>> [s(step) for step in (0, 100, 101, 110, 111)]
    [1.0, 1.0, 0.5, 0.5, 0.1]

    Rule (TensorFlow's, intervals closed on the right): ``values[0]`` while
    ``step <= boundaries[0]``, ``values[i]`` while
    ``boundaries[i-1] < step <= boundaries[i]``, ``values[-1]`` after the last boundary.

    `MultiStepDecay` (torch's ``MultiStepLR``) takes the opposite side of a boundary:
    there a step equal to a milestone already has the new rate.

    Args:
        boundaries: strictly increasing finite numbers (may be empty: a constant rate).
        values: learning rates >= 0, one more than `boundaries`.
        name: kept in the config.

    Raises:
        ValueError: lengths that do not match, boundaries not strictly increasing,
            a negative or non-finite number.
        TypeError: something other than a list of numbers.
    """

    boundaries: Sequence[float]
    values: Sequence[float]
    name: str | None = None

    def __post_init__(self) -> None:
        boundaries = v.numbers_tuple("boundaries", self.boundaries)
        values = v.numbers_tuple("values", self.values, lower=0)
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={v.short(list(boundaries))} of length {len(boundaries)}, "
                f"and values={v.short(list(values))} of length {len(values)}."
            )
        # One pass, one comparison per boundary, at C speed (a million boundaries: linear);
        # the Python loop only runs to name the first pair out of order.
        if not all(map(operator.lt, boundaries, boundaries[1:])):
            i = next(i for i in range(1, len(boundaries)) if not boundaries[i] > boundaries[i - 1])
            raise ValueError(
                "Argument `boundaries` must be strictly increasing. "
                f"Received: boundaries={v.short(list(boundaries))} "
                f"(boundaries[{i}]={boundaries[i]!r} <= boundaries[{i - 1}]={boundaries[i - 1]!r})"
            )
        self._set(
            boundaries=boundaries,
            values=values,
            name=v.name(self.name),
            _values=tuple(map(float, values)),
        )

    def _f(self, s: Any, xp: Any) -> Any:
        return xp.lookup(s, self.boundaries, self._values)

"""Framework tensors (torch, jax, TensorFlow): looked up only when one is passed.

Filled in by the framework-adapter work; until then a tensor step is refused with a
clear error instead of being silently converted through numpy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ops_for"]


def ops_for(step: Any) -> Any:
    """The operations namespace for a framework tensor `step`, or None if not one."""
    return None

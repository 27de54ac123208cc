"""JAX/optax adapter: lrdecay schedules are optax schedules as they are.

An optax schedule is a function from the update count (a jax int32 array) to the
learning rate; an lrdecay schedule called with a jax array returns a jax array computed
with jax operations, so it traces under ``jax.jit``/``jax.vmap`` and can be passed
straight to ``optax.sgd(learning_rate=schedule)``. `to_optax` says so explicitly.

Importing this module imports jax; ``import lrdecay`` does not.
"""

from __future__ import annotations

try:
    import jax  # noqa: F401  (an early, clear error if jax is missing)
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError("lrdecay.jax needs jax (and optax for optimizers): pip install 'lrdecay[jax]'") from err

from lrdecay._base import Schedule

__all__ = ["to_optax"]


def to_optax(schedule: Schedule) -> Schedule:
    """Return `schedule` for use as an optax schedule (it already is one).

    >>> import jax.numpy as jnp, optax, lrdecay
    >>> from lrdecay.jax import to_optax
    >>> sched = to_optax(lrdecay.PiecewiseConstantDecay([1], [0.1, 0.01]))
    >>> opt = optax.sgd(learning_rate=sched)
    >>> params = jnp.zeros(2)
    >>> state = opt.init(params)
    >>> for _ in range(3):  # the update is -lr(count) * gradient
    ...     updates, state = opt.update(jnp.ones(2), state)
    ...     print(updates[0])
    -0.1
    -0.1
    -0.01

    The value at a count is ``schedule(count)``: computed in float32 from jax's int32
    counter (float64 with x64 enabled), cast to float before dividing, identical under
    ``jax.jit``. Checkpointing ``opt_state`` (which holds the count) is all a resume
    needs; the schedule itself is stateless and hashable, so it can also be a static
    argument of ``jax.jit``.

    Args:
        schedule: an ``lrdecay.Schedule``.

    Raises:
        TypeError: `schedule` is not an lrdecay.Schedule.
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(
            "Argument `schedule` must be an lrdecay.Schedule. "
            f"Received: schedule={schedule!r} of type {type(schedule).__name__}"
        )
    return schedule

"""The combinators against the real peers where they define the same curve, in float64.

optax (x64 enabled), 50 random draws of the parameters each (a fixed-seed numpy
Generator), every step of a run of 1,000+ steps and the steps around its boundaries:

* ``optax.join_schedules(schedules, boundaries)`` is ``Join(schedules, boundaries)``
  with the local clock (each piece gets ``step - boundary``; a step on a boundary is
  the later piece's);
* ``optax.linear_schedule(init, end, T, transition_begin=B)`` is
  ``Shift(Linear(init, end, T), B)``;
* ``optax.warmup_constant_schedule(init, peak, W)`` is ``Linear(init, peak, W)``
  (= ``Warmup(peak, W, start=init)``);
* ``optax.warmup_cosine_decay_schedule(init, peak, W, D, end)`` is
  ``Join([Linear(init, peak, W), CosineDecay(peak, D - W, alpha=end / peak)], [W])``
  (= ``Warmup(CosineDecay(peak, D - W, alpha=end / peak), W, start=init)``): optax's
  `decay_steps` counts the warmup, lrdecay's CosineDecay does not.

torch: ``SequentialLR([LinearLR(start_factor, end_factor, total_iters),
ExponentialLR(gamma)], milestones=[m])`` times the base rate is
``Join([Linear(base * start_factor, base * end_factor, total_iters),
ExponentialDecay(base, 1, gamma)], [m])``: torch's schedulers are relative factors of
the optimizer's base rate, lrdecay's pieces are absolute rates, so each factor is
multiplied by the base rate (or, keeping torch's factors, ``base * Join([Linear(start,
end, total), ExponentialDecay(1.0, 1, gamma)], [m])``). ExponentialLR restarts from the
base rate at the milestone (SequentialLR steps it with ``step(0)``), hence the local
clock.

Where the values approach 0 the comparison allows ``1e-15 * peak`` absolute besides
1e-12 relative (documented and tested below): the peers compute a line as
``(init - end) * (1 - t / T) + end``, a few ulps off a warmup's first steps from 0
(lrdecay's `Linear` measures from the end nearer zero: exact to the ulp there), and a
cosine as ``0.5 * (1 + cos(pi t / T))``, which cancels at the end of a decay to 0 (~1
ulp of the peak, 5e-11 of the value one step before the end; lrdecay's CosineDecay is
TensorFlow's formula and cancels the same way). torch's schedulers multiply the current
rate at every step (chainable form), ~1 ulp more per step: 1e-12 relative holds over
the 1,200 steps compared. optax is run eagerly here (x64); under ``jax.jit`` in
tests/test_compose.py.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import reference as R

import lrdecay
from lrdecay import CosineDecay, ExponentialDecay, Join, Linear, Shift, Warmup

DRAWS = 50
REL = 1e-12
ABS = 1e-15  # times the largest value of the curve: the peers' cancellation near 0

optax = pytest.importorskip("optax")
jax = pytest.importorskip("jax")
jnp = jax.numpy


def _steps(total, *bounds):
    steps = set(range(total))
    for b in bounds:
        steps |= {max(0, b - 1), b, b + 1}
    return np.array(sorted(steps), dtype=np.int64)


def _optax_values(schedule, steps):
    with jax.enable_x64(True):
        out = schedule(jnp.asarray(steps, dtype=jnp.int64))
        assert out.dtype == jnp.float64
        return np.asarray(out)


def _assert_same(ours, theirs, context):
    peak = float(np.max(np.abs(theirs))) or 1.0
    np.testing.assert_allclose(ours, theirs, rtol=REL, atol=ABS * peak, err_msg=str(context))


def _draws(seed):
    return [np.random.default_rng([seed, i]) for i in range(DRAWS)]


def test_join_schedules_is_join_with_the_local_clock():
    for i, rng in enumerate(_draws(1)):
        n = int(rng.integers(2, 5))
        bounds = sorted(int(b) for b in rng.integers(0, 1000, n - 1))
        lengths = [int(x) for x in rng.integers(1, 400, n)]
        values = rng.uniform(0.0, 1.0, (n, 2))
        theirs = optax.join_schedules(
            [optax.linear_schedule(a, b, t) for (a, b), t in zip(values, lengths, strict=True)], bounds
        )
        ours = Join(
            [Linear(float(a), float(b), t) for (a, b), t in zip(values, lengths, strict=True)], bounds
        )
        steps = _steps(1200, *bounds)
        _assert_same(ours(steps), _optax_values(theirs, steps), (i, ours))


def test_join_schedules_of_cosines_and_exponentials():
    for i, rng in enumerate(_draws(2)):
        w, d = int(rng.integers(1, 300)), int(rng.integers(1, 800))
        peak, rate = float(rng.uniform(0.01, 1.0)), float(rng.uniform(0.3, 0.99))
        theirs = optax.join_schedules(
            [
                optax.cosine_decay_schedule(peak, d, alpha=0.1),
                optax.exponential_decay(0.1 * peak, 50, rate),
                optax.constant_schedule(0.01),
            ],
            [w, w + d],
        )
        ours = Join(
            [CosineDecay(peak, d, alpha=0.1), ExponentialDecay(0.1 * peak, 50, rate), 0.01], [w, w + d]
        )
        steps = _steps(1200, w, w + d)
        _assert_same(ours(steps), _optax_values(theirs, steps), (i, ours))


def test_linear_schedule_is_linear_shifted_by_transition_begin():
    for i, rng in enumerate(_draws(3)):
        a, b = (float(x) for x in rng.uniform(0.0, 1.0, 2))
        t, begin = int(rng.integers(1, 1000)), int(rng.integers(0, 200))
        theirs = optax.linear_schedule(a, b, t, transition_begin=begin)
        ours = Shift(Linear(a, b, t), begin) if begin else Linear(a, b, t)
        steps = _steps(1200, begin, begin + t)
        _assert_same(ours(steps), _optax_values(theirs, steps), (i, ours))


def test_warmup_constant_schedule_is_a_line_to_the_peak():
    for i, rng in enumerate(_draws(4)):
        init, peak = float(rng.uniform(0.0, 0.01)), float(rng.uniform(0.01, 1.0))
        w = int(rng.integers(1, 1000))
        theirs = optax.warmup_constant_schedule(init, peak, w)
        steps = _steps(1200, w)
        want = _optax_values(theirs, steps)
        for ours in (Linear(init, peak, w), Warmup(peak, w, start=init)):
            _assert_same(ours(steps), want, (i, ours))


def test_warmup_cosine_decay_schedule_is_warmup_of_a_cosine():
    for i, rng in enumerate(_draws(5)):
        init, peak = float(rng.uniform(0.0, 0.01)), float(rng.uniform(0.01, 1.0))
        end = float(rng.uniform(0.0, peak)) if i % 3 else 0.0
        w = int(rng.integers(1, 400))
        d = w + int(rng.integers(1, 1000))
        theirs = optax.warmup_cosine_decay_schedule(init, peak, w, d, end)
        steps = _steps(1200, w, d)
        want = _optax_values(theirs, steps)
        joined = Join([Linear(init, peak, w), CosineDecay(peak, d - w, alpha=end / peak)], [w])
        for ours in (joined, Warmup(CosineDecay(peak, d - w, alpha=end / peak), w, start=init)):
            _assert_same(ours(steps), want, (i, ours))


def test_warmup_cosine_without_warmup_steps():
    """W = 0: optax's warmup is a constant never used (the boundary at 0 is the cosine's)."""
    theirs = optax.warmup_cosine_decay_schedule(0.0, 0.5, 0, 700, 0.05)
    steps = _steps(1200, 700)
    want = _optax_values(theirs, steps)
    for ours in (
        Warmup(CosineDecay(0.5, 700, alpha=0.1), 0),
        Join([0.0, CosineDecay(0.5, 700, alpha=0.1)], [0]),
    ):
        _assert_same(ours(steps), want, ours)


def test_where_the_values_approach_zero():
    """The documented allowance: a warmup from 0, and a cosine's end at 0.

    At the warmup's first steps lrdecay is the exact line to the ulp, the peer a few ulps
    off; one step before the end of the cosine the peer loses relative precision
    (0.5 * (1 + cos) cancels, within ~1 ulp of the peak) while lrdecay's half-angle
    sin**2 of the exact remaining fraction keeps it.
    """
    w, d = 1000, 5000
    theirs = optax.warmup_cosine_decay_schedule(0.0, 1.0, w, d, 0.0)
    ours = Warmup(CosineDecay(1.0, d - w), w)
    start, end = np.array([1, 2, 3, 7]), np.array([d - 3, d - 2, d - 1])
    steps = np.concatenate([start, end])
    exact = np.array([R.expected("Warmup", ours.get_config(), int(k)) for k in steps])
    got, peer = ours(steps), _optax_values(theirs, steps)
    np.testing.assert_array_equal(got[: len(start)], exact[: len(start)])
    assert np.max(np.abs(peer[: len(start)] / exact[: len(start)] - 1)) > 0  # the peer's ulps
    np.testing.assert_allclose(peer[: len(start)], exact[: len(start)], rtol=1e-14)
    np.testing.assert_allclose(got[len(start) :], exact[len(start) :], rtol=1e-12)
    np.testing.assert_allclose(peer[len(start) :], exact[len(start) :], rtol=0, atol=ABS)
    assert np.max(np.abs(peer[len(start) :] / exact[len(start) :] - 1)) > 1e-12  # the peer's: lost


# -- torch SequentialLR ---------------------------------------------------------------------


def _torch_lrs(make, base, steps):
    torch = pytest.importorskip("torch")
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))], lr=base)
    scheduler = make(opt)
    group = opt.param_groups[0]
    lrs = []
    with warnings.catch_warnings():  # no optimizer.step() in between: only the rates matter
        warnings.filterwarnings("ignore", message=".*lr_scheduler.step.*")
        for _ in range(steps):
            lrs.append(group["lr"])
            scheduler.step()
    return np.array(lrs)


def test_torch_sequential_lr_of_linear_and_exponential_is_a_join():
    torch = pytest.importorskip("torch")
    sched = torch.optim.lr_scheduler
    for i, rng in enumerate(_draws(6)):
        base = float(rng.uniform(0.01, 1.0))
        start, end = float(rng.uniform(0.01, 1.0)), float(rng.uniform(0.01, 1.0))
        total, milestone = int(rng.integers(1, 300)), int(rng.integers(1, 400))
        gamma = float(rng.uniform(0.99, 0.9999))

        def make(opt, start=start, end=end, total=total, milestone=milestone, gamma=gamma):
            return sched.SequentialLR(
                opt,
                [sched.LinearLR(opt, start, end, total), sched.ExponentialLR(opt, gamma)],
                milestones=[milestone],
            )

        theirs = _torch_lrs(make, base, 1200)
        absolute = Join(
            [Linear(base * start, base * end, total), ExponentialDecay(base, 1, gamma)], [milestone]
        )
        relative = base * Join([Linear(start, end, total), ExponentialDecay(1.0, 1, gamma)], [milestone])
        steps = np.arange(1200)
        for ours in (absolute, relative):
            _assert_same(ours(steps), theirs, (i, ours))
        assert lrdecay.parse(repr(relative)) == relative

"""lrdecay schedules as optax schedules, under jax.jit and jax.vmap."""

from __future__ import annotations

import io

import numpy as np
import pytest

jax = pytest.importorskip("jax")
optax = pytest.importorskip("optax")
jnp = jax.numpy

import lrdecay  # noqa: E402
from examples import TRAINING, assert_close_to_float64  # noqa: E402
from lrdecay.jax import to_optax  # noqa: E402

WARMUP, STEPWISE, NOISY = TRAINING["warmup-cosine"], TRAINING["piecewise"], TRAINING["noisy"]
SCHEDULES = TRAINING
_close_to_float64 = assert_close_to_float64


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_sgd_update_with_unit_gradient_is_minus_lr_at_each_of_200_steps(name):
    sched = SCHEDULES[name]
    opt = optax.sgd(learning_rate=to_optax(sched))
    params = jnp.zeros(3)
    state = opt.init(params)

    @jax.jit
    def step(params, state):
        updates, state = opt.update(jnp.ones(3), state, params)
        return optax.apply_updates(params, updates), state, updates

    used = []
    for _ in range(200):
        params, state, updates = step(params, state)
        used.append(-float(updates[0]))
    _close_to_float64(used, sched, range(200))
    # and what the schedule gives eagerly for jax's int32 counter (jit: 1e-6 relative)
    eager = np.asarray(sched(jnp.arange(200, dtype=jnp.int32)))
    np.testing.assert_allclose(used, eager, rtol=1e-6, atol=1e-6 * eager.max())


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_inject_hyperparams_records_the_lr_used(name):
    sched = SCHEDULES[name]
    opt = optax.inject_hyperparams(optax.adam)(learning_rate=sched)
    params = {"w": jnp.zeros(2)}
    state = opt.init(params)
    update = jax.jit(opt.update)
    used = []
    for _ in range(200):
        _, state = update({"w": jnp.ones(2)}, state, params)
        used.append(float(state.hyperparams["learning_rate"]))
    _close_to_float64(used, sched, range(200))


def test_jit_vmap_and_static_schedule():
    steps = jnp.arange(0, 400, 7, dtype=jnp.int32)
    for sched in SCHEDULES.values():
        eager = np.asarray(sched(steps))
        np.testing.assert_allclose(np.asarray(jax.jit(sched)(steps)), eager, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(np.asarray(jax.vmap(sched)(steps)), eager, rtol=1e-6, atol=1e-7)

    # A schedule is hashable: it can be a static argument (one trace per schedule).
    traces = []

    def evaluate(s, x):
        traces.append(s)
        return s(x)

    f = jax.jit(evaluate, static_argnums=0)
    np.testing.assert_allclose(np.asarray(f(WARMUP, steps)), np.asarray(WARMUP(steps)), rtol=1e-6)
    equal = lrdecay.CosineDecay(0.0, 150, 0.1, warmup_target=0.5, warmup_steps=50)
    np.testing.assert_allclose(np.asarray(f(equal, steps)), np.asarray(WARMUP(steps)), rtol=1e-6)
    assert traces == [WARMUP]  # an equal schedule hits the cache


def test_grad_through_a_schedule_of_a_float_step():
    # Differentiable in the step where the formula is (e.g. to inspect slopes).
    sched = lrdecay.ExponentialDecay(1.0, 10, 0.5)
    slope = jax.grad(lambda s: sched(s))(jnp.float32(10.0))
    np.testing.assert_allclose(float(slope), 0.5 * np.log(0.5) / 10, rtol=1e-5)


def test_to_optax_refuses_non_schedules():
    with pytest.raises(TypeError, match="`schedule`"):
        to_optax(lambda count: 0.1)
    assert to_optax(WARMUP) is WARMUP


# -- checkpoint / resume of opt_state ---------------------------------------------------


def _data(step):
    key = jax.random.PRNGKey(step)
    x = jax.random.normal(key, (16, 4))
    return x, jnp.sin(x.sum(axis=1))


def _loss(params, x, y):
    return jnp.mean((jnp.tanh(x @ params["w1"]) @ params["w2"] - y) ** 2)


def _init_params():
    k1, k2 = jax.random.split(jax.random.PRNGKey(0))
    return {"w1": jax.random.normal(k1, (4, 8)) * 0.5, "w2": jax.random.normal(k2, (8,)) * 0.5}


def _save(tree) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, *[np.asarray(leaf) for leaf in jax.tree.leaves(tree)])
    return buf.getvalue()


def _load(data: bytes, like):
    arrays = np.load(io.BytesIO(data))
    leaves = [jnp.asarray(arrays[f"arr_{i}"]) for i in range(len(arrays.files))]
    return jax.tree.unflatten(jax.tree.structure(like), leaves)


def _run(schedule, total, resume_at=None):
    opt = optax.inject_hyperparams(optax.sgd)(learning_rate=to_optax(schedule), momentum=0.9)

    @jax.jit
    def train_step(params, state, x, y):
        grads = jax.grad(_loss)(params, x, y)
        updates, state = opt.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    params = _init_params()
    state = opt.init(params)
    lrs = []
    for step in range(total):
        if step == resume_at:
            saved = _save(params), _save(state)
            del params, state  # restart from the files and fresh templates
            template_params = jax.tree.map(jnp.zeros_like, _init_params())
            params = _load(saved[0], template_params)
            state = _load(saved[1], opt.init(template_params))
        params, state = train_step(params, state, *_data(step))
        lrs.append(float(state.hyperparams["learning_rate"]))
    return lrs, params


@pytest.mark.parametrize(
    "schedule, resume_at",
    [(WARMUP, 50), (WARMUP, 37), (STEPWISE, 120), (STEPWISE, 121), (NOISY, 77)],
    ids=["warmup-end", "mid-warmup", "piecewise-boundary", "after-boundary", "noisy"],
)
def test_resume_from_opt_state_equals_uninterrupted(schedule, resume_at):
    full_lrs, full_params = _run(schedule, 160)
    lrs, params = _run(schedule, 160, resume_at)
    assert lrs == full_lrs
    _close_to_float64(lrs, schedule, range(160))
    for a, b in zip(jax.tree.leaves(params), jax.tree.leaves(full_params), strict=False):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))

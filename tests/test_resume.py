"""Resume is exact, for every registered schedule class (drawn by tests/strategies.py).

Evaluating the steps in one go equals evaluating up to k, saving, loading and
evaluating the rest, for k at every phase boundary (warmup end, decay end, stairs,
restarts, piecewise and Join boundaries), beside them and between them, up to 2**53:

* the schedule itself through JSON (`serialize` -> `json` -> `deserialize`);
* the torch `LRScheduler` through ``state_dict`` / ``torch.save`` / ``torch.load`` into a
  fresh optimizer and scheduler built with another schedule;
* Keras: the optimizer's config (`KerasSchedule` inside) and its ``iterations``;
* optax: ``opt_state`` (which holds the count) saved with numpy and loaded.

The training loops themselves (weights equal after resume) are in test_torch.py,
test_keras.py and test_jax.py; here every class and every boundary is covered.
"""

from __future__ import annotations

import io
import itertools
import json

import numpy as np
import pytest
import strategies as S
from hypothesis import given, settings
from hypothesis import strategies as st

import lrdecay
from lrdecay import _registry

NAMES = _registry.names()
#: Framework loops step the optimizer a few times around each checkpoint.
AFTER = 3


def _safe(s, steps):
    """The steps the schedule can evaluate (a growing one may overflow far out)."""
    out = []
    for k in steps:
        try:
            s(k)
        except ValueError:
            continue
        out.append(k)
    return out


def _checkpoints(s, limit=S.MAX_STEP):
    """Phase boundaries, beside them and halfway between them (integers <= limit)."""
    edges = [k for k in S.phase_steps(s) if k <= limit]
    between = [(a + b) // 2 for a, b in itertools.pairwise(edges) if b - a > 2]
    return sorted(set(edges + between))


def _reload(s):
    return lrdecay.deserialize(json.loads(json.dumps(lrdecay.serialize(s))))


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=6)
@given(data=st.data())
def test_resume_through_json_at_every_phase_boundary(name, data):
    s = data.draw(S.instances(name))
    checkpoints = _safe(s, _checkpoints(s))[:40]
    steps = np.unique(np.array(checkpoints + list(range(50)), dtype=np.float64))
    whole = lrdecay.evaluate(s, steps)
    for i in np.searchsorted(steps, checkpoints):
        first = lrdecay.evaluate(s, steps[: i + 1])
        rest = lrdecay.evaluate(_reload(s), steps[i + 1 :])
        np.testing.assert_array_equal(np.concatenate([first, rest]), whole)
    # The scalar path too, one step after each checkpoint.
    loaded = _reload(s)
    assert [loaded(int(k)) for k in steps] == [s(int(k)) for k in steps]


# -- torch -----------------------------------------------------------------------------


def _torch_lrs(s, start, total, checkpoint=None):
    torch = pytest.importorskip("torch")
    from lrdecay.torch import LRScheduler

    def fresh(schedule):
        w = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
        opt = torch.optim.SGD([w], lr=1.0, momentum=0.9)
        return opt, LRScheduler(opt, schedule)

    opt, scheduler = fresh(s)
    if start:  # as if trained to `start`: a checkpoint from there
        scheduler.load_state_dict({**scheduler.state_dict(), "last_epoch": start, "_step_count": start + 1})
    lrs = []
    for step in range(start, start + total):
        if step == checkpoint:
            buf = io.BytesIO()
            torch.save({"opt": opt.state_dict(), "sched": scheduler.state_dict()}, buf)
            buf.seek(0)
            saved = torch.load(buf, weights_only=True)
            opt, scheduler = fresh(lrdecay.ExponentialDecay(9.0, 1, 0.5))  # replaced by the checkpoint's
            opt.load_state_dict(saved["opt"])
            scheduler.load_state_dict(saved["sched"])
        lrs.append(opt.param_groups[0]["lr"])
        for p in opt.param_groups[0]["params"]:
            p.grad = torch.ones_like(p)
        opt.step()
        scheduler.step()
    return lrs


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=3)
@given(data=st.data())
def test_resume_through_the_torch_state_dict(name, data):
    pytest.importorskip("torch")
    s = data.draw(S.instances(name))
    for k in _safe(s, _checkpoints(s, limit=S.MAX_STEP - AFTER - 1))[:12]:
        start = max(k - 1, 0)
        if len(_safe(s, range(start, start + AFTER + 1))) <= AFTER:
            continue
        whole = _torch_lrs(s, start, AFTER + 1)
        resumed = _torch_lrs(s, start, AFTER + 1, checkpoint=k)
        assert resumed == whole == [s(j) for j in range(start, start + AFTER + 1)], (s, k)


# -- Keras -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=2)
@given(data=st.data())
def test_resume_through_the_keras_optimizer_config_and_iterations(name, data):
    keras = pytest.importorskip("keras")
    from lrdecay.keras import to_keras

    s = data.draw(S.instances(name))
    for k in _safe(s, _checkpoints(s, limit=2**31))[:3]:
        opt = keras.optimizers.SGD(learning_rate=to_keras(s))
        opt.iterations.assign(k)
        want = float(keras.ops.convert_to_numpy(opt.learning_rate))
        config = json.loads(json.dumps(keras.optimizers.serialize(opt)))
        loaded = keras.optimizers.deserialize(config)
        loaded.iterations.assign(int(opt.iterations.numpy()))
        assert loaded._learning_rate.schedule == s
        assert float(keras.ops.convert_to_numpy(loaded.learning_rate)) == want
        # Keras computes in float32 from its float32 step: near the float64 value, away
        # from phase edges (where float32 may put the step on the other side).
        scale = max([1.0] + [abs(b) for b in S.bounds_of(s) if np.isfinite(b)])
        edges = [e for p in S.pieces_of(s) for e in (p.lo, p.hi) if np.isfinite(e)]
        if k < 2**24 and all(abs(e - k) > 2 + 1e-6 * abs(e) for e in edges):
            assert want == pytest.approx(s(k), rel=1e-4, abs=1e-5 * scale)


# -- optax -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=1)
@given(data=st.data())
def test_resume_through_optax_state(name, data):
    jax = pytest.importorskip("jax")
    optax = pytest.importorskip("optax")
    import jax.numpy as jnp

    from lrdecay.jax import to_optax

    s = data.draw(S.instances(name))
    opt = optax.inject_hyperparams(optax.sgd)(learning_rate=to_optax(s))
    params = jnp.zeros(2)
    # optax counts in int32.
    for k in _safe(s, _checkpoints(s, limit=2**31 - AFTER - 2))[:3]:
        state = opt.init(params)
        state = jax.tree.map(lambda x, k=k: jnp.full_like(x, k) if x.dtype == jnp.int32 else x, state)

        def run(state, n):
            lrs = []
            for _ in range(n):
                _, state = opt.update(jnp.ones(2), state, params)
                lrs.append(float(state.hyperparams["learning_rate"]))
            return lrs, state

        whole, _ = run(state, AFTER + 1)
        first, mid = run(state, 1)
        buf = io.BytesIO()
        np.savez(buf, *[np.asarray(leaf) for leaf in jax.tree.leaves(mid)])
        arrays = np.load(io.BytesIO(buf.getvalue()))
        leaves = [jnp.asarray(arrays[f"arr_{i}"]) for i in range(len(arrays.files))]
        restored = jax.tree.unflatten(jax.tree.structure(opt.init(params)), leaves)
        rest, _ = run(restored, AFTER)
        assert first + rest == whole, (s, k)

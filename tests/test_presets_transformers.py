"""lrdecay.presets.transformers against the real transformers (the pinned 5.24.0).

Tolerance: ``|ours - theirs| <= 1e-12 * |theirs| + 1e-15`` on the factor (the peak is 1),
in float64. The absolute 1e-15 (~4.5 ulp of the peak, as in tests/test_edges.py) is for
factors that transformers itself reaches by cancellation, ``0.5 * (1 + cos(x))`` near its
trough and ``1 - p`` near the end, whose rounding (~1e-16) is absolute, not relative to
the tiny result: lrdecay computes those ends without cancellation, so its value is the
more exact one there, and both agree to 1e-12 relative everywhere else.

Draws: 200 random parameter sets per preset, each over at least 1,000 steps and past the
end (where transformers' cosine oscillates). The lambdas of transformers' schedulers are
called as functions of the step; lrdecay's curve comes from one vectorised
``lrdecay.evaluate``. The scheduler tests step both real schedulers with an SGD
optimizer of two float64 param groups with different lrs, save the state at a random step
(``torch.save``, reloaded with ``weights_only=True``), rebuild, load and continue.
"""

from __future__ import annotations

import io
import itertools
import math
import pickle
import sys
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
from transformers import optimization as H  # noqa: E402

import lrdecay  # noqa: E402
from lrdecay.presets import transformers as P  # noqa: E402

DRAWS = 200
LRS = (0.1, 3.7)  # two param groups; polynomial and min_lr are relative to defaults["lr"] = 0.1


def _optimizer(lrs=LRS):
    params = [torch.zeros(2, dtype=torch.float64, requires_grad=True) for _ in lrs]
    return torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(params, lrs, strict=True)], lr=lrs[0])


def _draw(rng, name):
    """(positional args after the optimizer, kwargs) for preset `name`: transformers' own argument names."""
    w = int(rng.choice([0, 1, int(rng.integers(2, 400))]))
    n = w + int(rng.integers(1, 1500))
    cycles = float(rng.choice([0.5, 1.0, 1.5, 0.25, 3.0, rng.uniform(0.05, 4.0)]))
    if name == "constant":
        return (), {}
    if name == "constant_with_warmup":
        return (w,), {}
    if name == "linear":
        return (w, int(rng.choice([n, max(0, w - int(rng.integers(0, 5)))]))), {}
    if name == "cosine":
        return (w, n), {"num_cycles": cycles}
    if name == "cosine_with_restarts":
        return (w, n), {"num_cycles": int(rng.integers(1, 8))}
    if name == "polynomial":
        return (w, n), {"lr_end": float(rng.uniform(0, 0.09)), "power": float(rng.uniform(0.2, 4.0))}
    if name == "inverse_sqrt":
        return (w,), {"timescale": None if rng.random() < 0.5 else int(rng.integers(1, 5000))}
    if name == "cosine_with_min_lr":
        floor = float(rng.uniform(0, 0.5))
        kw = {"min_lr_rate": floor} if rng.random() < 0.5 else {"min_lr": floor * LRS[0]}
        return (w, n), {"num_cycles": cycles, **kw}
    if name == "cosine_warmup_with_min_lr":
        # W = 0 and 1 are where the early warmup end and the cosine's one-step lead meet.
        w = int(rng.choice([0, 1, 2, int(rng.integers(3, 400))]))
        n = int(rng.choice([w + int(rng.integers(1, 1500)), max(0, w - int(rng.integers(0, 5)))]))
        floor = float(rng.uniform(0, 0.5))
        kw = {"min_lr_rate": floor} if rng.random() < 0.5 else {"min_lr": floor * LRS[0]}
        if rng.random() < 0.5:
            kw["warmup_lr_rate"] = float(rng.uniform(0, 1))
        return (w, n), {"num_cycles": cycles, **kw}
    if name == "warmup_stable_decay":
        d = int(rng.choice([0, 1, int(rng.integers(2, 600))]))
        return (w, d), {
            "num_stable_steps": int(rng.integers(0, 600)),
            "warmup_type": str(rng.choice(["linear", "cosine", "1-sqrt"])),
            "decay_type": str(rng.choice(["linear", "cosine", "1-sqrt"])),
            "min_lr_ratio": float(rng.choice([0.0, rng.uniform(0, 0.5)])),
            "num_cycles": cycles,
        }
    raise AssertionError(name)


#: preset name -> (transformers' function, lrdecay's function, lrdecay's pure form)
PRESETS = {
    "constant": (H.get_constant_schedule, P.get_constant_schedule),
    "constant_with_warmup": (H.get_constant_schedule_with_warmup, P.get_constant_schedule_with_warmup),
    "linear": (H.get_linear_schedule_with_warmup, P.get_linear_schedule_with_warmup),
    "cosine": (H.get_cosine_schedule_with_warmup, P.get_cosine_schedule_with_warmup),
    "cosine_with_restarts": (
        H.get_cosine_with_hard_restarts_schedule_with_warmup,
        P.get_cosine_with_hard_restarts_schedule_with_warmup,
    ),
    "polynomial": (H.get_polynomial_decay_schedule_with_warmup, P.get_polynomial_decay_schedule_with_warmup),
    "inverse_sqrt": (H.get_inverse_sqrt_schedule, P.get_inverse_sqrt_schedule),
    "cosine_with_min_lr": (
        H.get_cosine_with_min_lr_schedule_with_warmup,
        P.get_cosine_with_min_lr_schedule_with_warmup,
    ),
    "cosine_warmup_with_min_lr": (
        H.get_cosine_with_min_lr_schedule_with_warmup_lr_rate,
        P.get_cosine_with_min_lr_schedule_with_warmup_lr_rate,
    ),
    "warmup_stable_decay": (H.get_wsd_schedule, P.get_wsd_schedule),
}


def _horizon(args, kwargs):
    """Steps to compare: 0 .. half as far again past the end (at least 1,000)."""
    total = sum(a for a in args if isinstance(a, int)) + kwargs.get("num_stable_steps", 0)
    return max(1000, (3 * total) // 2 + 50)


def _angle_allowance(name, args, kwargs, steps):
    """Both sides' rounding of the cosine's angle, which grows with it past the end.

    transformers evaluates ``cos(2 pi c p)`` at the unreduced progress ``p``, whose
    rounding (``|angle| * 2**-53``) moves the factor by up to half that. lrdecay reduces
    the step modulo the period exactly, but the period ``(N - W) / c`` is itself rounded
    once, which moves the reduced angle by as much (seen far past a 1-step decay, where
    ``N <= W``: 9e-13 from the exact value, transformers 1.9e-12 the other way).
    (It matters only far past a short decay.)
    """
    if name not in ("cosine", "cosine_with_min_lr", "cosine_warmup_with_min_lr"):
        return 0.0
    w, n = args
    angle = 2 * np.pi * abs(kwargs["num_cycles"]) * np.maximum(steps - w + 1, 0) / max(1, n - w)
    return 2 * 0.5 * angle * 2.0**-52


def _close(ours, theirs, allowance=0.0):
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    bad = np.abs(ours - theirs) > 1e-12 * np.abs(theirs) + 1e-15 + allowance
    assert not bad.any(), (
        f"first difference at step {np.argmax(bad)}: ours={ours[np.argmax(bad)]!r}, "
        f"transformers={theirs[np.argmax(bad)]!r}"
    )


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_factors_equal_transformers(name):
    rng = np.random.default_rng(sorted(PRESETS).index(name))
    hf_fn, our_fn = PRESETS[name]
    opt = _optimizer()
    for _ in range(DRAWS):
        args, kwargs = _draw(rng, name)
        theirs = hf_fn(opt, *args, **kwargs)
        ours = our_fn(opt, *args, **kwargs)
        assert isinstance(ours, torch.optim.lr_scheduler.LambdaLR)
        assert all(isinstance(f, lrdecay.Schedule) for f in ours.lr_lambdas)
        steps = np.arange(_horizon(args, kwargs))
        factor = theirs.lr_lambdas[0]
        expected = [factor(int(k)) for k in steps]
        _close(
            lrdecay.evaluate(ours.lr_lambdas[0], steps), expected, _angle_allowance(name, args, kwargs, steps)
        )
        # The scalar path (what LambdaLR calls) at a sample of the steps.
        sample = rng.choice(steps, 50)
        _close(
            [ours.lr_lambdas[0](int(k)) for k in sample],
            [factor(int(k)) for k in sample],
            _angle_allowance(name, args, kwargs, sample),
        )


def _lrs(opt):
    return [g["lr"] for g in opt.param_groups]


def _step(opt, sched):
    opt.step()
    sched.step()


def _save_load(state):
    buffer = io.BytesIO()
    torch.save(state, buffer)
    buffer.seek(0)
    return torch.load(buffer, weights_only=True)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_scheduler_steps_and_resumes_like_transformers(name):
    rng = np.random.default_rng(100 + sorted(PRESETS).index(name))
    hf_fn, our_fn = PRESETS[name]
    for _ in range(2):
        args, kwargs = _draw(rng, name)
        steps = 1000 + int(rng.integers(0, 200))
        cut = int(rng.integers(1, steps))
        opt_h, opt_o = _optimizer(), _optimizer()
        theirs, ours = hf_fn(opt_h, *args, **kwargs), our_fn(opt_o, *args, **kwargs)
        _close(_lrs(opt_o), _lrs(opt_h))
        for k in range(steps):
            if k == cut:
                # Save both, reload with weights_only=True into fresh optimizers and
                # schedulers built by the same code, and go on with those.
                saved_h = _save_load({"opt": opt_h.state_dict(), "sched": theirs.state_dict()})
                saved_o = _save_load({"opt": opt_o.state_dict(), "sched": ours.state_dict()})
                assert saved_o["sched"].keys() == saved_h["sched"].keys()
                assert saved_o["sched"]["lr_lambdas"] == saved_h["sched"]["lr_lambdas"]
                opt_h, opt_o = _optimizer(), _optimizer()
                theirs, ours = hf_fn(opt_h, *args, **kwargs), our_fn(opt_o, *args, **kwargs)
                opt_h.load_state_dict(saved_h["opt"])
                theirs.load_state_dict(saved_h["sched"])
                opt_o.load_state_dict(saved_o["opt"])
                ours.load_state_dict(saved_o["sched"])
            _step(opt_h, theirs)
            _step(opt_o, ours)
            _close(_lrs(opt_o), _lrs(opt_h))
            _close(ours.get_last_lr(), theirs.get_last_lr())
        assert ours.last_epoch == theirs.last_epoch == steps


def test_checkpoints_load_across_libraries():
    """A state saved by transformers' scheduler loads into lrdecay's and the other way round."""
    opt_h, opt_o = _optimizer(), _optimizer()
    theirs = H.get_cosine_schedule_with_warmup(opt_h, 10, 100)
    ours = P.get_cosine_schedule_with_warmup(opt_o, 10, 100)
    for _ in range(37):
        _step(opt_h, theirs)
    ours.load_state_dict(_save_load(theirs.state_dict()))
    for _ in range(5):
        _step(opt_h, theirs)
        _step(opt_o, ours)
    _close(_lrs(opt_o), _lrs(opt_h))
    back = H.get_cosine_schedule_with_warmup(_optimizer(), 10, 100)
    back.load_state_dict(_save_load(ours.state_dict()))
    assert back.last_epoch == ours.last_epoch == 42
    assert back.get_last_lr() == ours.get_last_lr()


def test_saved_state_is_plain_and_the_scheduler_pickles():
    opt = _optimizer()
    sched = P.get_wsd_schedule(opt, 5, 10, num_training_steps=50, warmup_type="cosine")
    for _ in range(7):
        _step(opt, sched)
    state = sched.state_dict()
    assert state["lr_lambdas"] == [{}, {}]
    assert _save_load(state) == state
    assert P.get_constant_schedule(opt).state_dict()["lr_lambdas"] == [None, None]
    # The whole scheduler pickles (torch.save without weights_only), its factors by config.
    again = pickle.loads(pickle.dumps(sched))
    assert again.lr_lambdas[0] == sched.lr_lambdas[0]
    assert lrdecay.deserialize(lrdecay.serialize(sched.lr_lambdas[0])) == sched.lr_lambdas[0]


def test_transformers_documented_values_at_lr_10():
    """transformers' own test table (its tests/optimization/test_optimization.py): 10 steps at lr 10.

    Its values are given to two or three decimals and checked to 1e-2; lrdecay's are
    checked against them the same way and against the real scheduler to 1e-12.
    """
    table = {
        "constant": ({}, [10.0] * 10),
        "constant_with_warmup": (
            {"num_warmup_steps": 4},
            [0.0, 2.5, 5.0, 7.5, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0],
        ),
        "linear": (
            {"num_warmup_steps": 2, "num_training_steps": 10},
            [0.0, 5.0, 10.0, 8.75, 7.5, 6.25, 5.0, 3.75, 2.5, 1.25],
        ),
        "cosine": (
            {"num_warmup_steps": 2, "num_training_steps": 10},
            [0.0, 5.0, 10.0, 9.61, 8.53, 6.91, 5.0, 3.08, 1.46, 0.38],
        ),
        "cosine_with_restarts": (
            {"num_warmup_steps": 2, "num_cycles": 2, "num_training_steps": 10},
            [0.0, 5.0, 10.0, 8.53, 5.0, 1.46, 10.0, 8.53, 5.0, 1.46],
        ),
        "polynomial": (
            {"num_warmup_steps": 2, "num_training_steps": 10, "power": 2.0, "lr_end": 1e-7},
            [0.0, 5.0, 10.0, 7.656, 5.625, 3.906, 2.5, 1.406, 0.625, 0.156],
        ),
        "inverse_sqrt": (
            {"num_warmup_steps": 2},
            [0.0, 5.0, 10.0, 8.165, 7.071, 6.325, 5.774, 5.345, 5.0, 4.714],
        ),
        "warmup_stable_decay": (
            {"num_warmup_steps": 2, "num_stable_steps": 2, "num_decay_steps": 3, "min_lr_ratio": 0.1},
            [1.0, 5.5, 10.0, 10.0, 10.0, 7.75, 3.25, 1.0, 1.0, 1.0],
        ),
    }
    for name, (kwargs, expected) in table.items():
        got = []
        for fn in PRESETS[name]:
            opt = _optimizer((10.0,))
            sched = fn(opt, **kwargs)
            lrs = []
            for _ in range(10):
                lrs.append(sched.get_last_lr()[0])
                _step(opt, sched)
            got.append(lrs)
        theirs, ours = got
        assert ours == pytest.approx(expected, abs=1e-2), name  # transformers' own tolerance
        _close(ours, theirs)


def _error(fn, *args, **kwargs):
    with pytest.raises((ValueError, TypeError, KeyError)) as info:
        fn(*args, **kwargs)
    return type(info.value), str(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda m, o: m.get_scheduler("linear", o),
        lambda m, o: m.get_scheduler("cosine", o, num_warmup_steps=3),
        lambda m, o: m.get_scheduler("polynomial", o, num_warmup_steps=3),
        lambda m, o: m.get_scheduler("warmup_stable_decay", o, num_warmup_steps=3),
        lambda m, o: m.get_scheduler(
            "warmup_stable_decay", o, 3, scheduler_specific_kwargs={"num_decay_steps": 2}
        ),
        lambda m, o: m.get_scheduler("bogus", o, 3, 10),
        lambda m, o: m.get_scheduler("cosine", o, 3, 10, scheduler_specific_kwargs={"bogus": 1}),
        lambda m, o: m.get_polynomial_decay_schedule_with_warmup(o, 2, 10, lr_end=0.1),
        lambda m, o: m.get_cosine_with_min_lr_schedule_with_warmup(o, 2, 10, min_lr=0.01, min_lr_rate=0.1),
        lambda m, o: m.get_cosine_with_min_lr_schedule_with_warmup(o, 2, 10),
        lambda m, o: m.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
            o, 2, 10, min_lr=0.01, min_lr_rate=0.1
        ),
        lambda m, o: m.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(o, 2, 10, warmup_lr_rate=0.1),
        lambda m, o: m.get_scheduler("cosine_warmup_with_min_lr", o, scheduler_specific_kwargs={"min_lr": 0}),
        lambda m, o: m.get_scheduler(
            "cosine_warmup_with_min_lr", o, 3, scheduler_specific_kwargs={"min_lr": 0}
        ),
        lambda m, o: m.get_scheduler("cosine_warmup_with_min_lr", o, 3, 10),
        lambda m, o: m.get_scheduler("cosine_warmup_with_min_lr", o, 3, 10, {"min_lr_rate": 0, "bogus": 1}),
        lambda m, o: m.get_scheduler("greedy", o, scheduler_specific_kwargs={"bogus": 1}),
        lambda m, o: m.get_scheduler("greedy", o, scheduler_specific_kwargs={"mode": "sideways"}),
        lambda m, o: m.get_wsd_schedule(o, 2, 3, warmup_type="exp", num_training_steps=10),
        lambda m, o: m.get_wsd_schedule(o, 2, 3, decay_type="exp", num_training_steps=10),
        lambda m, o: m.get_linear_schedule_with_warmup(o, 2, 10, last_epoch=5),  # no initial_lr yet
    ],
)
def test_errors_are_transformers(call):
    assert _error(call, P, _optimizer()) == _error(call, H, _optimizer())


def test_get_scheduler_builds_what_transformers_builds():
    opt = _optimizer()
    for name, w, n, kw in [
        ("constant", 5, 100, {}),
        ("constant_with_warmup", 5, None, {}),
        ("linear", 5, 100, {}),
        ("cosine", 5, 100, {"num_cycles": 2.5}),
        ("cosine_with_restarts", 5, 100, {"num_cycles": 3}),
        ("polynomial", 5, 100, {"power": 3.0}),
        ("inverse_sqrt", 5, None, {"timescale": 50}),
        ("cosine_with_min_lr", 5, 100, {"min_lr": 0.001}),
        ("cosine_warmup_with_min_lr", 5, 100, {"min_lr_rate": 0.05, "warmup_lr_rate": 0.1}),
        ("cosine_warmup_with_min_lr", 0, 100, {"min_lr": 0.001, "num_cycles": 1.5}),
        ("warmup_stable_decay", 5, 100, {"num_decay_steps": 20, "decay_type": "1-sqrt"}),
    ]:
        theirs = H.get_scheduler(name, opt, w, n, kw)
        ours = P.get_scheduler(transformers.SchedulerType(name), opt, w, n, kw)
        steps = np.arange(300)
        _close(lrdecay.evaluate(ours.lr_lambdas[1], steps), [theirs.lr_lambdas[1](int(k)) for k in steps])
    plateau = P.get_scheduler("reduce_lr_on_plateau", opt, scheduler_specific_kwargs={"patience": 3})
    assert isinstance(plateau, torch.optim.lr_scheduler.ReduceLROnPlateau) and plateau.patience == 3


def test_greedy_is_transformers_own_greedy_lr():
    """It follows the loss it is given: transformers' class itself, stepped like transformers' own."""
    kwargs = {"patience": 2, "factor": 0.5, "min_lr": 1e-4, "cooldown": 1, "warmup": 1}
    opt_h, opt_o = _optimizer(), _optimizer()
    theirs = H.get_scheduler("greedy", opt_h, scheduler_specific_kwargs=kwargs)
    ours = P.get_scheduler("greedy", opt_o, 10, 100, scheduler_specific_kwargs=kwargs)
    assert type(ours) is type(theirs) is H.GreedyLR
    losses = np.random.default_rng(7).permutation(np.r_[np.linspace(2.0, 0.5, 30), np.full(30, 0.7)])
    for loss in losses:
        theirs.step(float(loss))
        ours.step(float(loss))
        assert _lrs(opt_o) == _lrs(opt_h)
    assert len(set(_lrs(opt_o))) > 1 and ours.state_dict() == theirs.state_dict()


def test_greedy_without_transformers_says_what_it_is(monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)
    monkeypatch.setitem(sys.modules, "transformers.optimization", None)
    with pytest.raises(ImportError, match=r"metric|loss") as info:
        P.get_scheduler("greedy", _optimizer())
    message = str(info.value)
    assert "GreedyLR" in message and "not an lrdecay schedule" in message
    assert "pip install transformers" in message


def test_wsd_warns_like_transformers_when_both_lengths_are_given():
    for fn in (H.get_wsd_schedule, P.get_wsd_schedule):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fn(_optimizer(), 2, 3, num_training_steps=10, num_stable_steps=4)
        assert [str(w.message) for w in caught] == [
            "Both num_training_steps and num_stable_steps are specified. num_stable_steps will be used."
        ]


def test_pure_forms_are_the_schedulers_factors():
    opt = _optimizer()
    pairs = [
        (P.constant_schedule(), P.get_constant_schedule(opt)),
        (P.constant_schedule_with_warmup(7), P.get_constant_schedule_with_warmup(opt, 7)),
        (P.linear_schedule_with_warmup(7, 70), P.get_linear_schedule_with_warmup(opt, 7, 70)),
        (P.cosine_schedule_with_warmup(7, 70, 1.5), P.get_cosine_schedule_with_warmup(opt, 7, 70, 1.5)),
        (
            P.cosine_with_hard_restarts_schedule_with_warmup(7, 70, 3),
            P.get_cosine_with_hard_restarts_schedule_with_warmup(opt, 7, 70, 3),
        ),
        (
            P.polynomial_decay_schedule_with_warmup(7, 70, LRS[0], 1e-3, 2.0),
            P.get_polynomial_decay_schedule_with_warmup(opt, 7, 70, 1e-3, 2.0),
        ),
        (P.inverse_sqrt_schedule(7), P.get_inverse_sqrt_schedule(opt, 7)),
        (
            P.cosine_with_min_lr_schedule_with_warmup(7, 70, min_lr=1e-3, lr_init=LRS[0]),
            P.get_cosine_with_min_lr_schedule_with_warmup(opt, 7, 70, min_lr=1e-3),
        ),
        (
            P.cosine_with_min_lr_schedule_with_warmup_lr_rate(7, 70, 1.5, min_lr=1e-3, lr_init=LRS[0]),
            P.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(opt, 7, 70, 1.5, min_lr=1e-3),
        ),
        (
            P.cosine_with_min_lr_schedule_with_warmup_lr_rate(0, 70, min_lr_rate=0.1, warmup_lr_rate=0.2),
            P.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
                opt, 0, 70, min_lr_rate=0.1, warmup_lr_rate=0.2
            ),
        ),
        (P.wsd_schedule(7, 10, 70), P.get_wsd_schedule(opt, 7, 10, 70)),
    ]
    for pure, sched in pairs:
        assert sched.lr_lambdas == [pure, pure]
        assert lrdecay.parse(repr(pure)) == pure  # printable as a spec that reads back


def test_rejects_what_would_be_garbage():
    """Where transformers gives a nonsense curve or fails at some later step, lrdecay raises up front."""
    opt = _optimizer()
    with pytest.raises(ValueError, match="num_warmup_steps"):
        P.get_linear_schedule_with_warmup(opt, -1, 10)
    with pytest.raises(ValueError, match="num_training_steps"):
        P.get_polynomial_decay_schedule_with_warmup(opt, 10, 10)  # transformers: ZeroDivisionError at step 10
    with pytest.raises(ValueError, match="stable phase"):
        P.get_wsd_schedule(opt, 5, 10, num_training_steps=12)
    with pytest.raises(ValueError, match="warmup_lr_rate"):
        P.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
            opt, 2, 10, min_lr_rate=0.1, warmup_lr_rate=math.nan
        )
    with pytest.raises(ValueError, match="num_cycles"):
        P.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(opt, 0, 10, math.inf, min_lr_rate=0.1)
    with pytest.raises(TypeError, match="optimizer"):
        P.get_cosine_schedule_with_warmup(None, 2, 10)


def test_cosine_warmup_with_min_lr_edge_cases_equal_transformers():
    """Every corner of transformers' lambda: no warmup or a one-step one (the cosine one step ahead),
    fractional warmups, a decay of 0 or 1 step or a negative one (``N <= W``), no cycles, negative
    cycles, floors below 0 (transformers' ``max(0, .)`` bites) and above 1, warmup rates outside [0, 1].
    """
    rates = [None, 0.0, 0.25, -0.5, 1.5]
    cases = itertools.product(
        [0, 1, 2, 0.5, 2.5, 7], [-3, 0, 1, 2, 40], [0.0, 0.5, 1.0, 2.25, -1.5], [0.0, 0.3, -0.4, 1.5]
    )
    steps = np.arange(200)
    for i, (w, extra, cycles, floor) in enumerate(cases):
        n = max(0, w + extra)
        kwargs = {"num_cycles": cycles, "min_lr_rate": floor, "warmup_lr_rate": rates[i % len(rates)]}
        theirs = H._get_cosine_with_min_lr_schedule_with_warmup_lr_rate_lambda
        expected = [theirs(int(k), num_warmup_steps=w, num_training_steps=n, **kwargs) for k in steps]
        ours = P.cosine_with_min_lr_schedule_with_warmup_lr_rate(w, n, **kwargs)
        allowance = _angle_allowance("cosine_warmup_with_min_lr", (w, n), kwargs, steps) * abs(1 - floor)
        _close(lrdecay.evaluate(ours, steps), expected, allowance)
        _close([ours(int(k)) for k in steps], expected, allowance)


def test_cosine_warmup_with_min_lr_is_what_the_trainer_expects():
    """transformers' Trainer test of "cosine_warmup_with_min_lr" (tests/trainer/test_trainer.py):
    lr 0.2, 2 warmup steps of 10, ``min_lr=1e-5``: 0.1, 0.2, ..., exactly 1e-5 at the last step.
    """
    for module in (H, P):
        opt = _optimizer((0.2,))
        sched = module.get_scheduler("cosine_warmup_with_min_lr", opt, 2, 10, {"min_lr": 1e-5})
        lrs = []
        for _ in range(10):
            lrs.append(opt.param_groups[0]["lr"])
            _step(opt, sched)
        assert (lrs[0], lrs[1], lrs[-1]) == (0.1, 0.2, 1e-05)

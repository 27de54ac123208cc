"""lrdecay.presets.torch against torch.optim.lr_scheduler itself, stepped side by side."""

from __future__ import annotations

import io
import random
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch.optim import lr_scheduler as tl  # noqa: E402

from lrdecay.presets import torch as pt  # noqa: E402
from lrdecay.torch import StackedSchedulerWarning  # noqa: E402

DRAWS = 200
STEPS = 1000
REL = 1e-12


def _optimizer(kind: str, lrs: tuple[float, float]) -> torch.optim.Optimizer:
    a, b = (torch.nn.Parameter(torch.zeros(1, dtype=torch.float64)) for _ in range(2))
    groups = [{"params": [a], "lr": lrs[0]}, {"params": [b], "lr": lrs[1]}]
    if kind == "adam":
        return torch.optim.Adam(groups, lr=lrs[0], betas=(0.9, 0.99))
    return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)


def _draw(name: str, rng: random.Random) -> tuple[dict, int]:
    """Random torch arguments for `name`, and how many steps the curve allows."""
    n = rng.randint(2, 400)
    if name == "StepLR":
        return {"step_size": rng.randint(1, 100), "gamma": rng.uniform(0.5, 1.0)}, STEPS
    if name == "MultiStepLR":
        ms = [rng.randint(0, STEPS) for _ in range(rng.randint(0, 6))]
        return {"milestones": ms, "gamma": rng.uniform(0.1, 1.0)}, STEPS
    if name == "ConstantLR":
        return {"factor": rng.uniform(0.01, 1.0), "total_iters": rng.randint(1, 500)}, STEPS
    if name == "LinearLR":
        return {
            "start_factor": rng.uniform(0.01, 1.0),
            "end_factor": rng.uniform(0.0, 1.0),
            "total_iters": rng.randint(1, 800),
        }, STEPS
    if name == "ExponentialLR":
        return {"gamma": rng.uniform(0.99, 1.0)}, STEPS
    if name == "PolynomialLR":
        return {"total_iters": rng.randint(1, 1200), "power": rng.uniform(0.1, 3.0)}, STEPS
    if name == "CosineAnnealingLR":
        return {"T_max": rng.randint(1, 600), "eta_min": rng.choice([0.0, rng.uniform(0, 1e-3)])}, STEPS
    if name == "CosineAnnealingWarmRestarts":
        return {
            "T_0": rng.randint(1, 200),
            "T_mult": rng.choice([1, 1, 2, 3, 4]),
            "eta_min": rng.choice([0.0, rng.uniform(0, 1e-3)]),
        }, STEPS
    if name == "CyclicLR":
        mode = rng.choice(["triangular", "triangular2", "exp_range"])
        kw = {
            "base_lr": [rng.uniform(1e-4, 1e-2), rng.uniform(1e-4, 1e-2)],
            "max_lr": [rng.uniform(0.02, 1.0), rng.uniform(0.02, 1.0)],
            "step_size_up": rng.randint(1, 300),
            "step_size_down": rng.choice([None, rng.randint(1, 300)]),
            "mode": mode,
            "gamma": rng.uniform(0.995, 1.0),
            "base_momentum": rng.uniform(0.7, 0.85),
            "max_momentum": rng.uniform(0.86, 0.99),
        }
        return kw, STEPS
    if name == "OneCycleLR":
        n = rng.randint(600, 1400)
        three = rng.random() < 0.3
        pct = rng.uniform(0.02, 0.5 if three else 0.95)
        while pct * n <= 1:
            n += 10
        kw = {
            "max_lr": [rng.uniform(0.01, 1.0), rng.uniform(0.01, 1.0)],
            "total_steps": n,
            "pct_start": pct,
            "anneal_strategy": rng.choice(["cos", "linear"]),
            "div_factor": rng.uniform(2, 100),
            "final_div_factor": rng.uniform(10, 1e4),
            "three_phase": three,
        }
        return kw, n  # step total_steps is the last one torch allows
    raise AssertionError(name)


NAMES = [
    "StepLR",
    "MultiStepLR",
    "ConstantLR",
    "LinearLR",
    "ExponentialLR",
    "PolynomialLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "OneCycleLR",
]


def _values(opt: torch.optim.Optimizer) -> list[float]:
    out = []
    for g in opt.param_groups:
        out.append(float(g["lr"]))
        if "betas" in g:
            out.append(float(g["betas"][0]))
        elif "momentum" in g:
            out.append(float(g["momentum"]))
    return out


def _close(ours: list[float], theirs: list[float], scales: list[float], where: str) -> None:
    for a, b, s in zip(ours, theirs, scales, strict=True):
        assert abs(a - b) <= REL * max(abs(b), s), f"{where}: {a!r} != {b!r}"


def _close_rows(ours: list[list[float]], theirs: list[list[float]], scales: list[float], where: str) -> None:
    """`_close` of every recorded step at once; row ``k - 1`` is step ``k``."""
    a, b = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    assert a.shape == b.shape, where
    bad = np.abs(a - b) > REL * np.maximum(np.abs(b), np.asarray(scales, np.float64))
    if bad.any():
        k, i = np.argwhere(bad)[0]
        raise AssertionError(f"{where} k={k + 1}, value {i}: {a[k, i]!r} != {b[k, i]!r}")


@pytest.mark.parametrize("name", NAMES)
def test_parity_with_torch_and_resume(name: str) -> None:
    rng = random.Random(f"presets-torch-{name}")
    ours_cls, theirs_cls = getattr(pt, name), getattr(tl, name)
    draws = DRAWS
    steps_total = 0
    warnings.simplefilter("ignore", UserWarning)  # torch's "scheduler.step() before optimizer.step()"
    for _ in range(draws):
        kw, steps = _draw(name, rng)
        kind = rng.choice(["sgd", "adam"])
        lrs = (rng.uniform(0.01, 1.0), rng.uniform(0.01, 1.0))
        o1, o2 = _optimizer(kind, lrs), _optimizer(kind, lrs)
        theirs, ours = theirs_cls(o1, **kw), ours_cls(o2, **kw)
        scales = [max(abs(x), 1.0) if i % 2 else abs(x) for i, x in enumerate(_values(o1))]
        scales = [max(s, float(g.get("max_lr", 0.0))) for s, g in zip(scales, _pairs(o1), strict=True)]
        resume_at = rng.randint(1, steps - 1)
        _close(_values(o2), _values(o1), scales, f"{name}{kw} k=0")
        # Every step's values are recorded and compared at the end (one numpy comparison
        # instead of a Python one per step: the stepping is what costs).
        seen_theirs, seen_ours = [], []
        for k in range(1, steps + 1):
            theirs.step()
            ours.step()
            if k == resume_at:
                buf = io.BytesIO()
                torch.save(ours.state_dict(), buf)
                buf.seek(0)
                state = torch.load(buf, weights_only=True)
                o2 = _optimizer(kind, lrs)
                ours = ours_cls(o2, **kw)
                ours.load_state_dict(state)
                assert ours.last_epoch == k
            seen_theirs.append(_values(o1))
            seen_ours.append(_values(o2))
        _close_rows(seen_ours, seen_theirs, scales, f"{name}{kw}")
        last = [float(x) for x in ours.get_last_lr()]
        _close(last, [float(x) for x in theirs.get_last_lr()], scales[::2], f"{name} get_last_lr")
        steps_total += steps
    assert steps_total >= 200_000


def _pairs(opt: torch.optim.Optimizer) -> list[dict]:
    return [g for g in opt.param_groups for _ in range(2)]


def _sgd(lr: float = 0.05, **kw: float) -> torch.optim.SGD:
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr, **kw)


def _run(sched: tl.LRScheduler, opt: torch.optim.Optimizer, steps: int) -> list[float]:
    out = []
    for _ in range(steps):
        out.append(float(opt.param_groups[0]["lr"]))
        opt.step()
        sched.step()
    return out


def test_sequential_lr_runs_presets_like_torch_children() -> None:
    # The docs' example (modern_schedules.md §1): LinearLR(0.1, T=3) then CosineAnnealingLR(T=4), M=[3].
    def build(mod):
        opt = _sgd(1.0)
        kids = [mod.LinearLR(opt, 0.1, total_iters=3), mod.CosineAnnealingLR(opt, T_max=4)]
        return tl.SequentialLR(opt, kids, milestones=[3]), opt

    ours, theirs = build(pt), build(tl)
    a, b = _run(*ours, 12), _run(*theirs, 12)
    assert a == pytest.approx(b, rel=1e-12, abs=1e-15)
    assert a[:4] == pytest.approx([0.1, 0.4, 0.7, 1.0])


def test_chained_scheduler_accepts_one_preset_and_warns_when_two_stack() -> None:
    opt, ref = _sgd(), _sgd()
    chained = tl.ChainedScheduler([pt.ExponentialLR(opt, 0.9)])
    expected = tl.ChainedScheduler([tl.ExponentialLR(ref, 0.9)])
    assert _run(chained, opt, 20) == pytest.approx(_run(expected, ref, 20), rel=1e-12)

    opt = _sgd()
    stacked = tl.ChainedScheduler([pt.ConstantLR(opt, 0.1, 20), pt.ExponentialLR(opt, 0.9)])
    with pytest.warns(StackedSchedulerWarning, match="another scheduler"):
        _run(stacked, opt, 3)


def test_two_presets_on_one_optimizer_warn() -> None:
    opt = _sgd()
    a, b = pt.StepLR(opt, 2), pt.ExponentialLR(opt, 0.5)
    opt.step()
    a.step()
    b.step()
    with pytest.warns(StackedSchedulerWarning):
        a.step()


@pytest.mark.parametrize(
    ("cls", "kw"),
    [
        ("ConstantLR", {"factor": 1.5}),
        ("ConstantLR", {"factor": -0.1}),
        ("LinearLR", {"start_factor": 0.0}),
        ("LinearLR", {"end_factor": 1.5}),
        ("CosineAnnealingWarmRestarts", {"T_0": 0}),
        ("CosineAnnealingWarmRestarts", {"T_0": 2, "T_mult": 0}),
        ("CosineAnnealingWarmRestarts", {"T_0": 2.0}),
        ("CosineAnnealingWarmRestarts", {"T_0": 2, "eta_min": "0"}),
        ("CyclicLR", {"base_lr": 0.1, "max_lr": 1.0, "mode": "nope"}),
        ("CyclicLR", {"base_lr": [0.1, 0.2], "max_lr": 1.0}),
        ("OneCycleLR", {"max_lr": 1.0}),
        ("OneCycleLR", {"max_lr": 1.0, "total_steps": 0}),
        ("OneCycleLR", {"max_lr": 1.0, "epochs": 0, "steps_per_epoch": 2}),
        ("OneCycleLR", {"max_lr": 1.0, "epochs": 2, "steps_per_epoch": 1.5}),
        ("OneCycleLR", {"max_lr": 1.0, "total_steps": 10, "pct_start": 1}),
        ("OneCycleLR", {"max_lr": 1.0, "total_steps": 10, "anneal_strategy": "exp"}),
    ],
)
def test_errors_are_torchs(cls: str, kw: dict) -> None:
    with pytest.raises((ValueError, TypeError)) as theirs:
        getattr(tl, cls)(_sgd(momentum=0.9), **kw)
    with pytest.raises(type(theirs.value)) as ours:
        getattr(pt, cls)(_sgd(momentum=0.9), **kw)
    assert str(ours.value) == str(theirs.value)


def test_not_an_optimizer_and_no_momentum() -> None:
    for cls, kw in [("StepLR", {"step_size": 2}), ("OneCycleLR", {"max_lr": 1.0, "total_steps": 10})]:
        with pytest.raises(TypeError, match="is not an Optimizer"):
            getattr(pt, cls)(object(), **kw)
    rmsprop = torch.optim.Adagrad([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    with pytest.raises(ValueError, match="must support momentum or beta1"):
        pt.OneCycleLR(rmsprop, max_lr=1.0, total_steps=10)
    with pytest.raises(ValueError, match="must support momentum or beta1"):
        pt.CyclicLR(rmsprop, 0.1, 1.0)


def test_one_cycle_raises_past_total_steps_like_torch() -> None:
    ours, theirs = _sgd(momentum=0.9), _sgd(momentum=0.9)
    a = pt.OneCycleLR(ours, max_lr=1.0, total_steps=10, anneal_strategy="linear", div_factor=10.0)
    b = tl.OneCycleLR(theirs, max_lr=1.0, total_steps=10, anneal_strategy="linear", div_factor=10.0)
    assert _run(a, ours, 10) == pytest.approx(_run(b, theirs, 10), rel=1e-12)
    assert ours.param_groups[0]["lr"] == pytest.approx(theirs.param_groups[0]["lr"])  # step 10, below min
    assert ours.param_groups[0]["lr"] < 0  # torch's extrapolation
    for s in (a, b):
        with pytest.raises(ValueError, match="Tried to step 11 times"):
            s.step()


def test_torch_value_tables() -> None:
    # Values from torch's own docstrings (lr 0.05).
    def lrs(sched_cls, steps, **kw):
        opt = _sgd(0.05)
        return _run(sched_cls(opt, **kw), opt, steps)

    assert lrs(pt.StepLR, 9, step_size=3) == pytest.approx([0.05] * 3 + [0.005] * 3 + [0.0005] * 3)
    assert lrs(pt.MultiStepLR, 9, milestones=[3, 6]) == pytest.approx([0.05] * 3 + [0.005] * 3 + [0.0005] * 3)
    assert lrs(pt.ConstantLR, 6, factor=0.5, total_iters=4) == pytest.approx([0.025] * 4 + [0.05] * 2)
    assert lrs(pt.LinearLR, 6, start_factor=0.5, total_iters=4) == pytest.approx(
        [0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05]
    )
    assert lrs(pt.PolynomialLR, 6, total_iters=4, power=1.0) == pytest.approx(
        [0.05, 0.0375, 0.025, 0.0125, 0.0, 0.0]
    )


@pytest.mark.parametrize("t_mult", [1, 2, 4])
def test_warm_restarts_restart_points(t_mult: int) -> None:
    ours, theirs = _sgd(1.0), _sgd(1.0)
    a = pt.CosineAnnealingWarmRestarts(ours, T_0=3, T_mult=t_mult, eta_min=0.01)
    b = tl.CosineAnnealingWarmRestarts(theirs, T_0=3, T_mult=t_mult, eta_min=0.01)
    for _ in range(100):
        assert (a.T_cur, a.T_i) == (b.T_cur, b.T_i)
        assert ours.param_groups[0]["lr"] == pytest.approx(theirs.param_groups[0]["lr"], rel=1e-12)
        ours.step()
        theirs.step()
        a.step()
        b.step()


def test_tensor_lrs_are_filled_in_place() -> None:
    lr = torch.tensor(0.1, dtype=torch.float64)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    sched = pt.StepLR(opt, 1, gamma=0.5)
    opt.step()
    sched.step()
    assert opt.param_groups[0]["lr"] is lr
    assert float(lr) == 0.05
    assert sched.base_lrs == [0.1]
    assert isinstance(sched.get_last_lr()[0], torch.Tensor)


def test_state_dict_is_plain_and_holds_torchs_attributes() -> None:
    opt = _sgd(momentum=0.9)
    sched = pt.MultiStepLR(opt, [3, 3, 5], gamma=0.5)
    theirs = tl.MultiStepLR(_sgd(momentum=0.9), [3, 3, 5], gamma=0.5)
    state = sched.state_dict()
    for key in theirs.state_dict():
        if not key.startswith("_get_lr") and key != "_is_initial":
            assert key in state, key
    assert state["milestones"] == [3, 3, 5]
    buf = io.BytesIO()
    torch.save(state, buf)
    buf.seek(0)
    assert torch.load(buf, weights_only=True) == state
    # torch's own checkpoint (milestones a Counter) loads into the preset.
    for _ in range(4):
        theirs.optimizer.step()
        theirs.step()
    fresh = pt.MultiStepLR(_sgd(momentum=0.9), [1], gamma=0.5)
    fresh.load_state_dict(theirs.state_dict())
    assert fresh.last_epoch == 4 and fresh.milestones == [3, 3, 5]


def test_cycle_momentum_writes_adams_beta1() -> None:
    def adam():
        return torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))], lr=0.1, betas=(0.9, 0.98))

    ours, theirs = adam(), adam()
    a = pt.CyclicLR(ours, 0.01, 0.1, step_size_up=5)
    b = tl.CyclicLR(theirs, 0.01, 0.1, step_size_up=5)
    for _ in range(23):
        assert ours.param_groups[0]["betas"] == pytest.approx(theirs.param_groups[0]["betas"], rel=1e-12)
        assert isinstance(ours.param_groups[0]["betas"], tuple)
        for o, s in ((ours, a), (theirs, b)):
            o.step()
            s.step()

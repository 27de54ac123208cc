"""lrdecay.presets.torch against torch.optim.lr_scheduler itself, stepped side by side."""

from __future__ import annotations

import io
import math
import random
import warnings

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
            _close(_values(o2), _values(o1), scales, f"{name}{kw} k={k}")
        last = [float(x) for x in ours.get_last_lr()]
        _close(last, [float(x) for x in theirs.get_last_lr()], scales[::2], f"{name} get_last_lr")
        steps_total += steps
    assert steps_total >= 200_000


def _pairs(opt: torch.optim.Optimizer) -> list[dict]:
    return [g for g in opt.param_groups for _ in range(2)]

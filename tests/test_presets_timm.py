"""lrdecay.presets.timm against timm's own schedulers (loaded by path: see tests/_timm_loader.py)."""

from __future__ import annotations

import io
import random

import pytest

torch = pytest.importorskip("torch")
import _timm_loader  # noqa: E402

from lrdecay.presets import timm as ours_mod  # noqa: E402

TIMM = _timm_loader.load()  # installed with --no-deps; only its scheduler files are executed
DRAWS = 200
STEPS = 1000
REL = 1e-12


def _optimizer(lrs: tuple[float, float], scale: float | None) -> torch.optim.Optimizer:
    a, b = (torch.nn.Parameter(torch.zeros(1, dtype=torch.float64)) for _ in range(2))
    second = {"params": [b], "lr": lrs[1]}
    if scale is not None:
        second["lr_scale"] = scale
    return torch.optim.SGD([{"params": [a], "lr": lrs[0]}, second], lr=lrs[0])


def _common(rng: random.Random) -> dict:
    kw: dict = {"t_in_epochs": rng.random() < 0.5}
    if rng.random() < 0.5:
        kw["warmup_t"] = rng.randint(1, 100)
        kw["warmup_lr_init"] = rng.uniform(0, 1e-3)
        kw["warmup_prefix"] = rng.random() < 0.5
    if rng.random() < 0.3:
        a = rng.randint(0, 600)
        kw["noise_range_t"] = rng.choice([a, (a, a + rng.randint(1, 400))])
        kw["noise_pct"] = rng.uniform(0.05, 0.9)
        kw["noise_std"] = rng.uniform(0.2, 2.0)
        kw["noise_seed"] = rng.randint(0, 10**6)
    return kw


def _draw(name: str, rng: random.Random) -> dict:
    kw = _common(rng)
    if name == "CosineLRScheduler":
        kw.update(
            t_initial=rng.randint(2, 400),
            lr_min=rng.choice([0.0, rng.uniform(0, 1e-3)]),
            cycle_mul=rng.choice([1.0, 1.0, rng.uniform(1.1, 2.5)]),
            cycle_decay=rng.choice([1.0, rng.uniform(0.3, 1.0)]),
            cycle_limit=rng.randint(1, 5),
        )
    elif name == "StepLRScheduler":
        kw.update(decay_t=rng.randint(1, 200), decay_rate=rng.uniform(0.1, 1.0))
    else:
        kw.update(
            decay_t=sorted(rng.randint(0, STEPS) for _ in range(rng.randint(0, 5))),
            decay_rate=rng.uniform(0.1, 1.0),
        )
    return kw


def _lrs(opt: torch.optim.Optimizer) -> list[float]:
    return [float(g["lr"]) for g in opt.param_groups]


@pytest.mark.parametrize("name", ["CosineLRScheduler", "StepLRScheduler", "MultiStepLRScheduler"])
def test_parity_with_timm_and_resume(name: str) -> None:
    rng = random.Random(f"presets-timm-{name}")
    module = {"CosineLRScheduler": TIMM.cosine_lr, "StepLRScheduler": TIMM.step_lr}.get(
        name, TIMM.multistep_lr
    )
    theirs_cls, ours_cls = getattr(module, name), getattr(ours_mod, name)
    for _ in range(DRAWS):
        kw = _draw(name, rng)
        lrs = (rng.uniform(0.01, 1.0), rng.uniform(0.01, 1.0))
        scale = rng.choice([None, rng.uniform(0.1, 2.0)])
        o1, o2 = _optimizer(lrs, scale), _optimizer(lrs, scale)
        theirs, ours = theirs_cls(o1, **kw), ours_cls(o2, **kw)
        peak = [lrs[0], lrs[1] * (scale or 1.0) * 2]
        assert _lrs(o2) == pytest.approx(_lrs(o1), rel=REL)
        resume = rng.randint(1, STEPS - 1)
        for t in range(STEPS):
            for s in (theirs, ours):
                s.step(t) if kw["t_in_epochs"] else s.step_update(t)
            if t == resume:
                buf = io.BytesIO()
                torch.save(ours.state_dict(), buf)
                buf.seek(0)
                o2 = _optimizer(lrs, scale)
                ours = ours_cls(o2, **kw)
                ours.load_state_dict(torch.load(buf, weights_only=True))
                ours.step(t) if kw["t_in_epochs"] else ours.step_update(t)
            for a, b, p in zip(_lrs(o2), _lrs(o1), peak, strict=True):
                assert abs(a - b) <= REL * max(abs(b), p), f"{name}{kw} t={t}: {a!r} != {b!r}"
        if name == "CosineLRScheduler":
            for cycles in (0, 1, 3):
                assert ours.get_cycle_length(cycles) == theirs.get_cycle_length(cycles)


def test_state_dict_keys_are_timms() -> None:
    def opt():
        return _optimizer((0.1, 0.2), None)

    theirs = TIMM.cosine_lr.CosineLRScheduler(opt(), t_initial=10, warmup_t=3)
    ours = ours_mod.CosineLRScheduler(opt(), t_initial=10, warmup_t=3)
    missing = set(theirs.state_dict()) - set(ours.state_dict()) - {"warmup_steps", "param_group_field"}
    assert not missing - {"_initial_param_group_field"}

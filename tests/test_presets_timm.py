"""lrdecay.presets.timm against timm's own schedulers (loaded by path: see tests/_timm_loader.py)."""

from __future__ import annotations

import io
import math
import random

import pytest

torch = pytest.importorskip("torch")
import _timm_loader  # noqa: E402

from lrdecay.presets import timm as ours_mod  # noqa: E402

TIMM = _timm_loader.load()  # installed with --no-deps; only its scheduler files are executed
DRAWS = 200
STEPS = 1000
REL = 1e-12
#: The schedulers with cycles (t_initial, cycle_mul, cycle_decay, cycle_limit).
CYCLES = ("CosineLRScheduler", "PolyLRScheduler", "TanhLRScheduler")
MODULES = {
    "CosineLRScheduler": "cosine_lr",
    "PolyLRScheduler": "poly_lr",
    "TanhLRScheduler": "tanh_lr",
    "StepLRScheduler": "step_lr",
    "MultiStepLRScheduler": "multistep_lr",
}


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
    if name in CYCLES:
        kw.update(
            t_initial=rng.randint(2, 400),
            lr_min=rng.choice([0.0, rng.uniform(0, 1e-3)]),
            cycle_mul=rng.choice([1.0, 1.0, rng.uniform(1.1, 2.5)]),
            cycle_decay=rng.choice([1.0, rng.uniform(0.3, 1.0)]),
            cycle_limit=rng.randint(1, 5),
        )
        if name != "TanhLRScheduler" and rng.random() < 0.4:
            kw["k_decay"] = rng.choice([2.0, 0.5, rng.uniform(0.2, 4.0)])
        if name == "PolyLRScheduler":
            kw["power"] = rng.choice([0.5, 1.0, 2.0, rng.uniform(0.1, 3.0)])
        if name == "TanhLRScheduler" and rng.random() < 0.5:
            kw["lb"] = rng.uniform(-10.0, 0.0)
            kw["ub"] = rng.uniform(kw["lb"] + 0.1, 10.0)
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


@pytest.mark.parametrize("name", [*CYCLES, "StepLRScheduler", "MultiStepLRScheduler"])
def test_parity_with_timm_and_resume(name: str) -> None:
    rng = random.Random(f"presets-timm-{name}")
    module = getattr(TIMM, MODULES[name])
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
        if name in CYCLES:
            for cycles in (0, 1, 3):
                assert ours.get_cycle_length(cycles) == theirs.get_cycle_length(cycles)


def test_state_dict_keys_are_timms() -> None:
    def opt():
        return _optimizer((0.1, 0.2), None)

    theirs = TIMM.cosine_lr.CosineLRScheduler(opt(), t_initial=10, warmup_t=3)
    ours = ours_mod.CosineLRScheduler(opt(), t_initial=10, warmup_t=3)
    missing = set(theirs.state_dict()) - set(ours.state_dict()) - {"warmup_steps", "param_group_field"}
    assert not missing - {"_initial_param_group_field"}


@pytest.mark.parametrize("name", [*CYCLES, "StepLRScheduler"])
def test_state_dict_holds_timms_keys_for_every_scheduler(name: str) -> None:
    kw = {"decay_t": 3} if name == "StepLRScheduler" else {"t_initial": 10}
    theirs = getattr(getattr(TIMM, MODULES[name]), name)(_optimizer((0.1, 0.2), None), warmup_t=3, **kw)
    ours = getattr(ours_mod, name)(_optimizer((0.1, 0.2), None), warmup_t=3, **kw)
    missing = set(theirs.state_dict()) - set(ours.state_dict())
    assert missing <= {"warmup_steps", "param_group_field", "_initial_param_group_field"}


def _assert_close(ours: list, theirs: list, atol: float = 0.0) -> None:
    assert len(ours) == len(theirs)
    for t, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert a == pytest.approx(b, rel=REL, abs=atol), f"t={t}: {a} != {b}"


def _run_both(name: str, steps: int, lrs=(0.1, 0.05), **kw) -> tuple[list, list]:
    """Per-epoch lrs of timm's scheduler and ours, as timm's train.py drives them."""
    o1, o2 = _optimizer(lrs, None), _optimizer(lrs, None)
    theirs = getattr(getattr(TIMM, MODULES[name]), name)(o1, **kw)
    ours = getattr(ours_mod, name)(o2, **kw)
    a, b = [_lrs(o1)], [_lrs(o2)]
    for epoch in range(1, steps):
        theirs.step(epoch)
        ours.step(epoch)
        a.append(_lrs(o1))
        b.append(_lrs(o2))
    return a, b


def test_timm_train_defaults_cosine_with_warmup_and_floor() -> None:
    # timm's train.py defaults: 300 epochs, 5 warmup epochs from 1e-5, lr_min 1e-6 (absolute).
    kw = dict(t_initial=300, lr_min=1e-6, warmup_t=5, warmup_lr_init=1e-5)
    theirs, ours = _run_both("CosineLRScheduler", 320, **kw)
    _assert_close(ours, theirs, 1e-18)
    assert ours[0] == [1e-5, 1e-5]  # the constructor writes warmup_lr_init
    assert ours[-1] == [1e-6, 1e-6]  # lr_min after the cycle, in every group


def test_tanh_warmup_rises_to_the_curve_unless_prefixed() -> None:
    for prefix in (False, True):
        kw = dict(t_initial=40, lb=-2.0, warmup_t=8, warmup_lr_init=0.0, warmup_prefix=prefix)
        theirs, ours = _run_both("TanhLRScheduler", 60, **kw)
        _assert_close(ours, theirs)
        sched = ours_mod.TanhLRScheduler(_optimizer((0.1, 0.05), None), **kw)
        end_of_ramp = sched.schedules[0](8 - 1e-9)
        if prefix:  # to the group's lr
            assert end_of_ramp == pytest.approx(0.1, rel=1e-9)
        else:  # to the tanh curve's value at warmup_t on the global clock: below the peak
            assert end_of_ramp == pytest.approx(sched.schedules[0](8), rel=1e-9)
            assert end_of_ramp < 0.09


def test_cycles_restart_at_their_decayed_peaks() -> None:
    kw = dict(t_initial=10, cycle_mul=2.0, cycle_decay=0.5, cycle_limit=3)
    for name in CYCLES:
        theirs, ours = _run_both(name, 80, **kw)
        _assert_close(ours, theirs, 1e-15)
        shape_at_0 = (1 - math.tanh(-7.0)) / 2 if name == "TanhLRScheduler" else 1.0  # a hair below 1
        for i, start in ((1, 10), (2, 30)):  # (ours[0] is what the constructor wrote: the group's lr)
            assert ours[start][0] == pytest.approx(0.1 * 0.5**i * shape_at_0, rel=1e-14), (name, i)
        assert ours[70:] == [[0.0, 0.0]] * 10  # lr_min after cycle_limit cycles


def test_noise_is_timms_inside_its_range_and_reproducible() -> None:
    kw = dict(t_initial=100, noise_range_t=(10, 50), noise_pct=0.3, noise_std=0.5, noise_seed=7)
    theirs, ours = _run_both("PolyLRScheduler", 100, **kw)
    _assert_close(ours, theirs)
    _, quiet = _run_both("PolyLRScheduler", 100, t_initial=100)
    noisy = [t for t in range(100) if ours[t] != quiet[t]]
    assert noisy and min(noisy) >= 10 and max(noisy) < 50
    assert all(abs(ours[t][0] / quiet[t][0] - 1) < 0.3 for t in noisy)  # within noise_pct
    _, again = _run_both("PolyLRScheduler", 100, **kw)
    assert again == ours  # the noise is a function of (noise_seed, t): bit for bit


def test_step_update_drives_the_schedule_when_not_in_epochs() -> None:
    o = _optimizer((0.1, 0.05), None)
    s = ours_mod.PolyLRScheduler(o, t_initial=100, power=1.0, t_in_epochs=False)
    s.step(50)  # epochs are ignored
    assert _lrs(o) == [0.1, 0.05]
    s.step_update(50)
    assert _lrs(o) == pytest.approx([0.05, 0.025], rel=1e-15)


def test_bad_arguments_are_refused_clearly() -> None:
    o = _optimizer((0.1, 0.05), None)
    with pytest.raises(ValueError, match=r"Argument `cycle_mul` must be >= 1 .* Received: cycle_mul=0.5"):
        ours_mod.CosineLRScheduler(o, t_initial=10, cycle_mul=0.5)
    with pytest.raises(ValueError, match=r"Argument `k_decay` must be > 0\. Received: k_decay=0"):
        ours_mod.PolyLRScheduler(o, t_initial=10, k_decay=0)
    with pytest.raises(AssertionError):  # timm's own check
        ours_mod.TanhLRScheduler(o, t_initial=10, lb=3.0, ub=-7.0)

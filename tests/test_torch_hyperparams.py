"""lrdecay.torch.LRScheduler driving momentum, betas and weight_decay from schedules."""

from __future__ import annotations

import io

import pytest

torch = pytest.importorskip("torch")

from lrdecay import CosineDecay, Linear  # noqa: E402
from lrdecay.torch import LRScheduler  # noqa: E402


def _adam() -> torch.optim.Adam:
    p = [torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(1))]
    return torch.optim.Adam([{"params": [p[0]]}, {"params": [p[1]], "lr": 0.5}], lr=1.0, betas=(0.9, 0.999))


def test_betas_and_weight_decay_follow_their_schedules() -> None:
    opt = _adam()
    b1, wd = Linear(0.95, 0.85, 10), CosineDecay(0.1, 10)
    sched = LRScheduler(opt, CosineDecay(1.0, 10), hyperparams={"betas": (b1, None), "weight_decay": wd})
    for k in range(12):
        for g in opt.param_groups:
            assert g["betas"] == (b1(k), 0.999)
            assert g["weight_decay"] == wd(k)
        opt.step()
        sched.step()


def test_instead_of_the_lr_and_per_group() -> None:
    opt = torch.optim.SGD(
        [{"params": [torch.nn.Parameter(torch.zeros(1))]}, {"params": [torch.nn.Parameter(torch.zeros(1))]}],
        lr=0.3,
        momentum=0.9,
    )
    m0, m1 = Linear(0.5, 0.9, 4), Linear(0.6, 0.99, 8)
    sched = LRScheduler(opt, None, hyperparams={"momentum": [m0, m1]})
    for k in range(10):
        assert [g["momentum"] for g in opt.param_groups] == [m0(k), m1(k)]
        assert [g["lr"] for g in opt.param_groups] == [0.3, 0.3]
        opt.step()
        sched.step()


def test_state_dict_round_trip_restores_hyperparam_schedules() -> None:
    opt = _adam()
    b2 = Linear(0.99, 0.999, 100)
    sched = LRScheduler(opt, Linear(0.0, 1.0, 10), hyperparams={"betas": (None, b2)})
    for _ in range(7):
        opt.step()
        sched.step()
    buf = io.BytesIO()
    torch.save(sched.state_dict(), buf)
    buf.seek(0)
    state = torch.load(buf, weights_only=True)
    opt2 = _adam()
    fresh = LRScheduler(opt2, Linear(0.0, 1.0, 10))  # no hyperparams: the checkpoint's win
    fresh.load_state_dict(state)
    assert fresh.last_epoch == 7
    assert opt2.param_groups[0]["betas"] == (0.9, b2(7))
    assert opt2.param_groups[1]["lr"] == 0.7


def test_bad_hyperparams() -> None:
    opt = _adam()
    with pytest.raises(ValueError, match="'momentum'"):
        LRScheduler(opt, Linear(0.0, 1.0, 10), hyperparams={"momentum": Linear(0.9, 0.8, 5)})
    with pytest.raises(ValueError, match="tuple of 3"):
        LRScheduler(opt, Linear(0.0, 1.0, 10), hyperparams={"betas": (None, None, None)})
    with pytest.raises(ValueError, match="one entry per param group"):
        LRScheduler(opt, Linear(0.0, 1.0, 10), hyperparams={"weight_decay": [0.1]})
    with pytest.raises(TypeError, match="hyperparams\\['weight_decay'\\]"):
        LRScheduler(opt, Linear(0.0, 1.0, 10), hyperparams={"weight_decay": "0.1"})
    with pytest.raises(ValueError, match="'lr'"):
        LRScheduler(opt, Linear(0.0, 1.0, 10), hyperparams={"lr": 0.1})


def test_the_hyperparams_are_read_only_so_a_step_never_uses_a_stale_plan() -> None:
    opt = _adam()
    sched = LRScheduler(opt, CosineDecay(0.1, 10), hyperparams={"weight_decay": Linear(0.0, 0.1, 10)})
    with pytest.raises(TypeError):
        sched.hyperparams["weight_decay"] = Linear(0.0, 1.0, 10)  # type: ignore[index]
    # A checkpoint's schedules replace them (and the step's plan) as a whole.
    other = LRScheduler(_adam(), CosineDecay(0.1, 10), hyperparams={"weight_decay": Linear(0.0, 1.0, 10)})
    sched.load_state_dict(other.state_dict())
    for _ in range(3):
        opt.step()
        sched.step()
    assert [g["weight_decay"] for g in opt.param_groups] == [0.3, 0.3]

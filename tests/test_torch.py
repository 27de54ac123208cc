"""lrdecay.torch.LRScheduler against real torch optimizers."""

from __future__ import annotations

import io
import math

import pytest

torch = pytest.importorskip("torch")

import lrdecay  # noqa: E402
from lrdecay.torch import LRScheduler  # noqa: E402

WARMUP = lrdecay.CosineDecay(0.0, decay_steps=150, alpha=0.1, warmup_target=0.5, warmup_steps=50)
STEPWISE = lrdecay.PiecewiseConstantDecay([30, 120], [0.3, 0.1, 0.01])
SCHEDULES = {"warmup-cosine": WARMUP, "piecewise": STEPWISE}


def _model(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)).double()


def _batch(step):
    g = torch.Generator().manual_seed(1000 + step)
    x = torch.randn(16, 4, generator=g, dtype=torch.float64)
    return x, x.sum(dim=1, keepdim=True).sin()


def _train_step(model, opt, step):
    x, y = _batch(step)
    opt.zero_grad()
    torch.nn.functional.mse_loss(model(x), y).backward()
    opt.step()


# -- the lr the optimizer used -----------------------------------------------------


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_sgd_update_at_each_of_200_steps_is_schedule_of_step(name):
    sched = SCHEDULES[name]
    w = torch.nn.Parameter(torch.zeros(3, dtype=torch.float64))
    opt = torch.optim.SGD([w], lr=123.0)  # overwritten at construction
    scheduler = LRScheduler(opt, sched)
    for step in range(200):
        assert opt.param_groups[0]["lr"] == sched(step)
        before = w.detach().clone()
        w.grad = torch.ones_like(w)  # unit gradient: the update is -lr
        opt.step()
        scheduler.step()
        used = (before - w.detach())[0].item()
        assert used == pytest.approx(sched(step), rel=1e-12, abs=1e-15), step
    assert scheduler.last_epoch == 200
    assert scheduler.get_last_lr() == [sched(200)]


def test_construction_gives_schedule_of_zero_and_ignores_the_optimizer_lr():
    opt = torch.optim.SGD(_model().parameters(), lr=7.0)
    LRScheduler(opt, WARMUP)
    assert opt.param_groups[0]["lr"] == WARMUP(0) == 0.0
    opt.param_groups[0]["lr"] = 99.0  # someone else wrote the lr
    LRScheduler(opt, STEPWISE)
    assert opt.param_groups[0]["lr"] == 0.3


def test_closed_form_never_reads_the_current_lr():
    opt = torch.optim.SGD(_model().parameters(), lr=1.0)
    scheduler = LRScheduler(opt, WARMUP)
    for step in range(1, 80):
        opt.param_groups[0]["lr"] *= 10  # tampering does not compound
        opt.step()
        scheduler.step()
        assert opt.param_groups[0]["lr"] == WARMUP(step)


def test_one_schedule_per_param_group():
    model = _model()
    groups = [{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 5.0}]
    opt = torch.optim.Adam(groups, lr=1.0)
    scheduler = LRScheduler(opt, [WARMUP, STEPWISE])
    for step in range(1, 60):
        opt.step()
        scheduler.step()
        assert [g["lr"] for g in opt.param_groups] == [WARMUP(step), STEPWISE(step)]
    state = scheduler.state_dict()
    assert [lrdecay.deserialize(d) for d in state["schedules"]] == [WARMUP, STEPWISE]


def test_bad_arguments():
    opt = torch.optim.SGD(_model().parameters(), lr=1.0)
    with pytest.raises(TypeError, match="`optimizer`"):
        LRScheduler(object(), WARMUP)
    with pytest.raises(TypeError, match=r"`schedule`.*Received: schedule=0.1"):
        LRScheduler(opt, 0.1)
    with pytest.raises(TypeError, match=r"schedule\[1\]"):
        LRScheduler(opt, [WARMUP, lambda s: 0.1])
    with pytest.raises(ValueError, match="one schedule per param group"):
        LRScheduler(opt, [WARMUP, STEPWISE])
    with pytest.raises(ValueError, match="last_epoch=-2"):
        LRScheduler(opt, WARMUP, last_epoch=-2)
    with pytest.raises(TypeError, match=r"last_epoch=1\.5"):
        LRScheduler(opt, WARMUP, last_epoch=1.5)
    scheduler = LRScheduler(opt, WARMUP)
    with pytest.raises(ValueError, match="state_dict"):
        scheduler.load_state_dict({"schedules": []})


def test_last_epoch_argument_resumes_like_torch():
    opt = torch.optim.SGD(_model().parameters(), lr=1.0)
    scheduler = LRScheduler(opt, WARMUP, last_epoch=41)
    # torch's convention: construction takes one step, from 41 to 42.
    assert scheduler.last_epoch == 42
    assert opt.param_groups[0]["lr"] == WARMUP(42)


# -- tensor lr, torch.compile --------------------------------------------------------


def test_tensor_lr_is_written_in_place():
    w = torch.nn.Parameter(torch.zeros(2))
    lr = torch.tensor(0.5)
    opt = torch.optim.Adam([w], lr=lr)
    scheduler = LRScheduler(opt, WARMUP)
    held = opt.param_groups[0]["lr"]
    assert isinstance(held, torch.Tensor)
    for step in range(1, 70):
        w.grad = torch.ones_like(w)
        opt.step()
        scheduler.step()
        assert opt.param_groups[0]["lr"] is held  # the same tensor object
        assert held.item() == pytest.approx(WARMUP(step), rel=1e-6)
    state = scheduler.state_dict()
    fresh = LRScheduler(opt, WARMUP)
    fresh.load_state_dict(state)
    assert opt.param_groups[0]["lr"] is held
    assert held.item() == pytest.approx(WARMUP(69), rel=1e-6)


def test_torch_compiled_training_step_uses_the_schedule_without_recompiling():
    import torch._dynamo.testing

    torch._dynamo.reset()
    w = torch.nn.Parameter(torch.zeros(4))
    opt = torch.optim.SGD([w], lr=torch.tensor(0.0))  # tensor lr: no recompiles
    scheduler = LRScheduler(opt, WARMUP)
    counter = torch._dynamo.testing.CompileCounterWithBackend("inductor")

    @torch.compile(backend=counter)
    def train_step(x):
        loss = (w * x).sum()  # d loss / d w = x
        loss.backward()
        opt.step()
        opt.zero_grad()

    x = torch.ones(4)
    used = []
    for _ in range(60):
        before = w.detach().clone()
        train_step(x)
        scheduler.step()
        used.append((before - w.detach())[0].item())
    expected = [WARMUP(k) for k in range(60)]
    assert used == pytest.approx(expected, rel=1e-5, abs=1e-7)
    frames = counter.frame_count
    for _ in range(5):
        train_step(x)
        scheduler.step()
    assert counter.frame_count == frames  # a new lr value does not recompile


# -- gradient accumulation, Lightning-style configuration ---------------------------


def test_gradient_accumulation_counts_optimizer_updates():
    accumulate = 4
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
    scheduler = LRScheduler(opt, STEPWISE)
    used = []
    for micro in range(accumulate * 50):
        x, y = _batch(micro)
        (torch.nn.functional.mse_loss(model(x), y) / accumulate).backward()
        if (micro + 1) % accumulate == 0:
            used.append(opt.param_groups[0]["lr"])
            opt.step()
            opt.zero_grad()
            scheduler.step()
    assert used == [STEPWISE(k) for k in range(50)]
    assert scheduler.last_epoch == 50


def test_lightning_style_configure_optimizers_dict():
    model = _model()

    def configure_optimizers():
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
        return {
            "optimizer": opt,
            "lr_scheduler": {"scheduler": LRScheduler(opt, WARMUP), "interval": "step", "frequency": 1},
        }

    # The loop a trainer runs over that dict (Lightning itself is not a dependency).
    config = configure_optimizers()
    opt, sched_config = config["optimizer"], config["lr_scheduler"]
    scheduler = sched_config["scheduler"]
    assert isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler)
    used = []
    for step in range(120):
        used.append(opt.param_groups[0]["lr"])
        _train_step(model, opt, step)
        if sched_config["interval"] == "step" and (step + 1) % sched_config["frequency"] == 0:
            scheduler.step()
    assert used == [WARMUP(k) for k in range(120)]


# -- checkpoint / resume ---------------------------------------------------------------


def _run(total, schedule, resume_at=None, scheduler_first=True, optimizer="sgd"):
    """Train `total` steps; with `resume_at`, checkpoint there and rebuild everything."""
    model = _model()
    make_opt = {
        "sgd": lambda p: torch.optim.SGD(p, lr=1.0, momentum=0.9),
        "adam": lambda p: torch.optim.Adam(p, lr=1.0),
    }[optimizer]
    opt = make_opt(model.parameters())
    scheduler = LRScheduler(opt, schedule)
    lrs = []
    for step in range(total):
        if step == resume_at:
            buf = io.BytesIO()
            torch.save(
                {"model": model.state_dict(), "opt": opt.state_dict(), "sched": scheduler.state_dict()}, buf
            )
            buf.seek(0)
            ckpt = torch.load(buf, weights_only=True)  # plain types only
            model = _model(seed=123)  # a different initialisation, overwritten below
            opt = make_opt(model.parameters())
            scheduler = LRScheduler(
                opt, lrdecay.ExponentialDecay(9.0, 1, 0.5)
            )  # replaced by the checkpoint's
            model.load_state_dict(ckpt["model"])
            if scheduler_first:
                scheduler.load_state_dict(ckpt["sched"])
                assert opt.param_groups[0]["lr"] == schedule(step)  # right at once
                opt.load_state_dict(ckpt["opt"])
            else:
                opt.load_state_dict(ckpt["opt"])
                scheduler.load_state_dict(ckpt["sched"])
            assert scheduler.schedules == (schedule,)
        lrs.append(opt.param_groups[0]["lr"])
        _train_step(model, opt, step)
        scheduler.step()
    return lrs, [p.detach().clone() for p in model.parameters()]


@pytest.mark.parametrize("resume_at", [50, 37, 120, 121])  # warmup end, mid-warmup, mid-decay
@pytest.mark.parametrize("scheduler_first", [True, False])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_resume_equals_uninterrupted(resume_at, scheduler_first, optimizer):
    schedule = STEPWISE if resume_at in (120, 121) else WARMUP  # 120 is a piecewise boundary
    full_lrs, full_w = _run(200, schedule, optimizer=optimizer)
    lrs, w = _run(200, schedule, resume_at, scheduler_first, optimizer)
    assert lrs == full_lrs == [schedule(k) for k in range(200)]
    for a, b in zip(w, full_w, strict=False):
        assert torch.equal(a, b)


def test_optimizer_state_from_another_step_is_overridden_by_the_schedule():
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = LRScheduler(opt, WARMUP)
    for _ in range(10):
        opt.step()
        scheduler.step()
    old_opt_state = opt.state_dict()  # holds lr = WARMUP(10)
    for _ in range(10):
        opt.step()
        scheduler.step()
    sched_state = scheduler.state_dict()  # step 20
    scheduler.load_state_dict(sched_state)
    opt.load_state_dict(old_opt_state)
    assert opt.param_groups[0]["lr"] == WARMUP(20) != WARMUP(10)


def test_state_dict_content():
    opt = torch.optim.SGD(_model().parameters(), lr=1.0)
    scheduler = LRScheduler(opt, WARMUP)
    for _ in range(7):
        opt.step()
        scheduler.step()
    state = scheduler.state_dict()
    assert state["last_epoch"] == 7
    assert state["schedules"] == [lrdecay.serialize(WARMUP)]
    assert math.isclose(state["_last_lr"][0], WARMUP(7))


def test_each_written_value_is_the_schedules_own_to_the_bit():
    # The adapter peels numbers off `a + b * shape` and evaluates a shape shared by
    # several entries once: the values must still be the schedules' own, exactly.
    shape = lrdecay.CosineDecayRestarts(1.0, 9, t_mul=2.0)
    ramp = lrdecay.Linear(0.0, 1.0, 30)
    lrs = [
        0.1 * shape,  # a product with a number (shared below)
        0.07 * shape,
        shape * 0.3,  # the number on the right
        0.01 + 0.5 * shape,  # affine
        shape + 0.02,
        ramp * shape,  # two schedules, nothing to peel
        lrdecay.Sum(0.5, 0.25),  # two numbers
    ]
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in lrs]
    opt = torch.optim.Adam([{"params": [p]} for p in params], lr=1.0, weight_decay=0.0)
    momentum = 0.9 + -0.05 * shape
    wd = [lrdecay.Constant(0.0)] * (len(lrs) - 1) + [0.001 * ramp]
    scheduler = LRScheduler(opt, lrs, hyperparams={"betas": (momentum, None), "weight_decay": wd})
    for step in range(1, 120):
        opt.step()
        scheduler.step()
        groups = opt.param_groups
        assert [g["lr"] for g in groups] == [s(step) for s in lrs], step
        assert scheduler.get_last_lr() == [s(step) for s in lrs]
        assert all(g["betas"] == (momentum(step), 0.999) for g in groups), step
        assert [g["weight_decay"] for g in groups] == [w(step) for w in wd], step


def test_a_group_added_after_the_scheduler_is_a_clear_error():
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    scheduler = LRScheduler(opt, WARMUP)
    for _ in range(2):
        opt.step()
        scheduler.step()
    opt.add_param_group({"params": [torch.nn.Parameter(torch.zeros(1))]})
    with pytest.raises(
        ValueError, match=r"2 param groups and the scheduler has 1 schedules.*add_param_group"
    ):
        scheduler.step()


def test_overflow_while_stepping_is_the_schedules_own_value_error():
    schedule = 0.5 * lrdecay.ExponentialDecay(1.0, 1, 2.0)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    scheduler = LRScheduler(opt, schedule, last_epoch=1020)  # construction steps to 1021
    with pytest.raises(ValueError, match="overflows float64 at step=1025") as direct:
        schedule(1025)
    for _ in range(3):
        opt.step()
        scheduler.step()
    opt.step()
    with pytest.raises(ValueError, match="overflows float64") as stepped:
        scheduler.step()
    assert str(stepped.value) == str(direct.value)
    assert scheduler.last_epoch == 1025


def test_a_numpy_float_lr_from_a_checkpoint_is_replaced_not_filled():
    np = pytest.importorskip("numpy")
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    scheduler = LRScheduler(opt, WARMUP)
    state = opt.state_dict()
    state["param_groups"][0]["lr"] = np.float64(0.5)
    opt.step()
    scheduler.step()
    opt.load_state_dict(state)  # the post-load hook writes the schedule's value over it
    assert opt.param_groups[0]["lr"] == WARMUP(1)
    opt.step()
    scheduler.step()
    assert opt.param_groups[0]["lr"] == WARMUP(2) and type(opt.param_groups[0]["lr"]) is float


def test_deepcopy_of_a_scheduler_continues_like_the_original():
    import copy

    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0, momentum=0.9)
    scheduler = LRScheduler(opt, WARMUP, hyperparams={"momentum": 0.9 - 0.1 * lrdecay.Linear(0.0, 1.0, 50)})
    for _ in range(3):
        opt.step()
        scheduler.step()
    twin = copy.deepcopy(scheduler)
    for step in range(4, 30):
        for s in (scheduler, twin):
            s.optimizer.step()
            s.step()
        assert twin.optimizer.param_groups[0]["lr"] == opt.param_groups[0]["lr"] == WARMUP(step)
        assert twin.optimizer.param_groups[0]["momentum"] == opt.param_groups[0]["momentum"]
    assert twin.optimizer is not opt


def test_schedules_and_hyperparams_are_replaced_whole_and_checked():
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0, momentum=0.9)
    scheduler = LRScheduler(opt, WARMUP)
    scheduler.schedules = [STEPWISE]  # checked as the constructor checks it: a tuple
    scheduler.hyperparams = {"momentum": lrdecay.Linear(0.9, 0.5, 10)}
    assert scheduler.schedules == (STEPWISE,)
    opt.step()
    scheduler.step()
    assert opt.param_groups[0]["lr"] == STEPWISE(1)
    assert opt.param_groups[0]["momentum"] == lrdecay.Linear(0.9, 0.5, 10)(1)
    with pytest.raises(TypeError):
        scheduler.schedules[0] = WARMUP  # type: ignore[index]
    with pytest.raises(TypeError):
        scheduler.hyperparams["momentum"] = (0.5,)  # type: ignore[index]
    with pytest.raises(ValueError, match="one schedule per param group"):
        scheduler.schedules = [WARMUP, STEPWISE]
    with pytest.raises(ValueError, match="'nesterov_x'"):
        scheduler.hyperparams = {"nesterov_x": 0.1}


def test_groups_share_one_shape_after_a_resume_too():
    from lrdecay.presets.torch import CyclicLR

    def make():
        groups = [{"params": [torch.nn.Parameter(torch.zeros(1))]} for _ in range(2)]
        return torch.optim.SGD(groups, lr=0.1, momentum=0.9)

    ours = CyclicLR(make(), base_lr=[0.01, 0.02], max_lr=[0.1, 0.2], step_size_up=5)
    for _ in range(7):
        ours.optimizer.step()
        ours.step()
    assert len(ours._plan.shapes) == 1  # one wave for two lrs and two momenta
    resumed = CyclicLR(make(), base_lr=[0.01, 0.02], max_lr=[0.1, 0.2], step_size_up=5)
    resumed.load_state_dict(ours.state_dict())
    resumed.optimizer.step()
    resumed.step()
    assert len(resumed._plan.shapes) == 1

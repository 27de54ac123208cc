"""lrdecay.torch.LRScheduler inside PyTorch Lightning's fit loop: the lr of every optimizer step, and resume.

Lightning steps an ``interval="step"`` scheduler once per optimizer step (after the
accumulated micro-batches), so the k-th update (k = ``trainer.global_step`` before it)
must use ``schedule(k)``, and a run resumed from a Lightning checkpoint must use the
same rates, and end on the same weights, as the uninterrupted run.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pl = pytest.importorskip("pytorch_lightning")

from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

import lrdecay  # noqa: E402
from examples import LOOPS  # noqa: E402
from lrdecay.torch import LRScheduler  # noqa: E402

SCHEDULE = LOOPS["warmup-join"]  # the resume tests' schedule: a nested config
BATCHES = 8
BATCH_SIZE = 4

pytestmark = pytest.mark.filterwarnings(
    # Lightning's advice about dataloader workers and tiny logging intervals.
    "ignore::pytorch_lightning.utilities.warnings.PossibleUserWarning",
)


def _data(same_batch=False):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(1 if same_batch else BATCHES, BATCH_SIZE, 3, generator=g, dtype=torch.float64)
    x = x.expand(BATCHES, -1, -1).reshape(-1, 3)
    y = x.sum(dim=1, keepdim=True).sin()
    return DataLoader(TensorDataset(x, y), batch_size=BATCH_SIZE, shuffle=False)


class Regression(pl.LightningModule):
    def __init__(self, schedule=SCHEDULE):
        super().__init__()
        self.schedule = schedule
        torch.manual_seed(0)
        self.layer = torch.nn.Linear(3, 1, dtype=torch.float64)  # float64: the weight checks are exact

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=1.0)  # overwritten: schedule(0)
        return {
            "optimizer": opt,
            "lr_scheduler": {"scheduler": LRScheduler(opt, self.schedule), "interval": "step"},
        }


class StepRecorder(pl.Callback):
    """Per optimizer step (keyed by ``global_step`` before it): the lr, the weights and the gradient."""

    def __init__(self):
        self.lrs = {}
        self.weights = {}
        self.grads = {}

    def on_before_optimizer_step(self, trainer, pl_module, optimizer):
        # Called after the closure's backward, before the update reads the group's lr.
        step = trainer.global_step
        assert step not in self.lrs, f"two optimizer steps at global_step {step}"
        self.lrs[step] = optimizer.param_groups[0]["lr"]
        self.weights[step] = pl_module.layer.weight.detach().clone()
        self.grads[step] = pl_module.layer.weight.grad.detach().clone()


def _fit(max_epochs, tmp_path, accumulate=1, ckpt_path=None, data=None, callbacks=(), schedule=SCHEDULE):
    recorder = StepRecorder()
    module = Regression(schedule)
    trainer = pl.Trainer(
        max_epochs=max_epochs,
        accumulate_grad_batches=accumulate,
        accelerator="cpu",
        devices=1,
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        enable_checkpointing=bool(callbacks),  # only the checkpoints a test asks for
        default_root_dir=tmp_path,
        callbacks=[recorder, *callbacks],
    )
    trainer.fit(module, data or _data(), ckpt_path=ckpt_path)
    return trainer, module, recorder


@pytest.mark.parametrize("accumulate", [1, 2])
@pytest.mark.parametrize("name", list(LOOPS))
def test_every_optimizer_step_over_two_epochs_uses_schedule_of_step(tmp_path, name, accumulate):
    schedule = LOOPS[name]
    trainer, module, rec = _fit(2, tmp_path, accumulate, schedule=schedule)
    steps = 2 * BATCHES // accumulate  # the schedule advances per optimizer step, not per micro-batch
    assert trainer.global_step == steps
    assert rec.lrs == {k: schedule(k) for k in range(steps)}
    assert rec.lrs[0] == 0.0 and max(rec.lrs.values()) == 0.1  # warmup and decay both crossed
    # The rate is the one the update applied: plain SGD moves w by -lr * grad.
    final = module.layer.weight.detach()
    for k in range(steps):
        after = rec.weights[k + 1] if k + 1 < steps else final
        torch.testing.assert_close(after, rec.weights[k] - rec.lrs[k] * rec.grads[k], rtol=1e-12, atol=1e-15)
    assert trainer.lr_scheduler_configs[0].scheduler.last_epoch == steps


@pytest.mark.parametrize("accumulate", [1, 2])
def test_resume_from_a_lightning_checkpoint_continues_exactly(tmp_path, accumulate):
    full_trainer, full_module, full = _fit(2, tmp_path / "full", accumulate)

    first, _, before = _fit(1, tmp_path / "first", accumulate)
    ckpt = tmp_path / "epoch1.ckpt"
    first.save_checkpoint(ckpt)
    saved = torch.load(ckpt, weights_only=True)["lr_schedulers"][0]  # plain types only
    assert saved["last_epoch"] == BATCHES // accumulate
    assert lrdecay.deserialize(saved["schedules"][0]) == SCHEDULE  # the nested config, as plain types

    resumed, resumed_module, after = _fit(2, tmp_path / "resumed", accumulate, ckpt_path=ckpt)
    assert min(after.lrs) == BATCHES // accumulate  # the resumed run starts where the first stopped
    assert {**before.lrs, **after.lrs} == full.lrs
    assert resumed.global_step == full_trainer.global_step
    torch.testing.assert_close(resumed_module.layer.weight, full_module.layer.weight, rtol=0, atol=0)


def test_resume_mid_epoch_with_accumulation_continues_exactly(tmp_path):
    # A plain DataLoader is not resumable: Lightning replays the interrupted epoch from its
    # first batch (and says so). With every batch the same, that replay changes nothing, so
    # the weights too must come out as in the uninterrupted run.
    data = _data(same_batch=True)
    full_trainer, full_module, full = _fit(2, tmp_path / "full", accumulate=2, data=data)
    saver = pl.callbacks.ModelCheckpoint(dirpath=tmp_path / "ckpts", every_n_train_steps=3, save_top_k=-1)
    _fit(2, tmp_path / "saving", accumulate=2, data=data, callbacks=[saver])
    ckpt = tmp_path / "ckpts" / "epoch=0-step=3.ckpt"  # 6 of the epoch's 8 micro-batches done

    resumed, resumed_module, after = _fit(2, tmp_path / "resumed", accumulate=2, ckpt_path=ckpt, data=data)
    assert (
        after.lrs
        == {k: full.lrs[k] for k in range(3, BATCHES)}
        == {k: SCHEDULE(k) for k in range(3, BATCHES)}
    )
    assert resumed.global_step == full_trainer.global_step == BATCHES
    torch.testing.assert_close(resumed_module.layer.weight, full_module.layer.weight, rtol=0, atol=0)

"""lrdecay.torch.LRScheduler as the scheduler of a Hugging Face `Trainer`: logged and used rates, and resume.

The model is built here (no download, no network). The Trainer steps the scheduler once
per optimizer update, after accumulation; it logs, at ``step`` s (s updates done), the
rate the s-th update used: ``get_last_lr()`` read before the scheduler's step, that is
``schedule(s - 1)``.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import lrdecay  # noqa: E402
from examples import LOOPS  # noqa: E402
from lrdecay.torch import LRScheduler  # noqa: E402

SCHEDULE = LOOPS["warmup-join"]  # the resume tests' schedule: a nested config
EXAMPLES = 32
BATCH_SIZE = 4


@pytest.fixture(scope="module")
def transformers():
    # Offline before the first import: huggingface_hub reads these when it is imported.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        pytest.importorskip("accelerate")
        yield pytest.importorskip("transformers")


class Regression(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.layer = torch.nn.Linear(3, 1, dtype=torch.float64)  # float64: the weight checks are exact

    def forward(self, x, labels):
        return {"loss": torch.nn.functional.mse_loss(self.layer(x), labels)}


def _dataset():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(EXAMPLES, 3, generator=g, dtype=torch.float64)
    y = x.sum(dim=1, keepdim=True).sin()
    return [{"x": x[i], "labels": y[i]} for i in range(EXAMPLES)]


def _recorder(transformers):
    class Recorder(transformers.TrainerCallback):
        """The lr each update uses, keyed by ``state.global_step`` (updates done) before it."""

        def __init__(self):
            self.lrs = {}

        def on_pre_optimizer_step(self, args, state, control, optimizer=None, **kwargs):
            assert state.global_step not in self.lrs, f"two updates at global_step {state.global_step}"
            self.lrs[state.global_step] = optimizer.param_groups[0]["lr"]

    return Recorder()


def _train(transformers, out, accumulate=1, save_steps=None, resume=None, schedule=SCHEDULE):
    model = Regression()
    opt = torch.optim.SGD(model.parameters(), lr=1.0)  # overwritten: schedule(0)
    recorder = _recorder(transformers)
    args = transformers.TrainingArguments(
        output_dir=str(out),
        per_device_train_batch_size=BATCH_SIZE,
        gradient_accumulation_steps=accumulate,
        num_train_epochs=2,
        logging_steps=1,
        save_strategy="steps" if save_steps else "no",
        save_steps=save_steps or 500,
        report_to=[],
        use_cpu=True,
        seed=0,
        disable_tqdm=True,
    )
    trainer = transformers.Trainer(
        model=model,
        args=args,
        train_dataset=_dataset(),
        optimizers=(opt, LRScheduler(opt, schedule)),
        callbacks=[recorder],
    )
    trainer.train(resume_from_checkpoint=resume)
    return trainer, model, recorder


def _logged_lrs(trainer):
    return {e["step"]: e["learning_rate"] for e in trainer.state.log_history if "learning_rate" in e}


@pytest.mark.parametrize("accumulate", [1, 2])
@pytest.mark.parametrize("name", list(LOOPS))
def test_used_and_logged_rates_are_the_schedule(transformers, tmp_path, name, accumulate):
    schedule = LOOPS[name]
    trainer, _, rec = _train(transformers, tmp_path, accumulate, schedule=schedule)
    updates = 2 * EXAMPLES // (BATCH_SIZE * accumulate)  # per update, not per micro-batch
    assert trainer.state.global_step == updates
    assert rec.lrs == {k: schedule(k) for k in range(updates)}
    assert max(rec.lrs.values()) == 0.1 and rec.lrs[0] == 0.0  # warmup and decay both crossed
    assert _logged_lrs(trainer) == {s: schedule(s - 1) for s in range(1, updates + 1)}
    assert trainer.lr_scheduler.last_epoch == updates


@pytest.mark.parametrize("accumulate", [1, 2])
def test_resume_from_checkpoint_continues_exactly(transformers, tmp_path, accumulate):
    full, full_model, full_rec = _train(transformers, tmp_path / "full", accumulate)

    mid = 3  # mid-epoch and mid-warmup with either accumulation
    _train(transformers, tmp_path / "first", accumulate, save_steps=mid)
    ckpt = tmp_path / "first" / f"checkpoint-{mid}"
    state = torch.load(ckpt / "scheduler.pt", weights_only=True)  # as the Trainer loads it
    assert state["last_epoch"] == mid
    assert lrdecay.deserialize(state["schedules"][0]) == SCHEDULE  # the nested config, as plain types

    resumed, resumed_model, rec = _train(transformers, tmp_path / "resumed", accumulate, resume=str(ckpt))
    assert rec.lrs == {k: full_rec.lrs[k] for k in range(mid, full.state.global_step)}
    assert _logged_lrs(resumed) == _logged_lrs(full)
    assert resumed.state.global_step == full.state.global_step
    torch.testing.assert_close(resumed_model.layer.weight, full_model.layer.weight, rtol=0, atol=0)

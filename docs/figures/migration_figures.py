"""Make the migration guides' figures: each peer's curve and lrdecay's preset on one plot.

Run from the repository root:  python docs/figures/migration_figures.py
For each figure it records the peer's own lrs (torch's OneCycleLR; timm's CosineLRScheduler,
loaded by path as in the tests) as a serialized Join of straight lines through the values at integer steps,
then prints and runs the `lrdecay plot` command that draws both curves.
"""

import itertools
import json
import pathlib
import subprocess
import sys
import warnings

import torch

import lrdecay
from lrdecay.presets.timm import CosineLRScheduler
from lrdecay.presets.torch import OneCycleLR

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
import _timm_loader  # noqa: E402


def optimizer() -> torch.optim.Optimizer:
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)


def plot(name: str, ours: lrdecay.Schedule, recorded: list[float], peer: str, title: str) -> None:
    steps = len(recorded)
    data = f"docs/figures/{name}-peer.json"
    # Straight lines between the recorded integer steps (the plot samples between them too).
    lines = [lrdecay.Linear(a, b, 1) for a, b in itertools.pairwise(recorded)]
    curve = lrdecay.Join([*lines, recorded[-1]], list(range(1, steps)))
    (ROOT / data).write_text(json.dumps(lrdecay.serialize(curve)))
    command = [
        "lrdecay", "plot", repr(ours), data, "--steps", str(steps),
        "--label", "lrdecay preset", "--label", f"{peer} (recorded)",
        "--title", title, "-o", f"docs/figures/{name}.png",
    ]  # fmt: skip
    print(" ".join(repr(c) if " " in c or "(" in c else c for c in command))
    subprocess.run([sys.executable, "-m", "lrdecay", *command[1:]], check=True, cwd=ROOT)


def torch_onecycle() -> None:
    opt = optimizer()
    theirs = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=1000)
    lrs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's "scheduler.step() before optimizer.step()"
        for k in range(1000):
            lrs.append(opt.param_groups[0]["lr"])
            if k < 999:
                theirs.step()
    ours = OneCycleLR(optimizer(), max_lr=0.1, total_steps=1000).schedules[0]
    plot(
        "migration-torch-onecycle", ours, lrs, "torch OneCycleLR", "OneCycleLR(max_lr=0.1, total_steps=1000)"
    )


def timm_cosine() -> None:
    kw = {
        "t_initial": 40,
        "lr_min": 1e-3,
        "cycle_limit": 3,
        "cycle_decay": 0.5,
        "warmup_t": 10,
        "warmup_lr_init": 1e-4,
    }
    opt = optimizer()
    theirs = _timm_loader.load().cosine_lr.CosineLRScheduler(opt, **kw)
    lrs = []
    for epoch in range(130):
        lrs.append(opt.param_groups[0]["lr"])
        theirs.step(epoch + 1)
    ours = CosineLRScheduler(optimizer(), **kw).schedules[0]
    plot(
        "migration-timm-cosine", ours, lrs, "timm CosineLRScheduler", "CosineLRScheduler: 3 cycles, warmup 10"
    )


if __name__ == "__main__":
    torch_onecycle()
    timm_cosine()

"""Make docs/figures/migration-torch-onecycle.png: torch's OneCycleLR and lrdecay's preset on one plot.

Run from the repository root:  python docs/figures/migration_torch_onecycle.py
It records torch's own lrs as a serialized PiecewiseConstantDecay (one value per step) and
then runs the command it prints, `lrdecay plot` with both curves.
"""

import json
import subprocess
import sys
import warnings

import torch

import lrdecay
from lrdecay.presets.torch import OneCycleLR

STEPS = 1000


def optimizer() -> torch.optim.Optimizer:
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)


opt = optimizer()
theirs = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=STEPS)
lrs = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # torch's "scheduler.step() before optimizer.step()"
    for _ in range(STEPS):
        lrs.append(opt.param_groups[0]["lr"])
        if len(lrs) < STEPS:
            theirs.step()
recorded = lrdecay.PiecewiseConstantDecay(list(range(STEPS - 1)), lrs)
with open("docs/figures/migration-torch-onecycle-torch.json", "w") as f:
    json.dump(lrdecay.serialize(recorded), f)

ours = OneCycleLR(optimizer(), max_lr=0.1, total_steps=STEPS).schedules[0]
command = [
    "lrdecay", "plot", repr(ours), "docs/figures/migration-torch-onecycle-torch.json",
    "--steps", str(STEPS), "--label", "lrdecay.presets.torch.OneCycleLR",
    "--label", "torch.optim.lr_scheduler.OneCycleLR (recorded)",
    "--title", "OneCycleLR(max_lr=0.1, total_steps=1000)", "-o", "docs/figures/migration-torch-onecycle.png",
]  # fmt: skip
print(" ".join(repr(c) if " " in c or "(" in c else c for c in command))
subprocess.run([sys.executable, "-m", "lrdecay", *command[1:]], check=True)

"""PyTorch: lrdecay.torch.LRScheduler sets lr = schedule(step) and resumes exactly.

python examples/torch_example.py
"""

import io

import torch

import lrdecay
from lrdecay.torch import LRScheduler

schedule = lrdecay.CosineDecay(0.0, decay_steps=90, alpha=0.1, warmup_target=1e-2, warmup_steps=10)


def build():
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)  # lr is overwritten: schedule(0)
    return model, opt, LRScheduler(opt, schedule)


model, opt, sched = build()
for step in range(100):
    if step == 40:  # checkpoint, then rebuild everything as a restarted job would
        buf = io.BytesIO()
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict()}, buf)
        buf.seek(0)
        ckpt = torch.load(buf, weights_only=True)
        model, opt, sched = build()
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["opt"])
        sched.load_state_dict(ckpt["sched"])  # lr is schedule(40) right away, in either order
    assert opt.param_groups[0]["lr"] == schedule(step)
    x = torch.randn(32, 4)
    loss = (model(x) - x.sum(1, keepdim=True)).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()  # once per optimizer update
print(f"torch: lr at step 100 = {opt.param_groups[0]['lr']:.6g} (schedule: {schedule(100):.6g})")

"""Data-parallel training (DDP, gloo, CPU processes) with an lrdecay schedule, and resume.

Every rank evaluates the same pure function of the step, so the learning rates agree on
every rank without any communication, and a restart from a checkpoint continues with
exactly the rate it left off at.

    # train 60 steps on 2 processes, checkpointing after steps 7 and 33
    python examples/ddp_example.py --steps 60 --checkpoint-at 7,33 --out /tmp/ddp
    # restart from a checkpoint (fresh processes) and finish
    python examples/ddp_example.py --steps 60 --resume /tmp/ddp/ckpt-33.pt --out /tmp/ddp-resumed

Each run writes, per rank, the learning rate used at every step (``lrs-rank{r}.json``)
and the final weights (``weights-rank{r}.pt``); tests/test_ddp.py compares them.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import tempfile
import uuid
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel as DDP

import lrdecay
from lrdecay.torch import LRScheduler

BATCH_PER_RANK = 8


def make_schedule(world_size: int, total_steps: int) -> lrdecay.Schedule:
    # The batch-size scaling rule is explicit: 0.05 was tuned for a batch of 8.
    peak = lrdecay.scale_learning_rate(0.05, base_batch=8, global_batch=BATCH_PER_RANK * world_size)
    warmup = max(1, total_steps // 6)
    # A linear warmup from 0 to the peak, then a cosine to 10% of it over the rest of the run.
    return lrdecay.Warmup(lrdecay.CosineDecay(peak, decay_steps=total_steps - warmup, alpha=0.1), warmup)


def batch(step: int, rank: int, world_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """This rank's shard of the global batch at `step` (deterministic, so resumable)."""
    g = torch.Generator().manual_seed(step * world_size + rank)
    x = torch.randn(BATCH_PER_RANK, 4, generator=g)
    return x, torch.sin(x.sum(dim=1, keepdim=True))


def worker(rank: int, world_size: int, args: argparse.Namespace, rendezvous: str) -> None:
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=rendezvous, rank=rank, world_size=world_size)
    try:
        train(rank, world_size, args)
        # Free DDP's reducer (it holds gloo work objects) while the process group is
        # alive, and leave together: gloo can abort when torn down mid-exchange.
        gc.collect()
        dist.barrier()
    finally:
        dist.destroy_process_group()


def train(rank: int, world_size: int, args: argparse.Namespace) -> None:
    out = Path(args.out)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.0, momentum=0.9)
    schedule = make_schedule(world_size, args.steps)
    scheduler = LRScheduler(opt, schedule)
    start = 0
    if args.resume:
        ckpt = torch.load(args.resume, map_location="cpu", weights_only=True)
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        scheduler.load_state_dict(ckpt["scheduler"])  # the lr is schedule(step) from here
        start = scheduler.last_epoch
    ddp = DDP(model)

    checkpoints = {int(s) for s in args.checkpoint_at.split(",") if s}
    lrs = {}
    for step in range(start, args.steps):
        lr = opt.param_groups[0]["lr"]
        lrs[step] = lr
        x, y = batch(step, rank, world_size)
        opt.zero_grad()
        torch.nn.functional.mse_loss(ddp(x), y).backward()  # gradients averaged over ranks
        opt.step()
        scheduler.step()  # once per optimizer update, on every rank
        if step + 1 in checkpoints:
            if rank == 0:
                state = {
                    "model": model.state_dict(),
                    "optimizer": opt.state_dict(),
                    "scheduler": scheduler.state_dict(),  # the step and the schedule's config
                }
                torch.save(state, out / f"ckpt-{step + 1}.pt")
            dist.barrier()  # nobody resumes from a half-written file

    mismatches = [s for s, lr in lrs.items() if lr != schedule(s)]
    (out / f"lrs-rank{rank}.json").write_text(json.dumps({str(s): lr for s, lr in lrs.items()}))
    torch.save(model.state_dict(), out / f"weights-rank{rank}.pt")
    if rank == 0:
        print(
            f"rank 0: steps {start}..{args.steps - 1}, lr {lrs[start]:.6g} -> {lrs[args.steps - 1]:.6g}, "
            f"{len(mismatches)} steps where lr != schedule(step)"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--world-size", type=int, default=2)
    parser.add_argument("--checkpoint-at", default="", help="comma-separated steps to checkpoint after")
    parser.add_argument("--resume", default="", help="a checkpoint written by --checkpoint-at")
    parser.add_argument("--out", default=None, help="output directory (default: a temporary one)")
    args = parser.parse_args(argv)
    args.out = args.out or tempfile.mkdtemp(prefix="lrdecay-ddp-")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    # A fresh rendezvous file per launch (file:// needs no free port).
    rendezvous = f"file://{os.path.abspath(args.out)}/rendezvous-{uuid.uuid4().hex}"
    mp.spawn(worker, args=(args.world_size, args, rendezvous), nprocs=args.world_size, join=True)
    print(f"outputs in {args.out}")


if __name__ == "__main__":
    main()

"""What composition costs: composed schedules against a plain CosineDecay, in the same run.

Each entry of ``COMPOSED`` is measured three ways, every ratio against the plain
``CosineDecay(0.1, N)`` of the same length measured in the same process:

* one scalar call from a Python int, at a step in the warmup and one in the decay
  (target: <= 2x the plain cosine's call at the same step);
* ``lrdecay.evaluate(s, N)`` of ``N = 10M`` steps, float64 and float32, default threads
  (target: <= 2x the plain cosine);
* ``lrdecay.torch.LRScheduler(optimizer, s).step()`` (target: faster than torch's own
  ``ExponentialLR.step()``, also measured here), stepped in the decay phase.

Targets (issue 8) for ``Warmup(CosineDecay)`` and ``WarmupStableDecay``; the ``Join`` of
the same curve is shown beside them without one.
"""

from __future__ import annotations

import sys
import warnings

import _common as c

N = 10_000_000
#: Warmup length of the composed schedules: 1% of the run, as in practice.
W = N // 100

#: name -> the schedule, from the lrdecay module; a new composed schedule is one line here.
COMPOSED = {
    "Warmup(CosineDecay)": lambda L: L.Warmup(L.CosineDecay(0.1, N - W), W),
    "Join([Linear, CosineDecay])": lambda L: L.Join([L.Linear(0.0, 0.1, W), L.CosineDecay(0.1, N - W)], [W]),
    "WarmupStableDecay": lambda L: L.WarmupStableDecay(0.1, W, N // 2, N // 2 - W, "1-sqrt"),
}
#: The entries issue 8 sets targets for; the others are shown for comparison.
TARGETED = {"Warmup(CosineDecay)", "WarmupStableDecay"}


def _judge(name: str, ok: bool, target: str) -> list[str]:
    return [target, c.verdict(ok)] if name in TARGETED else ["", ""]


#: Rounds of paired measurements: the machine is shared, so each ratio is the median
#: of rounds that time the plain cosine and the composed schedule back to back.
ROUNDS = 7


def _plain(lrdecay):
    return lrdecay.CosineDecay(0.1, N)


def _paired(time_base, time_other):
    """(median base time, median other time, median of the per-round ratios)."""
    import statistics

    pairs = [(time_base(), time_other()) for _ in range(ROUNDS)]
    return (
        statistics.median(a for a, _ in pairs),
        statistics.median(b for _, b in pairs),
        statistics.median(b / a for a, b in pairs),
    )


def scalar_rows(lrdecay, schedules):
    plain = _plain(lrdecay)
    rows = []
    for where, step in (("warmup", W // 2), ("decay", N // 2)):
        stmt = f"s({step})"
        for name, s in schedules.items():
            base, t, ratio = _paired(
                lambda stmt=stmt: c.stmt_ns(stmt, {"s": plain}, repeats=3),
                lambda s=s, stmt=stmt: c.stmt_ns(stmt, {"s": s}, repeats=3),
            )
            rows.append([f"`CosineDecay(0.1, N)({step})`", where, c.fmt_time(base), "1x", "", ""])
            judged = _judge(name, ratio <= 2, "<= 2x")
            rows.append([f"`{name}({step})`", where, c.fmt_time(t), f"{ratio:.2f}x", *judged])
    return rows


def evaluate_rows(lrdecay, schedules):
    import numpy as np

    plain = _plain(lrdecay)
    rows = []
    for dt in (np.float64, np.float32):
        dname = np.dtype(dt).name
        for name, s in schedules.items():
            got = lrdecay.evaluate(s, N, dtype=dt)
            probe = [0, W // 2, W, N // 2, N - 1]
            assert np.allclose(got[probe], [s(k) for k in probe], rtol=2e-5, atol=1e-9)
            base, t, ratio = _paired(
                lambda dt=dt: c.bulk_ms(lambda: lrdecay.evaluate(plain, N, dtype=dt), 1),
                lambda s=s, dt=dt: c.bulk_ms(lambda: lrdecay.evaluate(s, N, dtype=dt), 1),
            )
            rows.append([f"`evaluate(CosineDecay(0.1, N), N)`, {dname}", f"{base:.1f} ms", "1x", "", ""])
            judged = _judge(name, ratio <= 2, "<= 2x")
            rows.append([f"`evaluate({name}, N)`, {dname}", f"{t:.1f} ms", f"{ratio:.2f}x", *judged])
    return rows


def torch_rows(lrdecay, schedules):
    try:
        import torch

        from lrdecay.torch import LRScheduler
    except ImportError:
        return [["torch", "n/a: not installed", "", "", ""]]
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message=".*lr_scheduler.step.*")

    def optimizer():
        return torch.optim.SGD([torch.nn.Parameter(torch.zeros(4))], lr=0.1)

    exp = torch.optim.lr_scheduler.ExponentialLR(optimizer(), gamma=0.96 ** (1 / 1000))
    rows = []
    for name, s in {"CosineDecay": _plain(lrdecay), **schedules}.items():
        # Started in the decay phase (the warmup is 1% of the run; a timed loop is far shorter).
        opt = optimizer()
        for group in opt.param_groups:
            group["initial_lr"] = 0.1
        sched = LRScheduler(opt, s, last_epoch=W + 10)
        sched.step()
        assert opt.param_groups[0]["lr"] == s(W + 12)
        base, t, ratio = _paired(
            lambda: c.stmt_ns("s.step()", {"s": exp}, repeats=3),
            lambda sched=sched: c.stmt_ns("s.step()", {"s": sched}, repeats=3),
        )
        judged = _judge(name, ratio < 1, "< ExponentialLR")
        rows.append(["torch `ExponentialLR.step()`", c.fmt_time(base), "1x", "", ""])
        rows.append([f"`LRScheduler({name}).step()`", c.fmt_time(t), f"{ratio:.2f}x", *judged])
    return rows


def main() -> str:
    import lrdecay

    schedules = {name: make(lrdecay) for name, make in COMPOSED.items()}
    title = "Composition against a plain CosineDecay"
    parts = []
    header = ["scalar call (Python int)", "phase", "median", "vs CosineDecay", "target", "status"]
    rows = scalar_rows(lrdecay, schedules)
    c.print_table(title + ": one scalar call", header, rows)
    parts.append(c.markdown_table(header, rows))
    header = ["10,000,000 steps (default threads)", "median", "vs CosineDecay", "target", "status"]
    rows = evaluate_rows(lrdecay, schedules)
    c.print_table(title + ": evaluate", header, rows)
    parts.append(c.markdown_table(header, rows))
    header = ["torch scheduler.step() with SGD", "median", "vs ExponentialLR", "target", "status"]
    rows = torch_rows(lrdecay, schedules)
    c.print_table(title + ": torch step", header, rows)
    parts.append(c.markdown_table(header, rows))
    body = "\n".join(parts) + (
        f"\nN = {N:,}, warmup W = {W:,} steps (1%): ``Warmup(CosineDecay(0.1, N - W), W)`` and the"
        " same curve as a ``Join``; the plain ``CosineDecay(0.1, N)`` is measured in the same run."
        f" Each ratio is the median over {ROUNDS} rounds of the plain and the composed schedule timed"
        " back to back (the machine is shared; the times are the medians of the rounds)."
        " The torch schedulers are started in the decay phase (``last_epoch=W + 10``).\n"
    )
    c.write_markdown("compose", title, body)
    return body


if __name__ == "__main__":
    main()
    sys.exit(0)

"""`lrdecay.torch.LRScheduler.step()` against torch's own ExponentialLR and LambdaLR.

All three schedulers drive ``torch.optim.SGD`` over one small parameter with the same
curve, ``0.1 * 0.96 ** (step / 1000)``: lrdecay's ``ExponentialDecay(0.1, 1000, 0.96)``,
``ExponentialLR(gamma=0.96 ** (1 / 1000))`` (multiplies the current lr) and
``LambdaLR(lambda e: 0.96 ** (e / 1000))`` (closed form, like lrdecay). Only
``scheduler.step()`` is timed (no optimizer update).

Target (issue 5): lrdecay's step() <= 1.0x torch's own.
"""

from __future__ import annotations

import sys
import warnings

import _common as c


def main() -> str:
    header = ["scheduler.step() with SGD", "median", "vs torch ExponentialLR", "target", "status"]
    rows: list[list[str]] = []
    title = "A torch scheduler step"
    try:
        import torch
    except ImportError:
        rows.append(["torch", "n/a: torch not installed", "", "", ""])
        torch = None
    results: dict[str, float] = {}
    if torch is not None:
        torch.set_num_threads(1)
        import lrdecay

        def optimizer():
            return torch.optim.SGD([torch.nn.Parameter(torch.zeros(4))], lr=0.1)

        # torch warns once when a scheduler steps before its optimizer.
        warnings.filterwarnings("ignore", message=".*lr_scheduler.step.*")
        sched = torch.optim.lr_scheduler
        peers = {
            "torch ExponentialLR": sched.ExponentialLR(optimizer(), gamma=0.96 ** (1 / 1000)),
            "torch LambdaLR": sched.LambdaLR(optimizer(), lambda e: 0.96 ** (e / 1000)),
        }
        for name, s in peers.items():
            results[name] = c.stmt_ns("s.step()", {"s": s})
        try:
            from lrdecay.torch import LRScheduler
        except ImportError as err:
            missing = (
                "n/a: lrdecay.torch missing"
                if "lrdecay.torch" in str(err) or isinstance(err, ModuleNotFoundError)
                else f"n/a: {err}"
            )
            rows.append(
                ["lrdecay.torch.LRScheduler(ExponentialDecay)", missing, "", "<= 1.0x torch's own", "n/a"]
            )
        else:
            s = LRScheduler(optimizer(), lrdecay.ExponentialDecay(0.1, 1000, 0.96))
            for _ in range(5):
                s.step()
            assert abs(s.optimizer.param_groups[0]["lr"] - 0.1 * 0.96 ** (5 / 1000)) < 1e-12
            results["lrdecay"] = c.stmt_ns("s.step()", {"s": s})
            worst = min(results["torch ExponentialLR"], results["torch LambdaLR"])
            rows.append(
                [
                    "lrdecay.torch.LRScheduler(ExponentialDecay)",
                    c.fmt_time(results["lrdecay"]),
                    f"{results['lrdecay'] / results['torch ExponentialLR']:.2f}x",
                    "<= 1.0x torch's own",
                    c.verdict(results["lrdecay"] <= worst),
                ]
            )
        base = results["torch ExponentialLR"]
        for name in peers:
            rows.append([name, c.fmt_time(results[name]), f"{results[name] / base:.2f}x", "", ""])
    c.print_table(title, header, rows)
    body = c.markdown_table(header, rows)
    body += "\nStatus: lrdecay's step() no slower than the faster of ExponentialLR and LambdaLR.\n"
    c.write_markdown("torch_step", title, body)
    return body


if __name__ == "__main__":
    main()
    sys.exit(0)

"""`lrdecay.presets.torch` schedulers' ``step()`` against the torch schedulers they replace.

Each pair is built with the same arguments on its own ``torch.optim.SGD`` (momentum 0.9,
two param groups of different lrs, so every preset writes two lrs and CyclicLR and
OneCycleLR cycle two momenta) and stepped a few times before timing. Only
``scheduler.step()`` is timed (no optimizer update); the steps run on, deep into the
schedule (periods and totals are long enough never to reach an end). The one-cycle and
cyclic pairs are also timed on ``torch.optim.Adam``, whose ``betas`` tuple holds the
cycled beta1.

Target (issue 9): every preset's step() <= 1.0x the torch scheduler it replaces.
"""

from __future__ import annotations

import sys
import warnings

import _common as c

# Arguments shared by both sides; long horizons keep the curves away from their ends
# (OneCycleLR raises past total_steps) and away from subnormal lrs.
CASES: dict[str, dict[str, object]] = {
    "StepLR": {"step_size": 10**6, "gamma": 0.5},
    "MultiStepLR": {"milestones": [10**7, 2 * 10**7, 3 * 10**7], "gamma": 0.5},
    "ConstantLR": {"factor": 0.5, "total_iters": 10**8},
    "LinearLR": {"start_factor": 0.25, "total_iters": 10**8},
    "ExponentialLR": {"gamma": 0.9999999},
    "PolynomialLR": {"total_iters": 10**8, "power": 2.0},
    "CosineAnnealingLR": {"T_max": 10**6},
    "CosineAnnealingWarmRestarts": {"T_0": 1000, "T_mult": 2},
    "CyclicLR": {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 1000},
    "OneCycleLR": {"max_lr": 0.1, "total_steps": 10**8},
}
ADAM = ("CyclicLR", "OneCycleLR")


def main() -> str:
    header = ["scheduler (2 param groups)", "torch", "lrdecay preset", "ratio", "target", "status"]
    rows: list[list[str]] = []
    title = "torch presets: step() against the torch scheduler each replaces"
    try:
        import torch
    except ImportError:
        torch = None
        rows.append(["torch", "n/a: torch not installed", "", "", "", ""])
    if torch is not None:
        torch.set_num_threads(1)
        from lrdecay.presets import torch as presets

        # torch warns once when a scheduler steps before its optimizer.
        warnings.filterwarnings("ignore", message=".*lr_scheduler.step.*")

        def optimizer(adam: bool) -> torch.optim.Optimizer:
            groups = [
                {"params": [torch.nn.Parameter(torch.zeros(4))], "lr": 0.1},
                {"params": [torch.nn.Parameter(torch.zeros(4))], "lr": 0.05},
            ]
            return torch.optim.Adam(groups) if adam else torch.optim.SGD(groups, lr=0.1, momentum=0.9)

        runs = [(name, False) for name in CASES] + [(name, True) for name in ADAM]
        for name, adam in runs:
            kwargs = CASES[name]
            pair = {}
            for lib, module in (("torch", torch.optim.lr_scheduler), ("lrdecay", presets)):
                pair[lib] = s = getattr(module, name)(optimizer(adam), **kwargs)
                for _ in range(5):
                    s.step()
            # The same numbers on both sides, or the comparison means nothing.
            theirs_lr, ours_lr = pair["torch"].get_last_lr(), pair["lrdecay"].get_last_lr()
            assert all(abs(a - b) <= 1e-12 * abs(b) for a, b in zip(ours_lr, theirs_lr, strict=True)), name
            theirs = c.stmt_ns("s.step()", {"s": pair["torch"]})
            ours = c.stmt_ns("s.step()", {"s": pair["lrdecay"]})
            label = f"{name} (Adam betas)" if adam else name
            rows.append(
                [
                    label,
                    c.fmt_time(theirs),
                    c.fmt_time(ours),
                    f"{ours / theirs:.2f}x",
                    "<= 1.0x",
                    c.verdict(ours <= theirs),
                ]
            )
    c.print_table(title, header, rows)
    body = c.markdown_table(header, rows)
    body += (
        "\nRatio: the preset's median step() over torch's; below 1 the preset is faster. "
        "Both sides have the same arguments, their lrs checked equal (1e-12) before timing.\n"
    )
    hf_header = ["LambdaLR from (2 param groups)", "transformers", "lrdecay preset", "ratio"]
    hf_rows = _transformers_rows(optimizer if torch is not None else None)
    if hf_rows:
        c.print_table("transformers presets", hf_header, hf_rows)
        body += (
            "\nThe transformers presets return torch's `LambdaLR`, as transformers does, so "
            "their step is torch's; only the factors differ (lrdecay schedules against "
            "transformers' `functools.partial` functions). No target: reported for the "
            "record.\n\n" + c.markdown_table(hf_header, hf_rows)
        )
    c.write_markdown("presets_torch", title, body)
    return body


HF_CASES: dict[str, dict[str, int]] = {
    "get_linear_schedule_with_warmup": {"num_warmup_steps": 100, "num_training_steps": 10**8},
    "get_cosine_schedule_with_warmup": {"num_warmup_steps": 100, "num_training_steps": 10**8},
    "get_wsd_schedule": {"num_warmup_steps": 100, "num_decay_steps": 10**7, "num_training_steps": 10**8},
    "get_inverse_sqrt_schedule": {"num_warmup_steps": 100},
}


def _transformers_rows(optimizer: object) -> list[list[str]]:
    if optimizer is None:
        return []
    try:
        import transformers
    except ImportError:
        return [["transformers", "n/a: not installed", "", ""]]
    from lrdecay.presets import transformers as presets

    rows = []
    for name, kwargs in HF_CASES.items():
        pair = {}
        for lib, module in (("transformers", transformers), ("lrdecay", presets)):
            pair[lib] = s = getattr(module, name)(optimizer(False), **kwargs)  # type: ignore[operator]
            for _ in range(200):  # past the warmup
                s.step()
        theirs_lr, ours_lr = pair["transformers"].get_last_lr(), pair["lrdecay"].get_last_lr()
        assert all(abs(a - b) <= 1e-12 * abs(b) for a, b in zip(ours_lr, theirs_lr, strict=True)), name
        theirs = c.stmt_ns("s.step()", {"s": pair["transformers"]})
        ours = c.stmt_ns("s.step()", {"s": pair["lrdecay"]})
        rows.append([f"`{name}`", c.fmt_time(theirs), c.fmt_time(ours), f"{ours / theirs:.2f}x"])
    return rows


if __name__ == "__main__":
    main()
    sys.exit(0)

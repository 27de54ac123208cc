"""``lrdecay demo``: the seed documents' figures, redrawn with lrdecay, and a gallery.

The seeds (a blog tour of ``tf.train.*_decay`` and tensorflow/tpu's cosine with linear
warmup) plot each schedule over 60 steps with a 30-line TensorFlow 1 loop. The gallery
shows what composition and the modern schedules draw. Every figure is one
``lrdecay plot`` call: the same specs, drawn by the same code, so the command printed
under each figure in the index redraws it byte for byte.
"""

from __future__ import annotations

import dataclasses
import html
import os
import shlex
from typing import Any

__all__ = [
    "FIGURES",
    "DemoFigure",
    "plot_command",
    "run",
    "seed_values",
    "summary_rows",
    "write_index",
]


@dataclasses.dataclass(frozen=True)
class DemoFigure:
    file: str
    title: str
    specs: tuple[str, ...]
    steps: int
    note: str
    log: bool = False
    group: str = "seed"  # "seed" or "gallery"


#: Steps 0..60: the seeds' 60 training steps and the value after them.
_SEED_STEPS = 61

FIGURES: tuple[DemoFigure, ...] = (
    DemoFigure(
        "exponential_decay.png",
        "exponential_decay: staircase=True and False",
        (
            "exponential_decay(0.6, 10, 0.6, staircase=True)",
            "exponential_decay(0.6, 10, 0.6, staircase=False)",
        ),
        _SEED_STEPS,
        "×0.6 every 10 steps; the staircase takes its new value at step 10, 20, ...",
    ),
    DemoFigure(
        "piecewise_constant.png",
        "piecewise_constant",
        ("piecewise_constant([10, 20, 30, 40, 50], [0.06, 0.05, 0.04, 0.03, 0.02, 0.01])",),
        _SEED_STEPS,
        "A boundary step keeps the earlier value: 0.06 at step 10, 0.05 from step 11.",
    ),
    DemoFigure(
        "polynomial_decay.png",
        "polynomial_decay: cycle=False and True",
        (
            "polynomial_decay(0.102, 10, 0.011, power=1.0, cycle=False)",
            "polynomial_decay(0.1, 10, 0.01, power=1.0, cycle=True)",
        ),
        _SEED_STEPS,
        "With cycle=True the horizon grows to 10·ceil(step/10): each restart is lower, "
        "and the period does not grow (the seed's observation).",
    ),
    DemoFigure(
        "natural_exp_decay.png",
        "natural_exp_decay: staircase=True and False",
        (
            "natural_exp_decay(0.6, 10, 0.6, staircase=True)",
            "natural_exp_decay(0.6, 10, 0.6, staircase=False)",
        ),
        _SEED_STEPS,
        "exp(-0.6) = ×0.5488 every 10 steps.",
    ),
    DemoFigure(
        "inverse_time_decay.png",
        "inverse_time_decay: staircase=True and False",
        (
            "inverse_time_decay(0.1, 10, 0.2, staircase=True)",
            "inverse_time_decay(0.1, 10, 0.2, staircase=False)",
        ),
        _SEED_STEPS,
        "0.1 / (1 + 0.2 * step / 10).",
    ),
    DemoFigure(
        "cosine_decays.png",
        "cosine_decay, cosine_decay_restarts, linear_cosine_decay, noisy_linear_cosine_decay",
        (
            "cosine_decay(0.3, 50, alpha=0.01)",
            "cosine_decay_restarts(0.3, 10, t_mul=1.5, m_mul=0.8, alpha=0.011)",
            "linear_cosine_decay(0.3, 50, num_periods=3.0, alpha=0.0, beta=0.2)",
            "noisy_linear_cosine_decay(0.1, 50, initial_variance=0.01, variance_decay=0.1, "
            "num_periods=0.2, alpha=0.5, beta=0.2)",
        ),
        _SEED_STEPS,
        "The noise is a function of (seed, step): the same curve on every run.",
    ),
    DemoFigure(
        "cosine_with_linear_warmup.png",
        "cosine_learning_rate_with_linear_warmup (tensorflow/tpu defaults)",
        ("cosine_learning_rate_with_linear_warmup(0.08, 0.0067, 500, 22500)",),
        22501,
        "Mask R-CNN's defaults: 0.0067 → 0.08 over 500 steps, then half a cosine to 0 at step 22500.",
    ),
)

#: What composition draws: warmups on a local and a global clock, arithmetic, time units.
GALLERY: tuple[DemoFigure, ...] = (
    DemoFigure(
        "warmup_then_decay.png",
        "Warmup then decay: Warmup, Join (local clock), Join (global clock, BERT)",
        (
            "Warmup(CosineDecay(1.0, 900), 100)",
            "Join([Linear(0.0, 1.0, 100), ExponentialDecay(1.0, 100, 0.5)], [100])",
            'Join([Linear(0.0, 1.0, 100), PolynomialDecay(1.0, 1000, 0.0)], [100], clock="global")',
        ),
        1101,
        "On the local clock a piece starts at its own step 0 at its boundary; on the global "
        "clock (BERT, TF Model Garden) the decay has already run 100 of its 1000 steps when "
        "the warmup ends, so the rate drops from 0.99 to 0.9 at step 100.",
        group="gallery",
    ),
    DemoFigure(
        "arithmetic.png",
        "Arithmetic, a floor and restarts: s * a + b, Maximum, Repeat",
        (
            "0.9 * CosineDecay(1.0, 1000) + 0.1",
            "Maximum(ExponentialDecay(1.0, 100, 0.5), 0.2)",
            "Repeat(Warmup(CosineDecay(0.8, 230), 20), 250)",
        ),
        1001,
        "A cosine to 10% of the peak, an exponential decay held at a floor, and a warmup + "
        "cosine restarted every 250 steps.",
        group="gallery",
    ),
    DemoFigure(
        "epochs.png",
        "Written in epochs (TimeScale, 100 steps an epoch): Goyal et al.'s ImageNet schedule",
        (
            "TimeScale(Join([Linear(0.1, 0.4, 5), 0.4, 0.04, 0.004, 0.0004], [5, 30, 60, 80]), 100)",
            "TimeScale(Join([Linear(0.1, 0.4, 5), 0.4, 0.04, 0.004, 0.0004], [5, 30, 60, 80]), 100, "
            "discrete=True)",
        ),
        9001,
        "Batch 1024: 0.1 × 1024/256 = 0.4, reached by a linear warmup over 5 epochs, then ×0.1 at "
        "epochs 30, 60 and 80 (log scale). With discrete=True the schedule sees whole epochs, as "
        "a torch scheduler stepped once per epoch would: the warmup climbs in 5 steps.",
        log=True,
        group="gallery",
    ),
    DemoFigure(
        "warmup_stable_decay.png",
        "WarmupStableDecay: the four cooldowns (warmup 100, stable 700, cooldown 200)",
        (
            "WarmupStableDecay(1.0, 100, 700, 200)",
            "WarmupStableDecay(1.0, 100, 700, 200, decay_shape='cosine')",
            "WarmupStableDecay(1.0, 100, 700, 200, decay_shape='1-sqrt')",
            "WarmupStableDecay(1.0, 100, 700, 200, decay_shape='exponential', final_learning_rate=0.01)",
        ),
        1101,
        "The 1-sqrt cooldown (Hägele et al. 2024) drops fastest at first; the exponential one "
        "(MiniCPM) is geometric, so it needs a final rate above 0 (here 0.01). "
        "`cooldown_at(step)` branches the same cooldown from any step of the stable phase.",
        group="gallery",
    ),
    DemoFigure(
        "one_cycle.png",
        "OneCycle: two and three phases (torch's OneCycleLR arithmetic)",
        ("OneCycle(1.0, 1000)", "OneCycle(1.0, 1000, three_phase=True)"),
        1001,
        "From max/25 up to the max over the first 30% (to step 299, torch's phase end), then "
        "down to max/25/1e4; with three_phase=True back to max/25 first, symmetrically, then "
        "to the minimum.",
        group="gallery",
    ),
    DemoFigure(
        "cyclic.png",
        "Cyclic: triangular, triangular2 and exp_range (Smith 2017, torch's CyclicLR)",
        (
            "Cyclic(0.1, 1.0, 100)",
            "Cyclic(0.1, 1.0, 100, mode='triangular2')",
            "Cyclic(0.1, 1.0, 100, mode='exp_range', gamma=0.998)",
        ),
        801,
        "Up for 100 steps, down for 100, forever; triangular2 halves the height every cycle, "
        "exp_range multiplies it by gamma ** step.",
        group="gallery",
    ),
    DemoFigure(
        "inverse_sqrt_tri_stage.png",
        "InverseSqrtDecay (fairseq, Transformer) and TriStage (fairseq, wav2vec)",
        (
            "InverseSqrtDecay(1.0, 100)",
            "InverseSqrtDecay(1.0, 100, timescale=400)",
            "TriStage(1.0, 100, 300, 500)",
        ),
        1001,
        "Inverse square root: the peak at the end of the warmup, then peak * sqrt(tau / (step - 100 + tau)), "
        "tau = 100 by default (fairseq) or a timescale (Hugging Face). Tri-stage: warmup from 1% of "
        "the peak, hold, exponential decay to 1%, then hold.",
        group="gallery",
    ),
)

FIGURES = FIGURES + GALLERY


@dataclasses.dataclass
class DemoResult:
    figure: DemoFigure
    path: str
    curves: list[Any]  # lrdecay.cli._plot.Curve, with the plotted x and y


def run(outdir: str) -> list[DemoResult]:
    """Draw every figure into `outdir` (created if needed) and write the index."""
    from lrdecay._spec import parse
    from lrdecay.cli._plot import Curve, draw, require_matplotlib, save

    require_matplotlib()
    os.makedirs(outdir, exist_ok=True)
    results = []
    for fig_spec in FIGURES:
        curves = [Curve(spec, parse(spec)) for spec in fig_spec.specs]
        fig = draw(curves, fig_spec.steps, log=fig_spec.log, title=fig_spec.title)
        path = os.path.join(outdir, fig_spec.file)
        save(fig, path)
        results.append(DemoResult(fig_spec, path, curves))
    write_index(outdir, results)
    _write_values_csv(outdir, results)
    return results


def seed_values(results: list[DemoResult]) -> tuple[list[str], list[list[float]]]:
    """The seed curves' values at steps 0..60: (labels, one row of values per step).

    Only the figures drawn over the seeds' 60 steps (not the tpu warmup, 22500 steps).
    """
    curves = [
        c for r in results if r.figure.group == "seed" and r.figure.steps == _SEED_STEPS for c in r.curves
    ]
    rows = [[c.schedule(step) for c in curves] for step in range(_SEED_STEPS)]
    return [c.label for c in curves], rows


def _write_values_csv(outdir: str, results: list[DemoResult]) -> None:
    import csv

    labels, rows = seed_values(results)
    with open(os.path.join(outdir, "values.csv"), "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["step", *labels])
        for step, row in enumerate(rows):
            writer.writerow([step, *(repr(v) for v in row)])


def plot_command(fig: DemoFigure, outdir: str) -> str:
    """The ``lrdecay plot`` command that draws `fig` on its own."""
    words = ["lrdecay", "plot", *fig.specs, "--steps", str(fig.steps)]
    words += ["--log"] if fig.log else []
    words += ["--title", fig.title]
    words += ["-o", os.path.join(outdir, fig.file)]
    return " ".join(shlex.quote(w) for w in words)


def summary_rows(results: list[DemoResult]) -> list[tuple[str, str, float, int, float, float]]:
    """(file, curve, start, step shown, value there, minimum) per curve: step 60, or the
    last step of longer figures."""
    rows = []
    for r in results:
        at = r.figure.steps - 1
        for c in r.curves:
            rows.append((r.figure.file, c.label, c.schedule(0), at, c.schedule(at), _minimum(c)))
    return rows


def _minimum(curve: Any) -> float:
    import numpy as np

    from lrdecay._evaluate import evaluate

    # The minimum over whole steps (the plotted line also has points between them).
    return float(np.min(evaluate(curve.schedule, int(curve.x[-1]) + 1)))


def _num(x: float) -> str:
    return "0" if x == 0 else f"{x:.6g}"


_GALLERY_INTRO = (
    "Schedules built from the combinators and the modern schedule classes, each over its "
    "default length; every figure is one `lrdecay plot` command, shown under it."
)


def write_index(outdir: str, results: list[DemoResult]) -> None:
    """``index.md`` and ``index.html`` in `outdir`, showing every figure and its command."""
    rel = os.path.relpath(outdir) if not os.path.isabs(outdir) else outdir
    md = [
        "# lrdecay demo",
        "",
        "The figures of the seed documents (a tour of TensorFlow's `tf.train.*_decay` "
        "functions and tensorflow/tpu's cosine with linear warmup), with the seeds' "
        "parameters, redrawn by `lrdecay demo -o figures` (`make demo`). Steps 0 to 60 "
        "(the seeds' 60 training steps and the value after them); dots mark the whole "
        "steps. Each figure is also one `lrdecay plot` command, shown under it.",
        "",
    ]
    page = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8"><title>lrdecay demo</title>',
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "img{max-width:100%}pre{background:#f4f4f4;padding:.5rem;white-space:pre-wrap}"
        "table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;"
        "text-align:left}</style></head><body>",
        "<h1>lrdecay demo</h1>",
        f"<p>{html.escape(md[2])}</p>",
    ]
    rows = summary_rows(results)
    for r in results:
        f = r.figure
        if f.group == "gallery" and f is GALLERY[0]:
            md += ["# Gallery: composition and the modern schedules", "", _GALLERY_INTRO, ""]
            page += [
                "<h1>Gallery: composition and the modern schedules</h1>",
                f"<p>{html.escape(_GALLERY_INTRO)}</p>",
            ]
        cmd = plot_command(f, rel)
        at = next(row[3] for row in rows if row[0] == f.file)
        md += [f"## {f.title}", "", f"![{f.title}]({f.file})", "", f.note, "", "```bash", cmd, "```", ""]
        md += [f"| curve | start | step {at} | minimum |", "|---|---|---|---|"]
        page += [
            f"<h2>{html.escape(f.title)}</h2>",
            f'<img src="{html.escape(f.file)}" alt="{html.escape(f.title)}">',
            f"<p>{html.escape(f.note)}</p>",
            f"<pre>{html.escape(cmd)}</pre>",
            f"<table><tr><th>curve</th><th>start</th><th>step {at}</th><th>minimum</th></tr>",
        ]
        for file, label, start, _, value, low in rows:
            if file != f.file:
                continue
            md.append(f"| `{label}` | {_num(start)} | {_num(value)} | {_num(low)} |")
            page.append(
                f"<tr><td><code>{html.escape(label)}</code></td><td>{_num(start)}</td>"
                f"<td>{_num(value)}</td><td>{_num(low)}</td></tr>"
            )
        md.append("")
        page.append("</table>")
    page.append("</body></html>")
    with open(os.path.join(outdir, "index.md"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(md))
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(page) + "\n")

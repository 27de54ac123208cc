"""The ``lrdecay`` command: list, preview, plot and describe schedules.

>>> from lrdecay.cli import main
>>> main(["values", "exponential_decay(0.6, 10, 0.6, staircase=True)", "--at", "0,10,25"])
step  learning_rate
   0  0.6
  10  0.36
  25  0.216
0

Every command takes schedule SPECs (see ``lrdecay.parse``): a call such as
``"ExponentialDecay(0.6, decay_steps=10, decay_rate=0.6)"`` or its v1 name without the
step, ``"exponential_decay(0.6, 10, 0.6)"``, or a .json/.yaml/.yml/.toml file holding a
serialized schedule. Errors print one line, ``lrdecay: error: ...``, and exit with 2
(a bad command line or spec) or 1 (a file that cannot be read or written, a missing
optional dependency).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["main"]

_SPEC_HELP = (
    'a schedule: a call like "ExponentialDecay(0.6, decay_steps=10, decay_rate=0.6)" '
    'or "exponential_decay(0.6, 10, 0.6)" (a tf.compat.v1 name without the step), '
    "or a .json/.yaml/.yml/.toml file with a serialized schedule"
)
_DESCRIPTION = """\
Preview, plot and describe learning-rate schedules.

SPEC names a schedule:
  "ExponentialDecay(0.6, decay_steps=10, decay_rate=0.6, staircase=True)"   any class (lrdecay list)
  "exponential_decay(0.6, 10, 0.6, staircase=True)"   a tf.compat.v1 name, without the step
  schedule.json | .yaml | .yml | .toml   a serialized schedule (lrdecay.serialize, or Keras')
Arguments are literals only (numbers, strings, True/False/None, lists); nothing is evaluated.

By default the commands show steps 0..N-1 with N = max(61, 1.1 x the schedule's length:
its *_steps and last boundary added up); --steps N sets N.
"""


class _UsageError(Exception):
    """A bad command line or spec: exit status 2."""


class _RuntimeFailure(Exception):
    """A file that cannot be read or written, a missing optional dependency: exit status 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, not argparse's usage block
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``lrdecay`` command with `argv` (default: ``sys.argv[1:]``); return the exit status."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        status: int = args.run(args)
        return status
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except _UsageError as exc:
        return _fail(str(exc), 2)
    except _RuntimeFailure as exc:
        return _fail(str(exc), 1)
    except BrokenPipeError:
        # `lrdecay values ... | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


def _fail(message: str, code: int) -> int:
    print(f"lrdecay: error: {' '.join(message.split())}", file=sys.stderr)
    return code


# -- the command line --------------------------------------------------------------------


def _build_parser() -> _Parser:
    from lrdecay._version import __version__

    parser = _Parser(
        prog="lrdecay",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lrdecay {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("list", help="every schedule, its arguments and defaults")
    p.set_defaults(run=_cmd_list)

    p = sub.add_parser("values", help="the learning rate at each step")
    p.add_argument("spec", metavar="SPEC", help=_SPEC_HELP)
    which = p.add_mutually_exclusive_group()
    _add_steps(which)
    which.add_argument("--at", metavar="STEPS", type=_step_list, help="comma-separated steps, e.g. 0,10,100")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="output format (default: table); every format prints full float precision",
    )
    p.set_defaults(run=_cmd_values)

    p = sub.add_parser("plot", help="curves on one figure: a file with -o, else drawn in the terminal")
    p.add_argument("specs", metavar="SPEC", nargs="+", help=_SPEC_HELP)
    _add_steps(p)
    p.add_argument("--log", action="store_true", help="logarithmic learning-rate axis")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write a .png, .svg or .pdf file (needs matplotlib)"
    )
    p.add_argument("--title", help="figure title")
    p.add_argument(
        "--label",
        action="append",
        metavar="TEXT",
        help="legend label, once per SPEC in order (default: the SPEC)",
    )
    p.add_argument("--width", type=_positive_int, default=None, help="terminal plot width in characters")
    p.add_argument(
        "--height", type=_positive_int, default=20, help="terminal plot height in lines (default: 20)"
    )
    p.set_defaults(run=_cmd_plot)

    p = sub.add_parser("describe", help="the phases of a schedule in words and numbers")
    p.add_argument("spec", metavar="SPEC", help=_SPEC_HELP)
    _add_steps(p)
    p.set_defaults(run=_cmd_describe)

    p = sub.add_parser("demo", help="the seed documents' figures, as PNG files and an index")
    p.add_argument("-o", "--output", metavar="DIR", default="figures", help="directory (default: figures)")
    p.set_defaults(run=_cmd_demo)
    return parser


def _add_steps(parser: Any) -> None:
    from lrdecay._steps import MAX_STEPS

    parser.add_argument(
        "--steps",
        metavar="N",
        type=_step_count,
        help=f"show steps 0..N-1 (1 <= N <= {MAX_STEPS:,}; default: from the schedule's length, at least 61)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _step_count(text: str) -> int:
    from lrdecay._steps import MAX_STEPS

    value = _positive_int(text)
    if value > MAX_STEPS:
        raise argparse.ArgumentTypeError(f"at most {MAX_STEPS:,} steps, got {value:,}")
    return value


def _step_list(text: str) -> list[int | float]:
    import math

    from lrdecay._steps import MAX_STEPS

    steps: list[int | float] = []
    for item in text.split(","):
        item = item.strip()
        try:
            value: int | float = int(item)
        except ValueError:
            try:
                value = float(item)
            except ValueError:
                raise argparse.ArgumentTypeError(f"not a step: {item!r} (write e.g. 0,10,100)") from None
        if not math.isfinite(value) or value < 0:
            raise argparse.ArgumentTypeError(f"steps are finite numbers >= 0, got {item!r}")
        steps.append(value)
    if len(steps) > MAX_STEPS:
        raise argparse.ArgumentTypeError(f"at most {MAX_STEPS:,} steps")
    return steps


def _load(spec: str) -> Any:
    """The schedule a SPEC names, or an error for main()."""
    from lrdecay._spec import parse

    try:
        return parse(spec)
    except ImportError as exc:
        raise _RuntimeFailure(str(exc)) from None
    except OSError as exc:
        raise _RuntimeFailure(f"cannot read {exc.filename or spec!r}: {exc.strerror or exc}") from None
    except (ValueError, TypeError) as exc:
        raise _UsageError(str(exc)) from None


def _label(spec: str) -> str:
    return " ".join(spec.split())


def _steps(args: Any, schedule: Any) -> int:
    from lrdecay._steps import default_steps

    return args.steps if args.steps is not None else default_steps(schedule)


def _evaluate(schedule: Any, n: int) -> Any:
    from lrdecay._evaluate import evaluate

    try:
        return evaluate(schedule, n)
    except (ValueError, TypeError) as exc:
        raise _UsageError(str(exc)) from None


# -- commands ------------------------------------------------------------------------------


#: ``lrdecay list``'s groups, by the module that defines a class; the modern schedules are
#: the rest of lrdecay.schedules, and classes registered elsewhere come last.
_TF_MODULES = frozenset(
    f"lrdecay.schedules.{m}" for m in ("exponential", "piecewise", "polynomial", "cosine")
)
_COMPOSE_MODULE = "lrdecay.schedules.compose"
_GROUPS = (
    ("TensorFlow schedules (the Keras classes; exact)", lambda m: m in _TF_MODULES),
    ("composition: schedules made of schedules", lambda m: m == _COMPOSE_MODULE),
    ("modern schedules", lambda m: m.startswith("lrdecay.schedules.")),
    ("registered elsewhere", lambda m: True),
)

_COMPOSITION_NOTE = (
    "(a number stands for Constant wherever a schedule goes; specs also write s + t, s * t",
    ' and 0.5 * s: "0.5 * Warmup(CosineDecay(1.0, 100), 10) + 0.01")',
)


def _cmd_list(args: Any) -> int:
    import inspect

    from lrdecay import _registry
    from lrdecay._spec import signature_text, v1_forms

    groups: dict[str, list[type]] = {title: [] for title, _ in _GROUPS}
    for name in _registry.names():
        cls = _registry.get(name)
        title = next(t for t, belongs in _GROUPS if belongs(cls.__module__))
        groups[title].append(cls)
    out: list[str] = []
    for title, classes in groups.items():
        if not classes:
            continue
        out += [f"{title}:" if not out else f"\n{title}:"]
        if title.startswith("composition"):
            out += [f"  {line}" for line in _COMPOSITION_NOTE]
        for cls in classes:
            out.append(f"  {signature_text(cls)}")
            out.append(f"      {_summary(cls)}")
    out.append("")
    out.append("tf.compat.v1 names, written without their step argument:")
    for name, (function, _, sig) in sorted(v1_forms().items()):
        params = ", ".join(
            p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}"
            for p in sig.parameters.values()
        )
        target = _first_class_in(function.__doc__ or "")
        out.append(f"  {name}({params})" + (f"  -> {target}" if target else ""))
    print("\n".join(out))
    return 0


def _summary(cls: type) -> str:
    text = getattr(cls, "summary", "") or (cls.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(text.replace("``", "").replace("`", "").split())


def _first_class_in(doc: str) -> str:
    import re

    from lrdecay import _registry

    for word in re.findall(r"`(\w+)`", doc.split("\n")[0]):
        if word in _registry.names():
            return str(word)
    return ""


def _cmd_values(args: Any) -> int:
    schedule = _load(args.spec)
    steps = args.at if args.at is not None else range(_steps(args, schedule))
    try:
        values = [schedule(step) for step in steps]
    except (ValueError, TypeError) as exc:
        raise _UsageError(str(exc)) from None
    write = sys.stdout.write
    if args.format == "json":
        from lrdecay._registry import serialize
        from lrdecay._spec import short_form

        document = {
            "schedule": short_form(schedule),
            "config": serialize(schedule),
            "steps": list(steps),
            "learning_rate": values,
        }
        write(json.dumps(document) + "\n")
    elif args.format == "csv":
        write("step,learning_rate\n")
        write("".join(f"{step!r},{value!r}\n" for step, value in zip(steps, values, strict=False)))
    else:
        width = max(4, *(len(repr(step)) for step in steps)) if len(steps) else 4
        write(f"{'step':>{width}}  learning_rate\n")
        write("".join(f"{step!r:>{width}}  {value!r}\n" for step, value in zip(steps, values, strict=False)))
    return 0


def _cmd_plot(args: Any) -> int:
    specs = args.specs
    labels = args.label or [_label(spec) for spec in specs]
    if len(labels) != len(specs):
        raise _UsageError(f"{len(labels)} --label for {len(specs)} SPEC; give one per SPEC")
    output = args.output
    if output is not None:
        from lrdecay.cli._plot import FORMATS

        fmt = os.path.splitext(output)[1].lower().lstrip(".")
        if fmt not in FORMATS:
            raise _UsageError(
                f"cannot write {output!r}: the format comes from the suffix, one of .png, .svg, .pdf"
            )
    schedules = [_load(spec) for spec in specs]
    n = args.steps if args.steps is not None else max(_steps(args, s) for s in schedules)
    if output is None:
        return _plot_terminal(args, list(zip(labels, schedules, strict=False)), n)

    from lrdecay.cli._plot import Curve, draw, require_matplotlib, save

    try:
        require_matplotlib()
    except ImportError as exc:
        raise _RuntimeFailure(str(exc)) from None
    curves = [Curve(label, s) for label, s in zip(labels, schedules, strict=False)]
    try:
        fig = draw(curves, n, log=args.log, title=args.title)
    except (ValueError, TypeError) as exc:
        raise _UsageError(str(exc)) from None
    try:
        save(fig, output)
    except OSError as exc:
        raise _RuntimeFailure(f"cannot write {output!r}: {exc.strerror or exc}") from None
    print(f"wrote {output}")
    return 0


def _plot_terminal(args: Any, curves: list[Any], n: int) -> int:
    import shutil

    from lrdecay.cli._textplot import MARKERS, render

    if len(curves) > len(MARKERS):
        raise _UsageError(f"at most {len(MARKERS)} curves in a terminal plot; use -o FILE for more")
    width = args.width or max(20, min(100, shutil.get_terminal_size((80, 24)).columns - 14))
    values = [_evaluate(s, n) for _, s in curves]
    print(render(curves, values, log=args.log, width=width, height=args.height, title=args.title))
    return 0


def _cmd_describe(args: Any) -> int:
    from lrdecay._spec import short_form
    from lrdecay.cli._describe import describe_text

    schedule = _load(args.spec)
    values = _evaluate(schedule, _steps(args, schedule))
    label = _label(args.spec)
    full = short_form(schedule)
    print(describe_text(label if label == full else f"{label}\n= {full}", values))
    return 0


def _cmd_demo(args: Any) -> int:
    from lrdecay.cli import _demo

    outdir = args.output
    try:
        results = _demo.run(outdir)
    except ImportError as exc:
        raise _RuntimeFailure(str(exc)) from None
    except OSError as exc:
        raise _RuntimeFailure(f"cannot write to {outdir!r}: {exc.strerror or exc}") from None
    rows = _demo.summary_rows(results)
    head = ("figure", "curve", "start", "at step", "value", "minimum")
    table: list[tuple[str, ...]] = [head]
    table += [(f, c, _g(s), str(at), _g(v), _g(m)) for f, c, s, at, v, m in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for r in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)).rstrip())
    labels, values = _demo.seed_values(results)
    print(f"\nthe seed curves at steps 0, 5, ..., {len(values) - 1} (every step: values.csv)")
    for i, label in enumerate(labels, 1):
        print(f"  [{i}] {label}")
    table = [("step", *(f"[{i}]" for i in range(1, len(labels) + 1)))] + [
        (str(step), *(_g(v) for v in values[step])) for step in range(0, len(values), 5)
    ]
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        print("  ".join(cell.rjust(w) for cell, w in zip(r, widths, strict=False)).rstrip())
    print(f"\nwrote {len(results)} figures, index.md, index.html and values.csv to {outdir}")
    return 0


def _g(x: float) -> str:
    return "0" if x == 0 else f"{x:.6g}"

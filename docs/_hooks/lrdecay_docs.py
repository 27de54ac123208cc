"""MkDocs hooks: the pages that are made from the code and the repository, at every build.

Nothing here is copied into docs/, so none of it can go stale:

- ``gallery/``: ``figures/index.md`` and the PNG files that ``lrdecay demo`` writes into
  ``figures/``, served as they are (the same files, added to the site at build time);
- ``reference/cli.md``: the ``--help`` of ``lrdecay`` and of every sub-command, rendered from
  the argparse parser the command runs;
- ``reference/api/*.md``: a ``::: lrdecay.NAME`` entry for every name in ``lrdecay.__all__``,
  and one page per public module (a module path without a ``_`` part), listed in the nav;
- the ``<!-- lrdecay:benchmarks -->`` marker of a page: ``benchmarks/results/README.md``, the
  tables that ``make bench`` writes.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
FIGURES = ROOT / "figures"
BENCHMARKS = ROOT / "benchmarks" / "results" / "README.md"
BENCHMARKS_MARKER = "<!-- lrdecay:benchmarks -->"
#: Width the help is rendered at, so the page does not depend on the terminal that built it.
HELP_COLUMNS = 100
#: Packages whose public names are documented elsewhere: the schedules are re-exported by
#: ``lrdecay`` itself, the command line has its own reference page.
NOT_API_PACKAGES = ("lrdecay.schedules", "lrdecay.cli")
#: Pages written on other branches: in the nav (before the references) once they exist, so
#: the build passes whichever branch is merged first.
OPTIONAL_PAGES = {"Reliability": "reliability.md"}


def _lrdecay() -> Any:
    # The checkout being documented, not whichever lrdecay the environment has installed.
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    return importlib.import_module("lrdecay")


# -- what the pages are made from ---------------------------------------------------------------


def public_modules() -> list[str]:
    """Dotted names of the modules users import besides ``lrdecay`` (one API page each)."""
    names = []
    for path in sorted((SRC / "lrdecay").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            continue  # a package's names are its modules' (compat -> compat.v1)
        dotted = ".".join(parts)
        if any(p.startswith("_") for p in parts) or dotted.startswith(NOT_API_PACKAGES):
            continue
        names.append(dotted)
    return names


def api_groups() -> list[tuple[str, list[str]]]:
    """``lrdecay.__all__`` in sections: the schedules by the module that defines them, then
    their base class, the functions and the rest.

    A schedule module's section is titled by its docstring up to the first ``:`` or ``.``
    ("The cosine family", "Composition"), so a new family gets its section by itself.
    """
    lrdecay = _lrdecay()
    families: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {"Base class": [], "Functions": [], "Constants": []}
    for name in lrdecay.__all__:
        obj = getattr(lrdecay, name)
        if obj is lrdecay.Schedule:
            groups["Base class"].append(name)
        elif inspect.isclass(obj) and issubclass(obj, lrdecay.Schedule):
            families.setdefault(obj.__module__, []).append(name)
        elif callable(obj):
            groups["Functions"].append(name)
        else:
            groups["Constants"].append(name)
    sections = [(_module_title(module), names) for module, names in sorted(families.items())]
    return sections + [(title, names) for title, names in groups.items() if names]


def _module_title(module: str) -> str:
    doc = inspect.getdoc(sys.modules[module]) or module
    return re.split(r"[:.]\s", " ".join(doc.split("\n\n")[0].split()) + " ", maxsplit=1)[0].strip()


def cli_parser() -> argparse.ArgumentParser:
    _lrdecay()
    from lrdecay.cli._main import _build_parser

    return _build_parser()


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The sub-command parsers, in the order ``lrdecay --help`` lists them."""
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@contextlib.contextmanager
def help_width() -> Iterator[None]:
    # argparse sizes its help from COLUMNS (shutil.get_terminal_size).
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(HELP_COLUMNS)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def render_help(parser: argparse.ArgumentParser) -> str:
    with help_width():
        return parser.format_help().rstrip()


# -- the generated pages --------------------------------------------------------------------------


def _gallery_page() -> str:
    text = (FIGURES / "index.md").read_text(encoding="utf-8")
    _title, _, body = text.partition("\n")  # the demo's own "# lrdecay demo"
    return (
        "# Gallery\n\n"
        "These are the files `lrdecay demo -o figures` (`make demo`) writes into `figures/`: its\n"
        "index page and its PNG files, served as they are. Every value of every curve is in\n"
        "[values.csv](values.csv).\n" + body
    )


def _cli_page() -> str:
    parser = cli_parser()
    out = [
        "# Command line",
        "",
        "The `--help` of `lrdecay` and of each of its sub-commands, rendered from the parser the",
        "command runs when this site was built. `python -m lrdecay` is the same command. SPECs are",
        "read by [`lrdecay.parse`][lrdecay.parse].",
        "",
        "```text",
        render_help(parser),
        "```",
    ]
    for name, sub in subcommands(parser).items():
        out += ["", f"## lrdecay {name}", "", "```text", render_help(sub), "```"]
    return "\n".join(out) + "\n"


def _api_page() -> str:
    out = [
        "# lrdecay",
        "",
        "Every name in `lrdecay.__all__`, generated from the docstrings (whose examples are",
        "doctests run by the test suite). Each schedule's family page tells how it behaves",
        "([schedules](../../schedules/index.md)).",
    ]
    for title, names in api_groups():
        out += ["", f"## {title}"]
        out += [f"\n::: lrdecay.{name}" for name in names]
    return "\n".join(out) + "\n"


def _module_page(module: str) -> str:
    return (
        f"# {module}\n\n::: {module}\n    options:\n      heading_level: 2\n      show_root_heading: false\n"
    )


def _api_uri(module: str) -> str:
    return f"reference/api/{module}.md"


# -- the hooks ------------------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.watch.extend(str(p) for p in (SRC, FIGURES, BENCHMARKS))
    api = [{"lrdecay": _api_uri("lrdecay")}] + [{m: _api_uri(m)} for m in public_modules()]
    nav = config.nav or []
    for section in nav:
        for entry in section.get("Reference", []) if isinstance(section, dict) else []:
            if isinstance(entry, dict) and "API" in entry:
                entry["API"] = api
    listed = {str(page) for section in nav if isinstance(section, dict) for page in section.values()}
    at = next((i for i, s in enumerate(nav) if isinstance(s, dict) and "Reference" in s), len(nav))
    for title, page in OPTIONAL_PAGES.items():
        if (Path(config.docs_dir) / page).exists() and page not in listed:
            nav.insert(at, {title: page})
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, "gallery/index.md", content=_gallery_page()))
    for path in sorted(FIGURES.iterdir()):
        if path.suffix in (".png", ".svg", ".csv"):
            files.append(File.generated(config, f"gallery/{path.name}", abs_src_path=str(path)))
    files.append(File.generated(config, "reference/cli.md", content=_cli_page()))
    files.append(File.generated(config, _api_uri("lrdecay"), content=_api_page()))
    for module in public_modules():
        files.append(File.generated(config, _api_uri(module), content=_module_page(module)))
    return files


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    if BENCHMARKS_MARKER in markdown:
        _title, _, tables = BENCHMARKS.read_text(encoding="utf-8").partition("\n")
        markdown = markdown.replace(BENCHMARKS_MARKER, tables.strip())
    return markdown

"""The documentation site: it builds with ``--strict``, and its generated pages hold what the code defines.

The site is built once (about 10 s) into a temporary directory. Its pages are checked
against the sources they are made from, read here independently of the build's hooks:
``lrdecay.__all__`` and each public module's ``__all__``, the argparse parser, the files
in ``figures/`` and ``benchmarks/results/``, the README sections the pages include. The
examples on the hand-written pages run as doctests.
"""

from __future__ import annotations

import argparse
import ast
import doctest
import html
import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lrdecay

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SRC = ROOT / "src"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        pytest.importorskip(module)
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            "mkdocs.yml",
            "--site-dir",
            out,
        ],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def _html(site: Path, page: str) -> str:
    path = site / page / "index.html" if page else site / "index.html"
    text = path.read_text(encoding="utf-8")
    return text[text.index("<article") : text.index("</article>")]  # the page, not the nav


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _words(text: str) -> str:
    return " ".join(text.split())


# -- API reference ------------------------------------------------------------------------------


def _public_modules() -> dict[str, list[str]]:
    """Modules a user imports besides lrdecay, with their static ``__all__``."""
    modules = {}
    for path in sorted((SRC / "lrdecay").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if (
            parts[-1] == "__init__"
            or any(p.startswith("_") for p in parts)
            or parts[1] in ("cli", "schedules")
        ):
            continue
        names = []
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(
                getattr(t, "id", None) == "__all__" for t in node.targets
            ):
                names = ast.literal_eval(node.value)
        modules[".".join(parts)] = names
    return modules


def test_api_reference_has_an_entry_for_every_public_name(site):
    page = _html(site, "reference/api/lrdecay")
    missing = [name for name in lrdecay.__all__ if f'id="lrdecay.{name}"' not in page]
    assert not missing
    # The entries are rendered docstrings: a signature and the doctest as highlighted code.
    entry = page[page.index('id="lrdecay.ExponentialDecay"') :]
    assert "decay_rate" in _text(entry[:5000])
    assert '<span class="gp">&gt;&gt;&gt; </span>' in entry[:5000]


def test_every_public_module_has_a_page_with_its_names(site):
    modules = _public_modules()
    assert {"lrdecay.compat.v1", "lrdecay.torch", "lrdecay.keras", "lrdecay.jax"} <= set(modules)
    for module, names in modules.items():
        page = _html(site, f"reference/api/{module}")
        assert names, module
        assert [n for n in names if f'id="{module}.{n}"' not in page] == [], module
        nav = (site / "index.html").read_text(encoding="utf-8")
        assert f'href="reference/api/{module}/"' in nav, module


# -- command-line reference ---------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    from lrdecay.cli._main import _build_parser

    return _build_parser()


def _sections(page: str) -> dict[str, str]:
    """Text of each ``## lrdecay NAME`` section of the CLI page, by NAME."""
    parts = re.split(r'<h2 id="lrdecay-([a-z]+)"', page)
    return {name: _text(body) for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_cli_reference_shows_every_subcommand_option_as_the_parser_defines_it(site):
    parser = _parser()
    (subparsers,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sections = _sections(_html(site, "reference/cli"))
    assert list(sections) == list(subparsers.choices)
    for name, sub in subparsers.choices.items():
        section = _words(sections[name])
        assert f"usage: lrdecay {name}" in section
        for action in sub._actions:
            names = action.option_strings or [action.metavar or action.dest]
            for option in names:
                assert re.search(rf"(^|[\s\[(]){re.escape(option)}([\s\],=]|$)", section), (name, option)
            if action.help and "%" not in action.help:
                assert _words(action.help) in section, (name, action.help)
            if action.choices:
                assert "{" + ",".join(action.choices) + "}" in section, (name, action.choices)


# -- gallery, performance, included README sections ----------------------------------------------


def test_gallery_serves_the_demo_figures_themselves(site):
    figures = sorted((ROOT / "figures").glob("*.png"))
    assert len(figures) >= 7
    page = _html(site, "gallery")
    for figure in figures:
        assert (site / "gallery" / figure.name).read_bytes() == figure.read_bytes()
        assert f'src="../{figure.name}"' in page or f'src="{figure.name}"' in page, figure.name
    # The family pages show the same files.
    assert 'src="../../gallery/exponential_decay.png"' in _html(site, "schedules/exponential")


def test_performance_page_includes_the_benchmark_tables(site):
    page = _words(_text(_html(site, "performance")))
    results = (ROOT / "benchmarks" / "results" / "README.md").read_text(encoding="utf-8")
    rows = [line for line in results.splitlines() if line.startswith("|") and not line.startswith("|---")]
    assert len(rows) > 20
    for row in rows:
        # Markdown marks (`code`, a **bold** cell) are not in the rendered text.
        cells = [_words(_unbold(c.strip()).replace("`", "")) for c in row.strip("|").split("|")]
        assert _words(" ".join(c for c in cells if c)) in page, row


def _unbold(cell: str) -> str:
    return cell[2:-2] if len(cell) > 4 and cell.startswith("**") and cell.endswith("**") else cell


def _readme_section(name: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"--8<-- [start:{name}] -->\n", 1)[1].split("<!--", 1)[0]


def test_getting_started_includes_the_readme_commands_and_quick_start(site):
    page = _text(_html(site, "getting-started"))
    for name in ("commands", "quickstart"):
        code = _readme_section(name).strip().split("\n", 1)[1].rsplit("```", 1)[0]
        assert code.strip() in page, name


# -- examples on the hand-written pages --------------------------------------------------------------

PAGES = sorted(p for p in DOCS.rglob("*.md") if "```pycon" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_page_examples_run(path):
    text = path.read_text(encoding="utf-8")
    globs: dict = {}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = io.StringIO()
    examples = 0
    for match in re.finditer(r"^```pycon\n(.*?)^```", text, flags=re.S | re.M):
        lineno = text[: match.start()].count("\n") + 1
        test = doctest.DocTestParser().get_doctest(match.group(1), globs, path.name, str(path), lineno)
        runner.run(test, out=report.write, clear_globs=False)
        examples += len(test.examples)
    assert examples > 0
    assert runner.failures == 0, report.getvalue()


def test_pages_with_examples_are_all_found():
    names = {p.relative_to(DOCS).as_posix() for p in PAGES}
    assert {"index.md", "getting-started.md", "schedules/cosine.md", "migration/tensorflow.md"} <= names


def test_docstring_examples_are_fenced_for_markdown():
    pytest.importorskip("griffe")
    spec = importlib.util.spec_from_file_location("griffe_doctests", DOCS / "_hooks" / "griffe_doctests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = "Intro.\n\n>>> 1 + 1\n2\n>>> x = 3\n\nArgs:\n    a: b.\n\nExamples:\n    >>> 2\n    2\n\n>>> 4\n4"
    assert module.fence_doctests(text) == (
        "Intro.\n\n```pycon\n>>> 1 + 1\n2\n>>> x = 3\n```\n\nArgs:\n    a: b.\n\n"
        "Examples:\n    >>> 2\n    2\n\n```pycon\n>>> 4\n4\n```"
    )
    assert doctest.testmod(module).failed == 0

"""The package layout keeps the architecture: the core never reaches into the command line,
and lrdecay's modules form layers (no import cycles, function-level imports included).

Read from the source with `ast`, so an import inside a function counts as much as one at
the top of a module; imports under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lrdecay

SRC = Path(lrdecay.__file__).parent

#: Modules outside lrdecay.cli that may import it: the entry point of `python -m lrdecay`.
CLI_FRONT_DOORS = {"lrdecay.__main__"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST) -> set[str]:
    """Every lrdecay module an AST imports, wherever the import statement is."""
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                # `from lrdecay import _validate` imports the submodule, not a name of the package.
                found.add(sub if sub in MODULES else node.module)
        stack.extend(ast.iter_child_nodes(node))
    return {m for m in found if m == "lrdecay" or m.startswith("lrdecay.")}


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        deps = _imported(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        # A module's own packages are imported before it in any case: not a dependency.
        graph[name] = {d for d in deps if d != name and not name.startswith(d + ".")}
    return graph


GRAPH = _graph()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _in_cli(name: str) -> bool:
    return name == "lrdecay.cli" or name.startswith("lrdecay.cli.")


def test_the_graph_sees_imports_inside_functions():
    # Schedule._repr_html_ imports the SVG drawing inside the method (numpy stays unloaded).
    assert "lrdecay._svg" in GRAPH["lrdecay._base"]
    assert {"lrdecay.cli._main", "lrdecay.cli._plot", "lrdecay._base"} <= set(MODULES)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if not _in_cli(n) and n not in CLI_FRONT_DOORS))
def test_the_core_does_not_import_the_command_line(name):
    assert not {d for d in GRAPH[name] if _in_cli(d)}


def test_no_import_cycles_between_lrdecay_modules():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]

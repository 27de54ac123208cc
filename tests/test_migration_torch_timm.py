"""The Python blocks of docs/migration/pytorch.md and docs/migration/timm.md run as written."""

from __future__ import annotations

import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"
BLOCKS = [
    (path.name, code)
    for path in (DOCS / "migration" / "pytorch.md", DOCS / "migration" / "timm.md")
    for code in re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)
]
NEEDS = {"optax": "optax", "keras": "keras", "torch": "torch"}


@pytest.mark.parametrize(("doc", "code"), BLOCKS, ids=[f"{d}-{i}" for i, (d, _) in enumerate(BLOCKS)])
def test_block_runs(doc: str, code: str) -> None:
    for word, module in NEEDS.items():
        if re.search(rf"^import {word}|^from {word}", code, flags=re.M):
            pytest.importorskip(module)
    exec(compile(code, doc, "exec"), {"__name__": "__doc__"})

"""The Python blocks of docs/migration-torch.md run as written."""

from __future__ import annotations

import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "migration-torch.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
NEEDS = {"optax": "optax", "keras": "keras", "torch": "torch"}


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_block_runs(code: str) -> None:
    for word, module in NEEDS.items():
        if re.search(rf"^import {word}|^from {word}", code, flags=re.M):
            pytest.importorskip(module)
    exec(compile(code, str(DOC), "exec"), {"__name__": "__doc__"})

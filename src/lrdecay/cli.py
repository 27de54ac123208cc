"""The `lrdecay` command (placeholder until the CLI issue lands)."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    print("lrdecay: the command-line tool is not built yet", file=sys.stderr)
    return 2

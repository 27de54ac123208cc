"""A Griffe extension: the bare doctests that open lrdecay's docstrings render as code.

lrdecay's docstrings start with a runnable example (``>>> ...`` and its output), which the
test suite runs as a doctest. In Markdown a line starting with ``>`` is a quotation, so the
example is wrapped in a ``pycon`` fence when the docs are built; the source stays a doctest.
Examples indented inside a Google-style section are left to Griffe's own parser.
"""

from __future__ import annotations

from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    r"""Wrap each run of top-level doctest lines (prompt, continuation, output) in a fence.

    >>> fence_doctests("Intro.\n>>> 1 + 1\n2\n\nMore.")
    'Intro.\n```pycon\n>>> 1 + 1\n2\n```\n\nMore.'
    """
    out: list[str] = []
    in_example = False
    for line in text.splitlines():
        if not in_example and line.startswith(">>>"):
            out.append("```pycon")
            in_example = True
        elif in_example and not line.strip():  # a doctest's output ends at a blank line
            out.append("```")
            in_example = False
        out.append(line)
    if in_example:
        out.append("```")
    return "\n".join(out)


class FenceDoctests(griffe.Extension):
    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)

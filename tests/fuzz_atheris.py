"""Coverage-guided fuzzing of `lrdecay.parse` and `lrdecay.deserialize` with atheris.

Run by ``make fuzz`` (not by pytest: the name does not start with ``test_``):

    python tests/fuzz_atheris.py -max_total_time=120 [corpus_dir]

Each input is read as UTF-8 text and given to `parse`; if it is JSON, the decoded value
is also given to `deserialize`. Anything but a Schedule, ValueError or TypeError (and
OSError for a spec naming a missing file) is a crash that atheris reports with the input.
"""

from __future__ import annotations

import contextlib
import json
import sys

import atheris

with atheris.instrument_imports():
    import lrdecay
    from lrdecay import _spec


def _check(schedule: object) -> None:
    assert isinstance(schedule, lrdecay.Schedule)
    assert lrdecay.deserialize(json.loads(json.dumps(lrdecay.serialize(schedule)))) == schedule


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    try:
        _check(lrdecay.parse(text))
    except (ValueError, TypeError):
        pass
    except OSError:
        stripped = text.strip()
        if not stripped.lower().endswith(_spec._FILE_SUFFIXES):
            raise
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return
    with contextlib.suppress(ValueError, TypeError):
        _check(lrdecay.deserialize(value))


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

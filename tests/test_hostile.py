"""Hostile input to every entry point: each gets a ValueError or TypeError whose message
names what was wrong, quickly, in bounded memory, and never runs code from the input.

Entry points: constructors, ``__call__``, ``compat.v1``, ``from_config``, ``deserialize``,
``parse`` (strings and files), ``evaluate``, the torch adapter's ``load_state_dict``, the
Keras adapter's ``from_config`` and the CLI (one line on stderr, exit status 2).
Inputs: wrong types, bools, None, NaN, ±inf, negative and huge numbers (10**400, 2**64),
empty, unsorted and million-element lists, mismatched lengths, extra and missing keys,
configs nested 10,000 deep and configs that contain themselves, multi-megabyte strings and
files.

``HOSTILE`` is a table; docs/reliability.md shows it with the message each row really
gets, and `test_the_reliability_doc_shows_the_actual_messages` fails if the doc drifts
(regenerate with ``LRDECAY_WRITE_DOCS=1 pytest tests/test_hostile.py``). The table of
ordinary bad arguments (tests/test_bad_inputs.py) is shown there too.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pytest
import test_bad_inputs as bad

import lrdecay
from lrdecay import ExponentialDecay, PiecewiseConstantDecay
from lrdecay.compat import v1

V, T = ValueError, TypeError
NAN, INF = math.nan, math.inf
MILLION = 10**6
#: No message may be longer than this, whatever the input's size (some list the known names).
MAX_MESSAGE = 1200
DOC = Path(__file__).resolve().parent.parent / "docs" / "reliability.md"

GOOD = {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5}


def _ser(config: Any, class_name: str = "ExponentialDecay") -> dict:
    return {"class_name": class_name, "config": config}


def _nested(depth: int) -> dict:
    """An ExponentialDecay whose initial rate is a schedule, `depth` levels down."""
    data = _ser(dict(GOOD))
    for _ in range(depth):
        data = _ser({**GOOD, "initial_learning_rate": data})
    return data


def _nested_json(depth: int) -> str:
    """`_nested` as JSON text (json.dumps itself would recurse too deep)."""
    open_ = '{"class_name": "ExponentialDecay", "config": {"initial_learning_rate": '
    close = ', "decay_steps": 10, "decay_rate": 0.5}}'
    return open_ * depth + json.dumps(_ser(GOOD)) + close * depth


def _self_referencing() -> dict:
    data = _ser(dict(GOOD))
    data["config"]["initial_learning_rate"] = data
    return data


def _self_referencing_list() -> dict:
    items: list = [1.0]
    items.append(items)
    return _ser({"boundaries": items, "values": [1.0, 0.5, 0.1]}, "PiecewiseConstantDecay")


def _alias_bomb() -> dict:
    """What YAML aliases build: 9 references to a list of 9 references, 10 deep (9**10
    items if each were read as a copy)."""
    items: list = [1.0] * 9
    for _ in range(9):
        items = [items] * 9
    return _ser({"boundaries": items, "values": [1.0]}, "PiecewiseConstantDecay")


def _million_keys() -> dict:
    return {**GOOD, **{f"k{i}": i for i in range(MILLION)}}


class Row(NamedTuple):
    entry: str  # the entry point, as the doc shows it
    what: str  # the input, in words
    call: Callable[[], Any]
    error: type
    pattern: str  # re.search against the message


def _state_dict(**overrides) -> Callable[[], Any]:
    def load():
        torch = pytest.importorskip("torch")
        from lrdecay.torch import LRScheduler

        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
        scheduler = LRScheduler(opt, ExponentialDecay(0.1, 10, 0.5))
        state = {**scheduler.state_dict(), **overrides}
        try:
            scheduler.load_state_dict(state)
        finally:
            # Nothing was changed by a refused checkpoint.
            assert scheduler.last_epoch == 0 and scheduler.schedules == (ExponentialDecay(0.1, 10, 0.5),)
            assert opt.param_groups[0]["lr"] == 0.1

    return load


def _keras_from_config(config: Any) -> Callable[[], Any]:
    def load():
        pytest.importorskip("keras")
        from lrdecay.keras import KerasSchedule

        return KerasSchedule.from_config(config)

    return load


def _keras_deserialize(config: Any) -> Callable[[], Any]:
    def load():
        keras = pytest.importorskip("keras")
        import lrdecay.keras  # noqa: F401  (registers the class with Keras)

        return keras.optimizers.schedules.deserialize(
            {
                "module": None,
                "class_name": "KerasSchedule",
                "config": config,
                "registered_name": "lrdecay>KerasSchedule",
            }
        )

    return load


def _file(tmp: Path, name: str, content: bytes) -> str:
    path = tmp / name
    path.write_bytes(content)
    return str(path)


HOSTILE: list[Row] = [
    # -- constructors -------------------------------------------------------------------
    Row(
        "constructor",
        "10**400 as a rate",
        lambda: ExponentialDecay(10**400, 10, 0.5),
        V,
        r"^Argument `initial_learning_rate` must be a finite number\. Received: initial_learning_rate=1000+\.\.\.0+ \(401 digits\)$",
    ),
    Row(
        "constructor",
        "10**5000 (past Python's str() limit)",
        lambda: ExponentialDecay(0.1, 10**5000, 0.5),
        V,
        r"^Argument `decay_steps` must be a finite number\. Received: decay_steps=<int of about 5000 digits>$",
    ),
    Row(
        "constructor",
        "-inf decay_steps",
        lambda: ExponentialDecay(0.1, -INF, 0.5),
        V,
        r"^Argument `decay_steps` must be a finite number\. Received: decay_steps=-inf$",
    ),
    Row(
        "constructor",
        "None staircase",
        lambda: ExponentialDecay(0.1, 10, 0.5, staircase=None),
        T,
        r"^Argument `staircase` must be a bool\. Received: staircase=None of type NoneType$",
    ),
    Row(
        "constructor",
        "bytes name",
        lambda: ExponentialDecay(0.1, 10, 0.5, name=b"x"),
        T,
        r"^Argument `name` must be a string or None\. Received: name=b'x' of type bytes$",
    ),
    Row(
        "constructor",
        "a million unsorted boundaries",
        lambda: PiecewiseConstantDecay(list(range(MILLION, 0, -1)), [1.0] * (MILLION + 1)),
        V,
        r"^Argument `boundaries` must be strictly increasing\. Received: boundaries=\[1000000, 999999, .*, \.\.\.\] \(1000000 items\) \(boundaries\[1\]=999999 <= boundaries\[0\]=1000000\)$",
    ),
    Row(
        "constructor",
        "a million boundaries, a million values",
        lambda: PiecewiseConstantDecay(list(range(MILLION)), [1.0] * MILLION),
        V,
        r"^The length of boundaries should be 1 less than the length of values\. Received: boundaries=\[0, 1, .*\] \(1000000 items\) of length 1000000, and values=\[.*\] \(1000000 items\) of length 1000000\.$",
    ),
    Row(
        "constructor",
        "NaN as the last of a million values",
        lambda: PiecewiseConstantDecay(list(range(MILLION)), [1.0] * MILLION + [NAN]),
        V,
        r"^Argument `values\[1000000\]` must be a finite number\. Received: values\[1000000\]=nan \(in values=\[1\.0, .*\] \(1000001 items\)\)$",
    ),
    Row(
        "constructor",
        "an endless generator of boundaries",
        lambda: PiecewiseConstantDecay(itertools.count(), [1.0]),
        T,
        r"^Argument `boundaries` must be a list of numbers\. Received: boundaries=count\(0\) of type count$",
    ),
    Row(
        "constructor",
        "a list that contains itself",
        lambda: PiecewiseConstantDecay(_self_referencing_list()["config"]["boundaries"], [1.0, 0.5, 0.1]),
        T,
        r"^Argument `boundaries\[1\]` must be a real number\. Received: boundaries\[1\]=\[1\.0, \[1\.0, \[\.\.\.\]\]\] of type list",
    ),
    Row(
        "constructor",
        "a dict as boundaries",
        lambda: PiecewiseConstantDecay({1: 2}, [1.0, 0.5]),
        T,
        r"^Argument `boundaries` must be a list of numbers\. Received: boundaries=\{1: 2\} of type dict$",
    ),
    # -- __call__ -------------------------------------------------------------------------
    Row(
        "schedule(step)",
        "step 10**400",
        lambda: ExponentialDecay(0.1, 10, 1.5)(10**400),
        V,
        r"^ExponentialDecay overflows float64 at step=1000+\.\.\.0+ \(401 digits\)$",
    ),
    Row(
        "schedule(step)",
        "a 1 MB string",
        lambda: ExponentialDecay(0.1, 10, 0.5)("1" * MILLION),
        T,
        r"^Argument `step` must be a number or an array of numbers\. Received: step='1+\.\.\.1+' of type str$",
    ),
    Row(
        "schedule(step)",
        "NaN last in a million steps",
        lambda: ExponentialDecay(0.1, 10, 0.5)(np.r_[np.arange(MILLION - 1.0), NAN]),
        V,
        r"^Argument `step` must be a finite number >= 0\. Received: step=nan \(in an array of shape \(1000000,\)\)$",
    ),
    Row(
        "schedule(step)",
        "a growing rate past float64 (numpy)",
        lambda: ExponentialDecay(0.0, 1, 1.5)(np.float64(1751)),
        V,
        r"^ExponentialDecay overflows float64 at step=1751\.0 \(in an array of shape \(\)\)$",
    ),
    Row(
        "schedule(step)",
        "a list of lists of strings",
        lambda: ExponentialDecay(0.1, 10, 0.5)([["a"]]),
        T,
        r"^Argument `step` must be a number or an array of numbers\. Received: step of dtype <U1$",
    ),
    # -- compat.v1 ------------------------------------------------------------------------
    Row(
        "compat.v1",
        "global_step=10**400",
        lambda: v1.exponential_decay(0.1, 10**400, 10, 1.5)(),
        V,
        r"^ExponentialDecay overflows float64 at step=1000+\.\.\.0+ \(401 digits\)$",
    ),
    Row(
        "compat.v1",
        "a counter that returns a string",
        lambda: v1.cosine_decay(0.1, lambda: "7", 10)(),
        T,
        r"^Argument `step` must be a number or an array of numbers\. Received: step='7' of type str$",
    ),
    Row(
        "compat.v1",
        "unsorted boundaries",
        lambda: v1.piecewise_constant(0, [2, 1], [1.0, 0.5, 0.1]),
        V,
        r"^Argument `boundaries` must be strictly increasing\.",
    ),
    Row(
        "compat.v1",
        "global_step=True",
        lambda: v1.exponential_decay(0.1, True, 10, 0.5)(),
        T,
        r"^Argument `step` must be a number or an array of numbers\. Received: step=True of type bool$",
    ),
    # -- from_config ----------------------------------------------------------------------
    Row(
        "from_config",
        "None",
        lambda: ExponentialDecay.from_config(None),
        T,
        r"^ExponentialDecay\.from_config expects a dict\. Received: config=None of type NoneType$",
    ),
    Row(
        "from_config",
        "a missing key",
        lambda: ExponentialDecay.from_config({"initial_learning_rate": 0.1}),
        V,
        r"^Missing argument\(s\) \['decay_steps', 'decay_rate'\] for ExponentialDecay\. Accepted: ",
    ),
    Row(
        "from_config",
        "a million extra keys",
        lambda: ExponentialDecay.from_config(_million_keys()),
        V,
        r"^Unknown argument\(s\) \['k0', 'k1', .*\] \(1000000 items\) for ExponentialDecay\. Accepted: ",
    ),
    Row(
        "from_config",
        "a string where a number goes",
        lambda: ExponentialDecay.from_config({**GOOD, "decay_steps": "10"}),
        T,
        r"^Argument `decay_steps` must be a real number\. Received: decay_steps='10' of type str$",
    ),
    # -- deserialize ----------------------------------------------------------------------
    Row(
        "deserialize",
        "a config nested 10,000 deep",
        lambda: lrdecay.deserialize(_nested(10_000)),
        V,
        r"^A serialized schedule is nested more than 100 deep; it cannot be loaded\.$",
    ),
    Row(
        "deserialize",
        "a config that contains itself",
        lambda: lrdecay.deserialize(_self_referencing()),
        V,
        r"^A serialized schedule contains itself \(its config refers back to an enclosing dict or list\); it cannot be loaded\.$",
    ),
    Row(
        "deserialize",
        "a list that contains itself",
        lambda: lrdecay.deserialize(_self_referencing_list()),
        V,
        r"^A serialized schedule contains itself",
    ),
    Row(
        "deserialize",
        "YAML-style aliases (9**10 items as copies)",
        lambda: lrdecay.deserialize(_alias_bomb()),
        T,
        r"^Argument `boundaries\[0\]` must be a real number\. Received: boundaries\[0\]=\[\[\[\.\.\.\], ",
    ),
    Row(
        "deserialize",
        "a list as class_name",
        lambda: lrdecay.deserialize({"class_name": ["x"], "config": {}}),
        T,
        r"^The 'class_name' of a serialized schedule must be a string\. Received: class_name=\['x'\] of type list$",
    ),
    Row(
        "deserialize",
        "a 10 MB class_name",
        lambda: lrdecay.deserialize({"class_name": "x" * 10**7, "config": {}}),
        V,
        r"^Unknown schedule class_name='x+\.\.\.x+'\. Accepted: \[",
    ),
    Row(
        "deserialize",
        "a Python path as class_name",
        lambda: lrdecay.deserialize({"class_name": "os.system", "config": {"command": "echo"}}),
        V,
        r"^Unknown schedule class_name='os\.system'\. Accepted: ",
    ),
    Row(
        "deserialize",
        "a Keras registered_name naming a builtin",
        lambda: lrdecay.deserialize({"class_name": "eval", "config": {}, "registered_name": "builtins>eval"}),
        V,
        r"^Unknown schedule class_name='eval'\. Accepted: ",
    ),
    Row(
        "deserialize",
        "a list as config",
        lambda: lrdecay.deserialize(_ser([1, 2])),
        T,
        r"^ExponentialDecay\.from_config expects a dict\. Received: config=\[1, 2\] of type list$",
    ),
    Row(
        "deserialize",
        "an extra key",
        lambda: lrdecay.deserialize({**_ser(GOOD), "code": "rm -rf /"}),
        V,
        r"^Unknown key\(s\) \['code'\] in a serialized schedule\. Accepted: ",
    ),
    Row(
        "deserialize",
        "a JSON string instead of a dict",
        lambda: lrdecay.deserialize(json.dumps(_ser(GOOD))),
        T,
        r"^Argument `data` must be a dict with 'class_name' and 'config'\. Received: data='\{\"class_name\": .*' of type str$",
    ),
    # -- parse ----------------------------------------------------------------------------
    Row(
        "parse",
        "a 5 MB string",
        lambda: lrdecay.parse("E" * 5 * MILLION),
        V,
        r"^Invalid schedule spec: 5000000 characters, more than the 10000 accepted\.$",
    ),
    Row(
        "parse",
        "code in an argument",
        lambda: lrdecay.parse("ExponentialDecay(0.1, 10, __import__('os').system('echo'))"),
        V,
        r"^Invalid schedule spec: attribute access \(`\.`\) is not allowed at column 43: ",
    ),
    Row(
        "parse",
        "a lambda",
        lambda: lrdecay.parse("ExponentialDecay(lambda: 0, 10, 0.5)"),
        V,
        r"^Invalid schedule spec: the keyword `lambda` is not allowed at column 18: `lambda`\.$",
    ),
    Row(
        "parse",
        "1e400",
        lambda: lrdecay.parse("ExponentialDecay(1e400, 10, 0.5)"),
        V,
        r"^Invalid schedule spec: a number that is not finite at column 18: `1e400`\.$",
    ),
    Row(
        "parse",
        "brackets 1,000 deep",
        lambda: lrdecay.parse("PiecewiseConstantDecay(" + "[" * 1000 + "]" * 1000 + ")"),
        V,
        r"^Invalid schedule spec: brackets nested more than 20 deep at column 43: ",
    ),
    Row(
        "parse",
        "NaN in JSON",
        lambda: lrdecay.parse(json.dumps(_ser({**GOOD, "decay_rate": NAN}))),
        V,
        r"^Invalid schedule spec \(JSON\): Argument `decay_rate` must be a finite number\. Received: decay_rate=nan$",
    ),
    Row(
        "parse",
        "JSON nested 10,000 deep (as a dict)",
        lambda: lrdecay.parse(_nested(10_000)),
        V,
        r"^A serialized schedule is nested more than 100 deep; it cannot be loaded\.$",
    ),
    Row(
        "parse",
        "a list",
        lambda: lrdecay.parse([1, 2]),
        T,
        r"^Argument `spec` must be a string, a path, a dict or an lrdecay\.Schedule\. Received: spec=\[1, 2\] of type list$",
    ),
    # -- evaluate -------------------------------------------------------------------------
    Row(
        "evaluate",
        "10**12 steps",
        lambda: lrdecay.evaluate(ExponentialDecay(0.1, 10, 0.5), 10**12),
        V,
        r"^Argument `steps` asks for 1000000000000 values: 7\.3 TiB as float64, more than this machine's memory \(.*\)\. Evaluate the curve in parts",
    ),
    Row(
        "evaluate",
        "2**64 steps",
        lambda: lrdecay.evaluate(ExponentialDecay(0.1, 10, 0.5), 2**64, dtype=np.float32),
        V,
        r"^Argument `steps` asks for 18446744073709551616 values: 65536\.0 PiB as float32",
    ),
    Row(
        "evaluate",
        "a growing rate past float32",
        lambda: lrdecay.evaluate(ExponentialDecay(0.1, 1, 2.0), 300, dtype=np.float32),
        V,
        r"^ExponentialDecay overflows float32 at step=\d+\.0 \(in an array of shape \(300,\)\)$",
    ),
    # -- torch adapter --------------------------------------------------------------------
    Row(
        "torch load_state_dict",
        "None",
        lambda: _load_raw(None),
        V,
        r"^Argument `state_dict` must be a dict from LRScheduler\.state_dict\(\)\. Received: state_dict=None$",
    ),
    Row(
        "torch load_state_dict",
        "last_epoch as a string",
        _state_dict(last_epoch="3"),
        T,
        r"^state_dict\['last_epoch'\] must be an int\. Received: '3' of type str$",
    ),
    Row(
        "torch load_state_dict",
        "last_epoch=True",
        _state_dict(last_epoch=True),
        T,
        r"^state_dict\['last_epoch'\] must be an int\. Received: True of type bool$",
    ),
    Row(
        "torch load_state_dict",
        "last_epoch=-5",
        _state_dict(last_epoch=-5),
        V,
        r"^state_dict\['last_epoch'\] must be >= -1\. Received: -5$",
    ),
    Row(
        "torch load_state_dict",
        "last_epoch=10**400 (a growing schedule)",
        _state_dict(last_epoch=10**400, schedules=[lrdecay.serialize(ExponentialDecay(0.1, 10, 1.5))]),
        V,
        r"^ExponentialDecay overflows float64 at step=1000+\.\.\.0+ \(401 digits\)$",
    ),
    Row(
        "torch load_state_dict",
        "two schedules for one param group",
        _state_dict(schedules=[_ser(GOOD), _ser(GOOD)]),
        V,
        r"^Argument `schedule` must have one schedule per param group \(1\)\. Received: 2 schedules$",
    ),
    Row(
        "torch load_state_dict",
        "schedules as a string",
        _state_dict(schedules="ExponentialDecay"),
        T,
        r"^state_dict\['schedules'\] must be a list of serialized schedules\. Received: 'ExponentialDecay' of type str$",
    ),
    Row(
        "torch load_state_dict",
        "a schedule nested 10,000 deep",
        _state_dict(schedules=[_nested(10_000)]),
        V,
        r"^A serialized schedule is nested more than 100 deep",
    ),
    # -- Keras adapter --------------------------------------------------------------------
    Row(
        "Keras from_config",
        "an empty config",
        _keras_from_config({}),
        V,
        r"^KerasSchedule\.from_config expects \{'schedule': <a serialized lrdecay schedule>\}\. Received: config=\{\}$",
    ),
    Row(
        "Keras from_config",
        "an extra key",
        _keras_from_config({"schedule": _ser(GOOD), "x": 1}),
        V,
        r"^KerasSchedule\.from_config expects .* Received: config=\{'schedule': \{.*\}, 'x': 1\}$",
    ),
    Row(
        "Keras from_config",
        "a number as the schedule",
        _keras_from_config({"schedule": 5}),
        T,
        r"^KerasSchedule's config\['schedule'\] must be a serialized lrdecay schedule \(a dict\)\. Received: 5 of type int$",
    ),
    Row(
        "Keras from_config",
        "a config that contains itself",
        _keras_from_config({"schedule": _self_referencing()}),
        V,
        r"^A serialized schedule contains itself",
    ),
    Row(
        "Keras deserialize",
        "a schedule nested 10,000 deep",
        _keras_deserialize({"schedule": _nested(10_000)}),
        V,
        r"nested more than 100 deep",
    ),
]


def _load_raw(state: Any) -> Any:
    torch = pytest.importorskip("torch")
    from lrdecay.torch import LRScheduler

    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    return LRScheduler(opt, ExponentialDecay(0.1, 10, 0.5)).load_state_dict(state)


#: Spec files: (what, file name, content, error, pattern); `{path}` in the pattern is the file.
FILES = [
    (
        "a 5 MB JSON file",
        "big.json",
        lambda: b'{"class_name": "' + b"x" * 5 * MILLION + b'"}',
        V,
        r"^{path}: larger than the 1000000 bytes accepted for a spec file\.$",
    ),
    (
        "JSON nested 100,000 deep",
        "deep.json",
        lambda: b"[" * 100_000 + b"]" * 100_000,
        V,
        r"^{path}: not valid JSON: nested too deeply\.$",
    ),
    (
        "a schedule nested 5,000 deep (JSON)",
        "deep-schedule.json",
        lambda: _nested_json(5_000).encode(),
        V,
        r"^{path}: not valid JSON: nested too deeply\.$|^{path}: A serialized schedule is nested more than 100 deep",
    ),
    (
        "YAML that contains itself (an anchor)",
        "self.yaml",
        b"&a {class_name: ExponentialDecay, config: {initial_learning_rate: *a, decay_steps: 10, decay_rate: 0.5}}",
        V,
        r"^{path}: A serialized schedule contains itself",
    ),
    (
        "YAML aliases, 9**9 items as copies",
        "laughs.yaml",
        lambda: (
            # The anchors are defined inside the config, one list holding them all.
            b"class_name: PiecewiseConstantDecay\nconfig:\n  values: [1.0]\n  boundaries: [&a0 [1, 1, 1, 1, 1, 1, 1, 1, 1], "
            + b", ".join(f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]".encode() for i in range(1, 10))
            + b"]\n"
        ),
        V,
        r"^{path}: Argument `boundaries\[0\]` must be a real number\. Received: boundaries\[0\]=\[1, 1, 1, ",
    ),
    (
        "a YAML python tag",
        "code.yaml",
        b"!!python/object/apply:os.system ['echo hacked']",
        V,
        r"^{path}: not valid YAML: could not determine a constructor for the tag 'tag:yaml\.org,2002:python/object/apply:os\.system'",
    ),
    (
        "bytes that are not UTF-8",
        "binary.json",
        b"\xff\xfe\x00{",
        V,
        r"^{path}: not UTF-8 text \(invalid start byte at byte 0\)\.$",
    ),
    (
        "a TOML file nested deep",
        "deep.toml",
        lambda: b"a = " + b"[" * 100_000 + b"]" * 100_000,
        V,
        r"^{path}: not valid TOML: ",
    ),
]


#: Messages the row tests saw (the doc test reuses them when they ran before it).
_SEEN: dict[Row, tuple[type, str]] = {}


def _message(call: Callable, tmp: Path | None = None) -> tuple[type, str]:
    try:
        call(tmp) if tmp is not None else call()
    except (ValueError, TypeError) as err:
        return type(err), str(err)
    raise AssertionError("no error raised")


@pytest.mark.parametrize("row", HOSTILE, ids=[f"{r.entry}: {r.what}" for r in HOSTILE])
def test_hostile_input_gets_a_clear_error(row):
    with pytest.raises((ValueError, TypeError)) as info:
        row.call()
    err = info.value
    assert type(err) is row.error, (type(err), err)
    message = str(err)
    _SEEN[row] = (type(err), message)
    assert re.search(row.pattern, message), message
    assert len(message) <= MAX_MESSAGE and "\n" not in message, message[:2000]


@pytest.mark.parametrize("what, name, content, error, pattern", FILES, ids=[f[0] for f in FILES])
def test_hostile_spec_files_get_a_clear_error(what, name, content, error, pattern, tmp_path):
    if name.endswith(".yaml"):
        pytest.importorskip("yaml")
    path = _file(tmp_path, name, content() if callable(content) else content)
    with pytest.raises(error) as info:
        lrdecay.parse(path)
    message = str(info.value)
    assert re.search(pattern.replace("{path}", re.escape(path)), message), message
    assert len(message) <= MAX_MESSAGE + len(path), message[:2000]


def test_a_million_boundaries_construct_in_linear_work(monkeypatch):
    """Construction does a bounded number of operations per boundary: counted, not timed.

    Every per-item Python call in validation goes through `_validate.number`; plain
    lists skip it (C-speed passes), and the sortedness check compares each neighbour
    pair once (`operator.lt` over the pairs). Counting the comparisons that the check
    makes shows it is one pass for 10**5 and for 10**6 boundaries alike.
    """
    import operator

    from lrdecay import _validate
    from lrdecay.schedules import piecewise

    counts = {"number": 0, "lt": 0}
    real_number, real_lt = _validate.number, operator.lt

    def counting_number(*args, **kwargs):
        counts["number"] += 1
        return real_number(*args, **kwargs)

    def counting_lt(a, b):
        counts["lt"] += 1
        return real_lt(a, b)

    monkeypatch.setattr(_validate, "number", counting_number)
    monkeypatch.setattr(piecewise.operator, "lt", counting_lt)
    per_size = {}
    for n in (10**5, 10**6):
        counts.update(number=0, lt=0)
        s = PiecewiseConstantDecay(list(range(n)), [1.0] * (n + 1))
        assert s(n - 0.5) == 1.0 and len(s.boundaries) == n
        per_size[n] = dict(counts)
    assert per_size[10**5] == {"number": 0, "lt": 10**5 - 1}
    assert per_size[10**6] == {"number": 0, "lt": 10**6 - 1}
    # Mixed lists (numpy scalars) take the per-item path: still one call per item.
    counts.update(number=0, lt=0)
    PiecewiseConstantDecay([np.int64(i) for i in range(1000)], [1.0] * 1001)
    assert counts["number"] == 1000
    # The million round-trips through serialize/deserialize and JSON.
    s = PiecewiseConstantDecay(list(range(MILLION)), [1.0] * (MILLION + 1))
    assert lrdecay.deserialize(json.loads(json.dumps(lrdecay.serialize(s)))) == s


def test_nothing_from_a_config_or_spec_is_executed(tmp_path, monkeypatch):
    """Names in specs and configs are looked up in the registry only: a class or
    function anywhere else is refused, whatever its name, and no import happens."""
    import sys

    marker = tmp_path / "ran"
    before = set(sys.modules)
    attempts = [
        lambda: lrdecay.parse(f"ExponentialDecay(0.1, 10, open({str(marker)!r}, 'w'))"),
        lambda: lrdecay.parse("exec('import os')"),
        lambda: lrdecay.deserialize(
            {"class_name": "Popen", "module": "subprocess", "config": {"args": ["true"]}}
        ),
        lambda: lrdecay.deserialize({"class_name": "x", "config": {}, "registered_name": "os>system"}),
        lambda: lrdecay.parse('{"class_name": "__import__", "config": {"name": "os"}}'),
    ]
    for attempt in attempts:
        with pytest.raises(ValueError, match=r"is not a schedule|not allowed|Unknown schedule class_name"):
            attempt()
    assert not marker.exists()
    assert not {"subprocess"} & (set(sys.modules) - before)


# -- the CLI: one line on stderr, exit status 2 --------------------------------------------

CLI = [
    (
        "a spec with code",
        ["values", "ExponentialDecay(0.1, 10, __import__('os'))"],
        r"^lrdecay: error: Invalid schedule spec: `__import__` is not a schedule at column 27",
    ),
    (
        "a 1 MB spec",
        ["values", "E" * MILLION],
        r"^lrdecay: error: Invalid schedule spec: 1000000 characters, more than the 10000 accepted\.$",
    ),
    (
        "10**12 steps",
        ["values", "ExponentialDecay(0.1, 10, 0.5)", "--steps", str(10**12)],
        r"^lrdecay: error: argument --steps: at most 10,000,000 steps, got 1,000,000,000,000 ",
    ),
    (
        "NaN in a spec",
        ["values", "ExponentialDecay(0.1, 10, 0.5, staircase=nan)"],
        r"^lrdecay: error: Invalid schedule spec: the name `nan` is not allowed",
    ),
    (
        "a step list with inf",
        ["values", "ExponentialDecay(0.1, 10, 0.5)", "--at", "1,inf"],
        r"^lrdecay: error: ",
    ),
    (
        "a schedule nested 10,000 deep",
        ["values", _nested_json(10_000)],
        r"^lrdecay: error: .*(nested|characters)",
    ),
]


def _run_cli(argv: list[str]) -> tuple[int, str, str]:
    from lrdecay import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("what, argv, pattern", CLI, ids=[c[0] for c in CLI])
def test_cli_hostile_input_is_one_line_and_exit_2(what, argv, pattern):
    code, _out, err = _run_cli(argv)
    assert code == 2, (code, err)
    assert err.count("\n") == 1 and len(err) <= MAX_MESSAGE + 40, err[:2000]
    assert re.search(pattern, err), err


# -- docs/reliability.md: the table, generated from the rows above -------------------------

_START, _END = "<!-- bad-inputs:start (generated by tests/test_hostile.py) -->", "<!-- bad-inputs:end -->"


def _shown(message: str) -> str:
    # Machine-dependent parts, and table syntax.
    message = re.sub(
        r"more than this machine's memory \([^)]*\)", "more than this machine's memory (…)", message
    )
    message = re.sub(r" at 0x[0-9a-f]+", "", message)
    message = message if len(message) <= 170 else message[:167] + "…"
    return message.replace("|", "\\|").replace("\n", " ")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _generated(tmp: Path) -> str:
    lines = ["| entry point | input | error | message |", "|---|---|---|---|"]
    for row in HOSTILE:
        try:
            kind, message = _SEEN[row] if row in _SEEN else _message(row.call)
        except pytest.skip.Exception:
            continue
        lines.append(f"| {row.entry} | {_cell(row.what)} | `{kind.__name__}` | {_shown(message)} |")
    for what, name, content, _error, _pattern in FILES:
        path = _file(tmp, name, content() if callable(content) else content)
        try:
            kind, message = _message(lambda p=path: lrdecay.parse(p))
        except ImportError:
            continue
        message = message.replace(path, name)
        lines.append(f"| parse (file) | {_cell(what)} | `{kind.__name__}` | {_shown(message)} |")
    for what, argv, _pattern in CLI:
        code, _out, err = _run_cli(argv)
        lines.append(f"| CLI | {_cell(what)} | exit {code} | {_shown(err.strip())} |")
    lines += ["", "<details><summary>Ordinary bad arguments (tests/test_bad_inputs.py)</summary>", ""]
    lines += ["| entry point | case | error | message |", "|---|---|---|---|"]
    tables = [
        ("constructor", bad.CONSTRUCTION, lambda make: make()),
        ("schedule(step)", bad.CALL, lambda step: bad.SCHEDULE(step)),
        ("evaluate", bad.EVALUATE, lambda kwargs: lrdecay.evaluate(bad.SCHEDULE, **kwargs)),
    ]
    for entry, table, run in tables:
        for case_id, arg, _error, _pattern in table:
            kind, message = _message(lambda a=arg, r=run: r(a))
            lines.append(f"| {entry} | `{case_id}` | `{kind.__name__}` | {_shown(message)} |")
    lines += ["", "</details>"]
    return "\n".join(lines)


def test_the_reliability_doc_shows_the_actual_messages(tmp_path):
    """docs/reliability.md's table is what the rows above really raise (regenerate with
    LRDECAY_WRITE_DOCS=1)."""
    pytest.importorskip("torch")
    pytest.importorskip("keras")
    pytest.importorskip("yaml")
    text = DOC.read_text(encoding="utf-8")
    assert _START in text and _END in text, f"{DOC} lost its generated-table markers"
    head, rest = text.split(_START, 1)
    current, tail = rest.split(_END, 1)
    table = _generated(tmp_path)
    if os.environ.get("LRDECAY_WRITE_DOCS") == "1":
        DOC.write_text(f"{head}{_START}\n{table}\n{_END}{tail}", encoding="utf-8")
        return
    assert current.strip() == table.strip(), (
        "docs/reliability.md's table of bad inputs differs from the messages the tests see: "
        "run LRDECAY_WRITE_DOCS=1 pytest tests/test_hostile.py -k doc and review the diff"
    )

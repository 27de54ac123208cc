"""Fuzzing `parse` and `deserialize`: structured and raw input never crashes them.

Whatever the input, each returns a schedule (which then round-trips and evaluates) or
raises ValueError/TypeError with a bounded, one-paragraph message; never RecursionError,
MemoryError, KeyError, AttributeError, a hang, or code run from the input. (OSError only
for a spec that names a file.)

Structured inputs are built from the real vocabulary (registered class names, v1 names,
their argument names, literals of every kind, operators, brackets), so most of them get
past the first checks and reach the constructors; raw inputs are arbitrary text and
bytes. ``make test`` runs these with the ``ci`` hypothesis profile (a few hundred
inputs); ``make fuzz`` with the ``fuzz`` profile, and tests/fuzz_atheris.py with atheris
for coverage-guided fuzzing.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lrdecay
from lrdecay import _registry, _spec

#: This many times the profile's example count: the fuzz tests are cheap per input.
SCALE = 3
FUZZ = settings(
    max_examples=settings.default.max_examples * SCALE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
MAX_MESSAGE = 2000

NAMES = _registry.names()
V1 = sorted(_spec.v1_forms())


def _arg_names() -> list[str]:
    names = set()
    for n in NAMES:
        cls = _registry.get(n)
        if dataclasses.is_dataclass(cls):
            names.update(f.name for f in dataclasses.fields(cls))
    return [*sorted(names), "global_step", "x", "__class__", "step"]


ARGS = _arg_names()

numbers_text = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        ["1e400", "-1e400", "10" + "0" * 400, "2**64", "nan", "inf", "0x10", "1_000", "-0.0", "1e-320"]
    ),
)
literal_text = st.one_of(
    numbers_text,
    st.sampled_from(["True", "False", "None", "true", "null", "'a'", '"x"', "b'x'", "[]", "()", "{}", "..."]),
    st.text(max_size=8).map(repr),
)


def _call_text(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    name = st.one_of(
        st.sampled_from(NAMES + V1), st.sampled_from(["__import__", "eval", "os.system", "lambda"])
    )
    arg = st.one_of(inner, st.builds(lambda k, val: f"{k}={val}", st.sampled_from(ARGS), inner))
    lists = st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
    return st.builds(
        lambda n, args, extra: f"{n}({', '.join(args)}){extra}",
        name,
        st.lists(st.one_of(arg, lists), max_size=6),
        st.sampled_from(["", "", " + 0.1", " * 2", " * CosineDecay(0.1, 10)", ")", ".x", " if 1 else 0"]),
    )


spec_text = st.recursive(literal_text, _call_text, max_leaves=12)


def _outcome(call):
    """A Schedule, or the error it raised; anything else fails the test."""
    try:
        return call()
    except (ValueError, TypeError) as err:
        message = str(err)
        assert len(message) <= MAX_MESSAGE, message[:3000]
        return err


def _check_schedule(s) -> None:
    assert isinstance(s, lrdecay.Schedule)
    again = lrdecay.deserialize(json.loads(json.dumps(lrdecay.serialize(s))))
    assert again == s
    assert lrdecay.parse(repr(s)) == s
    for step in (0, 1, 1000, 2**40):
        try:
            value = s(step)
        except ValueError as err:
            value = 0.0 if "overflows" in str(err) else math.nan  # only overflow may refuse a step
        assert math.isfinite(value), (s, step)


def _parse(text: str):
    looks_like_file = (
        "(" not in text
        and "\n" not in text
        and (text.strip().lower().endswith(_spec._FILE_SUFFIXES) or os.path.isfile(text.strip()))
    )
    try:
        return _outcome(lambda: lrdecay.parse(text))
    except OSError:
        assert looks_like_file, text
        return None


@FUZZ
@given(spec_text)
def test_parse_structured_specs(text):
    out = _parse(text)
    if isinstance(out, lrdecay.Schedule):
        _check_schedule(out)


@FUZZ
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_parse_raw_text(text):
    out = _parse(text)
    if isinstance(out, lrdecay.Schedule):
        _check_schedule(out)


# -- deserialize: dicts built from the real class and argument names ---------------------

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(NAMES),
)


def _serialized(children: st.SearchStrategy) -> st.SearchStrategy:
    config = st.dictionaries(st.sampled_from(ARGS), children, max_size=6)
    real = st.sampled_from(NAMES).flatmap(
        lambda n: st.fixed_dictionaries(
            {"class_name": st.just(n), "config": st.fixed_dictionaries(_config_of(n, children))}
        )
    )
    return st.one_of(
        real,
        st.fixed_dictionaries({"class_name": st.one_of(st.sampled_from(NAMES), json_leaf), "config": config}),
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=5), children, max_size=3),
    )


def _config_of(name: str, children: st.SearchStrategy) -> dict:
    cls = _registry.get(name)
    fields = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
    return {f.name: children for f in fields}


json_values = st.recursive(json_leaf, _serialized, max_leaves=20)


@FUZZ
@given(json_values)
def test_deserialize_structured_dicts(data):
    out = _outcome(lambda: lrdecay.deserialize(data))
    if isinstance(out, lrdecay.Schedule):
        _check_schedule(out)
    # The same data as JSON text goes through parse.
    try:
        text = json.dumps(data)
    except (ValueError, TypeError):  # NaN is JSON for Python, big ints are fine
        return
    if text.startswith("{"):
        out = _outcome(lambda: lrdecay.parse(text))
        if isinstance(out, lrdecay.Schedule):
            _check_schedule(out)


@FUZZ
@given(json_values, st.sampled_from(NAMES))
def test_from_config_of_every_class(config, name):
    cls = _registry.get(name)
    out = _outcome(lambda: cls.from_config(config))
    if isinstance(out, lrdecay.Schedule):
        _check_schedule(out)


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".toml"])
@settings(
    max_examples=settings.default.max_examples, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_parse_raw_files(suffix, tmp_path, content):
    if suffix == ".yaml":
        pytest.importorskip("yaml")
    path = tmp_path / f"spec{suffix}"
    path.write_bytes(content)
    out = _outcome(lambda: lrdecay.parse(str(path)))
    if isinstance(out, lrdecay.Schedule):
        _check_schedule(out)

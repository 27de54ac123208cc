"""`lrdecay.parse`: the spec format (call strings, serialized dicts and files)."""

from __future__ import annotations

import ast
import json
import math
import sys

import pytest

import examples
import lrdecay
from lrdecay import _registry
from lrdecay._spec import MAX_DEPTH, MAX_LENGTH, short_form, v1_forms
from lrdecay.compat import v1

# -- every example of tests/examples.py round-trips ------------------------------------


@pytest.mark.parametrize("schedule", examples.params())
def test_repr_round_trips(schedule):
    parsed = lrdecay.parse(repr(schedule))
    assert parsed == schedule
    assert type(parsed) is type(schedule)
    assert repr(parsed) == repr(schedule)
    # Equal configs mean equal values; check a few steps anyway.
    for step in (0, 7, 10, 11, 49, 50, 1000):
        assert parsed(step) == schedule(step)


@pytest.mark.parametrize("schedule", examples.params())
def test_short_form_and_serialized_forms_round_trip(schedule):
    assert lrdecay.parse(short_form(schedule)) == schedule
    data = lrdecay.serialize(schedule)
    assert lrdecay.parse(data) == schedule
    assert lrdecay.parse(json.dumps(data)) == schedule
    assert lrdecay.parse(schedule) is schedule


def test_short_form_is_compact():
    s = lrdecay.PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001])
    assert short_form(s) == "PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001])"
    assert short_form(lrdecay.CosineDecay(1.0, 10)) == "CosineDecay(1.0, 10)"


def test_keywords_positionals_and_layout():
    expected = lrdecay.ExponentialDecay(0.6, 10, 0.6, staircase=True)
    for text in (
        "ExponentialDecay(0.6, decay_steps=10, decay_rate=0.6, staircase=True)",
        "ExponentialDecay(0.6, 10, 0.6, True)",
        "ExponentialDecay(staircase=True, decay_rate=0.6, decay_steps=10, initial_learning_rate=0.6)",
        "\n  ExponentialDecay(\n    0.6,\n    10,\n    0.6,\n    staircase=True,\n  )\n",
        "ExponentialDecay(6e-1, 1_0, .6, staircase=True)",
    ):
        assert lrdecay.parse(text) == expected, text


def test_negative_numbers_are_literals():
    s = lrdecay.parse("PiecewiseConstantDecay([-10, -2.5, 0], [1, 2, 3, 4])")
    assert s.boundaries == (-10, -2.5, 0)


# -- the v1 names --------------------------------------------------------------------------

V1_PAIRS = [
    ("exponential_decay(0.6, 10, 0.6, staircase=True)", lrdecay.ExponentialDecay(0.6, 10, 0.6, True)),
    ("exponential_decay(0.6, 10, 0.6)", lrdecay.ExponentialDecay(0.6, 10, 0.6)),
    (
        "piecewise_constant([10, 20], [0.1, 0.01, 0.001])",
        lrdecay.PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001]),
    ),
    (
        "piecewise_constant_decay([10, 20], [0.1, 0.01, 0.001], name='pc')",
        lrdecay.PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001], name="pc"),
    ),
    (
        "polynomial_decay(0.1, 10, 0.01, power=1.0, cycle=True)",
        lrdecay.PolynomialDecay(0.1, 10, 0.01, 1.0, True),
    ),
    ("polynomial_decay(0.1, 10)", lrdecay.PolynomialDecay(0.1, 10)),
    ("natural_exp_decay(0.6, 10, 0.6, True)", lrdecay.NaturalExpDecay(0.6, 10, 0.6, staircase=True)),
    ("inverse_time_decay(0.1, 10, 0.2)", lrdecay.InverseTimeDecay(0.1, 10, 0.2)),
    ("cosine_decay(0.3, 50, alpha=0.01)", lrdecay.CosineDecay(0.3, 50, alpha=0.01)),
    (
        "cosine_decay_restarts(0.3, 10, t_mul=1.5, m_mul=0.8, alpha=0.011)",
        lrdecay.CosineDecayRestarts(0.3, 10, t_mul=1.5, m_mul=0.8, alpha=0.011),
    ),
    (
        "linear_cosine_decay(0.3, 50, 3.0, 0.0, 0.2)",
        lrdecay.LinearCosineDecay(0.3, 50, num_periods=3.0, alpha=0.0, beta=0.2),
    ),
    (
        # v1's noisy function has no seed: the class's seed 0.
        "noisy_linear_cosine_decay(0.1, 50, 0.01, 0.1, 0.2, 0.5, 0.2)",
        lrdecay.NoisyLinearCosineDecay(0.1, 50, 0.01, 0.1, 0.2, 0.5, 0.2, seed=0),
    ),
    (
        # tensorflow/tpu's function takes the step FIRST; without it the rest keeps its order.
        "cosine_learning_rate_with_linear_warmup(0.08, 0.0067, 500, 22500)",
        lrdecay.CosineDecayWithLinearWarmup(0.08, 0.0067, 500, 22500),
    ),
    (
        "exponential_decay(learning_rate=0.6, decay_steps=10, decay_rate=0.6)",
        lrdecay.ExponentialDecay(0.6, 10, 0.6),
    ),
]


@pytest.mark.parametrize(("text", "expected"), V1_PAIRS, ids=[p[0] for p in V1_PAIRS])
def test_v1_names_equal_the_class_forms(text, expected):
    parsed = lrdecay.parse(text)
    assert parsed == expected
    assert type(parsed) is type(expected)


def test_v1_names_cover_every_v1_function_and_match_calling_it():
    functions = {n for n in v1.__all__ if n != "DecayedLearningRate"}
    assert set(v1_forms()) == functions
    assert {t.split("(")[0] for t, _ in V1_PAIRS} == functions
    # The spec form is the v1 function called with the step put back in.
    assert lrdecay.parse("exponential_decay(0.6, 10, 0.6, staircase=True)") == (
        v1.exponential_decay(0.6, 5, 10, 0.6, staircase=True).schedule
    )
    assert lrdecay.parse("cosine_learning_rate_with_linear_warmup(0.08, 0.0067, 500, 22500)") == (
        v1.cosine_learning_rate_with_linear_warmup(5, 0.08, 0.0067, 500, 22500).schedule
    )
    assert (
        lrdecay.parse("piecewise_constant([1], [2.0, 1.0])")
        == v1.piecewise_constant(3, [1], [2.0, 1.0]).schedule
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "exponential_decay(0.6, global_step=3, decay_steps=10, decay_rate=0.6)",
            "takes no step: remove `global_step`",
        ),
        ("piecewise_constant(x=3, boundaries=[1], values=[1.0, 0.5])", "takes no step: remove `x`"),
        ("exponential_decay(0.6, 10)", "missing a required argument: 'decay_rate'"),
        ("noisy_linear_cosine_decay(0.1, 50, seed=3)", "unexpected keyword argument 'seed'"),
        ("ExponentialDecay(0.6, 10)", "missing a required argument: 'decay_rate'"),
        ("ExponentialDecay(0.6, 10, 0.6, bogus=1)", "unexpected keyword argument 'bogus'"),
        ("ExponentialDecay(0.6, 10, 0.6, False, None, 7)", "too many positional arguments"),
        ("ExponentialDecay(0.6, 0, 0.6)", "Argument `decay_steps` must be > 0. Received: decay_steps=0"),
        ("ExponentialDecay(0.6, 10, 0.6, staircase='yes')", "Argument `staircase` must be a bool"),
        ("PiecewiseConstantDecay([20, 10], [1, 2, 3])", "must be strictly increasing"),
        (
            "ExponentialDecay(0.6, decay_steps=1, decay_steps=2, decay_rate=0.6)",
            "`decay_steps` is given twice",
        ),
    ],
)
def test_bad_arguments_name_the_argument(text, fragment):
    with pytest.raises(ValueError, match=r"^Invalid schedule spec") as info:
        lrdecay.parse(text)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_unknown_name_suggests_the_close_one():
    with pytest.raises(
        ValueError, match=r"`Exponentialdecay` is not a schedule \(did you mean `ExponentialDecay`\?\)"
    ):
        lrdecay.parse("Exponentialdecay(0.6, 10, 0.6)")
    with pytest.raises(ValueError, match=r"Known: Clip, .*CosineDecay, .*exponential_decay"):
        lrdecay.parse("Schedule()")


# -- hostile strings: refused, pointing at the part, nothing evaluated --------------------

HOSTILE = [
    # (spec, text the message quotes, words in the message)
    ("__import__('os').system('touch {sentinel}')", ".system(", "attribute access"),
    ("ExponentialDecay(0.1, 10, __import__('os'))", "__import__", "is not a schedule"),
    ("open('{sentinel}', 'w')", "open", "is not a schedule"),
    ("eval(\"open('{sentinel}', 'w')\")", "eval", "is not a schedule"),
    ("exec(\"open('{sentinel}', 'w')\")", "exec", "is not a schedule"),
    ("ExponentialDecay(0.1, 10, 0.5).__class__", ".__class__", "attribute access"),
    ("ExponentialDecay.__init__.__globals__", ".__init__", "attribute access"),
    ("().__class__.__bases__[0].__subclasses__()", ".__class__", "attribute access"),
    ("getattr(ExponentialDecay, '__init__')", "getattr", "is not a schedule"),
    ("__builtins__['eval']('1')", "__builtins__['eval']", "not a schedule name"),
    ("ExponentialDecay(0.1, 10, decay)", "decay", "the name `decay` is not allowed"),
    ("ExponentialDecay(0.1, 10, 0.5, staircase=true)", "true", "with a capital"),
    ("ExponentialDecay(0.1, 10, lambda: 0.5)", "lambda", "`lambda` is not allowed"),
    ("ExponentialDecay(0.1, 10, [x for x in (1,)])", "for", "`for` is not allowed"),
    ("ExponentialDecay(0.1, 10, f'{0.5}')", "f'{0.5}'", "f-string"),
    ("ExponentialDecay(*[0.1, 10, 0.5])", "*[0.1, 10, 0.5]", "`*` unpacking"),
    ("ExponentialDecay(0.1, 10, **{'decay_rate': 0.5})", "**{'decay_rate'", "`**`"),
    ("ExponentialDecay(0.1, 10, (x := 0.5))", ":= 0.5))", "`:=`"),
    ("ExponentialDecay(0.1, 10, 0.5 if True else 1)", "if", "`if` is not allowed"),
    ("ExponentialDecay(1e999, 10, 0.5)", "1e999", "not finite"),
    ("ExponentialDecay(-1e999, 10, 0.5)", "1e999", "not finite"),
    ("ExponentialDecay(10**10000, 10, 0.5)", "**10000", "`**` is not allowed"),
    # `+` and `*` join schedules; between numbers they would be evaluating code.
    ("ExponentialDecay(1e308 * 10, 10, 0.5)", "1e308 * 10", "arithmetic between numbers"),
    ("ExponentialDecay(0.1 + 0.2, 10, 0.5)", "0.1 + 0.2", "arithmetic between numbers"),
    ("ExponentialDecay(--0.1, 10, 0.5)", "--0.1", "only allowed directly before a number"),
    ("CosineDecay(1.0, 10) - - 1", "- - 1", "only allowed directly before a number or a schedule call"),
    ("- (CosineDecay(1.0, 10))", "- (CosineDecay", "only allowed directly before a number"),
    ("1 - 2", "1 - 2", "arithmetic between numbers"),
    ("-0.5", "-0.5", "a spec is a call"),
    ("ExponentialDecay(-True, 10, 0.5)", "-True", "only allowed directly before a number"),
    ("ExponentialDecay(0.1, 10, 1j)", "1j", "complex"),
    ("ExponentialDecay(0.1, 10, b'x')", "b'x'", "bytes"),
    ("ExponentialDecay(0.1, 10, ...)", "...", "not allowed"),
    ("ExponentialDecay(0.1, 10, {'a': 1})", "{'a': 1}", "a dict is not allowed"),
    ("ExponentialDecay(0.1, 10, {1})", "{1}", "a set is not allowed"),
    ("ExponentialDecay[0]", "ExponentialDecay[0]", "indexing"),
    ("ExponentialDecay(0.1, 10, 0.5)(3)", "ExponentialDecay(0.1, 10, 0.5)", "not a schedule name"),
    ("ExponentialDecay(0.1, 10, not 0.5)", "not", "`not` is not allowed"),
    ("ExponentialDecay(0.1, 10, 0.5) or 1", "or", "`or` is not allowed"),
    ("ExponentialDecay(0.1, 10, 9" + "9" * 5000 + ")", "ExponentialDecay(0.1", "integer string conversion"),
    ("ExponentialDecay(0.1, 10", "(0.1, 10", "never closed"),
    ("0.5", "0.5", "a spec is a call"),
    ("ExponentialDecay", "ExponentialDecay", "a spec is a call"),
]


@pytest.mark.parametrize(("template", "quoted", "words"), HOSTILE, ids=[h[0][:60] for h in HOSTILE])
def test_hostile_specs_are_refused_and_nothing_runs(tmp_path, template, quoted, words):
    sentinel = tmp_path / "pwned"
    text = template.replace("{sentinel}", str(sentinel))
    with pytest.raises(ValueError, match=r"^Invalid schedule spec") as info:
        lrdecay.parse(text)
    message = str(info.value)
    assert words in message
    assert f"`{quoted}" in message, message  # the offending part is quoted...
    assert "column" in message  # ... with where it is
    assert not sentinel.exists()


def test_column_counts_characters_not_bytes():
    text = "ExponentialDecay(0.1, 10, 0.5, name='学习率', staircase=yes)"
    with pytest.raises(ValueError, match=rf"at column {text.index('yes') + 1}: `yes`"):
        lrdecay.parse(text)


def test_oversized_and_deep_specs_are_refused_before_ast_parse(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("ast.parse must not see this input")

    monkeypatch.setattr(ast, "parse", forbidden)
    deep_calls = "ExponentialDecay(" * 100_000 + ")" * 100_000
    megabyte = "ExponentialDecay(0.1, 10, 0.5, name='" + "a" * 1_000_000 + "')"
    too_long = "PiecewiseConstantDecay([" + "1, " * MAX_LENGTH + "], [1])"
    for text in (deep_calls, megabyte, too_long):
        with pytest.raises(ValueError, match=f"more than the {MAX_LENGTH} accepted"):
            lrdecay.parse(text)
    # Short but deep: refused by the bracket count, pointing at the bracket too many.
    deep = "ExponentialDecay(" * (MAX_DEPTH + 1) + ")" * (MAX_DEPTH + 1)
    with pytest.raises(
        ValueError, match=f"nested more than {MAX_DEPTH} deep at column {17 * MAX_DEPTH + 17}"
    ):
        lrdecay.parse(deep)
    lists = "PiecewiseConstantDecay(" + "[" * 30 + "]" * 30 + ", [1])"
    with pytest.raises(ValueError, match="nested more than"):
        lrdecay.parse(lists)
    minus = "ExponentialDecay(" + "-" * 9000 + "1, 10, 0.5)"
    with pytest.raises(ValueError, match="only allowed directly before a number"):
        lrdecay.parse(minus)
    power = "ExponentialDecay(" + "2**" * 3000 + "2, 10, 0.5)"
    with pytest.raises(ValueError, match=r"`\*\*` is not allowed"):
        lrdecay.parse(power)


def test_nesting_within_the_limit_is_fine():
    nested = "PiecewiseConstantDecay([1, 2], [0.3, 0.2, 0.1])"
    assert lrdecay.parse(nested).values == (0.3, 0.2, 0.1)


def test_nested_calls_build_nested_schedules(monkeypatch):
    # A composite registered for this test only: nested specs are read recursively.
    from examples import Scaled

    monkeypatch.setitem(_registry._CLASSES, "Scaled", Scaled)
    inner = lrdecay.CosineDecay(1.0, 10)
    s = Scaled(inner, factor=0.5)
    assert repr(s) == "Scaled(schedule=CosineDecay(initial_learning_rate=1.0, decay_steps=10), factor=0.5)"
    assert lrdecay.parse(repr(s)) == s
    assert lrdecay.parse("Scaled(cosine_decay(1.0, 10), 0.5)") == s
    assert lrdecay.parse("Scaled(Scaled(CosineDecay(1.0, 10), 2.0), 0.5)")(0) == 1.0
    with pytest.raises(ValueError, match="`Bogus` is not a schedule at column 8: `Bogus`"):
        lrdecay.parse("Scaled(Bogus(1), 0.5)")


def test_other_types():
    for bad in (3, None, b"ExponentialDecay(0.1, 10, 0.5)", ["ExponentialDecay"]):
        with pytest.raises(TypeError, match="Argument `spec` must be a string, a path, a dict"):
            lrdecay.parse(bad)
    with pytest.raises(ValueError, match="it is empty"):
        lrdecay.parse("   ")


# -- files ---------------------------------------------------------------------------------


def test_json_yaml_toml_files(tmp_path):
    yaml = pytest.importorskip("yaml")
    s = lrdecay.PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001], name="pc")
    data = lrdecay.serialize(s)
    (tmp_path / "s.json").write_text(json.dumps(data, indent=2))
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "s.YML").write_text(yaml.safe_dump(data))
    (tmp_path / "s.toml").write_text(
        "# TOML has no null: the Nones are simply left out\n"
        'module = "lrdecay"\nclass_name = "PiecewiseConstantDecay"\n\n'
        '[config]\nboundaries = [10, 20]\nvalues = [0.1, 0.01, 0.001]\nname = "pc"\n'
    )
    for name in ("s.json", "s.yaml", "s.YML", "s.toml"):
        path = tmp_path / name
        assert lrdecay.parse(str(path)) == s, name
        assert lrdecay.parse(path) == s, name  # a pathlib.Path too


def test_keras_serialized_file(tmp_path):
    keras = pytest.importorskip("keras")
    k = keras.optimizers.schedules.ExponentialDecay(0.6, decay_steps=10, decay_rate=0.6, staircase=True)
    data = keras.optimizers.schedules.serialize(k)
    (tmp_path / "keras.json").write_text(json.dumps(data))
    s = lrdecay.parse(str(tmp_path / "keras.json"))
    assert isinstance(s, lrdecay.ExponentialDecay)
    for step in (0, 9, 10, 25, 60):
        assert math.isclose(s(step), float(k(step)), rel_tol=1e-6)


def test_unreadable_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        lrdecay.parse(str(tmp_path / "missing.json"))
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(OSError, match=r"dir\.json"):
        lrdecay.parse(str(tmp_path / "dir.json"))


BAD_FILES = [
    (
        "bad.json",
        '{"class_name": "ExponentialDecay",\n "config": {,}}',
        r"bad.json: not valid JSON: .* at line 2, column 13",
    ),
    ("list.json", "[1, 2]", "expected a serialized schedule .* got list"),
    ("deep.json", "[" * 200_000 + "]" * 200_000, "deep.json"),
    ("big.json", " " * 1_100_000 + "{}", "larger than the 1000000 bytes"),
    ("spec.txt", "ExponentialDecay(0.1, 10, 0.5)", "not .json, .yaml, .yml or .toml"),
    ("wrong.toml", 'class_name = "Nope"\n[config]\n', "wrong.toml: Unknown schedule class_name='Nope'"),
    ("binary.json", b"\xff\xfe{}", "not UTF-8"),
]


@pytest.mark.parametrize(("name", "content", "match"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_contents(tmp_path, name, content, match):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(ValueError, match=match):
        lrdecay.parse(str(path))


def test_yaml_is_read_safely(tmp_path):
    pytest.importorskip("yaml")
    sentinel = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f"!!python/object/apply:os.system ['touch {sentinel}']\n")
    with pytest.raises(ValueError, match=r"evil\.yaml: not valid YAML"):
        lrdecay.parse(str(evil))
    assert not sentinel.exists()


def test_yaml_without_pyyaml_gives_the_install_hint(tmp_path, monkeypatch):
    path = tmp_path / "s.yaml"
    path.write_text("class_name: CosineDecay\nconfig: {initial_learning_rate: 1.0, decay_steps: 10}\n")
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(ImportError, match=r"pip install 'lrdecay\[yaml\]'"):
        lrdecay.parse(str(path))


def test_json_text_spec():
    text = '{"class_name": "CosineDecay", "config": {"initial_learning_rate": 1.0, "decay_steps": 10}}'
    assert lrdecay.parse(text) == lrdecay.CosineDecay(1.0, 10)
    with pytest.raises(ValueError, match=r"Invalid schedule spec \(JSON\): not valid JSON"):
        lrdecay.parse('{"class_name": ')


def test_parse_is_public_and_import_stays_light():
    import subprocess

    assert "parse" in lrdecay.__all__
    assert lrdecay.__all__ == sorted(lrdecay.__all__)
    code = (
        "import sys, lrdecay\n"
        "lrdecay.parse('ExponentialDecay(0.1, 10, 0.5)')\n"
        "heavy = [m for m in ('numpy', 'matplotlib', 'yaml') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

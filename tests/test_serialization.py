"""Configuration, serialization and value semantics of every registered schedule class.

One generic test runs over every example of tests/examples.py (they cover every registered
class and set each optional argument somewhere). Then: dictionaries written by the real
Keras 3 load and give Keras' own values, the legacy {"class_name", "config"} form, errors
that list what is accepted, and nested schedules.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json
import math
import pickle

import numpy as np
import pytest

import examples
import lrdecay
from lrdecay import _registry

STEPS = [0, 1, 2, 5, 10, 11, 99, 500, 1000, 25000]


def test_registry_holds_exactly_the_public_schedule_classes():
    public = examples.public_names()  # the Schedule subclasses in lrdecay.__all__
    assert public and _registry.names() == public
    for name in public:
        cls = _registry.get(name)
        assert cls is getattr(lrdecay, name) and issubclass(cls, lrdecay.Schedule)


def _is_json_value(value) -> bool:
    if value is None or type(value) in (bool, int, float, str):
        return not (type(value) is float and not math.isfinite(value))
    if type(value) is list:
        return all(_is_json_value(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _is_json_value(v) for k, v in value.items())
    return False


def _values(schedule):
    return [schedule(s) for s in STEPS]


@pytest.mark.parametrize("s", examples.params())
def test_config_serialize_repr_hash_pickle_immutability(s):
    cls = type(s)
    name = cls.__name__

    # get_config: exactly the constructor's parameters, in order, as JSON types.
    config = s.get_config()
    params = list(inspect.signature(cls).parameters)
    assert list(config) == params == [f.name for f in dataclasses.fields(cls)]
    assert _is_json_value(config), config

    # Through JSON text and back, then from_config: an equal schedule with equal values.
    text = json.dumps(config)
    again = cls.from_config(json.loads(text))
    assert again == s and again.get_config() == config and _values(again) == _values(s)
    assert type(again) is cls

    # serialize / deserialize (Keras 3's layout), through JSON text too.
    data = lrdecay.serialize(s)
    assert set(data) == {"module", "class_name", "config", "registered_name"}
    assert data["class_name"] == name and data["config"] == config
    back = lrdecay.deserialize(json.loads(json.dumps(data)))
    assert back == s and type(back) is cls and _values(back) == _values(s)

    # repr evaluates back to an equal schedule with `from lrdecay import *`.
    namespace: dict = {}
    exec("from lrdecay import *", namespace)
    assert eval(repr(s), namespace) == s
    infix = {lrdecay.Sum: " + ", lrdecay.Product: " * "}
    assert (infix[cls] in repr(s)) if cls in infix else repr(s).startswith(f"{name}(")

    # Equality and hashing by configuration.
    assert hash(again) == hash(s) and len({s, again, back}) == 1
    if "name" in config:
        assert s != cls.from_config({**config, "name": "other"})
    assert all(s != other for other in examples.schedules() if other is not s)

    # Pickle and deepcopy keep the value.
    for clone in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s), copy.copy(s)):
        assert clone == s and _values(clone) == _values(s)

    # Immutable: no field can be set or deleted, no attribute added.
    for field in params:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(s, field, getattr(s, field))
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(s, field)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.extra = 1
    assert s.get_config() == config  # nothing changed


@pytest.mark.parametrize("s", examples.params())
def test_config_with_defaults_only_is_minimal_and_round_trips(s):
    """Constructing from the required arguments alone; repr omits the defaults."""
    cls, name = type(s), type(s).__name__
    full = s.get_config()
    params = inspect.signature(cls).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
        # Sum(a, b), Minimum(a, b, ...): no defaults, nothing to leave out.
        assert cls(*s.schedules) == s and cls.from_config(full) == s
        return
    required = {p.name: getattr(s, p.name) for p in params if p.default is inspect.Parameter.empty}
    if cls is lrdecay.Clip:  # both bounds have defaults, but one of them is needed
        with pytest.raises(ValueError, match="Clip needs `minimum`, `maximum` or both"):
            cls(**required)
        return
    if cls is lrdecay.InverseSqrtDecay and s.warmup_steps == 0:  # the timescale is needed then
        with pytest.raises(ValueError, match="needs a timescale > 0"):
            cls(**required)
        return
    s = cls(**required)
    assert cls.from_config(s.get_config()) == s
    legacy = {k: full[k] for k in required}
    assert lrdecay.deserialize({"class_name": name, "config": legacy}) == s  # legacy form
    written = ", ".join(f"{k}={getattr(s, k)!r}" for k in required)
    assert repr(s) == f"{name}({written})"


def test_equal_values_of_different_kinds_are_equal_schedules():
    """An int and a float with the same value are the same schedule (and hash alike);
    sequences are stored as tuples so schedules are hashable."""
    a = lrdecay.ExponentialDecay(0.1, 10, 0.5)
    b = lrdecay.ExponentialDecay(0.1, 10.0, 0.5)
    assert a == b and hash(a) == hash(b)
    p = lrdecay.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    q = lrdecay.PiecewiseConstantDecay((10, 20), np.array([1.0, 0.5, 0.1]))
    assert p == q and hash(p) == hash(q)
    assert isinstance(p.boundaries, tuple) and p.get_config()["boundaries"] == [10, 20]
    # numpy scalars become Python numbers, so the config is plain JSON.
    n = lrdecay.ExponentialDecay(np.float64(0.1), np.int64(10), np.float32(0.5))
    assert _is_json_value(n.get_config()) and n == lrdecay.ExponentialDecay(0.1, 10, 0.5)
    assert lrdecay.ExponentialDecay(0.1, 10, 0.5) != lrdecay.InverseTimeDecay(0.1, 10, 0.5)


# -- dictionaries written by Keras --------------------------------------------------------


def _keras_cases():
    f64 = np.float64
    return [
        (
            "ExponentialDecay",
            dict(initial_learning_rate=f64(0.1), decay_steps=10, decay_rate=f64(0.96), staircase=True),
        ),
        (
            "ExponentialDecay",
            dict(initial_learning_rate=f64(0.05), decay_steps=f64(2.5), decay_rate=f64(0.5)),
        ),
        ("PiecewiseConstantDecay", dict(boundaries=[10, 20], values=[f64(1.0), f64(0.5), f64(0.1)])),
        (
            "PolynomialDecay",
            dict(
                initial_learning_rate=f64(0.05),
                decay_steps=10,
                end_learning_rate=f64(0.001),
                power=f64(0.5),
                cycle=True,
            ),
        ),
        # (Keras would round the default end_learning_rate=0.0001, a Python float, to
        # float32 before casting to float64; passed as float64 to compare exactly.)
        (
            "PolynomialDecay",
            dict(initial_learning_rate=f64(0.1), decay_steps=100, end_learning_rate=f64(0.0001)),
        ),
        ("InverseTimeDecay", dict(initial_learning_rate=f64(0.1), decay_steps=10, decay_rate=f64(0.96))),
        ("CosineDecay", dict(initial_learning_rate=f64(0.1), decay_steps=100, alpha=f64(0.1))),
        (
            "CosineDecay",
            dict(
                initial_learning_rate=f64(0.1),
                decay_steps=100,
                alpha=f64(0.1),
                warmup_target=f64(1.0),
                warmup_steps=f64(10),
            ),
        ),
        (
            "CosineDecayRestarts",
            dict(
                initial_learning_rate=f64(0.1),
                first_decay_steps=100,
                t_mul=f64(2.0),
                m_mul=f64(0.9),
                alpha=f64(0.05),
            ),
        ),
        ("CosineDecayRestarts", dict(initial_learning_rate=f64(1.0), first_decay_steps=7)),
    ]


@pytest.mark.parametrize("name, kwargs", _keras_cases(), ids=lambda x: x if isinstance(x, str) else "")
def test_keras_written_dicts_load_and_give_keras_values(name, kwargs):
    keras = pytest.importorskip("keras")
    tf = pytest.importorskip("tensorflow")
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    data = keras.optimizers.schedules.serialize(theirs)
    assert data["module"] == "keras.optimizers.schedules" and data["class_name"] == name
    ours = lrdecay.deserialize(json.loads(json.dumps(data)))  # as saved in a file
    assert type(ours) is getattr(lrdecay, name)
    assert ours.get_config()["name"] == data["config"]["name"]  # Keras' default names kept
    assert lrdecay.deserialize(data) == ours  # the dict as Keras returns it (numpy floats)
    steps = [0.0, 1.0, 2.0, 5.0, 9.0, 10.0, 11.0, 20.0, 21.0, 50.0, 99.0, 100.0, 110.0, 150.0, 300.0, 1000.0]
    want = np.array([float(theirs(tf.constant(s, tf.float64))) for s in steps])
    np.testing.assert_allclose(ours(np.array(steps)), want, rtol=1e-9, atol=1e-15)
    # And back: our serialization loads into Keras and gives the same values.
    back = keras.optimizers.schedules.deserialize(
        {**lrdecay.serialize(ours), "module": "keras.optimizers.schedules"}
    )
    assert back.get_config() == ours.get_config()


def test_keras_legacy_and_registered_name_forms():
    config = {
        "initial_learning_rate": 0.1,
        "decay_steps": 10,
        "decay_rate": 0.5,
        "staircase": False,
        "name": None,
    }
    want = lrdecay.ExponentialDecay(0.1, 10, 0.5)
    assert lrdecay.deserialize({"class_name": "ExponentialDecay", "config": config}) == want
    keras3 = {
        "module": "keras.optimizers.schedules",
        "class_name": "ExponentialDecay",
        "config": config,
        "registered_name": None,
    }
    assert lrdecay.deserialize(keras3) == want
    # A class registered with Keras' register_keras_serializable is written "package>Name".
    custom = {
        "module": None,
        "class_name": "MyDecay",
        "config": config,
        "registered_name": "my_pkg>ExponentialDecay",
    }
    assert lrdecay.deserialize(custom) == want


@pytest.mark.parametrize(
    "data, error, pattern",
    [
        (
            {"class_name": "NoSuchDecay", "config": {}},
            ValueError,
            r"Unknown schedule class_name='NoSuchDecay'\. Accepted: \['Clip', .*'CosineDecay', .*'PolynomialDecay', .*\]",
        ),
        (
            {
                "class_name": "ExponentialDecay",
                "config": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "bogus": 1},
            },
            ValueError,
            r"Unknown argument\(s\) \['bogus'\] for ExponentialDecay\. Accepted: \['initial_learning_rate', 'decay_steps', 'decay_rate', 'staircase', 'name'\]",
        ),
        (
            {"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1}},
            ValueError,
            r"Missing argument\(s\) \['decay_steps', 'decay_rate'\] for ExponentialDecay\. Accepted: \[",
        ),
        (
            {"class_name": "ExponentialDecay", "config": {}, "extra": 1},
            ValueError,
            r"Unknown key\(s\) \['extra'\].*Accepted: \['class_name', 'config', 'module', 'registered_name'\]",
        ),
        (
            {"config": {}},
            ValueError,
            r"must have the keys 'class_name' and 'config'\. Received keys: \['config'\]",
        ),
        ("ExponentialDecay", TypeError, r"Argument `data` must be a dict.*Received: data='ExponentialDecay'"),
        (
            {"class_name": "ExponentialDecay", "config": [1, 2]},
            TypeError,
            r"from_config expects a dict.*config=\[1, 2\]",
        ),
        (
            {
                "class_name": "ExponentialDecay",
                "config": {"initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 0.5},
            },
            ValueError,
            r"Argument `decay_steps` must be > 0\. Received: decay_steps=0",
        ),
    ],
)
def test_deserialize_errors_name_what_is_accepted(data, error, pattern):
    with pytest.raises(error, match=pattern):
        lrdecay.deserialize(data)


def test_serialize_rejects_non_schedules():
    with pytest.raises(
        TypeError, match=r"Argument `schedule` must be an lrdecay\.Schedule\. Received: schedule=0\.1"
    ):
        lrdecay.serialize(0.1)


# -- nested schedules -----------------------------------------------------------------------


@pytest.fixture
def scaled_class():
    """A registered schedule holding another schedule (the shape of later combinators)."""
    from examples import Scaled

    lrdecay.register(Scaled)
    try:
        yield Scaled
    finally:
        _registry._CLASSES.pop("Scaled", None)
    assert "Scaled" not in _registry.names()


def test_nested_schedules_serialize_and_revive(scaled_class):
    inner = lrdecay.PiecewiseConstantDecay([10], [1.0, 0.5])
    s = scaled_class(inner, factor=0.5)
    data = lrdecay.serialize(s)
    assert data["config"]["schedule"] == lrdecay.serialize(inner)  # nested, JSON-safe
    assert _is_json_value(data)
    back = lrdecay.deserialize(json.loads(json.dumps(data)))
    assert back == s and back.schedule == inner and back(11) == 0.25
    assert scaled_class.from_config(data["config"]) == s
    # revive walks lists too
    revived = _registry.revive([lrdecay.serialize(inner), 3, {"a": 1}])
    assert revived == [inner, 3, {"a": 1}]


def test_register_rejects_non_schedules():
    with pytest.raises(
        TypeError,
        match=r"Argument `cls` must be a subclass of lrdecay\.Schedule\. Received: cls=<class 'int'>",
    ):
        lrdecay.register(int)

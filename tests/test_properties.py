"""Properties of every registered schedule class, with hypothesis (tests/strategies.py).

For arbitrary valid hyperparameters and steps from 0 to 2**53 (Python ints and floats,
numpy int64/float64 scalars and arrays, torch and jax float64 tensors):

* the value is finite and inside the class's documented range;
* on each documented piece it never increases / never decreases / stays constant;
* the scalar, numpy, `evaluate` and framework paths agree to 1e-12 relative;
* `deserialize(serialize(s))` (through JSON), `from_config(get_config())` and
  `parse(repr(s))` evaluate bit-identically;
* no hidden state: the value at a step does not depend on what was evaluated before.

The example counts come from the hypothesis profile (tests/conftest.py): ``ci`` for
``make test``, ``fuzz`` for ``make fuzz``.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
import strategies as S
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import lrdecay
from lrdecay import _registry

REL = 1e-12


def test_every_registered_class_has_a_strategy():
    assert not S.missing_families(), (
        f"add entries for {S.missing_families()} to FAMILIES in tests/strategies.py"
    )
    assert sorted(S.FAMILIES) == _registry.names()  # nothing stale either


@st.composite
def schedule_and_steps(draw, size: int = 24):
    s = draw(S.schedules())
    steps = draw(st.lists(S.steps_for(s), min_size=1, max_size=size))
    return s, steps


def _value(s, step):
    """s(step), or None if the class documents that it may overflow and it does."""
    try:
        return s(step)
    except ValueError as err:
        if S.FAMILIES[type(s).__name__].may_overflow(s) and "overflows float" in str(err):
            return None
        raise


def _array(s, steps, dtype=np.float64):
    try:
        return s(np.asarray(steps, dtype=dtype))
    except ValueError as err:
        if S.FAMILIES[type(s).__name__].may_overflow(s) and "overflows float" in str(err):
            return None
        raise


def _in_range(s, value) -> bool:
    lo, hi = S.FAMILIES[type(s).__name__].bounds(s)
    slack = 1e-12 * max(abs(x) for x in (lo, hi) if math.isfinite(x)) if math.isfinite(lo + hi) else 0.0
    return lo - slack <= value <= hi + slack


@given(schedule_and_steps())
def test_values_are_finite_and_in_the_documented_range(case):
    s, steps = case
    for step in steps:
        for form in (step, float(step), np.float64(step)) + ((np.int64(step),) if step == int(step) else ()):
            v = _value(s, form)
            if v is None:
                continue
            assert type(v) is float or isinstance(v, np.floating), (s, form, type(v))
            assert math.isfinite(v), (s, form, v)
            assert _in_range(s, v), (s, form, v, S.FAMILIES[type(s).__name__].bounds(s))
    out = _array(s, steps)
    if out is not None:
        assert out.dtype == np.float64 and out.shape == (len(steps),)
        assert np.all(np.isfinite(out)), (s, steps, out)
        assert all(_in_range(s, v) for v in out.tolist()), (s, steps, out)


def _inside(piece, draw):
    lo = max(piece.lo, 0) + 0.0  # + 0.0: no -0.0 bounds
    hi = min(piece.hi, S.MAX_STEP) + 0.0
    if hi < lo:
        return []
    parts = [st.floats(float(lo), float(hi), allow_subnormal=False)]
    if math.ceil(lo) <= math.floor(hi):
        parts.append(st.integers(math.ceil(lo), math.floor(hi)))
    picks = draw(st.lists(st.one_of(parts), max_size=12))
    picks += [lo, hi, math.ceil(lo), math.floor(hi)]
    return sorted({p for p in picks if piece.contains(p) and 0 <= p <= S.MAX_STEP})


@given(S.schedules(), st.data())
def test_values_are_monotone_on_each_documented_piece(s, data):
    """Decays never increase, warmups never decrease, stairs and holds stay constant.

    Checked exactly (no tolerance) on the scalar path and on the array path.
    """
    for piece in S.FAMILIES[type(s).__name__].pieces(s):
        steps = _inside(piece, data.draw)
        if len(steps) < 2:
            continue
        scalar = [_value(s, x) for x in steps]
        array = _array(s, steps)
        for values in (scalar, None if array is None else array.tolist()):
            if values is None or None in values:
                continue
            pairs = list(zip(steps, values, strict=True))
            for (a, va), (b, vb) in itertools.pairwise(pairs):
                ok = {"down": vb <= va, "up": vb >= va, "flat": vb == va}[piece.kind]
                assert ok, f"{s!r} not {piece.kind} on {piece}: f({a!r})={va!r}, f({b!r})={vb!r}"


def _close(a, b) -> bool:
    return a == b or math.isclose(a, b, rel_tol=REL, abs_tol=1e-300)


@given(schedule_and_steps())
def test_scalar_numpy_and_evaluate_paths_agree(case):
    s, steps = case
    scalar = [_value(s, x) for x in steps]
    assume(None not in scalar)
    ints = [int(x) for x in steps if x == int(x)]
    for path, xs, got in (
        ("float64 array", steps, _array(s, steps)),
        ("int64 array", ints, _array(s, ints, dtype=np.int64)),
        ("evaluate", steps, lrdecay.evaluate(s, np.asarray(steps))),
    ):
        if got is None:
            continue
        want = [_value(s, x) for x in xs]
        bad = [(x, g, w) for x, g, w in zip(xs, got.tolist(), want, strict=True) if not _close(g, w)]
        assert not bad, f"{s!r}: (step, {path}, scalar) {bad[:5]}"
    # evaluate(s, n): the generated steps 0..n-1 give the same as the scalar path.
    n = min(64, max(int(x) for x in steps) + 2)
    got = lrdecay.evaluate(s, n).tolist()
    assert all(_close(g, _value(s, k)) for k, g in enumerate(got) if _value(s, k) is not None)


@settings(max_examples=15)
@given(schedule_and_steps(size=12))
def test_torch_float64_tensors_agree_with_the_scalar_path(case):
    torch = pytest.importorskip("torch")
    s, steps = case
    scalar = _scalars(s, steps)
    got = s(torch.tensor(steps, dtype=torch.float64))
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float64
    _agree(s, steps, got.tolist(), scalar, "torch")


@settings(max_examples=8)  # eager jax dispatch is slow: fewer examples
@given(schedule_and_steps(size=12))
def test_jax_float64_arrays_agree_with_the_scalar_path(case):
    jax = pytest.importorskip("jax")
    s, steps = case
    scalar = _scalars(s, steps)
    with jax.enable_x64(True):
        import jax.numpy as jnp

        got = s(jnp.asarray(steps, dtype=jnp.float64))
        assert got.dtype == jnp.float64
        _agree(s, steps, np.asarray(got).tolist(), scalar, "jax")


def _scalars(s, steps) -> list:
    scalar = [_value(s, x) for x in steps]
    assume(None not in scalar)  # growth past float64 at some step: nothing to compare
    return scalar


def _agree(s, steps, got, scalar, path) -> None:
    bad = [(x, g, w) for x, g, w in zip(steps, got, scalar, strict=True) if not _close(g, w)]
    assert not bad, f"{s!r}: (step, {path}, scalar) {bad[:5]}"


def _same_values(a, b, steps) -> None:
    for x in steps:
        try:
            va = a(x)
        except ValueError as err:
            with pytest.raises(ValueError, match=str(err).replace("(", r"\(").replace(")", r"\)")):
                b(x)
            continue
        vb = b(x)
        assert va == vb or (va != va and vb != vb), (a, x, va, vb)  # bit-identical
    arr = np.asarray(steps, dtype=np.float64)
    try:
        want = a(arr)
    except ValueError:
        return
    np.testing.assert_array_equal(b(arr), want)


@given(schedule_and_steps(size=12))
def test_serialize_from_config_and_parse_repr_evaluate_bit_identically(case):
    s, steps = case
    through_json = lrdecay.deserialize(json.loads(json.dumps(lrdecay.serialize(s))))
    from_config = type(s).from_config(s.get_config())
    from_repr = lrdecay.parse(repr(s))
    for other in (through_json, from_config, from_repr):
        assert type(other) is type(s) and other == s and hash(other) == hash(s)
        _same_values(s, other, steps)


@given(schedule_and_steps(size=16), st.randoms(use_true_random=False))
def test_no_hidden_state(case, rng):
    """The value at a step is the same whatever was evaluated before, on every path."""
    s, steps = case
    first = [_value(s, x) for x in steps]
    history = list(steps) * 2
    rng.shuffle(history)
    for x in history[: len(steps)]:
        _value(s, x)
        _array(s, [x, x + 1])
    lrdecay.evaluate(s, 100)
    assert [_value(s, x) for x in reversed(steps)] == first[::-1]
    fresh = type(s).from_config(s.get_config())
    assert [_value(fresh, x) for x in steps] == first
    arr1 = _array(s, steps)
    _array(s, history)
    arr2 = _array(s, steps)
    if arr1 is not None:
        np.testing.assert_array_equal(arr1, arr2)


def test_jax_without_x64_takes_large_integers_anywhere_in_a_composition():
    """Regression (found by test_resume): jax without x64 turns Python ints into int32;
    the fallback that makes such hyperparameters floats only looked at the top-level
    fields, so Join(..., boundaries=[2**31]) or a Sum holding PolynomialDecay(1.0, 2**33)
    raised ValueError on a jax array."""
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    cases = [
        lrdecay.Join([lrdecay.Constant(0.5), lrdecay.Linear(1.0, 0.0, 2**32)], boundaries=[2**31]),
        lrdecay.PolynomialDecay(1.0, 2**33, 0.0) + 0.5,
        lrdecay.Warmup(lrdecay.CosineDecay(1.0, 2**34), warmup_steps=2**31 + 7),
    ]
    steps = [0.0, 1e9, 2.0**31, 3e9]
    assert not jax.config.jax_enable_x64
    for s in cases:
        got = np.asarray(s(jnp.asarray(steps, dtype=jnp.float32)))
        np.testing.assert_allclose(got, [s(float(np.float32(k))) for k in steps], rtol=1e-5, atol=1e-6)


def test_repeat_with_a_fractional_period_at_large_steps_agrees_on_every_path():
    """Regression (found by test_scalar_numpy_and_evaluate_paths_agree): numpy computed
    step mod 0.375 as s - floor(s / p) * p, which is 0.0 at step 1.2e15 (true 0.25)."""
    s = lrdecay.Repeat(lrdecay.PolynomialDecay(0.0, 1, 1.0), period=0.375)
    steps = [1195257152386876.0, 2.0**52 + 0.5, 10.0**15 + 0.125, 7.0]
    want = [s(x) for x in steps]
    assert want[0] == lrdecay.PolynomialDecay(0.0, 1, 1.0)(0.25)
    np.testing.assert_array_equal(s(np.array(steps)), want)
    np.testing.assert_array_equal(lrdecay.evaluate(s, steps), want)

"""Every schedule on torch, jax and TensorFlow tensors: values, dtypes, shapes, compilation.

The reference is the numpy float64 evaluation (itself checked against the independent
oracle and TensorFlow elsewhere); here the question is whether the framework paths
compute the same function, also under jax.jit, tf.function and torch.compile.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import examples
import lrdecay
from lrdecay import _noise

# The shared examples of every class (tests/examples.py: every branch of the formulas),
# and the noisy schedule compared across frameworks below.
NOISY = lrdecay.NoisyLinearCosineDecay(0.1, 1000, initial_variance=0.1, seed=5)
CASES = examples.params(NOISY)

# Integer steps, with every phase boundary of CASES (ends of decays and warmups, restarts,
# boundaries, staircase steps beyond 0..39) and the steps on either side.
_EDGES = [50, 70, 90, 100, 140, 150, 175, 200, 210, 250, 300, 350, 400, 450, 500, 930, 1000, 1890, 22500]
STEPS = np.unique(
    np.concatenate([np.arange(0, 40), np.arange(40, 3000, 37), [2999]] + [[e - 1, e, e + 1] for e in _EDGES])
).astype(np.int64)
# float64 also checks far steps (in float32 a step of 12345 is already 1e-3 of a
# period of 100 away from exact, an inherent float32 artefact).
FAR_STEPS = np.array([5000, 12345, 2**31 + 7, 10**9 + 0.5])

FRAMEWORKS = ["torch", "jax", "tensorflow"]


# -- framework plumbing ------------------------------------------------------------


class _Torch:
    def __init__(self):
        self.torch = pytest.importorskip("torch")

    def tensor(self, a, dtype):
        return self.torch.as_tensor(np.asarray(a), dtype=getattr(self.torch, dtype))

    def numpy(self, t):
        assert isinstance(t, self.torch.Tensor)
        return t.detach().to(self.torch.float64).cpu().numpy()

    def dtype(self, t):
        return str(t.dtype).removeprefix("torch.")

    def compiled(self, fn):
        return self.torch.compile(fn, fullgraph=True)


class _Jax:
    def __init__(self):
        self.jax = pytest.importorskip("jax")
        self.jnp = self.jax.numpy

    def tensor(self, a, dtype):
        return self.jnp.asarray(np.asarray(a), dtype=getattr(self.jnp, dtype))

    def numpy(self, t):
        assert isinstance(t, self.jax.Array)
        return np.asarray(t.astype(self.jnp.float32), dtype=np.float64)

    def dtype(self, t):
        return str(t.dtype)

    def compiled(self, fn):
        return self.jax.jit(fn)


class _TensorFlow:
    def __init__(self):
        self.tf = pytest.importorskip("tensorflow")

    def tensor(self, a, dtype):
        return self.tf.constant(np.asarray(a), dtype=getattr(self.tf, dtype))

    def numpy(self, t):
        assert isinstance(t, self.tf.Tensor)
        return self.tf.cast(t, self.tf.float64).numpy()

    def dtype(self, t):
        return t.dtype.name

    def compiled(self, fn):
        return self.tf.function(fn, jit_compile=False)


_MAKERS = {"torch": _Torch, "jax": _Jax, "tensorflow": _TensorFlow}


@pytest.fixture(params=FRAMEWORKS)
def fw(request):
    return _MAKERS[request.param]()


def _scale(ref):
    return float(np.max(np.abs(ref)))


# -- values ------------------------------------------------------------------------


@pytest.mark.parametrize("sched", CASES)
def test_float32_tensors_match_numpy_float64(fw, sched):
    ref = sched(STEPS.astype(np.float64))
    out = sched(fw.tensor(STEPS, "float32"))
    assert fw.dtype(out) == "float32"
    # float32 tolerance: the step / period ratio (up to 30 here) is rounded to 24 bits,
    # so allow 1e-5 of the schedule's largest value; an off-by-one step or a wrong
    # branch moves these schedules by far more (>= 1e-4 of the peak).
    np.testing.assert_allclose(fw.numpy(out), ref, rtol=1e-5, atol=1e-5 * _scale(ref))


def _scalar_or_inf(sched, step):
    try:
        return sched(step)
    except ValueError:
        return np.inf


@pytest.mark.parametrize("sched", CASES)
@pytest.mark.parametrize("framework", ["torch", "tensorflow"])
def test_float64_tensors_match_numpy_float64(framework, sched):
    fw = _MAKERS[framework]()
    steps = np.concatenate([STEPS, FAR_STEPS])
    # A growing schedule overflows far out: numpy refuses it (ValueError), tensors (not
    # inspected) hold inf there; the reference is the scalar values, inf where they refuse.
    ref = np.array([_scalar_or_inf(sched, k) for k in steps.astype(np.float64).tolist()])
    out = sched(fw.tensor(steps, "float64"))
    assert fw.dtype(out) == "float64"
    np.testing.assert_allclose(fw.numpy(out), ref, rtol=1e-12, atol=1e-15)


def test_jax_float64_under_x64_matches_numpy():
    jax = pytest.importorskip("jax")
    with jax.enable_x64(True):
        for case in CASES:
            sched = case.values[0]
            x = jax.numpy.asarray(STEPS)  # int64 under x64: computed in float64
            out = sched(x)
            assert out.dtype == jax.numpy.float64, case.id
            np.testing.assert_allclose(
                np.asarray(out), sched(STEPS.astype(np.float64)), rtol=1e-12, atol=1e-15, err_msg=case.id
            )


@pytest.mark.parametrize("sched", CASES)
def test_compiled_equals_eager(fw, sched):
    """jax.jit, tf.function, torch.compile (inductor, fullgraph): 1e-6 relative in float32."""
    if isinstance(fw, _Torch):
        import torch._dynamo.testing  # binds `torch`, the module fw.torch is

        torch._dynamo.reset()  # a fresh cache per schedule: no silent fallback to eager
        counter = torch._dynamo.testing.CompileCounterWithBackend("inductor")
        compiled = torch.compile(lambda s: sched(s), backend=counter, fullgraph=True)
    else:
        counter = None
        compiled = fw.compiled(lambda s: sched(s))
    x = fw.tensor(STEPS, "float32")
    eager = fw.numpy(sched(x))
    if isinstance(fw, _TensorFlow):
        # Grappler's constant folding reassociates float32 arithmetic (x / c becomes
        # x * (1 / c), constants are pushed through products); without it the graph is
        # the eager computation. Its effect with the defaults is checked separately.
        tf = fw.tf
        saved = tf.config.optimizer.get_experimental_options()
        tf.config.optimizer.set_experimental_options({"constant_folding": False})
        try:
            got = fw.numpy(compiled(x))
        finally:
            tf.config.optimizer.set_experimental_options(
                {"constant_folding": saved.get("constant_folding", True)}
            )
    else:
        got = fw.numpy(compiled(x))
    if counter is not None:
        assert counter.frame_count == 1  # really compiled, in one graph
    np.testing.assert_allclose(got, eager, rtol=1e-6, atol=1e-6 * _scale(eager))


@pytest.mark.parametrize("sched", CASES)
def test_tf_function_with_default_grappler_is_float32_accurate(sched):
    fw = _TensorFlow()
    got = fw.numpy(fw.tf.function(lambda s: sched(s))(fw.tensor(STEPS, "float32")))
    ref = sched(STEPS.astype(np.float64))
    # The same float32 tolerance as the eager parity test: the restarts schedules are
    # the only ones where the reassociation is visible (up to 7e-6 of the peak).
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5 * _scale(ref))


# -- dtypes, shapes, kinds ---------------------------------------------------------


@pytest.mark.parametrize(
    "dtype, expected",
    [
        ("float32", "float32"),
        ("float16", "float16"),
        ("bfloat16", "bfloat16"),
        ("int32", "float32"),
        ("int64", "float32"),
        ("uint8", "float32"),
    ],
)
def test_result_dtype(fw, dtype, expected):
    if isinstance(fw, _Jax) and dtype == "int64":
        dtype = "int32"  # jax without x64 has no int64
    sched = lrdecay.CosineDecay(1.0, 100)
    out = sched(fw.tensor([0, 25, 50, 100], dtype))
    assert fw.dtype(out) == expected
    np.testing.assert_allclose(fw.numpy(out), [1.0, 0.8535534, 0.5, 0.0], rtol=1e-2, atol=1e-3)


@pytest.mark.parametrize("shape", [(), (3, 4), (2, 1, 3)])
def test_shape_preserved_also_for_constant_schedules(fw, shape):
    steps = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape) * 7
    for sched in (
        lrdecay.PiecewiseConstantDecay([], [0.3]),
        lrdecay.CosineDecay(0.1, 1000, alpha=0.1),
        lrdecay.ExponentialDecay(0.5, 10, 1.0),
    ):
        out = sched(fw.tensor(steps, "float32"))
        assert tuple(out.shape) == shape
        np.testing.assert_allclose(fw.numpy(out), sched(steps.astype(np.float64)), rtol=1e-6)


def test_int32_steps_are_cast_before_dividing(fw):
    # 2e9 steps fit int32; integer arithmetic anywhere would overflow or truncate.
    sched = lrdecay.CosineDecay(1.0, decay_steps=4_000_000_000)
    out = fw.numpy(sched(fw.tensor([2_000_000_000, 1_000_000_000], "int32")))
    np.testing.assert_allclose(out, [0.5, 0.5 * (1 + np.cos(np.pi / 4))], rtol=1e-6)


def test_bool_tensor_is_refused(fw):
    with pytest.raises(TypeError, match="step"):
        lrdecay.CosineDecay(1.0, 10)(fw.tensor([True, False], "bool"))


def test_ops_for_ignores_other_objects():
    from lrdecay import _frameworks

    assert _frameworks.ops_for(object()) is None
    assert _frameworks.ops_for("3") is None


def test_import_lrdecay_imports_no_framework():
    code = (
        "import sys, lrdecay; lrdecay.CosineDecay(1.0, 10)(3);"
        "bad = [m for m in ('torch', 'jax', 'tensorflow', 'keras', 'array_api_compat',"
        " 'lrdecay.torch', 'lrdecay.keras', 'lrdecay.jax', 'lrdecay._frameworks')"
        " if m in sys.modules]; print(bad); assert not bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# -- noise: the same hash in every framework --------------------------------------


def test_normal_is_the_numpy_hash_in_every_framework(fw):
    from lrdecay import _frameworks

    steps = np.array([0, 1, 2, 3, 17, 1000, 65535, 65536, 123457, 16_777_215], dtype=np.float64)
    expected = _noise.normal_numpy(11, steps)
    # Different steps give different draws (the comparison below is not trivial).
    assert len(np.unique(np.round(expected, 6))) == len(steps)
    x = fw.tensor(steps, "float32")
    ops = _frameworks.ops_for(x)
    got = fw.numpy(ops.normal(11, x))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("framework", ["torch", "tensorflow"])
def test_normal_uses_both_32_bit_halves_of_the_step(framework):
    from lrdecay import _frameworks

    fw = _MAKERS[framework]()
    steps = np.array([2.0**32, 2.0**32 + 5, 2.0**40 + 3, 3 * 2.0**44 + 12345, 2.0**53 - 1])
    x = fw.tensor(steps, "float64")
    got = fw.numpy(_frameworks.ops_for(x).normal(3, x))
    np.testing.assert_allclose(got, _noise.normal_numpy(3, steps), rtol=1e-13)
    scalar = [_noise.normal_scalar(3, float(k)) for k in steps]
    np.testing.assert_allclose(got, scalar, rtol=1e-13)


def test_noisy_schedule_agrees_across_frameworks():
    torch = pytest.importorskip("torch")
    jnp = pytest.importorskip("jax.numpy")
    tf = pytest.importorskip("tensorflow")
    sched = NOISY
    steps = np.arange(0, 1200, 3)
    ref = sched(steps)
    outs = {
        "torch": sched(torch.as_tensor(steps, dtype=torch.float32)).numpy(),
        "jax": np.asarray(sched(jnp.asarray(steps, dtype=jnp.float32))),
        "tensorflow": sched(tf.constant(steps, tf.float32)).numpy(),
    }
    # The noise is visible (not a smooth curve) and identical up to float32 rounding.
    smooth = lrdecay.LinearCosineDecay(0.1, 1000, num_periods=0.5)(steps)
    assert np.max(np.abs(ref - smooth)) > 1e-3
    for name, out in outs.items():
        np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-7, err_msg=name)

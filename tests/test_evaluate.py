"""lrdecay.evaluate: the same values as the scalar and numpy paths, on every fast path.

Chunking and threads are forced on small arrays by shrinking ``CHUNK_BYTES`` and
``MIN_PER_THREAD`` (monkeypatched), so that sizes that are not a multiple of the chunk,
the thread split, empty and 0-d inputs are all exercised. The reference values come
from the scalar path (``math``, one step at a time), which shares no array code with
evaluate.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import examples
import lrdecay
from lrdecay import _chunks

EXAMPLES = examples.params()

N = 530  # covers every example's interesting steps; not a multiple of the chunks below


def _reference(s, steps):
    """The scalar path, one Python number at a time."""
    flat = np.asarray(steps).reshape(-1)
    return np.array([s(x.item()) for x in flat], dtype=np.float64).reshape(np.shape(steps))


def _assert_float64(actual, expected):
    assert actual.dtype == np.float64
    scale = float(np.max(np.abs(expected))) if expected.size else 1.0
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15 * scale)


def _assert_float32(actual, expected):
    # float32 arithmetic throughout: a few float32 ulps of the value, and of the
    # schedule's scale where the value is near 0 (the end of a cosine).
    assert actual.dtype == np.float32
    scale = float(np.max(np.abs(expected))) if expected.size else 1.0
    np.testing.assert_allclose(actual, expected, rtol=2e-5, atol=2e-6 * scale)


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 8 float64 / 16 float32 elements, split between 3 threads from 16 up."""
    monkeypatch.setattr(_chunks, "CHUNK_BYTES", 64)
    monkeypatch.setattr(_chunks, "MIN_PER_THREAD", 16)
    monkeypatch.setattr(_chunks, "NUM_THREADS", 3)


@pytest.mark.parametrize("s", EXAMPLES)
def test_evaluate_matches_scalar_path(s):
    ref = _reference(s, np.arange(N))
    _assert_float64(lrdecay.evaluate(s, N), ref)
    _assert_float64(lrdecay.evaluate(s, np.arange(N)), ref)
    _assert_float64(lrdecay.evaluate(s, np.arange(N, dtype=np.float32)), ref)
    _assert_float32(lrdecay.evaluate(s, N, dtype=np.float32), ref)
    _assert_float32(lrdecay.evaluate(s, np.arange(N), dtype="float32"), ref)
    # Non-integer steps too.
    steps = np.arange(N) * 0.75 + 0.125
    ref = _reference(s, steps)
    _assert_float64(lrdecay.evaluate(s, steps), ref)
    _assert_float32(lrdecay.evaluate(s, steps, dtype=np.float32), ref)


@pytest.mark.parametrize("s", EXAMPLES)
def test_chunked_and_threaded_match_whole_array(s, small_chunks):
    whole = _reference(s, np.arange(N))
    for n in (0, 1, 7, 8, 9, 15, 16, 17, 47, 48, 49, N):
        _assert_float64(lrdecay.evaluate(s, n), whole[:n])
        _assert_float32(lrdecay.evaluate(s, n, dtype=np.float32), whole[:n])
        steps = np.arange(n, dtype=np.int64)
        _assert_float64(lrdecay.evaluate(s, steps), whole[:n])
        _assert_float64(s(steps.astype(np.float64)), whole[:n])  # the call path too


@pytest.mark.parametrize("s", EXAMPLES)
def test_shapes_out_and_layouts(s, small_chunks):
    grid = np.arange(0, 2 * N, 2, dtype=np.int64).reshape(5, N // 5)  # 2-D
    ref = _reference(s, grid)
    _assert_float64(lrdecay.evaluate(s, grid), ref)
    # Non-contiguous input: a transposed (Fortran-order) view and a strided slice.
    _assert_float64(lrdecay.evaluate(s, grid.T), ref.T)
    _assert_float64(lrdecay.evaluate(s, grid[:, ::3]), ref[:, ::3])
    # out= given, C-contiguous and not: filled in place and returned.
    for dtype, check in ((np.float64, _assert_float64), (np.float32, _assert_float32)):
        out = np.full(grid.shape, np.nan, dtype=dtype)
        assert lrdecay.evaluate(s, grid, dtype=dtype, out=out) is out
        check(out, ref)
        big = np.full((5, 2 * (N // 5)), np.nan, dtype=dtype)
        view = big[:, ::2]
        assert lrdecay.evaluate(s, grid, dtype=dtype, out=view) is view
        check(view, ref)
        assert np.isnan(big[:, 1::2]).all()  # nothing written between the strides
    # Empty and 0-d.
    assert lrdecay.evaluate(s, 0).shape == (0,)
    assert lrdecay.evaluate(s, np.zeros((0, 3))).shape == (0, 3)
    assert lrdecay.evaluate(s, [], dtype=np.float32).dtype == np.float32
    zero_d = lrdecay.evaluate(s, np.array(17))
    assert isinstance(zero_d, np.ndarray) and zero_d.shape == ()
    _assert_float64(zero_d, np.array(s(17)))


def test_out_may_be_the_steps_array(small_chunks):
    s = lrdecay.CosineDecay(0.1, 300)
    steps = np.arange(N, dtype=np.float64)
    ref = _reference(s, steps)
    assert lrdecay.evaluate(s, steps, out=steps) is steps
    _assert_float64(steps, ref)
    # An overlapping, shifted view: values must come from the original steps.
    buf = np.arange(N + 1, dtype=np.float64)
    lrdecay.evaluate(s, buf[:-1], out=buf[1:])
    _assert_float64(buf[1:], ref)


def test_large_steps_in_float32_come_from_exact_integers():
    # Beyond 2**24, float32 cannot hold every integer: the steps are rounded once.
    s = lrdecay.ExponentialDecay(1.0, decay_steps=2**25, decay_rate=0.5)
    steps = np.array([2**24 + 1, 2**26 + 3, 2**30 + 7, 2**40 + 11], dtype=np.int64)
    ref = np.array([0.5 ** (int(k) / 2**25) for k in steps])
    _assert_float64(lrdecay.evaluate(s, steps), ref)
    got32 = lrdecay.evaluate(s, steps, dtype=np.float32)
    np.testing.assert_allclose(got32, ref, rtol=1e-4)  # exponent ~32768: cond. number


def test_generated_float32_steps_are_exact_on_both_sides_of_2_24(monkeypatch):
    # Generated steps are made in float32 only while float32 holds every integer; past
    # 2**24 in float64. A step's parity shows a rounded step (16777217 -> 16777216).
    monkeypatch.setattr(_chunks, "CHUNK_BYTES", 4096)  # 1024 float32 steps a chunk
    monkeypatch.setattr(_chunks, "NUM_THREADS", 1)
    parity = lrdecay.Repeat(lrdecay.Linear(0.0, 1.0, 2), 2)  # 0 at even steps, 0.5 at odd
    lo, n = 2**24 - 3000, 2**24 + 3001
    got = lrdecay.evaluate(parity, n, dtype=np.float32)[lo:]
    expected = np.where(np.arange(lo, n) % 2 == 1, 0.5, 0.0).astype(np.float32)
    np.testing.assert_array_equal(got, expected)


def test_invalid_steps_are_found_in_every_chunk_and_thread(small_chunks):
    s = lrdecay.ExponentialDecay(0.1, 10, 0.5)
    for bad, where in ((-3, 0), (-3, 200), (np.nan, 41), (np.inf, N - 1), (-np.inf, 333)):
        steps = np.arange(N, dtype=np.float64)
        steps[where] = bad
        with pytest.raises(
            ValueError,
            match=r"Argument `step` must be a finite number >= 0\. "
            rf"Received: step={bad!r}.*shape \({N},\)",
        ):
            lrdecay.evaluate(s, steps)
        with pytest.raises(ValueError, match="must be a finite number >= 0"):
            s(steps)
    # The first bad step in step order is the one reported, whichever thread finds it.
    steps = np.arange(N, dtype=np.int64)
    steps[400], steps[30] = -7, -5
    with pytest.raises(ValueError, match=r"Received: step=-5 "):
        lrdecay.evaluate(s, steps)
    # Unsigned steps are all valid.
    _assert_float64(lrdecay.evaluate(s, np.arange(50, dtype=np.uint32)), _reference(s, np.arange(50)))


def test_argument_errors():
    s = lrdecay.CosineDecay(0.1, 100)
    with pytest.raises(TypeError, match=r"Argument `schedule` must be an lrdecay.Schedule"):
        lrdecay.evaluate(lambda k: 0.1, 10)
    with pytest.raises(ValueError, match=r"Argument `steps` must be >= 0. Received: steps=-1"):
        lrdecay.evaluate(s, -1)
    with pytest.raises(TypeError, match=r"Argument `step` must be a number or an array"):
        lrdecay.evaluate(s, True)
    for bad in (np.array([True, False]), np.array(["1"]), np.array([1 + 0j]), [None]):
        with pytest.raises(TypeError, match=r"Argument `step` must be a number or an array"):
            lrdecay.evaluate(s, bad)
    for dtype in (np.int64, np.float16, "complex128"):
        with pytest.raises(ValueError, match=r"Argument `dtype` must be float64 or float32"):
            lrdecay.evaluate(s, 3, dtype=dtype)
    with pytest.raises(
        ValueError,
        match=r"Argument `out` must be a float64 array of shape "
        r"\(3,\)\. Received: out of list$",
    ):
        lrdecay.evaluate(s, 3, out=[0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"Argument `out` must be a float64 array of shape \(3,\)"):
        lrdecay.evaluate(s, 3, out=np.empty(4))
    for dtype in (None, np.float64):  # dtype is float64 unless asked, whatever `out` is
        with pytest.raises(ValueError, match=r"must be a float64 array .* float32 \(3,\)$"):
            lrdecay.evaluate(s, 3, dtype=dtype, out=np.empty(3, np.float32))
    ro = np.empty(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match=r"Argument `out` must be writeable"):
        lrdecay.evaluate(s, 3, out=ro)
    with pytest.raises(ValueError, match=r"Argument `out` must be a float64 array"):
        lrdecay.evaluate(s, 3, out=np.empty(3, np.int64))


def test_numpy_integer_count_and_integer_subclasses():
    s = lrdecay.PolynomialDecay(0.1, 50)
    ref = _reference(s, np.arange(60))
    _assert_float64(lrdecay.evaluate(s, np.int64(60)), ref)
    _assert_float64(lrdecay.evaluate(s, 60), ref)


_FORK_SCRIPT = """
import math, multiprocessing, sys
import lrdecay
from lrdecay import _chunks

# Chunks of 8 elements split between 3 threads, so a 200-step curve uses the pool.
_chunks.CHUNK_BYTES, _chunks.MIN_PER_THREAD, _chunks.NUM_THREADS = 64, 16, 3
s = lrdecay.CosineDecay(0.1, 300)
lrdecay.evaluate(s, 200)  # the parent's pool now exists
assert _chunks._pool is not None

def child(queue):
    queue.put(float(lrdecay.evaluate(s, 200)[-1]))

ctx = multiprocessing.get_context("fork")
queue = ctx.Queue()
proc = ctx.Process(target=child, args=(queue,))
proc.start()
proc.join(timeout=60)
if proc.is_alive():
    proc.kill()
    sys.exit("evaluate() hung in a forked child")
assert proc.exitcode == 0, proc.exitcode
value = queue.get(timeout=5)
assert math.isclose(value, s(199), rel_tol=1e-12), (value, s(199))
print("ok")
"""


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="needs the fork start method")
def test_threads_work_in_a_forked_child():
    # The pool's threads do not survive a fork; the child must make its own pool
    # instead of queueing work to threads that do not exist (a hang). Run in a fresh
    # interpreter: forking this test process, where JAX's and TensorFlow's threads may
    # already run, could deadlock for reasons that have nothing to do with lrdecay.
    src = str(Path(lrdecay.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(
        [sys.executable, "-c", _FORK_SCRIPT], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_num_threads_environment_variable_is_checked(monkeypatch):
    monkeypatch.setenv("LRDECAY_NUM_THREADS", "0")
    with pytest.raises(
        ValueError,
        match=r"LRDECAY_NUM_THREADS must be an integer >= 1. "
        r"Received: LRDECAY_NUM_THREADS='0'",
    ):
        _chunks._default_threads()
    monkeypatch.setenv("LRDECAY_NUM_THREADS", "two")
    with pytest.raises(ValueError, match="LRDECAY_NUM_THREADS"):
        _chunks._default_threads()
    monkeypatch.setenv("LRDECAY_NUM_THREADS", "2")
    assert _chunks._default_threads() == 2
    monkeypatch.delenv("LRDECAY_NUM_THREADS")
    assert _chunks._default_threads() == min(_chunks.MAX_DEFAULT_THREADS, os.cpu_count() or 1)


def test_import_lrdecay_loads_no_array_library():
    import subprocess

    code = (
        "import sys, lrdecay; heavy = [m for m in ('numpy', 'torch', 'jax', 'tensorflow',"
        " 'keras', 'matplotlib', 'optax') if m in sys.modules]; print(heavy)"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(lrdecay.__file__).parent.parent))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"

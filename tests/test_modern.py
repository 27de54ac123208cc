"""The schedules modern training uses, against the exact oracle and the real peers.

* 1,000+ random steps per class (random hyperparameters too) against tests/reference.py
  (exact rationals and 50-digit mpmath) at 1e-12 relative, no absolute allowance;
* every phase end, milestone and cycle end at b-1, b, b+1 on Python numbers, numpy,
  torch, jax under ``jit`` and TensorFlow under ``tf.function``, in float64;
* torch's own ``OneCycleLR``, ``CyclicLR`` and ``MultiStepLR`` stepped on an SGD
  optimizer, and fairseq's / Hugging Face's formulas (written here from
  notes/modern_schedules.md), with every difference asserted.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import reference as R

import lrdecay
from lrdecay import Cyclic, InverseSqrtDecay, MultiStepDecay, OneCycle, TriStage, WarmupStableDecay
from lrdecay._steps import default_steps

EPS = 2.0**-52
SEED = 20260


def _oracle(s, step) -> float:
    return R.expected(type(s).__name__, s.get_config(), step)


def _assert_relative(s, steps, rtol=1e-12):
    """Scalar and numpy values within `rtol` of the oracle, relative (no absolute slack)."""
    want = np.array([_oracle(s, k) for k in steps])
    scalar = np.array([s(k) for k in steps])
    array = s(np.array(steps, dtype=np.float64))
    for got in (scalar, array):
        small = np.abs(want) <= 1e-300
        assert np.all(got[small] == want[small]) or np.all(np.abs(got[small]) <= 1e-300), s
        err = np.abs(got[~small] - want[~small]) / np.abs(want[~small])
        assert err.size == 0 or err.max() <= rtol, (s, np.asarray(steps)[~small][np.argmax(err)], err.max())


# -- random schedules, random steps ------------------------------------------------------


def _random_schedules(rng) -> dict[str, list]:
    def length(lo=1, hi=500):
        return int(rng.integers(lo, hi))

    def rate(lo=1e-4, hi=1.0):
        return float(rng.uniform(lo, hi))

    out: dict[str, list] = {name: [] for name in _MODERN}
    for shape in ("linear", "cosine", "1-sqrt", "exponential"):
        for _ in range(3):
            final = rate(1e-5, 1e-2) if shape == "exponential" or rng.random() < 0.5 else 0.0
            out["WarmupStableDecay"].append(
                WarmupStableDecay(rate(), length(0), length(0), length(), shape, final, rate(0, 1e-3))
            )
    for _ in range(6):
        w = length(0)
        tau = length() if w == 0 or rng.random() < 0.5 else None
        out["InverseSqrtDecay"].append(InverseSqrtDecay(rate(), w, rate(0, 1e-3), tau))
    for anneal in ("cosine", "linear"):
        for three in (False, True):
            for _ in range(2):
                n = length(20, 2000)
                pct = float(rng.uniform(0.1, 0.45))
                out["OneCycle"].append(
                    OneCycle(
                        rate(),
                        n,
                        pct,
                        anneal,
                        float(rng.uniform(2, 50)),
                        float(10 ** rng.uniform(1, 5)),
                        three,
                    )
                )
    for mode in ("triangular", "triangular2", "exp_range"):
        for _ in range(2):
            gamma = float(rng.uniform(0.99, 1.0)) if mode == "exp_range" else 1.0
            out["Cyclic"].append(Cyclic(rate(0, 0.1), rate(0.1, 1), length(), length(), mode, gamma))
    for _ in range(6):
        out["TriStage"].append(
            TriStage(rate(), length(0), length(0), length(), rate(0, 0.5), float(10 ** rng.uniform(-4, -0.1)))
        )
    for _ in range(6):
        milestones = sorted(int(m) for m in rng.integers(0, 1000, int(rng.integers(0, 6))))
        out["MultiStepDecay"].append(MultiStepDecay(rate(), milestones, rate(0, 1)))
    return out


def _horizon(s) -> int:
    """Twice the schedule's length, or five cycles."""
    if isinstance(s, Cyclic):
        return int(5 * (s.step_size_up + s.step_size_down))
    if isinstance(s, MultiStepDecay):
        return 1200
    return 2 * default_steps(s)


_MODERN = ["WarmupStableDecay", "InverseSqrtDecay", "OneCycle", "Cyclic", "TriStage", "MultiStepDecay"]


@pytest.mark.parametrize("name", _MODERN)
def test_random_steps_match_the_oracle(name):
    rng = np.random.default_rng(SEED)
    schedules = _random_schedules(rng)[name]
    assert len(schedules) >= 6
    total = 0
    for s in schedules:
        horizon = _horizon(s)
        steps = [int(k) for k in rng.integers(0, horizon, 200)]
        steps += [int(k) for k in rng.integers(0, 2**53, 10)] + [
            float(x) for x in rng.uniform(0, horizon, 20)
        ]
        _assert_relative(s, steps)
        total += len(steps)
    assert total >= 1000


@pytest.mark.parametrize("shape", ["linear", "cosine", "1-sqrt", "exponential"])
def test_last_cooldown_steps_keep_relative_precision(shape):
    """The final steps of a long cooldown to 0: 1 - x is (D - k) / D, the cosine a squared
    sine of that complement, so even a value 1e-24 of the peak is right to 1e-12."""
    final = 1e-6 if shape == "exponential" else 0.0
    d = 10**12 + 7
    s = WarmupStableDecay(1.0, 100, 1000, d, shape, final)
    end = 1100 + d
    steps = [end - k for k in (1, 2, 3, 10, 1000, 10**6)] + [1100, 1101, end - d // 2]
    _assert_relative(s, steps)
    if final == 0.0:
        assert 0.0 < s(end - 1) < 1e-6 and s(end) == 0.0


# -- boundaries in every framework -------------------------------------------------------


BOUNDARY_CASES = [
    (WarmupStableDecay(0.1, 30, 150, 70, "cosine", 0.01, 0.001), [30, 180, 250]),
    (WarmupStableDecay(0.2, 25, 100, 75, "1-sqrt", 0.002), [25, 125, 200]),
    (WarmupStableDecay(0.1, 10, 20, 40, "exponential", 0.001), [10, 30, 70]),
    (WarmupStableDecay(0.1, 10, 0, 40), [10, 50]),
    (InverseSqrtDecay(0.1, 40, 0.01, 200), [40, 240]),
    (OneCycle(0.1, 300), [89, 299, 300]),
    (OneCycle(0.1, 200, 0.25, "linear", 10.0, 100.0, True), [49, 98, 199, 200]),
    (Cyclic(0.01, 0.1, 20, 70, "triangular2"), [20, 90, 110, 180, 900]),
    (Cyclic(0.001, 0.1, 40, 25, "exp_range", 0.999), [40, 65, 105, 130]),
    (TriStage(0.1, 30, 70, 175, 0.1, 0.05), [30, 100, 275]),
    (MultiStepDecay(0.1, [0, 100, 100, 250], 0.5), [0, 100, 250]),
]


def _around(points):
    return sorted({k for b in points for k in (b - 1, b, b + 1) if k >= 0})


@pytest.mark.parametrize("s, points", BOUNDARY_CASES, ids=[repr(c[0])[:60] for c in BOUNDARY_CASES])
def test_boundaries_on_numbers_numpy_torch_jax_tf(s, points):
    steps = _around(points)
    want = np.array([_oracle(s, k) for k in steps])
    rtol = 1e-12
    np.testing.assert_allclose([s(k) for k in steps], want, rtol=rtol, atol=0)
    np.testing.assert_allclose([s(float(k)) for k in steps], want, rtol=rtol, atol=0)
    np.testing.assert_allclose(s(np.array(steps)), want, rtol=rtol, atol=0)
    torch = pytest.importorskip("torch")
    out = s(torch.tensor(steps, dtype=torch.float64))
    assert out.dtype == torch.float64
    np.testing.assert_allclose(out.numpy(), want, rtol=rtol, atol=0)
    jax = pytest.importorskip("jax")
    with jax.enable_x64(True):
        out = jax.jit(s)(jax.numpy.asarray(steps, dtype=jax.numpy.float64))
        assert out.dtype == jax.numpy.float64
        np.testing.assert_allclose(np.asarray(out), want, rtol=rtol, atol=0)
    tf = pytest.importorskip("tensorflow")
    out = tf.function(s)(tf.constant(steps, dtype=tf.float64))
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), want, rtol=rtol, atol=0)


# -- torch: the real schedulers ----------------------------------------------------------


def _torch_lrs(name, n, *args, **kwargs):
    """The lr of updates 0..n-1 under the standard loop (optimizer.step(); scheduler.step())
    of ``torch.optim.lr_scheduler.<name>(optimizer, *args, **kwargs)``, base lr 0.1."""
    torch = pytest.importorskip("torch")
    param = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([param], lr=0.1)
    sched = getattr(torch.optim.lr_scheduler, name)(opt, *args, **kwargs)
    lrs = []
    for _ in range(n):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.array(lrs), sched, opt


@pytest.mark.parametrize("three_phase", [False, True])
@pytest.mark.parametrize("anneal", ["cos", "linear"])
def test_one_cycle_equals_torch(anneal, three_phase):
    """Equal to torch's OneCycleLR within 1e-12 relative, plus torch's own rounding near the
    end of a falling phase: its ``start + (end - start) * pct`` and ``1 + cos`` cancel there,
    an absolute error of a few ulps of max_lr (measured: < 3), where lrdecay, measured from
    the phase end, matches the exact oracle to 1e-12 relative (tests/test_edges.py)."""
    rng = np.random.default_rng(SEED + three_phase + 2 * (anneal == "linear"))
    steps = 0
    for _ in range(50):
        n = int(rng.integers(20, 60))
        pct = float(rng.uniform(0.1, 0.45))
        peak, div, final_div = (
            float(rng.uniform(0.01, 1)),
            float(rng.uniform(2, 50)),
            float(10 ** rng.uniform(1, 5)),
        )
        if pct * n <= 1 or (three_phase and 2 * pct * n - 2 >= n - 1):
            continue
        want, sched, _ = _torch_lrs(
            "OneCycleLR",
            n,
            peak,
            total_steps=n,
            pct_start=pct,
            anneal_strategy=anneal,
            div_factor=div,
            final_div_factor=final_div,
            three_phase=three_phase,
            cycle_momentum=False,
        )
        s = OneCycle(peak, n, pct, "cosine" if anneal == "cos" else "linear", div, final_div, three_phase)
        got = s(np.arange(n, dtype=np.float64))
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=4 * EPS * peak)
        np.testing.assert_array_equal(got, [s(k) for k in range(n)])
        steps += n
        # Past the end: torch extrapolates the last phase at step n, then raises.
        torch_at_n = sched.get_last_lr()[0]
        low = peak / div / final_div
        assert s(n) == s(10 * n) == low == pytest.approx(want[-1], rel=1e-9)
        assert torch_at_n != pytest.approx(low, rel=1e-6)
        with pytest.raises(ValueError, match="Tried to step"):
            sched.step()
    assert steps >= 1000


@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_cyclic_equals_torch(mode):
    rng = np.random.default_rng(SEED + len(mode))
    steps = 0
    for _ in range(50):
        up, down = int(rng.integers(1, 40)), int(rng.integers(1, 40))
        base, top = float(rng.uniform(0, 0.1)), float(rng.uniform(0.1, 1))
        gamma = float(rng.uniform(0.99, 1)) if mode == "exp_range" else 1.0
        n = int(rng.integers(30, 200))
        want, _, _ = _torch_lrs("CyclicLR", n, base, top, up, down, mode, gamma, cycle_momentum=False)
        s = Cyclic(base, top, up, down, mode, gamma)
        np.testing.assert_allclose(s(np.arange(n, dtype=np.float64)), want, rtol=1e-12, atol=0)
        np.testing.assert_allclose([s(k) for k in range(n)], want, rtol=1e-12, atol=0)
        steps += n
    assert steps >= 1000


def test_cyclic_position_stays_exact_where_torch_loses_bits():
    """torch's position ``1 + k / T - cycle`` keeps fewer bits as k grows: after ~10**4
    cycles of T = 3 it is off by ~1e-12 of the amplitude; lrdecay's remainder is exact."""
    n = 30_000
    want, _, _ = _torch_lrs("CyclicLR", n, 0.0, 1.0, 2, 1, cycle_momentum=False)
    s = Cyclic(0.0, 1.0, 2, 1)
    steps = np.arange(n)
    exact = np.array([R.cyclic(0.0, 1.0, 2, 1, step=int(k)) for k in steps])
    ours = s(steps.astype(np.float64))
    assert np.max(np.abs(ours - exact)) <= EPS
    assert np.max(np.abs(want - exact)) > 100 * EPS  # torch's rounding, not ours
    np.testing.assert_allclose(ours, want, rtol=0, atol=1e-11)


def test_multistep_equals_torch():
    rng = np.random.default_rng(SEED + 7)
    steps = 0
    for _ in range(50):
        milestones = sorted(int(m) for m in rng.integers(0, 80, int(rng.integers(1, 6))))
        lr0, gamma = float(rng.uniform(0.01, 1)), float(rng.uniform(0.05, 0.9))
        n = 100
        want, _, _ = _torch_lrs("MultiStepLR", n, milestones, gamma)
        # torch scales the group's lr: start it at lr0.
        want = want / 0.1 * lr0
        s = MultiStepDecay(lr0, milestones, gamma)
        np.testing.assert_allclose(s(np.arange(n, dtype=np.float64)), want, rtol=1e-12, atol=0)
        np.testing.assert_allclose([s(k) for k in range(n)], want, rtol=1e-12, atol=0)
        steps += n
    assert steps >= 1000


# -- fairseq and Hugging Face formulas (from notes/modern_schedules.md) -----------------


def _fairseq_inverse_sqrt(lr, warmup, init, k):
    if k < warmup:
        return init + k * (lr - init) / warmup
    return lr * math.sqrt(warmup) / math.sqrt(k)


def _hf_inverse_sqrt(warmup, timescale, k):
    if k < warmup:
        return k / max(1, warmup)
    return 1.0 / math.sqrt((k + timescale - warmup) / timescale)


def _fairseq_tri_stage(lr, w, h, d, init_scale, final_scale, k):
    init = init_scale * lr
    if k < w:
        return init + (lr - init) / w * k
    if k < w + h:
        return lr
    if k <= w + h + d:
        decay_factor = -math.log(final_scale) / d
        return lr * math.exp(-decay_factor * (k - w - h))
    return lr * final_scale


def _hf_wsd(w, s, d, decay, m, k):
    if k < w:
        return (k / max(1, w)) * (1 - m) + m
    if k < w + s:
        return 1.0
    if k < w + s + d:
        p = (k - w - s) / max(1, d)
        shape = {"linear": 1 - p, "cosine": 0.5 * (1 + math.cos(math.pi * p)), "1-sqrt": 1 - math.sqrt(p)}[
            decay
        ]
        return shape * (1 - m) + m
    return m


def test_inverse_sqrt_equals_fairseq_and_hugging_face():
    rng = np.random.default_rng(SEED + 11)
    for _ in range(50):
        w, lr, init = int(rng.integers(1, 500)), float(rng.uniform(0.01, 1)), float(rng.uniform(0, 1e-3))
        s = InverseSqrtDecay(lr, w, init)
        ks = [int(k) for k in rng.integers(0, 20 * w, 20)] + [w - 1, w, w + 1]
        np.testing.assert_allclose(
            [s(k) for k in ks], [_fairseq_inverse_sqrt(lr, w, init, k) for k in ks], rtol=1e-13
        )
        tau = int(rng.integers(1, 10_000))
        h = InverseSqrtDecay(lr, w, timescale=tau)
        np.testing.assert_allclose(
            [h(k) for k in ks], [lr * _hf_inverse_sqrt(w, tau, k) for k in ks], rtol=1e-13
        )
    # Hugging Face's W = 0 default timescale of 10000 is spelled out here.
    assert InverseSqrtDecay(1.0, 0, timescale=10_000)(30_000) == _hf_inverse_sqrt(0, 10_000, 30_000)


def test_tri_stage_equals_fairseq():
    rng = np.random.default_rng(SEED + 13)
    for _ in range(50):
        w, h, d = (int(x) for x in rng.integers(1, 300, 3))
        lr, i, f = float(rng.uniform(0.01, 1)), float(rng.uniform(0, 0.5)), float(10 ** rng.uniform(-4, -0.1))
        s = TriStage(lr, w, h, d, i, f)
        ks = [int(k) for k in rng.integers(0, 2 * (w + h + d), 20)] + _around([w, w + h, w + h + d])
        want = [_fairseq_tri_stage(lr, w, h, d, i, f, k) for k in ks]
        np.testing.assert_allclose([s(k) for k in ks], want, rtol=1e-13)


@pytest.mark.parametrize("decay", ["linear", "cosine", "1-sqrt"])
def test_wsd_equals_hugging_face_get_wsd_schedule(decay):
    """HF's relative factor with min_lr_ratio m is the WSD from m * peak through the peak to m * peak.

    (HF's cosine cancels near the end, ``1 + cos`` an absolute ulp: compare with that slack.)"""
    rng = np.random.default_rng(SEED + len(decay))
    for _ in range(50):
        w, st, d = (int(x) for x in rng.integers(1, 300, 3))
        lr, m = float(rng.uniform(0.01, 1)), float(rng.uniform(0, 0.2))
        s = WarmupStableDecay(lr, w, st, d, decay, m * lr, m * lr)
        ks = [int(k) for k in rng.integers(0, 2 * (w + st + d), 20)] + _around([w, w + st, w + st + d])
        want = [lr * _hf_wsd(w, st, d, decay, m, k) for k in ks]
        np.testing.assert_allclose([s(k) for k in ks], want, rtol=1e-12, atol=4 * EPS * lr)


# -- branching a cooldown ------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["linear", "cosine", "1-sqrt", "exponential"])
def test_cooldown_at_branches_without_changing_the_past(shape):
    s = WarmupStableDecay(0.1, 100, 100_000, 500, shape, 0.001, 0.01)
    for branch in (100, 101, 2_500, 99_999, 100_100, 150_000):
        b = s.cooldown_at(branch, decay_steps=300)
        assert b.stable_steps == branch - 100 and b.decay_steps == 300 and b.decay_shape == shape
        same = np.arange(0, min(branch, 100_100) + 1, dtype=np.float64)
        np.testing.assert_array_equal(b(same), s(same))
        assert b(branch + 300) == pytest.approx(0.001, rel=1e-15) and b(branch + 150) < 0.1
        _assert_relative(b, _around([branch, branch + 150, branch + 300]))
    assert s.cooldown_at(5_000).decay_steps == 500
    with pytest.raises(ValueError, match=r"Argument `step` must be >= 100. Received: step=99"):
        s.cooldown_at(99)
    with pytest.raises(ValueError, match="decay_steps"):
        s.cooldown_at(1_000, decay_steps=0)


# -- the two boundary sides --------------------------------------------------------------


def test_multistep_and_piecewise_constant_take_opposite_sides():
    m = MultiStepDecay(1.0, [30, 80], 0.5)
    p = lrdecay.PiecewiseConstantDecay([30, 80], [1.0, 0.5, 0.25])
    assert (m(30), p(30)) == (0.5, 1.0) and (m(80), p(80)) == (0.25, 0.5)
    assert m(31) == p(31) and m(29) == p(29)
    shifted = lrdecay.PiecewiseConstantDecay([29, 79], [1.0, 0.5, 0.25])
    np.testing.assert_array_equal(m(np.arange(200)), shifted(np.arange(200)))
    for cls in (MultiStepDecay, lrdecay.PiecewiseConstantDecay):
        assert "opposite side" in cls.__doc__


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, error, match",
    [
        (
            lambda: WarmupStableDecay(0.1, 10, 10, 0),
            ValueError,
            r"`decay_steps` must be > 0. Received: decay_steps=0",
        ),
        (lambda: WarmupStableDecay(0.1, -1, 10, 10), ValueError, r"`warmup_steps` must be >= 0"),
        (lambda: WarmupStableDecay(0.1, 1, 1, 1, "sqrt"), ValueError, r"`decay_shape` must be one of"),
        (
            lambda: WarmupStableDecay(0.1, 1, 1, 1, "exponential"),
            ValueError,
            r"`final_learning_rate` must be > 0",
        ),
        (
            lambda: WarmupStableDecay(0.0, 1, 1, 1, "exponential", 0.1),
            ValueError,
            r"`peak_learning_rate` must be > 0",
        ),
        (lambda: WarmupStableDecay(math.inf, 1, 1, 1), ValueError, r"`peak_learning_rate` must be a finite"),
        (lambda: WarmupStableDecay("0.1", 1, 1, 1), TypeError, r"`peak_learning_rate` must be a real number"),
        (lambda: InverseSqrtDecay(0.1, 0), ValueError, r"warmup_steps=0, timescale=None"),
        (lambda: InverseSqrtDecay(0.1, 10, timescale=0), ValueError, r"`timescale` must be > 0"),
        (lambda: OneCycle(0.1, 0), ValueError, r"`total_steps` must be > 0"),
        (lambda: OneCycle(0.1, 100, pct_start=1.0), ValueError, r"`pct_start` must be < 1"),
        (lambda: OneCycle(0.1, 100, pct_start=0.0), ValueError, r"`pct_start` must be > 0"),
        (lambda: OneCycle(0.1, 10, pct_start=0.1), ValueError, r"leaves no rising phase.*= 0.0"),
        (lambda: OneCycle(0.1, 100, 0.6, three_phase=True), ValueError, r"leaves no third phase"),
        (
            lambda: OneCycle(0.1, 100, anneal="cos"),
            ValueError,
            r"`anneal` must be one of \['cosine', 'linear'\]",
        ),
        (lambda: OneCycle(0.1, 100, div_factor=0), ValueError, r"`div_factor` must be > 0"),
        (
            lambda: OneCycle(0.1, 100, final_div_factor=math.nan),
            ValueError,
            r"`final_div_factor` must be a finite",
        ),
        (lambda: OneCycle(0.1, 100, three_phase=1), TypeError, r"`three_phase` must be a bool"),
        (lambda: Cyclic(0.1, 1.0, 0), ValueError, r"`step_size_up` must be > 0"),
        (lambda: Cyclic(0.1, 1.0, 5, 0), ValueError, r"`step_size_down` must be > 0"),
        (lambda: Cyclic(0.1, 1.0, 5, mode="exp"), ValueError, r"`mode` must be one of"),
        (lambda: Cyclic(0.1, 1.0, 5, gamma=0.9), ValueError, r"`gamma` is used by mode='exp_range' only"),
        (lambda: Cyclic(0.1, 1.0, 5, mode="exp_range", gamma=1.5), ValueError, r"`gamma` must be <= 1"),
        (lambda: TriStage(0.1, 1, 1, 0), ValueError, r"`decay_steps` must be > 0"),
        (lambda: TriStage(0.1, 1, 1, 1, final_lr_scale=0), ValueError, r"`final_lr_scale` must be > 0"),
        (lambda: TriStage(0.1, 1, -1, 1), ValueError, r"`hold_steps` must be >= 0"),
        (lambda: MultiStepDecay(0.1, [10, 5]), ValueError, r"`milestones` must be sorted"),
        (lambda: MultiStepDecay(0.1, [-1]), ValueError, r"`milestones\[0\]` must be >= 0"),
        (lambda: MultiStepDecay(0.1, 10), TypeError, r"`milestones` must be a list of numbers"),
        (lambda: MultiStepDecay(0.1, [10], gamma=math.inf), ValueError, r"`gamma` must be a finite"),
    ],
)
def test_bad_arguments_are_named(make, error, match):
    with pytest.raises(error, match=match):
        make()

"""The upstream test cases (notes/tf_semantics.md §6) and concrete values (§7).

Expected values are the exact (H) ones, written as closed forms of the formula; where the
note also quotes a decimal, it is checked too. Where TensorFlow's float32 output differs
from the exact value (§7 column R), the exact value is asserted. Where lrdecay's rules
differ from TF's on purpose (DESIGN.md §4: negative / NaN steps raise, decay_steps=0 is
rejected, holding after the end, restart points exact), the test asserts lrdecay's rule and
says which TF behaviour it replaces.

Not applicable, so not here: §6 "TFM tests" and §7 rows 45-50 (tensorflow/models
schedules, not part of lrdecay); the V1 dtype checks of piecewise_constant (lrdecay has no
dtypes: it accepts float boundaries with an int step, see test_piecewise_v1_dtype_cases).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lrdecay import (
    CosineDecay,
    CosineDecayRestarts,
    CosineDecayWithLinearWarmup,
    ExponentialDecay,
    InverseTimeDecay,
    LinearCosineDecay,
    NaturalExpDecay,
    NoisyLinearCosineDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
)
from lrdecay.compat import v1

REL = 1e-12


def exact(x, rel=REL):
    return pytest.approx(x, rel=rel, abs=1e-300)


def decimal(x, places=10):
    """A value quoted in the note rounded to `places` decimal places."""
    return pytest.approx(x, rel=0, abs=0.501 * 10.0**-places)


def cos_ref(step, decay_steps):
    """The upstream tests' reference: (1 + cos(pi * min(s, T) / T)) / 2."""
    return 0.5 * (1 + math.cos(math.pi * min(step, decay_steps) / decay_steps))


# -- §6 Exponential ----------------------------------------------------------------------


def test_exponential_continuous():
    assert ExponentialDecay(0.05, 10, 0.96)(5) == exact(0.05 * 0.96**0.5)
    assert ExponentialDecay(0.05, 10, 0.96)(5) == decimal(0.0489897949)  # §7 #1 (TF: 0.048989795)


def test_exponential_staircase():
    s = ExponentialDecay(0.1, 3, 0.96, staircase=True)
    assert s(1) == s(2) == 0.1  # §7 #2
    assert s(3) == exact(0.096)  # §7 #3
    assert s(100) == exact(0.1 * 0.96**33)  # §7 #4
    assert s(100) == decimal(0.0259986436)  # TF float32 gives 0.025998626: not reproduced


def test_exponential_with_a_variable_step():
    """Upstream runs the v1 function with a Variable: the value follows the counter."""
    counter = [0]
    lr = v1.exponential_decay(0.1, lambda: counter[0], 3, 0.96, staircase=True)
    seen = []
    for step in (1, 2, 3, 100):
        counter[0] = step
        seen.append(lr())
    assert seen == [0.1, 0.1, exact(0.096), exact(0.1 * 0.96**33)]


def test_exponential_far_and_invalid():
    assert ExponentialDecay(0.1, 10, 0.96)(10**9) == 0.0  # §7 #6: underflows to 0
    assert ExponentialDecay(0.1, 10, 0.96)(1e9) == 0.0
    # §7 #5: TF extrapolates a negative step (0.1041666667); lrdecay rejects it.
    with pytest.raises(ValueError, match=r"step=-1"):
        ExponentialDecay(0.1, 3, 0.96, staircase=True)(-1)
    # §7 #7: TF gives NaN / 0.0 for decay_steps=0; lrdecay (like Keras 3) raises.
    with pytest.raises(ValueError, match=r"decay_steps=0"):
        ExponentialDecay(0.1, 0, 0.96)


# -- §6 natural_exp_decay ----------------------------------------------------------------


@pytest.mark.parametrize("i", range(11))
def test_natural_exp_decay(i):
    assert v1.natural_exp_decay(0.1, i, 10, 0.96)() == exact(0.1 * math.exp(-i / 10 * 0.96))
    assert NaturalExpDecay(0.1, 10, 0.96)(i) == exact(0.1 * math.exp(-i / 10 * 0.96))
    staircase = v1.natural_exp_decay(0.1, i, 10, 0.96, staircase=True)()
    assert staircase == exact(0.1 * math.exp(-0.96 * (i // 10)))


def test_natural_exp_decay_concrete():
    assert NaturalExpDecay(0.1, 10, 0.96)(5) == decimal(0.0618783392)  # §7 #8 (TF f64 rounds 0.96)
    s = NaturalExpDecay(0.1, 10, 0.96, staircase=True)
    assert s(9) == 0.1 and s(10) == decimal(0.0382892886)  # §7 #9


# -- §6 Piecewise ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "step, value",
    [(0, 1.0), (100, 1.0), (101, 0.1), (105, 0.1), (110, 0.1), (120, 0.01), (121, 0.001), (999, 0.001)],
)
def test_piecewise(step, value):
    s = PiecewiseConstantDecay([100, 110, 120], [1.0, 0.1, 0.01, 0.001])
    assert s(step) == value  # §7 #10, #11
    assert v1.piecewise_constant(step, [100, 110, 120], [1.0, 0.1, 0.01, 0.001])() == value


def test_piecewise_negative_and_nan_steps_raise():
    """Upstream evaluates x = -999 (-> 1.0); §7 #14 NaN gives 1.0 (K2/V1) or 0.0 (K3).
    lrdecay raises for both (DESIGN.md §4)."""
    s = PiecewiseConstantDecay([100, 110, 120], [1.0, 0.1, 0.01, 0.001])
    with pytest.raises(ValueError, match=r"step=-999"):
        s(-999)
    with pytest.raises(ValueError, match=r"step=nan"):
        s(float("nan"))


@pytest.mark.parametrize("step, value", [(0, 0.4), (1, 0.4), (2, 0.5), (3, 0.6), (4, 0.7)])
def test_piecewise_int64_steps(step, value):
    s = PiecewiseConstantDecay([1, 2, 3], [0.4, 0.5, 0.6, 0.7])
    assert s(np.int64(step)) == value  # §7 #12
    assert s(np.array([step], dtype=np.int64))[0] == value
    counter = np.int64(step)
    assert v1.piecewise_constant(counter, [1, 2, 3], [0.4, 0.5, 0.6, 0.7])() == value


def test_piecewise_in_a_gradient_step():
    """K2 testPiecewiseFunction: lr(0) = 1.0 for PCD([1.0], [1.0, 0.1]); one SGD step on
    loss v**2 from v = 1 gives v = 1 - 1.0 * 2 = -1."""
    lr = PiecewiseConstantDecay([1.0], [1.0, 0.1])
    v = 1.0
    v -= lr(0) * 2 * v
    assert v == -1.0


def test_piecewise_v1_dtype_cases():
    """Upstream V1 raises for an int32 x with float boundaries [-1.0, 1.0] and for mixed
    int/float values; lrdecay has no dtypes: it compares the numbers (§7 #13)."""
    assert v1.piecewise_constant(0, [-1.0, 1.0], [1, 2, 3])() == 2.0
    assert v1.piecewise_constant(0.0, [1.0, 2.0], [1.0, 2, 3])() == 1.0
    s = PiecewiseConstantDecay([1.5], [1.0, 2.0])
    assert s(1) == 1.0 and s(2) == 2.0  # boundary 1.5 is not truncated to 1


# -- §6 Polynomial -----------------------------------------------------------------------


def test_polynomial_linear():
    assert PolynomialDecay(0.05, 10, 0.0)(5) == exact(0.025)  # §7 #15
    s = PolynomialDecay(0.05, 10, 0.001)
    assert s(10) == exact(0.001)
    assert s(5) == exact((0.05 + 0.001) / 2)  # §7 #16 (TF: 0.025500001)
    assert s(15) == exact(0.001)  # §7 #17
    assert PolynomialDecay(0.05, 10, 0.001, cycle=True)(15) == exact(0.049 * 0.25 + 0.001)  # #18


def test_polynomial_sqrt():
    s = PolynomialDecay(0.05, 10, 0.001, power=0.5)
    assert s(10) == exact(0.001)
    assert s(5) == exact(0.049 * 0.5**0.5 + 0.001)  # §7 #19
    assert s(5) == decimal(0.0356482323)
    assert s(15) == exact(0.001)
    cycle = PolynomialDecay(0.05, 10, 0.001, power=0.5, cycle=True)
    assert cycle(15) == exact(0.049 * 0.25**0.5 + 0.001)  # §7 #20
    assert cycle(15) == exact(0.0255)


def test_polynomial_cycle_at_step_zero_and_multiples():
    assert PolynomialDecay(0.001, 10, cycle=True)(0) == exact(0.001)  # §7 #21
    s = PolynomialDecay(0.05, 10, 0.001, cycle=True)  # §7 #22
    assert s(10) == exact(0.001) and s(20) == exact(0.001)  # end value at exact multiples
    assert s(11) == exact(0.049 * (1 - 11 / 20) + 0.001) == exact(0.02305)
    assert s(21) == exact(0.049 * (1 - 21 / 30) + 0.001) == exact(0.0157)


def test_polynomial_power_two_and_negative_step():
    assert PolynomialDecay(1.0, 10, 0.0, power=2)(3) == exact(0.49)  # §7 #24 (TF: 0.48999998)
    # §7 #23: TF extrapolates -5 to 0.075 (or -inf with cycle); lrdecay raises.
    for cycle in (False, True):
        with pytest.raises(ValueError, match=r"step=-5"):
            PolynomialDecay(0.05, 10, 0.0, cycle=cycle)(-5)


# -- §6 InverseTime ----------------------------------------------------------------------


@pytest.mark.parametrize("i", range(11))
def test_inverse_time(i):
    assert InverseTimeDecay(0.1, 10, 0.96)(i) == exact(0.1 / (1 + i / 10 * 0.96))
    assert InverseTimeDecay(0.1, 10, 0.96, staircase=True)(i) == exact(0.1 / (1 + 0.96 * (i // 10)))
    assert v1.inverse_time_decay(0.1, i, 10, 0.96)() == exact(0.1 / (1 + i / 10 * 0.96))


def test_inverse_time_concrete():
    assert InverseTimeDecay(0.1, 10, 0.96)(5) == decimal(0.0675675676)  # §7 #25
    s = InverseTimeDecay(0.1, 10, 0.96, staircase=True)
    assert s(9) == 0.1 and s(10) == decimal(0.0510204082)  # §7 #26


# -- §6 Cosine ---------------------------------------------------------------------------

COSINE_STEPS = range(0, 1251, 250)


@pytest.mark.parametrize("step", COSINE_STEPS)
def test_cosine(step):
    assert CosineDecay(1.0, 1000)(step) == exact(cos_ref(step, 1000))
    assert v1.cosine_decay(1.0, step, 1000)() == exact(cos_ref(step, 1000))
    alpha = 0.1
    assert CosineDecay(1.0, 1000, alpha=alpha)(step) == exact((1 - alpha) * cos_ref(step, 1000) + alpha)
    # float64 initial rate (K2/K3 only; V1 fails): the same values.
    assert CosineDecay(np.float64(1.0), 1000)(step) == exact(cos_ref(step, 1000))


def test_cosine_concrete():
    s = CosineDecay(1.0, 1000)
    assert s(250) == decimal(0.8535533906)  # §7 #27
    # §7 #28: TF float32 pi gives 0.49999997. (lrdecay: sin(pi / 4) ** 2, one ulp below
    # 0.5; the form keeps full relative precision near the end, tests/test_precision.py.)
    assert s(500) == exact(0.5, rel=2.3e-16)
    assert s(1250) == 0.0  # §7 #29
    assert CosineDecay(1.0, 1000, alpha=0.1)(750) == decimal(0.2318019485)  # §7 #30
    assert CosineDecay(np.float64(1.0), 1000)(250) == exact(0.8535533905932737)  # §7 #31


@pytest.mark.parametrize("step", range(0, 1251, 125))
def test_cosine_warmup_only(step):
    """Keras 3's variant (K2 used decay_steps=0, which lrdecay and K3 reject)."""
    s = CosineDecay(0.0, 10, warmup_target=10, warmup_steps=1500)
    assert s(step) == exact(step / 1500 * 10)


@pytest.mark.parametrize("step", range(0, 2751, 125))
def test_cosine_warmup_then_decay(step):
    s = CosineDecay(0.0, 1000, warmup_target=10, warmup_steps=2000)
    want = step / 2000 * 10 if step <= 2000 else 10 * cos_ref(step - 2000, 1000)
    assert s(step) == pytest.approx(want, rel=REL, abs=1e-14)


def test_cosine_warmup_concrete():
    s = CosineDecay(0.0, 1000, warmup_target=10, warmup_steps=2000)  # §7 #32
    assert [s(k) for k in (1000, 2000)] == [5.0, 10.0]
    assert s(2250) == decimal(8.5355339, 7)
    assert s(2500) == exact(5.0)  # TF float32: 4.9999995
    assert s(3500) == 0.0
    s = CosineDecay(0.1, 100, alpha=0.1, warmup_target=1.0, warmup_steps=10)  # §7 #33
    assert s(5) == exact(0.55) and s(60) == exact(0.55) and s(200) == exact(0.1)


# -- §6 Restarts -------------------------------------------------------------------------


def restarts_ref(step, first, t_mul=2.0, m_mul=1.0, alpha=0.0):
    """The upstream tests' while-loop reference (plain floats)."""
    fraction, period, factor = step / first, 1.0, 1.0
    while fraction >= period:
        fraction -= period
        period *= t_mul
        factor *= m_mul
    return (1 - alpha) * factor * 0.5 * (1 + math.cos(math.pi * fraction / period)) + alpha


RESTART_VARIANTS = [dict(), dict(alpha=0.1), dict(m_mul=0.9), dict(t_mul=1.0)]


@pytest.mark.parametrize("variant", RESTART_VARIANTS, ids=lambda v: str(v) or "default")
@pytest.mark.parametrize("step", range(0, 1251, 250))
def test_restarts(step, variant):
    want = restarts_ref(step, 1000, **variant)
    assert CosineDecayRestarts(1.0, 1000, **variant)(step) == pytest.approx(want, rel=REL, abs=1e-15)
    assert v1.cosine_decay_restarts(1.0, step, 1000, **variant)() == pytest.approx(want, rel=REL, abs=1e-15)
    assert CosineDecayRestarts(np.float64(1.0), 1000, **variant)(step) == pytest.approx(
        want, rel=REL, abs=1e-15
    )


def test_restarts_concrete():
    s = CosineDecayRestarts(1.0, 1000)  # §7 #34
    assert s(1000) == 1.0 and s(3000) == 1.0
    assert s(1250) == decimal(0.9619397663)
    # 6.17e-7; the half-angle form of 0.5 * (1 + cos(pi * 1999 / 2000)), whose float64
    # value is itself 8e-12 off (1 + cos cancels).
    assert s(2999) == exact(math.sin(math.pi / 2 * 1 / 2000) ** 2)
    assert s(2999) == decimal(6.17e-7, 9)  # TF float32: 6.2584877e-07
    s = CosineDecayRestarts(1.0, 1000, m_mul=0.9)  # §7 #35
    assert s(1000) == exact(0.9) and s(3000) == exact(0.81)  # TF: 0.80999994
    assert s(1250) == decimal(0.8657457896)
    s = CosineDecayRestarts(1.0, 1000, alpha=0.1)  # §7 #36
    assert s(1000) == 1.0 and s(1250) == decimal(0.9657457896)
    assert CosineDecayRestarts(1.0, 1000, t_mul=1.0)(1250) == decimal(0.8535533906)  # §7 #37


def test_restarts_float32_flip_and_finite_length():
    # §7 #38: TF float32 gives 0.0 (its log lands on 12.999999); the restart is exact here.
    assert CosineDecayRestarts(1.0, 1000)(8_191_000) == 1.0
    # §7 #39: t_mul = 0.5 has finite length 2000; TF gives NaN past it, lrdecay holds alpha.
    s = CosineDecayRestarts(1.0, 1000, t_mul=0.5)
    assert s(1500) == 1.0 and s(2500) == 0.0
    assert CosineDecayRestarts(1.0, 1000, t_mul=0.5, alpha=0.1)(2500) == exact(0.1)


# -- §6 LinearCosine and NoisyLinearCosine -----------------------------------------------


def linear_cosine_ref(step, decay_steps, num_periods=0.5, alpha=0.0, beta=0.001):
    step = min(step, decay_steps)
    linear = (decay_steps - step) / decay_steps
    cosine = 0.5 * (1 + math.cos(math.pi * 2 * num_periods * step / decay_steps))
    return (alpha + linear) * cosine + beta


@pytest.mark.parametrize("step", range(0, 1251, 125))
@pytest.mark.parametrize("kw", [dict(), dict(num_periods=5, alpha=0.1, beta=1e-4)], ids=["default", "np5"])
def test_linear_cosine(step, kw):
    want = linear_cosine_ref(step, 1000, **kw)
    assert LinearCosineDecay(1.0, 1000, **kw)(step) == pytest.approx(want, rel=REL, abs=1e-15)
    assert v1.linear_cosine_decay(1.0, step, 1000, **kw)() == pytest.approx(want, rel=REL, abs=1e-15)


def test_linear_cosine_concrete():
    s = LinearCosineDecay(1.0, 1000)  # §7 #40
    assert s(0) == exact(1.001) and s(500) == exact(0.251) and s(1000) == exact(0.001)
    assert s(250) == decimal(0.6411650429)
    s = LinearCosineDecay(1.0, 1000, num_periods=5, alpha=0.1, beta=1e-4)  # §7 #41
    assert s(250) == exact(0.4251)  # TF: 0.42509985
    assert s(500) == pytest.approx(1e-4, rel=1e-9)  # cos(5 pi) = -1: the beta floor
    assert s(1000) == exact(0.1001)


@pytest.mark.parametrize(
    "kw",
    [dict(), dict(initial_variance=0.5, variance_decay=0.1, alpha=0.1, beta=1e-4, num_periods=5)],
    ids=["default", "np5"],
)
def test_noisy_linear_cosine_evaluates(kw):
    """Upstream only evaluates it. Here also: finite, repeatable, and within 7 standard
    deviations of the noise-free value (the noise is eps * cosine)."""
    s = NoisyLinearCosineDecay(1.0, 1000, **kw)
    clean = LinearCosineDecay(
        1.0, 1000, **{k: v for k, v in kw.items() if k not in ("initial_variance", "variance_decay")}
    )
    iv, vd = kw.get("initial_variance", 1.0), kw.get("variance_decay", 0.55)
    for step in range(0, 1251, 125):
        value = s(step)
        assert math.isfinite(value) and value == s(step)
        t = min(step, 1000) / 1000
        cosine = 0.5 * (1 + math.cos(math.pi * 2 * kw.get("num_periods", 0.5) * t))
        sigma = math.sqrt(iv / (1 + min(step, 1000)) ** vd)
        assert abs(value - clean(step)) <= 7 * sigma * cosine + 1e-15
    assert v1.noisy_linear_cosine_decay(1.0, 500, 1000, **kw)() == s(500)


def test_noisy_linear_cosine_end():
    assert NoisyLinearCosineDecay(1.0, 1000)(1000) == exact(0.001)  # §7 #42


# -- §7 tpu cosine with linear warmup ------------------------------------------------------


def test_tpu_cosine_concrete():
    s = CosineDecayWithLinearWarmup(0.08, 0.0067, 500, 22500)  # §7 #43, #44
    assert s(0) == exact(0.0067)
    assert s(250) == exact(0.0067 + 0.5 * (0.08 - 0.0067)) == exact(0.04335)  # TF: 0.043349996
    assert s(500) == exact(0.08)
    assert s(11500) == exact(0.04)  # TF: 0.039999995
    assert s(22500) == 0.0
    # The tpu function rises again after total_steps (0.08 at 44500, 0.0683 at 50000);
    # lrdecay holds 0.
    assert s(44500) == 0.0 and s(50000) == 0.0
    assert v1.cosine_learning_rate_with_linear_warmup(250, 0.08, 0.0067, 500, 22500)() == exact(0.04335)


# -- §6 K3 extras: config round trips and the fit test -------------------------------------

K3_CONFIGS = [
    (ExponentialDecay, (0.05, 10, 0.96, True, "my_ed")),
    (PiecewiseConstantDecay, ([10, 20], [1, 2, 3], "my_pcd")),
    (PolynomialDecay, (0.1, 100, 0.005, 1.0, False, "my_ld")),
    (InverseTimeDecay, (0.05, 10, 0.96, True, "my_itd")),
    (CosineDecay, (0.05, 10, 0.1, "my_cd", 0.2, 2)),
    (CosineDecayRestarts, (0.05, 10, 3, 4, 0.1, "my_cdr")),
]


@pytest.mark.parametrize("cls, args", K3_CONFIGS, ids=lambda x: getattr(x, "__name__", ""))
def test_keras3_config_round_trip(cls, args):
    s = cls(*args)
    config = s.get_config()
    assert list(config.values()) == [list(a) if isinstance(a, list) else a for a in args]
    assert cls.from_config(config) == s
    assert cls.from_config(config).get_config() == config


def test_keras3_fit_losses_with_adam():
    """K3 test_fit_lr_correctness, the optimizer replayed in numpy: Adam (Keras defaults)
    with ExponentialDecay(0.05, 1, 0.9) evaluated at the iteration count before each update,
    Dense(2) with kernel and bias initialized to ones, x = y = arange(32).reshape(16, 2),
    3 epochs of 4 batches (no shuffle), MSE. Upstream expects 12 iterations and these
    epoch losses (rtol 5e-5)."""
    schedule = ExponentialDecay(0.05, 1, 0.9)
    x = np.arange(32, dtype=np.float64).reshape(16, 2)
    y = x.copy()
    kernel, bias = np.ones((2, 2)), np.ones(2)
    params = [kernel, bias]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    beta1, beta2, epsilon = 0.9, 0.999, 1e-7
    iterations, losses = 0, []
    for _epoch in range(3):
        batch_losses = []
        for start in range(0, 16, 4):
            xb, yb = x[start : start + 4], y[start : start + 4]
            err = xb @ kernel + bias - yb
            batch_losses.append(np.mean(err**2))
            grad_out = 2 * err / err.size
            grads = [xb.T @ grad_out, grad_out.sum(axis=0)]
            lr = schedule(iterations)
            t = iterations + 1
            step_size = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)
            for p, g, mi, vi in zip(params, grads, m, v, strict=False):
                mi += (g - mi) * (1 - beta1)
                vi += (g * g - vi) * (1 - beta2)
                p -= step_size * mi / (np.sqrt(vi) + epsilon)
            iterations += 1
        losses.append(np.mean(batch_losses))
    assert iterations == 12
    np.testing.assert_allclose(losses, [230.79457092285156, 128.30319213867188, 79.33648681640625], rtol=5e-5)

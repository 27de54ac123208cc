"""Parity with the real TensorFlow 2.21: every class and every tf.compat.v1.train function.

* Keras 3 classes (``tf.keras.optimizers.schedules``) run in float64: every numeric
  hyperparameter is passed as ``np.float64`` (a Python float would be rounded to float32
  by ``ops.cast`` first) and the steps as a float64 tensor. Compared with rtol 1e-9.
* ``tf.compat.v1.train`` exponential/natural_exp/inverse_time/polynomial/piecewise also run
  in float64 (np.float64 arguments); rtol 1e-9.
* The v1 cosine family (cosine_decay, cosine_decay_restarts, linear_cosine_decay,
  noisy_linear_cosine_decay) uses a float32 pi constant and cannot run in float64: float32
  with TF's own test tolerance (rtol 1e-6, atol 1e-6).
* The tensorflow/tpu ``cosine_learning_rate_with_linear_warmup`` is re-expressed op for op
  with TF ops below, in float32 (as written) and float64.

Known divergences are special-cased, each asserted to be exactly the documented pattern:
TF finds the SGDR period with a logarithm and misses restarts (it gives the end of the
previous period, alpha * initial, where we give the restart value); TF returns NaN past the
finite length of SGDR with t_mul < 1 (we hold alpha * initial); the tpu cosine rises again
after total_steps (we hold 0).

The small ``atol`` next to rtol 1e-9 is for values near zero reached by cancellation
(1 + cos(pi t) near t = 1), where both sides carry an absolute rounding of ~1e-16 of the
rate's scale; TF's SGDR also locates the step as ``f - floor(f)``, whose absolute error grows
like ulp(step / first_decay_steps) (~2e-12 at step 1e5 / 7), hence 1e-11 there.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import reference as R

import lrdecay
from lrdecay.compat import v1 as ours_v1

tf = pytest.importorskip("tensorflow")

K = tf.keras.optimizers.schedules
TF_V1 = tf.compat.v1.train
f64 = np.float64

RTOL = 1e-9
ATOL = 1e-12  # times the rate's scale
F32_TOL = dict(rtol=1e-6, atol=1e-6)  # TF's own tests: assertAllClose(..., 1e-6)


def steps_around(*periods, upto=10**6) -> np.ndarray:
    """0..40, each multiple k*T (k = 1, 2, 3, 5, 10) and its neighbours, a few far steps."""
    points = set(range(41))
    for t in periods:
        for k in (1, 2, 3, 5, 10):
            points |= {k * t - 1, k * t, k * t + 1}
    points |= {999, 1000, 1001, 12345, 10**5, 10**6, upto}
    return np.array(sorted(p for p in points if 0 <= p <= upto), dtype=np.float64)


def tf_values(schedule, steps, dtype=tf.float64) -> np.ndarray:
    return np.asarray(schedule(tf.constant(steps, dtype)), dtype=np.float64)


def tf_values_one_by_one(schedule, steps, dtype=tf.float64) -> np.ndarray:
    """For Keras' CosineDecay with warmup, whose `cond` needs a scalar step."""
    return np.array([float(schedule(tf.constant(s, dtype))) for s in steps])


def assert_parity(ours, theirs, steps, *, rtol=RTOL, atol=0.0, explain=None, what=""):
    """Elementwise closeness; each mismatch must be one that `explain` accounts for."""
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    assert ours.shape == theirs.shape == np.shape(steps)
    close = np.isclose(ours, theirs, rtol=rtol, atol=atol)
    unexplained = [
        (float(steps[i]), float(ours[i]), float(theirs[i]))
        for i in np.flatnonzero(~close)
        if explain is None or not explain(float(steps[i]), float(ours[i]), float(theirs[i]))
    ]
    assert not unexplained, f"{what}: (step, lrdecay, tensorflow) {unexplained[:8]} ({len(unexplained)})"
    return int((~close).sum())


def _f64_args(kwargs):
    """Numbers as np.float64 so that Keras computes with the exact values in float64."""
    out = {}
    for key, value in kwargs.items():
        if isinstance(value, bool) or value is None:
            out[key] = value
        elif isinstance(value, (list, tuple)):
            out[key] = [f64(v) for v in value]
        else:
            out[key] = f64(value)
    return out


# -- Keras 3 classes in float64 ---------------------------------------------------------


def _grid(**axes):
    keys = list(axes)
    return [dict(zip(keys, combo, strict=False)) for combo in itertools.product(*axes.values())]


KERAS_CASES = (
    [
        ("ExponentialDecay", kw)
        for kw in _grid(
            initial_learning_rate=[0.1],
            decay_steps=[10, 3, 2.5],
            decay_rate=[0.96, 0.5, 0.1],
            staircase=[False, True],
        )
    ]
    + [
        ("InverseTimeDecay", kw)
        for kw in _grid(
            initial_learning_rate=[0.1],
            decay_steps=[10, 7],
            decay_rate=[0.96, 0.5, 3.0],
            staircase=[False, True],
        )
    ]
    + [
        ("PolynomialDecay", kw)
        for kw in _grid(
            initial_learning_rate=[0.05],
            decay_steps=[10, 7],
            end_learning_rate=[0.0001, 0.0, 0.01],
            power=[1.0, 0.5, 2.0],
            cycle=[False, True],
        )
    ]
    + [
        ("PiecewiseConstantDecay", dict(boundaries=b, values=v))
        for b, v in [
            ([100, 110, 120], [1.0, 0.1, 0.01, 0.001]),
            ([1, 2, 3], [0.4, 0.5, 0.6, 0.7]),
            ([2.5, 1000.5], [0.3, 0.2, 0.1]),
            ([10**5], [1.0, 0.5]),
        ]
    ]
    + [
        ("CosineDecay", kw)
        for kw in _grid(initial_learning_rate=[1.0, 0.05], decay_steps=[1000, 7], alpha=[0.0, 0.1])
    ]
    + [
        ("CosineDecayRestarts", kw)
        for kw in _grid(
            initial_learning_rate=[1.0],
            first_decay_steps=[1, 7, 100],
            t_mul=[1.0, 2.0, 3.0, 10.0, 1.5, 0.5],
            m_mul=[1.0, 0.9],
            alpha=[0.0, 0.1],
        )
    ]
)


def _case_id(case):
    name, kw = case
    return name + "-" + "-".join(f"{k[:6]}{v}" for k, v in kw.items() if k != "name")


def _restart_explanation(kw):
    """TF's documented SGDR divergences, as a predicate (step, ours, tf) -> bool."""
    lr, first, t = kw["initial_learning_rate"], kw["first_decay_steps"], kw["t_mul"]
    alpha, m = kw["alpha"], kw["m_mul"]

    def explain(step, ours, theirs):
        position = R.restart_position(first, t, step)
        if position is None:  # t_mul < 1, past the finite length: TF NaN, we hold the floor
            return math.isnan(theirs) and ours == pytest.approx(lr * alpha, rel=1e-12)
        i, r, _ = position
        if r == 0 and i >= 1:  # an exact restart point that TF's log misses
            restart = lr * ((1 - alpha) * m**i + alpha)
            return ours == pytest.approx(restart, rel=1e-12) and theirs == pytest.approx(
                lr * alpha, rel=1e-9, abs=1e-12
            )
        return False

    return explain


@pytest.mark.parametrize("case", KERAS_CASES, ids=_case_id)
def test_keras_class_float64(case):
    name, kw = case
    ours = getattr(lrdecay, name)(**kw)
    theirs = getattr(K, name)(**_f64_args(kw))
    periods = [kw.get(k) for k in ("decay_steps", "first_decay_steps") if k in kw]
    periods += list(kw.get("boundaries", []))
    upto = 10**5 if name == "CosineDecayRestarts" else 10**6
    steps = steps_around(*periods, upto=upto)
    want = tf_values(theirs, steps)
    got = ours(steps)
    scale = float(np.nanmax(np.abs(got)))
    explain, atol = None, ATOL * scale
    if name == "CosineDecayRestarts":
        explain, atol = _restart_explanation(kw), 1e-11 * scale
    assert_parity(got, want, steps, atol=atol, explain=explain, what=repr(ours))


COSINE_WARMUP = _grid(
    initial_learning_rate=[0.0, 0.1],
    decay_steps=[1000, 10],
    alpha=[0.0, 0.1],
    warmup_target=[1.0],
    warmup_steps=[0, 1, 100, 2000],
)


@pytest.mark.parametrize("kw", COSINE_WARMUP, ids=lambda kw: "-".join(map(str, kw.values())))
def test_keras_cosine_with_warmup_float64(kw):
    ours = lrdecay.CosineDecay(**kw)
    theirs = K.CosineDecay(**_f64_args(kw))
    w, t = kw["warmup_steps"], kw["decay_steps"]
    points = {0, 1, 2, w // 2, w - 1, w, w + 1, w + t // 2, w + t - 1, w + t, w + t + 1, 10**6}
    steps = np.array(sorted(p for p in points if p >= 0), dtype=np.float64)
    assert_parity(ours(steps), tf_values_one_by_one(theirs, steps), steps, atol=ATOL, what=repr(ours))


def test_keras_restart_flips_are_the_documented_ones():
    """TF float64 misses the restart at 111 for t_mul=10, first=1 (log(1000)/log(10) < 3):
    it returns the end of the previous period (0), lrdecay the restart value (1)."""
    theirs = K.CosineDecayRestarts(f64(1.0), f64(1), t_mul=f64(10.0), m_mul=f64(1.0), alpha=f64(0.0))
    ours = lrdecay.CosineDecayRestarts(1.0, 1, t_mul=10.0)
    assert float(theirs(tf.constant(111.0, tf.float64))) == pytest.approx(0.0, abs=1e-12)
    assert ours(111) == 1.0
    # ...and its neighbours agree: the divergence is only the restart point itself.
    for step in (110.5, 112.0, 150.0):
        assert ours(step) == pytest.approx(float(theirs(tf.constant(step, tf.float64))), rel=1e-9)
    # t_mul < 1: TF is NaN past the finite length (first / (1 - t_mul) = 2000 steps).
    theirs = K.CosineDecayRestarts(f64(1.0), f64(1000), t_mul=f64(0.5), m_mul=f64(1.0), alpha=f64(0.1))
    assert math.isnan(float(theirs(tf.constant(2500.0, tf.float64))))
    assert lrdecay.CosineDecayRestarts(1.0, 1000, t_mul=0.5, alpha=0.1)(2500) == 0.1


# -- tf.compat.v1.train in float64 --------------------------------------------------------

V1_F64_CASES = [
    ("exponential_decay", dict(learning_rate=0.1, decay_steps=10, decay_rate=0.96)),
    ("exponential_decay", dict(learning_rate=0.1, decay_steps=3, decay_rate=0.96, staircase=True)),
    ("natural_exp_decay", dict(learning_rate=0.1, decay_steps=10, decay_rate=0.96)),
    ("natural_exp_decay", dict(learning_rate=0.1, decay_steps=10, decay_rate=0.96, staircase=True)),
    ("natural_exp_decay", dict(learning_rate=0.5, decay_steps=7, decay_rate=2.5)),
    ("inverse_time_decay", dict(learning_rate=0.1, decay_steps=10, decay_rate=0.96)),
    ("inverse_time_decay", dict(learning_rate=0.1, decay_steps=10, decay_rate=0.96, staircase=True)),
    ("polynomial_decay", dict(learning_rate=0.05, decay_steps=10, end_learning_rate=0.001)),
    (
        "polynomial_decay",
        dict(learning_rate=0.05, decay_steps=10, end_learning_rate=0.001, power=0.5, cycle=True),
    ),
    (
        "polynomial_decay",
        dict(learning_rate=0.05, decay_steps=7, end_learning_rate=0.0, power=2.0, cycle=True),
    ),
    ("piecewise_constant", dict(boundaries=[100.0, 110.0, 120.0], values=[1.0, 0.1, 0.01, 0.001])),
    ("piecewise_constant", dict(boundaries=[1.0, 2.0, 3.0], values=[0.4, 0.5, 0.6, 0.7])),
]

#: our class for each v1 function, with the v1 argument names mapped to the class's
V1_CLASS = {
    "exponential_decay": "ExponentialDecay",
    "natural_exp_decay": "NaturalExpDecay",
    "inverse_time_decay": "InverseTimeDecay",
    "polynomial_decay": "PolynomialDecay",
    "piecewise_constant": "PiecewiseConstantDecay",
    "cosine_decay": "CosineDecay",
    "cosine_decay_restarts": "CosineDecayRestarts",
    "linear_cosine_decay": "LinearCosineDecay",
    "noisy_linear_cosine_decay": "NoisyLinearCosineDecay",
}


def _ours_v1_values(fn, kw, steps):
    """Our compat.v1 function evaluated step by step (it binds one counter, like TF's)."""
    function = getattr(ours_v1, fn)
    step_arg = "x" if fn == "piecewise_constant" else "global_step"
    return np.array([function(**{step_arg: int(s) if s.is_integer() else float(s)}, **kw)() for s in steps])


def _ours_class_values(fn, kw, steps):
    args = {("initial_learning_rate" if k == "learning_rate" else k): v for k, v in kw.items()}
    return getattr(lrdecay, V1_CLASS[fn])(**args)(steps)


@pytest.mark.parametrize("fn, kw", V1_F64_CASES, ids=lambda x: x if isinstance(x, str) else "")
def test_v1_function_float64(fn, kw):
    steps = steps_around(kw.get("decay_steps", 10), upto=10**5)
    if fn == "piecewise_constant":  # tf.case needs a scalar x
        want = np.array(
            [float(TF_V1.piecewise_constant(tf.constant(s, tf.float64), **_f64_args(kw))()) for s in steps]
        )
    else:
        theirs = getattr(TF_V1, fn)(global_step=tf.constant(steps, tf.float64), **_f64_args(kw))
        assert callable(theirs)  # eager mode: TF returns a callable too
        want = np.asarray(theirs(), dtype=np.float64)
    got = _ours_v1_values(fn, kw, steps)
    scale = float(np.max(np.abs(got)))
    assert_parity(got, want, steps, atol=ATOL * scale, what=fn)
    assert_parity(_ours_class_values(fn, kw, steps), want, steps, atol=ATOL * scale, what=fn)


# -- tf.compat.v1.train cosine family in float32 -----------------------------------------

V1_F32_CASES = [
    ("cosine_decay", dict(learning_rate=1.0, decay_steps=1000)),
    ("cosine_decay", dict(learning_rate=1.0, decay_steps=1000, alpha=0.1)),
    ("cosine_decay", dict(learning_rate=0.5, decay_steps=7, alpha=0.5)),
    ("cosine_decay_restarts", dict(learning_rate=1.0, first_decay_steps=1000)),
    ("cosine_decay_restarts", dict(learning_rate=1.0, first_decay_steps=1000, alpha=0.1)),
    ("cosine_decay_restarts", dict(learning_rate=1.0, first_decay_steps=1000, m_mul=0.9)),
    ("cosine_decay_restarts", dict(learning_rate=1.0, first_decay_steps=1000, t_mul=1.0)),
    ("cosine_decay_restarts", dict(learning_rate=1.0, first_decay_steps=1, t_mul=2.0)),
    ("cosine_decay_restarts", dict(learning_rate=1.0, first_decay_steps=7, t_mul=3.0, m_mul=0.8, alpha=0.05)),
    ("cosine_decay_restarts", dict(learning_rate=1.0, first_decay_steps=10, t_mul=1.5)),
    ("cosine_decay_restarts", dict(learning_rate=1.0, first_decay_steps=100, t_mul=0.5, alpha=0.2)),
    ("linear_cosine_decay", dict(learning_rate=1.0, decay_steps=1000)),
    ("linear_cosine_decay", dict(learning_rate=1.0, decay_steps=1000, num_periods=5, alpha=0.1, beta=1e-4)),
    ("linear_cosine_decay", dict(learning_rate=0.5, decay_steps=7, num_periods=2.0, beta=0.0)),
    ("noisy_linear_cosine_decay", dict(learning_rate=1.0, decay_steps=1000, initial_variance=0.0)),
    (
        "noisy_linear_cosine_decay",
        dict(learning_rate=1.0, decay_steps=1000, initial_variance=0.0, num_periods=5, alpha=0.1, beta=1e-4),
    ),
]


@pytest.mark.parametrize("fn, kw", V1_F32_CASES, ids=lambda x: x if isinstance(x, str) else "")
def test_v1_cosine_family_float32(fn, kw):
    period = kw.get("decay_steps", kw.get("first_decay_steps"))
    steps = np.unique(np.concatenate([np.arange(0, 1301, 1.0), steps_around(period, upto=10**5)]))
    if period == 1:  # where TF's float32 log flips (2**13 - 1 = 8191 and 2**15 - 1)
        steps = np.unique(np.concatenate([steps, [8190, 8191, 8192, 32766, 32767, 32768]]))
    theirs = getattr(TF_V1, fn)(global_step=tf.constant(steps, tf.float32), **kw)
    want = np.asarray(theirs(), dtype=np.float64)
    got = _ours_v1_values(fn, kw, steps)
    explain, tol = None, dict(F32_TOL)
    if fn == "cosine_decay_restarts":
        full = dict(t_mul=2.0, m_mul=1.0, alpha=0.0) | kw
        full["initial_learning_rate"] = lr = full.pop("learning_rate")
        first, t_mul = full["first_decay_steps"], full["t_mul"]

        def explain(step, ours, theirs):
            position = R.restart_position(first, t_mul, step)
            if position is None:  # t_mul < 1 past the finite length: TF NaN, we hold
                return math.isnan(theirs) and ours == pytest.approx(lr * full["alpha"])
            return (  # a restart TF's float32 log misses
                position is not None
                and position[1] == 0
                and ours
                == pytest.approx(lr * ((1 - full["alpha"]) * full["m_mul"] ** position[0] + full["alpha"]))
                and abs(theirs - lr * full["alpha"]) <= 1e-6
            )

        # TF locates the step inside its period in float32: the rounding of
        # f = step / first (2**-24 f) is magnified by f / (the period's length), times the
        # cosine's slope (<= pi / 2). Beyond TF's 1e-6 this matters for t_mul = 1 at
        # large f and for t_mul < 1 near the finite end, where periods are short.
        def conditioning(step):
            position = R.restart_position(first, t_mul, step)
            if position is None:
                return 1.0
            return max(1.0, float(step / first / position[2]))

        tol["atol"] = 1e-6 + 2.0**-24 * math.pi * lr * np.array([conditioning(s) for s in steps])

    assert_parity(got, want, steps, explain=explain, what=fn, **tol)
    assert_parity(_ours_class_values(fn, kw, steps), want, steps, explain=explain, what=fn, **tol)


def test_v1_float32_restart_flip_is_the_documented_one():
    """TF float32: log(8192)/log(2) = 12.999999 puts step 8191 (first=1) at the end of
    period 12 (alpha * lr = 0) instead of the start of period 13 (lr = 1)."""
    theirs = TF_V1.cosine_decay_restarts(1.0, tf.constant(8191.0), 1)
    assert float(theirs()) == 0.0
    assert ours_v1.cosine_decay_restarts(1.0, 8191, 1)() == 1.0
    theirs = TF_V1.cosine_decay_restarts(1.0, tf.constant(8191000.0), 1000)
    assert float(theirs()) == 0.0
    assert ours_v1.cosine_decay_restarts(1.0, 8191000, 1000)() == 1.0


# -- NoisyLinearCosineDecay: statistics of the noise -------------------------------------

N_SEEDS = 2000


def implied_noise(lr, initial, step, decay_steps, num_periods=0.5, alpha=0.0, beta=0.001):
    """eps from lr = initial * ((alpha + linear + eps) * cosine + beta)."""
    t = np.minimum(step, decay_steps) / decay_steps
    cosine = 0.5 * (1 + np.cos(np.pi * 2 * num_periods * t))
    return (np.asarray(lr) / initial - beta) / cosine - alpha - (1 - t)


NOISE_CASES = [
    # (initial_variance, variance_decay, num_periods, alpha, beta, step)
    (1.0, 0.55, 0.5, 0.0, 0.001, 0),
    (1.0, 0.55, 0.5, 0.0, 0.001, 10),
    (1.0, 0.55, 0.5, 0.0, 0.001, 300),
    (0.5, 0.1, 5, 0.1, 1e-4, 20),
    (2.0, 1.0, 1.0, 0.0, 0.0, 99),
]


@pytest.mark.parametrize("iv, vd, nper, alpha, beta, step", NOISE_CASES)
def test_noise_mean_and_variance_over_seeds(iv, vd, nper, alpha, beta, step):
    """Over 2000 seeds: mean ~ 0 and variance ~ iv / (1 + step)**vd, within 5 standard
    errors (sd of the mean: sigma / sqrt(n); of the variance: sigma**2 * sqrt(2 / (n - 1)))."""
    decay = 1000
    values = np.array(
        [
            lrdecay.NoisyLinearCosineDecay(
                1.0, decay, iv, vd, num_periods=nper, alpha=alpha, beta=beta, seed=seed
            )(step)
            for seed in range(N_SEEDS)
        ]
    )
    eps = implied_noise(values, 1.0, step, decay, nper, alpha, beta)
    var = iv / (1 + step) ** vd
    assert abs(eps.mean()) < 5 * math.sqrt(var / N_SEEDS)
    assert abs(eps.var(ddof=1) - var) < 5 * var * math.sqrt(2 / (N_SEEDS - 1))
    # Gaussian tails: about 4.55% beyond 2 sigma (binomial sd ~0.47% at n = 2000).
    beyond = np.mean(np.abs(eps) > 2 * math.sqrt(var))
    assert abs(beyond - 0.0455) < 5 * math.sqrt(0.0455 * 0.9545 / N_SEEDS)


def test_noise_is_uncorrelated_across_steps_and_seeds():
    n = N_SEEDS
    steps = np.arange(n, dtype=np.float64)
    s = lrdecay.NoisyLinearCosineDecay(1.0, 10**9, initial_variance=1.0, variance_decay=0.0, seed=3)
    eps = implied_noise(s(steps), 1.0, steps, 10**9)
    # neighbouring steps of one seed
    assert abs(np.corrcoef(eps[:-1], eps[1:])[0, 1]) < 5 / math.sqrt(n)
    assert abs(eps.mean()) < 5 / math.sqrt(n) and abs(eps.var() - 1) < 5 * math.sqrt(2 / n)
    # seed k and seed k + 1 at the same steps
    other = lrdecay.NoisyLinearCosineDecay(1.0, 10**9, initial_variance=1.0, variance_decay=0.0, seed=4)
    eps2 = implied_noise(other(steps), 1.0, steps, 10**9)
    assert abs(np.corrcoef(eps, eps2)[0, 1]) < 5 / math.sqrt(n)


@pytest.mark.parametrize("step", [0.0, 50.0])
def test_tensorflow_noise_has_the_same_distribution(step):
    """TF draws stddev = sqrt(variance) (not variance): its noise over 2000 fresh draws has
    the variance our formula gives, and the same mean (0)."""
    iv, vd, decay = 1.0, 0.55, 1000
    # A vector step gives one independent draw per element (the noise has the step's shape).
    lr = TF_V1.noisy_linear_cosine_decay(1.0, tf.constant(np.full(N_SEEDS, step), tf.float32), decay)
    eps = implied_noise(np.asarray(lr(), np.float64), 1.0, step, decay)
    var = iv / (1 + step) ** vd
    assert abs(eps.mean()) < 5 * math.sqrt(var / N_SEEDS)
    assert abs(eps.var(ddof=1) - var) < 5 * var * math.sqrt(2 / (N_SEEDS - 1))
    ours = np.array([lrdecay.NoisyLinearCosineDecay(1.0, decay, seed=k)(step) for k in range(N_SEEDS)])
    ours_eps = implied_noise(ours, 1.0, step, decay)
    # Two samples of the same distribution: variance ratio within 5 sd of 1.
    assert abs(ours_eps.var() / eps.var() - 1) < 5 * 2 / math.sqrt(N_SEEDS)


def test_noise_is_deterministic_in_seed_and_step():
    s = lrdecay.NoisyLinearCosineDecay(1.0, 1000, seed=11)
    steps = np.array([0, 1, 2, 3, 10, 500, 999, 1000, 5000], dtype=np.float64)
    first = s(steps)
    np.testing.assert_array_equal(s(steps), first)  # same call again
    same_seed = lrdecay.NoisyLinearCosineDecay(1.0, 1000, seed=11)
    np.testing.assert_array_equal(same_seed(steps), first)  # another instance
    scalar = np.array([s(int(k)) for k in steps])
    np.testing.assert_allclose(scalar, first, rtol=1e-15, atol=1e-16)  # scalar vs numpy path
    assert [s(int(k)) for k in steps] == [s(int(k)) for k in steps]
    assert s(10) == s(10.0) == s(10.5 - 0.5)
    other = lrdecay.NoisyLinearCosineDecay(1.0, 1000, seed=12)(steps)
    assert np.all(other[:-2] != first[:-2])  # different seed, different noise (before the end)
    # After decay_steps the noise is multiplied by cos(pi) = 0: no noise at all.
    assert s(1000) == s(5000) == pytest.approx(0.001, rel=1e-12)


# -- tensorflow/tpu cosine_learning_rate_with_linear_warmup, re-expressed op for op ------


def tpu_cosine_with_linear_warmup(global_step, init_lr, warmup_lr, warmup_steps, total_steps, dtype):
    """The tensorflow/tpu function's math with TF ops (its steps: cast the step to float32,
    linear warmup, cosine from the peak, tf.where on step < warmup_steps)."""
    step = tf.cast(global_step, dtype)
    warm = warmup_lr + step / warmup_steps * (init_lr - warmup_lr)
    angle = np.pi * (step - warmup_steps) / (total_steps - warmup_steps)
    cosine = init_lr * (tf.cos(angle) + 1.0) / 2.0
    return np.asarray(tf.where(step < warmup_steps, warm, cosine), dtype=np.float64)


TPU_CASES = [
    (0.08, 0.0067, 500, 22500),
    (1.0, 0.0, 0, 10),
    (0.1, 0.2, 7, 8),
    (0.5, 0.5, 3, 1000),
    (0.3, 0.01, 100, 1100),
]


@pytest.mark.parametrize("init, wlr, warmup, total", TPU_CASES)
def test_tpu_cosine_with_linear_warmup(init, wlr, warmup, total):
    edges = [0, 1, 2, warmup - 1, warmup, warmup + 1, (warmup + total) // 2, total - 1, total]
    steps = np.unique(np.concatenate([edges, np.linspace(0, total, 101).round()]))
    steps = steps[(steps >= 0) & (steps <= total)]
    schedule = lrdecay.CosineDecayWithLinearWarmup(init, wlr, warmup, total)
    ours = schedule(steps)
    bound = [
        ours_v1.cosine_learning_rate_with_linear_warmup(int(s), init, wlr, warmup, total)() for s in steps
    ]
    np.testing.assert_array_equal(bound, ours)
    with np.errstate(all="ignore"):
        t32 = tpu_cosine_with_linear_warmup(steps, init, wlr, warmup, total, tf.float32)
        t64 = tpu_cosine_with_linear_warmup(steps, f64(init), f64(wlr), f64(warmup), f64(total), tf.float64)
    assert_parity(ours, t32, steps, what="tpu float32", **F32_TOL)
    assert_parity(ours, t64, steps, atol=ATOL * max(init, wlr), what="tpu float64")
    # Past total_steps the tpu cosine climbs back (back to init at 2 * total - warmup);
    # lrdecay holds 0 (documented divergence).
    after = np.array([total + (total - warmup) / 2, 2 * total - warmup], dtype=np.float64)
    rises = tpu_cosine_with_linear_warmup(after, f64(init), f64(wlr), f64(warmup), f64(total), tf.float64)
    np.testing.assert_allclose(rises, [init / 2, init], rtol=1e-9)
    np.testing.assert_array_equal(schedule(after), 0.0)


#: The schedules TensorFlow has (later lrdecay schedules have no TF counterpart).
TF_CLASSES = {
    "CosineDecay",
    "CosineDecayRestarts",
    "CosineDecayWithLinearWarmup",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LinearCosineDecay",
    "NaturalExpDecay",
    "NoisyLinearCosineDecay",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
}


def test_every_class_and_v1_function_is_covered():
    assert set(lrdecay._registry.names()) >= TF_CLASSES
    classes = {name for name, _ in KERAS_CASES} | {
        "NaturalExpDecay",  # v1 natural_exp_decay (float64)
        "LinearCosineDecay",  # v1 linear_cosine_decay (float32)
        "NoisyLinearCosineDecay",  # v1 noisy_linear_cosine_decay and the statistics
        "CosineDecayWithLinearWarmup",  # the tpu function, re-expressed
    }
    assert classes == TF_CLASSES
    functions = {fn for fn, _ in V1_F64_CASES + V1_F32_CASES}
    assert functions == set(V1_CLASS)

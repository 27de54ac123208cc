"""Bad inputs: each row expects its exact exception type and a message that names the
argument and echoes the value received ("Argument `decay_steps` must be > 0. Received:
decay_steps=0"), at construction, at call time (Python numbers and numpy arrays), in
compat.v1 and in evaluate().
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import lrdecay
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

NAN, INF = math.nan, math.inf
V, T = ValueError, TypeError


def must(arg, op, bound, value):
    """The message of a range check, e.g. must('decay_steps', '>', 0, '0')."""
    return rf"^Argument `{arg}` must be {op} {bound}\. Received: {arg}={value}$"


def finite(arg, value):
    return rf"^Argument `{arg}` must be a finite number\. Received: {arg}={value}$"


def real(arg, value, typ):
    return rf"^Argument `{arg}` must be a real number\. Received: {arg}={value} of type {typ}$"


CONSTRUCTION = [
    # non-positive decay steps
    ("exp-T0", lambda: ExponentialDecay(0.1, 0, 0.5), V, must("decay_steps", ">", 0, "0")),
    ("exp-T-neg", lambda: ExponentialDecay(0.1, -10, 0.5), V, must("decay_steps", ">", 0, "-10")),
    ("inv-T0.0", lambda: InverseTimeDecay(0.1, 0.0, 0.5), V, must("decay_steps", ">", 0, r"0\.0")),
    ("natexp-T0", lambda: NaturalExpDecay(0.1, 0, 0.5), V, must("decay_steps", ">", 0, "0")),
    ("poly-T0", lambda: PolynomialDecay(0.1, 0), V, must("decay_steps", ">", 0, "0")),
    ("cos-T0", lambda: CosineDecay(0.1, 0), V, must("decay_steps", ">", 0, "0")),
    ("sgdr-first0", lambda: CosineDecayRestarts(0.1, 0), V, must("first_decay_steps", ">", 0, "0")),
    ("lincos-T-neg", lambda: LinearCosineDecay(0.1, -1), V, must("decay_steps", ">", 0, "-1")),
    ("noisy-T0", lambda: NoisyLinearCosineDecay(0.1, 0), V, must("decay_steps", ">", 0, "0")),
    # negative rates
    (
        "exp-lr-neg",
        lambda: ExponentialDecay(-0.1, 10, 0.5),
        V,
        must("initial_learning_rate", ">=", 0, r"-0\.1"),
    ),
    (
        "pcd-value-neg",
        lambda: PiecewiseConstantDecay([1], [1.0, -2.0]),
        V,
        r"^Argument `values\[1\]` must be >= 0\. Received: values\[1\]=-2\.0 \(in values=\[1\.0, -2\.0\]\)$",
    ),
    (
        "poly-end-neg",
        lambda: PolynomialDecay(0.1, 10, end_learning_rate=-1e-3),
        V,
        must("end_learning_rate", ">=", 0, r"-0\.001"),
    ),
    (
        "tpu-wlr-neg",
        lambda: CosineDecayWithLinearWarmup(0.1, -0.01, 10, 100),
        V,
        must("warmup_learning_rate", ">=", 0, r"-0\.01"),
    ),
    (
        "tpu-lr-neg",
        lambda: CosineDecayWithLinearWarmup(-1, 0.0, 10, 100),
        V,
        must("init_learning_rate", ">=", 0, "-1"),
    ),
    (
        "cos-target-neg",
        lambda: CosineDecay(0.1, 10, warmup_target=-1.0),
        V,
        must("warmup_target", ">=", 0, r"-1\.0"),
    ),
    ("exp-rate0", lambda: ExponentialDecay(0.1, 10, 0), V, must("decay_rate", ">", 0, "0")),
    ("inv-rate-neg", lambda: InverseTimeDecay(0.1, 10, -0.5), V, must("decay_rate", ">=", 0, r"-0\.5")),
    ("natexp-rate-neg", lambda: NaturalExpDecay(0.1, 10, -0.96), V, must("decay_rate", ">=", 0, r"-0\.96")),
    # boundaries: order and lengths
    (
        "pcd-equal-bounds",
        lambda: PiecewiseConstantDecay([1, 1], [1.0, 2.0, 3.0]),
        V,
        r"^Argument `boundaries` must be strictly increasing\. Received: boundaries=\[1, 1\]",
    ),
    (
        "pcd-decreasing",
        lambda: PiecewiseConstantDecay([2, 1], [1.0, 2.0, 3.0]),
        V,
        r"^Argument `boundaries` must be strictly increasing\. Received: boundaries=\[2, 1\] \(boundaries\[1\]=1 <= boundaries\[0\]=2\)$",
    ),
    (
        "pcd-len-equal",
        lambda: PiecewiseConstantDecay([1, 2], [1.0, 2.0]),
        V,
        r"^The length of boundaries should be 1 less than the length of values\. Received: boundaries=\[1, 2\] of length 2, and values=\[1\.0, 2\.0\] of length 2\.$",
    ),
    (
        "pcd-len-short",
        lambda: PiecewiseConstantDecay([1], [1.0]),
        V,
        r"Received: boundaries=\[1\] of length 1, and values=\[1\.0\] of length 1\.",
    ),
    (
        "pcd-empty-values",
        lambda: PiecewiseConstantDecay([], []),
        V,
        r"Received: boundaries=\[\] of length 0, and values=\[\] of length 0\.",
    ),
    # non-finite numbers
    ("exp-T-nan", lambda: ExponentialDecay(0.1, NAN, 0.5), V, finite("decay_steps", "nan")),
    ("exp-lr-inf", lambda: ExponentialDecay(INF, 10, 0.5), V, finite("initial_learning_rate", "inf")),
    ("exp-rate-np-nan", lambda: ExponentialDecay(0.1, 10, np.float64("nan")), V, finite("decay_rate", "nan")),
    ("cos-alpha-nan", lambda: CosineDecay(0.1, 10, alpha=NAN), V, finite("alpha", "nan")),
    (
        "pcd-bound-inf",
        lambda: PiecewiseConstantDecay([INF], [1.0, 2.0]),
        V,
        r"^Argument `boundaries\[0\]` must be a finite number\. Received: boundaries\[0\]=inf \(in boundaries=\[inf\]\)$",
    ),
    (
        "tpu-total-inf",
        lambda: CosineDecayWithLinearWarmup(0.1, 0.0, 10, INF),
        V,
        finite("total_steps", "inf"),
    ),
    # wrong types
    (
        "exp-lr-str",
        lambda: ExponentialDecay("0.1", 10, 0.5),
        T,
        real("initial_learning_rate", "'0.1'", "str"),
    ),
    ("exp-T-None", lambda: ExponentialDecay(0.1, None, 0.5), T, real("decay_steps", "None", "NoneType")),
    ("exp-T-bool", lambda: ExponentialDecay(0.1, True, 0.5), T, real("decay_steps", "True", "bool")),
    ("exp-rate-list", lambda: ExponentialDecay(0.1, 10, [0.5]), T, real("decay_rate", r"\[0\.5\]", "list")),
    (
        "exp-rate-complex",
        lambda: ExponentialDecay(0.1, 10, 1 + 2j),
        T,
        real("decay_rate", r"\(1\+2j\)", "complex"),
    ),
    (
        "exp-T-np-bool",
        lambda: ExponentialDecay(0.1, np.bool_(True), 0.5),
        T,
        r"^Argument `decay_steps` must be a real number\. Received: decay_steps=np\.True_ of type bool",
    ),
    (
        "exp-T-array",
        lambda: ExponentialDecay(0.1, np.array([10]), 0.5),
        T,
        real("decay_steps", r"array\(\[10\]\)", "ndarray"),
    ),
    (
        "exp-staircase-str",
        lambda: ExponentialDecay(0.1, 10, 0.5, staircase="yes"),
        T,
        r"^Argument `staircase` must be a bool\. Received: staircase='yes' of type str$",
    ),
    (
        "poly-cycle-int",
        lambda: PolynomialDecay(0.1, 10, cycle=1),
        T,
        r"^Argument `cycle` must be a bool\. Received: cycle=1 of type int$",
    ),
    (
        "exp-name-int",
        lambda: ExponentialDecay(0.1, 10, 0.5, name=5),
        T,
        r"^Argument `name` must be a string or None\. Received: name=5 of type int$",
    ),
    (
        "pcd-bounds-int",
        lambda: PiecewiseConstantDecay(5, [1.0]),
        T,
        r"^Argument `boundaries` must be a list of numbers\. Received: boundaries=5 of type int$",
    ),
    (
        "pcd-values-str",
        lambda: PiecewiseConstantDecay([1], "ab"),
        T,
        r"^Argument `values` must be a list of numbers\. Received: values='ab' of type str$",
    ),
    (
        "pcd-value-None",
        lambda: PiecewiseConstantDecay([1], [1.0, None]),
        T,
        r"^Argument `values\[1\]` must be a real number\. Received: values\[1\]=None of type NoneType \(in values=\[1\.0, None\]\)$",
    ),
    (
        "pcd-bound-str",
        lambda: PiecewiseConstantDecay(["10"], [1.0, 0.5]),
        T,
        r"^Argument `boundaries\[0\]` must be a real number\. Received: boundaries\[0\]='10' of type str",
    ),
    (
        "noisy-seed-float",
        lambda: NoisyLinearCosineDecay(0.1, 10, seed=1.5),
        T,
        r"^Argument `seed` must be an int or None\. Received: seed=1\.5 of type float$",
    ),
    ("noisy-seed-str", lambda: NoisyLinearCosineDecay(0.1, 10, seed="a"), T, real("seed", "'a'", "str")),
    # out-of-range arguments
    ("cos-alpha-big", lambda: CosineDecay(0.1, 10, alpha=1.5), V, must("alpha", "<=", 1, r"1\.5")),
    ("cos-alpha-neg", lambda: CosineDecay(0.1, 10, alpha=-0.1), V, must("alpha", ">=", 0, r"-0\.1")),
    ("sgdr-alpha-big", lambda: CosineDecayRestarts(0.1, 10, alpha=2), V, must("alpha", "<=", 1, "2")),
    ("lincos-alpha-big", lambda: LinearCosineDecay(0.1, 10, alpha=1.01), V, must("alpha", "<=", 1, r"1\.01")),
    ("lincos-beta-neg", lambda: LinearCosineDecay(0.1, 10, beta=-0.1), V, must("beta", ">=", 0, r"-0\.1")),
    ("noisy-beta-neg", lambda: NoisyLinearCosineDecay(0.1, 10, beta=-1), V, must("beta", ">=", 0, "-1")),
    (
        "lincos-periods-neg",
        lambda: LinearCosineDecay(0.1, 10, num_periods=-1),
        V,
        must("num_periods", ">=", 0, "-1"),
    ),
    ("poly-power0", lambda: PolynomialDecay(0.1, 10, power=0), V, must("power", ">", 0, "0")),
    ("poly-power-neg", lambda: PolynomialDecay(0.1, 10, power=-1.0), V, must("power", ">", 0, r"-1\.0")),
    ("sgdr-tmul0", lambda: CosineDecayRestarts(0.1, 10, t_mul=0), V, must("t_mul", ">", 0, "0")),
    ("sgdr-tmul-neg", lambda: CosineDecayRestarts(0.1, 10, t_mul=-2.0), V, must("t_mul", ">", 0, r"-2\.0")),
    ("sgdr-mmul-neg", lambda: CosineDecayRestarts(0.1, 10, m_mul=-0.5), V, must("m_mul", ">=", 0, r"-0\.5")),
    (
        "noisy-var-neg",
        lambda: NoisyLinearCosineDecay(0.1, 10, initial_variance=-1.0),
        V,
        must("initial_variance", ">=", 0, r"-1\.0"),
    ),
    (
        "noisy-vardecay-neg",
        lambda: NoisyLinearCosineDecay(0.1, 10, variance_decay=-0.1),
        V,
        must("variance_decay", ">=", 0, r"-0\.1"),
    ),
    ("noisy-seed-neg", lambda: NoisyLinearCosineDecay(0.1, 10, seed=-1), V, must("seed", ">=", 0, "-1")),
    (
        "cos-warmup-neg",
        lambda: CosineDecay(0.1, 10, warmup_target=1.0, warmup_steps=-1),
        V,
        must("warmup_steps", ">=", 0, "-1"),
    ),
    (
        "tpu-warmup-neg",
        lambda: CosineDecayWithLinearWarmup(0.1, 0.0, -5, 100),
        V,
        must("warmup_steps", ">=", 0, "-5"),
    ),
    (
        "tpu-total-eq-warmup",
        lambda: CosineDecayWithLinearWarmup(0.1, 0.0, 100, 100),
        V,
        must("total_steps", ">", 100, "100"),
    ),
    (
        "tpu-total-lt-warmup",
        lambda: CosineDecayWithLinearWarmup(0.1, 0.0, 100, 50.5),
        V,
        must("total_steps", ">", 100, r"50\.5"),
    ),
    (
        "cos-warmup-no-target",
        lambda: CosineDecay(0.1, 10, warmup_steps=5),
        V,
        r"^Argument `warmup_steps` needs `warmup_target` \(the rate the warmup reaches\)\. Received: warmup_steps=5, warmup_target=None$",
    ),
]

# -- composition (schedules/compose.py) ------------------------------------------------------
_S = CosineDecay(0.1, 100)
_CFG = lrdecay.serialize(_S)


def not_schedule(arg, value, typ):
    return rf"^Argument `{arg}` must be an lrdecay\.Schedule or a number\. Received: {arg}={value} of type {typ}$"


COMPOSITION = [
    # boundaries that do not match the schedules
    (
        "join-too-many-bounds",
        lambda: lrdecay.Join([_S, _S], [10, 20]),
        V,
        r"^Argument `boundaries` must have one entry fewer than `schedules`\. Received: boundaries=\[10, 20\] of length 2 for 2 schedules$",
    ),
    (
        "join-no-bounds",
        lambda: lrdecay.Join([_S, 0.1, _S], []),
        V,
        r"^Argument `boundaries` must have one entry fewer than `schedules`\. Received: boundaries=\[\] of length 0 for 3 schedules$",
    ),
    (
        "join-one-schedule",
        lambda: lrdecay.Join([_S], []),
        V,
        r"^Argument `schedules` must hold at least 2 schedule\(s\)\. Received: schedules of length 1$",
    ),
    # unsorted or negative boundaries
    (
        "join-unsorted",
        lambda: lrdecay.Join([_S, _S, _S], [20, 10]),
        V,
        r"^Argument `boundaries` must be sorted \(non-decreasing\)\. Received: boundaries=\[20, 10\] \(boundaries\[1\]=10 < boundaries\[0\]=20\)$",
    ),
    (
        "join-negative",
        lambda: lrdecay.Join([_S, _S], [-1]),
        V,
        r"^Argument `boundaries\[0\]` must be >= 0\. Received: boundaries\[0\]=-1 \(in boundaries=\[-1\]\)$",
    ),
    (
        "join-bound-nan",
        lambda: lrdecay.Join([_S, _S], [NAN]),
        V,
        r"^Argument `boundaries\[0\]` must be a finite number\. Received: boundaries\[0\]=nan",
    ),
    (
        "join-bounds-int",
        lambda: lrdecay.Join([_S, _S], 5),
        T,
        r"^Argument `boundaries` must be a list of numbers\. Received: boundaries=5 of type int$",
    ),
    (
        "join-schedules-str",
        lambda: lrdecay.Join("ab", [1]),
        T,
        r"^Argument `schedules` must be a list of schedules\. Received: schedules='ab' of type str$",
    ),
    (
        "join-piece-str",
        lambda: lrdecay.Join([_S, "x"], [1]),
        T,
        not_schedule(r"schedules\[1\]", "'x'", "str"),
    ),
    # Warmup of something that is not a schedule
    ("warmup-str", lambda: lrdecay.Warmup("cosine", 10), T, not_schedule("schedule", "'cosine'", "str")),
    (
        "warmup-function",
        lambda: lrdecay.Warmup(lambda k: 0.1, 10),
        T,
        not_schedule("schedule", "<function .*>", "function"),
    ),
    (
        "warmup-dict",
        lambda: lrdecay.Warmup(_CFG, 10),
        T,
        r"^Argument `schedule` must be an lrdecay\.Schedule or a number\. Received: schedule=\{.*'module': 'lrdecay'.* of type dict$",
    ),
    (
        "warmup-class",
        lambda: lrdecay.Warmup(CosineDecay, 10),
        T,
        not_schedule("schedule", "<class .*CosineDecay'>", "type"),
    ),
    ("warmup-bool", lambda: lrdecay.Warmup(True, 10), T, not_schedule("schedule", "True", "bool")),
    ("shift-None", lambda: lrdecay.Shift(None, 10), T, not_schedule("schedule", "None", "NoneType")),
    # zero or negative lengths
    ("linear-steps0", lambda: lrdecay.Linear(0.0, 1.0, 0), V, must("steps", ">", 0, "0")),
    ("linear-steps-neg", lambda: lrdecay.Linear(0.0, 1.0, -5), V, must("steps", ">", 0, "-5")),
    ("repeat-period0", lambda: lrdecay.Repeat(_S, 0), V, must("period", ">", 0, "0")),
    ("repeat-period-neg", lambda: lrdecay.Repeat(_S, -2.5), V, must("period", ">", 0, r"-2\.5")),
    ("timescale-unit0", lambda: lrdecay.TimeScale(_S, 0), V, must("steps_per_unit", ">", 0, "0")),
    ("timescale-unit-neg", lambda: lrdecay.TimeScale(_S, -1.0), V, must("steps_per_unit", ">", 0, r"-1\.0")),
    (
        "repeat-mul-below-1",
        lambda: lrdecay.Repeat(_S, 10, period_mul=0.5),
        V,
        must("period_mul", ">=", 1, r"0\.5"),
    ),
    ("repeat-decay-neg", lambda: lrdecay.Repeat(_S, 10, decay=-0.1), V, must("decay", ">=", 0, r"-0\.1")),
    ("repeat-mul-nan", lambda: lrdecay.Repeat(_S, 10, period_mul=NAN), V, finite("period_mul", "nan")),
    ("timescale-power0", lambda: lrdecay.TimeScale(_S, 10, power=0), V, must("power", ">", 0, "0")),
    ("power-neg", lambda: lrdecay.Power(_S, -1), V, must("exponent", ">=", 0, "-1")),
    ("power-inf", lambda: lrdecay.Power(_S, INF), V, finite("exponent", "inf")),
    ("power-None", lambda: lrdecay.Power(None, 2), T, not_schedule("schedule", "None", "NoneType")),
    (
        "power-of-negative",
        lambda: lrdecay.Power(lrdecay.Linear(1.0, -1.0, 10), 0.5)(8),
        V,
        r"^Power with a fractional exponent needs values >= 0\. Received: -0\.6.* from Linear\(.*\), exponent=0\.5$",
    ),
    (
        "power-of-negative-array",
        lambda: lrdecay.Power(lrdecay.Linear(1.0, -1.0, 10), 0.5)([0, 9]),
        V,
        r"^Power with a fractional exponent needs values >= 0\. Received: -0\.8.*, exponent=0\.5$",
    ),
    ("tanh-steps0", lambda: lrdecay.TanhDecay(0.1, 0), V, must("decay_steps", ">", 0, "0")),
    ("tanh-lower-nan", lambda: lrdecay.TanhDecay(0.1, 10, lower=NAN), V, finite("lower", "nan")),
    ("tanh-lr-neg", lambda: lrdecay.TanhDecay(-0.1, 10), V, must("initial_learning_rate", ">=", 0, r"-0\.1")),
    ("warmup-steps-neg", lambda: lrdecay.Warmup(_S, -1), V, must("warmup_steps", ">=", 0, "-1")),
    ("shift-steps-neg", lambda: lrdecay.Shift(_S, -10), V, must("steps", ">=", 0, "-10")),
    ("warmup-steps-inf", lambda: lrdecay.Warmup(_S, INF), V, finite("warmup_steps", "inf")),
    # unknown shape / clock, and flags that are not bools
    (
        "warmup-shape",
        lambda: lrdecay.Warmup(_S, 10, shape="exp"),
        V,
        r"^Argument `shape` must be one of \['linear', 'cosine'\]\. Received: shape='exp'$",
    ),
    (
        "warmup-shape-int",
        lambda: lrdecay.Warmup(_S, 10, shape=1),
        T,
        r"^Argument `shape` must be one of \['linear', 'cosine'\]\. Received: shape=1 of type int$",
    ),
    (
        "join-clock",
        lambda: lrdecay.Join([_S, _S], [1], clock="wall"),
        V,
        r"^Argument `clock` must be one of \['local', 'global'\]\. Received: clock='wall'$",
    ),
    (
        "timescale-discrete-int",
        lambda: lrdecay.TimeScale(_S, 10, discrete=1),
        T,
        r"^Argument `discrete` must be a bool\. Received: discrete=1 of type int$",
    ),
    # non-finite factors and terms, bools
    ("mul-nan", lambda: _S * NAN, V, finite(r"schedules\[1\]", "nan")),
    ("rmul-nan", lambda: NAN * _S, V, finite(r"schedules\[0\]", "nan")),
    ("add-inf", lambda: _S + INF, V, finite(r"schedules\[1\]", "inf")),
    ("radd-minus-inf", lambda: -INF + _S, V, finite(r"schedules\[0\]", "-inf")),
    ("constant-nan", lambda: lrdecay.Constant(NAN), V, finite("value", "nan")),
    ("linear-end-inf", lambda: lrdecay.Linear(0.0, INF, 10), V, finite("end", "inf")),
    # Python's own message: a bool is not a factor (True * s would silently be s).
    ("mul-True", lambda: _S * True, T, r"^unsupported operand type\(s\) for \*: 'CosineDecay' and 'bool'$"),
    (
        "radd-False",
        lambda: False + _S,
        T,
        r"^unsupported operand type\(s\) for \+: 'bool' and 'CosineDecay'$",
    ),
    ("sum-bool", lambda: lrdecay.Sum(_S, True), T, not_schedule(r"schedules\[1\]", "True", "bool")),
    ("sub-True", lambda: _S - True, T, r"^unsupported operand type\(s\) for -: 'CosineDecay' and 'bool'$"),
    ("rsub-str", lambda: "1" - _S, T, r"^unsupported operand type\(s\) for -: 'str' and 'CosineDecay'$"),
    ("sub-inf", lambda: _S - INF, V, finite(r"schedules\[1\]", "-inf")),
    # Clip's bounds
    (
        "clip-min-gt-max",
        lambda: lrdecay.Clip(_S, 0.5, 0.1),
        V,
        r"^Argument `minimum` must be <= `maximum`\. Received: minimum=0\.5, maximum=0\.1$",
    ),
    (
        "clip-no-bound",
        lambda: lrdecay.Clip(_S),
        V,
        r"^Clip needs `minimum`, `maximum` or both\. Received: minimum=None, maximum=None$",
    ),
    ("clip-min-nan", lambda: lrdecay.Clip(_S, NAN), V, finite("minimum", "nan")),
    ("clip-max-str", lambda: lrdecay.Clip(_S, maximum="1"), T, real("maximum", "'1'", "str")),
    # Sum, Product, Minimum, Maximum: two or more
    (
        "sum-one-term",
        lambda: lrdecay.Sum(_S),
        V,
        r"^Argument `schedules` must hold at least 2 schedule\(s\)\. Received: schedules of length 1$",
    ),
    (
        "product-one-list",
        lambda: lrdecay.Product([_S]),
        V,
        r"at least 2 schedule\(s\)\. Received: schedules of length 1$",
    ),
    (
        "minimum-none",
        lambda: lrdecay.Minimum(),
        V,
        r"at least 2 schedule\(s\)\. Received: schedules of length 0$",
    ),
    # from_config of the _Nary classes: exactly the key 'schedules', a list
    (
        "sum-config-extra-key",
        lambda: lrdecay.Sum.from_config({"schedules": [_CFG, _CFG], "name": None}),
        V,
        r"^Sum\.from_config expects exactly the key 'schedules'\. Received keys: \['name', 'schedules'\]$",
    ),
    (
        "product-config-missing-key",
        lambda: lrdecay.Product.from_config({}),
        V,
        r"^Product\.from_config expects exactly the key 'schedules'\. Received keys: \[\]$",
    ),
    (
        "maximum-config-not-list",
        lambda: lrdecay.Maximum.from_config({"schedules": _CFG}),
        T,
        r"^Argument `schedules` of Maximum must be a list\. Received: schedules=\{.*\} of type dict$",
    ),
    (
        "minimum-config-not-dict",
        lambda: lrdecay.Minimum.from_config([_CFG]),
        T,
        r"^Minimum\.from_config expects a dict\. Received: config=\[.*\] of type list$",
    ),
    (
        "sum-config-one-term",
        lambda: lrdecay.Sum.from_config({"schedules": [_CFG]}),
        V,
        r"at least 2 schedule\(s\)\. Received: schedules of length 1$",
    ),
    (
        "join-config-extra-key",
        lambda: lrdecay.Join.from_config({"schedules": [0.1, 0.2], "boundaries": [1], "x": 1}),
        V,
        r"^Unknown argument\(s\) \['x'\] for Join\. Accepted: \['schedules', 'boundaries', 'clock'\]$",
    ),
    (
        "warmup-config-missing-key",
        lambda: lrdecay.Warmup.from_config({"schedule": _CFG}),
        V,
        r"^Missing argument\(s\) \['warmup_steps'\] for Warmup\. Accepted: \['schedule', 'warmup_steps', 'start', 'shape'\]$",
    ),
]
CONSTRUCTION += COMPOSITION

SCHEDULE = ExponentialDecay(0.1, 10, 0.5)
STEP_FINITE = r"^Argument `step` must be a finite number >= 0\. Received: step="
STEP_NUMBER = r"^Argument `step` must be a number or an array of numbers\. Received: step"

CALL = [
    # Python numbers
    ("int-neg", -1, V, STEP_FINITE + r"-1$"),
    ("float-neg", -0.5, V, STEP_FINITE + r"-0\.5$"),
    ("float-nan", NAN, V, STEP_FINITE + r"nan$"),
    ("float-inf", INF, V, STEP_FINITE + r"inf$"),
    ("float-minus-inf", -INF, V, STEP_FINITE + r"-inf$"),
    ("str", "5", T, STEP_NUMBER + r"='5' of type str$"),
    ("None", None, T, STEP_NUMBER + r"=None of type NoneType$"),
    ("bool-True", True, T, STEP_NUMBER + r"=True of type bool$"),
    ("bool-False", False, T, STEP_NUMBER + r"=False of type bool$"),
    ("complex", 1j, T, STEP_NUMBER + r"=1j of type complex$"),
    ("object", object(), T, STEP_NUMBER + r"=<object object at .*> of type object$"),
    ("dict", {"step": 1}, T, STEP_NUMBER + r"=\{'step': 1\} of type dict$"),
    # numpy scalars
    ("np-float-neg", np.float64(-1.0), V, STEP_FINITE + r"-1\.0"),
    ("np-int-neg", np.int64(-3), V, STEP_FINITE + r"-3"),
    ("np-float32-nan", np.float32("nan"), V, STEP_FINITE + r"nan"),
    ("np-bool", np.bool_(True), T, STEP_NUMBER + r"=True of type bool$"),
    ("np-complex", np.complex128(1), T, STEP_NUMBER + r" of dtype complex128$"),
    # numpy arrays
    ("array-neg", np.array([1, -2]), V, STEP_FINITE + r"-2 \(in an array of shape \(2,\)\)$"),
    ("array-nan", np.array([1.0, NAN]), V, STEP_FINITE + r"nan \(in an array of shape \(2,\)\)$"),
    ("array-inf-2d", np.array([[1.0, INF]]), V, STEP_FINITE + r"inf \(in an array of shape \(1, 2\)\)$"),
    ("array-minus-inf", np.array([-INF, 1.0]), V, STEP_FINITE + r"-inf \(in an array of shape \(2,\)\)$"),
    ("array-str", np.array(["a"]), T, STEP_NUMBER + r" of dtype <U1$"),
    ("array-object", np.array([1, None], dtype=object), T, STEP_NUMBER + r" of dtype object$"),
    ("array-bool", np.array([True, False]), T, STEP_NUMBER + r"=array\(\[ True, False\]\) of type ndarray$"),
    ("array-complex", np.array([1 + 0j]), T, STEP_NUMBER + r" of dtype complex128$"),
    ("list-neg", [1, -1], V, STEP_FINITE + r"-1 \(in an array of shape \(2,\)\)$"),
    ("list-str", ["1"], T, STEP_NUMBER + r" of dtype <U1$"),
]


@pytest.mark.parametrize("make, error, pattern", [pytest.param(*row[1:], id=row[0]) for row in CONSTRUCTION])
def test_bad_constructor_arguments(make, error, pattern):
    with pytest.raises(error, match=pattern) as info:
        make()
    assert type(info.value) is error


@pytest.mark.parametrize("step, error, pattern", [pytest.param(*row[1:], id=row[0]) for row in CALL])
def test_bad_steps(step, error, pattern):
    with pytest.raises(error, match=pattern) as info:
        SCHEDULE(step)
    assert type(info.value) is error


@pytest.mark.parametrize("step, error, pattern", [pytest.param(*row[1:], id=row[0]) for row in CALL])
def test_bad_steps_are_refused_by_every_class(step, error, pattern):
    """The same check guards every schedule, whatever its formula would do with the value."""
    for schedule in (
        PiecewiseConstantDecay([10], [1.0, 0.5]),
        PolynomialDecay(0.1, 10, cycle=True),
        CosineDecayRestarts(0.1, 10, t_mul=0.5),
        NoisyLinearCosineDecay(0.1, 10),
        CosineDecayWithLinearWarmup(0.1, 0.0, 5, 10),
        lrdecay.Warmup(lrdecay.Join([0.1, lrdecay.Repeat(lrdecay.Linear(0.1, 0.0, 4), 4)], [3]), 2) * 0.5,
        lrdecay.TimeScale(lrdecay.Shift(0.1, 3), 3, discrete=True),
    ):
        with pytest.raises(error, match=pattern):
            schedule(step)


def test_there_are_enough_rows():
    assert len(CONSTRUCTION) + len(CALL) >= 30


def test_overflow_is_an_error_not_inf():
    """A growing exponential (decay_rate > 1) leaves float64: the scalar path says so."""
    with pytest.raises(ValueError, match=r"^ExponentialDecay overflows float64 at step=2000$"):
        ExponentialDecay(0.1, 1, 2.0)(2000)
    # A 332-digit step is shown cut short, with its length.
    with pytest.raises(
        ValueError, match=r"^ExponentialDecay overflows float64 at step=\d{28}\.\.\.\d{29} \(332 digits\)$"
    ):
        ExponentialDecay(0.1, 10, 0.5)(2**1100)


# -- compat.v1 -----------------------------------------------------------------------------

V1_NONE = [
    ("exponential_decay", lambda: v1.exponential_decay(0.1, None, 10, 0.5)),
    ("natural_exp_decay", lambda: v1.natural_exp_decay(0.1, None, 10, 0.5)),
    ("inverse_time_decay", lambda: v1.inverse_time_decay(0.1, None, 10, 0.5)),
    ("polynomial_decay", lambda: v1.polynomial_decay(0.1, None, 10)),
    ("cosine_decay", lambda: v1.cosine_decay(0.1, None, 10)),
    ("cosine_decay_restarts", lambda: v1.cosine_decay_restarts(0.1, None, 10)),
    ("linear_cosine_decay", lambda: v1.linear_cosine_decay(0.1, None, 10)),
    ("noisy_linear_cosine_decay", lambda: v1.noisy_linear_cosine_decay(0.1, None, 10)),
    (
        "cosine_learning_rate_with_linear_warmup",
        lambda: v1.cosine_learning_rate_with_linear_warmup(None, 0.1, 0.0, 5, 10),
    ),
]


@pytest.mark.parametrize("name, make", V1_NONE, ids=[n for n, _ in V1_NONE])
def test_v1_global_step_none(name, make):
    with pytest.raises(ValueError, match=rf"^global_step is required for {name}\.$"):
        make()


@pytest.mark.parametrize("fn", [v1.piecewise_constant, v1.piecewise_constant_decay])
def test_v1_piecewise_x_none(fn):
    with pytest.raises(ValueError, match=r"^x is required for piecewise_constant\.$"):
        fn(None, [10], [1.0, 0.5])


def test_v1_bad_arguments_and_steps():
    # Arguments are checked when the function is called (the schedule is built then).
    with pytest.raises(ValueError, match=must("decay_steps", ">", 0, "0")):
        v1.exponential_decay(0.1, 5, 0, 0.5)
    # Steps are checked when the returned callable reads the counter.
    counter = [-1]
    lr = v1.exponential_decay(0.1, lambda: counter[0], 10, 0.5)
    with pytest.raises(ValueError, match=STEP_FINITE + r"-1$"):
        lr()
    counter[0] = 3
    assert lr() == pytest.approx(0.1 * 0.5**0.3, rel=1e-15)
    with pytest.raises(TypeError, match=STEP_NUMBER + r"='a' of type str$"):
        v1.exponential_decay(0.1, "a", 10, 0.5)()
    with pytest.raises(ValueError, match=STEP_FINITE + r"nan$"):
        float(v1.cosine_decay(0.1, np.float64("nan"), 10))


# -- evaluate() ----------------------------------------------------------------------------

EVALUATE = [
    (
        "dtype-int",
        dict(steps=3, dtype=np.int32),
        V,
        r"^Argument `dtype` must be float64 or float32\. Received: dtype=int32$",
    ),
    (
        "dtype-float16",
        dict(steps=3, dtype=np.float16),
        V,
        r"^Argument `dtype` must be float64 or float32\. Received: dtype=float16$",
    ),
    ("dtype-str", dict(steps=3, dtype="complex128"), V, r"Received: dtype=complex128$"),
    (
        "out-shape",
        dict(steps=3, out=np.zeros(2)),
        V,
        r"^Argument `out` must be a float64 array of shape \(3,\)\. Received: out of ndarray float64 \(2,\)$",
    ),
    (
        "out-dtype",
        dict(steps=3, out=np.zeros(3, np.float32)),
        V,
        r"^Argument `out` must be a float64 array of shape \(3,\)\. Received: out of ndarray float32 \(3,\)$",
    ),
    (
        "out-list",
        dict(steps=3, out=[0.0, 0.0, 0.0]),
        V,
        r"^Argument `out` must be a float64 array of shape \(3,\)\. Received: out of list$",
    ),
    ("steps-neg", dict(steps=-3), V, r"^Argument `steps` must be >= 0\. Received: steps=-3$"),
    ("steps-neg-array", dict(steps=[0, -1]), V, STEP_FINITE + r"-1"),
    ("steps-nan", dict(steps=np.array([NAN])), V, STEP_FINITE + r"nan"),
    ("steps-str", dict(steps="abc"), T, STEP_NUMBER + r" of dtype <U3$"),
    ("steps-bool", dict(steps=True), T, STEP_NUMBER),
]


@pytest.mark.parametrize("kwargs, error, pattern", [pytest.param(*row[1:], id=row[0]) for row in EVALUATE])
def test_evaluate_bad_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        lrdecay.evaluate(SCHEDULE, **kwargs)


def test_evaluate_bad_schedule():
    with pytest.raises(
        TypeError,
        match=r"^Argument `schedule` must be an lrdecay\.Schedule\. Received: schedule='x' of type str$",
    ):
        lrdecay.evaluate("x", 3)
    with pytest.raises(TypeError, match=r"Received: schedule=<function"):
        lrdecay.evaluate(lambda s: 0.1, 3)


def test_call_without_a_step_says_how_to_use_it_with_keras():
    with pytest.raises(TypeError, match=r"ExponentialDecay needs the step: schedule\(step\)\. .*to_keras"):
        lrdecay.ExponentialDecay(0.1, 10, 0.5)()


def test_raw_schedule_in_a_keras_optimizer_gets_the_hint():
    keras = pytest.importorskip("keras")
    opt = keras.optimizers.SGD(learning_rate=lrdecay.ExponentialDecay(0.1, 10, 0.5))
    with pytest.raises(TypeError, match="to_keras"):
        _ = opt.learning_rate  # Keras calls a callable learning rate with no argument

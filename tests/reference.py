"""An independent oracle for every lrdecay schedule, in pure Python (`math`, `fractions`).

Written from the formulas of notes/tf_semantics.md and DESIGN.md §4, not from lrdecay's
code, and deliberately computed a different way so that a shared mistake is unlikely:

* every quotient of the step (``step / decay_steps``, the period index, the position
  inside a period, ``1 - t``) is computed EXACTLY with `fractions.Fraction` from the
  exact binary values of the arguments, and rounded to float once;
* ``(1 + cos(pi * x)) / 2`` is evaluated as ``cos(pi * x / 2) ** 2`` or
  ``sin(pi * (1 - x) / 2) ** 2`` after an exact reduction of ``x`` modulo 2, so it keeps
  full relative precision near its zeros;
* CosineDecayRestarts walks the periods one by one (subtract the period, multiply the
  period by t_mul and the peak by m_mul, until the step falls inside), TensorFlow's own
  test reference, instead of lrdecay's closed form with a logarithm;
* the combinators (`Warmup`, `Join`, `Sum`, `Clip`, `Repeat`, `TimeScale`, ...) are
  evaluated recursively over their nested configs at exact steps, their lines, sums,
  products and comparisons in Fractions (see `COMPOSITE`);
* the noise of NoisyLinearCosineDecay is re-derived from the specification in the
  docstring of ``lrdecay._noise`` (lowbias32 chained over seed and the two 32-bit halves of
  the step, then Box-Muller).

The oracle is therefore MORE accurate than a float64 implementation can be; the tests
compare with tolerances that say which part of the residual error is float64 rounding
(see tests/test_edges.py).

Semantics are lrdecay's (DESIGN.md §4): exact float64 hyperparameters, a step equal to a
piecewise boundary takes the earlier value, every schedule holds its final value after
its end (CosineDecayRestarts with ``t_mul < 1`` holds ``alpha * initial`` after its finite
total length; the tpu cosine holds 0 after ``total_steps``).

Every function takes the step last; steps are Python ints, floats or Fractions >= 0.
"""

from __future__ import annotations

import math
from fractions import Fraction

__all__ = [
    "COMPOSITE",
    "ORACLES",
    "cosine_decay",
    "cosine_decay_restarts",
    "cosine_decay_with_linear_warmup",
    "cyclic",
    "expected",
    "exponential_decay",
    "half_cosine",
    "inverse_sqrt_decay",
    "inverse_time_decay",
    "linear_cosine_decay",
    "multi_step_decay",
    "natural_exp_decay",
    "noise_normal",
    "noisy_linear_cosine_decay",
    "one_cycle",
    "piecewise_constant_decay",
    "polynomial_decay",
    "restart_position",
    "tanh_decay",
    "tri_stage",
    "warmup_stable_decay",
]


def _x(value) -> Fraction:
    """The exact value of a number (a float's binary value, not its decimal spelling)."""
    return value if isinstance(value, Fraction) else Fraction(value)


def half_cosine(x) -> float:
    """``(1 + cos(pi * x)) / 2`` for an exact `x`, with full relative precision.

    Reduce x modulo 2 exactly, fold [1, 2) onto (0, 1], then use the half-angle forms:
    ``(1 + cos(pi x)) / 2 = cos(pi x / 2) ** 2 = sin(pi (1 - x) / 2) ** 2``.
    """
    x = _x(x) % 2
    if x > 1:
        x = 2 - x
    if x <= Fraction(1, 2):
        return math.cos(math.pi * float(x) / 2.0) ** 2
    return math.sin(math.pi * float(1 - x) / 2.0) ** 2


def _progress(step, decay_steps, staircase: bool) -> Fraction:
    p = _x(step) / _x(decay_steps)
    return Fraction(math.floor(p)) if staircase else p


# -- the rate decays -------------------------------------------------------------------


def exponential_decay(initial_learning_rate, decay_steps, decay_rate, staircase=False, *, step) -> float:
    """``initial * decay_rate ** p``, ``p = step / decay_steps`` (floored with staircase)."""
    p = _progress(step, decay_steps, staircase)
    if p.denominator == 1:
        factor = float(decay_rate) ** int(p)  # an integer power: float ** int
    else:
        factor = math.pow(float(decay_rate), float(p))
    return float(initial_learning_rate) * factor


def natural_exp_decay(initial_learning_rate, decay_steps, decay_rate, staircase=False, *, step) -> float:
    """``initial * exp(-decay_rate * p)``, the product rounded once."""
    p = _progress(step, decay_steps, staircase)
    return float(initial_learning_rate) * math.exp(-float(_x(decay_rate) * p))


def inverse_time_decay(initial_learning_rate, decay_steps, decay_rate, staircase=False, *, step) -> float:
    """``initial / (1 + decay_rate * p)``, the denominator rounded once."""
    p = _progress(step, decay_steps, staircase)
    return float(initial_learning_rate) / float(1 + _x(decay_rate) * p)


# -- piecewise -------------------------------------------------------------------------


def piecewise_constant_decay(boundaries, values, *, step) -> float:
    """``values[k]`` with k = the number of boundaries strictly below the step.

    Intervals are closed on the right: a step equal to ``boundaries[i]`` still gets
    ``values[i]`` (the earlier value).
    """
    s = _x(step)
    k = 0
    for b in boundaries:
        if _x(b) < s:
            k += 1
    return float(values[k])


# -- polynomial ------------------------------------------------------------------------


def polynomial_decay(
    initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False, *, step
) -> float:
    """``(initial - end) * (1 - p) ** power + end``.

    Without cycle ``p = min(step, T) / T``. With cycle the horizon is
    ``T * ceil(step / T)``, and ``T`` at step 0 (TensorFlow's multiplier 1), so an
    exact multiple of T gives `end` and the restart shows one step later.
    """
    s, t = _x(step), _x(decay_steps)
    if cycle:
        multiplier = 1 if s == 0 else math.ceil(s / t)
        remaining = 1 - s / (t * multiplier)
    else:
        remaining = 1 - min(s, t) / t
    span = float(_x(initial_learning_rate) - _x(end_learning_rate))
    return span * float(remaining) ** float(power) + float(end_learning_rate)


# -- the cosine family -----------------------------------------------------------------


def cosine_decay(
    initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0, *, step
) -> float:
    """Keras 3's cosine decay, with the warmup adding to the decay.

    No warmup target: ``initial * ((1 - alpha) * hc(min(s, T) / T) + alpha)``.
    With a target τ and W warmup steps: the straight line from `initial` (step 0) to τ
    (step W) before W, then τ times the cosine over the next T steps, holding ``alpha * τ``.
    (W == 0 with a target: the schedule starts at τ.)
    """
    s, t = _x(step), _x(decay_steps)
    peak = initial_learning_rate
    if warmup_target is not None:
        w = _x(warmup_steps)
        if s < w:
            lo, hi = _x(initial_learning_rate), _x(warmup_target)
            return float(lo + (hi - lo) * s / w)
        s -= w
        peak = warmup_target
    a = float(alpha)
    return float(peak) * ((1.0 - a) * half_cosine(min(s, t) / t) + a)


def restart_position(first_decay_steps, t_mul, step):
    """Walk SGDR's periods: ``(i, r, length)`` or None past the end of a finite schedule.

    In units of `first_decay_steps`: the step lies in period ``i`` (0-based) whose length
    is ``length = t_mul ** i``, at the fraction ``r`` in [0, 1) of it. The walk subtracts
    the periods one at a time (TensorFlow's test reference); with ``t_mul == 1`` the
    number of whole periods is taken in one go (the same walk, not millions of loops).
    With ``t_mul < 1`` the periods add up to ``1 / (1 - t_mul)``: None from there on.
    """
    f = _x(step) / _x(first_decay_steps)
    t = _x(t_mul)
    if t == 1:
        i = math.floor(f)
        return i, f - i, Fraction(1)
    if t < 1 and f >= 1 / (1 - t):
        return None
    i, length = 0, Fraction(1)
    while f >= length:
        f -= length
        length *= t
        i += 1
    return i, f / length, length


def cosine_decay_restarts(
    initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, *, step
) -> float:
    """SGDR: ``initial * ((1 - alpha) * m_mul ** i * hc(r) + alpha)`` in period i at r."""
    position = restart_position(first_decay_steps, t_mul, step)
    a = float(alpha)
    if position is None:
        return float(initial_learning_rate) * a
    i, r, _ = position
    factor = float(m_mul) ** i  # for the walk: the peak multiplied by m_mul at each restart
    return float(initial_learning_rate) * ((1.0 - a) * factor * half_cosine(r) + a)


def linear_cosine_decay(
    initial_learning_rate, decay_steps, num_periods=0.5, alpha=0.0, beta=0.001, *, step, eps=0.0
) -> float:
    """``initial * ((alpha + lin + eps) * hc(2 * num_periods * t) + beta)``.

    ``t = min(step, T) / T`` and ``lin = 1 - t``; `eps` is the noise of the noisy variant.
    """
    s, t = _x(step), _x(decay_steps)
    frac = min(s, t) / t
    linear = float(1 - frac)
    cosine = half_cosine(2 * _x(num_periods) * frac)
    return float(initial_learning_rate) * ((float(alpha) + linear + eps) * cosine + float(beta))


# The noise: lowbias32 (Chris Wellons) chained over the seed and the step's two halves.
_M32 = 0xFFFFFFFF


def _lowbias32(x: int) -> int:
    x ^= x >> 16
    x = (x * 0x7FEB352D) % 2**32
    x ^= x >> 15
    x = (x * 0x846CA68B) % 2**32
    x ^= x >> 16
    return x


def noise_normal(seed: int, step) -> float:
    """The standard normal draw lrdecay assigns to ``(seed, floor(step))``.

    Specification (lrdecay._noise): ``h = mix(seed ^ 0x9E3779B9)``, ``h = mix(h ^ lo)``,
    ``h1 = mix(h ^ hi)``, ``h2 = mix(h1 ^ 0x85EBCA6B)`` with lo/hi the 32-bit halves of
    the integer step; then Box-Muller on ``u = (h + 1/2) / 2**32``:
    ``sqrt(-2 ln u1) * cos(2 pi u2)``.
    """
    k = math.floor(_x(step))
    h = _lowbias32((seed % 2**32) ^ 0x9E3779B9)
    h = _lowbias32(h ^ (k % 2**32))
    h1 = _lowbias32(h ^ ((k >> 32) % 2**32))
    h2 = _lowbias32(h1 ^ 0x85EBCA6B)
    u1 = (h1 + 0.5) / 2.0**32
    u2 = (h2 + 0.5) / 2.0**32
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def noisy_linear_cosine_decay(
    initial_learning_rate,
    decay_steps,
    initial_variance=1.0,
    variance_decay=0.55,
    num_periods=0.5,
    alpha=0.0,
    beta=0.001,
    seed=0,
    *,
    step,
    eps=None,
) -> float:
    """The linear cosine with ``eps ~ N(0, initial_variance / (1 + h) ** variance_decay)``.

    ``h = min(step, T)``; eps is ``sqrt(variance) * noise_normal(seed, h)`` unless given.
    """
    held = min(_x(step), _x(decay_steps))
    if eps is None:
        variance = float(initial_variance) / (1.0 + float(held)) ** float(variance_decay)
        eps = math.sqrt(variance) * noise_normal(seed or 0, held)
    return linear_cosine_decay(
        initial_learning_rate, decay_steps, num_periods, alpha, beta, step=step, eps=eps
    )


def cosine_decay_with_linear_warmup(
    init_learning_rate, warmup_learning_rate, warmup_steps, total_steps, *, step
) -> float:
    """tensorflow/tpu's warmup + cosine, holding 0 from `total_steps` on.

    ``wlr + s / W * (init - wlr)`` for s < W, then
    ``init * hc((s - W) / (total - W))`` until total, then 0.
    """
    s, w, total = _x(step), _x(warmup_steps), _x(total_steps)
    if s < w:
        lo, hi = _x(warmup_learning_rate), _x(init_learning_rate)
        return float(lo + (hi - lo) * s / w)
    if s >= total:
        return 0.0
    return float(init_learning_rate) * half_cosine((s - w) / (total - w))


# -- the schedules modern training uses (mpmath for the transcendental parts) --------------
#
# Written from notes/modern_schedules.md (torch OneCycleLR/CyclicLR/MultiStepLR, fairseq
# tri_stage/inverse_sqrt, the WSD papers) and the class docstrings: exact rationals for
# every position, mpmath at 50 digits for cos, sqrt and powers (no half-angle tricks, no
# complement: the precision comes from the digits).

_MP = None


def _mp():
    global _MP
    if _MP is None:
        import mpmath

        _MP = mpmath.mp.clone() if hasattr(mpmath.mp, "clone") else mpmath.mp
        _MP.dps = 50
    return _MP


def _m(value):
    """A Fraction (or float, int) as an exact mpmath number."""
    x = _x(value)
    mp = _mp()
    return mp.mpf(x.numerator) / x.denominator


def _cos_anneal(start, end, q) -> object:
    """``end + (start - end) * (1 + cos(pi q)) / 2`` in mpmath, q exact."""
    mp = _mp()
    return _m(end) + (_m(start) - _m(end)) * (1 + mp.cos(mp.pi * _m(q))) / 2


def warmup_stable_decay(
    peak_learning_rate,
    warmup_steps,
    stable_steps,
    decay_steps,
    decay_shape="linear",
    final_learning_rate=0.0,
    initial_learning_rate=0.0,
    *,
    step,
) -> float:
    """Warmup, stable, cooldown by shape, then the final rate (boundaries to the later phase)."""
    s, w, st, d = _x(step), _x(warmup_steps), _x(stable_steps), _x(decay_steps)
    p, f, i = _x(peak_learning_rate), _x(final_learning_rate), _x(initial_learning_rate)
    if s < w:
        return float(i + (p - i) * s / w)
    if s < w + st:
        return float(p)
    if s >= w + st + d:
        return float(f)
    x = (s - w - st) / d
    mp = _mp()
    if decay_shape == "linear":
        return float(f + (p - f) * (1 - x))
    if decay_shape == "cosine":
        return float(_cos_anneal(p, f, x))
    if decay_shape == "1-sqrt":
        return float(_m(f) + _m(p - f) * (1 - mp.sqrt(_m(x))))
    if decay_shape == "exponential":
        return float(_m(p) * mp.power(_m(f) / _m(p), _m(x)))
    raise ValueError(decay_shape)


def inverse_sqrt_decay(peak_learning_rate, warmup_steps, initial_learning_rate=0.0, timescale=None, *, step):
    """Linear warmup, then ``peak * sqrt(tau / (step - W + tau))``, tau = timescale or W."""
    s, w = _x(step), _x(warmup_steps)
    p, i = _x(peak_learning_rate), _x(initial_learning_rate)
    if s < w:
        return float(i + (p - i) * s / w)
    tau = w if timescale is None else _x(timescale)
    return float(_m(p) * _mp().sqrt(_m(tau / (s - w + tau))))


def one_cycle(
    max_learning_rate,
    total_steps,
    pct_start=0.3,
    anneal="cosine",
    div_factor=25.0,
    final_div_factor=1e4,
    three_phase=False,
    *,
    step,
) -> float:
    """torch's OneCycleLR: float phase ends (torch's own float arithmetic defines them),
    the first phase with ``step <= end`` (the end step belongs to it), exact positions;
    past ``total_steps - 1`` the final value held."""
    init = max_learning_rate / div_factor
    low = init / final_div_factor
    if three_phase:
        ends = [float(pct_start * total_steps) - 1, float(2 * pct_start * total_steps) - 2, total_steps - 1]
        levels = [init, max_learning_rate, init, low]
    else:
        ends = [float(pct_start * total_steps) - 1, total_steps - 1]
        levels = [init, max_learning_rate, low]
    s = _x(step)
    a = Fraction(0)
    for k, e in enumerate(ends):
        b = _x(e)
        if s <= b:
            q = (s - a) / (b - a)
            start, end = _x(levels[k]), _x(levels[k + 1])
            if anneal == "linear":
                return float(start + (end - start) * q)
            return float(_cos_anneal(start, end, q))
        a = b
    return float(low)


def cyclic(
    base_learning_rate,
    max_learning_rate,
    step_size_up,
    step_size_down=None,
    mode="triangular",
    gamma=1.0,
    *,
    step,
) -> float:
    """torch's CyclicLR with the exact cycle and position: ``c = floor(s / T)``, ``p = s - cT``."""
    s, u = _x(step), _x(step_size_up)
    d = u if step_size_down is None else _x(step_size_down)
    period = u + d
    c = math.floor(s / period)
    p = s - c * period
    h = p / u if p <= u else (period - p) / d
    height = (_x(max_learning_rate) - _x(base_learning_rate)) * h
    if mode == "triangular":
        return float(_x(base_learning_rate) + height)
    if mode == "triangular2":
        return float(_m(base_learning_rate) + _mp().ldexp(_m(height), -c))  # 2**-c, c up to 2**53
    return float(_m(base_learning_rate) + _m(height) * _mp().power(_m(gamma), _m(s)))


def tri_stage(
    peak_learning_rate,
    warmup_steps,
    hold_steps,
    decay_steps,
    init_lr_scale=0.01,
    final_lr_scale=0.01,
    *,
    step,
) -> float:
    """fairseq tri_stage: warmup from peak * init_scale, hold, peak * final_scale ** x, final."""
    s, w, h, d = _x(step), _x(warmup_steps), _x(hold_steps), _x(decay_steps)
    p = _x(peak_learning_rate)
    if s < w:
        i = p * _x(init_lr_scale)
        return float(i + (p - i) * s / w)
    if s < w + h:
        return float(p)
    if s <= w + h + d:
        return float(_m(p) * _mp().power(_m(final_lr_scale), _m((s - w - h) / d)))
    return float(p * _x(final_lr_scale))


def tanh_decay(initial_learning_rate, decay_steps, lower=-7.0, upper=3.0, *, step) -> float:
    """``initial * (1 - tanh(x)) / 2``, ``x = lower + (upper - lower) * min(s, D) / D`` exact, in mpmath."""
    d = _x(decay_steps)
    x = _x(lower) + (_x(upper) - _x(lower)) * min(_x(step), d) / d
    mp = _mp()
    return float(_m(initial_learning_rate) * (1 - mp.tanh(_m(x))) / 2)


def multi_step_decay(initial_learning_rate, milestones, gamma=0.1, *, step) -> float:
    """``initial * gamma ** #{m <= step}``, exactly."""
    s = _x(step)
    n = sum(1 for m in milestones if _x(m) <= s)
    return float(_x(initial_learning_rate) * _x(gamma) ** n)


#: class name -> oracle function (keyword arguments: the constructor's, then `step`).
ORACLES = {
    "ExponentialDecay": exponential_decay,
    "NaturalExpDecay": natural_exp_decay,
    "InverseTimeDecay": inverse_time_decay,
    "PiecewiseConstantDecay": piecewise_constant_decay,
    "PolynomialDecay": polynomial_decay,
    "CosineDecay": cosine_decay,
    "CosineDecayRestarts": cosine_decay_restarts,
    "LinearCosineDecay": linear_cosine_decay,
    "NoisyLinearCosineDecay": noisy_linear_cosine_decay,
    "CosineDecayWithLinearWarmup": cosine_decay_with_linear_warmup,
    "WarmupStableDecay": warmup_stable_decay,
    "InverseSqrtDecay": inverse_sqrt_decay,
    "OneCycle": one_cycle,
    "Cyclic": cyclic,
    "TriStage": tri_stage,
    "MultiStepDecay": multi_step_decay,
    "TanhDecay": tanh_decay,
}


# -- composition (DESIGN.md §7) ---------------------------------------------------------
#
# A combinator's oracle gets its nested schedules as the serialized dicts of get_config()
# ({"class_name": ..., "config": ...}) and evaluates them recursively through `_exact`,
# at EXACT steps (a Fraction: ``step - warmup_steps``, ``step mod period``,
# ``step / steps_per_unit`` are never rounded), and combines their values exactly
# (sums, products, the straight lines and the comparisons of Clip/Minimum/Maximum in
# Fractions), rounding to float once at the top. Only the curves that are not rational
# (cosine, exp, ...) come in as floats, from the functions above.


def _exact(node, step) -> Fraction:
    """The exact value of a nested schedule (a serialized dict) at an exact step."""
    name, config = node["class_name"], node["config"]
    if name in COMPOSITE:
        return COMPOSITE[name](config, _x(step))
    kwargs = {k: v for k, v in config.items() if k != "name"}
    return Fraction(ORACLES[name](**kwargs, step=step))


def _constant(config, s):
    return _x(config["value"])


def _linear(config, s):
    """``start + (end - start) * min(s, steps) / steps``."""
    a, b, t = _x(config["start"]), _x(config["end"]), _x(config["steps"])
    return a + (b - a) * min(s, t) / t


def _warmup(config, s):
    """`start` at 0 to ``peak = inner(0)`` at W (a line, or ``sin(pi/2 * s/W) ** 2``), then ``inner(s - W)``."""
    inner, w = config["schedule"], _x(config["warmup_steps"])
    if s >= w:
        return _exact(inner, s - w)
    start, peak = _x(config["start"]), _exact(inner, 0)
    if config["shape"] == "linear":
        return start + (peak - start) * s / w
    # sin(pi x / 2) ** 2 == (1 - cos(pi x)) / 2 == half_cosine(1 - x), x exact.
    return start + (peak - start) * Fraction(half_cosine(1 - s / w))


def _join(config, s):
    """Piece i on [b[i-1], b[i]) (a step on a boundary: the later piece), local or global clock."""
    bounds = [_x(b) for b in config["boundaries"]]
    i = sum(1 for b in bounds if b <= s)
    origin = bounds[i - 1] if i and config["clock"] == "local" else 0
    return _exact(config["schedules"][i], s - origin)


def _sum(config, s):
    return sum((_exact(x, s) for x in config["schedules"]), Fraction(0))


def _product(config, s):
    out = Fraction(1)
    for x in config["schedules"]:
        out *= _exact(x, s)
    return out


def _minimum(config, s):
    return min(_exact(x, s) for x in config["schedules"])


def _maximum(config, s):
    return max(_exact(x, s) for x in config["schedules"])


def _clip(config, s):
    value = _exact(config["schedule"], s)
    if config["minimum"] is not None and value < _x(config["minimum"]):
        value = _x(config["minimum"])
    if config["maximum"] is not None and value > _x(config["maximum"]):
        value = _x(config["maximum"])
    return value


def _shift(config, s):
    return _exact(config["schedule"], max(s - _x(config["steps"]), Fraction(0)))


def _mp_fraction(value) -> Fraction:
    """An mpmath number as the exact Fraction of its binary value."""
    man, exp = _mp().mpf(value).man_exp
    return Fraction(int(man)) * Fraction(2) ** int(exp)


def _power_of(base: Fraction, exponent) -> Fraction:
    """``base ** exponent``: exact for a whole exponent, else in mpmath (base >= 0)."""
    e = _x(exponent)
    if e.denominator == 1 and e.numerator <= 64:
        return base ** int(e)
    return _mp_fraction(_mp().power(_m(base), _m(e)))


def _repeat(config, s):
    """Walk the cycles exactly: cycle i is ``period * period_mul**i`` long and ``decay**i`` high."""
    p, mul, decay = _x(config["period"]), _x(config.get("period_mul", 1)), _x(config.get("decay", 1))
    if mul == 1:
        i = math.floor(s / p)
        start, length = i * p, p
    else:
        i, start, length = 0, Fraction(0), p
        while s >= start + length:
            start, length, i = start + length, length * mul, i + 1
    inner = _exact(config["schedule"], (s - start) * p / length)
    return inner if decay == 1 else inner * _power_of(decay, i)


def _time_scale(config, s):
    u = s / _x(config["steps_per_unit"])
    u = Fraction(math.floor(u)) if config["discrete"] else u
    power = config.get("power", 1)
    return _exact(config["schedule"], u if power == 1 else _power_of(u, power))


def _power(config, s):
    return _power_of(_exact(config["schedule"], s), config["exponent"])


#: combinator class name -> oracle (config, exact step) -> exact value.
COMPOSITE = {
    "Constant": _constant,
    "Linear": _linear,
    "Warmup": _warmup,
    "Join": _join,
    "Sum": _sum,
    "Product": _product,
    "Minimum": _minimum,
    "Maximum": _maximum,
    "Clip": _clip,
    "Shift": _shift,
    "Repeat": _repeat,
    "TimeScale": _time_scale,
    "Power": _power,
}


def expected(class_name: str, config: dict, step) -> float:
    """The oracle's value for a schedule given by its class name and get_config().

    Nested schedules (the combinators) are evaluated recursively, exactly, and rounded once.
    """
    if class_name in COMPOSITE:
        return float(_exact({"class_name": class_name, "config": config}, step))
    kwargs = {k: v for k, v in config.items() if k != "name"}
    return ORACLES[class_name](**kwargs, step=step)

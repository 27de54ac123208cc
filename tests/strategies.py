"""Hypothesis strategies for every registered schedule class, and what each class promises.

``FAMILIES`` maps each registered class name to a `Family`: a strategy for its
constructor arguments (arbitrary valid values, ints and floats mixed, names included),
the range its docstring documents for the value, and its *pieces*, the step intervals on
which it is documented to be non-increasing, non-decreasing or constant. The property,
precision and resume tests (tests/test_properties.py, test_precision.py, test_resume.py)
are driven by the registry through this table: a registered class without an entry
makes them fail. Adding a schedule class means adding one entry here.

Piece boundaries are also the schedule's *phase boundaries* (warmup end, decay end,
stairs, restarts, piecewise boundaries): the steps where resume and precision are
checked hardest.

Hyperparameters the strategies avoid on purpose, with the reason:

* staircase and piecewise steps decided by rounding: with ``decay_steps=0.1`` the exact
  quotient ``3 / 0.1`` (binary 0.1) is just below 30 but rounds to 30.0; for staircase
  schedules `decay_steps` is an integer or a multiple of 1/8 (exact quotients), see
  tests/test_edges.py;
* growth past float64 (``ExponentialDecay`` with ``decay_rate > 1``, ``m_mul > 1``): the
  strategies do draw them, and `Family.may_overflow` says the step may get a
  ``ValueError("... overflows float64 ...")`` instead of a number.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from lrdecay import _registry

__all__ = [
    "FAMILIES",
    "MAX_STEP",
    "Family",
    "Piece",
    "instances",
    "phase_steps",
    "schedules",
    "steps_for",
]

#: The largest step every schedule is exact to in float64 (DESIGN.md §4).
MAX_STEP = 2**53
INF = math.inf


@dataclasses.dataclass(frozen=True)
class Piece:
    """An interval of steps on which the value is monotone: ``kind`` is "down"
    (never increases), "up" (never decreases) or "flat" (constant). ``closed`` says
    which end belongs to it: "[)" or "(]" (piecewise intervals are closed on the right)."""

    lo: float
    hi: float
    kind: str
    closed: str = "[)"

    def contains(self, step: float) -> bool:
        above = self.lo <= step if self.closed[0] == "[" else self.lo < step
        below = step <= self.hi if self.closed[1] == "]" else step < self.hi
        return above and below

    def shifted(self, by: float) -> Piece:
        lo, hi = self.lo + by, self.hi + by
        if not float(by).is_integer():  # the sum is rounded: keep clear of the ends
            lo = lo + 4e-16 * abs(lo) + 1e-300 if math.isfinite(lo) else lo
            hi = hi - 4e-16 * abs(hi) - 1e-300 if math.isfinite(hi) else hi
        return dataclasses.replace(self, lo=lo, hi=hi)

    def scaled(self, by: float) -> Piece:
        # Scaled steps are rounded (step / by): keep one step away from both ends.
        return dataclasses.replace(self, lo=self.lo * by + 1, hi=self.hi * by - 1)

    def within(self, lo: float, hi: float, closed: str = "[)") -> Piece | None:
        """The part of this piece inside ``lo..hi`` (or None)."""
        a, b = max(self.lo, lo), min(self.hi, hi)
        left = "(" if (a == self.lo and self.closed[0] == "(") or (a == lo and closed[0] == "(") else "["
        right = ")" if (b == self.hi and self.closed[1] == ")") or (b == hi and closed[1] == ")") else "]"
        if a > b or (a == b and left + right != "[]"):
            return None
        return Piece(a, b, self.kind, left + right)


def _together(kind_a: str, kind_b: str) -> str | None:
    """The kind of a sum / min / max of two monotone pieces of these kinds."""
    if kind_a == "flat":
        return kind_b
    if kind_b == "flat" or kind_b == kind_a:
        return kind_a
    return None


def combine_pieces(lists: list[list[Piece]], limit: int = 40) -> list[Piece]:
    """Where every child is monotone the same way (flat counts as either): the pieces
    of a sum, minimum or maximum of the children."""
    out = lists[0]
    for other in lists[1:]:
        merged = []
        for a in out:
            for b in other:
                kind = _together(a.kind, b.kind)
                part = a.within(b.lo, b.hi, b.closed) if kind else None
                if part is not None:
                    merged.append(dataclasses.replace(part, kind=kind))
        out = merged[:limit]
    return out


@dataclasses.dataclass(frozen=True)
class Family:
    """What the tests need to know about one schedule class."""

    #: Strategy of constructor keyword arguments.
    kwargs: st.SearchStrategy[dict[str, Any]]
    #: schedule -> (lowest, highest) documented value, over all steps.
    bounds: Callable[[Any], tuple[float, float]]
    #: schedule -> its monotone pieces (may leave steps uncovered: no promise there).
    pieces: Callable[[Any], list[Piece]]
    #: schedule -> True if large steps may overflow float64 (a ValueError, never inf).
    may_overflow: Callable[[Any], bool] = lambda s: False
    #: schedule -> True if the exact oracle (tests/reference.py) covers it.
    has_oracle: bool = True
    #: For combinators: children strategy -> strategy of constructor keyword arguments
    #: (then `kwargs` is unused), and how to call the class with them.
    nested: Callable[[st.SearchStrategy], st.SearchStrategy[dict[str, Any]]] | None = None
    build: Callable[[type, dict[str, Any]], Any] = lambda cls, kwargs: cls(**kwargs)


# -- building blocks -------------------------------------------------------------------

names = st.one_of(st.none(), st.text(max_size=12))
rates = st.one_of(
    st.floats(0.0, 10.0, allow_subnormal=False),
    st.sampled_from([0.0, 0.1, 1.0, 3e-4]),
    st.integers(0, 3),
)
fractions_01 = st.one_of(st.floats(0.0, 1.0, allow_subnormal=False), st.sampled_from([0.0, 0.5, 1.0]))
#: Lengths in steps: small, large, up to 2**40, ints and floats.
lengths = st.one_of(
    st.integers(1, 1000),
    st.integers(1, 2**40),
    st.floats(0.5, 1e6, allow_subnormal=False),
    st.sampled_from([1, 2, 7, 1000, 10**6]),
)
#: Lengths whose quotients by integer steps are exact (integers, multiples of 1/8).
exact_lengths = st.one_of(st.integers(1, 10**6), st.integers(1, 8 * 10**4).map(lambda k: k / 8))


def _lo_hi(*values: float) -> tuple[float, float]:
    return min(values), max(values)


def _trend(start: float, end: float) -> str:
    return "down" if end <= start else "up"


# -- the rate decays -------------------------------------------------------------------


@st.composite
def _rate_decay(draw, rate: st.SearchStrategy) -> dict[str, Any]:
    staircase = draw(st.booleans())
    return dict(
        initial_learning_rate=draw(rates),
        decay_steps=draw(exact_lengths if staircase else lengths),
        decay_rate=draw(rate),
        staircase=staircase,
        name=draw(names),
    )


def _stairs(s: Any, down: bool = True) -> list[Piece]:
    kind = "down" if down else "up"
    if not s.staircase:
        return [Piece(0, INF, kind)]
    t = s.decay_steps
    # The first stairs, one far stair, and the whole curve's trend.
    flats = [Piece(k * t, (k + 1) * t, "flat") for k in (0, 1, 2, 10, 2**30)]
    return [Piece(0, INF, kind), *flats]


def _exp_bounds(s: Any) -> tuple[float, float]:
    lr = s.initial_learning_rate
    return (0.0, lr) if s.decay_rate <= 1 else (lr, INF)


# -- the table -------------------------------------------------------------------------


def _pcd_kwargs() -> st.SearchStrategy[dict[str, Any]]:
    bound = st.one_of(st.integers(-10, 2**53), st.floats(-10.0, 2.0**53, allow_subnormal=False))

    @st.composite
    def build(draw):
        boundaries = sorted(set(draw(st.lists(bound, max_size=12))), key=float)
        # Distinct as floats too (1 and 1.0 are one boundary).
        out, seen = [], set()
        for b in boundaries:
            if float(b) not in seen:
                seen.add(float(b))
                out.append(b)
        values = draw(st.lists(rates, min_size=len(out) + 1, max_size=len(out) + 1))
        return dict(boundaries=out, values=values, name=draw(names))

    return build()


def _pcd_pieces(s: Any) -> list[Piece]:
    edges = [-INF, *s.boundaries, INF]
    pieces = [Piece(max(edges[i], -1), edges[i + 1], "flat", "(]") for i in range(len(edges) - 1)]
    values = s.values
    if all(b <= a for a, b in itertools.pairwise(values)):
        pieces.append(Piece(-1, INF, "down", "(]"))
    if all(b >= a for a, b in itertools.pairwise(values)):
        pieces.append(Piece(-1, INF, "up", "(]"))
    return pieces


@st.composite
def _poly_kwargs(draw) -> dict[str, Any]:
    cycle = draw(st.booleans())
    return dict(
        initial_learning_rate=draw(rates),
        decay_steps=draw(exact_lengths if cycle else lengths),
        end_learning_rate=draw(rates),
        power=draw(st.one_of(st.floats(0.05, 5.0), st.sampled_from([0.5, 1, 2.0, 3]))),
        cycle=cycle,
        name=draw(names),
    )


def _poly_pieces(s: Any) -> list[Piece]:
    t = s.decay_steps
    kind = _trend(s.initial_learning_rate, s.end_learning_rate)
    if not s.cycle:
        return [Piece(0, t, kind, "[)"), Piece(0, INF, kind), Piece(t, INF, "flat")]
    # Each cycle (k t, (k+1) t] runs from a restart down (or up) to the end value.
    return [Piece(0, t, kind, "[)")] + [Piece(k * t, (k + 1) * t, kind, "(]") for k in (1, 2, 5, 2**20)]


@st.composite
def _cosine_kwargs(draw) -> dict[str, Any]:
    target = draw(st.one_of(st.none(), rates))
    return dict(
        initial_learning_rate=draw(rates),
        decay_steps=draw(lengths),
        alpha=draw(fractions_01),
        name=draw(names),
        warmup_target=target,
        warmup_steps=0 if target is None else draw(st.one_of(st.just(0), lengths)),
    )


def _cosine_bounds(s: Any) -> tuple[float, float]:
    peak = s.initial_learning_rate if s.warmup_target is None else s.warmup_target
    return _lo_hi(s.initial_learning_rate, peak, peak * s.alpha)


def _cosine_pieces(s: Any) -> list[Piece]:
    w = s.warmup_steps if s.warmup_target is not None else 0
    end = w + s.decay_steps
    pieces = [Piece(w, end, "down"), Piece(end, INF, "flat"), Piece(w, INF, "down")]
    if w:
        pieces.append(Piece(0, w, _trend(s.initial_learning_rate, s.warmup_target)))
    return pieces


@st.composite
def _restarts_kwargs(draw) -> dict[str, Any]:
    return dict(
        initial_learning_rate=draw(rates),
        first_decay_steps=draw(st.one_of(exact_lengths, lengths)),
        t_mul=draw(st.one_of(st.sampled_from([1.0, 2.0, 2, 3, 0.5, 1.5]), st.floats(0.3, 4.0))),
        m_mul=draw(st.one_of(fractions_01, st.floats(1.0, 1.5))),
        alpha=draw(fractions_01),
        name=draw(names),
    )


def _restart_starts(s: Any, count: int = 40) -> list[float]:
    """Where the first periods start, in steps (float64; exact for the usual t_mul)."""
    first, t = s.first_decay_steps, float(s.t_mul)
    if t == 1.0:
        return [k * first for k in range(count)] + [k * first for k in (10**3, 10**6)]
    starts, start, length = [], 0.0, float(first)
    for _ in range(count):
        starts.append(start)
        start, length = start + length, length * t
        if start > MAX_STEP or length < 1e-3:
            break
    return starts


def _restarts_pieces(s: Any) -> list[Piece]:
    starts = _restart_starts(s)
    # Within a period the cosine falls. Near the start of the next one, a starting point
    # that is not a float64 integer is decided by rounding (tests/test_edges.py): keep
    # one step away from both ends.
    pieces = [Piece(a + 1, b - 1, "down") for a, b in itertools.pairwise(starts) if b - a > 2]
    if s.t_mul < 1:
        end = s.first_decay_steps / (1 - s.t_mul)
        pieces.append(Piece(math.ceil(end) + 1, INF, "flat"))
    return pieces


def _restarts_bounds(s: Any) -> tuple[float, float]:
    lr, a = s.initial_learning_rate, s.alpha
    return (lr * a, lr if s.m_mul <= 1 else INF)


@st.composite
def _linear_cosine_kwargs(draw, noisy: bool = False) -> dict[str, Any]:
    kwargs = dict(
        initial_learning_rate=draw(rates),
        decay_steps=draw(lengths),
        num_periods=draw(st.one_of(st.sampled_from([0.5, 0, 1, 2.0, 5]), st.floats(0.0, 10.0))),
        alpha=draw(fractions_01),
        beta=draw(st.one_of(st.sampled_from([0.001, 0.0]), st.floats(0.0, 1.0))),
        name=draw(names),
    )
    if noisy:
        kwargs.update(
            initial_variance=draw(st.floats(0.0, 2.0)),
            variance_decay=draw(st.floats(0.0, 2.0)),
            seed=draw(st.one_of(st.none(), st.integers(0, 2**40))),
        )
    return kwargs


def _linear_cosine_bounds(s: Any) -> tuple[float, float]:
    lr = s.initial_learning_rate
    return lr * s.beta, lr * (1 + s.alpha + s.beta)


def _linear_cosine_pieces(s: Any) -> list[Piece]:
    pieces = [Piece(s.decay_steps, INF, "flat")]
    if s.num_periods <= 0.5:  # the cosine factor falls on [0, T] too
        pieces.append(Piece(0, INF, "down"))
    return pieces


@st.composite
def _tpu_kwargs(draw) -> dict[str, Any]:
    warmup = draw(st.one_of(st.just(0), lengths))
    return dict(
        init_learning_rate=draw(rates),
        warmup_learning_rate=draw(rates),
        warmup_steps=warmup,
        total_steps=warmup + draw(lengths),
        name=draw(names),
    )


def _tpu_pieces(s: Any) -> list[Piece]:
    w, total = s.warmup_steps, s.total_steps
    pieces = [Piece(w, total, "down"), Piece(total, INF, "flat"), Piece(w, INF, "down")]
    if w:
        pieces.append(Piece(0, w, _trend(s.warmup_learning_rate, s.init_learning_rate)))
    return pieces


FAMILIES: dict[str, Family] = {
    "ExponentialDecay": Family(
        _rate_decay(st.one_of(st.floats(1e-3, 1.0), st.sampled_from([0.5, 0.96, 1]), st.floats(1.0, 1.5))),
        _exp_bounds,
        lambda s: _stairs(s, down=s.decay_rate <= 1),
        may_overflow=lambda s: s.decay_rate > 1,
    ),
    "NaturalExpDecay": Family(
        _rate_decay(st.one_of(st.floats(0.0, 10.0), st.sampled_from([0, 0.5, 0.96]))),
        lambda s: (0.0, s.initial_learning_rate),
        _stairs,
    ),
    "InverseTimeDecay": Family(
        _rate_decay(st.one_of(st.floats(0.0, 1000.0), st.sampled_from([0, 0.5, 0.96]))),
        lambda s: (0.0, s.initial_learning_rate),
        _stairs,
    ),
    "PiecewiseConstantDecay": Family(
        _pcd_kwargs(),
        lambda s: _lo_hi(*s.values),
        _pcd_pieces,
    ),
    "PolynomialDecay": Family(
        _poly_kwargs(),
        lambda s: _lo_hi(s.initial_learning_rate, s.end_learning_rate),
        _poly_pieces,
    ),
    "CosineDecay": Family(_cosine_kwargs(), _cosine_bounds, _cosine_pieces),
    "CosineDecayRestarts": Family(
        _restarts_kwargs(),
        _restarts_bounds,
        _restarts_pieces,
        may_overflow=lambda s: s.m_mul > 1,
    ),
    "LinearCosineDecay": Family(_linear_cosine_kwargs(), _linear_cosine_bounds, _linear_cosine_pieces),
    "NoisyLinearCosineDecay": Family(
        _linear_cosine_kwargs(noisy=True),
        # Documented: nothing keeps the noisy rate positive; it is finite.
        lambda s: (-INF, INF),
        lambda s: [Piece(s.decay_steps, INF, "flat")],
    ),
    "CosineDecayWithLinearWarmup": Family(
        _tpu_kwargs(),
        lambda s: _lo_hi(0.0, s.init_learning_rate, s.warmup_learning_rate),
        _tpu_pieces,
    ),
}


# -- combinators (schedules/compose.py) -------------------------------------------------


def family(s: Any) -> Family:
    return FAMILIES[type(s).__name__]


def bounds_of(s: Any) -> tuple[float, float]:
    return family(s).bounds(s)


def pieces_of(s: Any) -> list[Piece]:
    return family(s).pieces(s)


def overflows(s: Any) -> bool:
    return family(s).may_overflow(s)


def _children_of(s: Any) -> list[Any]:
    inner = getattr(s, "schedules", None)
    return list(inner) if inner is not None else [s.schedule]


def _any_child_overflows(s: Any) -> bool:
    return any(overflows(c) for c in _children_of(s))


numbers_any = st.one_of(st.floats(-10.0, 10.0, allow_subnormal=False), st.integers(-3, 3))


def _child_or_number(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(children, children, numbers_any)


def _interval_product(bounds: list[tuple[float, float]]) -> tuple[float, float]:
    lo, hi = 1.0, 1.0
    for a, b in bounds:
        if not all(math.isfinite(x) for x in (a, b, lo, hi)):
            return -INF, INF
        corners = [lo * a, lo * b, hi * a, hi * b]
        lo, hi = min(corners), max(corners)
    return lo, hi


def _warmup_pieces(s: Any) -> list[Piece]:
    w = s.warmup_steps
    inner = [p.shifted(w) for p in pieces_of(s.schedule)]
    inner = [q for p in inner if (q := p.within(w, INF)) is not None]
    return ([Piece(0, w, _trend(s.start, s._peak))] if w else []) + inner


def _join_pieces(s: Any) -> list[Piece]:
    edges = [0, *s.boundaries, INF]
    out = []
    for i, child in enumerate(s.schedules):
        lo, hi = edges[i], edges[i + 1]
        for p in pieces_of(child):
            q = (p.shifted(lo) if s.clock == "local" else p).within(lo, hi)
            if q is not None:
                out.append(q)
    return out


def _repeat_pieces(s: Any) -> list[Piece]:
    p, m = s.period, s.period_mul
    out = []
    if m != 1:
        start = 0.0
        for k in range(4):  # cycle k: the child's pieces stretched by m**k; rounding: 1 step off the ends
            for piece in pieces_of(s.schedule):
                q = piece.within(0, p)
                lo, hi = (start + q.lo * m**k + 1, start + q.hi * m**k - 1) if q is not None else (1, 0)
                if lo < hi <= MAX_STEP:
                    out.append(Piece(lo, hi, q.kind))
            start += p * m**k
        return out
    for k in (0, 1, 2, 10**6):
        for piece in pieces_of(s.schedule):
            q = piece.within(0, p).shifted(k * p) if piece.within(0, p) is not None else None
            if q is not None and k * p <= MAX_STEP:
                out.append(q)
    return out


def _timescale_pieces(s: Any) -> list[Piece]:
    d, k = s.steps_per_unit, 1.0 / s.power
    # The clock u ** power is increasing: a piece [a, b) of the child is [a**(1/power), b**(1/power)) in units.
    scaled = [dataclasses.replace(p, lo=p.lo**k, hi=p.hi**k).scaled(d) for p in pieces_of(s.schedule)]
    if s.discrete:
        scaled += [Piece(k * d, (k + 1) * d, "flat") for k in (0, 1, 2, 1000)]
    return [p for p in scaled if p.lo < p.hi]


def _repeat_bounds(s: Any) -> tuple[float, float]:
    lo, hi = bounds_of(s.schedule)
    return (lo, hi) if s.decay == 1 else (min(lo, 0.0), max(hi, 0.0))  # decay**i shrinks towards 0


def _power_bounds(s: Any) -> tuple[float, float]:
    lo, hi = bounds_of(s.schedule)
    e = s.exponent
    if e == 0:
        return 1.0, 1.0
    values = [x**e if math.isfinite(x) else (INF if x > 0 or e % 2 == 0 else -INF) for x in (lo, hi)]
    if lo < 0 < hi:
        values.append(0.0)
    return min(values), max(values)


def _flat_pieces(s: Any) -> list[Piece]:
    return [p for p in pieces_of(s) if p.kind == "flat"]


def _build_power(cls: type, kwargs: dict[str, Any]) -> Any:
    from lrdecay.schedules.compose import as_schedule

    child, e = as_schedule("schedule", kwargs["schedule"]), kwargs["exponent"]
    if bounds_of(child)[0] < 0:  # a fractional power of a negative value is refused: keep it whole
        e = round(e)
    return cls(child, e)


def _product_pieces(s: Any) -> list[Piece]:
    lists = [pieces_of(c) for c in s.schedules]
    if any(bounds_of(c)[0] < 0 for c in s.schedules):
        lists = [[p for p in ps if p.kind == "flat"] for ps in lists]
    return combine_pieces(lists)


def _clip_bounds(s: Any) -> tuple[float, float]:
    lo, hi = bounds_of(s.schedule)
    if s.minimum is not None:
        lo, hi = max(lo, s.minimum), max(hi, s.minimum)
    if s.maximum is not None:
        lo, hi = min(lo, s.maximum), min(hi, s.maximum)
    return lo, hi


@st.composite
def _clip_kwargs(draw, children) -> dict[str, Any]:
    lo = draw(st.one_of(st.none(), numbers_any))
    hi = draw(st.one_of(st.none(), numbers_any)) if lo is not None else draw(numbers_any)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return dict(schedule=draw(_child_or_number(children)), minimum=lo, maximum=hi)


@st.composite
def _join_kwargs(draw, children) -> dict[str, Any]:
    pieces = draw(st.lists(_child_or_number(children), min_size=2, max_size=4))
    bounds = sorted(
        draw(
            st.lists(
                st.one_of(st.integers(0, 10**6), lengths), min_size=len(pieces) - 1, max_size=len(pieces) - 1
            )
        )
    )
    return dict(schedules=pieces, boundaries=bounds, clock=draw(st.sampled_from(["local", "global"])))


def _combinator(bounds: Callable, pieces: Callable, nested: Callable, **more: Any) -> Family:
    """A combinator's entry: arguments drawn around child schedules, overflow if a child may."""
    return Family(
        st.nothing(),
        bounds,
        pieces,
        may_overflow=_any_child_overflows,
        has_oracle=False,
        nested=nested,
        **more,
    )


def _nary(bounds: Callable, pieces: Callable) -> Family:
    return _combinator(
        bounds,
        pieces,
        lambda ch: st.lists(_child_or_number(ch), min_size=2, max_size=3).map(lambda xs: dict(schedules=xs)),
        build=lambda cls, kwargs: cls(*kwargs["schedules"]),
    )


FAMILIES.update(
    Constant=Family(
        st.builds(dict, value=numbers_any),
        lambda s: (s.value, s.value),
        lambda s: [Piece(0, INF, "flat")],
        has_oracle=False,
    ),
    Linear=Family(
        st.builds(dict, start=numbers_any, end=numbers_any, steps=lengths),
        lambda s: _lo_hi(s.start, s.end),
        lambda s: [Piece(0, s.steps, _trend(s.start, s.end), "[]"), Piece(s.steps, INF, "flat")],
        has_oracle=False,
    ),
    Warmup=_combinator(
        lambda s: _lo_hi(s.start, s._peak, *bounds_of(s.schedule)),
        _warmup_pieces,
        lambda ch: st.builds(
            dict,
            schedule=_child_or_number(ch),
            warmup_steps=st.one_of(st.just(0), lengths),
            start=numbers_any,
            shape=st.sampled_from(["linear", "cosine"]),
        ),
    ),
    Join=_combinator(
        lambda s: _lo_hi(*(b for c in s.schedules for b in bounds_of(c))),
        _join_pieces,
        _join_kwargs,
    ),
    Shift=_combinator(
        lambda s: bounds_of(s.schedule),
        lambda s: [Piece(0, s.steps, "flat", "[]")] + [p.shifted(s.steps) for p in pieces_of(s.schedule)],
        lambda ch: st.builds(dict, schedule=_child_or_number(ch), steps=st.one_of(st.just(0), lengths)),
    ),
    Repeat=_combinator(
        _repeat_bounds,
        _repeat_pieces,
        lambda ch: st.builds(
            dict,
            schedule=_child_or_number(ch),
            period=exact_lengths,
            period_mul=st.one_of(st.just(1), st.just(1), st.sampled_from([2, 3, 1.5]), st.floats(1.0, 3.0)),
            decay=st.one_of(st.just(1), st.just(1), fractions_01),
        ),
    ),
    TimeScale=_combinator(
        lambda s: bounds_of(s.schedule),
        _timescale_pieces,
        lambda ch: st.builds(
            dict,
            schedule=_child_or_number(ch),
            steps_per_unit=st.one_of(st.integers(1, 10**4), st.floats(0.01, 1e4)),
            discrete=st.booleans(),
            power=st.one_of(st.just(1), st.just(1), st.sampled_from([2, 0.5]), st.floats(0.25, 4.0)),
        ),
    ),
    Power=_combinator(
        _power_bounds,
        lambda s: pieces_of(s.schedule) if bounds_of(s.schedule)[0] >= 0 else _flat_pieces(s.schedule),
        lambda ch: st.builds(
            dict,
            schedule=_child_or_number(ch),
            exponent=st.one_of(st.integers(0, 3), st.floats(0.0, 3.0)),
        ),
        build=_build_power,
    ),
    Sum=_nary(
        lambda s: (sum(bounds_of(c)[0] for c in s.schedules), sum(bounds_of(c)[1] for c in s.schedules)),
        lambda s: combine_pieces([pieces_of(c) for c in s.schedules]),
    ),
    Product=_nary(lambda s: _interval_product([bounds_of(c) for c in s.schedules]), _product_pieces),
    Minimum=_nary(
        lambda s: (min(bounds_of(c)[0] for c in s.schedules), min(bounds_of(c)[1] for c in s.schedules)),
        lambda s: combine_pieces([pieces_of(c) for c in s.schedules]),
    ),
    Maximum=_nary(
        lambda s: (max(bounds_of(c)[0] for c in s.schedules), max(bounds_of(c)[1] for c in s.schedules)),
        lambda s: combine_pieces([pieces_of(c) for c in s.schedules]),
    ),
    Clip=_combinator(
        _clip_bounds,
        lambda s: pieces_of(s.schedule),
        _clip_kwargs,
    ),
)


# -- modern schedules (landed late: ranges and pieces kept to what each docstring states) --


@st.composite
def _one_cycle_kwargs(draw) -> dict[str, Any]:
    total = draw(st.integers(20, 10**6))
    return dict(
        max_learning_rate=draw(rates),
        total_steps=total,
        pct_start=draw(st.floats(0.1, 0.45)),
        anneal=draw(st.sampled_from(["cosine", "linear"])),
        div_factor=draw(st.floats(1.0, 100.0)),
        final_div_factor=draw(st.floats(1.0, 1e4)),
        three_phase=draw(st.booleans()),
    )


@st.composite
def _cyclic_kwargs(draw) -> dict[str, Any]:
    mode = draw(st.sampled_from(["triangular", "triangular2", "exp_range"]))
    return dict(
        base_learning_rate=draw(rates),
        max_learning_rate=draw(rates),
        step_size_up=draw(exact_lengths),
        step_size_down=draw(st.one_of(st.none(), exact_lengths)),
        mode=mode,
        gamma=draw(st.floats(0.5, 1.0)) if mode == "exp_range" else 1.0,
    )


@st.composite
def _wsd_kwargs(draw) -> dict[str, Any]:
    return dict(
        peak_learning_rate=draw(rates),
        warmup_steps=draw(st.one_of(st.just(0), lengths)),
        stable_steps=draw(st.one_of(st.just(0), lengths)),
        decay_steps=draw(lengths),
        decay_shape=draw(st.sampled_from(["linear", "cosine", "1-sqrt"])),
        final_learning_rate=draw(rates),
        initial_learning_rate=draw(rates),
    )


def _all_rates(*values: float) -> tuple[float, float]:
    return _lo_hi(0.0, *values)


FAMILIES.update(
    OneCycle=Family(
        _one_cycle_kwargs(),
        lambda s: (0.0, s.max_learning_rate),
        lambda s: [Piece(s.total_steps, INF, "flat")],
        has_oracle=False,
    ),
    Cyclic=Family(
        _cyclic_kwargs(),
        lambda s: _all_rates(s.base_learning_rate, s.max_learning_rate),
        lambda s: [],
        has_oracle=False,
    ),
    InverseSqrtDecay=Family(
        st.builds(
            dict,
            peak_learning_rate=rates,
            warmup_steps=lengths,
            initial_learning_rate=rates,
            timescale=st.one_of(st.none(), lengths),
        ),
        lambda s: _all_rates(s.peak_learning_rate, s.initial_learning_rate),
        lambda s: [Piece(s.warmup_steps, INF, "down")],
        has_oracle=False,
    ),
    TanhDecay=Family(
        st.builds(
            dict,
            initial_learning_rate=rates,
            decay_steps=lengths,
            lower=st.floats(-10.0, 10.0),
            upper=st.floats(-10.0, 10.0),
        ),
        lambda s: (0.0, s.initial_learning_rate),
        lambda s: [
            Piece(0, s.decay_steps, "down" if s.upper >= s.lower else "up", "[]"),
            Piece(s.decay_steps, INF, "flat"),
        ],
    ),
    MultiStepDecay=Family(
        st.builds(
            dict,
            initial_learning_rate=rates,
            milestones=st.lists(st.integers(0, 2**40), max_size=6).map(sorted),
            gamma=st.floats(0.0, 1.0),
        ),
        lambda s: (0.0, s.initial_learning_rate),
        lambda s: [Piece(0, INF, "down")],
        has_oracle=False,
    ),
    TriStage=Family(
        st.builds(
            dict,
            peak_learning_rate=rates,
            warmup_steps=st.one_of(st.just(0), lengths),
            hold_steps=st.one_of(st.just(0), lengths),
            decay_steps=lengths,
            init_lr_scale=st.floats(0.001, 1.0),
            final_lr_scale=st.floats(0.001, 1.0),
        ),
        lambda s: (0.0, s.peak_learning_rate),
        lambda s: [Piece(s.warmup_steps, INF, "down"), Piece(0, s.warmup_steps, "up")],
        has_oracle=False,
    ),
    WarmupStableDecay=Family(
        _wsd_kwargs(),
        lambda s: _all_rates(s.peak_learning_rate, s.final_learning_rate, s.initial_learning_rate),
        lambda s: [
            Piece(s.warmup_steps + s.stable_steps + s.decay_steps, INF, "flat"),
            Piece(s.warmup_steps, s.warmup_steps + s.stable_steps, "flat"),
        ],
        has_oracle=False,
    ),
)


def missing_families() -> list[str]:
    """Registered classes without an entry in FAMILIES (must be empty)."""
    return [n for n in _registry.names() if n not in FAMILIES]


def _instances(name: str, children: st.SearchStrategy | None = None) -> st.SearchStrategy:
    cls = _registry.get(name)
    fam = FAMILIES[name]
    kwargs = fam.kwargs if fam.nested is None else fam.nested(children)
    return kwargs.map(lambda kw: fam.build(cls, kw))


def instances(name: str) -> st.SearchStrategy:
    """Valid instances of the registered class `name` (combinators over any schedules)."""
    if FAMILIES[name].nested is None:
        return _instances(name)
    return _instances(name, schedules())


def schedules(oracle_only: bool = False) -> st.SearchStrategy:
    """An instance of any class in the table, combinators nested up to a few leaves.

    With `oracle_only`, only classes the exact oracle covers (tests/reference.py).
    """
    leaves = sorted(n for n, f in FAMILIES.items() if f.nested is None and (f.has_oracle or not oracle_only))
    combinators = sorted(n for n, f in FAMILIES.items() if f.nested is not None and not oracle_only)
    base = st.sampled_from(leaves).flatmap(_instances)
    if not combinators:
        return base
    return st.recursive(
        base,
        lambda children: st.sampled_from(combinators).flatmap(lambda n: _instances(n, children)),
        max_leaves=4,
    )


def phase_steps(schedule: Any) -> list[int]:
    """Integer steps at and beside every phase boundary (piece ends), within 0..2**53."""
    out = {0, 1, 2, MAX_STEP - 1, MAX_STEP}
    for piece in pieces_of(schedule):
        for edge in (piece.lo, piece.hi):
            if math.isfinite(edge) and -1 <= edge <= MAX_STEP:
                k = math.floor(edge)
                out.update(x for x in (k - 1, k, k + 1, k + 2) if 0 <= x <= MAX_STEP)
    return sorted(out)


def steps_for(schedule: Any) -> st.SearchStrategy[int | float]:
    """Steps >= 0 up to 2**53: phase boundaries and their neighbours, small and huge
    integers, and floats (fractional steps)."""
    return st.one_of(
        st.sampled_from(phase_steps(schedule)),
        st.integers(0, 10_000),
        st.integers(0, MAX_STEP),
        st.floats(0.0, float(MAX_STEP), allow_subnormal=False),
    )

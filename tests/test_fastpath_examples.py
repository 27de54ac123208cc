"""Example instances of every registered schedule, shared by the fast-path tests.

test_fastpath.py and test_evaluate.py load this file by path (pytest runs with
``--import-mode=importlib``, so test modules cannot import each other by name). The
examples cover each formula's hyperparameter branches (staircase, cycle, warmup,
``t_mul`` below, at and above 1, ...).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import lrdecay
from lrdecay import _registry

#: class name -> instances; every registered class needs at least one.
EXAMPLES: dict[str, list[lrdecay.Schedule]] = {
    "ExponentialDecay": [
        lrdecay.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.96),
        lrdecay.ExponentialDecay(0.1, decay_steps=7.5, decay_rate=0.5, staircase=True),
        lrdecay.ExponentialDecay(1e-3, decay_steps=1000, decay_rate=1.5),  # growing
    ],
    "NaturalExpDecay": [
        lrdecay.NaturalExpDecay(0.1, decay_steps=50, decay_rate=0.5),
        lrdecay.NaturalExpDecay(0.1, decay_steps=50, decay_rate=0.5, staircase=True),
    ],
    "InverseTimeDecay": [
        lrdecay.InverseTimeDecay(0.1, decay_steps=10, decay_rate=0.5),
        lrdecay.InverseTimeDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True),
    ],
    "PiecewiseConstantDecay": [
        lrdecay.PiecewiseConstantDecay([10, 100, 250.5], [1.0, 0.5, 0.1, 0.01]),
        lrdecay.PiecewiseConstantDecay([], [0.3]),
    ],
    "PolynomialDecay": [
        lrdecay.PolynomialDecay(0.1, decay_steps=300, end_learning_rate=0.001),
        lrdecay.PolynomialDecay(0.1, decay_steps=70, end_learning_rate=0.01, power=0.5,
                                cycle=True),
        lrdecay.PolynomialDecay(0.01, decay_steps=90, end_learning_rate=0.1, power=2.0),
    ],
    "CosineDecay": [
        lrdecay.CosineDecay(0.1, decay_steps=400),
        lrdecay.CosineDecay(0.1, decay_steps=400, alpha=0.1),
        lrdecay.CosineDecay(0.0, decay_steps=300, alpha=0.05, warmup_target=0.2,
                            warmup_steps=50),
    ],
    "CosineDecayRestarts": [
        lrdecay.CosineDecayRestarts(0.1, first_decay_steps=30),
        lrdecay.CosineDecayRestarts(0.1, first_decay_steps=25, t_mul=1.0, m_mul=0.8,
                                    alpha=0.1),
        lrdecay.CosineDecayRestarts(0.1, first_decay_steps=100, t_mul=0.5, alpha=0.2),
    ],
    "LinearCosineDecay": [
        lrdecay.LinearCosineDecay(0.1, decay_steps=400),
        lrdecay.LinearCosineDecay(0.1, decay_steps=250, num_periods=2.0, alpha=0.1, beta=0.0),
    ],
    "NoisyLinearCosineDecay": [
        lrdecay.NoisyLinearCosineDecay(0.1, decay_steps=400, seed=3),
    ],
    "CosineDecayWithLinearWarmup": [
        lrdecay.CosineDecayWithLinearWarmup(0.08, 0.0067, warmup_steps=50, total_steps=450),
    ],
}


def public_names() -> list[str]:
    """Registered classes that lrdecay exports (not those a test or doctest registers)."""
    return [n for n in _registry.names() if getattr(lrdecay, n, None) is _registry.get(n)]


def examples() -> list:
    """(id, class name, schedule) for every public registered class; a class without an
    example yields a ``None`` schedule, which the tests turn into a failure saying so."""
    out = []
    for name in public_names():
        for i, s in enumerate(EXAMPLES.get(name, [None])):
            out.append((f"{name}-{i}", name, s))
    return out


def load() -> ModuleType:
    """This module, loaded by path (for the other test files)."""
    spec = importlib.util.spec_from_file_location("_lrdecay_fastpath_examples", __file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_registered_class_has_an_example() -> None:
    missing = [n for n in public_names() if not EXAMPLES.get(n)]
    assert not missing, (
        f"add example instances of {missing} to tests/test_fastpath_examples.py"
    )


THIS = Path(__file__)

"""The public API: exactly the names we mean to export, and a light `import lrdecay`.

EXPECTED_ALL is written out by hand so that adding a public name is a deliberate change
to this file too (later issues add e.g. `parse` and `scale_learning_rate`).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

import lrdecay

EXPECTED_ALL = [
    "Clip",
    "Constant",
    "CosineDecay",
    "CosineDecayRestarts",
    "CosineDecayWithLinearWarmup",
    "Cyclic",
    "ExponentialDecay",
    "InverseSqrtDecay",
    "InverseTimeDecay",
    "Join",
    "Linear",
    "LinearCosineDecay",
    "Maximum",
    "Minimum",
    "MultiStepDecay",
    "NaturalExpDecay",
    "NoisyLinearCosineDecay",
    "OneCycle",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "Power",
    "Product",
    "Repeat",
    "Schedule",
    "Shift",
    "Sum",
    "TanhDecay",
    "TimeScale",
    "TriStage",
    "Warmup",
    "WarmupStableDecay",
    "__version__",
    "deserialize",
    "evaluate",
    "parse",
    "plot",
    "register",
    "scale_learning_rate",
    "serialize",
]

EXPECTED_V1 = [
    "DecayedLearningRate",
    "cosine_decay",
    "cosine_decay_restarts",
    "cosine_learning_rate_with_linear_warmup",
    "exponential_decay",
    "inverse_time_decay",
    "linear_cosine_decay",
    "natural_exp_decay",
    "noisy_linear_cosine_decay",
    "piecewise_constant",
    "piecewise_constant_decay",
    "polynomial_decay",
]

HEAVY = ["numpy", "torch", "jax", "jaxlib", "tensorflow", "keras", "matplotlib", "optax"]


def test_all_is_exactly_the_public_names_sorted():
    assert lrdecay.__all__ == EXPECTED_ALL
    assert sorted(lrdecay.__all__) == lrdecay.__all__
    for name in lrdecay.__all__:
        assert hasattr(lrdecay, name), name


def test_star_import_gives_exactly_all():
    namespace: dict = {}
    exec("from lrdecay import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(EXPECTED_ALL)


def test_version_is_a_string():
    assert isinstance(lrdecay.__version__, str) and lrdecay.__version__[0].isdigit()


def test_no_other_public_attribute_leaks():
    """Module attributes not in __all__ are private (underscore), submodules, or `compat`."""
    import types

    extra = [
        name
        for name, value in vars(lrdecay).items()
        if not name.startswith("_") and name not in EXPECTED_ALL and not isinstance(value, types.ModuleType)
    ]
    assert extra == []


def test_compat_v1_names():
    from lrdecay.compat import v1

    assert v1.__all__ == EXPECTED_V1
    for name in EXPECTED_V1:
        assert callable(getattr(v1, name)), name
    assert lrdecay.compat.v1 is v1


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_import_lrdecay_is_light():
    """`import lrdecay` and building/calling a schedule on a Python number import no array
    library or framework (DESIGN.md §5)."""
    loaded = _modules_after(
        "import lrdecay\n"
        "s = lrdecay.CosineDecayRestarts(0.1, 100)\n"
        "assert isinstance(s(5), float)\n"
        "lrdecay.NoisyLinearCosineDecay(0.1, 100)(3)\n"
        "lrdecay.deserialize(lrdecay.serialize(s))\n"
        "from lrdecay.compat import v1\n"
        "v1.exponential_decay(0.1, 3, 10, 0.5)()\n"
    )
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert heavy == [], heavy


def test_numpy_is_loaded_only_on_the_first_array_call():
    pytest.importorskip("numpy")
    loaded = _modules_after(
        "import lrdecay, numpy\n"
        "lrdecay.ExponentialDecay(0.1, 10, 0.5)(numpy.arange(3))\n"
        "lrdecay.evaluate(lrdecay.CosineDecay(0.1, 10), 5)\n"
    )
    frameworks = sorted(m for m in loaded if m.split(".")[0] in set(HEAVY) - {"numpy"})
    assert frameworks == [], frameworks


def test_python_dash_m_lrdecay_exists():
    assert importlib.util.find_spec("lrdecay.__main__") is not None
    run = subprocess.run(
        [sys.executable, "-m", "lrdecay", "--help"], capture_output=True, text=True, timeout=60
    )
    assert "No module named" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert run.returncode in (0, 2)  # 2: argparse usage / the placeholder CLI

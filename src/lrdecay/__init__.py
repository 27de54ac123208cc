"""lrdecay: learning-rate schedules as pure functions of the step.

TensorFlow's decay schedules, numerically exact, usable from numpy, PyTorch, JAX/optax,
Keras 3 and TensorFlow.

>>> import lrdecay
>>> s = lrdecay.CosineDecay(0.1, decay_steps=100)
>>> s(50)
0.05
>>> lrdecay.evaluate(s, 3).round(6)
array([0.1     , 0.099975, 0.099901])

Importing lrdecay imports no array library: numpy is loaded on the first array call,
frameworks only when their tensors are passed in.
"""

from lrdecay._base import Schedule
from lrdecay._evaluate import evaluate
from lrdecay._plotting import plot
from lrdecay._registry import deserialize, register, serialize
from lrdecay._scaling import scale_learning_rate
from lrdecay._spec import parse
from lrdecay._version import __version__
from lrdecay.schedules.compose import (
    Clip,
    Constant,
    Join,
    Linear,
    Maximum,
    Minimum,
    Power,
    Product,
    Repeat,
    Shift,
    Sum,
    TimeScale,
    Warmup,
)
from lrdecay.schedules.cosine import (
    CosineDecay,
    CosineDecayRestarts,
    CosineDecayWithLinearWarmup,
    LinearCosineDecay,
    NoisyLinearCosineDecay,
)
from lrdecay.schedules.cyclic import Cyclic, OneCycle
from lrdecay.schedules.exponential import ExponentialDecay, InverseTimeDecay, NaturalExpDecay
from lrdecay.schedules.inverse_sqrt import InverseSqrtDecay
from lrdecay.schedules.multistep import MultiStepDecay
from lrdecay.schedules.piecewise import PiecewiseConstantDecay
from lrdecay.schedules.polynomial import PolynomialDecay
from lrdecay.schedules.tanh import TanhDecay
from lrdecay.schedules.tri_stage import TriStage
from lrdecay.schedules.warmup_stable_decay import WarmupStableDecay

__all__ = [
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


def __getattr__(name: str) -> object:
    # `lrdecay.compat.v1` without importing it eagerly.
    if name == "compat":
        import importlib

        return importlib.import_module("lrdecay.compat")
    raise AttributeError(f"module 'lrdecay' has no attribute {name!r}")

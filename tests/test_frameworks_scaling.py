"""scale_learning_rate: the explicit batch-size scaling rule."""

from __future__ import annotations

import math

import pytest

import lrdecay


@pytest.mark.parametrize(
    "base_lr, base_batch, global_batch, rule, expected",
    [
        (0.1, 256, 1024, "linear", 0.4),  # Goyal et al.: 8 GPUs x 32 -> 0.1 * k
        (0.1, 256, 8192, "linear", 3.2),  # their largest setting: 0.1 * 8192 / 256
        (0.1, 256, 64, "linear", 0.025),
        (0.1, 256, 1024, "sqrt", 0.2),
        (3e-4, 32, 512, "sqrt", 3e-4 * 4.0),
        (0.0, 8, 16, "linear", 0.0),
        (1, 8, 8, "linear", 1.0),
    ],
)
def test_values(base_lr, base_batch, global_batch, rule, expected):
    got = lrdecay.scale_learning_rate(base_lr, base_batch, global_batch, rule=rule)
    assert isinstance(got, float)
    assert math.isclose(got, expected, rel_tol=1e-15)


def test_positional_order_and_default_rule():
    assert lrdecay.scale_learning_rate(0.1, 100, 300) == pytest.approx(0.3, rel=1e-15)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"base_lr": -0.1}, ValueError, "Argument `base_lr` must be >= 0. Received: base_lr=-0.1"),
        ({"base_lr": float("nan")}, ValueError, "`base_lr` must be a finite number"),
        ({"base_lr": "0.1"}, TypeError, "`base_lr` must be a real number"),
        ({"base_batch": 0}, ValueError, "Argument `base_batch` must be > 0. Received: base_batch=0"),
        ({"global_batch": -8}, ValueError, "Received: global_batch=-8"),
        ({"global_batch": 8.0}, TypeError, "`global_batch` must be a positive int"),
        ({"base_batch": True}, TypeError, "`base_batch` must be a positive int"),
        (
            {"rule": "square"},
            ValueError,
            "Argument `rule` must be one of ['linear', 'sqrt']. Received: rule='square'",
        ),
    ],
)
def test_bad_arguments(kwargs, error, message):
    args = {"base_lr": 0.1, "base_batch": 256, "global_batch": 512, "rule": "linear", **kwargs}
    with pytest.raises(error) as info:
        lrdecay.scale_learning_rate(**args)
    assert message in str(info.value)


def test_exported():
    assert "scale_learning_rate" in lrdecay.__all__
    assert lrdecay.__all__ == sorted(lrdecay.__all__)

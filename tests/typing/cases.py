"""Type-level cases checked by mypy in tests/test_typing.py (never executed).

Each ``assert_type`` states what a user's type checker sees; mypy fails the test if
lrdecay's annotations drift from it.
"""

from __future__ import annotations

from typing import Any, assert_type

import numpy as np
from numpy.typing import NDArray

import lrdecay

cosine = lrdecay.CosineDecay(0.1, decay_steps=1000)
warm = lrdecay.Warmup(cosine, warmup_steps=100)

# A Python number in, a Python float out; arrays in, float64 arrays out.
assert_type(cosine(3), float)
assert_type(warm(2.5), float)
assert_type(warm(np.arange(10)), NDArray[np.float64])
assert_type(warm([0, 1, 2]), NDArray[np.float64])
assert_type(warm(np.int64(7)), np.float64)


class FakeTensor:  # a framework tensor: the same type comes back
    pass


assert_type(warm(FakeTensor()), FakeTensor)

# Arithmetic builds schedules of known classes.
assert_type(0.5 * cosine, lrdecay.Product)
assert_type(cosine * warm, lrdecay.Product)
assert_type(cosine + 0.01, lrdecay.Sum)
assert_type(0.9 - 0.05 * cosine, lrdecay.Sum)
assert_type(-cosine, lrdecay.Schedule)
assert_type(lrdecay.Join([warm, 0.001], [1100]), lrdecay.Join)

# Whole curves and (de)serialization.
assert_type(lrdecay.evaluate(warm, 100), NDArray[np.float64])
assert_type(lrdecay.parse("CosineDecay(0.1, 100)"), lrdecay.Schedule)
assert_type(lrdecay.deserialize(lrdecay.serialize(warm)), lrdecay.Schedule)
assert_type(lrdecay.serialize(warm), dict[str, Any])

"""Collection rules and isolation for the whole suite (tests/ and the doctests in src/lrdecay)."""

import importlib.util

import pytest

# Imported before the doctests are collected, so that collecting src/lrdecay/*.py finds
# these modules in sys.modules instead of loading second copies (with their own registry).
from lrdecay import _registry

# The adapter modules import their framework at import time, and `lrdecay.plot`'s example
# draws with matplotlib; without them installed, their doctests are skipped.
_NEEDS = {
    "src/lrdecay/torch.py": ("torch",),
    "src/lrdecay/keras.py": ("keras",),
    "src/lrdecay/jax.py": ("jax", "optax"),
    "src/lrdecay/_plotting.py": ("matplotlib",),
}
collect_ignore = [
    path for path, modules in _NEEDS.items() if any(importlib.util.find_spec(m) is None for m in modules)
]
# Type-level cases for mypy (tests/test_typing.py), never run.
collect_ignore.append("tests/typing")
# atheris' fuzz entry point for `make fuzz`; not a test module (atheris is an optional extra).
collect_ignore.append("tests/fuzz_atheris.py")


@pytest.fixture(autouse=True)
def _registry_left_as_found():
    """Every test and doctest leaves the registry of schedule classes as it found it.

    `register`'s doctest registers a class, as a user would; without this it would stay
    registered (and accepted by `deserialize` and `parse`) for the rest of the session.
    """
    saved = dict(_registry._CLASSES)
    yield
    _registry._CLASSES.clear()
    _registry._CLASSES.update(saved)

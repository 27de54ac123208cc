"""Collection rules for the whole suite (tests/ and the doctests in src/lrdecay)."""

import importlib.util

# The adapter modules import their framework at import time; without it installed,
# their doctests are skipped rather than failing collection.
_NEEDS = {
    "src/lrdecay/torch.py": ("torch",),
    "src/lrdecay/keras.py": ("keras",),
    "src/lrdecay/jax.py": ("jax", "optax"),
}
collect_ignore = [
    path for path, modules in _NEEDS.items() if any(importlib.util.find_spec(m) is None for m in modules)
]

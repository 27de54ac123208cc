"""Shared test setup: make tests/reference.py (the independent oracle) importable.

pytest runs with ``--import-mode=importlib``, which does not put tests/ on sys.path.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

# Hypothesis profiles: `ci` (the default, `make test`) keeps the property and fuzz tests
# to about a minute in all; `fuzz` (`make fuzz`, HYPOTHESIS_PROFILE=fuzz) runs far longer.
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is in the `test` extra; without it those tests fail to import
    pass
else:
    _SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
    # `ci` is derandomized: the same examples on every run, so `make test` cannot fail by
    # chance; `fuzz` draws new ones each time and keeps failures in .hypothesis/.
    settings.register_profile(
        "ci", max_examples=30, deadline=None, suppress_health_check=_SLOW, derandomize=True, database=None
    )
    settings.register_profile(
        "fuzz", max_examples=3000, deadline=None, suppress_health_check=_SLOW, print_blob=True
    )
    settings.register_profile("dev", max_examples=10, deadline=None, suppress_health_check=_SLOW)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

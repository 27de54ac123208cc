"""The ``lrdecay`` command line: its front end, describe, plots, text plots and the demo.

Nothing outside this package imports it (the core does not depend on the command line);
``lrdecay.cli.main`` is the console script and ``python -m lrdecay``.
"""

from lrdecay.cli._main import main

__all__ = ["main"]

"""`python -m lrdecay` runs the command-line tool."""

from lrdecay.cli import main

raise SystemExit(main())

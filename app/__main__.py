"""`python -m app`: the command line (see app.cli)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

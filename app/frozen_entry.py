"""Entry point for the PyInstaller build: the package's `__main__` uses a relative import."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())

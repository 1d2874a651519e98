"""Entry point of both frozen programs (theodoi57 and theodoi57-cli, see build.spec).

The package's `__main__` uses a relative import, which a frozen script cannot.
The windowed Windows program has no console: sys.stdout and sys.stderr are None
there, and a command that prints (or an error line) would crash on them, so they
are pointed at the null device; the console program theodoi57-cli is the one to
use for commands. Whatever still escapes `main()` goes to the log book
(app.logbook); the window installs its own hook with a message box (app.ui.error_hook).
"""

import os
import sys

from app import logbook
from app.cli import main


def _give_windowless_streams() -> None:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    # a large ingest checks packages in spawned worker processes (receiving.ingest_pool);
    # in a frozen program each such worker starts this program, and must not run main()
    import multiprocessing

    multiprocessing.freeze_support()
    _give_windowless_streams()
    logbook.install_fallback_hook()
    sys.exit(main())

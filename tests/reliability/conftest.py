"""How hard the reliability tests push: a quick pass in `make test`, the full run in
`make reliability` (THEODOI57_RELIABILITY=1)."""

from __future__ import annotations

import os

FULL = os.environ.get("THEODOI57_RELIABILITY", "") not in ("", "0")


def kills(quick: int, full: int) -> int:
    return full if FULL else quick

"""Finding mounted removable drives (USB sticks) to offer "copy to USB" buttons."""

from __future__ import annotations

import os
import string
import sys
from pathlib import Path


def removable_drives() -> list[Path]:
    """Writable mount points of removable drives; an empty list when none is plugged in.

    Windows asks the drive type; Linux and macOS list the folders desktop
    environments mount sticks under. THEODOI57_REMOVABLE (paths separated by
    os.pathsep) overrides the search, for tests and unusual set-ups.
    """
    override = os.environ.get("THEODOI57_REMOVABLE")
    if override is not None:
        return [Path(p) for p in override.split(os.pathsep) if p and Path(p).is_dir()]
    if sys.platform == "win32":
        return _windows_drives()
    roots: list[Path] = []
    user = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    if sys.platform == "darwin":
        roots = [Path("/Volumes")]
    else:
        roots = [Path("/media") / user, Path("/run/media") / user, Path("/media")]
    found: list[Path] = []
    for root in roots:
        try:
            children = sorted(root.iterdir())
        except OSError:
            continue
        for child in children:
            if child in found or child == Path("/media") / user or not child.is_dir():
                continue
            if sys.platform == "darwin" and child.resolve() == Path("/"):
                continue
            if os.path.ismount(child) and os.access(child, os.W_OK):
                found.append(child)
    return found


def _windows_drives() -> list[Path]:
    import ctypes

    drive_removable = 2
    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel.GetLogicalDrives()
    out = []
    for i, letter in enumerate(string.ascii_uppercase):
        if mask & (1 << i):
            root = f"{letter}:\\"
            if kernel.GetDriveTypeW(root) == drive_removable:
                out.append(Path(root))
    return out

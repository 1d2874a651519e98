"""Where bundled resources live, in a source checkout and in a PyInstaller build."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources/` folder; PyInstaller unpacks it under `sys._MEIPASS`."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def user_data_dir() -> Path:
    """Per-user folder for data files and signing keys (never next to the executable).

    THEODOI57_HOME overrides it, so tests and portable installs can point elsewhere.
    """
    override = os.environ.get("THEODOI57_HOME")
    if override:
        return Path(override)
    import platformdirs  # only here: reading the bundled resources needs none of it

    return Path(platformdirs.user_data_dir("TheoDoiNQ57", appauthor=False, roaming=True))


def user_config_dir() -> Path:
    override = os.environ.get("THEODOI57_HOME")
    if override:
        return Path(override) / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir("TheoDoiNQ57", appauthor=False, roaming=True))

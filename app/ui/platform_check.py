"""Say clearly, before Qt aborts, that a Linux desktop lacks the libraries Qt's xcb needs.

Qt 6's xcb platform plugin loads libxcb-cursor and a few other X libraries that a
minimal Linux desktop may not have. Without them Qt prints a long English message
and aborts the process; we check first and say what to install, in Vietnamese.
Imports no Qt, so it can run before the QApplication exists.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

# Libraries libqxcb.so links to beyond what every X desktop has, with their Debian packages.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def missing_xcb_packages() -> list[str]:
    """Debian package names of the missing xcb libraries; [] when Qt will not use xcb."""
    if not sys.platform.startswith("linux") or getattr(sys, "frozen", False):
        return []  # a frozen build carries its own copies
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform not in ("", "xcb") or not os.environ.get("DISPLAY"):
        return []
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return []  # Qt prefers its Wayland plugin there
    return [pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]


def xcb_message(packages: list[str]) -> str:
    return (
        "Không mở được cửa sổ: máy thiếu thư viện đồ họa Qt cần ("
        + ", ".join(packages)
        + "). Cài bằng lệnh: sudo apt-get install "
        + " ".join(packages)
        + " — hoặc dùng các lệnh không giao diện (python -m app -h)."
    )

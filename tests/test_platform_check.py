"""A Linux desktop without Qt's xcb libraries gets a clear message, not a Qt abort."""

import subprocess
import sys
from pathlib import Path

from app.ui import platform_check

ROOT = Path(__file__).resolve().parents[1]


def test_missing_libraries_are_named(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(
        platform_check.ctypes.util,
        "find_library",
        lambda name: None if name == "xcb-cursor" else name,
    )
    assert platform_check.missing_xcb_packages() == ["libxcb-cursor0"]
    message = platform_check.xcb_message(["libxcb-cursor0"])
    assert "sudo apt-get install libxcb-cursor0" in message and message.startswith(
        "Không mở được cửa sổ"
    )


def test_no_check_offscreen_or_without_display(monkeypatch):
    monkeypatch.setattr(platform_check.ctypes.util, "find_library", lambda name: None)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("DISPLAY", ":0")
    assert platform_check.missing_xcb_packages() == []
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.delenv("DISPLAY")
    assert platform_check.missing_xcb_packages() == []


def test_gui_exits_with_the_message_instead_of_aborting(tmp_path):
    """With DISPLAY set and the libraries hidden, `python -m app gui` prints one line and exits 4."""
    code = (
        "import ctypes.util, sys; ctypes.util.find_library = lambda name: None; "
        "from app.cli import main; sys.exit(main(['gui', '--db', 'x.sqlite']))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DISPLAY": ":99",
        "THEODOI57_HOME": str(tmp_path),
        "HOME": str(tmp_path),
    }
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert proc.returncode == 4, proc.stderr
    assert proc.stderr.strip().startswith("Không mở được cửa sổ") and "Traceback" not in proc.stderr

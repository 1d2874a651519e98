"""The core never imports Qt: proven by importing it where PySide6 cannot be imported."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLOCK_QT = """
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name.startswith("shiboken6"):
            raise ImportError("Qt is not allowed in the core: " + name)
sys.meta_path.insert(0, Block())
import app
for package in ("app.models", "app.exporters", "app.importers"):
    try:
        pkg = importlib.import_module(package)
    except ModuleNotFoundError:
        continue
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        importlib.import_module(info.name)
importlib.import_module("app.logbook")
importlib.import_module("app.cli")
print("ok")
"""


def test_core_and_cli_import_without_qt():
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"

"""app.settings: typed defaults, JSON round trip, versioned upgrade with the old file kept."""

from __future__ import annotations

import json
from pathlib import Path

from app.settings import SETTINGS_VERSION, Settings


def test_defaults_and_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    settings = Settings.load(path)
    assert settings.font_scale == 100 and settings.data_file == ""
    settings.set("font_scale", 125)
    settings.set("data_file", "/du lieu/Bỉm Sơn.sqlite")
    settings.save()
    again = Settings.load(path)
    assert again.font_scale == 125 and again.data_file == "/du lieu/Bỉm Sơn.sqlite"
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == SETTINGS_VERSION


def test_old_version_is_upgraded_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"version": 1, "ui_scale": 1.1, "data_file": "a.sqlite"}), encoding="utf-8"
    )
    settings = Settings.load(path)
    assert settings.font_scale == 110 and settings.data_file == "a.sqlite"
    assert json.loads((tmp_path / "settings.json.v1.bak").read_text())["ui_scale"] == 1.1
    assert json.loads(path.read_text())["version"] == SETTINGS_VERSION


def test_bad_values_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"version": 2, "font_scale": "to", "unknown": 1}', encoding="utf-8")
    assert Settings.load(path).font_scale == 100
    path.write_text("{không phải json", encoding="utf-8")
    assert Settings.load(path).font_scale == 100
    path.write_text('{"version": 2, "font_scale": 400}', encoding="utf-8")
    assert Settings.load(path).font_scale == 150

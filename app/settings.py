"""User settings of the desktop application, declared once, typed, with defaults.

Stored as JSON in `user_config_dir()/settings.json` (never in QSettings, so the
core and tests need no Qt). Each option is declared once below with its type,
default and Vietnamese title. The file carries a version; older files are
upgraded by numbered functions after the old file is copied aside.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models.atomic_file import write_bytes_atomic
from .paths import user_config_dir, user_data_dir

SETTINGS_VERSION = 2
FONT_SCALES = (100, 110, 125, 150)


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    title: str


OPTIONS: tuple[Option, ...] = (
    Option("data_file", str, "", "Tệp dữ liệu đang dùng"),
    Option("font_scale", int, 100, "Cỡ chữ giao diện (%)"),
    Option("last_backup_dir", str, "", "Thư mục sao lưu gần nhất"),
    Option("last_export_dir", str, "", "Thư mục xuất báo cáo gần nhất"),
    Option("key_path", str, "", "Tệp khóa ký của đơn vị"),
    Option("pdf_certificate", str, "", "Chứng thư số ký báo cáo PDF: pkcs12, pkcs11 hoặc trống"),
    Option("pdf_p12_path", str, "", "Tệp chứng thư số .p12/.pfx"),
    Option("pkcs11_library", str, "", "Thư viện PKCS#11 của thiết bị ký số (USB token)"),
    Option("pkcs11_token", str, "", "Tên (label) của thiết bị ký số"),
    Option("org_certificate", str, "", "Chứng thư số của cơ quan (đóng dấu): pkcs12, pkcs11"),
    Option("org_p12_path", str, "", "Tệp chứng thư số .p12/.pfx của cơ quan"),
    Option("org_pkcs11_library", str, "", "Thư viện PKCS#11 của thiết bị ký số của cơ quan"),
    Option("org_pkcs11_token", str, "", "Tên (label) của thiết bị ký số của cơ quan"),
    Option("window_geometry", str, "", "Vị trí, cỡ cửa sổ (Qt saveGeometry, base64)"),
    # 1: single-line rows (most rows on a 768 px screen; full text in the tooltip and the
    # line under the grid); up to 3 for offices that prefer to read names in the grid
    Option("grid_row_lines", int, 1, "Số dòng của mỗi hàng trong bảng nhập (1–3)"),
)
_BY_NAME = {o.name: o for o in OPTIONS}


def settings_path() -> Path:
    return user_config_dir() / "settings.json"


def default_data_file() -> Path:
    """Where the wizard proposes to keep the data file: the user's data folder."""
    return user_data_dir() / "theodoi57.sqlite"


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 stored the interface size as a float factor ("ui_scale": 1.25)."""
    scale = data.pop("ui_scale", None)
    if isinstance(scale, int | float):
        data["font_scale"] = round(float(scale) * 100)
    return data


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


class Settings:
    """The current settings; attribute access for declared options only."""

    def __init__(self, values: dict[str, Any] | None = None, path: Path | None = None) -> None:
        self._values = {o.name: o.default for o in OPTIONS}
        self._path = path or settings_path()
        for name, value in (values or {}).items():
            if name in _BY_NAME:
                self._values[name] = _coerce(_BY_NAME[name], value)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in _BY_NAME:
            raise AttributeError(name)
        return self._values[name]

    def set(self, name: str, value: Any) -> None:
        self._values[name] = _coerce(_BY_NAME[name], value)

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read settings; a missing or unreadable file gives the defaults."""
        path = path or settings_path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path=path)
        if not isinstance(data, dict):
            return cls(path=path)
        version = int(data.pop("version", 1) or 1)
        if version < SETTINGS_VERSION:
            try:
                shutil.copy2(path, path.with_name(f"{path.name}.v{version}.bak"))
            except OSError:
                pass
            for step in range(version, SETTINGS_VERSION):
                data = UPGRADES[step](data)
        settings = cls(data, path)
        if version < SETTINGS_VERSION:
            settings.save()
        return settings

    def save(self) -> None:
        data = {"version": SETTINGS_VERSION, **self._values}
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # atomic_write reports the problem in Vietnamese
        write_bytes_atomic(self._path, text.encode("utf-8"))


def _coerce(option: Option, value: Any) -> Any:
    """Bad values in a hand-edited file fall back to the default instead of crashing."""
    try:
        value = option.type(value)
    except (TypeError, ValueError):
        return option.default
    if option.name == "font_scale":
        value = min(max(value, FONT_SCALES[0]), FONT_SCALES[-1])
    return value

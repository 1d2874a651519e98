"""Signing key management in Cài đặt: generate, show the fingerprint, export the public key.

The private key stays encrypted in the user's data folder; its public half is
written beside it (`.pub.pem`) so the fingerprint shows without the
passphrase. The passphrase is asked for each time and never stored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ..models.errors import UserError
from ..operations import package as package_ops
from ..packages.signing_keys import (
    OfficeKey,
    default_key_path,
    fingerprint_of,
    load_public,
)
from ..settings import Settings
from . import messages


def key_path(settings: Settings) -> Path:
    return Path(settings.key_path) if settings.key_path else default_key_path()


def public_path(private_path: Path) -> Path:
    return private_path.with_name(private_path.name.removesuffix(".pem") + ".pub.pem")


def office_public_key(settings: Settings) -> OfficeKey | None:
    path = public_path(key_path(settings))
    if not path.exists():
        return None
    try:
        return OfficeKey(load_public(path))
    except UserError:
        return None


class KeySection(QGroupBox):
    def __init__(self, settings: Settings) -> None:
        super().__init__("Khóa ký gói báo cáo")
        self.settings = settings
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.generate_button = QPushButton("Tạo khóa ký…")
        self.generate_button.clicked.connect(self.generate)
        self.export_button = QPushButton("Xuất khóa công khai…")
        self.export_button.clicked.connect(self.export_public_key)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        path = key_path(self.settings)
        public = office_public_key(self.settings)
        if path.exists():
            shown = public.fingerprint if public else "(chưa có tệp khóa công khai bên cạnh)"
            self.info.setText(
                f"Tệp khóa ký: {path}<br>Mã khóa (SHA-256): <b>{shown}</b><br>"
                "Gửi khóa công khai cho cơ quan nhận báo cáo; mã khóa in ở cuối mỗi trang báo cáo."
            )
        else:
            self.info.setText(
                "Đơn vị chưa có khóa ký. Tạo khóa một lần, đặt mật khẩu, rồi gửi khóa công khai "
                "cho cơ quan nhận báo cáo."
            )
        self.generate_button.setEnabled(not path.exists())
        self.export_button.setEnabled(public is not None)

    def generate(self) -> OfficeKey | None:
        passphrase = messages.ask_new_passphrase(self)
        if passphrase is None:
            return None
        path = key_path(self.settings)
        try:
            key = package_ops.create_key(path, passphrase).result
        except UserError as exc:
            messages.show_error(self, exc.message)
            return None
        self.refresh()
        messages.show_info(
            self,
            f"Đã tạo khóa ký.\nMã khóa: {key.fingerprint}\n\nHãy chép thư mục chứa khóa "
            f"({path.parent}) ra USB và cất cẩn thận: bản sao lưu dữ liệu không chứa khóa "
            "ký, mất khóa thì phải tạo khóa mới và đăng ký lại với cơ quan nhận báo cáo.",
        )
        return key

    def export_public_key(self) -> Path | None:
        key = office_public_key(self.settings)
        if key is None:
            return None
        out = messages.choose_save_file(
            self,
            "Xuất khóa công khai",
            str(Path.home() / "khoa-cong-khai.pub.pem"),
            "Khóa công khai (*.pem)",
        )
        if out is None:
            return None
        try:
            package_ops.export_public_key(key, out)
        except UserError as exc:
            messages.show_error(self, exc.message)
            return None
        messages.show_info(
            self, f"Đã xuất khóa công khai vào {out}.\nMã khóa: {fingerprint_of(key.public)}"
        )
        return out

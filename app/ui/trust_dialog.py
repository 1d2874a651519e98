"""Tin cậy khóa đơn vị: the fingerprint first, then whose key it is, then the phone check.

A key is trusted only when the officer has read its fingerprint with the
office over the phone and said which office it belongs to; the dialog shows
the fingerprint before anything else and keeps "Tin cậy khóa" disabled until
both are given. The office named in an office key file is preselected.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..models.text import fold
from ..operations.receive import KeyOnFile
from ..receiving.store import ReportingOffice

NEW_OFFICE = "Đơn vị mới…"


class TrustKeyDialog(QDialog):
    """Shows one key's fingerprint and asks for its office and the phone confirmation."""

    def __init__(
        self, key: KeyOnFile, offices: list[ReportingOffice], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tin cậy khóa đơn vị")
        self.key = key
        intro = QLabel(
            f"Tệp: {key.path.name}\n"
            "Gọi điện cho đơn vị và đọc to mã khóa dưới đây; đơn vị đọc lại mã trên máy của mình."
        )
        intro.setWordWrap(True)
        self.fingerprint_label = QLabel(key.fingerprint)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(font.pointSizeF() * 1.4 if font.pointSizeF() > 0 else 14)
        font.setBold(True)
        self.fingerprint_label.setFont(font)
        self.fingerprint_label.setWordWrap(True)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.office_box = QComboBox()
        for office in offices:
            self.office_box.addItem(office.name, office.name)
        self.office_box.addItem(NEW_OFFICE, None)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("Tên đơn vị mới, ví dụ: Phường Bắc Sơn")
        named = next(
            (o for o in offices if key.office_name and fold(o.name) == fold(key.office_name)), None
        )
        if named is not None:
            self.office_box.setCurrentIndex(self.office_box.findData(named.name))
        elif key.office_name:
            self.office_box.setCurrentIndex(self.office_box.count() - 1)
            self.new_name.setText(key.office_name)
        elif offices:
            self.office_box.setCurrentIndex(-1)
        else:
            self.office_box.setCurrentIndex(self.office_box.count() - 1)
        form = QFormLayout()
        form.addRow("Khóa của đơn vị:", self.office_box)
        form.addRow("Tên đơn vị mới:", self.new_name)
        if key.office_name:
            form.addRow("", QLabel(f"Tệp khóa ghi đơn vị: {key.office_name}"))

        self.confirmed = QCheckBox(
            "Tôi đã đọc mã khóa này qua điện thoại với đơn vị và mã khớp từng ký tự"
        )
        self.buttons = QDialogButtonBox()
        self.trust_button = self.buttons.addButton(
            "Tin cậy khóa", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Mã khóa (dấu vân tay):"))
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.confirmed)
        layout.addWidget(self.buttons)
        for signal in (self.office_box.currentIndexChanged, self.new_name.textChanged,
                       self.confirmed.toggled):  # fmt: skip
            signal.connect(self._update)
        self._update()
        self.resize(560, self.sizeHint().height())

    def office_name(self) -> str | None:
        """The office chosen or typed; None until one is given."""
        if self.office_box.currentIndex() < 0:
            return None
        chosen = self.office_box.currentData()
        if chosen is not None:
            return str(chosen)
        return self.new_name.text().strip() or None

    def _update(self) -> None:
        self.new_name.setEnabled(
            self.office_box.currentIndex() >= 0 and self.office_box.currentData() is None
        )
        self.trust_button.setEnabled(self.confirmed.isChecked() and self.office_name() is not None)


def ask_trust(parent: QWidget | None, key: KeyOnFile, offices: list[ReportingOffice]) -> str | None:
    """The office the officer confirmed `key` belongs to, or None when cancelled."""
    dialog = TrustKeyDialog(key, offices, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.office_name()

"""Cài đặt › Hình chữ ký và con dấu: the images the signatures show, chosen once.

The signer's signature (a transparent PNG) is drawn between the title and the
name; the red seal over about a third of it, at its real diameter in mm. Both
are kept in the data file (operations.package.set_signing_image), so a copied
data file signs the same way. The preview shows each image as it is kept and
says when it has no transparent background (it would hide the text under it).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from ..models.errors import UserError
from ..models.outgoing_register import DEFAULT_SEAL_MM, SEAL_IMAGE, SIGNATURE_IMAGE
from ..operations import package as package_ops
from . import messages
from .session import Session

NAMES = {SIGNATURE_IMAGE: "ảnh chữ ký", SEAL_IMAGE: "ảnh con dấu"}
PREVIEW = (180, 110)  # px: large enough to judge the ink, small enough for 1366×768


class SigningImagesSection(QGroupBox):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Hình chữ ký và con dấu trên báo cáo PDF", parent)
        self.session = session
        self.previews: dict[str, QLabel] = {}
        self.notes: dict[str, QLabel] = {}
        self.details: dict[str, str] = {}  # "(600×300 điểm ảnh)" and a transparency warning
        self.seal_mm = QDoubleSpinBox()
        self.seal_mm.setRange(package_ops.MIN_SEAL_MM, package_ops.MAX_SEAL_MM)
        self.seal_mm.setDecimals(1)
        self.seal_mm.setSingleStep(0.5)
        self.seal_mm.setSuffix(" mm")
        self.seal_mm.setValue(DEFAULT_SEAL_MM)
        self.seal_mm.setToolTip("Đường kính thật của con dấu, đo trên bản in.")
        self.seal_mm.editingFinished.connect(lambda: self.save_seal_size())
        grid = QGridLayout(self)
        for column, (kind, label) in enumerate(
            ((SIGNATURE_IMAGE, "Chữ ký của người ký"), (SEAL_IMAGE, "Con dấu của cơ quan"))
        ):
            title = QLabel(f"<b>{label}</b>")
            preview = QLabel()
            preview.setObjectName(f"{kind}Preview")
            preview.setFixedSize(*PREVIEW)
            preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
            preview.setStyleSheet(  # a checkerboard-free light frame: transparency shows as white
                "QLabel { background: white; border: 1px solid #b8b8b8; }"
            )
            note = QLabel()
            note.setWordWrap(True)
            note.setObjectName("muted")
            choose = QPushButton("Chọn ảnh PNG…")
            choose.clicked.connect(lambda _c=False, k=kind: self.choose(k))
            forget = QPushButton("Bỏ ảnh")
            forget.clicked.connect(lambda _c=False, k=kind: self.forget(k))
            buttons = QHBoxLayout()
            buttons.addWidget(choose)
            buttons.addWidget(forget)
            buttons.addStretch(1)
            grid.addWidget(title, 0, column)
            grid.addWidget(preview, 1, column)
            grid.addLayout(buttons, 2, column)
            grid.addWidget(note, 3, column)
            self.previews[kind], self.notes[kind] = preview, note
        size_row = QHBoxLayout()
        size_row.addWidget(QLabel("Đường kính con dấu:"))
        size_row.addWidget(self.seal_mm)
        size_row.addStretch(1)
        grid.addLayout(size_row, 4, 1)
        hint = QLabel(
            "Ảnh PNG nền trong suốt, chọn một lần. Hình chữ ký nằm giữa chức vụ và họ tên người "
            "ký; hình con dấu đè lên khoảng một phần ba bên trái chữ ký, đúng đường kính thật."
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        grid.addWidget(hint, 5, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.load()
        session.storeReplaced.connect(self.load)

    def load(self) -> None:
        """Show what the data file keeps."""
        for kind, preview in self.previews.items():
            image = self.session.store.register.image(kind)
            note = self.notes[kind]
            if image is None:
                self.details.pop(kind, None)
                preview.setPixmap(QPixmap())
                preview.setText("(chưa chọn)")
                note.setText(f"Chưa có {NAMES[kind]}.")
                continue
            picture = QImage()
            picture.loadFromData(image.png)
            preview.setText("")
            preview.setPixmap(
                QPixmap.fromImage(picture).scaled(
                    PREVIEW[0] - 8, PREVIEW[1] - 8, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )  # fmt: skip
            detail = f"({picture.width()}×{picture.height()} điểm ảnh)"
            if not picture.hasAlphaChannel():
                detail += " Ảnh không có nền trong suốt: nền trắng sẽ che chữ bên dưới."
            self.details[kind] = detail
            note.setText(f"{image.file_name or NAMES[kind]} {detail}")
            if kind == SEAL_IMAGE:
                self.seal_mm.setValue(image.size_mm or DEFAULT_SEAL_MM)

    def choose(self, kind: str, path: Path | None = None) -> bool:
        if path is None:
            path = messages.choose_open_file(
                self, f"Chọn {NAMES[kind]}", "Ảnh PNG nền trong suốt (*.png)"
            )
            if path is None:
                return False
        size = self.seal_mm.value() if kind == SEAL_IMAGE else None
        return self._set(kind, Path(path), size, f"Đã lưu {NAMES[kind]} {Path(path).name}.")

    def forget(self, kind: str) -> bool:
        return self._set(kind, None, None, f"Đã bỏ {NAMES[kind]}.")

    def save_seal_size(self) -> bool:
        """A new diameter for the seal already kept."""
        image = self.session.store.register.image(SEAL_IMAGE)
        size = round(self.seal_mm.value(), 1)
        if image is None or image.size_mm == size:
            return False
        return self._set(SEAL_IMAGE, image.png, size, f"Đường kính con dấu: {size:g} mm.")

    def _set(self, kind: str, png: Path | bytes | None, size: float | None, done: str) -> bool:
        try:
            outcome = package_ops.set_signing_image(self.session.path, kind, png, size)
        except UserError as exc:
            messages.show_error(self, exc.message)
            return False
        self.session.notify(outcome.change)
        self.load()
        self.notes[kind].setText(f"{done} {self.details.get(kind, '')}".strip())
        return True

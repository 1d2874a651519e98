"""Cài đặt: office and signer, document style, reporting regime, data file, backup, font size.

Signing keys have their own section (`key_section.py`) when the package
modules are present. Backup and restore run in a worker with a progress
dialog; restore asks first, checks the file and keeps the current data aside.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..models.errors import UserError
from ..models.plan import OFFICE_LEVELS, DocumentStyle
from ..models.store import Store
from ..models.text import clean, slug
from ..operations import data_file as data_ops
from ..operations import plan as plan_ops
from ..settings import FONT_SCALES, Settings
from . import messages
from .agency_due_section import AgencyDueSection
from .certificate_section import ORGANISATION, CertificateSection
from .key_section import KeySection
from .regime_section import RegimeSection
from .removable import removable_drives
from .session import Session
from .signing_images_section import SigningImagesSection
from .workers import Job, Progress, start_job


class SettingsPage(QScrollArea):
    def __init__(self, session: Session, settings: Settings, window=None) -> None:  # noqa: ANN001
        super().__init__()
        self.session = session
        self.settings = settings
        self.window_ = window
        self.job: Job | None = None
        self.setWidgetResizable(True)
        body = QWidget()
        body.setMaximumWidth(980)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        title = QLabel("<b>Cài đặt</b>")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addWidget(self._office_box())
        self.regime_section = RegimeSection(session)
        self.regime_section.message.connect(self._say)
        self.regime = self.regime_section.rules  # frequency → (check, wording, day, month offset)
        layout.addWidget(self.regime_section)
        self.agency_due = AgencyDueSection(session)  # the agencies' due dates, issue 17
        self.agency_due.message.connect(self._say)
        layout.addWidget(self.agency_due)
        self.keys = KeySection(settings)
        layout.addWidget(self.keys)
        self.certificate = CertificateSection(settings)
        layout.addWidget(self.certificate)
        self.org_certificate = CertificateSection(settings, ORGANISATION)
        layout.addWidget(self.org_certificate)
        self.images = SigningImagesSection(session)
        layout.addWidget(self.images)
        layout.addWidget(self._file_box())
        layout.addWidget(self._view_box())
        layout.addStretch(1)
        self.load_office()
        session.storeReplaced.connect(self._reloaded)

    # -- office ---------------------------------------------------------------------------
    def _office_box(self) -> QGroupBox:
        box = QGroupBox("Đơn vị và người ký")
        form = QFormLayout(box)
        self.office_fields: dict[str, QLineEdit] = {}
        for name, label, hint in (
            ("name", "Tên đơn vị", "Phường Bỉm Sơn"),
            ("province", "Tỉnh, thành phố", "Thanh Hóa"),
            ("parent_body", "Cơ quan cấp trên (dòng trên tên cơ quan)", "ĐẢNG BỘ TỈNH THANH HÓA"),
            ("issuing_body", "Cơ quan ban hành văn bản", "ỦY BAN NHÂN DÂN PHƯỜNG BỈM SƠN"),
            ("place", "Địa danh ghi ở dòng ngày tháng", "Bỉm Sơn"),
            ("doc_code", "Ký hiệu văn bản", "UBND"),
            ("signer_name", "Họ tên người ký", "Nguyễn Văn A"),
            ("signer_title", "Chức vụ người ký", "CHỦ TỊCH"),
            ("signer_authority", "Thẩm quyền ký", "TM. ỦY BAN NHÂN DÂN"),
        ):
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            self.office_fields[name] = edit
            form.addRow(label, edit)
        self.level = QComboBox()
        self.level.setEditable(True)
        self.level.addItems(list(OFFICE_LEVELS))
        form.insertRow(1, "Cấp", self.level)
        self.style_combo = QComboBox()
        for style in DocumentStyle:
            label = style.label
            self.style_combo.addItem(label, style)
        form.addRow("Thể thức văn bản", self.style_combo)
        save = QPushButton("Lưu thông tin đơn vị")
        save.clicked.connect(self.save_office)
        form.addRow("", save)
        return box

    def focus_office_field(self, name: str) -> QLineEdit:
        """Scroll to an office field ("signer_name") and put the cursor in it: where an
        export refused for a missing signer takes the secretary."""
        edit = self.office_fields[name]
        scroller: QWidget | None = self
        while scroller is not None:  # this page, and the window's scroller around it
            if isinstance(scroller, QScrollArea):
                scroller.ensureWidgetVisible(edit, 50, 80)
            scroller = scroller.parentWidget()
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return edit

    def load_office(self) -> None:
        office = self.session.store.plan.office()
        for name, edit in self.office_fields.items():
            edit.setText(getattr(office, name) or "")
        self.level.setCurrentText(office.level or "xã")
        self.style_combo.setCurrentIndex(list(DocumentStyle).index(office.style))
        self.regime_section.load()

    def save_office(self) -> bool:
        office = self.session.store.plan.office()
        values: dict[str, Any] = {
            name: clean(edit.text()) for name, edit in self.office_fields.items()
        }
        if not values["name"]:
            messages.show_error(self, "Tên đơn vị không được để trống.")
            return False
        updated = replace(
            office,
            **values,
            level=clean(self.level.currentText()) or "xã",
            style=DocumentStyle(self.style_combo.currentData()),
        )
        try:
            change = self.session.run(lambda s: plan_ops.save_office(s, updated)).change
        except UserError as exc:
            messages.show_error(self, exc.message)
            return False
        self._say("Đã lưu thông tin đơn vị." if change.changed else "Không có gì thay đổi.")
        return True

    # -- reporting regime --------------------------------------------------------------------
    def save_regime(self) -> bool:
        return self.regime_section.save()

    # -- data file, backup, restore --------------------------------------------------------------
    def _file_box(self) -> QGroupBox:
        box = QGroupBox("Tệp dữ liệu, sao lưu và khôi phục")
        layout = QVBoxLayout(box)
        self.path_label = QLabel()
        self.path_label.setWordWrap(True)
        layout.addWidget(self.path_label)
        row1 = QHBoxLayout()
        for text, slot in (
            ("Mở thư mục chứa tệp", self.open_folder),
            ("Mở tệp dữ liệu khác…", self.open_other_file),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row1.addWidget(button)
        row1.addStretch(1)
        layout.addLayout(row1)
        row2 = QHBoxLayout()
        backup_button = QPushButton("Sao lưu ra tệp…")
        backup_button.clicked.connect(lambda: self.backup_to_file())
        self.usb_button = QPushButton("Sao lưu vào ổ USB")
        self.usb_button.clicked.connect(self.backup_to_removable)
        restore_button = QPushButton("Khôi phục từ bản sao lưu…")
        restore_button.clicked.connect(lambda: self.restore_from_file())
        for button in (backup_button, self.usb_button, restore_button):
            row2.addWidget(button)
        row2.addStretch(1)
        layout.addLayout(row2)
        self.file_status = QLabel("")
        self.file_status.setObjectName("muted")
        self.file_status.setWordWrap(True)
        layout.addWidget(self.file_status)
        self._show_path()
        return box

    def _show_path(self) -> None:
        self.path_label.setText(f"Tệp dữ liệu đang dùng: <b>{self.session.path}</b>")
        drives = removable_drives()
        self.usb_button.setEnabled(bool(drives))
        self.usb_button.setToolTip(
            ", ".join(str(d) for d in drives) if drives else "Chưa thấy ổ USB nào được cắm vào máy."
        )

    def _say(self, text: str) -> None:
        self.file_status.setText(text)
        if self.window_ is not None:
            self.window_.show_message(text)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.session.path.parent)))

    def open_other_file(self) -> None:
        path = messages.choose_open_file(
            self, "Mở tệp dữ liệu", "Tệp dữ liệu (*.sqlite *.db);;Mọi tệp (*)"
        )
        if path is None:
            return
        try:
            store = Store.open(path)
        except UserError as exc:
            messages.show_error(self, exc.message)
            return
        self.session.replace_store(store)
        self.settings.set("data_file", str(path))
        self.settings.save()
        self._say(f"Đã mở {path}.")

    def _backup_name(self) -> str:
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        return f"sao-luu-{slug(self.session.plan().office.name)}-{stamp}.sqlite"

    def backup_to_file(self, target: Path | None = None) -> Job | None:
        if target is None:
            start = Path(self.settings.last_backup_dir or Path.home())
            target = messages.choose_save_file(
                self, "Sao lưu dữ liệu", str(start / self._backup_name()), "Tệp sao lưu (*.sqlite)"
            )
            if target is None:
                return None
        self.settings.set("last_backup_dir", str(target.parent))
        self.settings.save()
        source = self.session.path

        def work(progress: Progress, cancel: threading.Event) -> object:
            return data_ops.backup_data_file(source, target, progress, cancel)

        self.job = start_job(
            self, "Sao lưu dữ liệu", work, lambda out: self._say(f"Đã sao lưu vào {out}."),
            lambda message: messages.show_error(self, message), cancellable=False,
        )  # fmt: skip
        return self.job

    def backup_to_removable(self) -> Job | None:
        drives = removable_drives()
        if not drives:
            messages.show_error(self, "Chưa thấy ổ USB nào. Hãy cắm ổ USB rồi thử lại.")
            return None
        return self.backup_to_file(drives[0] / self._backup_name())

    def restore_from_file(self, source: Path | None = None) -> Job | None:
        if source is None:
            source = messages.choose_open_file(
                self,
                "Chọn bản sao lưu",
                "Tệp sao lưu (*.sqlite *.db);;Mọi tệp (*)",
                self.settings.last_backup_dir,
            )
            if source is None:
                return None
        if not messages.confirm(
            self,
            "Khôi phục dữ liệu",
            f"Thay toàn bộ dữ liệu hiện tại bằng bản sao lưu {source.name}?\n"
            "Tệp hiện tại được giữ lại bên cạnh với tên có chữ “truoc-khoi-phuc”.",
        ):
            return None
        db_path = self.session.path
        self.session.store.close()  # restore replaces the file: no connection may stay open

        def work(progress: Progress, cancel: threading.Event) -> object:
            return data_ops.restore_data_file(db_path, source, progress, cancel)

        def done(kept: Path | None) -> None:
            self.session.replace_store(Store.open(db_path))
            note = f" Dữ liệu cũ được giữ tại {kept}." if kept else ""
            self._say(f"Đã khôi phục từ {source.name}.{note}")

        def failed(message: str) -> None:
            self.session.replace_store(Store.open(db_path))
            messages.show_error(self, message, "Không khôi phục được")

        self.job = start_job(self, "Khôi phục dữ liệu", work, done, failed, cancellable=False)
        return self.job

    def _reloaded(self) -> None:
        self.load_office()
        self._show_path()

    # -- interface ----------------------------------------------------------------------------
    def _view_box(self) -> QGroupBox:
        box = QGroupBox("Giao diện")
        form = QFormLayout(box)
        self.font_combo = QComboBox()
        for scale in FONT_SCALES:
            self.font_combo.addItem(f"{scale}%", scale)
        self.font_combo.setCurrentIndex(
            FONT_SCALES.index(self.settings.font_scale)
            if self.settings.font_scale in FONT_SCALES
            else 0
        )
        self.font_combo.currentIndexChanged.connect(self._font_changed)
        form.addRow("Cỡ chữ", self.font_combo)
        self.lines_combo = QComboBox()
        for lines, label in ((1, "1 dòng (xem đủ ở dòng dưới bảng)"), (2, "Tối đa 2 dòng"),
                             (3, "Tối đa 3 dòng")):  # fmt: skip
            self.lines_combo.addItem(label, lines)
        chosen = self.lines_combo.findData(self.settings.grid_row_lines)
        self.lines_combo.setCurrentIndex(max(chosen, 0))
        self.lines_combo.currentIndexChanged.connect(self._lines_changed)
        form.addRow("Mỗi hàng trong bảng nhập", self.lines_combo)
        return box

    def _lines_changed(self) -> None:
        from .entry_grid import EntryGrid

        lines = int(self.lines_combo.currentData())
        self.settings.set("grid_row_lines", lines)
        self.settings.save()
        for widget in QApplication.allWidgets():  # the open grids take it at once
            if isinstance(widget, EntryGrid):
                widget.fit_rows()
        self._say(f"Mỗi hàng trong bảng nhập: tối đa {lines} dòng.")

    def _font_changed(self) -> None:
        from .style import apply_font_scale

        scale = self.font_combo.currentData()
        self.settings.set("font_scale", scale)
        self.settings.save()
        apply_font_scale(cast(QApplication, QApplication.instance()), scale)
        self._say(f"Cỡ chữ giao diện: {scale}%.")

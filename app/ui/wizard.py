"""First run: the office, where the plan comes from, where the data file lives."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..importers.apply import plan_from_preview
from ..importers.preview import ImportPreview
from ..models.errors import UserError
from ..models.plan import (
    OFFICE_LEVELS,
    DocumentStyle,
    Frequency,
    Office,
    OfficeMode,
    Plan,
    PlanInfo,
    ReportingRule,
)
from ..models.samples import list_samples, load_sample
from ..models.text import clean
from ..operations import data_file as data_ops
from ..operations import plan as plan_ops
from ..settings import Settings, default_data_file
from . import messages
from .import_preview import PreviewView
from .workers import Job, Progress, start_job

OFFICE, SOURCE, PREVIEW, DATA_FILE = range(4)
DEFAULT_REGIME = [
    ReportingRule(Frequency.QUARTER, 20, 0),
    ReportingRule(Frequency.HALF, 20, 0),
    ReportingRule(Frequency.YEAR, 15, 0),
]
DEFAULT_MILESTONES = [2025, 2030, 2045]


class OfficePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Thông tin đơn vị")
        self.setSubTitle("Các thông tin này in trên báo cáo; có thể sửa lại trong Cài đặt.")
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Ví dụ: Xã Thống Nhất")
        self.name.textChanged.connect(self.completeChanged)
        self.level = QComboBox()
        self.level.setEditable(True)
        self.level.addItems(list(OFFICE_LEVELS))
        self.province = QLineEdit()
        self.issuing_body = QLineEdit()
        self.issuing_body.setPlaceholderText("ỦY BAN NHÂN DÂN XÃ THỐNG NHẤT")
        self.style_combo = QComboBox()
        for style in DocumentStyle:
            label = style.label
            self.style_combo.addItem(label, style)
        self.signer_name = QLineEdit()
        self.signer_title = QLineEdit()
        self.signer_title.setPlaceholderText("CHỦ TỊCH")
        self.mode = QComboBox()
        self.mode.addItem(
            "Đơn vị báo cáo (xã, phường nhập số liệu và gửi báo cáo)", OfficeMode.REPORTING
        )
        self.mode.addItem(
            "Đơn vị tiếp nhận, tổng hợp (nhận gói báo cáo của các đơn vị)", OfficeMode.RECEIVING
        )
        form.addRow("Vai trò của tệp dữ liệu", self.mode)
        form.addRow("Tên đơn vị (*)", self.name)
        form.addRow("Cấp", self.level)
        form.addRow("Tỉnh, thành phố", self.province)
        form.addRow("Cơ quan ban hành văn bản", self.issuing_body)
        form.addRow("Thể thức văn bản", self.style_combo)
        form.addRow("Họ tên người ký", self.signer_name)
        form.addRow("Chức vụ người ký", self.signer_title)

    def isComplete(self) -> bool:
        return bool(clean(self.name.text()))

    def office(self) -> Office:
        name = clean(self.name.text()) or ""
        level = clean(self.level.currentText()) or "xã"
        place = name[len(level) :].strip() if name.lower().startswith(level.lower()) else name
        return Office(
            name=name,
            level=level,
            province=clean(self.province.text()),
            issuing_body=clean(self.issuing_body.text()),
            style=DocumentStyle(self.style_combo.currentData() or DocumentStyle.STATE),
            place=place or None,
            signer_name=clean(self.signer_name.text()),
            signer_title=clean(self.signer_title.text()),
            mode=OfficeMode(self.mode.currentData() or OfficeMode.REPORTING),
        )


class SourcePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Kế hoạch")
        self.setSubTitle(
            "Chọn cách bắt đầu: từ kế hoạch mẫu, từ tệp Excel phụ lục, hoặc kế hoạch trống."
        )
        self.sample_radio = QRadioButton("Bắt đầu từ kế hoạch mẫu")
        self.import_radio = QRadioButton(
            "Nhập phụ lục kế hoạch từ tệp Excel (.xlsx) hoặc Word (.docx)"
        )
        self.empty_radio = QRadioButton("Bắt đầu với kế hoạch trống")
        self.group = QButtonGroup(self)
        for button in (self.sample_radio, self.import_radio, self.empty_radio):
            self.group.addButton(button)
            button.toggled.connect(self.completeChanged)
        self.sample_radio.setChecked(True)
        self.samples = QComboBox()
        for sample in list_samples():
            self.samples.addItem(sample.title, sample.name)
        self.file = QLineEdit()
        self.file.setPlaceholderText("Chưa chọn tệp")
        self.file.textChanged.connect(self.completeChanged)
        choose = QPushButton("Chọn tệp…")
        choose.clicked.connect(self._choose)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(choose)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sample_radio)
        layout.addWidget(self.samples)
        layout.addSpacing(10)
        layout.addWidget(self.import_radio)
        layout.addLayout(file_row)
        layout.addSpacing(10)
        layout.addWidget(self.empty_radio)
        layout.addStretch(1)

    def _choose(self) -> None:
        path = messages.choose_open_file(
            self, "Chọn tệp phụ lục kế hoạch",
            "Phụ lục kế hoạch (*.xlsx *.docx);;Bảng tính Excel (*.xlsx);;Văn bản Word (*.docx)",
        )  # fmt: skip
        if path is not None:
            self.file.setText(str(path))
            self.import_radio.setChecked(True)

    def isComplete(self) -> bool:
        return not self.import_radio.isChecked() or bool(self.file.text().strip())

    def nextId(self) -> int:
        return PREVIEW if self.import_radio.isChecked() else DATA_FILE


class PreviewPage(QWizardPage):
    """Reads the workbook in a worker and shows the dry run; only an importable file passes."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Xem trước dữ liệu nhập")
        self.setSubTitle("Kiểm tra các dòng đã đọc; các dòng tô đỏ có lỗi cần sửa trong tệp Excel.")
        self.view = PreviewView()
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.preview: ImportPreview | None = None
        self.job: Job | None = None

    def initializePage(self) -> None:
        self.preview = None
        path = Path(self.wizard_.source_page.file.text().strip())
        self.view.show_message(f"Đang đọc {path.name}…")

        def work(progress: Progress, cancel: threading.Event) -> ImportPreview:
            return plan_ops.read_plan_file(path, progress, cancel)

        self.job = start_job(self, "Đọc tệp Excel", work, self._read, self.view.show_message)

    def _read(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.view.show_preview(preview)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.preview is not None and self.preview.importable

    def nextId(self) -> int:
        return DATA_FILE


class DataFilePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard, path: Path) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Nơi lưu dữ liệu")
        self.setSubTitle(
            "Toàn bộ kế hoạch, số liệu và tệp minh chứng nằm trong một tệp dữ liệu trên máy này."
        )
        self.path = QLineEdit(str(path))
        self.path.textChanged.connect(self.completeChanged)
        change = QPushButton("Đổi…")
        change.clicked.connect(self._change)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(change)
        self.note = QLabel("Nên sao lưu tệp này định kỳ (Cài đặt → Sao lưu).")
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tệp dữ liệu:"))
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def _change(self) -> None:
        path = messages.choose_save_file(
            self, "Chọn nơi lưu tệp dữ liệu", self.path.text(), "Tệp dữ liệu (*.sqlite)"
        )
        if path is not None:
            self.path.setText(str(path if path.suffix else path.with_suffix(".sqlite")))

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        try:
            self.wizard_.create(Path(self.path.text().strip()))
        except UserError as exc:
            messages.show_error(self, exc.message, "Không tạo được tệp dữ liệu")
            return False
        return True


class FirstRunWizard(QWizard):
    created = Signal(object)  # Path of the new data file

    def __init__(
        self, settings: Settings, path: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Theo dõi NQ57 — Thiết lập lần đầu")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.resize(860, 620)
        messages.translate_wizard(self)
        self.office_page = OfficePage()
        self.source_page = SourcePage()
        self.preview_page = PreviewPage(self)
        self.file_page = DataFilePage(self, path or default_data_file())
        self.setPage(OFFICE, self.office_page)
        self.setPage(SOURCE, self.source_page)
        self.setPage(PREVIEW, self.preview_page)
        self.setPage(DATA_FILE, self.file_page)
        self.created_path: Path | None = None

    def plan(self, office: Office) -> Plan | None:
        source = self.source_page
        if source.sample_radio.isChecked():
            plan = load_sample(source.samples.currentData())
            plan.office = office
            return plan
        if source.import_radio.isChecked():
            preview = self.preview_page.preview
            if preview is None:
                raise UserError("Chưa đọc được tệp Excel.")
            plan = plan_from_preview(preview, office)
            if not plan.info.title:
                plan.info.title = "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW"
            plan.info.reporting = plan.info.reporting or list(DEFAULT_REGIME)
            plan.info.milestones = plan.info.milestones or list(DEFAULT_MILESTONES)
            return plan
        info = PlanInfo(
            number="",
            title="Kế hoạch thực hiện Nghị quyết số 57-NQ/TW",
            milestones=list(DEFAULT_MILESTONES),
            reporting=list(DEFAULT_REGIME),
        )
        return Plan(office=office, info=info)

    def create(self, path: Path) -> Path:  # type: ignore[override]  # not QWidget.create
        """Create the data file from the answers; refuses to overwrite an existing file."""
        if path.exists():
            raise UserError(f"Tệp '{path}' đã có. Hãy chọn tên khác hoặc mở tệp đó trong Cài đặt.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(
                f"Không tạo được thư mục '{path.parent}': {exc.strerror or exc}."
            ) from None
        office = self.office_page.office()
        data_ops.create_data_file(path, office, self.plan(office))
        self.settings.set("data_file", str(path))
        self.settings.save()
        self.created_path = path
        return path

    def done(self, result: int) -> None:
        """Finish: the last page creates the file (once), then the main window opens."""
        if result != QDialog.DialogCode.Accepted:
            super().done(result)
            return
        if not self.validateCurrentPage():
            return
        self.created.emit(self.created_path)  # before closing, so the app never has no window
        QDialog.done(self, result)  # QWizard.done would validate (and create) a second time

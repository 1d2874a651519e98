"""A report the regime does not generate: đột xuất, theo yêu cầu, sơ kết, tổng kết.

A công văn asks the office for a report with its own title, data window and
due date. The secretary types what the công văn says; the dialog checks it
with the core's own rule (regime.check_ad_hoc) as she types, shows the data
window and the last on-time day the app will use, and returns the report.
The page then calls the operation (plan.add_ad_hoc_report).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialogButtonBox, QLabel, QWidget

from ..models.errors import UserError
from ..models.periods import due_wording
from ..models.plan import AdHocReport, PeriodKind
from ..models.regime import check_ad_hoc
from .plan_dialogs import FormDialog

# Titles a secretary most often types, offered in the title box's list.
TITLE_SUGGESTIONS = {
    PeriodKind.AD_HOC: ["Báo cáo đột xuất", "Báo cáo theo yêu cầu"],
    PeriodKind.REVIEW: [
        "Báo cáo sơ kết 6 tháng",
        "Báo cáo sơ kết 1 năm",
        "Báo cáo sơ kết giữa nhiệm kỳ",
        "Báo cáo tổng kết cuối nhiệm kỳ",
    ],
}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class AdHocReportDialog(FormDialog):
    """Title, kind, data window and due date of a report asked for by a công văn."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__("Thêm báo cáo đột xuất, sơ kết, tổng kết", parent)
        self.kind = QComboBox()
        for kind in (PeriodKind.AD_HOC, PeriodKind.REVIEW):
            self.kind.addItem(kind.label, kind)
        self.title_edit = QComboBox()
        self.title_edit.setEditable(True)
        if (line := self.title_edit.lineEdit()) is not None:
            line.setPlaceholderText("Tên báo cáo như công văn yêu cầu")
        self.start = self._date_edit(date(today.year, 1, 1))
        self.end = self._date_edit(today)
        self.due = self._date_edit(today + timedelta(days=7))
        self.wording = QComboBox()
        self.wording.addItem("Trước ngày (hạn cuối là ngày liền trước)", True)
        self.wording.addItem("Chậm nhất ngày (hạn cuối là chính ngày đó)", False)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        for label, widget in (("Loại báo cáo", self.kind), ("Tên báo cáo", self.title_edit),
                              ("Số liệu từ ngày", self.start), ("Số liệu đến ngày", self.end),
                              ("Hạn nộp", self.due), ("Cách ghi hạn", self.wording)):  # fmt: skip
            self.form.addRow(label, widget)
        self.layout_.insertWidget(1, self.summary)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.title_edit.editTextChanged.connect(self.validate)
        self.wording.currentIndexChanged.connect(self.validate)
        self._kind_changed()

    def _date_edit(self, day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.dateChanged.connect(self.validate)
        return edit

    def _kind(self) -> PeriodKind:
        return PeriodKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        text = self.title_edit.currentText()
        self.title_edit.blockSignals(True)
        self.title_edit.clear()
        self.title_edit.addItems(TITLE_SUGGESTIONS[self._kind()])
        self.title_edit.setEditText(text)
        self.title_edit.blockSignals(False)
        self.validate()

    def report(self) -> AdHocReport:
        """The report as typed, checked by the core (UserError says what is wrong)."""
        return check_ad_hoc(
            AdHocReport(
                self._kind(),
                self.title_edit.currentText(),
                _date(self.start),
                _date(self.end),
                _date(self.due),
                strict=bool(self.wording.currentData()),
            )
        )

    def validate(self) -> bool:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        try:
            report = self.report()
        except UserError as exc:
            self.problem.setText(exc.message[:1].upper() + exc.message[1:])
            self.summary.setText("")
            save.setEnabled(False)
            return False
        self.problem.setText("")
        self.summary.setText(
            f"Số liệu tính từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}; "
            f"hạn nộp: {due_wording(report.deadline, report.strict)}."
        )
        save.setEnabled(True)
        return True

    def accept(self) -> None:
        if self.validate():
            super().accept()

"""The last question before a document goes out: its number, its date, who signs.

Shown by "Ký và xuất gói báo cáo" (and by the receiving office's "Xuất tổng
hợp…"): the summary of what leaves the office, the number the outgoing
register proposes (editable: a number given on paper first), the issue date
(today by default) and, when Cài đặt has one, whether the organisation's
certificate signs too. "Ký và xuất" checks the number with the register
first: a number already given is refused with the register's own message and
the dialog stays open on it. Nothing is written here; the choice goes to the
same export operation the command line uses (`--number`, `--issue-date`,
`--org-p12`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..models.errors import UserError
from ..operations import package as package_ops
from ..operations.package import PdfCertificate
from .certificate_section import describe


class NumberBox(QSpinBox):
    """The document number as the văn thư writes it: "01", "05", "12" (NĐ 30)."""

    def textFromValue(self, value: int) -> str:  # noqa: N802 (Qt override)
        return f"{value:02d}"


@dataclass(frozen=True)
class IssueChoice:
    """What the văn thư chose: passed as `number=`, `today=` and `org_certificate=`."""

    number: int | None  # None: not issued (the consolidated PDF exported as before)
    issue_date: date
    org_signs: bool


class IssueDialog(QDialog):
    def __init__(
        self,
        db_path: Path,
        summary: str,
        today: date,
        *,
        signer: str = "",
        certificate: PdfCertificate | None = None,
        org_certificate: PdfCertificate | None = None,
        title: str = "Ký và xuất gói báo cáo",
        accept_label: str = "Ký và xuất",
        optional: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.db_path = Path(db_path)
        self.summary_text = summary
        self._proposed = 0
        summary_label = QLabel(summary)
        summary_label.setObjectName("issueSummary")
        summary_label.setWordWrap(True)
        summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        summary_label.setMargin(6)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setWidget(summary_label)
        scroller.setMinimumHeight(120)

        self.issue = QCheckBox("Ban hành báo cáo PDF: cấp số, ghi ngày ban hành và ký số")
        self.issue.setVisible(optional)
        self.issue.setChecked(not optional or bool(signer))
        self.number = NumberBox()
        self.number.setRange(1, 9999)
        self.number.setAccelerated(True)
        self.number.setMaximumWidth(110)
        self.number.setToolTip(
            "Số tiếp theo trong sổ văn bản đi của năm; sửa được khi đã cấp số trên giấy. "
            "Một số không được cấp hai lần."
        )
        self.reference = QLabel()
        self.reference.setObjectName("issueReference")
        self.date = QDateEdit(QDate(today.year, today.month, today.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setMaximumWidth(150)
        self.today = today
        self.date_note = QLabel()
        self.date_note.setObjectName("muted")
        self.date_note.setWordWrap(True)
        who = signer or "(chưa có họ tên người ký)"
        signs = (
            f"chữ ký số bằng {describe(certificate)}"
            if certificate
            else "không ký số PDF (chưa chọn chứng thư số)"
        )
        self.signer_line = QLabel(f"{who} — {signs}")
        self.signer_line.setWordWrap(True)
        self.org = QCheckBox(
            f"Ký số của cơ quan bằng {describe(org_certificate)}, đóng dấu lên chữ ký"
            if org_certificate
            else ""
        )
        self.has_org = org_certificate is not None
        self.org.setChecked(self.has_org)
        self.org.setVisible(org_certificate is not None)
        self.problem = QLabel("")
        self.problem.setObjectName("issueProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a8231a")

        form = QFormLayout()
        form.addRow(self.issue)
        form.addRow("Số văn bản:", self.number)
        form.addRow("", self.reference)
        form.addRow("Ngày ban hành:", self.date)
        form.addRow("", self.date_note)
        form.addRow("Người ký:", self.signer_line)
        if org_certificate is not None:
            form.addRow("Cơ quan:", self.org)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(accept_label)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroller, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(640, 520)

        self.number.valueChanged.connect(lambda _v: self._show_reference())
        self.date.dateChanged.connect(lambda _d: self._date_changed())
        self.issue.toggled.connect(lambda _on: self._enable())
        self._propose()
        self._date_changed()
        self._enable()
        self.number.setFocus()
        self.number.selectAll()

    # -- what is shown -----------------------------------------------------------------------
    def issue_date(self) -> date:
        d = self.date.date()
        return date(d.year(), d.month(), d.day())

    def _propose(self) -> None:
        """The register's next number for the issue date's year."""
        self._proposed = package_ops.next_number(self.db_path, self.issue_date()).result
        self.number.setValue(self._proposed)
        self._show_reference()

    def _date_changed(self) -> None:
        if self.number.value() == self._proposed:  # not typed over: follow the year
            self._propose()
        else:
            self._show_reference()
        day = self.issue_date()
        self.date_note.setText(
            ""
            if day == self.today
            else f"Ngày ban hành khác ngày hôm nay ({self.today:%d/%m/%Y}); gói vẫn ghi thời "
            "điểm lập thật."
        )

    def _show_reference(self) -> None:
        self.problem.setText("")
        try:
            reference = package_ops.check_number(
                self.db_path, self.number.value(), self.issue_date()
            ).result
        except UserError as exc:
            self.reference.setText("")
            self.problem.setText(exc.message)
            return
        proposed = (
            " (số tiếp theo trong sổ văn bản đi)" if self.number.value() == self._proposed else ""
        )
        self.reference.setText(f"<b>{reference}</b>, ngày {self.issue_date():%d/%m/%Y}{proposed}")

    def _enable(self) -> None:
        on = self.issue.isChecked()
        for widget in (self.number, self.date, self.org, self.reference, self.date_note):
            widget.setEnabled(on)

    # -- the answer ------------------------------------------------------------------------------
    def accept(self) -> None:
        """Closes only on a number the register has not given."""
        if self.issue.isChecked():
            try:
                package_ops.check_number(self.db_path, self.number.value(), self.issue_date())
            except UserError as exc:
                self.problem.setText(exc.message)
                self.number.setFocus()
                self.number.selectAll()
                return
        super().accept()

    def choice(self) -> IssueChoice:
        issued = self.issue.isChecked()
        return IssueChoice(
            self.number.value() if issued else None,
            self.issue_date(),
            issued and self.has_org and self.org.isChecked(),
        )


def ask_issue(dialog: IssueDialog) -> IssueChoice | None:
    """Show the dialog; its choice, or None when the văn thư chose "Hủy"."""
    from .focus import exec_dialog

    return dialog.choice() if exec_dialog(dialog) == QDialog.DialogCode.Accepted else None

"""Cài đặt › Hạn của cơ quan, đơn vị: per frequency of the plan's regime, the date the
agencies owe their figures to the office, set apart from the office's own date upward.

Both are shown for the current year (`agencies.schedule.year_dates`): the office's
dates upward, and the agencies' — the office's unless a rule is set here, or a
date for one period on the Cơ quan, đơn vị page. Saving goes through
`operations.agency.save_agency_due_rules` (the whole table in one transaction).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..agencies.schedule import year_dates
from ..models.change import Change, Subject
from ..models.errors import UserError
from ..models.plan import Frequency, ReportingRule
from ..operations import agency as agency_ops
from . import messages
from .regime_section import WORDINGS
from .session import Session

HEADERS = ("Kỳ báo cáo", "Hạn của đơn vị (báo cáo lên)", "Hạn riêng", "Cách ghi hạn", "Ngày",
           "Tháng so với tháng cuối kỳ", "Hạn của cơ quan, đơn vị (gửi về đơn vị)")  # fmt: skip


class AgencyDueRow:
    """The widgets of one frequency."""

    def __init__(self, frequency: Frequency) -> None:
        self.frequency = frequency
        self.office = QLabel()
        self.office.setWordWrap(True)
        self.own = QCheckBox("Đặt riêng")
        self.wording = QComboBox()
        for text, strict in WORDINGS:
            self.wording.addItem(text, strict)
        self.day = QSpinBox()
        self.day.setRange(1, 31)
        self.day.setMaximumWidth(70)
        self.offset = QSpinBox()
        self.offset.setMaximumWidth(100)
        self.offset.setRange(-2, 3)
        self.offset.setSuffix(" tháng")
        self.agencies = QLabel()
        self.agencies.setWordWrap(True)
        self.own.toggled.connect(self._enable)

    def widgets(self) -> tuple[QWidget, ...]:
        return (QLabel(self.frequency.label), self.office, self.own, self.wording, self.day,
                self.offset, self.agencies)  # fmt: skip

    def _enable(self, on: bool) -> None:
        for w in (self.wording, self.day, self.offset):
            w.setEnabled(on)

    def rule(self) -> ReportingRule | None:
        if not self.own.isChecked():
            return None
        return ReportingRule(self.frequency, self.day.value(), self.offset.value(),
                             strict=bool(self.wording.currentData()))  # fmt: skip


class AgencyDueSection(QGroupBox):
    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Hạn của cơ quan, đơn vị", parent)
        self.session = session
        self.grid = QGridLayout(self)
        self.rows: dict[Frequency, AgencyDueRow] = {}
        hint = QLabel("Hạn các cơ quan, đơn vị gửi báo cáo về đơn vị, thường sớm hơn hạn đơn vị "
                      "báo cáo lên (ví dụ “trước ngày 10/6 và 05/12”). Không đặt riêng: như hạn "
                      "của đơn vị. Hạn của một kỳ đặt trên trang Cơ quan, đơn vị.")  # fmt: skip
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.grid.addWidget(hint, 0, 0, 1, len(HEADERS))
        for column, text in enumerate(HEADERS):
            header = QLabel(f"<b>{text}</b>")
            header.setWordWrap(True)
            self.grid.addWidget(header, 1, column)
        self.save_button = QPushButton("Lưu hạn của cơ quan, đơn vị")
        self.save_button.clicked.connect(lambda: self.save())
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(6, 1)
        self.load()
        session.changed.connect(self._changed)
        session.storeReplaced.connect(self.load)

    def _changed(self, change: Change) -> None:
        if change.subject is Subject.PLAN_INFO:  # the regime or these rules
            self.load()

    def load(self) -> None:
        """One row per frequency of the plan's regime, both dates of this year."""
        lines = year_dates(self.session.store, self.session.today.year)
        wanted = [line.frequency for line in lines]
        if list(self.rows) != wanted:
            for row in self.rows.values():
                for w in row.widgets():
                    w.deleteLater()
            self.rows = {f: AgencyDueRow(f) for f in wanted}
            for r, row in enumerate(self.rows.values(), start=2):
                for column, w in enumerate(row.widgets()):
                    self.grid.addWidget(w, r, column)
            self.grid.addWidget(self.save_button, len(self.rows) + 2, 0, 1, 2)
        for line in lines:
            row = self.rows[line.frequency]
            rule = line.own_rule
            row.own.setChecked(rule is not None)
            row._enable(rule is not None)
            row.wording.setCurrentIndex(0 if rule is None or rule.strict else 1)
            row.day.setValue(rule.due_day if rule else 20)
            row.offset.setValue(rule.due_month_offset if rule else 0)
            row.office.setText(line.office)
            row.agencies.setText(line.agencies)

    def save(self) -> bool:
        rules = {f: row.rule() for f, row in self.rows.items()}
        try:
            self.session.run(lambda s: agency_ops.save_agency_due_rules(s, rules))
        except UserError as exc:
            messages.show_error(self, exc.message, "Không lưu được hạn")
            return False
        self.load()
        self.message.emit("Đã lưu hạn của cơ quan, đơn vị.")
        return True

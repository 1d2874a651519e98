"""Cài đặt › Chế độ báo cáo: the plan's reports, their due dates and wording, the plan's
start and end, merging of shorter reports, and how the data cut-off is chosen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..models.errors import UserError
from ..models.period_entries import parse_entry_date
from ..models.plan import CutoffPolicy, Frequency, ReportingRule
from ..operations import plan as plan_ops
from . import messages
from .session import Session

WORDINGS = (("trước ngày", True), ("chậm nhất ngày", False))


class RegimeSection(QGroupBox):
    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Chế độ báo cáo", parent)
        self.session = session
        grid = QGridLayout(self)
        for column, text in enumerate(
            ("Kỳ báo cáo", "Cách ghi hạn", "Ngày", "Tháng (so với tháng cuối kỳ)")
        ):
            grid.addWidget(QLabel(text), 0, column)
        self.rules: dict[Frequency, tuple[QCheckBox, QComboBox, QSpinBox, QSpinBox]] = {}
        for row, frequency in enumerate(Frequency, start=1):
            check = QCheckBox(frequency.label)
            wording = QComboBox()
            for text, strict in WORDINGS:
                wording.addItem(text, strict)
            day = QSpinBox()
            day.setRange(1, 31)
            offset = QSpinBox()
            offset.setRange(-2, 3)
            offset.setSuffix(" tháng")
            for column, widget in enumerate((check, wording, day, offset)):
                grid.addWidget(widget, row, column)
            self.rules[frequency] = (check, wording, day, offset)
        row = len(Frequency) + 1
        self.start = QLineEdit()
        self.start.setPlaceholderText("trống: ngày ban hành kế hoạch")
        self.end = QLineEdit()
        self.end.setPlaceholderText("trống: không có ngày kết thúc")
        self.merge = QCheckBox(
            "Gộp báo cáo ngắn vào báo cáo dài đến hạn cùng đợt (quý II vào 6 tháng, quý IV vào năm)"
        )
        self.policy = QComboBox()
        for policy in CutoffPolicy:
            self.policy.addItem(policy.label, policy)
        self.lead = QSpinBox()
        self.lead.setRange(1, 60)
        self.lead.setSuffix(" ngày trước hạn nộp")
        for label, widget in (("Kế hoạch bắt đầu", self.start), ("Kế hoạch kết thúc", self.end),
                              ("Chốt số liệu", self.policy), ("Chốt trước hạn", self.lead)):  # fmt: skip
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(widget, row, 1, 1, 3)
            row += 1
        grid.addWidget(self.merge, row, 0, 1, 4)
        save = QPushButton("Lưu chế độ báo cáo")
        save.clicked.connect(lambda: self.save())
        hint = QLabel("Ví dụ: báo cáo năm “trước ngày 25/11” là trước ngày, ngày 25, −1 tháng.")
        hint.setObjectName("muted")
        grid.addWidget(save, row + 1, 0)
        grid.addWidget(hint, row + 1, 1, 1, 3)
        grid.setColumnStretch(4, 1)
        self.load()

    def load(self) -> None:
        info = self.session.regime()
        rules = {r.frequency: r for r in info.reporting}
        for frequency, (check, wording, day, offset) in self.rules.items():
            rule = rules.get(frequency)
            check.setChecked(rule is not None)
            wording.setCurrentIndex(0 if rule is None or rule.strict else 1)
            day.setValue(rule.due_day if rule else 20)
            offset.setValue(rule.due_month_offset if rule else 0)
        self.start.setText(f"{info.start:%d/%m/%Y}" if info.start else "")
        self.end.setText(f"{info.end:%d/%m/%Y}" if info.end else "")
        self.merge.setChecked(info.merge_shorter)
        self.policy.setCurrentIndex(list(CutoffPolicy).index(info.cutoff_policy))
        self.lead.setValue(info.cutoff_lead_days)

    def save(self) -> bool:
        rules = [
            ReportingRule(
                frequency, day.value(), offset.value(), strict=bool(wording.currentData())
            )
            for frequency, (check, wording, day, offset) in self.rules.items()
            if check.isChecked()
        ]
        try:
            start = parse_entry_date(self.start.text() or None)
            end = parse_entry_date(self.end.text() or None)
            self.session.run(
                lambda s: plan_ops.save_regime(
                    s, reporting=rules, start=start, end=end, merge_shorter=self.merge.isChecked(),
                    cutoff_policy=self.policy.currentData(), cutoff_lead_days=self.lead.value(),
                )
            )  # fmt: skip
        except UserError as exc:
            messages.show_error(self, exc.message)
            return False
        self.message.emit("Đã lưu chế độ báo cáo.")
        return True

"""Kế hoạch › Quy tắc kiểm tra: the plan's validation rules, listed and edited.

Each rule is one store call through the session (add_rule, delete_rule,
set_outlier_share), so it is audited and the entry screens re-check at once.
The built-in checks by indicator kind are described, not listed: they always apply.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..models.errors import UserError
from ..models.plan import MAX_PATH_TOLERANCE, Comparator, RuleKind, Severity, ValidationRule
from ..models.values import format_number, parse_number
from ..operations import plan as plan_ops
from .session import Session

BUILT_IN = (
    "Luôn kiểm tra theo loại chỉ tiêu: tỷ lệ từ 0 đến 100%, số lượng là số nguyên không âm, "
    "Có/Không là đúng/sai, thứ hạng là số nguyên dương. Lỗi bị từ chối ngay khi nhập; cảnh báo "
    "được giữ nhưng phải giải trình trong cột Ghi chú trước khi chốt kỳ."
)


def rule_text(rule: ValidationRule) -> str:
    """What the rule requires, in words."""
    if rule.kind is RuleKind.RANGE:
        parts = []
        if rule.minimum is not None:
            parts.append(f"≥ {format_number(rule.minimum)}")
        if rule.maximum is not None:
            parts.append(f"≤ {format_number(rule.maximum)}")
        return "Giá trị " + " và ".join(parts)
    if rule.kind is RuleKind.NO_DECREASE:
        return "Không nhỏ hơn giá trị kỳ trước"
    if rule.kind is RuleKind.COMPARE:
        symbol = rule.comparator.symbol if rule.comparator else "?"
        return f"Giá trị {symbol} chỉ tiêu {rule.other}"
    return f"Cảnh báo khi thay đổi quá {format_number((rule.share or 0) * 100)}% so với kỳ trước"


class RulesPanel(QWidget):
    COLUMNS = ("Chỉ tiêu", "Loại quy tắc", "Yêu cầu", "Mức độ")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rules: list[ValidationRule] = []
        intro = QLabel(BUILT_IN)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.indicator = QComboBox()
        self.kind = QComboBox()
        for kind in RuleKind:
            self.kind.addItem(kind.label, kind)
        self.severity = QComboBox()
        for severity in Severity:
            self.severity.addItem(severity.label, severity)
        self.minimum, self.maximum, self.share = QLineEdit(), QLineEdit(), QLineEdit()
        self.minimum.setPlaceholderText("nhỏ nhất")
        self.maximum.setPlaceholderText("lớn nhất")
        self.share.setPlaceholderText("ngưỡng %, ví dụ 30")
        self.comparator = QComboBox()
        for comparator in Comparator:
            self.comparator.addItem(comparator.symbol, comparator)
        self.other = QComboBox()
        add = QPushButton("Thêm quy tắc")
        add.clicked.connect(lambda: self.add_rule())
        remove = QPushButton("Xóa quy tắc đã chọn")
        remove.clicked.connect(self.delete_selected)
        self.outlier = QDoubleSpinBox()
        self.outlier.setRange(1, 1000)
        self.outlier.setSuffix(" %")
        self.outlier.setDecimals(0)
        self.outlier.editingFinished.connect(self._outlier_changed)
        # How close to the path to the next milestone counts as "on the path".
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setRange(0, MAX_PATH_TOLERANCE * 100)
        self.tolerance.setSuffix(" % của bước")
        self.tolerance.setDecimals(1)
        self.tolerance.setToolTip(
            "Giá trị lệch khỏi lộ trình không quá ngưỡng này, tính theo phần trăm khoảng cách "
            "từ điểm trước (hiện trạng hoặc mục tiêu mốc trước) đến mục tiêu mốc kế tiếp, "
            "được đánh giá là đúng lộ trình."
        )
        self.tolerance.editingFinished.connect(self._tolerance_changed)
        self.status = QLabel("")
        self.status.setWordWrap(True)

        form = QFormLayout()
        row1 = QHBoxLayout()
        for w in (self.indicator, self.kind, self.severity):
            row1.addWidget(w, 1)
        form.addRow("Quy tắc mới", row1)
        row2 = QHBoxLayout()
        for widget in (self.minimum, self.maximum, self.comparator, self.other, self.share, add):
            row2.addWidget(widget)
        form.addRow("Tham số", row2)
        form.addRow("Ngưỡng biến động chung", self.outlier)
        form.addRow("Dung sai lộ trình", self.tolerance)
        buttons = QHBoxLayout()
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.status)
        session.planChanged.connect(self.reload)
        session.storeReplaced.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        plan = self.session.plan()
        self.rules = list(plan.rules)
        codes = [(f"{i.code}. {i.name}", i.code) for i in plan.indicators()]
        for combo in (self.indicator, self.other):
            current = combo.currentData()
            combo.clear()
            for text, code in codes:
                combo.addItem(text[:70], code)
            if current is not None and (pos := combo.findData(current)) >= 0:
                combo.setCurrentIndex(pos)
        self.outlier.setValue(plan.outlier_share * 100)
        self.tolerance.setValue(plan.path_tolerance * 100)
        self.table.setRowCount(len(self.rules))
        for r, rule in enumerate(self.rules):
            for c, text in enumerate((rule.indicator, rule.kind.label, rule_text(rule),
                                      rule.severity.label)):  # fmt: skip
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _number(self, edit: QLineEdit) -> float | None:
        text = edit.text().strip().rstrip("%")
        if not text:
            return None
        number = parse_number(text)
        if number is None:
            raise UserError(f"'{edit.text()}' không phải là số.")
        return number

    def add_rule(self, rule: ValidationRule | None = None) -> int | None:
        """Add the rule given, or the one described by the form."""
        try:
            if rule is None:
                kind = self.kind.currentData()
                share = self._number(self.share)
                rule = ValidationRule(
                    indicator=self.indicator.currentData(), kind=kind,
                    severity=self.severity.currentData(), minimum=self._number(self.minimum),
                    maximum=self._number(self.maximum),
                    other=self.other.currentData() if kind is RuleKind.COMPARE else None,
                    comparator=self.comparator.currentData() if kind is RuleKind.COMPARE else None,
                    share=None if share is None else share / 100,
                )  # fmt: skip
            rid = self.session.run(lambda s: plan_ops.add_rule(s, rule)).result
        except UserError as exc:
            self.status.setText(exc.message)
            return None
        self.status.setText(f"Đã thêm quy tắc cho chỉ tiêu {rule.indicator}.")
        return rid

    def delete_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            rid = self.rules[row].id
            if rid is not None:
                self.session.run(partial(plan_ops.delete_rule, rule_id=rid))
        if rows:
            self.status.setText("Đã xóa quy tắc.")

    def _tolerance_changed(self) -> None:
        share = round(self.tolerance.value(), 1) / 100
        if abs(share - self.session.plan().path_tolerance) > 1e-9:
            self.session.run(lambda s: plan_ops.set_path_tolerance(s, share))
            self.status.setText(
                f"Đã đặt dung sai lộ trình {format_number(share * 100)}% của bước đến mục tiêu."
            )

    def _outlier_changed(self) -> None:
        share = self.outlier.value() / 100
        if abs(share - self.session.plan().outlier_share) > 1e-9:
            self.session.run(lambda s: plan_ops.set_outlier_share(s, share))

"""Dialogs to add or edit a group, an indicator or a task, validated as the user types.

Each field is checked with the core's own parsers on every keystroke; the
problem is shown under the form in Vietnamese and the save button stays
disabled until the form is valid. The dialog only collects values: the page
calls the store.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..models.deadline import parse_deadline
from ..models.errors import UserError
from ..models.measure import Measure, infer_measure
from ..models.plan import (
    Baseline,
    Direction,
    Indicator,
    IndicatorKind,
    Target,
    Task,
    TaskAppendix,
)
from ..models.text import clean
from ..models.values import format_target, format_value, parse_target, parse_value
from .messages import translate_buttons

DIRECTION_LABELS = {
    Direction.HIGHER_BETTER: "Càng cao càng tốt",
    Direction.LOWER_BETTER: "Càng thấp càng tốt (thứ hạng)",
}
INVALID_STYLE = "border: 1px solid #c0392b; background: #fdf0ee;"


class FormDialog(QDialog):
    """A form whose fields are checked as the user types; Lưu stays off until valid."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.form = QFormLayout()
        self.problem = QLabel("")
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.buttons = translate_buttons(
            QDialogButtonBox(
                QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
            )
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.checks: list[Callable[[], tuple[QWidget, str] | None]] = []

    def line(self, label: str, text: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setCursorPosition(0)  # a long text shows its start, not its cut-off end
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(self.validate)
        self.form.addRow(label, edit)
        return edit

    def validate(self) -> bool:
        """Run every check; mark the first bad field and say why."""
        for edit in self.findChildren(QLineEdit):
            edit.setStyleSheet("")
        for check in self.checks:
            failed = check()
            if failed is not None:
                widget, message = failed
                widget.setStyleSheet(INVALID_STYLE)
                self.problem.setText(message)
                self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
                return False
        self.problem.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        return True

    def required(self, edit: QLineEdit, message: str) -> None:
        self.checks.append(lambda: None if clean(edit.text()) else (edit, message))

    def accept(self) -> None:
        if self.validate():
            super().accept()


class GroupDialog(FormDialog):
    """A group's number and title; a task group of a plan of appendices also picks its
    appendix ("Phụ lục"), which moves an existing group there."""

    def __init__(
        self,
        title: str,
        code: str = "",
        name: str = "",
        parent: QWidget | None = None,
        appendices: list[TaskAppendix] | None = None,
        appendix: str = "",
    ) -> None:
        super().__init__(title, parent)
        self.code = self.line("Số thứ tự (I, II…)", code)
        self.title_edit = self.line("Tên nhóm", name)
        self.required(self.title_edit, "Tên nhóm không được để trống.")
        self.appendix: QComboBox | None = None
        if appendices:
            self.appendix = QComboBox()
            for a in appendices:
                self.appendix.addItem(f"Phụ lục {a.code}. {a.title}", a.code)
            codes = [a.code for a in appendices]
            self.appendix.setCurrentIndex(
                codes.index(appendix) if appendix in codes else len(codes) - 1
            )
            self.form.addRow("Phụ lục", self.appendix)
        self.validate()

    def values(self) -> tuple[str, str]:
        return self.code.text(), self.title_edit.text()

    def appendix_code(self) -> str:
        """The chosen appendix's code, "" when the plan has none."""
        return str(self.appendix.currentData()) if self.appendix is not None else ""


class IndicatorDialog(FormDialog):
    def __init__(
        self,
        milestones: list[int],
        indicator: Indicator | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa chỉ tiêu" if indicator else "Thêm chỉ tiêu", parent)
        ind = indicator or Indicator(code="", name="")
        self.milestones = sorted(milestones)
        self.code = self.line("Mã (số thứ tự)", ind.code)
        self.name = self.line("Tên chỉ tiêu", ind.name)
        self.unit = self.line("Đơn vị tính", ind.unit or "", "%, số, chỉ số…")
        self.kind = QComboBox()
        for kind in IndicatorKind:
            self.kind.addItem(kind.label, kind)
        self.kind.setCurrentIndex(list(IndicatorKind).index(ind.kind))
        self.kind.currentIndexChanged.connect(self.validate)
        self.form.addRow("Loại chỉ tiêu", self.kind)
        self.direction = QComboBox()
        for direction, label in DIRECTION_LABELS.items():
            self.direction.addItem(label, direction)
        self.direction.setCurrentIndex(list(Direction).index(ind.direction))
        self.form.addRow("Chiều đánh giá", self.direction)
        # What the value counts. Inferred from the name and unit until the user
        # picks one (`activated` is emitted for the user's choices only).
        self.measure = QComboBox()
        for measure in Measure:
            self.measure.addItem(measure.label, measure)
        self._measure_chosen = indicator is not None and ind.measure is not infer_measure(
            ind.name, ind.unit
        )
        self.measure.setCurrentIndex(list(Measure).index(ind.measure or Measure.LEVEL))
        self.measure.activated.connect(self._measure_activated)
        self.measure_hint = QLabel("")
        self.measure_hint.setObjectName("hint")
        self.measure_hint.setWordWrap(True)
        self.form.addRow("Cách tính giá trị", self.measure)
        self.form.addRow("", self.measure_hint)
        self.name.textChanged.connect(self._follow_inferred_measure)
        self.unit.textChanged.connect(self._follow_inferred_measure)
        self._follow_inferred_measure()
        b = ind.baseline
        self.baseline = self.line("Hiện trạng", b.text or format_value(ind, b.value))
        self.baseline_as_of = self.line("Thời điểm hiện trạng", b.as_of or "", "Tháng 3/2025")
        self.not_assessed = QCheckBox("Chỉ tiêu mới, chưa đánh giá")
        self.not_assessed.setChecked(b.not_assessed)
        self.form.addRow("", self.not_assessed)
        self.targets: dict[int, QLineEdit] = {}
        for year in self.milestones:
            self.targets[year] = self.line(
                f"Mục tiêu năm {year}", format_target(ind, ind.targets.get(year)), "≥ 80%"
            )
        self.lead = self.line("Cơ quan chủ trì", ind.lead_agency or "")
        self.note = self.line("Ghi chú", ind.note or "")
        self.required(self.code, "Mã chỉ tiêu không được để trống.")
        self.required(self.name, "Tên chỉ tiêu không được để trống.")
        self.checks.append(self._check_baseline)
        self.checks.append(self._check_targets)
        self.validate()

    def _kind(self) -> IndicatorKind:
        return IndicatorKind(self.kind.currentData())

    def _measure(self) -> Measure:
        return Measure(self.measure.currentData())

    def _inferred_measure(self) -> Measure:
        return infer_measure(self.name.text(), self.unit.text())

    def _measure_activated(self) -> None:
        self._measure_chosen = self._measure() is not self._inferred_measure()
        self._follow_inferred_measure()

    def _follow_inferred_measure(self) -> None:
        """Keep the measure on what the name and unit say until the user overrides it."""
        inferred = self._inferred_measure()
        if not self._measure_chosen:
            self.measure.setCurrentIndex(list(Measure).index(inferred))
        if self._measure() is inferred:
            self.measure_hint.setText(f"Suy ra từ tên và đơn vị: {inferred.label.lower()}.")
        else:
            self.measure_hint.setText(
                f"Đã chọn khác với cách suy ra từ tên và đơn vị ({inferred.label.lower()})."
            )

    def _check_baseline(self) -> tuple[QWidget, str] | None:
        if self._kind() is IndicatorKind.QUALITATIVE:
            return None
        try:
            self._baseline_value()
        except UserError as exc:
            return self.baseline, f"Hiện trạng: {exc.message}"
        return None

    def _baseline_value(self) -> float | bool | None:
        text = clean(self.baseline.text())
        if text is None:
            return None
        try:
            value = parse_value(self._kind(), text)
        except UserError:
            if any(ch.isdigit() for ch in text) and self._kind() is not IndicatorKind.YES_NO:
                raise
            return None  # wording such as "Chưa có" is kept as text
        return value if not isinstance(value, str) else None

    def _check_targets(self) -> tuple[QWidget, str] | None:
        for year, edit in self.targets.items():
            target = parse_target(self._kind(), edit.text())
            if target is not None and isinstance(target.value, float):
                try:
                    parse_value(self._kind(), target.value)
                except UserError as exc:
                    return edit, f"Mục tiêu năm {year}: {exc.message}"
        return None

    def indicator(self) -> Indicator:
        kind = self._kind()
        value = self._baseline_value() if kind is not IndicatorKind.QUALITATIVE else None
        text = clean(self.baseline.text())
        baseline = Baseline(
            value=value,
            text=text if value is None else None,
            as_of=clean(self.baseline_as_of.text()),
            not_assessed=self.not_assessed.isChecked(),
        )
        targets: dict[int, Target] = {}
        for year, edit in self.targets.items():
            target = parse_target(kind, edit.text())
            if target is not None:
                targets[year] = target
        return Indicator(
            code=clean(self.code.text()) or "",
            name=clean(self.name.text()) or "",
            unit=clean(self.unit.text()),
            kind=kind,
            direction=Direction(self.direction.currentData()),
            baseline=baseline,
            targets=targets,
            lead_agency=clean(self.lead.text()),
            note=clean(self.note.text()),
            measure=self._measure(),
        )


class TaskDialog(FormDialog):
    def __init__(self, task: Task | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Sửa nhiệm vụ" if task else "Thêm nhiệm vụ", parent)
        t = task or Task(code="", name="")
        self.code = self.line("Mã (số thứ tự)", t.code)
        self.name_edit = QPlainTextEdit(t.name)
        self.name_edit.setFixedHeight(70)
        self.name_edit.setTabChangesFocus(True)
        self.name_edit.textChanged.connect(self.validate)
        self.form.addRow("Tên nhiệm vụ", self.name_edit)
        self.lead = self.line("Cơ quan chủ trì", t.lead_agency or "")
        self.partners = self.line("Cơ quan phối hợp", "; ".join(t.partners), "ngăn cách bằng dấu ;")
        self.output = self.line("Sản phẩm", t.output or "")
        self.deadline = self.line(
            "Thời hạn",
            t.deadline.text if t.deadline else "",
            "Quý III/2026, Năm 2025, Thường xuyên…",
        )
        self.note = self.line("Ghi chú", t.note or "")
        self.required(self.code, "Mã nhiệm vụ không được để trống.")
        self.checks.append(
            lambda: (
                None
                if clean(self.name_edit.toPlainText())
                else (self.name_edit, "Tên nhiệm vụ không được để trống.")
            )
        )
        self.checks.append(self._check_deadline)
        self.validate()

    def _check_deadline(self) -> tuple[QWidget, str] | None:
        try:
            parse_deadline(self.deadline.text())
        except UserError as exc:
            return self.deadline, exc.message
        return None

    def task(self) -> Task:
        partners = [p for p in (clean(x) for x in self.partners.text().split(";")) if p]
        return Task(
            code=clean(self.code.text()) or "",
            name=clean(self.name_edit.toPlainText()) or "",
            lead_agency=clean(self.lead.text()),
            partners=partners,
            output=clean(self.output.text()),
            deadline=parse_deadline(self.deadline.text()),
            note=clean(self.note.text()),
        )

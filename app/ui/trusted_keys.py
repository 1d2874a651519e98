"""Khóa tin cậy: the keys the receiving office trusts, whose they are, and withdrawing one.

Withdrawing is one action (`receive.withdraw_trust`, audited) after one
question; packages the key signs from then on are refused as unknown, those
already received keep their status.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..models.errors import UserError
from ..operations import receive as receive_ops
from ..receiving.matrix import shown_date
from ..receiving.store import Receiving, TrustedKey
from . import messages

COLUMNS = ["Mã khóa", "Đơn vị", "Nguồn", "Thay khóa mới ngày"]


class TrustedKeysTab(QWidget):
    """The list of trusted keys with "Thôi tin cậy khóa đã chọn"."""

    def __init__(self, receiving: Receiving, changed: Callable[[], None]) -> None:
        super().__init__()
        self.receiving = receiving
        self.changed = changed
        self.keys: list[TrustedKey] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.withdraw_button = QPushButton("Thôi tin cậy khóa đã chọn…")
        self.withdraw_button.clicked.connect(lambda: self.withdraw_selected())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.withdraw_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def reload(self) -> None:
        self.keys = self.receiving.keys()
        names = {o.id: o.name for o in self.receiving.offices()}
        self.table.setRowCount(len(self.keys))
        for r, key in enumerate(self.keys):
            owner = names.get(key.office_id, "") if key.office_id else "chưa gắn đơn vị"
            values = [key.fingerprint, owner, key.source or "",
                      shown_date(key.retired_at) if key.retired_at else ""]  # fmt: skip
            for col, text in enumerate(values):
                self.table.setItem(r, col, QTableWidgetItem(text))

    def withdraw_selected(self) -> bool:
        row = self.table.currentRow()
        if not 0 <= row < len(self.keys):
            messages.show_error(self, "Hãy chọn một khóa trong danh sách trước.")
            return False
        key = self.keys[row]
        item = self.table.item(row, 1)
        owner = item.text() if item is not None else ""
        question = (f"Thôi tin cậy khóa {key.fingerprint} ({owner})?\n"
                    "Gói báo cáo ký bằng khóa này từ nay sẽ bị từ chối; "
                    "các gói đã nhận giữ nguyên tình trạng.")  # fmt: skip
        if not messages.confirm(self, "Thôi tin cậy khóa", question):
            return False
        try:
            receive_ops.withdraw_trust(self.receiving, key.fingerprint)
        except UserError as exc:
            messages.show_error(self, exc.message)
            return False
        self.changed()
        return True

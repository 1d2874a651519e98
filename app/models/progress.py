"""What the office records each period: indicator values, task progress, narrative."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .plan import Value


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    NOT_REPORTED = "not_reported"  # derived, never typed: no status this period or cycle

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def finished(self) -> bool:
        return self in (TaskStatus.DONE, TaskStatus.CANCELLED)


STATUS_LABELS = {
    TaskStatus.NOT_STARTED: "Chưa triển khai",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.DONE: "Đã hoàn thành",
    TaskStatus.PAUSED: "Tạm dừng",
    TaskStatus.CANCELLED: "Không thực hiện",
    TaskStatus.NOT_REPORTED: "Chưa cập nhật",
}
ENTERABLE_STATUSES = tuple(s for s in TaskStatus if s is not TaskStatus.NOT_REPORTED)


class NarrativeSection(StrEnum):
    """The four prose parts of a periodic report, in the order they are printed."""

    LEADERSHIP = "leadership"  # I.1 Công tác lãnh đạo, chỉ đạo
    SHORTCOMINGS = "shortcomings"  # II. Tồn tại, hạn chế và nguyên nhân
    DIRECTIONS = "directions"  # III. Phương hướng, nhiệm vụ kỳ tới
    PROPOSALS = "proposals"  # IV. Đề xuất, kiến nghị

    @property
    def label(self) -> str:
        return {
            "leadership": "Công tác lãnh đạo, chỉ đạo",
            "shortcomings": "Tồn tại, hạn chế và nguyên nhân",
            "directions": "Phương hướng, nhiệm vụ kỳ tới",
            "proposals": "Đề xuất, kiến nghị",
        }[self.value]


@dataclass
class IndicatorValue:
    indicator_id: int
    value: Value | None
    note: str | None = None
    source: str | None = None


@dataclass
class Attachment:
    """An evidence file kept inside the data file so a backup carries it."""

    id: int
    task_id: int
    file_name: str
    size: int
    sha256: str


@dataclass
class TaskProgress:
    task_id: int
    status: TaskStatus = TaskStatus.NOT_STARTED
    percent: float | None = None
    result: str | None = None
    evidence_number: str | None = None  # "Số 12/QĐ-UBND"
    evidence_date: date | None = None
    attachments: list[Attachment] = field(default_factory=list)

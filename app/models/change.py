"""What an operation changed, said in the words of the product, not of the database.

Every core operation returns an `Outcome`: its result and one `Change` naming the
kind of thing that changed (an indicator value, a task's progress, the plan's
targets…), the period and the item. The window broadcasts it and each view
redraws only when a change it shows arrives (Anki's "operation + changes").
Table names stay inside the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Subject(StrEnum):
    OFFICE = "office"  # the office and its letterhead
    PLAN_INFO = "plan_info"  # number, title, date, milestones, reporting regime
    INDICATOR_GROUP = "indicator_group"
    TASK_GROUP = "task_group"
    TASK_APPENDIX = "task_appendix"  # the plan's task appendices (Phụ lục II, III)
    INDICATOR = "indicator"
    TASK = "task"
    TARGET = "target"  # one indicator's target for one milestone year
    RULE = "rule"  # a validation rule
    PLAN_SETTING = "plan_setting"  # plan-wide settings (the outlier share)
    PLAN = "plan"  # the whole plan at once (an import)
    AD_HOC_PERIOD = "ad_hoc_period"  # a report the secretary created (đột xuất, sơ kết)
    AGENCY = "agency"  # the agencies reporting to the office, their links to items
    VALUE = "value"  # an indicator's value in a period
    PROGRESS = "progress"  # a task's progress in a period
    NARRATIVE = "narrative"  # a narrative section of a period's report
    ATTACHMENT = "attachment"  # an evidence file
    PERIOD_STATE = "period_state"  # open / closed / sent
    PACKAGE = "package"  # a signed package exported (the period is sent)
    RECEIVING = "receiving"  # the receiving office's offices, keys and packages
    DATA_FILE = "data_file"  # another data file, or this one restored: everything
    NOTHING = "nothing"  # a read, a file written outside the data file

    @property
    def of_plan(self) -> bool:
        return self in _PLAN

    @property
    def of_entries(self) -> bool:
        """Entries of one period (or of several when the change has no period)."""
        return self in _ENTRIES


_PLAN = frozenset(
    {
        Subject.PLAN_INFO,
        Subject.INDICATOR_GROUP,
        Subject.TASK_GROUP,
        Subject.TASK_APPENDIX,
        Subject.INDICATOR,
        Subject.TASK,
        Subject.TARGET,
        Subject.RULE,
        Subject.PLAN_SETTING,
        Subject.PLAN,
        Subject.AD_HOC_PERIOD,
        Subject.AGENCY,
    }
)
_ENTRIES = frozenset(
    {
        Subject.VALUE,
        Subject.PROGRESS,
        Subject.NARRATIVE,
        Subject.ATTACHMENT,
        Subject.PERIOD_STATE,
        Subject.PACKAGE,
    }
)


class Action(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True)
class Change:
    """One kind of thing changed: `item` is its id (an indicator's id for a value, the
    section for a narrative, a target's "indicator/year"), `period` the period id."""

    subject: Subject
    item: int | str | None = None
    period: str | None = None
    fields: frozenset[str] = frozenset()
    action: Action = Action.UPDATE

    @property
    def changed(self) -> bool:
        return self.subject is not Subject.NOTHING and (
            bool(self.fields) or self.action is not Action.UPDATE
        )


NO_CHANGE = Change(Subject.NOTHING)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What an operation returns: its result and what it changed."""

    result: T
    change: Change = NO_CHANGE

"""`store.appendices`: the plan's task appendices edited by hand, each edit one undo step.

A commune whose plan has Phụ lục II and III adds Phụ lục IV, renames one, removes an
empty one, and moves a task group from one to another. The list of appendices is
audited as one value (table "task_appendix", row "0", field "*"), as the import
writes it, so undo puts the whole list back; the groups whose appendix changes are
audited row by row. Every edit ends with a step marker (undo.py) so one Ctrl+Z
undoes it whole.

Nothing here renumbers a task: a task keeps its group and code, and with two or
more appendices it is printed with its appendix ("IV.4" becomes "PL III – IV.4").
Closed and sent periods are not touched: their packages carry the plan as it was
sent, and the data file stores entries by task id, never by printed key.
"""

from __future__ import annotations

import re
from typing import cast

from .errors import UserError
from .plan import TaskAppendix
from .store_part import StorePart
from .text import clean, from_roman

_CODE = re.compile(r"^[A-Z0-9]+$")


def appendix_code(text: str, what: str = "Số phụ lục") -> str:
    """A typed appendix code in its stored shape ("iv " → "IV"), or a refusal."""
    code = (clean(text) or "").upper()
    code = re.sub(r"^(PHỤ LỤC|PHU LUC|PL)\.?\s*", "", code).strip()
    if not code:
        raise UserError(f"{what} không được để trống (ví dụ “IV”).")
    if not _CODE.match(code):
        raise UserError(f"{what} “{code}” chỉ được gồm chữ cái và chữ số, ví dụ “IV”.")
    return code


class AppendicesPart(StorePart):
    """Adding, renaming and removing task appendices; moving a group between them."""

    def listed(self) -> list[TaskAppendix]:
        return [TaskAppendix(r["code"], r["title"])
                for r in self.db.query("SELECT * FROM task_appendix ORDER BY position")]  # fmt: skip

    # -- edits ---------------------------------------------------------------------------
    def add(self, code: str, title: str, existing_code: str = "",
            existing_title: str = "") -> int | None:  # fmt: skip
        """Add an appendix with its body (the group of its ungrouped tasks); returns the
        body's id. A plan whose tasks have no appendix yet needs `existing_code` for
        them: with two appendices every task is printed with its appendix."""
        code = appendix_code(code)
        title = self._title(title, code)
        with self.transaction():
            first = self.first_of_step()
            old = self.listed()
            new = list(old)
            groups = self._groups()
            if not old and groups:
                if not (existing_code or "").strip():
                    raise UserError(
                        "Các nhiệm vụ hiện có của kế hoạch chưa thuộc phụ lục nào: hãy nhập số "
                        "phụ lục của chúng (ví dụ “III”) để phân biệt với phụ lục mới.",
                        "existing_code",
                    )
                current = TaskAppendix(
                    appendix_code(existing_code, "Số phụ lục của các nhiệm vụ hiện có"),
                    clean(existing_title) or "Danh mục các nhiệm vụ",
                )
                new.append(current)
                for g in groups:
                    self._set_group(g["id"], {"appendix": current.code})
            self._refuse_taken(code, new)
            new.insert(self._place(code, new), TaskAppendix(code, title))
            self._write(old, new)
            body = cast(int, self.db.table("task_group").insert(
                {"code": "", "title": title, "position": self._end(), "appendix": code}
            ).last_pk)  # fmt: skip
            self.audit.record("task_group", body, "*", None, title, "insert")
            self.mark_step(first, f"thêm Phụ lục {code}")
        return body

    def rename(self, code: str, new_code: str, title: str | None = None) -> None:
        """A new code and/or title; the appendix's groups follow its code."""
        old = self.listed()
        current = self._find(code, old)
        target = appendix_code(new_code) if (new_code or "").strip() else current.code
        new_title = current.title if title is None else self._title(title, target)
        if target != current.code:
            self._refuse_taken(target, [a for a in old if a is not current])
        new = [TaskAppendix(target, new_title) if a is current else a for a in old]
        if new == old:
            return
        with self.transaction():
            first = self.first_of_step()
            self._write(old, new)
            for g in self._groups(current.code):
                changes: dict[str, object] = {"appendix": target}
                if not g["code"]:  # the body is titled as its appendix
                    changes["title"] = new_title
                self._set_group(g["id"], changes)
            label = (f"đổi Phụ lục {current.code} thành Phụ lục {target}"
                     if target != current.code else f"đổi tên Phụ lục {current.code}")  # fmt: skip
            self.mark_step(first, label)

    def remove(self, code: str) -> int:
        """Remove an appendix that holds no task, with its empty groups (their number)."""
        old = self.listed()
        current = self._find(code, old)
        groups = self._groups(current.code)
        tasks = self._task_count([g["id"] for g in groups])
        if len(old) == 1 and tasks:
            raise UserError(
                f"Phụ lục {current.code} là phụ lục nhiệm vụ duy nhất của kế hoạch và còn "
                f"{tasks} nhiệm vụ: không xóa được."
            )
        if tasks:
            raise UserError(
                f"Phụ lục {current.code} còn {tasks} nhiệm vụ: hãy chuyển các nhóm sang phụ lục "
                "khác hoặc xóa các nhiệm vụ trước khi xóa phụ lục."
            )
        with self.transaction():
            first = self.first_of_step()
            for g in groups:
                self.db.table("task_group").delete(g["id"])
                self.audit.record("task_group", g["id"], "*", dict(g), None, "delete")
            self._write(old, [a for a in old if a is not current])
            self.mark_step(first, f"xóa Phụ lục {current.code}")
        return sum(1 for g in groups if g["code"])

    def move_group(self, group_id: int, code: str, own_step: bool = True) -> str:
        """Put a task group (with its tasks) at the end of another appendix; returns the
        appendix it left. `own_step` False: the caller marks the step (a group renamed
        and moved in one dialog is one Ctrl+Z)."""
        appendices = self.listed()
        target = self._find(code, appendices)
        rows = list(self.db.query("SELECT * FROM task_group WHERE id = ?", [group_id]))
        if not rows:
            raise UserError(f"Không tìm thấy nhóm nhiệm vụ số {group_id} (đã bị xóa?).", "missing")
        group = rows[0]
        if group["appendix"] == target.code:
            raise UserError(f"Nhóm {group['code'] or group['title']} đã ở Phụ lục {target.code}.")
        if not group["code"]:
            raise UserError(
                "Các nhiệm vụ không thuộc nhóm nào của một phụ lục không chuyển được sang phụ "
                "lục khác: hãy đặt số thứ tự cho nhóm (I, II…) trước."
            )
        if any(g["code"] == group["code"] for g in self._groups(target.code)):
            raise UserError(
                f"Phụ lục {target.code} đã có nhóm {group['code']}: hãy đổi số thứ tự của một "
                "trong hai nhóm trước khi chuyển."
            )
        with self.transaction():
            first = self.first_of_step()
            self._set_group(group_id, {"appendix": target.code, "position": self._end()})
            if own_step:
                self.mark_step(first, f"chuyển nhóm {group['code']} sang Phụ lục {target.code}")
        return str(group["appendix"])

    def restore(self, appendices: list[TaskAppendix]) -> None:
        """Write the list back as it was (undo and redo); the groups are their own edits."""
        with self.transaction():
            self._write(self.listed(), appendices)

    def check_known(self, code: str) -> str:
        """A group added to appendix `code`: its stored code, refused when unknown."""
        return self._find(code, self.listed()).code

    # -- helpers ---------------------------------------------------------------------------
    def _write(self, old: list[TaskAppendix], new: list[TaskAppendix]) -> None:
        self.db.execute("DELETE FROM task_appendix")
        for pos, a in enumerate(new):
            self.db.table("task_appendix").insert({"code": a.code, "title": a.title,
                                                   "position": pos})  # fmt: skip
        self.audit.record("task_appendix", 0, "*", [[a.code, a.title] for a in old] or None,
                          [[a.code, a.title] for a in new] or None, "update")  # fmt: skip

    def _find(self, code: str, appendices: list[TaskAppendix]) -> TaskAppendix:
        wanted = appendix_code(code)
        found = next((a for a in appendices if a.code.upper() == wanted), None)
        if found is None:
            listed = ", ".join(a.code for a in appendices) or "chưa có phụ lục nào"
            raise UserError(f"Kế hoạch không có Phụ lục {wanted} (có: {listed}).", "missing")
        return found

    @staticmethod
    def _refuse_taken(code: str, appendices: list[TaskAppendix]) -> None:
        if any(a.code.upper() == code for a in appendices):
            raise UserError(f"Kế hoạch đã có Phụ lục {code}: số phụ lục không được trùng.")

    @staticmethod
    def _title(title: str, code: str) -> str:
        text = clean(title)
        if not text:
            raise UserError(f"Tên của Phụ lục {code} không được để trống.")
        return text

    @staticmethod
    def _place(code: str, appendices: list[TaskAppendix]) -> int:
        """Where a new appendix goes: in roman order among roman codes, else at the end."""
        value = from_roman(code)
        if value is None:
            return len(appendices)
        for i, a in enumerate(appendices):
            other = from_roman(a.code)
            if other is not None and other > value:
                return i
        return len(appendices)

    def _groups(self, appendix: str | None = None) -> list[dict]:
        sql = "SELECT * FROM task_group" + (" WHERE appendix = ?" if appendix is not None else "")
        return [dict(r) for r in self.db.query(sql + " ORDER BY position, id",
                                                [appendix] if appendix is not None else [])]  # fmt: skip

    def _task_count(self, group_ids: list[int]) -> int:
        if not group_ids:
            return 0
        marks = ", ".join("?" * len(group_ids))
        sql = f"SELECT count(*) FROM task WHERE group_id IN ({marks})"
        return int(self.db.execute(sql, group_ids).fetchone()[0])

    def _set_group(self, group_id: int, changes: dict[str, object]) -> None:
        old = dict(self.db.get("task_group", group_id))
        if self.audit.record_diff("task_group", group_id, old, changes):
            self.db.table("task_group").update(group_id, changes)

    def _end(self) -> int:
        return int(self.db.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM task_group").fetchone()[0])  # fmt: skip

    def first_of_step(self) -> int:
        """The audit id the next edit takes: pass it to `mark_step` after the edits."""
        return int(self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM audit").fetchone()[0])

    def mark_step(self, first: int, label: str) -> None:
        """The audit entries from `first` on are one undo step labelled `label` (undo.py)."""
        self.audit.record("step", first, "*", None, label, "step")

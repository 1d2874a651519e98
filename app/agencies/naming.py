"""The office's list of agencies proposed from the plan's lead and partner texts.

Plans spell one agency several ways: "Phòng Văn hóa, KH&TT", "Phòng Văn hóa,
Khoa học & Thông tin", "Phòng Văn hóa, Khoa học và Thông tin"; "Văn phòng
HĐND&UBND" and "Văn phòng HĐND&UBND Thị xã". Two wordings are the same agency
when their words agree once "&"/"và" and punctuation are set aside, an
abbreviation ("KH", "TT") stands for the words whose initials it spells, and a
trailing "Thị xã", "Thị ủy", "xã" or "phường" naming the office itself is
dropped. Nothing is merged silently: `propose` returns groups the secretary
confirms (operations.agency.build_agencies applies them).

Wordings that name no single agency ("các đơn vị liên quan", "UBND các phường,
xã", "Các phòng chuyên môn") are collective: listed, never made agencies.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..models.agency import name_key, split_wording
from ..models.plan import Plan
from ..models.text import fold

_COLLECTIVE = re.compile(r"\bcac\b|lien quan|\bcap xa\b|\bphuong,? xa\b|\bdia phuong\b")
_OFFICE_SUFFIX = re.compile(r"\s+(thi xa|thi uy|huyen|xa|phuong)$")
_JOINERS = {"va", "&"}


def is_collective(wording: str) -> bool:
    """Whether a wording names a set of agencies rather than one."""
    return bool(_COLLECTIVE.search(fold(wording)))


def _tokens(wording: str) -> tuple[tuple[str, bool], ...]:
    """(folded word, is an abbreviation) pairs; "&" and "và" are left out."""
    text = re.sub(r"&", " & ", wording)
    out = []
    for raw in re.split(r"[\s,.;:()\-–/]+", text):
        if not raw:
            continue
        folded = fold(raw)
        if folded in _JOINERS:
            continue
        letters = re.sub(r"[^A-Za-zĐđ]", "", raw)
        abbreviation = len(letters) >= 2 and letters.isupper()
        out.append((folded, abbreviation))
    key = " ".join(t for t, _ in out)
    if m := _OFFICE_SUFFIX.search(key):  # "… Thị xã": the office's own name
        drop = len(m[1].split())
        if len(out) > drop + 1:
            out = out[:-drop]
    return tuple(out)


@lru_cache(maxsize=4096)
def _align(a: tuple[tuple[str, bool], ...], b: tuple[tuple[str, bool], ...]) -> bool:
    """Whether two token lists say the same, an abbreviation standing for the words
    whose initials it spells ("kh" for "khoa hoc")."""
    if not a or not b:
        return not a and not b
    if a[0][0] == b[0][0] and _align(a[1:], b[1:]):
        return True
    for short, full, flip in ((a, b, False), (b, a, True)):
        word, abbreviation = short[0]
        n = len(word)
        if abbreviation and len(full) >= n and "".join(w[0] for w, _ in full[:n]) == word:
            rest = (full[n:], short[1:]) if flip else (short[1:], full[n:])
            if _align(*rest):
                return True
    return False


def same_agency(a: str, b: str) -> bool:
    """Whether two wordings of a plan name the same agency (see the module's rules)."""
    if name_key(a) == name_key(b):
        return True
    return _align(_tokens(a), _tokens(b))


@dataclass
class ProposedAgency:
    """One agency to create: the wordings it merges, and how many items use each."""

    wordings: list[str]
    uses: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The fullest wording (fewest abbreviations, then longest), the plan's first spelling."""
        return max(self.wordings, key=lambda w: (-sum(a for _, a in _tokens(w)), len(w)))

    @property
    def short_name(self) -> str:
        """The shortest wording: the one printed on forms and file names."""
        return min(self.wordings, key=lambda w: (len(w), w))

    @property
    def merged(self) -> bool:
        return len(self.wordings) > 1


@dataclass
class AgencyProposal:
    agencies: list[ProposedAgency]
    collective: list[tuple[str, int]]  # wordings naming no single agency, with their uses

    def merges(self) -> list[ProposedAgency]:
        """The near-duplicates the secretary is asked to confirm."""
        return [a for a in self.agencies if a.merged]


def plan_wordings(plan: Plan) -> Counter[str]:
    """Every agency wording of the plan's lead and partner cells, with its number of uses."""
    uses: Counter[str] = Counter()
    for ind in plan.indicators():
        uses.update(split_wording(ind.lead_agency))
    for task in plan.tasks():
        uses.update(split_wording(task.lead_agency))
        for partner in task.partners:
            uses.update(split_wording(partner))
    return uses


def propose(plan: Plan, known: list[str] = ()) -> AgencyProposal:  # type: ignore[assignment]
    """Group the plan's wordings into agencies, near-duplicates together.

    `known` are wordings the list already has (they are not proposed again).
    Groups come in the order the plan first names them.
    """
    uses = plan_wordings(plan)
    known_keys = {name_key(k) for k in known}
    collective = [(w, n) for w, n in uses.items() if is_collective(w)]
    groups: list[ProposedAgency] = []
    for wording, count in uses.items():
        if is_collective(wording) or name_key(wording) in known_keys:
            continue
        for group in groups:
            if any(same_agency(wording, w) for w in group.wordings):
                group.wordings.append(wording)
                group.uses[wording] = count
                break
        else:
            groups.append(ProposedAgency([wording], {wording: count}))
    return AgencyProposal(groups, collective)

"""The agencies: the list proposed from the plan's wordings, links, plan JSON, due dates."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.agencies.naming import is_collective, propose, same_agency
from app.agencies.schedule import agency_due
from app.models.agency import Agency, AgencyKind, Role
from app.models.errors import UserError
from app.models.plan import Frequency
from app.models.plan_json import plan_from_json, plan_to_json
from app.models.samples import load_sample
from app.models.store import Store
from app.operations import agency as ops
from app.operations.period import period_of

# Phụ lục II brings the Thị ủy's own bodies (Ban Tổ chức, Văn phòng Thị ủy, Ban Nội chính,
# Ủy ban MTTQ, UBKT) and "Trung tâm VH, TT&DL", a spelling naming.py does not tie to
# "Trung tâm VHTTDL" (the secretary merges them in the agencies page).
BIM_SON_AGENCIES = [
    "Phòng Văn hóa, KH&TT", "Phòng Tài chính - KH", "Phòng Nội vụ", "Văn phòng HĐND&UBND",
    "Phòng Giáo dục & Đào tạo", "Phòng Kinh tế, Hạ tầng & Đô thị",
    "Phòng Nông nghiệp và Môi trường", "Ban Tổ chức Thị ủy", "Văn phòng Thị ủy",
    "Ban Tuyên giáo và Dân vận Thị ủy", "Trung tâm VH, TT&DL", "Ban Nội chính", "Ủy ban MTTQ",
    "Ủy ban Kiểm tra Thị ủy", "Hội Doanh nghiệp", "Trung tâm VHTTDL",
    "Đơn vị sự nghiệp trực thuộc", "Ban Chỉ huy Quân sự Thị xã", "Ban QLDA", "Thanh tra Thị xã",
    "Doanh nghiệp Viễn thông",
]  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Phòng Văn hóa, KH&TT", "Phòng Văn hóa, Khoa học và Thông tin", True),
        ("Phòng Văn hóa, KH&TT", "Phòng Văn hóa, Khoa học & Thông tin", True),
        ("Phòng Văn hóa, Khoa học và Thông tin", "phòng văn hoá, khoa học và thông tin", True),
        ("Văn phòng HĐND&UBND", "Văn phòng HĐND&UBND Thị xã", True),
        ("Phòng Tài chính - KH", "Phòng Tài chính - Kế hoạch", True),
        ("Phòng Giáo dục & Đào tạo", "Phòng Giáo dục và Đào tạo", True),
        ("Phòng Nội vụ", "Phòng Tài chính - KH", False),
        ("Phòng Văn hóa, KH&TT", "Phòng Văn hóa - Xã hội", False),
        ("Công an xã", "Công an", True),  # a xã's plan: "xã" names the office itself
        ("Công an xã", "Trạm Y tế xã", False),
    ],
)
def test_near_duplicate_wordings(a, b, same):
    assert same_agency(a, b) is same
    assert same_agency(b, a) is same


@pytest.mark.parametrize(
    ("wording", "collective"),
    [("các đơn vị liên quan", True), ("UBND các phường, xã", True), ("UBND cấp xã", True),
     ("Phòng Nông nghiệp và Môi trường", False), ("Công an xã", False),
     ("Trạm Y tế", False)],
)  # fmt: skip
def test_collective_wordings_are_no_agency(wording, collective):
    assert is_collective(wording) is collective


def test_the_bim_son_proposal_groups_its_spellings_and_asks_before_merging():
    proposal = propose(load_sample("bim-son"))
    merges = [(g.wordings, g.name, g.short_name) for g in proposal.merges()]
    assert merges == [
        (["Phòng Văn hóa, Khoa học & Thông tin", "Phòng Văn hóa, Khoa học và Thông tin",
          "Phòng Văn hóa, KH&TT"],
         "Phòng Văn hóa, Khoa học và Thông tin", "Phòng Văn hóa, KH&TT"),
        (["Phòng Tài chính - KH", "phòng Tài chính - KH"], "Phòng Tài chính - KH",
         "Phòng Tài chính - KH"),
        (["Văn phòng HĐND&UBND Thị xã", "Văn phòng HĐND&UBND"], "Văn phòng HĐND&UBND Thị xã",
         "Văn phòng HĐND&UBND"),
        (["Phòng Giáo dục & Đào tạo", "Phòng Giáo dục và Đào tạo"], "Phòng Giáo dục và Đào tạo",
         "Phòng Giáo dục & Đào tạo"),
    ]  # fmt: skip
    assert len(proposal.agencies) == 21
    assert ("các đơn vị liên quan", 24) in proposal.collective


def test_build_links_every_item_to_its_lead_and_partners(bim_son_store):
    made = ops.build_agencies(bim_son_store, merge=True).result
    assert [a.short_name for a in made] == BIM_SON_AGENCIES
    culture = bim_son_store.agencies.find("Phòng Văn hóa, Khoa học & Thông tin")
    assert culture.short_name == "Phòng Văn hóa, KH&TT"
    assert culture.aliases == ["Phòng Văn hóa, Khoa học & Thông tin"]
    links = bim_son_store.agencies.links("task")
    plan = bim_son_store.plan.load()
    task = {f"{g.code}.{t.code}": t for g in plan.task_groups for t in g.tasks}
    ii4 = [(bim_son_store.agencies.get(k.agency_id).short_name, k.role, k.wording)
           for k in links if k.item_id == task["II.4"].id]  # fmt: skip
    assert ii4 == [
        ("Phòng Văn hóa, KH&TT", Role.LEAD, "Phòng Văn hóa, KH&TT"),
        ("Phòng Nội vụ", Role.PARTNER, "Phòng Nội vụ"),
        ("Phòng Giáo dục & Đào tạo", Role.PARTNER, "Phòng Giáo dục và Đào tạo"),
        ("Hội Doanh nghiệp", Role.PARTNER, "Hội Doanh nghiệp"),
        ("Trung tâm VHTTDL", Role.PARTNER, "Trung tâm VHTTDL"),
    ]
    # the plan's wording is kept for documents
    assert task["II.4"].lead_agency == "Phòng Văn hóa, KH&TT"
    # "A; B" in a lead cell: A leads, B partners
    ind7 = next(i for i in plan.indicators() if i.code == "7")
    roles = [(bim_son_store.agencies.get(k.agency_id).short_name, k.role)
             for k in bim_son_store.agencies.links("indicator") if k.item_id == ind7.id]  # fmt: skip
    assert roles == [("Văn phòng HĐND&UBND", Role.LEAD),
                     ("Phòng Giáo dục & Đào tạo", Role.PARTNER),
                     ("Phòng Kinh tế, Hạ tầng & Đô thị", Role.PARTNER)]  # fmt: skip
    assert ops.propose_agencies(bim_son_store).agencies == []  # nothing left to propose


def test_unconfirmed_spellings_stay_apart_until_a_merge_is_applied(bim_son_store):
    made = ops.build_agencies(bim_son_store, merge=[2]).result
    names = [a.short_name for a in made]
    assert names[:3] == ["Phòng Văn hóa, Khoa học & Thông tin", "Phòng Văn hóa, KH&TT",
                         "Phòng Tài chính - KH"]  # fmt: skip
    assert made[0].aliases == ["Phòng Văn hóa, Khoa học và Thông tin"]  # "&" is "và"
    assert made[2].aliases == ["phòng Tài chính - KH"]
    before = len(bim_son_store.agencies.links("task"))
    merged = ops.merge_agencies(
        bim_son_store, "Phòng Văn hóa, KH&TT", ["Phòng Văn hóa, Khoa học và Thông tin"]
    ).result
    assert merged.aliases == ["Phòng Văn hóa, Khoa học & Thông tin",
                              "Phòng Văn hóa, Khoa học và Thông tin"]  # fmt: skip
    assert len(bim_son_store.agencies.all()) == 22  # "Văn phòng HĐND&UBND Thị xã" kept apart
    lead = [k for k in bim_son_store.agencies.links("indicator")
            if k.agency_id == merged.id and k.role is Role.LEAD]  # fmt: skip
    assert len(lead) == 15  # 1, 2, 3 … written three ways, now one agency
    assert len(bim_son_store.agencies.links("task")) == before  # same links, fewer agencies
    history = bim_son_store.history(table="agency")
    assert history[0].field == "aliases"
    with pytest.raises(UserError, match="Chọn ít nhất một cơ quan, đơn vị khác"):
        ops.merge_agencies(bim_son_store, "Phòng Nội vụ", ["Phòng Nội vụ"])


def test_contacts_are_checked_and_kept(bim_son_store):
    ops.build_agencies(bim_son_store, merge=True)
    a = ops.update_agency(bim_son_store, "phong noi vu", contact="Lê Thị Hoa",
                          phone="0237 3824 123", email="noivu@bimson.gov.vn",
                          kind="package").result  # fmt: skip
    assert (a.contact, a.phone, a.email, a.kind) == (
        "Lê Thị Hoa",
        "0237 3824 123",
        "noivu@bimson.gov.vn",
        AgencyKind.PACKAGE,
    )
    with pytest.raises(UserError, match="Thư điện tử 'noivu@' của Phòng Nội vụ không hợp lệ"):
        ops.update_agency(bim_son_store, "Phòng Nội vụ", email="noivu@")
    with pytest.raises(UserError, match="Đã có cơ quan, đơn vị tên gọn 'Phòng Nội vụ'"):
        ops.update_agency(bim_son_store, "Ban QLDA", short_name="phòng nội vụ")
    with pytest.raises(UserError, match="Không có cơ quan, đơn vị 'Công an xã'"):
        bim_son_store.agencies.find("Công an xã")


def test_the_plan_json_carries_the_agencies_and_older_files_still_load(bim_son_store, tmp_path):
    ops.build_agencies(bim_son_store, merge=True)
    ops.update_agency(bim_son_store, "Phòng Nội vụ", contact="Lê Thị Hoa", kind="package")
    data = plan_to_json(bim_son_store.plan.load())
    assert data["agencies"][2] == {
        "short_name": "Phòng Nội vụ", "name": "Phòng Nội vụ", "contact": "Lê Thị Hoa",
        "phone": None, "email": None, "kind": "package", "aliases": [],
    }  # fmt: skip
    plan = plan_from_json(json.loads(json.dumps(data)))
    with Store.create(tmp_path / "copy.sqlite", plan.office, plan) as copy:
        assert [a.short_name for a in copy.agencies.all()] == BIM_SON_AGENCIES
        assert len(copy.agencies.links("task")) == len(bim_son_store.agencies.links("task"))
        assert plan_to_json(copy.plan.load())["agencies"] == data["agencies"]
    older = {k: v for k, v in data.items() if k != "agencies"}
    assert plan_from_json(older).agencies == []
    with pytest.raises(UserError, match=r"agencies\[0\]: Loại|agencies\[0\]\.kind"):
        plan_from_json({**data, "agencies": [{"name": "Công an xã", "kind": "fax"}]})


def test_agency_due_date_is_the_plans_unless_set_apart(bim_son_store):
    q3 = period_of(bim_son_store, "2026-Q3", date(2026, 9, 1))
    due = agency_due(bim_son_store, q3)
    assert (due.due, due.text, due.office_due) == (
        date(2026, 9, 19),
        "trước ngày 20/09/2026",
        date(2026, 9, 19),
    )
    ops.set_agency_due_rule(bim_son_store, Frequency.QUARTER, 10)
    due = agency_due(bim_son_store, q3)
    assert (due.due, due.text, due.office_text) == (
        date(2026, 9, 9),
        "trước ngày 10/09/2026",
        "trước ngày 20/09/2026",
    )
    ops.set_agency_due(bim_son_store, q3, date(2026, 9, 12))
    assert agency_due(bim_son_store, q3).text == "chậm nhất ngày 12/09/2026"
    ops.set_agency_due(bim_son_store, q3, None)
    assert agency_due(bim_son_store, q3).due == date(2026, 9, 9)
    h1 = period_of(bim_son_store, "2026-H1", date(2026, 9, 1))
    assert agency_due(bim_son_store, h1).text == "trước ngày 15/06/2026"  # no half-year rule


def test_an_agency_added_by_hand_gets_its_items(bim_son_store):
    ops.build_agencies(bim_son_store, merge=True)
    extra = Agency("Công an", "Công an Thị xã Bỉm Sơn", aliases=["Công an Thị xã"])
    ops.add_agency(bim_son_store, extra)
    assert bim_son_store.agencies.find("công an thị xã").id == extra.id

"""Who is in a sample receiving data file: the receiving body and the offices reporting to it.

A sample plan that says who consolidates it (Ngã Năm: "các ban, phòng ngành,
đoàn thể thị xã và Ủy ban nhân dân các xã, phường báo cáo … về Ủy ban nhân
dân thị xã (thông qua Phòng Văn hóa, Khoa học và Thông tin); tổng hợp báo
cáo Ủy ban nhân dân thị xã", mục V.7 of the seed) can be opened from the
receiving side too: `receive demo` (app/receiving/sample_file.py) builds the
receiving body's data file from the offices named here, each reporting on its
own copy of the sample plan.

Only the names come from the real world. The plan text names no commune; the
two communes are real communes of thị xã Ngã Năm before the 2025 merger
(Phường 1, 2, 3; xã Long Bình, Mỹ Bình, Mỹ Quới, Tân Long, Vĩnh Quới), and
their starting points (hiện trạng 2024), values, progress, narratives, signers
("Nguyễn Văn A" …) and keys are demonstration values, made by `fill_demo` from
each office's seed (qualitative indicators: its own judgement, "Đạt" / "Đang
thực hiện" / "Chưa đạt"); so are the receiving office's signer and code. This
module is plain data, light enough for `samples` to list what exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UserError
from .plan import DocumentStyle, Office, OfficeMode

DEMO_PASSPHRASE = "demo-mat-khau"  # the reporting offices' demo keys (as `make run`'s demo key)


@dataclass(frozen=True)
class SampleOffice:
    """One reporting office of a sample receiving file, and how its packages arrive."""

    name: str
    level: str
    issuing_body: str
    place: str
    signer_name: str
    signer_title: str
    signer_authority: str
    recipients: tuple[str, ...]
    seed: int  # fill_demo's seed: each office its own values
    late_last: bool = False  # its package for the latest period arrives after the due date

    def office(self, province: str | None) -> Office:
        return Office(
            name=self.name, level=self.level, province=province, issuing_body=self.issuing_body,
            style=DocumentStyle.STATE, place=self.place, doc_code="UBND",
            signer_name=self.signer_name, signer_title=self.signer_title,
            signer_authority=self.signer_authority, recipients=list(self.recipients),
        )  # fmt: skip


@dataclass(frozen=True)
class ReceivingSample:
    """The receiving body of a sample plan and the offices that report to it."""

    sample: str  # the plan in resources/samples/
    receiver: Office
    offices: tuple[SampleOffice, ...]
    file_name: str  # what `samples` suggests for --db


NGA_NAM_RECEIVER = "Phòng Văn hóa, Khoa học và Thông tin thị xã Ngã Năm"
_TO_TOWN = "Ủy ban nhân dân thị xã Ngã Năm (qua Phòng Văn hóa, Khoa học và Thông tin)"

RECEIVING_SAMPLES: dict[str, ReceivingSample] = {
    "nga-nam": ReceivingSample(
        sample="nga-nam",
        receiver=Office(
            name=NGA_NAM_RECEIVER,
            level="thị xã",
            province="Sóc Trăng",
            parent_body="ỦY BAN NHÂN DÂN\nTHỊ XÃ NGÃ NĂM",
            issuing_body="PHÒNG VĂN HÓA, KHOA HỌC\nVÀ THÔNG TIN",
            style=DocumentStyle.STATE,
            place="Ngã Năm",
            doc_code="VHKHTT",
            signer_name="Lê Thị C",
            signer_title="TRƯỞNG PHÒNG",
            recipients=["Ủy ban nhân dân thị xã Ngã Năm", "Lưu: VT, VHKH&TT"],
            mode=OfficeMode.RECEIVING,
        ),
        offices=(
            SampleOffice(
                name="Xã Long Bình",
                level="xã",
                issuing_body="ỦY BAN NHÂN DÂN\nXÃ LONG BÌNH",
                place="Long Bình",
                signer_name="Nguyễn Văn A",
                signer_title="CHỦ TỊCH",
                signer_authority="TM. ỦY BAN NHÂN DÂN",
                recipients=(_TO_TOWN, "Lưu: VT."),
                seed=5701,
            ),
            SampleOffice(
                name="Xã Tân Long",
                level="xã",
                issuing_body="ỦY BAN NHÂN DÂN\nXÃ TÂN LONG",
                place="Tân Long",
                signer_name="Trần Văn B",
                signer_title="PHÓ CHỦ TỊCH",
                signer_authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
                recipients=(_TO_TOWN, "Lưu: VT."),
                seed=5702,
                late_last=True,
            ),
        ),
        file_name="nga-nam-tiep-nhan.sqlite",
    ),
}


def receiving_sample(name: str) -> ReceivingSample:
    """The sample receiving file of plan `name`; a UserError naming those that exist."""
    found = RECEIVING_SAMPLES.get(name)
    if found is None:
        names = ", ".join(sorted(RECEIVING_SAMPLES))
        raise UserError(
            f"Kế hoạch mẫu '{name}' không có tệp tiếp nhận mẫu. Các mẫu có: {names}.", "missing"
        )
    return found

"""The window signs the report PDF (PAdES) with the certificate chosen in Cài đặt."""

from __future__ import annotations

from app.packages.signing_keys import load_key
from app.packages.verify import verify_package
from app.ui.key_section import key_path

from ..issuing_fixtures import P12_PASSPHRASE, issue, make_ca, write_p12
from ..test_pades import SIGNER
from .conftest import read_store


def _p12(folder):  # noqa: ANN001, ANN202
    ca, ca_key = make_ca()
    cert, key = issue(ca, ca_key, SIGNER, "Thị ủy Bỉm Sơn")
    return ca, write_p12(folder / "chu-ky-so.p12", cert, key, ca)


def test_export_from_the_window_carries_a_pades_signature(
    qtbot, window, demo_db, tmp_path, dialogs, monkeypatch
):  # noqa: ANN001
    ca, p12 = _p12(tmp_path)
    settings_page = window.show_page("settings")
    dialogs.answers["new_passphrase"] = "mat-khau-ky-57"
    settings_page.keys.generate()
    section = settings_page.certificate
    dialogs.answers["open_file"] = p12
    assert section.choose_p12() == p12  # Cài đặt › Chứng thư số › Chọn tệp…
    assert window.settings.pdf_certificate == "pkcs12"
    assert window.settings.pdf_p12_path == str(p12)

    asked: list[str] = []
    answers = iter(["mat-khau-ky-57", P12_PASSPHRASE])  # the key's passphrase, then the .p12's

    def ask(parent, prompt, title="") -> str:  # noqa: ANN001
        asked.append(prompt)
        return next(answers)

    from app.ui import messages

    monkeypatch.setattr(messages, "ask_passphrase", ask)
    page = window.show_page("packages")
    out = tmp_path / "goi"
    out.mkdir()
    job = page.export_current(out)
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=60000)
    assert job.error is None, job.error
    assert asked == [
        "Nhập mật khẩu khóa ký để ký gói báo cáo:",
        "Nhập mật khẩu tệp chứng thư số (.p12) để ký số báo cáo PDF:",
    ]

    key = load_key(key_path(window.settings), "mat-khau-ky-57")
    checked = verify_package(job.result.path, [key], pdf_trust_roots=[ca])
    assert checked.ok, checked.message
    status = checked.pdf_signature
    assert status.intact and status.valid and status.trusted and status.whole_file
    assert status.signer == SIGNER
    with read_store(demo_db) as store:
        assert [r.sequence for r in store.packages.exported_packages(page.selected_period())] == [1]

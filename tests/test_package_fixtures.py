"""Shared makings of package tests: a filled data file, an office key, a re-zipped bag.

Plain helpers (not fixtures) so each test module builds what it needs once,
at module scope, and the package tests stay fast.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from app.models.samples import DEMO_NARRATIVE, fill_demo, load_sample
from app.models.store import Store
from app.packages import format as fmt
from app.packages.canonical_zip import canonical_bytes
from app.packages.signing_keys import OfficeKey, generate_key

TODAY = date(2026, 4, 10)
PASSPHRASE = "mật khẩu thử nghiệm"


def make_store(folder: Path, attachments: int = 2) -> Store:
    """The Bỉm Sơn sample with Q1 filled in and `attachments` small evidence files."""
    plan = load_sample("bim-son")
    store = Store.create(folder / "bim-son.sqlite", plan.office, plan)
    fill_demo(store, TODAY)
    write_narrative(store)
    task = plan.tasks()[0].id
    for i in range(attachments):
        source = folder / f"Biên bản họp số {i + 1}.pdf"
        source.write_bytes(b"%PDF-1.4 minh chung " + bytes([i]) * 1000)
        store.entries.add_attachment("2026-Q1", task, source)
    return store


def write_narrative(
    store: Store, periods: tuple[str, ...] = ("2026-Q1", "2026-H1", "2026-Y")
) -> None:
    """Every narrative section written, so the report may be issued (export refuses empty ones)."""
    for period_id in periods:
        for section, text in DEMO_NARRATIVE.items():
            store.entries.set_narrative(period_id, section, text)


def make_key(folder: Path, name: str = "office-signing-key.pem") -> OfficeKey:
    return generate_key(folder / name, PASSPHRASE)


def bag_files(path: Path) -> tuple[str, dict[str, bytes]]:
    """The package's top folder and its files by path inside the bag."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        top = names[0].split("/", 1)[0]
        return top, {n[len(top) + 1 :]: zf.read(n) for n in names}


def rezip(top: str, files: dict[str, bytes]) -> bytes:
    """A canonical zip of `files` under `top` (what a careful forger would write)."""
    return canonical_bytes({f"{top}/{p}": data for p, data in files.items()})


def change_first_value(path: Path) -> None:
    """Rewrite the package at `path` with its first indicator value changed after signing:
    its manifest no longer matches (refused: "Mã băm của tệp không khớp danh mục")."""
    import json

    top, files = bag_files(path)
    data = json.loads(files["data/data.json"])
    data["values"][0]["value"] = 99.0
    files["data/data.json"] = fmt.dumps(data)
    path.write_bytes(rezip(top, files))


def resign(files: dict[str, bytes], key: OfficeKey, *, fix_manifest: bool = True) -> None:
    """Recompute manifests (optionally) and the tag manifest, and sign with `key`."""
    payload = {p: d for p, d in files.items() if p.startswith("data/")}
    if fix_manifest:
        files[fmt.MANIFEST] = fmt.manifest_text(payload)
    tags = {p: files[p] for p in fmt.TAG_FILES}
    files[fmt.TAGMANIFEST] = fmt.manifest_text(tags)
    files[fmt.SIGNATURE] = key.sign(files[fmt.TAGMANIFEST])


def zip_with(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buffer.getvalue()

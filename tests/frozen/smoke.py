"""Smoke test of the PyInstaller build: the frozen programs do the main job on their own.

`python tests/frozen/smoke.py [dist/theodoi57]` (`make frozen-smoke` builds first).
Not collected by pytest (it needs the built folder, ~1 minute to make); CI runs it
after `make test`. With the folder made read-only, no network (when the kernel lets
us make an empty network namespace) and a fresh per-user folder, the frozen
executables must:

- create a data file from a bundled sample (samples bundled), print its status;
- write the report PDF with an embedded font (fonts bundled), the plan template
  and import it back (schema and openpyxl bundled);
- make a signing key, export a signed package with a PAdES-signed PDF (pyHanko
  bundled) and verify it;
- open the main window offscreen and save a screenshot (Qt plugins bundled),
  leaving no lock file behind;
- and the folder must hold no tests, no test tools and no virtualenv leftovers,
  and be byte-for-byte unchanged afterwards (nothing is written next to the program).

Prints the folder size and the median start-up time of the window.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TODAY = "2026-11-23"
PERIOD = "2026-Q3"
PASSPHRASE = "mat-khau-kiem-thu"
FORBIDDEN_PARTS = {"tests", "pytest", "_pytest", "hypothesis", "pytestqt", ".venv", "site-packages"}
FORBIDDEN_NAMES = ("conftest.py", "conftest.pyc")
REQUIRED = (
    "resources/fonts/LiberationSerif-Regular.ttf",
    "resources/fonts/LICENSE-LiberationSerif.txt",
    "resources/samples/bim-son.json",
    "resources/schema/plan.schema.json",
    "resources/schema/data.schema.json",
    "resources/icons/theodoi57-256.png",
)
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


class SmokeFailure(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SmokeFailure(what)
    print(f"  ok: {what}")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def check_contents(dist: Path) -> None:
    internal = dist / "_internal"
    bad = []
    for path in dist.rglob("*"):
        rel = path.relative_to(dist)
        if FORBIDDEN_PARTS & set(rel.parts) or rel.name in FORBIDDEN_NAMES:
            bad.append(str(rel))
        elif rel.name.startswith("test_") and rel.suffix in (".py", ".pyc"):
            bad.append(str(rel))
    check(not bad, f"no test files or virtualenv leftovers in the build {bad[:5]}")
    for rel in REQUIRED:
        check((internal / rel).is_file(), f"bundled {rel}")
    check(not list((internal / "resources").rglob("*.py")), "no generator scripts in resources/")
    plugins = internal / "PySide6" / "Qt" / "plugins" / "platforms"
    if plugins.is_dir():
        names = {p.name for p in plugins.iterdir()}
        check(any("offscreen" in n for n in names), f"Qt platform plugins bundled {sorted(names)}")


def set_read_only(folder: Path, read_only: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222 if read_only else mode | 0o200)


def isolation_prefix() -> list[str]:
    """`unshare -rn`: run in a network namespace with no interface but loopback (down)."""
    unshare = shutil.which("unshare")
    if sys.platform.startswith("linux") and unshare:
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True)
        if probe.returncode == 0:
            return [unshare, "-rn"]
    return []


class Runner:
    def __init__(self, dist: Path, work: Path, prefix: list[str]) -> None:
        self.dist = dist
        self.work = work
        self.prefix = prefix
        home = work / "home"
        home.mkdir()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "VIRTUAL_ENV", "QT_", "THEODOI57_"))
        }
        self.env.update(
            QT_QPA_PLATFORM="offscreen",
            THEODOI57_HOME=str(home / "theodoi57"),
            HOME=str(home),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            SMOKE_PASSPHRASE=PASSPHRASE,
            SMOKE_P12_PASSPHRASE=PASSPHRASE,
        )
        venv = str(Path(sys.prefix))
        self.env["PATH"] = os.pathsep.join(  # no virtualenv on the path
            p for p in os.environ.get("PATH", "").split(os.pathsep) if not p.startswith(venv)
        )

    def run(self, program: str, *args: str) -> str:
        exe = self.dist / f"{program}{EXE_SUFFIX}"
        cmd = [*self.prefix, str(exe), *args]
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=self.env, cwd=self.work, timeout=180
        )
        if proc.returncode != 0:
            raise SmokeFailure(
                f"{program} {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
            )
        print(f"  ok: {program} {' '.join(args)}")
        return proc.stdout

    def start_up_seconds(self, db: Path, runs: int = 5) -> float:
        exe = self.dist / f"theodoi57{EXE_SUFFIX}"
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [str(exe), "gui", "--db", str(db), "--quit-after-show"],
                env=self.env, cwd=self.work, check=True, capture_output=True, timeout=60,
            )  # fmt: skip
            times.append(time.perf_counter() - started)
        return statistics.median(times)


def make_p12(folder: Path) -> Path:
    """A test CA and signer certificate in a .p12, as the PAdES test makes them."""
    from cryptography.hazmat.primitives import serialization

    from tests.issuing_fixtures import issue, make_ca, write_p12
    from tests.test_pades import SIGNER

    ca, ca_key = make_ca()
    cert, key = issue(ca, ca_key, SIGNER, "Thị ủy Bỉm Sơn")
    p12 = write_p12(folder / "chu-ky-so.p12", cert, key, ca, PASSPHRASE)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return p12


def exercise(run: Runner, work: Path) -> None:
    db = work / "dữ liệu" / "xa-thu.sqlite"
    db.parent.mkdir()
    out = run.run("theodoi57-cli", "--version")
    check(out.startswith("theodoi57 "), f"version {out.strip()}")
    check("bim-son" in run.run("theodoi57-cli", "samples"), "samples listed")
    run.run("theodoi57-cli", "demo", "--db", str(db), "--today", TODAY)
    status = run.run("theodoi57-cli", "status", "--db", str(db), "--today", TODAY)
    check("Chỉ tiêu: 52" in status, "status of the Bỉm Sơn sample")
    pdf = work / "bao-cao.pdf"
    run.run("theodoi57-cli", "report", "pdf", "--db", str(db), "--period", PERIOD,
            "--out", str(pdf), "--today", TODAY)  # fmt: skip
    data = pdf.read_bytes()
    check(data.startswith(b"%PDF") and b"/FontFile2" in data, "report PDF with embedded fonts")
    template = work / "ke-hoach.xlsx"
    run.run("theodoi57-cli", "plan", "template", "--out", str(template), "--db", str(db))
    run.run("theodoi57-cli", "plan", "import", str(template), "--db", str(work / "nhap.sqlite"))
    from app.models.samples import load_sample
    from tests.word_documents import write_document

    document = write_document(work / "ke-hoach.docx", load_sample("thong-nhat"))
    shown = run.run("theodoi57-cli", "plan", "import", str(document), "--db",
                    str(work / "word.sqlite"), "--dry-run")  # fmt: skip
    check(
        "Nhiệm vụ: 51 trong 6 nhóm" in shown, "a Word document's tables read (python-docx bundled)"
    )
    key = work / "khoa" / "khoa-ky.pem"
    key.parent.mkdir()
    run.run("theodoi57-cli", "key", "generate", "--out", str(key),
            "--passphrase-env", "SMOKE_PASSPHRASE")  # fmt: skip
    packages = work / "goi"
    packages.mkdir()
    p12 = make_p12(work / "khoa")
    run.run("theodoi57-cli", "report", "export", "--db", str(db), "--period", PERIOD,
            "--out", str(packages), "--key", str(key), "--passphrase-env", "SMOKE_PASSPHRASE",
            "--p12", str(p12), "--p12-passphrase-env", "SMOKE_P12_PASSPHRASE",
            "--today", TODAY)  # fmt: skip
    (package,) = packages.glob("*.zip")
    check(zipfile.is_zipfile(package), f"package {package.name}")
    verdict = run.run("theodoi57-cli", "package", "verify", str(package),
                      "--trust", str(key.with_name("khoa-ky.pub.pem")),
                      "--trust-ca", str(work / "khoa" / "ca.pem"))  # fmt: skip
    check("hợp lệ" in verdict, "package and its PDF signature verified")
    shot = Path(os.environ.get("SMOKE_SCREENSHOT", work / "man-hinh.png"))
    run.run("theodoi57", "gui", "--db", str(db), "--screenshot", str(shot))
    check(shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "main window screenshot saved")
    check(shot.stat().st_size > 20_000, f"screenshot has content ({shot.stat().st_size} bytes)")
    check(not db.with_name(db.name + ".lock").exists(), "lock file removed on exit")


def main(argv: list[str]) -> int:
    dist = Path(argv[0] if argv else ROOT / "dist" / "theodoi57").resolve()
    if not (dist / f"theodoi57-cli{EXE_SUFFIX}").exists():
        print(f"Không thấy bản đóng gói ở {dist}: chạy `make dist` trước.", file=sys.stderr)
        return 2
    print(f"Frozen smoke test of {dist}")
    try:
        check_contents(dist)
    except SmokeFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    before = snapshot(dist)
    prefix = isolation_prefix()
    print(f"  network: {'none (unshare -rn)' if prefix else 'not isolated (no unshare)'}")
    set_read_only(dist, True)
    try:
        with tempfile.TemporaryDirectory(prefix="theodoi57-smoke-") as tmp:
            work = Path(tmp)
            runner = Runner(dist, work, prefix)
            exercise(runner, work)
            median = runner.start_up_seconds(work / "dữ liệu" / "xa-thu.sqlite")
        check(snapshot(dist) == before, "nothing written into the program folder")
    except SmokeFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        set_read_only(dist, False)
    size = folder_size(dist)
    print(f"Build size: {size / 1e6:.1f} MB ({dist})")
    print(f"Start-up (gui --quit-after-show, median of 5): {median:.2f} s")
    print("Frozen smoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Hostile zips are refused from their directory alone, and nothing is ever written."""

import os
import stat
import zipfile

import pytest

from app.packages.verify import verify_package

from .test_package_fixtures import zip_with


def _snapshot(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Run from inside an empty folder and check that verification left it empty."""
    work = tmp_path / "work" / "deeper"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    before = _snapshot(tmp_path)
    yield tmp_path
    assert _snapshot(tmp_path) == before
    assert not (tmp_path / "evil.txt").exists() and not os.path.exists("/tmp/theodoi57-evil.txt")


def _verify(folder, blob):
    path = folder / "hostile.zip"
    path.write_bytes(blob)
    try:
        return verify_package(path, [])
    finally:
        path.unlink()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../../evil.txt", "unsafe_path"),
        ("BC_x/../../evil.txt", "unsafe_path"),
        ("/tmp/theodoi57-evil.txt", "unsafe_path"),
        ("C:/Windows/evil.txt", "unsafe_path"),
        ("C:evil.txt", "unsafe_path"),
        ("BC_x\\..\\evil.txt", "unsafe_path"),
    ],
)
def test_paths_that_escape_are_refused(sandbox, name, code):
    result = _verify(sandbox, zip_with([("BC_x/bagit.txt", b"x"), (name, b"evil")]))
    assert (result.ok, result.code) == (False, code)
    assert "không an toàn" in result.message


def test_symlink_and_duplicate_names_are_refused(sandbox):
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        link = zipfile.ZipInfo("BC_x/data/report.pdf")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    result = _verify(sandbox, buffer.getvalue())
    assert (result.ok, result.code) == (False, "symlink")
    with pytest.warns(UserWarning):  # zipfile itself warns about the duplicate
        blob = zip_with([("BC_x/a.txt", b"1"), ("BC_x/A.TXT", b"2"), ("BC_x/a.txt", b"3")])
    assert _verify(sandbox, blob).code == "duplicate_name"


def test_fifty_thousand_members_are_refused(sandbox):
    path = sandbox / "many.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(50_000):
            zf.writestr(f"BC_x/data/{i}", b"")
    result = verify_package(path, [])
    path.unlink()
    assert (result.ok, result.code) == (False, "too_many_members")


def test_one_gigabyte_zip_bomb_is_refused_without_inflating(sandbox):
    path = sandbox / "bomb.zip"
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("BC_x/data/report.pdf", "w") as member:
            for _ in range(1024):  # 1 GiB of zeros, streamed, never held in memory
                member.write(chunk)
    assert path.stat().st_size < 8 << 20
    result = verify_package(path, [])
    path.unlink()
    assert (result.ok, result.code) == (False, "too_large")
    # A smaller bomb, under the size limit, is caught by its compression ratio.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("BC_x/data/report.pdf", bytes(50 << 20))
    result = verify_package(path, [])
    path.unlink()
    assert (result.ok, result.code) == (False, "zip_bomb")


def test_compressed_members_are_not_the_package_format(sandbox):
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("BC_x/bagit.txt", "BagIt-Version: 1.0\n" * 3)
    assert _verify(sandbox, buffer.getvalue()).code == "not_canonical"

"""What every command module shares: dates and periods as typed, secrets, usage."""

from __future__ import annotations

import argparse
import getpass
import importlib.util
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..models.errors import UserError

if TYPE_CHECKING:
    from ..models.periods import Period

Add = Callable[..., argparse.ArgumentParser]


def lazy_module(name: str) -> ModuleType:
    """`name` imported on first use of one of its attributes (importlib's LazyLoader).

    Every command module is imported to build the parser, but a command uses one
    of them: the document, package and workbook stacks (reportlab, openpyxl,
    cryptography, pyHanko, ~0.3 s) load only when a command touches them, so
    light commands (`samples`, `status`, `progress`) start at once. Type checkers
    see the real module through an `if TYPE_CHECKING` import beside each use.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def today_arg(text: str | None) -> date:
    """`--today YYYY-MM-DD`, or today."""
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--today '{text}' phải có dạng YYYY-MM-DD.") from None


def period_arg(db: Path | str, text: str) -> Period:
    """`--period 2026-Q1` read against the plan of the data file (its due dates)."""
    from ..models.store import Store
    from ..operations.period import period_of

    with Store.open(db) as store:
        return period_of(store, text)


def read_secret(env_var: str | None, prompt: str, confirm: bool = False) -> str:
    """The secret from `env_var` when named, else typed on the terminal (twice if `confirm`)."""
    if env_var:
        value = os.environ.get(env_var)
        if value is None:
            raise UserError(f"Biến môi trường {env_var} chưa được đặt.", "missing")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # bytes the OS could not decode (surrogateescape)
            raise UserError(
                f"Biến môi trường {env_var} chứa byte không phải văn bản UTF-8 hợp lệ "
                "(có thể do đặt bằng bảng mã khác); hãy đặt lại mật khẩu bằng chữ UTF-8.",
                "bad_bytes",
            ) from None
        return value
    try:
        value = getpass.getpass(prompt)
        if confirm and getpass.getpass("Nhập lại để xác nhận: ") != value:
            raise UserError("Hai lần nhập mật khẩu không khớp.", "mismatch")
    except EOFError:
        raise UserError("Không đọc được mật khẩu từ bàn phím.", "missing") from None
    return value


def usage(parser: argparse.ArgumentParser) -> int:
    """A command group typed without its subcommand: its help, exit 2."""
    parser.print_help(sys.stderr)
    return 2

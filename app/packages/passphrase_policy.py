"""What a new passphrase for the office signing key must be.

The key file may be copied with the rest of the user's folder; then only the
passphrase protects it. The rules refuse what guessing tools try first: short
ones, one repeated character, digits only (dates, phone numbers), and the
common passwords bundled in resources/security/common-passwords.txt, compared
folded (lower case, no diacritics, letters and digits only), so "Mật khẩu 123"
is "matkhau123". Existing keys keep opening with their old passphrase; the
rules apply when a passphrase is chosen (new key, rotation).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models.errors import UserError
from ..models.text import fold
from ..paths import resources_dir

MIN_LENGTH = 10
HINT = "Gợi ý: ghép ba từ dễ nhớ nhưng không liên quan đến nhau, ví dụ “ấm trà mây trắng cửa sổ”."


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled list, folded the way a typed passphrase is."""
    path = resources_dir() / "security" / "common-passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(_folded(line) for line in lines if line.strip() and not line.startswith("#"))


def _folded(text: str) -> str:
    return re.sub(r"[\W_]+", "", fold(text))


def passphrase_bytes(passphrase: str, where: str = "Mật khẩu khóa ký") -> bytes:
    """UTF-8 bytes of a passphrase; a clear UserError when it holds undecodable bytes
    (an environment variable set from another code page)."""
    try:
        return (passphrase or "").encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(
            f"{where} chứa byte không phải văn bản UTF-8 hợp lệ (có thể do đặt biến môi trường "
            "bằng bảng mã khác). Hãy đặt lại mật khẩu bằng chữ UTF-8.",
            "bad_bytes",
        ) from None


def check_new_passphrase(passphrase: str) -> bytes:
    """The passphrase's UTF-8 bytes if it may protect a new key; UserError saying why not."""
    secret = passphrase_bytes(passphrase)
    text = passphrase or ""
    reason = None
    if len(text) < MIN_LENGTH:
        reason = f"cần ít nhất {MIN_LENGTH} ký tự (mật khẩu này có {len(text)})"
    elif len(set(text)) == 1:
        reason = "chỉ lặp lại một ký tự"
    elif text.isdigit():
        reason = "chỉ gồm chữ số (ngày sinh, số điện thoại dễ bị đoán)"
    elif len(set(_folded(text))) <= 1:
        reason = "chỉ lặp lại một ký tự"
    elif _folded(text) in common_passwords():
        reason = "nằm trong danh sách mật khẩu phổ biến mà công cụ dò mật khẩu thử đầu tiên"
    if reason:
        raise UserError(f"Mật khẩu khóa ký chưa đủ mạnh: {reason}. {HINT}", "weak_passphrase")
    return secret

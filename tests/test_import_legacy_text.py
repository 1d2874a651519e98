"""TCVN3 (ABC) and VNI tables: complete, correct for real phrases both ways, and guessed right."""

from __future__ import annotations

import unicodedata

import pytest

from app.importers.legacy_text import (
    TCVN3_ENCODE,
    VIETNAMESE_LETTERS,
    VNI_ENCODE,
    Encoding,
    decode_tcvn3,
    decode_vni,
    encode_tcvn3,
    encode_vni,
    font_encoding,
    guess_encoding,
)

LOWER = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


def test_there_are_134_letters_and_every_one_round_trips():
    letters = set(LOWER) | {ch.upper() for ch in LOWER}
    assert len(set(LOWER)) == 67
    assert letters == VIETNAMESE_LETTERS and len(letters) == 134
    assert set(VNI_ENCODE) == letters
    for ch in letters:
        assert decode_vni(encode_vni(ch)) == ch
        encoded, capitals = encode_tcvn3(ch)
        assert decode_tcvn3(encoded, capitals) == ch
    # TCVN3 itself: 67 lowercase letters and the 7 capitals .VnTime has.
    assert len(TCVN3_ENCODE) == 74
    assert len(set(TCVN3_ENCODE.values())) == 74


@pytest.mark.parametrize(
    ("letter", "code"),
    [("à", "µ"), ("á", "¸"), ("ả", "¶"), ("ã", "·"), ("ạ", "¹"), ("ă", "¨"), ("â", "©"),
     ("ê", "ª"), ("ô", "«"), ("ơ", "¬"), ("ư", "\u00ad"), ("đ", "®"), ("Đ", "§"), ("ắ", "¾"),
     ("ậ", "Ë"), ("ệ", "Ö"), ("ị", "Þ"), ("ộ", "é"), ("ợ", "î"), ("ự", "ù"), ("ỹ", "ü"),
     ("Ă", "¡"), ("Â", "¢"), ("Ê", "£"), ("Ô", "¤"), ("Ơ", "¥"), ("Ư", "¦")],
)  # fmt: skip
def test_tcvn3_code_points(letter, code):
    assert TCVN3_ENCODE[letter] == code


@pytest.mark.parametrize(
    ("letter", "code"),
    [("à", "aø"), ("á", "aù"), ("ả", "aû"), ("ã", "aõ"), ("ạ", "aï"), ("ă", "aê"), ("â", "aâ"),
     ("đ", "ñ"), ("Đ", "Ñ"), ("ơ", "ô"), ("ư", "ö"), ("ấ", "aá"), ("ặ", "aë"), ("ể", "eå"),
     ("ỉ", "æ"), ("ĩ", "ó"), ("ị", "ò"), ("ỵ", "î"), ("ớ", "ôù"), ("ự", "öï"), ("Á", "AÙ"),
     ("Ế", "EÁ"), ("Ợ", "ÔÏ")],
)  # fmt: skip
def test_vni_sequences(letter, code):
    assert VNI_ENCODE[letter] == code


PHRASES = [
    ("Tỷ lệ phủ sóng 5G trên địa bàn", "Tû lÖ phñ sãng 5G trªn ®Þa bµn", "Tyû leä phuû soùng 5G treân ñòa baøn"),
    ("Trường", "Tr\u00adêng", "Tröôøng"),
    ("Xin chào các bạn", "Xin chµo c¸c b¹n", "Xin chaøo caùc baïn"),
    ("Đơn vị tính", "§¬n vÞ tÝnh", "Ñôn vò tính"),
    ("Chưa triển khai", "Ch\u00ada triÓn khai", "Chöa trieån khai"),
]  # fmt: skip


@pytest.mark.parametrize(("unicode_text", "tcvn3", "vni"), PHRASES)
def test_real_phrases_both_ways(unicode_text, tcvn3, vni):
    assert encode_tcvn3(unicode_text) == (tcvn3, False)
    assert encode_vni(unicode_text) == vni
    assert decode_tcvn3(tcvn3) == unicode_text
    assert decode_vni(vni) == unicode_text
    assert guess_encoding(tcvn3) is Encoding.TCVN3
    assert guess_encoding(vni) is Encoding.VNI
    assert guess_encoding(unicode_text) is Encoding.UNICODE


def test_tcvn3_capitals_use_the_h_font():
    encoded, capitals = encode_tcvn3("PHÁT TRIỂN HẠ TẦNG")
    assert capitals and encoded == "ph¸t triÓn h¹ tÇng"
    assert decode_tcvn3(encoded, capitals_font=True) == "PHÁT TRIỂN HẠ TẦNG"


def test_font_names_say_the_encoding():
    assert font_encoding(".VnTime") == (Encoding.TCVN3, False)
    assert font_encoding(".VnTimeH") == (Encoding.TCVN3, True)
    assert font_encoding(".VnArial") == (Encoding.TCVN3, False)
    assert font_encoding("VNI-Times") == (Encoding.VNI, False)
    assert font_encoding("Times New Roman") == (None, False)
    assert font_encoding(None) == (None, False)


def test_output_is_nfc_and_unicode_text_is_left_alone():
    assert unicodedata.is_normalized("NFC", decode_vni("Nghò quyeát"))
    # Ordinary symbols in Unicode text are no reason to convert it.
    for text in ("§ 3 Điều 5", "25°C", "Có", "≥ 80%"):
        assert guess_encoding(text) in (None, Encoding.UNICODE)

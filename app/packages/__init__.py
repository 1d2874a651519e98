"""Gói báo cáo có ký số: định dạng, nén chuẩn, xuất, kiểm tra, ký PDF, khóa ký."""

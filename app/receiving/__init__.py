"""Đơn vị tiếp nhận: khóa tin cậy, nhận gói, quy tắc, ma trận, tổng hợp."""

"""Báo cáo kỳ: nội dung, PDF (Nghị định 30 / Hướng dẫn 36), xlsx, biểu đồ."""

"""Dòng lệnh: phân tích tham số, hỏi mật khẩu, in kết quả; gọi các thao tác lõi."""

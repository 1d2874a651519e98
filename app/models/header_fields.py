"""The plan header's fields as a secretary types them: JSON path, Vietnamese label, kind.

One table for the template's sheet "Thông tin kế hoạch" (importers/plan_info_sheet)
and the `plan set` / `office set` options (commands/plan), kept apart from both so
building the command line's parser loads no workbook library.
"""

from __future__ import annotations

# (JSON path, label, kind). Kinds: text, lines (one item per line), date, years, bool,
# int, share (a percentage typed, a fraction stored), and the enums below.
HEADER_FIELDS: list[tuple[str, str, str]] = [
    ("office.name", "Tên đơn vị", "text"),
    ("office.level", "Cấp (xã, phường, thị xã…)", "text"),
    ("office.province", "Tỉnh, thành phố", "text"),
    ("office.parent_body", "Cơ quan chủ quản (dòng trên tên cơ quan ban hành)", "text"),
    ("office.issuing_body", "Tên cơ quan ban hành văn bản", "text"),
    ("office.style", "Thể thức văn bản báo cáo", "document_style"),
    ("office.place", "Địa danh ghi ở dòng ngày tháng", "text"),
    ("office.doc_code", "Chữ viết tắt tên cơ quan trong số ký hiệu (BC-…)", "text"),
    ("office.signer_name", "Người ký", "text"),
    ("office.signer_title", "Chức vụ người ký", "text"),
    ("office.signer_authority", "Thẩm quyền ký (TM., KT.…)", "text"),
    ("office.recipients", "Nơi nhận (mỗi dòng một nơi)", "lines"),
    ("plan.number", "Số, ký hiệu kế hoạch", "text"),
    ("plan.title", "Trích yếu kế hoạch", "text"),
    ("plan.date", "Ngày ban hành (dd/mm/yyyy)", "date"),
    ("plan.issuer", "Cơ quan ban hành kế hoạch", "text"),
    ("plan.milestones", "Các mốc năm (cách nhau bởi dấu phẩy)", "years"),
    ("plan.start", "Kế hoạch bắt đầu từ ngày (trống: ngày ban hành)", "date"),
    ("plan.end", "Kế hoạch kết thúc ngày (trống: không có)", "date"),
    ("plan.style", "Loại văn bản của kế hoạch (trống: theo số ký hiệu)", "plan_style"),
    ("plan.merge_shorter", "Gộp báo cáo kỳ ngắn vào kỳ dài đến hạn cùng lúc (Có/Không)", "bool"),
    ("plan.cutoff_policy", "Cách chốt số liệu", "cutoff"),
    ("plan.cutoff_lead_days", "Số ngày chốt số liệu trước hạn nộp", "int"),
    ("validation.path_tolerance", "Dung sai lộ trình (% của bước đến mục tiêu)", "share"),
    ("validation.outlier_share", "Ngưỡng biến động bất thường (%)", "share"),
]


def field_labels() -> dict[str, str]:
    """Every header field's JSON path and its Vietnamese label."""
    return {path: label for path, label, _ in HEADER_FIELDS}

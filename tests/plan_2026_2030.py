"""Appendices 1–10 and section VII of the 2026–2030 plan, transcribed by hand from
../shared/seeds/000_3f3aaa2f9546f35c.txt. The tests' ground truth: typed from the
document, including its printed totals (some of which do not add up)."""

LEVELS = ["MN", "TH", "THCS", "THPT", "GDTX", "GDNN"]
N = None

# year -> (appendix, lines); a line: (start of the label, six counts, unit price in million, printed amount, note)
COSTS = {
    2026: (6, [
        ("Chuyển đổi số", [2384, 1748, 1704, 516, 52, 100], 2, 13008, "4 GV/trường"),
        ("Tích hợp AI", [596, 437, 426, 129, 13, 50], 2, 3302, "Hiệu trưởng"),
        ("Bồi dưỡng phương pháp giảng dạy", [2384, 1748, 1704, 516, 52, 100], 2, 13008, "4 GV/trường"),
        ("Bồi dưỡng năng lực đánh giá", [2384, 1748, 1704, 516, 52, 50], 1.5, 9681, "4 GV/trường"),
        ("Thiết kế và triển khai giáo dục STEM", [1192, 874, 852, 258, 26, N], 2, 6404, N),
        ("Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH", [89, 10, N, N, N, N], 0.442 * 30, 1313, "442.000đ/tín chỉ x 30 tín chỉ"),
        ("Đào tạo nâng trình độ chuẩn GV TH, THCS", [N, 344, 197, N, N, N], 0.4 * 30, 6492, "400.000đ/tín chỉ x 30 tín chỉ"),
        ("Các nội dung bồi dưỡng khác", [N] * 6, N, N, N),
        ("- Bồi dưỡng nghiệp vụ sư phạm", [N, N, N, N, N, 100], 3, 300, N),
        ("- Bồi dưỡng chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 100], 10, 1000, N),
    ]),
    2027: (7, [
        ("Bồi dưỡng về giáo dục toàn diện", [1192, 874, 852, 258, 26, 50], 2, 6504, "2CBGV/trường"),
        ("Thiết kế và triển khai giáo dục STEM", [1192, 874, 852, 258, 26, N], 2, 6404, "2CBQL,GV/trường"),
        ("Bồi dưỡng về năng lực quản lý", [596, 437, 426, 129, 13, 50], 2, 3302, "Hiệu trưởng"),
        ("Dạy học tích hợp", [1788, 1311, 1278, 387, 39, 50], 2, 9706, "3GV/trường"),
        ("Bồi dưỡng về giáo dục hướng nghiệp", [0, 0, 1278, 387, 39, 100], 1.5, 2706, "3CBQL,GV/trường"),
        ("Bồi dưỡng kỹ năng thu hút", [596, 437, 426, 129, 13, 100], 1.5, 2552, "CBQL"),
        ("Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH", [89, 10, N, N, N, N], 0.442 * 30, 1313, "442.000đ/tín chỉ x 30 tín chỉ"),
        ("Đào tạo nâng trình độ chuẩn GV TH, THCS", [N, 344, 197, N, N, N], 0.4 * 30, 6492, "400.000đ/tín chỉ x 30 tín chỉ"),
        ("Các nội dung bồi dưỡng khác", [N] * 6, N, N, N),
        ("- Bồi dưỡng nghiệp vụ sư phạm", [N, N, N, N, N, 80], 3, 240, N),
        ("- Bồi dưỡng chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 80], 10, 800, N),
    ]),
    2028: (8, [
        ("Bồi dưỡng năng lực tự chủ chuyên môn", [1788, 1311, 1278, 387, 39, 100], 1.5, 7355, "3CBGV/trường"),
        ("Bồi dưỡng kỹ năng thiết kế và tổ chức", [1788, 1311, 1278, 387, 39, 50], 2, 9706, "3CBGV/trường"),
        ("Bồi dưỡng về giáo dục toàn diện", [1192, 874, 852, 258, 26, 50], 2, 6504, "2CBGV/trường"),
        ("Kỹ năng nghiên cứu khoa học sư phạm", [1192, 874, 852, 258, 26, 100], 1.5, 4953, "2CBGV/trường"),
        ("Bồi dưỡng cách thiết kế môi trường lớp học", [1192, 874, 852, 258, 26, 100], 1.5, 4953, "2CBGV/trường"),
        ("Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH", [89, 10, N, N, N, N], 0.442 * 25, 1094, "442.000đ/tín chỉ x 25 tín chỉ"),
        ("Các nội dung bồi dưỡng khác", [N] * 6, N, N, N),
        ("- Bồi dưỡng nghiệp vụ sư phạm", [N, N, N, N, N, 80], 3, 240, N),
        ("- Bồi dưỡng chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 80], 10, 800, N),
    ]),
    2029: (9, [
        ("Bồi dưỡng kỹ năng thiết kế và tổ chức", [1788, 1311, 1278, 387, 39, 100], 2, 9806, "3CBGV/trường"),
        ("Bồi dưỡng cách thiết kế môi trường lớp học", [1192, 874, 852, 258, 26, 50], 1.5, 4878, "2CBGV/trường"),
        ("Kỹ năng nghiên cứu khoa học sư phạm", [1192, 874, 852, 258, 26, 50], 2, 6504, "2CBGV/trường"),
        ("Bồi dưỡng kỹ năng lãnh đạo", [596, 437, 426, 129, 13, 50], 2, 3302, "CBQL"),
        ("Kỹ năng tổ chức hoạt động giao lưu", [1192, 874, 852, 258, 26, 100], 1.5, 4953, "2CBGV/trường"),
        ("Các nội dung bồi dưỡng khác", [N] * 6, N, N, N),
        ("- Bồi dưỡng nghiệp vụ sư phạm", [N, N, N, N, N, 80], 3, 240, N),
        ("- Bồi dưỡng chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 80], 10, 800, N),
    ]),
    2030: (10, [
        ("Kỹ năng tham vấn, hỗ trợ tâm lý", [1192, 874, 852, 258, 26, 50], 2, 6504, "2GV/trường"),
        ("Phương pháp dạy học tích cực", [1192, 874, 852, 258, 27, 100], 2, 6606, "2GV/trường"),
        ("Bồi dưỡng về giáo dục hướng nghiệp", [N, N, 852, 258, 28, 50], 1.5, 1782, "2GV/trường"),
        ("Kỹ năng tổ chức hoạt động giao lưu", [1192, 874, 852, 258, 27, 50], 1.5, 4880, "2CBGV/trường"),
    ]),
}

# The "Tổng số" rows as printed: six level totals and the amount.
PRINTED_TOTALS = {
    2026: ([8940, 6555, 6390, 1935, 195, 500], 54508),
    2027: ([5364, 3933, 5112, 1548, 156, 510], 40018),
    2028: ([7152, 5244, 5112, 1548, 156, 560], 34511),
    2029: ([5960, 4370, 4260, 1290, 130, 510], 30483),
    2030: ([3576, 2622, 3408, 1032, 108, 250], 19772),
}
FIVE_YEAR_TOTAL_PRINTED = 179_292  # section VII.2: 179 292 000 000 đồng

STANDARD_PARTNERS = "Sở Tài chính; UBND xã, phường, đặc khu; CSGD; CSGDĐTBD"
# year -> (appendix, lines): (start of the label, six counts or None where the document prints none, form, lead, partners)
TASKS = {
    2026: (1, [
        ("Chuyển đổi số", [2384, 1748, 1704, 516, 52, 100]),
        ("Tích hợp AI", [596, 437, 426, 129, 13, 50]),
        ("Bồi dưỡng phương pháp giảng dạy", [2384, 1748, 1704, 516, 52, 100]),
        ("Bồi dưỡng năng lực đánh giá", [2384, 1748, 1704, 516, 52, 50]),
        ("Thiết kế và triển khai giáo dục STEM", [1192, 874, 852, 258, 26, N]),
        ("Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH", [89, 10, N, N, N, N]),
        ("Đào tạo nâng trình độ chuẩn GV TH, THCS", [N, 344, 197, N, N, N]),
        ("Các nội dung bồi dưỡng khác", [N] * 6),
        ("- Bồi dưỡng nghiệp vụ sư phạm", [N, N, N, N, N, 100]),
        ("- Bồi dưỡng chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 100]),
    ]),
    2029: (4, [
        ("Bồi dưỡng kỹ năng thiết kế và tổ chức", [1788, 1311, 1278, 387, 39, 100]),
        ("Bồi dưỡng cách thiết kế môi trường lớp học", [1192, 874, 852, 258, 26, 50]),
        ("Kỹ năng nghiên cứu khoa học sư phạm", [1192, 874, 852, 258, 26, 50]),
        ("Bồi dưỡng kỹ năng lãnh đạo", [596, 437, 426, 129, 13, 50]),
        ("Kỹ năng tổ chức hoạt động giao lưu", [1192, 874, 852, 258, 26, 100]),
        ("Các nội dung bồi dưỡng khác", [N] * 6),
        # The document's tasks table stops here; its cost table (appendix 9) prices 80 + 80 more.
    ]),
    2030: (5, [
        ("Kỹ năng tham vấn, hỗ trợ tâm lý", [1192, 874, 852, 258, 26, 50]),
        ("Phương pháp dạy học tích cực", [1192, 874, 852, 258, 27, 100]),
        ("Bồi dưỡng về giáo dục hướng nghiệp", [N, N, 852, 258, 28, 50]),
        ("Kỹ năng tổ chức hoạt động giao lưu", [1192, 874, 852, 258, 27, 50]),
        ("Các nội dung bồi dưỡng khác", [N] * 6),
    ]),
}

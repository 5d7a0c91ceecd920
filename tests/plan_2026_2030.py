"""Appendices 1–10 and section VII of the 2026–2030 plan, transcribed from
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
        ("- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 100], 10, 1000, N),
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
        ("- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 80], 10, 800, N),
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
        ("- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 80], 10, 800, N),
    ]),
    2029: (9, [
        ("Bồi dưỡng kỹ năng thiết kế và tổ chức", [1788, 1311, 1278, 387, 39, 100], 2, 9806, "3CBGV/trường"),
        ("Bồi dưỡng cách thiết kế môi trường lớp học", [1192, 874, 852, 258, 26, 50], 1.5, 4878, "2CBGV/trường"),
        ("Kỹ năng nghiên cứu khoa học sư phạm", [1192, 874, 852, 258, 26, 50], 2, 6504, "2CBGV/trường"),
        ("Bồi dưỡng kỹ năng lãnh đạo", [596, 437, 426, 129, 13, 50], 2, 3302, "CBQL"),
        ("Kỹ năng tổ chức hoạt động giao lưu", [1192, 874, 852, 258, 26, 100], 1.5, 4953, "2CBGV/trường"),
        ("Các nội dung bồi dưỡng khác", [N] * 6, N, N, N),
        ("- Bồi dưỡng nghiệp vụ sư phạm", [N, N, N, N, N, 80], 3, 240, N),
        ("- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 80], 10, 800, N),
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
        ("- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 100]),
    ]),
    2027: (2, [
        ("Bồi dưỡng về giáo dục toàn diện", [1192, 874, 852, 258, 26, 50]),
        ("Thiết kế và triển khai giáo dục STEM", [1192, 874, 852, 258, 26, N]),
        ("Bồi dưỡng về năng lực quản lý", [596, 437, 426, 129, 13, 50]),
        ("Dạy học tích hợp", [1788, 1311, 1278, 387, 39, 50]),
        ("Bồi dưỡng về giáo dục hướng nghiệp", [0, 0, 1278, 387, 39, 100]),
        ("Bồi dưỡng kỹ năng thu hút", [596, 437, 426, 129, 13, 100]),
        ("Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH", [89, 10, N, N, N, N]),
        ("Đào tạo nâng trình độ chuẩn GV TH, THCS", [N, 344, 197, N, N, N]),
        ("Các nội dung bồi dưỡng khác", [N] * 6),
        ("- Bồi dưỡng nghiệp vụ sư phạm", [N, N, N, N, N, 80]),
        ("- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 80]),
    ]),
    2028: (3, [
        ("Bồi dưỡng năng lực tự chủ chuyên môn", [1788, 1311, 1278, 387, 39, 100]),
        ("Bồi dưỡng kỹ năng thiết kế và tổ chức", [1788, 1311, 1278, 387, 39, 50]),
        ("Bồi dưỡng về giáo dục toàn diện", [1192, 874, 852, 258, 26, 50]),
        ("Kỹ năng nghiên cứu khoa học sư phạm", [1192, 874, 852, 258, 26, 100]),
        ("Bồi dưỡng cách thiết kế môi trường lớp học", [1192, 874, 852, 258, 26, 100]),
        ("Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH", [89, 10, N, N, N, N]),
        ("Các nội dung bồi dưỡng khác", [N] * 6),
        ("- Bồi dưỡng nghiệp vụ sư phạm", [N, N, N, N, N, 80]),
        ("- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề", [N, N, N, N, N, 80]),
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
# The last three columns of appendices 1–5, line by line as printed: "Hình thức thực hiện",
# "Đơn vị chủ trì", "Đơn vị phối hợp" ("" where the document leaves them blank).
_USUAL = ("Trực tiếp/trực tiếp kết hợp trực tuyến", "Sở GDĐT", STANDARD_PARTNERS)
_ONLINE_TOO = ("Trực tiếp/trực tuyến/trực tiếp kết hợp trực tuyến", "Sở GDĐT", STANDARD_PARTNERS)
_OTHERS = ("Trực tiếp", "Sở GDĐT", "Sở Tài chính; các trung tâm GDNN, trường trung cấp, trường cao đẳng; các cơ quan, đơn vị liên quan")
_RELATED = ("", "Sở GDĐT", "Các đơn vị liên quan")
_BLANK = ("", "", "")
DELIVERY = {
    1: [_USUAL] * 6 + [_ONLINE_TOO, _OTHERS, _BLANK, _BLANK],
    2: [_USUAL] * 6 + [_ONLINE_TOO, _BLANK, _OTHERS, _BLANK, _BLANK],
    3: [_USUAL] * 6 + [_OTHERS, _BLANK, _BLANK],
    4: [_USUAL] * 5 + [_RELATED],
    5: [_USUAL] * 4 + [_RELATED],
}

# The appendices' own wording, as printed (whitespace collapsed): appendix -> lines (TT, label[, Ghi chú]).
# Typos kept: "ưng dụng" (1, 6), "ưng phó" (5, 10), "2CBQ,GV/trường" (6), TT "i." (1–4), TT 3 twice (7).
WORDING = {
    1: [
        ('1', 'Chuyển đổi số và ưng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học'),
        ('2', 'Tích hợp AI trong quản trị nhà trường'),
        ('3', 'Bồi dưỡng phương pháp giảng dạy theo hướng phát triển năng lực, phẩm chất toàn diện'),
        ('4', 'Bồi dưỡng năng lực đánh giá học sinh theo định hướng phát triển năng lực và phẩm chất'),
        ('i.', 'Thiết kế và triển khai giáo dục STEM/STEAM'),
        ('6', 'Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH (tổng số 85 tín chỉ)'),
        ('7', 'Đào tạo nâng trình độ chuẩn GV TH, THCS từ CĐ lên ĐH (tổng số 60 tín chỉ)'),
        ('8', 'Các nội dung bồi dưỡng khác theo yêu cầu nhiệm vụ (nếu có)'),
        ('', '- Bồi dưỡng nghiệp vụ sư phạm'),
        ('', '- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề…'),
    ],
    2: [
        ('1.', 'Bồi dưỡng về giáo dục toàn diện: Đức, trí, thể, mỹ'),
        ('2.', 'Thiết kế và triển khai giáo dục STEM/STEAM'),
        ('3.', 'Bồi dưỡng về năng lực quản lý, quản trị nhà trường hiện đại, tự chủ'),
        ('4.', 'Dạy học tích hợp, liên môn và vận dụng kiến thức vào thực tiễn'),
        ('i.', 'Bồi dưỡng về giáo dục hướng nghiệp, khởi nghiệp sáng tạo và gắn kết thị trường lao động'),
        ('5.', 'Bồi dưỡng kỹ năng thu hút và liên kết cộng đồng, doanh nghiệp trong lĩnh vực giáo dục và đào tạo'),
        ('6.', 'Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH (tổng số 85 tín chỉ)'),
        ('7.', 'Đào tạo nâng trình độ chuẩn GV TH, THCS từ CĐ lên ĐH (tổng số 60 tín chỉ)'),
        ('8.', 'Các nội dung bồi dưỡng khác theo yêu cầu nhiệm vụ (nếu có)'),
        ('', '- Bồi dưỡng nghiệp vụ sư phạm;'),
        ('', '- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề…'),
    ],
    3: [
        ('1.', 'Bồi dưỡng năng lực tự chủ chuyên môn, tự học, tự bồi dưỡng và xây dựng kế hoạch phát triển nghề nghiệp cá nhân'),
        ('2.', 'Bồi dưỡng kỹ năng thiết kế và tổ chức các hoạt động giáo dục theo định hướng phát triển phẩm chất: lòng yêu nước, nhân ái, chăm chỉ, trung thực, trách nhiệm.'),
        ('3.', 'Bồi dưỡng về giáo dục toàn diện: Đức, trí, thể, mỹ'),
        ('4.', 'Kỹ năng nghiên cứu khoa học sư phạm ứng dụng và sáng tạo trong giáo dục'),
        ('i.', 'Bồi dưỡng cách thiết kế môi trường lớp học mở, thiên nhiên – biển – đảo, không gian ngoài trời, trải nghiệm thực tế'),
        ('5.', 'Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH (tổng số 85 tín chỉ)'),
        ('6.', 'Các nội dung bồi dưỡng khác theo yêu cầu nhiệm vụ (nếu có)'),
        ('', '- Bồi dưỡng nghiệp vụ sư phạm;'),
        ('', '- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề…'),
    ],
    4: [
        ('1.', 'Bồi dưỡng kỹ năng thiết kế và tổ chức các hoạt động giáo dục theo định hướng phát triển phẩm chất: lòng yêu nước, nhân ái, chăm chỉ, trung thực, trách nhiệm.'),
        ('2.', 'Bồi dưỡng cách thiết kế môi trường lớp học mở, thiên nhiên – biển – đảo, không gian ngoài trời, trải nghiệm thực tế'),
        ('3.', 'Kỹ năng nghiên cứu khoa học sư phạm ứng dụng và sáng tạo trong giáo dục'),
        ('4.', 'Bồi dưỡng kỹ năng lãnh đạo, quản lý sự thay đổi và đảm bảo an ninh văn hóa'),
        ('i.', 'Kỹ năng tổ chức hoạt động giao lưu, hợp tác quốc tế và hội nhập'),
        ('6', 'Các nội dung bồi dưỡng khác theo yêu cầu nhiệm vụ (nếu có)'),
    ],
    5: [
        ('1.', 'Kỹ năng tham vấn, hỗ trợ tâm lý và ưng phó với sự thay đổi và áp lực học đường'),
        ('2.', 'Phương pháp dạy học tích cực và cá nhân hóa học tập'),
        ('3.', 'Bồi dưỡng về giáo dục hướng nghiệp, khởi nghiệp sáng tạo và gắn kết thị trường lao động thích ứng thời kỳ mới'),
        ('4.', 'Kỹ năng tổ chức hoạt động giao lưu, hợp tác quốc tế và hội nhập'),
        ('5.', 'Các nội dung bồi dưỡng khác theo yêu cầu nhiệm vụ (nếu có)'),
    ],
    6: [
        ('1', 'Chuyển đổi số và ưng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học', '4 GV/trường'),
        ('2', 'Tích hợp AI trong quản trị nhà trường cho đội ngũ CBQL MN, phổ thông', 'Hiệu trưởng'),
        ('3', 'Bồi dưỡng phương pháp giảng dạy theo hướng phát triển năng lực, phẩm chất toàn diện', '4 GV/trường'),
        ('4', 'Bồi dưỡng năng lực đánh giá học sinh theo định hướng phát triển năng lực và phẩm chất', '4 GV/trường'),
        ('5', 'Thiết kế và triển khai giáo dục STEM/STEAM', '2CBQ,GV/trường'),
        ('6', 'Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH (tổng số 85 tín chỉ)', '442.000đ/tín chỉ x 30 tín chỉ'),
        ('7', 'Đào tạo nâng trình độ chuẩn GV TH, THCS từ CĐ lên ĐH (tổng số 60 tín chỉ)', '400.000đ/tín chỉ x 30 tín chỉ'),
        ('8', 'Các nội dung bồi dưỡng khác theo yêu cầu nhiệm vụ (nếu có)', ''),
        ('', '- Bồi dưỡng nghiệp vụ sư phạm', ''),
        ('', '- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề…', ''),
    ],
    7: [
        ('1', 'Bồi dưỡng về giáo dục toàn diện: Đức, trí, thể, mỹ', '2CBGV/trường'),
        ('2', 'Thiết kế và triển khai giáo dục STEM/STEAM', '2CBQL,GV/trường'),
        ('3', 'Bồi dưỡng về năng lực quản lý, quản trị nhà trường hiện đại, tự chủ', 'Hiệu trưởng'),
        ('3', 'Dạy học tích hợp, liên môn và vận dụng kiến thức vào thực tiễn', '3GV/trường'),
        ('5', 'Bồi dưỡng về giáo dục hướng nghiệp, khởi nghiệp sáng tạo và gắn kết thị trường lao động', '3CBQL,GV/trường'),
        ('6', 'Bồi dưỡng kỹ năng thu hút và liên kết cộng đồng, doanh nghiệp trong lĩnh vực giáo dục và đào tạo', 'CBQL'),
        ('7', 'Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH (tổng số 85 tín chỉ)', '442.000đ/tín chỉ x 30 tín chỉ'),
        ('8', 'Đào tạo nâng trình độ chuẩn GV TH, THCS từ CĐ lên ĐH (tổng số 60 tín chỉ)', '400.000đ/tín chỉ x 30 tín chỉ'),
        ('9', 'Các nội dung bồi dưỡng khác theo yêu cầu nhiệm vụ (nếu có)', ''),
        ('', '- Bồi dưỡng nghiệp vụ sư phạm', ''),
        ('', '- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề…', ''),
    ],
    8: [
        ('1', 'Bồi dưỡng năng lực tự chủ chuyên môn, tự học, tự bồi dưỡng và xây dựng kế hoạch phát triển nghề nghiệp cá nhân', '3CBGV/trường'),
        ('2', 'Bồi dưỡng kỹ năng thiết kế và tổ chức các hoạt động giáo dục theo định hướng phát triển phẩm chất: lòng yêu nước, nhân ái, chăm chỉ, trung thực, trách nhiệm.', '3CBGV/trường'),
        ('3', 'Bồi dưỡng về giáo dục toàn diện: Đức, trí, thể, mỹ', '2CBGV/trường'),
        ('4', 'Kỹ năng nghiên cứu khoa học sư phạm ứng dụng và sáng tạo trong giáo dục', '2CBGV/trường'),
        ('5', 'Bồi dưỡng cách thiết kế môi trường lớp học mở, thiên nhiên – biển – đảo, không gian ngoài trời, trải nghiệm thực tế', '2CBGV/trường'),
        ('6', 'Đào tạo nâng trình độ chuẩn GV MN, TH từ TC lên ĐH (tổng số 85 tín chỉ)', '442.000đ/tín chỉ x 25 tín chỉ'),
        ('7', 'Các nội dung bồi dưỡng khác theo yêu cầu nhiệm vụ (nếu có)', ''),
        ('', '- Bồi dưỡng nghiệp vụ sư phạm', ''),
        ('', '- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề…', ''),
    ],
    9: [
        ('1', 'Bồi dưỡng kỹ năng thiết kế và tổ chức các hoạt động giáo dục theo định hướng phát triển phẩm chất: lòng yêu nước, nhân ái, chăm chỉ, trung thực, trách nhiệm.', '3CBGV/trường'),
        ('2', 'Bồi dưỡng cách thiết kế môi trường lớp học mở, thiên nhiên – biển – đảo, không gian ngoài trời, trải nghiệm thực tế', '2CBGV/trường'),
        ('3', 'Kỹ năng nghiên cứu khoa học sư phạm ứng dụng và sáng tạo trong giáo dục', '2CBGV/trường'),
        ('4', 'Bồi dưỡng kỹ năng lãnh đạo, quản lý sự thay đổi và đảm bảo an ninh văn hóa', 'CBQL'),
        ('5', 'Kỹ năng tổ chức hoạt động giao lưu, hợp tác quốc tế và hội nhập', '2CBGV/trường'),
        ('6', 'Các nội dung bồi dưỡng khác theo yêu cầu nhiệm vụ (nếu có)', ''),
        ('', '- Bồi dưỡng nghiệp vụ sư phạm', ''),
        ('', '- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề…', ''),
    ],
    10: [
        ('1', 'Kỹ năng tham vấn, hỗ trợ tâm lý và ưng phó với sự thay đổi và áp lực học đường', '2GV/trường'),
        ('2', 'Phương pháp dạy học tích cực và cá nhân hóa học tập', '2GV/trường'),
        ('3', 'Bồi dưỡng về giáo dục hướng nghiệp, khởi nghiệp sáng tạo và gắn kết thị trường lao động thích ứng thời kỳ mới', '2GV/trường'),
        ('4', 'Kỹ năng tổ chức hoạt động giao lưu, hợp tác quốc tế và hội nhập', '2CBGV/trường'),
    ],
}
TOPIC_HEADERS = {1: "Nội dung", 2: "Nội dung", 3: "Nội dung", 4: "Nội dung", 5: "Nội dung", 6: "Nội dung đào tạo, bồi dưỡng", 7: "Nội dung đào tạo, bồi dưỡng", 8: "Nội dung đào tạo, bồi dưỡng", 9: "Nội dung bồi dưỡng", 10: "Nội dung bồi dưỡng"}
TOTAL_LABEL = "Tổng số:"  # appendices 6–10; appendices 1–5 have no total row

"""Appendices 1–6 of the 2024 plan, transcribed by hand from ../shared/seeds/001_bcb05258cb7e8085.txt.

These figures are the tests' ground truth; they are typed from the document, not
produced by the pipeline. ``None`` is a blank cell in the document.
"""

DISTRICTS = [
    "An Dương", "An Lão", "Cát Hải", "Dương Kinh", "Đồ Sơn", "Hải An", "Hồng Bàng",
    "Kiến An", "Kiến Thụy", "Lê Chân", "Ngô Quyền", "Thủy Nguyên", "Tiên Lãng", "Vĩnh Bảo",
]
ATTACHMENT = ["(Kèm theo Kế hoạch số          /KH-UBND ngày      tháng      năm 2024", "của Uỷ ban nhân dân thành phố Hải Phòng)"]

# appendix -> title lines, unit header, count headers, rows (unit, *counts), printed totals
APPENDICES = {
    1: {
        "title": ["SỐ LƯỢNG CBQL, GV MẦM NON", "ĐĂNG KÝ ĐÀO TẠO NÂNG CHUẨN NĂM 2024"],
        "unit_header": "Quận/huyện",
        "headers": ["Trình độ đào tạo TC- ĐH (công lập)", "Trình độ đào tạo TC - CĐ (ngoài công lập)"],
        "rows": [
            ("An Dương", 1, None), ("An Lão", None, None), ("Cát Hải", None, None),
            ("Dương Kinh", 1, 4), ("Đồ Sơn", None, None), ("Hải An", None, 57),
            ("Hồng Bàng", 1, 23), ("Kiến An", 2, 26), ("Kiến Thụy", 14, 31),
            ("Lê Chân", 12, 128), ("Ngô Quyền", None, 76), ("Thủy Nguyên", 6, 36),
            ("Tiên Lãng", 2, 1), ("Vĩnh Bảo", 3, None),
        ],
        "totals": (42, 382),
        "keys": [("TC_DH", "MN"), ("TC_CD", "MN")],
    },
    2: {
        "title": ["SỐ LƯỢNG CBQL, GV TIỂU HỌC", "ĐĂNG KÝ ĐÀO TẠO NÂNG CHUẨN NĂM 2024"],
        "unit_header": "Quận/huyện",
        "headers": ["Trình độ đào tạo CĐ- ĐH"],
        "rows": [
            ("An Dương", None), ("An Lão", 11), ("Cát Hải", 2), ("Dương Kinh", 7), ("Đồ Sơn", 1),
            ("Hải An", None), ("Hồng Bàng", 6), ("Kiến An", 9), ("Kiến Thụy", 10), ("Lê Chân", 6),
            ("Ngô Quyền", 3), ("Thủy Nguyên", None), ("Tiên Lãng", 12), ("Vĩnh Bảo", 4),
        ],
        "totals": (71,),
        "keys": [("CD_DH", "TH")],
    },
    3: {
        "title": ["SỐ LƯỢNG CBQL, GV TRUNG HỌC CƠ SỞ", "ĐĂNG KÝ ĐÀO TẠO NÂNG CHUẨN NĂM 2024"],
        "unit_header": "Quận/huyện",
        "headers": ["Trình độ đào tạo CĐ - ĐH"],
        "rows": [
            ("An Dương", 1), ("An Lão", 9), ("Cát Hải", 7), ("Dương Kinh", 1), ("Đồ Sơn", None),
            ("Hải An", None), ("Hồng Bàng", 4), ("Kiến An", 3), ("Kiến Thụy", 5), ("Lê Chân", 1),
            ("Ngô Quyền", None), ("Thủy Nguyên", 9), ("Tiên Lãng", 7), ("Vĩnh Bảo", 8),
        ],
        "totals": (55,),
        "keys": [("CD_DH", "THCS")],
    },
    4: {
        "title": ["SỐ LƯỢNG GV PHỔ THÔNG", "ĐĂNG KÝ BỒI DƯỠNG CÔNG TÁC TƯ VẤN CHO HỌC SINH NĂM 2024"],
        "unit_header": "Đơn vị",
        "headers": ["Số lượng"],
        "rows": [
            ("An Dương", 1), ("An Lão", 9), ("Cát Hải", 4), ("Dương Kinh", 9), ("Đồ Sơn", 5),
            ("Hải An", 15), ("Hồng Bàng", 9), ("Kiến An", 15), ("Kiến Thụy", 35), ("Lê Chân", 13),
            ("Ngô Quyền", None), ("Thủy Nguyên", 50), ("Tiên Lãng", 25), ("Vĩnh Bảo", 17),
            ("Các trường THPT", 42),
        ],
        "totals": (249,),
        "keys": [("TT31", "PT")],
    },
    5: {
        "title": ["SỐ LƯỢNG GV TRUNG HỌC CƠ SỞ", "ĐĂNG KÝ BỒI DƯỠNG GV DẠY MÔN LỊCH SỬ VÀ ĐỊA LÝ NĂM 2024"],
        "unit_header": "Quận/huyện",
        "headers": ["Số lượng"],
        "rows": [
            ("An Dương", 2), ("An Lão", 18), ("Cát Hải", 2), ("Dương Kinh", 22), ("Đồ Sơn", 5),
            ("Hải An", 10), ("Hồng Bàng", 12), ("Kiến An", 15), ("Kiến Thụy", 10), ("Lê Chân", 2),
            ("Ngô Quyền", 21), ("Thủy Nguyên", 28), ("Tiên Lãng", 7), ("Vĩnh Bảo", 9),
        ],
        "totals": (163,),
        "keys": [("LS_DL", "THCS")],
    },
    6: {
        "title": ["SỐ LƯỢNG GV TRUNG HỌC CƠ SỞ", "ĐĂNG KÝ BỒI DƯỠNG GV DẠY MÔN KHOA HỌC TỰ NHIÊN NĂM 2024"],
        "unit_header": "Quận/huyện",
        "headers": ["Số lượng"],
        "rows": [
            ("An Dương", 0), ("An Lão", 13), ("Cát Hải", 2), ("Dương Kinh", 19), ("Đồ Sơn", 5),
            ("Hải An", 9), ("Hồng Bàng", 9), ("Kiến An", 12), ("Kiến Thụy", 16), ("Lê Chân", 1),
            ("Ngô Quyền", 28), ("Thủy Nguyên", 27), ("Tiên Lãng", 8), ("Vĩnh Bảo", 12),
        ],
        "totals": (161,),
        "keys": [("KHTN", "THCS")],
    },
}


def document_counts() -> dict[tuple[str, str, str], int]:
    """(unit, topic, level) -> headcount, from the document; blank cells are zero."""
    counts = {}
    for appendix in APPENDICES.values():
        for unit, *values in appendix["rows"]:
            for (topic, level), value in zip(appendix["keys"], values):
                counts[(unit, topic, level)] = value or 0
    return counts

"""Tables laid out the way district and commune offices lay them out (issue: every number
accounted for). Each class of layout: what is booked, what is checked, what holds the file back.

Expected figures are the ones the test writes into the file; the sums are computed here.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import check
from workbooks import convert_with_libreoffice, write_csv_rows, write_rows

TITLE = "TỔNG HỢP ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM NĂM 2026"
needs_libreoffice = pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")


def _booked(registrations) -> dict[tuple[str, str], int]:
    """(unit, level) -> headcount of the non-zero registrations."""
    return {(unit, level): int(count) for unit, level, count in registrations[["unit", "level", "headcount"]].values if count}


def _problems(issues, severity: str | None = None) -> list[tuple[str, str]]:
    rows = issues if severity is None else issues[issues["severity"] == severity]
    return list(zip(rows["cell"], rows["problem"]))


def _ledger(files) -> tuple[int, int, int, int]:
    row = files.iloc[0]
    return int(row["cells_booked"]), int(row["cells_checked"]), int(row["cells_set_aside"]), int(row["sum_booked"])


# ---------------------------------------------------------------- group rows


GROUPED = [
    [TITLE],
    ["STT", "Đơn vị", "MN", "TH", "THCS"],
    ["I", "Thủy Nguyên (cũ)", 10, 8, 5],
    [1, "Phường Thủy Nguyên", 4, 3, 2],
    [2, "Phường Bạch Đằng", 6, 5, 3],
    ["II", "Huyện An Lão (cũ)", 7, 7, 1],
    [3, "Xã An Lão", 7, 7, 1],
    [None, "Tổng cộng", 17, 15, 6],
]
COMMUNES = {("Thủy Nguyên", "MN"): 4, ("Thủy Nguyên", "TH"): 3, ("Thủy Nguyên", "THCS"): 2, ("Bạch Đằng", "MN"): 6, ("Bạch Đằng", "TH"): 5, ("Bạch Đằng", "THCS"): 3, ("An Lão", "MN"): 7, ("An Lão", "TH"): 7, ("An Lão", "THCS"): 1}


def test_group_rows_heading_their_units_are_checked_never_booked(inputs: Path):
    write_rows(inputs / "registrations" / "tong_hop.xlsx", GROUPED)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"]
    assert _booked(registrations) == COMMUNES  # "Thủy Nguyên (cũ)" is a group's subtotal, not the ward
    assert sum(COMMUNES.values()) == 17 + 15 + 6
    assert [cell for cell, _ in _problems(issues, "cảnh báo")] == ["B3", "B6"]
    assert "dòng cộng của nhóm các dòng 4–5" in issues["problem"].iloc[0]
    # 9 unit cells booked; 6 subtotal cells and 3 total cells checked; nothing set aside
    assert _ledger(files) == (9, 9, 0, 38)


def test_group_rows_closing_their_units_without_a_total_word(inputs: Path):
    rows = [
        [TITLE],
        ["STT", "Đơn vị", "MN", "TH"],
        [1, "Phường Thủy Nguyên", 4, 3],
        [2, "Phường Bạch Đằng", 6, 5],
        ["A", "Thủy Nguyên", 10, 8],
        [3, "Xã An Lão", 7, 7],
        [4, "Xã Tiên Lãng", 1, 2],
        ["B", "An Lão, Tiên Lãng", 8, 9],
    ]
    write_rows(inputs / "registrations" / "tong_hop.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"]
    assert _booked(registrations) == {("Thủy Nguyên", "MN"): 4, ("Thủy Nguyên", "TH"): 3, ("Bạch Đằng", "MN"): 6, ("Bạch Đằng", "TH"): 5, ("An Lão", "MN"): 7, ("An Lão", "TH"): 7, ("Tiên Lãng", "MN"): 1, ("Tiên Lãng", "TH"): 2}


def test_a_row_that_may_be_a_group_or_a_unit_holds_the_file_back(inputs: Path):
    # Thủy Nguyên's 10 is the sum of the two wards under it, and Thủy Nguyên is a ward itself:
    # without a total or a group mark nobody can tell whether its people are counted twice.
    rows = [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Phường Thủy Nguyên", 10], [2, "Phường Bạch Đằng", 4], [3, "Phường Lưu Kiếm", 6]]
    write_rows(inputs / "registrations" / "tong_hop.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert _problems(issues, "lỗi") == [("B3", issues["problem"].iloc[0])]
    assert "có thể là dòng cộng của một nhóm" in issues["problem"].iloc[0]
    assert 'thêm dòng "Tổng cộng" cộng mọi dòng' in issues["fix"].iloc[0]  # what makes it clear: the next test


def test_a_flat_list_whose_total_counts_every_row_has_no_group(inputs: Path):
    rows = [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Phường Thủy Nguyên", 10], [2, "Phường Bạch Đằng", 4], [3, "Phường Lưu Kiếm", 6], ["Tổng số", None, 20]]
    write_rows(inputs / "registrations" / "tong_hop.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert issues.empty and files["status"].tolist() == ["chấp nhận"]
    assert _booked(registrations) == {("Thủy Nguyên", "MN"): 10, ("Bạch Đằng", "MN"): 4, ("Lưu Kiếm", "MN"): 6}


# ---------------------------------------------------------------- split level columns


def _split_file(path: Path, second_row: list[str], rows: list[list], merged: tuple[str, ...]) -> Path:
    head = [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"], ["Đơn vị: Phường Lê Chân"], []]
    header = ["TT", "Nội dung", "Mầm non", None, "Tiểu học", None]
    return write_rows(path, head + [header, [None, None, *second_row]] + rows, merged=("A4:A5", "B4:B5", *merged))


def test_a_level_split_into_its_total_and_an_of_which_part_books_the_total(inputs: Path):
    rows = [[1, "STEM/STEAM", 12, 3, 8, 8], [2, "Tích hợp AI trong quản trị nhà trường", 5, 5, 4, 1]]
    _split_file(inputs / "registrations" / "le_chan.xlsx", ["Tổng số", "Trong đó: CBQL", "Tổng số", "Trong đó: Nữ"], rows, ("C4:D4", "E4:F4"))
    registrations, issues, files = check(inputs)
    assert issues.empty, issues.to_string()
    assert sorted(registrations[["topic", "level", "headcount", "source_cell"]].values.tolist()) == [
        ["BD02", "MN", 5, "C7"], ["BD02", "TH", 4, "E7"], ["BD05", "MN", 12, "C6"], ["BD05", "TH", 8, "E6"],
    ]
    assert _ledger(files) == (4, 4, 0, 29)  # the four "of which" cells checked, never booked


def test_an_of_which_part_above_its_total_holds_the_file_back(inputs: Path):
    rows = [[1, "STEM/STEAM", 12, 13, 8, 8]]
    _split_file(inputs / "registrations" / "le_chan.xlsx", ["Tổng số", "Trong đó: CBQL", "Tổng số", "Trong đó: Nữ"], rows, ("C4:D4", "E4:F4"))
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"]
    assert [(cell, value) for cell, value in zip(issues["cell"], issues["value"])] == [("D6", "13")]
    assert "nhiều hơn tổng số 12 của cấp MN" in issues["problem"].iloc[0]


def test_disjoint_groups_are_added_with_every_source_cell(inputs: Path):
    rows = [[1, "STEM/STEAM", 2, 10, 1, 7], [2, "Tích hợp AI trong quản trị nhà trường", 3, None, 2, None]]
    _split_file(inputs / "registrations" / "le_chan.xlsx", ["CBQL", "GV", "CBQL", "GV"], rows, ("C4:D4", "E4:F4"))
    registrations, issues, files = check(inputs)
    assert issues.empty, issues.to_string()
    assert sorted(registrations[["topic", "level", "headcount", "source_cell"]].values.tolist()) == [
        ["BD02", "MN", 3, "C7+D7"], ["BD02", "TH", 2, "E7+F7"], ["BD05", "MN", 12, "C6+D6"], ["BD05", "TH", 8, "E6+F6"],
    ]
    assert "gửi nhiều lần" not in " ".join(issues["problem"])
    assert _ledger(files) == (6, 0, 0, 25)


def test_two_columns_of_one_level_that_cannot_be_told_apart_hold_the_file_back(inputs: Path):
    rows = [[1, "STEM/STEAM", 2, 10, 1, 7]]
    _split_file(inputs / "registrations" / "le_chan.xlsx", ["Công lập", "Tư thục", "Công lập", "Tư thục"], rows, ("C4:D4", "E4:F4"))
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    problems = issues["problem"].tolist()
    assert len(problems) == 2 and all("được tách thành nhiều cột" in text for text in problems)
    assert "gửi nhiều lần" not in " ".join(problems)
    assert _ledger(files)[2] == 4  # all four cells set aside, with the reason in the report


def test_a_level_given_only_as_an_of_which_part_holds_the_file_back(inputs: Path):
    rows = [[TITLE.replace(" STEM/STEAM", " STEM/STEAM")], ["Đơn vị: Phường Lê Chân"], ["TT", "Nội dung", "MN", "Trong đó nữ"], [1, "STEM/STEAM", 4, 3]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    # "Trong đó nữ" stands after MN: a part of the row, checked against it
    assert files["status"].tolist() == ["chấp nhận"] and _booked(registrations) == {("Lê Chân", "MN"): 4}
    rows[-2] = ["TT", "Nội dung", "MN trong đó nữ", "TH"]
    rows[-1] = [1, "STEM/STEAM", 3, 2]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"]
    assert any("chỉ có cột \"trong đó\"" in text for text in issues["problem"])


def test_a_level_typed_as_its_parts_nha_tre_and_mau_giao_is_added(inputs: Path):
    rows = [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "Nhà trẻ", "Mẫu giáo", "Tiểu học"], [1, "STEM/STEAM", 2, 5, 3]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, _ = check(inputs)
    assert issues.empty, issues.to_string()
    assert _booked(registrations) == {("An Lão", "MN"): 7, ("An Lão", "TH"): 3}


# ---------------------------------------------------------------- totals


def test_a_total_of_zero_under_rows_that_add_up_to_more_holds_the_file_back(inputs: Path):
    rows = [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", 120], [2, "Phường Lê Chân", 41], ["Tổng số", None, 0]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    _, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"]
    assert list(zip(issues["cell"], issues["problem"])) == [("C5", "Dòng tổng ghi 0 nhưng cộng các dòng được 161")]


def test_a_row_total_column_is_checked_against_the_levels(inputs: Path):
    rows = [[TITLE], ["STT", "Đơn vị", "MN", "TH", "Tổng số"], [1, "Xã An Lão", 3, 4, 7], [2, "Phường Lê Chân", 1, 1, 3]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    _, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"]
    assert list(issues["cell"]) == ["E4"] and "cộng các cấp học của dòng 4 được 2" in issues["problem"].iloc[0]


# ---------------------------------------------------------------- what a clerk finds clear


def test_a_unit_name_merged_over_its_rows_names_each_row(inputs: Path):
    rows = [
        ["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"],
        ["STT", "Đơn vị", "Nội dung", "MN", "TH"],
        [1, "Xã An Lão", "STEM/STEAM", 2, 3],
        [None, None, "Tích hợp AI trong quản trị nhà trường", 1, 1],
        [2, "Phường Lê Chân", "STEM/STEAM", 4, None],
    ]
    write_rows(inputs / "registrations" / "x.xlsx", rows, merged=("A3:A4", "B3:B4"))
    registrations, issues, _ = check(inputs)
    assert issues.empty, issues.to_string()
    assert registrations.groupby("unit")["headcount"].sum().to_dict() == {"An Lão": 7, "Lê Chân": 4}


@pytest.mark.parametrize(("typed", "unit", "kind_then"), [("Quận An Dương", "An Dương", "quận"), ("Thành phố Thủy Nguyên", "Thủy Nguyên", "thành phố")])
def test_a_unit_named_with_its_kind_of_the_next_year_is_accepted_with_a_warning(inputs: Path, typed: str, unit: str, kind_then: str):
    rows = [["SỐ LƯỢNG GV TRUNG HỌC CƠ SỞ ĐĂNG KÝ BỒI DƯỠNG GV DẠY MÔN KHOA HỌC TỰ NHIÊN NĂM 2024"], ["STT", "Quận/huyện", "Số lượng"], [1, typed, 9], [2, "Huyện An Lão", 4]]
    write_rows(inputs / "registrations" / "khtn.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"]
    assert _booked(registrations) == {(unit, "THCS"): 9, ("An Lão", "THCS"): 4}
    assert list(zip(issues["cell"], issues["severity"])) == [("B3", "cảnh báo")]
    assert f"\"{kind_then}\" là loại đơn vị của năm 2025" in issues["problem"].iloc[0] and "là huyện" in issues["problem"].iloc[0]


def test_a_unit_of_another_kind_and_territory_is_still_rejected_in_display_words(inputs: Path):
    rows = [[TITLE], ["Đơn vị: Huyện Thủy Nguyên"], ["TT", "Nội dung", "MN"], [1, "STEM/STEAM", 1]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    _, issues, _ = check(inputs)
    fix = issues["fix"].iloc[0]
    assert "(năm 2026 \"Thủy Nguyên\" là phường, không phải huyện)" in fix
    for text in (fix, issues["problem"].iloc[0]):
        assert unicodedata.is_normalized("NFC", text) and "huyêṇ" not in text and "\u0323" not in text


SHEET_ROWS = {"P. An Phong": [("An Phong", 4, 5)], "P. An Hải": [("An Hải", 3, 6)]}  # sheet: (ward, MN, TH)


def _cluster_file(path: Path, summary_title: str | None, suffix_words: str = "(cũ)") -> None:
    """A cluster's workbook as the former district's office sends it: a sheet per ward, and
    (``summary_title``) a first sheet adding them up, titled with the former district."""
    sheets = {}
    for sheet, wards in SHEET_ROWS.items():
        rows = [[f"{TITLE}"], [f"Đơn vị: Phường {wards[0][0]}"], ["TT", "Nội dung", "MN", "TH"], [1, "STEM/STEAM", wards[0][1], wards[0][2]]]
        sheets[sheet] = rows
    if summary_title is None:
        first, *others = sheets
        write_rows(path, sheets[first], sheet=first, more_sheets={name: sheets[name] for name in others})
        return
    mn = sum(wards[0][1] for wards in SHEET_ROWS.values())
    th = sum(wards[0][2] for wards in SHEET_ROWS.values())
    summary = [[summary_title.format(suffix_words)], ["TT", "Nội dung", "MN", "TH"], [1, "STEM/STEAM", mn, th]]
    write_rows(path, summary, sheet="TH", more_sheets=sheets)


@pytest.mark.parametrize("title", ["TỔNG HỢP ĐĂNG KÝ NĂM 2026 CỤM AN DƯƠNG {}", "Tổng hợp năm 2026 - Quận An Dương {}"])
@pytest.mark.parametrize("former", ["(cũ)", "cũ", "(CU)", "trước sắp xếp"])
def test_a_sheet_titled_with_a_former_unit_is_never_booked_to_todays_unit_of_that_name(inputs: Path, title: str, former: str):
    _cluster_file(inputs / "registrations" / "cum_an_duong.xlsx", title, former)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"]  # the summary's people are nobody's: never counted twice
    assert "An Dương" not in set(registrations["unit"])
    problem = issues[issues["sheet"] == "TH"]
    assert len(problem) == 1 and problem["severity"].iloc[0] == "lỗi"
    assert "là đơn vị trước khi sắp xếp, không phải An Dương của năm 2026" in problem["fix"].iloc[0]


def test_the_same_wards_without_the_former_districts_sheet_are_accepted(inputs: Path):
    _cluster_file(inputs / "registrations" / "cum_an_duong.xlsx", None)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and issues.empty, issues.to_string()
    expected = {(wards[0][0], level): count for wards in SHEET_ROWS.values() for level, count in zip(("MN", "TH"), wards[0][1:])}
    assert _booked(registrations) == expected


@pytest.mark.parametrize("typed", ["Trường THPT Ngô Quyền", "THPT Lê Chân", "Trường Mầm non Lê Chân", "Trường Tiểu học Ngô Quyền"])
def test_a_school_named_after_a_ward_is_not_that_ward(inputs: Path, typed: str):
    rows = [[TITLE], [f"Đơn vị: {typed}"], ["TT", "Nội dung", "MN", "TH"], [1, "STEM/STEAM", 2, 3]]
    write_rows(inputs / "registrations" / "truong.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert issues["cell"].tolist() == ["A2"] and "là tên một trường, không phải phường" in issues["fix"].iloc[0]


def test_a_school_in_a_ward_named_with_the_wards_kind_is_the_wards(inputs: Path):
    rows = [[TITLE], ["Đơn vị: Trường Mầm non Hoa Sen, phường Lê Chân"], ["TT", "Nội dung", "MN", "TH"], [1, "STEM/STEAM", 2, 3]]
    write_rows(inputs / "registrations" / "hoa_sen.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"]
    assert _booked(registrations) == {("Lê Chân", "MN"): 2, ("Lê Chân", "TH"): 3}
    assert issues["severity"].tolist() == ["cảnh báo"]  # a name inside longer text: to confirm


def test_an_exported_form_whose_formulas_were_never_computed_holds_the_file_back(inputs: Path):
    """A program wrote the level as a formula and saved 0 as its result (xlsxwriter does):
    the people behind it are not lost as zeros; the file is held back naming each cell."""
    import xlsxwriter

    path = inputs / "registrations" / "xuat_tu_phan_mem.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Đăng ký")
    sheet.write_row(0, 0, [TITLE])
    sheet.write_row(1, 0, ["Đơn vị: Phường Lê Chân"])
    sheet.write_row(3, 0, ["TT", "Nội dung", "MN", "TH", "THCS"])
    sheet.write_row(4, 0, [1, "STEM/STEAM"])
    sheet.write_formula(4, 2, "=3+4")
    sheet.write_formula(4, 3, "=2+2")
    sheet.write_number(4, 4, 5)
    workbook.close()
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert list(zip(issues["cell"], issues["value"])) == [("C5", "=3+4"), ("D5", "=2+2")]
    assert all("không lưu giá trị đã tính" in problem for problem in issues["problem"])


def test_a_code_beside_a_name_of_another_programme_is_never_chosen_between(inputs: Path):
    rows = [[TITLE.replace("THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM ", "")], ["Đơn vị: Phường Lê Chân"], ["TT", "Mã", "Nội dung", "MN", "TH"],
            [1, "BD05", "Tích hợp AI trong quản trị nhà trường", 3, 4], [2, "BD05", "Thiết kế và triển khai giáo dục STEM/STEAM", 1, 2]]
    write_rows(inputs / "registrations" / "le_chan.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert sorted(set(issues["cell"])) == ["C4"]  # the row whose code and name agree is no problem
    assert 'mã BD05 là BD05 "Thiết kế và triển khai giáo dục STEM/STEAM", còn tên là BD02' in issues["fix"].iloc[0]


@pytest.mark.parametrize(("merged", "cell"), [(("D5:E5",), "D5"), (("C5:C6",), "C5"), (("C7:E7",), "C7")])
def test_a_number_merged_over_several_cells_is_never_given_to_one_of_them(inputs: Path, merged: tuple[str, ...], cell: str):
    """10 merged over TH and THCS, 6 over two topics, a total merged over the three levels:
    which level or topic the people are is not for the reader to guess."""
    rows = [[TITLE.replace("THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM ", "")], ["Đơn vị: Phường Lê Chân"], [], ["TT", "Nội dung", "MN", "TH", "THCS"],
            [1, "STEM/STEAM", 6, 10, None], [2, "Tích hợp AI trong quản trị nhà trường", None, 1, 2], [None, "Tổng số", 19, None, None]]
    write_rows(inputs / "registrations" / "le_chan.xlsx", rows, merged=merged)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    named = issues[issues["problem"].str.contains("nằm trong ô gộp")]
    assert named["cell"].tolist() == [cell] and f"ô gộp {merged[0]}" in named["problem"].iloc[0]


def test_merged_header_and_label_cells_are_no_merged_numbers(inputs: Path):
    rows = [[TITLE], ["STT", "Đơn vị", "Số lượng", None], [None, None, "MN", "TH"], [1, "Xã An Lão", 3, 4], [None, "Tổng cộng", 3, 4]]
    write_rows(inputs / "registrations" / "an_lao.xlsx", rows, merged=("A1:D1", "C2:D2", "A2:A3", "B2:B3"))
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and issues.empty, issues.to_string()
    assert _booked(registrations) == {("An Lão", "MN"): 3, ("An Lão", "TH"): 4}


def test_a_column_of_another_year_is_never_booked_to_the_tables_year(inputs: Path):
    """A 2026 form whose THCS column sits under "Năm 2027": its people are 2027's, not 2026's."""
    rows = [[TITLE.replace("THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM ", "")], ["Đơn vị: Phường Lê Chân"], ["TT", "Nội dung", "Năm 2026", None, "Năm 2027"],
            [None, None, "MN", "TH", "THCS"], [1, "STEM/STEAM", 3, 4, 6], [2, "Tích hợp AI trong quản trị nhà trường", 1, 2, 5]]
    write_rows(inputs / "registrations" / "le_chan.xlsx", rows, merged=("C3:D3", "A3:A4", "B3:B4"))
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert list(zip(issues["cell"], issues["problem"])) == [("E4", 'Cột "Năm 2027 THCS" ghi năm 2027, khác năm 2026 của bảng: số liệu của cột không được tính vào năm 2026')]
    assert _ledger(files) == (4, 0, 2, 10)  # the 2027 cells set aside, never booked to 2026


def test_a_school_year_or_a_circulars_year_in_a_header_is_no_other_year(inputs: Path):
    rows = [[TITLE], ["STT", "Đơn vị", "Số GV năm học 2025-2026", "Theo Thông tư 31/2017"], [None, None, "MN", "TH"], [1, "Xã An Lão", 3, 4]]
    write_rows(inputs / "registrations" / "an_lao.xlsx", rows, merged=("A2:A3", "B2:B3"))
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and issues.empty, issues.to_string()
    assert _booked(registrations) == {("An Lão", "MN"): 3, ("An Lão", "TH"): 4}


def test_titles_headers_and_topics_typed_without_marks_are_read(inputs: Path):
    rows = [
        ["DANG KY DAO TAO, BOI DUONG CBQL, GV NAM 2026"],
        ["Don vi: Phuong Le Chan"],
        ["STT", "Noi dung", "Mam non", "Tieu hoc", "Ghi chu"],
        [1, "Thiet ke va trien khai giao duc STEM/STEAM", 3, 2, None],
        [2, "Tich hop AI trong quan tri nha truong", 1, None, None],
    ]
    write_rows(inputs / "registrations" / "le_chan.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"]
    assert sorted(registrations[registrations["headcount"] > 0][["unit", "topic", "level", "headcount"]].values.tolist()) == [
        ["Lê Chân", "BD02", "MN", 1], ["Lê Chân", "BD05", "MN", 3], ["Lê Chân", "BD05", "TH", 2],
    ]
    assert set(issues["severity"]) == {"cảnh báo"}  # each guess named for a person to confirm


# ---------------------------------------------------------------- topics: spelling, never meaning


def test_a_topic_with_a_mistyped_letter_is_read_with_a_warning(inputs: Path):
    rows = [[TITLE.replace("THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM", "")], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN"], [1, "Bồi dưỡng năng lực đánh giá học sinh theo định hướng phát triễn năng lực và phẩm chấ", 4]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and _booked(registrations) == {("An Lão", "MN"): 4}
    assert list(issues["severity"]) == ["cảnh báo"] and "đã hiểu là BD04" in issues["problem"].iloc[0]


@pytest.mark.parametrize(
    "typed",
    [
        "Bồi dưỡng năng lực đánh giá giáo viên theo định hướng phát triển năng lực và phẩm chất",  # another noun
        "Kỹ năng nghiên cứu khoa học xã hội ứng dụng",  # "sư phạm" became "xã hội"
        "Dạy học phân hóa, liên môn",  # "tích hợp" became "phân hóa"
        "Thiết kế và triển khai giáo dục hướng nghiệp",  # STEM/STEAM became "hướng nghiệp"
    ],
)
def test_a_topic_that_differs_by_a_word_is_never_guessed(inputs: Path, typed: str):
    rows = [["ĐĂNG KÝ BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN"], [1, typed, 4]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert list(zip(issues["cell"], issues["severity"])) == [("B4", "lỗi")]
    assert "không có trong danh mục" in issues["problem"].iloc[0] and "aliases.csv" in issues["fix"].iloc[0]


# ---------------------------------------------------------------- numbers in another locale


@pytest.mark.parametrize(
    ("delimiter", "typed", "other", "verdict"),
    [
        # Another number of the file that reads one way only decides the style.
        (";", "1,250", "2.000,0", "fraction"),  # Vietnamese: 1,250 is 1.25
        (";", "1.250", "2.000,0", 1250),
        (",", "1,250", "2,000.0", 1250),  # English, the value quoted by Excel
        (",", "1.250", "2,000.0", "fraction"),
        ("\t", "1.250", "2.000,0", 1250),
        # Nothing in the file says which: the field separator does not either (Google Sheets
        # and LibreOffice write "," in every regional setting). These four once took the
        # separator's word (";" Vietnamese, "," English), which booked "12.000" as 12.
        (";", "1,250", "3", "ambiguous"),
        (";", "1.250", "3", "ambiguous"),
        (",", "1,250", "3", "ambiguous"),
        (",", "1.250", "3", "ambiguous"),
        ("\t", "1,250", "3", "ambiguous"),
    ],
)
def test_a_csv_reads_its_numbers_in_its_own_style(inputs: Path, delimiter: str, typed: str, other: str, verdict):
    rows = [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", typed], [2, "Phường Lê Chân", other]]
    write_csv_rows(inputs / "registrations" / "x.csv", rows, delimiter=delimiter, bom=True)
    registrations, issues, files = check(inputs)
    if isinstance(verdict, int):
        assert issues.empty and _booked(registrations) == {("An Lão", "MN"): verdict, ("Lê Chân", "MN"): 2000}
        return
    assert files["status"].tolist() == ["bị từ chối"]
    assert list(issues["cell"]) == ["C3"]
    words = "không phải là số nguyên" if verdict == "fraction" else "Không rõ"
    assert words in issues["problem"].iloc[0]


_BD01 = "Chuyển đổi số và ứng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học"
_BD05 = "Thiết kế và triển khai giáo dục STEM/STEAM"


def _form_rows(unit: str, first: list, second: list) -> list[list]:
    """A unit's 2026 form: two programmes (BD01, BD05), a column per level MN, TH, THCS."""
    return [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"], [f"Đơn vị: {unit}"], [], ["TT", "Nội dung", "MN", "TH", "THCS"], [1, _BD01, *first], [2, _BD05, *second]]


def _booked_by_topic(registrations, unit: str) -> dict[tuple[str, str], int]:
    part = registrations[registrations["unit"] == unit]
    return {(topic, level): int(count) for topic, level, count in part[["topic", "level", "headcount"]].values}


def test_vietnamese_thousands_in_a_comma_csv_with_nothing_to_tell_the_style_are_held_back(inputs: Path):
    # "12.000" is twelve thousand as a Vietnamese office types it (and as Google Sheets writes
    # it, with "," between fields, in Vietnamese settings); it was booked as 12 and "2.000" as 2.
    folder = inputs / "registrations"
    first, second = [5, "12.000", 7], [1, "2.000", 3]
    write_csv_rows(folder / "le_chan.csv", _form_rows("Phường Lê Chân", first, second), bom=True)
    write_rows(folder / "ngo_quyen.xlsx", _form_rows("Phường Ngô Quyền", first, second))  # the same text in a workbook
    write_csv_rows(folder / "an_lao.csv", _form_rows("Xã An Lão", [5, "12", 7], [1, "2", 3]), bom=True)  # reads alike in both styles
    registrations, issues, files = check(inputs)
    assert files.set_index("file")["status"].to_dict() == {"an_lao.csv": "chấp nhận", "le_chan.csv": "bị từ chối", "ngo_quyen.xlsx": "chấp nhận"}
    assert "Lê Chân" not in set(registrations["unit"])
    assert list(zip(issues["file"], issues["cell"], issues["value"], issues["severity"])) == [("le_chan.csv", "D5", "12.000", "lỗi"), ("le_chan.csv", "D6", "2.000", "lỗi")]
    assert all(problem.startswith(f'Không rõ "{value}"') for value, problem in zip(issues["value"], issues["problem"]))
    levels = ("MN", "TH", "THCS")
    thousands = {"12.000": 12 * 1000, "2.000": 2 * 1000}
    assert _booked_by_topic(registrations, "Ngô Quyền") == {("BD01", level): thousands.get(value, value) for level, value in zip(levels, first)} | {("BD05", level): thousands.get(value, value) for level, value in zip(levels, second)}
    assert _booked_by_topic(registrations, "An Lão") == {("BD01", level): int(value) for level, value in zip(levels, [5, "12", 7])} | {("BD05", level): int(value) for level, value in zip(levels, [1, "2", 3])}


@pytest.mark.parametrize(
    ("decides", "thousands"),
    [("1.250,0", {"1.250,0": 1250, "12.000": 12000}), ("1,250.0", {"1,250.0": 1250, "12.000": 12})],
    ids=["vietnamese", "english"],
)
def test_a_number_that_reads_one_way_only_sets_the_style_of_its_comma_csv(inputs: Path, decides: str, thousands: dict[str, int]):
    write_csv_rows(inputs / "registrations" / "le_chan.csv", _form_rows("Phường Lê Chân", [decides, "12.000", 7], [1, 2, 3]), bom=True)
    registrations, issues, files = check(inputs)
    assert issues.empty and files["status"].tolist() == ["chấp nhận"]
    assert _booked_by_topic(registrations, "Lê Chân") == {
        ("BD01", "MN"): thousands[decides], ("BD01", "TH"): thousands["12.000"], ("BD01", "THCS"): 7,
        ("BD05", "MN"): 1, ("BD05", "TH"): 2, ("BD05", "THCS"): 3,
    }


def test_a_vietnamese_csv_with_decimal_commas_elsewhere_reads_dots_as_thousands(inputs: Path):
    rows = [[TITLE], ["STT", "Đơn vị", "MN", "Ghi chú"], [1, "Xã An Lão", "1.250", "tỷ lệ 2,5%"], [2, "Phường Lê Chân", "2,5", None]]
    write_csv_rows(inputs / "registrations" / "x.csv", rows, delimiter=";")
    registrations, issues, files = check(inputs)
    assert list(issues["cell"]) == ["C4"] and "không phải là số nguyên" in issues["problem"].iloc[0]


# ---------------------------------------------------------------- every format


@needs_libreoffice
@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_layouts_read_alike_in_every_format(inputs: Path, tmp_path: Path, suffix: str):
    source = write_rows(tmp_path / "tong_hop.xlsx", GROUPED)
    split = _split_file(tmp_path / "le_chan.xlsx", ["CBQL", "GV", "CBQL", "GV"], [[1, "STEM/STEAM", 2, 10, 1, 7]], ("C4:D4", "E4:F4"))
    convert_with_libreoffice([source, split], suffix, inputs / "registrations")
    registrations, issues, files = check(inputs)
    assert set(files["status"]) == {"chấp nhận"}, issues.to_string()
    booked = _booked(registrations)
    assert {key: value for key, value in booked.items() if key[0] != "Lê Chân"} == COMMUNES
    assert booked[("Lê Chân", "MN")] == 12 and booked[("Lê Chân", "TH")] == 8


# ---------------------------------------------------------------- errors, dates, hidden places, links


def _error_workbook(path: Path) -> Path:
    """A compiled table as Excel saves it after a row was deleted: a #REF! in a count, a
    typed #N/A, a total over them that is an error too, and a count turned into a date."""
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [[TITLE], ["STT", "Đơn vị", "MN", "TH"], [1, "Xã An Lão", 3, 4], [2, "Phường Lê Chân", "#REF!", 2], [3, "Xã Tiên Lãng", "#N/A", dt.datetime(1900, 1, 7)], ["Tổng số", None, "#REF!", 13]]:
        sheet.append(row)
    for address in ("C4", "C5", "C6"):
        sheet[address].data_type = "e"  # the saved value is an error, as Excel writes it
    sheet["D5"].number_format = "dd/mm/yyyy"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def test_error_values_and_dates_are_no_numbers(inputs: Path):
    _error_workbook(inputs / "registrations" / "loi.xlsx")
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    found = {(cell, value) for cell, value in zip(issues["cell"], issues["value"])}
    assert {("C4", "#REF!"), ("C5", "#N/A"), ("C6", "#REF!")} <= found
    assert any(cell == "D5" and "ngày tháng" in problem for cell, problem in zip(issues["cell"], issues["problem"]))
    assert all("giá trị lỗi" in problem for cell, problem in zip(issues["cell"], issues["problem"]) if cell in ("C4", "C5", "C6"))


@needs_libreoffice
@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_error_values_from_libreoffice_files_are_no_numbers(inputs: Path, tmp_path: Path, suffix: str):
    rows = [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", "=1/0"], [2, "Phường Lê Chân", "=NA()"], [3, "Xã Tiên Lãng", 4]]
    source = write_rows(tmp_path / "loi.xlsx", rows)
    convert_with_libreoffice([source], suffix, inputs / "registrations")
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert {"C3", "C4"} <= set(issues["cell"]) and all("giá trị lỗi" in text for text in issues.loc[issues["cell"].isin(["C3", "C4"]), "problem"])


def test_a_problem_in_a_hidden_row_or_sheet_says_so(inputs: Path):
    rows = [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", 3], [2, "Xã Không Có", 4]]
    write_rows(inputs / "registrations" / "an_dong.xlsx", rows, hidden_rows=(4,))
    import openpyxl

    path = write_rows(inputs / "registrations" / "an_sheet.xlsx", [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Phường Lê Chân", 5]])
    workbook = openpyxl.load_workbook(path)
    hidden = workbook.create_sheet("Bản cũ")
    for row in [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Xã Tiên Lãng", -2]]:
        hidden.append(row)
    hidden.sheet_state = "hidden"
    workbook.save(path)
    _, issues, _ = check(inputs)
    assert list(zip(issues["file"], issues["cell"])) == [("an_dong.xlsx", "B4"), ("an_sheet.xlsx", "C3")]
    assert "(dòng ẩn)" in issues["problem"].iloc[0] and "(trang tính ẩn)" in issues["problem"].iloc[1]


def test_a_total_that_leaves_out_a_hidden_row_names_the_hidden_row(inputs: Path):
    """A SUBTOTAL(109) leaves hidden rows out; the rows are read all the same, so the total
    does not add up: the message says which hidden rows are in the sum."""
    rows = [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", 3], [2, "Xã An Trường", 4], [3, "Xã An Quang", 2], [None, "Tổng cộng", 5]]
    write_rows(inputs / "registrations" / "an_lao.xlsx", rows, hidden_rows=(4,))
    _, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"]
    errors = issues[issues["severity"] == "lỗi"]
    assert list(zip(errors["cell"], errors["problem"])) == [("C6", "Dòng tổng ghi 5 nhưng cộng các dòng được 9, kể cả dòng ẩn 4")]
    # and the hidden figure itself is named, as in an accepted file
    assert issues.loc[issues["severity"] == "cảnh báo", "problem"].tolist() == ["Có số liệu ở dòng ẩn 4 (ô C4): được tính như các ô không ẩn"]


def test_a_link_out_of_the_inputs_is_never_opened(inputs: Path, tmp_path: Path):
    outside = write_rows(tmp_path / "elsewhere" / "le_chan.xlsx", [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Phường Lê Chân", 99]])
    (inputs / "registrations" / "le_chan.xlsx").symlink_to(outside)
    (inputs / "registrations" / "passwd.csv").symlink_to("/etc/passwd")
    (inputs / "registrations" / "thu_muc").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    write_rows(inputs / "registrations" / "an_lao.xlsx", [[TITLE], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", 3]])
    registrations, issues, files = check(inputs)
    assert _booked(registrations) == {("An Lão", "MN"): 3}
    statuses = dict(zip(files["file"], files["status"]))
    assert statuses == {"an_lao.xlsx": "chấp nhận", "le_chan.xlsx": "bị từ chối", "passwd.csv": "bị từ chối", "thu_muc": "bị từ chối"}
    assert "root:" not in " ".join(issues["value"]) + " ".join(issues["problem"])


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_groups_over_the_levels_are_added_per_level(inputs: Path, suffix: str):
    """"Cán bộ quản lý" and "Giáo viên" on top, the levels under each: each level's two groups added."""
    rows = [[TITLE], ["STT", "Đơn vị", "Cán bộ quản lý", None, "Giáo viên", None], [None, None, "MN", "TH", "MN", "TH"],
            [1, "Xã An Lão", 4, 3, 10, 20], [2, "Phường Lê Chân", 1, 0, 5, 6]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows, merged=("C2:D2", "E2:F2", "A2:A3", "B2:B3")) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert _booked(registrations) == {("An Lão", "MN"): 4 + 10, ("An Lão", "TH"): 3 + 20, ("Lê Chân", "MN"): 1 + 5, ("Lê Chân", "TH"): 0 + 6}
    assert set(registrations["source_cell"]) >= {"C4+E4", "D4+F4"}


@pytest.mark.parametrize(("header", "level"), [("TTGDNN-GDTX", "GDNN"), ("TTGDNN&GDTX", "GDNN"), ("TT GDNN-GDTX", "GDNN"), ("TTGDTX", "GDTX"), ("TTGDNN", "GDNN")])
def test_a_centre_s_abbreviation_names_its_level(inputs: Path, header: str, level: str):
    """"TTGDNN-GDTX" is the combined centre's (GDNN), not a GDTX column with a word more."""
    rows = [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"], ["Đơn vị: Phường Lê Chân"], ["TT", "Nội dung", "THPT", header], [1, "STEM/STEAM", 5, 6]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert _booked(registrations) == {("Lê Chân", "THPT"): 5, ("Lê Chân", level): 6}


UNHEADED_NUMBERING = {
    "1, 2, 3": [[1, "Xã An Lão", 4, 3], [2, "Phường Lê Chân", 1, 0], [3, "Phường Hải An", 2, 5]],
    "numbered under groups": [["I", "An Lão (cũ)", 4, 3], [1, "Xã An Lão", 4, 3], ["II", "Lê Chân (cũ)", 3, 5], [1, "Phường Lê Chân", 1, 0], [2, "Phường Hải An", 2, 5]],
    "numbered as text": [["1.", "Xã An Lão", 4, 3], ["2.", "Phường Lê Chân", 1, 0], ["3.", "Phường Hải An", 2, 5]],
}


@pytest.mark.parametrize("numbering", UNHEADED_NUMBERING)
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_numbering_column_typed_without_its_header_is_no_count_column(inputs: Path, suffix: str, numbering: str):
    """"STT" left blank over the numbers 1, 2, 3 left of the units: the rows' numbers, not a column of figures."""
    rows = [[TITLE], [None, "Đơn vị", "MN", "TH"], *UNHEADED_NUMBERING[numbering], [None, "Tổng cộng", 7, 8]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert _booked(registrations) == {("An Lão", "MN"): 4, ("An Lão", "TH"): 3, ("Lê Chân", "MN"): 1, ("Hải An", "MN"): 2, ("Hải An", "TH"): 5}
    assert _ledger(files)[3] == 7 + 8


@pytest.mark.parametrize("first", [[5, 9, 2], [1, 1, 2], [3, 4, 5]])
def test_figures_under_a_blank_header_left_of_the_units_are_never_taken_for_numbering(inputs: Path, first: list[int]):
    """Numbers that do not count the rows up from 1 are figures of a column with no level: held back."""
    rows = [[TITLE], [None, "Đơn vị", "MN"], [first[0], "Xã An Lão", 4], [first[1], "Phường Lê Chân", 1], [first[2], "Phường Hải An", 2]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert "A2" in set(issues.loc[issues["severity"] == "lỗi", "cell"])


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u200c", "\u00ad", "\u2060"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_number_pasted_with_an_invisible_character_is_that_number(inputs: Path, suffix: str, invisible: str):
    """"12" copied from a web page or a chat with a zero-width space after it: the cell shows 12, and 12 is booked."""
    rows = [[TITLE], ["STT", "Đơn vị", "MN", "TH"], [1, "Xã An Lão", f"12{invisible}", f"{invisible}7"], [2, "Phường Lê Chân", 3, f"1{invisible}0"]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert _booked(registrations) == {("An Lão", "MN"): 12, ("An Lão", "TH"): 7, ("Lê Chân", "MN"): 3, ("Lê Chân", "TH"): 10}


FLAT_GROUP_HEADERS = {
    "codes": ["CBQL MN", "GV MN", "CBQL TH", "GV TH"],
    "names": ["Cán bộ quản lý mầm non", "Giáo viên mầm non", "Cán bộ quản lý tiểu học", "Giáo viên tiểu học"],
    "level first": ["MN - CBQL", "MN - GV", "TH - CBQL", "TH - GV"],
    "no marks": ["CBQL mam non", "GV mam non", "CBQL tieu hoc", "GV tieu hoc"],
}


@pytest.mark.parametrize("headers", FLAT_GROUP_HEADERS)
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_groups_and_levels_typed_in_one_header_cell_are_added_per_level(inputs: Path, suffix: str, headers: str):
    """"CBQL MN | GV MN | CBQL TH | GV TH" on one header row: each level's two groups added, as when the group is typed over the levels."""
    rows = [[TITLE], ["STT", "Đơn vị", *FLAT_GROUP_HEADERS[headers]], [1, "Xã An Lão", 4, 10, 3, 20], [2, "Phường Lê Chân", 1, 5, 0, 6]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert _booked(registrations) == {("An Lão", "MN"): 4 + 10, ("An Lão", "TH"): 3 + 20, ("Lê Chân", "MN"): 1 + 5, ("Lê Chân", "TH"): 0 + 6}
    assert set(registrations["source_cell"]) >= {"C3+D3", "E3+F3"}


@pytest.mark.parametrize("header", ["CBQL cốt cán MN", "GV Toán", "GV và CBQL MN"])
def test_a_group_beside_words_that_are_no_level_is_never_taken_for_the_groups_of_a_level(inputs: Path, header: str):
    """Only a group word and a level's own name make a level's group: anything else is not guessed."""
    rows = [[TITLE], ["STT", "Đơn vị", "GV MN", header], [1, "Xã An Lão", 4, 10]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert "D2" in set(issues.loc[issues["severity"] == "lỗi", "cell"])


STEM = "Thiết kế và triển khai giáo dục STEM/STEAM"
AI = "Chuyển đổi số và ứng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học"
UNIT_FORM = [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"], ["Đơn vị: Phường Lê Chân"], ["TT", "Nội dung", "MN", "TH"]]


@pytest.mark.parametrize("headings", ["blank", "totals"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_groups_of_people_typed_as_rows_under_a_topic_are_added(inputs: Path, suffix: str, headings: str):
    """"- CBQL" and "- GV" under each topic: the groups added per level; a topic row holding their
    total is checked against them and never booked as well."""
    stem_groups, ai_groups = [[1, 3], [2, 4]], [[0, 5], [1, 6]]  # per row: MN, TH
    def heading(number, topic, groups):
        return [number, topic, *([None, None] if headings == "blank" else [sum(column) for column in zip(*groups)])]
    rows = [*UNIT_FORM, heading(1, STEM, stem_groups), [None, "- CBQL", *stem_groups[0]], [None, "- GV", *stem_groups[1]],
            heading(2, AI, ai_groups), [None, "+ Cán bộ quản lý", *ai_groups[0]], [None, "+ Giáo viên", *ai_groups[1]]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    booked = {(topic, level): int(count) for topic, level, count in registrations[["topic", "level", "headcount"]].values}
    assert booked == {("BD05", "MN"): 1 + 2, ("BD05", "TH"): 3 + 4, ("BD01", "MN"): 0 + 1, ("BD01", "TH"): 5 + 6}
    assert set(registrations["source_cell"]) == {"C5+C6", "D5+D6", "C8+C9", "D8+D9"}
    checked = 0 if headings == "blank" else 4  # the topic rows' own figures
    assert _ledger(files) == (8, checked, 0, 1 + 2 + 3 + 4 + 0 + 1 + 5 + 6)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_groups_of_people_typed_as_rows_under_a_unit_are_added(inputs: Path, suffix: str):
    rows = [[TITLE], ["STT", "Đơn vị", "MN", "TH"], [1, "Xã An Lão", 5, 7], [None, "- CBQL", 1, 2], [None, "- GV", 4, 5],
            [2, "Phường Lê Chân", None, None], [None, "CBQL", 2, 0], [None, "GV", 3, 1]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert _booked(registrations) == {("An Lão", "MN"): 1 + 4, ("An Lão", "TH"): 2 + 5, ("Lê Chân", "MN"): 2 + 3, ("Lê Chân", "TH"): 0 + 1}


def test_a_topic_row_whose_groups_do_not_add_up_to_it_holds_the_file_back(inputs: Path):
    rows = [*UNIT_FORM, [1, STEM, 4, 6], [None, "- CBQL", 1, 2], [None, "- GV", 3, 3], [2, AI, 1, 2], [None, "- CBQL", 0, 1], [None, "- GV", 1, 1]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    errors = issues[issues["severity"] == "lỗi"]
    assert errors["cell"].tolist() == ["D4"] and f"cộng được {2 + 3}" in errors["problem"].iloc[0]
    assert "đã kiểm tra khớp" not in " ".join(issues.loc[issues["cell"] == "B4", "problem"])  # the first topic's row is no checked total


@pytest.mark.parametrize(("levels", "codes"), [(["Cấp 1", "Cấp 2", "Cấp 3"], ["TH", "THCS", "THPT"]), (["Cấp I", "Cấp II", "Cấp III"], ["TH", "THCS", "THPT"])])
@pytest.mark.parametrize("topic_header", ["Nội dung", "Chương trình bồi dưỡng", "Tên lớp bồi dưỡng", "Nội dung chương trình"])
def test_levels_named_cap_1_2_3_and_topic_columns_named_as_offices_name_them_are_read(inputs: Path, levels: list[str], codes: list[str], topic_header: str):
    rows = [*UNIT_FORM[:2], ["TT", topic_header, *levels], [1, STEM, 4, 5, 6]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert _booked(registrations) == {("Lê Chân", code): count for code, count in zip(codes, [4, 5, 6])}

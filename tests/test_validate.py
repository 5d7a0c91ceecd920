"""Validate: one test per rule; a rejected file holds back all its numbers, good files go on."""

import csv
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import run_cli
from conftest import check
from plan_2024 import APPENDICES
from workbooks import write_compiled_appendix, write_csv_rows, write_rows, write_unit_file


def _check(inputs: Path):
    return check(inputs)


def _edit(path: Path, **cells):
    workbook = openpyxl.load_workbook(path)
    for address, value in cells.items():
        workbook.active[address] = value
    workbook.save(path)


def test_clean_file_is_accepted(inputs: Path):
    write_compiled_appendix(inputs / "registrations" / "pl3.xlsx", 3)
    registrations, issues, files = _check(inputs)
    assert issues.empty
    assert files[["status", "rows", "headcount"]].values.tolist() == [["chấp nhận", 14, 55]]
    assert registrations["headcount"].sum() == 55


def test_numbers_typed_as_text(inputs: Path):
    appendix = dict(APPENDICES[5])
    appendix["rows"] = [("An Lão", "1.192"), ("Cát Hải", "1 008"), ("Đồ Sơn", " 7 ")]
    appendix["totals"] = (2207,)
    write_compiled_appendix(inputs / "registrations" / "pl5.xlsx", 5, appendix)
    registrations, issues, _ = _check(inputs)
    assert issues.empty
    assert registrations["headcount"].tolist() == [1192, 1008, 7]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("typed", ["0.192", "0,500", "000.012", "0 250"])
def test_text_starting_with_a_zero_group_is_no_thousands(inputs: Path, suffix: str, typed: str):
    # "1.192" is 1192, but a first group of 0 reads as no count a clerk types: a fraction at best.
    rows = [["ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM NĂM 2026"], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", typed], [2, "Phường Lê Chân", 4]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows, delimiter=";")
    registrations, issues, files = _check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert issues.loc[issues["severity"] == "lỗi", "cell"].tolist() == ["C3"], issues[["cell", "problem"]].to_string()


def test_bad_numbers_are_each_named(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl5.xlsx", 5)
    _edit(path, C8=-2, C9=2.5, C10="mười")  # An Dương, An Lão, Cát Hải
    registrations, issues, files = _check(inputs)
    by_cell = {cell: problem for cell, problem in zip(issues["cell"], issues["problem"])}
    assert "số âm" in by_cell["C8"]
    assert "không phải là số nguyên" in by_cell["C9"]
    assert "không phải là số" in by_cell["C10"] and issues.set_index("cell").loc["C10", "value"] == "mười"
    assert files["status"].tolist() == ["bị từ chối"]
    assert registrations.empty


def test_unknown_unit_gets_suggestions(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6)
    _edit(path, B9="An Lảo", B10="Hải Phòng")
    _, issues, _ = _check(inputs)
    errors = issues[issues["cell"].isin(["B9", "B10"])].set_index("cell")
    assert "An Lão" in errors.loc["B9", "fix"]
    assert errors.loc["B10", "value"] == "Hải Phòng"
    assert "không có trong danh sách đơn vị năm 2024" in errors.loc["B10", "problem"]


def test_total_row_must_add_up(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6)
    _edit(path, C22=160)
    _, issues, files = _check(inputs)
    assert issues[["cell", "value"]].values.tolist() == [["C22", "160"]]
    assert "161" in issues["problem"].iloc[0]
    assert files["status"].tolist() == ["bị từ chối"]


def test_level_that_does_not_apply(inputs: Path):
    write_unit_file(inputs / "registrations" / "le_chan.xlsx", "Lê Chân", 2026, [("Đào tạo nâng trình độ chuẩn từ cao đẳng lên đại học", {"TH": 2, "THPT": 3})])
    _, issues, _ = _check(inputs)
    assert issues[["cell", "severity"]].values.tolist() == [["F6", "lỗi"]]
    assert "không áp dụng cho cấp học THPT" in issues["problem"].iloc[0]


def test_same_numbers_sent_twice_hold_back_both_files(inputs: Path):
    write_compiled_appendix(inputs / "registrations" / "a.xlsx", 2)
    write_compiled_appendix(inputs / "registrations" / "b.xlsx", 2)
    write_compiled_appendix(inputs / "registrations" / "c.xlsx", 3)
    registrations, issues, files = _check(inputs)
    assert set(issues["file"]) == {"a.xlsx", "b.xlsx"}
    assert files.set_index("file")["status"].to_dict() == {"a.xlsx": "bị từ chối", "b.xlsx": "bị từ chối", "c.xlsx": "chấp nhận"}
    assert registrations["headcount"].sum() == 55  # only appendix 3


def test_rejected_input_gives_exit_code_1_and_outputs_from_the_rest(inputs: Path, tmp_path: Path):
    write_compiled_appendix(inputs / "registrations" / "pl3.xlsx", 3)
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6)
    _edit(path, C9=-1)
    outputs = tmp_path / "out"
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2024-12")
    assert result.returncode == 1
    workbook = openpyxl.load_workbook(outputs / "2024-12" / "phu_luc_dang_ky_2024.xlsx")
    assert workbook.sheetnames == ["PL3"]
    report = openpyxl.load_workbook(outputs / "2024-12" / "validation_report.xlsx")
    problems = list(report["Vấn đề"].iter_rows(values_only=True))
    assert problems[1][:3] == ("pl6.xlsx", "PL6", "C9")


def test_broken_reference_data_exit_code_2(inputs: Path, tmp_path: Path):
    (inputs / "reference" / "levels.csv").write_text("code,name\n", encoding="utf-8")
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"), "--period", "2024-12")
    assert result.returncode == 2
    assert "levels.csv" in result.stderr
    assert not (tmp_path / "out" / "2024-12").exists()


# ---------------------------------------------------------------- one test per rule (issue 4)

import unicodedata  # noqa: E402

from workbooks import write_rows  # noqa: E402

TITLE_2026 = "ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"
HEADER_2026 = ["TT", "Nội dung", "MN", "TH", "THCS", "THPT", "GDTX", "GDNN", "Ghi chú"]


def _rows(issues):
    """(cell, value, severity) of every problem, in report order."""
    return [tuple(row) for row in issues[["cell", "value", "severity"]].values.tolist()]


def _unit_file(path: Path, unit_line: str | None, rows: list[list], title: str = TITLE_2026) -> Path:
    head = [[title]] + ([[unit_line]] if unit_line else []) + [[], HEADER_2026]
    return write_rows(path, head + rows)


def test_year_not_found_is_one_message_saying_where_it_was_looked_for(inputs: Path):
    _unit_file(inputs / "registrations" / "le_chan.xlsx", "Đơn vị: Phường Lê Chân", [[1, "Tích hợp AI trong quản trị nhà trường", 2, 3]], title="ĐĂNG KÝ ĐÀO TẠO")
    registrations, issues, files = _check(inputs)
    assert _rows(issues) == [("", "", "lỗi")]
    assert issues["problem"].iloc[0] == "Không xác định được năm của số liệu trong trang tính \"Sheet1\""
    assert "khối tiêu đề" in issues["fix"].iloc[0] and "\"Sheet1\"" in issues["fix"].iloc[0] and "\"le_chan.xlsx\"" in issues["fix"].iloc[0]
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty


def test_unit_not_found_is_one_message(inputs: Path):
    _unit_file(inputs / "registrations" / "dang_ky.xlsx", None, [[1, "Tích hợp AI trong quản trị nhà trường", 2, 3], [2, "STEM/STEAM", 1]])
    _, issues, _ = _check(inputs)
    assert _rows(issues) == [("", "", "lỗi")]
    assert issues["problem"].iloc[0] == "Không xác định được đơn vị gửi số liệu trong trang tính \"Sheet1\""
    assert "\"dang_ky.xlsx\"" in issues["fix"].iloc[0] and "năm 2026" in issues["fix"].iloc[0]


def test_unit_from_title_sheet_or_file_name(inputs: Path):
    folder = inputs / "registrations"
    write_rows(folder / "a.xlsx", [["UBND PHƯỜNG LÊ CHÂN"], [TITLE_2026], HEADER_2026, [1, "STEM/STEAM", 1]])
    write_rows(folder / "b.xlsx", [[TITLE_2026], HEADER_2026, [1, "STEM/STEAM", 2]], sheet="Xã An Lão")
    write_rows(folder / "dac_khu_cat_hai.xlsx", [[TITLE_2026], HEADER_2026, [1, "STEM/STEAM", 4]])
    registrations, issues, _ = _check(inputs)
    by_unit = registrations[registrations["level"] == "MN"].set_index("unit")["headcount"].to_dict()
    assert by_unit == {"Lê Chân": 1, "An Lão": 2, "Cát Hải": 4}
    # typed without marks in the file name: accepted, and listed for the officer to confirm
    assert _rows(issues) == [("", "", "cảnh báo")] and issues["file"].tolist() == ["dac_khu_cat_hai.xlsx"]


def test_unit_cell_blank_but_row_has_numbers(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6)
    _edit(path, B10=None)
    _, issues, _ = _check(inputs)
    assert _rows(issues) == [("B10", "", "lỗi")]
    assert issues["problem"].iloc[0] == "Dòng 10 có số liệu nhưng ô tên đơn vị để trống"


def test_unit_without_marks_or_inside_longer_text_is_accepted_with_a_warning(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6)
    _edit(path, B16="Kien Thuy", B18="Phòng GD&ĐT quận Ngô Quyền")
    registrations, issues, files = _check(inputs)
    assert _rows(issues) == [("B16", "Kien Thuy", "cảnh báo"), ("B18", "Phòng GD&ĐT quận Ngô Quyền", "cảnh báo")]
    assert "đã hiểu là \"Kiến Thụy\"" in issues["problem"].iloc[0]
    assert files["status"].tolist() == ["chấp nhận"] and registrations["headcount"].sum() == 161


def test_unit_typo_is_never_guessed(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6)
    _edit(path, B9="An Lảo")
    _, issues, files = _check(inputs)
    assert _rows(issues) == [("B9", "An Lảo", "lỗi")]
    suggested = re.search(r"\(gần giống: ([^)]+)\)$", issues["fix"].iloc[0]).group(1).split(", ")
    assert suggested[0] == "An Lão" and 1 <= len(suggested) <= 3  # the closest first, never booked
    assert set(suggested) <= {unit for unit, *_ in APPENDICES[6]["rows"]}  # districts of 2024
    assert files["status"].tolist() == ["bị từ chối"]


def test_unit_of_another_period_is_rejected(inputs: Path):
    _unit_file(inputs / "registrations" / "x.xlsx", "Đơn vị: Huyện Thủy Nguyên", [[1, "STEM/STEAM", 1]])
    _, issues, _ = _check(inputs)
    assert _rows(issues) == [("A2", "Huyện Thủy Nguyên", "lỗi")]
    assert issues["problem"].iloc[0] == "Đơn vị \"Huyện Thủy Nguyên\" không có trong danh sách đơn vị năm 2026"


def test_programme_not_found_is_one_message_per_column(inputs: Path):
    rows = [["SỐ LIỆU ĐĂNG KÝ NĂM 2024"], ["STT", "Quận/huyện", "Số lượng"], [1, "An Lão", 3], [2, "Cát Hải", 4]]
    write_rows(inputs / "registrations" / "dang_ky.xlsx", rows)
    _, issues, _ = _check(inputs)
    assert _rows(issues) == [("C2", "Số lượng", "lỗi")]
    assert issues["problem"].iloc[0] == "Không xác định được nội dung đào tạo, bồi dưỡng của cột \"Số lượng\""


def test_programme_from_sheet_name(inputs: Path):
    rows = [["SỐ LIỆU ĐĂNG KÝ NĂM 2024"], ["STT", "Quận/huyện", "Số lượng"], [1, "An Lão", 3], [2, "Cát Hải", 4]]
    write_rows(inputs / "registrations" / "dang_ky.xlsx", rows, sheet="KHTN")
    registrations, issues, _ = _check(inputs)
    assert issues.empty
    assert registrations[["unit", "topic", "level", "headcount"]].values.tolist() == [["An Lão", "KHTN", "THCS", 3], ["Cát Hải", "KHTN", "THCS", 4]]


def test_topic_cell_blank_but_row_has_numbers(inputs: Path):
    _unit_file(inputs / "registrations" / "x.xlsx", "Đơn vị: Xã An Lão", [[1, None, 2, 3]])
    _, issues, _ = _check(inputs)
    assert _rows(issues) == [("B5", "", "lỗi")]
    assert issues["problem"].iloc[0] == "Dòng 5 có số liệu nhưng ô tên nội dung để trống"


def test_topic_with_typos_is_matched_and_listed(inputs: Path):
    rows = [
        [1, "Kỹ năng tham vân, hỗ trợ tâm lý và ứng phó với sự thay đổi và áp lực học đường", 1, 2],
        [2, unicodedata.normalize("NFD", "Boi duong nang luc danh gia hoc sinh theo dinh huong phat trien nang luc va pham chat"), 3],
        [None, "BỒI DƯỠNG"],
        [3, "Bồi dưỡng kỹ năng bơi lội", 5],
    ]
    _unit_file(inputs / "registrations" / "x.xlsx", "Đơn vị: Xã An Lão", rows)
    _, issues, _ = _check(inputs)
    assert _rows(issues) == [
        ("B5", rows[0][1], "cảnh báo"),
        ("B6", rows[1][1], "cảnh báo"),
        ("B7", "BỒI DƯỠNG", "cảnh báo"),
        ("B8", "Bồi dưỡng kỹ năng bơi lội", "lỗi"),
    ]
    assert "đã hiểu là BD17" in issues["problem"].iloc[0] and "đã hiểu là BD04" in issues["problem"].iloc[1]
    assert issues["problem"].iloc[2].endswith("đã bỏ qua")  # a group heading is no typo of a topic
    assert "không có trong danh mục" in issues["problem"].iloc[3] and "gần giống" in issues["fix"].iloc[3]


def test_level_not_found_is_one_message_per_column(inputs: Path):
    rows = [[TITLE_2026], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "Nhà văn hóa", "TH"], [1, "STEM/STEAM", 2, 3], [2, "Tích hợp AI trong quản trị nhà trường", 1, 1]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    _, issues, _ = _check(inputs)
    assert _rows(issues) == [("C3", "Nhà văn hóa", "lỗi")]


def test_text_column_without_level_is_set_aside_with_a_warning(inputs: Path):
    rows = [[TITLE_2026], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH", "Hình thức tổ chức"], [1, "STEM/STEAM", 2, 3, "Trực tiếp"]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = _check(inputs)
    assert _rows(issues) == [("E3", "Hình thức tổ chức", "cảnh báo")]
    assert registrations["headcount"].sum() == 5 and files["status"].tolist() == ["chấp nhận"]


def test_formula_without_cached_value_is_rejected(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6)
    _edit(path, C9="=10+3")  # An Lão's 13, saved by openpyxl: a formula and no value
    registrations, issues, files = _check(inputs)
    assert _rows(issues) == [("C9", "=10+3", "lỗi")]
    assert issues["problem"].iloc[0] == "Ô có công thức \"=10+3\" nhưng tệp không lưu giá trị đã tính của công thức"
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty


def test_total_formula_without_cached_value_is_not_needed(inputs: Path):
    # The "Tổng số" row saved as =SUM(...) with no value (openpyxl does this): the rows are re-added anyway.
    write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6, total_as_formula=True)
    registrations, issues, files = _check(inputs)
    assert issues.empty
    assert files["status"].tolist() == ["chấp nhận"] and registrations["headcount"].sum() == 161


def _total_formula_file(inputs: Path, formula: str) -> None:
    # Written as programs other than a spreadsheet write: the formula saved without its result.
    workbook = openpyxl.Workbook()
    for row in [["ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM NĂM 2026"], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", 3], [2, "Phường Lê Chân", 4], [3, "Xã An Hưng", 5], [None, "Tổng số", formula]]:
        workbook.active.append(row)
    workbook.save(inputs / "registrations" / "x.xlsx")


@pytest.mark.parametrize("formula", ["=SUM(C3:C5)", "=sum($C$3:$C$5)", "=C3+C4+C5", "=SUBTOTAL(9,C3:C5)", "=SUM(C3,C4:C5)", "=SUM(C3:C4)+SUM(C5:C5)", "=SUM(C3:C4)+C5"])
def test_a_total_formula_without_its_result_adding_the_rows_it_closes_is_checked(inputs: Path, formula: str):
    _total_formula_file(inputs, formula)
    registrations, issues, files = _check(inputs)
    assert issues.empty and registrations["headcount"].sum() == 3 + 4 + 5
    assert files[["status", "cells_booked", "cells_checked", "cells_set_aside"]].values.tolist() == [["chấp nhận", 3, 1, 0]]


@pytest.mark.parametrize(("formula", "says"), [
    ("=SUM(C3:C4)", "cộng các dòng 3–4, nhưng dòng tổng phải cộng các dòng 3–5"),  # the last row left out
    ("=SUM(C3:C6)", "cộng các dòng 3–6"),  # itself too
    ("=SUM(C3:C4)+SUM(C4:C5)", "cộng các dòng 3, 4, 4, 5"),  # a row twice
    ("=SUM(D3:D5)", "không kiểm tra được"),  # another column
    ("=SUMIF(B3:B5,\"*\",C3:C5)", "không kiểm tra được"),
])
def test_a_total_formula_without_its_result_adding_other_rows_is_held_back(inputs: Path, formula: str, says: str):
    _total_formula_file(inputs, formula)
    registrations, issues, files = _check(inputs)
    assert files[["status", "cells_booked", "cells_checked", "cells_set_aside"]].values.tolist() == [["bị từ chối", 3, 0, 1]]
    assert issues[["cell", "value"]].values.tolist() == [["C6", formula]] and says in issues["problem"].iloc[0]


def test_a_total_formula_adding_the_totals_of_its_groups_is_checked(inputs: Path):
    # "Cộng khu vực" closing each group, "Tổng số" adding them: every figure counted once.
    workbook = openpyxl.Workbook()
    rows = [["ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM NĂM 2026"], ["STT", "Đơn vị", "MN"],
            [1, "Xã An Lão", 3], [2, "Phường Lê Chân", 4], [None, "Cộng khu vực I", "=SUM(C3:C4)"],
            [3, "Xã An Hưng", 5], [4, "Xã An Trường", 6], [None, "Cộng khu vực II", "=SUM(C6:C7)"],
            [None, "Tổng số", "=C5+C8"]]
    for row in rows:
        workbook.active.append(row)
    workbook.save(inputs / "registrations" / "x.xlsx")
    registrations, issues, files = _check(inputs)
    assert issues.empty, issues["problem"].tolist()
    assert files[["status", "cells_booked", "cells_checked"]].values.tolist() == [["chấp nhận", 4, 3]] and registrations["headcount"].sum() == 3 + 4 + 5 + 6


def test_total_on_top_subtotals_and_blank_totals(inputs: Path):
    rows = [
        ["ĐĂNG KÝ BỒI DƯỠNG GV DẠY MÔN LỊCH SỬ VÀ ĐỊA LÝ NĂM 2024"],
        ["STT", "Quận/huyện", "Số lượng"],
        ["Tổng cộng", None, 45],
        ["I", "Khối quận"],
        [1, "Lê Chân", 2],
        [2, "Ngô Quyền", 21],
        ["Cộng khối quận", None, 23],
        ["II", "Khối huyện"],
        [3, "An Lão", 18],
        [4, "Tiên Lãng", 4],
        ["Cộng khối huyện", None, 21],
        ["Tổng số", None, None],
    ]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = _check(inputs)
    # 45 = 2 + 21 + 18 + 4 and 23 = 2 + 21 add up; 21 is not 18 + 4; the blank total states nothing.
    # "Khối huyện" comes after a total, where names without numbers (signatures) are passed over.
    assert _rows(issues) == [("B4", "Khối quận", "cảnh báo"), ("C11", "21", "lỗi")]
    assert issues["problem"].iloc[1] == "Dòng tổng ghi 21 nhưng cộng các dòng được 45 (cả bảng), 22 (từ dòng tổng trước đến dòng này)"
    assert files["headcount"].tolist() == [45]


def test_duplicates_inside_one_file_are_named(inputs: Path):
    rows = [[TITLE_2026], ["Đơn vị: Xã An Lão"], [], HEADER_2026, [1, "STEM/STEAM", 2], [2, "Thiết kế và triển khai giáo dục STEM/STEAM", 3]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, _ = _check(inputs)
    duplicates = issues[issues["problem"].str.contains("được gửi nhiều lần")]
    assert set(duplicates["cell"]) == {"C5", "C6", "D5", "D6", "E5", "E6", "F5", "F6", "G5", "G6", "H5", "H6"}
    assert "x.xlsx (trang Sheet1, ô C5); x.xlsx (trang Sheet1, ô C6)" in duplicates.set_index("cell").loc["C5", "problem"]
    assert registrations.empty


def test_what_a_file_books_per_row_counts_whole_numbers_and_names_rows_that_book_nothing():
    from pipeline.validate import Bookings, booked_per_row

    bookings = Bookings.of([
        (2026, "Lê Chân", "BD01", "MN", 3.0, 3, "S", "D7", 7),
        (2026, "Lê Chân", "BD01", "TH", 4.0, 4, "S", "E7", 7),
        (2026, "Lê Chân", "BD02", "MN", 2.5, "2,5", "S", "D8", 8),  # not a whole number: no one counted
        (2026, "Lê Chân", "BD02", "TH", -1.0, -1, "S", "E8", 8),  # below 0: no one counted
    ])
    named = [("S", 7, 2026, "Lê Chân"), ("S", 8, 2026, "Lê Chân"), ("S", 9, 2026, None), ("S", 10, None, None)]
    assert booked_per_row(bookings, named) == [
        ("S", 7, 2026, "Lê Chân", 7.0),
        ("S", 8, 2026, "Lê Chân", 0.0),
        ("S", 9, 2026, None, 0.0),
        ("S", 10, None, None, 0.0),
    ]


def _largest_headcount(inputs: Path) -> int:
    """The bound of ``limits.csv``, as the data officer set it."""
    with open(inputs / "reference" / "limits.csv", encoding="utf-8-sig") as handle:
        return int(next(row["value"] for row in csv.DictReader(handle) if row["key"] == "largest_headcount"))


def _form_2026(unit: str, figures: list) -> list[list]:
    """A unit's form for 2026: one programme (BD01), a column per level MN, TH, THCS."""
    return [[TITLE_2026], [f"Đơn vị: {unit}"], [], ["TT", "Nội dung", "MN", "TH", "THCS"], [1, "Chuyển đổi số và ứng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học", *figures]]


def test_an_implausibly_large_headcount_holds_back_its_file_and_the_run_publishes_the_rest(inputs: Path, tmp_path: Path):
    # 10^19 is past the largest machine integer (2^63): typed as a number, as 1e20 or as
    # text, or two units' 5×10^18 adding up past it, it once stopped the whole run (exit 2,
    # nothing published). 10^15 is no unit's staff either.
    folder = inputs / "registrations" / "2026"
    write_rows(folder / "le_chan.xlsx", _form_2026("Phường Lê Chân", [5, 10**19, 7]))
    write_rows(folder / "ngo_quyen.xlsx", _form_2026("Phường Ngô Quyền", [5, 1e20, 7]))
    write_csv_rows(folder / "hong_bang.csv", _form_2026("Phường Hồng Bàng", [5, "10000000000000000000", 7]), bom=True)
    write_rows(folder / "gia_vien.xlsx", _form_2026("Phường Gia Viên", [5 * 10**18, 1, 1]))
    write_rows(folder / "an_bien.xlsx", _form_2026("Phường An Biên", [5 * 10**18, 1, 1]))
    write_rows(folder / "hai_an.xlsx", _form_2026("Phường Hải An", [10**15, 1, 1]))
    largest = _largest_headcount(inputs)
    write_rows(folder / "an_lao.xlsx", _form_2026("Xã An Lão", [12, largest, 0]))  # the bound itself is a count
    outputs = tmp_path / "out"
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-12", "--quiet")
    assert result.returncode == 1, result.stderr[-2000:]
    data = outputs / "2026-12" / "data"
    files = pd.read_csv(data / "files.csv", encoding="utf-8-sig").set_index("file")["status"].to_dict()
    held = {"le_chan.xlsx", "ngo_quyen.xlsx", "hong_bang.csv", "gia_vien.xlsx", "an_bien.xlsx", "hai_an.xlsx"}
    assert files == {f"2026/{name}": "bị từ chối" for name in held} | {"2026/an_lao.xlsx": "chấp nhận"}
    registrations = pd.read_csv(data / "registrations.csv", encoding="utf-8-sig")
    assert sorted(zip(registrations["unit"], registrations["level"], registrations["headcount"])) == sorted([("An Lão", "MN", 12), ("An Lão", "TH", largest), ("An Lão", "THCS", 0)])
    issues = pd.read_csv(data / "issues.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    errors = issues[issues["severity"] == "lỗi"]
    shown = {"le_chan.xlsx": ("D5", str(10**19)), "ngo_quyen.xlsx": ("D5", str(10**20)), "hong_bang.csv": ("D5", "10000000000000000000"),
             "gia_vien.xlsx": ("C5", str(5 * 10**18)), "an_bien.xlsx": ("C5", str(5 * 10**18)), "hai_an.xlsx": ("C5", str(10**15))}
    assert sorted(zip(errors["file"], errors["cell"], errors["value"])) == sorted((f"2026/{name}", cell, value) for name, (cell, value) in shown.items())
    for file, sheet, cell, value, problem in zip(errors["file"], errors["sheet"], errors["cell"], errors["value"], errors["problem"]):
        assert sheet == ("hong_bang" if file.endswith(".csv") else "Sheet1")
        assert problem.startswith(f"Số {value} ở ô {cell} quá lớn") and f"tối đa {largest} người một ô" in problem
    # the report and the appendix workbook are written from the accepted file
    report = openpyxl.load_workbook(outputs / "2026-12" / "validation_report.xlsx")
    assert {row[0] for row in report["Vấn đề"].iter_rows(min_row=2, values_only=True)} == {f"2026/{name}" for name in held}


def test_a_headcount_one_above_the_bound_holds_its_file_back(inputs: Path):
    largest = _largest_headcount(inputs)
    # the bound itself is a count, typed as text (checked by the contract) as well as a number
    write_rows(inputs / "registrations" / "an_lao.xlsx", _form_2026("Xã An Lão", [str(largest), largest + 1, "1"]))
    registrations, issues, files = _check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert issues[["cell", "value", "severity"]].values.tolist() == [["D5", str(largest + 1), "lỗi"]]


def test_a_number_of_four_hundred_digits_typed_as_text_is_too_large_not_a_crash(inputs: Path):
    # Read as text, it is infinity as a machine number: adding it up once stopped the run.
    digits = "9" * 400
    write_csv_rows(inputs / "registrations" / "an_lao.csv", _form_2026("Xã An Lão", [3, digits, 4]), bom=True)
    write_rows(inputs / "registrations" / "le_chan.xlsx", _form_2026("Phường Lê Chân", [1, 2, 3]))
    registrations, issues, files = _check(inputs)
    assert files.set_index("file")["status"].to_dict() == {"an_lao.csv": "bị từ chối", "le_chan.xlsx": "chấp nhận"}
    assert registrations["headcount"].tolist() == [1, 2, 3]
    assert issues[["file", "cell", "value"]].values.tolist() == [["an_lao.csv", "D5", digits]]
    assert issues["problem"].iloc[0].startswith(f"Số {digits} ở ô D5 quá lớn")

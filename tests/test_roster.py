"""Rosters: lists of people written the way schools fill them in, read back and checked.

Real files throughout: workbooks written with openpyxl (merged two-row headers, the
"Nam"/"Nữ" birth-date columns, marks or none, typed dates), read back with
python-calamine and cleaned as the pipeline cleans cells, then read by
``pipeline.ingest.roster`` with resolvers built from the shipped catalogue; the list
workbook read back with openpyxl. Expected retirement dates and verdicts are computed
in ``test_persons`` from the law, independently of the code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shlex
import shutil
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from conftest import ROOT, run_cli
from test_persons import RULES, _end_of_month, retirement_by_stepping  # the law, computed independently
from pipeline import persons, templates, validate
from pipeline.reference import PersonReference, Reference, read_person_reference, read_reference, units_of_year
from pipeline.ingest import roster
from pipeline.report import persons as report_persons
from workbooks import place_as, write_csv_rows, write_rows, write_unit_file


@cache
def _reference() -> Reference:
    return read_reference(ROOT / "inputs" / "reference")


@cache
def _person_reference() -> PersonReference:
    return read_person_reference(ROOT / "inputs" / "reference")


resolve_topic, resolve_level, resolve_unit = validate.roster_resolvers(_reference().vocabulary)


VOCABULARY = roster.roster_vocabulary(_person_reference())


def clean(value: object) -> object:
    """As the pipeline cleans a cell: text stripped, empty as None, whole floats as int."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_back(path: Path, sheet: str) -> tuple[list[list[object]], list]:
    book = CalamineWorkbook.from_path(str(path))
    data = book.get_sheet_by_name(sheet)
    rows = [[clean(value) for value in row] for row in data.to_python(skip_empty_area=False)]
    return rows, data.merged_cell_ranges or []


def read_roster_file(path: Path, sheet: str, **kwargs) -> roster.RosterSheet:
    """The sheet read, its people and problems as tables (``roster_tables``)."""
    rows, merged = read_back(path, sheet)
    return _as_tables(roster.read_roster(rows, merged, sheet, path.name, VOCABULARY, resolve_topic, resolve_level, resolve_unit, **kwargs))


def _as_tables(read: roster.RosterSheet) -> roster.RosterSheet:
    people, problems = roster.roster_tables([read])
    return read._replace(persons=people, problems=problems)


# ---------------------------------------------------------------- a school's list, Nam/Nữ layout


TITLE = [
    ["UBND PHƯỜNG LÊ CHÂN", None, None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["TRƯỜNG MẦM NON HOA SEN", None, None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
    [None],
    ["DANH SÁCH CÁN BỘ QUẢN LÝ, GIÁO VIÊN ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"],
    ["Đơn vị: Phường Lê Chân"],
    [None],
]
HEADER = [
    ["STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Trường", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Chuyên ngành", "Chứng chỉ NVSP", "Nội dung đăng ký", "Số CCCD", "Ghi chú"],
    [None, None, "Nam", "Nữ", None, None, None, None, None, None, None, None, None],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)", "(13)"],
]
MERGED = ("A4:M4", "A5:M5", "C7:D7", *(f"{c}7:{c}8" for c in "ABEFGHIJKLM"))
# (row as typed, expected: sex, birth, precision, level, degree, title, topics)
PEOPLE = [
    ([1, "Nguyễn Thị Hoa", None, dt.datetime(1970, 3, 20), "Trường Mầm non Hoa Sen", "Mầm non", "Giáo viên", "Trung cấp", "Sư phạm Mầm non", None, "TC_DH", 31170001234, None],
     ("Nữ", dt.date(1970, 3, 20), "day", "MN", "TC", "GV", "TC_DH")),
    ([2, "Trần Văn Bình", "05/01/1975", None, "Trường Mầm non Hoa Sen", "Mầm non", "Phó hiệu trưởng", "Cao đẳng sư phạm", None, None, "BD02; BD03", "031075000111", None],
     ("Nam", dt.date(1975, 1, 5), "day", "MN", "CĐ", "CBQL", "BD02 BD03")),
    ([3, "Lê Thị Mai", None, 1985, "Trường Tiểu học Lê Lợi", "Tiểu học", "GV", "CĐ", "Giáo dục Tiểu học", "Có", "Đào tạo nâng trình độ chuẩn từ cao đẳng lên đại học\nBD01", None, None],
     ("Nữ", dt.date(1985, 1, 1), "year", "TH", "CĐ", "GV", "CD_DH BD01")),
    ([4, "Phạm Thị Thu", None, "03/1972", "Trường THCS Trần Phú", None, "Giáo viên", "Đại học", "Kế toán", "không", "BD01, BD03", None, None],
     ("Nữ", dt.date(1972, 3, 1), "month", "THCS", "ĐH", "GV", "BD01 BD03")),
    ([5, "Hoàng Văn Sai", "31/02/1980", None, "Trường THCS Trần Phú", "THCS", "Giáo viên", "Đại học", None, None, "BD01", None, None],
     ("Nam", None, None, "THCS", "ĐH", "GV", "BD01")),
]
FOOTER = [
    [None],
    [None, None, None, None, None, None, None, None, "Lê Chân, ngày 10 tháng 12 năm 2025"],
    [None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, None, "HIỆU TRƯỞNG"],
    [None, "Đỗ Thị Lập", None, None, None, None, None, None, "Vũ Văn Trưởng"],
]


def _school_list(path: Path) -> Path:
    return write_rows(path, TITLE + HEADER + [row for row, _ in PEOPLE] + FOOTER, sheet="DS dang ky", merged=MERGED)


def test_a_school_list_with_birth_dates_under_nam_and_nu(tmp_path):
    sheet = read_roster_file(_school_list(tmp_path / "hoa_sen.xlsx"), "DS dang ky")
    assert sheet.problems.empty, sheet.problems.to_string()
    assert (sheet.year, sheet.unit) == (2026, "Lê Chân")
    people = sheet.persons
    assert len(people) == len(PEOPLE)
    assert list(people["source_row"]) == [10, 11, 12, 13, 14]
    assert list(people["name_cell"]) == ["B10", "B11", "B12", "B13", "B14"]
    for record, (_, (sex, birth, precision, level, degree, title, topics)) in zip(people.to_dict("records"), PEOPLE):
        assert record["sex"] == sex, record["name"]
        assert (None if pd.isna(record["birth_date"]) else record["birth_date"].date()) == birth, record["name"]
        assert (None if pd.isna(record["birth_precision"]) else record["birth_precision"]) == precision
        assert (record["level"], record["degree"], record["title"], record["topics"]) == (level, degree, title, topics), record["name"]
        assert record["unit"] == "Lê Chân" and record["year"] == 2026
    # Read as a number, a citizen identity number loses its leading zero: given back.
    assert list(people["identifier"].fillna("")) == ["031170001234", "031075000111", "", "", ""]
    assert people["birth_cell"].tolist() == ["D10", "C11", "D12", "D13", "C14"]
    # Level from the school's name when the level cell is blank; the teacher-training field.
    assert people["level_label"].iloc[3] == "Trường THCS Trần Phú"
    assert people["is_teacher_training"].tolist() == [True, True, True, False, pd.NA]
    assert people["has_certificate"].tolist() == [pd.NA, pd.NA, True, False, pd.NA]


def test_a_school_list_checked_person_by_person(tmp_path):
    sheet = read_roster_file(_school_list(tmp_path / "hoa_sen.xlsx"), "DS dang ky")
    checks, issues = persons.check_persons(sheet.persons, RULES)
    verdict = checks.set_index("name")
    # Nguyễn Thị Hoa, born 03/1970: end of 07/2027 (the issue's example), 85 months from 07/2020: in
    # scope for preschool (84), but TC→ĐH started in 2026 ends in 2028: held back, named by row.
    hoa = verdict.loc["Nguyễn Thị Hoa"]
    assert hoa["retirement_date"] == pd.Timestamp(2027, 7, 31)
    assert (hoa["months_left_2020_07"], bool(hoa["in_scope"]), bool(hoa["accepted"])) == (85, True, False)
    assert "nghỉ hưu cuối tháng 07/2027, trước khi chương trình TC_DH kết thúc (hết năm 2028)" in hoa["problems"]
    # Trần Văn Bình: preschool with a CĐSP meets the standard; his topics are not degree upgrades.
    assert not verdict.loc["Trần Văn Bình", "in_scope"] and verdict.loc["Trần Văn Bình", "accepted"]
    # Lê Thị Mai, born 1985 (01/01/1985): 60 in 2045; primary, CĐ: in scope, CĐ→ĐH fits.
    mai = verdict.loc["Lê Thị Mai"]
    assert mai["retirement_date"] == pd.Timestamp(_end_of_month(*retirement_by_stepping(1985, 1, "Nữ"))) == pd.Timestamp(2045, 1, 31)
    assert bool(mai["in_scope"]) and bool(mai["accepted"]) and mai["programme_last_year"] == 2027
    # Phạm Thị Thu: a bachelor in accounting without the pedagogy certificate is below the standard
    # of lower secondary, which Nghị định 71 gives no roadmap for at that degree.
    thu = verdict.loc["Phạm Thị Thu"]
    assert bool(thu["below_standard"]) and not thu["in_scope"]
    # Hoàng Văn Sai: 31/02/1980 is no date: his row is held back, named by its cell, not by his name or the date.
    problem = issues[issues["problem"].str.startswith("Người ở dòng 14:")]
    assert list(problem["cell"]) == ["C14"] and list(problem["value"]) == [""] and "ngày sinh không đọc được" in problem["problem"].iloc[0]
    counted = persons.count_registrations(checks)
    assert dict(zip(zip(counted["topic"], counted["level"]), counted["headcount"])) == {
        ("BD02", "MN"): 1, ("BD03", "MN"): 1, ("CD_DH", "TH"): 1, ("BD01", "TH"): 1, ("BD01", "THCS"): 1, ("BD03", "THCS"): 1,
    }


def test_headers_and_values_without_marks_and_a_nu_column_marked_x(tmp_path):
    rows = [
        ["DANH SACH DANG KY DAO TAO, BOI DUONG NAM 2026"],
        ["Don vi: Le Chan"],
        ["TT", "Ho va ten", "Ngay sinh", "Nu", "Truong", "Cap hoc", "Chuc vu", "Trinh do dao tao", "Noi dung dang ky"],
        [1, "Nguyen Thi Lan", "12/08/1980", "x", "MN Hoa Sen", "MN", "Giao vien", "Trung cap", "BD01"],
        [2, "Tran Van Nam", "1979", None, "TH Le Loi", "TH", "Hieu truong", "Dai hoc", "BD02"],
        [3, "Vu Thi Ha", dt.date(1990, 2, 28), "X", "TH Le Loi", "TH", "GV", "Thac si", "BD01; BD05"],
    ]
    sheet = read_roster_file(write_rows(tmp_path / "khong_dau.xlsx", rows), "Sheet1")
    assert sheet.problems.empty, sheet.problems.to_string()
    people = sheet.persons
    assert sheet.unit == "Lê Chân" and sheet.year == 2026
    assert people["sex"].tolist() == ["Nữ", "Nam", "Nữ"]
    assert people["title"].tolist() == ["GV", "CBQL", "GV"]
    assert people["degree"].tolist() == ["TC", "ĐH", "ThS"]
    assert people["topics"].tolist() == ["BD01", "BD02", "BD01 BD05"]
    assert people["birth_date"].dt.date.tolist() == [dt.date(1980, 8, 12), dt.date(1979, 1, 1), dt.date(1990, 2, 28)]


def test_topics_marked_x_under_merged_heading_and_several_tables_of_problems(tmp_path):
    rows = [
        ["DANH SÁCH ĐĂNG KÝ NĂM 2026 - XÃ AN LÃO"],
        ["Họ tên", "Giới tính", "Năm sinh", "Cấp học", "Chức danh", "Trình độ", "Nội dung đăng ký", None, None, "Ghi chú"],
        [None, None, None, None, None, None, "BD01", "BD03", "Khoa học tự nhiên", None],
        ["Đinh Thị Thơm", "Nữ", 1982, "Trung học cơ sở", "Giáo viên", "Đại học", "x", None, "x", None],
        ["Cao Văn Tùng", "Nam", 1978, "THCS", "Tổ trưởng chuyên môn", "ĐH", None, "x", "có", None],
        ["Lò Thị Xuân", "Nữ", 1983, "THCS", "Giáo viên", "CĐ", "đăng ký", None, None, None],
        ["Tổng cộng: 3 người", None, None, None, None, None, 1, 1, 2, None],
    ]
    sheet = read_roster_file(write_rows(tmp_path / "an_lao.xlsx", rows, merged=("G2:I2",)), "Sheet1")
    assert sheet.problems.empty, sheet.problems.to_string()
    assert sheet.unit == "An Lão"
    people = sheet.persons
    assert people["topics"].tolist() == ["BD01 KHTN", "BD03 KHTN", ""]
    assert people["title"].tolist() == ["GV", "GV", "GV"]
    assert people["unknown_topics"].iloc[2] == "cột Nội dung đăng ký BD01 ghi \"đăng ký\" (chỉ đánh dấu x)"
    checks, issues = persons.check_persons(people, RULES)
    assert list(checks["accepted"]) == [True, True, False]
    assert issues["cell"].tolist() == ["G6"]


def test_a_csv_roster_keeps_its_line_numbers(tmp_path):
    """A quoted cell over two lines: the people after it keep the line numbers a text editor shows."""
    path = write_csv_rows(tmp_path / "ds.csv", [
        ["DANH SÁCH ĐĂNG KÝ NĂM 2026"],
        ["Đơn vị: Xã An Lão"],
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ", "Nội dung đăng ký"],
        [1, "Mạc Thị Lụa", "01/02/1984", "Nữ", "Mầm non", "GV", "TC", "BD01\nBD03"],
        [2, "Hà Văn Sơn", "15/10/1979", "Nam", "Tiểu học", "GV", "ĐH", "BD01"],
    ], delimiter=";", bom=True)
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    rows, numbers, line = [], [], 0
    for record in reader:
        numbers.append(line + 1)
        line = reader.line_num
        rows.append([clean(value) for value in record])
    sheet = _as_tables(roster.read_roster(rows, [], "ds", "ds.csv", VOCABULARY, resolve_topic, resolve_level, resolve_unit, row_numbers=numbers))
    assert sheet.problems.empty
    assert sheet.persons["source_row"].tolist() == [4, 6]
    assert sheet.persons["name_cell"].tolist() == ["B4", "B6"]
    assert sheet.persons["topics"].tolist() == ["BD01 BD03", "BD01"]


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([["NĂM 2026"], ["Đơn vị: Xã An Lão"], ["STT", "Đơn vị", "MN", "TH"], [1, "Xã An Lão", 3, 4]], "Không tìm thấy dòng tiêu đề của danh sách"),
        ([["NĂM 2026"], ["Đơn vị: Xã An Lão"], ["Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Nội dung đăng ký"], ["A", 1980, "Nữ", "MN", "BD01"]], "Danh sách thiếu cột: Trình độ đào tạo, Chức vụ"),
        ([["DANH SÁCH ĐĂNG KÝ"], ["Đơn vị: Xã An Lão"], ["Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ", "Nội dung đăng ký"], ["A", 1980, "Nữ", "MN", "GV", "TC", "BD01"]], "Không xác định được năm của danh sách"),
        ([["NĂM 2026"], ["Đơn vị: Xã Không Có"], ["Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ", "Nội dung đăng ký"], ["A", 1980, "Nữ", "MN", "GV", "TC", "BD01"]], "Không xác định được đơn vị gửi danh sách"),
    ],
)
def test_a_sheet_that_cannot_be_read_says_why(tmp_path, rows, problem):
    sheet = read_roster_file(write_rows(tmp_path / "ds.xlsx", rows), "Sheet1")
    errors = sheet.problems[sheet.problems["severity"] == "lỗi"]
    assert len(errors) == 1 and errors["problem"].iloc[0].startswith(problem), sheet.problems.to_string()
    assert errors["file"].iloc[0] == "ds.xlsx" and errors["sheet"].iloc[0] == "Sheet1"


def test_is_roster_tells_rosters_from_count_forms(tmp_path):
    count_form = write_unit_file(tmp_path / "dem.xlsx", "Xã An Lão", 2026, [("BD01", {"MN": 3})])
    assert roster.roster_header(read_back(count_form, "Đăng ký")[0], VOCABULARY) is None
    assert roster.roster_header(read_back(_school_list(tmp_path / "ds.xlsx"), "DS dang ky")[0], VOCABULARY) is not None
    form = templates.write_roster_templates(tmp_path / "mau", _reference(), _person_reference().codes, 2026, "Xã An Lão")[0]
    assert roster.roster_header(read_back(form, templates.ROSTER_SHEET_NAME)[0], VOCABULARY) is not None
    assert roster.roster_header(read_back(form, templates.INSTRUCTIONS_SHEET)[0], VOCABULARY) is None


# ---------------------------------------------------------------- the roster form


def test_readme_roster_commands_and_the_form_protected_validated_read_back_exactly(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [shlex.split(line) for line in readme.splitlines() if line.startswith(".venv/bin/python -m pipeline template") and "--roster" in line]
    assert len(commands) == 2
    results = [run_cli(*command[3:], "--inputs", str(ROOT / "inputs"), cwd=tmp_path) for command in commands]
    assert [result.returncode for result in results] == [0, 0], [result.stderr for result in results]
    names = sorted(path.name for path in (tmp_path / "mau_2026").iterdir())
    assert len(names) == len(units_of_year(_reference().units, 2026)) == 115
    assert all(name.startswith("mau_danh_sach_2026_") for name in names) and "mau_danh_sach_2026_xa_cam_giang_2.xlsx" in names
    assert "Đã lập 115 mẫu danh sách năm 2026" in results[0].stdout
    path = tmp_path / "mau_2026" / "mau_danh_sach_2026_phuong_le_chan.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [templates.ROSTER_SHEET_NAME, templates.INSTRUCTIONS_SHEET]
    sheet = book[templates.ROSTER_SHEET_NAME]
    assert sheet.protection.sheet and book[templates.INSTRUCTIONS_SHEET].protection.sheet
    assert sheet["A2"].value == "Đơn vị: Phường Lê Chân" and "NĂM 2026" in sheet["A1"].value
    header = [sheet.cell(5, column).value for column in range(1, 12)]
    assert header[:3] == ["TT", "Họ và tên", "Ngày sinh (ngày/tháng/năm)"]
    codes = [sheet.cell(6, column).value for column in range(12, sheet.max_column)]
    # 2026: the plan's lines that take a number (BD19 heads NVSP and KNTHN).
    assert codes == ["BD01", "BD02", "BD03", "BD04", "BD05", "TC_DH", "CD_DH", "NVSP", "KNTHN"]
    assert sheet["B5"].protection.locked and not sheet["B7"].protection.locked and not sheet["L7"].protection.locked
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    # A stop error (the file format's default, so not written) on every rule.
    assert rules["D7:D506"].formula1 == '"Nam,Nữ"'
    assert all(rule.showErrorMessage and rule.errorStyle is None for rule in rules.values()) and len(rules) == 7 + len(codes)
    assert rules["C7:C506"].type == "date"
    assert rules["H7:H506"].formula1 == '"Trung cấp,Cao đẳng,Đại học,Thạc sĩ,Tiến sĩ"'
    assert rules["K7:K506"].type == "textLength"
    assert rules["L7:L506"].formula1 == '"x"'

    typed = [
        ("Nguyễn Thị An", dt.datetime(1975, 6, 1), "Nữ", "Trường Mầm non Sao Mai", "Mầm non", "Giáo viên", "Trung cấp", "Sư phạm Mầm non", "Không", "031175000001", ["BD01", "TC_DH"]),
        ("Bùi Văn Hải", dt.datetime(1980, 1, 1), "Nam", "Trường Tiểu học Lê Chân", "Tiểu học", "Cán bộ quản lý", "Cao đẳng", "Giáo dục Tiểu học", "Có", None, ["BD02", "CD_DH"]),
        ("Đào Thị Yến", dt.datetime(1990, 12, 31), "Nữ", "Trường THCS Lê Chân", "Trung học cơ sở", "Giáo viên", "Đại học", "Sư phạm Toán", None, None, ["BD05"]),
    ]
    for offset, (name, birth, sex, school, level, title, degree, major, certificate, identifier, topics) in enumerate(typed):
        row = 7 + offset
        for column, value in zip(range(2, 12), (name, birth, sex, school, level, title, degree, major, certificate, identifier)):
            sheet.cell(row, column, value)
        for column in range(12, 12 + len(codes)):
            if codes[column - 12] in topics:
                sheet.cell(row, column, "x")
    book.save(path)

    read = read_roster_file(path, templates.ROSTER_SHEET_NAME)
    assert read.problems.empty, read.problems.to_string()
    people = read.persons
    assert people["name"].tolist() == [item[0] for item in typed]
    assert people["source_row"].tolist() == [7, 8, 9]
    assert people["birth_date"].dt.date.tolist() == [item[1].date() for item in typed]
    assert people["level"].tolist() == ["MN", "TH", "THCS"]
    assert people["degree"].tolist() == ["TC", "CĐ", "ĐH"]
    assert people["title"].tolist() == ["GV", "CBQL", "GV"]
    assert people["topics"].tolist() == ["BD01 TC_DH", "BD02 CD_DH", "BD05"]
    assert people["identifier"].fillna("").tolist() == ["031175000001", "", ""]
    checks, issues = persons.check_persons(people, RULES)
    assert issues.empty, issues.to_string()
    assert checks["in_scope"].tolist() == [True, True, False]


# ---------------------------------------------------------------- the department's list


def test_the_list_workbook_and_persons_csv(tmp_path):
    lists = [read_roster_file(_school_list(tmp_path / "hoa_sen.xlsx"), "DS dang ky").persons]
    more = [
        ["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"],
        ["Đơn vị: Xã An Lão"],
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký", "Số định danh cá nhân"],
        [1, "Lưu Thị Cúc", "10/10/1968", "Nữ", "Mầm non", "GV", "Trung cấp", "BD01", "031168000777"],
        [2, "Tạ Thị Đào", "02/02/1976", "Nữ", "Mầm non", "GV", "Trung cấp", "TC_DH", None],
        [3, "Mai Văn Đức", "20/11/1972", "Nam", "Tiểu học", "GV", "Trung cấp", "TC_DH", None],
        [4, "Khúc Thị Gấm", "07/07/1980", "Nữ", "THCS", "GV", "Cao đẳng", "CD_DH", None],
        [5, "Quách Văn Hùng", "09/09/1988", "Nam", "THCS", "GV", "Đại học", "CD_DH", None],
    ]
    lists.append(read_roster_file(write_rows(tmp_path / "an_lao.xlsx", more), "Sheet1").persons)
    checks, _ = persons.check_persons(pd.concat(lists, ignore_index=True), RULES)
    ordered = persons.order_by_priority(checks, RULES)
    summary = persons.level_summary(checks, _reference().plan, RULES, 2026)
    path = tmp_path / "ca_nhan" / "danh_sach_nang_chuan_2026.xlsx"
    report_persons.write_person_list(path, 2026, ordered, checks, summary, RULES)
    report_persons.write_persons_csv(tmp_path / "ca_nhan" / "persons.csv", persons.person_topics(checks))

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Danh sách ưu tiên", "Không thuộc diện", "Tổng hợp", "An Lão", "Lê Chân"]
    first = book["Danh sách ưu tiên"]
    assert first["A3"].value == report_persons.ORDER_RULE and "ngày nghỉ hưu sớm hơn xếp trước" in first["A3"].value
    listed = [(row[0].value, row[1].value) for row in first.iter_rows(min_row=6) if row[1].value]
    groups = [row[0].value for row in first.iter_rows(min_row=6) if isinstance(row[0].value, str)]
    # In scope: Đào (02/1976) and Hoa (03/1970, cannot finish by 2028), preschool TC; Lê Thị Mai,
    # primary CĐ; Đức, primary TC (96 months needed, 173 left); Gấm, lower secondary CĐ. Not:
    # Lưu Thị Cúc (10/1968: 56 years 8 months reached in 06/2025, 60 months), retired before 2026.
    assert groups == [
        "Mầm non — Đào tạo nâng trình độ chuẩn từ trung cấp lên đại học (TC_DH) (2 người)",
        "Tiểu học — Đào tạo nâng trình độ chuẩn từ cao đẳng lên đại học (CD_DH) (1 người)",
        "Tiểu học — Đào tạo nâng trình độ chuẩn từ trung cấp lên đại học (TC_DH) (1 người)",
        "Trung học cơ sở — Đào tạo nâng trình độ chuẩn từ cao đẳng lên đại học (CD_DH) (1 người)",
    ]
    assert listed == [(1, "Tạ Thị Đào"), (2, "Nguyễn Thị Hoa"), (1, "Lê Thị Mai"), (1, "Mai Văn Đức"), (1, "Khúc Thị Gấm")]
    hoa_row = next(row for row in first.iter_rows(min_row=6) if row[1].value == "Nguyễn Thị Hoa")
    assert [cell.value for cell in hoa_row[7:11]] == [dt.datetime(2027, 7, 31), 85, 19, 2028]
    assert "không kịp hoàn thành" in hoa_row[12].value

    not_in_scope = book["Không thuộc diện"]
    names = {row[1].value: row[-1].value for row in not_in_scope.iter_rows(min_row=5) if row[1].value}
    assert set(names) == {"Quách Văn Hùng"} and names["Quách Văn Hùng"].startswith("Đã đạt chuẩn")

    totals = book["Tổng hợp"]
    values = {row[0].value: [cell.value for cell in row[1:6]] for row in totals.iter_rows(min_row=5) if row[0].value}
    # Below the standard / in scope / registered for an upgrade / of those accepted / the 2026 plan.
    # Preschool: Hoa, Đào, Cúc below (Bình's CĐSP meets it); Hoa held back (cannot finish).
    assert values["Mầm non"] == [3, 2, 2, 1, 89]
    assert values["Tiểu học"] == [2, 2, 2, 2, 354]  # TC→ĐH 10 + CĐ→ĐH 344
    # Lower secondary: Thu (accounting, no certificate) and Gấm below; Hùng (ĐH) registered for CĐ→ĐH, held back.
    assert values["Trung học cơ sở"] == [2, 1, 2, 1, 197]

    an_lao = book["An Lão"]
    assert [row[1].value for row in an_lao.iter_rows(min_row=5)] == ["Lưu Thị Cúc", "Tạ Thị Đào", "Mai Văn Đức", "Khúc Thị Gấm", "Quách Văn Hùng"]

    table = pd.read_csv(tmp_path / "ca_nhan" / "persons.csv", dtype=str, keep_default_na=False)
    assert {"year", "unit", "source_file", "source_sheet", "source_row", "birth_date", "sex", "level", "title", "degree", "topic", "retirement_date", "months_left_2020_07", "in_scope", "reason"} <= set(table.columns)
    assert len(table) == 13  # one row per person and topic: Bình, Lê Thị Mai and Thu registered two each
    cuc = table[table["name"] == "Lưu Thị Cúc"].iloc[0]
    cuc_retires = _end_of_month(*retirement_by_stepping(1968, 10, "Nữ")).isoformat()
    assert (cuc["identifier"], cuc["birth_date"], cuc["retirement_date"], cuc["accepted"]) == ("********0777", "1968-10-10", cuc_retires, "False")
    assert cuc_retires == "2025-06-30"
    assert "031168000777" not in (tmp_path / "ca_nhan" / "persons.csv").read_text(encoding="utf-8")


def test_a_roster_sent_with_the_counts_runs_through_the_pipeline(tmp_path):
    """The school list above in a run: people counted into the registrations, a person's
    problem holding back that person only, the list workbook written, personal data kept
    under ca_nhan/ and the report's problem rows."""
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs" / "reference", inputs / "reference")
    _school_list(inputs / "registrations" / "2026" / "hoa_sen.xlsx")
    outputs = tmp_path / "outputs"
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-12", "--quiet")
    assert result.returncode == 1, result.stderr  # some people held back: the list itself is accepted
    folder = outputs / "2026-12"
    with (folder / "data" / "registrations.csv").open(encoding="utf-8") as handle:
        booked = {(row["unit"], row["topic"], row["level"]): int(row["headcount"]) for row in csv.DictReader(handle)}
    # Hoa (TC_DH, retires before it ends) and Sai (no date) are held back; the others count once per topic.
    assert booked == {
        ("Lê Chân", "BD02", "MN"): 1, ("Lê Chân", "BD03", "MN"): 1, ("Lê Chân", "CD_DH", "TH"): 1,
        ("Lê Chân", "BD01", "TH"): 1, ("Lê Chân", "BD01", "THCS"): 1, ("Lê Chân", "BD03", "THCS"): 1,
    }
    with (folder / "data" / "files.csv").open(encoding="utf-8") as handle:
        (file_row,) = list(csv.DictReader(handle))
    assert file_row["status"] == "chấp nhận" and file_row["headcount"] == "6"
    with (folder / "data" / "issues.csv").open(encoding="utf-8") as handle:
        problems = [row for row in csv.DictReader(handle) if row["severity"] == "lỗi"]
    assert {row["cell"] for row in problems} >= {"C14"}
    # The campaign sees the list as the unit's answer: received, with the people it counts.
    with (folder / "data" / "submissions.csv").open(encoding="utf-8") as handle:
        answered = {row["unit"]: row for row in csv.DictReader(handle) if row["year"] == "2026"}
    assert answered["Lê Chân"]["status"] == "đã chấp nhận" and answered["Lê Chân"]["files"] == "2026/hoa_sen.xlsx"
    assert answered["Lê Chân"]["headcount"] == "6" and int(answered["Lê Chân"]["problems"]) >= 1
    assert "" not in answered  # no file left without a unit
    people = openpyxl.load_workbook(folder / "ca_nhan" / "danh_sach_nang_chuan_2026.xlsx")
    assert {"Danh sách ưu tiên", "Không thuộc diện", "Tổng hợp"} <= set(people.sheetnames)
    with (folder / "ca_nhan" / "persons.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["name"] for row in rows} == {name for (_, name, *_), _ in PEOPLE}
    assert {"year", "unit", "source_file", "source_sheet", "source_row", "birth_date", "sex", "level", "title", "degree", "topic", "retirement_date", "months_left_2020_07", "in_scope", "reason"} <= set(rows[0])
    assert all(row["identifier"] in ("", None) or row["identifier"].lstrip("*").isdigit() and row["identifier"].startswith("*") for row in rows)
    # Names and identifiers nowhere but ca_nhan/: not in the report, the letters or any workbook.
    import zipfile

    for path in folder.rglob("*"):
        if not path.is_file() or "ca_nhan" in path.parts:
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as workbook:
                text = " ".join(workbook.read(member).decode("utf-8") for member in workbook.namelist() if member.endswith(".xml"))
        else:
            text = path.read_text(encoding="utf-8")
        for (_, name, *rest), _ in PEOPLE:
            assert name not in text, (path.name, name)
        assert "31170001234" not in text and "031075000111" not in text


def test_a_roster_whose_every_person_is_held_back_books_nothing_and_says_so(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs" / "reference", inputs / "reference")
    rows = [[*row[:2], "31/02/1980", None, *row[4:]] for row, _ in PEOPLE]  # no birth date can be read
    write_rows(inputs / "registrations" / "2026" / "hoa_sen.xlsx", TITLE + HEADER + rows + FOOTER, sheet="DS dang ky", merged=MERGED)
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(tmp_path / "outputs"), "--period", "2026-12", "--quiet")
    assert result.returncode == 1, result.stderr
    with (tmp_path / "outputs" / "2026-12" / "data" / "registrations.csv").open(encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == []
    with (tmp_path / "outputs" / "2026-12" / "data" / "issues.csv").open(encoding="utf-8") as handle:
        cells = {row["cell"] for row in csv.DictReader(handle) if row["severity"] == "lỗi"}
    assert {f"C{row}" for row in range(10, 10 + len(PEOPLE))} <= cells


# ---------------------------------------------------------------- a count table above the list, on one sheet

_FORM_TITLE = "ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"
_LIST_HEADER = ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]
_LISTED = [
    [1, "Phạm Thị Mai", "12/03/1985", "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"],
    [2, "Vũ Thị Thu", "05/07/1990", "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"],
    [3, "Đỗ Văn Hùng", "20/11/1982", "Nam", "Tiểu học", "Giáo viên", "Đại học", "BD01"],
]


def _form_above_list(path: Path, figures: list[list[object]]) -> Path:
    """The form's count table, then "DANH SÁCH KÈM THEO" and the people, on one sheet."""
    table = [[_FORM_TITLE], ["Đơn vị: Xã Khúc Thừa Dụ"], [], ["TT", "Nội dung", "MN", "TH"], *figures]
    return write_rows(path, table + [[], ["DANH SÁCH KÈM THEO"], _LIST_HEADER, *_LISTED])


def test_a_count_table_above_the_list_on_one_sheet_is_read_and_compared(inputs: Path):
    from conftest import check

    # The table says 6 + 4 for BD01 and 3 + 2 for BD05; the list names 2 + 1 for BD01: the people of BD05 are in the table only.
    _form_above_list(inputs / "registrations" / "khuc_thua_du.xlsx", [[1, "BD01", 6, 4], [2, "BD05", 3, 2], [None, "Tổng số", 9, 6]])
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert int(files["cells_booked"].iloc[0]) == 4 and int(files["cells_checked"].iloc[0]) == 2  # no number of the table left out of the ledger
    named = set(zip(issues["cell"], issues["problem"]))
    assert ("C5", "Khúc Thừa Dụ năm 2026, nội dung BD01, cấp học MN: mẫu đăng ký số lượng ghi 6 người, danh sách cá nhân có 2 người") in named
    assert ("D6", "Khúc Thừa Dụ năm 2026, nội dung BD05, cấp học TH: mẫu đăng ký số lượng ghi 2 người, danh sách cá nhân có 0 người") in named


def test_a_count_table_above_the_list_that_agrees_books_the_figures_once(inputs: Path):
    from conftest import check

    _form_above_list(inputs / "registrations" / "khuc_thua_du.xlsx", [[1, "BD01", 2, 1], [None, "Tổng số", 2, 1]])
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues.to_string()
    assert registrations.groupby(["topic", "level"])["headcount"].sum().to_dict() == {("BD01", "MN"): 2, ("BD01", "TH"): 1}
    # What the campaign counts for the unit: the table's 3, not the list's 3 on top of them.
    from pipeline import intake
    from pipeline.reference import read_reference

    booked = intake.check_inputs(inputs / "registrations", read_reference(inputs / "reference")).booked
    assert booked.groupby("unit")["headcount"].sum().to_dict() == {"Khúc Thừa Dụ": 2 + 1}


# ---------------------------------------------------------------- a workplace naming another unit

_WORKPLACE_HEADER = ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]


@pytest.mark.parametrize(("workplace", "held_back"), [
    ("Xã An Lão", True),  # a commune: the person is another unit's
    ("Phường Lê Chân", True),
    ("Trường Mầm non Hoa Sen", False),  # a school: where the person works
    ("Trường MN Lê Chân", False),  # a school named after a ward is no ward
    ("Khúc Thừa Dụ", False),  # the list's own unit
    ("Trường Mầm non thực hành Trần Phú", False),  # schools named after a place, with words between
    ("Trường MN số 1 Trần Phú", False),
    ("Trường MN tư thục Hòa Bình", False),
])
def test_a_workplace_naming_another_unit_holds_the_list_back(inputs: Path, workplace: str, held_back: bool):
    from conftest import check

    people = [[1, "Phạm Thị Mai", "12/03/1985", "Nữ", "Trường Mầm non Hoa Sen", "Mầm non", "Giáo viên", "Đại học", "BD01"],
              [2, "Vũ Thị Thu", "05/07/1990", "Nữ", workplace, "Mầm non", "Giáo viên", "Đại học", "BD01"]]
    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], _WORKPLACE_HEADER, *people])
    registrations, issues, files = check(inputs)
    if held_back:
        assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
        errors = issues[issues["severity"] == "lỗi"]
        assert errors["cell"].tolist() == ["E5"] and "khác đơn vị Khúc Thừa Dụ của danh sách" in errors["problem"].iloc[0]
    else:
        assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
        assert registrations[["unit", "topic", "level", "headcount"]].values.tolist() == [["Khúc Thừa Dụ", "BD01", "MN", 2]]


# ---------------------------------------------------------------- dates typed month first

_DATED_HEADER = ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]


def _dated_list(path: Path, births: list[object]) -> Path:
    people = [[index, name, birth, "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"] for index, (name, birth) in enumerate(zip(["Phạm Thị Mai", "Vũ Thị Thu", "Đỗ Thị Hoa"], births), start=1)]
    rows = [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], _DATED_HEADER, *people]
    return write_rows(path, rows) if path.suffix == ".xlsx" else write_csv_rows(path, rows)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_dates_that_read_two_ways_in_a_list_with_a_month_first_date_are_not_guessed(inputs: Path, suffix: str):
    from conftest import check

    _dated_list(inputs / "registrations" / f"ds{suffix}", ["3/4/1981", "6/15/1982", "11/2/1984"])  # 6/15 can only be June 15th
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    two_ways = issues[issues["problem"].str.contains("đọc được hai cách")]
    assert two_ways["cell"].tolist() == ["C4", "C6"] and "ngày 3 tháng 4, hoặc ngày 4 tháng 3" in two_ways["problem"].iloc[0]


@pytest.mark.parametrize("births", [["3/4/1981", "15/6/1982", "11/2/1984"], ["3/4/1981", "5/5/1982", "11/2/1984"], [dt.date(1981, 4, 3), "6/15/1982", dt.date(1984, 2, 11)]])
def test_dates_read_day_first_where_nothing_says_otherwise(inputs: Path, births: list[object]):
    from conftest import check

    _dated_list(inputs / "registrations" / "ds.xlsx", births)
    _, issues, _ = check(inputs)
    assert not issues["problem"].str.contains("đọc được hai cách").any()


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_a_person_merged_over_two_rows_registers_both_topics(inputs: Path, tmp_path: Path, suffix: str):
    from conftest import check

    people = [[1, "Phạm Thị Mai", "12/03/1985", "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"], [None, None, None, None, None, None, None, "BD02"],
              [2, "Vũ Thị Thu", "05/07/1990", "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"]]
    rows = [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], _DATED_HEADER, *people]
    source = write_rows(tmp_path / "typed" / "ds.xlsx", rows, merged=tuple(f"{column}4:{column}5" for column in "ABCDEFG"))
    place_as(source, suffix, inputs / "registrations")
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert sorted(registrations[["topic", "headcount"]].values.tolist()) == [["BD01", 2], ["BD02", 1]]


# ---------------------------------------------------------------- a list hidden, or of another year

def _list_rows(title: str = "DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026") -> list[list[object]]:
    people = [[1, "Phạm Thị Mai", "12/03/1985", "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"], [2, "Vũ Thị Thu", "05/07/1990", "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"]]
    return [[title], ["Đơn vị: Xã Khúc Thừa Dụ"], _DATED_HEADER, *people]


def _said(issues, words: str):
    return issues[(issues["severity"] == "cảnh báo") & issues["problem"].str.contains(words, regex=False)]


def test_people_in_a_hidden_row_or_sheet_are_counted_and_said(inputs: Path):
    from conftest import check

    write_rows(inputs / "registrations" / "a.xlsx", _list_rows(), hidden_rows=(5,))
    workbook = openpyxl.Workbook()
    workbook.active.title = "Hướng dẫn"
    workbook.active.append(["Danh sách ở trang sau"])
    hidden = workbook.create_sheet("DS")
    for row in _list_rows():
        hidden.append(row)
    hidden.sheet_state = "hidden"
    workbook.save(inputs / "registrations" / "b.xlsx")
    registrations, issues, _ = check(inputs)
    said = _said(issues, "Có số liệu ở")
    assert said[["file", "cell"]].values.tolist() == [["a.xlsx", "B5"], ["b.xlsx", "B4"]]
    assert "dòng ẩn 5 (ô B5)" in said["problem"].iloc[0] and "trang tính ẩn \"DS\" (ô B4, B5)" in said["problem"].iloc[1]


def test_a_list_of_another_year_than_its_folder_is_counted_to_its_title_and_said(inputs: Path):
    from conftest import check

    write_rows(inputs / "registrations" / "2026" / "ds.xlsx", _list_rows("DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2025"))
    registrations, issues, _ = check(inputs)
    assert registrations["year"].unique().tolist() == [2025]
    said = _said(issues, "ghi năm 2025, nhưng")
    assert len(said) == 1 and "thư mục \"2026\"" in said["problem"].iloc[0]


def test_a_sex_typed_against_the_column_of_the_birth_date_is_not_guessed(inputs: Path):
    from conftest import check

    header = ["TT", "Họ và tên", "Nam", "Nữ", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]
    people = [[1, "Phạm Thị Mai", "12/03/1985", None, "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"],  # born under "Nam", typed "Nữ"
              [2, "Vũ Thị Thu", None, "05/07/1990", "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"]]
    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], header, *people])
    registrations, issues, _ = check(inputs)
    errors = issues[issues["severity"] == "lỗi"]
    assert errors["cell"].tolist() == ["E4"] and "không xác định được giới tính" in errors["problem"].iloc[0]
    assert registrations["headcount"].sum() == 1  # the other person counted


@pytest.mark.parametrize(("school", "held_back"), [("Trường THCS Kim Đồng", True), ("Trường Mầm non Hoa Sen", False), ("Trường TH&THCS Hòa Bình", False)])
def test_a_level_typed_against_the_school_s_is_not_guessed(inputs: Path, school: str, held_back: bool):
    from conftest import check

    header = ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Trường", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]
    people = [[1, "Phạm Thị Mai", "12/03/1985", "Nữ", school, "Mầm non", "Giáo viên", "Đại học", "BD01"]]
    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], header, *people])
    registrations, issues, _ = check(inputs)
    errors = issues[issues["severity"] == "lỗi"]
    if held_back:
        assert errors["cell"].tolist() == ["F4"] and "không xác định được cấp học" in errors["problem"].iloc[0] and registrations.empty
    else:
        assert errors.empty and registrations[["level", "headcount"]].values.tolist() == [["MN", 1]]


@pytest.mark.parametrize(("stated", "held_back"), [((1, 1, 1, 2), False), ((3, 1, 1, 2), True), ((1, 1, 2, 2), True)])  # BD01, men, women, BD03
def test_a_list_s_total_row_is_checked_against_its_people(inputs: Path, stated: tuple, held_back: bool):
    from conftest import check

    header = ["TT", "Họ và tên", "Nam", "Nữ", "Cấp học", "Chức vụ", "Trình độ đào tạo", "BD01", "BD03"]
    people = [[1, "Phạm Thị Mai", None, "12/03/1985", "Mầm non", "Giáo viên", "Đại học", "x", "x"],
              [2, "Dương Văn Út", "01/03/1981", None, "Mầm non", "Giáo viên", "Đại học", None, "x"]]
    men, women, bd01, bd03 = stated[1], stated[2], stated[0], stated[3]
    total = [None, "Tổng cộng", men, women, None, None, None, bd01, bd03]
    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], header, *people, total])
    registrations, issues, files = check(inputs)
    errors = issues[issues["severity"] == "lỗi"]
    if held_back:
        wrong = "H6" if bd01 != 1 else "D6"
        assert errors["cell"].tolist() == [wrong] and "danh sách bên trên có 1 người" in errors["problem"].iloc[0] and registrations.empty
    else:
        assert errors.empty, errors["problem"].tolist()
        assert registrations.groupby("topic")["headcount"].sum().to_dict() == {"BD01": 1, "BD03": 2}


# ---------------------------------------------------------------- where a list ends, and cells no column reads

_SIGNED_HEADER = ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]
_MAI = [1, "Phạm Thị Mai", "12/03/1985", "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"]
_THU = [2, "Vũ Thị Thu", "05/07/1990", "Nữ", "Tiểu học", "Hiệu trưởng", "Đại học", "BD02"]
_UT = [3, "Dương Văn Út", "01/03/1981", "Nam", "THCS", "Giáo viên", "Đại học", "BD03"]
_SIGNING = [[], [None, None, None, None, "Khúc Thừa Dụ, ngày 10 tháng 12 năm 2025"], [None, None, None, None, "HIỆU TRƯỞNG"], [], [None, None, None, None, "Nguyễn Văn Bình"]]


def _signed_list(path: Path, body: list[list[object]]) -> Path:
    rows = [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], _SIGNED_HEADER, *body, *_SIGNING]
    return write_rows(path, rows) if path.suffix == ".xlsx" else write_csv_rows(path, rows)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("line", [
    ["I", "Hiệu trưởng"],  # a group heading that is also a signing word
    [None, None, None, None, None, None, None, None, "Nghỉ thai sản đến ngày 30 tháng 3 năm 2026"],  # a note with a date, no name
    ["Danh sách bổ sung (ngày 15 tháng 12 năm 2025)"],  # a heading in the first column, merged across as typed
])
def test_a_line_like_a_signature_with_people_under_it_does_not_end_the_list(inputs: Path, suffix: str, line: list):
    from conftest import check

    _signed_list(inputs / "registrations" / f"ds{suffix}", [_MAI, line, _THU, _UT])
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert sorted(registrations[["topic", "level", "headcount"]].values.tolist()) == [["BD01", "MN", 1], ["BD02", "TH", 1], ["BD03", "THCS", 1]]
    said = _said(issues, "bên dưới vẫn còn người")
    assert said["cell"].tolist() == ["B5"] and "từ dòng 6" in said["problem"].iloc[0]


def test_the_signing_block_ends_the_list_and_a_second_list_under_it_holds_the_sheet_back(inputs: Path):
    from conftest import check

    _signed_list(inputs / "registrations" / "ds.xlsx", [_MAI, _THU])
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and len(registrations) == 2 and not _said(issues, "bên dưới vẫn còn người").size
    second = [["DANH SÁCH TRƯỜNG TIỂU HỌC"], _SIGNED_HEADER, _UT]
    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], _SIGNED_HEADER, _MAI, _THU, *_SIGNING, *second])
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    errors = issues[issues["severity"] == "lỗi"]
    assert errors["cell"].tolist() == ["B7"] and "còn một danh sách khác, có người từ dòng 13" in errors["problem"].iloc[0]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_csv_line_split_by_unquoted_topics_holds_the_list_back(inputs: Path, delimiter: str):
    from conftest import check

    lines = ["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026".replace(",", "") , "Đơn vị: Xã Khúc Thừa Dụ", delimiter.join(_SIGNED_HEADER)]
    lines += [delimiter.join(str(value) for value in _MAI[:-1]) + f"{delimiter}BD01{delimiter} BD03", delimiter.join(str(value) for value in _UT)]
    (inputs / "registrations" / "ds.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    errors = issues[issues["severity"] == "lỗi"]
    assert errors[["cell", "value"]].values.tolist() == [["I4", "BD03"]] and "không có tiêu đề" in errors["problem"].iloc[0]


def test_a_value_past_the_header_or_a_mark_under_a_header_naming_no_topic_holds_the_list_back(inputs: Path):
    from conftest import check

    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], _SIGNED_HEADER, _MAI + ["BD05"], _UT])
    registrations, issues, _ = check(inputs)
    assert registrations.empty and issues[issues["severity"] == "lỗi"]["cell"].tolist() == ["I4"]
    header = ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "BD01", "Đổi mới PPDH", "Số điện thoại"]
    people = [[1, "Phạm Thị Mai", "12/03/1985", "Nữ", "Mầm non", "Giáo viên", "Đại học", "x", "x", "0912 345 678"],
              [2, "Dương Văn Út", "01/03/1981", "Nam", "THCS", "Giáo viên", "Đại học", "x", None, "0913 111 222"]]
    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], header, *people])
    registrations, issues, _ = check(inputs)
    errors = issues[issues["severity"] == "lỗi"]
    assert registrations.empty and errors["cell"].tolist() == ["I4"] and "\"Đổi mới PPDH\"" in errors["problem"].iloc[0]
    people[0][8] = None  # the column of phone numbers is the list's business
    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], header, *people])
    registrations, issues, _ = check(inputs)
    assert issues[issues["severity"] == "lỗi"].empty and registrations.groupby("topic")["headcount"].sum().to_dict() == {"BD01": 2}


@pytest.mark.parametrize("above", [False, True])
def test_a_list_without_a_names_column_is_held_back_without_quoting_its_people(inputs: Path, above: bool):
    from conftest import check

    header = ["STT", "Giáo viên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung"]  # no column read as the names (a count form's group)
    person = [1, "Nguyễn Thị Hồng Nhung", dt.datetime(1985, 6, 15), "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"]
    form = [["TT", "Nội dung", "Mầm non"], [1, "BD01", 1], [None, "Tổng số", 1], [], ["DANH SÁCH KÈM THEO"]] if above else []
    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], *form, header, person])
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    row = 3 + len(form)
    errors = issues[issues["severity"] == "lỗi"]
    assert f"A{row}" in errors["cell"].tolist() and f"dòng {row} là tiêu đề của một danh sách người" in " ".join(errors["problem"])
    shown = " ".join(issues["value"].astype(str)) + " ".join(issues["problem"])
    assert not any(secret in shown for secret in ("Hồng", "Nhung", "1985", "15/06"))


@pytest.mark.parametrize("birth", ["Ngày sinh", "Năm sinh", "Số định danh"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_people_typed_into_the_count_form_are_never_quoted(inputs: Path, suffix: str, birth: str):
    """Names under "Nội dung" and birth dates under "Ngày sinh" of a count form's header: a list of
    people, held back for its header, never a count table whose messages quote each name and date."""
    from conftest import check

    rows = [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", birth, "MN", "TH"],
            [1, "Nguyễn Thị Hồng Nhung", "15/06/1985", 1, None], [2, "Trần Văn Khải", "02/11/1979", None, 1]]
    target = inputs / "registrations" / f"ds{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert "dòng 3 là tiêu đề của một danh sách người" in " ".join(issues["problem"])
    shown = " ".join(issues["value"].astype(str)) + " ".join(issues["problem"]) + " ".join(issues["fix"])
    assert not any(secret in shown for secret in ("Nhung", "Khải", "1985", "1979"))


def test_a_birth_column_headed_sinh_nam_is_read(inputs: Path):
    from conftest import check

    header = ["TT", "Họ và tên", "Sinh năm", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]
    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], header, [1, "Phạm Thị Mai", 1985, "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"]])
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert registrations[["topic", "level", "headcount"]].values.tolist() == [["BD01", "MN", 1]]


@pytest.mark.parametrize(("school_totals", "held_back"), [((1, 1, 2), False), ((1, 2, 2), "H10"), ((1, 1, 3), "H11")])  # BD01 under each school's "Cộng", then in all
def test_a_subtotal_under_each_school_counts_its_own_people(inputs: Path, school_totals: tuple, held_back: str | bool):
    from conftest import check

    header = ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "BD01", "BD02"]
    rows = [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], header,
            ["I", "Trường Mầm non Hoa Sen"], [1, "Phạm Thị Mai", "12/03/1985", "Nữ", "Mầm non", "Giáo viên", "Đại học", "x", None],
            [None, "Cộng", None, None, None, None, None, school_totals[0], 0],
            ["II", "Trường Tiểu học Lê Lợi"], [2, "Vũ Thị Thu", "05/07/1990", "Nữ", "Tiểu học", "Giáo viên", "Đại học", "x", None],
            [3, "Dương Văn Út", "01/03/1981", "Nam", "Tiểu học", "Giáo viên", "Đại học", None, "x"],
            [None, "Cộng", None, None, None, None, None, school_totals[1], 1], [None, "Tổng cộng", None, None, None, None, None, school_totals[2], 1]]
    write_rows(inputs / "registrations" / "ds.xlsx", rows)
    registrations, issues, files = check(inputs)
    errors = issues[issues["severity"] == "lỗi"]
    if held_back:
        whose = "nhóm bên trên (từ sau dòng tổng 6) có 1 người" if held_back == "H10" else "danh sách bên trên có 2 người"
        assert registrations.empty and errors["cell"].tolist() == [held_back] and whose in errors["problem"].iloc[0]
    else:
        assert errors.empty, errors["problem"].tolist()
        assert registrations.groupby(["topic", "level"])["headcount"].sum().to_dict() == {("BD01", "MN"): 1, ("BD01", "TH"): 1, ("BD02", "TH"): 1}


@pytest.mark.parametrize("layout", ["one row", "under a merged Họ và tên", "csv"])
def test_a_name_typed_as_ho_dem_and_ten_is_read_whole(inputs: Path, layout: str):
    from pipeline import intake
    from pipeline.reference import read_reference

    parts = ["STT", "Họ đệm", "Tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]
    people = [[1, "Phạm Thị", "Mai", "12/03/1985", "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"], [2, "Dương Văn", "Út", "01/03/1981", "Nam", "THCS", "Giáo viên", "Đại học", "BD03"]]
    title = [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"]]
    if layout == "one row":
        write_rows(inputs / "registrations" / "ds.xlsx", [*title, parts, *people])
    elif layout == "csv":
        write_csv_rows(inputs / "registrations" / "ds.csv", [*title, parts, *people])
    else:
        top = ["STT", "Họ và tên", None, *parts[3:]]
        merged = ("B3:C3", *(f"{column}3:{column}4" for column in "ADEFGHI"))
        write_rows(inputs / "registrations" / "ds.xlsx", [*title, top, [None, "Họ đệm", "Tên", *[None] * 6], *people], merged=merged)
    found = intake.check_inputs(inputs / "registrations", read_reference(inputs / "reference"))
    assert found.files["status"].tolist() == ["chấp nhận"], found.issues["problem"].tolist()
    assert sorted(found.persons["name"]) == ["Dương Văn Út", "Phạm Thị Mai"]
    assert found.issues[found.issues["severity"] == "lỗi"].empty and not found.issues["problem"].str.contains("Hai cột|chỉ có chữ").any(), found.issues["problem"].tolist()
    assert found.registrations.groupby("topic")["headcount"].sum().to_dict() == {"BD01": 1, "BD03": 1}


@pytest.mark.parametrize("second_mark", [False, True])
def test_a_level_marked_x_under_a_merged_cap_hoc_is_read(inputs: Path, second_mark: bool):
    from conftest import check

    top = ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", None, None, "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]
    sub = [None, None, None, None, "Mầm non", "Tiểu học", "THCS", None, None, None]
    people = [[1, "Phạm Thị Mai", "12/03/1985", "Nữ", "x", "x" if second_mark else None, None, "Giáo viên", "Đại học", "BD01"],
              [2, "Dương Văn Út", "01/03/1981", "Nam", None, None, "X", "Giáo viên", "Đại học", "BD03"]]
    merged = ("E3:G3", *(f"{column}3:{column}4" for column in "ABCDHIJ"))
    write_rows(inputs / "registrations" / "ds.xlsx", [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], top, sub, *people], merged=merged)
    registrations, issues, files = check(inputs)
    errors = issues[issues["severity"] == "lỗi"]
    if second_mark:  # two levels marked: that person is held back, the cell named
        assert errors["cell"].tolist() == ["E5"] and "không xác định được cấp học" in errors["problem"].iloc[0]
        assert registrations[["topic", "level", "headcount"]].values.tolist() == [["BD03", "THCS", 1]]
    else:
        assert errors.empty and not issues["problem"].str.contains("Hai cột").any(), issues["problem"].tolist()
        assert sorted(registrations[["topic", "level", "headcount"]].values.tolist()) == [["BD01", "MN", 1], ["BD03", "THCS", 1]]


# ---------------------------------------------------------------- personal data slipped under a labelled column

_SLIPPED_HEADER = ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]


def _workbook_text(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as workbook:
        return " ".join(workbook.read(member).decode("utf-8") for member in workbook.namelist() if member.endswith(".xml"))


def test_a_birth_date_or_a_name_under_a_labelled_column_is_never_quoted(tmp_path: Path):
    """A birth date typed under "Giới tính" (swapped in an .xlsx, or a CSV line shifted by an
    unquoted comma in the name) and a name under "Chức vụ": the problem names the cell and
    says what is wrong, and neither issues.csv nor the report quotes them. A mistyped label
    ("Nữa", "Sơ cấp") is still quoted."""
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs" / "reference", inputs / "reference")
    mai = [1, "Phạm Thị Mai", "12/03/1985", "Nữ", "Mầm non", "Giáo viên", "Đại học", "BD01"]
    swapped = [2, "Lê Thị Bích Ngọc", "Nữ", dt.datetime(1990, 1, 23), "Tiểu học", "Giáo viên", "Đại học", "BD01"]  # birth date and sex swapped
    name_as_title = [3, "Giáo viên", "05/07/1991", "Nữ", "Mầm non", "Vũ Thị Thu Hằng", "Đại học", "BD01"]  # name and title swapped
    mistyped = [4, "Dương Văn Út", "01/03/1981", "Nữa", "THCS", "Giáo viên", "Sơ cấp", "BD03"]
    title = [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], _SLIPPED_HEADER]
    write_rows(inputs / "registrations" / "2026" / "khuc_thua_du.xlsx", [*title, mai, swapped, name_as_title, mistyped])
    # Another unit's list as a CSV whose line 5 holds "Lê Thị, Bích Ngọc" unquoted.
    lines = ["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO BỒI DƯỠNG NĂM 2026", "Đơn vị: Phường Lê Chân", ",".join(_SLIPPED_HEADER), "1,Đỗ Văn Hùng,20/11/1982,Nam,Tiểu học,Giáo viên,Đại học,BD01",
             "2,Lê Thị, Bích Ngọc,23/01/1990,Nữ,Tiểu học,Giáo viên,Đại học,BD01"]
    (inputs / "registrations" / "2026" / "le_chan.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    outputs = tmp_path / "outputs"
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-12", "--quiet")
    assert result.returncode == 1, result.stderr
    folder = outputs / "2026-12"
    with (folder / "data" / "issues.csv").open(encoding="utf-8") as handle:
        issues = list(csv.DictReader(handle))
    by_place = {(row["file"], row["cell"]): row for row in issues if row["severity"] == "lỗi"}
    withheld = [("2026/khuc_thua_du.xlsx", "D5", "giới tính"), ("2026/khuc_thua_du.xlsx", "F6", "chức vụ"), ("2026/le_chan.csv", "D5", "giới tính")]
    for file, cell, what in withheld:
        row = by_place[(file, cell)]
        assert row["value"] == "" and f"không xác định được {what} (ô {cell} có vẻ là họ tên, ngày sinh" in row["problem"], row
    for cell, label, what in (("D7", "Nữa", "giới tính"), ("G7", "Sơ cấp", "trình độ đào tạo")):
        row = by_place[("2026/khuc_thua_du.xlsx", cell)]
        assert row["value"] == label and f"không xác định được {what} (\"{label}\")" in row["problem"], row
    with (folder / "data" / "registrations.csv").open(encoding="utf-8") as handle:
        booked = {(row["unit"], row["topic"], row["level"]): int(row["headcount"]) for row in csv.DictReader(handle)}
    assert booked == {("Khúc Thừa Dụ", "BD01", "MN"): 1}  # Mai only: the others are held back, the CSV for its cell past the header
    secrets = ["23/01/1990", "1990-01-23", "Bích Ngọc", "Lê Thị", "Thu Hằng", "Phạm Thị Mai", "12/03/1985"]
    shared = [path for path in folder.rglob("*") if path.is_file() and "ca_nhan" not in path.parts and path.suffix in (".csv", ".xlsx")]
    assert folder / "validation_report.xlsx" in shared
    for path in shared:
        text = _workbook_text(path) if path.suffix == ".xlsx" else path.read_text(encoding="utf-8")
        assert not [secret for secret in secrets if secret in text], path.name


# ---------------------------------------------------------------- a row with no name that holds a registration

_SHIFTED_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "BD01", "Nội dung đăng ký"]
_HOA = [1, "Nguyễn Thị Hoa", "15/06/1985", "Nữ", "Mầm non", "Giáo viên", "Đại học", "x", None]
_KHAI = [2, "Trần Văn Khải", "02/11/1979", "Nam", "Mầm non", "Hiệu trưởng", "Đại học", None, "BD02"]
_NGOC = [3, "Lê Thị Ngọc", "23/01/1990", "Nữ", "Tiểu học", "Giáo viên", "Đại học", "x", None]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize(("nameless", "column"), [
    # Khải's row shifted one column right: the name under "Ngày sinh", the birth date under "Giới tính", "BD02" past the header.
    ([2, None, *_KHAI[1:7], None, "BD02"], "D"),
    ([None, None, None, None, None, None, None, None, "BD03"], "I"),  # Khải's second topic typed on a row of its own
    ([None, None, None, None, None, None, None, "x", None], "H"),  # a mark under a topic's column
    ([None, None, "02/11/1979", "Nam", "Mầm non", "Hiệu trưởng", "Đại học", None, None], "C"),  # a person's data, no topic
])
def test_a_row_with_no_name_holding_a_registration_or_a_person_holds_the_list_back(inputs: Path, suffix: str, nameless: list, column: str):
    from conftest import check

    body = [_HOA, nameless, _NGOC] if nameless[0] == 2 else [_HOA, _KHAI, nameless, _NGOC]
    rows = [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], [], _SHIFTED_HEADER, *body]
    path = inputs / "registrations" / f"ds{suffix}"
    write_rows(path, rows) if suffix == ".xlsx" else write_csv_rows(path, rows)
    registrations, issues, files = check(inputs)
    row = rows.index(nameless) + 1
    errors = issues[issues["severity"] == "lỗi"]
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty, issues["problem"].tolist()
    (held,) = errors[errors["cell"] == f"B{row}"].to_dict("records")
    assert held["value"] == "" and f"Dòng {row} không có họ tên" in held["problem"] and f"(ô {column}{row})" in held["problem"], held
    shown = " ".join([*issues["value"], *issues["problem"], *issues["fix"]])
    assert not any(secret in shown for secret in ("Khải", "02/11/1979", "Hoa", "Ngọc"))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_row_with_no_name_and_no_registration_is_passed_over_as_before(inputs: Path, suffix: str):
    """A blank row, a group heading under "Cấp học" and a note beside the list hold nobody: the list is read."""
    from conftest import check

    heading = [None, None, None, None, "Cấp Tiểu học", None, None, None, None]
    note = [None, None, None, None, None, None, None, None, None, "Danh sách bổ sung ngày 15/12/2025"]
    rows = [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], [], _SHIFTED_HEADER, _HOA, _KHAI, [], heading, note, _NGOC]
    path = inputs / "registrations" / f"ds{suffix}"
    write_rows(path, rows) if suffix == ".xlsx" else write_csv_rows(path, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    expected = {}
    for person in (_HOA, _KHAI, _NGOC):
        level = {"Mầm non": "MN", "Tiểu học": "TH"}[person[4]]
        for topic in (["BD01"] if person[7] else []) + ([person[8]] if person[8] else []):
            expected[(topic, level)] = expected.get((topic, level), 0) + 1
    assert registrations.groupby(["topic", "level"])["headcount"].sum().to_dict() == expected
    assert _said(issues, "không có họ tên, đã bỏ qua")["cell"].tolist() == ["B8"]


# ---------------------------------------------------------------- the names column under other headings

_NAME_HEADINGS = ["Tên giáo viên", "Tên CBQL, GV", "Cán bộ, giáo viên", "Người đăng ký", "Họ tên", "Họ và tên CBQL, GV"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("heading", _NAME_HEADINGS)
def test_a_names_column_under_the_headings_offices_type_is_read(inputs: Path, suffix: str, heading: str):
    from conftest import check

    header = ["STT", heading, "Ngày sinh", "Giới tính", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Nội dung đăng ký"]
    people = [_MAI, _THU, _UT]
    rows = [["DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"], ["Đơn vị: Xã Khúc Thừa Dụ"], header, *people]
    path = inputs / "registrations" / f"ds{suffix}"
    write_rows(path, rows) if suffix == ".xlsx" else write_csv_rows(path, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    levels = {"Mầm non": "MN", "Tiểu học": "TH", "THCS": "THCS"}
    expected = sorted([person[7], levels[person[4]], 1] for person in people)
    assert sorted(registrations[["topic", "level", "headcount"]].values.tolist()) == expected


def test_no_heading_of_a_count_form_is_taken_for_a_names_column(inputs: Path):
    """Every heading the count forms know (aliases.csv), every level's name and alias
    (levels.csv) and every topic's name: none is the names column of a list of people, so a
    count form is never read as one; a unit's form with them is booked as counts."""
    from conftest import check

    reference = _reference()
    aliases = pd.read_csv(ROOT / "inputs" / "reference" / "aliases.csv")
    levels = pd.read_csv(ROOT / "inputs" / "reference" / "levels.csv")
    headings = [*aliases.loc[aliases["kind"] == "header", "alias"], *levels["name"], *levels["header"], *reference.topics["name"]]
    headings += [alias.strip() for cell in levels["aliases"].dropna() for alias in cell.split(";")]
    headings += [f"{group} {level}" for group in ("Cán bộ quản lý", "Giáo viên", "CBQL", "GV") for level in levels["name"]]
    assert [heading for heading in headings if VOCABULARY.header_role(heading) == "name"] == []
    counts = [("BD01", {"MN": 4, "TH": 2}), ("BD03", {"THCS": 3})]
    write_unit_file(inputs / "registrations" / "khuc_thua_du.xlsx", "Xã Khúc Thừa Dụ", 2026, counts)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    booked = registrations[registrations["headcount"] > 0]
    assert sorted(booked[["topic", "level", "headcount"]].values.tolist()) == sorted([topic, level, count] for topic, figures in counts for level, count in figures.items())

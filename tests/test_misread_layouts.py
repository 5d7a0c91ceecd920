"""Layouts that were once read without a word and booked wrong (found by a sweep of
files written the way offices write them). Each is now held back, naming the cell.

- a CSV line longer than its header: the cells past the header were cut off unseen (a
  number right of every column the header names now holds the file back);
- a school or centre written by its abbreviation before a place ("MN Gia Viên", "TH Lê
  Chân", "TTGDNN-GDTX Kiến Thụy"): booked to the ward of that name, with a mere warning;
- a title block naming one unit above rows naming another ("Đơn vị: Xã Vĩnh Am" over a
  row "Vĩnh Bảo", the former district): the rows won in silence;
- an "of which" row ("Trong đó: Bồi dưỡng nghiệp vụ sư phạm") under the row it is part of:
  booked as registrations of its own, its people counted twice;
- a line among a table's rows naming another year, unit, topic or level ("Năm 2027",
  "Đơn vị: Xã B", a second title, "Cấp học: Tiểu học") with no header of its own under it:
  the rows below it were booked to the table's year, unit, topic or level;
- a form's example row ("Ví dụ: <a topic>" with figures): booked as a registration.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import check
from workbooks import convert_with_libreoffice, place_as, write_csv_rows, write_rows

STEM = "ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM NĂM 2026"
HEADER = ["STT", "Đơn vị", "MN", "TH", "THCS"]


def _held_back_at(inputs: Path, cells: list[str]):
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] * len(files)
    assert registrations.empty
    errors = issues[issues["severity"] == "lỗi"]
    assert sorted(set(errors["cell"])) == sorted(cells), errors[["cell", "problem"]].to_string()
    return errors


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_csv_line_longer_than_its_header_is_held_back_not_cut(inputs: Path, delimiter: str):
    # "1,192" typed unquoted in a comma CSV: 1 | 192 | 874 | 852 under MN | TH | THCS.
    rows = [[STEM], [], HEADER, [1, "Phường Dương Kinh", 1, 192, 874, 852], [2, "Phường Đồ Sơn", 25, 18, 12]]
    write_csv_rows(inputs / "registrations" / "x.csv", rows, delimiter=delimiter)
    errors = _held_back_at(inputs, ["F4"])
    assert errors["value"].tolist() == [delimiter.join(["1", "192", "874", "852"])] and "có 6 ô, nhiều hơn 5 ô của dòng tiêu đề" in errors["problem"].iloc[0]


# The same split where nothing falls past the header: the last figure moves into the
# notes, or into a level left blank; and every line split alike.
SPLIT_LINES = {
    "into the notes": (["STT", "Đơn vị", "MN", "TH", "THCS", "Ghi chú"], [[1, "Phường Dương Kinh", 1, 192, 874, 852, None], [2, "Phường Đồ Sơn", 25, 18, 12, None]], ["G4"]),
    "into a blank level": (HEADER, [[1, "Phường Dương Kinh", 1, 192, 874, None], [2, "Phường Đồ Sơn", 25, 18, 12]], ["F4"]),
    "under a two-line header": (["STT", "Đơn vị", "Số lượng", None, None], [[None, None, "MN", "TH", "THCS"], [1, "Phường Dương Kinh", 1, 192, 874, None], [2, "Phường Đồ Sơn", 25, 18, 12]], ["F5"]),
    "every line alike": (HEADER, [[1, "Phường Dương Kinh", 1, 192, 874, None], [2, "Phường Đồ Sơn", 2, 500, 18, None]], ["F4", "F5"]),
}


@pytest.mark.parametrize("layout", SPLIT_LINES)
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_split_csv_line_with_nothing_past_its_header_is_held_back(inputs: Path, layout: str, delimiter: str):
    header, lines, cells = SPLIT_LINES[layout]
    write_csv_rows(inputs / "registrations" / "x.csv", [[STEM], [], header, *lines], delimiter=delimiter)
    errors = _held_back_at(inputs, cells)
    assert all(f"nhiều hơn {len(header)} ô của dòng tiêu đề" in problem for problem in errors["problem"])


def test_data_lines_ending_with_a_comma_more_and_no_split_figure_are_read(inputs: Path):
    # Each data line one field longer than the header, blank: a comma typed at the end, no "1,192" to split.
    rows = [[STEM], [], HEADER, [1, "Phường Dương Kinh", 11, 19, 87, None], [2, "Phường Đồ Sơn", 25, 18, 12, None]]
    write_csv_rows(inputs / "registrations" / "x.csv", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and registrations["headcount"].sum() == 11 + 19 + 87 + 25 + 18 + 12


def test_lines_as_long_as_a_header_ending_with_a_blank_field_are_read(inputs: Path):
    rows = [[STEM], [], [*HEADER, None], [1, "Phường Dương Kinh", 11, 19, 87, None], [2, "Phường Đồ Sơn", 25, 18, 12, None]]
    write_csv_rows(inputs / "registrations" / "x.csv", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and registrations["headcount"].sum() == 11 + 19 + 87 + 25 + 18 + 12


@pytest.mark.parametrize(("school", "ward"), [("MN Gia Viên", "Gia Viên"), ("TH Lê Chân", "Lê Chân"), ("MG Hồng Bàng", "Hồng Bàng"), ("TTGDNN-GDTX Kiến Thụy", "Kiến Thụy"), ("PTCS Tiên Lãng", "Tiên Lãng")])
def test_a_school_written_by_its_abbreviation_is_not_the_ward(inputs: Path, school: str, ward: str):
    write_rows(inputs / "registrations" / "x.xlsx", [[STEM], ["STT", "Đơn vị", "MN"], [1, school, 7]])
    errors = _held_back_at(inputs, ["B3"])
    assert errors["value"].tolist() == [school]
    assert "là tên một trường" in errors["fix"].iloc[0] and f"không phải {_kind(ward)} {ward}" in errors["fix"].iloc[0]


def _kind(ward: str) -> str:
    """The kind of unit the reference data gives ``ward`` in 2026, as the messages write it."""
    import csv

    with open(Path(__file__).resolve().parent.parent / "inputs" / "reference" / "units.csv", encoding="utf-8") as handle:
        kinds = {row["type"] for row in csv.DictReader(handle) if row["name"] == ward and (row["valid_from"] or "0000") <= "2026-12-31" and (row["valid_to"] or "9999") >= "2026-01-01"}
    assert len(kinds) == 1, (ward, kinds)
    return kinds.pop()


@pytest.mark.parametrize(
    ("title_block", "row_unit", "says"),
    [
        ([[STEM], ["Đơn vị: Xã Vĩnh Am"]], "Vĩnh Bảo", "\"Đơn vị: Xã Vĩnh Am\""),
        ([["ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM - XÃ KIẾN HƯNG NĂM 2026"], []], "Kiến Thụy", "tiêu đề bảng ghi đơn vị Kiến Hưng"),
    ],
)
def test_a_title_naming_one_unit_over_rows_naming_another_is_held_back(inputs: Path, title_block, row_unit: str, says: str):
    write_rows(inputs / "registrations" / "x.xlsx", title_block + [HEADER, [1, row_unit, 3, 2, 2]])
    errors = _held_back_at(inputs, ["B4"])
    assert says in errors["problem"].iloc[0] and f"\"{row_unit}\"" in errors["problem"].iloc[0]


@pytest.mark.parametrize(
    "title_block",
    [
        [[STEM], ["Đơn vị: Xã Vĩnh Am"]],  # the rows name the title's own unit
        [[STEM], []],  # a title naming no unit: a compiled table
    ],
)
def test_rows_of_the_title_s_own_unit_or_under_a_title_naming_none_are_read(inputs: Path, title_block):
    rows = [[1, "Xã Vĩnh Am", 3, 2, 2]] if len(title_block[1]) else [[1, "Xã Vĩnh Am", 3, 2, 2], [2, "Phường Lê Chân", 1, 1, 1]]
    write_rows(inputs / "registrations" / "x.xlsx", title_block + [HEADER] + rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert registrations["headcount"].sum() == sum(sum(row[2:]) for row in rows)


def test_a_figure_sent_twice_beside_blanks_shows_no_nan(inputs: Path):
    # One unit on two rows (a school each): the same unit, topic and level twice, some cells blank.
    write_rows(inputs / "registrations" / "x.xlsx", [[STEM], HEADER, [1, "Xã An Lão", 3, None, 2], [2, "Xã An Lão", None, 4, 1]])
    _, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"]
    twice = issues[issues["problem"].str.contains("được gửi nhiều lần")]
    assert set(twice["cell"]) >= {"C3", "C4", "E3", "E4"}
    assert "nan" not in set(twice["value"]) and set(twice["value"]) <= {"", "1", "2", "3", "4"}


def test_a_group_row_of_a_unit_s_form_is_named_by_its_own_cell_and_words(inputs: Path):
    # A unit's form names its unit once, above the table: a group row's warning points at
    # the row's own label ("Bồi dưỡng chuyên đề", B5), not at the "Đơn vị:" line (A2).
    rows = [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"], ["Đơn vị: Phường Lê Chân"], [], ["TT", "Nội dung", "MN", "TH", "THCS"],
            ["I", "Bồi dưỡng chuyên đề", 9, 7, 5], ["1.1", "Chuyển đổi số và ứng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học", 6, 4, 3],
            ["1.2", "Thiết kế và triển khai giáo dục STEM/STEAM", 3, 3, 2]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and registrations["headcount"].sum() == 6 + 4 + 3 + 3 + 3 + 2
    group = issues[issues["problem"].str.contains("dòng cộng của nhóm")]
    assert group[["cell", "value"]].values.tolist() == [["B5", "Bồi dưỡng chuyên đề"]]
    assert "Phường Lê Chân" not in group["problem"].iloc[0]


# ---------------------------------------------------------------- an "of which" row

UNIT_FORM = "ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"
BD03 = "Bồi dưỡng phương pháp giảng dạy theo hướng phát triển năng lực, phẩm chất toàn diện"
BD18 = "Phương pháp dạy học tích cực và cá nhân hóa học tập"  # a topic of its own in the catalogue
PART_ROWS = {
    # (title block and header, the row a part is of, the part row, the cell naming the part)
    "a topic of its own after the words": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"]], [1, BD03, 24, 20], [None, "Trong đó: " + BD18, 5, 5], "B5"),
    "the words alone in the first column": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"]], [1, BD03, 24, 20], ["Trong đó:", BD18, 5, 5], "A5"),
    "a part of a unit's row": ([[STEM], ["STT", "Đơn vị", "MN", "TH"]], [1, "Phường Dương Kinh", 12, 9], [None, "Trong đó: nữ", 10, 6], "B4"),
}


@pytest.mark.parametrize("layout", PART_ROWS)
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_of_which_row_is_held_back_never_counted_twice(inputs: Path, layout: str, suffix: str):
    head, row, part, cell = PART_ROWS[layout]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, [*head, row, part]) if suffix == ".xlsx" else write_csv_rows(target, [*head, row, part])
    errors = _held_back_at(inputs, [cell])
    assert "là một phần (\"trong đó\") của dòng trên" in errors["problem"].iloc[0]


@pytest.mark.parametrize("layout", PART_ROWS)
def test_the_same_table_without_its_of_which_row_is_read(inputs: Path, layout: str):
    head, row, _, _ = PART_ROWS[layout]
    write_rows(inputs / "registrations" / "x.xlsx", [*head, row])
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and registrations["headcount"].sum() == row[2] + row[3]



# ---------------------------------------------------------------- a line changing what the rows below are

BD01 = "Chuyển đổi số và ứng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học"
CONTEXT_LINES = {
    # the table, the line among its rows (and the cell it starts in): year, unit, topic, level
    "a year as a merged section row": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8], ["Năm 2027"], [2, BD01, 5, 4]], "A5", "năm 2027"),
    "a title of another year after a blank line": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8], [], [UNIT_FORM.replace("2026", "2027")], [1, BD01, 5, 4]], "A6", "năm 2027"),
    "a year after the total": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8], [None, "Tổng số", 10, 8], [None, "Dự kiến năm 2027:"], [1, BD01, 5, 4]], "B6", "năm 2027"),
    "a second unit line": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8], [None, "Đơn vị: Phường Lê Chân"], [1, BD01, 5, 4]], "B5", "đơn vị Lê Chân"),
    "a unit's name as a section row": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8], ["II", "Phường Lê Chân"], [1, BD01, 5, 4]], "A5", "đơn vị Lê Chân"),
    "a second topic's title": ([[STEM], ["STT", "Đơn vị", "MN", "TH"], [1, "Phường Dương Kinh", 6, 5], [], ["ĐĂNG KÝ BỒI DƯỠNG " + BD01.upper() + " NĂM 2026"], [1, "Phường Đồ Sơn", 10, 8]], "A5", "nội dung " + BD01),
    "a level line": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["Cấp học: Mầm non"], ["TT", "Nội dung", "Số lượng"], [1, BD03, 10], ["Cấp học: Tiểu học"], [1, BD01, 8]], "A6", "cấp học Tiểu học"),
    "a period as a section row": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8], ["Giai đoạn 2027 - 2030"], [2, BD01, 5, 4]], "A5", "năm 2027, 2030"),
    "the years after, as a label": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8], [None, "Các năm tiếp theo (2027-2030):"], [2, BD01, 5, 4]], "B5", "năm 2027, 2030"),
}


@pytest.mark.parametrize("layout", CONTEXT_LINES)
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_line_naming_what_the_rows_below_are_holds_the_file_back(inputs: Path, layout: str, suffix: str):
    rows, cell, named = CONTEXT_LINES[layout]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    errors = _held_back_at(inputs, [cell])
    assert f"({named})" in errors["problem"].iloc[0] and "không rõ các dòng bên dưới" in errors["problem"].iloc[0]


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_lines_naming_what_the_rows_below_are_hold_back_every_format(inputs: Path, tmp_path: Path, suffix: str):
    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice")
    sources = [write_rows(tmp_path / "typed" / f"{index}.xlsx", rows) for index, (rows, _, _) in enumerate(CONTEXT_LINES.values())]
    convert_with_libreoffice(sources, suffix, inputs / "registrations")
    registrations, issues, files = check(inputs)
    assert registrations.empty and set(files["status"]) == {"bị từ chối"}
    lines = issues[(issues["severity"] == "lỗi") & issues["problem"].str.contains("không rõ các dòng bên dưới")]  # the files share figures too: sent twice
    assert lines[["file", "cell"]].values.tolist() == [[f"{index}{suffix}", cell] for index, (_, cell, _) in enumerate(CONTEXT_LINES.values())]


@pytest.mark.parametrize("line", ["Năm 2026", "Đơn vị: Xã An Lão", "I. BỒI DƯỠNG CHUYÊN MÔN", "Cấp học: Mầm non"])
def test_a_line_naming_what_the_table_already_is_says_nothing_of_the_kind(inputs: Path, line: str):
    rows = [[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["Cấp học: Mầm non"], ["TT", "Nội dung", "Số lượng"], [1, BD03, 10], [line], [2, BD01, 8]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert registrations["headcount"].sum() == 10 + 8



# ---------------------------------------------------------------- a title naming several years

TITLE_YEARS = {
    # the file, the title line's cell and the years it names
    "a forecast for a period under the form": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8], [], ["DỰ KIẾN NHU CẦU GIAI ĐOẠN 2027 - 2030"], ["TT", "Nội dung", "MN", "TH"], [1, BD01, 30, 40]], "A6", "2027, 2030"),
    "a table of two years under the form": ([[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8], [], ["NHU CẦU CÁC NĂM 2027, 2028"], ["TT", "Nội dung", "MN", "TH"], [1, BD01, 30, 40]], "A6", "2027, 2028"),
    "a form of two years": ([[UNIT_FORM + " - 2027"], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8]], "A1", "2026, 2027"),
}


@pytest.mark.parametrize("layout", TITLE_YEARS)
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_table_titled_with_several_years_holds_the_file_back(inputs: Path, layout: str, suffix: str):
    rows, cell, years = TITLE_YEARS[layout]
    target = inputs / "registrations" / "2026" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    said = issues[(issues["severity"] == "lỗi") & issues["problem"].str.contains("không rõ số liệu của bảng thuộc năm nào")]
    assert said["cell"].tolist() == [cell] and f"ghi các năm {years}:" in said["problem"].iloc[0]


def test_count_columns_headed_by_a_period_hold_the_file_back(inputs: Path):
    rows = [[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "Dự kiến giai đoạn 2027-2030", None], [None, None, "MN", "TH"], [1, BD03, 30, 40]]
    write_rows(inputs / "registrations" / "x.xlsx", rows, merged=("C3:D3", "A3:A4", "B3:B4"))
    errors = _held_back_at(inputs, ["C4", "D4"])  # each level's header cell, under the period
    assert "ghi năm 2027, 2030, khác năm 2026 của bảng" in errors["problem"].iloc[0]


@pytest.mark.parametrize("line", [
    "(Thực hiện Kế hoạch đào tạo, bồi dưỡng giai đoạn 2026-2030 của Thành phố)",  # the plan's period, beside the form's "NĂM 2026"
    "(Kèm theo Công văn số 12/SGDĐT-TCCB ngày 05/01/2026 của Sở GDĐT)",
    "Hải Phòng, ngày 10 tháng 12 năm 2025",
])
def test_a_form_of_one_year_naming_the_plan_s_period_or_a_date_is_read(inputs: Path, line: str):
    rows = [[UNIT_FORM], [line], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8]]
    write_rows(inputs / "registrations" / "2026" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert registrations["year"].unique().tolist() == [2026] and registrations["headcount"].sum() == 10 + 8


def test_a_title_naming_only_a_period_does_not_take_the_file_s_year(inputs: Path):
    rows = [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV GIAI ĐOẠN 2026-2030"], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8]]
    write_rows(inputs / "registrations" / "2026" / "dang_ky_2026.xlsx", rows)
    _held_back_at(inputs, ["A1"])


# ---------------------------------------------------------------- a table of other figures than registrations

@pytest.mark.parametrize(("title", "words"), [
    ("KẾT QUẢ ĐÃ BỒI DƯỠNG NĂM 2025 (để tham khảo)", "đã bồi dưỡng"),  # another year's figures, as well
    ("SỐ LƯỢNG ĐÃ ĐƯỢC BỒI DƯỠNG TRONG NĂM TRƯỚC", "đã được bồi dưỡng"),  # no year at all: it would take the form's
    ("Số liệu tham khảo", "số liệu tham khảo"),
    ("KẾT QUẢ THỰC HIỆN NĂM 2025 (để so sánh)", "để so sánh"),
    ("SỐ CBQL, GV ĐÃ THAM GIA BỒI DƯỠNG", "đã tham gia"),
])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_table_of_people_already_trained_under_the_form_is_never_booked(inputs: Path, title: str, words: str, suffix: str):
    rows = [[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 10, 8], [], [title], ["TT", "Nội dung", "MN", "TH"], [1, BD01, 20, 25]]
    target = inputs / "registrations" / "2026" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    said = issues[(issues["severity"] == "lỗi") & issues["problem"].str.contains("bảng không phải số đăng ký")]
    assert said["cell"].tolist() == ["A6"] and f"ghi \"{words}\"" in said["problem"].iloc[0]


# ---------------------------------------------------------------- a form's example row


@pytest.mark.parametrize(("example", "cell"), [(["Ví dụ:", BD03], "B4"), ([None, "Ví dụ: " + BD03], "B4"), (["VD", BD03], "B4")])  # the row named by its label cell
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_form_s_example_row_is_never_booked(inputs: Path, example: list, cell: str, suffix: str):
    rows = [[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH"], [*example, 5, 3], [1, BD01, 10, 8]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    errors = _held_back_at(inputs, [cell])
    assert "là dòng ví dụ của mẫu" in errors["problem"].iloc[0]


KHTN = "Bồi dưỡng giáo viên THCS dạy môn Khoa học tự nhiên"  # a topic naming another level than the form's


@pytest.mark.parametrize("line", [
    [3, KHTN, None, None],  # a topic's own row, left blank, in a primary form
    [3, "Xã An Hưng", None, None],  # a unit's name where topics are: the rows under it would be another unit's (held back)
    [None, None, None, "Đã cử 5 người đi học năm 2025"],  # a note speaks of its own row
    [None, "Hải Phòng, tháng 12 năm 2025", None, None],  # the day a page was signed
])
def test_lines_that_change_nothing_below_them_hold_nothing_back(inputs: Path, line: list):
    rows = [[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["Cấp học: Tiểu học"], ["TT", "Nội dung", "Số lượng", "Ghi chú"], [1, BD03, 10, None], line, [2, BD01, 8, None]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    if line[1] == "Xã An Hưng":  # a unit's name in a unit's own form: the rows under it would be another unit's
        assert files["status"].tolist() == ["bị từ chối"] and "(đơn vị An Hưng)" in issues["problem"].iloc[0]
        return
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert registrations[["topic", "level", "headcount"]].values.tolist() == [["BD03", "TH", 10], ["BD01", "TH", 8]]


# ---------------------------------------------------------------- a number under a label's header

@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_numbers_under_a_label_header_merged_over_two_columns_hold_the_file_back(inputs: Path, suffix: str):
    """Topics as columns under a merged "Nội dung", levels as rows: the second topic's column is
    under the label's header, and its numbers would be in no column of the table."""
    rows = [[UNIT_FORM], ["Đơn vị: Phường Lê Chân"], ["TT", "Cấp học", "Nội dung", None], [None, None, BD01, BD03],
            [1, "Mầm non", 5, 1], [2, "Tiểu học", 6, 2], [None, "Tổng cộng", 11, 3]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows, merged=("C3:D3",)) if suffix == ".xlsx" else write_csv_rows(target, [row[:2] + ["Nội dung", "Nội dung"] if index == 2 else row for index, row in enumerate(rows)])
    errors = _held_back_at(inputs, ["D5", "D6", "D7"] if suffix == ".xlsx" else ["D3", "D5", "D6", "D7"])  # typed twice in a CSV: a second table beside, too
    assert errors["problem"].str.contains("có số 1 ở cột dưới tiêu đề \"Nội dung\"").any()


@pytest.mark.parametrize(("header", "held_back"), [("Quận/huyện", True), ("Quận huyện", True), ("Xã/phường", False), ("Đơn vị", False)])
def test_names_under_a_district_header_after_the_reform_are_the_former_districts(inputs: Path, header: str, held_back: bool):
    """In 2026 no district exists: "An Lão" under "Quận/huyện" is the former district (a group of
    today's communes), never today's xã An Lão."""
    rows = [[STEM], ["STT", header, "MN", "TH"], [1, "An Lão", 40, 50], [2, "Kiến Thụy", 35, 45], [None, "Tổng cộng", 75, 95]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    if held_back:
        errors = _held_back_at(inputs, ["B3", "B4"])
        assert "không phải huyện" in errors["fix"].iloc[0]
    else:
        registrations, issues, files = check(inputs)
        assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
        assert registrations.groupby("unit")["headcount"].sum().to_dict() == {"An Lão": 90, "Kiến Thụy": 80}


@pytest.mark.parametrize("line", [
    "(Thực hiện Kế hoạch học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh)",  # "Chí Minh" is a commune
    "Hải Dương, ngày 05 tháng 12 năm 2025",  # the place a page was signed
    "Nhằm chấn hưng giáo dục, đơn vị đăng ký như sau:",  # "Chấn Hưng" is a commune
])
def test_title_words_that_spell_a_unit_s_name_name_no_unit(inputs: Path, line: str):
    rows = [[UNIT_FORM], [line], [], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 5, 6]]
    write_rows(inputs / "registrations" / "phuong_le_chan.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert set(registrations["unit"]) == {"Lê Chân"}, issues["problem"].tolist()  # the file's name says whose it is
    assert registrations["headcount"].sum() == 5 + 6


@pytest.mark.parametrize("line", ["UBND PHƯỜNG LÊ CHÂN", "Phường Lê Chân", "BÁO CÁO CỦA PHƯỜNG LÊ CHÂN"])
def test_a_title_naming_the_unit_with_its_kind_names_it(inputs: Path, line: str):
    rows = [[line], [UNIT_FORM], [], ["TT", "Nội dung", "MN", "TH"], [1, BD03, 5, 6]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and set(registrations["unit"]) == {"Lê Chân"}, issues["problem"].tolist()


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_a_number_under_a_notes_header_merged_over_two_columns_is_said(inputs: Path, tmp_path: Path, suffix: str):
    rows = [[UNIT_FORM], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN", "TH", "Ghi chú", None], [1, BD03, 5, 6, "thêm", 7]]
    source = write_rows(tmp_path / "typed" / "x.xlsx", rows, merged=("E3:F3",))
    place_as(source, suffix, inputs / "registrations")
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and registrations["headcount"].sum() == 5 + 6
    said = issues[issues["problem"].str.contains("ở cột ghi chú")]
    assert said[["cell", "severity"]].values.tolist() == [["F4", "cảnh báo"]] and "có số 7" in said["problem"].iloc[0]


FORM = [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"], ["Đơn vị: Phường Lê Chân"], [], ["TT", "Nội dung", "MN", "TH"], [1, "STEM/STEAM", 5, 6]]
SECOND_SHEETS = {
    "a header naming no label column": [["Bổ sung"], ["STT", "Hoạt động", "MN", "TH"], [1, "Chuyển đổi số", 2, 3]],
    "no header": [[1, "Chuyển đổi số", 2, 3], [2, "STEM/STEAM", 4, 0]],
    "levels as rows": [["Cấp học", "Chuyển đổi số", "Đổi mới PPDH"], ["Mầm non", 2, 3], ["Tiểu học", 1, 1]],
    "a figure typed as text": [["Ghi chú thêm"], ["Số người bổ sung:", "12"]],
}


@pytest.mark.parametrize("layout", SECOND_SHEETS)
@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_figures_on_a_sheet_with_no_table_hold_the_file_back(inputs: Path, tmp_path: Path, suffix: str, layout: str):
    """A second sheet whose figures the reader cannot place was passed over with a warning: its registrations lost."""
    if suffix != ".xlsx" and not shutil.which("soffice"):
        pytest.skip("needs LibreOffice")
    source = write_rows(tmp_path / "x.xlsx", FORM, more_sheets={"Bổ sung": SECOND_SHEETS[layout]})
    place_as(source, suffix, inputs / "registrations")
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    errors = issues[issues["severity"] == "lỗi"]
    assert errors["sheet"].tolist() == ["Bổ sung"] and "không có bảng số liệu" in errors["problem"].iloc[0]


def test_a_sheet_of_notes_numbering_its_lines_and_naming_the_year_is_no_lost_figure(inputs: Path):
    notes = [["HƯỚNG DẪN GHI BIỂU"], [1, "Ghi đúng tên đơn vị"], [2, "Mỗi ô ghi số người"], ["Năm", 2026], [3, "Không ghi chữ vào ô số liệu"]]
    write_rows(inputs / "registrations" / "x.xlsx", FORM, more_sheets={"Hướng dẫn": notes})
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"] and registrations["headcount"].sum() == 5 + 6
    assert issues["severity"].tolist() == ["cảnh báo"] and "không có bảng số liệu, đã bỏ qua" in issues["problem"].iloc[0]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_row_of_figures_above_the_header_holds_the_file_back(inputs: Path, suffix: str):
    """A topic's row inserted over the header ("1 | STEM/STEAM | 2 | 3") was read as title text: its figures lost."""
    rows = [FORM[0], FORM[1], [1, "Chuyển đổi số", 2, 3], FORM[3], FORM[4]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    errors = _held_back_at(inputs, ["C3", "D3"])
    assert "phía trên dòng tiêu đề của bảng (dòng 4)" in errors["problem"].iloc[0]


def test_a_year_typed_as_a_number_after_nam_above_the_header_is_the_title_s(inputs: Path):
    rows = [FORM[0], ["Đơn vị: Phường Lê Chân", None, "Năm báo cáo:", 2026], FORM[3], FORM[4]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert registrations["headcount"].sum() == 5 + 6


OWN_FORM = [["Đơn vị: Xã An Trường"], ["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"], ["TT", "Nội dung", "MN", "TH"], [1, "STEM/STEAM", 5, 6]]


@pytest.mark.parametrize(
    ("file", "sheet", "above", "cell", "says"),
    [
        ("x.xlsx", "Xã An Lão", [], "A1", "tên trang tính \"Xã An Lão\""),  # a sheet per unit, the title copied from the first
        ("xa_an_lao.xlsx", "Sheet1", [], "A1", "tên tệp \"xa_an_lao.xlsx\""),  # a unit's file copied, the title not changed
        ("x.xlsx", "Sheet1", [["UBND XÃ AN LÃO"]], "A1", "dòng \"UBND XÃ AN LÃO\" (A1)"),  # two units in one title block
        ("x.xlsx", "Sheet1", [["PHIẾU TỔNG HỢP CỦA XÃ AN LÃO"]], "A1", "ghi đơn vị An Lão"),  # a name after its kind among other words
    ],
)
def test_a_unit_form_naming_two_units_holds_the_file_back(inputs: Path, file: str, sheet: str, above: list, cell: str, says: str):
    """The title block's unit won in silence over a sheet, a file or another title line naming another unit."""
    write_rows(inputs / "registrations" / file, above + OWN_FORM, sheet=sheet)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    errors = issues[issues["severity"] == "lỗi"]
    assert errors["cell"].tolist() == [cell] and says in errors["problem"].iloc[0] and "An Trường" in errors["problem"].iloc[0], errors["problem"].tolist()


@pytest.mark.parametrize(("file", "sheet", "above"), [("xa_an_truong.xlsx", "Xã An Trường", [["UBND XÃ AN TRƯỜNG"]]), ("an_truong.csv", "", [["Hải Phòng, ngày 5 tháng 12 năm 2025"]])])
def test_a_unit_form_whose_names_all_name_its_unit_is_read(inputs: Path, file: str, sheet: str, above: list):
    target = inputs / "registrations" / file
    write_rows(target, above + OWN_FORM, sheet=sheet) if file.endswith(".xlsx") else write_csv_rows(target, above + OWN_FORM)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert set(registrations["unit"]) == {"An Trường"} and registrations["headcount"].sum() == 5 + 6


def test_a_unit_sending_a_second_file_is_told_its_files_are_added(inputs: Path):
    """A revision "lan_2" with other programmes was added to the first file in silence."""
    first = [FORM[0], FORM[1], FORM[3], [1, "STEM/STEAM", 5, 6]]
    second = [FORM[0], FORM[1], FORM[3], [1, "Chuyển đổi số và ứng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học", 2, 3]]
    write_rows(inputs / "registrations" / "2026" / "phuong_le_chan.xlsx", first)
    write_rows(inputs / "registrations" / "2026" / "phuong_le_chan_lan_2.xlsx", second)
    compiled = [["TỔNG HỢP ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM NĂM 2026"], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", 4], [2, "Phường Hải An", 1]]
    write_rows(inputs / "registrations" / "2026" / "tong_hop.xlsx", compiled)
    write_rows(inputs / "registrations" / "2026" / "xa_an_lao.xlsx", [FORM[0], ["Đơn vị: Xã An Lão"], FORM[3], [1, "Chuyển đổi số và ứng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học", 1, 0]])
    registrations, issues, files = check(inputs)
    assert set(files["status"]) == {"chấp nhận"}
    assert registrations["headcount"].sum() == 5 + 6 + 2 + 3 + 4 + 1 + 1  # added, as before: each file may register other programmes
    warned = issues[issues["problem"].str.contains("gửi 2 tệp")]
    assert sorted(warned["file"]) == ["2026/phuong_le_chan.xlsx", "2026/phuong_le_chan_lan_2.xlsx"]  # a compilation beside a unit's own file is no second file
    assert "2026/phuong_le_chan_lan_2.xlsx" in warned.loc[warned["file"] == "2026/phuong_le_chan.xlsx", "problem"].iloc[0]
    assert set(warned["severity"]) == {"cảnh báo"} and set(warned["unit"]) == {"Lê Chân"}

"""Every rule has a record, and every record a spreadsheet that breaks it.

``schemas.rules.RULES`` holds one record per rule; the rules checked cell by cell are
the named checks of ``schemas.Candidate``. Each case below writes one small file the
way an office would, runs the real read-and-check path (``intake.check_inputs``) and
finds the rule's problem, worded from its record, at the cell the test typed it in.
A rule added without a case here fails ``test_every_rule_has_a_case``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

import schemas
from conftest import check
from schemas.rules import CELL_RULES, RULES, SEVERITIES
from workbooks import write_csv_rows, write_rows

TITLE_2026 = "ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"
STEM_2026 = "TỔNG HỢP ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM NĂM 2026"
ERR, WARN = "lỗi", "cảnh báo"  # an error holds the file back, a warning asks to confirm
KHTN_2024 = "SỐ LƯỢNG GV TRUNG HỌC CƠ SỞ ĐĂNG KÝ BỒI DƯỠNG GV DẠY MÔN KHOA HỌC TỰ NHIÊN NĂM 2024"


# ---------------------------------------------------------------- the records


def test_every_check_of_candidate_is_a_rule_with_the_same_name():
    checks = [check.name for check in schemas.Candidate.to_schema().checks]
    assert len(checks) == len(set(checks)) == len(CELL_RULES) == 21
    assert set(checks) == set(CELL_RULES)
    assert set(checks) <= set(RULES)


def test_every_record_is_well_formed():
    for name, rule in RULES.items():
        assert rule.name == name
        assert rule.severity in SEVERITIES, name
        assert rule.problem and rule.fix, name


# ---------------------------------------------------------------- one file per rule


@dataclass(frozen=True)
class Case:
    """A file breaking ``rule``, reported as ``severity``; ``at``: (file, cell, value shown) of each problem expected;
    ``says``: words the problem must hold besides its record's."""

    rule: str
    severity: str  # what the officer must see, stated here and not read from the record
    write: Callable[[Path], object]
    at: tuple[tuple[str, str, str], ...]
    says: str = ""


def _unit_form(folder: Path, rows: list[list], header=("TT", "Nội dung", "MN", "TH"), title=TITLE_2026, unit: str | None = "Đơn vị: Xã An Lão", name="x.xlsx") -> Path:
    """A unit's form: title, "Đơn vị:" line, header on the row after, then ``rows``."""
    return write_rows(folder / name, [[title]] + ([[unit]] if unit else []) + [list(header)] + rows)


def _compiled(folder: Path, rows: list[list], header=("STT", "Đơn vị", "MN"), title=STEM_2026) -> Path:
    """A compiled table: title on row 1, header on row 2, a row per unit from row 3."""
    return write_rows(folder / "x.xlsx", [[title], list(header)] + rows)


def _in_folder(path: Path, folder: str) -> Path:
    """``path`` moved into the sub-folder ``folder`` of its own folder."""
    (path.parent / folder).mkdir()
    return path.rename(path.parent / folder / path.name)


def _split_level(folder: Path, second_row: list[str], row: list) -> Path:
    """Lê Chân's form with "Mầm non" merged over the columns of ``second_row`` (header rows 4–5)."""
    head = [[TITLE_2026], ["Đơn vị: Phường Lê Chân"], []]
    last = chr(ord("C") + len(second_row) - 1)
    header = ["TT", "Nội dung", "Mầm non"] + [None] * (len(second_row) - 1)
    return write_rows(folder / "x.xlsx", head + [header, [None, None, *second_row], row], merged=("A4:A5", "B4:B5", f"C4:{last}4"))


def _error_value(folder: Path) -> None:
    """Lê Chân's count saved as #REF! (a row the formula pointed at was deleted)."""
    workbook = openpyxl.Workbook()
    for row in [[STEM_2026], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", 3], [2, "Phường Lê Chân", "#REF!"]]:
        workbook.active.append(row)
    workbook.active["C4"].data_type = "e"
    workbook.save(folder / "x.xlsx")


CASES = [
    # ------------------------------------------------ cell by cell
    Case("year_found", ERR, lambda f: _unit_form(f, [[1, "STEM/STEAM", 2]], title="ĐĂNG KÝ ĐÀO TẠO"), (("x.xlsx", "", ""),)),
    Case("unit_found", ERR, lambda f: _unit_form(f, [[1, "STEM/STEAM", 2]], unit=None, name="dang_ky.xlsx"), (("dang_ky.xlsx", "", ""),)),
    Case("unit_named", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", 3], [2, None, 4]]), (("x.xlsx", "B4", ""),)),
    Case("unit_known", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", 3], [2, "Xã Không Có", 4]]), (("x.xlsx", "B4", "Xã Không Có"),)),
    Case("unit_agrees_with_title", ERR, lambda f: write_rows(f / "x.xlsx", [[STEM_2026], ["Đơn vị: Xã Vĩnh Am"], ["STT", "Đơn vị", "MN"], [1, "Vĩnh Bảo", 5]]),
         (("x.xlsx", "B4", "Vĩnh Bảo"),), says="\"Đơn vị: Xã Vĩnh Am\" (A2)"),
    Case("unit_confirmed", WARN, lambda f: _compiled(f, [[1, "Xa An Lao", 3]]), (("x.xlsx", "B3", "Xa An Lao"),), says="đã hiểu là \"An Lão\""),
    Case("unit_former_kind", WARN, lambda f: _compiled(f, [[1, "Quận An Dương", 9]], header=("STT", "Quận/huyện", "Số lượng"), title=KHTN_2024),
         (("x.xlsx", "B3", "Quận An Dương"),)),
    Case("topic_found", ERR, lambda f: _compiled(f, [[1, "An Lão", 3]], header=("STT", "Quận/huyện", "Số lượng"), title="SỐ LIỆU ĐĂNG KÝ NĂM 2024"),
         (("x.xlsx", "C2", "Số lượng"),)),
    Case("topic_named", ERR, lambda f: _unit_form(f, [[1, "STEM/STEAM", 2], [2, None, 3]]), (("x.xlsx", "B5", ""),)),
    Case("topic_known", ERR, lambda f: _unit_form(f, [[1, "Bồi dưỡng kỹ năng bơi lội", 2]]), (("x.xlsx", "B4", "Bồi dưỡng kỹ năng bơi lội"),)),
    Case("topic_confirmed", WARN, lambda f: _unit_form(f, [[1, "Thiết kế và triển khai giáo dục STEM/STEAN", 2]]),
         (("x.xlsx", "B4", "Thiết kế và triển khai giáo dục STEM/STEAN"),), says="đã hiểu là BD05"),
    Case("topic_by_code", WARN, lambda f: _unit_form(f, [[1, "BD05", "Giáo dục sáng tạo", 2]], header=("TT", "Mã", "Nội dung", "MN")),
         (("x.xlsx", "C4", "Giáo dục sáng tạo"),)),
    Case("level_known", ERR, lambda f: _unit_form(f, [[1, "STEM/STEAM", 2, 3]], header=("TT", "Nội dung", "Nhà văn hóa", "TH")), (("x.xlsx", "C3", "Nhà văn hóa"),)),
    Case("cell_not_error", ERR, _error_value, (("x.xlsx", "C4", "#REF!"),)),
    Case("headcount_not_date", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", dt.datetime(1900, 1, 7)]]), (("x.xlsx", "C3", "07/01/1900"),)),
    Case("formula_has_value", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", "=10+3"]]), (("x.xlsx", "C3", "=10+3"),)),  # openpyxl saves no value
    Case("headcount_is_number", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", "mười"]]), (("x.xlsx", "C3", "mười"),)),
    Case("number_style_clear", ERR,
         lambda f: write_csv_rows(f / "x.csv", [[STEM_2026], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", "1,250"], [2, "Phường Lê Chân", 3]], delimiter="\t", bom=True),
         (("x.csv", "C3", "1,250"),)),
    Case("headcount_not_negative", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", -2]]), (("x.xlsx", "C3", "-2"),)),
    Case("headcount_whole", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", 2.5]]), (("x.xlsx", "C3", "2.5"),)),
    # 10^19 is past the largest machine integer (2^63): once it stopped the whole run
    Case("headcount_within_limit", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", 10**19], [2, "Phường Lê Chân", 4]]), (("x.xlsx", "C3", "10000000000000000000"),),
         says="Số 10000000000000000000 ở ô C3 quá lớn"),
    Case("level_applies", ERR, lambda f: _unit_form(f, [[1, "Đào tạo nâng trình độ chuẩn từ cao đẳng lên đại học", 2, 3]], header=("TT", "Nội dung", "TH", "THPT")),
         (("x.xlsx", "D4", "3"),), says="không áp dụng cho cấp học THPT"),
    # ------------------------------------------------ over a table
    Case("total_adds_up", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", 120], [2, "Phường Lê Chân", 41], ["Tổng số", None, 0]]), (("x.xlsx", "C5", "0"),),
         says=f"cộng các dòng được {120 + 41}"),
    Case("row_total_adds_up", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", 3, 4, 7], [2, "Phường Lê Chân", 1, 1, 3]], header=("STT", "Đơn vị", "MN", "TH", "Tổng số")),
         (("x.xlsx", "E4", "3"),), says=f"được {1 + 1}"),
    Case("total_formula_adds_rows", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", 3], [2, "Phường Lê Chân", 4], [None, "Tổng số", "=SUM(C3:C3)"]]), (("x.xlsx", "C5", "=SUM(C3:C3)"),), says="các dòng 3–4"),
    Case("total_formula_unread", ERR, lambda f: _compiled(f, [[1, "Xã An Lão", 3], [2, "Phường Lê Chân", 4], [None, "Tổng số", "=SUMPRODUCT(C3:C4)"]]), (("x.xlsx", "C5", "=SUMPRODUCT(C3:C4)"),)),
    Case("part_within_total", ERR, lambda f: _split_level(f, ["Tổng số", "Trong đó: CBQL"], [1, "STEM/STEAM", 12, 13]), (("x.xlsx", "D6", "13"),)),
    Case("groups_add_up", ERR, lambda f: _split_level(f, ["Tổng số", "CBQL", "GV"], [1, "STEM/STEAM", 10, 3, 6]), (("x.xlsx", "C6", "10"),), says=f"cộng được {3 + 6}"),
    Case("column_year", ERR, lambda f: write_rows(f / "x.xlsx", [[STEM_2026], ["STT", "Đơn vị", "Năm 2026", "Năm 2027"], [None, None, "MN", "MN"], [1, "Xã An Lão", 3, 4]], merged=("A2:A3", "B2:B3")),
         (("x.xlsx", "D3", "Năm 2027 MN"),), says="khác năm 2026 của bảng"),
    # "1,192" typed unquoted in a comma CSV: 874 moves into the notes, the line gets a field more.
    Case("line_longer_than_header", ERR, lambda f: write_csv_rows(f / "x.csv", [[STEM_2026], ["STT", "Đơn vị", "MN", "TH", "Ghi chú"], [1, "Xã An Lão", 1, 192, 874, None]]),
         (("x.csv", "F3", "1,192,874,"),), says="có 6 ô, nhiều hơn 5 ô"),
    Case("title_years", ERR, lambda f: write_rows(f / "x.xlsx", [[TITLE_2026], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN"], [1, "STEM/STEAM", 12], [], ["DỰ KIẾN GIAI ĐOẠN 2027 - 2030"], ["TT", "Nội dung", "MN"], [1, "Chuyển đổi số", 30]]),
         (("x.xlsx", "A6", "DỰ KIẾN GIAI ĐOẠN 2027 - 2030"),), says="ghi các năm 2027, 2030"),
    Case("table_not_registrations", ERR, lambda f: write_rows(f / "x.xlsx", [[TITLE_2026], ["Đơn vị: Xã An Lão"], ["TT", "Nội dung", "MN"], [1, "STEM/STEAM", 12], [], ["SỐ LƯỢNG ĐÃ ĐƯỢC BỒI DƯỠNG NĂM 2025"], ["TT", "Nội dung", "MN"], [1, "Chuyển đổi số", 30]]),
         (("x.xlsx", "A6", "SỐ LƯỢNG ĐÃ ĐƯỢC BỒI DƯỠNG NĂM 2025"),), says="bảng không phải số đăng ký"),
    Case("number_under_label", ERR, lambda f: write_rows(f / "x.xlsx", [[TITLE_2026], ["Đơn vị: Xã An Lão"], ["TT", "Cấp học", "Nội dung", None], [None, None, "STEM/STEAM", "Chuyển đổi số"], [1, "Mầm non", 5, 1]], merged=("C3:D3",)),
         (("x.xlsx", "D5", "1"),), says="ở cột dưới tiêu đề \"Nội dung\""),
    Case("context_line", ERR, lambda f: _unit_form(f, [[1, "STEM/STEAM", 12], ["Năm 2027"], [2, "Chuyển đổi số", 10]]), (("x.xlsx", "A5", "Năm 2027"),), says="khác năm 2026"),
    Case("example_row", ERR, lambda f: _unit_form(f, [["Ví dụ:", "STEM/STEAM", 5], [1, "Chuyển đổi số", 3]]), (("x.xlsx", "B4", "Ví dụ:"),), says="dòng ví dụ của mẫu"),
    Case("group_rows_add_up", ERR, lambda f: _unit_form(f, [[1, "STEM/STEAM", 9, 4], [None, "- CBQL", 2, 1], [None, "- GV", 6, 3]]), (("x.xlsx", "C4", "9"),), says=f"cộng được {2 + 6}"),
    Case("number_above_header", ERR, lambda f: write_rows(f / "x.xlsx", [[TITLE_2026], ["Đơn vị: Phường Lê Chân"], [None, "STEM/STEAM", 7], ["TT", "Nội dung", "MN"], [1, "STEM/STEAM", 3]]),
         (("x.xlsx", "C3", "7"),), says="dòng 4"),
    Case("unit_named_twice", ERR, lambda f: write_rows(f / "x.xlsx", [["UBND XÃ AN LÃO"], [TITLE_2026], ["Đơn vị: Xã An Trường"], ["TT", "Nội dung", "MN"], [1, "STEM/STEAM", 3]]),
         (("x.xlsx", "A1", "UBND XÃ AN LÃO"),), says="An Trường"),
    Case("part_row", ERR, lambda f: _unit_form(f, [[1, "STEM/STEAM", 12], [None, "Trong đó: nữ", 10]]), (("x.xlsx", "B5", "Trong đó: nữ"),), says="dòng trên"),
    Case("number_not_merged", ERR, lambda f: write_rows(f / "x.xlsx", [[STEM_2026], ["STT", "Đơn vị", "MN", "TH"], [1, "Xã An Lão", 10, None]], merged=("C3:D3",)),
         (("x.xlsx", "C3", "10"),), says="ô gộp C3:D3"),
    Case("tables_side_by_side", ERR, lambda f: write_rows(f / "x.xlsx", [[STEM_2026], ["STT", "Đơn vị", "MN", None, "STT", "Đơn vị", "MN"], [1, "Xã An Lão", 3, None, 1, "Phường Lê Chân", 4]]),
         (("x.xlsx", "F2", "Đơn vị"),)),
    # "An Lão" is both the former district and today's commune: whose row is it?
    Case("label_column_unclear", ERR, lambda f: _compiled(f, [[1, "An Lão", "Xã An Hưng", 3]], header=("STT", "Quận/huyện", "Xã/phường", "MN")),
         (("x.xlsx", "C2", "Xã/phường"),), says="\"Quận/huyện\" (B2)"),
    Case("columns_split_unclear", ERR, lambda f: _split_level(f, ["Công lập", "Tư thục"], [1, "STEM/STEAM", 2, 10]), (("x.xlsx", "C5", "Mầm non Công lập"),)),
    Case("columns_part_only", ERR, lambda f: _unit_form(f, [[1, "STEM/STEAM", 3, 2]], header=("TT", "Nội dung", "MN trong đó nữ", "TH")), (("x.xlsx", "C3", "MN trong đó nữ"),)),
    # 10 = 4 + 6 and "Phường Thủy Nguyên" is a ward: its own people, or the two below it?
    Case("subtotal_unclear", ERR, lambda f: _compiled(f, [[1, "Phường Thủy Nguyên", 10], [2, "Phường Bạch Đằng", 4], [3, "Phường Lưu Kiếm", 6]]),
         (("x.xlsx", "B3", "Phường Thủy Nguyên"),)),
    # ------------------------------------------------ over every file
    Case("sent_once", ERR, lambda f: [_compiled(f, [[1, "Xã An Lão", 3]]).rename(f / name) for name in ("a.xlsx", "b.xlsx")],
         (("a.xlsx", "C3", "3"), ("b.xlsx", "C3", "3"))),
    # ------------------------------------------------ set aside, with a warning
    Case("column_skipped", WARN, lambda f: _unit_form(f, [[1, "STEM/STEAM", 2, "Trực tiếp"]], header=("TT", "Nội dung", "MN", "Hình thức tổ chức")),
         (("x.xlsx", "D3", "Hình thức tổ chức"),)),
    Case("row_skipped", WARN, lambda f: _unit_form(f, [[None, "BỒI DƯỠNG"], [1, "STEM/STEAM", 2]]), (("x.xlsx", "B4", "BỒI DƯỠNG"),)),
    Case("unit_in_several_files", WARN, lambda f: [_unit_form(f, [[1, topic, 2]], name=name) for name, topic in (("x.xlsx", "STEM/STEAM"), ("y.xlsx", "Chuyển đổi số và ứng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học"))],
         (("x.xlsx", "", "x.xlsx"), ("y.xlsx", "", "y.xlsx")), says="gửi 2 tệp"),
    Case("subtotal_checked", WARN, lambda f: _compiled(f, [["I", "Thủy Nguyên (cũ)", 10], [1, "Phường Thủy Nguyên", 4], [2, "Phường Bạch Đằng", 6], [None, "Tổng cộng", 10]]),
         (("x.xlsx", "B3", "Thủy Nguyên (cũ)"),), says="nhóm các dòng 4–5"),
    Case("year_agrees", WARN, lambda f: _in_folder(_compiled(f, [[1, "Xã An Lão", 3]]), "2027"), (("2027/x.xlsx", "", "2026"),), says="thư mục \"2027\""),
    Case("hidden_counted", WARN, lambda f: write_rows(f / "x.xlsx", [[STEM_2026], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", 3], [2, "Phường Lê Chân", 4]], hidden_rows=(4,)),
         (("x.xlsx", "C4", "4"),), says="dòng ẩn 4"),
    Case("note_not_counted", WARN, lambda f: _unit_form(f, [[1, "STEM/STEAM", 2, 15]], header=("TT", "Nội dung", "MN", "Ghi chú")), (("x.xlsx", "D4", "15"),), says="dòng 4"),
    Case("sheet_numbers_unread", ERR, lambda f: write_rows(f / "x.xlsx", [[STEM_2026], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", 3]], more_sheets={"Bổ sung": [["Phường Lê Chân", "Mầm non", 4]]}),
         (("x.xlsx", "C1", "4"),), says="\"Bổ sung\""),
    Case("sheet_without_table", WARN, lambda f: write_rows(f / "x.xlsx", [[STEM_2026], ["STT", "Đơn vị", "MN"], [1, "Xã An Lão", 3]], more_sheets={"Ghi chú": [["Người lập biểu: Nguyễn Văn A"]]}),
         (("x.xlsx", "", ""),), says="\"Ghi chú\""),
    # ------------------------------------------------ the file as a whole
    Case("file_has_table", ERR, lambda f: write_rows(f / "x.xlsx", [["Kính gửi Sở GDĐT"], ["Đơn vị xin gửi số liệu như sau"]]), (("x.xlsx", "", ""),)),
    Case("file_not_empty", ERR, lambda f: write_rows(f / "x.xlsx", []), (("x.xlsx", "", ""),)),
    Case("file_readable", ERR, lambda f: (f / "x.xlsx").write_bytes(b""), (("x.xlsx", "", "0 byte"),), says="Tệp rỗng (0 byte)"),
]


def _pattern(template: str) -> re.Pattern:
    """A rule's problem with every "{field}" as any text: the problem as the record words it."""
    literal = re.split(r"\{[^{}]*\}", template)
    return re.compile(".*".join(re.escape(part) for part in literal), re.DOTALL)


@pytest.mark.parametrize("case", CASES, ids=[case.rule for case in CASES])
def test_each_rule_is_reported_at_the_cell_that_breaks_it(inputs: Path, case: Case):
    case.write(inputs / "registrations")
    _, issues, files = check(inputs)
    rule = RULES[case.rule]
    assert rule.severity == case.severity
    prefix = rule.problem.split("{", 1)[0]
    pattern = _pattern(rule.problem)
    for file, cell, value in case.at:
        here = issues[(issues["file"] == file) & (issues["cell"] == cell)]
        found = here[[bool(pattern.fullmatch(problem)) and problem.startswith(prefix) and case.says in problem for problem in here["problem"]]]
        assert len(found) >= 1, f"{case.rule} not at {file} {cell!r}:\n{issues[['file', 'cell', 'severity', 'problem']].to_string()}"
        assert set(found["severity"]) == {case.severity}
        assert value in set(found["value"]), (case.rule, list(found["value"]))
    rejected = set(files.loc[files["status"] == "bị từ chối", "file"])
    expected_files = {file for file, _, _ in case.at}
    # an error holds its file back; a warning alone does not
    assert (expected_files <= rejected) if case.severity == ERR else not (expected_files & rejected), (case.rule, rejected)


def test_every_rule_has_a_case():
    assert len(CASES) == len({case.rule for case in CASES})
    assert {case.rule for case in CASES} == set(RULES)


# ---------------------------------------------------------------- regressions found while writing the cases


def test_cong_lap_public_is_no_total_typed_without_marks(inputs: Path):
    # "Công lập" (public) starts with the letters of "Cộng" (sum) without marks. Read as a
    # total over the row, its people were checked against "Tư thục" and never booked: with
    # 6 and 6 the file was accepted with 6 people of 12.
    write_rows(inputs / "registrations" / "khtn.xlsx", [[KHTN_2024], ["STT", "Quận/huyện", "Công lập", "Tư thục"], [1, "An Lão", 6, 6]])
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert issues["cell"].tolist() == ["C2"] and _pattern(RULES["columns_split_unclear"].problem).fullmatch(issues["problem"].iloc[0])


def test_a_total_typed_without_marks_is_still_a_total(inputs: Path):
    # The fix above must keep "Tong so toan xa" (no marks at all) a total row, as before.
    _compiled(inputs / "registrations", [[1, "Xã An Lão", 3], [2, "Phường Lê Chân", 4], ["Tong so toan thanh pho", None, 8]])
    _, issues, files = check(inputs)
    assert issues["cell"].tolist() == ["C5"] and "cộng các dòng được 7" in issues["problem"].iloc[0]

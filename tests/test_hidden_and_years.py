"""Numbers a printout does not show, a year said two ways, a number in the notes: said.

A number in a hidden sheet, row or column is booked like any other (the unit typed
it), with a warning naming the cells: whoever reads the printout or the screen does
not see it. A table whose title says one year, in a folder, sheet or file named for
another, is booked to its title's year, with a warning naming the other place.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from conftest import check
from workbooks import write_csv_rows, write_rows

TITLE = "TỔNG HỢP ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM NĂM 2026"
HIDDEN = "Có số liệu ở"  # the hidden_counted problem's first words
YEARS = "ghi năm 2026, nhưng"  # the year_agrees problem's words


def _warnings(issues, starting: str):
    return issues[(issues["severity"] == "cảnh báo") & issues["problem"].str.contains(starting, regex=False)]


def _table(path: Path, rows: list[list], sheet: str = "Sheet1", title: str = TITLE) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    workbook.active.title = sheet
    for row in [[title], ["STT", "Đơn vị", "MN", "TH"], *rows]:
        workbook.active.append(row)
    return workbook


def _save(workbook: openpyxl.Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


# ---------------------------------------------------------------- hidden numbers


def test_a_hidden_column_is_counted_and_named(inputs: Path):
    workbook = _table(inputs, [[1, "Xã An Lão", 3, 5], [2, "Phường Lê Chân", 4, 6]])
    workbook.active.column_dimensions["D"].hidden = True
    _save(workbook, inputs / "registrations" / "x.xlsx")
    registrations, issues, files = check(inputs)
    assert registrations["headcount"].sum() == 3 + 5 + 4 + 6  # counted: the unit typed them
    found = _warnings(issues, HIDDEN)
    assert found["cell"].tolist() == ["D3"] and found["value"].tolist() == ["5"]
    assert "cột ẩn D" in found["problem"].iloc[0] and "ô D3, D4" in found["problem"].iloc[0]
    assert files["status"].tolist() == ["chấp nhận"]


def test_a_hidden_sheet_is_counted_and_named(inputs: Path):
    workbook = _table(inputs, [[1, "Xã An Lão", 3, 5]])
    extra = workbook.create_sheet("Bản cũ")
    for row in [[TITLE], ["STT", "Đơn vị", "MN", "TH"], [1, "Phường Lê Chân", 2, 0]]:
        extra.append(row)
    extra.sheet_state = "hidden"
    _save(workbook, inputs / "registrations" / "x.xlsx")
    registrations, issues, _ = check(inputs)
    assert sorted(registrations["unit"].unique()) == ["An Lão", "Lê Chân"]
    found = _warnings(issues, HIDDEN)
    assert found[["sheet", "cell", "value"]].values.tolist() == [["Bản cũ", "C3", "2"]]  # the 0 beside it shows nothing hidden
    assert "trang tính ẩn \"Bản cũ\"" in found["problem"].iloc[0]


def test_hidden_rows_of_zeros_or_blanks_say_nothing(inputs: Path):
    # Offices hide the topics they do not register for: nothing is hidden that counts.
    write_rows(inputs / "registrations" / "x.xlsx", [[TITLE], ["STT", "Đơn vị", "MN", "TH"], [1, "Xã An Lão", 3, 5], [2, "Phường Lê Chân", 0, None]], hidden_rows=(4,))
    registrations, issues, _ = check(inputs)
    assert _warnings(issues, HIDDEN).empty
    assert registrations["headcount"].sum() == 8


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_a_hidden_row_is_named_in_every_format(inputs: Path, tmp_path: Path, suffix: str):
    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice")
    source = write_rows(tmp_path / "typed" / "x.xlsx", [[TITLE], ["STT", "Đơn vị", "MN", "TH"], [1, "Xã An Lão", 3, 5], [2, "Phường Lê Chân", 4, 6]], hidden_rows=(4,))
    target = inputs / "registrations"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to", suffix.lstrip("."), "--outdir", str(target), str(source)],
        check=True, capture_output=True, timeout=300,
    )
    registrations, issues, _ = check(inputs)
    assert registrations["headcount"].sum() == 3 + 5 + 4 + 6
    found = _warnings(issues, HIDDEN)
    assert found[["file", "cell", "value"]].values.tolist() == [[f"x{suffix}", "C4", "4"]]
    assert "dòng ẩn 4" in found["problem"].iloc[0] and "ô C4, D4" in found["problem"].iloc[0]


# ---------------------------------------------------------------- a year said two ways


@pytest.mark.parametrize(
    ("name", "sheet", "place"),
    [
        ("2027/x.xlsx", "Sheet1", "thư mục \"2027\" chứa tệp"),
        ("2026/x.xlsx", "Năm 2025", "tên trang tính \"Năm 2025\""),
        ("2026/dang_ky_2027.xlsx", "Sheet1", "tên tệp \"dang_ky_2027.xlsx\""),
    ],
)
def test_a_title_year_against_another_place_is_counted_to_the_title_and_said(inputs: Path, name: str, sheet: str, place: str):
    _save(_table(inputs, [[1, "Xã An Lão", 3, 5]], sheet=sheet), inputs / "registrations" / name)
    registrations, issues, files = check(inputs)
    assert registrations["year"].unique().tolist() == [2026]  # the title's year: what the unit signed
    found = _warnings(issues, YEARS)
    assert len(found) == 1 and place in found["problem"].iloc[0]
    assert found["value"].tolist() == ["2026"] and found["unit"].tolist() == ["An Lão"]
    assert files["status"].tolist() == ["chấp nhận"]


@pytest.mark.parametrize(
    ("name", "sheet"),
    [
        ("2026/x.xlsx", "Năm 2026"),  # all agree
        ("x.xlsx", "Sheet1"),  # in no year's folder
        ("2026/ke_hoach_2026_2030.xlsx", "KH 2026-2030"),  # several years: no one year named
    ],
)
def test_places_that_agree_or_name_no_one_year_say_nothing(inputs: Path, name: str, sheet: str):
    _save(_table(inputs, [[1, "Xã An Lão", 3, 5]], sheet=sheet), inputs / "registrations" / name)
    _, issues, _ = check(inputs)
    assert _warnings(issues, YEARS).empty, issues["problem"].tolist()


def test_a_sheet_name_gives_the_year_when_the_title_has_none_and_the_folder_is_compared(inputs: Path):
    _save(_table(inputs, [[1, "Xã An Lão", 3, 5]], sheet="Năm 2026", title="TỔNG HỢP ĐĂNG KÝ BỒI DƯỠNG STEM/STEAM"), inputs / "registrations" / "2027" / "x.xlsx")
    registrations, issues, _ = check(inputs)
    assert registrations["year"].unique().tolist() == [2026]
    found = _warnings(issues, YEARS)
    assert len(found) == 1 and "thư mục \"2027\"" in found["problem"].iloc[0]


NO_YEAR = "TỔNG HỢP ĐĂNG KÝ BỒI DƯỠNG STEM/STEAM"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_year_over_the_levels_gives_the_year_when_nothing_else_does(inputs: Path, suffix: str):
    header = [["STT", "Đơn vị", "Năm 2026", None], [None, None, "MN", "TH"]]
    rows = [[NO_YEAR], *header, [1, "Xã An Lão", 3, 5], [2, "Phường Lê Chân", 4, 6]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows, merged=("C2:D2", "A2:A3", "B2:B3")) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["chấp nhận"], issues["problem"].tolist()
    assert registrations["year"].unique().tolist() == [2026] and registrations["headcount"].sum() == 3 + 5 + 4 + 6


def test_two_years_over_the_levels_and_none_elsewhere_hold_the_file_back(inputs: Path):
    rows = [[NO_YEAR], ["STT", "Đơn vị", "Năm 2026", "Năm 2027"], [None, None, "MN", "MN"], [1, "Xã An Lão", 3, 5]]
    write_rows(inputs / "registrations" / "x.xlsx", rows, merged=("A2:A3", "B2:B3"))
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert issues["problem"].str.contains("Không xác định được năm").any(), issues["problem"].tolist()


# ---------------------------------------------------------------- a number in the notes column


NOTE = "ở cột ghi chú"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_number_in_the_notes_is_said_and_never_counted(inputs: Path, suffix: str):
    rows = [[TITLE], ["STT", "Đơn vị", "MN", "TH", "Ghi chú"], [1, "Xã An Lão", 3, 5, 12], [2, "Phường Lê Chân", 4, 6, "Đã trừ 2 người nghỉ hưu"], [3, "Xã An Hưng", 1, 1, 0]]
    target = inputs / "registrations" / f"x{suffix}"
    write_rows(target, rows) if suffix == ".xlsx" else write_csv_rows(target, rows)
    registrations, issues, files = check(inputs)
    assert registrations["headcount"].sum() == 3 + 5 + 4 + 6 + 1 + 1  # the 12 is a note
    found = _warnings(issues, NOTE)
    assert found[["cell", "value"]].values.tolist() == [["E3", "12"]]  # text and a 0 say nothing
    assert files["status"].tolist() == ["chấp nhận"]

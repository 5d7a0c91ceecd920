"""Ingest: tables found wherever they are, both shapes, every number keeping its cell."""

from pathlib import Path

import openpyxl

from pipeline import ingest
from workbooks import write_compiled_appendix, write_unit_file


def _read(inputs: Path):
    reference = ingest.read_reference(inputs / "reference")
    return ingest.read_registrations(inputs / "registrations", reference)


def test_compiled_table_with_title_block(inputs: Path):
    write_compiled_appendix(inputs / "registrations" / "pl2.xlsx", 2)
    cells, files, issues = _read(inputs)
    data = cells[~cells["is_total"]]
    assert len(data) == 14
    assert data["year"].unique().tolist() == [2024]
    first = data.iloc[1]
    assert (first["unit_label"], first["source_cell"], first["value"]) == ("An Lão", "C9", 11)
    assert first["topic_in_column"]
    total = cells[cells["is_total"]].iloc[0]
    assert (total["source_cell"], total["value"]) == ("C22", 71)
    assert issues.empty and files["sheets"].tolist() == ["PL2"]


def test_unit_file_with_two_row_header(inputs: Path):
    write_unit_file(inputs / "registrations" / "x.xlsx", "Quận Lê Chân", 2026, [("Tích hợp AI trong quản trị nhà trường", {"MN": 3, "GDNN": 1})])
    cells, _, issues = _read(inputs)
    data = cells[~cells["is_total"]]
    assert set(data["unit_label"]) == {"Quận Lê Chân"}
    assert data["year"].unique().tolist() == [2026]
    assert data["level_label"].tolist() == [f"Số lượng dự kiến {level}" for level in ["MN", "TH", "THCS", "THPT", "GDTX", "GDNN"]]
    assert data.set_index("source_cell")["value"].dropna().to_dict() == {"C6": 3, "H6": 1}
    assert issues.empty


def test_year_from_sheet_name_then_file_name(inputs: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Dang ky 2025"
    sheet.append(["STT", "Đơn vị", "Số lượng"])
    sheet.append([1, "An Lão", 3])
    workbook.save(inputs / "registrations" / "tu_van_2023.xlsx")
    cells, _, _ = _read(inputs)
    assert cells["year"].tolist() == [2025]


def test_sheets_without_a_table_are_listed(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl5.xlsx", 5)
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet("Ghi chú")["A1"] = "Số liệu do phòng GD tổng hợp"
    workbook.save(path)
    cells, files, issues = _read(inputs)
    assert files["sheets"].tolist() == ["PL5"]
    assert issues[["sheet", "severity"]].values.tolist() == [["Ghi chú", "cảnh báo"]]
    assert len(cells[~cells["is_total"]]) == 14


def test_not_a_spreadsheet(inputs: Path):
    (inputs / "registrations" / "notes.txt").write_text("hello", encoding="utf-8")
    (inputs / "registrations" / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    cells, files, issues = _read(inputs)
    assert cells.empty
    assert sorted(issues["file"]) == ["broken.xlsx", "notes.txt"]
    assert set(issues["severity"]) == {"lỗi"}

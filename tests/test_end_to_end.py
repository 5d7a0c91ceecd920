"""End to end: the 2024 registrations, as spreadsheets, become the 2024 appendices.

Expected figures come from tests/plan_2024.py, typed from the official document.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, convert_to_pdf, run_cli
from plan_2024 import APPENDICES, DISTRICTS, document_counts
from workbooks import write_compiled_appendix, write_unit_file

PERIOD = "2024-12"


def _assert_appendices_match_document(workbook_path: Path) -> None:
    values = openpyxl.load_workbook(workbook_path, data_only=True)
    formulas = openpyxl.load_workbook(workbook_path)
    assert values.sheetnames == [f"PL{n}" for n in APPENDICES]
    for number, appendix in APPENDICES.items():
        sheet, formula_sheet = values[f"PL{number}"], formulas[f"PL{number}"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == f"PHỤ LỤC {number}"
        assert [rows[1][0], rows[2][0]] == appendix["title"]
        header_index = next(i for i, row in enumerate(rows) if row[0] == "STT")
        header = rows[header_index]
        assert header[1] == appendix["unit_header"]
        assert header[-1] == "Ghi chú"
        total_index = next(i for i, row in enumerate(rows) if row[0] == "Tổng số")
        body = rows[header_index + 1 : total_index]
        assert len(body) == len(appendix["rows"]), number  # no unit missing, none added
        assert len(header) == 3 + len(appendix["headers"]) and list(header[2:-1]) == [text.replace("- ", "-").replace(" -", "-") for text in appendix["headers"]]
        # one row per unit in the document's order, every figure equal to the document
        for position, (row, (unit, *expected)) in enumerate(zip(body, appendix["rows"], strict=True), start=1):
            assert row[0] == position
            assert row[1] == unit
            assert list(row[2 : 2 + len(expected)]) == [value or 0 for value in expected]  # a blank of the document prints 0
        total_row_number = header_index + 1 + len(appendix["rows"])
        total_row = rows[total_row_number]
        assert total_row[0] == "Tổng số"
        for offset, printed_total in enumerate(appendix["totals"]):
            column = 2 + offset
            re_added = sum(row[1 + offset] or 0 for row in appendix["rows"])
            assert re_added == printed_total, "the document's own total does not add up"
            assert total_row[column] == printed_total
            formula = formula_sheet.cell(total_row_number + 1, column + 1).value
            letter = openpyxl.utils.get_column_letter(column + 1)
            assert formula == f"=SUM({letter}{header_index + 2}:{letter}{total_row_number})"


def _registration_totals(csv_path: Path) -> dict[tuple[str, str, str], int]:
    with csv_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    totals: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = (row["unit"], row["topic"], row["level"])
        totals[key] = totals.get(key, 0) + int(row["headcount"])
    return totals


def test_compiled_appendices_reproduce_the_document(inputs: Path, tmp_path: Path):
    for number in APPENDICES:
        write_compiled_appendix(inputs / "registrations" / "2024" / f"phu_luc_{number}.xlsx", number)
    outputs = tmp_path / "outputs"

    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", PERIOD)

    assert result.returncode == 0, result.stdout + result.stderr
    _assert_appendices_match_document(outputs / PERIOD / "phu_luc_dang_ky_2024.xlsx")
    csv_path = outputs / PERIOD / "data" / "registrations.csv"
    with csv_path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert {"year", "unit", "topic", "level", "headcount", "source_file", "source_sheet", "source_cell"} <= set(reader.fieldnames)
        first = next(reader)
    assert first["source_file"].endswith("phu_luc_1.xlsx") and first["source_sheet"] == "PL1"
    totals = _registration_totals(csv_path)
    nonzero = {key: value for key, value in totals.items() if value}
    assert nonzero == {key: value for key, value in document_counts().items() if value}
    assert sum(totals.values()) == 42 + 382 + 71 + 55 + 249 + 163 + 161
    # appendix 4 stays at the document's granularity: "phổ thông", not split by level
    assert {level for (_, topic, level) in totals if topic == "TT31"} == {"PT"}


def test_source_cell_points_at_the_number(inputs: Path, tmp_path: Path):
    path = write_compiled_appendix(inputs / "registrations" / "2024" / "pl1.xlsx", 1)
    outputs = tmp_path / "outputs"
    assert run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", PERIOD).returncode == 0
    source = openpyxl.load_workbook(path)["PL1"]
    with (outputs / PERIOD / "data" / "registrations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(APPENDICES[1]["rows"]) * 2  # each district, TC-ĐH and TC-CĐ
    assert {row["source_cell"][0] for row in rows} == {"C", "D"}
    for row in rows:
        assert (source[row["source_cell"]].value or 0) == int(row["headcount"])  # a blank cell registers 0


def test_one_file_per_district_gives_the_same_totals(inputs: Path, tmp_path: Path):
    counts = document_counts()
    # The district's own spelling: prefixes, old tone placement, decomposed Unicode.
    spellings = {"Thủy Nguyên": "Huyện Thuỷ Nguyên", "Kiến Thụy": "huyện KIẾN THUỴ", "Lê Chân": "Quận Lê Chân"}
    topics = [
        ("Đào tạo nâng chuẩn trình độ từ trung cấp lên đại học (TC-ĐH)", "TC_DH"),
        ("Đào tạo nâng chuẩn trình độ từ trung cấp lên cao đẳng (TC-CĐ)", "TC_CD"),
        ("Đào tạo nâng chuẩn trình độ từ cao đẳng lên đại học (CĐ-ĐH)", "CD_DH"),
        ("Bồi dưỡng công tác tư vấn cho học sinh (Thông tư 31/2017/TT-BGDĐT)", "TT31"),
        ("Bồi dưỡng GV dạy môn Lịch sử và Địa lý", "LS_DL"),
        ("Bồi dưỡng GV dạy môn Khoa học tự nhiên", "KHTN"),
    ]
    levels = ["MN", "TH", "THCS", "THPT", "GDTX", "GDNN", "Phổ thông"]
    level_codes = {"Phổ thông": "PT"}
    for index, unit in enumerate([*DISTRICTS, "Các trường THPT"]):
        rows = []
        for label, code in topics:
            row = {level: counts[(unit, code, level_codes.get(level, level))] for level in levels if (unit, code, level_codes.get(level, level)) in counts}
            if row:
                rows.append((label, row))
        name = spellings.get(unit, unit)
        if index % 2:
            name = unicodedata.normalize("NFD", name)
        write_unit_file(inputs / "registrations" / "2024" / f"don_vi_{index:02d}.xlsx", name, 2024, rows, levels=levels)
    outputs = tmp_path / "outputs"

    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", PERIOD)

    assert result.returncode == 0, result.stdout + result.stderr
    totals = _registration_totals(outputs / PERIOD / "data" / "registrations.csv")
    assert {k: v for k, v in totals.items() if v} == {k: v for k, v in counts.items() if v}
    _assert_appendices_match_document(outputs / PERIOD / "phu_luc_dang_ky_2024.xlsx")


def test_shipped_sample_inputs_reproduce_the_document(tmp_path: Path):
    inputs_before = {p: p.read_bytes() for p in (ROOT / "inputs").rglob("*") if p.is_file()}
    outputs = tmp_path / "outputs"

    result = run_cli("run", "--outputs", str(outputs), "--period", PERIOD)

    assert result.returncode == 0, result.stdout + result.stderr
    _assert_appendices_match_document(outputs / PERIOD / "phu_luc_dang_ky_2024.xlsx")
    assert {p: p.read_bytes() for p in (ROOT / "inputs").rglob("*") if p.is_file()} == inputs_before


def test_workbook_is_print_ready(inputs: Path, tmp_path: Path):
    for number in APPENDICES:
        write_compiled_appendix(inputs / "registrations" / "2024" / f"phu_luc_{number}.xlsx", number)
    outputs = tmp_path / "outputs"
    assert run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", PERIOD).returncode == 0
    workbook = openpyxl.load_workbook(outputs / PERIOD / "phu_luc_dang_ky_2024.xlsx")
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0  # absent means 1
        assert sheet.print_title_rows.replace("$", "") == "6:6"
        assert sheet["A1"].font.name == "Times New Roman" and sheet["A1"].font.b
        assert "A1" in {str(r).split(":")[0] for r in sheet.merged_cells.ranges}
        header = next(row for row in sheet.iter_rows() if row[0].value == "STT")
        assert all(cell.border.top.style == "thin" for cell in header)
        assert sheet.column_dimensions["B"].width >= 20


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")), reason="needs LibreOffice and poppler-utils")
def test_each_appendix_prints_on_one_page(tmp_path: Path):
    outputs = tmp_path / "outputs"
    assert run_cli("run", "--outputs", str(outputs), "--period", PERIOD).returncode == 0
    pdf = convert_to_pdf(outputs / PERIOD / "phu_luc_dang_ky_2024.xlsx", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == len(APPENDICES)  # nothing spilled onto a second page, across or down


def test_outputs_built_from_illustrative_files_say_so(tmp_path: Path):
    """The shipped 2026 files are marked "SỐ LIỆU MINH HỌA": so is every page built from them,
    and nothing built from the real 2024 figures."""
    result = run_cli("run", "--outputs", str(tmp_path / "out"), "--period", PERIOD, "--quiet")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / PERIOD
    priced = openpyxl.load_workbook(folder / "dang_ky_2026_kinh_phi.xlsx")
    assert len(priced.worksheets) == 2
    for sheet in priced.worksheets:
        assert sheet.oddHeader.center.text == "SỐ LIỆU MINH HỌA", sheet.title
    assert priced.worksheets[0]["A1"].value.endswith("(SỐ LIỆU MINH HỌA)")
    for sheet in openpyxl.load_workbook(folder / "phu_luc_dang_ky_2024.xlsx").worksheets:
        assert not sheet.oddHeader.center.text and "MINH HỌA" not in str(sheet["A2"].value)

"""The 2026–2030 plan priced: workbooks cell by cell against the document, amounts
recomputed independently, totals re-derived, and every disagreement found."""

from __future__ import annotations

import csv
import math
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, run_cli
from plan_2026_2030 import COSTS, FIVE_YEAR_TOTAL_PRINTED, LEVELS, PRINTED_TOTALS, STANDARD_PARTNERS, TASKS

PERIOD = "2026-11"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plan") / "outputs"
    result = run_cli("run", "--outputs", str(folder), "--period", PERIOD)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / PERIOD


def _half_up(value: float) -> int:
    return math.floor(round(value, 6) + 0.5)


def _line_amount(counts, price) -> float:
    return sum(c or 0 for c in counts) * price


def _table(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "TT")
    return rows, header


def test_cost_workbooks_match_the_document_line_by_line(outputs: Path):
    for year, (appendix, lines) in COSTS.items():
        path = outputs / f"ke_hoach_{year}_kinh_phi.xlsx"
        values = openpyxl.load_workbook(path, data_only=True)[f"PL{appendix}"]
        formulas = openpyxl.load_workbook(path)[f"PL{appendix}"]
        rows, header = _table(values)
        assert rows[0][0] == f"PHỤ LỤC {appendix}"
        assert rows[1][0] == f"KINH PHÍ ĐÀO TẠO, BỒI DƯỠNG ĐỘI NGŨ NĂM {year}"
        assert any(cell == "Đơn vị tính: triệu đồng" for row in rows[:header] for cell in row)
        assert list(rows[header]) == ["TT", "Nội dung đào tạo, bồi dưỡng", "Mầm non", "Tiểu học", "THCS", "THPT", "GDTX", "GDNN", "Đơn giá/người", "Thành tiền", "Ghi chú"]
        body = rows[header + 1 : header + 1 + len(lines)]
        for offset, (row, (label, counts, price, printed_amount, note)) in enumerate(zip(body, lines)):
            excel_row = header + 2 + offset
            assert row[1].startswith(label), (year, row[1], label)
            assert [value or 0 for value in row[2:8]] == [value or 0 for value in counts], (year, label)
            if price is None:
                assert row[8] is None and row[9] is None
                continue
            assert row[8] == pytest.approx(price)
            expected = _line_amount(counts, price)
            assert row[9] == pytest.approx(expected), (year, label)  # unrounded cached value
            assert _half_up(row[9]) == printed_amount, (year, label)  # shown as the document rounds it
            assert formulas.cell(excel_row, 10).value == f"=SUM(C{excel_row}:H{excel_row})*I{excel_row}"
            assert formulas.cell(excel_row, 10).number_format == "#,##0"
            if note:
                assert row[10] == note
        total = rows[header + 1 + len(lines)]
        assert total[0] == "Tổng số"
        re_added = [sum(counts[i] or 0 for _, counts, *_ in lines) for i in range(6)]
        assert list(total[2:8]) == re_added
        assert total[9] == pytest.approx(sum(_line_amount(c, p) for _, c, p, *_ in lines if p))
        total_row = header + 2 + len(lines)
        assert formulas.cell(total_row, 10).value == f"=SUM(J{header + 2}:J{total_row - 1})"


def test_printed_totals_that_do_not_add_up_are_not_copied(outputs: Path):
    # 2026–2028: the document's level totals leave the degree-upgrade lines out.
    for year, (appendix, lines) in COSTS.items():
        values = openpyxl.load_workbook(outputs / f"ke_hoach_{year}_kinh_phi.xlsx", data_only=True)[f"PL{appendix}"]
        rows, header = _table(values)
        total = rows[header + 1 + len(lines)]
        printed_levels, printed_amount = PRINTED_TOTALS[year]
        re_added = [sum(counts[i] or 0 for _, counts, *_ in lines) for i in range(6)]
        assert list(total[2:8]) == re_added
        assert (re_added == printed_levels) == (year in (2029, 2030))
        amount = sum(_line_amount(c, p) for _, c, p, *_ in lines if p)
        assert (_half_up(amount) == printed_amount) == (year != 2028)


def test_tasks_workbooks_mirror_appendices_1_to_5(outputs: Path):
    for year, (appendix, lines) in TASKS.items():
        sheet = openpyxl.load_workbook(outputs / f"ke_hoach_{year}_nhiem_vu.xlsx", data_only=True)[f"PL{appendix}"]
        rows, header = _table(sheet)
        assert rows[1][0] == f"TỔNG HỢP CÁC NỘI DUNG NHIỆM VỤ KẾ HOẠCH NĂM {year}"
        assert rows[header][:3] == ("TT", "Nội dung", "Số lượng dự kiến")
        assert rows[header][8:11] == ("Hình thức thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp")
        assert list(rows[header + 1][2:8]) == LEVELS
        body = rows[header + 2 :]
        for row, (label, counts) in zip(body, lines):
            assert row[1].startswith(label)
            assert [value or 0 for value in row[2:8]] == [value or 0 for value in counts]
        assert body[0][8:11] == ("Trực tiếp/trực tiếp kết hợp trực tuyến", "Sở GDĐT", STANDARD_PARTNERS)


def test_summary_five_year_total_is_what_the_lines_add_up_to(outputs: Path):
    workbook = openpyxl.load_workbook(outputs / "tong_hop_2026_2030.xlsx", data_only=True)
    rows = list(workbook["Tổng hợp"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Năm")
    yearly = {row[0]: row[2] for row in rows[header + 1 : header + 6]}
    expected = {year: sum(_line_amount(c, p) for _, c, p, *_ in lines if p) for year, (_, lines) in COSTS.items()}
    assert yearly == pytest.approx(expected)
    total = rows[header + 6]
    assert total[0] == "Tổng 5 năm"
    assert total[2] == pytest.approx(sum(expected.values()))
    assert _half_up(total[2]) == 180_385 != FIVE_YEAR_TOTAL_PRINTED
    formulas = openpyxl.load_workbook(outputs / "tong_hop_2026_2030.xlsx")["Tổng hợp"]
    assert formulas.cell(header + 7, 3).value.startswith("=SUM(")
    with zipfile.ZipFile(outputs / "tong_hop_2026_2030.xlsx") as archive:
        charts = [archive.read(name).decode("utf-8") for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 2  # native Excel charts: amount per year, headcount per level
    assert all("<c:barChart>" in chart for chart in charts)


def test_reconciliation_lists_every_real_disagreement_and_no_false_one(outputs: Path):
    with (outputs / "data" / "reconciliation.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    disagreements = {(row["year"], row["item"]) for row in rows if row["agrees"] == "False"}
    # Found by re-adding the document by hand (see tests/plan_2026_2030.py):
    expected = {("", "Tổng kinh phí 5 năm (triệu đồng)"), ("2028", "Tổng kinh phí năm")}
    expected |= {(str(y), f"Tổng số người - {level}") for y in ("2026", "2027") for level in ("MN", "TH", "THCS")}
    expected |= {("2028", "Tổng số người - MN"), ("2028", "Tổng số người - TH")}
    expected |= {("2029", "Số lượng Bồi dưỡng nghiệp vụ sư phạm - GDNN"), ("2029", "Số lượng Bồi dưỡng chứng chỉ kỹ năng thực hành nghề - GDNN")}
    assert disagreements == expected
    by_item = {(row["year"], row["item"]): row for row in rows}
    five_year = by_item[("", "Tổng kinh phí 5 năm (triệu đồng)")]
    assert float(five_year["printed"]) == FIVE_YEAR_TOTAL_PRINTED
    assert float(five_year["computed"]) == pytest.approx(180_384.93)
    assert float(five_year["difference"]) == pytest.approx(180_384.93 - FIVE_YEAR_TOTAL_PRINTED)
    assert "2028" in five_year["explanation"]
    year_2028 = by_item[("2028", "Tổng kinh phí năm")]
    assert float(year_2028["computed"]) == pytest.approx(35_604.45)
    assert "TC lên ĐH" in year_2028["explanation"]
    assert all(row["explanation"] for row in rows)
    summary = openpyxl.load_workbook(outputs / "tong_hop_2026_2030.xlsx", data_only=True)["Đối chiếu"]
    assert summary.max_row == len(rows) + 1 and summary.freeze_panes == "A2"


def test_plan_and_costs_exports(outputs: Path):
    for name in ("plan.csv", "costs.csv"):
        with (outputs / "data" / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert {"year", "topic", "level", "headcount", "unit_price_million", "amount_million"} <= set(rows[0])
        for row in rows:
            if row["unit_price_million"]:
                assert float(row["amount_million"]) == pytest.approx(int(row["headcount"]) * float(row["unit_price_million"]))
    with (outputs / "data" / "plan.csv").open(encoding="utf-8") as handle:
        plan = list(csv.DictReader(handle))
    assert sum(float(row["amount_million"]) for row in plan) == pytest.approx(180_384.93)


def test_registrations_priced_and_compared_with_the_plan(outputs: Path):
    # The shipped illustrative 2026 files, re-added here from what they contain.
    registered = {}
    for path in sorted((ROOT / "inputs" / "registrations" / "2026").glob("*.xlsx")):
        sheet = openpyxl.load_workbook(path).active
        for row in sheet.iter_rows(min_row=6, values_only=True):
            if row[1] in (None, "Tổng số"):
                continue
            for level, value in zip(LEVELS, row[2:8]):
                if value:
                    registered[(row[1], level)] = registered.get((row[1], level), 0) + value
    workbook = openpyxl.load_workbook(outputs / "dang_ky_2026_kinh_phi.xlsx", data_only=True)
    rows, header = _table(workbook["Kinh phí đăng ký"])
    total = next(row for row in rows if row[0] == "Tổng số")
    for index, level in enumerate(LEVELS):
        assert (total[2 + index] or 0) == sum(v for (_, lvl), v in registered.items() if lvl == level)
    prices = {"Chuyển đổi số": 2, "Tích hợp AI": 2, "Bồi dưỡng phương pháp": 2, "Bồi dưỡng năng lực đánh giá": 1.5, "Thiết kế và triển khai": 2, "Đào tạo nâng trình độ chuẩn từ trung cấp": 13.26, "Đào tạo nâng trình độ chuẩn từ cao đẳng": 12}
    expected = sum(v * next(p for k, p in prices.items() if topic.startswith(k)) for (topic, _), v in registered.items())
    assert total[9] == pytest.approx(expected)
    comparison = list(workbook["So với kế hoạch"].iter_rows(values_only=True))
    header_row = comparison[0]
    line = next(row for row in comparison if row[0] == "BD01" and row[2] == "MN")
    planned, done = line[header_row.index("Kế hoạch (người)")], line[header_row.index("Đăng ký (người)")]
    assert (planned, done) == (2384, registered[("Chuyển đổi số và ứng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học", "MN")])
    assert line[header_row.index("Tỷ lệ so với kế hoạch (%)")] == pytest.approx(round(done / planned * 100, 1))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_recalculation_equals_cached_values(outputs: Path, tmp_path: Path):
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    # Force LibreOffice to recalculate every formula when it opens an .xlsx file.
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
        "</oor:items>\n",
        encoding="utf-8",
    )
    workbooks = sorted(outputs.glob("*.xlsx"))
    recalculated = tmp_path / "recalculated"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "xlsx", "--outdir", str(recalculated), *map(str, workbooks)],
        check=True, capture_output=True, timeout=600,
    )
    checked = 0
    for path in workbooks:
        cached = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path)
        again = openpyxl.load_workbook(recalculated / path.name, data_only=True)
        for sheet in formulas.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        before = cached[sheet.title][cell.coordinate].value
                        after = again[sheet.title][cell.coordinate].value
                        assert after == pytest.approx(before, rel=1e-12, abs=1e-9), (path.name, sheet.title, cell.coordinate)
                        checked += 1
    assert checked > 100


def test_inconsistent_plan_stops_the_run(inputs: Path, tmp_path: Path):
    plan = inputs / "reference" / "plan.csv"
    lines = plan.read_text(encoding="utf-8").splitlines()
    # 2026, line 6: TC_DH (MN, TH) given 5 THPT teachers; a sub-item under a group the year lacks
    header = lines[0].split(",")
    row = next(i for i, line in enumerate(lines) if line.startswith("2026,6,TC_DH"))
    cells = next(csv.reader([lines[row]]))
    cells[header.index("THPT")] = "5"
    lines[row] = ",".join(f'"{c}"' if "," in c else c for c in cells)
    lines.append("2030,9,NVSP,BD99,,,,,,,5,3,,,,,,")
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"), "--period", PERIOD)
    assert result.returncode == 2
    assert "plan.csv: năm 2026, dòng 6: nội dung TC_DH không áp dụng cho cấp học THPT" in result.stderr
    assert "plan.csv: năm 2030, dòng 9: dòng cha BD99 không có trong kế hoạch năm 2030" in result.stderr

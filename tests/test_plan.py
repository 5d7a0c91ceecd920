"""The 2026–2030 plan priced: workbooks cell by cell against the document, amounts
recomputed independently, totals re-derived, and every disagreement found."""

from __future__ import annotations

import csv
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, run_cli
from number_formats import display, parse
from plan_2026_2030 import COSTS, DELIVERY, FIVE_YEAR_TOTAL_PRINTED, LEVELS, PRINTED_TOTALS, TASKS, TOPIC_HEADERS, TOTAL_LABEL, WORDING

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


def _cost_rows(outputs: Path, year: int):
    appendix, lines = COSTS[year]
    path = outputs / f"ke_hoach_{year}_kinh_phi.xlsx"
    values = openpyxl.load_workbook(path, data_only=True)[f"PL{appendix}"]
    formulas = openpyxl.load_workbook(path)[f"PL{appendix}"]
    rows, header = _table(values)
    return appendix, lines, values, formulas, rows, header


def _notes(rows, after: int) -> list[str]:
    """The footnotes under a table: the lines after "Ghi chú:"."""
    start = next(i for i in range(after, len(rows)) if rows[i][0] == "Ghi chú:")
    return [row[0] for row in rows[start + 1 :] if row[0]]


def _shown(cell) -> str:
    return display(cell.value, cell.number_format)


def test_cost_workbooks_match_the_document_line_by_line(outputs: Path):
    for year, (appendix, lines) in COSTS.items():
        _, _, values, formulas, rows, header = _cost_rows(outputs, year)
        assert rows[0][0] == f"PHỤ LỤC {appendix}"
        assert rows[1][0] == f"KINH PHÍ ĐÀO TẠO, BỒI DƯỠNG ĐỘI NGŨ NĂM {year}"
        assert any(cell == "Đơn vị tính: triệu đồng" for row in rows[:header] for cell in row)
        assert list(rows[header]) == ["TT", TOPIC_HEADERS[appendix], "Mầm non", "Tiểu học", "THCS", "THPT", "GDTX", "GDNN", "Đơn giá/người", "Thành tiền", "Ghi chú"]
        body = rows[header + 1 : header + 1 + len(lines)]
        assert len(body) == len(lines) == len(WORDING[appendix])
        for offset, (row, (label, counts, price, printed_amount, note), printed) in enumerate(zip(body, lines, WORDING[appendix])):
            excel_row = header + 2 + offset
            # TT, label and note as the document prints them, typos included
            assert (row[0], row[1], row[10] or "") == printed, (year, row[:2])
            assert row[1].startswith(label), (year, row[1], label)
            assert row[2:8] == tuple(counts), (year, label)
            # printed as the document prints them: "2 384", "0" where it prints 0, nothing where it prints nothing
            shown = [_shown(values.cell(excel_row, column)) if values.cell(excel_row, column).value is not None else "" for column in range(3, 9)]
            assert shown == ["" if count is None else f"{count:,}".replace(",", " ") for count in counts], (year, label)
            if price is None:
                assert row[8] is None and row[9] is None
                continue
            assert row[8] == pytest.approx(price)
            expected = _line_amount(counts, price)
            assert row[9] == pytest.approx(expected), (year, label)  # unrounded cached value
            assert _half_up(row[9]) == printed_amount, (year, label)  # the document shows it rounded
            assert formulas.cell(excel_row, 10).value == f"=SUM(C{excel_row}:H{excel_row})*I{excel_row}"
            assert formulas.cell(excel_row, 10).number_format.endswith("_)")  # room before the note beside it
        total = rows[header + 1 + len(lines)]
        assert total[0] == TOTAL_LABEL
        re_added = [sum(counts[i] or 0 for _, counts, *_ in lines) for i in range(6)]
        assert list(total[2:8]) == re_added
        assert total[9] == pytest.approx(sum(_line_amount(c, p) for _, c, p, *_ in lines if p))
        total_row = header + 2 + len(lines)
        assert formulas.cell(total_row, 10).value == f"=SUM(J{header + 2}:J{total_row - 1})"


def test_printed_lines_add_up_to_the_printed_total(outputs: Path):
    """A reader with a calculator gets each appendix's printed total from its printed lines:
    amounts show the decimals they have (2027: 1 312.74 and 2 551.5, not 1 313 and 2 552)."""
    for year, (appendix, lines) in COSTS.items():
        _, _, values, _, rows, header = _cost_rows(outputs, year)
        priced = [(offset, c, p) for offset, (_, c, p, *_) in enumerate(lines) if p]
        shown = [_shown(values.cell(header + 2 + offset, 10)) for offset, _, _ in priced]
        total = _shown(values.cell(header + 2 + len(lines), 10))
        # computed here from the document's counts and prices, with the decimals each really has
        expected = [round(_line_amount(c, p), 2) for _, c, p in priced]
        assert [parse(text) for text in shown] == pytest.approx(expected), year
        assert parse(total) == pytest.approx(round(sum(parse(text) for text in shown), 2), abs=1e-9), (year, total)
        assert all(text == f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ") for text, value in zip(shown, expected)), shown
        notes = _notes(rows, header + 1 + len(lines))
        assert any("Thành tiền ghi đủ phần thập phân" in note and "làm tròn" in note for note in notes)
    _, _, values, _, _, header = _cost_rows(outputs, 2027)
    assert [_shown(values.cell(header + 2 + offset, 10)) for offset in (5, 6)] == ["2 551.5", "1 312.74"]


def test_every_difference_from_the_printed_plan_is_marked_on_its_page(outputs: Path):
    """Each cell recomputed to a figure other than the printed one carries a mark "(n)",
    and the note "(n)" under the table gives the printed figure; no other cell is marked."""
    marks = {}
    for year, (appendix, lines) in COSTS.items():
        _, _, values, _, rows, header = _cost_rows(outputs, year)
        total_row = header + 2 + len(lines)
        printed_levels, printed_amount = PRINTED_TOTALS[year]
        re_added = [sum(counts[i] or 0 for _, counts, *_ in lines) for i in range(6)]
        amount = sum(_line_amount(c, p) for _, c, p, *_ in lines if p)
        expected = [(column, printed) for column, (mine, printed) in enumerate(zip(re_added, printed_levels), start=3) if mine != printed]
        if _half_up(amount) != printed_amount:
            expected.append((10, printed_amount))
        marked = [
            (cell.column, cell.row) for row in values.iter_rows(min_row=header + 2, max_row=total_row) for cell in row
            if isinstance(cell.value, (int, float)) and re.search(r"\(\d+\)", _shown(cell))
        ]
        assert [column for column, _ in marked] == [column for column, _ in expected], year
        assert all(r == total_row for _, r in marked)
        notes = _notes(rows, total_row)
        for number, ((column, row), (_, printed)) in enumerate(zip(marked, expected), start=1):
            assert _shown(values.cell(row, column)).endswith(f"({number})")
            note = next(note for note in notes if note.startswith(f"({number}) "))
            assert f"Tài liệu in {printed:,}".replace(",", " ") in note, note
        assert not any(re.match(r"\(\d+\)", note) for note in notes[len(marked):])
        marks[year] = len(marked)
    # MN, TH, THCS totals of 2026 and 2027; MN, TH and the amount of 2028; nothing in 2029–2030
    assert marks == {2026: 3, 2027: 3, 2028: 3, 2029: 0, 2030: 0}


def test_added_lines_are_marked_on_the_tasks_page(outputs: Path):
    for year, (appendix, lines) in TASKS.items():
        sheet = openpyxl.load_workbook(outputs / f"ke_hoach_{year}_nhiem_vu.xlsx", data_only=True)[f"PL{appendix}"]
        rows, header = _table(sheet)
        body = [row for row in rows[header + 2 :] if row[1] and row[0] != "Ghi chú:" and not re.match(r"\(\d+\) ", str(row[0]))]
        printed = WORDING[appendix]
        assert [(row[0], row[1]) for row in body[: len(printed)]] == printed
        extra = body[len(printed) :]
        if year != 2029:
            assert extra == [] and not any(row[0] == "Ghi chú:" for row in rows)
            continue
        # the document's appendix 4 stops at line 6; appendix 9 prices 80 + 80 GDNN staff
        assert [(row[1], row[7]) for row in extra] == [
            ("- Bồi dưỡng nghiệp vụ sư phạm (1)", 80),
            ("- Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề… (2)", 80),
        ]
        notes = _notes(rows, header)
        assert len(notes) == 2 and all(note.startswith(f"({n}) Dòng thêm") and "phụ lục 9" in note for n, note in zip((1, 2), notes))


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
    """Every line of every year's tasks appendix, as the document prints it: TT, wording,
    the six counts (blank where it prints none), form, lead and partner units. The table
    has exactly the document's lines (2029: and the two it lacks, see the next test)."""
    assert sorted(TASKS) == sorted(COSTS) == [2026, 2027, 2028, 2029, 2030]
    assert [appendix for appendix, _ in TASKS.values()] == [1, 2, 3, 4, 5]
    for year, (appendix, lines) in TASKS.items():
        sheet = openpyxl.load_workbook(outputs / f"ke_hoach_{year}_nhiem_vu.xlsx", data_only=True)[f"PL{appendix}"]
        rows, header = _table(sheet)
        assert rows[0][0] == f"PHỤ LỤC {appendix}"
        assert rows[1][0] == f"TỔNG HỢP CÁC NỘI DUNG NHIỆM VỤ KẾ HOẠCH NĂM {year}"
        assert rows[header][:3] == ("TT", "Nội dung", "Số lượng dự kiến")
        # "Đơn vị / chủ trì": broken between words, as the document does
        assert rows[header][8:11] == ("Hình thức thực hiện", "Đơn vị\nchủ trì", "Đơn vị\nphối hợp")
        assert list(rows[header + 1][2:8]) == LEVELS
        table = []
        for row in rows[header + 2 :]:
            if not row[1]:
                break
            table.append(row)
        added = 2 if year == 2029 else 0
        assert len(table) == len(lines) + added == len(WORDING[appendix]) + added == len(DELIVERY[appendix]) + added, year
        for offset, (row, (label, counts), printed, delivery) in enumerate(zip(table, lines, WORDING[appendix], DELIVERY[appendix], strict=False)):
            assert (row[0], row[1]) == printed, (year, offset)
            assert row[1].startswith(label), (year, row[1])
            assert list(row[2:8]) == counts, (year, label)
            assert tuple(row[8:11]) == delivery, (year, label)
            shown = [display(sheet.cell(header + 3 + offset, column).value, sheet.cell(header + 3 + offset, column).number_format) if sheet.cell(header + 3 + offset, column).value is not None else "" for column in range(3, 9)]
            assert shown == ["" if count is None else f"{count:,}".replace(",", " ") for count in counts], (year, label)
    sheet = openpyxl.load_workbook(outputs / "ke_hoach_2027_nhiem_vu.xlsx", data_only=True)["PL2"]
    rows, header = _table(sheet)
    assert rows[header + 6][1].startswith("Bồi dưỡng về giáo dục hướng nghiệp") and rows[header + 6][2:4] == (0, 0)
    assert [display(sheet.cell(header + 7, column).value, sheet.cell(header + 7, column).number_format) for column in (3, 4, 5)] == ["0", "0", "1 278"]  # printed "0"


def test_summary_five_year_total_is_what_the_lines_add_up_to(outputs: Path):
    workbook = openpyxl.load_workbook(outputs / "tong_hop_2026_2030.xlsx", data_only=True)
    sheet = workbook["Tổng hợp"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Năm")
    assert rows[header][:4] == ("Năm", "Số lượt người", "Kinh phí tính lại", "Kinh phí in trong tài liệu")
    yearly = {row[0]: row[2] for row in rows[header + 1 : header + 6]}
    expected = {year: sum(_line_amount(c, p) for _, c, p, *_ in lines if p) for year, (_, lines) in COSTS.items()}
    assert yearly == pytest.approx(expected)
    assert {row[0]: row[3] for row in rows[header + 1 : header + 6]} == {year: amount for year, (_, amount) in PRINTED_TOTALS.items()}
    total = rows[header + 6]
    assert total[0] == "Tổng 5 năm"
    assert total[2] == pytest.approx(sum(expected.values()))
    assert _half_up(total[2]) == 180_385 != FIVE_YEAR_TOTAL_PRINTED
    # the five-year row shows both: recomputed, marked, and as section VII prints it
    assert total[3] == FIVE_YEAR_TOTAL_PRINTED and "VII" in total[4]
    shown_total = _shown(sheet.cell(header + 7, 3))
    assert re.fullmatch(r"180 384\.93 \((\d)\)", shown_total)
    assert _shown(sheet.cell(header + 4, 3)) == "35 604.45 (1)" and _shown(sheet.cell(header + 4, 4)) == "34 511"
    notes = [row[0] for row in rows if isinstance(row[0], str) and re.match(r"\(\d\) ", row[0])]
    assert len(notes) == 2 and "34 511" in notes[0] and "179 292" in notes[1] and shown_total.endswith("(2)")
    formulas = openpyxl.load_workbook(outputs / "tong_hop_2026_2030.xlsx")["Tổng hợp"]
    assert formulas.cell(header + 7, 3).value.startswith("=SUM(")
    with zipfile.ZipFile(outputs / "tong_hop_2026_2030.xlsx") as archive:
        charts = [archive.read(name).decode("utf-8") for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 2  # native Excel charts: amount per year, headcount per level
    assert all("<c:barChart>" in chart for chart in charts)
    for chart in charts:  # Times New Roman throughout, numbers grouped by a space
        assert chart.count('typeface="Times New Roman"') >= 3 and "Calibri" not in chart
        assert "#,##0" not in chart and 'formatCode="[&gt;=1000000]#&quot; &quot;###' in chart


def test_reconciliation_lists_every_real_disagreement_and_no_false_one(outputs: Path):
    with (outputs / "data" / "reconciliation.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    figures = [row for row in rows if row["check"] != "wording"]
    disagreements = {(row["year"], row["item"]) for row in figures if row["agrees"] == "False"}
    # Found by re-adding the document by hand (see tests/plan_2026_2030.py):
    expected = {("", "Tổng kinh phí 5 năm (triệu đồng)"), ("2028", "Tổng kinh phí năm")}
    expected |= {(str(y), f"Tổng số người - {level}") for y in ("2026", "2027") for level in ("MN", "TH", "THCS")}
    expected |= {("2028", "Tổng số người - MN"), ("2028", "Tổng số người - TH")}
    expected |= {("2029", "Số lượng Bồi dưỡng nghiệp vụ sư phạm - GDNN"), ("2029", "Số lượng Bồi dưỡng Chứng chỉ kỹ năng thực hành nghề… - GDNN")}
    assert disagreements == expected
    by_item = {(row["year"], row["item"]): row for row in figures}
    five_year = by_item[("", "Tổng kinh phí 5 năm (triệu đồng)")]
    assert float(five_year["printed"]) == FIVE_YEAR_TOTAL_PRINTED
    assert float(five_year["computed"]) == pytest.approx(180_384.93)
    assert float(five_year["difference"]) == pytest.approx(180_384.93 - FIVE_YEAR_TOTAL_PRINTED)
    assert "2028" in five_year["explanation"]
    year_2028 = by_item[("2028", "Tổng kinh phí năm")]
    assert float(year_2028["computed"]) == pytest.approx(35_604.45)
    assert "TC lên ĐH" in year_2028["explanation"] and "1 093.95" in year_2028["explanation"]
    assert all(row["explanation"] for row in rows)
    summary = openpyxl.load_workbook(outputs / "tong_hop_2026_2030.xlsx", data_only=True)["Đối chiếu"]
    assert summary.max_row == len(rows) + 1 and summary.freeze_panes == "A2"


def test_the_document_typos_kept_are_listed(outputs: Path):
    """Every typo the appendices keep is listed in the reconciliation: each TT printed out
    of sequence (counted here from the document's wording) and each misspelling."""
    with (outputs / "data" / "reconciliation.csv").open(encoding="utf-8") as handle:
        wording = [row for row in csv.DictReader(handle) if row["check"] == "wording"]
    out_of_sequence = set()
    for appendix, printed in WORDING.items():
        numbers = [number for number, *_ in printed if number]
        out_of_sequence |= {(appendix, number) for position, number in enumerate(numbers, start=1) if number.rstrip(".") != str(position)}
    assert len(out_of_sequence) == 1 + 5 + 3 + 1 + 1  # appendices 1, 2, 3, 4 ("i." and what follows), 7 (3 twice)
    listed = {(int(row["appendix"]), re.search(r'số thứ tự "([^"]+)"', row["explanation"]).group(1)) for row in wording if "số thứ tự" in row["explanation"]}
    assert listed == out_of_sequence
    misspelt = {(int(row["appendix"]), re.search(r'in (?:ghi chú )?"([^"]+)"', row["explanation"]).group(1)) for row in wording if "số thứ tự" not in row["explanation"]}
    assert misspelt == {(1, "ưng dụng"), (6, "ưng dụng"), (5, "ưng phó"), (10, "ưng phó"), (6, "2CBQ,GV/trường")}
    for appendix, text in misspelt:  # kept as printed on the page
        kind = "nhiem_vu" if appendix <= 5 else "kinh_phi"
        year = 2025 + (appendix if appendix <= 5 else appendix - 5)
        sheet = openpyxl.load_workbook(outputs / f"ke_hoach_{year}_{kind}.xlsx", data_only=True)[f"PL{appendix}"]
        assert any(text in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell), (appendix, text)
    summary = openpyxl.load_workbook(outputs / "tong_hop_2026_2030.xlsx", data_only=True)["Đối chiếu"]
    statuses = [row[6] for row in summary.iter_rows(min_row=2, values_only=True)]
    assert statuses.count("Lỗi in, giữ nguyên") == len(wording) == len(out_of_sequence) + len(misspelt)


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

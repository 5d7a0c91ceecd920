"""Templates: the fill-in workbooks come back through the pipeline exactly as typed.

Real files throughout: templates written by ``pipeline.templates``, filled with
openpyxl as a unit's computer would fill them, read back by the real ingest and
validate (and, for the property, the real CLI). Excel and LibreOffice store the
computed value of every formula when they save; openpyxl does not, so
``_save_like_office`` adds the values of the "Tổng số" formulas after saving.

Short by default; ``TEMPLATE_EXAMPLES=N`` runs the property with more examples.
"""

from __future__ import annotations

import csv
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter, range_boundaries

from conftest import ROOT, run_cli
from conftest import check
from plan_2026_2030 import WORDING
from pipeline import templates
from pipeline.reference import Reference, read_reference, units_of_year

LEVELS = ["MN", "TH", "THCS", "THPT", "GDTX", "GDNN"]  # the levels as the plan prints them
FIRST_LEVEL_COLUMN = 4  # one-based: TT, Mã, Nội dung, then the levels (D..I), then Ghi chú (J)
FIRST_LINE_ROW = 7
PERIOD = "2026-12"
_SUM = re.compile(r'<c r="([A-Z]+\d+)"([^>]*)><f>SUM\(([A-Z]+\d+):([A-Z]+\d+)\)</f><v\s*/></c>')


@cache
def _reference() -> Reference:
    return read_reference(ROOT / "inputs" / "reference")


def _template(folder: Path, year: int, unit: str) -> Path:
    return templates.write_templates(folder, _reference(), year, unit)[0]


def _check(inputs: Path):
    return check(inputs)


def _input_cells(sheet) -> dict[str, tuple[str, str]]:
    """Address -> (topic code, level) of every unlocked level cell of the form."""
    found = {}
    for row in range(FIRST_LINE_ROW, sheet.max_row + 1):
        code = sheet.cell(row, 2).value
        for offset, level in enumerate(LEVELS):
            cell = sheet.cell(row, FIRST_LEVEL_COLUMN + offset)
            if code and not cell.protection.locked:
                found[cell.coordinate] = (code, level)
    return found


def _save_like_office(workbook: openpyxl.Workbook, path: Path) -> Path:
    """Save with openpyxl, then store each "=SUM(..)" result the way Excel or LibreOffice would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {item.filename: archive.read(item.filename) for item in archive.infolist()}
    for index, sheet in enumerate(workbook.worksheets, start=1):
        name = f"xl/worksheets/sheet{index}.xml"

        def cached(match: re.Match, sheet=sheet) -> str:
            cells = sheet[f"{match[3]}:{match[4]}"]
            total = sum(c.value for line in cells for c in line if isinstance(c.value, (int, float)) and not isinstance(c.value, bool))
            return f'<c r="{match[1]}"{match[2]}><f>SUM({match[3]}:{match[4]})</f><v>{total}</v></c>'

        members[name] = _SUM.sub(cached, members[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _fill(path: Path, counts: dict[str, int | None]) -> openpyxl.Workbook:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[templates.SHEET_NAME]
    for address, value in counts.items():
        sheet[address] = value
    return workbook


def _insert_row(sheet, row: int) -> None:
    """Insert a row above ``row`` as Excel does: merged ranges below move down, SUM ranges grow."""
    below = [merged for merged in sheet.merged_cells.ranges if merged.min_row >= row]
    for merged in below:
        sheet.unmerge_cells(str(merged))
    sheet.insert_rows(row)
    for merged in below:
        merged.shift(0, 1)
        sheet.merge_cells(str(merged))
    for line in sheet.iter_rows(min_row=row):
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("=SUM("):
                cell.value = re.sub(r"([A-Z]+)(\d+)\)$", lambda m: f"{m[1]}{int(m[2]) + 1})", cell.value)


def _addresses(rule) -> set[str]:
    """Every cell a data validation rule covers."""
    found = set()
    for area in rule.sqref.ranges:
        first_column, first_row, last_column, last_row = range_boundaries(area.coord)
        found |= {f"{get_column_letter(c)}{r}" for r in range(first_row, last_row + 1) for c in range(first_column, last_column + 1)}
    return found


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _issue_rows(issues) -> list[tuple[str, str, str]]:
    return list(zip(issues["cell"], issues["value"], issues["severity"]))


# ---------------------------------------------------------------- the form


def test_form_of_a_plan_year(tmp_path: Path):
    path = _template(tmp_path, 2026, "Phường Lê Chân")
    assert path.name == "mau_dang_ky_2026_phuong_le_chan.xlsx"
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [templates.SHEET_NAME, templates.INSTRUCTIONS_SHEET]
    sheet = workbook[templates.SHEET_NAME]
    assert "NĂM 2026" in sheet["A1"].value and sheet["A2"].value == "Đơn vị: Phường Lê Chân"
    assert [sheet.cell(5, c).value for c in (1, 2, 3, 4, 10)] == ["TT", "Mã", "Nội dung đào tạo, bồi dưỡng", "Số lượng đăng ký", "Ghi chú"]
    assert [sheet.cell(6, FIRST_LEVEL_COLUMN + i).value for i in range(6)] == ["Mầm non", "Tiểu học", "THCS", "THPT", "GDTX", "GDNN"]
    assert "D5:I5" in {str(r) for r in sheet.merged_cells.ranges}

    # the plan's lines in the plan's order, named as the year's tasks appendix (1) names them,
    # typos kept ("ưng dụng"); BD19 heads its sub-items
    names = [label.removeprefix("- ") for _, label in WORDING[1]]
    rows = [[sheet.cell(r, c).value for c in (1, 2, 3)] for r in range(FIRST_LINE_ROW, FIRST_LINE_ROW + 10)]
    codes = ["BD01", "BD02", "BD03", "BD04", "BD05", "TC_DH", "CD_DH", "BD19", "NVSP", "KNTHN"]
    assert rows == [[n, c, name] for n, c, name in zip([1, 2, 3, 4, 5, 6, 7, 8, "8.1", "8.2"], codes, names)]
    assert rows[1][2] == "Tích hợp AI trong quản trị nhà trường"  # not the cost appendix's "... cho đội ngũ CBQL MN, phổ thông"

    inputs = _input_cells(sheet)
    by_topic: dict[str, list[str]] = {}
    for code, level in inputs.values():
        by_topic.setdefault(code, []).append(level)
    assert by_topic["BD01"] == LEVELS and by_topic["TC_DH"] == ["MN", "TH"] and by_topic["CD_DH"] == ["TH", "THCS"]
    assert by_topic["NVSP"] == ["GDNN"] and by_topic["KNTHN"] == ["GDNN"] and "BD19" not in by_topic
    # a level a topic does not apply to: grey and locked
    for address in ("F12", "I12", "D13", "H13", "D14", "I14", "D15", "H15"):
        assert sheet[address].protection.locked and sheet[address].fill.fgColor.rgb.endswith("BFBFBF"), address
    assert all(sheet[address].fill.fgColor.rgb in (None, "00000000") or sheet[address].fill.fill_type is None for address in inputs)
    assert not sheet["J7"].protection.locked  # notes may be written

    total_row = FIRST_LINE_ROW + 10
    assert sheet.cell(total_row, 1).value == "Tổng số"
    assert [sheet.cell(total_row, FIRST_LEVEL_COLUMN + i).value for i in range(6)] == [f"=SUM({c}7:{c}16)" for c in "DEFGHI"]
    cached = openpyxl.load_workbook(path, data_only=True)[templates.SHEET_NAME]
    assert [cached.cell(total_row, FIRST_LEVEL_COLUMN + i).value for i in range(6)] == [0] * 6


def test_every_input_cell_takes_whole_numbers_from_zero_only(tmp_path: Path):
    sheet = openpyxl.load_workbook(_template(tmp_path, 2026, "Xã An Lão"))[templates.SHEET_NAME]
    (rule,) = sheet.data_validations.dataValidation
    assert _addresses(rule) == set(_input_cells(sheet))
    assert (rule.type, rule.operator, rule.formula1, rule.errorStyle or "stop") == ("whole", "greaterThanOrEqual", "0", "stop")  # stop: the default
    assert rule.showInputMessage and rule.showErrorMessage and rule.allow_blank
    assert rule.promptTitle == "Số người đăng ký" and "số nguyên từ 0 trở lên" in rule.prompt
    assert rule.errorTitle == "Số lượng không hợp lệ" and "Không nhập chữ, số âm" in rule.error


def test_sheets_are_protected_without_a_password(tmp_path: Path):
    workbook = openpyxl.load_workbook(_template(tmp_path, 2026, "Các trường THPT"))
    for sheet in workbook.worksheets:
        assert sheet.protection.sheet and not sheet.protection.password
        assert sheet.protection.insertRows and sheet.protection.deleteRows  # true: not allowed while protected
    form = workbook[templates.SHEET_NAME]
    unlocked = {c.coordinate for row in form.iter_rows() for c in row if not c.protection.locked}
    assert unlocked == set(_input_cells(form)) | {f"J{r}" for r in range(FIRST_LINE_ROW, FIRST_LINE_ROW + 10)}
    assert form["A2"].protection.locked and form["C7"].protection.locked and form["D17"].protection.locked
    assert all(c.protection.locked for row in workbook[templates.INSTRUCTIONS_SHEET].iter_rows() for c in row)


def test_form_is_print_ready(tmp_path: Path):
    workbook = openpyxl.load_workbook(_template(tmp_path, 2025, "Phường Lê Chân"))
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        assert sheet["A1"].font.name == "Times New Roman" and sheet["A1"].font.b
        assert "Trang &P/&N" in sheet.oddFooter.center.text  # "Trang 1/3"
    assert workbook[templates.SHEET_NAME].print_title_rows.replace("$", "") == "5:6"
    # numbers grouped by a space of the format itself, never the computer's separator
    form = workbook[templates.SHEET_NAME]
    formats = {form.cell(row, column).number_format for row in range(FIRST_LINE_ROW, form.max_row + 1) for column in range(FIRST_LEVEL_COLUMN, FIRST_LEVEL_COLUMN + 6)}
    assert formats == {"General", '[>=1000000]#" "###" "##0;[>=1000]#" "##0;0'}  # grey cells, inputs and totals


@pytest.mark.parametrize("year, appendix", [(2026, 1), (2027, 2), (2028, 3), (2029, 4), (2030, 5)])
def test_plan_year_form_names_topics_as_its_tasks_appendix_and_reads_back_cleanly(inputs: Path, year: int, appendix: int):
    path = _template(inputs / "registrations" / str(year), year, "Phường Lê Chân")
    sheet = openpyxl.load_workbook(path)[templates.SHEET_NAME]
    names = [sheet.cell(row, 3).value for row in range(FIRST_LINE_ROW, sheet.max_row + 1) if sheet.cell(row, 2).value]
    printed = [label.removeprefix("- ") for _, label in WORDING[appendix]]
    assert names[: len(printed)] == printed
    # 2029: appendix 4 stops at "Các nội dung bồi dưỡng khác"; its sub-items are named as appendix 9 names them
    assert names[len(printed) :] == ([label.removeprefix("- ") for _, label, _ in WORDING[9][-2:]] if year == 2029 else [])
    cells = _input_cells(sheet)
    _save_like_office(_fill(path, {address: 1 for address in cells}), path)

    registrations, issues, files = _check(inputs)

    assert issues.empty and files["status"].tolist() == ["chấp nhận"]  # every name read as its topic, none guessed
    counted = registrations[registrations["headcount"] > 0]  # the group heading BD19 is booked as 0
    assert sorted(zip(counted["topic"], counted["level"], counted["headcount"])) == sorted((*key, 1) for key in cells.values())


def test_a_year_without_plan_lists_every_topic(tmp_path: Path):
    sheet = openpyxl.load_workbook(_template(tmp_path, 2025, "Phường Lê Chân"))[templates.SHEET_NAME]
    topics = _reference().topics
    codes = [sheet.cell(r, 2).value for r in range(FIRST_LINE_ROW, FIRST_LINE_ROW + len(topics))]
    assert codes == list(topics["code"])
    assert sheet.cell(FIRST_LINE_ROW + len(topics), 1).value == "Tổng số"
    levels = {code: [] for code in codes}
    for code, level in _input_cells(sheet).values():
        levels[code].append(level)
    # TT31 also names "PT" (phổ thông, 2024): the form's columns are the six levels
    assert levels["TT31"] == ["TH", "THCS", "THPT"] and levels["LS_DL"] == ["THCS"] and levels["TC_CD"] == ["MN"]


def test_instructions_tell_how_to_fill_and_where_to_send(tmp_path: Path):
    path = templates.write_templates(tmp_path, _reference(), 2026, "Phường Lê Chân", send_to="phongtccb@haiphong.edu.vn trước ngày 15/12")[0]
    sheet = openpyxl.load_workbook(path)[templates.INSTRUCTIONS_SHEET]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "NĂM 2026" in text and "Phường Lê Chân" in text
    for words in ("ô trắng", "số nguyên từ 0 trở lên", "Ô màu xám", "Tổng số", "Không sửa tên đơn vị", ".xlsx", "phongtccb@haiphong.edu.vn trước ngày 15/12"):
        assert words in text, words


# ---------------------------------------------------------------- the command


def test_readme_commands_write_one_file_per_unit_of_the_year(tmp_path: Path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [shlex.split(line) for line in readme.splitlines() if line.startswith(".venv/bin/python -m pipeline template") and "--roster" not in line]
    assert len(commands) == 2
    results = [run_cli(*command[3:], "--inputs", str(ROOT / "inputs"), cwd=tmp_path) for command in commands]
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    result = results[0]
    names = sorted(path.name for path in (tmp_path / "mau_2026").iterdir())
    expected = units_of_year(_reference().units, 2026)
    assert len(names) == len(expected) == 115
    assert all(re.fullmatch(r"mau_dang_ky_2026_[a-z0-9_]+\.xlsx", name) for name in names)
    # "Cẩm Giang" and "Cẩm Giàng" are two communes: two files
    assert {"mau_dang_ky_2026_xa_cam_giang.xlsx", "mau_dang_ky_2026_xa_cam_giang_2.xlsx"} <= set(names)
    assert "mau_dang_ky_2026_cac_truong_thpt.xlsx" in names and "mau_dang_ky_2026_dac_khu_cat_hai.xlsx" in names
    assert "Đã lập 115 mẫu đăng ký năm 2026" in result.stdout
    # the second command wrote Lê Chân's form again, with where to send it
    steps = openpyxl.load_workbook(tmp_path / "mau_2026" / "mau_dang_ky_2026_phuong_le_chan.xlsx")[templates.INSTRUCTIONS_SHEET]
    assert any("phongtccb@haiphong.edu.vn, trước ngày 15/12/2025" in str(c.value) for row in steps.iter_rows() for c in row)


def test_command_for_one_unit_and_for_an_unknown_one(tmp_path: Path):
    result = run_cli("template", "--year", "2026", "--unit", "le chan", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["mau_dang_ky_2026_phuong_le_chan.xlsx"]
    result = run_cli("template", "--year", "2026", "--unit", "Hải Phòng", "--out", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "Không có đơn vị \"Hải Phòng\" trong danh sách đơn vị năm 2026" in result.stderr
    result = run_cli("template", "--year", "2026", "--unit", "cam giang", "--out", str(tmp_path / "x"))
    assert result.returncode == 2 and "Cẩm Giang, Cẩm Giàng" in result.stderr
    assert not (tmp_path / "x").exists()


# ---------------------------------------------------------------- round trip


# Each example runs the real command (seconds): no shrinking, the failing example is shown as drawn.
@settings(
    max_examples=int(os.environ.get("TEMPLATE_EXAMPLES", "10")),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    year=st.sampled_from([2025, 2026, 2027, 2028, 2029, 2030]),
    picks=st.lists(st.integers(0, 114), min_size=1, max_size=3, unique=True),
    data=st.data(),
)
def test_filled_templates_give_back_exactly_the_numbers_typed(year, picks, data):
    units = templates.template_units(_reference(), year)
    with tempfile.TemporaryDirectory() as scratch:
        inputs = Path(scratch) / "inputs"
        shutil.copytree(ROOT / "inputs" / "reference", inputs / "reference")
        typed: dict[tuple[str, str, str], int] = {}
        for pick in picks:
            name = units["name"].iloc[pick % len(units)]
            path = _template(Path(scratch) / "blank", year, name)
            sheet = openpyxl.load_workbook(path)[templates.SHEET_NAME]
            cells = _input_cells(sheet)
            counts = data.draw(st.lists(st.one_of(st.none(), st.integers(0, 3000)), min_size=len(cells), max_size=len(cells)), label=name)
            filled = dict(zip(cells, counts))
            _save_like_office(_fill(path, filled), inputs / "registrations" / str(year) / path.name)
            typed |= {(name, *cells[address]): value or 0 for address, value in filled.items()}

        result = run_cli("run", "--inputs", str(inputs), "--outputs", str(Path(scratch) / "outputs"), "--period", PERIOD)

        assert result.returncode == 0, result.stdout + result.stderr
        data_folder = Path(scratch) / "outputs" / PERIOD / "data"
        assert _csv(data_folder / "issues.csv") == []
        read = {(row["unit"], row["topic"], row["level"]): int(row["headcount"]) for row in _csv(data_folder / "registrations.csv")}
        assert {row["year"] for row in _csv(data_folder / "registrations.csv")} == {str(year)}
        assert {key: read.get(key) for key in typed} == typed
        assert {key: value for key, value in read.items() if key not in typed} == {key: 0 for key in read if key not in typed}  # group headings


# ---------------------------------------------------------------- templates altered in the usual ways


def test_inserted_rows_are_read(inputs: Path):
    path = _template(inputs / "registrations" / "2026", 2026, "Xã An Lão")
    workbook = _fill(path, {"D7": 4, "I15": 2})
    sheet = workbook[templates.SHEET_NAME]
    _insert_row(sheet, 9)  # an empty row between BD02 and BD03
    _insert_row(sheet, 10)  # a topic of another year, with numbers
    for column, value in zip("ABCDE", [None, None, "Bồi dưỡng về giáo dục toàn diện: Đức, trí, thể, mỹ", 3, 5]):
        sheet[f"{column}10"] = value
    _save_like_office(workbook, path)

    registrations, issues, files = _check(inputs)

    assert issues.empty and files["status"].tolist() == ["chấp nhận"]
    counted = registrations[registrations["headcount"] > 0]
    assert sorted(zip(counted["topic"], counted["level"], counted["headcount"], counted["source_cell"])) == [
        ("BD01", "MN", 4, "D7"), ("BD06", "MN", 3, "D10"), ("BD06", "TH", 5, "E10"), ("NVSP", "GDNN", 2, "I17"),
    ]


def test_text_typed_over_a_number_is_pointed_at(inputs: Path):
    path = _template(inputs / "registrations" / "2026", 2026, "Xã An Lão")
    _save_like_office(_fill(path, {"D7": "mười hai", "E7": "12", "F7": 3}), path)

    registrations, issues, files = _check(inputs)

    # "12" typed as text is still 12; words are not a number: the file waits for a fix
    assert _issue_rows(issues) == [("D7", "mười hai", "lỗi")]
    assert issues["problem"].iloc[0] == "Số lượng \"mười hai\" không phải là số"
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty


def test_a_number_in_a_grey_cell_is_pointed_at(inputs: Path):
    path = _template(inputs / "registrations" / "2026", 2026, "Xã An Lão")
    _save_like_office(_fill(path, {"D13": 5}), path)  # CD_DH (cao đẳng lên đại học), Mầm non

    _, issues, files = _check(inputs)

    assert _issue_rows(issues) == [("D13", "5", "lỗi")]
    assert issues["problem"].iloc[0] == "Nội dung CD_DH không áp dụng cho cấp học MN"
    assert files["status"].tolist() == ["bị từ chối"]


@pytest.mark.parametrize(
    "cell, typed, number, code",
    [
        ("C7", "Chuyển đổi số và ưng dụng trí tuệ nhân tạo (AI) trong dạy và học", 6, "BD01"),  # a typo in the name
        ("C8", "Tập huấn an toàn giao thông", 1, "BD02"),  # another name altogether
    ],
)
def test_renamed_topic_is_read_by_the_code_beside_it(inputs: Path, cell: str, typed: str, number: int, code: str):
    path = _template(inputs / "registrations" / "2026", 2026, "Xã An Lão")
    workbook = _fill(path, {f"D{cell[1:]}": number})
    workbook[templates.SHEET_NAME][cell] = typed
    _save_like_office(workbook, path)

    registrations, issues, files = _check(inputs)

    assert _issue_rows(issues) == [(cell, typed, "cảnh báo")]
    assert f"đã đọc theo mã {code}" in issues["problem"].iloc[0]  # the "Mã" column beside it decides
    assert files["status"].tolist() == ["chấp nhận"]
    assert registrations.set_index(["topic", "level"]).at[(code, "MN"), "headcount"] == number


def test_renamed_topic_that_matches_nothing_is_pointed_at(inputs: Path):
    path = _template(inputs / "registrations" / "2026", 2026, "Xã An Lão")
    workbook = _fill(path, {"D8": 1})
    workbook[templates.SHEET_NAME]["B8"] = None  # the code deleted too
    workbook[templates.SHEET_NAME]["C8"] = "Tập huấn an toàn giao thông"
    _save_like_office(workbook, path)

    registrations, issues, files = _check(inputs)

    assert set(_issue_rows(issues)) == {("C8", "Tập huấn an toàn giao thông", "lỗi")}
    assert issues["problem"].iloc[0] == "Nội dung \"Tập huấn an toàn giao thông\" không có trong danh mục chương trình đào tạo, bồi dưỡng"
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty


# ---------------------------------------------------------------- LibreOffice


def _soffice(target: str, sources: list[Path], folder: Path, recalculate: bool = False) -> None:
    with tempfile.TemporaryDirectory(prefix="lo-templates-") as profile:
        if recalculate:  # as when a person opens the file: every formula computed again
            (Path(profile) / "user").mkdir(parents=True)
            (Path(profile) / "user" / "registrymodifications.xcu").write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
                "</oor:items>\n",
                encoding="utf-8",
            )
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", target, "--outdir", str(folder), *map(str, sources)],
            check=True, capture_output=True, timeout=300,
        )


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftotext")), reason="needs LibreOffice and poppler-utils")
def test_form_prints_one_a4_landscape_page_wide(tmp_path: Path):
    short = _template(tmp_path, 2026, "Phường Lê Chân")
    long = _template(tmp_path, 2025, "Phường Lê Chân")  # every topic: several pages down
    _soffice("pdf", [short, long], tmp_path / "pdf")
    for source in (short, long):
        pdf = tmp_path / "pdf" / f"{source.stem}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert (round(width), round(height)) == (842, 595)  # A4, landscape
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        texts = [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"], capture_output=True, text=True, check=True).stdout for p in range(1, pages + 1)]
        form_pages = [text for text in texts if "HƯỚNG DẪN" not in text]
        first = form_pages[0]
        assert "Đơn vị: Phường Lê Chân" in first
        # every column on the first page, header repeated on every page of the table
        assert all(word in first for word in ("TT", "Mã", "Mầm non", "Tiểu học", "GDTX", "GDNN", "Ghi chú"))
        table_pages = [text for text in form_pages if "BD" in text or "Tổng số" in text]
        assert all("GDNN" in text and "Ghi chú" in text for text in table_pages)
    assert len(form_pages) > 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_keeps_protection_and_validation_and_its_totals_are_read(inputs: Path, tmp_path: Path):
    path = _template(tmp_path / "blank", 2026, "Phường Lê Chân")
    cells = _input_cells(openpyxl.load_workbook(path)[templates.SHEET_NAME])
    counts = {address: (index * 37) % 500 for index, address in enumerate(cells)}
    filled = tmp_path / "filled" / path.name
    filled.parent.mkdir()
    _fill(path, counts).save(filled)  # openpyxl alone: no value for the totals yet
    folder = inputs / "registrations" / "2026"
    _soffice("xlsx", [filled], folder, recalculate=True)

    workbook = openpyxl.load_workbook(folder / path.name)
    sheet = workbook[templates.SHEET_NAME]
    assert all(s.protection.sheet and not s.protection.password for s in workbook.worksheets)
    assert set(_input_cells(sheet)) == set(cells)
    assert sheet["D14"].protection.locked and sheet["C7"].protection.locked and sheet["A2"].protection.locked
    rules = sheet.data_validations.dataValidation
    assert set().union(*map(_addresses, rules)) == set(cells)
    for rule in rules:
        assert (rule.type, rule.operator, rule.formula1, rule.errorStyle or "stop") == ("whole", "greaterThanOrEqual", "0", "stop")  # stop: the default
        assert rule.promptTitle == "Số người đăng ký" and rule.errorTitle == "Số lượng không hợp lệ"
        assert rule.showInputMessage and rule.showErrorMessage and rule.prompt and rule.error

    registrations, issues, files = _check(inputs)

    assert issues.empty and files["status"].tolist() == ["chấp nhận"]
    read = registrations.set_index(["topic", "level"])["headcount"].to_dict()
    assert {cells[address]: read[cells[address]] for address in cells} == {cells[address]: value for address, value in counts.items()}
    totals = openpyxl.load_workbook(folder / path.name, data_only=True)[templates.SHEET_NAME]
    for offset in range(len(LEVELS)):
        letter = get_column_letter(FIRST_LEVEL_COLUMN + offset)
        assert totals[f"{letter}17"].value == sum(v for a, v in counts.items() if re.match(letter + r"\d", a))


def test_template_filled_and_saved_by_openpyxl_alone_has_no_problem(inputs: Path):
    # openpyxl keeps the "Tổng số" formulas but saves no values for them: nothing is lost, the rows are re-added.
    path = _template(inputs / "registrations" / "2026", 2026, "Xã An Lão")
    workbook = _fill(path, {"D7": 6, "E7": 4, "D8": 2})
    workbook.save(path)

    registrations, issues, files = _check(inputs)

    assert issues.empty and files["status"].tolist() == ["chấp nhận"]
    assert registrations["headcount"].sum() == 12

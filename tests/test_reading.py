"""Reading a file safely into cell grids: error values, hidden rows, columns and sheets,
dates, merged cells, links out of the inputs, archives that lie, CSV as Excel saves it.

The .xls, .ods and LibreOffice .xlsx files are made by LibreOffice itself from one
workbook, the way an office using it would save them; the Excel-like .xlsx is
written with xlsxwriter, which saves cached values as Excel does.
"""

from __future__ import annotations

import codecs
import datetime
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
import python_calamine
import xlsxwriter

from archives import deflated, zip_members
from pipeline.ingest.reading import CellError, Grid, Limits, Unreadable, read_grids

ROOT = Path(__file__).resolve().parent.parent
needs_libreoffice = pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")

CORRUPT = "Tệp bị hỏng, không mở được (cấu trúc tệp không hợp lệ)"
CORRUPT_DATA = "Tệp bị hỏng, không mở được (dữ liệu nén bị lỗi)"
CORRUPT_ARCHIVE = "Tệp bị hỏng, không mở được (cấu trúc nén không hợp lệ)"
PASSWORD = "Tệp được đặt mật khẩu, không đọc được"

# The registration sheet every office format is made from: (row, column) zero-based -> what the clerk sees.
ERRORS = {
    (2, 2): "#DIV/0!",  # =1/0
    (3, 2): "#REF!",  # a reference to a deleted row, as Excel leaves it: =#REF!+1
    (4, 2): "#N/A",  # =NA()
    (5, 2): "#N/A",  # #N/A typed in
    (6, 2): "#VALUE!",  # ="a"+1
    (7, 2): "#NAME?",  # a function that does not exist
    (12, 2): "#DIV/0!",  # the "Tổng số" row: a sum over the errors above
}
HIDDEN_ROW = 9  # "Ngô Quyền", whose count 7 was formatted as a date
HIDDEN_COLUMN = 3  # "Ghi chú"
SHEETS = [("Đăng ký", False), ("Ẩn", True), ("Rất ẩn", True), ("Sau", False)]


def _grids(path: Path, limits: Limits = Limits()) -> list[Grid]:
    return read_grids(path, path.parent, limits)


def _unreadable(path: Path, limits: Limits = Limits(), root: Path | None = None) -> Unreadable:
    with pytest.raises(Unreadable) as caught:
        read_grids(path, root or path.parent, limits)
    return caught.value


def _write_registration(path: Path) -> Path:
    """The registration sheet typed in a spreadsheet program, formulas not yet computed (openpyxl)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Đăng ký"
    sheet.append(["ĐĂNG KÝ BỒI DƯỠNG NĂM 2025"])
    sheet.merge_cells("A1:D1")
    sheet.append(["STT", "Đơn vị", "Số lượng", "Ghi chú"])
    rows = [
        ("An Lão", "=1/0"),
        ("Kiến An", "=#REF!+1"),
        ("Cát Hải", "=NA()"),
        ("Đồ Sơn", "#N/A"),
        ("Dương Kinh", '="a"+1'),
        ("Hải An", "=FOOBAR(1)"),
        ("Lê Chân", 13),
        ("Ngô Quyền", 7),
        ("Thủy Nguyên", 5),
        (None, 4),
    ]
    for number, (unit, count) in enumerate(rows, start=1):
        sheet.append([number, unit, count, "ghi chú" if number == 1 else None])
    sheet.append(["Tổng số", None, "=SUM(C3:C12)"])
    sheet.merge_cells("B11:B12")
    sheet["C10"].number_format = "dd/mm/yyyy"  # a count turned into a date by its format
    sheet.row_dimensions[HIDDEN_ROW + 1].hidden = True
    sheet.column_dimensions["D"].hidden = True
    for name, state in (("Ẩn", "hidden"), ("Rất ẩn", "veryHidden")):
        extra = workbook.create_sheet(name)
        extra.append(["Ghi chú nội bộ", 1])
        extra.sheet_state = state
    workbook.create_sheet("Sau").append(["Hết"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _write_excel_like(path: Path) -> Path:
    """The same sheet as Excel saves it: formulas with their cached results (xlsxwriter).
    (A typed #N/A is written as =NA(): xlsxwriter writes no bare error value.)"""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Đăng ký")
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.merge_range(0, 0, 0, 3, "ĐĂNG KÝ BỒI DƯỠNG NĂM 2025")
    sheet.write_row(1, 0, ["STT", "Đơn vị", "Số lượng", "Ghi chú"])
    formulas = ["=1/0", "=#REF!+1", "=NA()", "=NA()", '="a"+1', "=FOOBAR(1)"]
    for row, (unit, formula) in enumerate(zip(["An Lão", "Kiến An", "Cát Hải", "Đồ Sơn", "Dương Kinh", "Hải An"], formulas), start=2):
        sheet.write_row(row, 0, [row - 1, unit])
        sheet.write_formula(row, 2, formula, None, ERRORS[(row, 2)])
    sheet.write_string(2, 3, "ghi chú")
    sheet.write_row(8, 0, [7, "Lê Chân", 13])
    sheet.write_row(9, 0, [8, "Ngô Quyền"])
    sheet.write_number(9, 2, 7, date)
    sheet.write_number(10, 0, 9)
    sheet.write_number(11, 0, 10)
    sheet.merge_range(10, 1, 11, 1, "Thủy Nguyên")
    sheet.write_column(10, 2, [5, 4])
    sheet.write_string(12, 0, "Tổng số")
    sheet.write_formula(12, 2, "=SUM(C3:C12)", None, "#DIV/0!")
    sheet.set_row(HIDDEN_ROW, None, None, {"hidden": True})
    sheet.set_column(HIDDEN_COLUMN, HIDDEN_COLUMN, None, None, {"hidden": True})
    for name, very in (("Ẩn", False), ("Rất ẩn", True)):
        extra = workbook.add_worksheet(name)
        extra.write_row(0, 0, ["Ghi chú nội bộ", 1])
        extra.very_hidden() if very else extra.hide()
    workbook.add_worksheet("Sau").write(0, 0, "Hết")
    workbook.close()
    return path


def _convert(sources: list[Path], suffix: str, folder: Path, profile: Path) -> list[Path]:
    """Save workbooks as ``suffix`` with LibreOffice, all in one call, with a private profile."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", suffix.lstrip("."), "--outdir", str(folder), *map(str, sources)],
        check=True, capture_output=True, timeout=300,
    )
    converted = [folder / f"{source.stem}{suffix}" for source in sources]
    assert all(path.exists() for path in converted), converted
    return converted


@pytest.fixture(scope="module")
def office_files(tmp_path_factory) -> dict[str, Path]:
    """The registration sheet in every office format: LibreOffice .xlsx, .xls and .ods, Excel-like .xlsx."""
    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice")
    folder = tmp_path_factory.mktemp("office")
    profile = folder / "lo-profile"
    source = _write_registration(folder / "typed" / "dang_ky.xlsx")
    far = _write_far_cell(folder / "typed" / "o_xa.xlsx", "IV65536")  # the last cell an .xls can hold
    files = {"excel .xlsx": _write_excel_like(folder / "dang_ky_excel.xlsx")}
    for suffix in (".xlsx", ".xls", ".ods"):
        converted = _convert([source, far] if suffix != ".xlsx" else [source], suffix, folder / suffix.lstrip("."), profile)
        files[f"libreoffice {suffix}"] = converted[0]
        if suffix != ".xlsx":
            files[f"far cell {suffix}"] = converted[1]
    return files


def _write_far_cell(path: Path, address: str) -> Path:
    """A small table and one value typed far away (a slip of Ctrl+Down then a digit)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Đăng ký"
    sheet.append(["Đơn vị", "Số lượng"])
    sheet.append(["An Lão", 5])
    sheet[address] = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


FORMATS = ["excel .xlsx", "libreoffice .xlsx", "libreoffice .xls", "libreoffice .ods"]


# ---------------------------------------------------------------- what the reader alone would lose


@pytest.mark.parametrize("kind", FORMATS)
def test_error_values_are_cell_errors_in_every_format(office_files, kind):
    grid = _grids(office_files[kind])[0]
    found = {(row, column): value.code for row, line in enumerate(grid.rows) for column, value in enumerate(line) if isinstance(value, CellError)}
    assert found == ERRORS
    assert str(grid.rows[3][2]) == "#REF!"
    assert grid.rows[8][2] == 13 and type(grid.rows[8][2]) is int  # the numbers around them are kept
    assert [grid.rows[row][1] for row in (2, 8)] == ["An Lão", "Lê Chân"]


@pytest.mark.parametrize("kind", FORMATS)
def test_hidden_rows_columns_and_sheets_in_every_format(office_files, kind):
    grids = _grids(office_files[kind])
    assert [(grid.sheet, grid.is_hidden) for grid in grids] == SHEETS
    first = grids[0]
    assert first.hidden_rows == {HIDDEN_ROW}
    assert first.hidden_columns == {HIDDEN_COLUMN}
    assert first.rows[2][HIDDEN_COLUMN] == "ghi chú"  # hidden, still read
    assert all(not grid.hidden_rows and not grid.hidden_columns for grid in grids[1:])


@pytest.mark.parametrize("kind", FORMATS)
def test_a_count_formatted_as_a_date_stays_a_date(office_files, kind):
    value = _grids(office_files[kind])[0].rows[HIDDEN_ROW][2]
    assert isinstance(value, (datetime.date, datetime.datetime)), value
    # 7 days after the spreadsheet epoch (LibreOffice counts .ods days from 30/12/1899).
    assert (value.year, value.month, value.day) in ((1900, 1, 7), (1900, 1, 6))


@pytest.mark.parametrize("kind", FORMATS)
def test_merged_cells_in_every_format(office_files, kind):
    grid = _grids(office_files[kind])[0]
    assert sorted(grid.merged) == [((0, 0), (0, 3)), ((10, 1), (11, 1))]
    assert grid.rows[10][1] == "Thủy Nguyên" and grid.rows[11][1] is None


def test_formula_saved_without_a_value_is_marked(tmp_path: Path):
    grid = _grids(_write_registration(tmp_path / "typed.xlsx"))[0]
    expected = {(2, 2): "=1/0", (3, 2): "=#REF!+1", (4, 2): "=NA()", (6, 2): '="a"+1', (7, 2): "=FOOBAR(1)", (12, 2): "=SUM(C3:C12)"}
    assert dict(grid.uncached) == expected
    assert {position: grid.rows[position[0]][position[1]] for position in expected} == expected
    assert grid.rows[5][2] == CellError("#N/A")  # typed in: saved as an error value, not a formula


def test_a_formula_whose_saved_result_is_empty_text_is_not_marked(tmp_path: Path):
    """Excel saves ="" results as an empty text value; a formula saved with no value at all is marked."""
    source = tmp_path / "source.xlsx"
    workbook = xlsxwriter.Workbook(str(source))
    sheet = workbook.add_worksheet("Đăng ký")
    sheet.write_formula(0, 0, '=IF(B1="","","có")', None, "PLACEHOLDER")  # a text result, saved
    sheet.write_formula(0, 1, "=2+3", None, "")  # "force a recalculation": nothing saved
    workbook.close()
    path = tmp_path / "empty_text.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert data.count(b"<v>PLACEHOLDER</v>") == 1 and data.count(b"<v></v>") == 1
                data = data.replace(b"<v>PLACEHOLDER</v>", b"<v></v>")
            copy.writestr(item.filename, data)
    grid = _grids(path)[0]
    assert dict(grid.uncached) == {(0, 1): "=2+3"}
    assert grid.rows == [[None, "=2+3"]]


def test_a_zero_saved_by_a_program_that_never_computed_its_formulas_is_no_result(tmp_path: Path):
    """A workbook asking to be recalculated on opening (``fullCalcOnLoad``, as xlsxwriter and
    other exporters write it) saved no computed results: a 0 saved for a formula there is no
    result; a result the exporter gave is kept; in a workbook saved by a spreadsheet program
    a 0 result is a computed 0."""
    path = tmp_path / "export.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Đăng ký")
    sheet.write_formula(0, 0, "=3+4")  # xlsxwriter saves 0 as the result
    sheet.write_formula(0, 1, "=2+2", None, 4)  # the exporter computed it
    sheet.write_formula(0, 2, "=1-1", None, 0)
    sheet.write_number(0, 3, 0)  # a typed 0
    workbook.close()
    grid = _grids(path)[0]
    assert dict(grid.uncached) == {(0, 0): "=3+4", (0, 2): "=1-1"}
    assert grid.rows[0][1] == 4 and grid.rows[0][3] == 0
    saved = tmp_path / "saved_by_excel.xlsx"
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/workbook.xml":
                assert data.count(b' fullCalcOnLoad="1"') == 1
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            copy.writestr(item.filename, data)
    grid = _grids(saved)[0]
    assert dict(grid.uncached) == {}
    assert grid.rows[0][:4] == [0, 4, 0, 0]


def test_cells_written_without_references(tmp_path: Path):
    """Some exporters leave out the cell references (the file format allows it): each cell is
    then the one after the previous; an error cell must still land where the clerk sees it."""
    source = _write_excel_like(tmp_path / "source.xlsx")
    target = tmp_path / "no_references.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # C8 after B8; in the last row neither the row nor its cells say where they are.
                for reference in (b' r="C8"', b'<row r="13"', b' r="A13"', b' r="C13"'):
                    assert data.count(reference) == 1
                    data = data.replace(reference, b"<row" if reference.startswith(b"<row") else b"")
            copy.writestr(item.filename, data)
    grid = _grids(target)[0]
    assert grid.rows[7][1:3] == ["Hải An", CellError("#NAME?")]
    assert grid.rows[12][:3] == ["Tổng số", CellError("#DIV/0!"), None]  # the second cell of the row after row 12


def test_chart_sheets_are_skipped_and_order_kept(tmp_path: Path):
    path = tmp_path / "chart.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    first = workbook.add_worksheet("Số liệu")
    first.write_row(0, 0, ["An Lão", 5])
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"values": "='Số liệu'!$B$1:$B$1"})
    workbook.add_chartsheet("Biểu đồ").set_chart(chart)
    workbook.add_worksheet("Tổng hợp").write(0, 0, "Hết")
    workbook.close()
    assert [(grid.sheet, grid.rows) for grid in _grids(path)] == [("Số liệu", [["An Lão", 5]]), ("Tổng hợp", [["Hết"]])]


# ---------------------------------------------------------------- links out of the inputs

_OPENED: list[str] | None = None


def _record_opens(event: str, arguments: tuple) -> None:
    if _OPENED is not None and event == "open":
        _OPENED.append(str(arguments[0]))


sys.addaudithook(_record_opens)  # a hook stays for the process's life: it records only while a test asks


@pytest.fixture
def opened():
    """Every file opened from now on while the test runs (Python's audit events); clear it
    before the step that matters."""
    global _OPENED
    _OPENED = []
    yield _OPENED
    _OPENED = None


def test_a_link_out_of_the_inputs_is_never_opened(tmp_path: Path, opened):
    outside = _write_excel_like(tmp_path / "elsewhere" / "bang_luong.xlsx")
    inputs = tmp_path / "inputs"
    (inputs / "registrations").mkdir(parents=True)
    link = inputs / "registrations" / "dang_ky.xlsx"
    link.symlink_to(outside)
    opened.clear()
    error = _unreadable(link, root=inputs)
    assert error.problem == "Tệp \"registrations/dang_ky.xlsx\" là liên kết trỏ ra ngoài thư mục đầu vào; tệp không được mở"
    assert error.value == "registrations/dang_ky.xlsx"
    assert "elsewhere" not in error.problem + error.value + error.fix
    assert len(opened) == 0, opened


def test_a_folder_link_out_of_the_inputs_is_never_opened(tmp_path: Path, opened):
    _write_excel_like(tmp_path / "elsewhere" / "dang_ky.xlsx")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "2025").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    opened.clear()
    error = _unreadable(inputs / "2025" / "dang_ky.xlsx", root=inputs)
    assert error.problem == "Thư mục \"2025\" là liên kết trỏ ra ngoài thư mục đầu vào; tệp \"dang_ky.xlsx\" trong đó không được mở"
    assert len(opened) == 0, opened


def test_a_system_file_behind_a_link_is_never_opened(tmp_path: Path, opened):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "passwd.csv").symlink_to("/etc/passwd")
    opened.clear()
    error = _unreadable(inputs / "passwd.csv", root=inputs)
    assert error.problem.endswith("là liên kết trỏ ra ngoài thư mục đầu vào; tệp không được mở")
    assert "root" not in error.value + error.problem
    assert not any(name.startswith("/etc") for name in opened), opened


def test_a_link_that_stays_inside_the_inputs_is_read(tmp_path: Path):
    inputs = tmp_path / "inputs"
    real = _write_excel_like(inputs / "gốc" / "dang_ky.xlsx")
    (inputs / "2025").mkdir()
    link = inputs / "2025" / "ban_sao.xlsx"
    link.symlink_to(Path("..") / "gốc" / "dang_ky.xlsx")
    grids = read_grids(link, inputs)
    assert grids[0].rows == _grids(real)[0].rows
    assert grids[0].rows[8][1:3] == ["Lê Chân", 13]


# ---------------------------------------------------------------- archives


def _blank_padded_stream(xml: bytes, megabytes: int) -> bytes:
    """A deflate stream of ``xml`` followed by ``megabytes`` MB of blanks (still well-formed XML),
    built from one compressed megabyte repeated: 1.5 GB holds in about 1.5 MB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = compressor.compress(xml) + compressor.flush(zlib.Z_FULL_FLUSH)
    blanks = b" " * (1 << 20)
    block = compressor.compress(blanks) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(blanks) + compressor.flush(zlib.Z_FULL_FLUSH) == block  # a full flush forgets the past
    return head + block * (megabytes - 1) + compressor.flush()


def _lying_workbook(source: Path, target: Path, megabytes: int, crc_of_prefix: bool) -> Path:
    """``source`` whose first sheet holds ``megabytes`` MB but whose headers declare 1 000 bytes;
    its checksum either that of the 1 000 bytes declared (zipfile alone would accept them) or none."""
    members = []
    with zipfile.ZipFile(source) as original:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                declared = (data + b" " * 1000)[:1000]
                crc = zlib.crc32(declared) if crc_of_prefix else 0x12345678
                members.append((item.filename, _blank_padded_stream(data, megabytes), zipfile.ZIP_DEFLATED, crc, 1000))
            else:
                members.append((item.filename, deflated(data), zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data)))
    target.write_bytes(zip_members(members))
    return target


def test_an_archive_lying_about_its_size_is_stopped_with_memory_bounded(tmp_path: Path):
    """A sheet that declares 1 000 bytes but holds 1.5 GB: refused, in a second, peak memory small.

    Measured in a fresh process (its peak resident memory, the reader's native part included)."""
    source = _write_excel_like(tmp_path / "source.xlsx")
    bombs = [_lying_workbook(source, tmp_path / f"bomb_{kind}.xlsx", 1536, kind == "prefix") for kind in ("prefix", "none")]
    assert all(bomb.stat().st_size < 3 * 1024 * 1024 for bomb in bombs)
    script = textwrap.dedent(
        """
        import json, resource, sys, time
        from pathlib import Path
        from pipeline.ingest.reading import Limits, Unreadable, read_grids
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        results = []
        for name in sys.argv[1:]:
            path = Path(name)
            started = time.perf_counter()
            try:
                read_grids(path, path.parent, Limits(max_unpacked_bytes=64 * 1024 * 1024))
                problem = None
            except Unreadable as error:
                problem = error.problem
            results.append((problem, time.perf_counter() - started))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"results": results, "baseline_kb": baseline, "peak_kb": peak}))
        """
    )
    run = subprocess.run([sys.executable, "-c", script, *map(str, bombs)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    problems = [problem for problem, _ in report["results"]]
    assert problems[0] is not None and problems[0].startswith("Tệp bị hỏng, không mở được")
    assert problems[1] == CORRUPT_DATA
    assert all(seconds < 2 for _, seconds in report["results"]), report
    assert (report["peak_kb"] - report["baseline_kb"]) / 1024 < 100, report
    assert report["peak_kb"] / 1024 < 300, report


def _problems_in_a_child(paths: list[Path]) -> list[str | None]:
    """Each file's problem (None when read), read in a fresh process: a reader that stops the
    process must fail this test, not take the test run down with it."""
    script = textwrap.dedent(
        """
        import json, sys
        from pathlib import Path
        from pipeline.ingest.reading import Unreadable, read_grids
        problems = []
        for name in sys.argv[1:]:
            try:
                read_grids(Path(name), Path(name).parent)
                problems.append(None)
            except Unreadable as error:
                problems.append([error.value, error.problem])
        print(json.dumps(problems))
        """
    )
    run = subprocess.run([sys.executable, "-c", script, *map(str, paths)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def test_inputs_that_would_make_the_reader_ask_for_gigabytes_are_refused(office_files, tmp_path: Path):
    """A value in a sheet's last cell, a shared-string count no file could hold, a damaged
    DIMENSIONS record: the spreadsheet reader would set aside memory for billions of cells
    and stop the whole process. Each is refused before it is given the file."""
    far_xlsx = _write_far_cell(tmp_path / "o_xa.xlsx", "XFD1048576")
    texts = tmp_path / "so_chuoi.xlsx"
    with zipfile.ZipFile(office_files["excel .xlsx"]) as original, zipfile.ZipFile(texts, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                assert data.count(b'uniqueCount="') == 1
                data = re.sub(rb'uniqueCount="\d+"', b'uniqueCount="4000000000"', data)
            copy.writestr(item.filename, data)
    dimensions = tmp_path / "kich_thuoc.xls"
    data = office_files["libreoffice .xls"].read_bytes()
    record = b"\x00\x02\x0e\x00" + struct.pack("<IIHHH", 0, 1, 0, 1, 0)  # the last sheet's: one cell
    assert data.count(record) == 1
    dimensions.write_bytes(data.replace(record, b"\x00\x02\x0e\x00" + struct.pack("<IIHHH", 0x58000000, 1, 0, 1, 0)))
    paths = [far_xlsx, office_files["far cell .xls"], office_files["far cell .ods"], texts, dimensions]
    problems = _problems_in_a_child(paths)
    far_problem = "Trang tính \"Đăng ký\" có ô ở tận {}: vùng cần đọc {} dòng × {} cột, vượt giới hạn 2,000,000 ô; tệp không được mở"
    assert problems == [
        ["XFD1048576", far_problem.format("XFD1048576", "1,048,576", "16,384")],
        ["IV65536", far_problem.format("IV65536", "65,536", "256")],
        ["IV65536", far_problem.format("IV65536", "65,536", "256")],
        ["", CORRUPT],
        ["", CORRUPT],
    ]


def test_a_large_table_within_the_cell_limit_is_read(tmp_path: Path):
    path = tmp_path / "lon.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Tổng hợp")
    for row in range(2000):
        sheet.write_row(row, 0, [row, f"Trường {row}", *range(8)])
    workbook.close()
    grid = _grids(path, Limits(max_sheet_cells=2000 * 10))[0]
    assert len(grid.rows) == 2000 and grid.rows[1999][:3] == [1999, "Trường 1999", 0]
    assert _unreadable(path, Limits(max_sheet_cells=2000 * 10 - 1)).value == "J2000"


def test_declared_size_past_the_limit_is_refused_before_unpacking(tmp_path: Path):
    path = _write_excel_like(tmp_path / "dang_ky.xlsx")
    with zipfile.ZipFile(path) as archive:
        declared = sum(item.file_size for item in archive.infolist())
    error = _unreadable(path, Limits(max_unpacked_bytes=declared - 1))
    assert error.value == f"{declared:,} byte"
    assert error.problem.startswith("Tệp khi giải nén lớn ") and error.problem.endswith("; tệp không được mở")
    assert len(_grids(path, Limits(max_unpacked_bytes=declared))) == 4


def _rewrite_member(source: Path, target: Path, name: str, method: int) -> bytes:
    """``source`` with every member as it was but ``name`` saved with ``method``; the new archive's bytes."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.infolist():
            copy.writestr(item.filename, original.read(item.filename), compress_type=method if item.filename == name else zipfile.ZIP_DEFLATED)
    return target.read_bytes()


def test_a_digit_changed_in_a_stored_sheet_is_refused(tmp_path: Path):
    """Two digits edited in an uncompressed sheet, the size unchanged: only the checksum tells."""
    path = tmp_path / "dang_ky.xlsx"
    data = _rewrite_member(_write_excel_like(tmp_path / "source.xlsx"), path, "xl/worksheets/sheet1.xml", zipfile.ZIP_STORED)
    assert data.count(b'r="C9"><v>13</v>') == 1
    path.write_bytes(data.replace(b'r="C9"><v>13</v>', b'r="C9"><v>14</v>'))
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes())).get_sheet_by_index(0)
    assert sheet.to_python(skip_empty_area=False)[8][2] == 14  # the reader alone would book 14
    assert _unreadable(path).problem == CORRUPT_DATA


def test_flipped_bytes_in_a_deflated_sheet_are_refused(tmp_path: Path):
    path = tmp_path / "dang_ky.xlsx"
    data = bytearray(_rewrite_member(_write_excel_like(tmp_path / "source.xlsx"), path, "xl/worksheets/sheet1.xml", zipfile.ZIP_DEFLATED))
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("xl/worksheets/sheet1.xml")
    start = member.header_offset + 30 + len(member.filename)
    middle = start + member.compress_size // 2
    data[middle : middle + 2] = bytes(byte ^ 0x5A for byte in data[middle : middle + 2])
    path.write_bytes(bytes(data))
    assert _unreadable(path).problem == CORRUPT_DATA


def test_truncated_and_garbled_archives_are_corrupt(tmp_path: Path, caplog):
    good = _write_excel_like(tmp_path / "source.xlsx").read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good[:1500])
    assert _unreadable(truncated).problem == CORRUPT_ARCHIVE
    garbled = tmp_path / "garbled.xlsx"
    with zipfile.ZipFile(tmp_path / "source.xlsx") as original, zipfile.ZipFile(garbled, "w") as copy:
        for item in original.infolist():
            copy.writestr(item.filename, b"<workbook><sheets><sheet" if item.filename == "xl/workbook.xml" else original.read(item.filename))
    caplog.set_level("INFO", logger="pipeline")
    error = _unreadable(garbled)
    assert (error.value, error.problem) == ("", CORRUPT)  # no English text from the library inside
    assert "garbled.xlsx" in caplog.text  # the library's own words go to the log


def test_malformed_ods_content_is_corrupt(office_files, tmp_path: Path):
    path = tmp_path / "hong.ods"
    with zipfile.ZipFile(office_files["libreoffice .ods"]) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "content.xml":
                data = data[: len(data) // 2]  # cut short before it was zipped: the checksum is right
            copy.writestr(item.filename, data)
    assert _unreadable(path).problem == CORRUPT


def test_two_members_of_one_name_are_refused(tmp_path: Path):
    source = _write_excel_like(tmp_path / "source.xlsx")
    members = []
    with zipfile.ZipFile(source) as original:
        for item in original.infolist():
            data = original.read(item.filename)
            members.append((item.filename, data, zipfile.ZIP_STORED, zlib.crc32(data), len(data)))
    sheet = next(member for member in members if member[0] == "xl/worksheets/sheet1.xml")
    other = sheet[1].replace(b'r="C9"><v>13</v>', b'r="C9"><v>14</v>')
    assert other != sheet[1]
    members.append((sheet[0], other, zipfile.ZIP_STORED, zlib.crc32(other), len(other)))
    path = tmp_path / "twice.xlsx"
    path.write_bytes(zip_members(members))
    assert _unreadable(path).problem == CORRUPT_ARCHIVE


def test_password_protected_xlsx(tmp_path: Path):
    source = _write_excel_like(tmp_path / "source.xlsx")
    path = tmp_path / "mat_khau.xlsx"
    with source.open("rb") as plain, path.open("wb") as encrypted:
        msoffcrypto.OfficeFile(plain).encrypt("matkhau", encrypted)
    error = _unreadable(path)
    assert (error.problem, error.fix) == (PASSWORD, "Gỡ mật khẩu (Excel: Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại")


def test_password_protected_ods(office_files, tmp_path: Path):
    """LibreOffice's "Save with password": the manifest lists the encryption, the parts are scrambled."""
    path = tmp_path / "mat_khau.ods"
    with zipfile.ZipFile(office_files["libreoffice .ods"]) as original, zipfile.ZipFile(path, "w") as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "META-INF/manifest.xml":
                entry = b'manifest:full-path="content.xml"'
                assert entry in data
                data = data.replace(b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>', b'manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/></manifest:encryption-data></manifest:file-entry>')
                assert b"encryption-data" in data
            if item.filename == "content.xml":
                data = bytes(range(256)) * 8
            copy.writestr(item.filename, data, compress_type=zipfile.ZIP_STORED if item.filename == "content.xml" else zipfile.ZIP_DEFLATED)
    assert _unreadable(path).problem == PASSWORD


# ---------------------------------------------------------------- files that are no spreadsheet


def test_empty_and_oversized_files_are_refused_before_reading(tmp_path: Path, opened):
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    assert (_unreadable(empty).value, _unreadable(empty).problem) == ("0 byte", "Tệp rỗng (0 byte)")
    big = _write_excel_like(tmp_path / "lon.xlsx")
    size = big.stat().st_size
    opened.clear()
    error = _unreadable(big, Limits(max_file_bytes=size - 1))
    assert error.value == f"{size:,} byte" and error.problem.startswith("Tệp quá lớn: ")
    assert os.path.realpath(big) not in map(os.path.realpath, opened)
    assert len(_grids(big, Limits(max_file_bytes=size))) == 4  # the limit itself is allowed
    assert os.path.realpath(big) in map(os.path.realpath, opened)  # and then the file is opened


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("trang_web.xls", b"<html><body><table><tr><td>An L\xc3\xa3o</td><td>5</td></tr></table></body></html>", "Tệp có đuôi .xls nhưng nội dung là trang web (HTML)"),
        ("van_ban.xlsx", "Đây là một lá thư, không phải bảng tính".encode(), "Tệp có đuôi .xlsx nhưng nội dung không phải là bảng tính"),
        ("scan.pdf", b"%PDF-1.4", "Tệp \"scan.pdf\" không phải bảng tính"),
    ],
)
def test_content_that_is_no_spreadsheet(tmp_path: Path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    assert _unreadable(path).problem == problem


# ---------------------------------------------------------------- CSV


def test_csv_from_a_vietnamese_excel_uses_semicolons_and_decimal_commas(tmp_path: Path):
    path = tmp_path / "dang_ky.csv"
    note = "Ghi chú: gồm GV, CBQL, nhân viên các trường MN, TH, THCS, THPT, GDTX, GDNN, trung tâm, viện, học viện, trường chuyên, trường dân tộc nội trú, trường tư thục, trường quốc tế, cơ sở giáo dục khác"
    lines = ["ĐĂNG KÝ BỒI DƯỠNG, TẬP HUẤN NĂM 2025;;", "STT;Đơn vị;Số lượng", "1;An Lão;1,25", "2;Kiến An;1.250", '3;"Cát Hải; Đồ Sơn";12', "4;Hải An;2,5", f"{note};;"]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode("utf-8"))
    assert path.read_text(encoding="utf-8-sig").count(",") > path.read_text(encoding="utf-8-sig").count(";")  # more commas than separators
    grid = _grids(path)[0]
    assert grid.delimiter == ";" and grid.sheet == "dang_ky"
    assert grid.rows == [
        ["ĐĂNG KÝ BỒI DƯỠNG, TẬP HUẤN NĂM 2025", None, None],
        ["STT", "Đơn vị", "Số lượng"],
        ["1", "An Lão", "1,25"],
        ["2", "Kiến An", "1.250"],
        ["3", "Cát Hải; Đồ Sơn", "12"],
        ["4", "Hải An", "2,5"],
        [note, None, None],
    ]


def test_csv_with_commas_and_quoted_names(tmp_path: Path):
    path = tmp_path / "dang_ky.csv"
    path.write_text('STT,Đơn vị,Số lượng\n1,"Phường Lê Chân, Hải Phòng",3\n2,Kiến An;Đồ Sơn,4\n', encoding="utf-8")
    grid = _grids(path)[0]
    assert grid.delimiter == ","
    assert grid.rows[1:] == [["1", "Phường Lê Chân, Hải Phòng", "3"], ["2", "Kiến An;Đồ Sơn", "4"]]


def test_csv_as_excel_unicode_text(tmp_path: Path):
    """Excel's "Unicode Text": UTF-16 with BOM, tabs between fields."""
    path = tmp_path / "dang_ky.csv"
    path.write_bytes("STT\tĐơn vị\tSố lượng\r\n1\tThủy Nguyên\t 7 \r\n".encode("utf-16"))
    grid = _grids(path)[0]
    assert grid.delimiter == "\t"
    assert grid.rows == [["STT", "Đơn vị", "Số lượng"], ["1", "Thủy Nguyên", "7"]]


def test_csv_in_another_encoding_is_refused(tmp_path: Path):
    path = tmp_path / "dang_ky.csv"
    path.write_bytes("STT,Đơn vị,Số lượng\n1,An Lão,5\n".encode("cp1258", errors="replace"))
    error = _unreadable(path)
    assert error.problem == "Tệp CSV không dùng bảng mã UTF-8, chữ tiếng Việt sẽ bị sai"
    assert error.fix == "Trong Excel chọn Lưu thành > \"CSV UTF-8 (phân cách bằng dấu phẩy)\", hoặc gửi tệp .xlsx"


def test_csv_with_a_quote_left_open_is_refused(tmp_path: Path):
    """A stray quote would swallow every line after it into one cell: the rows would vanish."""
    path = tmp_path / "dang_ky.csv"
    path.write_text('STT,Đơn vị,Số lượng\n1,"An Lão,5\n2,Kiến An,7\n3,Cát Hải,9\n', encoding="utf-8")
    error = _unreadable(path)
    assert error.problem == "Tệp CSV bị hỏng, không đọc được (dấu ngoặc kép không khớp hoặc ô quá dài)"


# ---------------------------------------------------------------- damaged at random

import random  # noqa: E402

FUZZ_ROUNDS = int(os.environ.get("READING_FUZZ_ROUNDS", "40"))  # a long run: READING_FUZZ_ROUNDS=5000


def _damaged(data: bytes, kind: str, chance: random.Random) -> bytes:
    """The file's bytes damaged: bytes flipped or cut, or (archives) a part's text damaged and
    zipped again with a right checksum, so that the damage reaches the XML readers."""
    if kind == "bytes" or not data.startswith(b"PK"):
        damaged = bytearray(data)
        for _ in range(chance.randint(1, 6)):
            position = chance.randrange(len(damaged))
            damaged[position] ^= chance.randint(1, 255)
        return bytes(damaged[: chance.randint(len(damaged) // 2, len(damaged))] if chance.random() < 0.3 else damaged)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        items = original.infolist()
        victim = chance.choice([item.filename for item in items if item.filename.endswith(".xml")])
        for item in items:
            content = original.read(item.filename)
            if item.filename == victim:
                text = bytearray(content)
                for _ in range(chance.randint(1, 8)):
                    position = chance.randrange(len(text))
                    if chance.random() < 0.5:
                        text[position : position + 1] = chance.choice([b"<", b">", b'"', b"/", b" hidden=\"1\"", b' t="e"', b"<f>", b'r="ZZZ9"', b""])
                    else:
                        text[position] = chance.randint(32, 126)
                content = bytes(text)
            copy.writestr(item.filename, content)
    return buffer.getvalue()


def test_damaged_files_are_read_or_refused_never_crash(office_files, tmp_path: Path):
    chance = random.Random(int(os.environ.get("READING_FUZZ_SEED", "20251130")))
    sources = [office_files[kind].read_bytes() for kind in FORMATS]
    outcomes = {"read": 0, "refused": 0}
    for round_number in range(FUZZ_ROUNDS):
        source = sources[round_number % len(sources)]
        suffix = FORMATS[round_number % len(FORMATS)].rsplit(" ", 1)[1]
        path = tmp_path / f"hong_{round_number}{suffix}"
        path.write_bytes(_damaged(source, chance.choice(["bytes", "parts"]), chance))
        try:
            grids = _grids(path)
        except Unreadable as error:
            assert error.problem and error.fix
            outcomes["refused"] += 1
        else:
            assert all(isinstance(grid, Grid) for grid in grids)
            outcomes["read"] += 1
        path.unlink()
    assert sum(outcomes.values()) == FUZZ_ROUNDS and outcomes["refused"] > 0, outcomes

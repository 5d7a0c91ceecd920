"""Ingest: tables found wherever they are, both shapes, every number keeping its cell."""

from pathlib import Path

import openpyxl
import pandas as pd

from pipeline import ingest
from pipeline.reference import read_reference
from workbooks import write_compiled_appendix, write_unit_file


def _read(inputs: Path, limits: ingest.Limits = ingest.Limits()):
    """Every number cell of every table as ingest reads it (cells), the files and their problems."""
    vocabulary = read_reference(inputs / "reference").vocabulary
    folder = inputs / "registrations"
    cells, files, problems = [], [], []
    for path in ingest.list_input_files(folder):
        name = path.relative_to(folder).as_posix()
        read = ingest.read_file(path, name, folder, vocabulary, limits=limits)
        files.append({"file": name, "sheets": ", ".join(read.sheets)})
        problems += read.problems
        for table in read.tables:
            for row in table.rows:
                for column, value in zip(table.columns, row.values):
                    cells.append({
                        "source_file": name, "source_sheet": table.sheet, "source_cell": f"{_letters(column.index)}{row.number}",
                        "year": table.year, "title": table.title, "unit_label": row.unit_label, "unit_cell": row.unit_cell,
                        "topic_label": row.topic_label if not table.topic_in_column else column.label,
                        "topic_in_column": table.topic_in_column, "level_label": column.shown, "value": value,
                        "is_total": row.is_total, "is_formula_without_value": table.columns.index(column) in row.formulas,
                    })
    columns = ["source_file", "source_sheet", "source_cell", "year", "title", "unit_label", "unit_cell", "topic_label", "topic_in_column", "level_label", "value", "is_total", "is_formula_without_value"]
    return pd.DataFrame(cells, columns=columns), pd.DataFrame(files, columns=["file", "sheets"]), pd.DataFrame(problems)


def _letters(column: int) -> str:
    return openpyxl.utils.get_column_letter(column + 1)


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


# ---------------------------------------------------------------- files that cannot be read

import shutil  # noqa: E402
import time  # noqa: E402
import unicodedata  # noqa: E402

import pytest  # noqa: E402

from plan_2024 import APPENDICES  # noqa: E402
from workbooks import (  # noqa: E402
    add_zip_member,
    convert_with_libreoffice,
    encrypt_with_password,
    make_macro_workbook,
    write_csv_rows,
    write_rows,
)

needs_libreoffice = pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")


def _file_problems(issues):
    return {file: (problem, severity) for file, problem, severity in zip(issues["file"], issues["problem"], issues["severity"])}


def test_files_that_cannot_be_read_are_each_named_once(inputs: Path):
    folder = inputs / "registrations"
    good = write_compiled_appendix(folder / "good.xlsx", 3)
    (folder / "empty.xlsx").write_bytes(b"")
    (folder / "truncated.xlsx").write_bytes(good.read_bytes()[:1500])
    (folder / "web_page.xls").write_text("<html><body><table><tr><td>An Lão</td><td>5</td></tr></table></body></html>", encoding="utf-8")
    encrypt_with_password(good, folder / "password.xlsx")
    (folder / "windows_1258.csv").write_bytes(unicodedata.normalize("NFC", "STT,Đơn vị,Số lượng\n1,An Lão,5\n").encode("cp1258", errors="replace"))
    write_rows(folder / "blank.xlsx", [])
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    cells, files, issues = _read(inputs)
    problems = _file_problems(issues)
    assert len(issues) == len(problems) == 7  # one message per unreadable file
    assert problems["empty.xlsx"][0] == "Tệp rỗng (0 byte)"
    assert problems["truncated.xlsx"][0].startswith("Tệp bị hỏng, không mở được")
    assert problems["web_page.xls"][0] == "Tệp có đuôi .xls nhưng nội dung là trang web (HTML)"
    assert problems["password.xlsx"][0] == "Tệp được đặt mật khẩu, không đọc được"
    assert problems["windows_1258.csv"][0].startswith("Tệp CSV không dùng bảng mã UTF-8")
    assert problems["blank.xlsx"][0] == "Tệp không có dữ liệu (các trang tính đều trống)"
    assert problems["scan.pdf"][0] == "Tệp \"scan.pdf\" không phải bảng tính"
    assert {severity for _, severity in problems.values()} == {"lỗi"}
    assert set(cells["source_file"]) == {"good.xlsx"}
    assert files["file"].tolist() == sorted([*problems, "good.xlsx"])  # every file listed once, in name order


def test_size_limit_is_checked_before_reading(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl3.xlsx", 3)
    _, _, issues = _read(inputs, ingest.Limits(max_file_bytes=path.stat().st_size - 1))
    assert issues["problem"].iloc[0].startswith("Tệp quá lớn")
    assert issues["value"].iloc[0] == f"{path.stat().st_size:,} byte"


def test_zip_bomb_is_not_expanded(inputs: Path, tmp_path: Path):
    plain = write_compiled_appendix(tmp_path / "pl3.xlsx", 3)
    unpacked = ingest.Limits().max_unpacked_bytes + 16 * 1024 * 1024
    bomb = add_zip_member(plain, inputs / "registrations" / "pl3_bomb.xlsx", "xl/media/image1.png", unpacked)
    assert bomb.stat().st_size < ingest.Limits().max_file_bytes  # small on disk, huge once expanded
    started = time.perf_counter()
    cells, _, issues = _read(inputs)
    assert time.perf_counter() - started < 5
    assert cells.empty
    assert issues["problem"].iloc[0].startswith("Tệp khi giải nén lớn")
    assert "vượt giới hạn" in issues["problem"].iloc[0]


# ---------------------------------------------------------------- formats


@needs_libreoffice
def test_every_format_reads_alike(inputs: Path, tmp_path: Path):
    """One appendix per format; each reads to the document's figures, cell addresses kept."""
    folder = inputs / "registrations"
    sources = [write_compiled_appendix(tmp_path / f"pl{n}.xlsx", n) for n in (1, 2)]
    convert_with_libreoffice([sources[0]], ".xls", folder)
    convert_with_libreoffice([sources[1]], ".ods", folder)
    make_macro_workbook(write_compiled_appendix(tmp_path / "pl3.xlsx", 3), folder / "pl3.xlsm")
    for number, delimiter, bom in ((4, ",", True), (5, ";", False), (6, ";", True)):
        appendix = APPENDICES[number]
        rows = [[f"SỐ LƯỢNG GV ĐĂNG KÝ {appendix['title'][1]}"], [], ["STT", appendix["unit_header"], *appendix["headers"]]]
        rows += [[index, unit, *values] for index, (unit, *values) in enumerate(appendix["rows"], start=1)]
        rows += [["Tổng số", None, *appendix["totals"]]]
        write_csv_rows(folder / f"pl{number}.csv", rows, delimiter=delimiter, bom=bom)
    cells, files, issues = _read(inputs)
    assert issues.empty, issues.to_string()
    data = cells[~cells["is_total"]]
    for number, appendix in APPENDICES.items():
        name = next(f for f in files["file"] if f.startswith(f"pl{number}."))
        read = data[data["source_file"] == name]
        expected = [value or 0 for _, *values in appendix["rows"] for value in values]
        assert [0 if pd.isna(v) else int(float(v)) for v in read["value"]] == expected, name
        assert read["year"].unique().tolist() == [2024]
    xls = data[data["source_file"] == "pl1.xls"]
    assert xls["source_cell"].iloc[0] == "C8" and xls["unit_label"].iloc[0] == "An Dương"


def test_csv_with_bom_semicolons_and_thousands(inputs: Path):
    rows = [["ĐĂNG KÝ BỒI DƯỠNG GV DẠY MÔN KHOA HỌC TỰ NHIÊN NĂM 2024"], ["STT", "Quận/huyện", "Số lượng"], ["1", "An Lão", "1.192"], ["2", "Cát Hải", "1 008"], ["", "Tổng số", "2.200"]]
    write_csv_rows(inputs / "registrations" / "khtn.csv", rows, delimiter=";", bom=True)
    cells, _, issues = _read(inputs)
    assert issues.empty
    assert cells[["source_sheet", "source_cell", "unit_label", "value"]].values.tolist() == [
        ["khtn", "C3", "An Lão", "1.192"], ["khtn", "C4", "Cát Hải", "1 008"], ["khtn", "C5", "Tổng số", "2.200"],
    ]


# ---------------------------------------------------------------- layouts


def test_hidden_rows_are_read_and_extra_sheets_listed(inputs: Path):
    appendix = APPENDICES[6]
    rows = [["ĐĂNG KÝ BỒI DƯỠNG GV DẠY MÔN KHOA HỌC TỰ NHIÊN NĂM 2024"], ["STT", "Quận/huyện", "Số lượng"]]
    rows += [[index, unit, value] for index, (unit, value) in enumerate(appendix["rows"], start=1)]
    write_rows(
        inputs / "registrations" / "pl6.xlsx", rows, sheet="KHTN", hidden_rows=(4, 5),
        more_sheets={"Hướng dẫn": [["Điền số liệu vào trang KHTN"]], "Trống": []},
    )
    cells, files, issues = _read(inputs)
    assert cells["value"].fillna(0).sum() == sum(appendix["totals"])  # hidden rows count, as in Excel's SUM
    assert files["sheets"].tolist() == ["KHTN"]
    assert issues[["sheet", "severity"]].values.tolist() == [["Hướng dẫn", "cảnh báo"]]


def test_two_tables_in_one_sheet_each_with_its_title(inputs: Path):
    rows = []
    for number in (5, 6):
        appendix = APPENDICES[number]
        rows += [[f"PHỤ LỤC {number}"], [appendix["title"][0]], [appendix["title"][1]], [], ["STT", "Quận/huyện", "Số lượng", "Ghi chú"]]
        rows += [[index, unit, value] for index, (unit, value) in enumerate(appendix["rows"], start=1)]
        rows += [["Tổng số:", None, appendix["totals"][0]], [], []]
    write_rows(inputs / "registrations" / "pl5_pl6.xlsx", rows)
    cells, _, issues = _read(inputs)
    assert issues.empty
    data = cells[~cells["is_total"]]
    by_title = data.groupby(data["title"].str.split(" | ", regex=False).str[0])["value"].sum().to_dict()
    assert by_title == {"PHỤ LỤC 5": 163, "PHỤ LỤC 6": 161}


def test_office_layout_footer_numbering_and_spacers(inputs: Path):
    """National motto and date beside the title, header over two merged rows, a column-numbering
    row, the total first, spacer rows, notes and signatures under the table."""
    appendix = APPENDICES[2]
    rows = [
        ["UBND THÀNH PHỐ HẢI PHÒNG", None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", None, "Độc lập - Tự do - Hạnh phúc"],
        [None, None, "Hải Phòng, ngày 15 tháng 12 năm 2023"],
        [],
        ["SỐ LƯỢNG CBQL, GV TIỂU HỌC ĐĂNG KÝ ĐÀO TẠO NÂNG CHUẨN NĂM 2024"],
        ["Đơn vị tính: người"],
        [],
        ["TT", "Tên đơn vị", "Số lượng đăng ký", "Ghi chú"],
        [None, None, "Trình độ CĐ - ĐH", None],
        ["(1)", "(2)", "(3)", "(4)"],
        ["TỔNG CỘNG", None, 71, None],
    ]
    for index, (unit, value) in enumerate(appendix["rows"], start=1):
        rows.append([index, f"  Quận  {unicodedata.normalize('NFD', unit)} ", value, "4 GV/trường" if index == 2 else None])
        if index == 7:
            rows.append([])
    rows += [[], ["Ghi chú: số liệu tính đến ngày 30/11/2023"], [], [None, "NGƯỜI LẬP BIỂU", "KT. GIÁM ĐỐC"], [None, "(Ký, ghi rõ họ tên)", "PHÓ GIÁM ĐỐC"], [], [None, "Nguyễn Văn An", "Trần Thị Bình"]]
    write_rows(inputs / "registrations" / "Sheet1.xlsx", rows, merged=("A1:B1", "A5:D5", "A8:A9", "B8:B9", "D8:D9", "A11:B11"))
    cells, _, issues = _read(inputs)
    assert issues.empty
    assert cells["year"].unique().tolist() == [2024]  # not 2023, the date of signing
    total = cells[cells["is_total"]]
    assert total[["source_cell", "value"]].values.tolist() == [["C11", 71]]
    data = cells[~cells["is_total"]]
    assert len(data) == 14 and data["value"].fillna(0).sum() == 71
    assert data["level_label"].unique().tolist() == ["Số lượng đăng ký Trình độ CĐ - ĐH"]


def test_total_row_without_label_is_recognised_by_its_sums(inputs: Path):
    rows = [["ĐĂNG KÝ BỒI DƯỠNG GV DẠY MÔN LỊCH SỬ VÀ ĐỊA LÝ NĂM 2024"], ["STT", "Quận/huyện", "Số lượng"], [1, "An Lão", 18], [2, "Cát Hải", 2], [None, None, 20]]
    write_rows(inputs / "registrations" / "x.xlsx", rows)
    cells, _, _ = _read(inputs)
    assert cells[["source_cell", "is_total"]].values.tolist() == [["C3", False], ["C4", False], ["C5", True]]


def test_form_line_is_not_taken_for_the_header(inputs: Path):
    rows = [
        ["Đơn vị:", "UBND xã An Lão"],
        ["KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG NĂM 2026"],
        ["TT", "Nội dung (chuyên đề)", "MN", "TH"],
        [1, "Tích hợp AI trong quản trị nhà trường", 2, 3],
    ]
    write_rows(inputs / "registrations" / "an_lao.xlsx", rows)
    cells, _, _ = _read(inputs)
    assert cells[["unit_label", "unit_cell", "topic_label", "source_cell"]].values.tolist() == [
        ["UBND xã An Lão", "A1", "Tích hợp AI trong quản trị nhà trường", "C4"],
        ["UBND xã An Lão", "A1", "Tích hợp AI trong quản trị nhà trường", "D4"],
    ]


@pytest.mark.parametrize(
    ("title", "sheet", "file", "year"),
    [
        ("KẾ HOẠCH NĂM 2026 | Hải Phòng, ngày 2 tháng 12 năm 2025", "Sheet1", "x", 2026),
        ("Hải Phòng, ngày 2 tháng 12 năm 2025", "Năm 2026", "x", 2026),
        ("ĐĂNG KÝ ĐÀO TẠO", "Sheet1", "dang_ky_2027", 2027),
        ("ĐĂNG KÝ ĐÀO TẠO", "Sheet1", "2025-12-02 dang ky 2026", None),
    ],
)
def test_year_from_title_then_sheet_then_file(inputs: Path, title, sheet, file, year):
    rows = [[part] for part in title.split(" | ")] + [["STT", "Đơn vị", "Số lượng"], [1, "An Lão", 3]]
    write_rows(inputs / "registrations" / f"{file}.xlsx", rows, sheet=sheet)
    cells, _, _ = _read(inputs)
    found = cells["year"].iloc[0]
    assert (None if found is pd.NA or pd.isna(found) else int(found)) == year


def test_formula_without_cached_value_is_marked(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6, total_as_formula=True)
    workbook = openpyxl.load_workbook(path)
    workbook.active["C9"] = "=6+7"
    workbook.save(path)
    cells, _, _ = _read(inputs)
    marked = cells[cells["is_formula_without_value"]]
    assert marked[["source_cell", "value", "is_total"]].values.tolist() == [["C9", "=6+7", False], ["C22", "=SUM(C8:C21)", True]]


def test_the_files_windows_leaves_in_a_folder_are_no_inputs(inputs: Path):
    """Thumbs.db and desktop.ini (and Office's "~$" lock files) are never read as spreadsheets held back."""
    from conftest import check

    folder = inputs / "registrations" / "2026"
    write_unit_file(folder / "xa_an_lao.xlsx", "Xã An Lão", 2026, [("STEM/STEAM", {"MN": 3})])
    for junk in ("Thumbs.db", "desktop.ini", "~$xa_an_lao.xlsx"):
        (folder / junk).write_bytes(b"\x00\x01junk")
    assert [path.name for path in ingest.list_input_files(inputs / "registrations")] == ["xa_an_lao.xlsx"]
    registrations, issues, files = check(inputs)
    assert files["file"].tolist() == ["2026/xa_an_lao.xlsx"] and files["status"].tolist() == ["chấp nhận"]
    assert all((folder / junk).exists() for junk in ("Thumbs.db", "desktop.ini"))  # left where they are

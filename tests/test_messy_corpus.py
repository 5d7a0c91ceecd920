"""A corpus of spreadsheets typed the way offices type them, clean and broken, run end to end.

Clean files together hold the six 2024 appendices, each in another office's layout;
they must come out with the document's figures (tests/plan_2024.py). Broken files
(2025 figures, so they never collide with the clean ones) must each be named with
exactly the problems put in them, and held back whole.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli
from plan_2024 import APPENDICES, document_counts
from workbooks import encrypt_with_password, write_compiled_appendix, write_csv_rows, write_rows

PERIOD = "2024-12"
MOTTO = [["UBND THÀNH PHỐ HẢI PHÒNG", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], ["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", None, None, "Độc lập - Tự do - Hạnh phúc"], [None, None, None, "Hải Phòng, ngày 05 tháng 12 năm 2023"], []]
SIGNATURES = [[], [None, "NGƯỜI LẬP BIỂU", None, "TRƯỞNG PHÒNG"], [None, "(Ký, ghi rõ họ tên)", None, "(Ký tên, đóng dấu)"], [], [None, "Nguyễn Thị Hoa", None, "Phạm Văn Nam"]]
SPELLINGS = {"Thủy Nguyên": "Huyện Thuỷ Nguyên", "Kiến Thụy": "H. Kiến Thuỵ", "Lê Chân": "Q. Lê Chân", "Hải An": "quận HẢI AN"}


def _spelled(unit: str, index: int) -> str:
    name = SPELLINGS.get(unit, unit)
    return unicodedata.normalize("NFD", name) if index % 3 == 0 else f" {name}  "


def _write_clean_corpus(folder: Path) -> None:
    # PL1: motto and date beside the title, two-row merged header, numbering row, total first, text numbers, signatures.
    pl1 = APPENDICES[1]
    rows = MOTTO + [["SỐ LƯỢNG CBQL, GV MẦM NON ĐĂNG KÝ ĐÀO TẠO NÂNG CHUẨN NĂM 2024"], ["Đơn vị tính: người"], []]
    rows += [["STT", "Quận/huyện", "Số lượng đăng ký", None, "Ghi chú"], [None, None, "TC - ĐH (công lập)", "TC-CĐ (ngoài công lập)", None], ["A", "B", "1", "2", "3"]]
    rows += [["Tổng cộng", None, *pl1["totals"], None]]
    for index, (unit, *values) in enumerate(pl1["rows"], start=1):
        rows.append([index, _spelled(unit, index), *[None if v is None else str(v) for v in values], "Hiệu trưởng" if index == 4 else None])
    rows += SIGNATURES
    write_rows(folder / "2024" / "Phong GD - mam non.xlsx", rows, merged=("A5:E5", "A8:A9", "B8:B9", "C8:D8", "E8:E9", "A11:B11"))

    # PL2: CSV saved by Excel in a Vietnamese locale: BOM, semicolons, old tone placement, "Q." prefixes.
    pl2 = APPENDICES[2]
    rows = [["ĐĂNG KÝ ĐÀO TẠO NÂNG CHUẨN GV TIỂU HỌC TỪ CĐ LÊN ĐH NĂM 2024"], [], ["TT", "Tên đơn vị", "Số lượng"]]
    rows += [[index, _spelled(unit, index), value] for index, (unit, value) in enumerate(pl2["rows"], start=1)]
    rows += [["", "Tổng số", pl2["totals"][0]]]
    write_csv_rows(folder / "2024" / "tieu_hoc.csv", rows, delimiter=";", bom=True)

    # PL3: title in one merged cell, header on row 9, spacer rows, a hidden row, a notes sheet.
    pl3 = APPENDICES[3]
    rows = [["SỐ LƯỢNG CBQL, GV TRUNG HỌC CƠ SỞ ĐĂNG KÝ ĐÀO TẠO NÂNG CHUẨN (CĐ - ĐH) NĂM 2024"]] + [[]] * 7 + [["TT", "Đơn vị", "Số lượng", "Ghi chú"]]
    for index, (unit, value) in enumerate(pl3["rows"], start=1):
        rows.append([index, _spelled(unit, index), value, None])
        if index in (5, 10):
            rows.append([])
    rows += [["Cộng", None, pl3["totals"][0]]]
    write_rows(folder / "2024" / "thcs.xlsx", rows, sheet="Sheet1", merged=("A1:D3",), hidden_rows=(12,), more_sheets={"Hướng dẫn": [["Không sửa dòng tiêu đề"]]})

    # PL4: the city-run schools under the name the department uses, total typed without a label.
    pl4 = APPENDICES[4]
    rows = [["SỐ LƯỢNG GV PHỔ THÔNG ĐĂNG KÝ BỒI DƯỠNG CÔNG TÁC TƯ VẤN CHO HỌC SINH NĂM 2024"], ["STT", "Đơn vị", "Số lượng"]]
    rows += [[index, "Các trường THPT trực thuộc Sở" if unit == "Các trường THPT" else _spelled(unit, index), value] for index, (unit, value) in enumerate(pl4["rows"], start=1)]
    rows += [[None, None, pl4["totals"][0]]]
    write_rows(folder / "2024" / "tu_van.xlsx", rows)

    # PL5 and PL6: two tables in one sheet, named nothing in particular.
    rows = []
    for number in (5, 6):
        appendix = APPENDICES[number]
        rows += [[f"PHỤ LỤC {number}"], [appendix["title"][0]], [appendix["title"][1]], [], ["STT", "Quận/huyện", "Số lượng", "Ghi chú"]]
        rows += [[index, _spelled(unit, index), value, None] for index, (unit, value) in enumerate(appendix["rows"], start=1)]
        rows += [["Tổng số:", None, appendix["totals"][0]], [], []]
    write_rows(folder / "2024" / "Book1.xlsx", rows, sheet="Sheet1")


# file -> the problems put in it: (sheet, cell, value, severity, words of the problem)
BROKEN = {
    "2025/so_sai.xlsx": [
        ("PL6", "C8", "-2", "lỗi", "số âm"),
        ("PL6", "C9", "2.5", "lỗi", "không phải là số nguyên"),
        ("PL6", "C10", "mười", "lỗi", "không phải là số"),
    ],
    "2025/ten_sai.xlsx": [
        ("Sheet1", "B4", "Hải Phòng", "lỗi", "không có trong danh sách đơn vị năm 2025"),
        ("Sheet1", "E5", "3", "lỗi", "không áp dụng cho cấp học THPT"),
    ],
    "2025/tong_sai.xlsx": [("PL5", "C22", "160", "lỗi", "Dòng tổng ghi 160 nhưng cộng các dòng được 163")],
    "2025/gui_lan_1.xlsx": [("PL2", f"C{row}", None, "lỗi", "được gửi nhiều lần") for row in range(8, 22)],
    "2025/gui_lan_2.xlsx": [("PL2", f"C{row}", None, "lỗi", "được gửi nhiều lần") for row in range(8, 22)],
    "2025/cong_thuc.xlsx": [("PL3", "C9", "=4+5", "lỗi", "không lưu giá trị đã tính")],
    "2025/mat_khau.xlsx": [("", "", "", "lỗi", "mật khẩu")],
    "2025/mat_khau_hong.xlsx": [("", "", "", "lỗi", "Tệp bị hỏng")],
    "2025/rong.xls": [("", "", "0 byte", "lỗi", "Tệp rỗng")],
    "2025/cong_thuc_chen.csv": [("cong_thuc_chen", "B3", "=HYPERLINK(\"http://x\",\"An Lão\")", "lỗi", "không có trong danh sách đơn vị")],
}


def _as_2025(path: Path, number: int, **cells) -> Path:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    sheet["A3"] = str(sheet["A3"].value).replace("2024", "2025")
    for address, value in cells.items():
        sheet[address] = value
    workbook.save(path)
    return path


def _write_broken_corpus(folder: Path, tmp_path: Path) -> None:
    target = folder / "2025"
    _as_2025(write_compiled_appendix(target / "so_sai.xlsx", 6), 6, C8=-2, C9=2.5, C10="mười")
    write_rows(target / "ten_sai.xlsx", [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2025"], [], ["TT", "Đơn vị", "Nội dung", "MN", "THPT"], [1, "Hải Phòng", "TC-ĐH", 2, None], [2, "An Lão", "TC-ĐH", 1, 3]])
    _as_2025(write_compiled_appendix(target / "tong_sai.xlsx", 5), 5, C22=160)
    _as_2025(write_compiled_appendix(target / "gui_lan_1.xlsx", 2), 2)
    _as_2025(write_compiled_appendix(target / "gui_lan_2.xlsx", 2), 2)
    _as_2025(write_compiled_appendix(target / "cong_thuc.xlsx", 3, total_as_formula=True), 3, C9="=4+5")  # An Lão's 9, no value saved
    encrypt_with_password(_as_2025(write_compiled_appendix(tmp_path / "plain.xlsx", 1), 1), target / "mat_khau.xlsx")
    # Cut short in transfer: the spreadsheet reader stops on it with a Rust panic, not an error.
    (target / "mat_khau_hong.xlsx").write_bytes((target / "mat_khau.xlsx").read_bytes()[:739])
    (target / "rong.xls").write_bytes(b"")
    write_csv_rows(target / "cong_thuc_chen.csv", [["SỐ LƯỢNG GV PHỔ THÔNG ĐĂNG KÝ BỒI DƯỠNG CÔNG TÁC TƯ VẤN CHO HỌC SINH NĂM 2025"], ["STT", "Quận/huyện", "Số lượng"], [1, "=HYPERLINK(\"http://x\",\"An Lão\")", 4]])


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV output; text guarded against formula injection ("'=…") read back as typed."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for key, value in row.items():
            if value[:2] in ("'=", "'+", "'-", "'@"):
                row[key] = value[1:]
    return rows


@pytest.fixture
def corpus_run(inputs: Path, tmp_path: Path):
    folder = inputs / "registrations"
    _write_clean_corpus(folder)
    _write_broken_corpus(folder, tmp_path)
    before = {path: path.read_bytes() for path in folder.rglob("*")  if path.is_file()}
    outputs = tmp_path / "outputs"
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", PERIOD)
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == before  # inputs untouched
    return result, outputs / PERIOD


def test_clean_files_give_the_document_totals(corpus_run):
    result, output = corpus_run
    assert result.returncode == 1, result.stdout + result.stderr
    registrations = _read_csv(output / "data" / "registrations.csv")
    assert {row["year"] for row in registrations} == {"2024"}  # nothing of a rejected file
    totals: dict[tuple[str, str, str], int] = {}
    for row in registrations:
        key = (row["unit"], row["topic"], row["level"])
        totals[key] = totals.get(key, 0) + int(row["headcount"])
    assert {k: v for k, v in totals.items() if v} == {k: v for k, v in document_counts().items() if v}
    files = {row["file"]: row for row in _read_csv(output / "data" / "files.csv")}
    clean = [name for name in files if name.startswith("2024/")]
    assert len(clean) == 5 and all(files[name]["status"] == "chấp nhận" for name in clean)
    assert sum(int(files[name]["headcount"]) for name in clean) == sum(sum(a["totals"]) for a in APPENDICES.values())


def test_broken_files_are_each_named_with_their_problems(corpus_run):
    _, output = corpus_run
    issues = _read_csv(output / "data" / "issues.csv")
    errors = [row for row in issues if row["severity"] == "lỗi"]
    assert {row["file"] for row in errors} == set(BROKEN)
    for file, expected in BROKEN.items():
        found = [row for row in errors if row["file"] == file]
        assert [(row["sheet"], row["cell"]) for row in found] == [(sheet, cell) for sheet, cell, *_ in expected], file
        for row, (_, _, value, _, words) in zip(found, expected):
            assert words in row["problem"], (file, row)
            if value is not None:
                assert row["value"] == value, (file, row)
            assert row["fix"], (file, row)
    statuses = {row["file"]: row["status"] for row in _read_csv(output / "data" / "files.csv")}
    assert all(statuses[file] == "bị từ chối" for file in BROKEN)
    # Warnings only where the layout is unusual, never on a clean figure: a notes sheet, and
    # the figure in a hidden row (counted; a printout does not show it).
    warnings = [(row["file"], row["sheet"], row["cell"]) for row in issues if row["severity"] == "cảnh báo"]
    assert sorted(warnings) == [("2024/thcs.xlsx", "Hướng dẫn", ""), ("2024/thcs.xlsx", "Sheet1", "C12")]


def test_validation_report_workbook(corpus_run):
    _, output = corpus_run
    workbook = openpyxl.load_workbook(output / "validation_report.xlsx")
    problems, files = workbook["Vấn đề"], workbook["Tệp"]
    header = [cell.value for cell in problems[1]]
    assert header == ["Tệp", "Trang tính", "Ô", "Giá trị", "Vấn đề", "Cách sửa", "Mức độ", "Đơn vị"]
    assert problems.freeze_panes == "A2" and problems.auto_filter.ref.startswith("A1:H")
    rows = [[cell.value for cell in row] for row in problems.iter_rows(min_row=2)]
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    issues = _read_csv(output / "data" / "issues.csv")
    assert [[str(v) if v is not None else "" for v in row] for row in rows] == [list(row.values()) for row in issues]
    raw_csv = (output / "data" / "issues.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw_csv and "'=4+5" in raw_csv  # a spreadsheet opening the CSV shows text
    assert ",=" not in raw_csv
    injected = next(row for row in problems.iter_rows(min_row=2) if row[0].value == "2025/cong_thuc_chen.csv")
    assert injected[3].data_type == "s" and injected[3].value.startswith("=HYPERLINK")  # text, never a formula
    formula = next(row for row in problems.iter_rows(min_row=2) if row[0].value == "2025/cong_thuc.xlsx")
    assert formula[3].data_type == "s" and formula[3].value == "=4+5"
    file_rows = {row[0].value: [cell.value for cell in row] for row in files.iter_rows(min_row=2)}
    assert len(file_rows) == 5 + len(BROKEN) and files.freeze_panes == "A2"


def test_only_clean_files_exit_zero(inputs: Path, tmp_path: Path):
    _write_clean_corpus(inputs / "registrations")
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"), "--period", PERIOD)
    assert result.returncode == 0, result.stdout + result.stderr

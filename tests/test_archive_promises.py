"""The README's promises about files as archives, on the production path (``intake``):
the 20 MB and 200 MB limits, as figures (written out here, not read back from the code),
and the checksum of every part the cells are read from.

The limits: a file of exactly 20 MB is read and one byte more is held back; an archive
declaring exactly 200 MB unpacked is read and one byte more is held back unopened.
The checksum: a sheet with two counts edited so that the total still adds up is what a
reader without the check would book (python-calamine alone reads the edited numbers);
the run holds the file back.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from archives import SHEET, deflated, numeric_cells, silently_edited, zip_members
from conftest import check
from plan_2024 import APPENDICES
from workbooks import write_compiled_appendix

MB = 1024 * 1024
FILE_LIMIT = 20 * MB  # README: "oversized (20 MB)"
UNPACKED_LIMIT = 200 * MB  # README: "zip-bomb file (200 MB unpacked)"
CORRUPT_DATA = "Tệp bị hỏng, không mở được (dữ liệu nén bị lỗi)"


def _padded(source: Path, target: Path, pad: int, stored: bool) -> None:
    """``source`` with one more member (a picture, not read for cells) of ``pad`` bytes:
    random and stored (the file grows by ``pad``), or zeros deflated (it unpacks to ``pad`` more)."""
    import os

    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        for item in original.infolist():
            copy.writestr(item.filename, original.read(item.filename))
        info = zipfile.ZipInfo("xl/media/image1.png")
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        with copy.open(info, "w") as member:
            chunk = os.urandom(MB) if stored else bytes(MB)
            left = pad
            while left:
                member.write(chunk[: min(left, MB)])
                left -= min(left, MB)


def _outcome(inputs: Path) -> tuple[str, list[tuple[str, str]], int]:
    registrations, issues, files = check(inputs)
    assert len(files) == 1
    return files["status"].iloc[0], list(zip(issues["value"], issues["problem"])), int(registrations["headcount"].sum())


def test_a_file_of_20_megabytes_is_read_and_one_byte_more_is_held_back(inputs: Path, tmp_path: Path):
    source = write_compiled_appendix(tmp_path / "pl3.xlsx", 3)
    path = inputs / "registrations" / "pl3.xlsx"
    _padded(source, path, 0, stored=True)
    base = path.stat().st_size
    _padded(source, path, FILE_LIMIT - base, stored=True)
    assert path.stat().st_size == 20 * 1024 * 1024
    assert _outcome(inputs) == ("chấp nhận", [], sum(APPENDICES[3]["totals"]))
    _padded(source, path, FILE_LIMIT - base + 1, stored=True)
    assert path.stat().st_size == 20 * 1024 * 1024 + 1
    assert _outcome(inputs) == ("bị từ chối", [("20,971,521 byte", "Tệp quá lớn: 20.0 MB, giới hạn 20.0 MB")], 0)


def test_an_archive_unpacking_to_200_megabytes_is_read_and_one_byte_more_is_held_back(inputs: Path, tmp_path: Path):
    source = write_compiled_appendix(tmp_path / "pl3.xlsx", 3)
    with zipfile.ZipFile(source) as archive:
        unpacked = sum(item.file_size for item in archive.infolist())
    path = inputs / "registrations" / "pl3.xlsx"
    for extra, expected in ((0, ("chấp nhận", [], sum(APPENDICES[3]["totals"]))), (1, None)):
        _padded(source, path, UNPACKED_LIMIT - unpacked + extra, stored=False)
        with zipfile.ZipFile(path) as archive:
            assert sum(item.file_size for item in archive.infolist()) == 200 * 1024 * 1024 + extra
        assert path.stat().st_size < MB  # small on disk
        if expected:
            assert _outcome(inputs) == expected
        else:
            status, problems, booked = _outcome(inputs)
            assert (status, booked) == ("bị từ chối", 0)
            assert problems == [("209,715,201 byte", "Tệp khi giải nén lớn 200.0 MB, vượt giới hạn 200.0 MB; tệp không được mở")]


@pytest.mark.parametrize("stored", [True, False], ids=["stored", "deflated"])
def test_two_counts_edited_with_the_total_unchanged_are_caught_by_the_checksum(inputs: Path, tmp_path: Path, stored: bool):
    """An Lão 13 -> 14 and Cát Hải 2 -> 1 in appendix 6: the "Tổng số" row (161) still adds up."""
    source = write_compiled_appendix(tmp_path / "pl6.xlsx", 6)
    path = inputs / "registrations" / "pl6.xlsx"
    sheet = openpyxl.load_workbook(source).active
    assert (sheet["B9"].value, sheet["C9"].value, sheet["B10"].value, sheet["C10"].value, sheet["C22"].value) == ("An Lão", 13, "Cát Hải", 2, 161)
    original = silently_edited(source, path, "C", {9: 14, 10: 1}, stored=stored)
    assert numeric_cells(original, "C")[9] == 13
    # What the spreadsheet reader alone sees: the edited counts, and a total that still adds up.
    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes())).get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert (rows[8][2], rows[9][2]) == (14, 1)
    assert sum(row[2] for row in rows[7:21]) == rows[21][2] == 161
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET).compress_type == (zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    assert _outcome(inputs) == ("bị từ chối", [("", CORRUPT_DATA)], 0)


def test_a_sheet_encrypted_inside_the_archive_is_held_back_for_its_password(inputs: Path, tmp_path: Path):
    """A zip password on the sheet (as archivers set it): the file is password-protected, not damaged."""
    import zlib

    source = write_compiled_appendix(tmp_path / "pl3.xlsx", 3)
    with zipfile.ZipFile(source) as original:
        members = [(item.filename, deflated(data), zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data)) for item in original.infolist() for data in [original.read(item.filename)]]
    (inputs / "registrations" / "pl3.xlsx").write_bytes(zip_members(members, encrypted=frozenset({SHEET})))
    with zipfile.ZipFile(inputs / "registrations" / "pl3.xlsx") as archive:
        assert archive.getinfo(SHEET).flag_bits & 0x1
    assert _outcome(inputs) == ("bị từ chối", [("", "Tệp được đặt mật khẩu, không đọc được")], 0)

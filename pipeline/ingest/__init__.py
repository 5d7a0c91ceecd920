"""Ingest: find the tables in the units' spreadsheets and read every number cell.

Grain of the output: one row per number cell of a table (``schemas.RawCell``),
with the labels exactly as typed. Ingest finds, normalises and casts; it does
not decide whether a label is a known unit or topic (that is ``validate``).

Two shapes are read the same way: a compiled table with a row per unit (the
2024 appendices) and one unit's file with a row per topic and a column per
level. A table's header is the first row with a unit or topic column header
("Quận/huyện", "Đơn vị", "Nội dung"...); a second header row below it
("MN TH THCS..." under a merged "Số lượng dự kiến") is folded into the labels.
The title block above the header names the year, the unit and the programme;
a sheet may hold several tables, one below the other. The table ends at its
footer (signatures, date, notes); rows there are not read.

Files are checked before they are opened: size, archive expansion (a zip bomb
is never expanded), password protection, content that is no spreadsheet.
Formula cells are read by their cached value; a formula saved without one is
marked so that validate rejects it rather than reading it as blank.
"""

from __future__ import annotations

import bisect
import csv
import functools
import hashlib
import html
import io
import itertools
import operator
import re
import struct
import types
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa
import python_calamine

import schemas
from pipeline.text import cell_address, parse_headcount, text_key

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
_HEADER_SEARCH_ROWS = 60
_LABEL_ROLES = ("stt", "unit", "topic", "code", "note")
_NAMING_ROLES = frozenset(("unit", "topic"))  # a header row names one of these columns
_NOT_COUNT_ROLES = frozenset(("stt", "unit", "topic", "code", "note", "total", "ignore"))
_YEAR_IN_TITLE = re.compile(r"năm(?:\s+kế\s+hoạch)?\s*:?\s*(\d{4})(?!\d)")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_DATE_LINE = re.compile(r"ngày\s*[\d.…/ _-]*\s*tháng")
_UNIT_LINE = re.compile(
    r"^\s*(?:(?:tên\s+)?đơn\s+vị(?!\s+tính)(?:\s+(?:báo\s+cáo|đăng\s+ký|gửi))?"
    r"|(?:ubnd\s+)?(?:xã|phường|đặc\s+khu|quận|huyện)(?:\s*/\s*(?:xã|phường|đặc\s+khu|quận|huyện))*)"
    r"\s*[:\-–]\s*(.+?)\s*$",
    re.IGNORECASE,
)
_NUMBERING_CELL = re.compile(r"^\(?(\d{1,2}|[A-Za-z])\)?(?:\s*[=+\-*x]\s*\(?\d{1,2}\)?)*$")
_FOOTER = re.compile(
    r"^(?:kt\.?|tm\.?|t/m|q\.)?\s*(?:người\s+lập(?:\s+biểu)?|lập\s+biểu|thủ\s+trưởng(?:\s+đơn\s+vị)?|(?:phó\s+)?trưởng\s+phòng"
    r"|(?:phó\s+)?giám\s+đốc|(?:phó\s+)?chủ\s+tịch|(?:phó\s+)?hiệu\s+trưởng|kế\s+toán|nơi\s+nhận|xác\s+nhận(?:\s+của.*)?)\s*:?$"
    r"|\(ký[,\s]*(?:tên|ghi|và|đóng|\))|ký\s+tên|ký,?\s+(?:và\s+)?ghi\s+rõ|^ghi\s+chú\s*:|^lưu\s*:|ngày\s*[\d.…/ _-]*\s*tháng",
    re.IGNORECASE,
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_FORMULA_CELL = re.compile(rb"<c\s([^>]*?)>(.*?)</c>", re.S)
_FORMULA_START = re.compile(rb"<f[\s>/]")
_CACHED_VALUE = re.compile(rb"<v>([^<]*)</v>")
_FORMULA_TEXT = re.compile(rb"<f[^>]*>([^<]*)</f>")
_RELATIONSHIP = re.compile(rb"<Relationship\s[^>]*>")
_MEMBERS_WITH_DATA = ("xl/worksheets/", "xl/sharedStrings", "xl/workbook", "xl/styles", "xl/_rels/", "content.xml", "styles.xml", "META-INF/")
_CELL_REFERENCE = re.compile(rb'\br="([A-Z]+)(\d+)"')
_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_LOCAL_HEADER_MAGIC = b"PK\x03\x04"
_LOCAL_HEADER_SIZE = 30
_LOCAL_NAME_AND_EXTRA = struct.Struct("<HH")  # at byte 26 of a member's local header
# End of central directory record: signature, disk numbers, entry counts, directory size and offset, comment length.
_END_RECORD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR_SIZE = 20
# Central directory entry, the fields used: signature, version needed to extract, flags, compression,
# CRC, sizes, name/extra/comment lengths, local header offset (x: bytes skipped).
_DIRECTORY_ENTRY = struct.Struct("<4s2xBx2H4xL2L3H8xL")
# Encrypted, strongly encrypted, patch data: members left to zipfile, which refuses them.
_UNUSUAL_MEMBER_FLAGS = 0x1 | 0x20 | 0x40


class ReferenceDataError(Exception):
    """The reference data cannot be used; the run cannot proceed."""


@dataclass(frozen=True)
class Limits:
    """How big an input may be; checked before a file is opened."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class Reference:
    """All reference data, each table checked against its schema."""

    levels: pd.DataFrame
    topics: pd.DataFrame
    aliases: pd.DataFrame
    units: pd.DataFrame
    appendices: pd.DataFrame
    appendix_columns: pd.DataFrame
    plan: pd.DataFrame
    plan_appendices: pd.DataFrame
    plan_printed: pd.DataFrame


@dataclass(frozen=True)
class _Grid:
    sheet: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)


class _Unreadable(Exception):
    """A file that cannot be read: the message and fix for the report."""

    def __init__(self, value: str, problem: str, fix: str):
        super().__init__(problem)
        self.value, self.problem, self.fix = value, problem, fix


_REFERENCE_FILES = {
    "levels": ("levels.csv", schemas.Level),
    "topics": ("topics.csv", schemas.Topic),
    "aliases": ("aliases.csv", schemas.Alias),
    "units": ("units.csv", schemas.Unit),
    "appendices": ("appendices.csv", schemas.AppendixSpec),
    "appendix_columns": ("appendix_columns.csv", schemas.AppendixColumn),
    "plan": ("plan.csv", schemas.PlanRow),
    "plan_appendices": ("plan_appendices.csv", schemas.PlanAppendix),
    "plan_printed": ("plan_printed.csv", schemas.PrintedFigure),
}


def read_reference(folder: Path) -> Reference:
    """Read and check every reference table under ``folder``.

    Raises:
        ReferenceDataError: a file is missing, unreadable or breaks its schema.
    """
    tables = {}
    for name, (filename, model) in _REFERENCE_FILES.items():
        path = folder / filename
        try:
            frame = pd.read_csv(path, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
            raise ReferenceDataError(f"Không đọc được tệp dữ liệu tham chiếu {path}: {error}") from error
        try:
            tables[name] = model.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as error:
            cases = error.failure_cases[["column", "check", "failure_case", "index"]]
            raise ReferenceDataError(
                f"Tệp dữ liệu tham chiếu {path} không hợp lệ:\n{cases.to_string(index=False)}"
            ) from error
    return Reference(**tables)


def list_input_files(folder: Path) -> list[Path]:
    """Every file under ``folder``, in a stable order (hidden and lock files left out)."""
    if not folder.exists():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith((".", "~$"))
    )


def read_registrations(
    folder: Path, reference: Reference, limits: Limits = Limits()
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read every spreadsheet under ``folder``; the files themselves are only read.

    Returns:
        cells: one row per number cell (``schemas.RawCell``);
        files: one row per input file: ``file``, ``sheets`` (tables found);
        issues: problems found while reading (``schemas.Issue``).
    """
    results = [
        read_file(path, path.relative_to(folder).as_posix(), reference, limits)
        for path in list_input_files(folder)
    ]
    return combine(*(list(parts) for parts in zip(*results))) if results else combine([], [], [])


def read_file(
    path: Path, name: str, reference: Reference | dict[str, str], limits: Limits = Limits()
) -> tuple[dict[str, list], dict, list[dict]]:
    """One input file: its cells (RawCell columns as lists), its row of the files table
    (``file``, ``sheets``) and its problems (Issue records).

    Plain lists and dicts, cheap to cache and to send between processes; ``combine``
    makes the tables. ``reference`` may be the header vocabulary itself
    (``header_vocabulary``), which is all a file's reading needs.
    """
    vocabulary = reference if isinstance(reference, dict) else header_vocabulary(reference)
    tables, sheets, problems = _read_file(path, name, vocabulary, limits)
    # Column-wise: lighter to keep, to cache and to send back from a worker process.
    if len(tables) == 1:
        cells = {column: tables[0][column] for column in _RAW_COLUMNS}  # lists built for this file alone: no copy
    else:
        cells = {column: list(itertools.chain.from_iterable(table[column] for table in tables)) for column in _RAW_COLUMNS}
    return cells, {"file": name, "sheets": ", ".join(sheets)}, problems


def header_vocabulary(reference: Reference) -> dict[str, str]:
    """Header text key -> column role ("unit", "topic", "stt"...), from the aliases."""
    return _header_vocabulary(reference.aliases)


def combine(
    cells: list[dict[str, list]], file_rows: list[dict], issues: list[list[dict]]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Join the results of ``read_file`` for several files into the three tables of ``read_registrations``."""
    columns = {column: list(itertools.chain.from_iterable(file_cells[column] for file_cells in cells)) for column in _RAW_COLUMNS}
    if not columns["source_cell"]:
        frame = _empty_cells()
    else:
        # Values as typed: 12 stays an int and a blank stays None (never NaN).
        frame = pd.DataFrame({column: _column_array(column, values) for column, values in columns.items()})
    del columns
    files = pd.DataFrame(file_rows, columns=list(dict.fromkeys(["file", "sheets", *(k for row in file_rows for k in row)])))
    problems = pd.DataFrame([problem for file_issues in issues for problem in file_issues], columns=list(schemas.Issue.to_schema().columns))
    return schemas.RawCell.validate(frame.astype(_RAW_TYPES)), files, problems


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_digest(folder: Path) -> str:
    """sha256 over the names and bytes of the files directly in ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*")):
        if path.is_file():
            digest.update(path.name.encode("utf-8") + b"\0" + file_digest(path).encode("ascii"))
    return digest.hexdigest()


def read_previous_registrations(path: Path) -> pd.DataFrame | None:
    """The tidy table an earlier run published, or None when there is none to read."""
    try:
        frame = pd.read_csv(path, encoding="utf-8", dtype={"unit": str, "topic": str, "level": str})
    except (OSError, pd.errors.ParserError, UnicodeDecodeError):
        return None
    return frame if {"year", "unit", "topic", "level", "headcount"} <= set(frame.columns) else None


# ---------------------------------------------------------------- files and sheets


def _read_file(path: Path, name: str, vocabulary: dict[str, str], limits: Limits):
    try:
        grids = _read_grids(path, limits)
    except _Unreadable as error:
        return [], [], [_problem(name, "", "", error.value, error.problem, error.fix)]
    cells, sheets, problems = [], [], []
    for grid in grids:
        tables = _read_tables(grid, name, path.stem, vocabulary)
        if not tables:
            if any(value is not None for row in grid.rows for value in row):
                problems.append(_problem(name, grid.sheet, "", "", f"Trang tính \"{grid.sheet}\" không có bảng số liệu, đã bỏ qua", "Không cần sửa nếu trang này không chứa số liệu đăng ký; nếu có, giữ dòng tiêu đề bảng có cột \"Đơn vị\" hoặc \"Nội dung\"", "cảnh báo"))
            continue
        cells.extend(tables)
        sheets.append(grid.sheet)
    if not sheets:
        if not any(value is not None for grid in grids for row in grid.rows for value in row):
            problems.append(_problem(name, "", "", "", "Tệp không có dữ liệu (các trang tính đều trống)", "Gửi lại tệp có bảng số liệu đăng ký"))
        else:
            problems.append(_problem(name, "", "", "", "Không tìm thấy bảng số liệu: không có dòng tiêu đề bảng với cột \"Quận/huyện\", \"Đơn vị\" hoặc \"Nội dung\"", "Dùng mẫu biểu của Sở, giữ nguyên dòng tiêu đề của bảng"))
    return cells, sheets, problems


def _read_grids(path: Path, limits: Limits) -> list[_Grid]:
    """Every worksheet of a file as rows of cleaned values.

    Raises:
        _Unreadable: the file is empty, too big, corrupt, encrypted or no spreadsheet.
    """
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise _Unreadable(path.name, f"Tệp \"{path.name}\" không phải bảng tính", "Gửi tệp .xlsx, .xls, .ods hoặc .csv")
    size = path.stat().st_size
    if size == 0:
        raise _Unreadable("0 byte", "Tệp rỗng (0 byte)", "Gửi lại tệp có số liệu")
    if size > limits.max_file_bytes:
        raise _Unreadable(f"{size:,} byte", f"Tệp quá lớn: {_megabytes(size)}, giới hạn {_megabytes(limits.max_file_bytes)}", "Xóa các trang tính, hình ảnh không cần thiết hoặc tách thành nhiều tệp nhỏ hơn")
    data = path.read_bytes()
    if suffix == ".csv":
        return [_read_csv(data, path.stem)]
    uncached: dict[str, dict[tuple[int, int], str]] = {}
    if data.startswith(b"PK"):
        uncached = _check_archive(data, limits)
    elif data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            raise _password_protected()
    else:
        kind = "trang web (HTML)" if re.search(rb"<\s*(html|table|!doctype)", data[:2048], re.IGNORECASE) else "không phải bảng tính"
        raise _Unreadable(data[:40].decode("utf-8", "replace").strip(), f"Tệp có đuôi {suffix} nhưng nội dung là {kind}", "Mở tệp bằng Excel và lưu lại dạng Excel Workbook (.xlsx)")
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = []
        for metadata in workbook.sheets_metadata:
            if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(metadata.name)
            grids.append(_grid(metadata.name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or [], uncached.get(metadata.name, {})))
        workbook.close()
    except python_calamine.PasswordError as error:
        raise _password_protected() from error
    except Exception as error:  # noqa: BLE001 - any reader failure means a corrupt file
        raise _Unreadable("", f"Tệp bị hỏng, không mở được ({type(error).__name__}: {str(error)[:120]})", "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx rồi gửi lại") from error
    except BaseException as error:
        # The reader stops on some damaged files with a Rust panic, which Python sees as
        # pyo3's PanicException: a BaseException, not an Exception. It is a corrupt file too.
        if type(error).__name__ != "PanicException":
            raise
        raise _Unreadable("", "Tệp bị hỏng, không mở được (cấu trúc tệp không hợp lệ)", "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx rồi gửi lại") from error
    return grids


def _password_protected() -> _Unreadable:
    return _Unreadable("", "Tệp được đặt mật khẩu, không đọc được", "Gỡ mật khẩu (Excel: Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _check_archive(data: bytes, limits: Limits) -> dict[str, dict[tuple[int, int], str]]:
    """Check a zip container without expanding it; return the formulas saved without a value.

    The usual archive (as Excel, LibreOffice and openpyxl write them) is read by
    ``_plain_members`` and ``_inflated``, a few times faster than zipfile. Anything
    else, or any doubt on the way (a damaged member, an unusual field), is checked
    again from the start with zipfile, which has the last word as before.

    Raises:
        _Unreadable: the archive is corrupt, expands past the limit, or is encrypted.
    """
    members = _plain_members(data)
    if members is not None:

        def read_plain(member: _Member) -> bytes:
            content = _inflated(data, member)
            if content is None:
                raise _NotPlain
            return content

        try:
            return _check_members(members, read_plain, limits)
        except _NotPlain:
            pass  # zipfile decides
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as error:  # noqa: BLE001 - zipfile raises many kinds on damaged bytes
        raise _Unreadable("", "Tệp bị hỏng, không mở được (cấu trúc nén không hợp lệ)", "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx rồi gửi lại") from error

    def read_member(member: zipfile.ZipInfo) -> bytes:
        content = _inflated(data, member)
        return archive.read(member) if content is None else content  # zipfile gives the bytes or raises

    return _check_members(members, read_member, limits)


def _check_members(members: list, read_member, limits: Limits) -> dict[str, dict[tuple[int, int], str]]:
    """The checks of ``_check_archive`` on an archive's members (``zipfile.ZipInfo`` or
    ``_Member``); ``read_member`` gives a member's bytes, its checksum checked."""
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise _Unreadable(f"{unpacked:,} byte", f"Tệp khi giải nén lớn {_megabytes(unpacked)}, vượt giới hạn {_megabytes(limits.max_unpacked_bytes)}; tệp không được mở", "Lưu lại tệp chỉ với bảng số liệu đăng ký (bỏ hình ảnh, trang tính thừa)")
    by_name = {member.filename: member for member in members}  # a repeated name: the last one, as zipfile
    names = set(by_name)
    try:
        # The checksum of every member the numbers are read from: a damaged byte must
        # reject the file, never change a number. (Pictures, themes and document
        # properties hold no number; reading them would only cost time.) The reader
        # (calamine) does not check them itself: a changed byte it can parse goes unnoticed.
        contents = {}
        for member in members:
            if member.filename.startswith(_MEMBERS_WITH_DATA) and not member.is_dir():
                contents[member.filename] = read_member(member)

        def read(name: str) -> bytes:
            return contents[name] if name in contents else read_member(by_name[name])

        if "META-INF/manifest.xml" in names and b"encryption-data" in read("META-INF/manifest.xml"):
            raise _password_protected()
        if "xl/workbook.xml" in names:
            return _formulas_without_values(read, names)
    except (_Unreadable, _NotPlain):
        raise
    except Exception as error:  # noqa: BLE001 - bad checksum, unknown compression, truncated data...
        raise _Unreadable("", "Tệp bị hỏng, không mở được (dữ liệu nén bị lỗi)", "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx rồi gửi lại") from error
    return {}


class _Member(NamedTuple):
    """A zip member as its central directory entry gives it (``zipfile.ZipInfo``'s names)."""

    filename: str
    orig_filename: str
    header_offset: int
    flag_bits: int
    compress_type: int
    CRC: int
    compress_size: int
    file_size: int

    def is_dir(self) -> bool:
        return self.filename.endswith("/")


class _NotPlain(Exception):
    """An archive the quick reading leaves to zipfile."""


def _plain_members(data: bytes) -> list[_Member] | None:
    """The members of a plain zip archive, exactly as zipfile would list them; None
    for anything this reading does not vouch for (zipfile then reads it).

    Plain: the end record is the last 22 bytes (no archive comment, no zip64), the
    central directory sits right before it and holds nothing but well-formed
    entries with short ASCII names. Within these bounds zipfile (3.11) finds the
    same entries with the same fields; the tests compare both on damaged files.
    """
    end = len(data) - _END_RECORD.size
    if end < _ZIP64_LOCATOR_SIZE or not data.startswith(b"PK\x05\x06", end) or data[-2:] != b"\0\0":
        return None
    if data.startswith(b"PK\x06\x07", end - _ZIP64_LOCATOR_SIZE):
        return None  # zip64
    directory_size, directory_start = _END_RECORD.unpack_from(data, end)[5:7]
    if directory_start + directory_size != end:
        return None  # bytes before the archive, or a damaged end record
    members = []
    position = directory_start
    while position < end:
        if position + _DIRECTORY_ENTRY.size > end:
            return None
        (signature, extract_version, flag_bits, compress_type, crc, compress_size, file_size,
         name_length, extra_length, comment_length, header_offset) = _DIRECTORY_ENTRY.unpack_from(data, position)
        name_start = position + _DIRECTORY_ENTRY.size
        position = name_start + name_length + extra_length + comment_length
        raw_name = data[name_start : name_start + name_length]
        if (
            signature != b"PK\x01\x02"
            or position > end
            or extract_version > zipfile.MAX_EXTRACT_VERSION
            or not raw_name
            or not raw_name.isascii()
            or b"\0" in raw_name
            or b"\\" in raw_name
            or 0xFFFFFFFF in (compress_size, file_size, header_offset)
            or not _well_formed_extra(data[name_start + name_length : name_start + name_length + extra_length])
        ):
            return None
        name = raw_name.decode("ascii")
        members.append(_Member(name, name, header_offset, flag_bits, compress_type, crc, compress_size, file_size))
    return members


def _well_formed_extra(extra: bytes) -> bool:
    """Extra fields zipfile reads without complaint (each one's length within the bytes)."""
    while len(extra) >= 4:
        length = int.from_bytes(extra[2:4], "little")
        if length + 4 > len(extra):
            return False
        extra = extra[length + 4 :]
    return True


def _inflated(data: bytes, member) -> bytes | None:
    """A member's bytes, its checksum checked; what zipfile would read, or None.

    The usual member (stored or deflated, not encrypted, an ASCII name, sizes and
    checksum as the central directory says) is decompressed with zlib directly:
    zipfile's layers of file objects are a large part of a file's time. Anything
    else, or any doubt, gives None: the caller leaves the member to zipfile, which
    reads it or raises as before. So a member is only accepted here when zipfile
    would accept it and give the same bytes.
    """
    offset = member.header_offset
    header = data[offset : offset + _LOCAL_HEADER_SIZE]
    if (
        len(header) != _LOCAL_HEADER_SIZE
        or not header.startswith(_LOCAL_HEADER_MAGIC)
        or member.flag_bits & _UNUSUAL_MEMBER_FLAGS
        or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        or not member.orig_filename.isascii()
    ):
        return None
    name_length, extra_length = _LOCAL_NAME_AND_EXTRA.unpack_from(header, 26)
    start = offset + _LOCAL_HEADER_SIZE + name_length
    # An ASCII name decodes to itself from both cp437 and utf-8: equal bytes, equal names.
    if data[offset + _LOCAL_HEADER_SIZE : start] != member.orig_filename.encode("ascii"):
        return None
    start += extra_length
    packed = data[start : start + member.compress_size]
    if len(packed) != member.compress_size:
        return None
    if member.compress_type == zipfile.ZIP_STORED:
        content = packed if member.compress_size == member.file_size else None
    else:
        # At most one byte more than announced: a member that lies about its size is
        # never expanded here (zip bomb); zipfile then reads it in bounded pieces.
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            content = inflater.decompress(packed, member.file_size + 1)
        except zlib.error:
            return None
        if not inflater.eof or len(content) != member.file_size:
            content = None
    if content is None or zlib.crc32(content) != member.CRC:
        return None
    return content


def _formulas_without_values(read, names: set[str]) -> dict[str, dict[tuple[int, int], str]]:
    """Cells of an .xlsx/.xlsm holding a formula but no saved result, by sheet name.

    Programs other than Excel (scripts, some exporters) save formulas without
    computing them; the reader would see a blank cell, that is a zero.
    ``read`` gives a member's bytes by name.
    """
    relations = _workbook_relations(read("xl/_rels/workbook.xml.rels")) if "xl/_rels/workbook.xml.rels" in names else {}
    found = {}
    for name, relation in _sheet_entries(read("xl/workbook.xml")):
        member = relations.get(relation or "")
        if name is None or member not in names:
            continue
        xml = read(member)
        if b"<f" not in xml:
            continue
        cells = {}
        for attributes, content in _formula_cells(xml):
            value = _CACHED_VALUE.search(content)
            is_text_result = b't="str"' in attributes
            if value is None or (not value.group(1) and not is_text_result):
                reference = _CELL_REFERENCE.search(attributes)
                formula = _FORMULA_TEXT.search(content)
                if reference:
                    column = _column_index(reference.group(1).decode())
                    text = html.unescape(formula.group(1).decode("utf-8", "replace")) if formula else ""
                    cells[(int(reference.group(2)) - 1, column)] = "=" + text
        if cells:
            found[name] = cells
    return found


# The two parsers below are cached by content: files made from one template share
# these members byte for byte. Both give immutable results.
@functools.lru_cache(maxsize=64)
def _workbook_relations(xml: bytes) -> types.MappingProxyType:
    """Relation id -> member name, from xl/_rels/workbook.xml.rels."""
    relations = {}
    for entry in _RELATIONSHIP.findall(xml):
        identifier, target = _attribute(entry, b"Id"), _attribute(entry, b"Target")
        if identifier and target:
            relations[identifier] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return types.MappingProxyType(relations)


@functools.lru_cache(maxsize=64)
def _sheet_entries(xml: bytes) -> tuple[tuple[str | None, str | None], ...]:
    """(name, relation id) of each sheet listed in xl/workbook.xml, in order."""
    return tuple((_attribute(entry, b"name"), _attribute(entry, b"r:id")) for entry in _SHEET_ENTRY.findall(xml))


def _formula_cells(xml: bytes):
    """(attributes, content) of each ``<c>`` holding an ``<f>``: found from the formulas,
    not by reading every cell of the sheet."""
    position = 0
    while True:
        found = _FORMULA_START.search(xml, position)
        if found is None:
            return
        start = xml.rfind(b"<c ", 0, found.start())
        end = xml.find(b"</c>", found.start())
        if start < 0 or end < 0:
            return
        match = _FORMULA_CELL.match(xml, start, end + 4)
        if match:
            yield match.group(1), match.group(2)
        position = end + 4


def _attribute(element: bytes, name: bytes) -> str | None:
    match = _attribute_pattern(name).search(element)
    return html.unescape(match.group(1).decode("utf-8")) if match else None


@functools.cache
def _attribute_pattern(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"\s" + re.escape(name) + rb'="([^"]*)"')


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _read_csv(data: bytes, stem: str) -> _Grid:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _Unreadable(data[max(error.start - 10, 0) : error.end + 10].decode("latin-1"), "Tệp CSV không dùng bảng mã UTF-8, chữ tiếng Việt sẽ bị sai", "Trong Excel chọn Lưu thành > \"CSV UTF-8 (phân cách bằng dấu phẩy)\", hoặc gửi tệp .xlsx") from error
    sample = text[:4096]
    delimiter = max((";", ",", "\t"), key=sample.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return _grid(stem, rows, [], {})


def _grid(sheet: str, rows: list[list[object]], merged, uncached: dict[tuple[int, int], str]) -> _Grid:
    cleaned = [_clean_row(row) for row in rows]
    for (row, column), formula in uncached.items():
        while len(cleaned) <= row:
            cleaned.append([])
        line = cleaned[row]
        while len(line) <= column:
            line.append(None)
        line[column] = formula
    return _Grid(sheet, cleaned, list(merged), uncached)


# ---------------------------------------------------------------- tables


def _header_vocabulary(aliases: pd.DataFrame) -> dict[str, str]:
    headers = aliases[aliases["kind"] == "header"]
    return {text_key(alias): role for alias, role in zip(headers["alias"], headers["code"])}


def _read_tables(grid: _Grid, file_name: str, file_stem: str, vocabulary: dict[str, str]) -> list[dict[str, list]]:
    """Every table of a sheet, top to bottom, each as RawCell columns (lists of equal
    length); the first table's title block also serves those below."""
    known = _known_roles(vocabulary)
    naming = _naming_texts(grid.rows, known)
    tables, start, sheet_title = [], 0, []
    while start < len(grid.rows):
        header_row, roles = _find_header(grid.rows, start, known, naming)
        if header_row is None:
            break
        title_rows = _title_rows(grid.rows, start, header_row)
        columns, end = _read_table(grid, header_row, roles, title_rows, sheet_title, file_name, file_stem, known, naming)
        tables.append(columns)
        sheet_title = sheet_title or title_rows
        start = max(end, header_row + 1)
    return tables


def _read_table(grid: _Grid, header_row: int, roles: dict[str, int], title_rows, sheet_title, file_name, file_stem, known: _KnownRoles, naming: frozenset[str]):
    """One table: its cells as RawCell columns (lists), and the row where reading stopped.

    The columns are built directly, not as a record per cell: what varies by row is
    kept once per row, what is the same for the whole table once per table.
    """
    rows = grid.rows
    uncached = grid.uncached
    labels, first_data_row = _column_labels(rows, header_row, roles, grid.merged, known)
    lines = [text for _, _, text in title_rows]
    title = " | ".join(lines + [text for _, _, text in sheet_title])
    year = _find_year(lines, [text for _, _, text in sheet_title], grid.sheet, file_stem)
    title_unit, title_unit_cell = _find_unit_line(title_rows or sheet_title)

    unit_column = roles.get("unit")
    topic_column = roles.get("topic")
    note_column = roles.get("note")
    code_column = roles.get("code")
    label_columns = [c for c in (roles.get("stt"), unit_column, topic_column, code_column) if c is not None]
    count_columns = [column for column, label in labels.items() if label is not False]
    every_column_labelled = all(labels[column] is not None for column in count_columns)
    if first_data_row < len(rows) and _is_numbering_row(rows[first_data_row]):
        first_data_row += 1
    # Rows shorter than the columns read (CSV lines, a formula cell put past the end)
    # are padded with blanks, so that every cell can be indexed.
    width = max(count_columns + label_columns, default=-1) + 1
    count_values_of, label_values_of = _values_at(count_columns), _values_at(label_columns)

    # Per cell, in reading order: its row, its column and its value.
    cell_rows: list[int] = []
    cell_columns: list[int] = []
    cell_values: list[object] = []
    # Per cell too, but the same for every cell of a row: extended a row at a time.
    unit_labels: list[str | None] = []
    unit_cells: list[str | None] = []
    topic_labels: list[str | None] = []
    topic_cells: list[str] = []
    topic_codes: list[str | None] = []
    totals: list[bool] = []
    running: dict[int, float] = {}
    has_data = after_total = table_over = False
    end = len(rows)
    last_row = first_data_row - 1
    for index in range(first_data_row, len(rows)):
        row = rows[index]
        if len(row) < width:
            row = row + [None] * (width - len(row))
        if index > first_data_row and _is_header_row(row, naming):
            # The next table's header: its title block starts after this table's last number.
            end = last_row + 1
            # Cells are in row order: those of the rows after the last number are the tail.
            kept = bisect.bisect_right(cell_rows, last_row)
            for cells in (cell_rows, cell_columns, cell_values, unit_labels, unit_cells, topic_labels, topic_cells, topic_codes, totals):
                del cells[kept:]
            break
        values = count_values_of(row)
        filled = values.count(None) < len(values)  # no value equals None but None itself
        numeric = [
            column
            for column, value in zip(count_columns, values)
            if value is not None and (value.__class__ in _NUMBER_TYPES or _has_number(value) or (index, column) in uncached)
        ]
        label_texts = [str(value) for value in label_values_of(row) if value is not None]
        if not label_texts and not filled:
            continue
        if not numeric and (table_over or _is_footer(row, note_column)):
            table_over = True  # signatures, date and notes under the table: never numbers
            continue
        if not numeric and (not label_texts or (after_total and not filled)):
            continue  # stray text beside the table, or a name under the total: no number to lose
        is_total = "total" in map(known.__getitem__, label_texts)  # any label a total's
        if not label_texts and has_data and _equals_running_sums(row, numeric, running):
            is_total = True  # a total row typed without its label
        if numeric:
            last_row = index
        if is_total:
            after_total = after_total or has_data
        else:
            has_data = True
            for column in numeric:
                value = row[column]
                if value.__class__ is int:
                    number, ok = float(value), True  # parse_headcount of an int, without the call
                else:
                    number, ok = parse_headcount(value)
                if ok and number == number:
                    running[column] = running.get(column, 0.0) + number
        if every_column_labelled:
            read = count_columns
            read_values = values
        else:
            read = [column for column, value in zip(count_columns, values) if value is not None or labels[column] is not None]
            read_values = [row[column] for column in read]
        count = len(read)
        cell_rows += [index] * count
        cell_columns += read
        cell_values += read_values
        unit_labels += [_text(row[unit_column]) if unit_column is not None else _text(title_unit)] * count
        unit_cells += [cell_address(index, unit_column) if unit_column is not None else title_unit_cell] * count
        if topic_column is not None:
            topic_labels += [_text(row[topic_column])] * count
            topic_cells += [cell_address(index, topic_column)] * count
            topic_codes += [_text(row[code_column]) if code_column is not None else None] * count
        totals += [is_total] * count

    column_labels = {column: labels[column] or "(cột không có tiêu đề)" for column in count_columns}
    header_cells = {column: cell_address(header_row, column) for column in count_columns}
    column_keys = {column: f"{grid.sheet}!{header_row}!{column}" for column in count_columns}
    size = len(cell_rows)
    level_labels = [column_labels[column] for column in cell_columns]
    columns = {
        "source_file": [file_name] * size,
        "source_sheet": [grid.sheet] * size,
        "source_cell": [cell_address(row, column) for row, column in zip(cell_rows, cell_columns)],
        "row_number": [row + 1 for row in cell_rows],
        "column_key": [column_keys[column] for column in cell_columns],
        "year": [year] * size,
        "unit_label": unit_labels,
        "unit_cell": unit_cells,
        # No topic column: the column header names the topic.
        "topic_label": list(level_labels) if topic_column is None else topic_labels,
        "topic_cell": [header_cells[column] for column in cell_columns] if topic_column is None else topic_cells,
        "topic_in_column": [topic_column is None] * size,
        "topic_code": [None] * size if topic_column is None else topic_codes,
        "level_label": level_labels,
        "header_cell": [header_cells[column] for column in cell_columns],
        "title": [title] * size,
        "value": cell_values,
        "is_total": totals,
        "is_formula_without_value": [(row, column) in uncached for row, column in zip(cell_rows, cell_columns)] if uncached else [False] * size,
    }
    return columns, end


def _values_at(columns: list[int]):
    """A function giving the values of a row in these columns, as a tuple
    (``operator.itemgetter``, which gives a bare value for one column)."""
    if len(columns) >= 2:
        return operator.itemgetter(*columns)
    return lambda row: tuple(row[column] for column in columns)


def _find_header(rows: list[list[object]], start: int, known: _KnownRoles, naming: frozenset[str]):
    for index in range(start, min(len(rows), start + _HEADER_SEARCH_ROWS)):
        if _is_header_row(rows[index], naming):
            return index, _header_roles(rows[index], known)
    return None, {}


def _naming_texts(rows: list[list[object]], known: _KnownRoles) -> frozenset[str]:
    """The texts of a sheet that name a unit or topic column ("Đơn vị", "Nội dung"...),
    not a form line's label ("Đơn vị:"); found once for the sheet, so that telling
    a header row takes one set test per row."""
    distinct = set(itertools.chain.from_iterable(rows))
    return frozenset(
        text for text in distinct if isinstance(text, str) and known[text] in _NAMING_ROLES and not text.rstrip().endswith(":")
    )


def _is_header_row(row: list[object], naming: frozenset[str]) -> bool:
    """A row naming a unit or topic column, not a form line such as "Đơn vị: | Xã An Lão".

    ``naming``: the sheet's ``_naming_texts``. (Cell values are text, numbers,
    dates or None, all hashable; only a text equals a text.)
    """
    return not naming.isdisjoint(row) and len(row) - row.count(None) >= 2  # no value equals None but None itself


def _header_roles(row: list[object], known: _KnownRoles) -> dict[str, int]:
    roles: dict[str, int] = {}
    for column, value in enumerate(row):
        if not isinstance(value, str) or value.rstrip().endswith(":"):
            continue  # only text names a role (``_role``)
        role = known[value]
        if role in _LABEL_ROLES and role not in roles:
            roles[role] = column
    return roles


def _title_rows(rows, start: int, header_row: int) -> list[tuple[int, int, str]]:
    """(row, first column, text) of every title line above a header."""
    found = []
    for index in range(start, header_row):
        texts = [(column, str(value)) for column, value in enumerate(rows[index]) if isinstance(value, str)]
        if texts:
            found.append((index, texts[0][0], " ".join(text for _, text in texts)))
    return found


def _column_labels(rows, header_row, roles, merged, known: _KnownRoles):
    """Label of every column right of the row labels; a second header row is folded in.

    A column whose header is a note, a total or another non-count column is
    labelled ``False``: it is not read.
    """
    header = _expand_merged(rows, header_row, merged)
    width = max(len(row) for row in rows[header_row : header_row + 2])
    label_columns = set(roles.values())
    first_data_row = header_row + 1
    sub = None
    if header_row + 1 < len(rows):
        typed = rows[header_row + 1]  # as typed: a label column merged down from the header is empty here
        texts = [v for c, v in enumerate(typed) if v is not None and c not in label_columns]
        row_labels = [_at(typed, c) for c in label_columns]
        if (
            texts
            and all(isinstance(v, str) and not _looks_numeric(v) for v in texts)
            and all(v is None for v in row_labels)
            and not _is_numbering_row(typed)
        ):
            sub = _expand_merged(rows, header_row + 1, merged)
            first_data_row = header_row + 2
    labels: dict[int, str | None | bool] = {}
    parent_carry = None
    for column in range(width):
        if column in label_columns:
            parent_carry = None
            continue
        parent = _at(header, column)
        child = _at(sub, column) if sub is not None else None
        if parent is None and child is not None and parent_carry is not None:
            parent = parent_carry  # an unmerged "Số lượng dự kiến" spanning level columns
        parent_carry = parent if child is not None else None
        if (isinstance(parent, str) and known[parent] in _NOT_COUNT_ROLES) or (isinstance(child, str) and known[child] in _NOT_COUNT_ROLES):
            labels[column] = False
            continue
        parts = [str(p) for p in (parent, child) if p is not None]
        labels[column] = " ".join(parts) if parts else None
    return labels, first_data_row


def _expand_merged(rows, row_index, merged):
    row = list(rows[row_index]) if row_index < len(rows) else []
    for (top, left), (bottom, right) in merged:
        if top <= row_index <= bottom:
            value = _at(rows[top], left) if top < len(rows) else None
            while len(row) <= right:
                row.append(None)
            for column in range(left, right + 1):
                row[column] = value
    return row


def _find_year(lines: list[str], sheet_lines: list[str], sheet: str, file_stem: str) -> int | None:
    """The plan's year: "NĂM 2026" in the title block, else the sheet name, else the file name.

    Date lines ("Hải Phòng, ngày 5 tháng 12 năm 2025") give the day a file was
    signed, not the plan's year; they are not used. "(Kèm theo ... năm 2024)"
    lines come after the other title lines.
    """
    for group in (lines, sheet_lines):
        ordered = [line for line in group if not line.lstrip().startswith("(")]
        ordered += [line for line in group if line.lstrip().startswith("(")]
        for line in ordered:
            for part in line.split(" | "):
                text = unicodedata.normalize("NFC", part).casefold()
                if _DATE_LINE.search(text) and not part.lstrip().startswith("("):
                    continue
                match = _YEAR_IN_TITLE.search(text)
                if match and 2000 <= int(match.group(1)) <= 2100:
                    return int(match.group(1))
    for name in (sheet, file_stem):
        years = set(_YEAR_IN_NAME.findall(name))
        if len(years) == 1:
            return int(years.pop())
    return None


def _find_unit_line(title_rows: list[tuple[int, int, str]]) -> tuple[str | None, str | None]:
    """The unit named in a title line such as "Đơn vị: UBND xã An Lão", and that line's cell."""
    for row, column, line in title_rows:
        match = _UNIT_LINE.match(unicodedata.normalize("NFC", line))
        if match:
            return match.group(1), cell_address(row, column)
    return None, None


# ---------------------------------------------------------------- rows and cells


def _clean(value: object) -> object:
    """Empty strings and whitespace become None, text is stripped, whole floats become ints."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the readers give every number as a float
    return value


def _clean_row(row: list[object]) -> list[object]:
    """``_clean`` of every value of a row. Text and floats, nearly every cell a reader
    gives, are cleaned inline: a function call per cell was most of the time."""
    return [
        (value.strip() or None) if value.__class__ is str
        else (int(value) if value.is_integer() else value) if value.__class__ is float
        else _clean(value)
        for value in row
    ]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _at(row, column):
    if row is None or column is None or column >= len(row):
        return None
    return row[column]


def _role(value: object, vocabulary: dict[str, str]) -> str | None:
    """The header role of a label: exact alias, the alias before a bracket, or "Tổng số ..."."""
    if not isinstance(value, str):
        return None
    key = text_key(value)
    role = vocabulary.get(key)
    if role is None and "(" in value:
        role = vocabulary.get(text_key(value.split("(", 1)[0]))
    if role is None and " " in key:
        words = key.split()
        # "Tổng số toàn huyện", "Cộng khối quận": a total's label followed by what it covers.
        role = "total" if "total" in (vocabulary.get(" ".join(words[:2])), vocabulary.get(words[0])) else None
    return role


class _KnownRoles(dict):
    """Text -> ``_role(text, vocabulary)``, worked out once per text and remembered.

    A cache: the same labels (headers, topics, units) recur on every row and in
    every file, and each answer costs a text key. Only text is looked up (``_role``
    of anything else is None).
    """

    def __init__(self, vocabulary: dict[str, str]):
        super().__init__()
        self.vocabulary = vocabulary

    def __missing__(self, text: str) -> str | None:
        role = self[text] = _role(text, self.vocabulary)
        return role


_KNOWN_ROLES: dict[frozenset, _KnownRoles] = {}
_KNOWN_ROLES_SIZE = 1 << 16


def _known_roles(vocabulary: dict[str, str]) -> _KnownRoles:
    """The remembered roles for this vocabulary (by its content: a copy is kept, so
    a caller changing its dict later gets other roles, never stale ones)."""
    key = frozenset(vocabulary.items())
    known = _KNOWN_ROLES.get(key)
    if known is None or len(known) > _KNOWN_ROLES_SIZE:
        if len(_KNOWN_ROLES) >= 8:
            _KNOWN_ROLES.clear()
        known = _KNOWN_ROLES[key] = _KnownRoles(dict(vocabulary))
    return known


def _looks_numeric(text: str) -> bool:
    return bool(_NUMERIC_TEXT.fullmatch(text))


_NUMERIC_TEXT = re.compile(r"[-+]?[\d.,\s]+")


def _has_number(value: object) -> bool:
    """A value that is a number, or text typed as one; blanks and dashes are not."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    number, ok = parse_headcount(value)
    return ok and not (isinstance(value, str) and value.strip() in ("-", "–", "—", "--"))


def _equals_running_sums(row: list[object], numeric: list[int], running: dict[int, float]) -> bool:
    if not numeric:
        return False
    sums = []
    for column in numeric:
        number, ok = parse_headcount(row[column])
        if not ok or number != running.get(column, 0.0):
            return False
        sums.append(number)
    return any(sums)


def _is_footer(row: list[object], note_column: int | None) -> bool:
    return any(
        isinstance(value, str) and column != note_column and _FOOTER.search(unicodedata.normalize("NFC", value).casefold())
        for column, value in enumerate(row)
    )


def _is_numbering_row(row) -> bool:
    """A row "(1) (2) (3)...", "A B 1 2 3" or "1 2 3=1+2" that numbers the columns under a header."""
    filled = [column for column, value in enumerate(row) if value is not None]
    if not filled or len(filled) != filled[-1] - filled[0] + 1:
        return False  # a numbering row has no gap; "1 | (blank) | 2 | 3" is a data row
    values = [v for v in row if v is not None]
    numbers = []
    for value in values:
        text = str(value)
        match = _NUMBERING_CELL.match(text)
        if not match:
            return False
        if match.group(1).isdigit():
            numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _problem(file, sheet, cell, value, problem, fix, severity="lỗi") -> dict:
    return {"file": file, "sheet": sheet, "cell": cell, "value": str(value), "problem": problem, "fix": fix, "severity": severity}


_RAW_COLUMNS = list(schemas.RawCell.to_schema().columns)
_NUMBER_TYPES = (int, float)  # exactly these: a bool is no headcount
_RAW_TYPES = {"year": "Int64", "value": object, "is_total": bool, "topic_in_column": bool, "is_formula_without_value": bool}


def _column_array(column: str, values: list) -> object:
    """A RawCell column made in its ``_RAW_TYPES`` type at once (flags as a bool
    array, the year as Int64); the others as objects, values as typed."""
    dtype = _RAW_TYPES.get(column, object)
    if dtype is bool:
        return np.array(values, dtype=bool)
    if dtype == "Int64":
        return pd.array(values, dtype="Int64")
    return pd.Series(values, dtype=object)


def _empty_cells() -> pd.DataFrame:
    frame = pd.DataFrame({column: [] for column in schemas.RawCell.to_schema().columns})
    return frame.astype(_RAW_TYPES | {"row_number": int})

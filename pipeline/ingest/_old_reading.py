"""Reading a file into cell grids: the checks before a file is opened (size, archive,
password, content) and the reader. (Interim: to be replaced by the standard-library reading.)"""

from __future__ import annotations

import csv
import functools
import html
import io
import re
import struct
import types
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

import python_calamine

from pipeline.ingest.grid import Grid, Limits, Unreadable

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")

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




def read_grids(path: Path, inputs_root: Path, limits: Limits = Limits()) -> list[Grid]:
    return _read_grids(path, limits)


def _read_grids(path: Path, limits: Limits) -> list[_Grid]:
    """Every worksheet of a file as rows of cleaned values.

    Raises:
        Unreadable: the file is empty, too big, corrupt, encrypted or no spreadsheet.
    """
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise Unreadable(path.name, f"Tệp \"{path.name}\" không phải bảng tính", "Gửi tệp .xlsx, .xls, .ods hoặc .csv")
    size = path.stat().st_size
    if size == 0:
        raise Unreadable("0 byte", "Tệp rỗng (0 byte)", "Gửi lại tệp có số liệu")
    if size > limits.max_file_bytes:
        raise Unreadable(f"{size:,} byte", f"Tệp quá lớn: {_megabytes(size)}, giới hạn {_megabytes(limits.max_file_bytes)}", "Xóa các trang tính, hình ảnh không cần thiết hoặc tách thành nhiều tệp nhỏ hơn")
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
        raise Unreadable(data[:40].decode("utf-8", "replace").strip(), f"Tệp có đuôi {suffix} nhưng nội dung là {kind}", "Mở tệp bằng Excel và lưu lại dạng Excel Workbook (.xlsx)")
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = []
        for metadata in workbook.sheets_metadata:
            if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(metadata.name)
            grids.append(_grid(metadata.name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or [], uncached.get(metadata.name, {}), metadata.visible != python_calamine.SheetVisibleEnum.Visible))
        workbook.close()
    except python_calamine.PasswordError as error:
        raise _password_protected() from error
    except Exception as error:  # noqa: BLE001 - any reader failure means a corrupt file
        raise Unreadable("", f"Tệp bị hỏng, không mở được ({type(error).__name__}: {str(error)[:120]})", "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx rồi gửi lại") from error
    except BaseException as error:
        # The reader stops on some damaged files with a Rust panic, which Python sees as
        # pyo3's PanicException: a BaseException, not an Exception. It is a corrupt file too.
        if type(error).__name__ != "PanicException":
            raise
        raise Unreadable("", "Tệp bị hỏng, không mở được (cấu trúc tệp không hợp lệ)", "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx rồi gửi lại") from error
    return grids


def _password_protected() -> Unreadable:
    return Unreadable("", "Tệp được đặt mật khẩu, không đọc được", "Gỡ mật khẩu (Excel: Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _check_archive(data: bytes, limits: Limits) -> dict[str, dict[tuple[int, int], str]]:
    """Check a zip container without expanding it; return the formulas saved without a value.

    The usual archive (as Excel, LibreOffice and openpyxl write them) is read by
    ``_plain_members`` and ``_inflated``, a few times faster than zipfile. Anything
    else, or any doubt on the way (a damaged member, an unusual field), is checked
    again from the start with zipfile, which has the last word as before.

    Raises:
        Unreadable: the archive is corrupt, expands past the limit, or is encrypted.
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
        raise Unreadable("", "Tệp bị hỏng, không mở được (cấu trúc nén không hợp lệ)", "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx rồi gửi lại") from error

    def read_member(member: zipfile.ZipInfo) -> bytes:
        content = _inflated(data, member)
        return archive.read(member) if content is None else content  # zipfile gives the bytes or raises

    return _check_members(members, read_member, limits)


def _check_members(members: list, read_member, limits: Limits) -> dict[str, dict[tuple[int, int], str]]:
    """The checks of ``_check_archive`` on an archive's members (``zipfile.ZipInfo`` or
    ``_Member``); ``read_member`` gives a member's bytes, its checksum checked."""
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise Unreadable(f"{unpacked:,} byte", f"Tệp khi giải nén lớn {_megabytes(unpacked)}, vượt giới hạn {_megabytes(limits.max_unpacked_bytes)}; tệp không được mở", "Lưu lại tệp chỉ với bảng số liệu đăng ký (bỏ hình ảnh, trang tính thừa)")
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
    except (Unreadable, _NotPlain):
        raise
    except Exception as error:  # noqa: BLE001 - bad checksum, unknown compression, truncated data...
        raise Unreadable("", "Tệp bị hỏng, không mở được (dữ liệu nén bị lỗi)", "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx rồi gửi lại") from error
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
            raise Unreadable(data[max(error.start - 10, 0) : error.end + 10].decode("latin-1"), "Tệp CSV không dùng bảng mã UTF-8, chữ tiếng Việt sẽ bị sai", "Trong Excel chọn Lưu thành > \"CSV UTF-8 (phân cách bằng dấu phẩy)\", hoặc gửi tệp .xlsx") from error
    sample = text[:4096]
    delimiter = max((";", ",", "\t"), key=sample.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    grid = _grid(stem, rows, [], {})
    return Grid(grid.sheet, grid.rows, delimiter=delimiter)


def _grid(sheet: str, rows: list[list[object]], merged, uncached: dict[tuple[int, int], str], is_hidden: bool = False) -> Grid:
    cleaned = [_clean_row(row) for row in rows]
    for (row, column), formula in uncached.items():
        while len(cleaned) <= row:
            cleaned.append([])
        line = cleaned[row]
        while len(line) <= column:
            line.append(None)
        line[column] = formula
    return Grid(sheet, cleaned, list(merged), is_hidden=is_hidden, uncached=uncached)


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



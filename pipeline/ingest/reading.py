"""Reading a spreadsheet file safely into cell grids.

One public verb, ``read_grids``: a file under the inputs folder in, every
worksheet out as rows of cleaned values (``Grid``), with what the reader alone
would lose: Excel error values (``CellError``), formulas saved without a value,
hidden rows, columns and sheets, the merged cells of an .ods, the separator of a
CSV. Anything that cannot be read whole raises ``Unreadable`` with a message for
the validation report; nothing is guessed.

The file is checked before it is opened: it must lie inside the inputs folder
(a symbolic link out of it is never followed), have a size within the limits,
and its content must be the spreadsheet it claims to be. An archive (.xlsx,
.xlsm, .ods) is checked with ``zipfile``: every part the cells are read from is
decompressed in bounded pieces, its checksum verified, and the total stopped
at the limit whatever the headers declare. Only then does python-calamine read
the cells; the parts already in hand are scanned for what it does not report.
"""

from __future__ import annotations

import codecs
import csv
import functools
import html
import io
import logging
import os
import posixpath
import re
import stat
import struct
import types
import zipfile
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import python_calamine
import xlrd

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")

_LOG = logging.getLogger("pipeline")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_HTML = re.compile(rb"<\s*(html|table|!doctype)", re.IGNORECASE)
_PIECE_BYTES = 1 << 20  # what one call may decompress
_CSV_SAMPLE_CHARACTERS = 1 << 16
_CSV_DELIMITERS = ("\t", ";", ",")  # on a tie the first: a tab or ";" is rarely typed inside a value, a comma often is
_PARTS_WITH_CELLS = ("xl/worksheets/", "xl/sharedstrings", "xl/workbook", "xl/styles", "xl/_rels/", "_rels/.rels", "content.xml", "styles.xml", "meta-inf/manifest.xml")
_UNKNOWN_ERROR = "#LỖI"  # an error value whose code the file does not give


@dataclass(frozen=True)
class Limits:
    """How big an input may be; checked before the spreadsheet reader is given the file.

    ``max_sheet_cells`` bounds a sheet's area from A1 to its farthest written cell:
    the reader sets aside memory for every cell of that rectangle, so one stray
    value in the sheet's last cell (XFD1048576) would ask for hundreds of gigabytes.
    """

    max_file_bytes: int = 20 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_sheet_cells: int = 2_000_000


@dataclass(frozen=True)
class CellError:
    """An Excel error value saved in a cell ("#REF!", "#DIV/0!", "#N/A"...): not a number, not a blank."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Grid:
    """One worksheet as the clerk sees it.

    ``rows`` hold cleaned values: text stripped (empty text is None), whole
    numbers as int, other numbers as float, dates and times as the reader gives
    them, bool, ``CellError`` for an error cell, and the formula text "=..." for
    a formula saved without a value (also listed in ``uncached``). Positions
    (merged ranges, hidden rows and columns, ``uncached`` keys) are zero-based
    (row, column) of ``rows``; hidden rows and columns beyond the cells read are
    left out.
    """

    sheet: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    is_hidden: bool = False
    uncached: Mapping[tuple[int, int], str] = field(default_factory=lambda: types.MappingProxyType({}))
    delimiter: str | None = None


class Unreadable(Exception):
    """A file that cannot be read: the value, problem and fix for the validation report (Vietnamese)."""

    def __init__(self, value: str, problem: str, fix: str):
        super().__init__(problem)
        self.value, self.problem, self.fix = value, problem, fix


def read_grids(path: Path, inputs_root: Path, limits: Limits = Limits()) -> list[Grid]:
    """Every worksheet of the file (chart sheets skipped), in workbook order.

    Args:
        path: the file, inside ``inputs_root`` (possibly through links that stay inside).
        inputs_root: the inputs folder; nothing outside it is opened.
        limits: the largest file and the largest total of decompressed parts.

    Raises:
        Unreadable: the file lies outside the inputs folder, is empty, too big,
            damaged, password-protected, or no spreadsheet.
    """
    try:
        target = _target_inside(path, inputs_root)
        suffix = path.suffix.lower()
        if suffix not in SPREADSHEET_SUFFIXES:
            raise Unreadable(path.name, f"Tệp \"{path.name}\" không phải bảng tính", "Gửi tệp .xlsx, .xls, .ods hoặc .csv")
        data = _read_bytes(target, limits)
        if data.startswith(_ZIP_MAGIC):
            return _read_archive(data, suffix, limits)
        if data.startswith(_OLE_MAGIC):
            return _read_ole(data, limits)
        if suffix == ".csv":
            return [_read_csv(data, path.stem)]
        raise _not_a_spreadsheet(data, suffix)
    except Unreadable as unreadable:
        cause = unreadable.__cause__
        if cause is not None:  # the library's own words, for whoever reads the log
            _LOG.info("%s: %s (%s: %s)", path, unreadable.problem, type(cause).__name__, cause)
        raise


# ---------------------------------------------------------------- the file itself


def _target_inside(path: Path, inputs_root: Path) -> str:
    """The real path of ``path``, which must lie inside the inputs folder.

    Only the path is resolved (``os.path.realpath`` reads links, never opens
    what they point to): a link leading out of the inputs folder is refused
    before anything is read through it. A link that stays inside may be read.
    """
    root = os.path.realpath(inputs_root)
    target = os.path.realpath(path)
    if target.startswith(root.rstrip(os.sep) + os.sep):
        return target
    link = _first_link(path, inputs_root)
    fix = "Chép chính tệp đó vào thư mục đầu vào thay cho liên kết, rồi chạy lại"
    if link is None:
        raise Unreadable(str(path), f"Tệp \"{path.name}\" nằm ngoài thư mục đầu vào; tệp không được mở", "Chỉ đặt tệp đăng ký trong thư mục đầu vào")
    name = link.relative_to(inputs_root).as_posix() if link.is_relative_to(inputs_root) else str(link)
    if link == path:
        raise Unreadable(name, f"Tệp \"{name}\" là liên kết trỏ ra ngoài thư mục đầu vào; tệp không được mở", fix)
    raise Unreadable(name, f"Thư mục \"{name}\" là liên kết trỏ ra ngoài thư mục đầu vào; tệp \"{path.name}\" trong đó không được mở", fix)


def _first_link(path: Path, inputs_root: Path) -> Path | None:
    """The first symbolic link on the way from the inputs folder to ``path``, if any."""
    try:
        parts = path.relative_to(inputs_root).parts
    except ValueError:
        return path if path.is_symlink() else None
    current = inputs_root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def _read_bytes(target: str, limits: Limits) -> bytes:
    """The file's bytes, its size checked first; never through a link swapped in since it was checked."""
    try:
        status = os.lstat(target)
        if not stat.S_ISREG(status.st_mode):
            name = os.path.basename(target)
            raise Unreadable(name, f"\"{name}\" không phải là tệp thông thường nên không được mở", "Chỉ đặt các tệp bảng tính trong thư mục đầu vào")
        _check_size(status.st_size, limits)
        descriptor = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as error:
        raise Unreadable("", "Không mở được tệp để đọc (không có quyền đọc, hoặc tệp vừa bị xóa hay đổi tên)", "Kiểm tra tệp còn trong thư mục đầu vào và tài khoản chạy chương trình có quyền đọc, rồi chạy lại") from error
    _check_size(len(data), limits)  # the file may have changed since
    return data


def _check_size(size: int, limits: Limits) -> None:
    if size == 0:
        raise Unreadable("0 byte", "Tệp rỗng (0 byte)", "Gửi lại tệp có số liệu")
    if size > limits.max_file_bytes:
        raise Unreadable(f"{size:,} byte", f"Tệp quá lớn: {_megabytes(size)}, giới hạn {_megabytes(limits.max_file_bytes)}", "Xóa các trang tính, hình ảnh không cần thiết hoặc tách thành nhiều tệp nhỏ hơn")


def _not_a_spreadsheet(data: bytes, suffix: str) -> Unreadable:
    content = "là trang web (HTML)" if _HTML.search(data[:2048]) else "không phải là bảng tính"
    return Unreadable(data[:40].decode("utf-8", "replace").strip(), f"Tệp có đuôi {suffix} nhưng nội dung {content}", "Mở tệp bằng Excel và lưu lại dạng Excel Workbook (.xlsx)")


def _password_protected() -> Unreadable:
    return Unreadable("", "Tệp được đặt mật khẩu, không đọc được", "Gỡ mật khẩu (Excel: Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại")


def _corrupt(detail: str = "cấu trúc tệp không hợp lệ") -> Unreadable:
    return Unreadable("", f"Tệp bị hỏng, không mở được ({detail})", "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx rồi gửi lại")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


# ---------------------------------------------------------------- archives: .xlsx, .xlsm, .ods


@dataclass
class _SheetDetails:
    """What the reader does not report about a sheet, as found in the file's own parts.

    Ranges are ((first row, row count), (first column, column count)) and are
    expanded only within the cells read: a sheet may hide a million empty rows.
    """

    errors: list[tuple[tuple[int, int], tuple[int, int], CellError]] = field(default_factory=list)
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: list[tuple[int, int]] = field(default_factory=list)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None  # None: the reader's own
    extent: tuple[int, int] = (0, 0)  # rows and columns from A1 to the farthest cell written


def _read_archive(data: bytes, suffix: str, limits: Limits) -> list[Grid]:
    parts, names = _checked_parts(data, limits)
    try:
        if "content.xml" in parts:
            details = _ods_details(parts["content.xml"])
        else:
            details = _xlsx_details(parts, names, suffix)
    except Unreadable:
        raise
    except Exception as error:  # noqa: BLE001 - malformed XML in a part whose checksum was right
        raise _corrupt() from error
    del parts
    return _workbook_grids(data, details, limits)


def _checked_parts(data: bytes, limits: Limits) -> tuple[dict[str, bytes], set[str]]:
    """The parts cells are read from, by name, each decompressed in bounded pieces and
    checksummed; and the names of all the archive's members.

    ``zipfile`` itself stops a part at the size its header declares; the running
    total below stops the whole archive at the limit in any case, so that
    memory stays bounded for any input.

    Raises:
        Unreadable: a damaged archive or part, a part encrypted, or more to unpack than the limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as error:  # noqa: BLE001 - zipfile raises many kinds on damaged bytes
        raise _corrupt("cấu trúc nén không hợp lệ") from error
    declared = sum(member.file_size for member in members)
    if declared > limits.max_unpacked_bytes:
        raise Unreadable(f"{declared:,} byte", f"Tệp khi giải nén lớn {_megabytes(declared)}, vượt giới hạn {_megabytes(limits.max_unpacked_bytes)}; tệp không được mở", "Lưu lại tệp chỉ với bảng số liệu đăng ký (bỏ hình ảnh, trang tính thừa)")
    names = Counter(member.filename for member in members)
    if any(count > 1 for count in names.values()):
        raise _corrupt("cấu trúc nén không hợp lệ")  # two parts of one name: readers would disagree on which is read
    wanted = [member for member in members if _holds_cells(member.filename)]
    if any(member.flag_bits & 0x1 for member in wanted):
        raise _password_protected()
    # The manifest first: an encrypted .ods is refused for its password, not for its scrambled parts.
    wanted.sort(key=lambda member: member.filename != "META-INF/manifest.xml")
    budget = _Budget(limits.max_unpacked_bytes)
    parts = {}
    try:
        for member in wanted:
            parts[member.filename] = _decompressed(archive, member, budget)
            if member.filename == "META-INF/manifest.xml" and b"encryption-data" in parts[member.filename]:
                raise _password_protected()
    except Unreadable:
        raise
    except Exception as error:  # noqa: BLE001 - bad checksum, unknown compression, truncated data...
        raise _corrupt("dữ liệu nén bị lỗi") from error
    return parts, set(names)


def _check_extent(sheet: str, extent: tuple[int, int], limits: Limits) -> None:
    """Refuse a sheet whose written cells span more than the reader may set aside."""
    rows, columns = extent
    if rows * columns > limits.max_sheet_cells:
        address = f"{_column_letters(columns - 1)}{rows}"
        raise Unreadable(address, f"Trang tính \"{sheet}\" có ô ở tận {address}: vùng cần đọc {rows:,} dòng × {columns:,} cột, vượt giới hạn {limits.max_sheet_cells:,} ô; tệp không được mở", "Xóa các ô nằm ngoài bảng số liệu (trong Excel nhấn Ctrl+End để tìm ô cuối cùng), lưu lại rồi gửi lại")


def _column_letters(index: int) -> str:
    """Zero-based column index -> its letters ("A", "Z", "AA"...)."""
    letters = ""
    index += 1
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _holds_cells(name: str) -> bool:
    """A part the cells, their formats or the sheets' order are read from. A damaged
    picture, theme or document property changes no number; those parts are only
    counted in the size."""
    return name.lower().startswith(_PARTS_WITH_CELLS)


class _Budget:
    """The bytes an archive may still unpack."""

    def __init__(self, limit: int):
        self.limit, self.left = limit, limit

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise Unreadable(f"hơn {self.limit:,} byte", f"Tệp khi giải nén lớn hơn giới hạn {_megabytes(self.limit)}; tệp không được đọc tiếp", "Lưu lại tệp chỉ với bảng số liệu đăng ký (bỏ hình ảnh, trang tính thừa)")


def _decompressed(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: _Budget) -> bytes:
    """A part's bytes, read a piece at a time; ``zipfile`` checks the checksum at the end."""
    pieces = []
    with archive.open(member) as stream:
        # One piece for most parts; the loop's last call meets the end, where the checksum is checked.
        while piece := stream.read(min(_PIECE_BYTES, member.file_size + 1)):
            budget.spend(len(piece))
            pieces.append(piece)
    content = b"".join(pieces)
    if len(content) != member.file_size:
        raise zipfile.BadZipFile(f"{member.filename}: {len(content)} bytes, {member.file_size} declared")
    return content


def _workbook_grids(data: bytes, details: Mapping[str, _SheetDetails], limits: Limits) -> list[Grid]:
    """Every worksheet as calamine reads it, with the details found in the file's parts.

    A worksheet without details (the scan could not tie it to its part) is a
    damaged file: its error cells would otherwise pass as blanks.
    """
    for name, sheet_details in details.items():
        _check_extent(name, sheet_details.extent, limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = []
        for metadata in workbook.sheets_metadata:
            if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            if metadata.name not in details:
                raise _corrupt()
            sheet = workbook.get_sheet_by_name(metadata.name)
            sheet_details = details[metadata.name]
            merged = sheet_details.merged if sheet_details.merged is not None else sheet.merged_cell_ranges or []
            is_hidden = metadata.visible != python_calamine.SheetVisibleEnum.Visible
            grids.append(_grid(metadata.name, sheet.to_python(skip_empty_area=False), merged, sheet_details, is_hidden))
        workbook.close()
    except Unreadable:
        raise
    except python_calamine.PasswordError as error:
        raise _password_protected() from error
    except Exception as error:  # noqa: BLE001 - any reader failure means a damaged file
        raise _corrupt() from error
    except BaseException as error:
        # On some damaged files the reader stops with a Rust panic, which Python sees as
        # pyo3's PanicException: a BaseException, not an Exception. A damaged file too.
        if type(error).__name__ != "PanicException":
            raise
        raise _corrupt() from error
    return grids


# ---------------------------------------------------------------- .xlsx / .xlsm parts

_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_ROOT_PREFIX = re.compile(rb"<(\w+:)?worksheet[\s>]")
_REFERENCE = re.compile(rb"""\sr=["']([A-Z]{1,3})(\d+)["']""")
_ERROR_TYPE = re.compile(rb"""\st=["']e["']""")
_TEXT_RESULT = re.compile(rb"""\st=["']str["']""")
_HIDDEN = re.compile(rb"""\shidden=["'](?:1|true)["']""")
_ROW_NUMBER = re.compile(rb"""\sr=["'](\d+)["']""")
_TAG_NAME_ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r")
_TAG_NAME = re.compile(rb"<(?:\w+:)?(\w+)")
_OFFICE_DOCUMENT = "/officeDocument"
_UNIQUE_COUNT = re.compile(rb"""\suniqueCount=["'](\d+)["']""")
_FULL_CALCULATION_ON_LOAD = re.compile(rb"""<(?:\w+:)?calcPr\s[^>]*\bfullCalcOnLoad=["'](?:1|true)["']""")
_ANY_REFERENCE = re.compile(rb""" r=["']([A-Z]{1,3})(\d+)["']""")


def _xlsx_details(parts: dict[str, bytes], names: set[str], suffix: str) -> dict[str, _SheetDetails]:
    """Details of each worksheet of an .xlsx/.xlsm by sheet name, from its part."""
    workbook = _main_part(parts.get("_rels/.rels", b""))
    if workbook not in parts:
        if workbook.lower().endswith(".bin") and workbook in names:
            # An .xlsb: calamine reads it, but its error cells would pass as blanks.
            raise Unreadable("", f"Tệp có đuôi {suffix} nhưng nội dung là sổ làm việc nhị phân của Excel (.xlsb)", "Mở tệp bằng Excel và lưu lại dạng Excel Workbook (.xlsx)")
        raise _corrupt()
    folder, file_name = posixpath.split(workbook)
    relations = parts.get(posixpath.join(folder, "_rels", file_name + ".rels"), b"")
    _check_shared_strings(parts)
    # A workbook asking to be recalculated when opened was saved by a program that did not
    # compute its formulas (xlsxwriter writes 0 as every formula's result): a 0 saved there
    # is no result.
    recalculate = _FULL_CALCULATION_ON_LOAD.search(parts[workbook]) is not None
    return {name: _sheet_details(parts[member], recalculate) for name, member in _sheet_parts(parts[workbook], relations, folder) if member in parts}


def _check_shared_strings(parts: dict[str, bytes]) -> None:
    """The reader sets memory aside for as many texts as the shared-string table announces:
    an announced count the part could not hold (each text takes at least 5 bytes) is a damaged file."""
    for name, content in parts.items():
        if name.lower().endswith("sharedstrings.xml"):
            announced = _UNIQUE_COUNT.search(content, 0, 4096)
            if announced and int(announced.group(1)) * 5 > len(content):
                raise _corrupt()


# The two parsers below are cached by content: files made from one template share these
# parts byte for byte, and both give immutable results.
@functools.lru_cache(maxsize=64)
def _main_part(package_relations: bytes) -> str:
    """The workbook part named by the package's relations (xl/workbook.xml as Excel writes it)."""
    for entry in _RELATIONSHIP.findall(package_relations):
        kind, target = _attribute(entry, b"Type"), _attribute(entry, b"Target")
        if kind and target and kind.endswith(_OFFICE_DOCUMENT):
            return _resolve(target, "")
    return "xl/workbook.xml"


@functools.lru_cache(maxsize=64)
def _sheet_parts(workbook: bytes, relations: bytes, folder: str) -> tuple[tuple[str, str], ...]:
    """(sheet name, part name) of each sheet the workbook lists, in order."""
    targets = {}
    for entry in _RELATIONSHIP.findall(relations):
        identifier, target = _attribute(entry, b"Id"), _attribute(entry, b"Target")
        if identifier and target:
            targets[identifier] = _resolve(target, folder)
    found = []
    for entry in _SHEET_ENTRY.findall(workbook):
        name, relation = _attribute(entry, b"name"), _attribute(entry, b"r:id")
        if name is not None and relation in targets:
            found.append((name, targets[relation]))
    return tuple(found)


def _resolve(target: str, folder: str) -> str:
    """A relation's target as a part name: absolute ("/xl/...") or relative to ``folder``."""
    return posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))


def _sheet_details(xml: bytes, recalculate: bool = False) -> _SheetDetails:
    """Error cells, formulas saved without a value, hidden rows and columns of one sheet part.

    The part is searched for the few markers concerned, not parsed cell by cell:
    a sheet holds thousands of cells and only a handful of these.
    """
    root = _ROOT_PREFIX.search(xml, 0, 4096)
    prefix = (root.group(1) or b"") if root else b""
    details = _SheetDetails(extent=_xlsx_extent(xml))
    if b't="e"' in xml or b"t='e'" in xml:
        details.errors = _error_cells(xml, prefix)
    if b"<" + prefix + b"f" in xml:
        details.uncached = _formulas_without_values(xml, prefix, recalculate)
    if b"hidden=" in xml:
        details.hidden_rows, details.hidden_columns = _hidden_rows_and_columns(xml, prefix)
    return details


def _xlsx_extent(xml: bytes) -> tuple[int, int]:
    """Rows and columns from A1 to the farthest cell reference of a sheet part (a blank cell
    written for its format counts too: a little more than the reader keeps, never less)."""
    references = _ANY_REFERENCE.findall(xml)
    if not references:
        return (0, 0)
    letters, numbers = zip(*references)
    return (max(map(int, numbers)), max(_column_index(column.decode()) for column in set(letters)) + 1)


def _error_cells(xml: bytes, prefix: bytes) -> list[tuple[tuple[int, int], tuple[int, int], CellError]]:
    """Cells whose saved value is an error (``t="e"``), with the error's code."""
    errors = []
    for found in _ERROR_TYPE.finditer(xml):
        cell = _cell_around(xml, found.start(), prefix, in_start_tag=True)
        if cell is not None:
            position, _, content = cell
            value = _element_text(content, prefix + b"v")
            code = html.unescape(value).strip() if value else _UNKNOWN_ERROR
            errors.append(((position[0], 1), (position[1], 1), CellError(code)))
    return errors


def _hidden_rows_and_columns(xml: bytes, prefix: bytes) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(first, count) of the rows and of the columns hidden (``hidden="1"`` on a row or a column range)."""
    rows, columns = [], []
    for found in _HIDDEN.finditer(xml):
        tag = _tag_around(xml, found.start())
        if tag is None:
            continue
        name = _TAG_NAME.match(xml, tag[0])
        if name is None:
            continue  # a comment or a processing instruction
        if name.group(1) == b"row":
            rows.append((_row_number(xml, tag[0], prefix), 1))
        elif name.group(1) == b"col":
            element = xml[tag[0] : tag[1]]
            first, last = _attribute(element, b"min"), _attribute(element, b"max")
            if first and last and first.isdigit() and last.isdigit() and int(last) >= int(first) >= 1:
                columns.append((int(first) - 1, int(last) - int(first) + 1))
    return rows, columns


def _formulas_without_values(xml: bytes, prefix: bytes, zero_is_unsaved: bool = False) -> dict[tuple[int, int], str]:
    """Cells holding a formula but no saved result: a script or exporter saved the
    formula without computing it, and the reader would see a blank, that is a zero.
    (An empty ``<v></v>`` is a saved empty text when the cell says its result is text.)
    ``zero_is_unsaved``: a numeric 0 saved as the result is no result either (a workbook
    asking to be recalculated on opening)."""
    formula_tag = _start_tag_pattern(prefix + b"f")
    found = {}
    position = 0
    while (match := formula_tag.search(xml, position)) is not None:
        position = match.end()
        cell = _cell_around(xml, match.start(), prefix, in_start_tag=False)
        if cell is None:
            continue
        (row, column), start_tag, content = cell
        value = _element_text(content, prefix + b"v")
        is_text = _TEXT_RESULT.search(start_tag) is not None
        if value is None or (not value and not is_text) or (zero_is_unsaved and not is_text and _is_zero(value)):
            found[(row, column)] = "=" + html.unescape(_element_text(content, prefix + b"f") or "")
    return found


def _is_zero(value: bytes) -> bool:
    try:
        return float(value) == 0
    except ValueError:
        return False


def _cell_start(xml: bytes, position: int, prefix: bytes) -> int:
    """Where the ``<c>`` element holding ``position`` starts (-1 if none); ``position`` may be
    the blank right after the element's name."""
    return _last_tag(xml, prefix + b"c", position + 1)


def _cell_around(xml: bytes, position: int, prefix: bytes, in_start_tag: bool) -> tuple[tuple[int, int], bytes, bytes] | None:
    """(row, column), start tag and content of the ``<c>`` element holding ``position``.

    ``in_start_tag``: ``position`` is an attribute of the cell's own start tag
    (then a match in a text, which cannot be a tag, is passed over).
    """
    start = _cell_start(xml, position, prefix)
    if start < 0:
        return None
    tag_end = xml.find(b">", start)
    if tag_end < 0 or (in_start_tag and tag_end < position):
        return None
    if xml[tag_end - 1 : tag_end] == b"/":
        content = b""
    else:
        close = xml.find(b"</" + prefix + b"c>", tag_end)
        if close < 0 or (not in_start_tag and close < position):
            return None
        content = xml[tag_end + 1 : close]
    reference = _REFERENCE.search(xml, start, tag_end)
    if reference:
        position_found = (int(reference.group(2)) - 1, _column_index(reference.group(1).decode()))
    else:
        position_found = _implicit_position(xml, start, prefix)
    return position_found, xml[start : tag_end + 1], content


def _implicit_position(xml: bytes, cell_start: int, prefix: bytes) -> tuple[int, int]:
    """The position of a cell written without its reference: the one after the
    previous cell (the file format's rule; Excel always writes references)."""
    row_start = _last_tag(xml, prefix + b"row", cell_start)
    row = _row_number(xml, row_start, prefix) if row_start >= 0 else 0
    column = -1
    for start in _tags(xml, prefix + b"c", max(row_start, 0), cell_start):
        reference = _REFERENCE.search(xml, start, xml.find(b">", start))
        column = _column_index(reference.group(1).decode()) if reference else column + 1
    return row, column


def _row_number(xml: bytes, row_start: int, prefix: bytes) -> int:
    """Zero-based row of the ``<row>`` element starting at ``row_start``; counted when it carries no number."""
    number = _ROW_NUMBER.search(xml, row_start, xml.find(b">", row_start))
    if number:
        return int(number.group(1)) - 1
    row = -1
    for start in _tags(xml, prefix + b"row", 0, row_start):
        number = _ROW_NUMBER.search(xml, start, xml.find(b">", start))
        row = int(number.group(1)) - 1 if number else row + 1
    return row


def _tags(xml: bytes, name: bytes, first: int, last: int) -> Iterator[int]:
    """Where each ``<name>`` start tag begins, from ``first`` to ``last`` (both included)."""
    for match in _start_tag_pattern(name).finditer(xml, first):
        if match.start() > last:
            return
        yield match.start()


def _last_tag(xml: bytes, name: bytes, before: int) -> int:
    """Where the last ``<name>`` start tag beginning before ``before`` begins, or -1."""
    opening = b"<" + name
    position = before
    while (position := xml.rfind(opening, 0, position)) >= 0:
        if xml[position + len(opening) : position + len(opening) + 1] in _TAG_NAME_ENDS:
            return position
    return -1


def _tag_around(xml: bytes, position: int) -> tuple[int, int] | None:
    """(start, end) of the tag holding ``position``; None when ``position`` is in a text."""
    start = xml.rfind(b"<", 0, position)
    end = xml.find(b">", position)
    if start < 0 or end < 0 or xml.find(b">", start, position) >= 0:
        return None
    return start, end + 1


def _element_text(content: bytes, name: bytes) -> str | None:
    """The text of the first ``<name>`` element in ``content``: "" for ``<v></v>``, None when
    absent or written ``<v/>`` (no value saved, as a formula written by a script)."""
    match = _element_pattern(name).search(content)
    if match is None or match.group(1):
        return None
    end = content.find(b"</" + name + b">", match.end())
    return content[match.end() : end].decode("utf-8", "replace") if end >= 0 else None


@functools.cache
def _element_pattern(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<" + re.escape(name) + rb"(?:\s[^>]*)?(/?)>")


@functools.cache
def _start_tag_pattern(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<" + re.escape(name) + rb"[\s>/]")


def _attribute(element: bytes, name: bytes) -> str | None:
    match = _attribute_pattern(name).search(element)
    return html.unescape(match.group(2).decode("utf-8")) if match else None


@functools.cache
def _attribute_pattern(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"\s" + re.escape(name) + rb"""=(["'])(.*?)\1""")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


# ---------------------------------------------------------------- .ods content

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_HIDDEN_VISIBILITY = ("collapse", "filter")


def _ods_details(content: bytes) -> Mapping[str, _SheetDetails]:
    """Details of each table of an .ods content.xml by name: error cells (LibreOffice
    marks them ``calcext:value-type="error"`` and shows the code as the cell's text),
    hidden rows and columns, merged cells (calamine does not give them for .ods), and the
    extent of the cells holding something."""
    details: dict[str, _SheetDetails] = {}
    current: _SheetDetails | None = None
    row = column = table_column = 0
    row_repeat = 1
    cell_depth = 0
    for event, element in ElementTree.iterparse(io.BytesIO(content), events=("start", "end")):
        tag = element.tag
        if cell_depth and tag not in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            continue  # a table or text inside a cell
        if event == "start":
            if tag == _TABLE + "table":
                current = details.setdefault(element.get(_TABLE + "name", ""), _SheetDetails(merged=[]))
                row = table_column = 0
            elif current is None:
                continue
            elif tag == _TABLE + "table-column":
                repeat = _repeat(element, "number-columns-repeated")
                if element.get(_TABLE + "visibility") in _HIDDEN_VISIBILITY:
                    current.hidden_columns.append((table_column, repeat))
                table_column += repeat
            elif tag == _TABLE + "table-row":
                row_repeat = _repeat(element, "number-rows-repeated")
                if element.get(_TABLE + "visibility") in _HIDDEN_VISIBILITY:
                    current.hidden_rows.append((row, row_repeat))
                column = 0
            elif tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                cell_depth += 1
        elif tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            cell_depth -= 1
            if cell_depth == 0 and current is not None:
                column += _ods_cell(element, current, row, row_repeat, column)
                element.clear()
        elif tag == _TABLE + "table-row" and current is not None:
            row += row_repeat
            element.clear()
        elif tag == _TABLE + "table":
            current = None
            element.clear()
    return details


def _ods_cell(element: ElementTree.Element, details: _SheetDetails, row: int, row_repeat: int, column: int) -> int:
    """Record one cell's error value, merge and extent; return how many columns it covers."""
    repeat = _repeat(element, "number-columns-repeated")
    if element.get(_OFFICE + "value-type") is not None or len(element):
        details.extent = (max(details.extent[0], row + row_repeat), max(details.extent[1], column + repeat))
    if element.get(_CALCEXT + "value-type") == "error":
        code = "".join("".join(paragraph.itertext()) for paragraph in element.findall(_TEXT + "p")).strip()
        details.errors.append(((row, row_repeat), (column, repeat), CellError(code or _UNKNOWN_ERROR)))
    rows_spanned, columns_spanned = _repeat(element, "number-rows-spanned"), _repeat(element, "number-columns-spanned")
    if rows_spanned > 1 or columns_spanned > 1:
        # One merge per cell written (a merged cell "repeated" is no layout anyone types): the
        # list grows with the file, never with the numbers in it.
        details.merged.append(((row, column), (row + rows_spanned - 1, column + columns_spanned - 1)))
    return repeat


def _repeat(element: ElementTree.Element, attribute: str) -> int:
    value = element.get(_TABLE + attribute, "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


# ---------------------------------------------------------------- .xls (BIFF)

_XLS_ERROR_CODES = dict(xlrd.error_text_from_code)
_DIMENSIONS = 0x0200
_XLS_ROWS, _XLS_COLUMNS = 65536, 256


def _read_ole(data: bytes, limits: Limits) -> list[Grid]:
    """An .xls workbook, or an encrypted .xlsx (an OLE container holding the encrypted package)."""
    if _ENCRYPTED_PACKAGE in data:
        raise _password_protected()
    try:
        details = _xls_details(data)
    except Unreadable:
        raise
    except Exception as error:  # noqa: BLE001 - xlrd raises many kinds on damaged bytes
        # xlrd's words are English; "encrypted" is how it says the workbook needs a password.
        raise (_password_protected() if "encrypted" in str(error).lower() else _corrupt()) from error
    return _workbook_grids(data, details, limits)


def _xls_details(data: bytes) -> dict[str, _SheetDetails]:
    """Error cells, hidden rows and columns of each sheet of an .xls, from its BIFF records (xlrd).

    calamine reads an error cell (a BOOLERR record with the error flag, a FORMULA
    record whose result is an error) as an empty string; xlrd gives its code.
    """
    # ragged_rows: a stray cell far away must not pad every row out to it.
    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, ragged_rows=True, logfile=io.StringIO(), ignore_workbook_corruption=True)
    details = {}
    try:
        _check_dimension_records(book.mem[book.base : book.base + book.stream_len])  # the workbook stream
        for index, name in enumerate(book.sheet_names()):
            sheet = book.sheet_by_index(index)
            # The reader sets memory aside for the range the sheet's DIMENSIONS record gives (which xlrd keeps aside).
            extent = (max(sheet.nrows, getattr(sheet, "_dimnrows", 0)), max(sheet.ncols, getattr(sheet, "_dimncols", 0)))
            sheet_details = _SheetDetails(extent=extent)
            for row in range(sheet.nrows):
                for column, kind in enumerate(sheet.row_types(row)):
                    if kind == xlrd.XL_CELL_ERROR:
                        code = _XLS_ERROR_CODES.get(sheet.cell_value(row, column), _UNKNOWN_ERROR)
                        sheet_details.errors.append(((row, 1), (column, 1), CellError(code)))
            sheet_details.hidden_rows = [(row, 1) for row, info in sheet.rowinfo_map.items() if info.hidden]
            sheet_details.hidden_columns = [(column, 1) for column, info in sheet.colinfo_map.items() if info.hidden]
            details[name] = sheet_details
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return details


def _check_dimension_records(stream: bytes) -> None:
    """Every DIMENSIONS record of the workbook stream must describe a real range.

    calamine sets memory aside for the rows and columns a sheet's DIMENSIONS record
    gives; a damaged one (a first row past the last) makes that billions of cells
    and the whole process stops. xlrd does not use the record, so it is checked here.
    """
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + length]
        position += 4 + length
        if kind != _DIMENSIONS:
            continue
        if length == 14:
            first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", body)
        elif length == 10:
            first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", body)
        else:
            raise _corrupt()
        # The record gives the first row and the row after the last, likewise for columns,
        # within what an .xls can hold.
        if first_row >= _XLS_ROWS or last_row > _XLS_ROWS or last_column > _XLS_COLUMNS or (last_row and first_row >= last_row):
            raise _corrupt()


# ---------------------------------------------------------------- CSV


def _read_csv(data: bytes, stem: str) -> Grid:
    """A CSV as Excel saves it: UTF-8 (with or without BOM) or UTF-16 with BOM; the
    separator is the file's own (";" where Windows is set to Vietnamese). Values stay
    text: what a "1,250" means is decided with the other numbers, not here."""
    text = _decode_csv(data)
    delimiter = _csv_delimiter(text)
    try:
        # Strict: a quote left open would otherwise swallow every line after it into one cell.
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise Unreadable("", "Tệp CSV bị hỏng, không đọc được (dấu ngoặc kép không khớp hoặc ô quá dài)", "Mở tệp bằng Excel, lưu lại dạng .xlsx hoặc \"CSV UTF-8\" rồi gửi lại") from error
    return _grid(stem, rows, [], _SheetDetails(), False, delimiter)


def _decode_csv(data: bytes) -> str:
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(data[max(error.start - 10, 0) : error.end + 10].decode("latin-1"), "Tệp CSV không dùng bảng mã UTF-8, chữ tiếng Việt sẽ bị sai", "Trong Excel chọn Lưu thành > \"CSV UTF-8 (phân cách bằng dấu phẩy)\", hoặc gửi tệp .xlsx") from error


def _csv_delimiter(text: str) -> str:
    """The separator that splits the most lines into the same number of fields (quotes respected).

    Counting characters is not enough: with decimal commas ("1,25") and commas in
    titles, a ";" file can hold more commas than semicolons.
    """
    sample = text[:_CSV_SAMPLE_CHARACTERS]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    return max(_CSV_DELIMITERS, key=lambda delimiter: _field_agreement(sample, delimiter))


def _field_agreement(sample: str, delimiter: str) -> tuple[int, int]:
    """(lines sharing the most common field count above one, that count)."""
    try:
        widths = Counter(len(row) for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if len(row) > 1)
    except csv.Error:
        return (0, 0)
    if not widths:
        return (0, 0)
    width, lines = widths.most_common(1)[0]
    return (lines, width)


# ---------------------------------------------------------------- grids


def _grid(sheet: str, rows: list[list[object]], merged, details: _SheetDetails, is_hidden: bool, delimiter: str | None = None) -> Grid:
    """The cleaned rows with the details laid over them."""
    cleaned = [_clean_row(row) for row in rows]
    for (row, column), formula in details.uncached.items():
        _put(cleaned, row, column, formula)
    height = len(cleaned)
    width = max((len(row) for row in cleaned), default=0)
    for (first_row, row_count), (first_column, column_count), error in details.errors:
        for row in range(first_row, min(first_row + row_count, max(height, first_row + 1))):
            for column in range(first_column, min(first_column + column_count, max(width, first_column + 1))):
                _put(cleaned, row, column, error)
    height = len(cleaned)
    width = max((len(row) for row in cleaned), default=0)
    return Grid(
        sheet=sheet,
        rows=cleaned,
        merged=list(merged),
        hidden_rows=_expand(details.hidden_rows, height),
        hidden_columns=_expand(details.hidden_columns, width),
        is_hidden=is_hidden,
        uncached=types.MappingProxyType(dict(details.uncached)),
        delimiter=delimiter,
    )


def _put(rows: list[list[object]], row: int, column: int, value: object) -> None:
    """Set a cell, padding the rows with blanks when it lies past the cells read."""
    if row < 0 or column < 0:
        raise _corrupt()  # a cell reference before A1
    while len(rows) <= row:
        rows.append([])
    line = rows[row]
    while len(line) <= column:
        line.append(None)
    line[column] = value


def _expand(ranges: list[tuple[int, int]], size: int) -> frozenset[int]:
    return frozenset(index for first, count in ranges for index in range(max(first, 0), min(first + count, size)))


def _clean_row(row: list[object]) -> list[object]:
    """Text stripped (empty text is None), whole floats as int (the readers give every number
    as a float); anything else (dates, bools) as the reader gives it."""
    return [
        (value.strip() or None) if value.__class__ is str
        else (int(value) if value.is_integer() else value) if value.__class__ is float
        else value
        for value in row
    ]

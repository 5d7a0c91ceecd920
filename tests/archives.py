"""Rewriting the zip archive of an .xlsx member by member (test helpers): a sheet stored
uncompressed, a digit edited inside a member with its checksum left as it was."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"


def zip_members(members: list[tuple[str, bytes, int, int, int]], encrypted: frozenset[str] = frozenset()) -> bytes:
    """A zip archive written field by field: (name, packed bytes, method, CRC, declared size)
    per member, so that a header can say what the bytes are not; the members named in
    ``encrypted`` marked as encrypted (general purpose flag bit 0)."""
    body, directory = b"", b""
    for name, packed, method, crc, size in members:
        encoded = name.encode()
        fields = struct.pack("<HHHHHIIIHH", 20, 1 if name in encrypted else 0, method, 0, 0x21, crc, len(packed), size, len(encoded), 0)
        directory += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(body)) + encoded
        body += b"PK\x03\x04" + fields + encoded + packed
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(directory), len(body), 0)
    return body + directory + end


def deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def numeric_cells(xml: bytes, column: str) -> dict[int, int]:
    """Row number -> whole number saved in ``column`` (``<c r="C9" ...><v>13</v>``)."""
    return {int(row): int(value) for row, value in re.findall(rb'<c r="' + column.encode() + rb'(\d+)"[^>]*><v>(\d+)</v>', xml)}


def with_cells(xml: bytes, column: str, values: dict[int, int]) -> bytes:
    """``xml`` with the saved numbers of ``column`` at the given rows replaced (same length each)."""
    for row, value in values.items():
        pattern = re.compile(rb'(<c r="' + column.encode() + str(row).encode() + rb'"[^>]*><v>)(\d+)(</v>)')
        old = pattern.search(xml)
        assert old is not None and len(old.group(2)) == len(str(value)), (row, value)
        xml = pattern.sub(lambda match: match.group(1) + str(value).encode() + match.group(3), xml, count=1)
    return xml


def silently_edited(source: Path, target: Path, column: str, values: dict[int, int], stored: bool) -> bytes:
    """``source`` with numbers of its first sheet changed, every header (the checksum among
    them) kept as the original sheet's: stored, the bytes edited in place; deflated, the
    edited sheet compressed again. Returns the original sheet's XML."""
    members = []
    original_xml = b""
    with zipfile.ZipFile(source) as original:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename != SHEET:
                members.append((item.filename, deflated(data), zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data)))
                continue
            original_xml = data
            edited = with_cells(data, column, values)
            assert len(edited) == len(data) and edited != data
            if stored:
                members.append((item.filename, edited, zipfile.ZIP_STORED, zlib.crc32(data), len(data)))
            else:
                members.append((item.filename, deflated(edited), zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data)))
    assert original_xml
    target.write_bytes(zip_members(members))
    return original_xml

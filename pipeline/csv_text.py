"""CSV text as the outputs write it: UTF-8, "\\n" line ends, quoted only where needed,
text a spreadsheet would run as a formula shown as typed.

``report.write_csv`` writes a whole table this way; a file's own rows of
``data/registrations.csv`` are made the same way when the file is checked
(``validate.check_files``), kept with its result, packed, and joined on every run: a
rerun writes the table again without formatting a million rows again. Packed, the
lines of 10 000 files take 8 MB instead of 100 MB, in memory and in the cache.
"""

from __future__ import annotations

import csv
import io
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[-+]?[\d.,\s]+$")


def shown_as_typed(text: str) -> str:
    """Text that a spreadsheet program would run as a formula (starting with "=", "+",
    "-", "@", a tab or a carriage return, and not a number) with a leading apostrophe, so
    that opening the CSV shows it as text; a line break typed as a carriage return as
    "\\n" (the CSV writer quotes only that one)."""
    shown = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if text.startswith(FORMULA_STARTS) and not _NUMBER.match(text):
        shown = "'" + shown
    return shown


def lines(columns: Sequence[Sequence[object]]) -> bytes:
    """Columns of equal length as CSV lines, as ``pandas.DataFrame.to_csv`` writes them
    (``lineterminator="\\n"``): whole numbers with ``str``, text through ``shown_as_typed``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(zip(*(_shown(column) for column in columns)))
    return buffer.getvalue().encode("utf-8")


def _shown(column: Sequence[object]) -> Sequence[object]:
    """A column with each text as shown; each distinct text looked at once (a few recur on every row)."""
    shown = {value: shown_as_typed(value) for value in set(column) if isinstance(value, str)}
    if all(text == value for value, text in shown.items()):
        return column
    return [shown.get(value, value) if isinstance(value, str) else value for value in column]


def pack(lines: bytes) -> bytes:
    """Lines compressed to be kept (``unpack`` gives them back)."""
    return zlib.compress(lines, 1)


def unpack(packed: Iterable[bytes]) -> Iterator[bytes]:
    return (zlib.decompress(piece) for piece in packed)

"""The cell grid: a worksheet's values as a reader gives them, cleaned, with what the
values alone do not say (merged cells, hidden rows and sheets, error cells, formulas
saved without their value)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    """How big an input may be; checked before and while a file is opened."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class CellError:
    """An Excel error value saved in a cell ("#REF!", "#DIV/0!", "#N/A"...): no number."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Grid:
    """One worksheet (or a CSV file).

    ``rows``: cleaned values — text stripped (empty text is None), whole floats as int,
    other floats, dates and times as the reader gives them, ``CellError`` for an error,
    the formula text ("=A1+B1") for a formula saved without its value (also listed in
    ``uncached``). ``merged``: ((top, left), (bottom, right)), zero-based.
    """

    sheet: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    is_hidden: bool = False
    uncached: Mapping[tuple[int, int], str] = field(default_factory=dict)
    delimiter: str | None = None


class Unreadable(Exception):
    """A file that cannot be read: the value, problem and fix for the report, in Vietnamese."""

    def __init__(self, value: str, problem: str, fix: str):
        super().__init__(problem)
        self.value, self.problem, self.fix = value, problem, fix

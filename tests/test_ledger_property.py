"""Property: every non-empty number cell lands in exactly one place of its file's ledger, and an
accepted file books exactly what a careful clerk would count.

Each example writes one compiled 2026 table in a random office layout: units in a random
order, some levels split into "Tổng số | Trong đó: CBQL" or into "CBQL | GV", group rows
carrying their group's subtotal above or below their units, a "Tổng cộng" row or none,
hidden rows, and perhaps one planted mistake (a total too high, too low or 0, an "of
which" part above its total, groups that do not add up to their total). The clerk's
count is worked out here from the figures drawn, not from the code.

Short by default; ``LEDGER_EXAMPLES=N`` runs more.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, check
from pipeline.reference import read_reference, units_of_year
from workbooks import write_rows

EXAMPLES = int(os.environ.get("LEDGER_EXAMPLES", "30"))
LEVELS = ["MN", "TH", "THCS"]
LEVEL_NAMES = {"MN": "Mầm non", "TH": "Tiểu học", "THCS": "Trung học cơ sở"}
MISTAKES = ["total_high", "total_low", "total_zero", "part_above_total", "groups_differ"]


@cache
def _units() -> list[str]:
    return units_of_year(read_reference(ROOT / "inputs" / "reference").units, 2026)["name"].tolist()[:100]


@st.composite
def tables(draw):
    units = draw(st.lists(st.sampled_from(_units()), min_size=2, max_size=7, unique=True))
    splits = {level: draw(st.sampled_from(["plain", "part", "groups", "groups_total"])) for level in LEVELS}
    counts = {unit: {level: draw(st.integers(0, 40)) for level in LEVELS} for unit in units}
    cbql = {unit: {level: draw(st.integers(0, counts[unit][level])) for level in LEVELS} for unit in units}
    grouping = draw(st.sampled_from(["none", "heads", "closes"]))
    cut = draw(st.integers(1, len(units) - 1))
    has_total = draw(st.booleans()) or grouping != "none"  # a grouped table always has its grand total here
    hidden = draw(st.lists(st.integers(0, len(units) - 1), max_size=2, unique=True))
    mistake = draw(st.none() | st.sampled_from(MISTAKES))
    return units, splits, counts, cbql, grouping, cut, has_total, hidden, mistake


def _columns(splits: dict[str, str]) -> tuple[list[object], list[object], list[tuple[str, str]]]:
    """The two header rows and, per column, (level, what it holds)."""
    top, second, kinds = [], [], []
    for level in LEVELS:
        parts = {"plain": [("total", None)], "part": [("total", "Tổng số"), ("cbql", "Trong đó: CBQL")], "groups": [("cbql", "CBQL"), ("gv", "GV")], "groups_total": [("total", "Tổng số"), ("cbql", "CBQL"), ("gv", "GV")]}[splits[level]]
        for index, (kind, label) in enumerate(parts):
            top.append(LEVEL_NAMES[level] if index == 0 else None)
            second.append(label)
            kinds.append((level, kind))
    return top, second, kinds


def _cells(kinds, total: dict[str, int], cbql: dict[str, int]) -> list[int]:
    return [total[level] if kind == "total" else cbql[level] if kind == "cbql" else total[level] - cbql[level] for level, kind in kinds]


def _write(folder: Path, example) -> tuple[dict[tuple[str, str], int], bool, int]:
    """Write the table; return the clerk's count, whether a mistake was planted, and the
    number of non-empty cells in the number area."""
    units, splits, counts, cbql, grouping, cut, has_total, hidden, mistake = example
    top, second, kinds = _columns(splits)
    width = len(kinds)
    header = [["ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM NĂM 2026"], [], ["STT", "Đơn vị", *top], [None, None, *second]]
    merged = ["A3:A4", "B3:B4"]
    column = 3
    for level in LEVELS:
        span = sum(1 for kind_level, _ in kinds if kind_level == level)
        if span > 1:
            merged.append(f"{_letter(column)}3:{_letter(column + span - 1)}3")
        column += span

    def sums(names: list[str]) -> list[int]:
        rows = [_cells(kinds, counts[unit], cbql[unit]) for unit in names]
        return [sum(values) for values in zip(*rows)] if rows else [0] * width

    body: list[list[object]] = []
    groups = [units[:cut], units[cut:]] if grouping != "none" else [units]
    for number, members in enumerate(groups, start=1):
        group_row = [["I", "II"][number - 1], f"Cụm {number}", *sums(members)]
        if grouping == "heads":
            body.append(group_row)
        for unit in members:
            body.append([len(body) + 1, unit, *_cells(kinds, counts[unit], cbql[unit])])
        if grouping == "closes":
            body.append(group_row)
    if has_total:
        body.append(["Tổng cộng", None, *sums(units)])
    planted = mistake is not None
    if mistake in ("total_high", "total_low", "total_zero"):
        if not has_total:
            body.append(["Tổng cộng", None, *sums(units)])
        position = next(index for index, (level, kind) in enumerate(kinds) if kind == "total" or splits[level] == "groups")
        value = body[-1][2 + position]
        body[-1][2 + position] = {"total_high": value + 1, "total_low": value - 1 if value else value + 3, "total_zero": 0 if value else 5}[mistake]
    elif mistake == "part_above_total":
        levels = [level for level in LEVELS if splits[level] == "part"]
        if levels:
            row = next(row for row in body if row[1] in units)
            position = kinds.index((levels[0], "cbql"))
            row[2 + position] = row[2 + position - 1] + 1
        else:
            planted = False
    elif mistake == "groups_differ":
        levels = [level for level in LEVELS if splits[level] == "groups_total"]
        if levels:
            row = next(row for row in body if row[1] in units)
            position = kinds.index((levels[0], "gv"))
            row[2 + position] += 1
        else:
            planted = False
    hidden_rows = tuple(5 + index for index in hidden if index < len(body))
    write_rows(folder / "tong_hop.xlsx", header + body, merged=tuple(merged), hidden_rows=hidden_rows)
    non_empty = sum(1 for row in body for value in row[2:] if value is not None)
    truth = {(unit, level): counts[unit][level] for unit in units for level in LEVELS}
    return truth, planted, non_empty


def _letter(column: int) -> str:
    return chr(64 + column)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(example=tables())
def test_every_cell_is_booked_checked_or_set_aside_and_nothing_is_lost(example):
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder)
        shutil.copytree(ROOT / "inputs" / "reference", inputs / "reference")
        (inputs / "registrations").mkdir()
        truth, planted, non_empty = _write(inputs / "registrations", example)
        registrations, issues, files = check(inputs)
    row = files.iloc[0]
    assert row["cells_booked"] + row["cells_checked"] + row["cells_set_aside"] == non_empty
    errors = issues[issues["severity"] == "lỗi"]
    if planted:
        assert row["status"] == "bị từ chối" and len(errors), "a planted mistake must hold the file back"
        return
    if row["status"] == "bị từ chối":
        # Only a real ambiguity may hold a clean file back: a unit's row equal to a run of others.
        assert set(errors["problem"].str.contains("có thể là dòng cộng")) == {True}, errors.to_string()
        return
    booked = {(unit, level): int(count) for unit, level, count in registrations[["unit", "level", "headcount"]].values}
    assert booked == truth
    assert row["sum_booked"] == sum(truth.values())

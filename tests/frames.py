"""Tiny inline tables for the unit tests of the pure stages (aggregate, costing, reconcile)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

import schemas

LEVELS = ["MN", "TH", "THCS", "THPT", "GDTX", "GDNN"]


def plan_frame(rows: list[dict]) -> pd.DataFrame:
    """plan.csv as the reference data gives it: every column of ``schemas.PlanRow``, blank
    unless a row says otherwise, cast by the model."""
    columns = [column for column in schemas.PlanRow.to_schema().columns if column != "^[A-Z]+$"]
    columns = columns[: columns.index("label") + 1] + LEVELS + columns[columns.index("label") + 1 :]  # one column per level, after the label
    frame = pd.DataFrame([{column: row.get(column) for column in columns} for row in rows], columns=columns)
    return schemas.PlanRow.validate(frame)


def frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    """A table from "year topic level headcount" and its rows."""
    return pd.DataFrame(rows, columns=columns.split())


def without_mutation(function: Callable, *args, **kwargs):
    """Call ``function`` and fail if it changed any DataFrame it was given."""
    before = [arg.copy(deep=True) if isinstance(arg, pd.DataFrame) else None for arg in args]
    before_kw = {key: value.copy(deep=True) for key, value in kwargs.items() if isinstance(value, pd.DataFrame)}
    result = function(*args, **kwargs)
    for arg, copy in zip(args, before):
        if copy is not None:
            pd.testing.assert_frame_equal(arg, copy)
    for key, copy in before_kw.items():
        pd.testing.assert_frame_equal(kwargs[key], copy)
    return result


def counts(lines: pd.DataFrame) -> list[tuple]:
    """The six level columns of each line, blanks as None."""
    return [tuple(None if pd.isna(value) else int(value) for value in row) for row in lines[LEVELS].itertuples(index=False)]

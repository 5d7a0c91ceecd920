"""The registration campaign's contract: deadlines (reference data) and the submission status (output)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

# A unit's status in a year's campaign, and the status of a file no unit could be found for.
ACCEPTED, HELD_BACK, MISSING = "đã chấp nhận", "bị giữ lại", "chưa nộp"
STATUSES = (ACCEPTED, HELD_BACK, MISSING)
UNDETERMINED = "không xác định được đơn vị"


class Deadline(pa.DataFrameModel):
    """One row per registration year with a deadline (deadlines.csv): the last day files count as on time."""

    year: Series[int] = pa.Field(ge=2000, le=2100, unique=True)
    deadline: Series[pd.Timestamp]
    source: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True


class Submission(pa.DataFrameModel):
    """``data/submissions.csv``: one row per year and unit of that year's list, in the
    list's order, then one row per file of that year no unit could be found for
    (``unit`` and ``position`` empty, ``status`` "không xác định được đơn vị").

    ``files`` and ``modified`` list the files received, "; " between them, in the
    same order; ``late_files`` those modified after the deadline; ``remove`` the
    earlier copies to delete. ``problems`` counts what the unit must fix (its
    feedback letter); ``headcount`` what its accepted files register.
    """

    year: Series[int] = pa.Field(ge=2000, le=2100)
    position: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    unit: Series[str] = pa.Field(nullable=True)
    title: Series[str] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=[*STATUSES, UNDETERMINED])
    files: Series[str] = pa.Field(nullable=True)
    modified: Series[str] = pa.Field(nullable=True)
    late_files: Series[str] = pa.Field(nullable=True)
    remove: Series[str] = pa.Field(nullable=True)
    problems: Series[int] = pa.Field(ge=0)
    headcount: Series[int] = pa.Field(ge=0)
    is_overdue: Series[bool]
    deadline: Series[str] = pa.Field(nullable=True)
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True

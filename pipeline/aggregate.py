"""Aggregate: city-wide tables from the tidy registrations.

Every function here is pure: DataFrames in, new DataFrames out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class AppendixTable:
    """One appendix ready to print.

    ``body`` has one row per unit, in reference order: ``unit`` then one column
    per count column (named by position); ``totals`` holds the column sums.
    """

    year: int
    number: int
    title: str
    subtitle: str
    attachment: str
    unit_header: str
    column_headers: list[str]
    body: pd.DataFrame
    totals: list[int]


def build_appendices(
    registrations: pd.DataFrame,
    appendices: pd.DataFrame,
    appendix_columns: pd.DataFrame,
    units: pd.DataFrame,
) -> list[AppendixTable]:
    """Compiled appendices (one row per unit) for every year that has registrations.

    A unit is listed in an appendix when it sent a figure (zero included) for one
    of the appendix's columns; units follow the order of ``units``.
    """
    unit_order = {name: order for order, name in enumerate(dict.fromkeys(units["name"]))}
    tables = []
    for spec in appendices.itertuples(index=False):
        columns = appendix_columns[
            (appendix_columns["year"] == spec.year) & (appendix_columns["appendix"] == spec.appendix)
        ].sort_values("position")
        selected = registrations[registrations["year"] == spec.year].merge(
            columns[["topic", "level", "position"]], on=["topic", "level"]
        )
        if selected.empty:
            continue
        body = (
            selected.pivot_table(index="unit", columns="position", values="headcount", aggfunc="sum", fill_value=0)
            .reindex(columns=list(columns["position"]), fill_value=0)
            .astype(int)
        )
        body = body.loc[sorted(body.index, key=lambda unit: (unit_order.get(unit, len(unit_order)), unit))]
        tables.append(
            AppendixTable(
                year=int(spec.year),
                number=int(spec.appendix),
                title=spec.title,
                subtitle=spec.subtitle,
                attachment=spec.attachment or "",
                unit_header=spec.unit_header,
                column_headers=list(columns["header"]),
                body=body.reset_index(),
                totals=[int(total) for total in body.sum(axis=0)],
            )
        )
    return tables

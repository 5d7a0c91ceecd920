"""Aggregate: city-wide tables from the tidy registrations.

Every function here is pure: DataFrames in, new DataFrames out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from schemas import plan_levels


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
                attachment=spec.attachment if isinstance(spec.attachment, str) else "",  # blank in appendices.csv: NaN, not None
                unit_header=spec.unit_header,
                column_headers=list(columns["header"]),
                body=body.reset_index(),
                totals=[int(total) for total in body.sum(axis=0)],
            )
        )
    return tables


def city_headcounts(registrations: pd.DataFrame) -> pd.DataFrame:
    """City-wide headcount: one row per year, topic and level."""
    return registrations.groupby(["year", "topic", "level"], as_index=False)["headcount"].sum()


TASKS, COSTS = "nhiệm vụ", "kinh phí"  # the two kinds of plan appendix (plan_appendices.csv)


def plan_labels(plan: pd.DataFrame, topics: pd.DataFrame, wording: str = COSTS) -> pd.Series:
    """The name of each plan line as appendix ``wording`` (``TASKS`` or ``COSTS``) prints it.

    That appendix's own label, typos kept; for a line it does not print, the other
    appendix's; else the plan's ``label``, else the catalogue's name. Sub-items come
    without their "- ".
    """
    own, other = ("task_label", "cost_label") if wording == TASKS else ("cost_label", "task_label")
    names = topics.set_index("code")["name"]
    return plan[own].fillna(plan[other]).fillna(plan["label"]).fillna(plan["topic"].map(names)).fillna(plan["topic"])


def plan_lines(
    plan: pd.DataFrame, headcounts: pd.DataFrame, topics: pd.DataFrame, year: int, keep_empty: bool, wording: str | None = None
) -> pd.DataFrame:
    """The lines of a plan appendix for ``year``, one row per line in the plan's order.

    ``headcounts`` (one row per year, topic and level) fill the six level columns:
    the plan's own targets, or what units registered. Topics with headcounts but
    no line in the plan come after the plan's lines. A sub-item ("- Bồi dưỡng
    nghiệp vụ sư phạm") follows its group line. With ``keep_empty`` false, lines
    without people are left out, and so is a group line none of whose sub-items
    has people (the cost appendices do this).

    With ``wording`` (``TASKS`` or ``COSTS``) the lines are that appendix of the
    document: its labels and its TT as printed (a line it does not print has no
    TT). Without, lines are numbered in order and take the cost appendix's labels.
    """
    levels = plan_levels(plan)
    lines = plan[plan["year"] == year].sort_values("position").drop(columns=levels)
    year_counts = headcounts[headcounts["year"] == year]
    extra = sorted(set(year_counts["topic"]) - set(lines["topic"]))
    lines = pd.concat([lines, pd.DataFrame({"year": year, "topic": extra})], ignore_index=True)
    wide = (
        year_counts.groupby(["topic", "level"])["headcount"].sum().unstack("level")
        .reindex(columns=levels)
        .astype("Int64")
    )
    lines = lines.join(wide, on="topic")
    is_group = lines["topic"].isin(lines["parent"].dropna())
    if not keep_empty:
        has_people = lines[levels].fillna(0).sum(axis=1) > 0
        group_used = lines["topic"].isin(lines.loc[has_people, "parent"].dropna())
        keep = has_people | (is_group & group_used)
        lines, is_group = lines[keep], is_group[keep]
    label = plan_labels(lines, topics, wording or COSTS)
    label = label.where(lines["parent"].isna(), "- " + label)
    top_level = lines["parent"].isna()
    number = top_level.cumsum().astype(str).where(top_level, "")
    if wording is not None:
        printed, own_label = ("task_number", "task_label") if wording == TASKS else ("cost_number", "cost_label")
        number = lines[printed].fillna("").where(lines[own_label].notna(), "")
    return lines.assign(is_group=is_group, label=label, number=number).reset_index(drop=True)


def compare_with_plan(registered: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Registered against planned headcount: one row per year, topic and level of either.

    ``percent`` is registered / planned × 100, empty where nothing was planned.
    """
    keys = ["year", "topic", "level"]
    years = set(registered["year"])
    both = targets[targets["year"].isin(years)].rename(columns={"headcount": "planned"}).merge(
        registered.rename(columns={"headcount": "registered"}), on=keys, how="outer"
    )
    both = both.fillna({"planned": 0, "registered": 0}).astype({"planned": int, "registered": int})
    percent = (both["registered"] / both["planned"].where(both["planned"] > 0) * 100).astype(float)
    levels = list(dict.fromkeys(targets["level"]))  # the plan's order (``costing.plan_targets``)
    level_order = both["level"].map({level: order for order, level in enumerate(levels)}).fillna(len(levels))
    both = both.assign(percent=percent, level_order=level_order)
    return both.sort_values(["year", "topic", "level_order"], kind="stable").drop(columns="level_order").reset_index(drop=True)


def headcount_by_level(headcounts: pd.DataFrame, levels: list[str]) -> pd.DataFrame:
    """Headcount per year (rows) and level (columns: ``levels``, in that order, zeros included)."""
    table = headcounts.pivot_table(index="year", columns="level", values="headcount", aggfunc="sum", fill_value=0)
    return table.reindex(columns=levels, fill_value=0).astype(int)


def compare_periods(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """What changed since the previous period: one row per year, unit, topic and level whose
    headcount differs (added, removed or changed), with ``previous`` and ``current``."""
    keys = ["year", "unit", "topic", "level"]
    old = previous.groupby(keys)["headcount"].sum().rename("previous")
    new = current.groupby(keys)["headcount"].sum().rename("current")
    both = pd.concat([old, new], axis=1).reset_index()
    # A figure that appears or disappears as zero changes nothing a reader would count.
    changed = both[both["previous"].fillna(0) != both["current"].fillna(0)]
    change = [
        "thêm mới" if pd.isna(before) else "bỏ đi" if pd.isna(after) else "thay đổi"
        for before, after in zip(changed["previous"], changed["current"])
    ]
    result = changed.assign(change=change).astype({"previous": "Int64", "current": "Int64"})
    return result.sort_values(keys, kind="stable").reset_index(drop=True)

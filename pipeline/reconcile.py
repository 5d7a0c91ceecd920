"""Reconcile: set every figure printed in the plan document against the pipeline's own.

The document is evidence, not truth: each printed total is re-derived from the
lines, and every disagreement gets both values, the difference and a one-line
explanation. The appendices keep the document's wording, typos included; each
typo kept is listed here too. Grain: one row per printed figure, and one per typo
(``schemas.Reconciliation``).
"""

from __future__ import annotations

import math

import pandas as pd

import schemas
from pipeline.aggregate import COSTS, TASKS, plan_labels

AGREES = "Khớp"
WORDING = "wording"


def reconcile(
    priced_plan: pd.DataFrame, printed: pd.DataFrame, plan_appendices: pd.DataFrame, topics: pd.DataFrame, plan: pd.DataFrame
) -> pd.DataFrame:
    """Compare the priced plan with the figures printed in the document, and list its typos.

    Args:
        priced_plan: the plan priced by ``costing.price`` (year, topic, level, headcount, unit_price_million, amount_million).
        printed: the document's figures (``schemas.PrintedFigure``).
        plan_appendices: which appendix holds each year's tasks and costs.
        topics: the catalogue, for names in explanations.
        plan: the plan's lines, for their labels, their numbers as printed and their typos.
    """
    lines = _Lines(plan, topics)
    appendix = {(int(y), k): int(a) for y, k, a in zip(plan_appendices["year"], plan_appendices["kind"], plan_appendices["appendix"])}
    # Largest figures first: the five-year total, each year's total, then the details, then the wording.
    checks = [
        _five_year_total(priced_plan, printed),
        _amount_totals(priced_plan, printed[printed["kind"] == "amount_total"], appendix, lines),
        _level_totals(priced_plan, printed[printed["kind"] == "level_total"], topics, appendix, lines),
        _amounts(priced_plan, printed[printed["kind"] == "amount"], appendix, lines),
        _task_headcounts(priced_plan, printed[printed["kind"] == "task_headcount"], appendix, lines),
        _wording(plan, appendix, lines),
    ]
    result = pd.concat(checks, ignore_index=True)
    return schemas.Reconciliation.validate(result)


def page_notes(reconciliation: pd.DataFrame, appendix: int) -> pd.DataFrame:
    """The corrections to show on the page of ``appendix``: one row per cell that differs
    from the printed document.

    Columns: ``topic`` (empty: the "Tổng số" row), ``level`` (empty: the amount column,
    or with ``added`` the whole line), ``added`` (a line the document's appendix does
    not have, which another appendix of the same year prices) and ``note``: what the
    document prints and why we differ, in a sentence.
    """
    page = reconciliation[reconciliation["appendix"] == appendix]
    rows = page[~page["agrees"] & (page["check"] != WORDING)]
    headcounts = page[page["check"] == "task_headcount"]
    added = {topic for topic, group in headcounts.groupby("topic") if group["printed"].isna().all()}
    notes, done = [], set()
    for record in rows.itertuples(index=False):
        if record.topic in added:
            if record.topic not in done:
                done.add(record.topic)
                notes.append({"topic": record.topic, "level": None, "added": True, "note": _added_line(reconciliation, record, appendix)})
            continue
        shown = "không ghi số" if pd.isna(record.printed) else f"in {number_text(record.printed)}"
        notes.append({"topic": record.topic, "level": record.level, "added": False, "note": f"Tài liệu {shown}. {record.explanation}."})
    return pd.DataFrame(notes, columns=["topic", "level", "added", "note"])


def _added_line(reconciliation: pd.DataFrame, record, appendix: int) -> str:
    same_line = reconciliation[
        (reconciliation["check"] == "task_headcount") & (reconciliation["year"] == record.year) & (reconciliation["topic"] == record.topic)
    ]
    people = ", ".join(f"{int(row.computed)} người {row.level}" for row in same_line.itertuples(index=False) if row.computed)
    costs = reconciliation.loc[(reconciliation["check"] == "amount_total") & (reconciliation["year"] == record.year), "appendix"]
    priced_in = f"phụ lục {int(costs.iloc[0])}" if len(costs) else "phụ lục kinh phí"
    return f"Dòng thêm: phụ lục {appendix} của tài liệu không có dòng này, nhưng {priced_in} tính kinh phí cho {people}."


def round_half_up(value: float) -> int:
    """Whole millions as the document rounds them: 2 551,5 -> 2 552."""
    return math.floor(round(value, 6) + 0.5)


def number_text(value: float) -> str:
    """A figure inside a sentence, grouped as the document prints it: 1093.95 -> "1 093.95"."""
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ")


def summarise_years(priced_plan: pd.DataFrame, printed: pd.DataFrame, plan_appendices: pd.DataFrame) -> pd.DataFrame:
    """One row per plan year: headcount, amount (unrounded), the amount the document prints
    (``printed_million``) and a note naming the year's appendices."""
    years = priced_plan.groupby("year", as_index=False).agg(headcount=("headcount", "sum"), amount_million=("amount_million", "sum"))
    stated = printed[printed["kind"] == "amount_total"].set_index("year")["value"]
    appendix = plan_appendices.set_index(["year", "kind"])["appendix"]
    notes = []
    for year in years["year"]:
        numbers = [str(appendix[(year, kind)]) for kind in (TASKS, COSTS) if (year, kind) in appendix.index]
        notes.append(f"Phụ lục {' và '.join(numbers)}" if numbers else "")
    return years.assign(printed_million=years["year"].map(stated).astype(float), note=notes)


# ---------------------------------------------------------------- checks


class _Lines:
    """The plan's lines by (year, topic): their names and their TT in each appendix."""

    def __init__(self, plan: pd.DataFrame, topics: pd.DataFrame):
        keys = list(zip(plan["year"].astype(int), plan["topic"]))
        self.names = dict(zip(keys, plan_labels(plan, topics, COSTS)))
        self.numbers = {kind: dict(zip(keys, plan[column])) for kind, column in ((TASKS, "task_number"), (COSTS, "cost_number"))}

    def name(self, year: int, topic: str) -> str:
        return self.names.get((year, topic), topic)

    def line(self, year: int, topic: str, kind: str = COSTS) -> str:
        """"dòng 6 "Đào tạo nâng …"": a line as a reader finds it on the appendix page."""
        number = self.numbers[kind].get((year, topic))
        return f"dòng {number} \"{self.name(year, topic)}\"" if isinstance(number, str) else f"dòng \"{self.name(year, topic)}\""


def _task_headcounts(priced, printed, appendix, lines: _Lines) -> pd.DataFrame:
    keys = ["year", "topic", "level"]
    computed = priced[keys + ["headcount"]]
    both = computed.merge(printed[keys + ["value", "source"]].astype({"year": int}), on=keys, how="outer")
    both = both[both["headcount"].fillna(0).ne(0) | both["value"].notna()]
    rows = []
    for record in both.itertuples(index=False):
        year = int(record.year)
        tasks, costs = appendix.get((year, TASKS)), appendix.get((year, COSTS))
        source = f"Phụ lục {tasks or '?'} ↔ Phụ lục {costs or '?'}"
        item = f"Số lượng {lines.name(year, record.topic)} - {record.level}"
        computed_value = 0 if pd.isna(record.headcount) else record.headcount
        if pd.isna(record.value):
            explanation = f"Phụ lục {tasks} của tài liệu không ghi số lượng này; phụ lục {costs} tính kinh phí cho {int(computed_value)} người"
        elif record.value != computed_value:
            explanation = f"Số lượng ở phụ lục {tasks} khác số lượng được tính kinh phí ở phụ lục {costs} ({int(computed_value)} người)"
        else:
            explanation = AGREES
        rows.append(_row(year, source, item, record.value, computed_value, explanation == AGREES, explanation, "task_headcount", tasks, record.topic, record.level))
    return _frame(rows)


def _amounts(priced, printed, appendix, lines: _Lines) -> pd.DataFrame:
    summed = priced.groupby(["year", "topic"], as_index=False).agg(
        headcount=("headcount", "sum"), unit_price_million=("unit_price_million", "first"), amount_million=("amount_million", "sum")
    )
    both = summed.merge(printed[["year", "topic", "value", "source"]].astype({"year": int}), on=["year", "topic"], how="outer")
    rows = []
    for record in both.itertuples(index=False):
        year = int(record.year)
        item = f"Thành tiền {lines.name(year, record.topic)}"
        if pd.isna(record.value):
            explanation = "Tài liệu không in thành tiền của dòng này"
            agrees = False
        elif pd.isna(record.amount_million):
            explanation = "Tài liệu in thành tiền cho một dòng không có trong kế hoạch"
            agrees = False
        else:
            agrees = round_half_up(record.amount_million) == record.value
            explanation = AGREES if agrees else (
                f"Thành tiền in trong tài liệu khác số lượng × đơn giá ({int(record.headcount)} × {number_text(record.unit_price_million)})"
            )
        source = record.source if isinstance(record.source, str) else ""
        rows.append(_row(year, source, item, record.value, record.amount_million, agrees, explanation, "amount", appendix.get((year, COSTS)), record.topic, None))
    return _frame(rows)


def _level_totals(priced, printed, topics, appendix, lines: _Lines) -> pd.DataFrame:
    degree_topics = set(topics.loc[topics["kind"] == "đào tạo", "code"])
    rows = []
    for record in printed.itertuples(index=False):
        year, level = int(record.year), record.level
        year_lines = priced[(priced["year"] == year) & (priced["level"] == level)]
        computed = float(year_lines["headcount"].sum())
        difference = computed - record.value
        degree = year_lines[year_lines["topic"].isin(degree_topics) & (year_lines["headcount"] > 0)]
        if difference == 0:
            explanation = AGREES
        elif difference == degree["headcount"].sum():
            which = " và ".join(lines.line(year, topic) for topic in degree["topic"])
            counts = " + ".join(str(int(count)) for count in degree["headcount"])
            people = counts if len(degree) == 1 else f"{counts} = {int(difference)}"
            explanation = f"Dòng Tổng số của tài liệu không cộng {which} ({people} người)"
        else:
            explanation = "Dòng Tổng số của tài liệu khác tổng các dòng"
        rows.append(_row(year, record.source, f"Tổng số người - {level}", record.value, computed, difference == 0, explanation, "level_total", appendix.get((year, COSTS)), None, level))
    return _frame(rows)


def _amount_totals(priced, printed, appendix, lines: _Lines) -> pd.DataFrame:
    rows = []
    for record in printed.itertuples(index=False):
        year = int(record.year)
        amounts = priced[priced["year"] == year].groupby("topic", sort=False)["amount_million"].sum()
        computed = float(amounts.sum())
        agrees = round_half_up(computed) == record.value
        missing = [topic for topic, amount in amounts.items() if round_half_up(computed - amount) == record.value]
        if agrees:
            explanation = AGREES
        elif missing:
            topic = missing[0]
            explanation = f"Tổng số của tài liệu bỏ sót {lines.line(year, topic)} ({number_text(amounts[topic])} triệu đồng)"
        else:
            explanation = "Tổng số của tài liệu khác tổng thành tiền các dòng"
        rows.append(_row(year, record.source, "Tổng kinh phí năm", record.value, computed, agrees, explanation, "amount_total", appendix.get((year, COSTS)), None, None))
    return _frame(rows)


def _five_year_total(priced, printed) -> pd.DataFrame:
    rows = []
    yearly_printed = printed[printed["kind"] == "amount_total"]
    yearly_computed = priced.groupby("year")["amount_million"].sum()
    for record in printed[printed["kind"] == "five_year_total"].itertuples(index=False):
        computed = float(yearly_computed.sum())
        agrees = round_half_up(computed) == record.value
        wrong_years = [
            int(year) for year, value in zip(yearly_printed["year"], yearly_printed["value"])
            if round_half_up(yearly_computed.get(int(year), 0.0)) != value
        ]
        if agrees:
            explanation = AGREES
        elif yearly_printed["value"].sum() == record.value and wrong_years:
            explanation = f"Bằng tổng các số tổng năm in trong tài liệu, nên mang theo sai lệch của năm {', '.join(map(str, wrong_years))}"
        else:
            explanation = "Tổng kinh phí 5 năm của tài liệu khác tổng các năm"
        rows.append(_row(None, record.source, "Tổng kinh phí 5 năm (triệu đồng)", record.value, computed, agrees, explanation, "five_year_total", None, None, None))
    return _frame(rows)


def _wording(plan: pd.DataFrame, appendix, lines: _Lines) -> pd.DataFrame:
    """The typos the appendices keep: those named in plan.csv, and every TT out of sequence."""
    rows = []
    kept = "phụ lục giữ nguyên như tài liệu"
    for kind, number_column, label_column, typo_column in ((TASKS, "task_number", "task_label", "task_typo"), (COSTS, "cost_number", "cost_label", "cost_typo")):
        for year, year_plan in plan.sort_values(["year", "position"]).groupby("year", sort=True):
            year = int(year)
            number = appendix.get((year, kind))
            printed = year_plan[year_plan[label_column].notna()]
            top = printed[printed["parent"].isna()]
            for expected, record in enumerate(top.itertuples(index=False), start=1):
                shown = getattr(record, number_column)
                if isinstance(shown, str) and shown.rstrip(".") != str(expected):
                    item = f"Số thứ tự dòng thứ {expected}: {getattr(record, label_column)}"
                    explanation = f"Tài liệu in số thứ tự \"{shown}\" cho dòng thứ {expected}; {kept}"
                    rows.append(_row(year, f"Phụ lục {number}", item, None, None, False, explanation, WORDING, number, record.topic, None))
            for record in printed[printed[typo_column].notna()].itertuples(index=False):
                shown = getattr(record, number_column)
                where = f"dòng {shown.rstrip('.')}" if isinstance(shown, str) else "dòng"
                item = f"Cách viết {where}: {getattr(record, label_column)}"
                explanation = f"Tài liệu in {getattr(record, typo_column)}; {kept}"
                rows.append(_row(year, f"Phụ lục {number}", item, None, None, False, explanation, WORDING, number, record.topic, None))
    return _frame(rows)


# ---------------------------------------------------------------- helpers


def _row(year, source, item, printed, computed, agrees, explanation, check, appendix, topic, level) -> dict:
    printed = None if printed is None or pd.isna(printed) else float(printed)
    computed = None if computed is None or pd.isna(computed) else float(computed)
    difference = None if printed is None or computed is None else round(computed - printed, 6)
    return {
        "year": year, "source": source, "item": item, "printed": printed, "computed": computed,
        "difference": difference, "agrees": bool(agrees), "explanation": explanation,
        "check": check, "appendix": appendix, "topic": topic, "level": level,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    columns = list(schemas.Reconciliation.to_schema().columns)
    return pd.DataFrame(rows, columns=columns).astype({"year": "Int64", "agrees": bool, "appendix": "Int64"})

"""Reconcile: set every figure printed in the plan document against the pipeline's own.

The document is evidence, not truth: each printed total is re-derived from the
lines, and every disagreement gets both values, the difference and a one-line
explanation. Grain: one row per printed figure (``schemas.Reconciliation``).
"""

from __future__ import annotations

import math

import pandas as pd

import schemas

AGREES = "Khớp"


def reconcile(
    priced_plan: pd.DataFrame, printed: pd.DataFrame, plan_appendices: pd.DataFrame, topics: pd.DataFrame, plan: pd.DataFrame
) -> pd.DataFrame:
    """Compare the priced plan with the figures printed in the document.

    Args:
        priced_plan: the plan priced by ``costing.price`` (year, topic, level, headcount, unit_price_million, amount_million).
        printed: the document's figures (``schemas.PrintedFigure``).
        plan_appendices: which appendix holds each year's tasks and costs.
        topics: the catalogue, for names in explanations.
        plan: the plan's lines, for their labels.
    """
    names = _line_names(plan, topics)
    appendix = {(int(y), k): int(a) for y, k, a in zip(plan_appendices["year"], plan_appendices["kind"], plan_appendices["appendix"])}
    # Largest figures first: the five-year total, each year's total, then the details.
    checks = [
        _five_year_total(priced_plan, printed),
        _amount_totals(priced_plan, printed[printed["kind"] == "amount_total"], names),
        _level_totals(priced_plan, printed[printed["kind"] == "level_total"], topics),
        _amounts(priced_plan, printed[printed["kind"] == "amount"], names),
        _task_headcounts(priced_plan, printed[printed["kind"] == "task_headcount"], appendix, names),
    ]
    result = pd.concat(checks, ignore_index=True)
    return schemas.Reconciliation.validate(result)


def round_half_up(value: float) -> int:
    """Whole millions as the document rounds them: 2 551,5 -> 2 552."""
    return math.floor(round(value, 6) + 0.5)


# ---------------------------------------------------------------- checks


def _task_headcounts(priced, printed, appendix, names) -> pd.DataFrame:
    keys = ["year", "topic", "level"]
    computed = priced[keys + ["headcount"]]
    both = computed.merge(printed[keys + ["value", "source"]].astype({"year": int}), on=keys, how="outer")
    both = both[both["headcount"].fillna(0).ne(0) | both["value"].notna()]
    rows = []
    for record in both.itertuples(index=False):
        year = int(record.year)
        source = f"Phụ lục {appendix.get((year, 'nhiệm vụ'), '?')} ↔ Phụ lục {appendix.get((year, 'kinh phí'), '?')}"
        item = f"Số lượng {names.get((year, record.topic), record.topic)} - {record.level}"
        computed_value = 0 if pd.isna(record.headcount) else record.headcount
        if pd.isna(record.value):
            explanation = f"Phụ lục nhiệm vụ không ghi số lượng này; phụ lục kinh phí tính {int(computed_value)} người"
        elif record.value != computed_value:
            explanation = "Số lượng ở phụ lục nhiệm vụ khác số lượng được tính kinh phí"
        else:
            explanation = AGREES
        rows.append(_row(year, source, item, record.value, computed_value, explanation == AGREES, explanation))
    return _frame(rows)


def _amounts(priced, printed, names) -> pd.DataFrame:
    lines = priced.groupby(["year", "topic"], as_index=False).agg(
        headcount=("headcount", "sum"), unit_price_million=("unit_price_million", "first"), amount_million=("amount_million", "sum")
    )
    both = lines.merge(printed[["year", "topic", "value", "source"]].astype({"year": int}), on=["year", "topic"], how="outer")
    rows = []
    for record in both.itertuples(index=False):
        year = int(record.year)
        item = f"Thành tiền {names.get((year, record.topic), record.topic)}"
        if pd.isna(record.value):
            explanation = "Tài liệu không in thành tiền của dòng này"
            agrees = False
        elif pd.isna(record.amount_million):
            explanation = "Tài liệu in thành tiền cho một dòng không có trong kế hoạch"
            agrees = False
        else:
            agrees = round_half_up(record.amount_million) == record.value
            explanation = AGREES if agrees else (
                f"Thành tiền in trong tài liệu khác số lượng × đơn giá ({int(record.headcount)} × {_number(record.unit_price_million)})"
            )
        rows.append(_row(year, record.source if isinstance(record.source, str) else "", item, record.value, record.amount_million, agrees, explanation))
    return _frame(rows)


def _level_totals(priced, printed, topics) -> pd.DataFrame:
    degree_topics = set(topics.loc[topics["kind"] == "đào tạo", "code"])
    rows = []
    for record in printed.itertuples(index=False):
        year, level = int(record.year), record.level
        lines = priced[(priced["year"] == year) & (priced["level"] == level)]
        computed = float(lines["headcount"].sum())
        difference = computed - record.value
        degree = lines[lines["topic"].isin(degree_topics)]
        if difference == 0:
            explanation = AGREES
        elif difference == degree["headcount"].sum():
            explanation = f"Dòng Tổng số của tài liệu không cộng các dòng đào tạo nâng chuẩn (mã {', '.join(degree['topic'])}: {int(difference)} người)"
        else:
            explanation = "Dòng Tổng số của tài liệu khác tổng các dòng"
        rows.append(_row(year, record.source, f"Tổng số người - {level}", record.value, computed, difference == 0, explanation))
    return _frame(rows)


def _amount_totals(priced, printed, names) -> pd.DataFrame:
    rows = []
    for record in printed.itertuples(index=False):
        year = int(record.year)
        lines = priced[priced["year"] == year].groupby("topic")["amount_million"].sum()
        computed = float(lines.sum())
        agrees = round_half_up(computed) == record.value
        missing = [topic for topic, amount in lines.items() if round_half_up(computed - amount) == record.value]
        if agrees:
            explanation = AGREES
        elif missing:
            topic = missing[0]
            explanation = f"Tổng số của tài liệu bỏ sót dòng \"{names.get((year, topic), topic)}\" ({_number(lines[topic])} triệu đồng)"
        else:
            explanation = "Tổng số của tài liệu khác tổng thành tiền các dòng"
        rows.append(_row(year, record.source, "Tổng kinh phí năm", record.value, computed, agrees, explanation))
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
        rows.append(_row(None, record.source, "Tổng kinh phí 5 năm (triệu đồng)", record.value, computed, agrees, explanation))
    return _frame(rows)


# ---------------------------------------------------------------- helpers


def _line_names(plan: pd.DataFrame, topics: pd.DataFrame) -> dict[tuple[int, str], str]:
    names = topics.set_index("code")["name"]
    labels = plan["label"].fillna(plan["topic"].map(names))
    return {(int(year), topic): label for year, topic, label in zip(plan["year"], plan["topic"], labels)}


def _row(year, source, item, printed, computed, agrees, explanation) -> dict:
    printed = None if printed is None or pd.isna(printed) else float(printed)
    computed = None if computed is None or pd.isna(computed) else float(computed)
    difference = None if printed is None or computed is None else round(computed - printed, 6)
    return {
        "year": year, "source": source, "item": item, "printed": printed, "computed": computed,
        "difference": difference, "agrees": bool(agrees), "explanation": explanation,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    columns = list(schemas.Reconciliation.to_schema().columns)
    return pd.DataFrame(rows, columns=columns).astype({"year": "Int64", "agrees": bool})


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ")


def summarise_years(priced_plan: pd.DataFrame, printed: pd.DataFrame, plan_appendices: pd.DataFrame) -> pd.DataFrame:
    """One row per plan year: headcount, amount (unrounded) and a note with the document's own figure."""
    years = priced_plan.groupby("year", as_index=False).agg(headcount=("headcount", "sum"), amount_million=("amount_million", "sum"))
    stated = printed[printed["kind"] == "amount_total"].set_index("year")["value"]
    appendix = plan_appendices[plan_appendices["kind"] == "kinh phí"].set_index("year")["appendix"]
    notes = []
    for year, amount in zip(years["year"], years["amount_million"]):
        note = f"Phụ lục {appendix[year]}" if year in appendix.index else ""
        if year in stated.index:
            differs = "" if round_half_up(amount) == stated[year] else " - LỆCH, xem trang Đối chiếu"
            note += f"; tài liệu in {_number(stated[year])}{differs}"
        notes.append(note)
    return years.assign(note=notes)

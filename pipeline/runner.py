"""The run: chains the stages and publishes the outputs. Wiring only, no logic."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import aggregate, costing, ingest, reconcile, report, validate

EXIT_CLEAN, EXIT_REJECTED, EXIT_FAILED = 0, 1, 2


@dataclass(frozen=True)
class RunResult:
    """What a run did: its exit code, where it wrote, and the tables it produced."""

    exit_code: int
    output_folder: Path | None
    registrations: pd.DataFrame
    issues: pd.DataFrame
    files: pd.DataFrame
    message: str = ""


def run(inputs: Path, outputs: Path, period: str) -> RunResult:
    """Read ``inputs``, write ``outputs/<period>/``; exit code 0, 1 (inputs rejected) or 2."""
    try:
        reference = ingest.read_reference(inputs / "reference")
        validate.check_reference(reference)
    except ingest.ReferenceDataError as error:
        empty = pd.DataFrame()
        return RunResult(EXIT_FAILED, None, empty, empty, empty, str(error))

    cells, files, read_issues = ingest.read_registrations(inputs / "registrations", reference)
    registrations, issues, files = validate.check_registrations(cells, files, read_issues, reference)
    tables = aggregate.build_appendices(
        registrations, reference.appendices, reference.appendix_columns, reference.units
    )
    plan = reference.plan
    targets = costing.plan_targets(plan)
    prices = costing.unit_prices(plan)
    priced_plan = costing.price(targets, prices)
    reconciliation = reconcile.reconcile(priced_plan, reference.plan_printed, reference.plan_appendices, reference.topics, plan)
    registered = aggregate.city_headcounts(registrations)
    costs = costing.price(registered, prices)
    plan_years = sorted(set(plan["year"]))

    target = outputs / period
    staging = outputs / f".{period}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for year in sorted({table.year for table in tables}):
            report.write_appendices(
                staging / f"phu_luc_dang_ky_{year}.xlsx", [t for t in tables if t.year == year]
            )
        report.write_issue_report(staging / "validation_report.xlsx", issues, files)
        _write_plan(staging, reference, targets, prices, plan_years)
        report.write_summary(
            staging / f"tong_hop_{plan_years[0]}_{plan_years[-1]}.xlsx",
            reconcile.summarise_years(priced_plan, reference.plan_printed, reference.plan_appendices),
            aggregate.headcount_by_level(targets),
            reconciliation,
            f"TỔNG HỢP KINH PHÍ KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG {plan_years[0]}-{plan_years[-1]}",
        )
        for year in sorted(set(registered["year"]) & set(plan_years)):
            lines = aggregate.plan_lines(plan, registered, reference.topics, year, keep_empty=False)
            report.write_cost_workbook(
                staging / f"dang_ky_{year}_kinh_phi.xlsx",
                [("Kinh phí đăng ký", [f"KINH PHÍ THEO SỐ ĐĂNG KÝ NĂM {year}"], "(Tổng hợp từ số liệu đăng ký của các đơn vị)", costing.price_lines(lines, prices))],
                comparison=_named(aggregate.compare_with_plan(registered[registered["year"] == year], targets), reference.topics),
            )
        report.write_csv(staging / "data" / "plan.csv", priced_plan)
        report.write_csv(staging / "data" / "costs.csv", costs)
        report.write_csv(staging / "data" / "reconciliation.csv", reconciliation)
        report.write_csv(staging / "data" / "registrations.csv", registrations)
        report.write_csv(staging / "data" / "issues.csv", issues)
        report.write_csv(staging / "data" / "files.csv", files)
        _publish(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    rejected = (files["status"] == validate.REJECTED).any() if len(files) else False
    code = EXIT_REJECTED if rejected else EXIT_CLEAN
    return RunResult(code, target, registrations, issues, files)


def _write_plan(staging: Path, reference, targets: pd.DataFrame, prices: pd.DataFrame, years: list[int]) -> None:
    """The tasks workbook (appendices 1–5) and the cost workbook (6–10) of each plan year."""
    appendices = reference.plan_appendices.set_index(["year", "kind"])
    for year in years:
        tasks = appendices.loc[(year, "nhiệm vụ")]
        lines = aggregate.plan_lines(reference.plan, targets, reference.topics, year, keep_empty=True)
        report.write_plan_tasks(staging / f"ke_hoach_{year}_nhiem_vu.xlsx", lines, int(tasks["appendix"]), tasks["title"], tasks["attachment"])
        costs = appendices.loc[(year, "kinh phí")]
        lines = costing.price_lines(aggregate.plan_lines(reference.plan, targets, reference.topics, year, keep_empty=False), prices)
        headings = [f"PHỤ LỤC {int(costs['appendix'])}", costs["title"]]
        report.write_cost_workbook(staging / f"ke_hoach_{year}_kinh_phi.xlsx", [(f"PL{int(costs['appendix'])}", headings, costs["attachment"], lines)])


def _named(comparison: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    return comparison.assign(name=comparison["topic"].map(topics.set_index("code")["name"]))


def _publish(staging: Path, target: Path) -> None:
    """Swap the finished folder in; the previous outputs stay whole until the last moment."""
    previous = target.with_name(f".{target.name}.previous-{os.getpid()}")
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)

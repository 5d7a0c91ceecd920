"""Every output of a run, declared once: its name, what it depends on, how it is built.

An output that depends on the reference data alone (the plan's appendices) is written
once per reference data and code and then reused from the cache; one that depends on
the registrations is written on every run. Each output's tables are built by pure
functions (``aggregate``, ``costing``, ``reconcile``); the writers in ``report`` only
format. To add an appendix: add an ``Output`` to ``OUTPUTS``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import aggregate, campaign, costing, persons, reconcile, report, templates
from pipeline.reference import Reference
from pipeline.report import campaign as report_campaign
from pipeline.report import persons as report_persons

PERSONAL_FOLDER = "ca_nhan"  # the only outputs with names, birth dates and identifiers

REFERENCE, REGISTRATIONS = "reference", "registrations"


@dataclass(frozen=True, eq=False)
class Run:
    """What a run found, for the outputs that depend on the registrations.

    ``booked``: what each file books per row and unit (``campaign.summarise_booked``);
    ``as_of``: the run's day; ``deadline`` and ``named_year``: the ``--deadline`` and
    ``--year`` options; ``previous_submissions``: the status the previous run published.
    """

    registrations: pd.DataFrame
    issues: pd.DataFrame
    files: pd.DataFrame
    booked: pd.DataFrame
    registrations_csv: list[bytes]  # the lines of ``data/registrations.csv``, made as each file was checked, packed
    as_of: dt.date
    changes: pd.DataFrame | None = None
    previous_period: str | None = None
    previous_submissions: pd.DataFrame | None = None
    deadline: dt.date | None = None
    named_year: int | None = None
    persons: pd.DataFrame | None = None  # every person of the rosters, with the verdict (``schemas.persons.PersonCheck``)
    person_rules: persons.PersonRules | None = None
    samples: frozenset[str] = frozenset()  # files of illustrative data: what is built from them says so

    @functools.cached_property
    def headcounts(self) -> pd.DataFrame:
        """City-wide headcount per year, topic and level (``aggregate.city_headcounts``), once per run."""
        return aggregate.city_headcounts(self.registrations)

    def mark(self, reference: Reference, year: int) -> str:
        """"SỐ LIỆU MINH HỌA" when some of ``year``'s registrations come from illustrative files."""
        if not self.samples:
            return ""
        of_year = self.registrations[self.registrations["year"] == year]
        return reference.vocabulary.sample_mark if of_year["source_file"].isin(self.samples).any() else ""


@dataclass(frozen=True)
class Output:
    """One output, or one family of outputs (one per year).

    ``depends``: REFERENCE (the reference data alone) or REGISTRATIONS (the inputs too);
    ``write(folder, reference)`` or ``write(folder, reference, run)`` writes it into ``folder``.
    """

    name: str
    depends: str
    write: Callable[..., None]


def write(folder: Path, reference: Reference, run: Run | None = None, validation_only: bool = False) -> None:
    """Write into ``folder`` the outputs that depend on the reference data alone (no ``run``),
    or those that depend on the registrations (with ``run``; only the validation report's
    when ``validation_only``)."""
    for output in OUTPUTS:
        if run is None and output.depends == REFERENCE:
            output.write(folder, reference)
        elif run is not None and output.depends == REGISTRATIONS and (not validation_only or output.name in _VALIDATION):
            output.write(folder, reference, run)


# ---------------------------------------------------------------- the plan (reference data alone)


def _plan_tasks(folder: Path, reference: Reference) -> None:
    """The tasks appendix (1–5) of each plan year, in its own wording, the cells that differ
    from the printed plan marked and explained under the table."""
    appendices = reference.plan_appendices.set_index(["year", "kind"])
    targets = costing.plan_targets(reference.plan)
    reconciliation = _reconciliation(reference)
    for year in _plan_years(reference):
        tasks = appendices.loc[(year, aggregate.TASKS)]
        lines = aggregate.plan_lines(reference.plan, targets, reference.topics, year, keep_empty=True, wording=aggregate.TASKS)
        report.write_plan_tasks(
            folder / f"ke_hoach_{year}_nhiem_vu.xlsx", lines, int(tasks["appendix"]), tasks["title"], tasks["attachment"],
            topic_header=tasks["topic_header"], notes=reconcile.page_notes(reconciliation, int(tasks["appendix"])),
        )


def _plan_costs(folder: Path, reference: Reference) -> None:
    """The cost appendix (6–10) of each plan year, priced, in its own wording, corrections marked."""
    appendices = reference.plan_appendices.set_index(["year", "kind"])
    targets, prices = costing.plan_targets(reference.plan), costing.unit_prices(reference.plan)
    reconciliation = _reconciliation(reference)
    for year in _plan_years(reference):
        costs = appendices.loc[(year, aggregate.COSTS)]
        number = int(costs["appendix"])
        lines = costing.price_lines(aggregate.plan_lines(reference.plan, targets, reference.topics, year, keep_empty=False, wording=aggregate.COSTS), prices)
        sheet = report.CostSheet(
            f"PL{number}", [f"PHỤ LỤC {number}", costs["title"]], costs["attachment"], lines,
            topic_header=costs["topic_header"], total_label=costs["total_label"],
            notes=reconcile.page_notes(reconciliation, number), zeros=True, level_headers=reference.level_headers,
        )
        report.write_cost_workbook(folder / f"ke_hoach_{year}_kinh_phi.xlsx", [sheet])


@functools.lru_cache(maxsize=2)  # by identity: once per reference data
def _reconciliation(reference: Reference) -> pd.DataFrame:
    """The document's printed figures against the pipeline's own (``reconcile``)."""
    plan = reference.plan
    priced = costing.price(costing.plan_targets(plan), costing.unit_prices(plan))
    return reconcile.reconcile(priced, reference.plan_printed, reference.plan_appendices, reference.topics, plan)


def _plan_years(reference: Reference) -> list[int]:
    return sorted(set(reference.plan["year"]))


# ---------------------------------------------------------------- the registrations


def _registration_appendices(folder: Path, reference: Reference, run: Run) -> None:
    tables = aggregate.build_appendices(run.registrations, reference.appendices, reference.appendix_columns, reference.units)
    for year in sorted({table.year for table in tables}):
        report.write_appendices(folder / f"phu_luc_dang_ky_{year}.xlsx", [table for table in tables if table.year == year], mark=run.mark(reference, year))


def _summary(folder: Path, reference: Reference, run: Run) -> None:
    plan = reference.plan
    targets, prices = costing.plan_targets(plan), costing.unit_prices(plan)
    priced_plan = costing.price(targets, prices)
    years = _plan_years(reference)
    report.write_summary(
        folder / f"tong_hop_{years[0]}_{years[-1]}.xlsx",
        reconcile.summarise_years(priced_plan, reference.plan_printed, reference.plan_appendices),
        aggregate.headcount_by_level(targets, reference.plan_levels),
        _reconciliation(reference),
        f"TỔNG HỢP KINH PHÍ KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG {years[0]}-{years[-1]}",
        reference.level_headers,
        changes=run.changes,
        previous_period=run.previous_period,
        submission_changes=submission_changes(reference, run),
    )


def _registration_costs(folder: Path, reference: Reference, run: Run) -> None:
    plan = reference.plan
    targets, prices = costing.plan_targets(plan), costing.unit_prices(plan)
    registered = run.headcounts
    catalogue = reference.topics.set_index("code")["name"]
    for year in sorted(set(registered["year"]) & set(_plan_years(reference))):
        lines = aggregate.plan_lines(plan, registered, reference.topics, year, keep_empty=False)
        comparison = aggregate.compare_with_plan(registered[registered["year"] == year], targets)
        of_year = plan[plan["year"] == year]
        names = catalogue.to_dict() | dict(zip(of_year["topic"], aggregate.plan_labels(of_year, reference.topics)))  # the cost appendix's words
        report.write_cost_workbook(
            folder / f"dang_ky_{year}_kinh_phi.xlsx",
            [report.CostSheet("Kinh phí đăng ký", [f"KINH PHÍ THEO SỐ ĐĂNG KÝ NĂM {year}"], "(Tổng hợp từ số liệu đăng ký của các đơn vị)", costing.price_lines(lines, prices), level_headers=reference.level_headers)],
            comparison=comparison.assign(name=comparison["topic"].map(names)),
            coverage=campaigns(reference, run)[year].coverage if year in campaigns(reference, run) else None,
            mark=run.mark(reference, year),
        )


@functools.lru_cache(maxsize=2)  # by identity: a run and its reference data
def campaigns(reference: Reference, run: Run) -> dict[int, campaign.YearCampaign]:
    """Each year's registration campaign (who has answered, who must fix what), built once per run."""
    problems = campaign.attribute_issues(run.issues, run.booked)
    years = campaign.campaign_years(run.booked, run.files, run.named_year)
    found = {}
    for year in years:
        deadline, source = campaign.deadline_of(reference.deadlines, year, run.deadline, run.named_year or years[-1])
        units = templates.unit_list(reference, year)
        found[year] = campaign.year_campaign(units, run.files, run.booked, problems, year, years, deadline, source, run.as_of, run.previous_submissions)
    return found


def submission_changes(reference: Reference, run: Run) -> pd.DataFrame | None:
    """Whose status changed since the previous period, every year together (None: no previous period)."""
    found = [year_campaign.changes for year_campaign in campaigns(reference, run).values() if year_campaign.changes is not None]
    return pd.concat(found, ignore_index=True) if found else None


def _campaign(folder: Path, reference: Reference, run: Run) -> None:
    tables = []
    for year, year_campaign in campaigns(reference, run).items():
        report_campaign.write_campaign(folder, year_campaign)
        tables.append(campaign.submissions_table(year, year_campaign.status, year_campaign.undetermined, year_campaign.deadline))
    if tables:
        report.write_csv(folder / "data" / "submissions.csv", pd.concat(tables, ignore_index=True))


def _person_lists(folder: Path, reference: Reference, run: Run) -> None:
    """The people the rosters list: who must upgrade their degree, in priority order, per
    year; and every person and topic in ``persons.csv``. Personal data: ``ca_nhan/`` only."""
    if run.persons is None or run.persons.empty:
        return
    checks, rules = run.persons, run.person_rules
    for year in sorted(int(year) for year in checks["year"].dropna().unique()):
        of_year = checks[checks["year"] == year]
        report_persons.write_person_list(
            folder / PERSONAL_FOLDER / f"danh_sach_nang_chuan_{year}.xlsx", year,
            persons.order_by_priority(of_year, rules), of_year, persons.level_summary(of_year, reference.plan, rules, year), rules,
        )
    report_persons.write_persons_csv(folder / PERSONAL_FOLDER / "persons.csv", persons.person_topics(checks))


def _validation_report(folder: Path, reference: Reference, run: Run) -> None:
    report.write_issue_report(folder / "validation_report.xlsx", run.issues, run.files)
    report.write_csv(folder / "data" / "issues.csv", run.issues)
    report.write_csv(folder / "data" / "files.csv", run.files)


def _data(folder: Path, reference: Reference, run: Run) -> None:
    plan = reference.plan
    targets, prices = costing.plan_targets(plan), costing.unit_prices(plan)
    priced_plan = costing.price(targets, prices)
    report.write_csv_lines(folder / "data" / "registrations.csv", run.registrations.columns, run.registrations_csv)
    report.write_csv(folder / "data" / "plan.csv", priced_plan)
    report.write_csv(folder / "data" / "costs.csv", costing.price(run.headcounts, prices))
    report.write_csv(folder / "data" / "reconciliation.csv", _reconciliation(reference))
    if run.changes is not None:
        report.write_csv(folder / "data" / "changes.csv", run.changes)


_VALIDATION = {"validation_report.xlsx"}

OUTPUTS: list[Output] = [
    Output("ke_hoach_<năm>_nhiem_vu.xlsx", REFERENCE, _plan_tasks),
    Output("ke_hoach_<năm>_kinh_phi.xlsx", REFERENCE, _plan_costs),
    Output("validation_report.xlsx", REGISTRATIONS, _validation_report),
    Output("phu_luc_dang_ky_<năm>.xlsx", REGISTRATIONS, _registration_appendices),
    Output("tong_hop_<năm>_<năm>.xlsx", REGISTRATIONS, _summary),
    Output("dang_ky_<năm>_kinh_phi.xlsx", REGISTRATIONS, _registration_costs),
    Output("tinh_hinh_nop_<năm>.xlsx, phan_hoi/<năm>/", REGISTRATIONS, _campaign),
    Output("ca_nhan/danh_sach_nang_chuan_<năm>.xlsx, ca_nhan/persons.csv", REGISTRATIONS, _person_lists),
    Output("data/*.csv", REGISTRATIONS, _data),
]

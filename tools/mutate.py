"""Mutation check: break the code on purpose, one way at a time, and watch a test go red.

Each mutant below is a deliberate breakage of one promise of the README or of one
validation rule (``schemas/rules.py``): an exact snippet of a file and what replaces it,
the tests that must catch it, and what it breaks. For each mutant the checkout is copied
to a temporary folder (the worktree itself is never edited), the snippet is replaced
there, and the tests are run on that copy, with the copy's packages imported by the test
process and by every process the tests start (``PYTHONPATH`` and the working folder are
the copy's). A mutant whose tests all pass has *survived*: some promise can break with
the suite green. A snippet found nowhere, or more than once, is *not applicable*: the code
changed and the list must follow.

    python tools/mutate.py                 # every mutant, two at a time
    python tools/mutate.py --list          # the list, nothing run
    python tools/mutate.py --only NAME...  # some mutants
    python tools/mutate.py --jobs 1 --no-baseline

Exit code 0 when every mutant was killed; 1 when one survived, did not apply, or its
tests could not run; 2 when the copy does not import its own packages or its tests do
not pass unmutated (the baseline).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_IGNORED = shutil.ignore_patterns(".git", ".venv", "outputs", ".pytest_cache", "__pycache__", ".hypothesis", "*.egg-info", "build")
_SEED = "14"  # hypothesis draws the same examples on every run of the check


@dataclass(frozen=True)
class Mutant:
    """``file``: relative to the checkout; ``tests``: pytest paths or node ids, relative to
    the checkout, the likeliest to fail first; ``rule``: the validation rule it breaks, if any."""

    name: str
    file: str
    snippet: str
    replacement: str
    tests: tuple[str, ...]
    promise: str
    rule: str = ""


def _rule(name: str, file: str, snippet: str, replacement: str, tests: tuple[str, ...], promise: str) -> Mutant:
    return Mutant(f"rule {name}", file, snippet, replacement, tests, promise, rule=name)


def _check_off(name: str, expression: str, tests: tuple[str, ...], promise: str) -> Mutant:
    """The named check of ``schemas.Candidate`` passes every row."""
    return _rule(name, "schemas/__init__.py", f"        return {expression}\n", f"        return ({expression}) | True\n", tests, promise)


CLI, RUNNER, PUBLISH, CACHE, REPORT, READING = "pipeline/cli.py", "pipeline/runner.py", "pipeline/publish.py", "pipeline/cache.py", "pipeline/report/__init__.py", "pipeline/ingest/reading.py"
CSV_TEXT = "pipeline/csv_text.py"
VALIDATE, INGEST = "pipeline/validate.py", "pipeline/ingest/__init__.py"
PROMISES, ARCHIVES, REFRESH = "tests/test_promises.py", "tests/test_archive_promises.py", "tests/test_refresh.py"
VALIDATE_T, LAYOUTS, INGEST_T, READING_T, PROPERTY = "tests/test_validate.py", "tests/test_layouts.py", "tests/test_ingest.py", "tests/test_reading.py", "tests/test_messy_property.py"
CORPUS, LEDGER = "tests/test_messy_corpus.py", "tests/test_ledger_property.py"

MUTANTS: list[Mutant] = [
    # ------------------------------------------------------------ exit codes
    Mutant("a defect exits 1", CLI,
           "        typer.echo(traceback.format_exc(), err=True)\n        raise typer.Exit(runner.EXIT_FAILED) from None",
           "        typer.echo(traceback.format_exc(), err=True)\n        raise typer.Exit(runner.EXIT_REJECTED) from None",
           (f"{PROMISES}::test_a_defect_before_the_run_starts_exits_2", f"{PROMISES}::test_a_defect_exits_2_never_1_and_publishes_nothing"),
           "exit code 2 for the catch-all defect path"),
    Mutant("rejected files exit 0", RUNNER,
           'code = EXIT_REJECTED if (files["status"] == REJECTED).any() or people_held else EXIT_CLEAN',
           "code = EXIT_REJECTED if people_held else EXIT_CLEAN",
           (f"{PROMISES}::test_exit_codes_0_clean_1_rejected_2_cannot_proceed", VALIDATE_T),
           "exit code 1 when some input files were rejected"),
    Mutant("units that answered since last month not reported", "pipeline/outputs.py",
           "    return pd.concat(found, ignore_index=True) if found else None",
           "    return None",
           ("tests/test_campaign.py::test_month_over_month_names_units_that_answered_or_were_fixed",),
           "the change report says which units answered, or were fixed, since the previous period"),
    Mutant("people held back exit 0", RUNNER,
           'people_held = found.persons is not None and not found.persons["accepted"].all()',
           "people_held = False",
           ("tests/test_roster.py",),
           "exit code 1 when some people of a list were held back"),
    Mutant("broken reference data exits 1", RUNNER,
           "    except (RunStopped, ReferenceDataError) as stopped:\n        return RunResult(EXIT_FAILED, message=str(stopped))",
           "    except (RunStopped, ReferenceDataError) as stopped:\n        return RunResult(EXIT_REJECTED, message=str(stopped))",
           (f"{PROMISES}::test_exit_codes_0_clean_1_rejected_2_cannot_proceed", f"{REFRESH}::test_failed_run_keeps_previous_outputs_and_latest"),
           "exit code 2 when the run cannot proceed"),
    Mutant("a held lock exits 2", RUNNER,
           "            EXIT_LOCKED,\n            message=(",
           "            EXIT_FAILED,\n            message=(",
           (f"{PROMISES}::test_a_second_run_exits_3_naming_the_holder_and_a_killed_holder_blocks_nothing",),
           "exit code 3 when another run holds the outputs folder"),
    # ------------------------------------------------------------ --quiet
    Mutant("--quiet still prints the summary", CLI,
           "    if not quiet:\n        for line in _summary(result, validate_only):",
           "    if True:\n        for line in _summary(result, validate_only):",
           (f"{PROMISES}::test_quiet_prints_nothing_on_a_clean_run_and_only_errors_otherwise",),
           "--quiet prints errors only"),
    Mutant("--quiet still logs progress", CLI,
           "console = _console_log(quiet or interactive)",
           "console = _console_log(interactive)",
           (f"{PROMISES}::test_quiet_prints_nothing_on_a_clean_run_and_only_errors_otherwise", f"{PROMISES}::test_quiet_as_cron_runs_it"),
           "--quiet prints errors only"),
    # ------------------------------------------------------------ publishing and latest
    Mutant("latest not moved by a run", PUBLISH,
           "    if is_latest:\n        _swap_link(outputs / LATEST, Path(period))",
           "    if not is_latest:\n        _swap_link(outputs / LATEST, Path(period))",
           (f"{PROMISES}::test_each_period_is_a_link_to_a_whole_version_and_latest_follows_the_last_success", f"{REFRESH}::test_manifest_and_latest"),
           "outputs/latest points at the last period that succeeded"),
    Mutant("a link replaced in two steps", PUBLISH,
           '    temporary = link.parent / f".link-{uuid.uuid4().hex[:12]}"\n    temporary.symlink_to(points_to)\n    os.replace(temporary, link)  # rename(2): atomic',
           "    if link.is_symlink():\n        link.unlink()\n    link.symlink_to(points_to)",
           (f"{REFRESH}::test_run_killed_at_each_step_of_publishing_leaves_one_whole_version",),
           "publishing in one atomic step: a run killed at any moment leaves the previous outputs whole"),
    Mutant("the previous version removed before the new one is linked", PUBLISH,
           "    _swap_link(target, Path(VERSIONS) / version.name)\n    if is_latest:\n        _swap_link(outputs / LATEST, Path(period))\n    sweep(outputs)",
           "    target.unlink(missing_ok=True)\n    sweep(outputs)\n    _swap_link(target, Path(VERSIONS) / version.name)\n    if is_latest:\n        _swap_link(outputs / LATEST, Path(period))",
           (f"{REFRESH}::test_run_killed_at_each_step_of_publishing_leaves_one_whole_version",),
           "a run killed at any moment leaves the previous outputs complete"),
    Mutant("a run writes over the published folder", RUNNER,
           "            staging = publish.new_staging(outputs_folder)",
           "            staging = (outputs_folder / period).resolve() if (outputs_folder / period).is_dir() else publish.new_staging(outputs_folder)",
           (f"{REFRESH}::test_run_killed_while_writing_its_outputs_leaves_previous_outputs_whole",),
           "everything is written to a temporary folder and swapped in at the end"),
    Mutant("replaced versions never swept", PUBLISH,
           "        if version.name not in in_use:\n            shutil.rmtree(version, ignore_errors=True)",
           "        if False:\n            shutil.rmtree(version, ignore_errors=True)",
           (f"{PROMISES}::test_each_period_is_a_link_to_a_whole_version_and_latest_follows_the_last_success", f"{REFRESH}::test_run_killed_at_each_step_of_publishing_leaves_one_whole_version"),
           "the next run sweeps up what a killed run left"),
    # ------------------------------------------------------------ the lock
    Mutant("no lock", PUBLISH,
           "            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)",
           "            pass",
           (f"{PROMISES}::test_a_second_run_exits_3_naming_the_holder_and_a_killed_holder_blocks_nothing", f"{REFRESH}::test_two_runs_started_together_exactly_one_writes"),
           "two runs never write the same outputs folder at once"),
    Mutant("a lock file left by a dead run blocks", PUBLISH,
           "            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)",
           '            if handle.tell() > 0:\n                raise OSError("held")',
           (f"{PROMISES}::test_a_second_run_exits_3_naming_the_holder_and_a_killed_holder_blocks_nothing", f"{REFRESH}::test_lock_names_its_holder_and_a_dead_holder_does_not_block"),
           "the lock is released by the system when its holder dies"),
    Mutant("the lock is inherited by forked workers", PUBLISH,
           "            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)",
           "            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)",
           (f"{REFRESH}::test_a_forked_child_never_keeps_the_lock",),
           "a crashed run never blocks the next (its workers do not keep the lock)"),
    Mutant("the holder's start time not named", RUNNER,
           ", bắt đầu lúc {holder.get('started', '?')}\"",
           '"',
           (f"{PROMISES}::test_a_second_run_exits_3_naming_the_holder_and_a_killed_holder_blocks_nothing",),
           "the message names its process, command and start time"),
    # ------------------------------------------------------------ the manifest
    Mutant("manifest lists no output", REPORT,
           'json.dumps(manifest | {"outputs": outputs}',
           'json.dumps(manifest | {"outputs": {}}',
           (f"{PROMISES}::test_manifest_lists_every_output_with_its_sha256_and_every_input", f"{REFRESH}::test_manifest_and_latest"),
           "manifest.json: every output with its sha256"),
    Mutant("manifest leaves out the outputs in folders", REPORT,
           "        for item in sorted(folder.rglob(\"*\"))\n        if item.is_file() and item != path",
           "        for item in sorted(folder.glob(\"*\"))\n        if item.is_file() and item != path",
           (f"{PROMISES}::test_manifest_lists_every_output_with_its_sha256_and_every_input",),
           "manifest.json: every output with its sha256"),
    Mutant("manifest's sha256 of the name", REPORT,
           "item.relative_to(folder).as_posix(): hashlib.sha256(item.read_bytes()).hexdigest()",
           "item.relative_to(folder).as_posix(): hashlib.sha256(item.name.encode()).hexdigest()",
           (f"{PROMISES}::test_manifest_lists_every_output_with_its_sha256_and_every_input",),
           "manifest.json: every output with its sha256"),
    Mutant("manifest's exit code always 0", RUNNER,
           '        "exit_code": code,',
           '        "exit_code": EXIT_CLEAN,',
           (f"{PROMISES}::test_manifest_lists_every_output_with_its_sha256_and_every_input",),
           "manifest.json: the exit code"),
    Mutant("manifest leaves out rejected inputs", RUNNER,
           '            for row in files.to_dict("records")\n        ],',
           '            for row in files.to_dict("records") if row["status"] != REJECTED\n        ],',
           (f"{PROMISES}::test_manifest_lists_every_output_with_its_sha256_and_every_input",),
           "manifest.json: every input with size, sha256, status"),
    Mutant("manifest's input size wrong", RUNNER,
           '"size_bytes": int(row["size_bytes"])',
           '"size_bytes": int(row["rows"])',
           (f"{PROMISES}::test_manifest_lists_every_output_with_its_sha256_and_every_input",),
           "manifest.json: every input with size, sha256, status"),
    # ------------------------------------------------------------ the caches
    Mutant("plan workbooks never reused", CACHE,
           "    reused = _is_whole(entry)",
           "    reused = False",
           (f"{PROMISES}::test_a_rerun_reuses_every_unchanged_file_and_the_plan_and_says_so", f"{REFRESH}::test_same_inputs_give_identical_bytes_with_or_without_cache"),
           "the plan's workbooks are copied from the cache while the reference data is unchanged"),
    Mutant("ingest cache not keyed on the reference data", CACHE,
           '        self.digest = hashlib.sha256(f"{reference_digest}\\0{CODE_DIGEST}".encode()).hexdigest()[:16]',
           '        self.digest = hashlib.sha256(f"{CODE_DIGEST}".encode()).hexdigest()[:16]',
           (f"{PROMISES}::test_a_file_rejected_for_its_unit_is_accepted_once_the_alias_is_added",),
           "a file is not parsed again while its bytes and the reference data did not change"),
    Mutant("ingest cache not keyed on the code", CACHE,
           '        self.digest = hashlib.sha256(f"{reference_digest}\\0{CODE_DIGEST}".encode()).hexdigest()[:16]',
           '        self.digest = hashlib.sha256(f"{reference_digest}".encode()).hexdigest()[:16]',
           (f"{PROMISES}::test_other_code_reads_every_file_again_and_writes_the_plan_again",),
           "the cache never serves a result computed by other code"),
    Mutant("plan cache not keyed on the reference data", CACHE,
           '    key = hashlib.sha256(f"{reference_digest}\\0{CODE_DIGEST}".encode()).hexdigest()[:32]',
           '    key = hashlib.sha256(f"{CODE_DIGEST}".encode()).hexdigest()[:32]',
           (f"{PROMISES}::test_a_file_rejected_for_its_unit_is_accepted_once_the_alias_is_added", f"{REFRESH}::test_plan_workbooks_are_reused_only_while_the_reference_data_is_unchanged"),
           "the plan's workbooks are reused only while the reference data is unchanged"),
    Mutant("plan cache not keyed on the code", CACHE,
           '    key = hashlib.sha256(f"{reference_digest}\\0{CODE_DIGEST}".encode()).hexdigest()[:32]',
           '    key = hashlib.sha256(f"{reference_digest}".encode()).hexdigest()[:32]',
           (f"{PROMISES}::test_other_code_reads_every_file_again_and_writes_the_plan_again",),
           "the plan's workbooks are reused only while the code is unchanged"),
    Mutant("code digest over top-level modules only", CACHE,
           '        for path in sorted(package.rglob("*.py")):',
           '        for path in sorted(package.glob("*.py")):',
           (f"{PROMISES}::test_the_code_digest_covers_every_module_of_both_packages",),
           "the cache is keyed on the whole package's source"),
    Mutant("code digest without schemas", CACHE,
           '_PACKAGES = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "schemas")',
           "_PACKAGES = (Path(__file__).resolve().parent,)",
           (f"{PROMISES}::test_the_code_digest_covers_every_module_of_both_packages",),
           "the cache is keyed on the whole package's source"),
    Mutant("ingest cache keyed on the file name alone", CACHE,
           'return hashlib.sha256(f"{name}\\0{file_digest}".encode("utf-8")).hexdigest()',
           'return hashlib.sha256(f"{name}".encode("utf-8")).hexdigest()',
           (f"{REFRESH}::test_unchanged_inputs_are_not_parsed_again",),
           "a file whose bytes changed is parsed again"),
    Mutant("reference digest of the file names alone", "pipeline/reference.py",
           '            digest.update(path.name.encode("utf-8") + b"\\0" + file_digest(path).encode("ascii"))',
           '            digest.update(path.name.encode("utf-8"))',
           (f"{PROMISES}::test_a_file_rejected_for_its_unit_is_accepted_once_the_alias_is_added",),
           "the caches follow the reference data"),
    # ------------------------------------------------------------ formulas never run
    Mutant("CSV guard reduced to = and @", CSV_TEXT,
           'FORMULA_STARTS = ("=", "+", "-", "@", "\\t", "\\r")',
           'FORMULA_STARTS = ("=", "@")',
           ("tests/test_csv.py", f"{PROMISES}::test_what_a_clerk_typed_is_never_run_as_a_formula"),
           "CSV: text that starts a formula is written with an apostrophe"),
    Mutant("CSV guard without tab and carriage return", CSV_TEXT,
           'FORMULA_STARTS = ("=", "+", "-", "@", "\\t", "\\r")',
           'FORMULA_STARTS = ("=", "+", "-", "@")',
           ("tests/test_csv.py",),
           "CSV: text that starts a formula is written with an apostrophe"),
    Mutant("CSV guard takes any text starting with a digit for a number", CSV_TEXT,
           '_NUMBER = re.compile(r"^[-+]?[\\d.,\\s]+$")',
           '_NUMBER = re.compile(r"^[-+]?[\\d.,\\s]")',
           (f"{PROMISES}::test_what_a_clerk_typed_is_never_run_as_a_formula", "tests/test_csv.py"),
           "CSV: text that starts a formula is written with an apostrophe"),
    Mutant("the validation report writes formula-like text as formulas", REPORT,
           "        sheet.write_string(row, column, text, style)\n        return",
           '        sheet.write_formula(row, column, text, style) if text.startswith("=") else sheet.write_string(row, column, text, style)\n        return',
           (f"{PROMISES}::test_what_a_clerk_typed_is_never_run_as_a_formula",),
           "what a clerk typed is never run as a formula"),
    # ------------------------------------------------------------ archive limits
    Mutant("file limit 40 MB", READING,
           "    max_file_bytes: int = 20 * 1024 * 1024",
           "    max_file_bytes: int = 40 * 1024 * 1024",
           (f"{ARCHIVES}::test_a_file_of_20_megabytes_is_read_and_one_byte_more_is_held_back",),
           "an oversized (20 MB) file is rejected"),
    Mutant("a file of exactly 20 MB refused", READING,
           "    if size > limits.max_file_bytes:",
           "    if size >= limits.max_file_bytes:",
           (f"{ARCHIVES}::test_a_file_of_20_megabytes_is_read_and_one_byte_more_is_held_back",),
           "an oversized (20 MB) file is rejected"),
    Mutant("unpacked limit 400 MB", READING,
           "    max_unpacked_bytes: int = 200 * 1024 * 1024",
           "    max_unpacked_bytes: int = 400 * 1024 * 1024",
           (f"{ARCHIVES}::test_an_archive_unpacking_to_200_megabytes_is_read_and_one_byte_more_is_held_back",),
           "a zip-bomb file (200 MB unpacked) is rejected"),
    Mutant("declared unpacked size not checked", READING,
           "    if declared > limits.max_unpacked_bytes:",
           "    if False:",
           (f"{ARCHIVES}::test_an_archive_unpacking_to_200_megabytes_is_read_and_one_byte_more_is_held_back", "tests/test_ingest.py::test_zip_bomb_is_not_expanded"),
           "a zip-bomb file (200 MB unpacked) is rejected"),
    # ------------------------------------------------------------ checksums
    Mutant("zip checksums not verified", READING,
           "    with archive.open(member) as stream:\n",
           "    with archive.open(member) as stream:\n        stream._expected_crc = None\n",
           (f"{ARCHIVES}::test_two_counts_edited_with_the_total_unchanged_are_caught_by_the_checksum", PROPERTY),
           "a corrupt file is rejected (a part's checksum is verified)"),
    # ------------------------------------------------------------ every appendix of every year
    Mutant("2027 and 2028 tasks appendices with 2026's lines", "pipeline/outputs.py",
           "lines = aggregate.plan_lines(reference.plan, targets, reference.topics, year, keep_empty=True, wording=aggregate.TASKS)",
           "lines = aggregate.plan_lines(reference.plan, targets, reference.topics, 2026 if year in (2027, 2028) else year, keep_empty=True, wording=aggregate.TASKS)",
           ("tests/test_plan.py::test_tasks_workbooks_mirror_appendices_1_to_5",),
           "ke_hoach_<year>_nhiem_vu.xlsx: the tasks appendix of the year"),
    Mutant("2028 cost appendix with 2029's lines", "pipeline/outputs.py",
           "aggregate.plan_lines(reference.plan, targets, reference.topics, year, keep_empty=False, wording=aggregate.COSTS)",
           "aggregate.plan_lines(reference.plan, targets, reference.topics, 2029 if year == 2028 else year, keep_empty=False, wording=aggregate.COSTS)",
           ("tests/test_plan.py::test_cost_workbooks_match_the_document_line_by_line",),
           "ke_hoach_<year>_kinh_phi.xlsx: the cost appendix of the year"),
    Mutant("2024 appendices without their last unit", "pipeline/aggregate.py",
           "body = body.loc[sorted(body.index, key=lambda unit: (unit_order.get(unit, len(unit_order)), unit))]",
           "body = body.loc[sorted(body.index, key=lambda unit: (unit_order.get(unit, len(unit_order)), unit))[:-1]]",
           ("tests/test_end_to_end.py::test_compiled_appendices_reproduce_the_document",),
           "phu_luc_dang_ky_<year>.xlsx: the compiled appendices of the registrations"),
    Mutant("2024 appendix 1 with its two columns swapped", "pipeline/aggregate.py",
           '.reindex(columns=list(columns["position"]), fill_value=0)',
           '.reindex(columns=list(columns["position"])[::-1], fill_value=0)',
           ("tests/test_end_to_end.py::test_compiled_appendices_reproduce_the_document",),
           "phu_luc_dang_ky_<year>.xlsx: the compiled appendices of the registrations"),
    # ------------------------------------------------------------ more ways to lose a number or a promise
    Mutant("nothing to read publishes an empty month", RUNNER,
           "    _check_there_is_something_to_read(folder)\n",
           "    pass\n",
           (f"{REFRESH}::test_nothing_to_read_is_not_an_empty_month",),
           "a run with nothing to read stops with exit 2, the previous outputs staying latest"),
    Mutant("validate moves latest", RUNNER,
           "is_latest=not validate_only)",
           "is_latest=True)",
           (f"{REFRESH}::test_validate_writes_only_the_report", f"{PROMISES}::test_each_period_is_a_link_to_a_whole_version_and_latest_follows_the_last_success"),
           "outputs/latest points at the last period that succeeded (validate writes to kiem_tra/ only)"),
    Mutant("manifest's input sha256 left out", RUNNER,
           '"sha256": row["sha256"], "status"',
           '"sha256": "", "status"',
           (f"{PROMISES}::test_manifest_lists_every_output_with_its_sha256_and_every_input", f"{REFRESH}::test_manifest_and_latest"),
           "manifest.json: every input with size, sha256, status"),
    Mutant("a damaged plan cache entry served", CACHE,
           "        return present == set(listing) and all(_sha256(entry / name) == digest for name, digest in listing.items())",
           "        return present == set(listing)",
           (f"{PROMISES}::test_a_damaged_plan_cache_entry_is_written_again", f"{REFRESH}::test_plan_workbooks_are_reused_only_while_the_reference_data_is_unchanged"),
           "the cache may be deleted (or damaged) at any time without changing any result"),
    Mutant("a rejected file's numbers kept", VALIDATE,
           'bookings[~bookings["source_file"].isin(rejected)][REGISTRATION_COLUMNS]',
           'bookings[REGISTRATION_COLUMNS]',
           (VALIDATE_T, PROPERTY),
           "rejection is per file: one error holds back every number of that file"),
    Mutant("a total within 1 of its rows accepted", VALIDATE,
           "                if _total_matches(stated, since, above, typed_since, typed_above, typed_whole, typed_below):\n",
           "                if _total_matches(stated, since, above, typed_since, typed_above, typed_whole, typed_below) or abs(stated - (sum_since if since else whole)) <= 1:\n",
           (VALIDATE_T, PROPERTY),
           "a \"Tổng số\" row that does not add up is rejected"),
    Mutant("a closing total of 0 matches the empty stretch after it", VALIDATE,
           "        return stated in (sum_since, sum_above)\n",
           "        return stated in (sum_since, sum_above, sum_below)\n",
           (LAYOUTS, PROPERTY),
           "a total must equal the rows it closes, whatever it says (0 included)"),
    Mutant("labels of a level's groups not checked", "schemas/__init__.py",
           '    return ~df["role"].isin(["data", "group"])',
           '    return ~df["role"].isin(["data"])',
           ("tests/test_rule_cases.py::test_an_unknown_unit_holds_the_file_back_whatever_the_columns_layout", LAYOUTS),
           "a unit or topic not found holds its file back, whatever the columns' layout"),
    Mutant("two members of one name read", READING,
           "    if any(count > 1 for count in names.values()):",
           "    if False:",
           (READING_T,),
           "a corrupt file is rejected"),
    Mutant("an encrypted part read", READING,
           "    if any(member.flag_bits & 0x1 for member in wanted):",
           "    if False:",
           (f"{ARCHIVES}::test_a_sheet_encrypted_inside_the_archive_is_held_back_for_its_password", READING_T),
           "a password-protected file is rejected as such"),
    Mutant("credits taught fixed at 30", "pipeline/costing.py",
           '    per_credit = plan["price_per_credit_million"].astype(float) * plan["credits_taught"].astype(float)',
           '    per_credit = plan["price_per_credit_million"].astype(float) * 30',
           ("tests/test_plan.py::test_cost_workbooks_match_the_document_line_by_line",),
           "each \"Thành tiền\" is the people on the line times the year's price"),
    Mutant("amounts rounded to the million", "pipeline/costing.py",
           '    priced = priced.assign(amount_million=priced["headcount"] * priced["unit_price_million"])',
           '    priced = priced.assign(amount_million=(priced["headcount"] * priced["unit_price_million"]).round())',
           ("tests/test_plan.py::test_plan_and_costs_exports",),
           "data/plan.csv, data/costs.csv: amount_million unrounded"),
    Mutant("2024 appendices in alphabetical order", "pipeline/aggregate.py",
           "key=lambda unit: (unit_order.get(unit, len(unit_order)), unit))]",
           "key=lambda unit: unit)]",
           ("tests/test_end_to_end.py::test_compiled_appendices_reproduce_the_document",),
           "phu_luc_dang_ky_<year>.xlsx: units in the order of the list"),
    Mutant("a clean run or a rejected one exits 0", CLI,
           "\n    raise typer.Exit(result.exit_code)\n",
           "\n    raise typer.Exit(0)\n",
           (f"{PROMISES}::test_exit_codes_0_clean_1_rejected_2_cannot_proceed",),
           "exit code 1 when some input files were rejected"),
    Mutant("CSV guard quotes numbers too", CSV_TEXT,
           "    if text.startswith(FORMULA_STARTS) and not _NUMBER.match(text):",
           "    if text.startswith(FORMULA_STARTS):",
           ("tests/test_csv.py",),
           "CSV: what reads as a number stays as typed (\"-12\", \"+84 912\")"),
    Mutant("registrations.csv keeps a rejected file's rows", VALIDATE,
           "if status == ACCEPTED and len(result.bookings)]",
           "if len(result.bookings)]",
           ("tests/test_csv.py::test_registrations_csv_joined_file_by_file_is_what_pandas_writes_for_the_table",),
           "data/registrations.csv: the accepted rows, as pandas writes the table"),
    Mutant("registrations.csv puts the people a list counts first", VALIDATE,
           "    return [result.registration_lines for result in accepted] + [csv_text.pack(csv_text.lines([counted[column].tolist() for column in REGISTRATION_COLUMNS]))]",
           "    return [csv_text.pack(csv_text.lines([counted[column].tolist() for column in REGISTRATION_COLUMNS]))] + [result.registration_lines for result in accepted]",
           ("tests/test_csv.py::test_registrations_csv_joined_file_by_file_is_what_pandas_writes_for_the_table",),
           "data/registrations.csv: the accepted rows, as pandas writes the table"),
    Mutant("a file's registration lines leave out the guard", CSV_TEXT,
           "    csv.writer(buffer, lineterminator=\"\\n\").writerows(zip(*(_shown(column) for column in columns)))",
           "    csv.writer(buffer, lineterminator=\"\\n\").writerows(zip(*columns))",
           ("tests/test_csv.py::test_registrations_csv_joined_file_by_file_is_what_pandas_writes_for_the_table",),
           "CSV: text that starts a formula is written with an apostrophe"),
    Mutant("only the first total row of a table checked", VALIDATE,
           "            for previous, total in zip(starts, totals):\n",
           "            for previous, total in zip(starts[:1], totals[:1]):\n",
           (VALIDATE_T, LAYOUTS, PROPERTY),
           "a \"Tổng số\" row that does not add up is rejected (every one of them)"),
    # ------------------------------------------------------------ the rules, cell by cell (schemas.Candidate)
    _check_off("year_found", 'df["year"].notna()', (VALIDATE_T, INGEST_T), "a table whose year cannot be found holds its file back"),
    _check_off("unit_found", '_not_data(df) | df["year"].isna() | df["unit"].notna() | df["unit_cell"].notna()', (VALIDATE_T,), "a table whose unit cannot be found holds its file back"),
    _check_off("unit_named", '_not_data(df) | df["unit_cell"].isna() | df["unit_label"].notna()', (VALIDATE_T, LAYOUTS), "a row with numbers and a blank unit cell holds its file back"),
    _check_off("unit_known", '_not_data(df) | df["year"].isna() | df["unit_label"].isna() | df["unit"].notna()', (VALIDATE_T, CORPUS), "a unit not in that year's list holds its file back"),
    _check_off("unit_confirmed", '_not_data(df) | (df["unit_match"] != "fuzzy")', (VALIDATE_T, CORPUS), "a unit matched loosely is a warning to confirm"),
    _check_off("unit_former_kind", '_not_data(df) | (df["unit_match"] != "former_kind")', (LAYOUTS,), "a unit named with the kind of another year is a warning"),
    _check_off("topic_found", '_not_data(df) | ~df["topic_in_column"] | df["topic"].notna()', (VALIDATE_T,), "a table whose programme cannot be found holds its file back"),
    _check_off("topic_named", '_not_data(df) | df["topic_in_column"] | df["topic_label"].notna() | (df["topic_match"] == "code")', (VALIDATE_T,), "a row with numbers and a blank topic cell holds its file back"),
    _check_off("topic_known", '_not_data(df) | df["topic_in_column"] | df["topic_label"].isna() | df["topic"].notna()', (LAYOUTS, VALIDATE_T), "a topic not in the catalogue holds its file back"),
    _check_off("topic_confirmed", '_not_data(df) | (df["topic_match"] != "fuzzy")', (VALIDATE_T, LAYOUTS), "a topic matched with typos is a warning to confirm"),
    _check_off("topic_by_code", '_not_data(df) | (df["topic_match"] != "code")', ("tests/test_templates.py", VALIDATE_T), "a topic read by its code is a warning to confirm"),
    _check_off("level_known", '_not_data(df) | df["topic"].isna() | df["level"].notna()', (VALIDATE_T,), "a column whose level cannot be found holds its file back"),
    _check_off("cell_not_error", '~df["is_error"]', (LAYOUTS, "tests/test_reading.py"), "an Excel error value is not a number"),
    _check_off("headcount_not_date", '~df["is_date"]', (LAYOUTS,), "a count turned into a date is not a number"),
    _check_off("formula_has_value", '~df["is_formula_without_value"] | df["role"].isin(["total", "row_total", "subtotal"])', (VALIDATE_T, INGEST_T, PROPERTY), "a number saved as a formula without its value holds its file back"),
    _check_off("headcount_is_number", 'df["is_number"] | df["is_error"] | df["is_date"] | df["is_ambiguous"]', (VALIDATE_T,), "non-numeric headcounts are rejected"),
    _check_off("number_style_clear", '~df["is_ambiguous"]', (LAYOUTS,), "a number that reads two ways in a CSV holds its file back"),
    _check_off("headcount_not_negative", '~(df["headcount"] < 0)', (VALIDATE_T,), "negative headcounts are rejected"),
    _check_off("headcount_whole", 'df["headcount"].isna() | (df["headcount"] == df["headcount"].round())', (VALIDATE_T,), "fractional headcounts are rejected"),
    _check_off("level_applies", 'level_in_topic(df["level"], df["topic_levels"]) | ~(df["headcount"] > 0) | _not_data(df)', (VALIDATE_T,), "a level the topic does not apply to is rejected"),
    # ------------------------------------------------------------ the rules over a table (validate)
    _rule("total_adds_up", VALIDATE,
          "                if _total_matches(stated, since, above, typed_since, typed_above, typed_whole, typed_below):\n",
          "                if True:\n",
          (VALIDATE_T, LAYOUTS, PROPERTY), "a \"Tổng số\" row that does not add up is rejected"),
    _rule("row_total_adds_up", VALIDATE,
          "                elif plan.role == TOTAL and key is None and cell.headcount != reference and not row.is_total:",
          "                elif False:",
          (LAYOUTS,), "a row's total column must equal its levels"),
    _rule("part_within_total", VALIDATE,
          "                if plan.role == PART and cell.headcount > reference:",
          "                if False:",
          (LAYOUTS, LEDGER), "an \"of which\" part is never above its total"),
    _rule("groups_add_up", VALIDATE,
          "                if parts != total and any(cell.stated for cell in cells if self._position(cell) in groups):",
          "                if False:",
          ("tests/test_rule_cases.py", LAYOUTS), "groups beside a level's total add up to it"),
    _rule("columns_split_unclear", VALIDATE,
          '            unclear.append(("columns_split_unclear", key, counts + totals + groups))',
          "            booked[key] = (counts + totals + groups)[:1]",
          (LAYOUTS,), "columns of one level that cannot be told apart hold the file back"),
    _rule("columns_part_only", VALIDATE,
          '            unclear.append(("columns_part_only", key, parts))',
          "            booked[key] = parts",
          (LAYOUTS,), "a level given only as an \"of which\" part holds the file back"),
    _rule("subtotal_unclear", VALIDATE,
          "                else:\n                    self.unclear_rows.add(row.index)",
          "                else:\n                    pass",
          (LAYOUTS, LEDGER), "a row that may be a group's or a unit's holds the file back"),
    _rule("subtotal_checked", VALIDATE,
          '                found.append(RULES["subtotal_checked"].issue(',
          '                None and found.append(RULES["subtotal_checked"].issue(',
          (LAYOUTS,), "a group row is checked, never booked, and said so"),
    Mutant("group rows booked as units", VALIDATE,
           "                if group_like[head] or (confirmed and len(found) == 1):\n                    self.subtotal_rows[row.index]",
           "                if False:\n                    self.subtotal_rows[row.index]",
           (LAYOUTS, "tests/test_item_rows.py", LEDGER),
           "a group row's subtotal is checked, never booked"),
    Mutant("a sub-item numbered 8.1 taken for a group's row", VALIDATE,
           'return bool(numbering) and not numbering.replace(".", "").isdigit()',
           "return bool(numbering) and not numbering.isdigit()",
           ("tests/test_item_rows.py",),
           "an untouched form is accepted with no problem reported; no figure lost to a group row"),
    Mutant("units heading rows marked as groups' read as group rows", VALIDATE,
           "                found = [found[marked.index(True)]] if marked.count(True) == 1 else [(found[0][0] + found[1][0], False)]",
           "                found = [found[0]]",
           ("tests/test_item_rows.py::test_clusters_of_one_unit_closed_by_their_group_rows", LEDGER),
           "a group row's subtotal is checked, never booked, and its units booked"),
    _rule("sent_once", VALIDATE,
          "    duplicated = bookings[bookings.duplicated(keys, keep=False)]",
          '    duplicated = bookings[bookings.duplicated(keys, keep="first")]',
          (VALIDATE_T, "tests/test_campaign.py"), "the same figure sent twice: every copy is held back"),
    # ------------------------------------------------------------ what a reader sets aside (warnings)
    _rule("column_skipped", VALIDATE,
          '                plan.structure_issues.append(RULES["column_skipped"]',
          '                None and plan.structure_issues.append(RULES["column_skipped"]',
          (VALIDATE_T, LAYOUTS, CORPUS), "a column set aside is listed as a warning"),
    _rule("row_skipped", VALIDATE,
          '                    self.structure_issues.append(RULES["row_skipped"]',
          '                    None and self.structure_issues.append(RULES["row_skipped"]',
          (VALIDATE_T, LAYOUTS, PROPERTY, CORPUS), "a row set aside is listed as a warning"),
    _rule("sheet_without_table", INGEST,
          '            problems.append(RULES["sheet_without_table"].issue(name, grid.sheet, where=_hidden_sheet(grid)))',
          "            pass",
          (INGEST_T, LAYOUTS), "sheets without a table are listed as warnings"),
    # ------------------------------------------------------------ the file as a whole
    _rule("file_has_table", INGEST,
          'RULES["file_has_table" if problems else "file_not_empty"]',
          'RULES["file_not_empty"]',
          ("tests/test_rule_cases.py", INGEST_T), "a file without a table is rejected, saying so"),
    _rule("file_not_empty", INGEST,
          'RULES["file_has_table" if problems else "file_not_empty"]',
          'RULES["file_has_table"]',
          (INGEST_T,), "an empty file is rejected, saying so"),
    _rule("file_readable", INGEST,
          "        return ReadFile(name, problems=[RULES[\"file_readable\"].issue(name, \"\", value=error.value, problem=error.problem, fix=error.fix)])",
          "        return ReadFile(name)",
          (INGEST_T, ARCHIVES), "an unreadable file is rejected, never dropped in silence"),
    Mutant("a link out of the inputs is opened", READING,
           "    if target.startswith(root.rstrip(os.sep) + os.sep):\n        return target",
           "    if True:\n        return target",
           (READING_T, LAYOUTS),
           "what is not inside the inputs folder is not an input", rule="file_readable"),
    Mutant("an encrypted workbook read as a workbook", READING,
           "    if _ENCRYPTED_PACKAGE in data:\n        raise _password_protected()",
           "    if False:\n        raise _password_protected()",
           (READING_T, INGEST_T),
           "a password-protected file is rejected as such", rule="file_readable"),
    Mutant("a former unit's name booked to today's unit of that name", "pipeline/names.py",
           '    if former is not None:  # "An Dương (cũ)"',
           '    if False:  # "An Dương (cũ)"',
           (LAYOUTS,),
           "a summary titled with a former district is never booked to today's ward of that name (no figure counted twice)"),
    Mutant("a school named after a ward booked to the ward", "pipeline/names.py",
           '    if school is not None:  # "Trường THPT',
           '    if False:  # "Trường THPT',
           (LAYOUTS,),
           "a different unit is never guessed: a school named after a ward is not that ward"),
    Mutant("a 0 saved for a formula never computed read as 0", READING,
           " or (zero_is_unsaved and not is_text and _is_zero(value)):",
           ":",
           (READING_T, LAYOUTS),
           "a number saved as a formula without its value holds the file back, a 0 saved by an exporter included", rule="formula_has_value"),
    Mutant("a count table above a list of people left unread", INGEST,
           "            tables += find_tables(replace(grid, rows=grid.rows[:header]), stem, vocabulary.header_roles, vocabulary.folded_header_roles)",
           "            pass",
           ("tests/test_roster.py",),
           "every number cell of a table is booked, checked or set aside: a form's table above its list of people included"),
    Mutant("a name chosen over the code beside it", "pipeline/names.py",
           "    if by_code is None or match.code is None or by_code == match.code:",
           "    if True:",
           (LAYOUTS,),
           "a different programme is never guessed: a code and a name that disagree hold the file back"),
    Mutant("a number merged over several cells given to the first", "pipeline/ingest/layout.py",
           "        if covered > 1 and top in rows and left in count_columns and _at(grid.rows[top], left) is not None:",
           "        if False:",
           (LAYOUTS, "tests/test_rules.py"),
           "a figure merged over two levels or topics is never given to one of them", rule="number_not_merged"),
    Mutant("a column of another year booked to the table's year", VALIDATE,
           "        if years and years != [table.year]:",
           "        if False:",
           (LAYOUTS, "tests/test_rules.py"),
           "a figure is never booked to another year than its own", rule="column_year"),
    Mutant("help pages framed in English", CLI,
           '            option.help = "Hiện hướng dẫn này rồi thoát."',
           "            pass",
           ("tests/test_cli.py",),
           "every text a user reads is Vietnamese: the help pages too"),
    Mutant("a number in the notes left unsaid", "pipeline/ingest/layout.py",
           "        if column is not None and _typed_number(_at(rows[row.index], column))",
           "        if False",
           ("tests/test_rules.py", "tests/test_hidden_and_years.py"),
           "every number of a table is placed and said: one in the notes too", rule="note_not_counted"),
    Mutant("a second unit or topic column taken in silence", "pipeline/ingest/layout.py",
           "        if role in _NAMING_ROLES and roles.get(role) != column:",
           "        if False:",
           ("tests/test_rules.py",),
           "a different unit is never guessed: two columns that may each name a row's unit hold the file back", rule="label_column_unclear"),
    Mutant("tables side by side read as one", VALIDATE,
           "            if repeated.beside:",
           "            if False:",
           ("tests/test_rules.py",),
           "a held-back file says what to change: two tables side by side are named as such", rule="tables_side_by_side"),
    Mutant("a form's group row named by the unit line", VALIDATE,
           "    if table.unit_in_column and row.unit_label is not None:",
           "    if row.unit_label is not None:",
           ("tests/test_misread_layouts.py",),
           "a message names the cell to fix: a group row's own label, not the form's unit line"),
    Mutant("a first group of 0 read as thousands", "pipeline/text.py",
           '_THOUSANDS = re.compile(r"^[+]?[1-9]\\d{0,2}',
           '_THOUSANDS = re.compile(r"^[+]?\\d{1,3}',
           ("tests/test_validate.py",),
           "forgive spelling, never meaning: \"0.192\" is no 192"),
    Mutant("a first group of 0 read as thousands in a Vietnamese CSV", VALIDATE,
           '_GROUPED = {"vi": re.compile(r"^[+-]?[1-9]\\d{0,2}',
           '_GROUPED = {"vi": re.compile(r"^[+-]?\\d{1,3}',
           ("tests/test_validate.py",),
           "forgive spelling, never meaning: \"0.192\" in a \";\" CSV is no 192"),
    _rule("part_row", "pipeline/ingest/layout.py",
          "                part_of_above=None if is_total else next(",
          "                part_of_above=None if True else next(",
          ("tests/test_misread_layouts.py", "tests/test_rules.py"),
          "every number accounted for, never twice: an \"of which\" row is no registration of its own"),
    _rule("context_line", VALIDATE,
          "        if years and years != {table.year}:",
          "        if False:",
          ("tests/test_misread_layouts.py", "tests/test_rules.py"),
          "a different year is never guessed: rows under a line \"Năm 2027\" are not booked to 2026"),
    Mutant("a unit line among the rows not read", VALIDATE,
           "        if len(own_units) == 1:",
           "        if False:",
           ("tests/test_misread_layouts.py",),
           "a different unit is never guessed: rows under \"Đơn vị: Xã B\" are not booked to the title's unit"),
    Mutant("a topic line among the rows not read", VALIDATE,
           "        if len(own_topics) == 1:",
           "        if False:",
           ("tests/test_misread_layouts.py",),
           "a different programme is never guessed: rows under a second title are not booked to the first's"),
    Mutant("a level line among the rows not read", VALIDATE,
           "            if len(levels) == 1 and levels != own_levels:",
           "            if False:",
           ("tests/test_misread_layouts.py",),
           "a different level is never guessed: rows under \"Cấp học: Tiểu học\" are not booked to MN"),
    Mutant("a line after a total not looked at", "pipeline/ingest/layout.py",
           "        inner_lines=_inner_lines(rows, first_data_row, last_row, count_columns, uncached, note_column),",
           "        inner_lines=tuple(line for line in _inner_lines(rows, first_data_row, last_row, count_columns, uncached, note_column) if line[0] in {row.index for row in body}),",
           ("tests/test_misread_layouts.py",),
           "every number accounted for: a line between a total and more rows changes what they are too"),
    _rule("total_formula_adds_rows", VALIDATE,
          "        if rows is not None and any(rows == sorted(cell.row.number for cell in part) for part in readings):",
          "        if rows is not None:",
          ("tests/test_validate.py", "tests/test_rules.py"),
          "a cell is checked only when verified: a total's formula leaving out a row is no check"),
    Mutant("a total formula without its result passed unread", VALIDATE,
           "                if total.position in total.row.formulas:  # a formula saved without its result: the rows it adds are checked\n                    found += self._total_formula_issues(total, cells, since, above, data, below, closed)\n                    continue",
           "                if total.position in total.row.formulas:  # a formula saved without its result: the rows it adds are checked\n                    continue",
           ("tests/test_validate.py",),
           "a cell is checked only when verified: an unsaved total formula is read or held back", rule="total_formula_unread"),
    Mutant("a list's people not seen by the campaign", "pipeline/intake.py",
           "    if persons is not None and not persons.empty:",
           "    if False:",
           ("tests/test_roster.py",),
           "a unit that sent its list of people has answered: it is never told it sent nothing"),
    Mutant("a list's people counted on top of the unit's count form", "pipeline/intake.py",
           " and (int(year), unit) not in counted",
           "",
           ("tests/test_roster.py",),
           "every number accounted for, never twice: a form and a list that agree count once"),
    Mutant("a workplace naming another unit passed", "pipeline/ingest/roster.py",
           "        if named is not None and named != record[\"unit\"]:",
           "        if False:",
           ("tests/test_roster.py",),
           "a different unit is never guessed: a person listed under another commune is not the list's unit's"),
    Mutant("a month-first list's dates guessed day first", "pipeline/ingest/roster.py",
           "    if month_first is None:\n        return []",
           "    if True:\n        return []",
           ("tests/test_roster.py",),
           "forgive spelling, never meaning: 3/4/1981 in a list typed month first is not the 3rd of April"),
    Mutant("date cells taken for typed dates", "pipeline/ingest/roster.py",
           "        \"birth_is_text\": not any(isinstance(typed, dt.date) for typed in",
           "        \"birth_is_text\": not any(isinstance(typed, bool) for typed in",
           ("tests/test_roster.py",),
           "a date cell is a date: only text reads two ways"),
    Mutant("a person merged over two rows read on the first only", "pipeline/ingest/roster.py",
           "    records, row_problems = _read_people(_merged_filled(rows, merged, layout.first_row), layout,",
           "    records, row_problems = _read_people(rows, layout,",
           ("tests/test_roster.py",),
           "every registration accounted for: a person's second topic on a merged row is not dropped"),
    _rule("example_row", VALIDATE,
          "            if example is not None and row.index not in plan.skipped_rows:  # a form's example: never a registration",
          "            if False:",
          ("tests/test_misread_layouts.py", "tests/test_rules.py"),
          "a form's example row is never a registration"),
    Mutant("no example words in the reference data", "inputs/reference/aliases.csv",
           "marker,example,Ví dụ\n",
           "",
           ("tests/test_misread_layouts.py",),
           "vocabulary is reference data: the example words are read from aliases.csv"),
    Mutant("a person named in the report", "pipeline/persons.py",
           "    return f\"Người ở dòng {record['source_row']}\"",
           "    return f\"{record['name']} (dòng {record['source_row']})\"",
           ("tests/test_persons.py", "tests/test_roster.py"),
           "personal data stays in the outputs meant for it: the report names a row, not a person"),
    Mutant("a list's year against its folder's said nothing", VALIDATE,
           "            issues += _year_disagreements(sheet.year, grid.sheet, read.file,",
           "            issues += [] or _year_disagreements(None, grid.sheet, read.file,",
           ("tests/test_roster.py",),
           "a year said two ways is booked to the title's and said, for lists of people too"),
    Mutant("people in hidden rows said nothing", VALIDATE,
           "            issues += _hidden_people(sheet, grid, read.file)",
           "            pass",
           ("tests/test_roster.py",),
           "what the printout does not show is said, for lists of people too"),
    Mutant("a sex typed against the birth date's column taken as typed", "pipeline/ingest/roster.py",
           "    elif sex is not None and sex_by_column is not None and sex != sex_by_column:",
           "    elif False:",
           ("tests/test_roster.py",),
           "forgive spelling, never meaning: a person typed \"Nữ\" but born under \"Nam\" is not guessed"),
    Mutant("a level typed against the school's taken as typed", "pipeline/ingest/roster.py",
           "    elif level is not None and school is not None and resolve_level(school) not in (None, level):",
           "    elif False:",
           ("tests/test_roster.py",),
           "forgive spelling, never meaning: \"Mầm non\" typed for a teacher of a THCS school is not guessed"),
    Mutant("a list's total row not checked", "pipeline/ingest/roster.py",
           "        if stated != counted:",
           "        if False:",
           ("tests/test_roster.py",),
           "every number accounted for: a list's total row is checked against its people"),
    Mutant("a list's total counting every filled cell", "pipeline/ingest/roster.py",
           "        counted = sum(1 for row_index in above if _marks(_at(rows[row_index], column), vocabulary))",
           "        counted = sum(1 for row_index in above if _at(rows[row_index], column) is not None)",
           ("tests/test_roster.py",),
           "a word that is no mark (\"đăng ký\") is not a person counted"),
    Mutant("a line ending with a comma more taken for a split one", "pipeline/ingest/layout.py",
           "            any(value is not None for value in rows[row.index][header_fields:])\n            or any(",
           "            True\n            or any(",
           ("tests/test_misread_layouts.py",),
           "a file is held back only for what cannot be read: a trailing comma splits no figure"),
    Mutant("a context line under a unit's own blank row", VALIDATE,
           "            continue  # a unit's or a topic's own row, left blank: no heading",
           "            pass",
           ("tests/test_misread_layouts.py",),
           "a file is held back only for what cannot be read: a topic's blank row is no heading"),
    Mutant("a school named after a place taken for the place", VALIDATE,
           "        return match.code if not exact or match.how == names.EXACT else None",
           "        return match.code",
           ("tests/test_roster.py",),
           "a different unit is never guessed: \"Trường MN số 1 Trần Phú\" is a school, not the ward"),
    Mutant("a total formula adding group totals not expanded", VALIDATE,
           "            rows = sorted(row for number in added if number in table_rows for row in closes.get(number, [number]))",
           "            rows = sorted(number for number in added if number in table_rows)",
           ("tests/test_validate.py",),
           "a cell is checked when verified: a total adding its groups' totals adds every row once"),
    Mutant("the year over the levels not read", "pipeline/ingest/layout.py",
           ", grid.sheet, file_stem) or header_year(columns)",
           ", grid.sheet, file_stem)",
           ("tests/test_hidden_and_years.py",),
           "forgive spelling, never meaning: a year the header states over every level is the table's year"),
    Mutant("two years over the levels taken for one", "pipeline/ingest/layout.py",
           "    return named.pop() if len(named) == 1 else None",
           "    return min(named) if named else None",
           ("tests/test_hidden_and_years.py",),
           "a different year is never guessed: two years over the levels name none"),
    Mutant("a blank shown as nan", VALIDATE,
           "    if value is None or (isinstance(value, float) and value != value):\n        return None",
           "    if value is None:\n        return None",
           ("tests/test_misread_layouts.py",),
           "every text a user reads is built from what was typed: a blank is shown blank"),
    _rule("line_longer_than_header", "pipeline/ingest/layout.py",
           "        if len(rows[row.index]) > header_fields and (",
           "        if len(rows[row.index]) > header_fields + 1 and (",
           ("tests/test_misread_layouts.py", "tests/test_rules.py"),
           "every number cell is booked, checked or set aside: a CSV line split by an unquoted \"1,192\" too"),
    Mutant("a school's abbreviation taken for the ward", "inputs/reference/aliases.csv",
           "marker,school,MN\n",
           "",
           ("tests/test_misread_layouts.py",),
           "a different unit is never guessed: \"MN Gia Viên\" is a school, not the ward Gia Viên"),
    _rule("unit_agrees_with_title", VALIDATE,
          "        if not row.is_total and units.get(row.index) is not None and units[row.index].code not in (None, named.code)",
          "        if False",
          ("tests/test_misread_layouts.py", "tests/test_rules.py"),
          "a different unit is never guessed: a title naming one unit over rows naming another holds the file back"),
    Mutant("a title's year against its folder's said nothing", VALIDATE,
           "        if other is not None and other != year",
           "        if False",
           ("tests/test_hidden_and_years.py", "tests/test_rules.py"),
           "a year said two ways is booked to the title's and said", rule="year_agrees"),
    Mutant("numbers in hidden rows counted unsaid", VALIDATE,
           "            and (table.is_sheet_hidden or cell.row.is_hidden or cell.column.is_hidden)",
           "            and (table.is_sheet_hidden or cell.column.is_hidden)",
           ("tests/test_rules.py", "tests/test_hidden_and_years.py"),
           "a number no printout shows is counted and said", rule="hidden_counted"),
    Mutant("figures sent twice by two files not searched", VALIDATE,
           "    return suspects.union(*(files for files in files_of.values() if len(files) > 1))",
           "    return suspects",
           ("tests/test_rules.py", "tests/test_campaign.py"),
           "the same figure sent twice is held back, every copy named"),
    Mutant("a closing total accepted whatever it says", VALIDATE,
           "        return stated in (sum_since, sum_above)",
           "        return True",
           ("tests/test_rules.py", LAYOUTS),
           "a total that does not add up holds the file back"),
    Mutant("a retirement year typed as text ordered with the others", "schemas/persons.py",
           "year=year.fillna(0))[readable]",
           "year=df[\"from_year\"].fillna(0))[readable]",
           ("tests/test_reference_messages.py",),
           "a bad reference cell is told once, by its line and column"),
    Mutant("a plan's text headcount filled with a number in the check of its row", "schemas/plan.py",
           "        has_headcount = levels.fillna(0).sum(axis=1) > 0\n",
           "        has_headcount = df[plan_levels(df)].fillna(0).sum(axis=1) > 0\n",
           ("tests/test_reference_messages.py",),
           "a bad reference cell is told once, by its line and column"),
    Mutant("a display name with a stray space let through", "schemas/__init__.py",
           "DISPLAY_NAME = r\"^\\S+( \\S+)*$\"\n",
           "DISPLAY_NAME = r\"^.+$\"\n",
           ("tests/test_reference_messages.py",),
           "a unit's name is shown and matched as the reference data writes it"),
    Mutant("a column heading that is also a level let through", "pipeline/reference.py",
           "        if text_key(text) in levels:\n",
           "        if False:\n",
           ("tests/test_reference_messages.py",),
           "a column is never read as two things"),
    Mutant("a name of two topics settled by the table read last", "pipeline/reference.py",
           "        for shown, by_code in _named_twice(spellings, text_key):\n",
           "        for shown, by_code in []:\n",
           ("tests/test_reference_messages.py",),
           "a different programme is never guessed"),
    Mutant("a spelling of the lists of two codes settled by the table read last", "pipeline/reference.py",
           "            problems.append(f\"person_aliases.csv: \\\"{shown}\\\" ({kind}) chỉ cả {named}; mỗi cách viết chỉ được chỉ một mã\")\n",
           "            pass\n",
           ("tests/test_reference_messages.py",),
           "a person's degree, title or answer is never guessed"),
    Mutant("a unit's alias that is another unit's name let through", "pipeline/reference.py",
           "    problems += _units_of_one_name(reference)\n",
           "",
           ("tests/test_reference_messages.py",),
           "a file is never booked to a unit it does not name"),
    Mutant("a fraction in a reference column of whole numbers cut", "pipeline/reference.py",
           "    if lossy:\n",
           "    if False:\n",
           ("tests/test_reference_messages.py",),
           "a reference value is never changed without a word"),
    Mutant("a reference date pandera cannot place told of the whole column", "pipeline/reference.py",
           "            if misplaced:\n                continue\n",
           "",
           ("tests/test_reference_messages.py",),
           "a bad reference cell is told once, by its line and column"),
    Mutant("a signing line ends the list with people under it", "pipeline/ingest/roster.py",
           "            if below is None:\n                break  # the signing block: nobody is listed under it",
           "            if True:\n                break  # the signing block: nobody is listed under it",
           ("tests/test_roster.py",),
           "every person accounted for: a heading or a note that looks like a signature does not drop the people under it"),
    Mutant("a second list under the signing block read into the first", "pipeline/ingest/roster.py",
           "            if _find_header(rows[index + 1 : below + 1], vocabulary) is not None:",
           "            if False:",
           ("tests/test_roster.py",),
           "a different unit is never guessed: a second list on the sheet is not booked to the first list's unit"),
    Mutant("a person's cell under no header read past", "pipeline/ingest/roster.py",
           "        if not header:\n            problems.append(",
           "        if False:\n            problems.append(",
           ("tests/test_roster.py",),
           "every person's cell accounted for: a topic split into a cell under no header holds the list back"),
    Mutant("a mark under a header naming no topic read past", "pipeline/ingest/roster.py",
           "        elif mark and layout.mark_columns:",
           "        elif False:",
           ("tests/test_roster.py",),
           "a different programme is never guessed: a mark under an unknown topic's column holds the list back"),
    Mutant("a list without a names column read as a count form", "pipeline/ingest/roster.py",
           "        if roles & {\"birth_date\", \"identifier\"} and roles & {\"sex\", \"male\", \"female\", \"degree\", \"title\", \"major\", \"certificate\"}:",
           "        if False:",
           ("tests/test_roster.py",),
           "personal data stays in ca_nhan/: a list of people is never read as a count form quoting its names and dates"),
    _rule("title_years", VALIDATE,
          "        if own_year is None and named - {table.year}:",
          "        if False:",
          ("tests/test_misread_layouts.py::test_a_table_titled_with_several_years_holds_the_file_back", "tests/test_misread_layouts.py::test_a_title_naming_only_a_period_does_not_take_the_file_s_year"),
          "a different year is never guessed: a table titled \"GIAI ĐOẠN 2027 - 2030\" is not booked to the year of the table above"),
    Mutant("a title listing years booked to the first", VALIDATE,
           "        listed = _YEARS_AFTER_YEAR.search(unicodedata.normalize(\"NFC\", text).casefold())",
           "        listed = None",
           ("tests/test_misread_layouts.py::test_a_table_titled_with_several_years_holds_the_file_back",),
           "a different year is never guessed: \"NĂM 2027, 2028\" is not booked to 2027"),
    Mutant("a range of years read as no year", "pipeline/ingest/layout.py",
           "    found.update(int(year) for pair in _YEAR_RANGE.findall(text) for year in pair)",
           "    found.update(())",
           ("tests/test_misread_layouts.py::test_count_columns_headed_by_a_period_hold_the_file_back", "tests/test_misread_layouts.py::test_a_line_naming_what_the_rows_below_are_holds_the_file_back"),
           "a different year is never guessed: count columns or a line naming \"2027-2030\" are not booked to the table's year"),
    Mutant("a line naming years without \"năm\" read past", "pipeline/validate.py",
           "        years = {year} if year is not None else years_named(text)",
           "        years = {year} if year is not None else set()",
           ("tests/test_misread_layouts.py::test_a_line_naming_what_the_rows_below_are_holds_the_file_back",),
           "a different year is never guessed: a line \"Giai đoạn 2027 - 2030\" among the rows holds the file back"),
    _rule("table_not_registrations", VALIDATE,
          "        if marker is not None:\n            found.append((cell, text, marker))",
          "        if False:\n            found.append((cell, text, marker))",
          ("tests/test_misread_layouts.py::test_a_table_of_people_already_trained_under_the_form_is_never_booked", "tests/test_rules.py"),
          "a different meaning is never guessed: a table of people already trained, or for reference, is never booked as registrations"),
    Mutant("a school's subtotal compared with the whole list", "pipeline/ingest/roster.py",
           "group_start if is_group else layout.first_row",
           "layout.first_row",
           ("tests/test_roster.py::test_a_subtotal_under_each_school_counts_its_own_people",),
           "a correct list is read: a subtotal under each school counts that school's people"),
    Mutant("a given name typed apart dropped", "pipeline/ingest/roster.py",
           "    return f\"{full} {given}\" if given and not full.endswith(given) else full",
           "    return full",
           ("tests/test_roster.py::test_a_name_typed_as_ho_dem_and_ten_is_read_whole",),
           "a person is named whole: \"Họ đệm\" and \"Tên\" typed apart make one name, for the checks of the same person twice"),
    Mutant("two levels marked taken as the first", "pipeline/ingest/roster.py",
           "    if len(marked) == 1 and len(filled) == 1:",
           "    if marked:",
           ("tests/test_roster.py::test_a_level_marked_x_under_a_merged_cap_hoc_is_read",),
           "a different level is never guessed: a person marked under two levels is held back"),
    Mutant("a numbering column without its header read as figures", "pipeline/ingest/layout.py",
           "    return column if numbers >= 2 else None",
           "    return None",
           ("tests/test_layouts.py::test_a_numbering_column_typed_without_its_header_is_no_count_column",),
           "a correct form is read: the row numbers under a blank \"STT\" header are no column of figures"),
    Mutant("figures left of the units taken for row numbers", "pipeline/ingest/layout.py",
           "            if number != last + 1 and not (number == 1 and may_restart):",
           "            if False:",
           ("tests/test_layouts.py::test_figures_under_a_blank_header_left_of_the_units_are_never_taken_for_numbering",),
           "every number accounted for: figures under a blank header are never passed over as row numbers"),
    Mutant("a zero-width space makes a number no number", "pipeline/text.py",
           "\"\\u200b\": None, ",
           "",
           ("tests/test_layouts.py::test_a_number_pasted_with_an_invisible_character_is_that_number",),
           "forgive spelling: a number pasted with an invisible character is that number"),
    Mutant("a group typed with its level in one cell read as a second count", VALIDATE,
           "    elif role == COUNT and resolver.level_group(column.label) is not None:",
           "    elif False:",
           ("tests/test_layouts.py::test_groups_and_levels_typed_in_one_header_cell_are_added_per_level",),
           "a correct form is read: \"CBQL MN\" and \"GV MN\" on one header row are added per level"),
    Mutant("a group beside any words taken for a level's group", "pipeline/names.py",
           "        return vocabulary.levels.get(rest) or vocabulary.folded_levels.get(fold_key(rest))",
           "        return next(iter(vocabulary.levels.values()))",
           ("tests/test_layouts.py::test_a_group_beside_words_that_are_no_level_is_never_taken_for_the_groups_of_a_level",),
           "a different level is never guessed: \"GV Toán\" is no level's group"),
    _rule("group_rows_add_up", VALIDATE,
          "                if stated[1] and stated[0] != sum(added) and all(value == value for value in added):",
          "                if False:",
          ("tests/test_rules.py", "tests/test_layouts.py::test_a_topic_row_whose_groups_do_not_add_up_to_it_holds_the_file_back"),
          "every number accounted for: a topic's figure and the groups of people typed under it agree, or the file is held back"),
    Mutant("groups of people typed as rows read as topics", VALIDATE,
          "    return found\n\n\ndef _row_name(",
          "    return {}\n\n\ndef _row_name(",
          ("tests/test_layouts.py::test_groups_of_people_typed_as_rows_under_a_topic_are_added",),
          "a correct form is read: \"- CBQL\" and \"- GV\" under a topic are that topic's groups, added"),
    Mutant("a topic's groups of people booked apart", VALIDATE,
          "(self.group_of.get(cell.row.index, cell.row.index), key)",
          "(cell.row.index, key)",
          ("tests/test_layouts.py::test_groups_of_people_typed_as_rows_under_a_topic_are_added",),
          "the same figure is booked once: a topic's CBQL and GV rows make one registration per level"),
    Mutant("groups over the levels read as two counts", "pipeline/ingest/layout.py",
           "        if known[text] == GROUP:\n            return _joined([*texts[:position], *texts[position + 1 :]]), GROUP, text",
           "        if False:\n            return _joined([*texts[:position], *texts[position + 1 :]]), GROUP, text",
           ("tests/test_layouts.py::test_groups_over_the_levels_are_added_per_level",),
           "a correct form is read: \"Cán bộ quản lý\" and \"Giáo viên\" over the levels are added per level"),
    _rule("number_under_label", "pipeline/ingest/layout.py",
          "for column, header in under_labels if known[header] != \"note\" and _typed_number(_at(rows[row.index], column))",
          "for column, header in under_labels if False",
          ("tests/test_misread_layouts.py::test_numbers_under_a_label_header_merged_over_two_columns_hold_the_file_back", "tests/test_rules.py"),
          "every number accounted for: a number under a label's header merged over two columns is never dropped unseen"),
    Mutant("a former district under a district header taken for today's commune", VALIDATE,
           "    return bool(named) and not named & this_year",
           "    return False",
           ("tests/test_misread_layouts.py::test_names_under_a_district_header_after_the_reform_are_the_former_districts",),
           "a different unit is never guessed: \"An Lão\" under \"Quận/huyện\" in 2026 is the former district, not today's xã An Lão"),
    Mutant("title words spelling a unit's name taken for the unit", "pipeline/names.py",
           "            if match.code is not None and not may_fold and not _named_as_unit(typed, found[0], index):",
           "            if False:",
           ("tests/test_misread_layouts.py::test_title_words_that_spell_a_unit_s_name_name_no_unit",),
           "a different unit is never guessed: \"phong cách Hồ Chí Minh\" in a title does not book the file to xã Chí Minh"),
    Mutant("a number under a merged notes header read past", "pipeline/ingest/layout.py",
           "in (*_NAMING_ROLES, \"code\", \"note\")]",
           "in (*_NAMING_ROLES, \"code\")]",
           ("tests/test_misread_layouts.py::test_a_number_under_a_notes_header_merged_over_two_columns_is_said",),
           "every number accounted for: a number under a \"Ghi chú\" merged over two columns is said, as in the notes column"),
    _check_off("headcount_within_limit", '_not_data(df) | ~(df["headcount"] > df["largest_headcount"])',
               (f"{VALIDATE_T}::test_a_headcount_one_above_the_bound_holds_its_file_back", "tests/test_rules.py"),
               "a headcount larger than any unit's staff (limits.csv) holds its file back"),
    Mutant("the largest headcount itself held back", "schemas/__init__.py",
           '        return _not_data(df) | ~(df["headcount"] > df["largest_headcount"])\n',
           '        return _not_data(df) | ~(df["headcount"] >= df["largest_headcount"])\n',
           (f"{VALIDATE_T}::test_a_headcount_one_above_the_bound_holds_its_file_back", f"{VALIDATE_T}::test_an_implausibly_large_headcount_holds_back_its_file_and_the_run_publishes_the_rest"),
           "the largest headcount of limits.csv is itself a count, accepted", rule="headcount_within_limit"),
    Mutant("a whole number above the largest headcount taken for a plain cell", VALIDATE,
           "    if value is not None and value > largest:\n        return False\n",
           "",
           (f"{VALIDATE_T}::test_an_implausibly_large_headcount_holds_back_its_file_and_the_run_publishes_the_rest", f"{VALIDATE_T}::test_a_headcount_one_above_the_bound_holds_its_file_back"),
           "a headcount of 2^63 or more typed as a number holds its file back instead of stopping the run"),
    Mutant("an infinite headcount added up", VALIDATE,
           "    return cell.is_number and cell.headcount >= 0 and float(cell.headcount).is_integer()",
           "    return cell.is_number and cell.headcount == cell.headcount and cell.headcount >= 0 and cell.headcount == round(cell.headcount)",
           (f"{VALIDATE_T}::test_a_number_of_four_hundred_digits_typed_as_text_is_too_large_not_a_crash",),
           "a number of hundreds of digits typed as text holds its file back instead of stopping the run"),
    Mutant("a largest headcount below the plan accepted", "pipeline/reference.py",
           "            if pd.notna(count) and count > largest:\n",
           "            if False:\n",
           ("tests/test_reference_messages.py::test_a_headcount_bound_below_a_figure_of_the_plan_is_refused",),
           "reference data: a bound under a figure of the plan is refused"),
    Mutant("a comma CSV's numbers read in English when nothing decides", VALIDATE,
           '        return "en"\n    return "?"\n',
           '        return "en"\n    if votes["vi"] or votes["en"]:\n        return "?"\n    return {",": "en"}.get(delimiter, "?")\n',
           (f"{LAYOUTS}::test_vietnamese_thousands_in_a_comma_csv_with_nothing_to_tell_the_style_are_held_back", f"{LAYOUTS}::test_a_csv_reads_its_numbers_in_its_own_style"),
           "a number that reads two ways in a CSV holds its file back: \"12.000\" in a comma CSV is never booked as 12"),
    Mutant("a semicolon CSV's numbers read in Vietnamese when nothing decides", VALIDATE,
           '        return "en"\n    return "?"\n',
           '        return "en"\n    if votes["vi"] or votes["en"]:\n        return "?"\n    return {";": "vi"}.get(delimiter, "?")\n',
           (f"{LAYOUTS}::test_a_csv_reads_its_numbers_in_its_own_style",),
           "a number that reads two ways in a CSV holds its file back, whatever the field separator"),
]

# Rules with no check to break (reported, so that the list is kept honest).
UNCHECKED_RULES: dict[str, str] = {}


# ---------------------------------------------------------------- running


def apply(mutant: Mutant, root: Path) -> str | None:
    """Replace the snippet in the copy at ``root``; the reason it cannot be, or None."""
    path = root / mutant.file
    if not path.exists():
        return f"{mutant.file} not found"
    text = path.read_text(encoding="utf-8")
    count = text.count(mutant.snippet)
    if count != 1:
        return f"snippet found {count} times in {mutant.file}"
    path.write_text(text.replace(mutant.snippet, mutant.replacement), encoding="utf-8")
    return None


def rules_without_mutant() -> set[str]:
    sys.path.insert(0, str(ROOT))
    from schemas.rules import RULES

    return set(RULES) - {mutant.rule for mutant in MUTANTS if mutant.rule} - set(UNCHECKED_RULES)


def _copy(folder: Path) -> Path:
    shutil.copytree(ROOT, folder, ignore=_IGNORED, symlinks=True)
    (folder / "outputs").mkdir(exist_ok=True)
    return folder


def _environment(copy: Path) -> dict[str, str]:
    paths = [str(copy), *[entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]]
    return os.environ | {"PYTHONPATH": os.pathsep.join(paths), "PYTHONDONTWRITEBYTECODE": "1", "HYPOTHESIS_PROFILE": "mutation"}


def _pytest(copy: Path, tests: tuple[str, ...], timeout: float, stop_at_first: bool = True) -> tuple[int | None, str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(copy), "-c", str(copy / "pyproject.toml"), f"--hypothesis-seed={_SEED}", "-o", "addopts="]
    if stop_at_first:
        command.append("-x")
    command += [str(copy / test) for test in tests]
    try:
        run = subprocess.run(command, cwd=copy, env=_environment(copy), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        return None, (expired.stdout or b"").decode("utf-8", "replace") if isinstance(expired.stdout, bytes) else (expired.stdout or "")
    return run.returncode, run.stdout + run.stderr


def _imports_its_own_packages(copy: Path) -> str | None:
    """None when the copy's tests and the processes they start import the copy's packages."""
    probe = "import pipeline, schemas; print(pipeline.__file__); print(schemas.__file__)"
    run = subprocess.run([sys.executable, "-c", probe], cwd=copy, env=_environment(copy), capture_output=True, text=True)
    files = run.stdout.split()
    if run.returncode != 0 or len(files) != 2 or not all(Path(name).resolve().is_relative_to(copy.resolve()) for name in files):
        return f"the copy imports {files or run.stderr.strip()}, not its own packages"
    return None


@dataclass
class Outcome:
    mutant: Mutant
    verdict: str  # killed, survived, not applicable, error, timed out
    seconds: float
    detail: str = ""


def _run_one(mutant: Mutant, scratch: Path, timeout: float) -> Outcome:
    started = time.perf_counter()
    copy = _copy(Path(tempfile.mkdtemp(prefix="mutant-", dir=scratch)) / "checkout")
    try:
        problem = apply(mutant, copy)
        if problem:
            return Outcome(mutant, "not applicable", 0.0, problem)
        code, output = _pytest(copy, mutant.tests, timeout)
        seconds = time.perf_counter() - started
        if code is None:
            return Outcome(mutant, "timed out", seconds, f"no result in {timeout:.0f} s (counted as killed)")
        if code == 0:
            return Outcome(mutant, "survived", seconds, output.strip().splitlines()[-1] if output.strip() else "")
        if code == 1:
            failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", output, re.M)
            return Outcome(mutant, "killed", seconds, failed[0].replace(str(copy) + "/", "") if failed else "")
        return Outcome(mutant, "error", seconds, f"pytest exit {code}: " + " | ".join(output.strip().splitlines()[-5:]))
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="print the mutants and exit")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only the mutants whose name contains one of these")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at a time (default 2)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per mutant (default 900)")
    parser.add_argument("--no-baseline", action="store_true", help="do not first run the tests on the unmutated copy")
    args = parser.parse_args(argv)
    mutants = [m for m in MUTANTS if not args.only or any(word in m.name for word in args.only)]
    if args.list:
        for mutant in mutants:
            print(f"{mutant.name:60} {mutant.file:32} {mutant.promise}")
        print(f"{len(mutants)} mutants; rules without a check to break: {', '.join(UNCHECKED_RULES) or 'none'}")
        return 0
    missing = rules_without_mutant()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        scratch = Path(scratch)
        copy = _copy(scratch / "baseline")
        problem = _imports_its_own_packages(copy)
        if problem:
            print(f"cannot check: {problem}", file=sys.stderr)
            return 2
        if not args.no_baseline:
            tests = tuple(dict.fromkeys(test for mutant in mutants for test in mutant.tests))
            code, output = _pytest(copy, tests, args.timeout * 4, stop_at_first=False)
            if code != 0:
                print(f"cannot check: the tests fail on the unmutated code (pytest exit {code}):\n{output[-4000:]}", file=sys.stderr)
                return 2
            print(f"baseline: {len(tests)} test paths pass unmutated ({time.perf_counter() - started:.0f} s)", flush=True)
        shutil.rmtree(copy)
        outcomes = []
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            for outcome in pool.map(lambda mutant: _run_one(mutant, scratch, args.timeout), mutants):
                outcomes.append(outcome)
                print(f"{outcome.verdict:15} {outcome.seconds:6.1f} s  {outcome.mutant.name}: {outcome.detail}", flush=True)
    counts = {verdict: sum(1 for o in outcomes if o.verdict == verdict) for verdict in ("killed", "timed out", "survived", "not applicable", "error")}
    print()
    print(f"{len(outcomes)} mutants in {time.perf_counter() - started:.0f} s: " + ", ".join(f"{count} {verdict}" for verdict, count in counts.items()))
    for outcome in outcomes:
        if outcome.verdict in ("survived", "not applicable", "error"):
            print(f"  {outcome.verdict.upper()}: {outcome.mutant.name} ({outcome.mutant.file}) — breaks: {outcome.mutant.promise}; tests: {', '.join(outcome.mutant.tests)}")
    for rule in sorted(missing):
        print(f"  NO MUTANT for rule {rule}")
    for rule, why in UNCHECKED_RULES.items():
        print(f"  rule {rule} has no check to break: {why}")
    bad = counts["survived"] + counts["not applicable"] + counts["error"] + len(missing)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

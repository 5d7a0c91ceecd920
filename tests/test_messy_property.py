"""Property: valid files damaged at random never crash the run, never lose or invent a number.

Each example writes a few of the 2024 appendices (distinct ones, so no two files
send the same figures), damages each at random and runs the real ingest and
validate stages. Every damage knows its outcome: harmless ones (another spelling,
a number typed as text, a figure changed together with its total) must be
accepted with the totals written; harmful ones must reject the file with at least
one error naming it; byte-level corruption may go either way, but an accepted
file must still give exactly the totals written.

Short by default; ``HYPOTHESIS_PROFILE=long`` (or ``FUZZ_EXAMPLES=N``) runs more.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from pipeline import intake, validate
from pipeline.reference import Reference, read_reference
from plan_2024 import APPENDICES
from workbooks import write_compiled_appendix

settings.register_profile("default", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "500")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ACCEPT, REJECT, EITHER = "accept", "reject", "either"
HEADER_ROW = 7  # write_compiled_appendix: title block, blank row, header on row 7


@cache
def _reference() -> Reference:
    return read_reference(ROOT / "inputs" / "reference")


@cache
def _kinds_2024() -> dict[str, str]:
    units = _reference().units
    return dict(zip(units["name"], units["type"])) | {
        name: kind for name, kind, end in zip(units["name"], units["type"], units["valid_to"]) if str(end).startswith("2024")
    }


# Damages to a workbook's content, then damages to its bytes; parameters are drawn with each.
content_damages = st.one_of(
    st.tuples(st.just("respell_unit"), st.integers(0, 13), st.sampled_from(["nfd", "prefix", "upper", "spaces"])),
    st.tuples(st.just("number_as_text"), st.integers(0, 13), st.sampled_from(["{}", " {} ", "{:,}"])),
    st.tuples(st.just("change_with_total"), st.integers(0, 13), st.integers(0, 3000)),
    st.tuples(st.just("bad_number"), st.integers(0, 13), st.sampled_from([-1, -7, 2.5, 0.1, "abc", "5 người", "1,5"])),
    st.tuples(st.just("wrong_total"), st.integers(1, 9)),
    st.tuples(st.just("unknown_unit"), st.integers(0, 13), st.sampled_from(["Hải Phòng", "Xyz", "Quận 1"])),
    st.tuples(st.just("uncached_formula"), st.integers(0, 13)),
)
byte_damages = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0.0, 0.95)),
    st.tuples(st.just("flip_bytes"), st.lists(st.tuples(st.floats(0, 0.999), st.integers(1, 255)), min_size=1, max_size=4)),
    st.tuples(st.just("empty")),
)
file_damages = st.tuples(st.none() | content_damages, st.none() | byte_damages)


def _damage(path: Path, appendix: dict, counts: list[int], damage: tuple) -> tuple[str, int]:
    """Apply one damage (``counts``: the figures now in the file, updated); return its
    outcome and the file's headcount if accepted."""
    kind = damage[0]
    first = HEADER_ROW + 1
    if kind in ("truncate", "flip_bytes", "empty"):
        data = bytearray(path.read_bytes())
        if kind == "empty":
            data = bytearray()
        elif kind == "truncate":
            data = data[: int(len(data) * damage[1])]
        else:
            for position, xor in damage[1]:
                data[int(position * len(data))] ^= xor
        path.write_bytes(bytes(data))
        return (REJECT if kind != "flip_bytes" else EITHER), sum(counts)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    total_cell = f"C{first + len(appendix['rows'])}"
    outcome = ACCEPT
    if kind == "respell_unit":
        row = first + damage[1]
        name = sheet[f"B{row}"].value
        kind = _kinds_2024().get(name)
        prefixed = f"{kind.capitalize()} {name}" if kind in ("quận", "huyện") else f"UBND {name}"
        sheet[f"B{row}"] = {"nfd": unicodedata.normalize("NFD", name), "prefix": prefixed, "upper": name.upper(), "spaces": f"  {name}   "}[damage[2]]
    elif kind == "number_as_text":
        row = first + damage[1]
        sheet[f"C{row}"] = damage[2].format(counts[damage[1]]).replace(",", ".")
    elif kind == "change_with_total":
        counts[damage[1]] = damage[2]
        sheet[f"C{first + damage[1]}"] = damage[2]
        sheet[total_cell] = sum(counts)
    elif kind == "bad_number":
        sheet[f"C{first + damage[1]}"] = damage[2]
        outcome = REJECT
    elif kind == "wrong_total":
        sheet[total_cell] = sum(counts) + damage[1]
        outcome = REJECT
    elif kind == "unknown_unit":
        sheet[f"B{first + damage[1]}"] = damage[2]
        # A row without a number under an unknown name is set aside with a warning: nothing to lose.
        outcome = REJECT if sheet[f"C{first + damage[1]}"].value is not None else ACCEPT
    elif kind == "uncached_formula":
        sheet[f"C{first + damage[1]}"] = f"={counts[damage[1]]}+0"
        outcome = REJECT
    workbook.save(path)
    return outcome, sum(counts)


@given(
    chosen=st.lists(st.sampled_from([2, 3, 4, 5, 6]), min_size=1, max_size=3, unique=True),
    damage_pairs=st.lists(file_damages, min_size=3, max_size=3),
)
def test_damaged_files_are_accepted_exactly_or_rejected_by_name(chosen, damage_pairs):
    with tempfile.TemporaryDirectory() as folder:
        expected = {}
        for number, damages in zip(chosen, damage_pairs):
            appendix = APPENDICES[number]
            path = write_compiled_appendix(Path(folder) / f"pl{number}.xlsx", number)
            counts = [value or 0 for _, value, *_ in appendix["rows"]]
            outcomes, total = [ACCEPT], sum(counts)
            for damage in damages:
                if damage is not None:
                    outcome, total = _damage(path, appendix, counts, damage)
                    outcomes.append(outcome)
            verdict = REJECT if REJECT in outcomes else EITHER if EITHER in outcomes else ACCEPT
            expected[path.name] = (verdict, total)

        reference = _reference()
        found = intake.check_inputs(Path(folder), reference)
        registrations, issues, files = found.registrations, found.issues, found.files

    status = files.set_index("file")["status"].to_dict()
    named = set(issues.loc[issues["severity"] == "lỗi", "file"])
    accepted_totals = registrations.groupby("source_file")["headcount"].sum().to_dict()
    for name, (verdict, total) in expected.items():
        if status[name] == validate.REJECTED:
            assert verdict != ACCEPT, (name, issues[issues["file"] == name].to_dict("records"))
            assert name in named
        else:
            assert verdict != REJECT, name
            assert name not in named
            assert accepted_totals.get(name, 0) == total, name
    accepted_files = files[files["status"] == validate.ACCEPTED]
    assert registrations["headcount"].sum() == accepted_files["headcount"].sum()

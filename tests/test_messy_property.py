"""Property: valid files damaged at random never crash the run, never lose or invent a number.

Each example writes a few of the 2024 appendices (distinct ones, so no two files
send the same figures), damages each at random and runs the real ingest and
validate stages. Every damage knows its outcome: harmless ones (another spelling,
a number typed as text, with or without a thousands separator, a figure changed
together with its total) must be accepted with every figure written, in its place;
harmful ones (a bad number, a total of 0, too low or too high, an unknown unit, a
formula without its value, two counts silently edited inside the archive with the
total still adding up) must reject the file with at least one error naming it;
flipped bytes may go either way, but an accepted file must still give exactly the
figures written. Appendix 1's two count columns (TC-ĐH, TC-CĐ) are both damaged.

Short by default; ``HYPOTHESIS_PROFILE=long`` (or ``FUZZ_EXAMPLES=N``) runs more.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archives import SHEET, numeric_cells, silently_edited
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
# ``column``: which count column (appendix 1 has two, TC-ĐH and TC-CĐ; taken modulo the columns).
SEPARATED = ["1.192", "1 192", "1,192"]  # how a clerk types a thousands separator in a text cell
content_damages = st.one_of(
    st.tuples(st.just("respell_unit"), st.integers(0, 13), st.sampled_from(["nfd", "prefix", "upper", "spaces"])),
    st.tuples(st.just("number_as_text"), st.integers(0, 13), st.integers(0, 1), st.sampled_from(["plain", "padded"]), st.integers(0, 999)),
    st.tuples(st.just("number_as_text"), st.integers(0, 13), st.integers(0, 1), st.sampled_from(SEPARATED), st.integers(1000, 99_999)),
    st.tuples(st.just("change_with_total"), st.integers(0, 13), st.integers(0, 1), st.integers(0, 3000)),
    st.tuples(st.just("bad_number"), st.integers(0, 13), st.integers(0, 1), st.sampled_from([-1, -7, 2.5, 0.1, "abc", "5 người", "1,5"])),
    st.tuples(st.just("wrong_total"), st.integers(0, 1), st.sampled_from(["zero", "low", "high"]), st.integers(1, 9)),
    st.tuples(st.just("unknown_unit"), st.integers(0, 13), st.sampled_from(["Hải Phòng", "Xyz", "Quận 1"])),
    st.tuples(st.just("uncached_formula"), st.integers(0, 13), st.integers(0, 1)),
)
byte_damages = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0.0, 0.95)),
    st.tuples(st.just("flip_bytes"), st.lists(st.tuples(st.floats(0, 0.999), st.integers(1, 255)), min_size=1, max_size=4)),
    st.tuples(st.just("empty")),
    # Two counts of one column edited, one up and one down by 1 (the total still adds up), every
    # header kept: the sheet stored and edited in place, or deflated again with the old checksum.
    st.tuples(st.just("silent_edit"), st.integers(0, 1), st.booleans(), st.integers(0, 10_000)),
)
file_damages = st.tuples(st.none() | content_damages, st.none() | byte_damages)


def _column(appendix: dict, index: int) -> str:
    return "CD"[index % len(appendix["headers"])]


def _damage(path: Path, appendix: dict, counts: dict[str, list], skipped: set[int], damage: tuple) -> str:
    """Apply one damage; ``counts`` (column letter -> the figures now in the file, None for a
    blank) and ``skipped`` (rows that carry no registration) are updated. Returns the outcome."""
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
        return REJECT if kind != "flip_bytes" else EITHER
    if kind == "silent_edit":
        column = _column(appendix, damage[1])
        with zipfile.ZipFile(path) as archive:
            saved = numeric_cells(archive.read(SHEET), column)
        rows = [row for row in saved if first <= row < first + len(appendix["rows"])]
        ups = [row for row in rows if saved[row] % 10 != 9]
        downs = [row for row in rows if saved[row] % 10 != 0]
        pairs = [(up, down) for up in ups for down in downs if up != down]
        assert pairs, saved  # every appendix has such a pair in each column
        up, down = pairs[damage[3] % len(pairs)]
        silently_edited(path, path, column, {up: saved[up] + 1, down: saved[down] - 1}, stored=damage[2])
        return REJECT
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    total_row = first + len(appendix["rows"])
    outcome = ACCEPT
    if kind == "respell_unit":
        row = first + damage[1]
        name = sheet[f"B{row}"].value
        kind = _kinds_2024().get(name)
        prefixed = f"{kind.capitalize()} {name}" if kind in ("quận", "huyện") else f"UBND {name}"
        sheet[f"B{row}"] = {"nfd": unicodedata.normalize("NFD", name), "prefix": prefixed, "upper": name.upper(), "spaces": f"  {name}   "}[damage[2]]
    elif kind == "number_as_text":
        _, index, which, style, value = damage
        column = _column(appendix, which)
        counts[column][index] = value
        typed = {"plain": "{}", "padded": " {} "}.get(style, "{:,}").format(value)
        if style in SEPARATED:
            typed = typed.replace(",", style[1])
        assert (style not in SEPARATED) or typed[-4] == style[1], typed
        sheet[f"{column}{first + index}"] = typed
        sheet[f"{column}{total_row}"] = sum(count or 0 for count in counts[column])
    elif kind == "change_with_total":
        _, index, which, value = damage
        column = _column(appendix, which)
        counts[column][index] = value
        sheet[f"{column}{first + index}"] = value
        sheet[f"{column}{total_row}"] = sum(count or 0 for count in counts[column])
    elif kind == "bad_number":
        _, index, which, value = damage
        sheet[f"{_column(appendix, which)}{first + index}"] = value
        outcome = REJECT
    elif kind == "wrong_total":
        _, which, how, offset = damage
        column = _column(appendix, which)
        right = sum(count or 0 for count in counts[column])
        assert right > 9  # every column of every appendix adds up to more than any offset
        sheet[f"{column}{total_row}"] = {"zero": 0, "low": right - offset, "high": right + offset}[how]
        outcome = REJECT
    elif kind == "unknown_unit":
        sheet[f"B{first + damage[1]}"] = damage[2]
        # A row without a number, or of zeros only, under an unknown name is set aside with a
        # warning as a heading: it registers nobody, nothing to lose.
        if any(counts[column][damage[1]] for column in counts):
            outcome = REJECT
        else:
            skipped.add(damage[1])
    elif kind == "uncached_formula":
        _, index, which = damage
        column = _column(appendix, which)
        sheet[f"{column}{first + index}"] = f"={counts[column][index] or 0}+0"
        outcome = REJECT
    workbook.save(path)
    return outcome


@given(
    chosen=st.lists(st.sampled_from([1, 2, 3, 4, 5, 6]), min_size=1, max_size=3, unique=True),
    damage_pairs=st.lists(file_damages, min_size=3, max_size=3),
)
def test_damaged_files_are_accepted_exactly_or_rejected_by_name(chosen, damage_pairs):
    with tempfile.TemporaryDirectory() as folder:
        expected = {}
        for number, damages in zip(chosen, damage_pairs):
            appendix = APPENDICES[number]
            path = write_compiled_appendix(Path(folder) / f"pl{number}.xlsx", number)
            counts = {_column(appendix, index): [values[index] for _, *values in appendix["rows"]] for index in range(len(appendix["headers"]))}
            skipped: set[int] = set()
            outcomes = [ACCEPT]
            for damage in damages:
                if damage is not None:
                    outcomes.append(_damage(path, appendix, counts, skipped, damage))
            verdict = REJECT if REJECT in outcomes else EITHER if EITHER in outcomes else ACCEPT
            figures = {
                (unit, *appendix["keys"][index]): counts[_column(appendix, index)][row]
                for row, (unit, *_) in enumerate(appendix["rows"]) if row not in skipped
                for index in range(len(appendix["headers"]))
            }
            expected[path.name] = (verdict, {key: value for key, value in figures.items() if value})

        reference = _reference()
        found = intake.check_inputs(Path(folder), reference)
        registrations, issues, files = found.registrations, found.issues, found.files

    assert len(files) == len(expected) == len(chosen)
    status = files.set_index("file")["status"].to_dict()
    named = set(issues.loc[issues["severity"] == "lỗi", "file"])
    for name, (verdict, figures) in expected.items():
        if status[name] == validate.REJECTED:
            assert verdict != ACCEPT, (name, issues[issues["file"] == name].to_dict("records"))
            assert name in named
            assert name not in set(registrations["source_file"])
        else:
            assert verdict != REJECT, name
            assert name not in named
            mine = registrations[registrations["source_file"] == name]
            booked = {(unit, topic, level): int(count) for unit, topic, level, count in mine[["unit", "topic", "level", "headcount"]].values if count}
            assert booked == figures, name  # every figure, in its place: none changed, lost or invented
    accepted_files = files[files["status"] == validate.ACCEPTED]
    assert registrations["headcount"].sum() == accepted_files["headcount"].sum()


def test_the_damages_drawn_are_what_they_are_named_for():
    """Each kind of damage the property relies on is drawn: thousands separators of every
    style on figures that have thousands, totals of 0, too low and too high, appendix 1's
    second count column, silent edits in stored and in deflated sheets."""
    from hypothesis import find

    for style in SEPARATED:
        found = find(content_damages, lambda damage, style=style: damage[0] == "number_as_text" and damage[3] == style)
        assert found[4] >= 1000
    for how in ("zero", "low", "high"):
        assert find(content_damages, lambda damage, how=how: damage[0] == "wrong_total" and damage[2] == how)[2] == how
    second = find(content_damages, lambda damage: damage[0] in ("number_as_text", "change_with_total", "bad_number", "uncached_formula") and damage[2] == 1)
    assert _column(APPENDICES[1], second[2]) == "D" and _column(APPENDICES[2], second[2]) == "C"
    for stored in (True, False):
        assert find(byte_damages, lambda damage, stored=stored: damage[0] == "silent_edit" and damage[2] is stored)[2] is stored

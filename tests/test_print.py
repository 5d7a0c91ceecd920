"""Every workbook the pipeline writes, printed as an office would print it.

The numbers must print the same on any computer: thousands grouped by a space that is
part of the number format, never by the computer's own separator, so that 2 384 never
prints "2,384" (a decimal, to a Vietnamese reader). Each workbook is printed to PDF
with LibreOffice twice, under an English (United States) and a Vietnamese profile, and
the two texts must be identical but for the decimal marks. Every printed page has its
number ("Trang 1/3"); file names are never cut.

The print tests need LibreOffice, poppler-utils and the two locales (on Debian:
``localedef -i en_US -f UTF-8 en_US.UTF-8`` and the same for ``vi_VN``); they are
skipped without them. The checks on the files themselves always run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, run_cli
from number_formats import display
from plan_2026_2030 import COSTS
from pipeline import templates
from pipeline.reference import read_reference

PERIOD = "2026-11"
LOCALES = {"en": "en_US.UTF-8", "vi": "vi_VN.UTF-8"}
_YEARS = range(2000, 2101)


def _locales_installed() -> bool:
    if shutil.which("locale") is None:
        return False
    installed = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower().split()
    return all(name.lower().replace("utf-8", "utf8") in installed for name in LOCALES.values())


needs_printing = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and _locales_installed()),
    reason="needs LibreOffice, poppler-utils and the en_US.UTF-8 and vi_VN.UTF-8 locales",
)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> list[Path]:
    """Every workbook of a run on the shipped inputs, and a unit's fill-in form."""
    folder = tmp_path_factory.mktemp("print")
    result = run_cli("run", "--outputs", str(folder / "outputs"), "--period", PERIOD)
    assert result.returncode == 0, result.stdout + result.stderr
    reference = read_reference(ROOT / "inputs" / "reference")
    form = templates.write_templates(folder / "forms", reference, 2026, "Xã An Lão")
    books = sorted((folder / "outputs" / PERIOD).glob("*.xlsx")) + form
    assert len(books) == 17  # 10 plan appendices, the 2024 appendices, the summary, the registrations' costs, the report, two campaign sheets, a form
    return books


@pytest.fixture(scope="module")
def printed(workbooks, tmp_path_factory) -> dict[str, dict[str, list[str]]]:
    """locale -> workbook name -> the text of each printed page."""
    folder = tmp_path_factory.mktemp("pdf")
    texts: dict[str, dict[str, list[str]]] = {}
    for key, locale in LOCALES.items():
        out = folder / key
        environment = os.environ | {"LC_ALL": locale, "LANG": locale, "LANGUAGE": ""}
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile-{key}", "--convert-to", "pdf", "--outdir", str(out), *map(str, workbooks)],
            check=True, capture_output=True, timeout=600, env=environment,
        )
        texts[key] = {}
        for book in workbooks:
            text = subprocess.run(["pdftotext", "-layout", str(out / f"{book.stem}.pdf"), "-"], capture_output=True, text=True, check=True).stdout
            texts[key][book.stem] = text.split("\f")[:-1]
    return texts


# ---------------------------------------------------------------- the files


def test_numbers_are_grouped_by_the_format_never_by_the_locale(workbooks):
    checked = 0
    for book in workbooks:
        workbook = openpyxl.load_workbook(book, data_only=True)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if not isinstance(cell.value, (int, float)) or isinstance(cell.value, bool):
                        continue
                    checked += 1
                    number_format = cell.number_format
                    assert "," not in number_format.replace('","', ""), (book.name, sheet.title, cell.coordinate, number_format)
                    if abs(cell.value) >= 1000 and number_format == "General":
                        assert cell.value in _YEARS, (book.name, sheet.title, cell.coordinate)  # a year, never grouped
                    elif abs(cell.value) >= 1000:
                        assert " " in display(cell.value, number_format), (book.name, sheet.title, cell.coordinate, number_format)
    assert checked > 500


def test_every_printed_sheet_has_page_numbers(workbooks):
    sheets = 0
    for book in workbooks:
        for sheet in openpyxl.load_workbook(book).worksheets:
            sheets += 1
            assert "Trang &P/&N" in (sheet.oddFooter.center.text or ""), (book.name, sheet.title)
            assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9, (book.name, sheet.title)
            assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1), (book.name, sheet.title)
    assert sheets == 10 + 6 + 5 + 2 + 2 + 2 + 4  # ... the summary with "Thay đổi nộp", two campaign workbooks of two sheets


def test_lists_are_bordered_and_an_empty_one_says_so(workbooks):
    report = next(book for book in workbooks if book.name == "validation_report.xlsx")
    problems = openpyxl.load_workbook(report)["Vấn đề"]
    assert problems["A2"].value == "Không có vấn đề nào" and "A2:H2" in {str(r) for r in problems.merged_cells.ranges}
    summary = openpyxl.load_workbook(next(book for book in workbooks if book.name.startswith("tong_hop")))
    table = summary["Đối chiếu"]
    assert all(table.cell(row, column).border.left.style == "thin" for row in (1, 2, table.max_row) for column in range(1, 9))
    assert table.cell(2, 4).number_format != "General" and table.cell(2, 6).number_format.endswith(";-0.00")
    assert sum(table.column_dimensions[letter].width for letter in "ABCDEFGH") < 190  # fits a landscape page at a readable size


# ---------------------------------------------------------------- printed


@needs_printing
def test_printed_text_is_the_same_under_both_locales_but_for_decimal_marks(printed):
    english, vietnamese = printed["en"], printed["vi"]
    assert english.keys() == vietnamese.keys() and len(english) == 17
    decimals = 0
    for name, pages in english.items():
        assert len(pages) == len(vietnamese[name]), name
        for page, (en, vi) in enumerate(zip(pages, vietnamese[name]), start=1):
            decimals += len(re.findall(r"(?<=\d),(?=\d)", vi))
            assert _words(en) == _words(re.sub(r"(?<=\d),(?=\d)", ".", vi)), (name, page)
            # no separator of the computer's own: "2,384" (en) or "2.384" (vi) would be ambiguous
            assert not re.search(r"\d,\d{3}(?!\d)", en), (name, page)
            assert not re.search(r"\d\.\d{3}(?![\dđ])", vi), (name, page)
    assert decimals > 20  # the comparison did meet decimal figures (prices 1,5 and 13,26, amounts 1 312,74...)
    assert "2 384" in "".join(english["ke_hoach_2026_nhiem_vu"]) and "1 312,74" in "".join(vietnamese["ke_hoach_2026_kinh_phi"])
    # a negative difference keeps its sign: 2026, lines 54 507.74 against 54 508 printed
    assert re.search(r"54 508\s+54 507\.74\s+-0\.26\s", "".join(english["tong_hop_2026_2030"]))


@needs_printing
def test_every_printed_page_is_numbered(printed):
    pages = 0
    for name, texts in printed["vi"].items():
        for number, text in enumerate(texts, start=1):
            pages += 1
            assert re.search(rf"Trang {number}/{len(texts)}\s*$", text), (name, number)
    assert pages >= 15


@needs_printing
def test_printed_cost_appendices_add_up(printed):
    """On paper: each line's amount, as printed, and the printed total they add up to."""
    for year, (appendix, lines) in COSTS.items():
        text = re.sub(r"[ \t]+", " ", "".join(printed["en"][f"ke_hoach_{year}_kinh_phi"]))
        amounts = [round(sum(c or 0 for c in counts) * price, 2) for _, counts, price, *_ in lines if price]
        for amount in amounts:
            assert re.search(rf"(?<![\d.]){re.escape(_grouped(amount))}(?![\d.])", text), (year, _grouped(amount))
        total = round(sum(amounts), 2)
        total_line = next(line for line in text.splitlines() if line.strip().startswith("Tổng số:"))
        assert re.search(rf"{re.escape(_grouped(total))}(?: \(\d\))?\s*$", total_line), (year, total_line)


@needs_printing
def test_file_names_are_printed_whole(printed, workbooks):
    text = "".join(printed["en"]["validation_report"])
    names = sorted(path.relative_to(ROOT / "inputs" / "registrations").as_posix() for path in (ROOT / "inputs" / "registrations").rglob("*.xlsx"))
    assert len(names) == 9 and any("_xa_" in name for name in names)  # "xa_an_lao": LibreOffice reads "_xa_" as a line break unless guarded
    for name in names:
        assert re.search(rf"^\s*{re.escape(name)}\s", text, re.M), name


def _words(text: str) -> list[str]:
    return text.split()


def _grouped(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ")

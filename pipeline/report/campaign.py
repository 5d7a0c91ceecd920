"""Report for the registration campaign: the status workbook, the units' feedback letters,
the mail-merge list. Formatting only: every table comes from ``pipeline.campaign``."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from pipeline.campaign import REMOVE_FILE, REMOVE_ROWS, Letter, YearCampaign
from pipeline.report import COUNT_FORMAT, FONT, open_workbook, print_setup, write_csv, write_headings, write_list
from pipeline.validate import ACCEPTED as FILE_ACCEPTED
from pipeline.validate import ERROR
from schemas.campaign import ACCEPTED, HELD_BACK, MISSING

STATUS_SHEET = "Tình hình nộp"
CHANGES_SHEET = "So với kỳ trước"
LETTER_SHEET = "Phản hồi"
FEEDBACK_FOLDER = "phan_hoi"
MAIL_LIST = "gui_thu.csv"
STATUS_LABELS = {ACCEPTED: "Đã chấp nhận", HELD_BACK: "Bị giữ lại", MISSING: "Chưa nộp"}
FILE_STATUS_LABELS = {FILE_ACCEPTED: "Tệp được chấp nhận", "bị từ chối": "Tệp bị giữ lại"}
STATUS_HEADERS = ["STT", "Đơn vị", "Tệp đã nhận", "Sửa lần cuối", "Trạng thái", "Số vấn đề", "Số người được chấp nhận", "Ghi chú"]
STATUS_WIDTHS = [5, 24, 38, 17, 19, 9, 12, 48]
CHART_KEYS = ["total", "received", "accepted", "held_back", "missing"]
CHANGE_HEADERS = {"year": "Năm", "title": "Đơn vị", "previous": "Kỳ trước", "current": "Kỳ này", "change": "Thay đổi"}
LETTER_HEADERS = ["STT", "Vị trí trong tệp", "Giá trị đang ghi", "Mức độ", "Vấn đề", "Cách sửa"]
LETTER_WIDTHS = [5, 15, 12, 9, 31, 34]
SEVERITY_LABELS = {ERROR: "Lỗi", "cảnh báo": "Cảnh báo"}
RED = "#C00000"

# Formatting is data: the campaign's own styles, on top of report.STYLES.
CAMPAIGN_STYLES = {
    "note_line": {"italic": True, "align": "center", "valign": "vcenter", "text_wrap": True},
    "count_label": {"valign": "vcenter", "border": 1},
    "count_number": {"num_format": COUNT_FORMAT, "align": "center", "valign": "vcenter", "border": 1},
    "count_label_red": {"valign": "vcenter", "border": 1, "font_color": RED},
    "count_number_red": {"num_format": COUNT_FORMAT, "align": "center", "valign": "vcenter", "border": 1, "font_color": RED, "bold": True},
    "cell": {"valign": "top", "text_wrap": True, "border": 1},
    "cell_red": {"valign": "top", "text_wrap": True, "border": 1, "font_color": RED},
    "middle": {"align": "center", "valign": "top", "text_wrap": True, "border": 1},
    "middle_red": {"align": "center", "valign": "top", "text_wrap": True, "border": 1, "font_color": RED},
    "number": {"num_format": COUNT_FORMAT, "align": "center", "valign": "top", "border": 1},
    "number_red": {"num_format": COUNT_FORMAT, "align": "center", "valign": "top", "border": 1, "font_color": RED},
    "block_title": {"bold": True, "valign": "vcenter"},
    "letter_office": {"bold": True, "align": "center", "valign": "vcenter"},
    "letter_title": {"bold": True, "font_size": 13, "align": "center", "valign": "vcenter", "text_wrap": True},
    "letter_date": {"italic": True, "align": "right", "valign": "vcenter"},
    "letter_to": {"bold": True, "valign": "vcenter"},
    "letter_text": {"valign": "top", "text_wrap": True},
    "letter_file": {"valign": "top", "text_wrap": True, "indent": 1},
    "letter_sign": {"bold": True, "align": "center", "valign": "vcenter"},
    "severity_error": {"bold": True, "align": "center", "valign": "top", "border": 1, "font_color": RED},
    "severity_warning": {"align": "center", "valign": "top", "border": 1},
}


def write_campaign(folder: Path, campaign: YearCampaign) -> list[Path]:
    """Write a year's campaign under ``folder``: ``tinh_hinh_nop_<year>.xlsx``, one
    ``phan_hoi/<year>/<unit>.xlsx`` per letter and, when the units list has an e-mail
    column, ``phan_hoi/<year>/gui_thu.csv``. Returns the paths written."""
    paths = [folder / f"tinh_hinh_nop_{campaign.year}.xlsx"]
    write_status_workbook(paths[0], campaign)
    letters = folder / FEEDBACK_FOLDER / str(campaign.year)
    for letter in campaign.letters:
        paths.append(letters / f"{letter.slug}.xlsx")
        write_letter(paths[-1], letter, campaign)
    if campaign.mail is not None and campaign.letters and (campaign.mail["email"] != "").any():  # some unit has an address
        paths.append(letters / MAIL_LIST)
        write_csv(paths[-1], campaign.mail)
    return paths


# ---------------------------------------------------------------- the status workbook


def write_status_workbook(path: Path, campaign: YearCampaign) -> None:
    """Sheet "Tình hình nộp": the counts (numbers and a bar chart), then every unit of
    the year's list in its order, then the files no unit could be found for; sheet
    "So với kỳ trước": the units whose status changed since the previous period."""
    with open_workbook(path) as (workbook, styles):
        styles = styles | {name: workbook.add_format(FONT | style) for name, style in CAMPAIGN_STYLES.items()}
        sheet = workbook.add_worksheet(STATUS_SHEET)
        last = len(STATUS_HEADERS) - 1
        write_headings(sheet, [f"TÌNH HÌNH NỘP SỐ LIỆU ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM {campaign.year}"], "", last, styles)
        sheet.merge_range(1, 0, 1, last, _as_of_line(campaign), styles["note_line"])
        sheet.set_row(1, 34)
        counts_top = 3
        sheet.merge_range(counts_top, 0, counts_top, 1, "Chỉ tiêu", styles["header"])
        sheet.write_string(counts_top, 2, "Số lượng", styles["header"])
        for offset, record in enumerate(campaign.counts.itertuples(index=False), start=1):
            red = record.key in ("late", "overdue", "undetermined") and record.count > 0
            sheet.merge_range(counts_top + offset, 0, counts_top + offset, 1, record.label, styles["count_label_red" if red else "count_label"])
            sheet.write_number(counts_top + offset, 2, int(record.count), styles["count_number_red" if red else "count_number"])
        _insert_chart(workbook, sheet, campaign.counts, counts_top)
        header_row = counts_top + len(campaign.counts) + 3
        sheet.write_row(header_row, 0, STATUS_HEADERS, styles["header"])
        sheet.set_row(header_row, 48)
        for offset, record in enumerate(campaign.status.to_dict("records"), start=1):
            _write_unit_row(sheet, header_row + offset, record, campaign.year, styles)
        last_unit_row = header_row + len(campaign.status)
        sheet.autofilter(header_row, 0, max(last_unit_row, header_row + 1), last)
        _write_undetermined(sheet, last_unit_row + 2, campaign.undetermined, styles)
        for column, width in enumerate(STATUS_WIDTHS):
            sheet.set_column(column, column, width)
        print_setup(sheet, header_row)
        sheet.freeze_panes(header_row + 1, 0)
        sheet.activate()
        write_submission_changes(workbook.add_worksheet(CHANGES_SHEET), campaign.changes, styles)


def write_submission_changes(sheet, changes: pd.DataFrame | None, styles) -> None:
    """The units whose status changed since the previous period, or a sentence saying why none is shown.

    Also usable for the "Thay đổi" sheet of the summary workbook."""
    if changes is None or changes.empty:
        text = "Chưa có kỳ trước có tình hình nộp để so sánh." if changes is None else "Không đơn vị nào thay đổi tình hình nộp so với kỳ trước."
        sheet.write_string(0, 0, text, styles["plain_nowrap"])
        sheet.set_column(0, 0, 80)
        print_setup(sheet, None)
        return
    table = changes.assign(
        previous=changes["previous"].map(STATUS_LABELS).fillna(changes["previous"]),
        current=changes["current"].map(STATUS_LABELS).fillna(changes["current"]),
    )
    write_list(sheet, table.rename(columns=CHANGE_HEADERS)[list(CHANGE_HEADERS.values())], [7, 28, 14, 14, 44], styles)


def _as_of_line(campaign: YearCampaign) -> str:
    moment = f"Tình hình đến ngày {campaign.as_of:%d/%m/%Y}"
    if campaign.deadline is None:
        return f"{moment}. Chưa có hạn nộp (ghi trong inputs/reference/deadlines.csv hoặc dùng --deadline)."
    source = "theo tham số --deadline của lần chạy" if campaign.deadline_source == "--deadline" else f"theo {campaign.deadline_source}"
    return f"{moment}. Hạn nộp: {campaign.deadline:%d/%m/%Y} ({source}); tệp nộp muộn và đơn vị quá hạn chưa nộp ghi màu đỏ."


def _insert_chart(workbook, sheet, counts: pd.DataFrame, counts_top: int) -> None:
    """A bar chart of the counts that describe the units (total, received, accepted, held back, missing)."""
    position = {key: offset for offset, key in enumerate(counts["key"], start=1)}
    chart = workbook.add_chart({"type": "bar"})
    rows = [counts_top + position[key] for key in CHART_KEYS]
    # The chart reads consecutive cells: the five counts are the first five rows.
    assert rows == list(range(rows[0], rows[0] + len(rows))), "counts must start with the chart's five"
    chart.add_series({
        "name": "Số đơn vị",
        "categories": [STATUS_SHEET, rows[0], 0, rows[-1], 0],
        "values": [STATUS_SHEET, rows[0], 2, rows[-1], 2],
        "data_labels": {"value": True},
        "points": [{"fill": {"color": colour}} for colour in ("#7F7F7F", "#4472C4", "#70AD47", "#ED7D31", "#C00000")],
    })
    chart.set_title({"name": "Số đơn vị theo tình hình nộp", "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"num_format": "0", "min": 0})
    chart.set_size({"width": 560, "height": 190})
    sheet.insert_chart(counts_top, 3, chart, {"x_offset": 10})


def _write_unit_row(sheet, row: int, record: dict, year: int, styles) -> None:
    overdue, late = record["is_overdue"], record["is_late"]
    red = "_red" if overdue else ""
    file_red = "_red" if overdue or late else ""
    files = "\n".join(f"{name} (muộn)" if is_late else name for name, is_late in zip(record["files"], record["late"]))
    moments = "\n".join(f"{moment:%H:%M %d/%m/%Y}" for moment in record["modified"])
    status = STATUS_LABELS[record["status"]] + (" (quá hạn)" if overdue else "")
    sheet.write_number(row, 0, record["position"], styles["middle" + red])
    sheet.write_string(row, 1, record["title"], styles["cell" + red])
    sheet.write_string(row, 2, files, styles["cell" + file_red])
    sheet.write_string(row, 3, moments, styles["middle" + file_red])
    sheet.write_string(row, 4, status, styles["middle" + red])
    if record["status"] == MISSING:
        sheet.write_blank(row, 5, None, styles["number" + red])
        sheet.write_blank(row, 6, None, styles["number" + red])
    else:
        sheet.write_number(row, 5, record["problems"], styles["number"])
        sheet.write_number(row, 6, record["headcount"], styles["number"])
    note = record["note"]
    if record["problems"]:
        note = f"Phiếu phản hồi: {FEEDBACK_FOLDER}/{year}/{record['slug']}.xlsx ({_problem_count(record)}). {note}".strip()
    sheet.write_string(row, 7, note, styles["cell" + file_red])
    _fit(sheet, row, [record["title"], files, moments, status, note], [STATUS_WIDTHS[i] for i in (1, 2, 3, 4, 7)])


def _problem_count(record: dict) -> str:
    parts = [f"{record['errors']} lỗi"] * bool(record["errors"]) + [f"{record['warnings']} cảnh báo"] * bool(record["warnings"])
    return ", ".join(parts)


def _write_undetermined(sheet, top: int, undetermined: pd.DataFrame, styles) -> None:
    """The files no unit could be found for: listed, never silently dropped."""
    if undetermined.empty:
        sheet.write_string(top, 1, "Không có tệp nào không xác định được đơn vị.", styles["plain_nowrap"])
        return
    sheet.write_string(top, 0, "TỆP KHÔNG XÁC ĐỊNH ĐƯỢC ĐƠN VỊ (không có phiếu phản hồi; xem báo cáo kiểm tra)", styles["block_title"])
    sheet.write_row(top + 1, 0, ["STT", "Đơn vị", "Tệp", "Sửa lần cuối", "Kết quả", "Số vấn đề", "", "Ghi chú"], styles["header"])
    for offset, record in enumerate(undetermined.to_dict("records"), start=1):
        row = top + 1 + offset
        values = [str(offset), "Không xác định được đơn vị", record["file"], f"{record['modified']:%H:%M %d/%m/%Y}", FILE_STATUS_LABELS.get(record["file_status"], record["file_status"])]
        for column, value in enumerate(values):
            sheet.write_string(row, column, value, styles["middle" if column in (0, 3, 4) else "cell"])
        sheet.write_number(row, 5, record["problems"], styles["number"])
        sheet.write_blank(row, 6, None, styles["number"])
        sheet.write_string(row, 7, record["note"], styles["cell"])
        _fit(sheet, row, [values[1], values[2], record["note"]], [STATUS_WIDTHS[i] for i in (1, 2, 7)])


# ---------------------------------------------------------------- the feedback letters


def write_letter(path: Path, letter: Letter, campaign: YearCampaign) -> None:
    """A unit's feedback as a one-sheet letter, A4 portrait: who it is for, the date, the
    files, each problem with where it is, the value found and how to fix it, then what to do."""
    with open_workbook(path) as (workbook, styles):
        styles = styles | {name: workbook.add_format(FONT | style) for name, style in CAMPAIGN_STYLES.items()}
        sheet = workbook.add_worksheet(LETTER_SHEET)
        last = len(LETTER_HEADERS) - 1
        width = sum(LETTER_WIDTHS)
        row = 0
        sheet.merge_range(row, 0, row, last, "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG", styles["letter_office"])
        row += 1
        sheet.merge_range(row, 0, row, last, f"PHIẾU PHẢN HỒI SỐ LIỆU ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM {campaign.year}", styles["letter_title"])
        sheet.set_row(row, 22)
        row += 1
        day = campaign.as_of
        sheet.merge_range(row, 0, row, last, f"Hải Phòng, ngày {day:%d} tháng {day:%m} năm {day:%Y}", styles["letter_date"])
        row += 2
        sheet.merge_range(row, 0, row, last, f"Kính gửi: {letter.title}", styles["letter_to"])
        row += 2
        introduction, file_lines, summary = _opening(letter, campaign)
        row = _paragraph(sheet, row, introduction, styles["letter_text"], last, width)
        for text in file_lines:
            row = _paragraph(sheet, row, text, styles["letter_file"], last, width)
        row = _paragraph(sheet, row + 1, summary, styles["letter_text"], last, width) + 1
        header_row = row
        sheet.write_row(header_row, 0, LETTER_HEADERS, styles["header"])
        sheet.set_row(header_row, 32)
        several_files = letter.problems["file"].nunique() > 1
        for number, record in enumerate(letter.problems.to_dict("records"), start=1):
            row = header_row + number
            if record["sheet"]:
                where = (f"Tệp \"{_name(record['file'])}\"\n" if several_files else "") + f"Trang \"{record['sheet']}\"" + (f"\nô {record['cell']}" if record["cell"] else "\n(cả trang tính)")
            else:  # a problem of the whole file
                where = f"Tệp \"{_name(record['file'])}\"\n(cả tệp)"
            sheet.write_number(row, 0, number, styles["middle"])
            sheet.write_string(row, 1, where, styles["cell"])
            sheet.write_string(row, 2, record["value"], styles["middle"])
            is_error = record["severity"] == ERROR
            sheet.write_string(row, 3, SEVERITY_LABELS.get(record["severity"], record["severity"]), styles["severity_error" if is_error else "severity_warning"])
            sheet.write_string(row, 4, record["problem"], styles["cell"])
            sheet.write_string(row, 5, record["fix"], styles["cell"])
            _fit(sheet, row, [where, record["value"], record["problem"], record["fix"]], [LETTER_WIDTHS[i] for i in (1, 2, 4, 5)])
        row += 2
        for text in _closing(letter, campaign):
            row = _paragraph(sheet, row, text, styles["letter_text"], last, width)
        row += 1
        sheet.merge_range(row, 3, row, last, "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG", styles["letter_sign"])
        for column, column_width in enumerate(LETTER_WIDTHS):
            sheet.set_column(column, column, column_width)
        print_setup(sheet, header_row)
        sheet.set_portrait()
        sheet.set_margins(left=0.6, right=0.5, top=0.6, bottom=0.6)
        sheet.set_footer(f"&L{letter.title}&RTrang &P/&N")


def _opening(letter: Letter, campaign: YearCampaign) -> tuple[str, list[str], str]:
    """The letter's first sentence, a line per file received, the sentence over the problems.

    Files are named as the unit saved them, without the folder they were put in here."""
    errors = int((letter.problems["severity"] == ERROR).sum())
    warnings = len(letter.problems) - errors
    older = letter.files["action"].isin([REMOVE_FILE, REMOVE_ROWS])
    files, lines = letter.files[~older], []
    introduction = f"Sở Giáo dục và Đào tạo đã nhận {_count_files(len(files))} số liệu đăng ký đào tạo, bồi dưỡng cán bộ quản lý, giáo viên năm {campaign.year} của đơn vị:"
    for record in files.to_dict("records"):
        verdict = "số liệu đã được tổng hợp" if record["file_status"] == FILE_ACCEPTED else "tệp có lỗi nên số liệu chưa được tổng hợp"
        lines.append(f"- Tệp \"{_name(record['file'])}\" (sửa lần cuối lúc {record['modified']:%H:%M} ngày {record['modified']:%d/%m/%Y}): {verdict}.")
    for record in letter.files[older].to_dict("records"):
        lines.append(f"- Tệp \"{_name(record['file'])}\" là bản gửi trước, có số liệu trùng với bản gửi sau: Sở dùng bản gửi sau, không dùng bản này.")
    parts = [f"{errors} lỗi"] * bool(errors) + [f"{warnings} cảnh báo"] * bool(warnings)
    summary = (
        f"Khi kiểm tra, Sở thấy {len(letter.problems)} điểm cần đơn vị sửa hoặc xem lại ({', '.join(parts)}), liệt kê dưới đây: "
        "vị trí trong tệp (trang tính, ô), giá trị đang ghi, vấn đề và cách sửa."
    )
    return introduction, lines, summary


def _name(file: str) -> str:
    return file.rsplit("/", 1)[-1]


def _closing(letter: Letter, campaign: YearCampaign) -> list[str]:
    errors = int((letter.problems["severity"] == ERROR).sum())
    texts = []
    if errors:
        if campaign.deadline is None:
            when = "sớm nhất có thể"
        elif campaign.as_of > campaign.deadline:
            when = f"sớm nhất có thể (hạn nộp ngày {campaign.deadline:%d/%m/%Y} đã qua)"
        else:
            when = f"trước hết ngày {campaign.deadline:%d/%m/%Y}"
        texts.append(
            f"Đề nghị đơn vị sửa các lỗi ngay trong tệp đã gửi, lưu lại và gửi lại cả tệp cho Sở {when}. "
            "Số liệu của đơn vị được tổng hợp khi tệp gửi lại không còn lỗi."
        )
    if len(letter.problems) > errors:
        texts.append(
            "Các cảnh báo không làm số liệu bị giữ lại: nếu đúng như Sở đã hiểu thì đơn vị không cần sửa; "
            "nếu không đúng, đề nghị sửa và gửi lại cả tệp."
        )
    texts.append("Trân trọng cảm ơn đơn vị.")
    return texts


def _count_files(count: int) -> str:
    return "tệp" if count == 1 else f"{count} tệp"


def _paragraph(sheet, row: int, text: str, style, last: int, width: int) -> int:
    """A line of the letter across the page, as tall as its wrapped text; returns the next row."""
    sheet.merge_range(row, 0, row, last, text, style)
    _fit(sheet, row, [text], [width * 1.2])  # prose runs narrower than the digits column widths are measured in
    return row + 1


def _fit(sheet, row: int, values: list[str], widths: list[int]) -> None:
    """Spreadsheet programs do not grow rows for wrapped text on opening: size the row for its
    longest cell, counting each line of a cell apart."""
    lines = max(
        (sum(max(1, math.ceil(len(line) / max(width * 0.95, 1))) for line in str(value).split("\n")) for value, width in zip(values, widths)),
        default=1,
    )
    sheet.set_row(row, 16 * max(lines, 1) + 2)


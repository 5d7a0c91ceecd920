"""aggregate as functions on small frames: every expected figure is added up here, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from frames import LEVELS, counts, frame, plan_frame, without_mutation
from pipeline import aggregate

TOPICS = pd.DataFrame(
    {
        "code": ["BD01", "BD03", "BD06", "BD19", "NVSP", "KNTHN", "TC_DH"],
        "name": ["Chuyển đổi số (danh mục)", "Phương pháp giảng dạy (danh mục)", "Giáo dục toàn diện (danh mục)", "Bồi dưỡng khác (danh mục)",
                 "Nghiệp vụ sư phạm (danh mục)", "Kỹ năng thực hành nghề (danh mục)", "Nâng chuẩn TC lên ĐH (danh mục)"],
        "kind": ["bồi dưỡng"] * 6 + ["đào tạo"],
        "levels": ["MN TH THCS THPT GDTX GDNN"] * 4 + ["GDNN", "GDNN", "MN TH"],
    }
)


# ---------------------------------------------------------------- city_headcounts


def test_city_headcounts_add_the_units_per_year_topic_and_level():
    registrations = frame("year unit topic level headcount", [
        (2026, "An Lão", "BD01", "MN", 3),
        (2026, "Lê Chân", "BD01", "MN", 4),
        (2026, "Lê Chân", "BD01", "TH", 0),
        (2026, "Lê Chân", "BD03", "MN", 2),
        (2027, "An Lão", "BD01", "MN", 5),
    ])
    result = without_mutation(aggregate.city_headcounts, registrations)
    assert list(result.columns) == ["year", "topic", "level", "headcount"]
    assert result.values.tolist() == [
        [2026, "BD01", "MN", 3 + 4],
        [2026, "BD01", "TH", 0],  # a zero sent is a figure: kept
        [2026, "BD03", "MN", 2],
        [2027, "BD01", "MN", 5],  # another year is never added in
    ]


# ---------------------------------------------------------------- build_appendices


APPENDICES = pd.DataFrame(
    {
        "year": [2024, 2024],
        "appendix": [1, 2],
        "title": ["SỐ LƯỢNG CBQL, GV MẦM NON", "SỐ LƯỢNG CBQL, GV TIỂU HỌC"],
        "subtitle": ["ĐĂNG KÝ NÂNG CHUẨN NĂM 2024"] * 2,
        "unit_header": ["Quận/huyện", "Đơn vị"],
        "attachment": [None, "(Kèm theo Kế hoạch)"],
    }
)
# positions given out of order: the appendix orders its columns by position
APPENDIX_COLUMNS = pd.DataFrame(
    {
        "year": [2024, 2024, 2024],
        "appendix": [1, 1, 2],
        "position": [2, 1, 1],
        "topic": ["TC_CD", "TC_DH", "CD_DH"],
        "level": ["MN", "MN", "TH"],
        "header": ["TC-CĐ (ngoài công lập)", "TC-ĐH (công lập)", "CĐ-ĐH"],
    }
)
UNITS = pd.DataFrame({"name": ["Lê Chân", "An Lão", "An Lão", "Tiên Lãng", "Cát Hải"]})  # a unit may have two periods


def test_appendix_lists_units_in_reference_order_with_zeros_and_column_sums():
    registrations = frame("year unit topic level headcount", [
        (2024, "Tiên Lãng", "TC_DH", "MN", 0),   # a zero sent: listed, with zeros
        (2024, "An Lão", "TC_DH", "MN", 5),
        (2024, "Lê Chân", "TC_CD", "MN", 3),     # figures only in the second column
        (2024, "An Lão", "TC_CD", "MN", 2),
        (2024, "Cát Hải", "CD_DH", "THCS", 9),   # a level no column of appendix 1 or 2 shows
        (2025, "Cát Hải", "TC_DH", "MN", 7),     # a year without appendices
    ])
    tables = without_mutation(aggregate.build_appendices, registrations, APPENDICES, APPENDIX_COLUMNS, UNITS)
    assert len(tables) == 1  # appendix 2 has no figure: not built
    table = tables[0]
    assert (table.year, table.number, table.title, table.unit_header, table.attachment) == (2024, 1, "SỐ LƯỢNG CBQL, GV MẦM NON", "Quận/huyện", "")
    assert table.column_headers == ["TC-ĐH (công lập)", "TC-CĐ (ngoài công lập)"]
    assert table.body.values.tolist() == [
        ["Lê Chân", 0, 3],
        ["An Lão", 5, 2],
        ["Tiên Lãng", 0, 0],
    ]
    assert table.totals == [5 + 0 + 0, 3 + 2 + 0]


def test_a_unit_missing_from_the_units_table_comes_last_and_an_appendix_with_figures_is_built():
    registrations = frame("year unit topic level headcount", [
        (2024, "Đơn vị cũ", "CD_DH", "TH", 1),
        (2024, "Cát Hải", "CD_DH", "TH", 4),
        (2024, "Lê Chân", "CD_DH", "TH", 2),
        (2024, "Lê Chân", "CD_DH", "TH", 3),  # two rows of one unit are added
    ])
    tables = aggregate.build_appendices(registrations, APPENDICES, APPENDIX_COLUMNS, UNITS)
    assert [table.number for table in tables] == [2]
    assert tables[0].attachment == "(Kèm theo Kế hoạch)"
    assert tables[0].body.values.tolist() == [["Lê Chân", 5], ["Cát Hải", 4], ["Đơn vị cũ", 1]]
    assert tables[0].totals == [10]


# ---------------------------------------------------------------- plan_lines


def _plan() -> pd.DataFrame:
    """Year 2026: two lines, a group with two sub-items; a 2027 line that must never show.
    Rows given out of position order."""
    return plan_frame([
        dict(year=2026, position=3, topic="BD19", task_number="3", cost_number="3", task_label="Các nội dung khác (NV)", cost_label="Các nội dung khác (KP)"),
        dict(year=2026, position=1, topic="BD01", MN=10, TH=5, unit_price_million=2.0,
             task_number="1", cost_number="1", task_label="Chuyển đổi số (NV)", cost_label="Chuyển đổi số (KP)"),
        dict(year=2026, position=2, topic="TC_DH", label="Đào tạo TC lên ĐH", MN=4, price_per_credit_million=0.442, credits_taught=30,
             cost_number="2", cost_label="Nâng chuẩn TC-ĐH (KP)"),
        dict(year=2026, position=4, topic="NVSP", parent="BD19", GDNN=2, unit_price_million=3.0,
             task_label="Bồi dưỡng nghiệp vụ sư phạm", cost_label="Bồi dưỡng nghiệp vụ sư phạm"),
        dict(year=2026, position=5, topic="KNTHN", parent="BD19", unit_price_million=10.0, task_label="Chứng chỉ kỹ năng"),
        dict(year=2027, position=1, topic="BD01", MN=99, unit_price_million=2.0),
    ])


REGISTERED = frame("year topic level headcount", [
    (2026, "BD01", "MN", 5),
    (2026, "BD01", "TH", 0),
    (2026, "NVSP", "GDNN", 4),
    (2026, "BD06", "TH", 6),    # registered, no line in the plan
    (2026, "BD03", "MN", 1),    # registered, no line in the plan
    (2027, "BD01", "MN", 9),
])


def test_plan_lines_keep_the_plan_order_sub_items_after_their_group_and_extra_topics_last():
    plan = _plan()
    lines = without_mutation(aggregate.plan_lines, plan, REGISTERED, TOPICS, 2026, keep_empty=True)
    assert lines["topic"].tolist() == ["BD01", "TC_DH", "BD19", "NVSP", "KNTHN", "BD03", "BD06"]
    assert lines["is_group"].tolist() == [False, False, True, False, False, False, False]
    # what units registered, never the plan's own targets (10, 5, 4, 2)
    assert counts(lines) == [
        (5, 0, None, None, None, None),
        (None,) * 6,
        (None,) * 6,
        (None, None, None, None, None, 4),
        (None,) * 6,
        (1, None, None, None, None, None),
        (None, 6, None, None, None, None),
    ]
    # without a wording: the cost appendix's labels, then the catalogue's; sub-items with "- "; TT counted
    assert lines["label"].tolist() == [
        "Chuyển đổi số (KP)", "Nâng chuẩn TC-ĐH (KP)", "Các nội dung khác (KP)", "- Bồi dưỡng nghiệp vụ sư phạm",
        "- Chứng chỉ kỹ năng", "Phương pháp giảng dạy (danh mục)", "Giáo dục toàn diện (danh mục)",
    ]
    assert lines["number"].tolist() == ["1", "2", "3", "", "", "4", "5"]


def test_plan_lines_without_people_are_left_out_but_a_group_with_a_used_sub_item_stays():
    lines = without_mutation(aggregate.plan_lines, _plan(), REGISTERED, TOPICS, 2026, keep_empty=False)
    # TC_DH and KNTHN have nobody; BD19 has no figure of its own but NVSP under it has 4
    assert lines["topic"].tolist() == ["BD01", "BD19", "NVSP", "BD03", "BD06"]
    assert lines["number"].tolist() == ["1", "2", "", "3", "4"]
    assert lines["is_group"].tolist() == [False, True, False, False, False]


def test_a_group_whose_sub_items_have_nobody_is_left_out():
    registered = REGISTERED[REGISTERED["topic"] != "NVSP"]
    lines = aggregate.plan_lines(_plan(), registered, TOPICS, 2026, keep_empty=False)
    assert lines["topic"].tolist() == ["BD01", "BD03", "BD06"]


def test_plan_lines_in_the_tasks_and_the_costs_wording():
    tasks = aggregate.plan_lines(_plan(), REGISTERED, TOPICS, 2026, keep_empty=True, wording=aggregate.TASKS)
    costs = aggregate.plan_lines(_plan(), REGISTERED, TOPICS, 2026, keep_empty=True, wording=aggregate.COSTS)
    # TC_DH is not printed in the tasks appendix: the cost label stands in, and it has no TT there
    assert tasks["label"].tolist()[:5] == ["Chuyển đổi số (NV)", "Nâng chuẩn TC-ĐH (KP)", "Các nội dung khác (NV)", "- Bồi dưỡng nghiệp vụ sư phạm", "- Chứng chỉ kỹ năng"]
    assert tasks["number"].tolist() == ["1", "", "3", "", "", "", ""]
    # KNTHN is not printed in the costs appendix: the tasks label stands in
    assert costs["label"].tolist()[:5] == ["Chuyển đổi số (KP)", "Nâng chuẩn TC-ĐH (KP)", "Các nội dung khác (KP)", "- Bồi dưỡng nghiệp vụ sư phạm", "- Chứng chỉ kỹ năng"]
    assert costs["number"].tolist() == ["1", "2", "3", "", "", "", ""]


def test_plan_lines_of_the_plans_own_targets():
    plan = _plan()
    targets = frame("year topic level headcount", [(2026, "BD01", "MN", 10), (2026, "BD01", "TH", 5), (2026, "TC_DH", "MN", 4), (2026, "NVSP", "GDNN", 2)])
    lines = aggregate.plan_lines(plan, targets, TOPICS, 2026, keep_empty=False)
    assert lines["topic"].tolist() == ["BD01", "TC_DH", "BD19", "NVSP"]
    assert counts(lines)[0] == (10, 5, None, None, None, None)


def test_plan_labels_fall_back_from_the_appendix_to_the_other_to_the_plan_to_the_catalogue():
    plan = plan_frame([
        dict(year=2026, position=1, topic="BD01", task_label="NV", cost_label="KP", label="nhãn"),
        dict(year=2026, position=2, topic="BD03", cost_label="KP", label="nhãn"),
        dict(year=2026, position=3, topic="BD06", label="nhãn"),
        dict(year=2026, position=4, topic="BD19"),
        dict(year=2026, position=5, topic="XYZ"),  # not in the catalogue either: its code
    ])
    assert aggregate.plan_labels(plan, TOPICS, aggregate.TASKS).tolist() == ["NV", "KP", "nhãn", "Bồi dưỡng khác (danh mục)", "XYZ"]
    assert aggregate.plan_labels(plan, TOPICS, aggregate.COSTS).tolist() == ["KP", "KP", "nhãn", "Bồi dưỡng khác (danh mục)", "XYZ"]


# ---------------------------------------------------------------- compare_with_plan


def test_registered_against_planned_with_percent_empty_where_nothing_was_planned():
    registered = frame("year topic level headcount", [
        (2026, "BD01", "GDTX", 3),
        (2026, "BD01", "MN", 5),
        (2026, "BD06", "TH", 6),
    ])
    targets = frame("year topic level headcount", [
        (2026, "BD01", "MN", 10),
        (2026, "BD01", "GDTX", 0),  # planned as 0: no percent
        (2026, "BD02", "THCS", 4),  # planned, nobody registered
        (2027, "BD01", "MN", 99),   # a year nobody registered for: left out
    ])
    result = without_mutation(aggregate.compare_with_plan, registered, targets)
    rows = [(r.year, r.topic, r.level, r.planned, r.registered, None if pd.isna(r.percent) else r.percent) for r in result.itertuples(index=False)]
    assert rows == [
        (2026, "BD01", "MN", 10, 5, pytest.approx(5 / 10 * 100)),  # MN before GDTX: levels in their order, not by letter
        (2026, "BD01", "GDTX", 0, 3, None),
        (2026, "BD02", "THCS", 4, 0, pytest.approx(0.0)),
        (2026, "BD06", "TH", 0, 6, None),
    ]


# ---------------------------------------------------------------- headcount_by_level


def test_headcount_by_level_has_the_six_levels_in_order_with_zeros():
    headcounts = frame("year topic level headcount", [
        (2027, "BD01", "TH", 4),
        (2026, "BD01", "MN", 3),
        (2026, "BD03", "MN", 2),
        (2026, "NVSP", "GDNN", 1),
    ])
    table = without_mutation(aggregate.headcount_by_level, headcounts, LEVELS)
    assert list(table.columns) == LEVELS
    assert table.index.tolist() == [2026, 2027]
    assert table.values.tolist() == [[3 + 2, 0, 0, 0, 0, 1], [0, 4, 0, 0, 0, 0]]


# ---------------------------------------------------------------- compare_periods


def test_compare_periods_names_what_was_added_removed_and_changed():
    columns = "year unit topic level headcount source_file"
    previous = frame(columns, [
        (2026, "Lê Chân", "BD01", "MN", 3, "le_chan.xlsx"),    # the same: no row
        (2026, "Lê Chân", "BD01", "TH", 2, "le_chan.xlsx"),    # 2 -> 5
        (2026, "An Lão", "BD02", "MN", 4, "an_lao.xlsx"),      # gone
        (2026, "An Lão", "BD02", "TH", 0, "an_lao.xlsx"),      # gone, but it was 0
    ])
    current = frame(columns, [
        (2026, "Lê Chân", "BD01", "MN", 3, "le_chan_v2.xlsx"),  # another file, the same figure
        (2026, "Lê Chân", "BD01", "TH", 5, "le_chan_v2.xlsx"),
        (2026, "Tiên Lãng", "BD01", "MN", 7, "tien_lang.xlsx"),  # new
        (2026, "Tiên Lãng", "BD01", "TH", 0, "tien_lang.xlsx"),  # new, but 0
    ])
    changes = without_mutation(aggregate.compare_periods, previous, current)
    rows = [(r.unit, r.topic, r.level, None if pd.isna(r.previous) else int(r.previous), None if pd.isna(r.current) else int(r.current), r.change) for r in changes.itertuples(index=False)]
    assert rows == [
        ("An Lão", "BD02", "MN", 4, None, "bỏ đi"),
        ("Lê Chân", "BD01", "TH", 2, 5, "thay đổi"),
        ("Tiên Lãng", "BD01", "MN", None, 7, "thêm mới"),
    ]


def test_compare_periods_of_identical_registrations_is_empty():
    registrations = frame("year unit topic level headcount", [(2026, "Lê Chân", "BD01", "MN", 3)])
    assert aggregate.compare_periods(registrations, registrations.copy()).empty

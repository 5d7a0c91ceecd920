"""Rules that had no test of their own (found by tools/mutate.py): each is broken on
purpose there, and these tests are what turns red.

- groups_add_up: a level typed as "Tổng số | CBQL | GV", the groups not adding up to the total;
- file_has_table: a workbook with text in its sheets but no table.

Expected figures are the ones written here.
"""

from __future__ import annotations

from pathlib import Path

from conftest import check
from workbooks import write_rows

HEAD = [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM 2026"], ["Đơn vị: Phường Lê Chân"], []]
HEADER = [["TT", "Nội dung", "Mầm non", None, None, "Tiểu học"], [None, None, "Tổng số", "CBQL", "GV", None]]
MERGED = ("A4:A5", "B4:B5", "C4:E4", "F4:F5")


def test_groups_beside_a_level_total_that_add_up_are_checked_and_the_total_booked(inputs: Path):
    rows = [[1, "STEM/STEAM", 12, 3, 9, 4], [2, "Tích hợp AI trong quản trị nhà trường", 5, 5, None, 2]]
    write_rows(inputs / "registrations" / "le_chan.xlsx", HEAD + HEADER + rows, merged=MERGED)
    registrations, issues, files = check(inputs)
    assert issues.to_dict("records") == []
    assert sorted(registrations[["topic", "level", "headcount", "source_cell"]].values.tolist()) == [
        ["BD02", "MN", 5, "C7"], ["BD02", "TH", 2, "F7"], ["BD05", "MN", 12, "C6"], ["BD05", "TH", 4, "F6"],
    ]
    row = files.iloc[0]
    assert (row["cells_booked"], row["cells_checked"], row["cells_set_aside"], row["sum_booked"]) == (4, 3, 0, 23)


def test_groups_beside_a_level_total_that_do_not_add_up_hold_the_file_back(inputs: Path):
    rows = [[1, "STEM/STEAM", 12, 3, 8, 4], [2, "Tích hợp AI trong quản trị nhà trường", 5, 5, None, 2]]
    write_rows(inputs / "registrations" / "le_chan.xlsx", HEAD + HEADER + rows, merged=MERGED)
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert list(zip(issues["cell"], issues["value"], issues["severity"])) == [("C6", "12", "lỗi")]
    problem = issues["problem"].iloc[0]
    assert problem == "Các cột \"Mầm non CBQL\", \"Mầm non GV\" của cấp MN cộng được 11, khác tổng số 12 ở dòng 6"


def test_a_workbook_with_text_but_no_table_is_held_back_saying_so(inputs: Path):
    write_rows(
        inputs / "registrations" / "cong_van.xlsx",
        [["Kính gửi: Sở Giáo dục và Đào tạo"], ["Phường Lê Chân xin gửi số liệu đăng ký trong tệp đính kèm."]],
        sheet="Công văn",
        more_sheets={"Ghi chú": [["Liên hệ: 0225 3 123 456"]]},
    )
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    assert list(zip(issues["sheet"], issues["severity"])) == [("", "lỗi"), ("Công văn", "cảnh báo"), ("Ghi chú", "cảnh báo")]
    assert issues["problem"].iloc[0].startswith("Không tìm thấy bảng số liệu: không có dòng tiêu đề bảng")
    assert issues["problem"].iloc[1] == "Trang tính \"Công văn\" không có bảng số liệu, đã bỏ qua"


def test_an_unknown_unit_holds_the_file_back_whatever_the_columns_layout(inputs: Path):
    """A compiled table whose levels are typed as CBQL | GV (added up when booked): a unit
    not in the list is an error, never a row dropped in silence."""
    rows = [
        ["ĐĂNG KÝ BỒI DƯỠNG THIẾT KẾ VÀ TRIỂN KHAI GIÁO DỤC STEM/STEAM NĂM 2026"],
        [],
        ["STT", "Đơn vị", "Mầm non", None],
        [None, None, "CBQL", "GV"],
        [1, "Phường Lê Chân", 2, 10],
        [2, "Phường Không Có", 3, 4],
    ]
    write_rows(inputs / "registrations" / "tong_hop.xlsx", rows, merged=("A3:A4", "B3:B4", "C3:D3"))
    registrations, issues, files = check(inputs)
    assert files["status"].tolist() == ["bị từ chối"] and registrations.empty
    errors = issues[issues["severity"] == "lỗi"]
    assert list(zip(errors["cell"], errors["value"])) == [("B6", "Phường Không Có")]
    assert "không có trong danh sách đơn vị năm 2026" in errors["problem"].iloc[0]

"""The rules of the validation report, one record each.

A rule has a name, a severity, the cell it points at and the value it shows, and the
Vietnamese problem and fix a data officer reads. Rules checked cell by cell are named
checks of ``schemas.Candidate`` (same name); the others (totals, split columns, group
rows, the same figure sent twice, what a reader sets aside) are checked by ``validate``
over a table or over every file. Fields in braces come from the failing row: the
columns of ``Candidate`` and the extra fields the structural checks give.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING = "lỗi", "cảnh báo"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Rule:
    """One rule: ``cell`` and ``value`` name the fields holding the cell pointed at and the
    value shown ("": none; the whole sheet or file)."""

    name: str
    severity: str
    cell: str
    value: str
    problem: str
    fix: str

    def issue(self, file: str, sheet: str, cell: str = "", value: str = "", for_unit: str = "", **fields) -> dict:
        """One row of the validation report (``schemas.Issue``) for this rule, concerning the
        unit ``for_unit`` where known; ``fields`` fill the problem's and the fix's blanks
        (``where`` defaults to nothing)."""
        fields = {"where": "", "source_file": file, "source_sheet": sheet, "value": value} | fields
        return {
            "file": file, "sheet": sheet, "cell": cell, "value": value,
            "problem": self.problem.format(**fields), "fix": self.fix.format(**fields),
            "severity": self.severity, "unit": for_unit,
        }


_WHERE_LOOKED = "khối tiêu đề phía trên bảng, tên trang tính \"{source_sheet}\" và tên tệp \"{source_file}\""
_RESAVE = "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx rồi gửi lại"

RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        # ------------------------------------------------ cell by cell (checks of Candidate)
        Rule("year_found", ERROR, "", "",
             "Không xác định được năm của số liệu trong trang tính \"{source_sheet}\"{where}",
             "Đã tìm năm (ví dụ \"NĂM 2026\") lần lượt ở " + _WHERE_LOOKED + " nhưng không thấy; "
             "ghi năm vào dòng tiêu đề, ví dụ \"ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026\""),
        Rule("unit_found", ERROR, "", "",
             "Không xác định được đơn vị gửi số liệu trong trang tính \"{source_sheet}\"{where}",
             "Đã tìm tên đơn vị (dòng \"Đơn vị: ...\") lần lượt ở " + _WHERE_LOOKED + " nhưng không thấy tên nào "
             "trong danh sách đơn vị năm {year}; ghi \"Đơn vị: <tên đơn vị>\" vào khối tiêu đề{unit_note}"),
        Rule("unit_named", ERROR, "unit_cell", "unit_label",
             "Dòng {row_number}{where} có số liệu nhưng ô tên đơn vị để trống",
             "Ghi tên đơn vị vào ô {unit_cell}"),
        Rule("unit_known", ERROR, "unit_cell", "unit_label",
             "Đơn vị \"{unit_label}\"{where} không có trong danh sách đơn vị năm {year}",
             "Sửa tên đơn vị theo danh sách đơn vị của năm {year}{unit_note}"),
        Rule("unit_agrees_with_title", ERROR, "unit_cell", "unit_label",
             "Dòng {row_number}{where} ghi đơn vị \"{unit_label}\", nhưng {title_place} ghi đơn vị {title_unit}: không rõ số liệu của đơn vị nào",
             "Nếu bảng là của {title_unit}, sửa tên ở cột đơn vị (hoặc bỏ cột đó); nếu bảng tổng hợp nhiều đơn vị, bỏ tên {title_unit} khỏi {title_place}"),
        Rule("unit_named_twice", ERROR, "", "value",
             "Bảng{where} được tính cho {unit}, nhưng {other_place} ghi đơn vị {other}: không rõ số liệu là của đơn vị nào",
             "Sửa cho khớp: dòng \"Đơn vị:\" của bảng, các dòng tiêu đề, tên trang tính và tên tệp cùng ghi một đơn vị; mỗi đơn vị gửi bảng của mình trong tệp hoặc trang tính riêng"),
        Rule("unit_confirmed", WARNING, "unit_cell", "unit_label",
             "Tên đơn vị \"{unit_label}\"{where} không đúng như trong danh sách; đã hiểu là \"{unit}\"",
             "Kiểm tra lại: nếu đúng là {unit} thì không cần sửa (nên ghi đúng tên \"{unit}\"), nếu không thì sửa tên đơn vị"),
        Rule("unit_former_kind", WARNING, "unit_cell", "unit_label",
             "Đơn vị \"{unit_label}\"{where} được ghi theo loại đơn vị của năm khác ({unit_note}); đã hiểu là \"{unit}\"",
             "Kiểm tra lại: nếu đúng là {unit} thì không cần sửa; nên ghi tên đơn vị như trong danh sách năm {year}"),
        Rule("topic_found", ERROR, "header_cell", "level_label",
             "Không xác định được nội dung đào tạo, bồi dưỡng của cột \"{level_label}\"{where}",
             "Đã tìm tên nội dung lần lượt ở tiêu đề cột, " + _WHERE_LOOKED + " nhưng không thấy; "
             "ghi tên nội dung theo danh mục vào tiêu đề cột hoặc dòng tiêu đề{topic_note}"),
        Rule("topic_named", ERROR, "topic_cell", "topic_label",
             "Dòng {row_number}{where} có số liệu nhưng ô tên nội dung để trống",
             "Ghi tên nội dung đào tạo, bồi dưỡng theo danh mục vào ô {topic_cell}"),
        Rule("topic_known", ERROR, "topic_cell", "topic_label",
             "Nội dung \"{topic_label}\"{where} không có trong danh mục chương trình đào tạo, bồi dưỡng",
             "Ghi đúng tên nội dung theo danh mục{topic_note}; nếu đây đúng là một nội dung của danh mục được gọi "
             "theo cách khác, thêm tên này vào inputs/reference/aliases.csv"),
        Rule("topic_confirmed", WARNING, "topic_cell", "topic_label",
             "Nội dung \"{topic_label}\"{where} không khớp đúng tên trong danh mục; đã hiểu là {topic} \"{topic_name}\" (giống {topic_score}%)",
             "Kiểm tra lại: nếu đúng thì không cần sửa (nên ghi đúng tên theo danh mục), nếu sai thì sửa tên nội dung"),
        Rule("topic_by_code", WARNING, "topic_cell", "topic_label",
             "Tên nội dung \"{topic_label}\"{where} không có trong danh mục; đã đọc theo mã {topic_code}: \"{topic_name}\"",
             "Kiểm tra lại: nếu đúng thì không cần sửa (nên giữ nguyên tên nội dung theo mẫu), nếu sai thì sửa mã hoặc tên"),
        Rule("level_known", ERROR, "header_cell", "level_label",
             "Không xác định được cấp học của cột \"{level_label}\"{where}",
             "Ghi cấp học ở tiêu đề cột: {level_list}"),
        Rule("cell_not_error", ERROR, "source_cell", "value",
             "Ô{where} chứa giá trị lỗi {value} của bảng tính, không phải số",
             "Sửa công thức hoặc nhập lại số người (giá trị lỗi thường do xóa dòng, cột mà công thức tham chiếu tới)"),
        Rule("headcount_not_date", ERROR, "source_cell", "value",
             "Số lượng ở ô này{where} đã bị bảng tính đổi thành ngày tháng ({value})",
             "Định dạng ô là Số (Number) rồi nhập lại số người"),
        Rule("formula_has_value", ERROR, "source_cell", "value",
             "Ô có công thức \"{value}\"{where} nhưng tệp không lưu giá trị đã tính của công thức",
             "Mở tệp bằng Excel hoặc LibreOffice để công thức được tính, lưu lại rồi gửi; hoặc nhập số trực tiếp"),
        Rule("headcount_is_number", ERROR, "source_cell", "value",
             "Số lượng \"{value}\"{where} không phải là số",
             "Nhập số nguyên không âm (để trống nếu không có)"),
        Rule("number_style_clear", ERROR, "source_cell", "value",
             "Không rõ \"{value}\"{where} là số nguyên hay số thập phân: trong tệp CSV này dấu chấm và dấu phẩy đều có thể là dấu phân cách hàng nghìn",
             "Ghi số không có dấu phân cách (ví dụ 1250), hoặc gửi tệp .xlsx"),
        Rule("headcount_not_negative", ERROR, "source_cell", "value",
             "Số lượng {value}{where} là số âm",
             "Nhập số người đăng ký: số nguyên từ 0 trở lên"),
        Rule("headcount_whole", ERROR, "source_cell", "value",
             "Số lượng {value}{where} không phải là số nguyên",
             "Nhập số người là số nguyên, ví dụ 12"),
        Rule("headcount_within_limit", ERROR, "source_cell", "value",
             "Số {value} ở ô {source_cell}{where} quá lớn: không đơn vị nào có nhiều CBQL, GV như vậy cho một nội dung, một cấp học (tối đa {largest_headcount} người một ô)",
             "Kiểm tra lại số người đăng ký (thừa chữ số, hoặc dán nhầm một số khác như số điện thoại, mã số) rồi nhập lại; "
             "nếu đúng là số thật, báo Sở sửa giới hạn largest_headcount trong inputs/reference/limits.csv"),
        Rule("level_applies", ERROR, "source_cell", "value",
             "Nội dung {topic} không áp dụng cho cấp học {level}{where}",
             "Xóa số liệu ở ô này; nội dung {topic} chỉ dành cho cấp học: {topic_levels}"),
        # ------------------------------------------------ over a table (validate)
        Rule("total_adds_up", ERROR, "source_cell", "value",
             "Dòng tổng ghi {value}{where} nhưng cộng các dòng được {expected}",
             "Kiểm tra lại số liệu từng dòng và dòng tổng cho khớp nhau"),
        Rule("row_total_adds_up", ERROR, "source_cell", "value",
             "Cột \"{level_label}\" ghi {value}{where} nhưng cộng các cấp học của dòng {row_number} được {expected}",
             "Kiểm tra lại số liệu của dòng {row_number} và cột tổng cho khớp nhau"),
        Rule("total_formula_adds_rows", ERROR, "source_cell", "value",
             "Ô tổng {source_cell}{where} là công thức {value}, lưu chưa có kết quả: công thức cộng {rows}, nhưng dòng tổng phải cộng các dòng {expected}; mở tệp ra tổng sẽ sai",
             "Sửa công thức cộng đủ các dòng {expected} (không cộng dòng tổng nhóm), mở bằng Excel và lưu lại"),
        Rule("total_formula_unread", ERROR, "source_cell", "value",
             "Ô tổng {source_cell}{where} là công thức {value}, lưu chưa có kết quả: không kiểm tra được tổng",
             "Mở tệp bằng Excel và lưu lại (để lưu kết quả công thức), hoặc ghi tổng bằng số"),
        Rule("part_within_total", ERROR, "source_cell", "value",
             "Cột \"{level_label}\" (một phần của cấp {level}) ghi {value}{where}, nhiều hơn tổng số {expected} của cấp {level} ở dòng {row_number}",
             "Kiểm tra lại: số \"trong đó\" không thể lớn hơn tổng số"),
        Rule("groups_add_up", ERROR, "source_cell", "value",
             "Các cột {columns} của cấp {level} cộng được {expected}{where}, khác tổng số {value} ở dòng {row_number}",
             "Kiểm tra lại số liệu các cột thành phần và cột tổng số cho khớp nhau"),
        Rule("group_rows_add_up", ERROR, "source_cell", "value",
             "Dòng {row_number} (\"{row_label}\"){where} ghi {value} ở cột \"{level_label}\", nhưng các dòng nhóm người dưới nó (dòng {members}) cộng được {expected}",
             "Kiểm tra lại cho khớp: dòng trên là tổng của các dòng CBQL, GV dưới nó; nếu chỉ ghi số ở các dòng nhóm, để trống dòng trên"),
        Rule("column_year", ERROR, "header_cell", "level_label",
             "Cột \"{level_label}\"{where} ghi năm {column_year}, khác năm {year} của bảng: số liệu của cột không được tính vào năm {year}",
             "Mỗi năm ghi một bảng (hoặc một trang tính) có tiêu đề ghi đúng năm đó, ví dụ \"ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM {column_year}\""),
        Rule("title_years", ERROR, "title_cell", "title_line",
             "Tiêu đề bảng \"{title_line}\"{where} ghi các năm {years}: không rõ số liệu của bảng thuộc năm nào, bảng không được tính",
             "Mỗi năm ghi một bảng có tiêu đề ghi đúng một năm, ví dụ \"ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM {year}\"; số dự kiến cho các năm sau gửi riêng khi Sở đề nghị"),
        Rule("table_not_registrations", ERROR, "title_cell", "title_line",
             "Tiêu đề bảng \"{title_line}\"{where} ghi \"{marker}\": bảng không phải số đăng ký, số liệu của bảng không được tính",
             "Xóa bảng này khỏi tệp đăng ký (số đã đào tạo, bồi dưỡng hay số để tham khảo gửi riêng khi Sở đề nghị); nếu đây là số đăng ký thì sửa tiêu đề bảng"),
        Rule("context_line", ERROR, "label_cell", "row_label",
             "Dòng {row_number} giữa bảng ghi \"{row_label}\" ({kind} {other}), khác {kind} {own} mà bảng ghi ở phía trên: không rõ các dòng bên dưới thuộc {kind} nào",
             "Tách các dòng bên dưới thành bảng riêng: tiêu đề ghi {kind} {other}, dòng tiêu đề cột (STT, Đơn vị hoặc Nội dung, cấp học) riêng; hoặc đặt vào trang tính hay tệp riêng"),
        Rule("example_row", ERROR, "label_cell", "row_label",
             "Dòng {row_number}{where} ghi \"{row_label}\": là dòng ví dụ của mẫu, không phải số đăng ký; số liệu của dòng không được tính",
             "Xóa dòng ví dụ; nếu đây là số đăng ký thật, ghi tên chương trình không có chữ \"Ví dụ\""),
        Rule("part_row", ERROR, "label_cell", "row_label",
             "Dòng {row_number}{where} ghi \"{row_label}\": là một phần (\"trong đó\") của dòng trên chứ không phải số đăng ký riêng, nên không được tính; tính cả hai dòng thì số người bị đếm hai lần",
             "Xóa dòng này nếu số người đã nằm trong dòng trên; nếu đây là chương trình đăng ký riêng, ghi tên chương trình không có chữ \"Trong đó\" và bớt số đó ở dòng trên"),
        Rule("line_longer_than_header", ERROR, "source_cell", "value",
             "Dòng {row_number}{where} có {fields} ô, nhiều hơn {header_fields} ô của dòng tiêu đề (số liệu của dòng: {value}): một số có dấu phẩy ngăn cách hàng nghìn không nằm trong ngoặc kép (\"1,192\") bị tách làm hai ô và các số sau nó lệch sang cột bên phải; không rõ số nào thuộc cột nào",
             "Ghi số không có dấu phân cách (1192) hoặc trong ngoặc kép (\"1,192\"), hoặc gửi tệp .xlsx; nếu cuối dòng có dấu phân cách thừa, xóa đi"),
        Rule("number_not_merged", ERROR, "source_cell", "value",
             "Số liệu {value} ở ô {source_cell}{where} nằm trong ô gộp {cells} trải qua nhiều ô số liệu: không rõ số liệu thuộc cấp học, nội dung hay đơn vị nào",
             "Bỏ gộp ô {cells} và ghi số liệu vào đúng từng ô (ô không có người ghi 0)"),
        Rule("tables_side_by_side", ERROR, "header_cell", "level_label",
             "Dòng tiêu đề {row_number}{where} ghi lại cột \"{level_label}\" ở ô {header_cell}: hai bảng đặt cạnh nhau, cột của bảng bên phải không đọc được như cột của bảng bên trái",
             "Đặt mỗi bảng vào một trang tính riêng, hoặc bảng này bên dưới bảng kia, mỗi bảng có dòng tiêu đề riêng"),
        Rule("label_column_unclear", ERROR, "header_cell", "level_label",
             "Bảng{where} có hai cột cùng ghi {kind}: \"{first_label}\" ({first_cell}) và \"{level_label}\" ({header_cell}); không rõ cột nào là {kind} của mỗi dòng",
             "Giữ một cột {kind} (tên theo danh sách năm {year}); cột kia đổi tiêu đề thành \"Ghi chú\" hoặc xóa"),
        Rule("columns_split_unclear", ERROR, "header_cell", "level_label",
             "Số liệu cấp {level}{where} được tách thành nhiều cột ({columns}) nhưng không rõ cột nào là tổng số, cột nào là một phần",
             "Ghi rõ tiêu đề các cột: \"Tổng số\" cho cột tổng, \"Trong đó: ...\" cho cột là một phần của tổng số, "
             "hoặc \"CBQL\", \"GV\" cho các nhóm cộng lại thành tổng số"),
        Rule("columns_part_only", ERROR, "header_cell", "level_label",
             "Cấp {level}{where} chỉ có cột \"trong đó\" ({columns}), không có cột tổng số",
             "Thêm cột tổng số của cấp {level}; cột \"trong đó\" chỉ là một phần, không thay cho tổng số"),
        Rule("subtotal_unclear", ERROR, "source_cell", "value",
             "Dòng {row_number} (\"{row_label}\"){where} có thể là dòng cộng của một nhóm hoặc là số liệu của một đơn vị: không phân biệt được",
             "Ghi rõ: dòng cộng của nhóm ghi \"Cộng ...\" ở cột tên; nếu đúng là số liệu của đơn vị, thêm dòng \"Tổng cộng\" cộng mọi dòng ở cuối bảng để phân biệt"),
        # ------------------------------------------------ over every file (validate)
        Rule("sent_once", ERROR, "source_cell", "value",
             "Số liệu của {unit}, nội dung {topic}, cấp {level}, năm {year} được gửi nhiều lần: {places}",
             "Giữ lại một bản duy nhất và xóa bản trùng; các tệp trùng đều tạm chưa được tổng hợp"),
        # ------------------------------------------------ what a reader sets aside (warnings)
        Rule("column_skipped", WARNING, "header_cell", "level_label",
             "Cột \"{level_label}\"{where} không ghi cấp học và không có số liệu, đã bỏ qua",
             "Không cần sửa nếu đây là cột ghi chú; nếu là cột số lượng thì ghi cấp học ({level_list}) ở tiêu đề cột"),
        Rule("row_skipped", WARNING, "label_cell", "row_label",
             "Dòng {row_number}{where} không có số liệu và tên \"{row_label}\" không có trong danh mục, đã bỏ qua",
             "Không cần sửa nếu đây là dòng tiêu đề nhóm; nếu là đơn vị hay nội dung thì sửa tên cho đúng"),
        Rule("unit_in_several_files", WARNING, "", "value",
             "{unit} gửi {count} tệp số liệu năm {year}: tệp này và {others}; số liệu các tệp được cộng lại",
             "Nếu tệp sau thay cho tệp gửi trước (bản sửa, \"lần 2\"), xóa tệp cũ khỏi thư mục đầu vào rồi chạy lại; nếu mỗi tệp đăng ký những nội dung khác nhau, không cần sửa"),
        Rule("subtotal_checked", WARNING, "source_cell", "row_label",
             "Dòng {row_number} (\"{row_label}\"){where} là dòng cộng của nhóm các dòng {members}: đã kiểm tra khớp, không tính vào số đăng ký",
             "Không cần sửa; nếu đây là số liệu của một đơn vị thì sửa lại bảng"),
        Rule("year_agrees", WARNING, "", "value",
             "Bảng trong trang tính \"{source_sheet}\"{where} ghi năm {year}, nhưng {other_place} ghi năm {other_year}: số liệu được tính vào năm {year}",
             "Kiểm tra lại năm: nếu là số liệu năm {other_year}, sửa năm ở dòng tiêu đề của bảng; nếu đúng là năm {year}, {other_fix}"),
        Rule("hidden_counted", WARNING, "source_cell", "value",
             "Có số liệu ở {hidden}{where} (ô {cells}): được tính như các ô không ẩn",
             "Kiểm tra lại: nếu đây không phải số liệu gửi đi, xóa các ô đó rồi gửi lại tệp; nếu đúng, bỏ ẩn để người đọc bản in cũng thấy"),
        Rule("number_under_label", ERROR, "source_cell", "value",
             "Ô {source_cell} (dòng {row_number}){where} có số {value} ở cột dưới tiêu đề \"{header}\", không phải cột số liệu của một cấp học: không rõ là số của cấp học, nội dung hay đơn vị nào, số không được tính",
             "Ghi số vào cột của cấp học tương ứng, mỗi cột số liệu có tiêu đề là tên cấp học (MN, TH, THCS...); mỗi dòng là một nội dung hoặc một đơn vị"),
        Rule("note_not_counted", WARNING, "source_cell", "value",
             "Ô {source_cell} ở cột ghi chú (dòng {row_number}){where} có số {value}: là ghi chú, không được tính vào số đăng ký",
             "Không cần sửa nếu đây là ghi chú; nếu là số người đăng ký, ghi vào cột của cấp học tương ứng"),
        Rule("number_above_header", ERROR, "source_cell", "value",
             "Ô {source_cell}{where} ghi số {value} ở phía trên dòng tiêu đề của bảng (dòng {row_number}): không thuộc dòng nào của bảng nên không biết là số liệu của nội dung, đơn vị nào; số này chưa được tính",
             "Chuyển dòng số liệu đó xuống dưới dòng tiêu đề, vào trong bảng; nếu không phải số đăng ký, xóa đi"),
        Rule("sheet_numbers_unread", ERROR, "", "value",
             "Trang tính \"{source_sheet}\"{where} có số liệu (ô {cells}) nhưng không có bảng số liệu: không tìm thấy dòng tiêu đề bảng có cột \"Đơn vị\" hoặc \"Nội dung\", nên không biết các số thuộc đơn vị, nội dung, cấp học nào; các số này chưa được tính",
             "Ghi dòng tiêu đề bảng theo mẫu của Sở (cột \"Nội dung\" hoặc \"Đơn vị\", rồi các cấp học); nếu trang này không chứa số liệu đăng ký, xóa các số đó hoặc xóa trang"),
        Rule("sheet_without_table", WARNING, "", "",
             "Trang tính \"{source_sheet}\"{where} không có bảng số liệu, đã bỏ qua",
             "Không cần sửa nếu trang này không chứa số liệu đăng ký; nếu có, giữ dòng tiêu đề bảng có cột \"Đơn vị\" hoặc \"Nội dung\""),
        # ------------------------------------------------ the file as a whole
        Rule("file_has_table", ERROR, "", "",
             "Không tìm thấy bảng số liệu: không có dòng tiêu đề bảng với cột \"Quận/huyện\", \"Đơn vị\" hoặc \"Nội dung\"",
             "Dùng mẫu biểu của Sở, giữ nguyên dòng tiêu đề của bảng"),
        Rule("file_not_empty", ERROR, "", "",
             "Tệp không có dữ liệu (các trang tính đều trống)",
             "Gửi lại tệp có bảng số liệu đăng ký"),
        Rule("file_readable", ERROR, "", "value", "{problem}", "{fix}"),
    )
}

CELL_RULES = tuple(name for name in RULES if name in (
    "year_found", "unit_found", "unit_named", "unit_known", "unit_confirmed", "unit_former_kind",
    "topic_found", "topic_named", "topic_known", "topic_confirmed", "topic_by_code", "level_known",
    "cell_not_error", "headcount_not_date", "formula_has_value", "headcount_is_number", "number_style_clear",
    "headcount_not_negative", "headcount_whole", "headcount_within_limit", "level_applies",
))

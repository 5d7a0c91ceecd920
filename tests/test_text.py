import unicodedata

from pipeline.text import cell_address, find_codes, strip_prefixes, text_key


def test_tone_placement_normal_form_case_and_spacing_do_not_matter():
    assert text_key("Thủy Nguyên") == text_key("Thuỷ  nguyên")
    assert text_key("Hòa") == text_key("HOÀ")
    assert text_key("Kiến Thụy") == text_key(unicodedata.normalize("NFD", "Kiến Thuỵ"))
    assert text_key("TC- ĐH") == text_key("TC - ĐH") == text_key("tc-đh")


def test_marks_that_change_the_word_still_count():
    assert text_key("Cẩm Giàng") != text_key("Cẩm Giang")
    assert text_key("Đồ Sơn") != text_key("Do Son")


def test_prefixes_are_stripped():
    prefixes = [text_key(p) for p in ["Quận", "Huyện", "Thành phố", "Q."]]
    assert strip_prefixes(text_key("Thành phố Thủy Nguyên"), prefixes) == text_key("Thủy Nguyên")
    assert strip_prefixes(text_key("Q. Lê Chân"), prefixes) == text_key("Lê Chân")
    assert strip_prefixes(text_key("Huyện"), prefixes) == text_key("Huyện")


def test_longest_alias_wins_and_is_not_counted_twice():
    aliases = {text_key("phổ thông"): "PT", text_key("trung học phổ thông"): "THPT"}
    assert find_codes(text_key("GV trung học phổ thông"), aliases) == ["THPT"]
    assert find_codes(text_key("GV phổ thông"), aliases) == ["PT"]
    assert find_codes(text_key("GV phổ thôngx"), aliases) == []


def test_cell_address():
    assert cell_address(0, 0) == "A1"
    assert cell_address(6, 3) == "D7"
    assert cell_address(9, 26) == "AA10"

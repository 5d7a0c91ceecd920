"""The command line in process (typer's CliRunner): help, exit codes, messages, the summary.

A subprocess only where it is the point: another process holding the outputs lock
(a POSIX record lock belongs to a process, so the test's own would not block it).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import tomllib
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from conftest import ROOT
from pipeline import cli, runner, templates
from workbooks import write_unit_file

STEM = "Thiết kế và triển khai giáo dục STEM/STEAM"
FIGURES = {"MN": 3, "TH": 2, "THCS": 4, "THPT": 1, "GDTX": 0, "GDNN": 5}  # 15 people, six figures
PERIOD = "2026-11"
_VIETNAMESE = re.compile("[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", re.IGNORECASE)


def _invoke(*args: str):
    return CliRunner().invoke(cli.app, list(args), prog_name="hp-training-plan")


def _run(inputs: Path, outputs: Path, *more: str, period: str = PERIOD):
    return _invoke("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", period, *more)


@pytest.fixture
def one_form(inputs: Path) -> Path:
    """Lê Chân's 2026 form: one topic, a figure for each of the six levels."""
    write_unit_file(inputs / "registrations" / "le_chan.xlsx", "Phường Lê Chân", 2026, [(STEM, FIGURES)])
    return inputs


# ---------------------------------------------------------------- help


def test_help_of_every_command_is_vietnamese():
    group = get_command(cli.app)
    assert sorted(group.commands) == ["run", "template", "validate"]
    main = _invoke("--help")
    assert main.exit_code == 0 and "Mã thoát: 0 = mọi tệp hợp lệ" in main.stdout
    for name, command in group.commands.items():
        result = _invoke(name, "--help")
        assert result.exit_code == 0, result.output
        shown = " ".join(result.stdout.split())
        texts = [command.help] + [param.help for param in command.params if param.name != "help"]
        assert len(texts) >= 2, name
        for text in texts:
            assert text and _VIETNAMESE.search(text), (name, text)
            assert unicodedata.is_normalized("NFC", text), (name, text)
            assert " ".join(text.split()) in shown, (name, text)


def test_the_console_entry_point_is_the_typer_app(monkeypatch, capsys):
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"hp-training-plan": "pipeline.cli:main"}
    monkeypatch.setattr(sys, "argv", ["hp-training-plan", "validate", "--help"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 0
    assert "Cách dùng: hp-training-plan validate" in capsys.readouterr().out


_ENGLISH_HELP = ("Usage:", "Options:", "Commands:", "Arguments:", "Show this message", "default:", "required", "[OPTIONS]", "COMMAND", "[ARGS]", "<path>", "<str>", "<int")


@pytest.mark.parametrize("args", [("--help",), ("run", "--help"), ("validate", "--help"), ("template", "--help"), ()], ids=["program", "run", "validate", "template", "no command"])
def test_help_pages_are_framed_in_vietnamese(args):
    result = _invoke(*args)
    shown = result.stdout if args else result.stderr  # no command: the help, then the error, on stderr
    assert shown.startswith("Cách dùng: hp-training-plan") and "\nTùy chọn:\n" in shown and "Hiện hướng dẫn này rồi thoát." in shown
    assert [english for english in _ENGLISH_HELP if english in shown] == [], shown
    if args in ((), ("--help",)):
        assert "\nLệnh:\n" in shown and "LỆNH [TÙY CHỌN]..." in shown
    if args and args[0] == "template":
        assert "--year NĂM" in shown and "[2000<=x<=2100; bắt buộc]" in shown and "[mặc định: Sở Giáo dục" in shown


# ---------------------------------------------------------------- run


def test_run_prints_the_summary_per_year_and_exits_0(one_form: Path, tmp_path: Path):
    result = _run(one_form, tmp_path / "out")
    assert result.exit_code == runner.EXIT_CLEAN == 0, result.output
    lines = result.stdout.splitlines()
    folder = tmp_path / "out" / PERIOD
    assert lines == [
        "Đã đọc 1 tệp: 1 được chấp nhận, 0 bị từ chối; 0 lỗi, 0 cảnh báo.",
        f"Tổng hợp {len(FIGURES)} dòng số liệu — năm 2026: {sum(FIGURES.values())} lượt người.",
        "Chưa có kỳ trước để so sánh: đây là lần chạy đầu tiên.",
        f"Báo cáo kiểm tra: {folder / 'validation_report.xlsx'}",
        f"Kết quả: {folder}",
    ]
    assert (folder / "validation_report.xlsx").is_file() and (folder / "data" / "registrations.csv").is_file()
    assert "Bắt đầu: đầu vào" in result.stderr  # the progress log, for cron


def test_a_second_period_names_what_changed(one_form: Path, tmp_path: Path):
    assert _run(one_form, tmp_path / "out").exit_code == 0
    write_unit_file(one_form / "registrations" / "le_chan.xlsx", "Phường Lê Chân", 2026, [(STEM, FIGURES | {"MN": 7})])
    result = _run(one_form, tmp_path / "out", period="2026-12")
    assert result.exit_code == 0, result.output
    assert f"Tổng hợp 6 dòng số liệu — năm 2026: {sum(FIGURES.values()) - 3 + 7} lượt người." in result.stdout.splitlines()
    assert f"So với kỳ {PERIOD}: 1 số liệu thay đổi (1 đơn vị)." in result.stdout.splitlines()
    assert "  2026 Lê Chân BD05 MN: 3 → 7" in result.stdout.splitlines()


def test_quiet_prints_nothing_on_a_clean_run(one_form: Path, tmp_path: Path):
    result = _run(one_form, tmp_path / "out", "--quiet")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""
    assert (tmp_path / "out" / PERIOD / "validation_report.xlsx").is_file()


def test_a_rejected_file_exits_1_and_names_the_file(one_form: Path, tmp_path: Path):
    write_unit_file(one_form / "registrations" / "an_lao.xlsx", "Xã An Lão", 2026, [(STEM, {"MN": -2})])
    result = _run(one_form, tmp_path / "out")
    assert result.exit_code == runner.EXIT_REJECTED == 1, result.output
    lines = result.stdout.splitlines()
    # two errors: the -2 and the "Tổng số" row repeating it
    assert lines[:2] == ["Đã đọc 2 tệp: 1 được chấp nhận, 1 bị từ chối; 2 lỗi, 0 cảnh báo.", "  bị từ chối: an_lao.xlsx"]
    assert f"Tổng hợp 6 dòng số liệu — năm 2026: {sum(FIGURES.values())} lượt người." in lines  # the other file's
    quiet = _run(one_form, tmp_path / "out", "-q", period="2026-12")
    assert quiet.exit_code == 1 and quiet.stdout == ""
    assert quiet.stderr.strip() == f"Có tệp bị từ chối; xem {tmp_path / 'out' / '2026-12' / 'validation_report.xlsx'}"


def test_validate_writes_only_the_report_and_prints_no_totals(one_form: Path, tmp_path: Path):
    result = _invoke("validate", "--inputs", str(one_form), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / runner.VALIDATION_FOLDER
    assert result.stdout.splitlines() == [
        "Đã đọc 1 tệp: 1 được chấp nhận, 0 bị từ chối; 0 lỗi, 0 cảnh báo.",
        f"Báo cáo kiểm tra: {folder / 'validation_report.xlsx'}",
        f"Kết quả: {folder}",
    ]


# ---------------------------------------------------------------- cannot run: exit 2


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--period", "2026-13", "\"2026-13\" không đúng dạng YYYY-MM (ví dụ 2026-11)"),
        ("--period", "11/2026", "\"11/2026\" không đúng dạng YYYY-MM"),
        ("--deadline", "2025-02-30", "\"2025-02-30\" không đúng dạng YYYY-MM-DD (ví dụ 2025-12-15)"),
        ("--deadline", "15/12/2025", "\"15/12/2025\" không đúng dạng YYYY-MM-DD"),
    ],
)
def test_a_bad_period_or_deadline_exits_2_before_anything_is_written(one_form: Path, tmp_path: Path, option: str, value: str, words: str):
    arguments = ["run", "--inputs", str(one_form), "--outputs", str(tmp_path / "out")]
    arguments += [option, value] if option == "--period" else ["--period", PERIOD, option, value]
    result = _invoke(*arguments)
    assert result.exit_code == 2
    assert words in result.stderr and option in result.stderr
    assert not (tmp_path / "out").exists()


def test_broken_reference_data_exits_2_naming_the_file(one_form: Path, tmp_path: Path):
    (one_form / "reference" / "levels.csv").write_text("code,name\n", encoding="utf-8")
    result = _run(one_form, tmp_path / "out")
    assert result.exit_code == runner.EXIT_FAILED == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("LỖI: ")]
    assert len(errors) == 1 and f"{one_form / 'reference' / 'levels.csv'} không hợp lệ" in errors[0]
    assert result.stdout == ""
    assert not (tmp_path / "out" / PERIOD).exists()


@pytest.mark.parametrize("state", ["empty", "missing", "only_other_files"])
def test_nothing_to_read_exits_2(inputs: Path, tmp_path: Path, state: str):
    folder = inputs / "registrations"
    if state == "missing":
        folder.rmdir()
    elif state == "only_other_files":
        (folder / "ghi_chu.txt").write_text("gửi sau", encoding="utf-8")
    result = _run(inputs, tmp_path / "out")
    assert result.exit_code == 2
    words = f"Không có thư mục đầu vào {folder}" if state == "missing" else f"Thư mục {folder} không có tệp bảng tính nào"
    assert words in result.stderr and "kết quả kỳ trước được giữ nguyên" in result.stderr
    assert not (tmp_path / "out" / PERIOD).exists()


def test_an_unforeseen_error_exits_2_with_its_traceback(one_form: Path, tmp_path: Path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("hỏng giữa chừng")

    monkeypatch.setattr(runner, "run", broken)
    result = _run(one_form, tmp_path / "out")
    assert result.exit_code == 2  # a defect is never "some files rejected" (1)
    assert "LỖI: lần chạy dừng vì lỗi không lường trước; kết quả kỳ trước được giữ nguyên" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr and "RuntimeError: hỏng giữa chừng" in result.stderr
    assert result.stdout == ""


# ---------------------------------------------------------------- a mistyped command line: exit 2, in Vietnamese

_ENGLISH_FRAME = ("Usage:", "Error:", "Try '", "Invalid value", "Missing", "No such", "Got unexpected", "requires", "Did you mean")


def _refused(*args: str) -> list[str]:
    """The lines of a usage error: exit code 2, nothing on stdout, Vietnamese without click's English frame,
    a "LỖI: " line and where the help is."""
    result = _invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("LỖI: ")]
    assert len(errors) == 1 and _VIETNAMESE.search(errors[0]), result.stderr
    assert unicodedata.is_normalized("NFC", result.stderr)
    for english in _ENGLISH_FRAME:
        assert english not in errors[0] and english not in lines[-1], (english, result.stderr)
    assert lines[-1].startswith("Xem cách dùng: hp-training-plan") and lines[-1].endswith(" --help")
    return lines


def test_an_unknown_option_is_named_with_click_s_suggestion():
    assert _refused("run", "--perod", "2026-11") == [
        "LỖI: không có tùy chọn --perod (có phải --period hay --year?).",
        "Xem cách dùng: hp-training-plan run --help",
    ]
    assert _refused("validate", "--prd", "2026-11")[0] == "LỖI: không có tùy chọn --prd (có phải --period?)."
    assert _refused("--bogus", "run") == ["LỖI: không có tùy chọn --bogus.", "Xem cách dùng: hp-training-plan --help"]


def test_an_option_without_its_value():
    assert _refused("run", "--period") == ["LỖI: tùy chọn --period cần một giá trị.", "Xem cách dùng: hp-training-plan run --help"]
    assert _refused("template", "--out")[0] == "LỖI: tùy chọn --out cần một giá trị."
    assert _refused("run", "--quiet=có")[0] == "LỖI: tùy chọn --quiet không nhận giá trị."


def test_an_unknown_command_is_named_with_the_commands():
    assert _refused("frob") == ["LỖI: không có lệnh \"frob\"; các lệnh: run, validate, template.", "Xem cách dùng: hp-training-plan --help"]
    assert _refused("rn")[0] == "LỖI: không có lệnh \"rn\" (có phải run?); các lệnh: run, validate, template."


def test_a_bad_value_keeps_our_words_without_click_s_frame(tmp_path: Path):
    lines = _refused("run", "--outputs", str(tmp_path / "out"), "--period", "2026-13")
    assert lines == ["LỖI: giá trị của --period không hợp lệ: \"2026-13\" không đúng dạng YYYY-MM (ví dụ 2026-11).", "Xem cách dùng: hp-training-plan run --help"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("year", ["abc", "1999", "2101"])
def test_a_year_out_of_range_names_the_range(year: str):
    assert _refused("run", "--year", year) == [
        f"LỖI: giá trị \"{year}\" của --year không hợp lệ: cần một số nguyên từ 2000 đến 2100.",
        "Xem cách dùng: hp-training-plan run --help",
    ]


def test_a_missing_required_option_is_named_with_its_help():
    assert _refused("template", "--out", "mau") == ["LỖI: thiếu tùy chọn bắt buộc --year: năm đăng ký, ví dụ 2026.", "Xem cách dùng: hp-training-plan template --help"]
    assert _refused("template", "--year", "2026")[0].startswith("LỖI: thiếu tùy chọn bắt buộc --out: thư mục ghi các tệp mẫu")


@pytest.mark.parametrize(("command", "options"), [("run", ["--year", "2026"]), ("validate", ["-q"]), ("template", ["--year", "2026", "--out", "mau"])])
def test_an_unexpected_argument_is_refused_before_anything_runs(command: str, options: list[str]):
    assert _refused(command, "2026-11", *options) == [
        f"LỖI: thừa \"2026-11\": lệnh {command} chỉ nhận các tùy chọn (--tên giá-trị).",
        f"Xem cách dùng: hp-training-plan {command} --help",
    ]


@pytest.mark.parametrize("args", [(), ("--",)])
def test_no_command_shows_the_help_and_says_so(args: tuple[str, ...]):
    result = _invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert "Mã thoát: 0 = mọi tệp hợp lệ" in result.stderr  # the help, as before
    assert result.stderr.splitlines()[-2:] == ["LỖI: chưa có lệnh; chọn một trong: run, validate, template.", "Xem cách dùng: hp-training-plan --help"]


def test_the_console_command_says_it_in_vietnamese_too():
    result = subprocess.run([sys.executable, "-m", "pipeline", "run", "--perod", "x"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == ["LỖI: không có tùy chọn --perod (có phải --period hay --year?).", "Xem cách dùng: hp-training-plan run --help"]


# ---------------------------------------------------------------- another run holds the lock: exit 3


_HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pipeline.publish import OutputsLock

    with OutputsLock(Path(sys.argv[1]), "run --period 2026-10"):
        print("held", flush=True)
        sys.stdin.read()  # until the test closes our stdin
    """
)


def test_a_lock_held_by_another_process_exits_3_naming_the_holder(one_form: Path, tmp_path: Path):
    outputs = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(outputs)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = _run(one_form, outputs)
        assert result.exit_code == runner.EXIT_LOCKED == 3
        assert result.stderr.startswith(f"KHÔNG CHẠY: Một lần chạy khác đang dùng thư mục {outputs}: tiến trình {holder.pid}")
        assert "lệnh \"run --period 2026-10\"" in result.stderr
        assert not (outputs / PERIOD).exists()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert _run(one_form, outputs).exit_code == 0  # the holder gone, the lock is free


# ---------------------------------------------------------------- template


def test_template_for_one_unit_writes_one_form(tmp_path: Path):
    out = tmp_path / "mau"
    result = _invoke("template", "--year", "2026", "--unit", "Phường Lê Chân", "--out", str(out), "--inputs", str(ROOT / "inputs"))
    assert result.exit_code == 0, result.output
    name = "mau_dang_ky_2026_phuong_le_chan.xlsx"
    assert [path.name for path in out.iterdir()] == [name]
    assert result.stdout.strip() == f"Đã lập 1 mẫu đăng ký năm 2026 trong {out}: {name}"
    workbook = openpyxl.load_workbook(out / name)
    assert workbook.sheetnames[:2] == [templates.SHEET_NAME, templates.INSTRUCTIONS_SHEET]
    texts = [cell.value for row in workbook[templates.SHEET_NAME].iter_rows(max_row=6) for cell in row if isinstance(cell.value, str)]
    assert any("Phường Lê Chân" in text for text in texts) and any("2026" in text for text in texts)


def test_template_roster_writes_the_list_form(tmp_path: Path):
    out = tmp_path / "mau"
    result = _invoke("template", "--roster", "--year", "2026", "--unit", "Xã An Lão", "--out", str(out), "--inputs", str(ROOT / "inputs"))
    assert result.exit_code == 0, result.output
    name = f"{templates.ROSTER_PREFIX}_2026_xa_an_lao.xlsx"
    assert [path.name for path in out.iterdir()] == [name]
    assert result.stdout.strip() == f"Đã lập 1 mẫu danh sách năm 2026 trong {out}: {name}"
    assert templates.ROSTER_SHEET_NAME in openpyxl.load_workbook(out / name).sheetnames


def test_template_for_an_unknown_unit_exits_2(tmp_path: Path):
    result = _invoke("template", "--year", "2026", "--unit", "Hải Phòng", "--out", str(tmp_path / "mau"), "--inputs", str(ROOT / "inputs"))
    assert result.exit_code == 2
    assert result.stderr.startswith("LỖI: ") and "Không có đơn vị \"Hải Phòng\" trong danh sách đơn vị năm 2026" in result.stderr
    assert not (tmp_path / "mau").exists()

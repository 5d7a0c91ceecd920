"""Command line: parses options, calls the runner, turns results into messages and exit codes."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import logging
import re
import sys
import traceback
from pathlib import Path

import pandas as pd
import typer
from typer._click.exceptions import BadOptionUsage, BadParameter, MissingParameter, NoSuchOption, UsageError
from typer.core import TyperCommand, TyperGroup

from pipeline import runner, templates
from pipeline.reference import ReferenceDataError, read_reference


class _Usage(UsageError):
    """A usage error already worded in Vietnamese: shown as it is, with where to read the help; exit code 2."""

    def __init__(self, message: str, ctx, show_help: bool = False):
        super().__init__(message, ctx)
        self.show_help = show_help

    def show(self, file=None) -> None:
        if self.show_help:
            typer.echo(self.ctx.get_help(), err=True)
        typer.echo(f"LỖI: {self.message}.\nXem cách dùng: {self.ctx.command_path} --help", err=True)


class _Invalid(BadParameter):
    """A value of ours refused in Vietnamese (the period, the deadline)."""


class _VietnameseHelp:
    """Help pages framed in Vietnamese: the usage line, the sections, the help option and
    the default and required marks, which click and typer word in English."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options_metavar = "[TÙY CHỌN]"

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Cách dùng: ")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Hiện hướng dẫn này rồi thoát."
        return option

    def format_options(self, ctx, formatter) -> None:
        records = [_vietnamese_marks(record) for param in self.get_params(ctx) if (record := param.get_help_record(ctx)) is not None]
        if records:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(records)


def _vietnamese_marks(record: tuple[str, str]) -> tuple[str, str]:
    """An option's help line with typer's closing "[default: …; required]" in Vietnamese."""
    name, help_text = record
    marks = _MARKS.search(help_text)
    if marks is None:
        return record
    said = marks.group(1).replace("default: ", "mặc định: ").replace("required", "bắt buộc")
    return name, help_text[: marks.start()] + f"[{said}]"


_MARKS = re.compile(r"\[([^\[\]]*(?:default: |required)[^\[\]]*)\]$")


class _Command(_VietnameseHelp, TyperCommand):
    """A command whose words left over after the options are refused here, in Vietnamese."""

    allow_extra_args = True  # so that they reach parse_args below instead of click's English refusal

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        try:
            rest = super().parse_args(ctx, args)
        except UsageError as error:
            error.ctx = error.ctx or ctx  # click's parser raises some without one ("--period" with no value)
            raise
        if rest and not ctx.resilient_parsing:
            raise _Usage(f"thừa \"{' '.join(rest)}\": lệnh {ctx.info_name} chỉ nhận các tùy chọn (--tên giá-trị)", ctx)
        return rest


class _Group(_VietnameseHelp, TyperGroup):
    """The program: every usage error (click's, typer's, ours) leaves it in Vietnamese, exit code 2.

    In the group, not in main(), so that typer's CliRunner (the tests) and the console
    command take the same path."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.subcommand_metavar = "LỆNH [TÙY CHỌN]..."

    def format_options(self, ctx, formatter) -> None:
        super().format_options(ctx, formatter)
        rows = [(name, command.get_short_help_str(formatter.width - 6 - max(map(len, self.list_commands(ctx))))) for name in self.list_commands(ctx) if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Lệnh"):
                formatter.write_dl(rows)

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        if not [arg for arg in args if arg != "--"] and not ctx.resilient_parsing:
            raise _Usage(f"chưa có lệnh; chọn một trong: {', '.join(self.list_commands(ctx))}", ctx, show_help=True)
        with _in_vietnamese(ctx):
            return super().parse_args(ctx, args)

    def resolve_command(self, ctx, args: list[str]):
        name = args[0]
        if self.get_command(ctx, name) is None and not name.startswith("-") and not ctx.resilient_parsing:
            close = difflib.get_close_matches(name, self.list_commands(ctx))
            guess = f" (có phải {_either(close)}?)" if close else ""
            raise _Usage(f"không có lệnh \"{name}\"{guess}; các lệnh: {', '.join(self.list_commands(ctx))}", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx):
        with _in_vietnamese(ctx):
            return super().invoke(ctx)


@contextlib.contextmanager
def _in_vietnamese(ctx):
    """Turn click's usage errors, worded in English with a "Usage:" frame, into one Vietnamese line."""
    try:
        yield
    except _Usage:
        raise
    except UsageError as error:
        error.ctx = error.ctx or ctx
        raise _Usage(_vietnamese(error), error.ctx) from None


def _vietnamese(error: UsageError) -> str:
    """What went wrong, from the kind of error and what it carries (never from click's English text)."""
    if isinstance(error, NoSuchOption):
        guess = f" (có phải {_either(error.possibilities)}?)" if error.possibilities else ""
        return f"không có tùy chọn {error.option_name}{guess}"
    if isinstance(error, BadOptionUsage):
        option = _option(error.ctx, error.option_name)
        if option is not None and option.is_flag:
            return f"tùy chọn {error.option_name} không nhận giá trị"
        return f"tùy chọn {error.option_name} cần một giá trị"
    if isinstance(error, MissingParameter):
        name = _hint(error)
        help_text = (getattr(error.param, "help", None) or "").rstrip(".")
        return f"thiếu tùy chọn bắt buộc {name}" + (f": {help_text[0].lower()}{help_text[1:]}" if help_text else "")
    if isinstance(error, _Invalid):
        return f"giá trị của {_hint(error)} không hợp lệ: {error.message}"
    if isinstance(error, BadParameter):
        given = _given(error)
        wanted = _wanted(error.param)
        return f"giá trị {given + ' ' if given else ''}của {_hint(error)} không hợp lệ" + (f": cần {wanted}" if wanted else "")
    return f"cách gọi lệnh không đúng ({error.format_message()})"


def _either(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} hay {names[-1]}"


def _option(ctx, name: str):
    if ctx is None:
        return None
    return next((param for param in ctx.command.get_params(ctx) if name in getattr(param, "opts", [])), None)


def _hint(error: BadParameter) -> str:
    if isinstance(error.param_hint, str):
        return error.param_hint
    if error.param is not None and getattr(error.param, "opts", None):
        return " / ".join(error.param.opts)
    return "tham số"


def _given(error: BadParameter) -> str | None:
    """The value refused, where typer's check (pydantic) kept it."""
    errors = getattr(error.__cause__, "errors", None)
    if not callable(errors):
        return None
    found = errors()
    return f'"{found[0]["input"]}"' if found and "input" in found[0] else None


def _wanted(param) -> str | None:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or descriptor.annotation is not int:
        return None
    low, high = descriptor.parameter_info.min, descriptor.parameter_info.max
    if low is not None and high is not None:
        return f"một số nguyên từ {low} đến {high}"
    return "một số nguyên" + (f" từ {low} trở lên" if low is not None else f" đến {high}" if high is not None else "")


app = typer.Typer(
    help=(
        "Tổng hợp số liệu đăng ký đào tạo, bồi dưỡng CBQL, GV của các đơn vị và lập các phụ lục "
        "kế hoạch (Sở GDĐT Hải Phòng).\n\n"
        "Mã thoát: 0 = mọi tệp hợp lệ; 1 = có tệp bị từ chối, kết quả lập từ các tệp còn lại; "
        "2 = không thể chạy (ví dụ dữ liệu tham chiếu hỏng); 3 = đang có lần chạy khác giữ khóa."
    ),
    add_completion=False,
    rich_markup_mode=None,
    cls=_Group,
)

INPUTS = typer.Option(Path("inputs"), "--inputs", metavar="THƯ_MỤC", help="Thư mục đầu vào (gồm reference/ và registrations/).")
OUTPUTS = typer.Option(Path("outputs"), "--outputs", metavar="THƯ_MỤC", help="Thư mục kết quả.")
PERIOD = typer.Option(None, "--period", metavar="YYYY-MM", help="Kỳ báo cáo YYYY-MM; mặc định là tháng hiện tại.")
QUIET = typer.Option(False, "--quiet", "-q", help="Chỉ in lỗi; không in tiến độ và tóm tắt.")


@app.command("run", cls=_Command)
def run_command(
    inputs: Path = INPUTS,
    outputs: Path = OUTPUTS,
    period: str = PERIOD,
    quiet: bool = QUIET,
    deadline: str = typer.Option(
        None, "--deadline", metavar="YYYY-MM-DD",
        help="Hạn nộp YYYY-MM-DD của năm --year (không có --year: của năm mới nhất có số liệu), thay cho inputs/reference/deadlines.csv.",
    ),
    year: int = typer.Option(None, "--year", min=2000, max=2100, metavar="NĂM", help="Lập tình hình nộp của năm này cả khi chưa đơn vị nào nộp, ví dụ 2027."),
) -> None:
    """Đọc, kiểm tra, tổng hợp, tính kinh phí và ghi mọi bảng tính vào outputs/<kỳ>/, cùng tình hình nộp
    của từng năm (tinh_hinh_nop_<năm>.xlsx) và phiếu phản hồi cho đơn vị có vấn đề (phan_hoi/<năm>/)."""
    _execute(inputs, outputs, _period(period), quiet, validate_only=False, deadline=_deadline(deadline), year=year)


@app.command("validate", cls=_Command)
def validate_command(inputs: Path = INPUTS, outputs: Path = OUTPUTS, period: str = PERIOD, quiet: bool = QUIET) -> None:
    """Chỉ đọc và kiểm tra các tệp đầu vào; ghi báo cáo kiểm tra vào outputs/kiem_tra/."""
    _execute(inputs, outputs, _period(period), quiet, validate_only=True)


@app.command("template", cls=_Command)
def template_command(
    year: int = typer.Option(..., "--year", min=2000, max=2100, metavar="NĂM", help="Năm đăng ký, ví dụ 2026."),
    out: Path = typer.Option(..., "--out", metavar="THƯ_MỤC", help="Thư mục ghi các tệp mẫu (.xlsx), một tệp cho mỗi đơn vị."),
    unit: str = typer.Option(None, "--unit", metavar="ĐƠN_VỊ", help="Chỉ lập mẫu cho một đơn vị, ví dụ \"Phường Lê Chân\"; mặc định: mọi đơn vị của năm."),
    send_to: str = typer.Option(templates.DEFAULT_SEND_TO, "--send-to", metavar="NƠI_NHẬN", help="Nơi đơn vị gửi tệp đã nhập, ghi trong trang \"Hướng dẫn\"."),
    roster: bool = typer.Option(False, "--roster", help="Lập mẫu danh sách cá nhân (mỗi người một dòng) thay cho mẫu đăng ký số lượng."),
    inputs: Path = INPUTS,
) -> None:
    """Lập mẫu đăng ký cho từng đơn vị trong danh sách đơn vị của năm: các nội dung của năm,
    ô nhập chỉ nhận số nguyên từ 0, dòng "Tổng số" tự cộng và trang hướng dẫn. Với --roster:
    mẫu danh sách cá nhân, mỗi người một dòng, đánh dấu x vào nội dung đăng ký."""
    try:
        reference = read_reference(inputs / "reference")
        if roster:
            paths = templates.write_roster_templates(out, reference, reference.persons.codes, year, unit, send_to)
        else:
            paths = templates.write_templates(out, reference, year, unit, send_to)
    except (ReferenceDataError, templates.TemplateError) as error:
        typer.echo(f"LỖI: {error}", err=True)
        raise typer.Exit(runner.EXIT_FAILED) from None
    kind = "mẫu danh sách" if roster else "mẫu đăng ký"
    typer.echo(f"Đã lập {len(paths)} {kind} năm {year} trong {out}" + (f": {paths[0].name}" if len(paths) == 1 else ""))


def main() -> None:
    """Console entry point (``hp-training-plan``, ``python -m pipeline``)."""
    app(prog_name="hp-training-plan")


# ---------------------------------------------------------------- helpers


def _period(value: str | None) -> str:
    if value is None:
        return dt.date.today().strftime("%Y-%m")
    try:
        dt.datetime.strptime(value, "%Y-%m")
    except ValueError:
        raise _Invalid(f"\"{value}\" không đúng dạng YYYY-MM (ví dụ 2026-11)", param_hint="--period") from None
    return value


def _deadline(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise _Invalid(f"\"{value}\" không đúng dạng YYYY-MM-DD (ví dụ 2025-12-15)", param_hint="--deadline") from None


def _execute(inputs: Path, outputs: Path, period: str, quiet: bool, validate_only: bool, deadline: dt.date | None = None, year: int | None = None) -> None:
    interactive = sys.stderr.isatty() and not quiet
    console = _console_log(quiet or interactive)
    progress = _Progress() if interactive else None
    try:
        result = runner.run(inputs, outputs, period, validate_only=validate_only, on_file=progress.advance if progress else None, deadline=deadline, year=year)
    except Exception:  # noqa: BLE001 - a defect must not pass for "some files rejected" (exit 1)
        typer.echo("LỖI: lần chạy dừng vì lỗi không lường trước; kết quả kỳ trước được giữ nguyên. Chi tiết:", err=True)
        typer.echo(traceback.format_exc(), err=True)
        raise typer.Exit(runner.EXIT_FAILED) from None
    finally:
        if progress:
            progress.close()
        logging.getLogger("pipeline").removeHandler(console)
    if result.exit_code in (runner.EXIT_FAILED, runner.EXIT_LOCKED):
        typer.echo(("LỖI: " if result.exit_code == runner.EXIT_FAILED else "KHÔNG CHẠY: ") + result.message, err=True)
        raise typer.Exit(result.exit_code)
    if not quiet:
        for line in _summary(result, validate_only):
            typer.echo(line)
    elif result.exit_code == runner.EXIT_REJECTED:
        typer.echo(f"Có tệp bị từ chối; xem {result.output_folder / 'validation_report.xlsx'}", err=True)
    raise typer.Exit(result.exit_code)


def _summary(result: runner.RunResult, validate_only: bool) -> list[str]:
    files = result.files
    rejected = files[files["status"] == "bị từ chối"]["file"].tolist() if len(files) else []
    errors = int((result.issues["severity"] == "lỗi").sum()) if len(result.issues) else 0
    warnings = len(result.issues) - errors
    lines = [f"Đã đọc {len(files)} tệp: {len(files) - len(rejected)} được chấp nhận, {len(rejected)} bị từ chối; {errors} lỗi, {warnings} cảnh báo."]
    lines += [f"  bị từ chối: {name}" for name in rejected[:10]]
    if len(rejected) > 10:
        lines.append(f"  … và {len(rejected) - 10} tệp khác")
    if not validate_only:
        registrations = result.registrations
        per_year = registrations.groupby("year")["headcount"].sum() if len(registrations) else pd.Series(dtype=int)
        years = "; ".join(f"năm {year}: {_grouped(int(count))} lượt người" for year, count in per_year.items())
        lines.append(f"Tổng hợp {len(registrations)} dòng số liệu" + (f" — {years}." if years else "."))
        lines += _change_lines(result)
    lines.append(f"Báo cáo kiểm tra: {result.output_folder / 'validation_report.xlsx'}")
    lines.append(f"Kết quả: {result.output_folder}")
    return lines


def _grouped(number: int) -> str:
    """13008 -> "13 008", as the plan prints numbers."""
    return f"{number:,}".replace(",", " ")


def _change_lines(result: runner.RunResult) -> list[str]:
    return _registration_change_lines(result) + _submission_change_lines(result)


def _submission_change_lines(result: runner.RunResult) -> list[str]:
    """Who answered, and who was fixed, since the previous period (the campaign)."""
    changes = result.submission_changes
    if changes is None or changes.empty:
        return []
    lines = [f"Tình hình nộp so với kỳ {result.previous_period}: {len(changes)} đơn vị thay đổi."]
    lines += [f"  {row.year} {row.title}: {row.change}" for row in changes.head(5).itertuples(index=False)]
    if len(changes) > 5:
        lines.append("  … xem trang \"Thay đổi nộp\" và trang \"So với kỳ trước\" của tinh_hinh_nop_<năm>.xlsx")
    return lines


def _registration_change_lines(result: runner.RunResult) -> list[str]:
    if result.changes is None:
        return ["Chưa có kỳ trước để so sánh: đây là lần chạy đầu tiên."]
    changes = result.changes
    compared = f"lần chạy trước của kỳ {result.previous_period}" if result.output_folder and result.previous_period == result.output_folder.name else f"kỳ {result.previous_period}"
    if changes.empty:
        return [f"So với {compared}: không có thay đổi."]
    lines = [f"So với {compared}: {len(changes)} số liệu thay đổi ({changes['unit'].nunique()} đơn vị)."]
    for row in changes.head(5).itertuples(index=False):
        before = "-" if pd.isna(row.previous) else row.previous
        after = "-" if pd.isna(row.current) else row.current
        lines.append(f"  {row.year} {row.unit} {row.topic} {row.level}: {before} → {after}")
    if len(changes) > 5:
        lines.append("  … xem trang \"Thay đổi\" và data/changes.csv")
    return lines


def _console_log(quiet: bool) -> logging.Handler:
    """Plain log lines on stderr (for cron); only warnings when quiet or when a progress bar shows."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING if quiet else logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("pipeline")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return handler


class _Progress:
    """A progress bar over the input files, for a person at a terminal."""

    def __init__(self):
        self._bar = None

    def advance(self, name: str, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = typer.progressbar(length=total, label="Đọc tệp", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

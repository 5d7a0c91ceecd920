"""Command line: parses options, calls the runner, turns results into messages and exit codes."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typer

from pipeline import runner

app = typer.Typer(help="Tổng hợp số liệu đăng ký đào tạo, bồi dưỡng CBQL, GV và lập các phụ lục kế hoạch.", add_completion=False)


def _this_month() -> str:
    return dt.date.today().strftime("%Y-%m")


def _check_period(value: str) -> str:
    try:
        dt.datetime.strptime(value, "%Y-%m")
    except ValueError as error:
        raise typer.BadParameter("Kỳ báo cáo phải có dạng YYYY-MM, ví dụ 2026-11") from error
    return value


@app.command()
def run(
    inputs: Path = typer.Option(Path("inputs"), "--inputs", help="Thư mục đầu vào (reference/ và registrations/)."),
    outputs: Path = typer.Option(Path("outputs"), "--outputs", help="Thư mục kết quả."),
    period: str = typer.Option(None, "--period", help="Kỳ báo cáo YYYY-MM (mặc định: tháng hiện tại).", callback=lambda v: _check_period(v) if v else _this_month()),
) -> None:
    """Đọc, kiểm tra, tổng hợp số liệu và ghi các bảng tính kết quả."""
    result = runner.run(inputs, outputs, period)
    if result.exit_code == runner.EXIT_FAILED:
        typer.echo(f"LỖI: {result.message}", err=True)
        raise typer.Exit(result.exit_code)
    accepted = int((result.files["status"] == "chấp nhận").sum()) if len(result.files) else 0
    errors = int((result.issues["severity"] == "lỗi").sum())
    warnings = int((result.issues["severity"] == "cảnh báo").sum())
    typer.echo(f"Đã đọc {len(result.files)} tệp: {accepted} tệp được chấp nhận, {len(result.files) - accepted} tệp bị từ chối.")
    typer.echo(f"{len(result.registrations)} dòng số liệu, tổng {int(result.registrations['headcount'].sum())} lượt người; {errors} lỗi, {warnings} cảnh báo.")
    typer.echo(f"Kết quả: {result.output_folder}")
    raise typer.Exit(result.exit_code)


@app.callback()
def _main() -> None:
    """Kế hoạch đào tạo, bồi dưỡng CBQL, GV - Sở GDĐT Hải Phòng."""


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    sys.exit(main())

"""The ``geodisp`` command: a thin shell over ``geodisp.config.event`` and ``geodisp.pipeline``.

Exit codes: 0 success, 2 bad input (every problem listed), 1 internal error (a
one-line message and the path of the log holding the traceback).
"""
from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from geodisp.model.errors import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Disaster displacement estimates for Mexico.")
err = Console(stderr=True, soft_wrap=True)

# options shared by `run` and `demo`
WORKERS = typer.Option(None, "--workers", min=1,
                       help="Run the overlay on a local Dask cluster of N worker processes (default: threads in this process).")
QUIET = typer.Option(False, "--quiet", help="No progress bar or summary.")
LANG = typer.Option(None, "--lang", help="Language of maps and reports: es (default) or en.")


def _log_file(out_dir: Path) -> Path:
    """Attach a file handler under ``out_dir/logs`` and return its path."""
    logs = out_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"geodisp-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("geodisp", "py.warnings"):  # library warnings go to the log, not the terminal
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        logger.propagate = False
    logging.captureWarnings(True)
    return path


def _bad_input(exc: InputError) -> None:
    err.print(f"[red]error:[/red] {exc}", highlight=False)
    if len(exc.problems) > 1 or exc.problems[0] != str(exc):
        for line in exc.problems:
            err.print(f"  {line}", highlight=False, markup=False)
    raise typer.Exit(2)


def _run(event_path: Path, out: Optional[Path], workers: Optional[int], scheduler: Optional[str],
         quiet: bool, lang: Optional[str]) -> None:
    from geodisp.cluster import check_scheduler_address
    from geodisp.config.event import load_event
    from geodisp.pipeline import STAGES, run
    from geodisp.summary import print_summary

    try:
        event = load_event(event_path)
        if lang is not None and lang not in ("es", "en"):
            raise InputError(f"--lang: unknown language {lang!r}; choose es or en")
        if scheduler is not None:
            check_scheduler_address(scheduler)
    except InputError as exc:
        _bad_input(exc)
    out_dir = event.output_dir(out)
    log_path = _log_file(out_dir)
    console = Console(quiet=quiet)
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=console, transient=True, disable=quiet) as progress:
            task = progress.add_task("geodisp", total=len(STAGES))

            def on_stage(name: str) -> None:
                progress.update(task, description=f"{name} ...", completed=STAGES.index(name))

            result = run(event, out=out_dir, workers=workers, scheduler=scheduler, lang=lang, on_stage=on_stage)
            progress.update(task, completed=len(STAGES))
    except InputError as exc:
        logging.getLogger("geodisp").error("bad input: %s", exc)
        _bad_input(exc)
    except Exception as exc:  # a defect: one line for people, the traceback for the log
        logging.getLogger("geodisp").error("internal error\n%s", traceback.format_exc())
        err.print(f"[red]internal error:[/red] {type(exc).__name__}: {exc} (details in {log_path})", highlight=False)
        raise typer.Exit(1)
    print_summary(result, console)


@app.command()
def validate(event: Path = typer.Argument(..., help="Event YAML file.")) -> None:
    """Check an event file and list every problem at once (exit 2 if any)."""
    from geodisp.config.event import load_event

    try:
        ev = load_event(event)
    except InputError as exc:
        _bad_input(exc)
    Console().print(f"{event}: valid ({ev.event.id}, {ev.event.hazard_type})")


@app.command("run")
def run_cmd(
    event: Path = typer.Argument(..., help="Event YAML file."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: output.directory, else layers/<event id>)."),
    workers: Optional[int] = WORKERS,
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="tcp://HOST:PORT of a running Dask scheduler."),
    quiet: bool = QUIET,
    lang: Optional[str] = LANG,
) -> None:
    """Run an event file: sources -> overlay -> estimate -> layers."""
    _run(event, out, workers, scheduler, quiet, lang)


@app.command("year")
def year_cmd(
    catalogue: Path = typer.Argument(..., help="Year catalogue YAML: the year and its events (paths or inline)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: output.directory, else layers/year-<year>)."),
    workers: Optional[int] = WORKERS,
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="tcp://HOST:PORT of a running Dask scheduler."),
    quiet: bool = QUIET,
    lang: Optional[str] = LANG,
) -> None:
    """Run a year catalogue: every event's stages as Dask tasks, then the country-year tables and layers."""
    from .year.command import run_command

    run_command(catalogue, out, workers, scheduler, quiet, lang)


@app.command()
def demo(
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for the demo inputs and outputs (default layers/demo, or layers/demo-year with --year)."),
    workers: Optional[int] = WORKERS,
    quiet: bool = QUIET,
    lang: Optional[str] = LANG,
    year: bool = typer.Option(False, "--year", help="Build the demo year (seven synthetic events over three states) and run it through `geodisp year`."),
) -> None:
    """Generate the embedded demo event (no download) and run it exactly as `geodisp run` does; with --year, the demo year."""
    if year:
        from .year.command import demo_command

        demo_command(out, workers, quiet, lang)
        return
    from geodisp.demo import build_demo

    out = out or Path("layers/demo")
    files = build_demo(out)
    if not quiet:
        Console().print(f"Demo inputs written to {files.event.parent}")
    _run(files.event, out, workers, None, quiet, lang)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: earlier outputs are left as they were")
        sys.exit(130)


if __name__ == "__main__":
    main()

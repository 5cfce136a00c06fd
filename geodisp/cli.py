"""The ``geodisp`` command: a thin shell over ``geodisp.config.event`` and ``geodisp.pipeline``.

Exit codes: 0 success, 2 bad input (every problem listed), 1 internal error (a
one-line message and the path of the log holding the traceback), 130 Ctrl-C, 143
SIGTERM (what SLURM sends at a time limit; handled like Ctrl-C). See docs/reliability.md.
"""
from __future__ import annotations

import logging
import signal
import sys
import traceback
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
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


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C's KeyboardInterrupt so the same clean-up runs."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def _shown(text: object) -> str:
    """A message as printed: personal data cut out (``geodisp.sources.personal.scrub_text``)."""
    from geodisp.sources.personal import scrub_text

    return scrub_text(str(text))


def _bad_input(exc: InputError) -> None:
    err.print(f"[red]error:[/red] {escape(_shown(exc))}", highlight=False)
    if len(exc.problems) > 1 or exc.problems[0] != str(exc):
        for line in exc.problems:
            err.print(f"  {_shown(line)}", highlight=False, markup=False)
    raise typer.Exit(2)


def _run(event_path: Path, out: Optional[Path], workers: Optional[int], scheduler: Optional[str],
         quiet: bool, lang: Optional[str]) -> None:
    from geodisp.cluster import check_scheduler_address
    from geodisp.config.event import load_event
    from geodisp import cluster, publish, runlog
    from geodisp.outputs import i18n
    from geodisp.pipeline import STAGES, run
    from geodisp.summary import print_summary

    try:
        event = load_event(event_path)
        if lang is not None and lang not in ("es", "en"):
            raise InputError(f"--lang: unknown language {lang!r}; choose es or en")
        if scheduler is not None:
            check_scheduler_address(scheduler)
        out_dir = publish.check_out_dir(event.output_dir(out))
    except InputError as exc:
        _bad_input(exc)
    lang = lang or event.output.lang
    log = runlog.start(out_dir, keep=event.output.keep_logs)
    log_path = log.path
    before = publish.latest(out_dir)
    console = Console(quiet=quiet)
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=console, transient=True, disable=quiet) as progress:
            task = progress.add_task("geodisp", total=len(STAGES))

            def on_stage(name: str) -> None:
                progress.update(task, description=f"{name} ...", completed=STAGES.index(name))

            result = run(event, out=out_dir, workers=workers, scheduler=scheduler, lang=lang, on_stage=on_stage)
            progress.update(task, completed=len(STAGES))
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM: the run's staging folder is already gone
        terminated = isinstance(exc, Terminated)
        logging.getLogger("geodisp").warning("interrupted by %s", "SIGTERM" if terminated else "Ctrl-C")
        published = publish.latest(out_dir) != before
        err.print(i18n.t("interrupted_published" if published else "interrupted", lang, out=out_dir),
                  highlight=False, markup=False)
        raise typer.Exit(128 + (signal.SIGTERM if terminated else signal.SIGINT))
    except InputError as exc:
        logging.getLogger("geodisp").error("bad input: %s", exc)
        _bad_input(exc)
    except cluster.ClusterLost as exc:  # not a defect of geodisp: one line, details in the log
        logging.getLogger("geodisp").error("cluster lost\n%s", traceback.format_exc())
        err.print(f"[red]error:[/red] {escape(str(exc))} (details in {escape(str(log_path))})", highlight=False)
        raise typer.Exit(1)
    except Exception as exc:  # a defect: one line for people, the traceback for the log
        logging.getLogger("geodisp").error("internal error\n%s", traceback.format_exc())
        err.print(f"[red]internal error:[/red] {escape(type(exc).__name__)}: {escape(_shown(exc))} "
                  f"(details in {escape(str(log_path))})", highlight=False)
        raise typer.Exit(1)
    finally:
        log.close()
    print_summary(result, console)


@app.command()
def validate(event: Path = typer.Argument(..., help="Event YAML file.")) -> None:
    """Check an event file, open every input it names, and list every problem at once (exit 2 if any)."""
    from geodisp.validate import validate_event

    try:
        ev, counts = validate_event(event)
    except InputError as exc:
        _bad_input(exc)
    console = Console()
    console.print(f"{event}: valid ({ev.event.id}, {ev.event.hazard_type})", highlight=False)
    for row in counts:
        console.print(f"  {row.source}: {row.read} read, {row.used} used, {row.rejected} rejected",
                      highlight=False, markup=False)


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


@app.command()
def demo(
    out: Path = typer.Option(Path("layers/demo"), "--out", help="Folder for the demo inputs and outputs."),
    workers: Optional[int] = WORKERS,
    quiet: bool = QUIET,
    lang: Optional[str] = LANG,
) -> None:
    """Generate the embedded demo event (no download) and run it exactly as `geodisp run` does."""
    from geodisp.demo import build_demo

    files = build_demo(out)
    if not quiet:
        Console().print(f"Demo inputs written to {files.event.parent}")
    _run(files.event, out, workers, None, quiet, lang)


def main() -> None:
    """Console-script entry point; SIGTERM is handled like Ctrl-C."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        app()
    except KeyboardInterrupt:  # outside a run (typer handles it inside commands otherwise)
        err.print("interrupted", highlight=False, markup=False)
        sys.exit(130)


if __name__ == "__main__":
    main()

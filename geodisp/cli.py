"""The ``geodisp`` command: a thin shell over ``geodisp.config.event`` and ``geodisp.pipeline``.

Exit codes: 0 success, 2 bad input (every problem listed), 1 internal error (a
one-line message and the path of the log holding the traceback), 130 Ctrl-C, 143
SIGTERM (what SLURM sends at a time limit; handled like Ctrl-C). See docs/reliability.md.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, Optional

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

from geodisp import cli_words
from geodisp.model.errors import InputError
from geodisp.model.messages import PLURALS

def _catalogue() -> Any:
    """The message catalogue module, loaded on its own (a plain dict module), so ``geodisp --help``
    does not import the writers and their GIS libraries."""
    spec = importlib.util.spec_from_file_location("_geodisp_catalogue", Path(__file__).parent / "outputs" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


_CATALOGUE = _catalogue()
_TEXTS = _CATALOGUE.CATALOGUE
#: The catalogue's languages, the values ``--lang`` takes.
LANGS: tuple[str, ...] = _CATALOGUE.LANGS


def argv_lang(argv: list[str], default: str = "es") -> str:
    """The language the command speaks: ``--lang X`` on the command line, else ``$GEODISP_LANG``,
    else Spanish; an unknown value falls back to Spanish here and is reported as bad input later."""
    lang = os.environ.get("GEODISP_LANG") or default
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang if lang in LANGS else default


UI_LANG = argv_lang(sys.argv[1:])


def _h(key: str, lang: str | None = None) -> str:
    """A catalogue text in the command's language (help texts are fixed when the command is built)."""
    return _TEXTS[key][LANGS.index(lang or UI_LANG)]


def _text(key: str) -> str:
    return _h(key)


cli_words.install_help_words(_text)
Command, Group = cli_words.command_classes(lambda: _text)
app = typer.Typer(add_completion=False, no_args_is_help=True, help=_h("cli_help"), rich_markup_mode=None, cls=Group)
err = Console(stderr=True, soft_wrap=True)

# options shared by `run` and `demo`; flags are shown as flags (no <bool>)
WORKERS = typer.Option(None, "--workers", min=1, metavar="N", help=_h("cli_help_workers"))
QUIET = typer.Option(False, "--quiet", help=_h("cli_help_quiet"))
LANG = typer.Option(None, "--lang", metavar="es|en", help=_h("cli_help_lang"))


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C's KeyboardInterrupt so the same clean-up runs."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def _shown(text: object) -> str:
    """A message as printed: personal data cut out (``geodisp.sources.personal.scrub_text``)."""
    from geodisp.sources.personal import scrub_text

    return scrub_text(str(text))


def check_lang_option(lang: str | None) -> None:
    """A ``--lang`` value no catalogue speaks is bad input (exit 2), named in the message."""
    if lang is not None and lang not in LANGS:
        raise InputError(_h("cli_unknown_lang").format(value=lang))


def _bad_input(exc: InputError, lang: str | None = None) -> None:
    """Print a bad-input error in the command's language (its message codes rendered, when it has them); exit 2."""
    lang = lang if lang in LANGS else UI_LANG
    head, problems = exc.render(lang), exc.render_problems(lang)
    err.print(f"[red]{_h('cli_error', lang)}:[/red] {escape(_shown(head))}", highlight=False)
    if len(problems) > 1 or (problems and problems[0] != head):
        for line in problems:
            err.print(f"  {_shown(line)}", highlight=False, markup=False)
    raise typer.Exit(2)


def task_progress(report: Callable[[int, int], None]) -> Any:
    """Finished tasks of the Dask work in progress, on the threaded scheduler or a distributed one
    (``geodisp.progress.task_progress``), so the bar moves chunk by chunk during the overlay and the rasters."""
    from geodisp.progress import task_progress as tasks

    return tasks(report)


class ProgressLog:
    """Progress as lines in the run's log (``<out>/logs``), in the chosen language, for a batch job
    or a terminal that shows no live bar: one line per stage each time a tenth more of its tasks is done."""

    def __init__(self, ui: str) -> None:
        self.ui, self.stage, self.shown = ui, "", -1

    def start(self, stage: str) -> None:
        self.stage, self.shown = stage, -1

    def tasks(self, done: int, total: int) -> None:
        if not total:
            return
        tenth = min(10, done * 10 // total)
        if tenth == self.shown:
            return
        self.shown = tenth
        text = f"{_h(f'cli_stage_{self.stage}', self.ui) if self.stage else 'geodisp'}: " \
               f"{_h('cli_tasks', self.ui).format(done=done, total=total)}"
        logging.getLogger("geodisp").info("%s", text)


def _run(event_path: Path, out: Optional[Path], workers: Optional[int], scheduler: Optional[str],
         quiet: bool, lang: Optional[str]) -> None:
    from geodisp import cluster, publish, runlog
    from geodisp.cluster import check_scheduler_address
    from geodisp.config.event import load_event
    from geodisp.pipeline import run
    from geodisp.summary import print_summary

    try:
        check_lang_option(lang)
        event = load_event(event_path)
        if scheduler is not None:
            check_scheduler_address(scheduler)
        out_dir = publish.check_out_dir(event.output_dir(out))
    except InputError as exc:
        _bad_input(exc)
    ui = lang or event.output.lang
    log = runlog.start(out_dir, keep=event.output.keep_logs)
    log_path = log.path
    before = publish.latest(out_dir)
    console = Console(quiet=quiet)
    lines = ProgressLog(ui)
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[detail]}"),
                      TimeElapsedColumn(), console=console, transient=True, disable=quiet) as progress:
            task = progress.add_task("geodisp", total=None, detail="")
            def on_stage(name: str) -> None:
                lines.start(name)
                progress.update(task, description=_h(f"cli_stage_{name}", ui), completed=0, total=None, detail="")

            def on_tasks(done: int, total: int) -> None:
                lines.tasks(done, total)
                progress.update(task, completed=done, total=total or None, detail=_h("cli_tasks", ui).format(done=done, total=total))

            def on_step(name: str) -> None:
                progress.update(task, detail=_h(f"cli_step_{name}", ui))

            with task_progress(on_tasks):
                result = run(event, out=out_dir, workers=workers, scheduler=scheduler, lang=lang, on_stage=on_stage, on_step=on_step)
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM: the run's staging folder is already gone
        terminated = isinstance(exc, Terminated)
        logging.getLogger("geodisp").warning("interrupted by %s", "SIGTERM" if terminated else "Ctrl-C")
        published = publish.latest(out_dir) != before
        err.print(_h("cli_run_interrupted_published" if published else "cli_run_interrupted", ui).format(out=out_dir),
                  highlight=False, markup=False)
        raise typer.Exit(128 + (signal.SIGTERM if terminated else signal.SIGINT))
    except InputError as exc:
        logging.getLogger("geodisp").error("bad input: %s", exc)
        _bad_input(exc, ui)
    except cluster.ClusterLost as exc:  # not a defect of geodisp: one line, details in the log
        logging.getLogger("geodisp").error("cluster lost\n%s", traceback.format_exc())
        err.print(f"[red]{_h('cli_cluster_lost', ui)}:[/red] {escape(str(exc))} "
                  f"({escape(_h('cli_details_in', ui).format(path=log_path))})", highlight=False)
        raise typer.Exit(1)
    except Exception as exc:  # a defect: one line for people, the traceback for the log
        logging.getLogger("geodisp").error("internal error\n%s", traceback.format_exc())
        err.print(f"[red]{_h('cli_internal_error', ui)}:[/red] {escape(type(exc).__name__)}: {escape(_shown(exc))} "
                  f"({escape(_h('cli_details_in', ui).format(path=log_path))})", highlight=False)
        raise typer.Exit(1)
    finally:
        log.close()
    print_summary(result, console, ui)


@app.command(cls=Command, help=_h("cli_help_validate"))
def validate(event: Path = typer.Argument(..., metavar="EVENT.yaml", help=_h("cli_help_event")),
             lang: Optional[str] = LANG) -> None:
    """Check an event file, open every input it names, and list every problem at once (exit 2 if any)."""
    from geodisp.validate import validate_event

    try:
        check_lang_option(lang)
        ev, counts = validate_event(event)
    except InputError as exc:
        _bad_input(exc)
    console = Console()
    console.print(_h("cli_valid").format(path=event, id=ev.event.id, hazard=ev.event.hazard_type), highlight=False)
    for row in counts:
        console.print(PLURALS.format(_h("cli_valid_counts"), source=row.source, read=row.read, used=row.used, rejected=row.rejected),
                      highlight=False, markup=False)


@app.command("run", cls=Command, help=_h("cli_help_run"))
def run_cmd(
    event: Path = typer.Argument(..., metavar="EVENT.yaml", help=_h("cli_help_event")),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help=_h("cli_help_out")),
    workers: Optional[int] = WORKERS,
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="tcp://HOST:PORT", help=_h("cli_help_scheduler")),
    quiet: bool = QUIET,
    lang: Optional[str] = LANG,
) -> None:
    """Run an event file: sources -> overlay -> estimate -> layers."""
    _run(event, out, workers, scheduler, quiet, lang)


@app.command("footprint", cls=Command, help=_h("cli_help_footprint"))
def footprint_cmd(
    event: Path = typer.Argument(..., metavar="EVENT.yaml", help=_h("cli_help_event")),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help=_h("cli_help_out")),
    lang: Optional[str] = LANG,
) -> None:
    """Write the hazard footprint alone (COG + classified polygons in a styled GeoPackage), to check in QGIS."""
    from geodisp.config.event import load_event
    from geodisp.pipeline import footprint

    try:
        check_lang_option(lang)
        paths, notes = footprint(load_event(event), out=out, lang=lang)
    except InputError as exc:
        _bad_input(exc, lang)
    console = Console()
    for note in notes:
        text = note.render(lang or UI_LANG) if hasattr(note, "render") else str(note)
        console.print(text, highlight=False, markup=False)
    for name, path in paths.items():
        console.print(f"{name}: {path}", highlight=False, markup=False)


@app.command("year", cls=Command, help=_h("cli_help_year"))
def year_cmd(
    catalogue: Path = typer.Argument(..., metavar="CATALOGUE.yaml", help=_h("cli_help_catalogue")),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help=_h("cli_help_out_year")),
    workers: Optional[int] = WORKERS,
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="tcp://HOST:PORT", help=_h("cli_help_scheduler")),
    quiet: bool = QUIET,
    lang: Optional[str] = LANG,
) -> None:
    """Run a year catalogue: every event's stages as Dask tasks, then the country-year tables and layers."""
    from geodisp.year.command import run_command

    run_command(catalogue, out, workers, scheduler, quiet, lang)


@app.command(cls=Command, help=_h("cli_help_demo"))
def demo(
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help=_h("cli_help_out_demo")),
    workers: Optional[int] = WORKERS,
    quiet: bool = QUIET,
    lang: Optional[str] = LANG,
    hazard: str = typer.Option("polygons", "--hazard", metavar="polygons|track", help=_h("cli_help_hazard_demo")),
    year: bool = typer.Option(False, "--year", help=_h("cli_help_demo_year")),
) -> None:
    """Generate the embedded demo event (no download) and run it exactly as `geodisp run` does; with --year, the demo year."""
    if year:
        from geodisp.year.command import demo_command

        demo_command(out, workers, quiet, lang)
        return
    from geodisp.demo import build_demo

    if hazard not in ("polygons", "track"):
        _bad_input(InputError(_h("cli_unknown_demo_hazard").format(value=hazard)))
    out = out or Path("layers/demo")
    files = build_demo(out, hazard=hazard)
    if not quiet:
        Console().print(_h("cli_demo_inputs").format(path=files.event.parent), highlight=False)
    _run(files.event, out, workers, None, quiet, lang)


def main() -> None:
    """Console-script entry point; SIGTERM is handled like Ctrl-C."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    # GDAL's block cache defaults to 5 % of RAM; every stage reads or writes each tile
    # about once, so a small cache bounds memory without slowing anything (the local
    # Dask workers get the same, geodisp.cluster.WORKER_ENV). Set before GDAL reads.
    os.environ.setdefault("GDAL_CACHEMAX", "64")
    try:
        code = app(standalone_mode=False)  # usage errors come back here, to be worded in the command's language
    except (KeyboardInterrupt, typer.Abort):  # outside a run (a run prints its own line)
        err.print(_h("cli_interrupted"))
        sys.exit(130)
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # `geodisp` alone: the help, as click shows it
            print(exc.format_message(), file=sys.stderr)
            sys.exit(2)
        if not cli_words.is_usage_error(exc):
            raise
        print(cli_words.usage_error(exc, _text), file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()

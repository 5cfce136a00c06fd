"""``geodisp year CATALOGUE.yaml`` and ``geodisp demo --year``: the command-line shell of the year layer.

Exit codes: 0 when every event ran; 2 for a bad catalogue or event (every problem
listed, nothing run) or when an event failed on bad input; 1 when an event failed on
an internal error. When events fail, the others' outputs are still written and say
the year is incomplete.
"""
from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from geodisp.model.errors import InputError
from geodisp.outputs import i18n
from geodisp.outputs.rounding import format_number, rounded_total


def print_year_summary(result, console: Console, lang: str) -> None:
    """The year's headline: flows and stock (rounded), events, failures, where the files are."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    totals = result.tables["totals"]
    nat = totals[(totals["level"] == "national") & (totals["hazard_type"] == "all") & (totals["month"] == 0)]
    console.print(f"[bold]{t('year_report_title', year=result.catalogue.year)}[/bold]")
    if len(nat):
        row = nat.iloc[0]
        n = lambda v: format_number(rounded_total([v]), lang, rounded=False)  # noqa: E731
        console.print(f"{t('year_headline_flows')}: [bold]{n(row['central'])}[/bold] ({t('range_low_high', low=n(row['low']), high=n(row['high']))})")
        console.print(f"{t('year_headline_stock')}: [bold]{n(row['stock_central'])}[/bold]")
    failed = [f.event_id for f in result.failures]
    console.print(t("year_incomplete", n=len(failed), events=", ".join(failed)) if failed else t("year_complete", n=len(result.catalogue.events)),
                  markup=False, highlight=False)
    console.print(t("year_cli_reused", recomputed=len(result.recomputed), reused=len(result.reused)), markup=False)
    if result.paths:
        console.print(t("year_cli_written", folder=str(result.out_dir)), markup=False, highlight=False)


def run_command(catalogue_path: Path, out: Optional[Path], workers: Optional[int], scheduler: Optional[str],
                quiet: bool, lang: Optional[str]) -> None:
    """Validate the catalogue and every event (exit 2 listing every problem), run the year, print its summary."""
    from geodisp import runlog
    from geodisp.cli import _bad_input, check_lang_option, err
    from geodisp.year.catalogue import load_catalogue
    from geodisp.year.runner import run_year

    try:
        catalogue = load_catalogue(catalogue_path)
        check_lang_option(lang)
        if scheduler is not None:
            from geodisp.cluster import check_scheduler_address

            scheduler = check_scheduler_address(scheduler)
    except InputError as exc:
        _bad_input(exc)
    lang = lang or catalogue.lang
    out_dir = catalogue.output_dir(out)
    log = runlog.start(out_dir)
    log_path = log.path
    console = Console(quiet=quiet)
    try:
        with console.status(i18n.t("year_cli_running", lang, n=len(catalogue.events))):
            result = run_year(catalogue, out=out_dir, workers=workers, scheduler=scheduler, lang=lang)
    except InputError as exc:
        logging.getLogger("geodisp").error("bad input: %s", exc)
        log.close()
        _bad_input(exc)
    except Exception as exc:  # a defect: one line for people, the traceback for the log
        logging.getLogger("geodisp").error("internal error\n%s", traceback.format_exc())
        log.close()
        err.print(f"[red]internal error:[/red] {type(exc).__name__}: {exc} (details in {log_path})", highlight=False)
        raise typer.Exit(1)
    log.close()
    print_year_summary(result, console, lang)
    for f in result.failures:
        logging.getLogger("geodisp").error("event %s failed (%s): %s", f.event_id, f.kind, f.message)
        err.print(f"[red]{f.where}[/red]: {f.message}", highlight=False)
    if result.failures:
        raise typer.Exit(1 if any(f.kind == "internal" for f in result.failures) else 2)


def demo_command(out: Optional[Path], workers: Optional[int], quiet: bool, lang: Optional[str]) -> None:
    """Generate the demo year (no download) and run its catalogue exactly as ``geodisp year`` does."""
    from geodisp.year.demo import build_demo_year

    folder = out or Path("layers/demo-year")
    files = build_demo_year(folder)
    if not quiet:
        Console().print(i18n.t("year_cli_demo_inputs", lang or "es", folder=str(files.inputs)), markup=False, highlight=False)
    run_command(files.catalogue, folder, workers, None, quiet, lang)

"""The short summary a run prints: national total, top municipios, rows per source."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from geodisp.model.stages import Result


def _fmt(value: float) -> str:
    return "-" if value != value else f"{value:,.0f}"


def print_summary(result: Result, console: Console | None = None, lang: "str | None" = None, top: int = 10) -> None:
    """Print, in ``lang`` (default: the result's), the displaced total (low / central / high), the
    top ``top`` units, the rows read per source, the readers' notes and where the files went."""
    from geodisp.outputs import i18n

    ui = i18n.language(lang or getattr(result, "lang", None))
    console = console or Console()
    table = result.table
    ev = result.event.event
    console.print(f"[bold]{ev.name}[/bold] ({ev.id}, {ui.term('hazard', ev.hazard_type)}, {ui.date(ev.start)})", highlight=False)
    forecast = bool(getattr(getattr(result.sources, "footprint", None), "forecast", False))
    if forecast:
        console.print(ui.t("forecast_banner"), highlight=False)
    if table is not None and "displaced" in table:
        low, mid, high = (float(table[c].fillna(0).sum()) for c in ("displaced_low", "displaced", "displaced_high"))
        key = "cli_summary_displaced_forecast" if forecast else "cli_summary_displaced"
        console.print(ui.t(key, central=f"[bold]{_fmt(mid)}[/bold]", low=_fmt(low), high=_fmt(high)), highlight=False)
        tops = Table(title=ui.t("cli_summary_top", n=top), title_justify="left")
        for col, key in (("cvegeo", "code"), ("name", "name"), ("low", "cli_low"), ("central", "cli_central"), ("high", "cli_high"),
                         ("decided_by", "decided_by")):
            tops.add_column(ui.t(key), justify="right" if col in ("low", "central", "high") else "left")
        for row in table.sort_values("displaced", ascending=False).head(top).itertuples():
            decided = getattr(row, "decided_by", "")
            tops.add_row(row.cvegeo, str(row.name), _fmt(row.displaced_low), _fmt(row.displaced),
                         _fmt(row.displaced_high), ui.term("method", decided) if isinstance(decided, str) else "")
        console.print(tops)
    if result.counts is not None:
        rows = Table(title=ui.t("cli_summary_records"), title_justify="left")
        for key in ("source", "rows_read", "rows_used", "rows_rejected"):
            rows.add_column(ui.t(key), justify="left" if key == "source" else "right")
        for r in result.counts.itertuples():
            rows.add_row(ui.term("role", str(r.source).split("[", 1)[0]), f"{r.read:,}", f"{r.used:,}", f"{r.rejected:,}")
        console.print(rows)
    if result.notes:
        console.print(ui.t("cli_summary_notes"))
        for note in result.notes[:10]:
            console.print(f"  - {ui.message(note)}", markup=False, highlight=False)
        if len(result.notes) > 10:
            console.print("  " + ui.t("cli_summary_more_notes", n=len(result.notes) - 10), markup=False)
    if result.paths:
        folder = next(iter(result.paths.values())).parent
        console.print(ui.t("cli_summary_written", path=f"[bold]{folder}[/bold]"), highlight=False)

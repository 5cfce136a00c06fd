"""The short summary a run prints: national total, top municipios, rows per source."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from geodisp.model.stages import Result


def _fmt(value: float) -> str:
    return "-" if value != value else f"{value:,.0f}"


def print_summary(result: Result, console: Console | None = None, top: int = 10) -> None:
    """Print the national displaced total (low / central / high), the top ``top`` units and the row counts."""
    console = console or Console()
    table = result.table
    ev = result.event.event
    console.print(f"[bold]{ev.name}[/bold] ({ev.id}, {ev.hazard_type}, {ev.start})")
    if table is not None and "displaced" in table:
        low, mid, high = (float(table[c].fillna(0).sum()) for c in ("displaced_low", "displaced", "displaced_high"))
        console.print(
            f"Displaced people, all units: [bold]{_fmt(mid)}[/bold] (range {_fmt(low)} - {_fmt(high)}); "
            "figures are displacements (flows), not distinct people."
        )
        tops = Table(title=f"Top {top} units by displaced people", title_justify="left")
        for col in ("cvegeo", "name", "low", "central", "high", "decided by"):
            tops.add_column(col, justify="right" if col in ("low", "central", "high") else "left")
        for row in table.sort_values("displaced", ascending=False).head(top).itertuples():
            tops.add_row(row.cvegeo, str(row.name), _fmt(row.displaced_low), _fmt(row.displaced),
                         _fmt(row.displaced_high), str(getattr(row, "decided_by", "")))
        console.print(tops)
    if result.counts is not None:
        rows = Table(title="Input records", title_justify="left")
        for col in ("source", "read", "used", "rejected"):
            rows.add_column(col, justify="left" if col == "source" else "right")
        for r in result.counts.itertuples():
            rows.add_row(r.source, f"{r.read:,}", f"{r.used:,}", f"{r.rejected:,}")
        console.print(rows)
    if result.notes:
        console.print("Repaired or dropped without rejecting a record:")
        for note in result.notes[:10]:
            console.print(f"  - {note}", markup=False, highlight=False)
        if len(result.notes) > 10:
            console.print(f"  ... and {len(result.notes) - 10} more (see manifest.json)")
    if result.paths:
        folder = next(iter(result.paths.values())).parent
        console.print(f"Layers and tables written to [bold]{folder}[/bold]")

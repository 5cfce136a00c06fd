"""The year's tables, as pure functions of the events' summaries.

- :func:`flows_table` / :func:`stock_table`: every event's flows counted in the
  year and its IDPs on 31 December, per unit (the year rules of ``rules``).
- :func:`municipio_event_table`: one row per municipio x event x year.
- :func:`totals_table`: state and national totals by hazard type and month.
- :func:`gidd_table`: IDMC's GIDD disaster-events table in HDX's layout.
- :func:`sectoral_tables`: displaced people by group, housing, facilities.
- :func:`gaps_table`: the countrywide data gaps.

Raw values everywhere; the GIDD table adds IDMC's rounded columns beside them.
Every total is a sum of the rows it totals, for low, central and high separately.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from geodisp.outputs.rounding import round_display
from geodisp.outputs.tables import STATE_NAMES
from geodisp.model.vocab import ISO3, LEVEL_KEY_LENGTH
from geodisp.year import rules
from geodisp.year.summary import EventFailure, EventSummary

RANGE = list(rules.RANGE)
#: Flows observed in records (the figure ledger's ``modelled = False``), beside observed + modelled.
OBSERVED = [f"observed_{c}" for c in RANGE]
COUNTRY_NAME = "Mexico"
NATIONAL = "national"
STATE = "state"
ALL = "all"

#: geodisp hazard type -> IDMC GIDD codes and names: category, sub-category, type, sub-type.
GIDD_HAZARDS: dict[str, tuple[int, str, int, str, int, str, int, str]] = {
    "earthquake": (1, "Geophysical", 1, "Geophysical", 1, "Earthquake", 1, "Earthquake"),
    "volcanic_eruption": (1, "Geophysical", 1, "Geophysical", 3, "Volcanic activity", 5, "Volcanic activity"),
    "flood": (2, "Weather related", 3, "Hydrological", 10, "Flood", 13, "Flood"),
    "landslide": (2, "Weather related", 3, "Hydrological", 11, "Mass Movement", 15, "Landslide/Wet mass movement"),
    "wildfire": (2, "Weather related", 2, "Climatological", 9, "Wildfire", 11, "Wildfire"),
    "tropical_cyclone": (2, "Weather related", 4, "Meteorological", 14, "Storm", 24, "Typhoon/Hurricane/Cyclone"),
    "storm_surge": (2, "Weather related", 4, "Meteorological", 14, "Storm", 22, "Storm surge"),
}

#: HDX's disaster table columns (OCHA-DAP/hdx-scraper-idmc-gidd, "Internal displacements
#: (new displacements) associated with disasters") and the HXL hashtags HDX published
#: under them until it dropped the row.
GIDD_HXL: dict[str, str] = {
    "iso3": "#country+code",
    "country_name": "#country+name",
    "year": "#date+year",
    "start_date": "#date+start",
    "start_date_accuracy": "#accuracy+date+start",
    "end_date": "#date+end",
    "end_date_accuracy": "#accuracy+date+end",
    "event_name": "#event+name",
    "hazard_category": "#crisis+category+code",
    "hazard_category_name": "#crisis+category+name",
    "hazard_sub_category": "#crisis+subcategory+code",
    "hazard_sub_category_name": "#crisis+subcategory+name",
    "hazard_type": "#crisis+type+code",
    "hazard_type_name": "#crisis+type+name",
    "hazard_sub_type": "#crisis+subtype+code",
    "hazard_subtype_name": "#crisis+subtype+name",
    "new_displacement": "#affected+idps+ind+new+disaster",
    "new_displacement_rounded": "",
    "total_displacement": "#affected+idps+ind+total+disaster",
    "total_displacement_rounded": "",
    "event_codes": "#crisis+code",
}
GIDD_COLUMNS = list(GIDD_HXL)
#: The hazard word of GIDD event names where it is not the hazard type's name.
GIDD_NAME_WORDS: dict[str, str] = {"landslide": "Wet mass movement"}

#: Census groups reported for the year (figure metric ``displaced_<group>``).
PEOPLE_GROUPS = ["female", "male", "age_0_2", "age_3_5", "age_6_11", "age_12_14", "age_15_17", "age_18_59",
                 "age_60_plus", "disability", "indigenous_language"]
SCHOOL_GROUPS = ["age_3_5", "age_6_11", "age_12_14", "age_15_17"]
DWELLING_LEVELS = ["destroyed", "uninhabitable", "severe", "partial", "minor"]


def state_of(key: str) -> str:
    return str(key)[: LEVEL_KEY_LENGTH["ent"]]


def municipio_of(key: str) -> str:
    key = str(key)
    return key[: LEVEL_KEY_LENGTH["mun"]] if len(key) >= LEVEL_KEY_LENGTH["mun"] else key


def events_frame(summaries: Sequence[EventSummary]) -> pd.DataFrame:
    """One row per event: id, name, hazard type, dates, GLIDE."""
    rows = [{k: s.meta.get(k) for k in ("event_id", "name", "hazard_type", "start", "end", "glide")} for s in summaries]
    return pd.DataFrame(rows, columns=["event_id", "name", "hazard_type", "start", "end", "glide"])


def flows_table(summaries: Sequence[EventSummary], year: int) -> pd.DataFrame:
    """Every event's flows counted in ``year``, per unit, with ``hazard_type`` and ``cve_ent``."""
    parts = [rules.event_flows(s.figures, s.event_id, s.meta["start"], s.meta.get("end")) for s in summaries]
    parts = [p for p in parts if len(p)]
    flows = rules.year_flows(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=rules.FLOW_COLUMNS[:8]), year)
    flows = flows[(flows["central"].astype(float) > 0) | (flows["high"].astype(float) > 0)].reset_index(drop=True)
    hazard = {s.event_id: s.meta["hazard_type"] for s in summaries}
    flows["hazard_type"] = flows["event_id"].map(hazard)
    flows["cve_ent"] = flows["cvegeo"].map(state_of)
    for c in RANGE:
        flows[c] = flows[c].astype(float)
    return flows


def stock_table(summaries: Sequence[EventSummary], year: int) -> pd.DataFrame:
    """Every event's IDPs on 31 December of ``year``, per unit (never from flows)."""
    parts = []
    for s in summaries:
        if s.start().year > year:
            continue
        ye = s.meta.get("year_end") or {}
        parts.append(rules.year_end_stock(s.event_id, s.figures, s.household, s.shelters, year,
                                          rebuilt=ye.get("rebuilt"), ended=ye.get("ended")))
    parts = [p for p in parts if len(p)]
    stock = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({c: pd.Series(dtype=object) for c in rules.STOCK_COLUMNS})
    stock["cve_ent"] = stock["cvegeo"].map(state_of)
    for c in RANGE:
        stock[c] = stock[c].astype(float)
    return stock


def unit_names(summaries: Sequence[EventSummary]) -> dict[str, str]:
    names: dict[str, str] = {}
    for s in summaries:
        names.update(dict(zip(s.names["cvegeo"].astype(str), s.names["name"].astype(str))))
    return names


def municipio_event_table(flows: pd.DataFrame, stock: pd.DataFrame, summaries: Sequence[EventSummary], year: int) -> pd.DataFrame:
    """One row per municipio x event x year: the flow (low/central/high) and the year-end stock.

    Two events in one municipio are two rows: two flows.
    """
    names = unit_names(summaries)
    ev = events_frame(summaries).set_index("event_id")
    f = flows.assign(municipio=flows["cvegeo"].map(municipio_of))
    s = stock.assign(municipio=stock["cvegeo"].map(municipio_of))
    keys = ["event_id", "municipio"]
    fl = f.groupby(keys, as_index=False).agg(month=("month", "min"), modelled=("modelled", "all"),
                                             low=("low", "sum"), central=("central", "sum"), high=("high", "sum"))
    st = rules.sum_range(s, keys).rename(columns={c: f"stock_{c}" for c in RANGE})
    out = fl.merge(st, on=keys, how="outer")
    out.insert(0, "year", year)
    out["event_name"] = out["event_id"].map(ev["name"])
    out["hazard_type"] = out["event_id"].map(ev["hazard_type"])
    out["cve_ent"] = out["municipio"].map(state_of)
    out["state"] = out["cve_ent"].map(STATE_NAMES)
    out["name"] = out["municipio"].map(names)
    out = out.rename(columns={"municipio": "cvegeo", "low": "flow_low", "central": "flow_central", "high": "flow_high"})
    cols = ["year", "event_id", "event_name", "hazard_type", "cve_ent", "state", "cvegeo", "name", "month",
            "flow_low", "flow_central", "flow_high", "stock_low", "stock_central", "stock_high", "modelled"]
    return out[cols].sort_values(["cvegeo", "event_id"]).reset_index(drop=True)


def totals_table(flows: pd.DataFrame, stock: pd.DataFrame, year: int) -> pd.DataFrame:
    """State and national totals by hazard type and month, with their margins.

    Rows: ``level`` (state / national), ``key`` (CVE_ENT or MEX), ``hazard_type``
    (a code or ``all``), ``month`` (1-12, or 0 for the whole year), ``events``,
    flows ``low/central/high`` (observed + modelled) and ``observed_low/central/high``
    (rows the ledger marks ``modelled`` left out); the whole-year rows (``month`` 0) also carry the
    year-end stock, which is a 31 December figure and has no month.
    """
    rows = []
    observed = ~flows["modelled"].fillna(False).astype(bool)
    f = flows.assign(key_state=flows["cve_ent"], **{f"observed_{c}": flows[c].where(observed, 0.0) for c in RANGE})
    for level, key_col in ((STATE, "key_state"), (NATIONAL, None)):
        base = f.assign(key=f[key_col] if key_col else ISO3)
        for hz in (True, False):
            for by_month in (True, False):
                by = ["key"] + (["hazard_type"] if hz else []) + (["month"] if by_month else [])
                if base.empty:
                    continue
                g = base.groupby(by, as_index=False)
                sums = g[[*RANGE, *OBSERVED]].sum(min_count=1)
                sums["events"] = g["event_id"].nunique()["event_id"].to_numpy()
                if not hz:
                    sums["hazard_type"] = ALL
                if not by_month:
                    sums["month"] = 0
                sums["level"] = level
                rows.append(sums)
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["level", "key", "hazard_type", "month", "events", *RANGE])
    st = stock.assign(key=stock["cve_ent"])
    stock_rows = []
    for level in (STATE, NATIONAL):
        base = st if level == STATE else st.assign(key=ISO3)
        if base.empty:
            continue
        s_all = rules.sum_range(base, ["key"]).assign(hazard_type=ALL, month=0, level=level)
        hz = base.assign(hazard_type=base["event_id"].map(dict(zip(flows["event_id"], flows["hazard_type"]))))
        stock_rows.append(s_all)
        stock_rows.append(rules.sum_range(hz.dropna(subset=["hazard_type"]), ["key", "hazard_type"]).assign(month=0, level=level))
    if stock_rows:
        stocks = pd.concat(stock_rows, ignore_index=True).rename(columns={c: f"stock_{c}" for c in RANGE})
        out = out.merge(stocks, on=["level", "key", "hazard_type", "month"], how="outer")
    else:
        for c in RANGE:
            out[f"stock_{c}"] = np.nan
    out["events"] = out["events"].fillna(0).astype(int)
    out.insert(0, "year", year)
    out["name"] = [COUNTRY_NAME if lv == NATIONAL else STATE_NAMES.get(k, "") for lv, k in zip(out["level"], out["key"])]
    for c in OBSERVED:
        if c not in out.columns:
            out[c] = np.nan
    cols = ["year", "level", "key", "name", "hazard_type", "month", "events", *RANGE, *OBSERVED, *[f"stock_{c}" for c in RANGE]]
    order = {NATIONAL: 0, STATE: 1}
    out = out.assign(_o=out["level"].map(order), _h=(out["hazard_type"] != ALL))
    return out.sort_values(["_o", "key", "_h", "hazard_type", "month"])[cols].reset_index(drop=True)


def _event_name(summary: EventSummary, names: dict[str, str]) -> str:
    """GIDD-style name: 'Mexico: Storm - Guerrero, Oaxaca (Acapulco, Coyuca) - 24/10/2023'."""
    hazard = GIDD_NAME_WORDS.get(summary.meta["hazard_type"]) or GIDD_HAZARDS.get(summary.meta["hazard_type"], ("",) * 8)[5]
    mine = rules.event_flows(summary.figures, summary.event_id, summary.meta["start"], summary.meta.get("end"))
    per_mun = mine.assign(m=mine["cvegeo"].map(municipio_of)).groupby("m")["central"].sum().sort_values(ascending=False)
    states = sorted({state_of(k) for k in per_mun.index[per_mun > 0]})
    where = ", ".join(STATE_NAMES.get(s, s) for s in states)
    top = [names.get(m, m) for m in per_mun.index[per_mun > 0][:3]]
    start = summary.start()
    label = f"{COUNTRY_NAME}: {hazard}"
    if where:
        label += f" - {where}" + (f" ({', '.join(top)})" if top else "")
    return f"{label} - {start:%d/%m/%Y}"


def gidd_table(summaries: Sequence[EventSummary], flows: pd.DataFrame, stock: pd.DataFrame, year: int) -> pd.DataFrame:
    """HDX's GIDD disaster-events layout: one row per event with a flow counted in ``year``
    or IDPs on 31 December, then the country-year total.

    ``new_displacement`` is the event's flows (central) in whole people,
    ``total_displacement`` its year-end stock (central; empty when none), each with
    IDMC's rounded variant (:func:`geodisp.outputs.rounding.round_display`, the same function the event tables use). The total row sums the event rows'
    raw values and leaves hazard and event columns empty.
    """
    names = unit_names(summaries)
    flow_by = flows.groupby("event_id")["central"].sum()
    stock_by = stock.groupby("event_id")["central"].sum() if len(stock) else pd.Series(dtype=float)
    rows = []
    for s in sorted(summaries, key=lambda s: (s.meta["start"], s.meta.get("end") or "", s.event_id)):
        new = flow_by.get(s.event_id)
        total = stock_by.get(s.event_id)
        total = total if total is not None and total > 0 else None
        if new is None and total is None:
            continue
        codes = GIDD_HAZARDS.get(s.meta["hazard_type"], (None,) * 8)
        end = s.end()
        rows.append({
            "iso3": ISO3, "country_name": COUNTRY_NAME, "year": year,
            "start_date": s.start().isoformat(), "start_date_accuracy": "Day",
            "end_date": end.isoformat() if end else "", "end_date_accuracy": "Day" if end else "",
            "event_name": _event_name(s, names),
            "hazard_category": codes[0], "hazard_category_name": codes[1],
            "hazard_sub_category": codes[2], "hazard_sub_category_name": codes[3],
            "hazard_type": codes[4], "hazard_type_name": codes[5],
            "hazard_sub_type": codes[6], "hazard_subtype_name": codes[7],
            "new_displacement": int(round(new)) if new is not None else None,
            "new_displacement_rounded": round_display(new) if new is not None else None,
            "total_displacement": int(round(total)) if total is not None else None,
            "total_displacement_rounded": round_display(total) if total is not None else None,
            "event_codes": s.meta.get("glide") or "",
        })
    table = pd.DataFrame(rows, columns=GIDD_COLUMNS)
    new_sum = float(flows["central"].sum()) if len(flows) else 0.0
    stock_sum = float(stock["central"].sum()) if len(stock) else 0.0
    total_row = {c: None for c in GIDD_COLUMNS}
    total_row.update({
        "iso3": ISO3, "country_name": COUNTRY_NAME, "year": year,
        "start_date": dt.date(year, 1, 1).isoformat(), "start_date_accuracy": "Year",
        "end_date": dt.date(year, 12, 31).isoformat(), "end_date_accuracy": "Year",
        "event_name": f"{COUNTRY_NAME}: Total - {year}",
        "new_displacement": int(round(new_sum)), "new_displacement_rounded": round_display(new_sum),
        "total_displacement": int(round(stock_sum)) if stock_sum > 0 else None,
        "total_displacement_rounded": round_display(stock_sum) if stock_sum > 0 else None,
        "event_codes": "",
    })
    table = pd.concat([table, pd.DataFrame([total_row], columns=GIDD_COLUMNS)], ignore_index=True)
    for c in ("year", "hazard_category", "hazard_sub_category", "hazard_type", "hazard_sub_type", "new_displacement",
              "new_displacement_rounded", "total_displacement", "total_displacement_rounded"):
        table[c] = table[c].astype("Int64")
    return table


def with_hxl(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as text with the HXL hashtag row under its header."""
    tags = pd.DataFrame([{c: GIDD_HXL.get(c, "") for c in table.columns}])
    return pd.concat([tags, table.astype(object).where(table.notna(), "")], ignore_index=True)


def _by_level(frame: pd.DataFrame, group_cols: list[str]) -> pd.DataFrame:
    """``frame`` (with ``cve_ent``) summed per state and nationally, for each of ``group_cols``."""
    parts = []
    if frame.empty:
        return pd.DataFrame(columns=["level", "key", "name", *group_cols, *RANGE])
    s = rules.sum_range(frame, ["cve_ent", *group_cols]).rename(columns={"cve_ent": "key"}).assign(level=STATE)
    n = rules.sum_range(frame, group_cols).assign(key=ISO3, level=NATIONAL)
    parts = [n, s]
    out = pd.concat(parts, ignore_index=True)
    out["name"] = [COUNTRY_NAME if lv == NATIONAL else STATE_NAMES.get(k, "") for lv, k in zip(out["level"], out["key"])]
    return out[["level", "key", "name", *group_cols, *RANGE]]


def _counted_figures(summaries: Sequence[EventSummary], flows: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Figure rows whose metric starts with ``prefix`` for the (event, unit) pairs whose flow counts in the year."""
    counted = set(zip(flows["event_id"], flows["cvegeo"]))
    parts = []
    for s in summaries:
        f = s.figures[s.figures["metric"].astype(str).str.startswith(prefix)]
        f = f[[(s.event_id, k) in counted for k in f["cvegeo"].astype(str)]]
        if len(f):
            parts.append(f.assign(event_id=s.event_id))
    if not parts:
        return pd.DataFrame(columns=["event_id", "cvegeo", "metric", *RANGE, "method"])
    out = pd.concat(parts, ignore_index=True)
    out["cve_ent"] = out["cvegeo"].astype(str).map(state_of)
    for c in RANGE:
        out[c] = pd.to_numeric(out[c], errors="coerce")
    return out


def _counted_events(summaries: Sequence[EventSummary], year: int) -> list[EventSummary]:
    return [s for s in summaries if rules.figure_year(s.meta["start"], s.meta.get("end")) == year]


def sectoral_tables(summaries: Sequence[EventSummary], flows: pd.DataFrame, year: int) -> dict[str, pd.DataFrame]:
    """Cross-sectoral tables of the year, per state and national.

    - ``people``: displaced people by sex, census age group, 60 and over, disability
      and indigenous language (``estimate`` = ``census_shares``: displaced x the
      group's census share of the unit);
    - ``school_ages``: the education ages 3-5, 6-11, 12-14, 15-17 (same estimate);
    - ``housing``: dwellings by damage level (observed counts of the damage census);
    - ``facilities``: schools, health centres and other facility types in each
      event's footprint (hazard class 1 or more) and in units with displacement
      (central > 0), counted once per event (a school hit by two events counts twice).
    """
    people = _counted_figures(summaries, flows, "displaced_")
    people = people.assign(group=people["metric"].str.replace("displaced_", "", regex=False))
    people = people[people["group"].isin(PEOPLE_GROUPS)]
    out: dict[str, pd.DataFrame] = {}
    for name, groups in (("people", PEOPLE_GROUPS), ("school_ages", SCHOOL_GROUPS)):
        t = _by_level(people[people["group"].isin(groups)], ["group"])
        t["group"] = pd.Categorical(t["group"], categories=groups, ordered=True)
        t = t.sort_values(["level", "key", "group"], key=lambda c: c.map({NATIONAL: 0, STATE: 1}) if c.name == "level" else c)
        t["group"] = t["group"].astype(str)
        t["estimate"] = "census_shares"
        out[name] = t.reset_index(drop=True).assign(year=year)
    counted = {s.event_id for s in _counted_events(summaries, year)}
    dwell_parts = []
    fac_parts = []
    for s in summaries:
        if s.event_id not in counted:
            continue
        f = s.figures
        units = f["cvegeo"].astype(str)
        d = f[f["metric"].isin([f"dwellings_{lv}" for lv in DWELLING_LEVELS])]
        if len(d):
            dwell_parts.append(pd.DataFrame({"cve_ent": d["cvegeo"].astype(str).map(state_of),
                                             "damage_level": d["metric"].str.replace("dwellings_", "", regex=False),
                                             **{c: pd.to_numeric(d[c], errors="coerce") for c in RANGE}}))
        fac = f[f["metric"].astype(str).str.startswith("facilities_")]
        if len(fac):
            displaced = f[(f["metric"] == rules.FLOW_METRIC) & (pd.to_numeric(f["central"], errors="coerce") > 0)]
            with_people = set(displaced["cvegeo"].astype(str))
            m = fac["metric"].astype(str).str.extract(r"^facilities_(?P<type>.+?)(?:_class_(?P<cls>\d+))?$")
            in_fp = fac[m["cls"].notna().to_numpy()]
            in_fp_type = m.loc[m["cls"].notna(), "type"]
            whole = fac[m["cls"].isna().to_numpy()]
            whole_type = m.loc[m["cls"].isna(), "type"]
            whole_keys = whole["cvegeo"].astype(str)
            for where, frame, types in (
                ("footprint", in_fp, in_fp_type),
                ("displacement_units", whole[whole_keys.isin(with_people).to_numpy()], whole_type[whole_keys.isin(with_people).to_numpy()]),
            ):
                if len(frame):
                    fac_parts.append(pd.DataFrame({"cve_ent": frame["cvegeo"].astype(str).map(state_of).to_numpy(),
                                                   "facility_type": types.to_numpy(), "where": where,
                                                   **{c: pd.to_numeric(frame[c], errors="coerce").to_numpy() for c in RANGE}}))
        del units
    dwell = pd.concat(dwell_parts, ignore_index=True) if dwell_parts else pd.DataFrame(columns=["cve_ent", "damage_level", *RANGE])
    out["housing"] = _by_level(dwell, ["damage_level"]).assign(estimate="observed", year=year)
    fac = pd.concat(fac_parts, ignore_index=True) if fac_parts else pd.DataFrame(columns=["cve_ent", "facility_type", "where", *RANGE])
    out["facilities"] = _by_level(fac, ["where", "facility_type"]).assign(estimate="observed", year=year)
    return out


def gaps_table(summaries: Sequence[EventSummary], failures: Iterable[EventFailure], year: int) -> pd.DataFrame:
    """Countrywide data gaps, one row each: ``event_id, cve_ent, state, cvegeo, name, gap, count``.

    ``gap`` codes (words in the message catalogue, ``gap_<code>``):
    ``hit_without_records`` (a municipio in the footprint, or with damaged housing,
    with no evacuation or shelter record), ``event_without_records``,
    ``records_without_keys`` / ``records_without_dates`` (per event and state:
    records rejected for their municipio, or without a date), ``event_failed``.
    """
    rows = []
    names = unit_names(summaries)
    for s in summaries:
        f = s.figures
        val = pd.to_numeric(f["central"], errors="coerce")
        hit = set(f.loc[f["metric"].astype(str).str.match(r"^exposed_class_\d+$") & (val > 0), "cvegeo"].astype(str))
        hit |= set(f.loc[f["metric"].isin([f"dwellings_{lv}" for lv in DWELLING_LEVELS]) & (val > 0), "cvegeo"].astype(str))
        recorded = set(s.evacuations["cvegeo"].astype(str)) | set(s.shelters["cvegeo"].astype(str))
        for key in sorted(hit - recorded):
            mun = municipio_of(key)
            rows.append({"event_id": s.event_id, "cve_ent": state_of(key), "cvegeo": mun, "name": names.get(mun, ""),
                         "gap": "hit_without_records", "count": 1})
        if not (s.meta.get("has_evacuations") or s.meta.get("has_shelters")) or (len(s.evacuations) + len(s.shelters) == 0):
            states = sorted({state_of(k) for k in hit}) or [""]
            for st in states:
                rows.append({"event_id": s.event_id, "cve_ent": st, "cvegeo": "", "name": "", "gap": "event_without_records", "count": 1})
        states = sorted({state_of(k) for k in hit} | {state_of(k) for k in recorded}) or [""]
        for kind, gap in (("unit", "records_without_keys"), ("date", "records_without_dates")):
            n = sum(v.get(kind, 0) for v in s.record_issues.values())
            if n:
                for st in states:
                    rows.append({"event_id": s.event_id, "cve_ent": st, "cvegeo": "", "name": "", "gap": gap, "count": n})
    for fail in failures:
        rows.append({"event_id": fail.event_id, "cve_ent": "", "cvegeo": "", "name": "", "gap": "event_failed", "count": 1})
    out = pd.DataFrame(rows, columns=["event_id", "cve_ent", "cvegeo", "name", "gap", "count"])
    out.insert(2, "state", out["cve_ent"].map(lambda k: STATE_NAMES.get(k, "")))
    out.insert(0, "year", year)
    return out


def municipio_year(flows: pd.DataFrame, stock: pd.DataFrame) -> pd.DataFrame:
    """Per municipio: displaced (flows summed over events, low/central/high), ``events``
    (how many flows) and the year-end stock: the choropleth's values."""
    f = flows.assign(cvegeo=flows["cvegeo"].map(municipio_of))
    s = stock.assign(cvegeo=stock["cvegeo"].map(municipio_of))
    g = f.groupby("cvegeo")
    out = g[RANGE].sum(min_count=1).rename(columns={"low": "displaced_low", "central": "displaced", "high": "displaced_high"})
    out["events"] = g.apply(lambda x: int((x.groupby("event_id")["central"].sum() > 0).sum()), include_groups=False)
    st = s.groupby("cvegeo")[RANGE].sum(min_count=1).rename(columns={"low": "stock_low", "central": "stock", "high": "stock_high"})
    out = out.join(st, how="outer")
    out["events"] = out["events"].fillna(0).astype(int)
    return out.reset_index()


def events_table(summaries: Sequence[EventSummary], failures: Sequence[EventFailure], flows: pd.DataFrame,
                 stock: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per catalogue event: dates, the year its flows count in, states, flows and stock, status."""
    rows = []
    for s in summaries:
        counted_in = rules.figure_year(s.meta["start"], s.meta.get("end"))
        mine = flows[flows["event_id"] == s.event_id]
        st = stock[stock["event_id"] == s.event_id] if len(stock) else stock
        states = sorted({state_of(k) for k in mine.loc[mine["central"] > 0, "cvegeo"]})
        rows.append({
            "year": year, "event_id": s.event_id, "event_name": s.meta["name"], "hazard_type": s.meta["hazard_type"],
            "start_date": s.meta["start"], "end_date": s.meta.get("end") or "", "counts_in_year": counted_in,
            "states": ",".join(states), "municipios": int(mine.loc[mine["central"] > 0, "cvegeo"].map(municipio_of).nunique()),
            **{f"flow_{c}": float(mine[c].sum()) if len(mine) else (0.0 if counted_in == year else np.nan) for c in RANGE},
            **{f"stock_{c}": float(st[c].sum()) if len(st) else 0.0 for c in RANGE},
            "status": "ok", "problem": "",
        })
    for f in failures:
        rows.append({"year": year, "event_id": f.event_id, "status": f"failed_{f.kind}", "problem": f.message})
    return pd.DataFrame(rows)


def year_tables(summaries: Sequence[EventSummary], failures: Sequence[EventFailure], year: int) -> dict[str, pd.DataFrame]:
    """Every table of the year, by name (see the module docstring)."""
    flows = flows_table(summaries, year)
    stock = stock_table(summaries, year)
    out = {
        "flows": flows,
        "stock": stock,
        "events": events_table(summaries, failures, flows, stock, year),
        "gidd": gidd_table(summaries, flows, stock, year),
        "municipio_event": municipio_event_table(flows, stock, summaries, year),
        "municipio_year": municipio_year(flows, stock),
        "totals": totals_table(flows, stock, year),
        "gaps": gaps_table(summaries, failures, year),
    }
    out.update({f"sectoral_{k}": v for k, v in sectoral_tables(summaries, flows, year).items()})
    return out

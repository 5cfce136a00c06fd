"""Spanish from end to end, English on request: every message renders in both languages, and the
outputs of a real run in one language carry no sentence of the other."""
from __future__ import annotations

import html as html_lib
import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pytest
from openpyxl import load_workbook

import geodisp
from geodisp.demo import DemoFiles
from geodisp.outputs import i18n
from geodisp.outputs.catalogue import CATALOGUE

#: Texts that are the same in both languages (numbers, symbols, acronyms, borrowed words).
SAME = {"zero", "range", "scale_km", "glide", "cli_central", "no", "cli_error", "event_id"} - {"event_id"}


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_renders_in_both_languages(key: str) -> None:
    es, en = CATALOGUE[key]
    assert _fields(es) == _fields(en), key
    values = {f: f"<{f}>" for f in _fields(es)}
    shown = {lang: i18n.language(lang).t(key, **values) for lang in ("es", "en")}
    assert all(shown.values()) and "{" not in "".join(shown.values())
    if key not in SAME:
        assert shown["es"] != shown["en"], key


def test_message_codes_render_from_table_cells_in_both_languages() -> None:
    cell = i18n.encode("flag_sources_differ", factor=3, figures="evacuated:202;displaced_housing:32")
    assert i18n.language("es").message(cell) == "las fuentes difieren en más de ×3: Personas evacuadas 202, Desplazados según vivienda 32"
    assert i18n.language("en").message(cell) == "sources differ by more than ×3: People evacuated 202, Displaced, housing method 32"
    assert i18n.language("en").message(i18n.note("no_map")) == "Map not drawn: no units layer."
    assert i18n.language("es").message("texto libre de antes") == "texto libre de antes"  # not a code: kept as it is


# ----------------------------------------------------------------------------- scanning a run's outputs

#: Words that mark an English sentence (none is a Spanish word).
ENGLISH = re.compile(r"\b(the|and|with|from|which|were|was|this|that|people|dwellings?|households?|shelters?|units?|damage[ds]?|"
                     r"figures?|displaced|sources|differ|records?|missing|duplicate|outside|swapped|dropped|column|level|row|"
                     r"not recognised|written|drawn)\b", re.IGNORECASE)
#: Words that mark a Spanish sentence (none is an English word).
SPANISH = re.compile(r"\b(el|la|los|las|del|con|por|para|personas|viviendas|hogares|albergues?|daño|según|sin|cifras?|unidad(es)?|"
                     r"desplazad[oa]s?|evacuad[oa]s?|fuente|motivo|clase|registros?|columna|fila)\b", re.IGNORECASE)


def _proper_names(result) -> list[str]:
    """Names that are data, not sentences: units, the event, INEGI's products, facility types, labels."""
    names = [str(n) for n in result.units["name"]] + [result.event.event.name, "Marco Geoestadístico",
                                                      "Censo de Población y Vivienda 2020", "Protección Civil"]
    if result.sources.facilities is not None and "type" in result.sources.facilities:
        names += [str(t) for t in result.sources.facilities["type"].dropna().unique()] + [
            str(t).replace("_", " ") for t in result.sources.facilities["type"].dropna().unique()]
    return sorted(set(names), key=len, reverse=True)


def _texts(paths: dict[str, Path]) -> dict[str, list[str]]:
    """What a person reads in each output, by file."""
    out: dict[str, list[str]] = {}
    report = paths["report"].read_text(encoding="utf-8")
    report = re.sub(r"<style>.*?</style>|<img[^>]*>", " ", report, flags=re.S)
    out["report"] = [html_lib.unescape(t).strip() for t in re.split(r"<[^>]+>", report) if t.strip()]
    out["notes"] = paths["notes"].read_text(encoding="utf-8").splitlines()
    root = ET.parse(paths["project"]).getroot()
    out["project"] = ([e.text or "" for e in root.iter("layername")] + [e.get("name", "") for e in root.iter("alias")]
                      + [e.get("label", "") for e in root.iter("category")] + [e.get("label", "") for e in root.iter("range")]
                      + [e.get("labelText", "") for e in root.iter("LayoutItem") if e.get("labelText")]
                      + [e.get("title", "") for e in root.iter("LayoutItem") if e.get("title")])
    units = pyogrio.read_dataframe(paths["geopackage"], layer="units", read_geometry=False)
    out["geopackage"] = [str(v) for v in units["flag_reason"].dropna()]
    out["geopackage calculation"] = [str(v) for v in units["calculation"].dropna().unique()]
    out["geopackage source"] = [_without_files(v) for v in units["source"].dropna().unique()]
    states = pyogrio.read_dataframe(paths["geopackage"], layer="states", read_geometry=False)
    out["geopackage states"] = [str(v) for c in ("flag_reason", "calculation") if c in states for v in states[c].dropna()]
    wb = load_workbook(paths["figures_xlsx"], read_only=True)
    out["xlsx headers"] = [str(c.value) for ws in wb.worksheets for c in next(ws.iter_rows(max_row=1))]
    out["xlsx calculation"] = _xlsx_column(wb, "calculation")
    import pandas as pd

    figures = pd.read_csv(paths["figures_csv"], encoding="utf-8-sig")
    out["figures calculation"] = [str(v) for v in figures["calculation"].dropna().unique()]
    out["figures source"] = [_without_files(v) for v in figures["source"].dropna().unique()]
    out["figures names"] = [str(v) for v in figures.loc[figures["level"] == "outside", "name"].dropna().unique()]
    if "gidd_csv" in paths:
        gidd = pd.read_csv(paths["gidd_csv"], encoding="utf-8-sig", skiprows=[1])
        out["gidd calculation"] = [str(v) for v in gidd["calculation"].dropna().unique()]

    rejects = pd.read_csv(paths["rejects"], encoding="utf-8-sig")
    out["rejects reasons"] = [str(r) for r in rejects["reason"].dropna().unique()]
    out["rejects records"] = [str(r) for r in rejects["record"].dropna().unique()]
    return out


def _xlsx_column(wb, code: str) -> list[str]:
    """Distinct values of the column whose header comment holds ``code``, on every sheet."""
    values: set[str] = set()
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        hits = [i for i, h in enumerate(header) if h in (i18n.field_alias(code, "es"), i18n.field_alias(code, "en"), code)]
        for row in rows:
            values.update(str(row[i]) for i in hits if i < len(row) and row[i] not in (None, "") and not str(row[i]).startswith("#"))
    return sorted(values)


#: Codes, not words: a note's YAML path (``damage:``, ``facilities[0]:``).
CODES = re.compile(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+)?: ")


def _offending(texts: dict[str, list[str]], words: re.Pattern, names: list[str]) -> dict[str, list[str]]:
    bad = {}
    for where, lines in texts.items():
        hits = []
        for line in lines:
            clean = CODES.sub(" ", line)
            for name in names:
                clean = clean.replace(name, " ")
            if words.search(clean):
                hits.append(line)
        if hits:
            bad[where] = hits[:5]
    return bad


@pytest.fixture(scope="module")
def runs(small_demo: DemoFiles, tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("language")
    result = geodisp.run(small_demo.event, out=tmp / "es", lang="es")
    en = geodisp.write(result, tmp / "en", "en")
    return result, result.paths, en


def _readers_texts(result, lang: str) -> set[str]:
    """The readers' notes and reject reasons as the writers render them."""
    from geodisp.outputs.report import reject_reasons

    ui = i18n.language(lang)
    return {ui.message(n) for n in result.notes} | set(reject_reasons(result.rejects, ui)) if result.rejects is not None else set()


def _without(texts: dict[str, list[str]], drop: set[str]) -> dict[str, list[str]]:
    return {k: [t for t in v if t not in drop] for k, v in texts.items()}


def test_every_calculation_is_made_of_catalogue_codes(runs) -> None:
    """The ledger's calculation cells hold message codes only (rendered at the edge), every one in the catalogue."""
    from geodisp.model.messages import split

    result, _, _ = runs
    codes = {m.code for cell in result.figures["calculation"] for m in split(cell)}
    assert codes and codes <= set(CATALOGUE), sorted(codes - set(CATALOGUE))
    assert {"calc_flow", "calc_rec_observed", "calc_decided_by"} <= codes


def test_calculations_render_in_the_runs_language(runs) -> None:
    """The same figure's calculation, in Spanish in the Spanish run and in English in the English one."""
    import pandas as pd

    _, es, en = runs
    read = {lang: pd.read_csv(p["figures_csv"], encoding="utf-8-sig").set_index(["cvegeo", "metric"])["calculation"]
            for lang, p in (("es", es), ("en", en))}
    key = read["es"].index[read["es"].str.contains("decidido por", na=False)][0]
    assert "cuenta desplazamientos (un flujo" in read["es"][key]
    assert "decided by “" in read["en"][key] and "counts displacements (a flow" in read["en"][key]


def test_spanish_writers_text_carries_no_english_sentence(runs) -> None:
    """Everything the writers word themselves: report, map and layout texts, legends, aliases, headers, flags."""
    result, es, _ = runs
    assert _offending(_without(_texts(es), _readers_texts(result, "es")), ENGLISH, _proper_names(result)) == {}


def _without_files(source: object) -> str:
    """A ``source`` cell without its input file names (names, in whatever language the files have)."""
    return re.sub(r"[\w.-]+\.(csv|gpkg|tif|tiff|xlsx|xls|shp|geojson|json|xml|txt)\b", " ", str(source))


def test_spanish_outputs_carry_no_english_sentence(runs) -> None:
    """Everything, the readers' notes and reject reasons included."""
    result, es, _ = runs
    texts = _texts(es)
    assert texts["rejects records"] and all(re.fullmatch(r"(fila|elemento) \d+", r) for r in texts["rejects records"])
    assert all(texts[k] for k in ("geopackage calculation", "figures calculation", "xlsx calculation", "gidd calculation",
                                  "figures source", "geopackage source"))
    assert any("tamaño del hogar" in s for s in texts["figures source"])  # the household size's source, in words
    assert _offending(texts, ENGLISH, _proper_names(result)) == {}


def test_english_outputs_carry_no_spanish_sentence(runs) -> None:
    result, _, en = runs
    assert _offending(_texts(en), SPANISH, _proper_names(result)) == {}


@pytest.mark.chromium
def test_a_real_runs_report_prints_on_one_a4_page(runs, tmp_path) -> None:
    """The demo's report (notes, rejects, flagged units and all) printed by headless Chromium."""
    import shutil
    import subprocess

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("headless Chromium not installed (apt-get install chromium)")
    for lang, paths in (("es", runs[1]), ("en", runs[2])):
        pdf = tmp_path / f"report-{lang}.pdf"
        run = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                              f"--user-data-dir={tmp_path / ('profile-' + lang)}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                              paths["report"].as_uri()], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0 and pdf.exists(), run.stderr[-2000:]
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) == 1, lang


@pytest.mark.parametrize("lang, row, feature", [("es", "fila 6001", "elemento 3"), ("en", "row 6001", "feature 3")])
def test_rejects_name_their_records_in_the_runs_language(lang: str, row: str, feature: str) -> None:
    import pandas as pd

    from geodisp.outputs import readable_rejects

    rejects = pd.DataFrame({"source": ["damage", "hazard"], "file": ["/home/ana/casas.csv", "ems.shp"],
                            "record": ["row 6001", "feature 3"], "reason": ["duplicate?first=row+3", "x"]})
    shown = readable_rejects(rejects, lang)
    assert shown["record"].tolist() == [row, feature]
    assert shown["file"].tolist() == ["casas.csv", "ems.shp"]

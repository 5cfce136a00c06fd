"""Rounding for display and the es/en message catalogue."""
from __future__ import annotations

import pytest

from geodisp.outputs import i18n
from geodisp.outputs.rounding import format_number, round_display, rounded_total


@pytest.mark.parametrize("value, shown", [
    # up to 100 as it is (to the whole person)
    (0, 0), (4.9, 5), (48.6, 49), (100, 100),
    # up to 1,000 to the nearest 10
    (100.4, 100), (104, 100), (106, 110), (994, 990), (995, 1000), (1000, 1000),
    # below 10,000 to the nearest 100
    (1000.4, 1000), (1049.9, 1000), (1234.4, 1200), (9949, 9900), (9950, 10000),
    # from 10,000 to the nearest 1,000
    (10_000, 10_000), (12_345, 12_000), (25_185, 25_000), (-12_345, -12_000),
])
def test_round_display_as_idmc_publishes(value, shown):
    assert round_display(value) == shown


def test_halves_go_to_the_even_neighbour_as_in_the_gidd():
    """The GIDD's HDX export publishes new_displacement 3,250 as 3,200 (AFG earthquake, 17/04/2008) and
    25,185 as 25,000; Helix rounds with Python's round, which sends halves to the even neighbour."""
    assert [round_display(v) for v in (3250, 3350, 24.5, 35.5, 125, 135, 12_500, 13_500)] == [
        3200, 3400, 24, 36, 120, 140, 12_000, 14_000]


def test_total_is_rounded_from_raw_not_summed_from_rounded_parts():
    parts = [140.4, 140.4, 140.4]  # each shows as 140; the sum of the shown parts would be 420
    assert [round_display(p) for p in parts] == [140, 140, 140]
    assert rounded_total(parts) == 420  # 421.2 rounded
    assert rounded_total([344.0, 344.0, 344.0]) == 1000  # 1,032 rounded; the parts show 340 each (1,020)
    assert rounded_total([float("nan"), None]) is None
    assert rounded_total([1234.4, 56.0, 0.0, float("nan")]) == 1300


def test_format_number_uses_comma_thousands_and_dash_for_missing():
    assert format_number(12_345.6) == "12,000"
    assert format_number(1_234.5) == "1,200"
    assert format_number(12_345.6, rounded=False) == "12,346"
    assert format_number(float("nan")) == "–"


def test_catalogues_have_the_same_keys_and_placeholders():
    import string
    es, en = i18n.MESSAGES["es"], i18n.MESSAGES["en"]
    assert set(es) == set(en)
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    assert all(fields(es[k]) == fields(en[k]) for k in es)
    assert set(i18n.FIELD_ALIASES["es"]) == set(i18n.FIELD_ALIASES["en"])


def test_spanish_is_the_default_and_english_on_request():
    assert i18n.t("legend_title") == "Personas desplazadas (estimación central)"
    assert i18n.t("legend_title", "en") == "People displaced (central estimate)"
    assert i18n.t("source_line", credit=i18n.t("credit_inegi"), sources="X", date="2026-10-01").startswith("Fuente: INEGI")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.t("legend_title", "fr")


def test_field_aliases_cover_pattern_columns():
    assert i18n.field_alias("exposed_class_3") == "Personas expuestas, clase 3"
    assert i18n.field_alias("exposed_class_3", "en") == "People exposed, class 3"
    assert i18n.field_alias("dwellings_destroyed") == "Viviendas destruidas"
    assert i18n.field_alias("dwellings_none", "en") == "Dwellings: No damage"
    assert i18n.field_alias("displaced_low") == "Personas desplazadas (mínimo)"
    assert i18n.field_alias("evacuated_high", "en") == "People evacuated (high)"
    assert i18n.field_alias("no_such_column") == "Campo «no_such_column»"  # never left without an alias
    assert i18n.field_alias("facilities_escuela_class_2_high", "en") == "Facilities: escuela, class 2 (high)"
    assert i18n.field_alias("displaced_age_60_plus") == "Personas desplazadas: 60 años o más"


def test_notes_are_translated_when_shown():
    n = i18n.note("unit_not_drawn", key="12001", value="10")
    assert i18n.note_text(n).startswith("Unidad 12001: 10 personas desplazadas")
    assert i18n.note_text(n, "en").startswith("Unit 12001: 10 people displaced")
    with pytest.raises(KeyError):
        i18n.note("no_such_note")


@pytest.mark.parametrize("n, es, en", [
    (0, "0 registros", "0 records"), (1, "1 registro:", "1 record:"), (2, "2 registros", "2 records")])
def test_counts_take_their_singular_or_plural_in_both_catalogues(n, es, en):
    """``{n:singular|plural}``: the singular for exactly 1, the plural for 0 and 2, in both languages."""
    from geodisp.sources.messages import render

    shown = {lang: render("coords_swapped", {"count": n, "records": ["row 3"]}, lang) for lang in ("es", "en")}
    assert es in shown["es"] and en in shown["en"], shown
    assert "1 registros" not in shown["es"] and "1 records" not in shown["en"]
    writers = {lang: i18n.t("calc_sum_units", lang, n=n) for lang in ("es", "en")}
    assert writers == {"es": f"suma de {n} {'unidad' if n == 1 else 'unidades'}", "en": f"sum of {n} {'unit' if n == 1 else 'units'}"}
    verbs = {lang: render("cells_above_last_edge", {"count": n, "edge": 137}, lang) for lang in ("es", "en")}
    assert verbs["es"].endswith("queda fuera de toda clase" if n == 1 else "quedan fuera de toda clase")
    assert verbs["en"].endswith("is outside every class" if n == 1 else "are outside every class")


def test_plural_forms_accept_counts_as_message_text():
    """Parameters travel through table cells as text: '1' and '1.0' are singular, '1,000' plural."""
    cell = i18n.encode("calc_sum_units", n="1")
    assert i18n.language("es").message(cell) == "suma de 1 unidad"
    assert i18n.language("en").message(i18n.encode("calc_sum_units", n="1,000")) == "sum of 1,000 units"
    assert i18n.language("en").message(i18n.encode("calc_sum_units", n=1.0)) == "sum of 1.0 unit"

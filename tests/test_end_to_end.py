"""The demo event end to end at reduced size, checked against independent computations."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
from rasterio import features

import geodisp
from geodisp.demo import DAMAGE_WORDS, WIND_BINS, DemoFiles
from geodisp.model.errors import InputError


@pytest.fixture(scope="module")
def run_dir(small_demo: DemoFiles, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, geodisp.Result]:
    out = tmp_path_factory.mktemp("run")
    return out, geodisp.run(small_demo.event, out=out, workers=1)


def _independent_grid(files: DemoFiles) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """People, wind class and municipio index per cell, computed here with rasterio alone."""
    with rasterio.open(files.population) as src:
        people = src.read(1, masked=True).filled(0).astype("float64")
        transform, shape, crs = src.transform, src.shape, src.crs
    hazard = gpd.read_file(files.hazard).to_crs(crs).sort_values("viento_kt")
    classes = features.rasterize(
        [(g, WIND_BINS.index(int(k)) + 1) for k, g in zip(hazard["viento_kt"], hazard.geometry)],
        out_shape=shape, transform=transform, fill=0, dtype="uint8",
    )
    munis = gpd.read_file(files.boundaries).to_crs(crs)
    zones = features.rasterize(
        [(g, i + 1) for i, g in enumerate(munis.geometry)], out_shape=shape, transform=transform, fill=0, dtype="int32"
    )
    return people, classes, zones, list(munis["CVEGEO"])


def test_exposed_people_match_an_independent_rasterisation(small_demo: DemoFiles, run_dir) -> None:
    _, result = run_dir
    people, classes, zones, keys = _independent_grid(small_demo)
    exposed = result.overlay.exposed
    assert exposed["people"].sum() == pytest.approx(people.sum(), rel=1e-9)  # conservation
    by_class = exposed.groupby("hazard_class")["people"].sum()
    for k in range(5):
        assert by_class.get(k, 0.0) == pytest.approx(people[classes == k].sum(), rel=1e-6, abs=1e-6), k
    units = exposed[exposed["cvegeo"].isin(keys)].groupby("cvegeo")["people"].sum()
    for i, key in enumerate(keys, start=1):
        assert units.get(key, 0.0) == pytest.approx(people[zones == i].sum(), rel=1e-6), key


def _good_damage_rows(files: DemoFiles) -> pd.DataFrame:
    raw = pd.read_csv(files.damage, dtype=str)
    lat = pd.to_numeric(raw["latitud"], errors="coerce")
    lon = pd.to_numeric(raw["longitud"], errors="coerce")
    ok = lat.between(14, 33) & lon.between(-119, -86) & raw["nivel_dano"].isin(DAMAGE_WORDS.values())
    ok &= ~raw.duplicated()
    swapped = lon.between(14, 33) & lat.between(-119, -86) & raw["nivel_dano"].isin(DAMAGE_WORDS.values())
    return raw[ok | swapped]


def test_damage_points_used_and_rejected(small_demo: DemoFiles, run_dir) -> None:
    _, result = run_dir
    good = _good_damage_rows(small_demo)
    # one good-looking row lies at sea: outside every unit
    assert len(result.overlay.damage_points) == len(good) - 1
    counts = result.counts.set_index("source")
    raw_rows = len(pd.read_csv(small_demo.damage))
    assert counts.loc["damage", "read"] == raw_rows
    assert counts.loc["damage", "used"] + counts.loc["damage", "rejected"] == raw_rows
    assert counts.loc["damage", "rejected"] == 6
    damage_rejects = result.rejects[result.rejects["source"] == "damage"]
    assert len(damage_rejects) == 6
    dwellings = result.overlay.dwellings.groupby("damage_level")["dwellings"].sum()
    levels = good["nivel_dano"].map({v: k for k, v in DAMAGE_WORDS.items()})
    expected = levels.value_counts()
    expected[levels.iloc[0]] -= 1  # the point at sea copies the first row's damage level
    assert dwellings.sum() == len(good) - 1
    for level in DAMAGE_WORDS:
        assert dwellings.get(level, 0) == expected.get(level, 0), level


def test_unknown_municipio_in_evacuations_is_rejected(run_dir) -> None:
    _, result = run_dir
    evac = result.rejects[result.rejects["source"] == "evacuations"]
    assert len(evac) == 1 and "San Pedro Inexistente" in evac["reason"].iloc[0]


def test_outputs_reopen_through_gdal_and_add_up(run_dir) -> None:
    out, result = run_dir
    gpkg = result.paths["geopackage"]
    assert gpkg.parent == (out / "latest").resolve()  # the run's own folder, runs/<run id>
    layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert {"units", "damage_points", "hazard"} <= layers
    units = gpd.read_file(gpkg, layer="units")
    assert len(units) == len(result.units)
    for col in ("cvegeo", "displaced", "displaced_low", "displaced_high", "decided_by"):
        assert col in units.columns, col
    assert units["displaced"].sum() == pytest.approx(result.table["displaced"].sum(), rel=1e-9)
    assert (units["displaced_low"] <= units["displaced"] + 1e-9).all()
    assert (units["displaced"] <= units["displaced_high"] + 1e-9).all()
    figures = pd.read_csv(result.paths["figures_csv"], dtype={"cvegeo": str})
    displaced = figures[(figures["metric"] == "displaced") & figures["cvegeo"].str.len().eq(5)]
    assert displaced["central"].sum() == pytest.approx(units["displaced"].sum(), rel=1e-9)
    rejects = pd.read_csv(out / "latest" / "rejects.csv")
    assert len(rejects) == len(result.rejects)
    assert list(rejects.columns) == ["source", "file", "record", "reason", "reason_code", "reason_params"]


def test_no_personal_data_reaches_any_output(small_demo: DemoFiles, run_dir) -> None:
    out, _ = run_dir
    raw = pd.read_csv(small_demo.damage, dtype=str)
    needles = [raw["curp"].iloc[10], raw["telefono"].iloc[10], raw["jefe_familia"].iloc[10]]
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in needles:
                assert needle.encode() not in data, (path, needle)
    points = gpd.read_file(out / "latest" / f"{_event_id(out)}.gpkg", layer="damage_points")
    assert not {"curp", "telefono", "jefe_familia"} & set(points.columns)


def _event_id(out: Path) -> str:
    return json.loads((out / "latest" / "manifest.json").read_text())["event"]["id"]


def test_manifest_traces_every_input(small_demo: DemoFiles, run_dir) -> None:
    out, result = run_dir
    manifest = json.loads((out / "latest" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["geodisp_version"] == geodisp.__version__
    damage = manifest["inputs"]["damage"]
    assert damage["sha256"] == hashlib.sha256(small_demo.damage.read_bytes()).hexdigest()
    assert damage["bytes"] == small_demo.damage.stat().st_size
    assert {"read", "overlay", "estimate", "write"} <= set(manifest["timings_s"])
    rows = {r["source"]: r for r in manifest["rows"]}
    assert rows["damage"]["rejected"] == 6
    assert manifest["parameters"]["census"]["household_size"] == 3.6
    cache = Path(manifest["zone_cache"]["file"])  # the zone cache used, with its verified SHA-256
    assert manifest["zone_cache"]["sha256"] == hashlib.sha256(cache.read_bytes()).hexdigest()


def test_failed_run_leaves_previous_outputs_intact(small_demo: DemoFiles, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(small_demo.event.parent, inputs)
    out = tmp_path / "out"
    first = geodisp.run(inputs / "event.yaml", out=out, workers=1)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "logs" not in p.parts and p.name != ".geodisp.lock"}
    assert first.paths["geopackage"] in before

    def break_input(stage: str) -> None:  # the census file vanishes while layers are written
        if stage == "write":
            (inputs / "censo_municipal.csv").unlink()

    with pytest.raises(Exception):
        geodisp.run(inputs / "event.yaml", out=out, workers=1, on_stage=break_input)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "logs" not in p.parts and p.name != ".geodisp.lock"}
    assert after == before
    assert (out / "latest").resolve() == first.paths["geopackage"].parent
    assert not [p for p in (out / "runs").iterdir() if p.name.startswith(".")]  # no staging left


def test_unreadable_input_is_bad_input(small_demo: DemoFiles, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(small_demo.event.parent, inputs)
    (inputs / "poblacion.tif").write_bytes(b"not a tiff")
    with pytest.raises(InputError, match="population: .*poblacion.tif"):
        geodisp.run(inputs / "event.yaml", out=tmp_path / "out", workers=1)


def test_rerun_with_fewer_inputs_shows_none_of_the_previous_runs_extra_files(small_demo: DemoFiles, tmp_path: Path) -> None:
    import yaml

    inputs = tmp_path / "inputs"
    shutil.copytree(small_demo.event.parent, inputs)
    out = tmp_path / "out"
    first = geodisp.run(inputs / "event.yaml", out=out, workers=1)
    shelter_style = first.paths["style_shelters"]
    assert shelter_style.exists()
    data = yaml.safe_load((inputs / "event.yaml").read_text(encoding="utf-8"))
    del data["records"]["shelters"]
    (inputs / "event.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    second = geodisp.run(inputs / "event.yaml", out=out, workers=1)
    assert "style_shelters" not in second.paths
    assert not (out / "latest" / "styles" / "shelters.qml").exists()
    assert shelter_style.exists()  # the previous run is kept whole in runs/, never mixed into latest
    assert "shelters" not in {name for name, _ in pyogrio.list_layers(second.paths["geopackage"])}
    assert (inputs / "event.yaml").exists()  # files the run did not write are never touched


def test_facilities_counted_per_unit_as_a_spatial_join_counts_them(small_demo: DemoFiles, run_dir) -> None:
    _, result = run_dir
    raw = pd.read_csv(small_demo.facilities, dtype=str).dropna(subset=["tipo"])
    points = gpd.GeoDataFrame(raw, geometry=gpd.points_from_xy(raw["longitud"].astype(float), raw["latitud"].astype(float)),
                              crs="EPSG:4326").to_crs("EPSG:6372")
    munis = gpd.read_file(small_demo.boundaries)[["CVEGEO", "geometry"]]
    joined = gpd.sjoin(points, munis, predicate="within")
    expected = joined.groupby(["CVEGEO", "tipo"]).size()
    figures = result.figures
    for (key, kind), n in expected.items():
        metric = "facilities_" + {"Escuela": "escuela", "Centro de Salud": "centro_de_salud"}[kind]
        got = figures[(figures["cvegeo"] == key) & (figures["metric"] == metric)]["central"]
        assert len(got) == 1 and got.iloc[0] == n, (key, kind)
    assert result.counts.set_index("source").loc["facilities[0]", "rejected"] == 1

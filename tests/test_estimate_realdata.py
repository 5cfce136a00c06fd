"""The estimates against real INEGI municipios (skipped where ../shared/data is absent)."""
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodisp.estimators import estimate_all
from geodisp.config.methods import HOUSEHOLD_SIZE_SPREAD
from geodisp.model.vocab import NATIONAL_HOUSEHOLD_SIZE

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MUNICIPIOS = DATA / "inegi" / "municipios_2020.gpkg"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not MUNICIPIOS.exists(), reason=f"real INEGI data not found at {MUNICIPIOS}"),
]


@pytest.fixture(scope="module")
def municipios():
    import pyogrio

    df = pyogrio.read_dataframe(MUNICIPIOS, layer="municipios", read_geometry=False)
    df["cvegeo"] = df["cvegeo"].astype(str)
    return df


def test_default_household_spread_covers_most_municipios(municipios):
    """docs/methods.md: 3.6 +-20% holds pob / viv for 89% of municipios and 95% of people."""
    m = municipios[municipios["viv"] > 0]
    ratio = m["pob"] / m["viv"]
    s = HOUSEHOLD_SIZE_SPREAD["default"]
    inside = (ratio >= NATIONAL_HOUSEHOLD_SIZE * (1 - s)) & (ratio <= NATIONAL_HOUSEHOLD_SIZE * (1 + s))
    assert inside.mean() == pytest.approx(0.895, abs=0.005)
    assert m.loc[inside, "pob"].sum() / m["pob"].sum() == pytest.approx(0.945, abs=0.005)


def test_national_run_adds_up_and_is_fast(municipios):
    rng = np.random.default_rng(7)
    keys = municipios["cvegeo"].tolist()
    viv = municipios.set_index("cvegeo")["viv"]
    pob = municipios.set_index("cvegeo")["pob"]
    # the six post-2020 municipios have pob = viv = 0: no household size, fall back to the default
    household = pd.DataFrame({"household_size": (pob / viv).where(viv > 0)}).dropna()
    household["household_size_source"] = [f"census:{k}" for k in household.index]
    hit = rng.choice(keys, size=300, replace=False)
    dwellings = pd.DataFrame({"cvegeo": np.repeat(hit, 2), "damage_level": ["destroyed", "partial"] * 300,
                              "dwellings": rng.integers(0, 50, size=600)})
    exposed = pd.DataFrame({"cvegeo": np.repeat(keys, 2), "hazard_class": [0, 1] * len(keys),
                            "people": np.column_stack([pob.to_numpy() * 0.9, pob.to_numpy() * 0.1]).ravel()})
    classes = pd.DataFrame({"hazard_class": [1], "label": ["Cat 1"], "lower": [64.0], "upper": [82.0]})
    census = pd.DataFrame({"pobtot": pob, "pobfem": pob * 0.51, "pobmas": pob * 0.49})
    units = municipios[["cvegeo", "nomgeo"]].rename(columns={"nomgeo": "name"})
    t0 = time.perf_counter()
    est = estimate_all(units=units, dwellings=dwellings, household=household, exposed=exposed, classes=classes,
                       census=census, hazard_type="tropical_cyclone", intensity_units="kt")
    elapsed = time.perf_counter() - t0
    assert elapsed < 20, elapsed
    assert len(est.table) == len(keys)
    # every populated unit is in the footprint: those without damage data have no record of any kind,
    # those with damage data lack evacuation and shelter records
    gaps = est.gaps.set_index("cvegeo")["reason"]
    assert set(gaps.index) == set(pob.index[pob > 0])
    assert set(gaps[gaps == "no_records"].index) == set(pob.index[pob > 0]) - set(hit)
    assert set(gaps[gaps != "no_records"]) == {"partial"}
    f = est.figures
    disp = f[f.metric == "displaced"]
    t = est.totals
    nat = t[t.level == "national"].set_index(["cvegeo", "metric"])
    assert nat.loc[("MEX", "displaced"), "central"] == pytest.approx(disp["central"].sum())
    ent = t[t.level == "ent"]
    assert ent.loc[ent.metric == "displaced", "central"].sum() == pytest.approx(disp["central"].sum())
    assert len(ent[ent.metric == "displaced"]) == 32
    # exposure-only units: 10% of people at Category 1 (central rate 0.15)
    only = est.table[est.table.decided_by == "displaced_exposure"].set_index("cvegeo")
    k = only.index[0]
    assert only.loc[k, "displaced"] == pytest.approx(pob[k] * 0.1 * 0.15)

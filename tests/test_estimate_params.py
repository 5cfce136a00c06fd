"""The methods: section of the event file and the default tables."""
import pytest
from pydantic import ValidationError

from geodisp.config.methods import DAMAGE_WEIGHTS, RATE_TABLES, MethodsConfig
from geodisp.model.vocab import DAMAGE_LEVELS


def test_defaults_validate_and_are_ordered():
    cfg = MethodsConfig()
    assert cfg.reconcile.flag_factor == 3.0
    assert list(cfg.housing.resolved_weights()) == list(DAMAGE_LEVELS)
    for lo, c, hi in DAMAGE_WEIGHTS.values():
        assert 0 <= lo <= c <= hi <= 1
    for table in RATE_TABLES.values():
        starts = [s.start for s in table.steps]
        assert starts == sorted(starts)
        for s in table.steps:
            assert 0 <= s.low <= s.central <= s.high <= 1


def test_yaml_like_mapping_parses():
    cfg = MethodsConfig.model_validate(
        {
            "housing": {"weights": {"severe": [0.2, 0.6, 1.0]}, "household_size_spread": {"default": 0.3}},
            "exposure": {"class_rates": {3: 0.5}, "rates": [{"start": 0, "low": 0, "central": 0, "high": 0},
                                                           {"start": 1, "low": 0.1, "central": 0.2, "high": 0.3}],
                         "rates_units": "m"},
            "reconcile": {"flag_factor": 5, "evacuation_records": "cumulative"},
            "sectoral": {"groups": ["female", "age_0_2"]},
        }
    )
    assert cfg.housing.resolved_weights()["severe"] == (0.2, 0.6, 1.0)
    assert cfg.exposure.class_rates[3].central == 0.5
    assert cfg.exposure.table("flood").units == "m"
    assert cfg.sectoral.resolved_groups() == ("female", "age_0_2")


@pytest.mark.parametrize(
    "bad",
    [
        {"housing": {"wieghts": {}}},  # typo: unknown key
        {"housing": {"weights": {"collapsed": 1}}},
        {"housing": {"weights": {"severe": [0.9, 0.5, 0.1]}}},  # disordered
        {"housing": {"weights": {"severe": 1.5}}},  # share above 1
        {"reconcile": {"flag_factor": 1}},
        {"exposure": {"rates": [{"start": 0, "low": 0, "central": 0, "high": 0}]}},  # no units
        {"sectoral": {"groups": ["left_handed"]}},
    ],
)
def test_bad_methods_rejected(bad):
    with pytest.raises(ValidationError):
        MethodsConfig.model_validate(bad)


def test_methods_page_quotes_the_defaults():
    """docs/methods.md must show the numbers the code uses."""
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "methods.md").read_text(encoding="utf-8")
    for level, (lo, c, hi) in DAMAGE_WEIGHTS.items():
        assert f"| {level} | {lo:g} | {c:g} | {hi:g} |" in page, level
    for kind, table in RATE_TABLES.items():
        for s in table.steps:
            assert f"| {s.start:g} | {s.label} | {s.low:g} | {s.central:g} | {s.high:g} |" in page, (kind, s)

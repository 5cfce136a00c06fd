"""The countrywide layer: Mexico's disaster displacement for a whole year, in IDMC's GIDD terms.

``geodisp.year.run_year("catalogo.yaml")`` (``geodisp year CATALOGUE.yaml``) runs every
event of a year catalogue as Dask tasks and writes the year's tables and layers.
Modules: ``catalogue`` (the YAML), ``rules`` (IDMC's year rules, pure), ``summary``
(what the year keeps of each event), ``runner`` (the Dask tasks), ``tables`` (the
year's tables, pure), ``outputs`` (writers), ``demo`` (the synthetic demo year).
"""
from __future__ import annotations

__all__ = ["run_year", "load_catalogue", "YearResult", "build_demo_year"]


def __getattr__(name: str):  # lazy, like geodisp itself
    if name in ("run_year", "YearResult"):
        from geodisp.year import runner

        return getattr(runner, name)
    if name == "load_catalogue":
        from geodisp.year.catalogue import load_catalogue

        return load_catalogue
    if name == "build_demo_year":
        from geodisp.year.demo import build_demo_year

        return build_demo_year
    raise AttributeError(name)

"""Figures from a forecast hazard are anticipatory: marked as such, never mixed with observed ones.

A forecast track (or a scenario ShakeMap) says where a hazard *could* strike; the
figures estimate people who could be displaced ("personas que podrían ser
desplazadas"), not people who were. ``anticipatory`` marks every figure: a
``forecast`` column set to True and a method that says so first. The writers then
title maps and reports as forecasts and leave out the GIDD table, which holds
observed displacement only; ``Event.output_dir`` keeps forecast runs in their own
folder (``layers/<id>_forecast``).
"""
from __future__ import annotations

import pandas as pd

from geodisp.model.messages import join

#: The statement leading every forecast figure's calculation (a message code).
FORECAST_METHOD = "calc_forecast"


def anticipatory(figures: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``figures`` with ``forecast = True`` and the forecast statement leading each method."""
    out = figures.copy()
    # the ledger's ``method`` is a code from a fixed vocabulary: the statement leads the calculation
    column = "calculation" if "calculation" in out.columns else "method"
    out[column] = [join(FORECAST_METHOD, c) for c in out[column]]
    out["forecast"] = True
    return out

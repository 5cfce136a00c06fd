"""Readers for every input kind: read → normalise → validate, each returning ``Read(data, rejects)``.

One module per input: ``boundaries`` (INEGI Marco Geoestadístico), ``census`` (ITER and
AGEB tables), ``population`` (WorldPop / GHS-POP / HRSL rasters), ``hazard`` (vector or
raster footprints), ``damage`` (damaged-housing points and counts), ``records`` (Civil
Protection evacuations and shelters). Shared helpers: ``tables`` (CSV/XLSX as text,
INEGI missing markers), ``names`` (name → CVEGEO matching), ``coords`` (coordinate
validation), ``personal`` (personal-data stripping), ``rejects``, ``footprint``.

Readers that repair or drop something without rejecting a record (a fixed geometry,
swapped coordinates, a dropped personal column) list it in ``Read.notes``; reject
reasons and notes are ``geodisp.sources.messages.Message`` codes, rendered in Spanish or
English at the edge.
"""

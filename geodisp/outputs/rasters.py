"""Cloud-Optimized GeoTIFFs of the per-cell outputs, written window by window.

Both rasters are on the population raster's grid exactly (same cell size, same cell
edges, same CRS), cropped to where they hold something, and hold *people per cell*,
so summing cells gives people (nothing is resampled). The arrays come lazy from
``geodisp.zonal.percell``:

- ``<stem>_displaced.tif``: each unit's central displaced figure spread over its
  cells in proportion to population; NaN outside every unit and in units with no
  figure; spans the units whose figure is not zero.
- ``<stem>_exposed.tif``: one band per hazard class, the people on cells of that
  class (0 on other cells); spans the class cells inside the units; band ``k``
  summed over a unit is its ``exposed_class_k``.

Writing is bounded by the chunk size, like the overlay: blocks are computed a few at
a time on the current Dask scheduler and written into a tiled, band-interleaved
GeoTIFF (all-NaN blocks left sparse); its AVERAGE overviews (for display, not for
summing) are built in place and GDAL's COG driver copies both into the final file,
all under a bounded GDAL block cache (``CACHE_MB``). The displaced raster's
colour-ramp top (98th percentile of its positive cells, from a systematic sample of
at most ``SAMPLE_CELLS`` cells) is stored in its ``GEODISP_COLOUR_TOP`` tag, so the
QGIS project never reads the grid.

A forecast run's rasters say so in the file itself, in the run's language: the
``GEODISP_FORECAST`` tag (``true``), the forecast banner in ``GEODISP_FORECAST_NOTE``
and the TIFF image description, and each band's description after its code
(``displaced: pronóstico, personas que podrían ser desplazadas ...``).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Mapping

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.enums import Resampling
from rasterio.windows import Window

from geodisp.io import atomic_path
from geodisp.outputs import i18n
from geodisp.zonal import percell
from geodisp.zonal.grid import stream_blocks

#: Tag holding the displaced raster's colour-ramp top (people per cell).
COLOUR_TAG = "GEODISP_COLOUR_TOP"
#: Tag set to ``true`` on the rasters of a forecast run (anticipatory figures).
FORECAST_TAG = "GEODISP_FORECAST"
#: Tag holding the forecast banner, in the run's language.
FORECAST_NOTE_TAG = "GEODISP_FORECAST_NOTE"
#: At most about this many cells are sampled for the colour-ramp quantile.
SAMPLE_CELLS = 1_000_000
#: GDAL block cache (MB) while writing: every tile is written once and read back once.
CACHE_MB = 64


def _sample(block: np.ndarray, r0: int, c0: int, width: int, step: int) -> np.ndarray:
    """Cells of a (y, x) block whose flat index in the raster is a multiple of ``step``:
    the same cells whatever the blocks."""
    if step == 1:
        return block.ravel()
    picks = [block[r, (-((r0 + r) * width + c0)) % step :: step] for r in range(block.shape[0])]
    return np.concatenate(picks) if picks else np.empty(0, dtype=block.dtype)


def colour_top(sample: np.ndarray, q: float = 0.98) -> float:
    """The ``q`` quantile of the positive cells in ``sample``; 1.0 when there are none."""
    positive = sample[np.isfinite(sample) & (sample > 0)]
    return float(np.quantile(positive, q)) if positive.size else 1.0


def overview_factors(height: int, width: int, blocksize: int) -> list[int]:
    """2, 4, 8 ... until the overview fits in one block (what the COG driver's AUTO does)."""
    factors, f = [], 2
    while max(height, width) / (f // 2) > blocksize:
        factors.append(f)
        f *= 2
    return factors


def stream_tiles(raster: percell.CellRaster, path: Path, blocksize: int, sample: bool = False) -> np.ndarray:
    """Write a lazy (band, y, x) raster into a tiled GeoTIFF block by block.

    Returns the sampled cells of band 1 when ``sample`` (for the colour ramp)."""
    data = raster.data
    bands, height, width = data.shape
    row_chunks, col_chunks = data.data.chunks[1:]
    rows = np.concatenate(([0], np.cumsum(row_chunks)[:-1])).astype(int)
    cols = np.concatenate(([0], np.cumsum(col_chunks)[:-1])).astype(int)
    delayed = data.data.to_delayed()[0]
    order = [(i, j) for i in range(len(row_chunks)) for j in range(len(col_chunks))]
    step = max(1, -(-height * width // SAMPLE_CELLS))
    samples: list[np.ndarray] = []
    profile = dict(driver="GTiff", width=width, height=height, count=bands, dtype="float32", crs=raster.crs,
                   transform=raster.transform, nodata=float("nan"), tiled=True, blockxsize=blocksize,
                   blockysize=blocksize, interleave="band", compress="ZSTD", zstd_level=1, BIGTIFF="IF_SAFER",
                   sparse_ok=True, num_threads="ALL_CPUS")
    with rasterio.Env(GDAL_CACHEMAX=CACHE_MB), rasterio.open(path, "w", **profile) as dst:
        for k, d in enumerate(raster.bands, start=1):
            dst.set_band_description(k, d)
        for (i, j), block in zip(order, stream_blocks([delayed[i, j] for i, j in order])):
            r0, c0 = int(rows[i]), int(cols[j])
            if sample:
                samples.append(_sample(block[0], r0, c0, width, step))
            if np.isnan(block).all():
                continue  # left sparse: reads as nodata
            dst.write(block, window=Window(c0, r0, block.shape[2], block.shape[1]))
    return np.concatenate(samples) if samples else np.empty(0, dtype="float32")


def to_cog(tiles: Path, path: Path, blocksize: int, tags: Mapping[str, str]) -> Path:
    """Build AVERAGE overviews into ``tiles`` and copy it to a COG (DEFLATE) at ``path``, atomically."""
    with rasterio.Env(GDAL_CACHEMAX=CACHE_MB, GDAL_NUM_THREADS="ALL_CPUS", COMPRESS_OVERVIEW="ZSTD"):
        with rasterio.open(tiles, "r+") as ds:
            ds.update_tags(**tags)
            factors = overview_factors(ds.height, ds.width, blocksize)
            if factors:
                ds.build_overviews(factors, Resampling.average)
        with atomic_path(path) as tmp:
            rasterio.shutil.copy(tiles, tmp, driver="COG", compress="DEFLATE", predictor="YES", blocksize=blocksize,
                                 overviews="FORCE_USE_EXISTING" if factors else "NONE", num_threads="ALL_CPUS",
                                 bigtiff="IF_SAFER")
    return Path(path)


def forecast_marking(raster: percell.CellRaster, band_key: str, lang: "str | i18n.Language") -> tuple[percell.CellRaster, dict[str, str]]:
    """``raster`` with each band description followed by the forecast wording (catalogue key
    ``band_key``) and the tags that mark a forecast raster, in ``lang``."""
    lang = i18n.language(lang)
    bands = tuple(f"{b}: {lang.t(band_key)}" for b in raster.bands)
    banner = lang.t("forecast_banner")
    return replace(raster, bands=bands), {FORECAST_TAG: "true", FORECAST_NOTE_TAG: banner, "TIFFTAG_IMAGEDESCRIPTION": banner}


def write_cog(raster: percell.CellRaster, path: str | Path, blocksize: int = 512, colour_top_tag: bool = False,
              tags: Mapping[str, str] | None = None) -> Path:
    """Write one lazy per-cell raster as a COG (float32, NaN nodata, DEFLATE, overviews), with
    ``tags`` beside its own."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tiles = path.with_name(f".{path.stem}.tiles.tif")
    try:
        sample = stream_tiles(raster, tiles, blocksize, sample=colour_top_tag)
        tags = {"units": "people per cell", **(tags or {})}
        if colour_top_tag:
            tags[COLOUR_TAG] = repr(colour_top(sample))
        return to_cog(tiles, path, blocksize, tags)
    finally:
        tiles.unlink(missing_ok=True)


def write_rasters(
    out_dir: str | Path,
    stem: str,
    cells: percell.PerCell | None,
    displaced: Mapping[str, float] | None,
    blocksize: int = 512,
    forecast: bool = False,
    lang: "str | i18n.Language" = "es",
) -> tuple[dict[str, Path], list[i18n.Note]]:
    """Write ``<stem>_displaced.tif`` and ``<stem>_exposed.tif`` where their inputs exist.

    ``cells``: the overlay's per-cell arrays (None when the population raster covers no
    unit); ``displaced``: central displaced figure per cvegeo. Returns the paths by
    name and notes: what was not written, and units whose figure could not be drawn
    (no populated cell of theirs on the grid, e.g. off the raster). A ``forecast``
    run's rasters are marked as such in ``lang`` (:func:`forecast_marking`).
    """
    out_dir = Path(out_dir)
    if cells is None:
        return {}, [i18n.note("no_unit_cells")]
    paths: dict[str, Path] = {}
    notes: list[i18n.Note] = []
    raster, not_drawn = percell.spread(cells, displaced or {}, "displaced")
    notes += [i18n.note("unit_not_drawn", key=k, value=f"{v:g}") for k, v in not_drawn.items()]
    if raster is not None:
        raster, tags = forecast_marking(raster, "forecast_band_displaced", lang) if forecast else (raster, {})
        paths["displaced_raster"] = write_cog(raster, out_dir / f"{stem}_displaced.tif", blocksize, colour_top_tag=True, tags=tags)
    else:
        notes.append(i18n.note("no_displaced_raster"))
    if cells.exposed is not None:
        exposed, tags = forecast_marking(cells.exposed, "forecast_band_exposed", lang) if forecast else (cells.exposed, {})
        paths["exposed_raster"] = write_cog(exposed, out_dir / f"{stem}_exposed.tif", blocksize, tags=tags)
    else:
        notes.append(i18n.note("no_exposed_raster"))
    return paths, notes


def colour_ramp_top(path: str | Path, band: int = 1, max_cells: int = SAMPLE_CELLS) -> float:
    """The colour-ramp top of a band: the one stored in the raster's tag (band 1 of the
    displaced raster), else the 98th percentile of a decimated read (GDAL serves it from
    an overview), so the grid is never read whole."""
    with rasterio.open(path) as src:
        tag = src.tags().get(COLOUR_TAG)
        if tag is not None and band == 1:
            return float(tag)
        f = max(1, int(np.ceil(np.sqrt(src.height * src.width / max_cells))))
        values = src.read(band, out_shape=(max(1, src.height // f), max(1, src.width // f)))
    return colour_top(values)

"""Units rasterised onto the population grid, with a content-addressed cache.

``zone_raster(units, like)`` gives every cell of the population grid the compact
code (1..n) of the unit whose polygon contains the cell's centre, 0 outside every
unit. Codes follow the sorted CVEGEO keys (``Zones.keys`` maps code → cvegeo) and
use the smallest unsigned dtype that holds them (uint16 for the 2,473 municipios or
the ~63,000 urban AGEBs, uint32 beyond), so the zone raster is small to store, read
and count. A cell centre in two units (overlapping polygons, or exactly on a shared
edge where GDAL's rule does not already decide) goes to the unit with the smaller
CVEGEO: polygons are burnt in descending key order, so the smallest key is burnt last.

The zone raster depends only on the boundaries and the grid, so with ``cache_dir``
it is built once, stored as a tiled ZSTD GeoTIFF named by a SHA-256 of the unit keys,
geometries and CRS plus the grid (CRS, transform, shape), and reused by every later
event on the same inputs. Beside it a JSON manifest records the digest, grid, keys,
file size, the GeoTIFF's SHA-256 and which 512×512 tiles hold any unit, and a SHA-256
of its own content. A cache file is used only when all of those match, the GeoTIFF's
bytes included (hashed before every reuse); a mismatch (a different build, a file
edited in place, a truncated file, a read error) is reported with a warning and the
cache is rebuilt, never silently reused. Both files are written under temporary
names and renamed into place (the GeoTIFF first), and neither is deleted before a
rebuild, so a run reading the cache while another rebuilds it sees a complete pair or
a hash mismatch, never a half-written file. Chunks whose tiles hold no unit (sea,
other countries) are zeros that are never read.
"""
from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import dask
import dask.array as da
import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
import xarray as xr
from rasterio.windows import Window

from geodisp.io import atomic_path
from geodisp.zonal.grid import Grid, as_2d, burn, code_dtype, stream_blocks

#: Bump when the zone raster's meaning or file layout changes: old caches become stale.
ZONES_FORMAT = 1
#: Tile size of the cached GeoTIFF (and of the non-empty tile map).
CACHE_TILE = 512
#: Window size used when building the cache (a multiple of CACHE_TILE).
BUILD_BLOCK = 4 * CACHE_TILE
_DIGEST_TAG = "GEODISP_ZONES_DIGEST"


@dataclass(frozen=True)
class Zones:
    """A zone raster and its key table.

    ``codes``: unsigned-integer DataArray on the population grid and chunks, 0 outside
    every unit. ``keys``: Series indexed by code (1..n) with the cvegeo of each unit.
    ``cache``: what happened with the cache: None (no cache_dir), ``"built"``,
    ``"reused"`` or ``"rebuilt: <why the old one was stale>"``.
    ``path``: the cached GeoTIFF, when there is one; ``sha256``: its SHA-256, verified.
    """

    codes: xr.DataArray
    keys: pd.Series
    cache: str | None = None
    path: Path | None = None
    sha256: str | None = None


def unit_keys(units: gpd.GeoDataFrame) -> pd.Series:
    """Code → cvegeo for ``units``: sorted keys, codes 1..n. Duplicate keys are an error."""
    if "cvegeo" not in units.columns:
        raise ValueError("units need a 'cvegeo' column (zero-padded CVEGEO strings)")
    keys = units["cvegeo"]
    if keys.isna().any():
        rows = [str(i) for i in units.index[keys.isna()][:5]]
        raise ValueError(f"units have no cvegeo in rows {', '.join(rows)}")
    if not all(isinstance(k, str) for k in keys):
        raise ValueError("units' cvegeo must be strings with leading zeros, not numbers")
    dup = keys[keys.duplicated()].unique()
    if len(dup):
        raise ValueError(f"units have duplicate cvegeo keys: {', '.join(sorted(dup)[:5])}")
    ordered = sorted(keys)
    return pd.Series(ordered, index=pd.RangeIndex(1, len(ordered) + 1, name="code"), name="cvegeo")


def zone_digest(units: gpd.GeoDataFrame, grid: Grid) -> str:
    """SHA-256 of the units (keys, geometries, CRS) and the grid: the cache's name."""
    if units.crs is None:
        raise ValueError("units have no CRS")
    order = np.argsort(units["cvegeo"].to_numpy(), kind="stable")
    h = hashlib.sha256()
    h.update(f"geodisp-zones-{ZONES_FORMAT}|{grid.token()}|{units.crs.to_wkt()}".encode())
    wkb = shapely.to_wkb(units.geometry.to_numpy()[order], hex=False, include_srid=False)
    for key, g in zip(units["cvegeo"].to_numpy()[order], wkb):
        h.update(str(key).encode() + b"\0")
        h.update(g if g is not None else b"<none>")
        h.update(b"\0")
    return h.hexdigest()


def _burn_inputs(units: gpd.GeoDataFrame, keys: pd.Series, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Geometries in the grid's CRS with their codes, in burn order (descending key)."""
    if units.crs is None:
        raise ValueError("units have no CRS")
    projected = units if grid.crs == units.crs else units.to_crs(grid.crs)
    code_of = pd.Series(keys.index.to_numpy(), index=keys.to_numpy())
    codes = code_of.loc[projected["cvegeo"].to_numpy()].to_numpy()
    order = np.argsort(-codes, kind="stable")
    return projected.geometry.to_numpy()[order], codes[order]


def _lazy_codes(units: gpd.GeoDataFrame, keys: pd.Series, grid: Grid, digest: str, dtype: str) -> da.Array:
    geoms, codes = _burn_inputs(units, keys, grid)
    return burn(geoms, codes.astype(dtype), grid, dtype, name=f"zones-{digest[:16]}")


def zone_raster(units: gpd.GeoDataFrame, like: xr.DataArray, cache_dir: str | Path | None = None) -> Zones:
    """Rasterise ``units`` (cell centres) onto ``like``'s grid and chunks.

    ``units``: GeoDataFrame with ``cvegeo`` and polygons in any CRS (reprojected to
    the grid's CRS; the raster is never reprojected). ``like``: the population
    DataArray. ``cache_dir``: folder of the zone cache (built once, then reused;
    stale files detected and rebuilt). Without it the rasterisation stays lazy and
    runs chunk by chunk inside whatever computes it (the crosstab).
    """
    like = as_2d(like, "population")
    grid = Grid.of(like, "population")
    keys = unit_keys(units)
    dtype = code_dtype(len(keys))
    digest = zone_digest(units, grid)
    if cache_dir is None:
        codes = _lazy_codes(units, keys, grid, digest, dtype)
        return Zones(grid.data_array(codes, "zone", like), keys)

    cache_dir = Path(cache_dir)
    tif = cache_dir / f"zones-{digest[:24]}.tif"
    manifest_path = tif.with_suffix(".json")
    problem = cache_problem(tif, manifest_path, digest, grid, keys)
    if problem is None:
        status = "reused"
    else:
        if problem == "missing":
            status = "built"
        else:
            status = f"rebuilt: {problem}"
            warnings.warn(f"zone cache {tif} is stale ({problem}); rebuilding it", stacklevel=2)
        build_cache(units, keys, grid, digest, dtype, tif, manifest_path)
    manifest = json.loads(manifest_path.read_text())
    codes = _cached_codes(tif, manifest, grid, digest)
    return Zones(grid.data_array(codes, "zone", like), keys, cache=status, path=tif, sha256=manifest["tif_sha256"])


def file_sha256(path: Path, block: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(block):
            h.update(chunk)
    return h.hexdigest()


def _manifest_sha256(manifest: dict) -> str:
    """SHA-256 of the manifest's content (without its own hash), in canonical JSON."""
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def cache_problem(tif: Path, manifest_path: Path, digest: str, grid: Grid, keys: pd.Series) -> str | None:
    """Why the cache at ``tif`` cannot be used for these inputs, or None when it can."""
    if not tif.exists() and not manifest_path.exists():
        return "missing"
    try:
        manifest = json.loads(manifest_path.read_text())
    except FileNotFoundError:
        return f"manifest {manifest_path.name} is missing"
    except (OSError, json.JSONDecodeError) as exc:
        return f"manifest {manifest_path.name} is unreadable ({exc})"
    if not isinstance(manifest, dict):
        return f"manifest {manifest_path.name} is not a JSON object"
    if "manifest_sha256" not in manifest:
        return f"manifest {manifest_path.name} has no content hash (an older geodisp built it)"
    checks = [
        (manifest.get("manifest_sha256") == _manifest_sha256(manifest), f"manifest {manifest_path.name} was edited"),
        (manifest.get("format") == ZONES_FORMAT, f"format {manifest.get('format')} is not {ZONES_FORMAT}"),
        (manifest.get("digest") == digest, "digest of boundaries + grid differs"),
        (manifest.get("grid") == grid.token(), "grid differs"),
        (manifest.get("keys") == keys.tolist(), "unit keys differ"),
    ]
    for ok, why in checks:
        if not ok:
            return why
    if not tif.exists():
        return f"{tif.name} is missing"
    if tif.stat().st_size != manifest.get("tif_size"):
        return f"{tif.name} has {tif.stat().st_size} bytes, the manifest says {manifest.get('tif_size')}"
    try:
        if file_sha256(tif) != manifest.get("tif_sha256"):
            return f"{tif.name} was changed since it was built (SHA-256 differs)"
    except OSError as exc:
        return f"{tif.name} is unreadable ({exc})"
    try:
        with rasterio.open(tif) as src:
            if src.tags().get(_DIGEST_TAG) != digest:
                return f"{tif.name} carries another digest"
            if (src.height, src.width) != (grid.height, grid.width) or src.crs != grid.crs:
                return f"{tif.name} is on another grid"
            if not np.allclose(tuple(src.transform)[:6], tuple(grid.transform)[:6], rtol=0, atol=1e-9 * abs(grid.transform.a)):
                return f"{tif.name} has another transform"
            if src.dtypes[0] != manifest.get("dtype"):
                return f"{tif.name} has dtype {src.dtypes[0]}"
    except rasterio.errors.RasterioIOError as exc:
        return f"{tif.name} is unreadable ({exc})"
    return None


def _tile_flags(block: np.ndarray) -> np.ndarray:
    """Per CACHE_TILE×CACHE_TILE tile of a tile-aligned block: does it hold any unit?"""
    h, w = block.shape
    th, tw = -(-h // CACHE_TILE), -(-w // CACHE_TILE)
    padded = np.zeros((th * CACHE_TILE, tw * CACHE_TILE), dtype=bool)
    padded[:h, :w] = block != 0
    return padded.reshape(th, CACHE_TILE, tw, CACHE_TILE).any(axis=(1, 3))


def build_cache(
    units: gpd.GeoDataFrame,
    keys: pd.Series,
    grid: Grid,
    digest: str,
    dtype: str,
    tif: Path,
    manifest_path: Path,
) -> None:
    """Rasterise the units block by block (on the current Dask scheduler) into ``tif``.

    Blocks are computed in parallel and written in order as they arrive (the writer
    compresses with GDAL's threads), so memory holds a few BUILD_BLOCK² windows,
    never the whole raster. The GeoTIFF, then the manifest naming its SHA-256, are each
    renamed into place whole; nothing is deleted first, so a concurrent reader sees the
    old pair, the new pair, or a hash mismatch (and rebuilds), never a partial file.
    """
    build_grid = Grid(
        grid.crs,
        grid.transform,
        grid.height,
        grid.width,
        _split(grid.height, BUILD_BLOCK),
        _split(grid.width, BUILD_BLOCK),
    )
    arr = _lazy_codes(units, keys, build_grid, digest, dtype)
    tiles = np.zeros((-(-grid.height // CACHE_TILE), -(-grid.width // CACHE_TILE)), dtype=bool)
    blocks = list(build_grid.blocks())
    delayed = arr.to_delayed()
    profile = dict(
        driver="GTiff", height=grid.height, width=grid.width, count=1, dtype=dtype,
        crs=grid.crs, transform=grid.transform, nodata=None, tiled=True,
        blockxsize=CACHE_TILE, blockysize=CACHE_TILE, compress="ZSTD", zstd_level=1,
        predictor=2, BIGTIFF="IF_SAFER", num_threads="ALL_CPUS", sparse_ok=True,
    )
    with atomic_path(tif) as tmp:
        with rasterio.open(tmp, "w", **profile) as dst:
            dst.update_tags(**{_DIGEST_TAG: digest})
            parts = [delayed[i, j] for i, j, *_ in blocks]
            for (i, j, r0, c0, h, w), block in zip(blocks, stream_blocks(parts)):
                flags = _tile_flags(block)
                t0, u0 = r0 // CACHE_TILE, c0 // CACHE_TILE
                tiles[t0 : t0 + flags.shape[0], u0 : u0 + flags.shape[1]] = flags
                if flags.any():
                    dst.write(block, 1, window=Window(c0, r0, w, h))
                # all-zero windows are left unwritten: GDAL stores no tile and reads zeros
        tif_size, tif_sha256 = tmp.stat().st_size, file_sha256(tmp)  # of the bytes about to be renamed
    manifest = {
        "format": ZONES_FORMAT,
        "digest": digest,
        "grid": grid.token(),
        "dtype": dtype,
        "tile": CACHE_TILE,
        "tiles_shape": list(tiles.shape),
        "nonempty": np.packbits(tiles.ravel()).tobytes().hex(),
        "tif_size": tif_size,
        "tif_sha256": tif_sha256,
        "keys": keys.tolist(),
    }
    manifest["manifest_sha256"] = _manifest_sha256(manifest)
    with atomic_path(manifest_path) as tmp:
        tmp.write_text(json.dumps(manifest))


def _split(n: int, size: int) -> tuple[int, ...]:
    full, rest = divmod(n, size)
    return (size,) * full + ((rest,) if rest else ())


def _read_window(path: str, row_off: int, col_off: int, h: int, w: int) -> np.ndarray:
    with rasterio.open(path) as src:
        return src.read(1, window=Window(col_off, row_off, w, h))


def _cached_codes(tif: Path, manifest: dict, grid: Grid, digest: str) -> da.Array:
    """The cached zone raster as a Dask array on ``grid``'s chunks; unit-free chunks are zeros."""
    dtype = manifest["dtype"]
    shape = tuple(manifest["tiles_shape"])
    bits = np.unpackbits(np.frombuffer(bytes.fromhex(manifest["nonempty"]), dtype=np.uint8))
    tiles = bits[: shape[0] * shape[1]].reshape(shape).astype(bool)
    rows = []
    for i, j, r0, c0, h, w in grid.blocks():
        if j == 0:
            rows.append([])
        t = tiles[r0 // CACHE_TILE : (r0 + h - 1) // CACHE_TILE + 1, c0 // CACHE_TILE : (c0 + w - 1) // CACHE_TILE + 1]
        if not t.any():
            rows[-1].append(da.zeros((h, w), dtype=dtype, chunks=(h, w)))
            continue
        task = dask.delayed(_read_window, pure=True)(
            str(tif), r0, c0, h, w, dask_key_name=f"zones-read-{digest[:16]}-{r0}-{c0}-{h}-{w}"
        )
        rows[-1].append(da.from_delayed(task, shape=(h, w), dtype=dtype))
    return da.block(rows)

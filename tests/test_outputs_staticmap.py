"""The static map draws outlines simplified within a pixel: fewer vertices, same picture."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geodisp.outputs.staticmap import drawable


def test_outlines_lose_vertices_but_stay_within_the_tolerance():
    angles = np.linspace(0, 2 * np.pi, 20_001)[:-1]
    wiggly = shapely.Polygon(np.column_stack([np.cos(angles), np.sin(angles)]) * (100_000 + 5 * np.sin(angles * 400))[:, None])
    frame = gpd.GeoDataFrame({"cvegeo": ["12001"], "displaced": [3.0]}, geometry=[wiggly], crs="EPSG:6372")
    out = drawable(frame, 200.0)
    simplified = out.geometry.iloc[0]
    assert shapely.get_num_coordinates(simplified) < shapely.get_num_coordinates(wiggly) / 20
    assert shapely.hausdorff_distance(simplified, wiggly) <= 200.0
    assert list(out.columns) == list(frame.columns) and out["displaced"].tolist() == [3.0]
    assert drawable(frame, 0.0) is frame


def _vermillion_pixels(tmp_path, over: list[bool]) -> int:
    """Pixels of the over-capacity colour in a map of two units and two shelters."""
    from PIL import Image

    from geodisp.outputs.staticmap import render_map
    from geodisp.outputs.styles import SHELTER_OVER_CAPACITY_COLOUR

    units = gpd.GeoDataFrame({"cvegeo": ["12001", "12002"], "name": ["Uno", "Dos"], "displaced": [10.0, 500.0]},
                             geometry=[shapely.box(0, 0, 50_000, 50_000), shapely.box(50_000, 0, 100_000, 50_000)],
                             crs="EPSG:6372")
    shelters = gpd.GeoDataFrame({"shelter_id": ["A", "B"], "over_capacity": over},
                                geometry=gpd.points_from_xy([20_000, 80_000], [30_000, 30_000]), crs="EPSG:6372")
    path = render_map(tmp_path / f"map_{sum(over)}.png", units, [0, 20, 200], "t", "s", "es", shelters=shelters)
    rgb = np.asarray(Image.open(path).convert("RGB")).reshape(-1, 3)
    target = np.array([int(SHELTER_OVER_CAPACITY_COLOUR[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(rgb.astype(int) - target).sum(axis=1) <= 6).sum())


def test_shelters_over_capacity_are_drawn_in_their_own_colour(tmp_path):
    assert _vermillion_pixels(tmp_path, [False, False]) == 0
    one = _vermillion_pixels(tmp_path, [True, False])
    assert one > 0  # the square and its legend entry
    assert _vermillion_pixels(tmp_path, [True, True]) > one  # a second square

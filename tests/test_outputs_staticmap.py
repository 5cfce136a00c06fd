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

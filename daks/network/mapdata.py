"""The offline map of Germany: a simplified outline of the 16 Länder and a simple projection for points.

``build_network_map`` (management command) reads the BKG boundary file (VG2500, ``gf == 9`` = land areas) once,
projects it equirectangularly with a cos(51°) correction, simplifies each ring with Douglas–Peucker and writes
``static/network/germany-map.json`` (a few KB, committed). Pages draw the SVG server-side from that file, so the
map needs neither JavaScript nor any third-party request. Outline: © GeoBasis-DE / BKG (dl-de/by-2-0).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAP_FILE = Path(__file__).resolve().parent / "static" / "network" / "germany-map.json"
ATTRIBUTION = "© GeoBasis-DE / BKG (dl-de/by-2-0)"
ATTRIBUTION_URL = "https://www.govdata.de/dl-de/by-2-0"
REFERENCE_LATITUDE = 51.0
#: Projected units per degree of latitude (the whole of Germany is then about 370 × 500 units).
SCALE = 62.0
PADDING = 6.0
#: Douglas–Peucker tolerance in projected units; rings smaller than MIN_RING_AREA (units²) are dropped.
TOLERANCE = 2.0
MIN_RING_AREA = 6.0
CITY_STATES = {"02", "04", "11"}


@dataclass(frozen=True)
class Projection:
    lon0: float
    lat0: float
    width: float
    height: float

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.lon0) * math.cos(math.radians(REFERENCE_LATITUDE)) * SCALE + PADDING
        y = (self.lat0 - lat) * SCALE + PADDING
        return x, y

    def contains(self, x: float, y: float) -> bool:
        return 0 <= x <= self.width and 0 <= y <= self.height


# --- Building (management command) --------------------------------------------------------------------------------


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Simplify a polyline (iterative, so long rings cannot exhaust the recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            distance = _perpendicular(points[i], points[first], points[last])
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _area(ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def _simplify_ring(ring, tolerance: float) -> list[tuple[float, float]]:
    # A closed ring: split at the point farthest from the start so both halves keep their shape.
    start = ring[0]
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - start[0], ring[i][1] - start[1]))
    first = douglas_peucker(ring[: far + 1], tolerance)
    second = douglas_peucker(ring[far:], tolerance)
    simplified = first[:-1] + second
    if simplified and simplified[0] == simplified[-1]:
        simplified = simplified[:-1]
    return simplified


def _path(rings) -> str:
    parts = []
    for ring in rings:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)
        parts.append(f"M{coords}Z")
    return "".join(parts)


def build_map(geojson: dict, *, tolerance: float = TOLERANCE) -> dict:
    """The map data (projection, one simplified path and a label point per Land) from the VG2500 GeoJSON."""
    features = [f for f in geojson["features"] if f["properties"].get("gf") == 9]
    if not features:
        raise ValueError("no land areas (gf == 9) in the file")

    def polygons(feature):
        geometry = feature["geometry"]
        return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]

    lons = [lon for f in features for poly in polygons(f) for ring in poly for lon, _lat in ring]
    lats = [lat for f in features for poly in polygons(f) for ring in poly for _lon, lat in ring]
    lon0, lat0 = min(lons), max(lats)
    corner = Projection(lon0, lat0, 0, 0).project(max(lons), min(lats))
    projection = Projection(lon0, lat0, round(corner[0] + PADDING, 1), round(corner[1] + PADDING, 1))
    laender = []
    # The city states last: Berlin lies inside Brandenburg, Bremen inside Niedersachsen (holes are not drawn).
    for feature in sorted(features, key=lambda f: (f["properties"]["land"] in CITY_STATES, f["properties"]["land"])):
        rings = []
        for polygon in polygons(feature):
            outer = polygon[0]  # holes (e.g. Berlin in Brandenburg) are drawn by the Land inside them
            projected = [projection.project(lon, lat) for lon, lat in outer]
            if projected[0] == projected[-1]:
                projected = projected[:-1]
            simplified = _simplify_ring(projected, tolerance)
            if len(simplified) >= 3 and _area(simplified) >= MIN_RING_AREA:
                rings.append(simplified)
        biggest = max(rings, key=_area)
        label = (sum(x for x, _y in biggest) / len(biggest), sum(y for _x, y in biggest) / len(biggest))
        laender.append(
            {
                "land": feature["properties"]["land"],
                "name": feature["properties"]["name"],
                "path": _path(rings),
                "label": [round(label[0], 1), round(label[1], 1)],
            }
        )
    return {
        "attribution": ATTRIBUTION,
        "source": "VG2500 (Verwaltungsgebiete 1:2 500 000), Länder, vereinfacht",
        "projection": {
            "lon0": round(lon0, 4),
            "lat0": round(lat0, 4),
            "width": projection.width,
            "height": projection.height,
        },
        "laender": laender,
    }


# --- Reading (pages) ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def germany_map() -> dict | None:
    """The committed map data, or None when the file was never built."""
    try:
        data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    p = data["projection"]
    data["projector"] = Projection(p["lon0"], p["lat0"], p["width"], p["height"])
    return data

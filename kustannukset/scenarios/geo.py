"""Municipal boundaries: names, polygons, and which municipalities are neighbours.

The boundaries (``data/kartat/kuntarajat-2023.geojson``, Lähde: Maanmittauslaitos, CC BY 4.0) were
simplified so that neighbouring polygons keep their common vertices. Two municipalities are
neighbours when their boundaries share at least one segment (two consecutive vertices); a single
common corner point is not enough. This pure-Python test needs no GIS library and is checked in the
tests against known neighbours and non-neighbours.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from kustannukset.core.errors import InputError
from kustannukset.core.guarded import read_bytes
from kustannukset.core.memo import Recent
from kustannukset.core.paths import DATA_DIR

MAP_FILE = Path("kartat") / "kuntarajat-2023.geojson"
# The sources line of the scenario workbooks (figures and maps).
SOURCES_LINE = "Lähde: Tilastokeskus; kuntarajat: Maanmittauslaitos (CC BY 4.0)"
MAP_ATTRIBUTION = "Lähde: Maanmittauslaitos, kuntarajat 2023 (CC BY 4.0)"
# the colour of the municipalities around the ones a map is about
BACKGROUND = "#e6e6e6"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Boundaries:
    names: dict[str, str]  # kuntanumero -> Finnish name
    polygons: dict[str, list[list[Ring]]]  # kuntanumero -> polygons -> rings (outer first)
    neighbours: dict[str, frozenset[str]]
    path: Path

    def are_neighbours(self, a: str, b: str) -> bool:
        return b in self.neighbours.get(a, frozenset())

    def components(self, codes: Iterable[str]) -> list[list[str]]:
        """The connected parts of a set of municipalities, each sorted, largest first."""
        remaining = set(codes)
        unknown = sorted(c for c in remaining if c not in self.polygons)
        if unknown:
            raise InputError(
                f"kuntarajoista puuttuu kuntanumero {', '.join(unknown)}", file=self.path
            )
        parts = []
        while remaining:
            start = min(remaining)
            seen = {start}
            queue = deque([start])
            while queue:
                code = queue.popleft()
                for other in self.neighbours[code]:
                    if other in remaining and other not in seen:
                        seen.add(other)
                        queue.append(other)
            remaining -= seen
            parts.append(sorted(seen))
        return sorted(parts, key=lambda p: (-len(p), p))


def _polygons(geometry: dict) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(geometry["type"])
    return [
        [[(float(x), float(y)) for x, y, *_ in ring] for ring in polygon] for polygon in polygons
    ]


def neighbours_by_shared_edges(polygons: dict[str, list[list[Ring]]]) -> dict[str, frozenset[str]]:
    """Municipalities whose boundaries have a common segment."""
    owners: dict[frozenset, set[str]] = {}
    for code, polys in polygons.items():
        for polygon in polys:
            for ring in polygon:
                for a, b in pairwise(ring):
                    if a != b:
                        owners.setdefault(frozenset((a, b)), set()).add(code)
    result: dict[str, set[str]] = {code: set() for code in polygons}
    for codes in owners.values():
        if len(codes) > 1:
            for code in codes:
                result[code] |= codes - {code}
    return {code: frozenset(n) for code, n in result.items()}


def _parse(raw: bytes, path: Path) -> tuple[dict, dict, dict]:
    try:
        data = json.loads(raw.decode("utf-8"))
        names, polygons = {}, {}
        for feature in data["features"]:
            props = feature["properties"]
            code = str(props["NATCODE"]).zfill(3)
            names[code] = str(props["NAMEFIN"])
            polygons[code] = _polygons(feature["geometry"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"kuntarajatiedosto ei ole odotettua GeoJSONia ({exc})", file=path
        ) from None
    return names, polygons, neighbours_by_shared_edges(polygons)


# Parsed maps by the file's content (a BLAKE2 digest): a copy of data/ is not parsed again.
_PARSED: Recent[tuple[dict, dict, dict]] = Recent(4)


def load_boundaries(data_dir: Path = DATA_DIR) -> Boundaries:
    path = (Path(data_dir) / MAP_FILE).resolve()
    raw = read_bytes(path, kind="kuntarajatiedosto")
    digest = hashlib.blake2b(raw, digest_size=20).digest()
    names, polygons, neighbours = _PARSED.remember(digest, lambda: _parse(raw, path))
    return Boundaries(names, polygons, neighbours, path)

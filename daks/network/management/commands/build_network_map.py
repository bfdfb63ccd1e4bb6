"""``python manage.py build_network_map [--source FILE] [--tolerance T]``: write the simplified map of Germany.

Reads the Länder of the BKG VG2500 GeoJSON (default ``<DAKS_DATA_DIR>/geo/laender_vg2500.geojson``) and writes
``daks/network/static/network/germany-map.json`` (see ``daks.network.mapdata``). Run once; the file is committed.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from daks.network import mapdata


class Command(BaseCommand):
    help = "Build the simplified SVG outline of the 16 Länder for the network map (from the VG2500 GeoJSON)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", help="GeoJSON of the Länder (default: DAKS_DATA_DIR/geo/laender_vg2500.geojson)"
        )
        parser.add_argument("--output", help=f"Output file (default: {mapdata.MAP_FILE})")
        parser.add_argument("--tolerance", type=float, default=mapdata.TOLERANCE, help="Simplification (map units)")

    def handle(self, *args, source=None, output=None, tolerance=mapdata.TOLERANCE, **options):
        path = Path(source) if source else Path(settings.DAKS_DATA_DIR) / "geo" / "laender_vg2500.geojson"
        try:
            geojson = json.loads(path.read_text(encoding="utf-8"))
            data = mapdata.build_map(geojson, tolerance=tolerance)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot build the map from {path}: {error}") from error
        target = Path(output) if output else mapdata.MAP_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        target.write_text(text + "\n", encoding="utf-8")
        mapdata.germany_map.cache_clear()
        self.stdout.write(f"{target}: {len(data['laender'])} Länder, {len(text.encode()) // 1024} KB")

"""Load a served tileset into QGIS as a vector tile layer styled by a served
MapLibre style (the styleUrl of the layer's data source, which QGIS converts
with QgsMapBoxGlStyleConverter), render it, and print as JSON what QGIS made
of it and the colours of the rendered pixels at given places.

usage: qgis_styled_layer.py TILE_URL_TEMPLATE STYLE_URL MAXZOOM W,S,E,N PLACES_JSON [OUT_PNG]

PLACES_JSON maps names to [lon, lat]. e2e/styles_test.go runs it
(Debian: apt-get install python3-qgis; /usr/bin/python3,
QT_QPA_PLATFORM=offscreen)."""
import json
import sys

import qgis_driver as q
from qgis.core import QgsDataSourceUri, QgsRectangle, QgsVectorTileLayer

WIDTH, HEIGHT = 600, 300


def main(tiles, style, maxzoom, bbox, places, out=None):
    q.start()
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", tiles)
    uri.setParam("zmin", "0")
    uri.setParam("zmax", maxzoom)
    uri.setParam("styleUrl", style)
    layer = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), "served")
    rep = {"qgis": q.VERSION, "valid": layer.isValid()}
    # With a styleUrl in the source, QGIS fetches the style and converts it.
    message, ok = layer.loadDefaultStyle()
    rep["style_loaded"], rep["style_message"] = ok, message
    renderer = layer.renderer()
    rep["renderer_styles"] = [s.styleName() for s in renderer.styles()] if renderer else []

    # White shows where neither the style's background layer nor a unit is
    # drawn.
    img, settings, _ = q.render([layer], QgsRectangle(*bbox), WIDTH, HEIGHT, extent_crs=q.WGS84, path=out)
    # The share of the image each colour covers, sampled on a 3-pixel grid.
    counts = {}
    for y in range(0, img.height(), 3):
        for x in range(0, img.width(), 3):
            c = img.pixelColor(x, y).name()
            counts[c] = counts.get(c, 0) + 1
    total = sum(counts.values())
    rep["colours"] = {c: n / total for c, n in counts.items() if n / total >= 0.01}
    rep["pixels"] = q.colours_at(img, settings, places, crs=q.WGS84, rounding=round)
    q.report(rep)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], [float(v) for v in sys.argv[4].split(",")], json.loads(sys.argv[5]),
         sys.argv[6] if len(sys.argv) > 6 else None)

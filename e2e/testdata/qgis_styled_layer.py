"""Load a served tileset into QGIS as a vector tile layer styled by a served
MapLibre style (the styleUrl of the layer's data source, which QGIS converts
with QgsMapBoxGlStyleConverter), render it, and print as JSON what QGIS made
of it and the colours of the rendered pixels at given places.

usage: qgis_styled_layer.py TILE_URL_TEMPLATE STYLE_URL MAXZOOM W,S,E,N PLACES_JSON

PLACES_JSON maps names to [lon, lat]. e2e/styles_test.go runs it
(Debian: apt-get install python3-qgis; /usr/bin/python3,
QT_QPA_PLATFORM=offscreen)."""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

WIDTH, HEIGHT = 600, 300
# What shows where neither the style's background layer nor a unit is drawn.
BACKGROUND = QColor(255, 255, 255)


def main(tiles, style, maxzoom, bbox, places):
    app = QgsApplication([], False)
    app.initQgis()
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", tiles)
    uri.setParam("zmin", "0")
    uri.setParam("zmax", maxzoom)
    uri.setParam("styleUrl", style)
    layer = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), "served")
    out = {"qgis": Qgis.QGIS_VERSION, "valid": layer.isValid()}
    # With a styleUrl in the source, QGIS fetches the style and converts it.
    message, ok = layer.loadDefaultStyle()
    out["style_loaded"], out["style_message"] = ok, message
    renderer = layer.renderer()
    out["renderer_styles"] = [s.styleName() for s in renderer.styles()] if renderer else []

    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    merc = QgsCoordinateReferenceSystem("EPSG:3857")
    to_merc = QgsCoordinateTransform(wgs84, merc, QgsProject.instance())
    w, s, e, n = bbox
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(merc)
    settings.setExtent(to_merc.transformBoundingBox(QgsRectangle(w, s, e, n)))
    settings.setOutputSize(QSize(WIDTH, HEIGHT))
    settings.setBackgroundColor(BACKGROUND)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    # The share of the image each colour covers, sampled on a 3-pixel grid.
    counts = {}
    for y in range(0, img.height(), 3):
        for x in range(0, img.width(), 3):
            c = img.pixelColor(x, y).name()
            counts[c] = counts.get(c, 0) + 1
    total = sum(counts.values())
    out["colours"] = {c: n / total for c, n in counts.items() if n / total >= 0.01}
    m2p = settings.mapToPixel()
    out["pixels"] = {}
    for name, (lon, lat) in places.items():
        p = m2p.transform(to_merc.transform(QgsPointXY(lon, lat)))
        out["pixels"][name] = img.pixelColor(round(p.x()), round(p.y())).name()
    if len(sys.argv) > 6:
        img.save(sys.argv[6])
    json.dump(out, sys.stdout)
    app.exitQgis()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], [float(v) for v in sys.argv[4].split(",")], json.loads(sys.argv[5]))

"""Renders an XYZ vector tile layer in headless QGIS, as a user adds it by
URL with QGIS's default zoom range (0 to 14), over an extent deep enough
that QGIS asks for tiles above the tileset's max zoom. Polygons are filled
in pure red without outline; prints a JSON document with the zooms QGIS
drew and the number of red pixels, for e2e/overzoom_qgis_test.go.

usage: overzoom_qgis.py TILE_URL_TEMPLATE OUT_PNG WEST SOUTH EAST NORTH
"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFillSymbol,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorTileBasicRenderer,
    QgsVectorTileBasicRendererStyle,
    QgsVectorTileLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

WIDTH, HEIGHT = 512, 384


class ZoomRecorder(QgsVectorTileBasicRenderer):
    """The basic renderer, noting the zoom of every tile it drew."""

    def __init__(self, zooms):
        super().__init__()
        self.zooms = zooms

    def clone(self):
        r = ZoomRecorder(self.zooms)
        r.setStyles(self.styles())
        return r

    def renderTile(self, tile, context):
        self.zooms.append(tile.id().zoomLevel())
        super().renderTile(tile, context)


def main():
    url, out = sys.argv[1], sys.argv[2]
    west, south, east, north = map(float, sys.argv[3:7])
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    layer = QgsVectorTileLayer(f"type=xyz&url={url}&zmin=0&zmax=14", "tiles")
    zooms = []
    renderer = ZoomRecorder(zooms)
    style = QgsVectorTileBasicRendererStyle("fill", None, QgsWkbTypes.PolygonGeometry)
    style.setSymbol(QgsFillSymbol.createSimple({"color": "255,0,0,255", "outline_style": "no"}))
    renderer.setStyles([style])
    layer.setRenderer(renderer)

    web = QgsCoordinateReferenceSystem("EPSG:3857")
    ct = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), web, QgsProject.instance())
    ms = QgsMapSettings()
    ms.setLayers([layer])
    ms.setDestinationCrs(web)
    ms.setExtent(ct.transformBoundingBox(QgsRectangle(west, south, east, north)))
    ms.setOutputSize(QSize(WIDTH, HEIGHT))
    ms.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    img.save(out)
    red = QColor(255, 0, 0).rgb()
    pixels = sum(1 for y in range(img.height()) for x in range(img.width()) if img.pixel(x, y) == red)
    print(json.dumps({"valid": layer.isValid(), "zooms": sorted(set(zooms)), "red_pixels": pixels, "pixels": WIDTH * HEIGHT}), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()

"""Renders an XYZ vector tile layer in headless QGIS, as a user adds it by
URL with QGIS's default zoom range (0 to 14), over an extent deep enough
that QGIS asks for tiles above the tileset's max zoom. Polygons are filled
in pure red without outline; prints a JSON document with the zooms QGIS
drew and the number of red pixels, for e2e/overzoom_qgis_test.go.

usage: overzoom_qgis.py TILE_URL_TEMPLATE OUT_PNG WEST SOUTH EAST NORTH
"""
import sys

import qgis_driver as q
from qgis.core import (
    QgsFillSymbol,
    QgsRectangle,
    QgsVectorTileBasicRenderer,
    QgsVectorTileBasicRendererStyle,
    QgsVectorTileLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor

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
    q.start()
    layer = QgsVectorTileLayer(f"type=xyz&url={url}&zmin=0&zmax=14", "tiles")
    zooms = []
    renderer = ZoomRecorder(zooms)
    style = QgsVectorTileBasicRendererStyle("fill", None, QgsWkbTypes.PolygonGeometry)
    style.setSymbol(QgsFillSymbol.createSimple({"color": "255,0,0,255", "outline_style": "no"}))
    renderer.setStyles([style])
    layer.setRenderer(renderer)
    img, _, _ = q.render([layer], QgsRectangle(west, south, east, north), WIDTH, HEIGHT, extent_crs=q.WGS84, path=out)
    pixels = q.count_pixels(img, QColor(255, 0, 0))
    q.report({"valid": layer.isValid(), "zooms": sorted(set(zooms)), "red_pixels": pixels, "pixels": WIDTH * HEIGHT})


if __name__ == "__main__":
    main()

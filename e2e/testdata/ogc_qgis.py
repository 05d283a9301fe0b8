"""Loads an Outcrop server's layers in QGIS, headless, as a GIS user adds
them by URL: each collection as an OGC API - Features layer, and as an XYZ
vector tile layer; renders each to a PNG. Prints one JSON document for
e2e/ogc_qgis_test.go to check.

usage: ogc_qgis.py BASE_URL OUT_DIR COLLECTION [COLLECTION ...]
"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsVectorLayer,
    QgsVectorTileBasicRenderer,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

WEB_MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")
WIDTH, HEIGHT = 512, 384


class CountingRenderer(QgsVectorTileBasicRenderer):
    """The default vector tile renderer, noting how many features QGIS
    decoded from each tile it drew."""

    def __init__(self, tiles, styles=None):
        super().__init__()
        self.tiles = tiles
        if styles is not None:
            self.setStyles(styles)

    def clone(self):
        return CountingRenderer(self.tiles, self.styles())

    def renderTile(self, tile, context):
        t = tile.id()
        n = sum(len(tile.layerFeatures(layer)) for layer in tile.layers())
        self.tiles[f"{t.zoomLevel()}/{t.column()}/{t.row()}"] = n
        super().renderTile(tile, context)


def render(layer, extent, extent_crs, path):
    """Renders layer over extent (in extent_crs) to path; returns the
    number of pixels that are not the white background."""
    ms = QgsMapSettings()
    ms.setLayers([layer])
    ms.setDestinationCrs(WEB_MERCATOR)
    ct = QgsCoordinateTransform(extent_crs, WEB_MERCATOR, QgsProject.instance())
    ms.setExtent(ct.transformBoundingBox(extent))
    ms.setOutputSize(QSize(WIDTH, HEIGHT))
    ms.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    img.save(path)
    white = QColor(255, 255, 255).rgb()
    return sum(1 for y in range(img.height()) for x in range(img.width()) if img.pixel(x, y) != white)


def main():
    base, out_dir, collections = sys.argv[1], sys.argv[2], sys.argv[3:]
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    result = {"qgis": Qgis.QGIS_VERSION, "log": []}
    # QgsMapLayer.error() crashes QGIS 3.22's Python bindings; the message
    # log says why a layer is not valid instead.
    QgsApplication.messageLog().messageReceived.connect(
        lambda msg, tag, level: result["log"].append(f"{tag}: {msg}"))
    for coll in collections:
        r = result.setdefault(coll, {})
        oapif = QgsVectorLayer(f"url='{base}' typename='{coll}'", coll, "OAPIF")
        r["oapif_valid"] = oapif.isValid()
        if oapif.isValid():
            ids = [f.attribute("id") if oapif.fields().indexOf("id") >= 0 else f.id() for f in oapif.getFeatures()]
            r["oapif_features"] = len(ids)
            r["oapif_feature_count"] = oapif.featureCount()
            r["oapif_fields"] = [f.name() for f in oapif.fields()]
            extent = oapif.extent()
            r["oapif_extent"] = [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()]
            r["oapif_pixels"] = render(oapif, extent, oapif.crs(), os.path.join(out_dir, coll + "-oapif.png"))
            # The same layer in pages of 100, which QGIS reads by following
            # next links.
            paged = QgsVectorLayer(f"url='{base}' typename='{coll}' pageSize='100'", coll + " paged", "OAPIF")
            r["paged_features"] = sum(1 for _ in paged.getFeatures()) if paged.isValid() else -1
        else:
            extent = None

        url = f"{base}/tiles/{coll}/{{z}}/{{x}}/{{y}}.mvt"
        vt = QgsVectorTileLayer(f"type=xyz&url={url}&zmin=0&zmax=6", coll + " tiles")
        r["vt_valid"] = vt.isValid()
        if vt.isValid() and extent is not None:
            tiles = {}
            vt.setRenderer(CountingRenderer(tiles, vt.renderer().styles()))
            r["vt_pixels"] = render(vt, extent, oapif.crs(), os.path.join(out_dir, coll + "-tiles.png"))
            r["vt_tiles"] = tiles
    print(json.dumps(result), flush=True)
    # QgsApplication.exitQgis() crashes standalone QGIS 3.22 scripts as they
    # end; the report is out, so leave without it.
    os._exit(0)


if __name__ == "__main__":
    main()

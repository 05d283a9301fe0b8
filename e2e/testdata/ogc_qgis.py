"""Loads an Outcrop server's layers in QGIS, headless, as a GIS user adds
them by URL: each collection as an OGC API - Features layer, and as an XYZ
vector tile layer; renders each to a PNG. Prints one JSON document for
e2e/ogc_qgis_test.go to check.

usage: ogc_qgis.py BASE_URL OUT_DIR COLLECTION [COLLECTION ...]
"""
import os
import sys

import qgis_driver as q
from qgis.core import QgsApplication, QgsVectorTileBasicRenderer, QgsVectorTileLayer

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
    img, _, _ = q.render([layer], extent, WIDTH, HEIGHT, extent_crs=extent_crs, path=path)
    return q.count_pixels(img, q.WHITE, equal=False)


def main():
    base, out_dir, collections = sys.argv[1], sys.argv[2], sys.argv[3:]
    q.start()
    result = {"qgis": q.VERSION, "log": []}
    # QgsMapLayer.error() crashes QGIS 3.22's Python bindings; the message
    # log says why a layer is not valid instead.
    QgsApplication.messageLog().messageReceived.connect(
        lambda msg, tag, level: result["log"].append(f"{tag}: {msg}"))
    for coll in collections:
        r = result.setdefault(coll, {})
        oapif = q.oapif_layer(base, coll)
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
            paged = q.oapif_layer(base, coll, coll + " paged", page_size=100)
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
    q.report(result)


if __name__ == "__main__":
    main()

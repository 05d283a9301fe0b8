"""Adds a WMTS layer to headless QGIS as a user does, by the server's
capabilities URL, renders a map of 256 zoom-5 pixels whose centre pixel
has its north-west corner at X Y (EPSG:3857 metres) and prints, as JSON
for e2e/wmts_test.go, the layer's validity and the centre pixel's colour.

usage: wmts_qgis.py CAPABILITIES_URL LAYER STYLE X Y OUT_PNG
"""
import sys

import qgis_driver as q
from qgis.core import QgsRectangle

SIZE = 256
RES = 4891.969810251280251  # metres in a pixel of zoom 5


def main():
    url, layer_id, style = sys.argv[1:4]
    x, y = float(sys.argv[4]), float(sys.argv[5])
    out = sys.argv[6]
    q.start()
    layer = q.ows_layer(url, layer_id, style, tile_matrix_set="WebMercatorQuad")
    doc = q.layer_report(layer)
    if layer.isValid():
        half = SIZE // 2 * RES
        img, _, doc["errors"] = q.render([layer], QgsRectangle(x - half, y - half, x + half, y + half), SIZE, SIZE, path=out)
        doc["centre"] = q.rgb(img, SIZE // 2, SIZE // 2)
    q.report(doc)


if __name__ == "__main__":
    main()

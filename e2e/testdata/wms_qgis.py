"""Adds a WMS layer to headless QGIS as a user does, by the server's /wms
URL, a layer and a style, renders a 256-pixel map in EPSG:3857 centred on
LON LAT, and asks QGIS to identify the feature there (as text and as
HTML, the GetFeatureInfo formats QGIS's identify tool uses). Prints, as
JSON for e2e/wms_qgis_test.go, the layer's validity, the centre pixel's
colour and what identify answered.

usage: wms_qgis.py WMS_URL LAYER STYLE LON LAT OUT_PNG
"""
import sys

import qgis_driver as q
from qgis.core import QgsPointXY, QgsRaster, QgsRasterDataProvider, QgsRectangle

SIZE = 256
HALF = 100_000  # metres from the centre to the map's edges


def main():
    url, layer_id, style = sys.argv[1:4]
    lon, lat = float(sys.argv[4]), float(sys.argv[5])
    out = sys.argv[6]
    q.start()
    layer = q.ows_layer(url, layer_id, style)
    doc = q.layer_report(layer)
    if layer.isValid():
        centre = q.to_web_mercator().transform(QgsPointXY(lon, lat))
        extent = QgsRectangle(centre.x() - HALF, centre.y() - HALF, centre.x() + HALF, centre.y() + HALF)
        img, _, doc["errors"] = q.render([layer], extent, SIZE, SIZE, path=out)
        doc["centre"] = q.rgb(img, SIZE // 2, SIZE // 2)
        provider = layer.dataProvider()
        caps = provider.capabilities()
        doc["identify_text_capable"] = bool(caps & QgsRasterDataProvider.IdentifyText)
        doc["identify_html_capable"] = bool(caps & QgsRasterDataProvider.IdentifyHtml)
        for name, fmt in (("text", QgsRaster.IdentifyFormatText), ("html", QgsRaster.IdentifyFormatHtml)):
            res = provider.identify(centre, fmt, extent, SIZE, SIZE)
            doc[name + "_valid"] = res.isValid()
            doc[name] = " ".join(str(v) for v in res.results().values())
            if not res.isValid():
                doc[name + "_error"] = res.error().summary()
    q.report(doc)


if __name__ == "__main__":
    main()

"""Adds a WMS layer to headless QGIS as a user does, by the server's /wms
URL, a layer and a style, renders a 256-pixel map in EPSG:3857 centred on
LON LAT, and asks QGIS to identify the feature there (as text and as
HTML, the GetFeatureInfo formats QGIS's identify tool uses). Prints, as
JSON for e2e/wms_qgis_test.go, the layer's validity, the centre pixel's
colour and what identify answered.

usage: wms_qgis.py WMS_URL LAYER STYLE LON LAT OUT_PNG
"""
import json
import os
import sys
from urllib.parse import quote

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsPointXY,
    QgsProject,
    QgsRaster,
    QgsRasterDataProvider,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

SIZE = 256
HALF = 100_000  # metres from the centre to the map's edges


def main():
    url, layer_id, style = sys.argv[1:4]
    lon, lat = float(sys.argv[4]), float(sys.argv[5])
    out = sys.argv[6]
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    uri = (f"contextualWMSLegend=0&crs=EPSG:3857&dpiMode=7&format=image/png&layers={layer_id}"
           f"&styles={style}&url={quote(url, safe='')}")
    layer = QgsRasterLayer(uri, layer_id, "wms")
    doc = {"valid": layer.isValid(), "error": layer.error().summary() if not layer.isValid() else ""}
    if layer.isValid():
        web = QgsCoordinateReferenceSystem("EPSG:3857")
        wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        centre = QgsCoordinateTransform(wgs84, web, QgsProject.instance()).transform(QgsPointXY(lon, lat))
        extent = QgsRectangle(centre.x() - HALF, centre.y() - HALF, centre.x() + HALF, centre.y() + HALF)
        ms = QgsMapSettings()
        ms.setLayers([layer])
        ms.setDestinationCrs(web)
        ms.setExtent(extent)
        ms.setOutputSize(QSize(SIZE, SIZE))
        ms.setBackgroundColor(QColor(255, 255, 255))
        job = QgsMapRendererSequentialJob(ms)
        job.start()
        job.waitForFinished()
        img = job.renderedImage()
        img.save(out)
        px = QColor(img.pixel(SIZE // 2, SIZE // 2))
        doc["centre"] = [px.red(), px.green(), px.blue()]
        doc["errors"] = [e.message for e in job.errors()]
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
    print(json.dumps(doc), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()

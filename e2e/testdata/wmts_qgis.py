"""Adds a WMTS layer to headless QGIS as a user does, by the server's
capabilities URL, renders a map of 256 zoom-5 pixels whose centre pixel
has its north-west corner at X Y (EPSG:3857 metres) and prints, as JSON
for e2e/wmts_test.go, the layer's validity and the centre pixel's colour.

usage: wmts_qgis.py CAPABILITIES_URL LAYER STYLE X Y OUT_PNG
"""
import json
import os
import sys
from urllib.parse import quote

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

SIZE = 256
RES = 4891.969810251280251  # metres in a pixel of zoom 5


def main():
    url, layer_id, style = sys.argv[1:4]
    x, y = float(sys.argv[4]), float(sys.argv[5])
    out = sys.argv[6]
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    uri = (f"contextualWMSLegend=0&crs=EPSG:3857&dpiMode=7&format=image/png&layers={layer_id}"
           f"&styles={style}&tileMatrixSet=WebMercatorQuad&url={quote(url, safe='')}")
    layer = QgsRasterLayer(uri, layer_id, "wms")
    doc = {"valid": layer.isValid(), "error": layer.error().summary() if not layer.isValid() else ""}
    if layer.isValid():
        web = QgsCoordinateReferenceSystem("EPSG:3857")
        half = SIZE // 2 * RES
        ms = QgsMapSettings()
        ms.setLayers([layer])
        ms.setDestinationCrs(web)
        ms.setExtent(QgsRectangle(x - half, y - half, x + half, y + half))
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
    print(json.dumps(doc), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()

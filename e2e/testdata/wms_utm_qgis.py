"""Adds a WMS layer to headless QGIS in a projected CRS, as a user does who
works in a UTM zone: the layer by the server's /wms URL, a layer, a style
and the CRS; a map in the same CRS. Renders a SIZE-pixel map of the square
of HALF units either side of X, Y and, at each probe point PX,PY (in the
CRS), reads the colour QGIS drew and asks QGIS to identify what is there
(as text, as HTML and as features, the identify formats QGIS offers for a
WMS layer). Prints, as JSON for e2e/wms_qgis_test.go, the layer's
validity and CRS and, per probe, the colour and what identify answered.

Self-contained on purpose (no shared QGIS driver), so that it can be run
by hand with Debian's /usr/bin/python3.

usage: wms_utm_qgis.py WMS_URL LAYER STYLE CRS X Y HALF OUT_PNG PX,PY...
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
    QgsPointXY,
    QgsRaster,
    QgsRasterDataProvider,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

SIZE = 256


def main():
    url, layer_id, style, crs = sys.argv[1:5]
    x, y, half = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
    out = sys.argv[8]
    probes = [tuple(float(v) for v in p.split(",")) for p in sys.argv[9:]]
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    uri = (f"contextualWMSLegend=0&crs={crs}&dpiMode=7&format=image/png&layers={layer_id}"
           f"&styles={style}&url={quote(url, safe='')}")
    layer = QgsRasterLayer(uri, layer_id, "wms")
    doc = {"valid": layer.isValid(), "error": layer.error().summary() if not layer.isValid() else ""}
    if layer.isValid():
        doc["layer_crs"] = layer.crs().authid()
        extent = QgsRectangle(x - half, y - half, x + half, y + half)
        ms = QgsMapSettings()
        ms.setLayers([layer])
        ms.setDestinationCrs(QgsCoordinateReferenceSystem(crs))
        ms.setExtent(extent)
        ms.setOutputSize(QSize(SIZE, SIZE))
        ms.setBackgroundColor(QColor(255, 255, 255))
        job = QgsMapRendererSequentialJob(ms)
        job.start()
        job.waitForFinished()
        img = job.renderedImage()
        img.save(out)
        doc["errors"] = [e.message for e in job.errors()]
        provider = layer.dataProvider()
        caps = provider.capabilities()
        doc["identify_text_capable"] = bool(caps & QgsRasterDataProvider.IdentifyText)
        doc["identify_html_capable"] = bool(caps & QgsRasterDataProvider.IdentifyHtml)
        doc["identify_feature_capable"] = bool(caps & QgsRasterDataProvider.IdentifyFeature)
        doc["probes"] = []
        for px, py in probes:
            i = int((px - extent.xMinimum()) / extent.width() * SIZE)
            j = int((extent.yMaximum() - py) / extent.height() * SIZE)
            c = QColor(img.pixel(i, j))
            probe = {"pixel": [i, j], "colour": [c.red(), c.green(), c.blue()]}
            point = QgsPointXY(px, py)
            for name, fmt in (("text", QgsRaster.IdentifyFormatText), ("html", QgsRaster.IdentifyFormatHtml),
                              ("feature", QgsRaster.IdentifyFormatFeature)):
                res = provider.identify(point, fmt, extent, SIZE, SIZE)
                answer = {"valid": res.isValid()}
                if not res.isValid():
                    answer["error"] = res.error().summary()
                if fmt == QgsRaster.IdentifyFormatFeature:
                    # Each result is a list of feature stores, each holding
                    # QgsFeatures: report their names.
                    names = []
                    for stores in res.results().values():
                        for store in stores if isinstance(stores, list) else []:
                            for f in store.features():
                                if f.fields().indexOf("name") >= 0:
                                    names.append(str(f["name"]))
                    answer["names"] = names
                else:
                    answer["body"] = " ".join(str(v) for v in res.results().values())
                probe[name] = answer
            doc["probes"].append(probe)
    print(json.dumps(doc), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()

"""Loads a collection of an Outcrop server in headless QGIS as an OGC API -
Features layer, as a GIS user adds it by URL, styles it with the served SLD
(QgsVectorLayer.loadSldStyle) and then with the served QML
(loadNamedStyle), renders each and reads the colour at known places.
Prints one JSON document for e2e/styles_desktop_test.go to check.

usage: qgis_desktop_styles.py BASE_URL COLLECTION SLD_URL QML_URL
       "W,S,E,N" PLACES_JSON OUT_DIR
"""
import json
import os
import sys
import urllib.request

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    Qgis,
    QgsApplication,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsPointXY,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

WIDTH, HEIGHT = 400, 200


def render(layer, extent, places, path):
    s = QgsMapSettings()
    s.setLayers([layer])
    s.setDestinationCrs(layer.crs())
    s.setExtent(extent)
    s.setOutputSize(QSize(WIDTH, HEIGHT))
    s.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(s)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    img.save(path)
    m2p = s.mapToPixel()
    out = {}
    for name, (lon, lat) in places.items():
        p = m2p.transform(QgsPointXY(lon, lat))
        out[name] = QColor(img.pixel(int(p.x()), int(p.y()))).name()
    return out


def fetch(url, path):
    with urllib.request.urlopen(url) as r, open(path, "wb") as f:
        f.write(r.read())
        return r.headers.get("Content-Type")


def main():
    base, coll, sld_url, qml_url, bbox, places, out_dir = sys.argv[1:8]
    places = json.loads(places)
    w, s, e, n = (float(v) for v in bbox.split(","))
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    rep = {"qgis": Qgis.QGIS_VERSION}
    layer = QgsVectorLayer(f"url='{base}' typename='{coll}'", coll, "OAPIF")
    rep["valid"] = layer.isValid()
    rep["features"] = layer.featureCount()
    extent = QgsRectangle(w, s, e, n)
    sld = os.path.join(out_dir, coll + ".sld")
    rep["sld_type"] = fetch(sld_url, sld)
    msg, ok = layer.loadSldStyle(sld)
    rep["sld_loaded"], rep["sld_message"] = ok, msg
    rep["sld_renderer"] = layer.renderer().type()
    rep["sld_pixels"] = render(layer, extent, places, os.path.join(out_dir, coll + "-sld.png"))
    qml = os.path.join(out_dir, coll + ".qml")
    rep["qml_type"] = fetch(qml_url, qml)
    msg, ok = layer.loadNamedStyle(qml)
    rep["qml_loaded"], rep["qml_message"] = ok, msg
    rep["qml_renderer"] = layer.renderer().type()
    rep["qml_pixels"] = render(layer, extent, places, os.path.join(out_dir, coll + "-qml.png"))
    print(json.dumps(rep))
    sys.stdout.flush()
    # QgsApplication.exitQgis() crashes standalone QGIS 3.22 scripts.
    os._exit(0)


main()

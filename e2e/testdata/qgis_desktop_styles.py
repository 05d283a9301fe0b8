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

import qgis_driver as q
from qgis.core import QgsRectangle

WIDTH, HEIGHT = 400, 200


def render(layer, extent, places, path):
    img, settings, _ = q.render([layer], extent, WIDTH, HEIGHT, crs=layer.crs(), path=path)
    return q.colours_at(img, settings, places)


def fetch(url, path):
    with urllib.request.urlopen(url) as r, open(path, "wb") as f:
        f.write(r.read())
        return r.headers.get("Content-Type")


def main():
    base, coll, sld_url, qml_url, bbox, places, out_dir = sys.argv[1:8]
    places = json.loads(places)
    w, s, e, n = (float(v) for v in bbox.split(","))
    q.start()
    rep = {"qgis": q.VERSION}
    layer = q.oapif_layer(base, coll)
    rep["valid"] = layer.isValid()
    rep["features"] = layer.featureCount()
    extent = QgsRectangle(w, s, e, n)
    # The SLD first, then the QML over it, each loaded as a user loads a
    # style file in the layer's properties.
    for kind, url, load in (("sld", sld_url, layer.loadSldStyle), ("qml", qml_url, layer.loadNamedStyle)):
        path = os.path.join(out_dir, coll + "." + kind)
        rep[kind + "_type"] = fetch(url, path)
        msg, ok = load(path)
        rep[kind + "_loaded"], rep[kind + "_message"] = ok, msg
        rep[kind + "_renderer"] = layer.renderer().type()
        rep[kind + "_pixels"] = render(layer, extent, places, os.path.join(out_dir, f"{coll}-{kind}.png"))
    q.report(rep)


main()

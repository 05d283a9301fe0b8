"""Loads an MBTiles export in QGIS, headless, as a vector tile layer (as a
user adds it by file), renders its bounds to a PNG and prints one JSON line:
whether the layer is valid, its zoom range and the non-white pixels drawn.

usage: qgis_mbtiles.py FILE.mbtiles OUT.png
"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

path, png = sys.argv[1], sys.argv[2]
app = QgsApplication([], False)
app.initQgis()
layer = QgsVectorTileLayer(f"type=mbtiles&url={path}", "export")
out = {"valid": layer.isValid()}
if layer.isValid():
    out["minzoom"], out["maxzoom"] = layer.sourceMinZoom(), layer.sourceMaxZoom()
    mercator = QgsCoordinateReferenceSystem("EPSG:3857")
    ms = QgsMapSettings()
    ms.setLayers([layer])
    ms.setDestinationCrs(mercator)
    ct = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), mercator, QgsProject.instance())
    ms.setExtent(ct.transformBoundingBox(QgsRectangle(113, -27, 121, -19)))
    ms.setOutputSize(QSize(256, 256))
    ms.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    img.save(png)
    white = QColor(255, 255, 255).rgb()
    out["drawn"] = sum(
        1 for x in range(img.width()) for y in range(img.height()) if img.pixel(x, y) != white
    )
print(json.dumps(out))
app.exitQgis()

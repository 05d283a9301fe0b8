"""What every headless QGIS check of e2e/ shares: starting QGIS without a
display, adding a served layer as a user adds it by URL, drawing a map,
reading its pixels, and printing the one JSON report the Go test reads.

The *_qgis.py scripts import it (Python puts a script's own folder on its
path). They run under Debian's /usr/bin/python3 with python3-qgis; the Go
side is e2e/qgis_test.go.
"""
import json
import os
from urllib.parse import quote

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

WEB_MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
WHITE = QColor(255, 255, 255)
VERSION = Qgis.QGIS_VERSION

_app = None


def start():
    """Starts QGIS without its GUI, once; QGIS must outlive every layer."""
    global _app
    if _app is None:
        QgsApplication.setPrefixPath("/usr", True)
        _app = QgsApplication([], False)
        _app.initQgis()
    return _app


def report(doc):
    """Prints doc, the script's one JSON document, and leaves at once:
    QgsApplication.exitQgis() crashes standalone QGIS 3.22 scripts as they
    end, and the report is out."""
    print(json.dumps(doc), flush=True)
    os._exit(0)


def to_web_mercator(crs=WGS84):
    """The transform from crs to EPSG:3857."""
    return QgsCoordinateTransform(crs, WEB_MERCATOR, QgsProject.instance())


def oapif_layer(base, collection, name=None, page_size=None):
    """An OGC API - Features layer of collection at the server's base URL,
    as QGIS's data source manager adds it."""
    uri = f"url='{base}' typename='{collection}'"
    if page_size:
        uri += f" pageSize='{page_size}'"
    return QgsVectorLayer(uri, name or collection, "OAPIF")


def ows_layer(url, layer, style, tile_matrix_set=None):
    """A WMS layer of a GetCapabilities URL in EPSG:3857 PNG, or with
    tile_matrix_set a WMTS one, as QGIS's WMS/WMTS source adds them."""
    uri = (f"contextualWMSLegend=0&crs=EPSG:3857&dpiMode=7&format=image/png&layers={layer}"
           f"&styles={style}")
    if tile_matrix_set:
        uri += f"&tileMatrixSet={tile_matrix_set}"
    return QgsRasterLayer(uri + f"&url={quote(url, safe='')}", layer, "wms")


def layer_report(layer):
    """The start of a raster layer's report: valid, and why not."""
    return {"valid": layer.isValid(), "error": layer.error().summary() if not layer.isValid() else ""}


def render(layers, extent, width, height, crs=WEB_MERCATOR, extent_crs=None, path=None, background=WHITE):
    """Draws layers over extent (in extent_crs, by default crs) in crs at
    width x height pixels on background, saving the image to path when
    given. Returns the image, the map settings (for mapToPixel) and the
    errors the render job met."""
    ms = QgsMapSettings()
    ms.setLayers(layers)
    ms.setDestinationCrs(crs)
    if extent_crs is not None and extent_crs != crs:
        extent = QgsCoordinateTransform(extent_crs, crs, QgsProject.instance()).transformBoundingBox(extent)
    ms.setExtent(extent)
    ms.setOutputSize(QSize(width, height))
    ms.setBackgroundColor(background)
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    if path:
        img.save(path)
    return img, ms, [e.message for e in job.errors()]


def rgb(img, x, y):
    """The colour of pixel x, y as [r, g, b]."""
    c = QColor(img.pixel(x, y))
    return [c.red(), c.green(), c.blue()]


def count_pixels(img, colour, equal=True):
    """How many pixels of img are colour (or, with equal False, are not)."""
    want = colour.rgb()
    return sum(1 for y in range(img.height()) for x in range(img.width()) if (img.pixel(x, y) == want) == equal)


def colours_at(img, settings, places, crs=None, rounding=int):
    """The colour names (#rrggbb) of img at places, a dict of name to
    [lon, lat], drawn with settings; crs, when given, is the CRS of the
    places if it is not the map's. rounding turns a pixel position into
    a pixel."""
    ct = QgsCoordinateTransform(crs, settings.destinationCrs(), QgsProject.instance()) if crs else None
    m2p = settings.mapToPixel()
    out = {}
    for name, (lon, lat) in places.items():
        p = QgsPointXY(lon, lat)
        if ct is not None:
            p = ct.transform(p)
        p = m2p.transform(p)
        out[name] = img.pixelColor(rounding(p.x()), rounding(p.y())).name()
    return out

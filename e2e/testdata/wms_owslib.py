"""Reads an Outcrop server's WMS with OWSLib's WebMapService, as a Python
user would: parses the capabilities, gets a map, asks what is at a pixel
and gets a legend. Prints a JSON document for e2e/wms_test.go and writes
the map.

usage: wms_owslib.py WMS_URL VERSION LAYER STYLE W,S,E,N SIZE I J OUT_PNG [CRS]

CRS defaults to CRS:84 in 1.3.0 and EPSG:4326 in 1.1.1 (both longitude
first); W,S,E,N are in its units, x first (easting for a projected CRS).
"""
import json
import sys
import xml.etree.ElementTree as ET

from owslib.wms import WebMapService


def main():
    url, version, layer, style, bbox, size, i, j, out = sys.argv[1:10]
    crs = sys.argv[10] if len(sys.argv) > 10 else ("CRS:84" if version == "1.3.0" else "EPSG:4326")
    w, s, e, n = (float(v) for v in bbox.split(","))
    size = int(size)
    wms = WebMapService(url, version=version)
    lyr = wms[layer]
    doc = {
        "version": wms.identification.version,
        "title": wms.identification.title,
        "layers": sorted(wms.contents),
        "layer_title": lyr.title,
        "styles": sorted(lyr.styles),
        "legend": lyr.styles[style].get("legend"),
        "crs": sorted(lyr.crsOptions),
        "bbox": list(lyr.boundingBoxWGS84),
        "queryable": lyr.queryable,
        "formats": wms.getOperationByName("GetMap").formatOptions,
    }
    img = wms.getmap(layers=[layer], styles=[style], srs=crs, bbox=(w, s, e, n),
                     size=(size, size), format="image/png", transparent=True)
    doc["map_type"] = img.info()["Content-Type"]
    doc["map_url"] = img.geturl()
    with open(out, "wb") as f:
        f.write(img.read())
    info = wms.getfeatureinfo(layers=[layer], styles=[style], srs=crs, bbox=(w, s, e, n),
                              size=(size, size), format="image/png", query_layers=[layer],
                              info_format="application/json", xy=(int(i), int(j)))
    doc["info_url"] = info.geturl()
    doc["info"] = json.loads(info.read())
    # The same pixel in GML 3.2: a wfs:FeatureCollection of GeoSciML-Lite
    # members, of which the script reports each member's element and name.
    gml_format = "application/gml+xml; version=3.2"
    doc["gml_formats"] = wms.getOperationByName("GetFeatureInfo").formatOptions
    gml = wms.getfeatureinfo(layers=[layer], styles=[style], srs=crs, bbox=(w, s, e, n),
                             size=(size, size), format="image/png", query_layers=[layer],
                             info_format=gml_format, xy=(int(i), int(j)), feature_count=5)
    root = ET.fromstring(gml.read())
    members = []
    for m in root.findall("{http://www.opengis.net/wfs/2.0}member"):
        for f in m:
            name = f.find("{http://xmlns.geosciml.org/geosciml-portrayal/4.0}name")
            members.append({"element": f.tag, "name": None if name is None else name.text})
    doc["gml"] = {"root": root.tag, "returned": root.get("numberReturned"), "members": members}
    print(json.dumps(doc))


if __name__ == "__main__":
    main()

"""Reads an Outcrop server's WMS with OWSLib's WebMapService, as a Python
user would: parses the capabilities, gets a map, asks what is at a pixel
and gets a legend. Prints a JSON document for e2e/wms_test.go and writes
the map.

usage: wms_owslib.py WMS_URL VERSION LAYER STYLE W,S,E,N SIZE I J OUT_PNG
"""
import json
import sys

from owslib.wms import WebMapService


def main():
    url, version, layer, style, bbox, size, i, j, out = sys.argv[1:10]
    w, s, e, n = (float(v) for v in bbox.split(","))
    size = int(size)
    wms = WebMapService(url, version=version)
    lyr = wms[layer]
    crs = "CRS:84" if version == "1.3.0" else "EPSG:4326"
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
    with open(out, "wb") as f:
        f.write(img.read())
    info = wms.getfeatureinfo(layers=[layer], styles=[style], srs=crs, bbox=(w, s, e, n),
                              size=(size, size), format="image/png", query_layers=[layer],
                              info_format="application/json", xy=(int(i), int(j)))
    doc["info"] = json.loads(info.read())
    print(json.dumps(doc))


if __name__ == "__main__":
    main()

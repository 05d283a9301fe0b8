"""Reads an Outcrop server's WFS with OWSLib's WebFeatureService 2.0.0, as a
Python user would: parses the capabilities, then runs GetFeature with a
BBOX (OWSLib sends it latitude first for the URN default CRS) and with
COUNT/STARTINDEX paging, in GML 3.2 and GeoJSON. Prints a JSON document
for e2e/wfs_test.go.

usage: wfs_owslib.py WFS_URL TYPENAME MINLON MINLAT MAXLON MAXLAT
"""
import json
import sys
import xml.etree.ElementTree as ET

from owslib.wfs import WebFeatureService

WFS = "{http://www.opengis.net/wfs/2.0}"
GML = "{http://www.opengis.net/gml/3.2}"


def members(body):
    root = ET.fromstring(body)
    ids = [m[0].get(GML + "id") for m in root.findall(WFS + "member")]
    return root, ids


def main():
    url, typename = sys.argv[1:3]
    bbox = tuple(float(v) for v in sys.argv[3:7])
    wfs = WebFeatureService(url, version="2.0.0")
    ft = wfs.contents[typename]
    doc = {
        "version": wfs.version,
        "types": sorted(wfs.contents),
        "title": ft.title,
        "crs": [c.getcodeurn() for c in ft.crsOptions],
        "bbox": list(ft.boundingBoxWGS84),
        "operations": sorted(op.name for op in wfs.operations),
    }
    resp = wfs.getfeature(typename=[typename], bbox=bbox)
    body = resp.read()
    root, ids = members(body)
    doc["bbox_url"] = resp.geturl() if hasattr(resp, "geturl") else ""
    doc["bbox_ids"] = ids
    doc["bbox_matched"] = int(root.get("numberMatched"))
    pages = []
    start = 0
    while True:
        kw = {"typename": [typename], "maxfeatures": 100}
        if start:
            kw["startindex"] = start
        root, ids = members(wfs.getfeature(**kw).read())
        pages.append(len(ids))
        doc.setdefault("paged_ids", []).extend(ids)
        if not root.get("next"):
            break
        start += len(ids)
    doc["pages"] = pages
    gj = json.loads(wfs.getfeature(typename=[typename], maxfeatures=5, outputFormat="application/json").read())
    doc["json_ids"] = [f["id"] for f in gj["features"]]
    doc["json_matched"] = gj["numberMatched"]
    print(json.dumps(doc))


if __name__ == "__main__":
    main()

"""Reads an Outcrop server with OWSLib's OGC API - Features client, as a
Python user would, and prints what it got as one JSON document for
e2e/ogc_owslib_test.go to check.

usage: ogc_owslib.py URL COLLECTION MINX MINY MAXX MAXY
"""
import json
import sys

from owslib.ogcapi.features import Features


def main():
    url, coll = sys.argv[1], sys.argv[2]
    bbox = [float(v) for v in sys.argv[3:7]]
    api = Features(url)
    out = {
        "conformance": api.conformance().get("conformsTo", []),
        "collections": [c["id"] for c in api.collections()["collections"]],
        "collection_item_type": api.collection(coll).get("itemType"),
    }
    items = api.collection_items(coll, bbox=bbox, limit=1000)
    out["bbox_ids"] = [f["id"] for f in items["features"]]
    out["bbox_matched"] = items.get("numberMatched")
    page = api.collection_items(coll, limit=5, offset=5)
    out["page_ids"] = [f["id"] for f in page["features"]]
    out["queryables"] = sorted(api.collection_queryables(coll)["properties"])
    item = api.collection_item(coll, "1")
    out["item_id"] = item["id"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()

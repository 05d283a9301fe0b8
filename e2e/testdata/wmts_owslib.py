"""Reads an Outcrop server's WMTS with OWSLib's WebMapTileService, as a
Python user would: parses the capabilities, then gets one tile by KVP
GetTile. Prints a JSON document for e2e/wmts_test.go and writes the tile.

usage: wmts_owslib.py CAPABILITIES_URL LAYER STYLE ZOOM ROW COL OUT_PNG
"""
import json
import sys

from owslib.wmts import WebMapTileService


def main():
    url, layer, style = sys.argv[1:4]
    z, row, col = sys.argv[4:7]
    out = sys.argv[7]
    wmts = WebMapTileService(url)
    lyr = wmts.contents[layer]
    tms = wmts.tilematrixsets["WebMercatorQuad"]
    doc = {
        "version": wmts.version,
        "layers": sorted(wmts.contents),
        "styles": sorted(lyr.styles),
        "default_style": [k for k, v in lyr.styles.items() if v.get("isDefault")],
        "formats": lyr.formats,
        "tilematrixsets": sorted(lyr.tilematrixsets),
        "bbox": list(lyr.boundingBoxWGS84),
        "crs": tms.crs,
        "matrices": sorted(tms.tilematrix, key=int),
        "scale0": tms.tilematrix["0"].scaledenominator,
        "limits": sorted(lyr.tilematrixsetlinks["WebMercatorQuad"].tilematrixlimits, key=int),
    }
    tile = wmts.gettile(layer=layer, tilematrixset="WebMercatorQuad", tilematrix=z,
                        row=int(row), column=int(col), format="image/png", style=style)
    body = tile.read()
    doc["tile_url"] = tile.geturl()
    doc["tile_type"] = tile.info()["Content-Type"]
    with open(out, "wb") as f:
        f.write(body)
    print(json.dumps(doc))


if __name__ == "__main__":
    main()

"""Convert MapLibre style files with QGIS's own QgsMapBoxGlStyleConverter and
print, as JSON, what QGIS made of each: its warnings, and per renderer and
labeling style the source layer, geometry, filter, colours and data-defined
expressions. styles/qgis_test.go runs it (Debian: apt-get install python3-qgis)."""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    Qgis,
    QgsApplication,
    QgsMapBoxGlStyleConversionContext,
    QgsMapBoxGlStyleConverter,
)


def props(collection):
    return {str(k): collection.property(k).asExpression() for k in collection.propertyKeys()}


def main(paths):
    app = QgsApplication([], False)
    app.initQgis()
    out = {"qgis": Qgis.QGIS_VERSION, "styles": {}}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        conv = QgsMapBoxGlStyleConverter()
        result = conv.convert(doc, QgsMapBoxGlStyleConversionContext())
        renderer, labeling = conv.renderer(), conv.labeling()
        rstyles = []
        for s in renderer.styles() if renderer else []:
            sym = s.symbol()
            layer = sym.symbolLayer(0)
            colour = layer.color()  # the fill of fills and markers, the stroke of lines
            rstyles.append({
                "name": s.styleName(),
                "layer": s.layerName(),
                "geometry": int(s.geometryType()),
                "filter": s.filterExpression(),
                "minzoom": s.minZoomLevel(),
                "colour": colour.name(),
                "stroke": layer.strokeColor().name() if hasattr(layer, "strokeColor") else "",
                "layer_dd": props(layer.dataDefinedProperties()),
            })
        lstyles = [{
            "name": s.styleName(),
            "layer": s.layerName(),
            "field": s.labelSettings().fieldName,
            "minzoom": s.minZoomLevel(),
        } for s in (labeling.styles() if labeling else [])]
        out["styles"][os.path.basename(path)] = {
            "result": int(result),
            "error": conv.errorMessage(),
            "warnings": list(conv.warnings()),
            "renderer": rstyles,
            "labeling": lstyles,
        }
    json.dump(out, sys.stdout, indent=1)
    app.exitQgis()


if __name__ == "__main__":
    main(sys.argv[1:])

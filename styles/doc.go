// Package styles generates the MapLibre style documents and legends that
// Outcrop serves at /styles, /styles/{id}.json and /collections/{id}/legend.
//
// A tileset offers the styles its harmonised fields and geometry allow
// (Kinds): geology by age, filled with the ICS chart's own colour of each
// unit's representativeAge_uri; geology by lithology, by CGI Simple
// Lithology class; faults by CGI fault type; mineral occurrences by CGI
// commodity group, with the commodity code as a label at high zoom when the
// server serves glyphs; borders as lines; the edge-matching layer of outcrop compile
// (border segments by class, gaps and overlaps hatched); and a default style by geometry
// alone for unharmonised data; a Natural Earth basemap (sea, land, rivers,
// borders, places). Combined draws the whole store in one style, the basemap
// under polygons under lines under points.
//
// Each thematic style is built in two steps from the counts of the values
// present in the data: first its Legend (one Entry per ICS unit or palette
// class, with the data values it covers and their feature count), then the
// style's layers from those entries. A legend and its style therefore cannot
// disagree, and the legend also travels inside the style's metadata.
//
// The styles load in MapLibre GL JS and in QGIS (QgsMapBoxGlStyleConverter,
// checked against QGIS 3.22, Debian 12's), so they keep to what both read:
// background, fill, line, circle and symbol layers; #RRGGBB colours; "match"
// with array labels, "interpolate" on zoom, "get" and "geometry-type";
// constant dash arrays. Where QGIS reads a property only as a constant (line
// width and dash, circle colour in 3.22), a class gets its own layer with a
// filter instead of a data-driven value. Every URL in a style is on the
// server's own base URL: a source is {base}/tiles/{id}.json, glyphs are
// used only when the server says where it serves them, and there is no
// sprite.
//
// Palettes, fault symbols and cartographic constants are data, in the JSON
// files under palettes/, embedded and checked against the vocabularies on
// first use; README.md beside this file explains them.
package styles

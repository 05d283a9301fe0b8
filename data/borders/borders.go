// Package borders embeds the reference country borders bundled with Outcrop,
// so that outcrop compile needs no borders file of its own
// (data/SOURCES.md says where they come from).
package borders

import _ "embed"

// ASEAN10m is asean-borders-10m.geojson: the country polygons of the ASEAN
// states, Timor-Leste and clipped China, Natural Earth 1:10m, in WGS 84,
// keyed by iso_a3.
//
//go:embed asean-borders-10m.geojson
var ASEAN10m []byte

// ASEAN10mName names ASEAN10m in messages.
const ASEAN10mName = "data/borders/asean-borders-10m.geojson"

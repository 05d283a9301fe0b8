// Package tileset owns Outcrop's tileset file: one bbolt database per dataset
// holding its metadata, its gzip-compressed vector tiles and its features in
// full with a spatial index over them. The layout is a published format,
// documented in FORMAT.md beside this file, so that other programs can read a
// tileset without this code.
//
// A Writer builds a new version of a tileset beside the live one and renames it
// into place only when it is complete and synced; a Reader serves a version
// read-only, in place, without loading it into memory: tiles by address, and
// features by id or by query (Features), which the index answers exactly.
package tileset

import "time"

// FormatVersion is the version of the file layout this package writes. Readers
// refuse files with a newer version than they know; additions that older
// readers can ignore (new buckets, keys or metadata fields) keep the version.
const FormatVersion = 2

// Ext is the file name extension of a tileset file in a store directory.
const Ext = ".tileset"

// Field describes one attribute of the tileset's features.
type Field struct {
	Name string `json:"name"`
	// Type is one of "integer", "real", "string", "date", "datetime", "boolean".
	Type string `json:"type"`
}

// ZoomStats counts what was written at one zoom level.
type ZoomStats struct {
	Zoom     int   `json:"zoom"`
	Tiles    int64 `json:"tiles"`
	Bytes    int64 `json:"bytes"`     // compressed bytes of all tiles at this zoom
	MaxBytes int64 `json:"max_bytes"` // the largest compressed tile at this zoom
	Features int64 `json:"features"`  // features encoded, summed over tiles
	// Kept, Merged and Dropped account for every feature cut at this zoom,
	// each counted once however many tiles it crosses: Kept features are
	// drawn as themselves in at least one tile; Merged ones are not, but are
	// counted in a feature that is (points gathered into a kept point's
	// point_count, polygons too small to draw merged into a neighbour);
	// Dropped ones are not drawn at all (lines shorter than a pixel,
	// isolated polygons smaller than one, features dropped to keep a tile
	// within its size limits). A geometry collection counts once per kind of
	// geometry it holds.
	Kept    int64 `json:"kept"`
	Merged  int64 `json:"merged"`
	Dropped int64 `json:"dropped"`
	// MergedArea and DroppedArea are the shares (0 to 1) of the total area of
	// the polygons cut that were merged into a neighbouring feature or not
	// drawn at this zoom.
	MergedArea  float64 `json:"merged_area"`
	DroppedArea float64 `json:"dropped_area"`
}

// Source records where a tileset came from, for provenance.
type Source struct {
	File   string `json:"file"`             // base name of the file ingested
	Layer  string `json:"layer,omitempty"`  // layer read within that file
	Driver string `json:"driver,omitempty"` // GDAL driver short name
	CRS    string `json:"crs,omitempty"`    // source CRS as given or detected (e.g. EPSG:24047)
	// Scale is the denominator of the source map's scale as the survey
	// gave it (250000 for 1:250 000), 0 if not given.
	Scale int `json:"scale,omitempty"`
}

// Metadata is the JSON document stored under the "meta" bucket's "metadata" key.
type Metadata struct {
	FormatVersion int    `json:"format_version"`
	ID            string `json:"id"`
	Title         string `json:"title"`
	Description   string `json:"description,omitempty"`
	Attribution   string `json:"attribution,omitempty"`
	License       string `json:"license,omitempty"`
	// Layer is the name of the single MVT layer in every tile.
	Layer string `json:"layer"`
	// GeometryType is "point", "line", "polygon" or "mixed".
	GeometryType string  `json:"geometry_type"`
	Fields       []Field `json:"fields"`
	// Bounds is west, south, east, north in WGS 84 degrees.
	Bounds [4]float64 `json:"bounds"`
	// Center is longitude, latitude, zoom.
	Center       [3]float64  `json:"center"`
	MinZoom      int         `json:"minzoom"`
	MaxZoom      int         `json:"maxzoom"`
	FeatureCount int64       `json:"feature_count"`
	Zooms        []ZoomStats `json:"zooms"`
	Source       Source      `json:"source"`
	// Language is the BCP 47 tag of the source's own language ("th"), in
	// which legends and popups show vocabulary labels beside the English
	// ones; empty when that is English or unknown.
	Language string `json:"language,omitempty"`
	// Precision is the number of decimal places to which ingest rounded the
	// stored features' coordinates; 0 when unknown.
	Precision int `json:"precision,omitempty"`
	// ValueCounts counts the features per value of each vocabulary-bound
	// _uri field (field -> URI -> features), from which styles and legends
	// are generated without reading the tiles.
	ValueCounts map[string]map[string]int64 `json:"value_counts,omitempty"`
	// Time names the features' temporal property (ingest --time-field);
	// nil when they have none.
	Time *Temporal `json:"time,omitempty"`
	// Version is unique to one written file; HTTP ETags derive from it.
	Version string    `json:"version"`
	Created time.Time `json:"created"`
}

// Tile is one encoded tile, XYZ addressed (y counted from the top).
type Tile struct {
	Z, X, Y int
	// Data is the gzip-compressed Mapbox Vector Tile.
	Data []byte
}

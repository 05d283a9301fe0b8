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

import (
	"time"

	"github.com/outcrop/outcrop/raster"
)

// FormatVersion is the version of the file layout this package writes, and
// the newest it reads. Readers refuse files with a newer version than they
// know; additions that older readers can ignore (new buckets, keys or
// metadata fields) keep the version. Version 2 checksums every stored value
// and allows raster tilesets, whose data tiles a version 1 reader would
// misread as vector tiles; version 1 files are still read, unchecked.
// Version 3 allows raster tilesets of colour tiles (PNG or JPEG), whose
// tiles a version 2 reader would misread as data tiles. A file is written
// with the lowest version that describes it (versionFor), so that older
// readers keep reading every file they can.
const FormatVersion = 3

// versionFor is the format version a file with metadata m is written as:
// 3 for a raster of colour tiles, else 2.
func versionFor(m *Metadata) int {
	if m.Raster != nil && raster.IsColour(m.Raster.Encoding) {
		return 3
	}
	return 2
}

// KindRaster is the metadata kind of a tileset of raster data tiles.
const KindRaster = "raster"

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
	// Keywords are words a catalogue finds the data by, in the order given.
	Keywords []string `json:"keywords,omitempty"`
	// Countries are the ISO 3166-1 alpha-3 codes (upper case) of the
	// countries the data covers, in the order given; Theme is what it shows
	// (onegeology.ThemeNames); DataOwner is the short name of the
	// organisation owning the data ("GA"). WMS names, titles and keywords
	// its layer in OneGeology's forms from them.
	Countries []string `json:"countries,omitempty"`
	Theme     string   `json:"theme,omitempty"`
	DataOwner string   `json:"data_owner,omitempty"`
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
	// Units is the map's own legend of units, from the mapping's legend:
	// section (harmonise/MAPPING.md), from which the geology-unit style is
	// made; nil when the mapping names no unit field.
	Units *Units `json:"units,omitempty"`
	// Time names the features' temporal property (ingest --time-field);
	// nil when they have none.
	Time *Temporal `json:"time,omitempty"`
	// Kind is KindRaster for a tileset of raster data tiles; empty for
	// vector tiles.
	Kind string `json:"kind,omitempty"`
	// Raster describes a raster tileset's bands and data tiles; nil for a
	// vector tileset.
	Raster *Raster `json:"raster,omitempty"`
	// Version is unique to one written file; HTTP ETags derive from it.
	Version string    `json:"version"`
	Created time.Time `json:"created"`
}

// Units is a map's legend of units: the field holding each feature's unit
// code, and each unit present.
type Units struct {
	// Field is the stored field holding the unit code (a string field).
	Field string `json:"field"`
	// Units are sorted by code.
	Units []Unit `json:"units"`
}

// Unit is one unit of a map's legend.
type Unit struct {
	Code string `json:"code"`
	// Name is the unit's harmonised name, the most frequent among its features.
	Name string `json:"name,omitempty"`
	// Age is the ICS unit URI most of its features' representativeAge_uri
	// holds; empty when none holds one.
	Age string `json:"age,omitempty"`
	// Colour is the survey's own "#RRGGBB" for the unit; empty when the
	// survey gives none and the style picks one.
	Colour   string `json:"colour,omitempty"`
	Features int64  `json:"features"`
}

// Raster describes the data tiles of a raster tileset (FORMAT.md, "Raster
// tilesets").
type Raster struct {
	// Encoding names the tile value encoding: raster.Encoding.
	Encoding string `json:"encoding"`
	// TileSize is the width and height of a data tile in pixels.
	TileSize int `json:"tile_size"`
	// Resampling is the GDAL resampling method the pyramid was warped with.
	Resampling string `json:"resampling"`
	// Bands describes each band, in the order of the tiles' planes.
	Bands []Band `json:"bands"`
}

// Band is one band of a raster tileset.
type Band struct {
	Name  string `json:"name"`
	Units string `json:"units,omitempty"`
	// DataType is the source's pixel type as GDAL names it ("Float32",
	// "Int16"); tiles hold every type as float32.
	DataType string `json:"data_type"`
	// NoData is the source's nodata value when it had one other than NaN;
	// in tiles nodata is always NaN.
	NoData *float64 `json:"nodata,omitempty"`
	// Stats summarises the band's values at the max zoom; nil when it has
	// none.
	Stats *raster.Stats `json:"stats,omitempty"`
}

// Tile is one encoded tile, XYZ addressed (y counted from the top).
type Tile struct {
	Z, X, Y int
	// Data is the gzip-compressed Mapbox Vector Tile, or in a raster
	// tileset a raster.Encode data tile.
	Data []byte
}

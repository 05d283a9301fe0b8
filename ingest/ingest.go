// Package ingest turns one survey file into a tileset: read it through GDAL,
// repair and reproject its geometries to WGS 84, keep its attributes with their
// types, cut tiles and write a new tileset version atomically. It is the only
// package that parses untrusted files, and the only one that needs cgo.
package ingest

import (
	"io"
	"log/slog"
	"time"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/tileset"
)

// Options are the settings of one ingest; cmd/outcrop fills them from flags.
type Options struct {
	Store       string // store directory
	ID          string // tileset id
	Title       string // default: the file's base name
	SourceLayer string // layer to read from a multi-layer source
	SrcSRS      string // CRS to assume when the file declares none (--s-srs)
	Encoding    string // source encoding for files that do not declare one (--encoding)
	MinZoom     int
	MaxZoom     int // -1: chosen from Scale (tiles.ScaleMaxZoom) or the data (tiles.AutoMaxZoom)
	// Scale is the denominator of the source map's scale (250000 for
	// 1:250 000), 0 if unknown (--scale): it sets the max zoom when MaxZoom
	// is -1, and is recorded in the metadata's source.
	Scale       int
	Attribution string
	License     string
	Description string   // shown in /collections
	Keywords    []string // words a catalogue finds the data by
	// Countries (ISO 3166-1 alpha-3, as onegeology.ParseCountries returns
	// them), Theme (onegeology.ThemeNames) and DataOwner (the owner's short
	// name) are recorded in the metadata for OneGeology's WMS layer forms.
	Countries []string
	Theme     string
	DataOwner string
	// MaxTileBytes is the compressed size limit per tile (0: the tiles default).
	MaxTileBytes int
	// MaxTileFeatures is the feature limit per tile (0: the tiles default).
	MaxTileFeatures int
	// MaxTiles refuses the ingest, before any tile is cut, when the tiles
	// to cut are estimated (tiles.EstimateTiles) at more than this: 0 means
	// tiles.DefaultMaxTiles, a negative value no limit.
	MaxTiles int
	// ClusterField, when set, makes thinned points carry counts per value of
	// this field (point_count_<value>) beside point_count.
	ClusterField string
	// Precision is the number of decimal places to which the WGS 84
	// coordinates are rounded (--precision), 1 to MaxPrecision; 0 for
	// DefaultPrecision.
	Precision int
	// DropRate thins points below the max zoom as tippecanoe's -r does, on
	// top of the even grid (tiles.Options.DropRate); 0 for the default.
	DropRate float64
	// Mapping is a mapping file (harmonise/MAPPING.md) onto whose
	// GeoSciML-Lite or EarthResourceML-Lite view the features are
	// harmonised (--mapping); empty for none.
	Mapping string
	// Strict refuses the ingest, before anything is written, when a
	// feature's geometry cannot be repaired (else skipped and listed), or
	// the harmonisation report lists any problem (--strict).
	Strict bool
	// Language is the BCP 47 tag of the source's own language (--lang), in
	// which legends and popups show vocabulary labels beside English.
	Language string
	// TimeField names the field holding the features' time (--time-field),
	// which OGC API - Features' datetime filters on; empty for none.
	TimeField string
	// Resampling is the GDAL resampling method a raster is warped with
	// (--resampling); empty for the default: nearest for a band of classes
	// (a colour table or category names), bilinear otherwise.
	Resampling string
	// Band is the 1-based band of a raster to ingest (--band); 0 for all.
	Band int
	// TileFormat is how a colour raster's tiles are stored (--tile-format):
	// raster.ColourPNG (the default, "") or raster.ColourJPEG.
	TileFormat string
	// Subdataset names the subdataset of a netCDF or HDF file to ingest
	// (--subdataset): its variable name or its number from 1.
	Subdataset string
	// Units are the units of a raster's bands (--units), e.g. km, for a
	// source that declares none; they replace declared ones, with a warning.
	Units string
	// Report receives the harmonisation report, for people, as soon as it
	// is made (before tiles are cut); nil for none.
	Report io.Writer
	// Progress receives a progress bar when it is a terminal; nil for none.
	Progress io.Writer
	Logger   *slog.Logger

	// harmonised is what Run's harmonisation step hands on to read and
	// write: the loaded mapping, then the documents to store.
	harmonised *harmonised
}

// Summary is what an ingest did, printed at the end.
type Summary struct {
	File      string
	Layer     string
	Driver    string
	SourceCRS string
	Read      int64            // features read from the source
	Repaired  int64            // invalid geometries made valid
	Skipped   map[string]int64 // features skipped, by reason (e.g. "empty geometry")
	Written   int64            // features that went into tiles
	// Raster is set when the source was a raster; the feature counts are
	// then zero.
	Raster *RasterSummary
	// MaxZoom is the max zoom cut, and MaxZoomReason why, for people.
	MaxZoom       int
	MaxZoomReason string
	Zooms         []tileset.ZoomStats
	// Dates counts how the --time-field's values read; nil without one.
	Dates *DateCounts
	// Harmonisation is the report of --mapping; nil without one.
	Harmonisation *harmonise.Report
	Bytes         int64 // size of the tileset file
	Duration      time.Duration

	// ReprojRepaired counts, of Repaired, the geometries that were made
	// valid after reprojection and rounding, as they had stopped being so.
	ReprojRepaired int64
	// DegenerateParts counts the spikes, zero-area rings or polygons and
	// zero-length lines dropped after reprojection and rounding, from
	// DegenerateFeatures features (a feature left with nothing is skipped).
	DegenerateParts, DegenerateFeatures int64
	// Unrepairable lists the first 100 features skipped because their
	// geometry cannot be read or made valid (all are counted in Skipped).
	Unrepairable []SkippedFeature
}

// SkippedFeature is a source feature left out of the tileset, and why.
type SkippedFeature struct {
	Number uint64 // 1-based position in the source, the tileset's feature id
	FID    int64  // the source's own feature id (GDAL's FID)
	Reason string
}

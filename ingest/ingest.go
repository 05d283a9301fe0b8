// Package ingest turns one survey file into a tileset: read it through GDAL,
// repair and reproject its geometries to WGS 84, keep its attributes with their
// types, cut tiles and write a new tileset version atomically. It is the only
// package that parses untrusted files, and the only one that needs cgo.
package ingest

import (
	"io"
	"log/slog"
	"time"

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
	MaxZoom     int // -1: chosen from the data (tiles.AutoMaxZoom)
	Attribution string
	License     string
	// MaxTileBytes is the compressed size limit per tile (0: the tiles default).
	MaxTileBytes int
	// Progress receives a progress bar when it is a terminal; nil for none.
	Progress io.Writer
	Logger   *slog.Logger
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
	Zooms     []tileset.ZoomStats
	Bytes     int64 // size of the tileset file
	Duration  time.Duration
}

package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// Layer is one source read the way Run reads it (opened through GDAL,
// recoded, repaired, reprojected to WGS 84 and harmonised by opts.Mapping)
// but not written, so that several sources can be combined before tiling
// (package compile).
type Layer struct {
	Features []*geojson.Feature
	// Fields is the features' schema, harmonised fields included.
	Fields []tileset.Field
	// Source is the provenance Run would store in the metadata.
	Source  tileset.Source
	Summary *Summary
}

// ReadLayer reads file with opts as Run would, and writes nothing; opts.Store
// and opts.ID are validated as for Run. The harmonisation report goes to
// opts.Report as it is made; under opts.Strict a report with problems, or a
// feature whose geometry cannot be repaired, is an error. Errors are *Error values, one line each.
func ReadLayer(ctx context.Context, file string, opts Options) (l *Layer, err error) {
	defer func() {
		if p := recover(); p != nil {
			l, err = nil, fmt.Errorf("%s: internal error while reading (%v); nothing was written: please report this with the file", file, p)
		}
	}()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := validate(&opts); err != nil {
		return nil, err
	}
	if err := loadHarmonisation(&opts); err != nil {
		return nil, err
	}
	sum, features, attrs, err := read(ctx, file, opts, log)
	if err != nil {
		return nil, err
	}
	meta := &tileset.Metadata{Fields: schemaFields(attrs)}
	if err := harmoniseInto(opts, features, meta, sum, log); err != nil {
		return nil, err
	}
	return &Layer{
		Features: features,
		Fields:   meta.Fields,
		Source:   tileset.Source{File: filepath.Base(file), Layer: sum.Layer, Driver: sum.Driver, CRS: sum.SourceCRS},
		Summary:  sum,
	}, nil
}

// WriteTileset cuts features into tiles and stores them, with meta, as a new
// version of tileset opts.ID in opts.Store, exactly as Run does; docs are
// further documents for the meta bucket (key to JSON). meta gives the title,
// attribution, fields and source; WriteTileset fills the id, layer, geometry
// type, bounds, center, zooms (opts.MaxZoom -1 chooses the max zoom from the
// data), feature count and the value counts of vocabulary fields; value
// counts meta already holds (of other fields, such as compile's edge-matching
// kind and class) are kept. On any error the store is unchanged.
func WriteTileset(ctx context.Context, features []*geojson.Feature, meta *tileset.Metadata, opts Options, docs map[string][]byte) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("tileset %s: internal error while writing (%v); the store is unchanged: please report this", opts.ID, p)
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("tileset %s: interrupted (%w); the store is unchanged", opts.ID, err)
		}
	}()
	if err := validate(&opts); err != nil {
		return err
	}
	if len(features) == 0 {
		return flagErr("--id", "tileset %s would have no features; nothing was written", opts.ID)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := bounds(features)
	minZoom := opts.MinZoom
	maxZoom, _ := maxZoomFor(opts, features, b)
	meta.Layer = opts.ID
	meta.GeometryType = geometryType(features)
	meta.Bounds = b
	meta.Center = center(b, minZoom, maxZoom)
	meta.MinZoom, meta.MaxZoom = minZoom, maxZoom
	meta.FeatureCount = int64(len(features))
	counts := valueCounts(features, meta.Fields, log)
	for field, c := range meta.ValueCounts { // the caller's own, kept
		if counts == nil {
			counts = map[string]map[string]int64{}
		}
		counts[field] = c
	}
	meta.ValueCounts = counts
	_, err = write(ctx, opts.ID, opts, features, meta, docs)
	return err
}

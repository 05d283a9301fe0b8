package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tiles"
	"github.com/outcrop/outcrop/tileset"
)

// Run ingests file into the store as tileset opts.ID: it validates the
// options, reads and converts every feature, then cuts and writes the tiles
// as a new version of the tileset. Until that version is committed nothing in
// the store changes, so on any error the previous version stays as it was.
// Errors about the input or the options are *Error values, one line each.
func Run(ctx context.Context, file string, opts Options) (sum *Summary, err error) {
	start := time.Now()
	defer func() {
		// A bug must not reach the user as a stack trace; the store is
		// unchanged, since a panic before Commit aborts the new version.
		if p := recover(); p != nil {
			sum, err = nil, fmt.Errorf("%s: internal error while ingesting (%v); the store is unchanged: please report this with the file", file, p)
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%s: ingest interrupted (%w); the store is unchanged", file, err)
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

	minZoom, maxZoom := opts.MinZoom, opts.MaxZoom
	if maxZoom < 0 {
		maxZoom = max(min(tiles.AutoMaxZoom(features), MaxZoomLimit), minZoom)
		log.Info("max zoom chosen from the data's detail", "file", file, "maxzoom", maxZoom)
	}
	b := bounds(features)
	meta := &tileset.Metadata{
		Title:        opts.Title,
		Description:  opts.Description,
		Keywords:     opts.Keywords,
		Attribution:  opts.Attribution,
		License:      opts.License,
		Layer:        opts.ID,
		GeometryType: geometryType(features),
		Fields:       schemaFields(attrs),
		Bounds:       b,
		Center:       center(b, minZoom, maxZoom),
		MinZoom:      minZoom,
		MaxZoom:      maxZoom,
		FeatureCount: int64(len(features)),
		Source: tileset.Source{
			File:   filepath.Base(file),
			Layer:  sum.Layer,
			Driver: sum.Driver,
			CRS:    sum.SourceCRS,
		},
	}
	if meta.Title == "" {
		meta.Title = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	if err := harmoniseInto(opts, features, meta, sum, log); err != nil {
		return nil, err
	}

	zooms, err := write(ctx, file, opts, features, meta)
	if err != nil {
		return nil, err
	}
	sum.Zooms = zooms
	if fi, err := os.Stat(filepath.Join(opts.Store, opts.ID+tileset.Ext)); err == nil {
		sum.Bytes = fi.Size()
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

// read opens file and reads its layer into WGS 84 features. The GDAL dataset
// is closed before returning, so its memory is not held while tiles are cut.
func read(ctx context.Context, file string, opts Options, log *slog.Logger) (*Summary, []*geojson.Feature, []attribute, error) {
	s, err := openSource(file, opts, log)
	if err != nil {
		return nil, nil, nil, err
	}
	defer s.release()
	proj, err := newProjection(s, opts.SrcSRS, log)
	if err != nil {
		return nil, nil, nil, err
	}
	defer proj.Close()
	attrs, err := attributeSchema(s, log)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := checkMapping(opts, attrs); err != nil {
		return nil, nil, nil, err
	}

	total := int64(-1)
	if opts.Progress != nil && s.layer.TestCapability("FastFeatureCount") {
		if n, err := s.layer.FeatureCount(); err == nil {
			total = int64(n)
		}
	}
	bar := newProgress(opts.Progress, "reading", "features", total)
	r, err := readFeatures(ctx, s, proj, attrs, bar)
	bar.Finish()
	s.warn.flush()
	if err != nil {
		return nil, nil, nil, err
	}
	if err := checkRead(s, r); err != nil {
		return nil, nil, nil, err
	}
	logReadWarnings(log, file, r)
	sum := &Summary{
		File:      file,
		Layer:     s.layer.Name(),
		Driver:    s.driver,
		SourceCRS: proj.label,
		Read:      r.read,
		Repaired:  r.repaired,
		Skipped:   r.skipped,
		Written:   int64(len(r.features)),
	}
	return sum, r.features, attrs, nil
}

// featureSlice is how many features write stores between checks for an
// interrupt.
const featureSlice = 50000

// write stores the features and cuts the tiles into a new version of the
// tileset and commits it; on any error the new version is discarded and the
// store is unchanged.
func write(ctx context.Context, file string, opts Options, features []*geojson.Feature, meta *tileset.Metadata) ([]tileset.ZoomStats, error) {
	w, err := tileset.Create(opts.Store, opts.ID)
	if err != nil {
		return nil, flagErr("--store", "cannot start a new version of tileset %s (%v); check the store directory", opts.ID, err)
	}
	committed := false
	defer func() {
		if !committed { // an error or a panic: discard the new version
			w.Abort()
		}
	}()

	// Every feature in full, for OGC API - Features; Commit indexes them.
	// In slices, so that an interrupt is noticed within a moment.
	for i := 0; i < len(features); i += featureSlice {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := w.PutFeatures(features[i:min(i+featureSlice, len(features))]); err != nil {
			return nil, fmt.Errorf("%s: storing features in store %s: %w", file, opts.Store, err)
		}
	}

	bar := newProgress(opts.Progress, "cutting tiles", "tiles", -1)
	defer bar.Finish()
	put := func(t tileset.Tile) error {
		bar.Add(1)
		return w.Put(t) // batched into large transactions by the Writer
	}
	stats, err := tiles.Cut(ctx, features, tiles.Options{
		Layer:           opts.ID,
		MinZoom:         meta.MinZoom,
		MaxZoom:         meta.MaxZoom,
		MaxTileBytes:    opts.MaxTileBytes,
		MaxTileFeatures: opts.MaxTileFeatures,
		ClusterField:    opts.ClusterField,
		DropRate:        opts.DropRate,
	}, put)
	if err != nil {
		var tooLarge *tiles.TileTooLargeError
		switch {
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
			return nil, err
		case errors.As(err, &tooLarge):
			return nil, fileErr(file, "%v", err)
		}
		return nil, fmt.Errorf("%s: cutting tiles into store %s: %w", file, opts.Store, err)
	}
	meta.Zooms = stats.Zooms
	if err := putHarmonisation(w, opts); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if err := w.Commit(meta); err != nil {
		return nil, fmt.Errorf("%s: committing tileset %s in %s: %w", file, opts.ID, opts.Store, err)
	}
	committed = true
	return stats.Zooms, nil
}

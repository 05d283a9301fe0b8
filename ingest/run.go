package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
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
	// netCDF-4 turns HDF5's error printing off only on the thread that first
	// opens a file, and HDF5 prints to stderr from any other: the raster
	// path's GDAL calls stay on one thread.
	runtime.LockOSThread()
	if p, ok := rasterPath(file); ok {
		defer runtime.UnlockOSThread()
		return runRaster(ctx, file, p, opts, log, start)
	}
	runtime.UnlockOSThread()
	if err := loadHarmonisation(&opts); err != nil {
		return nil, err
	}

	sum, features, attrs, err := read(ctx, file, opts, log)
	if err != nil {
		return nil, err
	}

	b := bounds(features)
	minZoom, maxZoom := opts.MinZoom, opts.MaxZoom
	sum.MaxZoom, sum.MaxZoomReason = maxZoomFor(opts, features, b)
	maxZoom = sum.MaxZoom
	log.Info("max zoom", "file", file, "maxzoom", maxZoom, "reason", sum.MaxZoomReason)
	if err := checkTileCount(opts, features, minZoom, maxZoom); err != nil {
		return nil, err
	}
	desc := described(opts, file)
	meta := &desc
	meta.Layer = opts.ID
	meta.GeometryType = geometryType(features)
	meta.Fields = schemaFields(attrs)
	meta.Bounds, meta.Center = b, center(b, minZoom, maxZoom)
	meta.MinZoom, meta.MaxZoom = minZoom, maxZoom
	meta.FeatureCount = int64(len(features))
	meta.Precision = opts.precision()
	meta.Source = tileset.Source{File: filepath.Base(file), Layer: sum.Layer, Driver: sum.Driver, CRS: sum.SourceCRS, Scale: opts.Scale}
	if err := harmoniseInto(opts, features, meta, sum, log); err != nil {
		return nil, err
	}
	if opts.TimeField != "" {
		if meta.Time, sum.Dates, err = timeField(opts.TimeField, features, meta.Fields); err != nil {
			return nil, err
		}
	}

	zooms, err := write(ctx, file, opts, features, meta, nil)
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

// checkTileCount refuses a cut estimated at more tiles than opts.MaxTiles,
// before it fills the disk for minutes: a --maxzoom too deep for the data
// is the usual cause.
func checkTileCount(opts Options, features []*geojson.Feature, minZoom, maxZoom int) error {
	limit := opts.MaxTiles
	if limit == 0 {
		limit = tiles.DefaultMaxTiles
	}
	if limit < 0 {
		return nil
	}
	n := tiles.EstimateTiles(features, minZoom, maxZoom)
	if n <= float64(limit) {
		return nil
	}
	return flagErr("--max-tiles", "zooms %d to %d over the features' bounds are about %s tiles, over the limit of %s; lower --maxzoom (each zoom deeper is up to 4 times as many tiles), or raise --max-tiles (0 for no limit)",
		minZoom, maxZoom, thousands(n), thousands(float64(limit)))
}

// thousands writes a whole number with thousands separators.
func thousands(f float64) string {
	s := strconv.FormatFloat(math.Round(f), 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// maxZoomFor is the max zoom to cut, and why: --maxzoom as given, or from
// --scale, or from the data's detail; never below --minzoom.
func maxZoomFor(opts Options, features []*geojson.Feature, b [4]float64) (int, string) {
	var c tiles.ZoomChoice
	switch {
	case opts.MaxZoom >= 0:
		return opts.MaxZoom, fmt.Sprintf("%d, from --maxzoom", opts.MaxZoom)
	case opts.Scale > 0:
		c = tiles.ScaleMaxZoom(opts.Scale, orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}})
	default:
		c = tiles.AutoMaxZoom(features)
	}
	z := min(c.Zoom, MaxZoomLimit)
	if z < opts.MinZoom {
		return opts.MinZoom, fmt.Sprintf("%d, raised to --minzoom from %s", opts.MinZoom, c.Reason)
	}
	return z, c.Reason
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
	r, err := readFeatures(ctx, s, proj, opts.precision(), attrs, bar)
	bar.Finish()
	s.warn.flush()
	if err != nil {
		return nil, nil, nil, err
	}
	if err := checkRead(s, r); err != nil {
		return nil, nil, nil, err
	}
	if err := checkUnrepairable(s, r, opts.Strict); err != nil {
		return nil, nil, nil, err
	}
	if err := checkAreaOfUse(s, proj, r.srcBound, bounds(r.features)); err != nil {
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

		ReprojRepaired:     r.reprojRepaired,
		DegenerateParts:    r.degenerateParts,
		DegenerateFeatures: r.degenerateFeatures,
		Unrepairable:       r.unrepairable,
	}
	return sum, r.features, attrs, nil
}

// featureSlice is how many features write stores between checks for an
// interrupt.
const featureSlice = 50000

// write stores the features and cuts the tiles into a new version of the
// tileset and commits it; on any error the new version is discarded and the
// store is unchanged. docs are further meta bucket documents, key to value.
func write(ctx context.Context, file string, opts Options, features []*geojson.Feature, meta *tileset.Metadata, docs map[string][]byte) ([]tileset.ZoomStats, error) {
	sweepTemps(opts)
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
	for _, k := range sortedKeys(docs) {
		if err := w.PutMeta(k, docs[k]); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	if err := w.Commit(meta); err != nil {
		if errors.Is(err, tileset.ErrNotDurable) {
			committed = true
			return nil, fmt.Errorf("%s: the store has changed, the new version of tileset %s is published: %w", file, opts.ID, err)
		}
		return nil, fmt.Errorf("%s: committing tileset %s in %s (the store is unchanged): %w", file, opts.ID, opts.Store, err)
	}
	committed = true
	return stats.Zooms, nil
}

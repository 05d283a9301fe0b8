//go:build cgo

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/onegeology"
	"github.com/outcrop/outcrop/tiles"
)

// ingestBuilt reports whether this binary can ingest: it was built with cgo.
const ingestBuilt = true

func init() {
	register("ingest", command{"read a survey file and write it into the store as a tileset", runIngest})
}

func runIngest(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ingest", "ingest --store DIR --id ID [flags] FILE", stderr)
	var o ingest.Options
	fs.StringVar(&o.Store, "store", "", "directory of tileset files (required; created if missing)")
	fs.StringVar(&o.ID, "id", "", "tileset id: lowercase letters, digits, - and _ (required)")
	fs.StringVar(&o.Title, "title", "", "human title (default: the file name)")
	fs.StringVar(&o.SourceLayer, "source-layer", "", "layer to read from a multi-layer file (GeoPackage, FileGDB, KML)")
	fs.StringVar(&o.SrcSRS, "s-srs", "", "CRS of the source, e.g. EPSG:24047: required when the file declares none, and overrides one it declares")
	fs.StringVar(&o.Encoding, "encoding", "", "character encoding of a legacy file without a .cpg, e.g. CP874")
	fs.IntVar(&o.MinZoom, "minzoom", 0, "lowest zoom to cut")
	fs.IntVar(&o.MaxZoom, "maxzoom", -1, "highest zoom to cut (default: from --scale, or chosen from the data's detail)")
	fs.Func("scale", "the source map's scale, e.g. 1:250000: max zoom where a grid unit is within 0.1 mm at it; recorded in the metadata", func(s string) (err error) {
		o.Scale, err = ingest.ParseScale(s)
		return err
	})
	fs.StringVar(&o.Attribution, "attribution", "", "attribution shown with the data")
	fs.StringVar(&o.License, "license", "", "licence of the data, e.g. CC-BY-4.0")
	fs.StringVar(&o.Description, "description", "", "a longer description of the data, shown in /collections")
	fs.Func("keywords", "comma-separated keywords a catalogue finds the data by, e.g. geology,Thailand", func(s string) error {
		o.Keywords = splitList(s)
		return nil
	})
	fs.Func("country", "ISO 3166-1 alpha-3 code of a country the data covers, e.g. AUS; repeat it or give a comma list (THA,LAO): WMS names, titles and keywords the layer in OneGeology's forms", func(s string) error {
		codes, err := onegeology.ParseCountries(s)
		for _, c := range codes {
			if !slices.Contains(o.Countries, c) {
				o.Countries = append(o.Countries, c)
			}
		}
		return err
	})
	fs.Func("theme", "what the data shows, for OneGeology's WMS layer forms: "+strings.Join(onegeology.ThemeNames(), ", "), func(s string) error {
		t, ok := onegeology.LookupTheme(s)
		if !ok {
			return fmt.Errorf("%q is not a theme; give one of %s", s, strings.Join(onegeology.ThemeNames(), ", "))
		}
		o.Theme = t.Name
		return nil
	})
	fs.StringVar(&o.DataOwner, "data-owner", "", "short name of the organisation owning the data, e.g. GA, for OneGeology's WMS layer names and titles (its full name goes in --attribution)")
	fs.IntVar(&o.MaxTileBytes, "max-tile-bytes", 500*1024, "largest compressed tile; a tile over it is brought under by thinning points and, below the max zoom, by merging small polygons into their neighbours and dropping the smallest features; at the max zoom every line and polygon is kept and a tile still over it is an error")
	fs.IntVar(&o.MaxTileFeatures, "max-tile-features", 200000, "most features in one tile; more are thinned or dropped")
	fs.StringVar(&o.ClusterField, "cluster-field", "", "points: thinned points count the points they stand for per value of this field (point_count_<value>)")
	fs.IntVar(&o.Precision, "precision", ingest.DefaultPrecision, "decimal places kept in WGS 84 coordinates (7: about 1 cm)")
	fs.Float64Var(&o.DropRate, "drop-rate", tiles.DefaultDropRate, "points: below the max zoom keep one point in this many fewer per zoom, as tippecanoe's -r, besides one per occupied grid cell; 1 keeps every point")
	fs.StringVar(&o.Mapping, "mapping", "", "mapping file onto GeoSciML-Lite / EarthResourceML-Lite (harmonise/MAPPING.md)")
	fs.BoolVar(&o.Strict, "strict", false, "fail, writing nothing, on a geometry that cannot be repaired (else skipped and listed), and with --mapping on any unmapped value, unknown URI, age problem or blank")
	fs.StringVar(&o.TimeField, "time-field", "", "field of dates, date-times or years that OGC API datetime queries filter on")
	fs.StringVar(&o.Language, "lang", "", "the source's own language (BCP 47, e.g. th): legends show vocabulary labels in it beside English")
	fs.StringVar(&o.Resampling, "resampling", "", "rasters: GDAL resampling method (bilinear, cubic, average, nearest, mode, …); default nearest for a band of classes, else bilinear")
	fs.IntVar(&o.Band, "band", 0, "rasters: the 1-based band to ingest (default: all)")
	fs.StringVar(&o.TileFormat, "tile-format", "", "colour rasters (RGB(A) scans, paletted maps): tiles stored as png (lossless, default), jpeg or webp")
	fs.StringVar(&o.Subdataset, "subdataset", "", "rasters: the netCDF/HDF subdataset to ingest, by variable name or number from 1")
	fs.StringVar(&o.Units, "units", "", "rasters: units of the band values, e.g. km, for a source that declares none (shown with values, legends and statistics)")
	fs.IntVar(&o.MaxTiles, "max-tiles", tiles.DefaultMaxTiles, "refuse, before cutting, an ingest estimated at more tiles than this (the sum over zooms of the tiles the features' bounds meet); 0 for no limit")
	alsoExport := fs.String("also-export", "", "after the tileset is in place, also write it as archives beside it in the store, STORE/ID.pmtiles and/or STORE/ID.mbtiles: a comma-separated list of pmtiles, mbtiles")
	quiet := fs.Bool("quiet", false, "print no progress and no summary")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return usageError{"no FILE given: outcrop ingest --store DIR --id ID FILE"}
	case len(rest) > 1:
		return usageError{fmt.Sprintf("one FILE at a time, got %d (%q …); run ingest once per file", len(rest), rest[0])}
	case o.Store == "":
		return usageError{"--store is required: the directory 'outcrop serve --store' reads"}
	case o.ID == "":
		return usageError{"--id is required: the tileset's name in URLs, e.g. --id geology"}
	case o.MaxTiles < 0:
		return usageError{fmt.Sprintf("--max-tiles %d is negative; give a number of tiles, or 0 for no limit", o.MaxTiles)}
	case o.MaxTiles == 0:
		o.MaxTiles = -1 // ingest.Options' "no limit"
	}
	// Checked now, so that a typo does not surface after a long ingest.
	exports, err := parseExportFormats(*alsoExport)
	if err != nil {
		return usageError{"--also-export: " + err.Error()}
	}
	o.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if !*quiet {
		o.Progress = stderr
		o.Report = stdout
	}
	if err := os.MkdirAll(o.Store, 0o755); err != nil {
		return fmt.Errorf("cannot create --store %s: %v", o.Store, err)
	}

	// Most of an ingest's heap lives to its end (every feature, a coverage's
	// topology) while cutting makes short-lived garbage, so Go's default GOGC
	// of 100 mostly adds slack: at 50, peak RSS fell from about 470 to 375 MB
	// for 200,000 points and 800 to 730 MB for a 50,000-unit coverage, for a
	// few per cent more CPU and no change in wall time. A GOGC the user set wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	// A reader of stdout that has gone ("outcrop ingest … | head") must not
	// kill the ingest before its tileset is written: with SIGPIPE ignored, the
	// report and summary writes fail with EPIPE, and are not needed.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sum, err := ingest.Run(ctx, rest[0], o)
	if err != nil {
		return err
	}
	if !*quiet {
		sum.Print(stdout)
	}
	return exportBeside(o.Store, o.ID, exports, *quiet, stderr)
}

// splitList splits a comma-separated flag value, trimming blanks and
// leaving out empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

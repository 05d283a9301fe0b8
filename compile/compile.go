// Package compile compiles neighbouring national geological maps into one
// seamless map and an account of where they disagree at the borders
// (outcrop compile; the configuration is described in CONFIG.md). Each map is
// read and harmonised through package ingest, cut to its own country's
// polygon of the reference borders, and merged, with each survey's legend of
// units (units.go); misalignments narrower than the tolerance are snapped to
// the border, and lines meeting across it joined there (snap.go). Along every shared border it
// classifies the units facing each other, and finds the gaps and overlaps
// wider than the tolerance, and the lines of the sources' line layers that
// reach the border with no counterpart across it. It writes {id}, the
// compiled map, {id}-{name} for each line layer name, and {id}-qa, the border
// segments, gaps, overlaps and dangling lines with the report (package qa) in
// its metadata. Polygon booleans are GEOS's (go-geos).
package compile

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geos"

	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// Options are the settings of one compilation besides its configuration.
type Options struct {
	Store   string // store directory
	MinZoom int
	MaxZoom int // -1: chosen from the data
	// Report receives each source's harmonisation report; nil for none.
	Report io.Writer
	Logger *slog.Logger
}

// Result is what a compilation did.
type Result struct {
	Report *qa.Report
	// Sources are the ingest summaries of the sources, in configuration order.
	Sources []*ingest.Summary
	// Features and QAFeatures count what the two tilesets hold.
	Features, QAFeatures int
	// Lines counts the features of each line tileset, by tileset id.
	Lines map[string]int
}

// gapReachM is the widest gap, across its narrower dimension, that is told
// from the land a map does not set out to cover: uncovered territory is a gap
// only where the two maps together would cover it once channels and bays
// narrower than this are closed.
func gapReachM(toleranceM float64) float64 { return max(40*toleranceM, 10000) }

// Run compiles the sources of cfg into tilesets cfg.ID and cfg.ID-qa. Every
// mistake in the configuration, the sources or the mappings is reported
// before anything is written.
func Run(ctx context.Context, cfg *Config, opts Options) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("%s: internal error while compiling (%v); the store is unchanged: please report this with the configuration", cfg.File, p)
		}
	}()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	polys, err := readBoundaries(ctx, cfg, opts)
	if err != nil {
		return nil, err
	}
	res = &Result{}
	// The sources are read at once, each through GDAL on its own thread;
	// their harmonisation reports are printed in configuration order.
	layers := make([]*ingest.Layer, len(cfg.Sources))
	reports := make([]bytes.Buffer, len(cfg.Sources))
	errs := make([]error, len(cfg.Sources))
	var wg sync.WaitGroup
	for i, s := range cfg.Sources {
		var report io.Writer
		if opts.Report != nil {
			report = &reports[i]
		}
		wg.Go(func() {
			layers[i], errs[i] = ingest.ReadLayer(ctx, s.File, ingest.Options{
				Store: opts.Store, ID: cfg.ID, MaxZoom: -1, SourceLayer: s.Layer, SrcSRS: s.SrcSRS,
				Encoding: s.Encoding, Mapping: s.Mapping, Report: report, Logger: log,
			})
		})
	}
	wg.Wait()
	for i, s := range cfg.Sources {
		if opts.Report != nil {
			opts.Report.Write(reports[i].Bytes())
		}
		if errs[i] != nil {
			return nil, &Error{File: cfg.File, Line: s.Line, Msg: fmt.Sprintf("source %s: %v", s.Country, errs[i])}
		}
		res.Sources = append(res.Sources, layers[i].Summary)
	}

	c := &compiler{cfg: cfg, log: log, joined: map[endKey]bool{}}
	c.frame = newFrame(midLatitude(layers))
	c.tol = c.frame.dist(cfg.ToleranceM)
	c.eps = c.frame.dist(snapM)
	for i, s := range cfg.Sources {
		sd, err := c.newSide(s, polys[s.Country], layers[i])
		if err != nil {
			return nil, err
		}
		sd.lines = map[string]*lineSet{}
		for _, ls := range s.Lines {
			l, err := ingest.ReadLayer(ctx, ls.File, ingest.Options{
				Store: opts.Store, ID: cfg.ID, MaxZoom: -1, SourceLayer: ls.Layer, SrcSRS: ls.SrcSRS,
				Encoding: ls.Encoding, Mapping: ls.Mapping, Report: opts.Report, Logger: log,
			})
			if err != nil {
				return nil, &Error{File: cfg.File, Line: ls.Line, Msg: fmt.Sprintf("source %s, lines %s: %v", s.Country, ls.Name, err)}
			}
			if sd.lines[ls.Name], err = c.newLineSet(sd, ls, l); err != nil {
				return nil, err
			}
		}
		sd.legend = layers[i].Summary.Harmonisation.TilesetUnits()
		sd.renames = reservedRenames(layers[i].Fields, polygonReserved...)
		c.sides = append(c.sides, sd)
	}
	slices.SortFunc(c.sides, func(a, b *side) int { return cmp.Compare(a.src.Country, b.src.Country) })

	rep := &qa.Report{ID: cfg.ID, Title: cfg.Title, ToleranceM: cfg.ToleranceM}
	for i, a := range c.sides {
		for _, b := range c.sides[i+1:] {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			p, err := c.pair(a, b)
			if err != nil {
				return nil, err
			}
			if p != nil {
				rep.Pairs = append(rep.Pairs, *p)
				rep.Totals.Add(&p.Totals)
			}
		}
	}
	rep.Totals.SetShares()
	if len(rep.Pairs) == 0 {
		return nil, &Error{File: cfg.File, Msg: "no two sources meet at a shared border of the boundaries: check each source's country: and that the maps reach their border"}
	}

	compiled, fields, units, err := c.compiled(layers)
	if err != nil {
		return nil, err
	}
	doc, err := json.Marshal(rep)
	if err != nil {
		return nil, fmt.Errorf("%s: encoding the report: %v", cfg.File, err)
	}
	var crs []string
	for i, s := range cfg.Sources {
		crs = append(crs, s.Country+" "+layers[i].Source.CRS)
	}
	src := tileset.Source{File: filepath.Base(cfg.File), Driver: "outcrop compile", CRS: strings.Join(crs, ", ")}
	iopts := ingest.Options{Store: opts.Store, MinZoom: opts.MinZoom, MaxZoom: opts.MaxZoom, Logger: log}
	iopts.ID = cfg.ID + "-qa"
	if err := ingest.WriteTileset(ctx, c.qa, &tileset.Metadata{
		Title: cfg.Title + " — edge-matching", Description: "Border segments, gaps, overlaps and dangling lines of " + cfg.ID,
		License: cfg.License, Fields: qaFields, Source: src, ValueCounts: qaCounts(c.qa),
	}, iopts, map[string][]byte{qa.MetaKey: doc}); err != nil {
		return nil, err
	}
	iopts.ID = cfg.ID
	if err := ingest.WriteTileset(ctx, compiled, &tileset.Metadata{
		Title: cfg.Title, Description: cfg.Description, License: cfg.License,
		Attribution: attribution(cfg), Fields: fields, Source: src, Units: units,
	}, iopts, nil); err != nil {
		return nil, err
	}
	names, lines, schemas, err := c.compiledLines()
	if err != nil {
		return nil, err
	}
	res.Lines = map[string]int{}
	for _, n := range names {
		if len(lines[n]) == 0 {
			log.Warn("no line of the layer lies in its country; tileset not written", "tileset", cfg.ID+"-"+n)
			continue
		}
		iopts.ID = cfg.ID + "-" + n
		if err := ingest.WriteTileset(ctx, lines[n], &tileset.Metadata{
			Title: cfg.Title + " — " + n, Description: "The " + n + " of " + cfg.ID,
			License: cfg.License, Attribution: attribution(cfg), Fields: schemas[n], Source: src,
		}, iopts, nil); err != nil {
			return nil, err
		}
		res.Lines[iopts.ID] = len(lines[n])
	}
	res.Report, res.Features, res.QAFeatures = rep, len(compiled), len(c.qa)
	return res, nil
}

// snapM is how far apart, in metres, two lines may lie and still be taken
// as the same line: the reference border and a map clipped to it.
const snapM = 5

// compiler holds one compilation's state.
type compiler struct {
	cfg      *Config
	log      *slog.Logger
	frame    frame
	tol, eps float64 // the tolerance and snapM in frame units
	sides    []*side
	qa       []*geojson.Feature
	// joined are the line ends joined to a line across a border.
	joined map[endKey]bool
}

// side is one country: its territory, its map and the map's units.
type side struct {
	src   Source
	poly  *geos.Geom   // the country's polygon
	raw   []*geos.Geom // the map's polygons, border or not, as read
	byRaw index        // raw by box
	units []*unit
	byBox index               // units by the boxes of their clips
	lines map[string]*lineSet // the line layers, by name
	// legend is the map's legend of units, from its mapping's legend:
	// section; nil when it has none.
	legend *tileset.Units
	// renames names the map's own fields that compile writes, as they are
	// kept (see reservedRenames).
	renames map[string]string
}

// unit is one polygon of a national map, cut to its country.
type unit struct {
	feature *geojson.Feature
	clip    *geos.Geom   // the polygon within the country
	fill    []*geos.Geom // slivers to the border, snapped onto it
	info    qa.Unit
	geom    *geos.Geom // clip and fill, once settled
}

func (u *unit) settled() *geos.Geom {
	if u.geom == nil {
		if len(u.fill) == 0 {
			u.geom = u.clip
		} else {
			u.geom = polygonal(union(append([]*geos.Geom{u.clip}, u.fill...)))
		}
	}
	return u.geom
}

func (c *compiler) newSide(s Source, poly orb.MultiPolygon, l *ingest.Layer) (*side, error) {
	pg, err := c.frame.toGEOS(poly)
	if err != nil {
		return nil, fmt.Errorf("%s: country %s: %v", c.cfg.File, s.Country, err)
	}
	if !pg.IsValid() {
		pg = polygonal(pg.MakeValid())
	}
	sd := &side{src: s, poly: pg}
	prep := pg.Prepare()
	var raw []*geos.Geom
	for _, f := range l.Features {
		if f.Geometry.Dimensions() != 2 {
			continue
		}
		g, err := c.frame.toGEOS(polygonsOf(f.Geometry))
		if err != nil {
			return nil, fmt.Errorf("%s: feature %v: %v", s.File, f.ID, err)
		}
		raw = append(raw, g)
		if !prep.Intersects(g) {
			continue
		}
		clip := g
		if !prep.Covers(g) {
			clip = polygonal(g.Intersection(pg))
		}
		if clip.IsEmpty() {
			continue
		}
		sd.units = append(sd.units, &unit{feature: f, clip: clip, info: unitInfo(s.Country, f.Properties)})
	}
	if len(raw) == 0 {
		return nil, &Error{File: c.cfg.File, Line: s.Line, Msg: fmt.Sprintf("source %s: %s has no polygons; compile takes maps of geological units (polygons)", s.Country, s.File)}
	}
	if len(sd.units) == 0 {
		return nil, &Error{File: c.cfg.File, Line: s.Line, Msg: fmt.Sprintf("source %s: no unit of %s lies in %s's territory; check country: and the source's CRS (s_srs:)", s.Country, s.File, s.Country)}
	}
	sd.raw, sd.byRaw = raw, newIndex(raw)
	clips := make([]*geos.Geom, len(sd.units))
	for i, u := range sd.units {
		clips[i] = u.clip
	}
	sd.byBox = newIndex(clips)
	return sd, nil
}

// unitInfo is what the report says of a unit.
func unitInfo(country string, p geojson.Properties) qa.Unit {
	str := func(k string) string { s, _ := p[k].(string); return s }
	u := qa.Unit{
		Country: country, Identifier: str(harmonise.FieldIdentifier), Name: str(harmonise.FieldName),
		AgeURI: str(harmonise.FieldRepresentativeAgeURI), LithologyURI: str(harmonise.FieldRepresentativeLithologyURI),
	}
	u.Age, u.Lithology = label(u.AgeURI), label(u.LithologyURI)
	return u
}

func label(uri string) string {
	if k, ok := vocab.Lookup(uri); ok {
		return k.Label("en")
	}
	return ""
}

// midLatitude is the middle latitude of every source's features.
func midLatitude(layers []*ingest.Layer) float64 {
	var b orb.Bound
	first := true
	for _, l := range layers {
		for _, f := range l.Features {
			if first {
				b, first = f.Geometry.Bound(), false
			} else {
				b = b.Union(f.Geometry.Bound())
			}
		}
	}
	return b.Center()[1]
}

func attribution(cfg *Config) string {
	var parts []string
	for _, s := range cfg.Sources {
		if s.Attribution != "" {
			parts = append(parts, s.Attribution)
		}
	}
	return strings.Join(parts, "; ")
}

// sourceName is what a compiled feature's source property says.
func sourceName(s Source) string {
	if s.Attribution != "" {
		return s.Attribution
	}
	return filepath.Base(s.File)
}

// compiled returns the compiled map's features, numbered from 1, their
// schema (the sources' fields, first seen first, then country and source,
// and UnitField when a source has a legend of units) and the legend of units
// of every source, by UnitField, counted over the compiled features; nil
// when no source has one.
func (c *compiler) compiled(layers []*ingest.Layer) ([]*geojson.Feature, []tileset.Field, *tileset.Units, error) {
	var fields []tileset.Field
	seen := map[string]bool{"country": true, "source": true, UnitField: true}
	for _, l := range layers {
		for _, f := range renamedFields(l.Fields, reservedRenames(l.Fields, polygonReserved...)) {
			if !seen[f.Name] {
				seen[f.Name] = true
				fields = append(fields, f)
			}
		}
	}
	fields = append(fields, tileset.Field{Name: "country", Type: "string"}, tileset.Field{Name: "source", Type: "string"})
	var out []*geojson.Feature
	legend := map[string]tileset.Unit{} // by compiled code
	for _, sd := range c.sides {
		for _, u := range sd.units {
			g, err := c.frame.toOrb(u.settled())
			if err != nil {
				return nil, nil, nil, err
			}
			mp := polygonsOf(g)
			if len(mp) == 0 {
				continue
			}
			var geom orb.Geometry = mp
			if len(mp) == 1 {
				geom = mp[0]
			}
			f := geojson.NewFeature(geom)
			f.ID = uint64(len(out) + 1)
			props := copyProps(u.feature.Properties, sd.renames, 3)
			props["country"] = sd.src.Country
			props["source"] = sourceName(sd.src)
			if unit, ok := sd.unitOf(u.feature); ok {
				unit.Code = sd.src.Country + ":" + unit.Code
				props[UnitField] = unit.Code
				unit.Features = legend[unit.Code].Features + 1
				legend[unit.Code] = unit
			}
			f.Properties = props
			out = append(out, f)
		}
	}
	if len(legend) == 0 {
		return out, fields, nil, nil
	}
	units := &tileset.Units{Field: UnitField}
	for _, code := range slices.Sorted(maps.Keys(legend)) {
		units.Units = append(units.Units, legend[code])
	}
	fields = append(fields, tileset.Field{Name: UnitField, Type: "string"})
	return out, fields, units, nil
}

// qaCounts counts the {id}-qa features per kind and per class, as ingest
// counts vocabulary values, so that the edge-matching legend shows them.
func qaCounts(features []*geojson.Feature) map[string]map[string]int64 {
	counts := map[string]map[string]int64{"kind": {}, "class": {}}
	for _, f := range features {
		for field, c := range counts {
			if v, ok := f.Properties[field].(string); ok && v != "" {
				c[v]++
			}
		}
	}
	return counts
}

package compile

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/data/borders"
	"github.com/outcrop/outcrop/ingest"
)

// readBoundaries reads the reference borders and returns the polygons of
// the countries the sources name, refusing a country the file lacks with the
// source's line.
func readBoundaries(ctx context.Context, cfg *Config, opts Options) (map[string]orb.MultiPolygon, error) {
	var features []*geojson.Feature
	name := borders.ASEAN10mName
	if cfg.Boundaries.File == "" {
		fc, err := geojson.UnmarshalFeatureCollection(borders.ASEAN10m)
		if err != nil {
			return nil, fmt.Errorf("%s: the bundled borders are damaged (%v); rebuild outcrop", name, err)
		}
		features = fc.Features
	} else {
		name = cfg.Boundaries.File
		l, err := ingest.ReadLayer(ctx, cfg.Boundaries.File, ingest.Options{Store: opts.Store, ID: cfg.ID, MaxZoom: -1, Logger: opts.Logger})
		if err != nil {
			return nil, &Error{File: cfg.File, Line: cfg.Boundaries.Line, Msg: "boundaries: " + err.Error()}
		}
		features = l.Features
	}
	byCode := map[string]orb.MultiPolygon{}
	for _, f := range features {
		code, _ := f.Properties[cfg.Boundaries.Field].(string)
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		byCode[code] = append(byCode[code], polygonsOf(f.Geometry)...)
	}
	if len(byCode) == 0 {
		return nil, &Error{File: cfg.File, Line: cfg.Boundaries.Line, Msg: fmt.Sprintf("boundaries: %s has no polygons with a text field %q; name the field holding the country codes with field:", name, cfg.Boundaries.Field)}
	}
	out := map[string]orb.MultiPolygon{}
	for _, s := range cfg.Sources {
		mp, ok := byCode[s.Country]
		if !ok || len(mp) == 0 {
			codes := make([]string, 0, len(byCode))
			for c := range byCode {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			hint := ""
			if c := closestCode(s.Country, codes); c != "" {
				hint = "did you mean " + c + "? "
			}
			return nil, &Error{File: cfg.File, Line: s.Line, Msg: fmt.Sprintf("country %q has no polygon in %s (field %s); %sit has %s", s.Country, name, cfg.Boundaries.Field, hint, strings.Join(codes, ", "))}
		}
		out[s.Country] = mp
	}
	return out, nil
}

func closestCode(code string, codes []string) string {
	up := strings.ToUpper(code)
	if slices.Contains(codes, up) {
		return up
	}
	return ""
}

// polygonsOf returns the polygons of g, whatever it holds.
func polygonsOf(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	case orb.Collection:
		var out orb.MultiPolygon
		for _, c := range g {
			out = append(out, polygonsOf(c)...)
		}
		return out
	}
	return nil
}

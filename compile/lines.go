package compile

import (
	"fmt"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geos"

	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/tileset"
)

// lineSet is one country's line layer of one name, cut to the country.
type lineSet struct {
	src    LineSource
	layer  *ingest.Layer
	lines  []*line
	byBox  index
	ends   index // the lines' ends, by position in ends
	endsOf []*line
}

// line is one line of a line layer within its country, a part of a feature.
type line struct {
	feature *geojson.Feature
	geom    *geos.Geom // a linestring, in the frame
}

// newLineSet cuts the lines of l to the country's polygon.
func (c *compiler) newLineSet(sd *side, ls LineSource, l *ingest.Layer) (*lineSet, error) {
	set := &lineSet{src: ls, layer: l}
	prep := sd.poly.Prepare()
	found := false
	for _, f := range l.Features {
		if f.Geometry.Dimensions() != 1 {
			continue
		}
		found = true
		g, err := c.frame.toGEOS(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("%s: feature %v: %v", ls.File, f.ID, err)
		}
		if !prep.Intersects(g) {
			continue
		}
		if !prep.Covers(g) {
			g = lineal(g.Intersection(sd.poly))
		}
		for _, part := range parts(g, 1) {
			if part.Length() > 0 {
				set.lines = append(set.lines, &line{feature: f, geom: part})
			}
		}
	}
	if !found {
		return nil, &Error{File: c.cfg.File, Line: ls.Line, Msg: fmt.Sprintf("source %s, lines %s: %s has no lines; name a layer of lines (faults, contacts), or its layer:", sd.src.Country, ls.Name, ls.File)}
	}
	gs := make([]*geos.Geom, len(set.lines))
	var ends []*geos.Geom
	for i, ln := range set.lines {
		gs[i] = ln.geom
		ends = append(ends, ln.geom.StartPoint(), ln.geom.EndPoint())
		set.endsOf = append(set.endsOf, ln, ln)
	}
	set.byBox, set.ends = newIndex(gs), newIndex(ends)
	return set, nil
}

// dangling finds the lines of own's line layer name that reach the border
// (an end within the tolerance of it) with no line of that name of another
// country within the tolerance of that end (joinsAcross); other is the
// neighbour across border.
func (c *compiler) dangling(own, other *side, name string, border *geos.Geom, borderPrep *geos.PrepGeom, pairName string) ([]*geojson.Feature, error) {
	mine := own.lines[name]
	if mine == nil {
		return nil, nil
	}
	var out []*geojson.Feature
	reported := map[*line]bool{}
	for _, i := range mine.ends.nearLine(border, c.tol) {
		ln := mine.endsOf[i]
		end := ln.geom.StartPoint()
		if i%2 == 1 {
			end = ln.geom.EndPoint()
		}
		if reported[ln] || !borderPrep.DistanceWithin(end, c.tol) || c.joinsAcross(own, name, end) {
			continue
		}
		reported[ln] = true
		f, err := c.qaDangling(ln, end, name, pairName, own.src.Country)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// joinsAcross reports whether a line of name of any country but own's lies
// within the tolerance of end: the neighbour's across the border, or at a
// junction of three countries the third's, which the end joins as well.
func (c *compiler) joinsAcross(own *side, name string, end *geos.Geom) bool {
	for _, sd := range c.sides {
		if sd != own && sd.lines[name].near(end, c.tol) {
			return true
		}
	}
	return false
}

// near reports whether a line of the set lies within d of g.
func (s *lineSet) near(g *geos.Geom, d float64) bool {
	if s == nil {
		return false
	}
	return slices.ContainsFunc(s.byBox.within(g, d), func(i int) bool { return s.lines[i].geom.DistanceWithin(g, d) })
}

// qaDangling makes the qa feature of a dangling line, its end at the border
// first in its properties' end_lon and end_lat.
func (c *compiler) qaDangling(ln *line, end *geos.Geom, name, pairName, country string) (*geojson.Feature, error) {
	o, err := c.frame.toOrb(ln.geom)
	if err != nil {
		return nil, err
	}
	e, err := c.frame.toOrb(end)
	if err != nil {
		return nil, err
	}
	pt, _ := e.(orb.Point)
	props := geojson.Properties{"kind": qa.KindDangling, "countries": pairName, "country": country, "layer": name,
		"length_m": round(geo.Length(o), 1), "end_lon": round(pt[0], 6), "end_lat": round(pt[1], 6)}
	for k, field := range map[string]string{"a_identifier": harmonise.FieldIdentifier, "a_name": harmonise.FieldName} {
		if v, ok := ln.feature.Properties[field].(string); ok && v != "" {
			props[k] = v
		}
	}
	props["a_country"] = country
	f := geojson.NewFeature(o)
	f.Properties = props
	return f, nil
}

// compiledLines returns the compiled features of each line layer name, in
// order of name, numbered from 1, with their schemas.
func (c *compiler) compiledLines() (names []string, features map[string][]*geojson.Feature, schemas map[string][]tileset.Field, err error) {
	features, schemas = map[string][]*geojson.Feature{}, map[string][]tileset.Field{}
	seen := map[string]map[string]bool{}
	for _, sd := range c.sides {
		for _, ls := range sd.src.Lines {
			set := sd.lines[ls.Name]
			if seen[ls.Name] == nil {
				names = append(names, ls.Name)
				seen[ls.Name] = map[string]bool{"country": true, "source": true}
			}
			renames := reservedRenames(set.layer.Fields, "country", "source")
			for _, f := range renamedFields(set.layer.Fields, renames) {
				if !seen[ls.Name][f.Name] {
					seen[ls.Name][f.Name] = true
					schemas[ls.Name] = append(schemas[ls.Name], f)
				}
			}
			for _, ln := range set.lines {
				g, err := c.frame.toOrb(ln.geom)
				if err != nil {
					return nil, nil, nil, err
				}
				f := geojson.NewFeature(g)
				f.ID = uint64(len(features[ls.Name]) + 1)
				props := copyProps(ln.feature.Properties, renames, 2)
				props["country"], props["source"] = sd.src.Country, sourceName(sd.src)
				f.Properties = props
				features[ls.Name] = append(features[ls.Name], f)
			}
		}
	}
	slices.Sort(names)
	for _, n := range names {
		schemas[n] = append(schemas[n], tileset.Field{Name: "country", Type: "string"}, tileset.Field{Name: "source", Type: "string"})
	}
	return names, features, schemas, nil
}

package tileset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// featureID returns f's id as a stored feature id: a whole number from 0 to
// 2^64-1, in whichever Go type the caller set it (ingest uses uint64, a
// decoded GeoJSON file float64).
func featureID(f *geojson.Feature) (uint64, bool) {
	switch v := f.ID.(type) {
	case uint64:
		return v, true
	case uint:
		return uint64(v), true
	case uint32:
		return uint64(v), true
	case int:
		return uint64(v), v >= 0
	case int64:
		return uint64(v), v >= 0
	case int32:
		return uint64(v), v >= 0
	case float64:
		// 2^64 itself is the first float64 past the range.
		return uint64(v), v >= 0 && v < 1<<64 && v == math.Trunc(v)
	}
	return 0, false
}

// appendFeature appends f as the stored GeoJSON Feature
//
//	{"type":"Feature","id":ID,"bbox":[W,S,E,N],"geometry":G,"properties":P}
//
// and returns the box of all its coordinates, which ok reports absent for a
// null or empty geometry. Numbers are written by encoding/json, the shortest
// text that parses back to the same float64, so coordinates keep full
// precision. "bbox" (RFC 7946 §5) is written for every geometry but a single
// point: a query reads it to accept a feature lying wholly inside its box
// without decoding the geometry. Properties are written with their keys
// sorted, as encoding/json writes a map, and without HTML escaping.
func appendFeature(dst []byte, id uint64, f *geojson.Feature) (out []byte, box orb.Bound, ok bool, err error) {
	dst = append(dst, `{"type":"Feature","id":`...)
	dst = strconv.AppendUint(dst, id, 10)
	var geom []byte
	if f.Geometry != nil {
		var finite bool
		box, ok, finite = coordinateBound(f.Geometry)
		if !finite {
			return dst, box, false, errors.New("a coordinate is NaN or infinite; repair or drop the feature")
		}
		if geom, err = geojson.NewGeometry(f.Geometry).MarshalJSON(); err != nil {
			return dst, box, false, fmt.Errorf("cannot encode its geometry: %v", err)
		}
	}
	if _, point := f.Geometry.(orb.Point); ok && !point {
		dst = append(dst, `,"bbox":[`...)
		for i, v := range [4]float64{box.Min[0], box.Min[1], box.Max[0], box.Max[1]} {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendNumber(dst, v)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"geometry":`...)
	if geom == nil {
		geom = []byte("null")
	}
	dst = append(dst, geom...)
	dst = append(dst, `,"properties":`...)
	if len(f.Properties) == 0 {
		dst = append(dst, "{}"...)
	} else {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // "<" in a unit name stays "<"
		if err := enc.Encode(f.Properties); err != nil {
			return dst, box, false, fmt.Errorf("cannot encode its properties: %v", err)
		}
		dst = append(dst, bytes.TrimRight(buf.Bytes(), "\n")...)
	}
	return append(dst, '}'), box, ok, nil
}

// appendNumber writes v exactly as encoding/json does, so that the bbox and
// the coordinates it bounds are spelled alike.
func appendNumber(dst []byte, v float64) []byte {
	b, _ := json.Marshal(v) // finite: checked by the caller
	return append(dst, b...)
}

// coordinateBound returns the box of every coordinate of g, holes and all
// parts included; ok is false when g has none. finite is false when a
// coordinate is NaN or infinite, which neither JSON nor the index can hold.
// orb's own Bound looks at a polygon's outer ring only, which for a malformed
// polygon would leave part of it outside its index box.
func coordinateBound(g orb.Geometry) (b orb.Bound, ok, finite bool) {
	finite = true
	add := func(p orb.Point) {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			finite = false
			return
		}
		if !ok {
			b, ok = orb.Bound{Min: p, Max: p}, true
			return
		}
		b = b.Extend(p)
	}
	eachPoint(g, add)
	return b, ok, finite
}

// eachPoint calls fn with every coordinate of g.
func eachPoint(g orb.Geometry, fn func(orb.Point)) {
	switch g := g.(type) {
	case orb.Point:
		fn(g)
	case orb.MultiPoint:
		for _, p := range g {
			fn(p)
		}
	case orb.LineString:
		for _, p := range g {
			fn(p)
		}
	case orb.Ring:
		for _, p := range g {
			fn(p)
		}
	case orb.MultiLineString:
		for _, l := range g {
			eachPoint(l, fn)
		}
	case orb.Polygon:
		for _, r := range g {
			eachPoint(r, fn)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			eachPoint(p, fn)
		}
	case orb.Bound:
		fn(g.Min)
		fn(g.Max)
	case orb.Collection:
		for _, c := range g {
			eachPoint(c, fn)
		}
	}
}

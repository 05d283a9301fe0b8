// Command ingeststats counts the features and vertices of a GeoJSON
// FeatureCollection, the denominators of the ingest benchmark's rates.
//
//	ingeststats FILE.geojson
//
// prints "FEATURES VERTICES".
package main

import (
	"fmt"
	"os"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: ingeststats FILE.geojson")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "ingeststats:", err)
		os.Exit(1)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ingeststats: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	vertices := 0
	for _, f := range fc.Features {
		vertices += count(f.Geometry)
	}
	fmt.Println(len(fc.Features), vertices)
}

// count returns the number of vertices of g, closing vertices of rings
// included, as a GeoJSON file holds them.
func count(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(g)
	case orb.LineString:
		return len(g)
	case orb.MultiLineString:
		n := 0
		for _, ls := range g {
			n += len(ls)
		}
		return n
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += count(p)
		}
		return n
	case orb.Collection:
		n := 0
		for _, c := range g {
			n += count(c)
		}
		return n
	}
	return 0
}

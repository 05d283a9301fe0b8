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

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tiles"
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
		vertices += tiles.VertexCount(f.Geometry)
	}
	fmt.Println(len(fc.Features), vertices)
}

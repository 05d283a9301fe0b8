// Command compilemaps makes the inputs of the compile benchmark
// (bench/compile.sh): two SYNTHETIC national maps that meet at the real
// Thailand–Lao border. It cuts one `outcrop synth geology` map (in WGS 84)
// to Thailand, 100 m short of the border, and another, of a different seed
// and so disagreeing at the border everywhere, to Laos, spilling 80 m over
// it: misalignment within the default 250 m tolerance, which compile snaps.
// It writes th.geojson, la.geojson and a compile configuration, th-la.yaml,
// into DIR, and prints "THA-UNITS LAO-UNITS BORDER-KM".
//
//	compilemaps --tha A.geojson --lao B.geojson --mapping M.yaml --out DIR
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geos"

	"github.com/outcrop/outcrop/data/borders"
)

func main() {
	tha := flag.String("tha", "", "synthetic map (WGS 84 GeoJSON) to cut to Thailand")
	lao := flag.String("lao", "", "synthetic map (WGS 84 GeoJSON) to cut to Laos")
	mapping := flag.String("mapping", "", "the maps' mapping file (data/mappings/sea-geology.yaml)")
	out := flag.String("out", "", "directory to write into")
	flag.Parse()
	if *tha == "" || *lao == "" || *mapping == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: compilemaps --tha A.geojson --lao B.geojson --mapping M.yaml --out DIR")
		os.Exit(2)
	}
	if err := run(*tha, *lao, *mapping, *out); err != nil {
		fmt.Fprintln(os.Stderr, "compilemaps:", err)
		os.Exit(1)
	}
}

// metresToDeg is a metre in degrees of latitude, near enough for the
// misalignments planted here.
const metresToDeg = 1 / (orb.EarthRadius * math.Pi / 180)

func run(thaFile, laoFile, mapping, dir string) error {
	fc, err := geojson.UnmarshalFeatureCollection(borders.ASEAN10m)
	if err != nil {
		return err
	}
	country := map[string]*geos.Geom{}
	for _, f := range fc.Features {
		code, _ := f.Properties["iso_a3"].(string)
		if code == "THA" || code == "LAO" {
			g, err := toGEOS(f.Geometry)
			if err != nil {
				return err
			}
			country[code] = g
		}
	}
	thaPoly := country["THA"].Buffer(-100*metresToDeg, 8)
	laoPoly := country["LAO"].Buffer(80*metresToDeg, 8)
	nTHA, thaBound, err := cut(thaFile, thaPoly, filepath.Join(dir, "th.geojson"))
	if err != nil {
		return err
	}
	nLAO, laoBound, err := cut(laoFile, laoPoly, filepath.Join(dir, "la.geojson"))
	if err != nil {
		return err
	}
	// The border both maps reach.
	both := orb.Bound{
		Min: orb.Point{max(thaBound.Min[0], laoBound.Min[0]), max(thaBound.Min[1], laoBound.Min[1])},
		Max: orb.Point{min(thaBound.Max[0], laoBound.Max[0]), min(thaBound.Max[1], laoBound.Max[1])},
	}
	border := country["THA"].Boundary().Intersection(country["LAO"].Buffer(10*metresToDeg, 4)).
		ClipByRect(both.Min[0], both.Min[1], both.Max[0], both.Max[1])
	b, err := wkb.Unmarshal(border.ToWKB())
	if err != nil {
		return err
	}
	config := fmt.Sprintf(`id: bench-compile
title: SYNTHETIC Thailand and Lao PDR geology, compiled (benchmark)
sources:
  - country: THA
    file: th.geojson
    mapping: %[1]s
  - country: LAO
    file: la.geojson
    mapping: %[1]s
`, mapping)
	if err := os.WriteFile(filepath.Join(dir, "th-la.yaml"), []byte(config), 0o644); err != nil {
		return err
	}
	fmt.Println(nTHA, nLAO, math.Round(geo.Length(b)/1000))
	return nil
}

// cut writes the features of file that lie in poly, cut to it, to out, and
// returns how many and their bound.
func cut(file string, poly *geos.Geom, out string) (int, orb.Bound, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return 0, orb.Bound{}, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return 0, orb.Bound{}, fmt.Errorf("%s: %v", file, err)
	}
	prep := poly.Prepare()
	kept := geojson.NewFeatureCollection()
	var bound orb.Bound
	for _, f := range fc.Features {
		g, err := toGEOS(f.Geometry)
		if err != nil {
			return 0, orb.Bound{}, err
		}
		if !prep.Intersects(g) {
			continue
		}
		if !prep.Covers(g) {
			g = g.Intersection(poly)
			if g.IsEmpty() || g.Area() == 0 {
				continue
			}
			o, err := wkb.Unmarshal(g.ToWKB())
			if err != nil {
				return 0, orb.Bound{}, err
			}
			if c, ok := o.(orb.Collection); ok {
				var mp orb.MultiPolygon
				for _, x := range c {
					switch x := x.(type) {
					case orb.Polygon:
						mp = append(mp, x)
					case orb.MultiPolygon:
						mp = append(mp, x...)
					}
				}
				o = mp
			}
			f.Geometry = o
		}
		if len(kept.Features) == 0 {
			bound = f.Geometry.Bound()
		} else {
			bound = bound.Union(f.Geometry.Bound())
		}
		kept.Features = append(kept.Features, f)
	}
	b, err := kept.MarshalJSON()
	if err != nil {
		return 0, orb.Bound{}, err
	}
	return len(kept.Features), bound, os.WriteFile(out, b, 0o644)
}

func toGEOS(g orb.Geometry) (*geos.Geom, error) {
	b, err := wkb.Marshal(g)
	if err != nil {
		return nil, err
	}
	return geos.NewGeomFromWKB(b)
}

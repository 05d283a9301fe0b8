// Command tilescheck measures a set of vector tiles for bench/tiles.sh,
// whichever program made them: per zoom, the number of tiles, their bytes
// (gzip-compressed, compressing those stored raw), and, for a polygon
// coverage, the pixels inside the coverage that no polygon covers (gaps)
// and those covered twice (overlaps), counted with tiles/coveragecheck on a
// 512×512 grid per tile; and the polygon features, with those that are not
// valid as the MVT specification 2.1 requires (self-intersecting or
// self-touching rings, wrong winding, overlapping parts: tiles/validity).
//
//	tilescheck -tileset FILE | -dir DIR [-layer NAME] [-region FILE.geojson] [-margin PIXELS]
//
// -dir reads DIR/z/x/y.pbf or .mvt as tippecanoe -e and GDAL's MVT driver
// write them. -region is a GeoJSON polygon (WGS 84) of the coverage's
// outline: without it, only overlaps are counted. Pixels within -margin
// pixels of the outline are not counted as gaps: the outer edge is drawn
// with its own simplification.
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/tiles/coveragecheck"
	"github.com/outcrop/outcrop/tiles/validity"
	"github.com/outcrop/outcrop/tileset"
)

const gridSize = 512

type zoomTally struct {
	tiles, bytes, gaps, overlaps int64
	polygons, invalid            int64
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tilescheck:", err)
		os.Exit(1)
	}
}

func run() error {
	tilesetPath := flag.String("tileset", "", "an Outcrop tileset file")
	dir := flag.String("dir", "", "a directory of z/x/y.pbf tiles")
	layer := flag.String("layer", "", "the layer to check (default: every layer)")
	regionPath := flag.String("region", "", "GeoJSON polygon of the coverage's outline, WGS 84")
	margin := flag.Float64("margin", 2, "pixels along the outline not counted as gaps")
	flag.Parse()
	if (*tilesetPath == "") == (*dir == "") {
		return errors.New("give one of -tileset FILE or -dir DIR")
	}
	var region orb.Polygon
	if *regionPath != "" {
		var err error
		if region, err = readRegion(*regionPath); err != nil {
			return err
		}
	}
	c := &checker{layer: *layer, region: region, margin: *margin, zooms: map[int]*zoomTally{},
		grid: coveragecheck.NewGrid(gridSize, 4096)}
	var err error
	if *tilesetPath != "" {
		err = c.readTileset(*tilesetPath)
	} else {
		err = c.readDir(*dir)
	}
	if err != nil {
		return err
	}
	c.print(os.Stdout)
	return nil
}

type checker struct {
	layer  string
	region orb.Polygon // WGS 84
	margin float64
	grid   *coveragecheck.Grid
	zooms  map[int]*zoomTally
}

func (c *checker) readTileset(path string) error {
	r, err := tileset.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	return r.ForEach(func(z, x, y int, gz []byte) error {
		return c.tile(z, x, y, gz)
	})
}

func (c *checker) readDir(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := filepath.Ext(path)
		if ext != ".pbf" && ext != ".mvt" {
			return nil
		}
		rel, _ := filepath.Rel(dir, strings.TrimSuffix(path, ext))
		parts := strings.Split(rel, string(filepath.Separator))
		if len(parts) != 3 {
			return nil
		}
		var zxy [3]int
		for i, p := range parts {
			if zxy[i], err = strconv.Atoi(p); err != nil {
				return nil
			}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return c.tile(zxy[0], zxy[1], zxy[2], data)
	})
}

// tile measures one tile, data gzip-compressed or raw.
func (c *checker) tile(z, x, y int, data []byte) error {
	raw, gz := data, data
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("tile %d/%d/%d: %v", z, x, y, err)
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return fmt.Errorf("tile %d/%d/%d: %v", z, x, y, err)
		}
	} else {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		gz = buf.Bytes()
	}
	layers, err := mvt.Unmarshal(raw)
	if err != nil {
		return fmt.Errorf("tile %d/%d/%d: %v", z, x, y, err)
	}
	zt := c.zooms[z]
	if zt == nil {
		zt = &zoomTally{}
		c.zooms[z] = zt
	}
	zt.tiles++
	zt.bytes += int64(len(gz))

	c.grid.Reset()
	extent := 4096.0
	for _, l := range layers {
		if c.layer != "" && l.Name != c.layer {
			continue
		}
		extent = float64(l.Extent)
		if extent != c.grid.Extent {
			c.grid = coveragecheck.NewGrid(gridSize, extent)
		}
		for _, f := range l.Features {
			c.grid.AddGeometry(f.Geometry)
			switch f.Geometry.(type) {
			case orb.Polygon, orb.MultiPolygon:
				zt.polygons++
				if validity.Check(f.Geometry) != nil {
					zt.invalid++
				}
			}
		}
	}
	gaps, overlaps := c.grid.Tally(c.inside(z, x, y, extent))
	zt.gaps += int64(gaps)
	zt.overlaps += int64(overlaps)
	return nil
}

// inside tests tile points for lying in the region, farther than the
// margin from its outline; nil (no gaps counted) without a region. The
// region is rasterised on the tile's grid extended by the margin, then
// eroded by it.
func (c *checker) inside(z, x, y int, extent float64) func(orb.Point) bool {
	if c.region == nil {
		return nil
	}
	step := extent / gridSize
	r := int(math.Ceil(c.margin))
	pad := float64(r) * step
	size := extent * math.Exp2(float64(z))
	ring := make(orb.Ring, len(c.region[0]))
	for i, p := range c.region[0] {
		f := maptile.Fraction(p, 0)
		// Tile coordinates, shifted so that the extended grid starts at 0.
		ring[i] = orb.Point{f[0]*size - float64(x)*extent + pad, f[1]*size - float64(y)*extent + pad}
	}
	n := gridSize + 2*r
	mask := coveragecheck.NewGrid(n, extent+2*pad)
	bound := orb.Bound{Max: orb.Point{extent + 2*pad, extent + 2*pad}}
	if clipped := clip.Ring(bound, ring); len(clipped) >= 4 {
		mask.AddPolygon(orb.Polygon{clipped})
	}
	in := make([]bool, gridSize*gridSize)
	for j := range gridSize {
	sample:
		for i := range gridSize {
			for dj := -r; dj <= r; dj++ {
				row := mask.Count[(j+r+dj)*n:]
				for di := -r; di <= r; di++ {
					if row[i+r+di] == 0 {
						continue sample
					}
				}
			}
			in[j*gridSize+i] = true
		}
	}
	return func(p orb.Point) bool {
		i, j := int(p[0]/step), int(p[1]/step)
		return i >= 0 && j >= 0 && i < gridSize && j < gridSize && in[j*gridSize+i]
	}
}

func (c *checker) print(w io.Writer) {
	fmt.Fprintf(w, "%4s %7s %12s %10s %10s %9s %8s\n", "zoom", "tiles", "gzip_bytes", "gap_px", "overlap_px", "polygons", "invalid")
	var total zoomTally
	for z := 0; z <= 30; z++ {
		zt := c.zooms[z]
		if zt == nil {
			continue
		}
		fmt.Fprintf(w, "%4d %7d %12d %10d %10d %9d %8d\n", z, zt.tiles, zt.bytes, zt.gaps, zt.overlaps, zt.polygons, zt.invalid)
		total.tiles += zt.tiles
		total.bytes += zt.bytes
		total.gaps += zt.gaps
		total.overlaps += zt.overlaps
		total.polygons += zt.polygons
		total.invalid += zt.invalid
	}
	fmt.Fprintf(w, "%4s %7d %12d %10d %10d %9d %8d\n", "all", total.tiles, total.bytes, total.gaps, total.overlaps, total.polygons, total.invalid)
}

// readRegion reads the first polygon of a GeoJSON file.
func readRegion(path string) (orb.Polygon, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for _, f := range fc.Features {
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			return g, nil
		case orb.MultiPolygon:
			if len(g) > 0 {
				return g[0], nil
			}
		}
	}
	return nil, fmt.Errorf("%s holds no polygon", path)
}

package ingest

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/outcrop/outcrop/ingest/gdal"
	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// pyramidBlock is log2 of the side, in max-zoom tiles, of the block GDAL
// warps in one call: 8×8 tiles, 2048×2048 values (16 MB a band). Larger
// blocks save little per-call overhead; this one bounds memory for any
// grid size.
const pyramidBlock = 3

// rasterCacheBytes bounds GDAL's block cache during a raster ingest,
// unless GDAL_CACHEMAX is set.
const rasterCacheBytes = 64 << 20

// tileRange is the tiles of one zoom a raster covers, inclusive.
type tileRange struct{ x0, y0, x1, y1 int }

func (r tileRange) has(x, y int) bool { return x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1 }

// rangeOf returns the tiles of zoom z that merc (west, south, east, north
// in EPSG:3857) covers.
func rangeOf(merc [4]float64, z int) tileRange {
	n := 1 << z
	span := earthCircumference / float64(n)
	half := earthCircumference / 2
	clamp := func(v int) int { return min(max(v, 0), n-1) }
	return tileRange{
		clamp(int(math.Floor((merc[0] + half) / span))), clamp(int(math.Floor((half - merc[3]) / span))),
		clamp(int(math.Ceil((merc[2]+half)/span)) - 1), clamp(int(math.Ceil((half-merc[1])/span)) - 1),
	}
}

// pyramidCut is one run of cutRasterPyramid.
type pyramidCut struct {
	ctx              context.Context
	vrt              *gdal.Dataset // the max zoom, warped a block at a time as it is read
	ox, oy           int           // the max-zoom tile at the top left of vrt
	bands            []int         // source bands, from 1
	method           raster.Method
	minZoom, maxZoom int
	blockZoom        int         // the zoom whose tiles are the warped blocks
	ranges           []tileRange // by zoom
	emit             func(z, x, y int, t *raster.Tile)
	block            []float32 // the block being cut, band after band, reused
	bx, by           int       // its top-left max-zoom tile
}

// cutRasterPyramid cuts zooms minZoom to maxZoom of the source bands over
// the tiles merc covers and hands put every tile that holds data. Only the
// max zoom is warped from the source, by GDAL (base: the shared gdalwarp
// switches) through one warped VRT (warpedMaxZoom), 8×8 tiles at a time on
// every CPU; each coarser tile is downsampled in Go from its four children
// by method m (raster.Downsample). The pyramid is walked depth first, so
// memory holds one warped block (in GDAL's cache and in one reused buffer)
// and three tiles a zoom, whatever the grid's size. Tiles
// are encoded by other goroutines while the next block warps, and wait in a
// temporary file in directory store (tileSpill) until put takes them all in
// key order, so that tileset id is written append-only; cut is called as
// each tile is made.
func cutRasterPyramid(ctx context.Context, ds *gdal.Dataset, base []string, merc [4]float64, minZoom, maxZoom int, bands []int, m raster.Method, store, id string, cut func(), put func(tileset.Tile) error) ([]tileset.ZoomStats, error) {
	// Each block's source window is read once, and neighbouring blocks
	// share only their edges, so a large block cache buys nothing but
	// memory: GDAL's default, 5 % of RAM, held most of a 256 MB source.
	// It holds one warped block of every band beside the source's blocks.
	blockZoom := max(minZoom, maxZoom-pyramidBlock)
	side := RasterTileSize << (maxZoom - blockZoom)
	gdal.SetCacheMax(rasterCacheBytes + int64(4*side*side*len(bands)))
	spill, err := newTileSpill(store, id)
	if err != nil {
		return nil, err
	}
	defer spill.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	zooms := make([]tileset.ZoomStats, maxZoom-minZoom+1)
	for i := range zooms {
		zooms[i].Zoom = minZoom + i
	}

	type job struct {
		z, x, y int
		t       *raster.Tile
	}
	jobs := make(chan job, 2*runtime.GOMAXPROCS(0))
	var (
		mu       sync.Mutex
		spillErr error
		wg       sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				data := raster.Encode(j.t)
				mu.Lock()
				cut()
				err := spill.add(tileset.Tile{Z: j.z, X: j.x, Y: j.y, Data: data})
				if err != nil && spillErr == nil {
					spillErr = err
					cancel()
				}
				zs := &zooms[j.z-minZoom]
				zs.Tiles++
				zs.Bytes += int64(len(data))
				zs.MaxBytes = max(zs.MaxBytes, int64(len(data)))
				mu.Unlock()
			}
		})
	}

	c := &pyramidCut{ctx: ctx, bands: bands, method: m,
		minZoom: minZoom, maxZoom: maxZoom, blockZoom: blockZoom,
		ranges: make([]tileRange, maxZoom+1),
		emit:   func(z, x, y int, t *raster.Tile) { jobs <- job{z, x, y, t} },
		block:  make([]float32, side*side*len(bands)),
	}
	for z := minZoom; z <= maxZoom; z++ {
		c.ranges[z] = rangeOf(merc, z)
	}
	if c.vrt, err = c.warpedMaxZoom(ds, base); err != nil {
		close(jobs)
		wg.Wait()
		return nil, err
	}
	defer c.vrt.Close()
	r := c.ranges[minZoom]
	for x := r.x0; x <= r.x1 && err == nil; x++ {
		for y := r.y0; y <= r.y1 && err == nil; y++ {
			_, err = c.build(minZoom, x, y)
		}
	}
	close(jobs)
	wg.Wait()
	if spillErr != nil {
		return nil, spillErr
	}
	if err != nil {
		return nil, err
	}
	return zooms, spill.replay(put)
}

// build returns tile (x, y) of zoom z, nil when it holds no data, after
// emitting it and every tile under it that holds data.
func (c *pyramidCut) build(z, x, y int) (*raster.Tile, error) {
	if !c.ranges[z].has(x, y) {
		return nil, nil
	}
	if err := c.ctx.Err(); err != nil {
		return nil, err
	}
	if z == c.blockZoom {
		d := c.maxZoom - c.blockZoom
		c.bx, c.by = x<<d, y<<d
		side := RasterTileSize << d
		if err := c.vrt.ReadFloat32((c.bx-c.ox)*RasterTileSize, (c.by-c.oy)*RasterTileSize, side, side, c.bands, c.block); err != nil {
			return nil, fmt.Errorf("warping the tiles under %d/%d/%d: %v", z, x, y, err)
		}
	}
	var t *raster.Tile
	if z == c.maxZoom {
		const n = RasterTileSize
		side := n << (c.maxZoom - c.blockZoom)
		t = &raster.Tile{Size: n, Bands: len(c.bands), Data: make([]float32, n*n*len(c.bands))}
		for b := range c.bands {
			plane := c.block[b*side*side:]
			for j := range n {
				o := ((y-c.by)*n+j)*side + (x-c.bx)*n
				copy(t.Data[(b*n+j)*n:][:n], plane[o:o+n])
			}
		}
		if t.Empty() {
			return nil, nil
		}
	} else {
		var children [4]*raster.Tile
		for q := range children {
			var err error
			if children[q], err = c.build(z+1, 2*x+q%2, 2*y+q/2); err != nil {
				return nil, err
			}
		}
		if t = raster.Downsample(children, c.method); t == nil {
			return nil, nil
		}
	}
	c.emit(z, x, y, t)
	return t, nil
}

// warpedMaxZoom returns the max-zoom tiles the raster covers, from the
// block-aligned one at (c.ox, c.oy), as a virtual dataset that GDAL's warper
// fills a block of 8×8 tiles at a time on every CPU as they are read: one
// transformer and one warp operation serve every block.
func (c *pyramidCut) warpedMaxZoom(ds *gdal.Dataset, base []string) (*gdal.Dataset, error) {
	d := c.maxZoom - c.blockZoom
	r := c.ranges[c.maxZoom]
	c.ox, c.oy = r.x0>>d<<d, r.y0>>d<<d
	x1, y1 := (r.x1>>d+1)<<d, (r.y1>>d+1)<<d // exclusive
	span := earthCircumference / float64(int(1)<<c.maxZoom)
	half := earthCircumference / 2
	side := strconv.Itoa(RasterTileSize << d)
	sw := append(slices.Clone(base), "-of", "VRT", "-wo", "NUM_THREADS=ALL_CPUS", "-co", "BLOCKXSIZE="+side, "-co", "BLOCKYSIZE="+side,
		"-te", ftoa(-half+float64(c.ox)*span), ftoa(half-float64(y1)*span), ftoa(-half+float64(x1)*span), ftoa(half-float64(c.oy)*span),
		"-ts", strconv.Itoa((x1-c.ox)*RasterTileSize), strconv.Itoa((y1-c.oy)*RasterTileSize))
	vrt, err := ds.Warp("", sw)
	if err != nil {
		return nil, fmt.Errorf("warping to zoom %d: %v", c.maxZoom, err)
	}
	return vrt, nil
}

package ingest

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/outcrop/outcrop/ingest/gdal"
	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// Colour sources, as colourKind tells them.
const (
	colourRGB     = "RGB"
	colourRGBA    = "RGBA"
	colourPalette = "paletted"
)

// colourKind says whether the raster is an image of colours rather than of
// values, and which: 3 Byte bands Red, Green, Blue (colourRGB), a fourth
// Alpha (colourRGBA), or one Byte band with a colour table (colourPalette);
// "" for values.
func colourKind(ds *gdal.Dataset) string {
	bands := ds.Bands()
	interp := make([]string, len(bands))
	for i, b := range bands {
		if b.DataType() != "Byte" {
			return ""
		}
		interp[i] = b.ColourInterp()
	}
	switch {
	case len(bands) == 1 && bands[0].HasColourTable():
		return colourPalette
	case slices.Equal(interp, []string{"Red", "Green", "Blue"}):
		return colourRGB
	case slices.Equal(interp, []string{"Red", "Green", "Blue", "Alpha"}):
		return colourRGBA
	}
	return ""
}

// runColour ingests a colour raster (kind from colourKind) as a pyramid of
// colour tiles, PNG, JPEG or WebP (--tile-format): the max zoom warped with
// --resampling (default bilinear, nearest for a palette), each lower zoom
// the alpha-weighted mean of the one below (colourPyramid). Nodata and the
// outside are transparent. srs and crsLabel are rasterCRS's.
func runColour(ctx context.Context, file string, ds *gdal.Dataset, kind, srs, crsLabel string, opts Options, log *slog.Logger, start time.Time) (*Summary, error) {
	format := opts.TileFormat
	if format == "" {
		format = raster.ColourPNG
	}
	if !raster.IsColour(format) {
		return nil, flagErr("--tile-format", "%q is not a tile format; give png (lossless), jpeg or webp", format)
	}
	st := ds.Structure()
	src := ds
	if kind == colourPalette {
		// The palette's colours as RGBA bands, so that lower zooms average
		// colours rather than palette indices.
		x, err := ds.Translate("", []string{"-of", "VRT", "-expand", "rgba"})
		if err != nil {
			return nil, fileErr(file, "GDAL cannot expand its colour table to RGBA (%v)", err)
		}
		defer x.Close()
		src = x
	}
	resampling := opts.Resampling
	if resampling == "" {
		resampling = "bilinear"
		if kind == colourPalette {
			resampling = "nearest"
		}
	}
	et := "0.125"
	if picksValue(resampling) {
		et = "0"
	}
	// The source's alpha band, if any, is taken as its alpha (GDAL's
	// -srcalpha, detected); nodata of the colour bands becomes alpha 0.
	base := []string{"-of", "VRT", "-t_srs", "EPSG:3857", "-ot", "Byte", "-dstalpha", "-et", et}
	if srs != "" {
		base = append(base, "-s_srs", srs)
	}
	full, err := src.Warp("", append(slices.Clone(base), "-r", resampling))
	if err != nil {
		return nil, fileErr(file, "GDAL cannot warp it to Web Mercator (%v)", err)
	}
	fgt, _ := full.GeoTransform()
	fst := full.Structure()
	full.Close()
	if fst.NBands != 4 {
		return nil, fileErr(file, "GDAL warped its colours to %d bands, not red, green, blue and alpha", fst.NBands)
	}
	res := fgt[1]
	merc := [4]float64{fgt[0], fgt[3] + float64(fst.SizeY)*fgt[5], fgt[0] + float64(fst.SizeX)*fgt[1], fgt[3]}
	maxZoom, reason := rasterMaxZoomFor(opts, res)
	log.Info("max zoom", "file", file, "maxzoom", maxZoom, "reason", reason)

	w, err := tileset.Create(opts.Store, opts.ID)
	if err != nil {
		return nil, flagErr("--store", "cannot start a new version of tileset %s (%v); check the store directory", opts.ID, err)
	}
	committed := false
	defer func() {
		if !committed {
			w.Abort()
		}
	}()
	bar := newProgress(opts.Progress, "cutting colour tiles", "tiles", -1)
	zooms, err := colourPyramid(ctx, src, append(base, "-r", resampling), merc, opts.MinZoom, maxZoom, format, func(tl tileset.Tile) error {
		bar.Add(1)
		return w.Put(tl)
	})
	bar.Finish()
	if err != nil {
		return nil, err
	}
	var bands []tileset.Band
	for _, n := range []string{"red", "green", "blue", "alpha"} {
		bands = append(bands, tileset.Band{Name: n, DataType: "Byte"})
	}
	sum, err := commitRaster(w, opts, rasterCut{
		file: file, driver: ds.Driver().ShortName(), crs: crsLabel, merc: merc, maxZoom: maxZoom, reason: reason, zooms: zooms,
		raster:  &tileset.Raster{Encoding: format, TileSize: RasterTileSize, Resampling: resampling, Bands: bands},
		summary: &RasterSummary{Width: st.SizeX, Height: st.SizeY, Resampling: resampling, Resolution: res, Bands: bands, Colour: kind + " colour, " + format + " tiles"},
	}, start)
	committed = err == nil
	return sum, err
}

// rasterMaxZoomFor is the max zoom of a raster whose Web Mercator pixel is
// res metres, and why: --maxzoom, else rasterMaxZoom within MaxZoomLimit
// and no lower than --minzoom.
func rasterMaxZoomFor(opts Options, res float64) (int, string) {
	if opts.MaxZoom >= 0 {
		return opts.MaxZoom, fmt.Sprintf("%d, from --maxzoom", opts.MaxZoom)
	}
	z := rasterMaxZoom(res)
	switch {
	case z > MaxZoomLimit:
		return MaxZoomLimit, fmt.Sprintf("%d, the limit (the source's pixel is %.2f m)", MaxZoomLimit, res)
	case z < opts.MinZoom:
		return opts.MinZoom, fmt.Sprintf("%d, raised to --minzoom", opts.MinZoom)
	}
	return z, fmt.Sprintf("%d, whose %.0f m pixel is no coarser than the source's %.0f m (Web Mercator)", z, earthCircumference/float64(int(RasterTileSize)<<z), res)
}

// encodeColour is raster.EncodeColour, and WebP (quality
// raster.JPEGQuality, alpha kept) through GDAL's WEBP driver.
func encodeColour(img *image.NRGBA, format string) ([]byte, error) {
	if format == raster.ColourWebP {
		return gdal.EncodeRGBA(img.Pix, img.Rect.Dx(), img.Rect.Dy(), "WEBP", "QUALITY="+strconv.Itoa(raster.JPEGQuality))
	}
	return raster.EncodeColour(img, format)
}

// colourPyramid cuts the colour pyramid from minZoom to maxZoom: the max
// zoom warped from src with the gdalwarp switches warp (whose output is
// red, green, blue and alpha) over the tiles merc covers, each lower zoom
// halved from the four tiles below it (raster.HalveColour, alpha-weighted).
// It walks the quadtree depth first, so it holds only a few tiles per zoom,
// and puts every tile with a pixel not transparent, encoded as format.
func colourPyramid(ctx context.Context, src *gdal.Dataset, warp []string, merc [4]float64, minZoom, maxZoom int, format string, put func(tileset.Tile) error) ([]tileset.ZoomStats, error) {
	n := 1 << maxZoom
	span := earthCircumference / float64(n)
	half := earthCircumference / 2
	clamp := func(v int) int { return min(max(v, 0), n-1) }
	x0, x1 := clamp(int(math.Floor((merc[0]+half)/span))), clamp(int(math.Ceil((merc[2]+half)/span))-1)
	y0, y1 := clamp(int(math.Floor((half-merc[3])/span))), clamp(int(math.Ceil((half-merc[1])/span))-1)
	te := []string{"-te",
		ftoa(-half + float64(x0)*span), ftoa(half - float64(y1+1)*span),
		ftoa(-half + float64(x1+1)*span), ftoa(half - float64(y0)*span),
		"-ts", strconv.Itoa((x1 - x0 + 1) * RasterTileSize), strconv.Itoa((y1 - y0 + 1) * RasterTileSize)}
	vrt, err := src.Warp("", append(slices.Clone(warp), te...))
	if err != nil {
		return nil, fmt.Errorf("warping zoom %d: %v", maxZoom, err)
	}
	defer vrt.Close()
	zooms := make([]tileset.ZoomStats, maxZoom-minZoom+1)
	for i := range zooms {
		zooms[i].Zoom = minZoom + i
	}
	var tile func(z, x, y int) (*image.NRGBA, error)
	tile = func(z, x, y int) (*image.NRGBA, error) {
		d := maxZoom - z
		if (x+1)<<d <= x0 || x<<d > x1 || (y+1)<<d <= y0 || y<<d > y1 {
			return nil, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var img *image.NRGBA
		if d == 0 {
			img = image.NewNRGBA(image.Rect(0, 0, RasterTileSize, RasterTileSize))
			if err := vrt.ReadBytes((x-x0)*RasterTileSize, (y-y0)*RasterTileSize, RasterTileSize, RasterTileSize, []int{1, 2, 3, 4}, img.Pix); err != nil {
				return nil, fmt.Errorf("reading tile %d/%d/%d: %v", z, x, y, err)
			}
		} else {
			var kids [4]*image.NRGBA
			for q := range kids {
				k, err := tile(z+1, 2*x+q%2, 2*y+q/2)
				if err != nil {
					return nil, err
				}
				kids[q] = k
			}
			img = raster.HalveColour(kids)
		}
		if img == nil || raster.ColourEmpty(img) {
			return nil, nil
		}
		data, err := encodeColour(img, format)
		if err != nil {
			return nil, fmt.Errorf("encoding tile %d/%d/%d: %v", z, x, y, err)
		}
		if err := put(tileset.Tile{Z: z, X: x, Y: y, Data: data}); err != nil {
			return nil, err
		}
		zs := &zooms[z-minZoom]
		zs.Tiles++
		zs.Bytes += int64(len(data))
		zs.MaxBytes = max(zs.MaxBytes, int64(len(data)))
		return img, nil
	}
	d := maxZoom - minZoom
	for x := x0 >> d; x <= x1>>d; x++ {
		for y := y0 >> d; y <= y1>>d; y++ {
			if _, err := tile(minZoom, x, y); err != nil {
				return nil, err
			}
		}
	}
	return zooms, nil
}

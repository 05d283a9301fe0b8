package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// described returns the metadata opts gives of file: its title (the file's
// name without extension when --title is not given), description,
// keywords, countries, theme, data owner, attribution and licence.
func described(opts Options, file string) tileset.Metadata {
	title := opts.Title
	if title == "" {
		title = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	return tileset.Metadata{
		Title:       title,
		Description: opts.Description,
		Keywords:    opts.Keywords,
		Countries:   opts.Countries,
		Theme:       opts.Theme,
		DataOwner:   opts.DataOwner,
		Attribution: opts.Attribution,
		License:     opts.License,
	}
}

// rasterCut is a raster tileset cut from file into a tileset writer, as
// commitRaster records it.
type rasterCut struct {
	file, driver, crs string
	merc              [4]float64 // the extent in Web Mercator: west, south, east, north
	maxZoom           int
	reason            string // why maxZoom
	zooms             []tileset.ZoomStats
	raster            *tileset.Raster
	summary           *RasterSummary
}

// commitRaster commits the tileset c describes into w, with the metadata
// opts gives, and returns the ingest's summary, timed from start.
func commitRaster(w *tileset.Writer, opts Options, c rasterCut, start time.Time) (*Summary, error) {
	west, north := mercToLonLat(c.merc[0], c.merc[3])
	east, south := mercToLonLat(c.merc[2], c.merc[1])
	bounds := [4]float64{round6(west), round6(south), round6(east), round6(north)}
	meta := described(opts, c.file)
	meta.Kind = tileset.KindRaster
	meta.Raster = c.raster
	meta.Bounds = bounds
	meta.Center = center(bounds, opts.MinZoom, c.maxZoom)
	meta.MinZoom, meta.MaxZoom, meta.Zooms = opts.MinZoom, c.maxZoom, c.zooms
	meta.Language = opts.Language
	meta.Source = tileset.Source{File: filepath.Base(c.file), Driver: c.driver, CRS: c.crs, Scale: opts.Scale}
	if err := w.Commit(&meta); err != nil {
		return nil, fmt.Errorf("%s: committing tileset %s in %s: %w", c.file, opts.ID, opts.Store, err)
	}
	sum := &Summary{
		File: c.file, Driver: c.driver, SourceCRS: c.crs, Zooms: c.zooms,
		MaxZoom: c.maxZoom, MaxZoomReason: c.reason, Raster: c.summary,
	}
	if fi, err := os.Stat(filepath.Join(opts.Store, opts.ID+tileset.Ext)); err == nil {
		sum.Bytes = fi.Size()
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

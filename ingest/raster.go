package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outcrop/outcrop/ingest/gdal"
	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// RasterTileSize is the width and height of the data tiles ingest cuts. 256
// keeps the XYZ convention every client assumes for raster tiles, and makes a
// point query read a quarter of what a 512 tile would.
const RasterTileSize = 256

// Resamplings are the --resampling methods: GDAL's warp methods. bilinear,
// cubic, cubicspline, lanczos and average suit continuous values; nearest and
// mode keep classes; min, max, med, q1 and q3 pick one source value.
var Resamplings = []string{"nearest", "bilinear", "cubic", "cubicspline", "lanczos", "average", "mode", "min", "max", "med", "q1", "q3"}

// picksValue reports whether resampling method r returns one of the source
// values rather than interpolating between them.
func picksValue(r string) bool {
	return slices.Contains([]string{"nearest", "mode", "min", "max", "med", "q1", "q3"}, r)
}

// earthCircumference is the width of the Web Mercator plane in metres.
const earthCircumference = 2 * math.Pi * 6378137

// RasterSummary is what a raster ingest did.
type RasterSummary struct {
	Width, Height int    // source pixels
	Resampling    string // method used
	// Resolution is the source pixel size in Web Mercator metres.
	Resolution float64
	Bands      []tileset.Band
	// Assumed is set when the CRS was assumed, saying why.
	Assumed string
	// Colour says what a colour raster (a scan) was and how its tiles are
	// stored, e.g. "RGB colour, png tiles"; "" for values.
	Colour string
}

// rasterPath reports whether file is a raster GDAL reads rather than a
// vector dataset, and the path GDAL opens it by. A file both kinds of
// driver recognise (netCDF, GeoPackage) is a raster when it has no vector
// layer.
func rasterPath(file string) (string, bool) {
	p, err := gdalPath(file)
	if err != nil || gdal.IdentifyRasterDriver(p) == "" {
		return "", false
	}
	if gdal.IdentifyDriver(p) == "" {
		return p, true
	}
	ds, err := gdal.Open(p, gdal.VectorOnly())
	if err != nil {
		return p, true
	}
	defer ds.Close()
	return p, len(ds.Layers()) == 0
}

// runRaster ingests the raster at p (file as the user named it) as a
// pyramid of data tiles, RasterTileSize square, written as a new version of
// the tileset: the max zoom warped by GDAL to WebMercatorQuad, each coarser
// zoom down to --minzoom downsampled from the next finer one
// (cutRasterPyramid).
func runRaster(ctx context.Context, file, p string, opts Options, log *slog.Logger, start time.Time) (*Summary, error) {
	if opts.Resampling != "" && !slices.Contains(Resamplings, opts.Resampling) {
		return nil, flagErr("--resampling", "%q is not a resampling method; give one of %s", opts.Resampling, strings.Join(Resamplings, ", "))
	}
	warn := newGDALWarnings(log, file)
	defer warn.flush()
	ds, err := openSubdataset(file, p, opts.Subdataset, gdal.RasterOnly(), gdal.ErrLogger(warn.handler))
	if err != nil {
		return nil, err
	}
	defer ds.Close()
	st := ds.Structure()
	if st.NBands == 0 {
		return nil, fileErr(file, "has no raster band")
	}
	if opts.Band < 0 || opts.Band > st.NBands {
		return nil, flagErr("--band", "%d is not a band of %s, which has %d; give 1 to %d, or leave it out for all", opts.Band, file, st.NBands, st.NBands)
	}
	gt, err := ds.GeoTransform()
	if err != nil && ds.GCPCount() == 0 {
		return nil, fileErr(file, "has no georeferencing (no geotransform, no ground control points); georeference it first, e.g. with gdal_translate -a_ullr or -gcp, and -a_srs")
	}
	srs, crsLabel, assumed, err := rasterCRS(ds, file, opts.SrcSRS, gt, st)
	if err != nil {
		return nil, err
	}
	if assumed != "" {
		log.Warn("the raster declares no CRS; taking it as EPSG:4326 (WGS 84 lon/lat): "+assumed+"; give --s-srs if that is wrong", "file", file)
	}
	// A colour image (a scanned map) is kept as colour, unless --band asks
	// for one of its bands as values.
	if kind := colourKind(ds); kind != "" && opts.Band == 0 {
		return runColour(ctx, file, ds, kind, srs, crsLabel, opts, log, start)
	}
	if opts.TileFormat != "" {
		return nil, flagErr("--tile-format", "%s holds values, not colours (3 or 4 Byte bands red, green, blue(, alpha), or a colour table); leave --tile-format out", file)
	}

	all := ds.Bands()
	chosen := make([]int, 0, len(all)) // 1-based
	for i := range all {
		if opts.Band == 0 || opts.Band == i+1 {
			chosen = append(chosen, i+1)
		}
	}
	bands := make([]tileset.Band, len(chosen))
	classes := false
	for k, bi := range chosen {
		b := all[bi-1]
		bands[k] = tileset.Band{Name: bandName(b, bi), Units: b.Unit(), DataType: b.DataType()}
		if opts.Units != "" {
			if bands[k].Units != "" && bands[k].Units != opts.Units {
				log.Warn("--units replaces the units the source declares", "file", file, "band", bands[k].Name, "declared", bands[k].Units, "units", opts.Units)
			}
			bands[k].Units = opts.Units
		}
		if nd, ok := b.NoData(); ok && !math.IsNaN(nd) {
			bands[k].NoData = &nd
		}
		classes = classes || (!b.IsFloat() && b.Classes())
	}
	resampling := opts.Resampling
	if resampling == "" {
		resampling = "bilinear"
		if classes {
			resampling = "nearest"
		}
	}

	// A method that picks one source value (nearest, mode, …) must pick the
	// pixel the exact transform lands in, so it warps with every pixel
	// transformed (-et 0). An interpolating one takes GDAL's default
	// approximation, within an eighth of a pixel, which is six times faster
	// through a datum shift and well inside its own tolerance.
	et := "0.125"
	if picksValue(resampling) {
		et = "0"
	}
	// Nodata is NaN, but declared to GDAL only as the value every output
	// block starts as (INIT_DEST), not as the destination's nodata: a
	// declared one makes the warper build and update a validity mask of
	// every block, for pixels it would leave NaN anyway.
	base := []string{"-t_srs", "EPSG:3857", "-r", resampling, "-ot", "Float32", "-dstnodata", "None", "-wo", "INIT_DEST=NaN", "-et", et}
	if srs != "" {
		base = append(base, "-s_srs", srs)
	}
	full, err := ds.Warp("", slices.Concat(base, []string{"-of", "VRT"}))
	if err != nil {
		return nil, fileErr(file, "GDAL cannot warp it to Web Mercator (%v)", err)
	}
	fgt, _ := full.GeoTransform()
	fst := full.Structure()
	full.Close()
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
	// The statistics read the source through a second handle (a GDAL
	// dataset serves one thread), beside the pyramid rather than after it.
	statsCtx, cancelStats := context.WithCancel(ctx)
	defer cancelStats()
	stats := make(chan error, 1)
	go func() {
		sds, err := openSubdataset(file, p, opts.Subdataset, gdal.RasterOnly())
		if err == nil {
			err = bandStats(statsCtx, sds, st, chosen, bands)
			sds.Close()
		}
		stats <- err
	}()
	bar := newProgress(opts.Progress, "cutting raster tiles", "tiles", -1)
	zooms, err := cutRasterPyramid(ctx, ds, base, merc, opts.MinZoom, maxZoom, chosen, raster.MethodFor(resampling), opts.Store, opts.ID, func() { bar.Add(1) }, w.Put)
	bar.Finish()
	if err != nil {
		cancelStats()
		<-stats
		return nil, err
	}
	if err := <-stats; err != nil {
		return nil, fileErr(file, "cannot read its values (%v)", err)
	}
	sum, err := commitRaster(w, opts, rasterCut{
		file: file, driver: ds.Driver().ShortName(), crs: crsLabel, merc: merc, maxZoom: maxZoom, reason: reason, zooms: zooms,
		raster:  &tileset.Raster{Encoding: raster.Encoding, TileSize: RasterTileSize, Resampling: resampling, Bands: bands},
		summary: &RasterSummary{Width: st.SizeX, Height: st.SizeY, Resampling: resampling, Resolution: res, Bands: bands, Assumed: assumed},
	}, start)
	committed = err == nil
	return sum, err
}

// bandStats sets the statistics of each chosen band from every valid value
// of the source at its own resolution, as gdalinfo -stats computes them: the
// max-zoom tiles show each source pixel at least once, resampled. The
// source's nodata value counts as nodata, as NaN does. It reads each band
// twice, 256 rows at a time (raster.Accumulator's two passes), so memory
// does not grow with the grid.
func bandStats(ctx context.Context, ds *gdal.Dataset, st gdal.Structure, chosen []int, bands []tileset.Band) error {
	const rows = 256
	buf := make([]float32, st.SizeX*rows)
	nan := float32(math.NaN())
	for k, bi := range chosen {
		var acc raster.Accumulator
		for pass := range 2 {
			if pass == 1 {
				acc.StartHistogram()
			}
			for y := 0; y < st.SizeY; y += rows {
				if err := ctx.Err(); err != nil {
					return err
				}
				h := min(rows, st.SizeY-y)
				if err := ds.ReadFloat32(0, y, st.SizeX, h, []int{bi}, buf); err != nil {
					return err
				}
				vals := buf[:st.SizeX*h]
				if nd := bands[k].NoData; nd != nil {
					ndv := float32(*nd)
					for i, v := range vals {
						if v == ndv {
							vals[i] = nan
						}
					}
				}
				acc.Scan(vals)
			}
		}
		bands[k].Stats = acc.Stats()
	}
	return nil
}

// rasterMaxZoom is the shallowest zoom whose pixel is no coarser than res,
// the source's pixel size in Web Mercator metres.
func rasterMaxZoom(res float64) int {
	// Less a little, so that a source already on a zoom's grid gets that zoom.
	return max(0, int(math.Ceil(math.Log2(earthCircumference/(RasterTileSize*res))-1e-9)))
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// mercToLonLat converts EPSG:3857 metres to WGS 84 degrees.
func mercToLonLat(x, y float64) (lon, lat float64) {
	const r = 6378137
	return x / r * 180 / math.Pi, (2*math.Atan(math.Exp(y/r)) - math.Pi/2) * 180 / math.Pi
}

// bandName names a band by its description, its netCDF variable, or its
// number.
func bandName(b gdal.Band, i int) string {
	for _, n := range []string{b.Description(), b.Metadata("NETCDF_VARNAME"), b.Metadata("long_name")} {
		if n != "" {
			return n
		}
	}
	return "band " + strconv.Itoa(i)
}

// rasterCRS decides the source CRS: --s-srs, else the file's own, else WGS
// 84 for a lon/lat grid whose netCDF coordinates say so (assumed says why);
// any other raster without one is refused. srs is what to pass gdalwarp as
// -s_srs, "" for the file's own.
func rasterCRS(ds *gdal.Dataset, file, flag string, gt [6]float64, st gdal.Structure) (srs, label, assumed string, err error) {
	if flag != "" {
		sr, err := gdal.NewSpatialRef(flag)
		if err != nil {
			return "", "", "", flagErr("--s-srs", "%q is not a CRS GDAL knows (%v); give e.g. EPSG:4326", flag, err)
		}
		sr.Close()
		return flag, flag, "", nil
	}
	if wkt := ds.Projection(); wkt != "" {
		return "", crsLabelOf(wkt), "", nil
	}
	if wkt := ds.GCPProjection(); wkt != "" {
		return "", crsLabelOf(wkt), "", nil
	}
	if why := lonLatGrid(ds, gt, st); why != "" {
		return "EPSG:4326", "EPSG:4326", why, nil
	}
	return "", "", "", fileErr(file, "declares no CRS; give the CRS of its coordinates with --s-srs, e.g. --s-srs EPSG:32647")
}

// crsLabelOf names a CRS by its EPSG code when it has one, else its name.
func crsLabelOf(wkt string) string {
	sr, err := gdal.NewSpatialRefFromWKT(wkt)
	if err != nil {
		return ""
	}
	defer sr.Close()
	_ = sr.AutoIdentifyEPSG()
	if sr.AuthorityName("") == "EPSG" {
		return "EPSG:" + sr.AuthorityCode("")
	}
	return sr.Name()
}

// lonLatGrid says why a netCDF grid without a CRS is in lon/lat degrees,
// or returns "": its coordinate variables' CF units or standard names say
// degrees east and north, or it is a GMT/COARDS grid (GMT writes no units
// for geographic grids made without -fg) whose coordinate ranges fit
// longitude and latitude.
func lonLatGrid(ds *gdal.Dataset, gt [6]float64, st gdal.Structure) string {
	if ds.Driver().ShortName() != "netCDF" || gt[2] != 0 || gt[4] != 0 {
		return ""
	}
	says := func(names []string, unit, standard string) bool {
		for _, n := range names {
			u := strings.ToLower(ds.Metadata(n + "#units"))
			if strings.HasPrefix(u, "degree") && strings.HasSuffix(u, unit) || ds.Metadata(n+"#standard_name") == standard {
				return true
			}
		}
		return false
	}
	if says([]string{"lon", "longitude", "x"}, "east", "longitude") && says([]string{"lat", "latitude", "y"}, "north", "latitude") {
		return "its coordinate variables' units are degrees east and north"
	}
	west, east := gt[0], gt[0]+float64(st.SizeX)*gt[1]
	north, south := gt[3], gt[3]+float64(st.SizeY)*gt[5]
	gmt := ds.Metadata("NC_GLOBAL#GMT_version") != "" || strings.Contains(ds.Metadata("NC_GLOBAL#Conventions"), "COARDS")
	if gmt && west >= -360 && east <= 360 && south >= -90.5 && north <= 90.5 && east-west <= 360.5 {
		return fmt.Sprintf("a GMT grid whose coordinates (%g to %g, %g to %g) fit longitude and latitude", west, east, south, north)
	}
	return ""
}

// printRaster writes a raster ingest's summary for people.
func (s *Summary) printRaster(w interface{ Write([]byte) (int, error) }) {
	r := s.Raster
	if r.Colour != "" {
		fmt.Fprintf(w, "source      %s (%s raster, %d×%d pixels)\n", s.File, s.Driver, r.Width, r.Height)
	} else {
		fmt.Fprintf(w, "source      %s (%s raster, %d×%d pixels, %d band(s))\n", s.File, s.Driver, r.Width, r.Height, len(r.Bands))
	}
	crs := s.SourceCRS
	if r.Assumed != "" {
		crs += " (assumed: " + r.Assumed + ")"
	}
	fmt.Fprintf(w, "source CRS  %s\n", crs)
	fmt.Fprintf(w, "resolution  %.1f m (Web Mercator), resampled %s\n", r.Resolution, r.Resampling)
	bands := r.Bands
	if r.Colour != "" {
		fmt.Fprintf(w, "colour      %s\n", r.Colour)
		bands = nil // red, green, blue and alpha, without statistics
	}
	for _, b := range bands {
		line := fmt.Sprintf("band        %s (%s", b.Name, b.DataType)
		if b.Units != "" {
			line += ", " + b.Units
		}
		line += ")"
		if st := b.Stats; st != nil {
			line += fmt.Sprintf(": %d values, min %g, max %g, mean %.4g, p2–p98 %g to %g", st.Count, st.Min, st.Max, st.Mean, st.Percentiles["p2"], st.Percentiles["p98"])
		} else {
			line += ": no data"
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "max zoom    %s\n\n", s.MaxZoomReason)
	fmt.Fprintf(w, "%6s %8s %10s %10s\n", "zoom", "tiles", "bytes", "largest")
	var tiles, bytes int64
	for _, z := range s.Zooms {
		fmt.Fprintf(w, "%6d %8d %10s %10s\n", z.Zoom, z.Tiles, byteSize(z.Bytes), byteSize(z.MaxBytes))
		tiles += z.Tiles
		bytes += z.Bytes
	}
	fmt.Fprintf(w, "%6s %8d %10s\n\ntileset file  %s\ntime          %s\n", "all", tiles, byteSize(bytes), byteSize(s.Bytes), s.Duration.Round(10*time.Millisecond))
}

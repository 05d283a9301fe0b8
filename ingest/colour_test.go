package ingest

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// The test scan: scanW×scanH pixels of 100 m in UTM 47N (large enough for
// max-zoom tiles that lie wholly inside it), a colour that
// changes by 5 from each pixel to the next (so that a pixel off by one
// shows) and is never 0, and a block of nodata (0, 0, 0) at columns 20–59,
// rows 20–49.
const scanW, scanH = 1000, 700

func scanColour(x, y int) color.NRGBA {
	if x >= 20 && x < 60 && y >= 20 && y < 50 {
		return color.NRGBA{0, 0, 0, 255}
	}
	return color.NRGBA{uint8(1 + x*5%250), uint8(1 + y*5%250), 120, 255}
}

// makeScan writes the test scan as a PPM in dir and returns the PPM.
func makeScan(t *testing.T, dir string) string {
	t.Helper()
	b := []byte(fmt.Sprintf("P6 %d %d 255\n", scanW, scanH))
	for y := range scanH {
		for x := range scanW {
			c := scanColour(x, y)
			b = append(b, c.R, c.G, c.B)
		}
	}
	ppm := filepath.Join(dir, "scan.ppm")
	if err := os.WriteFile(ppm, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return ppm
}

// scanGeoTIFF is the scan georeferenced by a geotransform, nodata 0.
func scanGeoTIFF(t *testing.T, dir string) string {
	tif := filepath.Join(dir, "scan.tif")
	gdalTool(t, "gdal_translate", "-q", "-of", "GTiff", "-a_srs", "EPSG:32647", "-a_ullr", "500000", "1000000", "600000", "930000", "-a_nodata", "0", makeScan(t, dir), tif)
	return tif
}

// colourPixel is a max-zoom pixel's centre and stored colour.
type colourPixel struct {
	lon, lat float64
	c        color.NRGBA
}

// sampleColours picks n max-zoom pixels at random from stored tiles.
func sampleColours(t *testing.T, r *tileset.Reader, n int) []colourPixel {
	t.Helper()
	z := r.Metadata().MaxZoom
	var keys [][2]int
	r.ForEach(func(tz, x, y int, _ []byte) error {
		if tz == z {
			keys = append(keys, [2]int{x, y})
		}
		return nil
	})
	if len(keys) == 0 {
		t.Fatal("no tile at the max zoom")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var out []colourPixel
	for len(out) < n {
		k := keys[rng.IntN(len(keys))]
		var data []byte
		r.Tile(z, k[0], k[1], func(b []byte) error { data = append([]byte(nil), b...); return nil })
		img, err := raster.DecodeColour(data)
		if err != nil {
			t.Fatal(err)
		}
		i, j := rng.IntN(RasterTileSize), rng.IntN(RasterTileSize)
		world := float64(int(RasterTileSize) << z)
		px, py := (float64(k[0]*RasterTileSize+i)+0.5)/world, (float64(k[1]*RasterTileSize+j)+0.5)/world
		out = append(out, colourPixel{px*360 - 180, math.Atan(math.Sinh(math.Pi*(1-2*py))) * 180 / math.Pi, img.NRGBAAt(i, j)})
	}
	return out
}

// sourcePixels asks gdallocationinfo for the source pixel (column, row)
// under each lon, lat; -1, -1 off the file.
func sourcePixels(t *testing.T, file string, pts []colourPixel) [][2]int {
	t.Helper()
	if _, err := exec.LookPath("gdallocationinfo"); err != nil {
		t.Fatal("gdallocationinfo not found: install gdal-bin")
	}
	var in strings.Builder
	for _, p := range pts {
		fmt.Fprintf(&in, "%.10f %.10f\n", p.lon, p.lat)
	}
	cmd := exec.Command("gdallocationinfo", "-xml", "-b", "1", "-wgs84", file)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gdallocationinfo: %v", err)
	}
	var px [][2]int
	for _, rep := range strings.Split(string(out), "<Report")[1:] {
		pixel, line := -1, -1
		if a := attr(rep, "pixel"); a != "" && !strings.Contains(rep, "off this file") {
			pixel, _ = strconv.Atoi(a)
			line, _ = strconv.Atoi(attr(rep, "line"))
		}
		px = append(px, [2]int{pixel, line})
	}
	if len(px) != len(pts) {
		t.Fatalf("gdallocationinfo answered %d reports for %d points", len(px), len(pts))
	}
	return px
}

// attr is the value of XML attribute name in s, or "".
func attr(s, name string) string {
	_, v, ok := strings.Cut(s, name+`="`)
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, `"`)
	return v
}

// expectColour is the colour the source holds at pixel p, transparent for
// nodata and outside.
func expectColour(p [2]int) color.NRGBA {
	if p[0] < 0 || p[0] >= scanW || p[1] < 0 || p[1] >= scanH {
		return color.NRGBA{}
	}
	c := scanColour(p[0], p[1])
	if c.R == 0 {
		return color.NRGBA{}
	}
	return c
}

// TestColourScanExact ingests an RGB scan with nearest resampling: at 1000
// random max-zoom pixels the stored colour is the colour of the source
// pixel gdallocationinfo finds there, exactly, transparent (alpha 0) over
// the source's nodata and outside it; the tileset is a colour one, in
// format version 3, with a tile at every zoom.
func TestColourScanExact(t *testing.T) {
	dir := t.TempDir()
	tif := scanGeoTIFF(t, dir)
	sum, r := ingestRaster(t, tif, Options{Resampling: "nearest"})
	m := r.Metadata()
	if m.FormatVersion != 3 || m.Raster.Encoding != raster.ColourPNG || len(m.Raster.Bands) != 4 || m.Raster.Bands[0].Name != "red" {
		t.Fatalf("metadata: version %d, raster %+v", m.FormatVersion, m.Raster)
	}
	if sum.Raster.Colour != "RGB colour, png tiles" || m.MaxZoom != 11 {
		t.Errorf("summary says %q, max zoom %d; want RGB colour, png tiles, 11 (76 m pixels for 100 m)", sum.Raster.Colour, m.MaxZoom)
	}
	var printed strings.Builder
	sum.Print(&printed)
	if out := printed.String(); !strings.Contains(out, "colour      RGB colour, png tiles\n") || strings.Contains(out, "band") {
		t.Errorf("printed summary:\n%s\nwant a colour line and no bands", out)
	}
	for _, zs := range m.Zooms {
		if zs.Tiles == 0 {
			t.Errorf("zoom %d has no tile", zs.Zoom)
		}
	}
	pts := sampleColours(t, r, 1000)
	px := sourcePixels(t, tif, pts)
	var nodata, outside int
	for i, p := range pts {
		want := expectColour(px[i])
		if p.c != want {
			t.Errorf("lon %.6f lat %.6f (source pixel %v): stored %v, want %v", p.lon, p.lat, px[i], p.c, want)
		}
		switch {
		case px[i][0] < 0:
			outside++
		case want.A == 0:
			nodata++
		}
	}
	if nodata == 0 || outside == 0 {
		t.Errorf("the sample held %d nodata and %d outside pixels; want some of each", nodata, outside)
	}
}

// TestColourScanLossy ingests the scan as JPEG and as WebP tiles with
// bilinear resampling: JPEG tiles wholly inside the data are JPEG, those
// touching nodata or the outside PNG, and WebP ones all WebP (with alpha);
// colours at sampled pixels away from a change of colour are within the
// encoding's loss of the source's, and nodata and the outside stay
// transparent.
func TestColourScanLossy(t *testing.T) {
	dir := t.TempDir()
	tif := scanGeoTIFF(t, dir)
	// The scan's ramp changes colour at every pixel, the worst case for
	// lossy encodings; WebP (libwebp at quality 85) loses more there than
	// Go's JPEG encoder at the same quality.
	for _, c := range []struct {
		format        string
		types         []string
		mean, largest float64
	}{{"jpeg", []string{"image/jpeg", "image/png"}, 6, 15}, {"webp", []string{"image/webp"}, 12, 30}} {
		t.Run(c.format, func(t *testing.T) { lossyScan(t, tif, c.format, c.types, c.mean, c.largest) })
	}
}

// lossyScan is one format of TestColourScanLossy: tiles of wantTypes, and
// colours within mean and largest of the source's.
func lossyScan(t *testing.T, tif, format string, wantTypes []string, mean, largest float64) {
	_, r := ingestRaster(t, tif, Options{TileFormat: format})
	if e := r.Metadata().Raster.Encoding; e != format {
		t.Fatalf("encoding %q, want %s", e, format)
	}
	types := map[string]int{}
	r.ForEach(func(_, _, _ int, b []byte) error { types[raster.ColourType(b)]++; return nil })
	for _, ty := range wantTypes {
		if types[ty] == 0 {
			t.Errorf("tiles by type %v; want %v only", types, wantTypes)
		}
	}
	if len(types) != len(wantTypes) {
		t.Errorf("tiles by type %v; want %v only", types, wantTypes)
	}
	pts := sampleColours(t, r, 300)
	px := sourcePixels(t, tif, pts)
	var sum, n float64
	for i, p := range pts {
		x, y := px[i][0], px[i][1]
		want := expectColour(px[i])
		// Bilinear blends neighbours; compare where they differ by one step
		// of the ramp at most (not across its wrap, nodata or the edge).
		uniform := true
		for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
			c := expectColour([2]int{x + d[0], y + d[1]})
			if c.A != want.A || math.Abs(float64(c.R)-float64(want.R)) > 5 || math.Abs(float64(c.G)-float64(want.G)) > 5 {
				uniform = false
			}
		}
		if !uniform {
			continue
		}
		if want.A == 0 {
			if p.c.A != 0 {
				t.Errorf("lon %.6f lat %.6f: nodata or outside stored as %v, want transparent", p.lon, p.lat, p.c)
			}
			continue
		}
		// Bilinear moves a colour by up to a step of the ramp (5), the
		// encoding more.
		d := max(math.Abs(float64(p.c.R)-float64(want.R)), math.Abs(float64(p.c.G)-float64(want.G)), math.Abs(float64(p.c.B)-float64(want.B)))
		if p.c.A != 255 || d > largest {
			t.Errorf("lon %.6f lat %.6f (source pixel %v): stored %v, want about %v", p.lon, p.lat, px[i], p.c, want)
		}
		sum += d
		n++
	}
	t.Logf("%g pixels compared, mean largest difference of red, green and blue %.2f", n, sum/n)
	if n < 100 || sum/n > mean {
		t.Errorf("%g pixels compared, mean largest difference of red, green and blue %.2f; want 100 or more within %g", n, sum/n, mean)
	}
}

// TestColourScanGCP ingests the scan georeferenced only by four ground
// control points at its corners (no geotransform): GDAL's warper fits them,
// and the stored colours match those of the scan with the same
// georeferencing as a geotransform at (nearly) every sampled pixel.
func TestColourScanGCP(t *testing.T) {
	dir := t.TempDir()
	tif := scanGeoTIFF(t, dir)
	gcp := filepath.Join(dir, "gcp.tif")
	gdalTool(t, "gdal_translate", "-q", "-of", "GTiff", "-a_srs", "EPSG:32647", "-a_nodata", "0",
		"-gcp", "0", "0", "500000", "1000000", "-gcp", "1000", "0", "600000", "1000000",
		"-gcp", "0", "700", "500000", "930000", "-gcp", "1000", "700", "600000", "930000",
		filepath.Join(dir, "scan.ppm"), gcp)
	if out := gdalTool(t, "gdalinfo", gcp); strings.Contains(out, "Origin =") || !strings.Contains(out, "GCP[") {
		t.Fatalf("the GCP scan has a geotransform or no GCPs:\n%s", out)
	}
	_, r := ingestRaster(t, gcp, Options{Resampling: "nearest"})
	pts := sampleColours(t, r, 300)
	px := sourcePixels(t, tif, pts)
	bad := 0
	for i, p := range pts {
		if p.c != expectColour(px[i]) {
			bad++
		}
	}
	// The polynomial fit of exact corners is the affine transform within
	// rounding: a pixel centre on a source pixel's edge may go either way.
	if bad > 3 {
		t.Errorf("%d of %d sampled pixels differ from the geotransform scan's colours", bad, len(pts))
	}
}

// TestColourPalette ingests a paletted scan (one Byte band with a colour
// table): stored as the palette's colours, exactly with nearest.
func TestColourPalette(t *testing.T) {
	dir := t.TempDir()
	idx := filepath.Join(dir, "idx.tif")
	// Band 1 of the scan as palette indices: 1 + x*5%250 (0 is nodata).
	gdalTool(t, "gdal_translate", "-q", "-of", "GTiff", "-b", "1", "-a_srs", "EPSG:32647", "-a_ullr", "500000", "1000000", "600000", "930000", makeScan(t, dir), idx)
	var entries strings.Builder
	for i := range 256 {
		fmt.Fprintf(&entries, `<Entry c1="%d" c2="%d" c3="%d" c4="%d"/>`, 255-i, i, 50, map[bool]int{true: 0, false: 255}[i == 0])
	}
	vrt := writeFile(t, dir, "palette.vrt", fmt.Sprintf(`<VRTDataset rasterXSize="%d" rasterYSize="%d">
  <SRS>EPSG:32647</SRS>
  <GeoTransform>500000, 100, 0, 1000000, 0, -100</GeoTransform>
  <VRTRasterBand dataType="Byte" band="1">
    <NoDataValue>0</NoDataValue>
    <ColorInterp>Palette</ColorInterp>
    <ColorTable>%s</ColorTable>
    <SimpleSource><SourceFilename relativeToVRT="1">idx.tif</SourceFilename><SourceBand>1</SourceBand></SimpleSource>
  </VRTRasterBand>
</VRTDataset>`, scanW, scanH, entries.String()))
	sum, r := ingestRaster(t, vrt, Options{})
	if sum.Raster.Colour != "paletted colour, png tiles" || sum.Raster.Resampling != "nearest" {
		t.Errorf("summary: %q, resampled %s; want paletted colour, png tiles, nearest", sum.Raster.Colour, sum.Raster.Resampling)
	}
	pts := sampleColours(t, r, 200)
	px := sourcePixels(t, vrt, pts)
	for i, p := range pts {
		want := expectColour(px[i])
		if want.A != 0 {
			want = color.NRGBA{255 - want.R, want.R, 50, 255}
		}
		if p.c != want {
			t.Errorf("lon %.6f lat %.6f (source pixel %v): stored %v, want %v", p.lon, p.lat, px[i], p.c, want)
		}
	}
}

// TestColourFlags: --band takes one band of a colour scan as values;
// --tile-format is refused on a raster of values and for an unknown
// format, naming the flag.
func TestColourFlags(t *testing.T) {
	dir := t.TempDir()
	tif := scanGeoTIFF(t, dir)
	sum, r := ingestRaster(t, tif, Options{Band: 2, MaxZoom: 6})
	if m := r.Metadata(); m.Raster.Encoding != raster.Encoding || sum.Raster.Colour != "" || len(m.Raster.Bands) != 1 || m.FormatVersion != 2 {
		t.Errorf("--band 2 of a scan: encoding %q, colour %q, bands %+v, version %d; want values of one band, version 2", m.Raster.Encoding, sum.Raster.Colour, m.Raster.Bands, m.FormatVersion)
	}
	for _, c := range []struct {
		file string
		opts Options
		says string
	}{
		{slabGrid, Options{TileFormat: "jpeg"}, "holds values, not colours"},
		{tif, Options{TileFormat: "gif"}, `"gif" is not a tile format`},
	} {
		c.opts.Store, c.opts.ID, c.opts.MaxZoom = t.TempDir(), "r", -1
		_, err := Run(t.Context(), c.file, c.opts)
		var ie *Error
		if !errors.As(err, &ie) || ie.Flag != "--tile-format" || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s with --tile-format %s: %v; want a --tile-format error saying %q", c.file, c.opts.TileFormat, err, c.says)
		}
	}
}

// TestColourRGBA ingests the scan with its nodata moved to an alpha band
// (no nodata value left): the alpha band alone makes the block
// transparent, and the colours elsewhere are exact with nearest.
func TestColourRGBA(t *testing.T) {
	dir := t.TempDir()
	tif := scanGeoTIFF(t, dir)
	rgba := filepath.Join(dir, "rgba.tif")
	gdalTool(t, "gdal_translate", "-q", "-b", "1", "-b", "2", "-b", "3", "-b", "mask", "-co", "ALPHA=YES", "-a_nodata", "none", tif, rgba)
	if out := gdalTool(t, "gdalinfo", rgba); !strings.Contains(out, "ColorInterp=Alpha") || strings.Contains(out, "NoData") {
		t.Fatalf("the RGBA scan has no alpha band or still a nodata value:\n%s", out)
	}
	sum, r := ingestRaster(t, rgba, Options{Resampling: "nearest"})
	if sum.Raster.Colour != "RGBA colour, png tiles" {
		t.Errorf("summary says %q, want RGBA colour, png tiles", sum.Raster.Colour)
	}
	pts := sampleColours(t, r, 1000)
	px := sourcePixels(t, tif, pts)
	transparent := 0
	for i, p := range pts {
		want := expectColour(px[i])
		if p.c != want {
			t.Errorf("lon %.6f lat %.6f (source pixel %v): stored %v, want %v", p.lon, p.lat, px[i], p.c, want)
		}
		if px[i][0] >= 0 && want.A == 0 {
			transparent++
		}
	}
	if transparent == 0 {
		t.Error("no sampled pixel fell in the transparent block")
	}
}

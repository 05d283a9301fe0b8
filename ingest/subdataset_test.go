package ingest

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// twoVariableNetCDF writes a netCDF file of two 4×5 lon/lat grids, temp
// (1 to 20) and salt (31 to 50), in the classic format (no HDF5
// diagnostics), with gdalmdimtranslate from a
// multidimensional VRT, and returns its path.
func twoVariableNetCDF(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	vrt := writeFile(t, dir, "two.vrt", `<VRTDataset>
  <Group name="/">
    <Dimension name="lat" size="4"/>
    <Dimension name="lon" size="5"/>
    <Array name="lat"><DataType>Float64</DataType><DimensionRef ref="lat"/><InlineValues>-6.5 -7.5 -8.5 -9.5</InlineValues>
      <Attribute name="units"><DataType>String</DataType><Value>degrees_north</Value></Attribute></Array>
    <Array name="lon"><DataType>Float64</DataType><DimensionRef ref="lon"/><InlineValues>100.5 101.5 102.5 103.5 104.5</InlineValues>
      <Attribute name="units"><DataType>String</DataType><Value>degrees_east</Value></Attribute></Array>
    <Array name="temp"><DataType>Float32</DataType><DimensionRef ref="lat"/><DimensionRef ref="lon"/>
      <InlineValues>1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20</InlineValues></Array>
    <Array name="salt"><DataType>Float32</DataType><DimensionRef ref="lat"/><DimensionRef ref="lon"/>
      <InlineValues>31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50</InlineValues></Array>
  </Group>
</VRTDataset>`)
	nc := filepath.Join(dir, "two.nc")
	gdalTool(t, "gdalmdimtranslate", "-q", "-of", "netCDF", "-co", "FORMAT=NC", vrt, nc)
	return nc
}

// TestSubdataset: a netCDF file of two variables is refused without
// --subdataset, naming both and the flag; with it, by name or number, the
// chosen variable's values are ingested; a name or number it lacks, or
// --subdataset on a file of one grid, is refused naming the flag.
func TestSubdataset(t *testing.T) {
	nc := twoVariableNetCDF(t)
	_, err := Run(t.Context(), nc, Options{Store: t.TempDir(), ID: "r", MaxZoom: -1})
	var ie *Error
	if !errors.As(err, &ie) || ie.File != nc || !strings.Contains(err.Error(), "salt, temp") || !strings.Contains(err.Error(), "--subdataset") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("no --subdataset: %v; want a one-line error naming salt, temp and --subdataset", err)
	}
	for _, c := range []struct {
		choice   string
		name     string
		min, max float64
	}{{"temp", "temp", 1, 20}, {"salt", "salt", 31, 50}, {"2", "temp", 1, 20}} {
		sum, _ := ingestRaster(t, nc, Options{Subdataset: c.choice})
		b := sum.Raster.Bands
		if len(b) != 1 || b[0].Name != c.name || b[0].Stats == nil || b[0].Stats.Min != c.min || b[0].Stats.Max != c.max || b[0].Stats.Count != 20 {
			t.Errorf("--subdataset %s: bands %+v; want %s, 20 values from %g to %g", c.choice, b, c.name, c.min, c.max)
		}
	}
	for _, c := range []struct{ file, choice, says string }{
		{nc, "depth", `"depth" is not a subdataset`},
		{nc, "3", "a number from 1 to 2"},
		{slabGrid, "1", "has no subdatasets"},
	} {
		_, err := Run(t.Context(), c.file, Options{Store: t.TempDir(), ID: "r", MaxZoom: -1, Subdataset: c.choice})
		if !errors.As(err, &ie) || ie.Flag != "--subdataset" || !strings.Contains(err.Error(), c.says) {
			t.Errorf("--subdataset %s on %s: %v; want a --subdataset error saying %q", c.choice, c.file, err, c.says)
		}
	}
}

//go:build cgo

package e2e

import (
	"encoding/xml"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestWMTSFeatureInfoGDAL asks GDAL's WMTS driver, through gdallocationinfo,
// what the units layer shows at Alpha's and Beta's centres and between
// them: the driver sends WMTS GetFeatureInfo in the layer's first
// InfoFormat, HTML (GDAL 3.6 has no option to choose another), and
// reports the answer as the pixel's LocationInfo.
func TestWMTSFeatureInfoGDAL(t *testing.T) {
	locate := needTool(t, "gdallocationinfo", "gdal-bin")
	srv := stylesServer(t)
	src := "WMTS:" + srv.URL + "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities,layer=" + stylesID
	for _, c := range []struct {
		lon, lat string
		want     string
	}{
		{"105.01", "0.01", "Alpha"},
		{"120.01", "0.01", "Beta"},
		{"112.51", "0.01", ""},
	} {
		cmd := exec.Command(locate, "-xml", "-b", "1", "-wgs84", src, c.lon, c.lat)
		cmd.Env = append(os.Environ(), "GDAL_DEFAULT_WMS_CACHE_PATH="+t.TempDir())
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("gdallocationinfo %s %s: %v\n%s", c.lon, c.lat, err, b)
		}
		var rep struct {
			Info string `xml:"BandReport>LocationInfo"`
		}
		if err := xml.Unmarshal(b, &rep); err != nil || !strings.Contains(rep.Info, "<html") {
			t.Fatalf("gdallocationinfo %s %s: no HTML LocationInfo (%v)\n%s", c.lon, c.lat, err, b)
		}
		var names []string
		for _, name := range []string{"Alpha", "Beta"} {
			if strings.Contains(rep.Info, "<tr><th>name</th><td>"+name+"</td></tr>") {
				names = append(names, name)
			}
		}
		if strings.Join(names, ",") != c.want || (c.want == "") != strings.Contains(rep.Info, "No features found.") {
			t.Errorf("at %s %s GDAL reports the units %v, want %q:\n%s", c.lon, c.lat, names, c.want, rep.Info)
		}
	}
}

package e2e

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// The WFS client tests ingest three real data sets of data/ through their
// mappings, as a survey publishing to OneGeology would, so that each is a
// GeoSciML-Lite or EarthResourceML-Lite view type, and check what OWSLib
// and GDAL read against the same features read through OGC API items.
var wfsInputs = []struct{ id, mapping, file, typeName string }{
	{"porphyry-copper", "porphyry-copper", "../data/occurrences/usgs-porphyry-copper-deposits-2008.csv", "erl:MineralOccurrenceView"},
	{"gswa-geology", "gswa-geology", "../data/geology/gswa-hamersley/geology.geojson", "gsmlp:GeologicUnitView"},
	{"gswa-faults", "gswa-faults", "../data/geology/gswa-hamersley/faults.geojson", "gsmlp:ShearDisplacementStructureView"},
}

// wfsTestServer is the served store and the request URIs it saw.
type wfsTestServer struct {
	URL string
	mu  sync.Mutex
	log []string
}

func (s *wfsTestServer) requests(part string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, u := range s.log {
		if strings.Contains(strings.ToLower(u), strings.ToLower(part)) {
			out = append(out, u)
		}
	}
	return out
}

var wfsStore struct {
	once sync.Once
	dir  string
	err  error
}

// startWFSServer ingests the inputs once per test binary and serves them.
func startWFSServer(t *testing.T) *wfsTestServer {
	t.Helper()
	return startWFSServerWith(t, nil)
}

// startWFSServerWith is startWFSServer with service metadata.
func startWFSServerWith(t *testing.T, service *server.ServiceMetadata) *wfsTestServer {
	t.Helper()
	bin := outcropBinary(t)
	wfsStore.once.Do(func() {
		dir, err := os.MkdirTemp(binTmp, "wfs-store")
		if err != nil {
			wfsStore.err = err
			return
		}
		for _, in := range wfsInputs {
			out, err := exec.Command(bin, "ingest", "--quiet", "--store", dir, "--id", in.id, "--mapping", "../data/mappings/"+in.mapping+".yaml", in.file).CombinedOutput()
			if err != nil {
				wfsStore.err = fmt.Errorf("ingest %s: %v\n%s", in.id, err, out)
				return
			}
		}
		wfsStore.dir = dir
	})
	if wfsStore.err != nil {
		t.Fatal(wfsStore.err)
	}
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(wfsStore.dir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := server.New(server.Config{Catalog: st, Logger: logger, Service: service})
	s := &wfsTestServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.log = append(s.log, r.URL.RequestURI())
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// itemIDs reads the ids of a collection's features through OGC API items,
// optionally in a bbox (lon/lat), and its properties by id.
func itemIDs(t *testing.T, s *wfsTestServer, id, bbox string) (ids []int, props map[int]map[string]any) {
	t.Helper()
	props = map[int]map[string]any{}
	next := s.URL + "/collections/" + id + "/items?limit=10000"
	if bbox != "" {
		next += "&bbox=" + bbox
	}
	for next != "" {
		resp, body := get(t, next, "Accept", "application/geo+json")
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d\n%s", next, resp.StatusCode, body)
		}
		var fc struct {
			Features []struct {
				ID         int            `json:"id"`
				Properties map[string]any `json:"properties"`
			}
			Links []struct{ Href, Rel string }
		}
		if err := json.Unmarshal(body, &fc); err != nil {
			t.Fatal(err)
		}
		for _, f := range fc.Features {
			ids = append(ids, f.ID)
			props[f.ID] = f.Properties
		}
		next = ""
		for _, l := range fc.Links {
			if l.Rel == "next" {
				next = l.Href
			}
		}
	}
	return ids, props
}

// viewIDs is the gml:ids of features ids of collection coll in view.
func viewIDs(view, coll string, ids []int) []string {
	local := view[strings.IndexByte(view, ':')+1:]
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = local + "." + coll + "." + strconv.Itoa(id)
	}
	return out
}

// TestWFSOWSLib reads the EarthResourceML-Lite occurrences with OWSLib's
// WebFeatureService 2.0.0: the capabilities, a BBOX (sent latitude first,
// as OWSLib does for the URN CRS), paging by 100 and GeoJSON.
func TestWFSOWSLib(t *testing.T) {
	needPython(t, "owslib.wfs", "python3-owslib")
	s := startWFSServer(t)
	const typeName, coll = "erl:MineralOccurrenceView", "porphyry-copper"
	// The Andes from Peru to central Chile.
	minLon, minLat, maxLon, maxLat := -80.0, -35.0, -65.0, -10.0
	cmd := exec.Command(owslibPython, filepath.Join("testdata", "wfs_owslib.py"), s.URL+"/wfs", typeName,
		fmt.Sprint(minLon), fmt.Sprint(minLat), fmt.Sprint(maxLon), fmt.Sprint(maxLat))
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("wfs_owslib.py: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var doc struct {
		Version     string
		Types       []string
		CRS         []string
		BBox        []float64
		Operations  []string
		BBoxIDs     []string `json:"bbox_ids"`
		BBoxMatched int      `json:"bbox_matched"`
		PagedIDs    []string `json:"paged_ids"`
		Pages       []int
		JSONIDs     []string `json:"json_ids"`
		JSONMatched int      `json:"json_matched"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("wfs_owslib.py printed %q: %v", out, err)
	}
	if doc.Version != "2.0.0" || !slices.Contains(doc.Types, typeName) || !slices.Contains(doc.Types, "gsmlp:GeologicUnitView") ||
		!slices.Contains(doc.Types, "outcrop:"+coll) || len(doc.CRS) == 0 || doc.CRS[0] != "urn:ogc:def:crs:EPSG::4326" {
		t.Errorf("capabilities: version %s, types %v, crs %v", doc.Version, doc.Types, doc.CRS)
	}
	for _, op := range []string{"GetCapabilities", "DescribeFeatureType", "GetFeature"} {
		if !slices.Contains(doc.Operations, op) {
			t.Errorf("operations %v lack %s", doc.Operations, op)
		}
	}
	ids, _ := itemIDs(t, s, coll, fmt.Sprintf("%g,%g,%g,%g", minLon, minLat, maxLon, maxLat))
	if len(ids) < 20 {
		t.Fatalf("only %d deposits in the Andes box through items; the test box is wrong", len(ids))
	}
	if want := viewIDs(typeName, coll, ids); !slices.Equal(doc.BBoxIDs, want) || doc.BBoxMatched != len(want) {
		t.Errorf("BBOX: OWSLib got %d features (matched %d), items %d", len(doc.BBoxIDs), doc.BBoxMatched, len(want))
	}
	if len(s.requests("BBOX=-35")) == 0 {
		t.Errorf("OWSLib did not send the BBOX latitude first: %v", s.requests("GetFeature"))
	}
	all, _ := itemIDs(t, s, coll, "")
	if want := viewIDs(typeName, coll, all); !slices.Equal(doc.PagedIDs, want) || len(doc.Pages) != (len(want)+99)/100 {
		t.Errorf("paging: %d features in pages %v, want %d", len(doc.PagedIDs), doc.Pages, len(want))
	}
	if doc.JSONMatched != len(all) || !slices.Equal(doc.JSONIDs, viewIDs(typeName, coll, all[:5])) {
		t.Errorf("GeoJSON: matched %d, ids %v", doc.JSONMatched, doc.JSONIDs)
	}
}

// TestWFSGDAL reads every view type with GDAL's WFS driver: the summary's
// feature count, then every feature, paging by 250, which must be the
// collection's, with the view's attributes.
func TestWFSGDAL(t *testing.T) {
	ogrinfo := needTool(t, "ogrinfo", "gdal-bin")
	ogr2ogr := needTool(t, "ogr2ogr", "gdal-bin")
	s := startWFSServer(t)
	env := append(os.Environ(), "GDAL_HTTP_TIMEOUT=60", "OGR_WFS_PAGE_SIZE=250", "OGR_WFS_PAGING_ALLOWED=ON", "GDAL_HTTP_UNSAFESSL=YES", "CPL_DEBUG=OFF")
	for _, in := range wfsInputs {
		t.Run(in.id, func(t *testing.T) {
			ids, props := itemIDs(t, s, in.id, "")
			cmd := exec.Command(ogrinfo, "-ro", "-so", "WFS:"+s.URL+"/wfs", in.typeName)
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("ogrinfo: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "Feature Count: "+strconv.Itoa(len(ids))+"\n") {
				t.Errorf("ogrinfo -so of %s: want Feature Count: %d\n%s", in.typeName, len(ids), out)
			}
			dst := filepath.Join(t.TempDir(), "out.geojson")
			cmd = exec.Command(ogr2ogr, "-f", "GeoJSON", dst, "WFS:"+s.URL+"/wfs", in.typeName)
			cmd.Env = env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("ogr2ogr: %v\n%s", err, out)
			}
			data, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			var fc struct {
				Features []struct {
					Properties map[string]any `json:"properties"`
					Geometry   *struct {
						Type        string          `json:"type"`
						Coordinates json.RawMessage `json:"coordinates"`
					} `json:"geometry"`
				} `json:"features"`
			}
			if err := json.Unmarshal(data, &fc); err != nil {
				t.Fatal(err)
			}
			if len(fc.Features) != len(ids) {
				t.Fatalf("GDAL read %d features of %s, the collection has %d", len(fc.Features), in.typeName, len(ids))
			}
			want := viewIDs(in.typeName, in.id, ids)
			// Axis order: GDAL reads the latitude-first GML back to the
			// source's longitude, latitude.
			_, item := get(t, s.URL+"/collections/"+in.id+"/items/"+strconv.Itoa(ids[0]), "Accept", "application/geo+json")
			var src struct {
				Geometry struct {
					Coordinates json.RawMessage `json:"coordinates"`
				} `json:"geometry"`
			}
			if err := json.Unmarshal(item, &src); err != nil || fc.Features[0].Geometry == nil {
				t.Fatalf("feature %d: %v", ids[0], err)
			}
			var got, at []float64
			if in.id == "porphyry-copper" && (json.Unmarshal(fc.Features[0].Geometry.Coordinates, &got) != nil ||
				json.Unmarshal(src.Geometry.Coordinates, &at) != nil || !slices.Equal(got, at)) {
				t.Errorf("GDAL read %s at %s, the items say %s", want[0], fc.Features[0].Geometry.Coordinates, src.Geometry.Coordinates)
			}
			for i, f := range fc.Features {
				if f.Properties["gml_id"] != want[i] || f.Geometry == nil {
					t.Fatalf("feature %d: gml_id %v, geometry %v; want %s with a geometry", i, f.Properties["gml_id"], f.Geometry, want[i])
				}
				if got, src := f.Properties["name"], props[ids[i]]["name"]; src != nil && got != src {
					t.Fatalf("%s: name %q, items say %q", want[i], got, src)
				}
				if _, ok := f.Properties["identifier"]; !ok {
					t.Fatalf("%s: no identifier attribute: %v", want[i], f.Properties)
				}
			}
			t.Logf("GDAL read %d features of %s; GetFeature requests so far: %d", len(fc.Features), in.typeName, len(s.requests("REQUEST=GetFeature")))
			if len(ids) > 250 && len(s.requests("STARTINDEX=250")) == 0 {
				t.Errorf("GDAL did not page: %v", s.requests("GetFeature"))
			}
		})
	}
}

// TestWFSGDALSpatialFilter reads the Andes deposits with ogrinfo -spat:
// GDAL sends the box as a FES filter (latitude first, the default CRS's
// order), and gets the deposits the items bbox gets.
func TestWFSGDALSpatialFilter(t *testing.T) {
	ogrinfo := needTool(t, "ogrinfo", "gdal-bin")
	s := startWFSServer(t)
	ids, _ := itemIDs(t, s, "porphyry-copper", "-80,-35,-65,-10")
	cmd := exec.Command(ogrinfo, "-ro", "-q", "WFS:"+s.URL+"/wfs", "erl:MineralOccurrenceView", "-spat", "-80", "-35", "-65", "-10")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "OGRFeature("); n != len(ids) || len(ids) < 20 {
		t.Errorf("ogrinfo -spat read %d features, the items bbox %d", n, len(ids))
	}
	if len(s.requests("FILTER=")) == 0 {
		t.Errorf("GDAL filtered on its side instead of sending a FILTER: %v", s.requests("GetFeature"))
	}
}

// TestWFSOutputsCounted reads every view type whole through /wfs as GML
// 3.2 and as GeoJSON, decodes both here, and checks the features are the
// collection's, in order, with geometries.
func TestWFSOutputsCounted(t *testing.T) {
	s := startWFSServer(t)
	for _, in := range wfsInputs {
		ids, _ := itemIDs(t, s, in.id, "")
		want := viewIDs(in.typeName, in.id, ids)
		base := s.URL + "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=" + url.QueryEscape(in.typeName)
		resp, body := get(t, base)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/gml+xml; version=3.2" {
			t.Fatalf("%s GML: %d %q", in.typeName, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var c struct {
			Matched  int `xml:"numberMatched,attr"`
			Returned int `xml:"numberReturned,attr"`
			Members  []struct {
				Feature struct {
					ID    string `xml:"http://www.opengis.net/gml/3.2 id,attr"`
					Shape struct {
						Inner string `xml:",innerxml"`
					} `xml:"shape"`
				} `xml:",any"`
			} `xml:"http://www.opengis.net/wfs/2.0 member"`
		}
		if err := xml.Unmarshal(body, &c); err != nil {
			t.Fatalf("%s GML: %v", in.typeName, err)
		}
		var got []string
		for _, m := range c.Members {
			got = append(got, m.Feature.ID)
			if !strings.Contains(m.Feature.Shape.Inner, "srsName=\"urn:ogc:def:crs:EPSG::4326\"") {
				t.Fatalf("%s: shape %.200s", m.Feature.ID, m.Feature.Shape.Inner)
			}
		}
		if c.Matched != len(want) || c.Returned != len(want) || !slices.Equal(got, want) {
			t.Errorf("%s GML: matched %d, returned %d, %d members; the collection has %d", in.typeName, c.Matched, c.Returned, len(got), len(want))
		}
		resp, body = get(t, base+"&OUTPUTFORMAT=application/json")
		var fc struct {
			Features []struct {
				ID       string          `json:"id"`
				Geometry json.RawMessage `json:"geometry"`
			} `json:"features"`
			Matched  int `json:"numberMatched"`
			Returned int `json:"numberReturned"`
		}
		if err := json.Unmarshal(body, &fc); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s GeoJSON: %d %v", in.typeName, resp.StatusCode, err)
		}
		got = got[:0]
		for _, f := range fc.Features {
			got = append(got, f.ID)
			if len(f.Geometry) < 10 {
				t.Fatalf("%s: geometry %s", f.ID, f.Geometry)
			}
		}
		if fc.Matched != len(want) || fc.Returned != len(want) || !slices.Equal(got, want) {
			t.Errorf("%s GeoJSON: matched %d, returned %d, %d features; the collection has %d", in.typeName, fc.Matched, fc.Returned, len(got), len(want))
		}
	}
}

// TestWFSXMLWellFormed fetches every kind of WFS document and checks it
// with xmllint for well-formedness; TestSchemaWFS validates them against
// the OGC schemas.
func TestWFSXMLWellFormed(t *testing.T) {
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	s := startWFSServer(t)
	dir := t.TempDir()
	for name, q := range map[string]string{
		"capabilities": "REQUEST=GetCapabilities",
		"describe":     "VERSION=2.0.0&REQUEST=DescribeFeatureType&TYPENAMES=gsmlp:GeologicUnitView",
		"describe-all": "VERSION=2.0.0&REQUEST=DescribeFeatureType",
		"features":     "VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gsmlp:GeologicUnitView,gsmlp:ShearDisplacementStructureView&COUNT=500",
		"byid":         "VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID=" + url.QueryEscape("urn:ogc:def:query:OGC-WFS::GetFeatureById") + "&ID=MineralOccurrenceView.porphyry-copper.1",
		"exception":    "VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gsmlp:Nope",
		"stored":       "VERSION=2.0.0&REQUEST=ListStoredQueries",
	} {
		resp, err := http.Get(s.URL + "/wfs?SERVICE=WFS&" + q)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		f := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(xmllint, "--noout", "--nonet", f).CombinedOutput(); err != nil {
			t.Errorf("%s: xmllint: %v\n%s", name, err, out)
		}
		if name == "features" {
			var c struct {
				Matched  int `xml:"numberMatched,attr"`
				Returned int `xml:"numberReturned,attr"`
				Members  []struct {
					Inner string `xml:",innerxml"`
				} `xml:"member"`
			}
			if err := xml.Unmarshal(body, &c); err != nil || c.Returned != len(c.Members) || c.Returned != min(500, c.Matched) {
				t.Errorf("features: %v, matched %d, returned %d, %d members", err, c.Matched, c.Returned, len(c.Members))
			}
		}
	}
}

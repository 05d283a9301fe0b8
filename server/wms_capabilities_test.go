package server

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// TestWMSCapabilitiesOneGeologyForms checks the OneGeology profile's layer
// forms for a collection ingested with --country AUS --theme geology
// --scale 1:500000 --data-owner GA: the layer's Name and Title, and its
// cataloguing and metadata keywords; that GetMap, GetFeatureInfo and
// GetLegendGraphic take the layer by that name as by its id; and that two
// collections whose layers would share a name keep their ids.
func TestWMSCapabilitiesOneGeologyForms(t *testing.T) {
	file := filepath.Join(t.TempDir(), "service.yaml")
	if err := os.WriteFile(file, []byte("organization: Geological Survey of Western Australia\nservice_provider: Outcrop Hosting\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	service, err := LoadServiceMetadata(file)
	if err != nil {
		t.Fatal(err)
	}
	fx := newWMSFixture(t, Config{Service: service},
		func(id string, m *tileset.Metadata) {
			m.Countries, m.DataOwner, m.Theme = []string{"AUS"}, "GA", "structure"
			if id == "units" {
				m.Theme, m.Attribution = "geology", "Geoscience Australia"
			}
		})
	const name = "AUS_GA_500k_GeolUnits"
	for _, version := range []string{"1.3.0", "1.1.1"} {
		resp := fx.get(t, "SERVICE=WMS&REQUEST=GetCapabilities&VERSION="+version)
		var raw bytes.Buffer
		raw.ReadFrom(resp.Body)
		var doc struct {
			Layers []struct {
				capsLayer
				Abstract string `xml:"Abstract"`
				DataURLs []struct {
					Format string `xml:"Format"`
					Online struct {
						Href string `xml:"href,attr"`
					} `xml:"OnlineResource"`
				} `xml:"DataURL"`
			} `xml:"Capability>Layer>Layer"`
		}
		if err := xml.Unmarshal(raw.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		byName := map[string]capsLayer{}
		abstracts, dataURLs := map[string]string{}, map[string][]string{}
		for _, l := range doc.Layers {
			byName[l.Name] = l.capsLayer
			abstracts[l.Name] = l.Abstract
			for _, d := range l.DataURLs {
				dataURLs[l.Name] = append(dataURLs[l.Name], d.Format+" "+d.Online.Href)
			}
		}
		u, ok := byName[name]
		if !ok {
			t.Fatalf("%s: no layer %s: %v", version, name, doc.Layers)
		}
		if u.Title != "AUS GA 1:500k Geology" {
			t.Errorf("%s: title %q", version, u.Title)
		}
		// The fixture has no description: OneGeology requires an abstract.
		if want := "WMS units: 2 features, harmonised onto OGC GeoSciML 4.1, GeoSciML-Lite (16-008) GeologicUnitView."; abstracts[name] != want {
			t.Errorf("%s: abstract %q, want %q", version, abstracts[name], want)
		}
		if d := dataURLs[name]; len(d) != 2 || !strings.HasPrefix(d[0], "text/html ") || !strings.HasSuffix(d[0], "/collections/units?f=html") {
			t.Errorf("%s: DataURLs %q, want the collection's page first", version, d)
		}
		for _, k := range []string{
			"OneGeology", "Australia", "continent@Oceania", "subcontinent@Australia and New Zealand", "geographicarea@Australia",
			"dataprovider@Geoscience Australia", "serviceprovider@Outcrop Hosting", "DS_TOPIC@geoscientificinformation",
			"DS_DATE@" + time.Now().UTC().Format(time.DateOnly), "thematic@Geology", "Geosciml_portrayal_age_or_litho_queryable",
		} {
			if !contains(u.Keywords, k) {
				t.Errorf("%s: %s lacks the keyword %q: %q", version, name, k, u.Keywords)
			}
		}
		// faults and occurrences would both be AUS_GA_500k_MSF.
		if _, ok := byName["faults"]; !ok || len(byName) != 3 {
			t.Errorf("%s: layers %v, want %s, faults and occurrences", version, doc.Layers, name)
		}
		if o := byName["occurrences"]; o.Title != "AUS GA 1:500k Structural Features (WMS occurrences)" || !contains(o.Keywords, "thematic@Structural geology") || contains(o.Keywords, "Geosciml_portrayal_age_or_litho_queryable") {
			t.Errorf("%s: occurrences titled %q, keywords %q", version, o.Title, o.Keywords)
		}
		for _, s := range u.Styles {
			href, _ := url.Parse(s.Legend.Online.Href)
			if href.Query().Get("LAYER") != name {
				t.Errorf("%s: legend URL %s", version, href)
			}
			if resp := fx.get(t, href.RawQuery); resp.StatusCode != 200 {
				t.Errorf("%s: legend %s: %d", version, href, resp.StatusCode)
			}
		}
	}
	// The layer by its name: a map, and the granite by GetFeatureInfo with
	// QUERY_LAYERS by either name.
	if img := decodeImage(t, fx.get(t, getMap130(name, "")), pngType); rgbaAt(img, 20, 150).A != 255 {
		t.Errorf("GetMap of %s: the granite is not drawn", name)
	}
	for _, ql := range []string{name, "units"} {
		resp := fx.get(t, getMap130(name, "", "REQUEST", "GetFeatureInfo", "QUERY_LAYERS", ql, "I", "20", "J", "150", "INFO_FORMAT", "text/plain"))
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(b.String(), "Granite <one>") || !strings.Contains(b.String(), "Layer '"+name+"'") {
			t.Errorf("GetFeatureInfo of LAYERS=%s QUERY_LAYERS=%s: %d %s", name, ql, resp.StatusCode, b.String())
		}
	}
	if code, _ := wmsException(t, fx.get(t, getMap130("AUS_GA_500k_MSF", ""))); code != "LayerNotDefined" {
		t.Errorf("the name two layers would share: %s, want LayerNotDefined", code)
	}
}

package server

import (
	"encoding/xml"
	"os"
	"strings"
	"testing"
)

// TestWMSServiceMetadata checks that the service metadata file reaches the
// capabilities of both versions, and that a misspelt field is an error
// naming the file.
func TestWMSServiceMetadata(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/service.yaml"
	os.WriteFile(good, []byte("title: GSX maps\norganization: Geological Survey of X\nperson: A. Mapper\nemail: maps@gsx.example\nkeywords: [bedrock]\naccess_constraints: CC BY 4.0\n"), 0o644)
	m, err := LoadServiceMetadata(good)
	if err != nil {
		t.Fatal(err)
	}
	fx := newWMSFixture(t, Config{Service: m})
	for _, version := range []string{"1.3.0", "1.1.1"} {
		var doc struct {
			Title    string   `xml:"Service>Title"`
			Keywords []string `xml:"Service>KeywordList>Keyword"`
			Org      string   `xml:"Service>ContactInformation>ContactPersonPrimary>ContactOrganization"`
			Person   string   `xml:"Service>ContactInformation>ContactPersonPrimary>ContactPerson"`
			Email    string   `xml:"Service>ContactInformation>ContactElectronicMailAddress"`
			Fees     string   `xml:"Service>Fees"`
			Access   string   `xml:"Service>AccessConstraints"`
		}
		if err := xml.NewDecoder(fx.get(t, "SERVICE=WMS&REQUEST=GetCapabilities&VERSION="+version).Body).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if doc.Title != "GSX maps" || doc.Org != "Geological Survey of X" || doc.Person != "A. Mapper" || doc.Email != "maps@gsx.example" ||
			doc.Fees != "none" || doc.Access != "CC BY 4.0" || !contains(doc.Keywords, "bedrock") || !contains(doc.Keywords, "OneGeology") {
			t.Errorf("%s: service %+v", version, doc)
		}
	}
	bad := dir + "/bad.yaml"
	os.WriteFile(bad, []byte("organisation: GSX\n"), 0o644)
	if _, err := LoadServiceMetadata(bad); err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "organisation") {
		t.Errorf("misspelt field: %v", err)
	}
}

// TestWFSServiceMetadata checks the WFS capabilities carry the service
// metadata as OneGeology asks of a WFS: title, OneGeology's keywords, the
// provider's name (the data owner) and contact; and Outcrop's defaults
// without a file.
func TestWFSServiceMetadata(t *testing.T) {
	type caps struct {
		Title    string   `xml:"ServiceIdentification>Title"`
		Keywords []string `xml:"ServiceIdentification>Keywords>Keyword"`
		Fees     string   `xml:"ServiceIdentification>Fees"`
		Provider string   `xml:"ServiceProvider>ProviderName"`
		Site     struct {
			Href string `xml:"href,attr"`
		} `xml:"ServiceProvider>ProviderSite"`
		Person string `xml:"ServiceProvider>ServiceContact>IndividualName"`
		Email  string `xml:"ServiceProvider>ServiceContact>ContactInfo>Address>ElectronicMailAddress"`
	}
	read := func(cfg Config) caps {
		fx := newWMSFixture(t, cfg)
		w := serve(fx.h, httptestRequest("GET", "/wfs?SERVICE=WFS&REQUEST=GetCapabilities"))
		var doc caps
		if err := xml.Unmarshal(w.Body.Bytes(), &doc); err != nil {
			t.Fatalf("%v\n%s", err, w.Body.String())
		}
		return doc
	}
	doc := read(Config{Service: &ServiceMetadata{Title: "GSX features", Organization: "Geological Survey of X", Person: "A. Mapper",
		Email: "maps@gsx.example", OnlineResource: "https://gsx.example/", Keywords: []string{"bedrock"}}})
	if doc.Title != "GSX features" || doc.Provider != "Geological Survey of X" || doc.Person != "A. Mapper" || doc.Email != "maps@gsx.example" ||
		doc.Site.Href != "https://gsx.example/" || doc.Fees != "none" || strings.Join(doc.Keywords, ",") != "OneGeology,MD_LANG@ENG,bedrock" {
		t.Errorf("with a file: %+v", doc)
	}
	if doc := read(Config{}); doc.Title != "Outcrop" || doc.Provider != "" || !contains(doc.Keywords, "OneGeology") {
		t.Errorf("without a file: %+v", doc)
	}
}

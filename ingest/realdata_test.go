package ingest

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestRealUSGSPorphyryCopper(t *testing.T) {
	file := "../data/occurrences/usgs-porphyry-copper-deposits-2008.csv"
	sum, feats, _ := mustRead(t, file, Options{})
	if sum.Read != 690 || sum.Written != 690 || len(sum.Skipped) != 0 {
		t.Fatalf("read %d, written %d, skipped %v; want all 690 deposits", sum.Read, sum.Written, sum.Skipped)
	}
	if sum.SourceCRS != "EPSG:4326" {
		t.Errorf("source CRS %q, want the EPSG:4326 default for longitude/latitude columns", sum.SourceCRS)
	}
	// The first row: Agua Rica, Argentina, whose Comments span several lines.
	first := feats[0]
	if p := first.Geometry.(orb.Point); p != (orb.Point{-66.28, -27.3708333}) { // -27.3708333333333 rounded to 7 decimals
		t.Errorf("Agua Rica at %v", p)
	}
	if first.Properties["NameDeposit"] != "Agua  Rica" || first.Properties["Country"] != "Argentina" {
		t.Errorf("first deposit properties: %v", first.Properties)
	}
	if first.Properties["Tonnage"] != 1761.0 || first.Properties["DepositID"] != int64(323) {
		t.Errorf("Tonnage %#v, DepositID %#v; want real 1761 and integer 323", first.Properties["Tonnage"], first.Properties["DepositID"])
	}
	seAsia := 0
	for _, f := range feats {
		switch f.Properties["Country"] {
		case "Philippines", "Indonesia", "Malaysia", "Thailand", "Myanmar", "Laos":
			seAsia++
		}
	}
	if seAsia != 67 {
		t.Errorf("%d deposits in Southeast Asia, want 67", seAsia)
	}
}

func TestRealGSWAGeology(t *testing.T) {
	file := gswaGeology
	sum, feats, _ := mustRead(t, file, Options{})
	if sum.Read != 61 || sum.Written != 61 {
		t.Fatalf("read %d, written %d; want 61", sum.Read, sum.Written)
	}
	if sum.SourceCRS != "EPSG:28350" {
		t.Errorf("source CRS %q, want EPSG:28350", sum.SourceCRS)
	}
	b := bounds(feats)
	if b[0] < 115 || b[2] > 120 || b[1] < -24 || b[3] > -20 {
		t.Errorf("bounds %v are not in the Hamersley region of Western Australia (115-120E, 20-24S)", b)
	}
	if geometryType(feats) != geomPolygon {
		t.Errorf("geometry type %q", geometryType(feats))
	}
	for _, f := range feats {
		if _, ok := f.Properties["code"].(string); !ok {
			t.Fatalf("feature %v has no string legend code: %v", f.ID, f.Properties)
		}
	}
}

func TestRealGEMFaultsZipped(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 10,057 faults")
	}
	file := "../data/faults/gem_active_faults_2017-05-11.geojson.zip"
	sum, _, _ := mustRead(t, file, Options{})
	if sum.Read != 10057 || sum.Skipped[skipNull] != 3 || sum.Written != 10054 {
		t.Errorf("read %d, skipped %v, written %d; want 10057 read, 3 null geometries", sum.Read, sum.Skipped, sum.Written)
	}
}

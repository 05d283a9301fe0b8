package gdal

import (
	"math"
	"testing"
)

func TestNewSpatialRefForms(t *testing.T) {
	byCode, err := NewSpatialRefFromEPSG(24047)
	if err != nil {
		t.Fatal(err)
	}
	defer byCode.Close()
	if byCode.Name() != "Indian 1975 / UTM zone 47N" || byCode.AuthorityCode("") != "24047" || byCode.AuthorityName("") != "EPSG" {
		t.Errorf("EPSG:24047 = %q %s:%s", byCode.Name(), byCode.AuthorityName(""), byCode.AuthorityCode(""))
	}
	wkt, err := byCode.WKT()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"EPSG:24047", wkt} {
		sr, err := NewSpatialRef(in)
		if err != nil {
			t.Fatalf("NewSpatialRef(%.30q): %v", in, err)
		}
		if !sr.IsSame(byCode) {
			t.Errorf("NewSpatialRef(%.30q) differs from EPSG:24047", in)
		}
		sr.Close()
	}
	fromWKT, err := NewSpatialRefFromWKT(wkt)
	if err != nil || !fromWKT.IsSame(byCode) {
		t.Errorf("NewSpatialRefFromWKT: %v", err)
	}
	fromWKT.Close()
	if _, err := NewSpatialRef("not a crs"); err == nil {
		t.Error("NewSpatialRef(garbage) succeeded")
	}
}

// The transformation must return longitude first whatever the CRS's official
// axis order, and must use the EPSG datum shift, not a null one.
func TestTransformIndian1975(t *testing.T) {
	src, _ := NewSpatialRefFromEPSG(24047)
	dst, _ := NewSpatialRefFromEPSG(4326)
	defer src.Close()
	defer dst.Close()
	trn, err := NewTransform(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer trn.Close()
	x, y := []float64{661000}, []float64{1520000} // near Bangkok
	ok := []bool{false}
	if err := trn.TransformEx(x, y, nil, ok); err != nil || !ok[0] {
		t.Fatalf("TransformEx: %v %v", err, ok)
	}
	if x[0] < 100 || x[0] > 101 || y[0] < 13 || y[0] > 14 {
		t.Fatalf("(661000, 1520000) EPSG:24047 -> (%v, %v); want longitude ~100.5, latitude ~13.7", x[0], y[0])
	}

	// Without the datum shift (Everest 1830 treated as WGS 84) the point moves
	// by hundreds of metres: check the shift was applied.
	nullShift, _ := NewSpatialRef("+proj=utm +zone=47 +datum=WGS84 +units=m +no_defs")
	defer nullShift.Close()
	trn2, err := NewTransform(nullShift, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer trn2.Close()
	x2, y2 := []float64{661000}, []float64{1520000}
	trn2.TransformEx(x2, y2, nil, ok)
	if d := metres(x[0], y[0], x2[0], y2[0]); d < 100 {
		t.Errorf("Indian 1975 and WGS 84 UTM give points %.1f m apart; want the datum shift of a few hundred metres", d)
	}
}

func metres(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371000
	dx := (lon2 - lon1) * math.Pi / 180 * math.Cos(lat1*math.Pi/180)
	dy := (lat2 - lat1) * math.Pi / 180
	return r * math.Hypot(dx, dy)
}

func TestNewTransformRefusesBallpark(t *testing.T) {
	// Everest 1830 ellipsoid with no datum shift: only a ballpark
	// transformation to WGS 84 exists.
	src, err := NewSpatialRef("+proj=utm +zone=47 +a=6377276.345 +rf=300.8017 +units=m +no_defs")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, _ := NewSpatialRefFromEPSG(4326)
	defer dst.Close()
	if trn, err := NewTransform(src, dst); err == nil {
		trn.Close()
		t.Fatal("NewTransform accepted a ballpark (null datum shift) transformation")
	}
	withShift, err := NewSpatialRef("+proj=utm +zone=47 +a=6377276.345 +rf=300.8017 +towgs84=210,814,289 +units=m +no_defs")
	if err != nil {
		t.Fatal(err)
	}
	defer withShift.Close()
	trn, err := NewTransform(withShift, dst)
	if err != nil {
		t.Fatalf("NewTransform with +towgs84: %v", err)
	}
	trn.Close()
}

func TestAreaOfUse(t *testing.T) {
	sr, err := NewSpatialRefFromEPSG(32647)
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	a, ok := sr.AreaOfUse()
	if !ok || a.West != 96 || a.East != 102 || a.South != 0 || a.North != 84 || a.Name == "" {
		t.Errorf("EPSG:32647 area of use %+v %v, want 96°E–102°E, 0°N–84°N", a, ok)
	}
	custom, err := NewSpatialRef("+proj=tmerc +lon_0=99 +k=0.9996 +x_0=500000 +ellps=WGS84")
	if err != nil {
		t.Fatal(err)
	}
	defer custom.Close()
	if a, ok := custom.AreaOfUse(); ok {
		t.Errorf("a custom CRS has area of use %+v", a)
	}
}

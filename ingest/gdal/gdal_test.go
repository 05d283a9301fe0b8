package gdal

import (
	"errors"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
)

// captureStderr runs fn with file descriptor 2 redirected, and returns what
// was written to it: GDAL writes to the C stderr, which os.Stderr cannot
// intercept.
func captureStderr(t *testing.T, fn func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved, err := syscall.Dup(2)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Dup2(int(w.Fd()), 2); err != nil {
		t.Fatal(err)
	}
	fn()
	syscall.Dup2(saved, 2)
	syscall.Close(saved)
	w.Close()
	out, _ := io.ReadAll(r)
	r.Close()
	return string(out)
}

func TestErrorsAreCapturedNotPrinted(t *testing.T) {
	missing := t.TempDir() + "/missing.shp"
	var openErr, srsErr, trnErr error
	printed := captureStderr(t, func() {
		_, openErr = Open(missing, VectorOnly())
		_, srsErr = NewSpatialRef("EPSG:999999")
		src, _ := NewSpatialRef("+proj=longlat +a=6377276.345 +rf=300.8017 +no_defs")
		dst, _ := NewSpatialRefFromEPSG(4326)
		_, trnErr = NewTransform(src, dst)
		src.Close()
		dst.Close()
	})
	if printed != "" {
		t.Errorf("GDAL printed to stderr: %q", printed)
	}

	var gerr *Error
	if !errors.As(openErr, &gerr) {
		t.Fatalf("Open(missing) error = %v, want *Error", openErr)
	}
	if gerr.Code != CPLE_OpenFailed || !strings.Contains(gerr.Msg, "missing.shp") || !strings.Contains(gerr.Msg, "No such file") {
		t.Errorf("Open(missing) = %+v, want CPLE_OpenFailed naming the file", gerr)
	}
	if srsErr == nil || !strings.Contains(srsErr.Error(), "not found") {
		t.Errorf("NewSpatialRef(EPSG:999999) error = %v, want PROJ's \"crs not found\"", srsErr)
	}
	if trnErr == nil {
		t.Error("NewTransform from an Everest datum without datum shift to WGS 84 succeeded; want a refusal of the ballpark transformation")
	}
}

func TestErrLoggerSeesWarningsAndDecides(t *testing.T) {
	// A string value in a column typed Integer by a .csvt makes the CSV
	// driver warn once per bad row.
	p := writeFile(t, "w.csv", "a,b\n1,p\nx,q\n")
	if err := os.WriteFile(strings.TrimSuffix(p, ".csv")+".csvt", []byte("Integer,String\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	ds, err := Open(p, VectorOnly(), ErrLogger(func(ec ErrorCategory, code int, msg string) error {
		if ec == CE_Warning {
			warnings = append(warnings, msg)
			return nil
		}
		return errors.New(msg)
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	layer := ds.Layers()[0]
	n := 0
	for {
		f, err := layer.NextFeature()
		if err != nil {
			t.Fatalf("NextFeature: %v (a warning must not fail the read)", err)
		}
		if f == nil {
			break
		}
		f.Close()
		n++
	}
	if n != 2 {
		t.Errorf("read %d features, want 2", n)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "record 2 for field a") {
		t.Errorf("warnings = %q, want the one about record 2", warnings)
	}
}

func TestErrorMessagesAreOneLine(t *testing.T) {
	_, err := Open(writeFile(t, "bad.geojson", "{\"type\": \"FeatureCollection\", \"features\": [ {\n\n"), VectorOnly())
	if err == nil {
		t.Fatal("opened truncated GeoJSON")
	}
	if strings.ContainsAny(err.Error(), "\r\n") || strings.HasSuffix(err.Error(), ".") {
		t.Errorf("error %q: want one line without a final period", err)
	}
}

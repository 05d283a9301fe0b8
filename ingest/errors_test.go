package ingest

import "testing"

func TestErrorsAreOneLine(t *testing.T) {
	err := fileErr("a.shp", "GDAL says (%s); do this", "line one\nline two\r\n")
	if got, want := err.Error(), "a.shp: GDAL says (line one line two ); do this"; got != want {
		t.Errorf("fileErr = %q, want %q", got, want)
	}
	err = flagErr("--id", "bad %q; fix it", "x")
	if got, want := err.Error(), `--id: bad "x"; fix it`; got != want {
		t.Errorf("flagErr = %q, want %q", got, want)
	}
}

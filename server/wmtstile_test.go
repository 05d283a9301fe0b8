package server

import (
	"errors"
	"testing"
)

// TestWMTSTileAddress: each bad part of a GetTile address is refused with
// the exception code and locator of its parameter.
func TestWMTSTileAddress(t *testing.T) {
	ok := wmtsTileRequest{tms: webMercatorQuadID, matrix: "3", row: "7", col: "2"}
	if z, row, col, err := ok.tileAddress(nil); err != nil || z != 3 || row != 7 || col != 2 {
		t.Fatalf("3/7/2: %d/%d/%d, %v", z, row, col, err)
	}
	shallow := func(z int) error {
		if z > 2 {
			return tileOutOfRange("tilematrix", "deeper than 2")
		}
		return nil
	}
	for _, tc := range []struct {
		tms, matrix, row, col string
		tooDeep               func(int) error
		code, locator         string
	}{
		{"EPSG:4326", "3", "7", "2", nil, "InvalidParameterValue", "tilematrixset"},
		{webMercatorQuadID, "x", "7", "2", nil, "InvalidParameterValue", "tilematrix"},
		{webMercatorQuadID, "25", "7", "2", nil, "InvalidParameterValue", "tilematrix"},
		{webMercatorQuadID, "3", "7", "2", shallow, "TileOutOfRange", "tilematrix"},
		{webMercatorQuadID, "3", "8", "2", nil, "TileOutOfRange", "tilerow"},
		{webMercatorQuadID, "3", "7", "-1", nil, "TileOutOfRange", "tilecol"},
	} {
		req := wmtsTileRequest{tms: tc.tms, matrix: tc.matrix, row: tc.row, col: tc.col}
		_, _, _, err := req.tileAddress(tc.tooDeep)
		var e *owsException
		if !errors.As(err, &e) || e.code != tc.code || e.locator != tc.locator {
			t.Errorf("%+v: %v, want %s on %s", req, err, tc.code, tc.locator)
		}
	}
}

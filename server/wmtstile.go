package server

// tileAddress checks that GetTile request t asks for WebMercatorQuad and
// reads its tile matrix, row and column: InvalidParameterValue for another
// tile matrix set or a tile matrix that is not one of it, TileOutOfRange
// for a row or column beyond the matrix. tooDeep, when set, refuses a tile
// matrix deeper than the layer is served to.
func (t wmtsTileRequest) tileAddress(tooDeep func(z int) error) (z, row, col int, err error) {
	if t.tms != webMercatorQuadID {
		return 0, 0, 0, invalidParameter("tilematrixset", "TILEMATRIXSET=%s: the tiles are in %s", t.tms, webMercatorQuadID)
	}
	z, ok := parseCoord(t.matrix)
	if !ok || z > webMercatorMaxZoom {
		return 0, 0, 0, invalidParameter("tilematrix", "TILEMATRIX=%s: give a tile matrix of %s, 0 to %d", t.matrix, webMercatorQuadID, webMercatorMaxZoom)
	}
	if tooDeep != nil {
		if err := tooDeep(z); err != nil {
			return 0, 0, 0, err
		}
	}
	row, okRow := parseCoord(t.row)
	col, okCol := parseCoord(t.col)
	last := 1<<z - 1
	if !okRow || row > last {
		return 0, 0, 0, tileOutOfRange("tilerow", "TILEROW=%s: give a row from 0 to %d in tile matrix %d", t.row, last, z)
	}
	if !okCol || col > last {
		return 0, 0, 0, tileOutOfRange("tilecol", "TILECOL=%s: give a column from 0 to %d in tile matrix %d", t.col, last, z)
	}
	return z, row, col, nil
}

// Package raster owns Outcrop's raster data tiles: the lossless encoding of
// a tile's band values as stored in a tileset, the per-band statistics that
// ingest computes and the server's default stretch reads, and the rendering
// of a data tile to colour through a named ramp. It is pure Go, shared by
// ingest (which writes data tiles) and the server (which renders them).
package raster

// Package glyphs makes the glyph sets MapLibre draws labels with: for a
// fontstack (a comma-separated list of font names) and a range of 256 code
// points, a protocol buffer of signed distance fields, one per glyph, as
// node-fontnik makes them (24 px, a 3 px buffer, radius 8, cutoff 0.25).
// Fonts are read from TrueType and OpenType files on disk, named by their
// family and style ("Noto Sans Regular"); the first font of a stack that has
// a glyph for a code point draws it.
//
// No maintained Go library does this: go-courier/fontnik and
// jpbede/fontmachine, the two there are, are unmaintained and depend on
// golang/freetype (untouched since 2017) and the deprecated
// golang/protobuf. So outlines come from golang.org/x/image/font/sfnt, are
// rasterised by golang.org/x/image/vector, and turned into distance fields
// by an exact Euclidean distance transform, the way MapLibre's own TinySDF
// does for the glyphs it draws locally.
package glyphs

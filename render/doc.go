// Package render draws the features of vector collections onto an image,
// with the symbols of their generated styles (package styles), for a map
// window given as a bounding box, a size in pixels and a CRS: the pictures
// the WMS serves.
//
// The rasteriser is the package's own (scan.go): a sparse scanline
// rasteriser, FreeType's and AGG's cell algorithm (exact area coverage,
// nonzero winding), whose cost is the length of a shape's edges and the
// pixels it covers, drawing straight into an *image.RGBA. It replaces
// golang.org/x/image/vector, an accumulation rasteriser whose cost is the
// area of the box it is given: a unit's 1-px outline as large as the map
// cost the whole map, and even cut into 64×64 tiles a map's fills and
// outlines cost half its CPU. golang/freetype/raster, the Go port of
// FreeType's sparse rasteriser, was measured first and not used: it keeps
// each row's cells in a linked list, so adding a cell costs the cells of
// its row before it. Against x/image/vector's tiles it was faster on one
// smooth shape as large as the map, but 2.5× as slow on a map of 800
// small units, 2.8× on dashed lines, and 19× on a jagged outline as large
// as the map; it is unmaintained since 2017. Neither strokes: this package strokes lines
// itself (stroke.go), each line as one outline; a richer library such as
// tdewolff/canvas would bring a stroker, but also fonts, PDF and SVG
// backends the server does not need; fogleman/gg is unmaintained.
//
// A canvas records what it fills and draws it when its image is read,
// every shape band of rows by band of rows, so that a band's image rows
// stay in the processor's cache while the shapes crossing it are drawn.
// Coordinates are projected and clipped to the image, plus a margin,
// before rasterising, and vertices closer than a fraction of a pixel are
// dropped.
package render

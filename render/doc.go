// Package render draws the features of vector collections onto an image,
// with the symbols of their generated styles (package styles), for a map
// window given as a bounding box, a size in pixels and a CRS: the pictures
// the WMS serves.
//
// The rasteriser is golang.org/x/image/vector: maintained by the Go team
// beside the standard library's image packages, pure Go (the server builds
// with CGO_ENABLED=0), antialiased by exact area coverage, with SIMD
// accumulation on amd64, and it draws straight into an *image.RGBA. It
// fills paths and nothing more, so this package strokes lines itself
// (segments as quads, round joins, dash patterns): a richer library such as
// tdewolff/canvas would bring a stroker, but also fonts, PDF and SVG
// backends the server does not need; fogleman/gg is unmaintained.
//
// Each feature is rasterised on its own clip of the image (the pixels its
// geometry covers), so a map costs about the pixels its features cover,
// not features × image size. Coordinates are projected and clipped to the
// image, plus a margin, before rasterising, and vertices closer than a
// fraction of a pixel are dropped.
package render

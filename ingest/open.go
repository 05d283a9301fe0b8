package ingest

import (
	"archive/zip"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/outcrop/outcrop/ingest/gdal"
)

// Driver short names that get driver-specific handling.
const (
	driverCSV       = "CSV"
	driverShapefile = "ESRI Shapefile"
)

// source is the one layer an ingest reads, open.
type source struct {
	file   string // as the user gave it, for messages
	path   string // as GDAL opens it
	ds     *gdal.Dataset
	layer  gdal.Layer
	driver string
	// lonLat is set when the geometry came from CSV columns named as
	// longitude and latitude, which justifies assuming WGS 84.
	lonLat bool
	// undeclaredEncoding is set for a shapefile that names no encoding and got
	// no --encoding: its strings are passed through unrecoded.
	undeclaredEncoding bool
	// recoder recodes the text of a source opened without recoding, for an
	// encoding GDAL's recoding gets wrong; nil when GDAL recodes.
	recoder *gdal.Recoder
	warn    *gdalWarnings
	// values shares repeated attribute text among the features read.
	values values
}

// Close closes the dataset; the recoder stays for a reopen.
func (s *source) Close() {
	if s.ds != nil {
		s.ds.Close()
		s.ds = nil
	}
}

// release frees everything the source holds.
func (s *source) release() {
	s.Close()
	if s.recoder != nil {
		s.recoder.Close()
		s.recoder = nil
	}
}

// text returns a string read from the source as UTF-8.
func (s *source) text(raw string) (string, error) {
	if s.recoder == nil {
		return raw, nil
	}
	return s.recoder.Recode(raw)
}

// openSource opens file and picks the layer to read.
func openSource(file string, opts Options, log *slog.Logger) (*source, error) {
	p, err := gdalPath(file)
	if err != nil {
		return nil, err
	}
	s := &source{file: file, path: p, warn: newGDALWarnings(log, file)}
	s.driver = gdal.IdentifyDriver(p)
	var openOpts []string
	if s.driver == driverCSV {
		if openOpts, s.lonLat, err = csvOpenOptions(file, p); err != nil {
			return nil, err
		}
	}
	if err := s.open(openOpts, opts.SourceLayer); err != nil {
		return nil, err
	}
	if s.driver != driverShapefile {
		if opts.Encoding != "" {
			log.Warn("--encoding applies only to shapefiles; ignored", "file", file, "driver", s.driver)
		}
		return s, nil
	}
	if err := s.checkShapefile(opts, log); err != nil {
		s.release()
		return nil, err
	}
	return s, nil
}

// open opens s.path with the given open options and selects the layer.
func (s *source) open(openOpts []string, layerName string) error {
	ds, err := gdal.Open(s.path, gdal.VectorOnly(), gdal.DriverOpenOption(openOpts...), gdal.ErrLogger(s.warn.handler))
	if err != nil {
		return s.openErr(err)
	}
	s.ds = ds
	s.driver = ds.Driver().ShortName()
	layers := ds.Layers()
	names := make([]string, len(layers))
	for i, l := range layers {
		names[i] = l.Name()
	}
	switch {
	case layerName != "":
		l := ds.LayerByName(layerName)
		if l == nil {
			s.Close()
			return fileErr(s.file, "has no layer %q; --source-layer must be one of: %s", layerName, strings.Join(names, ", "))
		}
		s.layer = *l
	case len(layers) == 1:
		s.layer = layers[0]
	case len(layers) == 0:
		s.Close()
		return fileErr(s.file, "has no vector layer; give a file with vector features")
	default:
		s.Close()
		return fileErr(s.file, "has %d layers (%s); choose one with --source-layer", len(layers), strings.Join(names, ", "))
	}
	return nil
}

// openErr says why GDAL opens s as no vector dataset: that it is a
// directory; for a file named as a raster, what GDAL says of it as a raster;
// for a file of a vector format GDAL or its extension names, that it is not
// a readable one, rather than to give another format.
func (s *source) openErr(vectorErr error) error {
	if fi, err := os.Stat(s.file); err == nil && fi.IsDir() && !strings.EqualFold(filepath.Ext(s.file), ".gdb") {
		return fileErr(s.file, "is a directory, and GDAL reads no dataset in it (%v); give a file inside it, a FileGDB (.gdb) folder or a folder of shapefiles", vectorErr)
	}
	if kind := rasterKind(s.file); kind != "" {
		rerr := vectorErr
		if ds, err := gdal.Open(s.path, gdal.RasterOnly()); err != nil {
			rerr = err
		} else {
			ds.Close()
		}
		return fileErr(s.file, "GDAL cannot open it as a raster (%v): it is not a readable %s; check the file is complete, or export it again from its source", rerr, kind)
	}
	kind := vectorKinds[s.driver]
	if kind == "" {
		kind = vectorKinds[strings.ToLower(filepath.Ext(s.file))]
	}
	if kind != "" {
		return fileErr(s.file, "GDAL cannot open it as a vector dataset (%v): it is not a readable %s; check the file is complete, or export it again from its source", vectorErr, kind)
	}
	return fileErr(s.file, "GDAL cannot open it as a vector dataset (%v); give a Shapefile, GeoPackage, GeoJSON, CSV, KML or FileGDB", vectorErr)
}

// vectorKinds names the vector formats by the driver GDAL identifies a file
// with, or else by their extension.
var vectorKinds = map[string]string{
	driverShapefile: "shapefile", "GPKG": "GeoPackage", "GeoJSON": "GeoJSON file", "TopoJSON": "TopoJSON file",
	"ESRIJSON": "Esri JSON file", "KML": "KML file", "LIBKML": "KML file", "GML": "GML file",
	"FlatGeobuf": "FlatGeobuf file", "MapInfo File": "MapInfo file", "SQLite": "SQLite file", "OpenFileGDB": "FileGDB",
	".shp": "shapefile", ".gpkg": "GeoPackage", ".geojson": "GeoJSON file", ".kml": "KML file", ".gml": "GML file",
	".fgb": "FlatGeobuf file", ".tab": "MapInfo file", ".mif": "MapInfo file", ".sqlite": "SQLite file", ".gdb": "FileGDB",
}

// rasterKinds names the raster formats by the extensions they are known by.
var rasterKinds = map[string]string{
	".tif": "GeoTIFF", ".tiff": "GeoTIFF", ".nc": "netCDF file", ".grd": "grid (.grd)",
	".hgt": "SRTM height file (.hgt)", ".asc": "ASCII grid (.asc)", ".img": "ERDAS Imagine file (.img)",
	".jp2": "JPEG 2000 image", ".png": "PNG image", ".jpg": "JPEG image", ".jpeg": "JPEG image",
}

// rasterKind is the raster format file's extension names, or "" when it
// names none.
func rasterKind(file string) string {
	return rasterKinds[strings.ToLower(filepath.Ext(file))]
}

// checkShapefile catches what the Shapefile driver tolerates silently: a
// missing or unreadable .dbf, and strings in an undeclared encoding.
func (s *source) checkShapefile(opts Options, log *slog.Logger) error {
	hasDBF, opened := s.dbf()
	switch {
	case !hasDBF:
		log.Warn("shapefile has no .dbf: features will have no attributes", "file", s.file)
	case !opened || len(s.layer.Layout().Fields) == 0:
		// Every shapefile writer creates at least one field; GDAL takes a
		// .dbf whose header it cannot parse for one without fields, or
		// leaves it out of the dataset.
		return fileErr(s.file, "its .dbf is corrupt (GDAL finds no field definitions in it); export the shapefile again from its source")
	}

	const md = "SHAPEFILE"
	declared := s.layer.Metadata("ENCODING_FROM_CPG", gdal.Domain(md))
	from := ".cpg"
	if declared == "" {
		declared, from = s.layer.Metadata("ENCODING_FROM_LDID", gdal.Domain(md)), "the .dbf language driver id"
	}
	enc := declared
	switch {
	case declared != "" && opts.Encoding != "" && !strings.EqualFold(declared, opts.Encoding):
		log.Warn("the file declares its encoding; --encoding ignored", "file", s.file, "declared", declared, "from", from, "encoding", opts.Encoding)
	case declared == "" && opts.Encoding != "":
		enc, from = opts.Encoding, "--encoding"
	case declared == "":
		s.undeclaredEncoding = hasDBF
		return nil
	}
	if isUTF8(enc) {
		return nil // GDAL reads UTF-8 as is
	}
	rec, err := gdal.NewRecoder(enc)
	if err != nil {
		if from == "--encoding" {
			return flagErr("--encoding", "%v; give an iconv encoding name such as CP874 or CP1258", err)
		}
		return fileErr(s.file, "declares encoding %q in %s, which iconv does not know; correct it (e.g. CP874, CP1258)", enc, from)
	}
	layer := s.layer.Name()
	switch {
	case rec.Stateful():
		// GDAL 3.6 drops the last character of every string in such an
		// encoding (see gdal.Recoder): read the bytes unrecoded and
		// recode them here.
		s.Close()
		s.recoder = rec
		return s.open([]string{"ENCODING="}, layer)
	case from == "--encoding":
		// Given only now that the file is known to declare no encoding:
		// the open option would override a .cpg.
		rec.Close()
		s.Close()
		return s.open([]string{"ENCODING=" + enc}, layer)
	}
	rec.Close()
	return nil
}

func isUTF8(enc string) bool {
	return strings.EqualFold(strings.ReplaceAll(enc, "-", ""), "UTF8")
}

// dbf reports whether the layer's .dbf exists, and whether GDAL took it in.
func (s *source) dbf() (exists, opened bool) {
	files := s.ds.FileList()
	for _, f := range files {
		ext := path.Ext(f)
		if !strings.EqualFold(ext, ".shp") || !strings.EqualFold(strings.TrimSuffix(path.Base(f), ext), s.layer.Name()) {
			continue
		}
		stem := strings.TrimSuffix(f, ext)
		if slices.ContainsFunc(files, func(g string) bool { return strings.EqualFold(g, stem+".dbf") }) {
			return true, true
		}
		return gdal.PathExists(stem+".dbf") || gdal.PathExists(stem+".DBF"), false
	}
	return true, true // the layer's .shp is not listed: nothing to check against
}

// prjFile returns the path of the shapefile layer's .prj, or "" when there
// is none. GDAL ignores a .prj it cannot parse, as if it were absent.
func (s *source) prjFile() string {
	if s.driver != driverShapefile {
		return ""
	}
	for _, f := range s.ds.FileList() {
		ext := path.Ext(f)
		if !strings.EqualFold(ext, ".shp") || !strings.EqualFold(strings.TrimSuffix(path.Base(f), ext), s.layer.Name()) {
			continue
		}
		stem := strings.TrimSuffix(f, ext)
		for _, prj := range []string{stem + ".prj", stem + ".PRJ"} {
			if gdal.PathExists(prj) {
				return prj
			}
		}
	}
	return ""
}

// gdalPath turns the file a user named into the path GDAL should open:
// checks that it exists and is readable, and looks inside a plain .zip.
func gdalPath(file string) (string, error) {
	if strings.HasPrefix(file, "/vsi") {
		return file, nil // a GDAL virtual path: GDAL says what is wrong with it
	}
	fi, err := os.Stat(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", fileErr(file, "no such file or directory; check the path")
	case errors.Is(err, fs.ErrPermission):
		return "", fileErr(file, "permission denied; make the file and its directory readable")
	case err != nil:
		return "", fileErr(file, "cannot read it (%v); check the path", err)
	}
	if !fi.IsDir() {
		f, err := os.Open(file)
		if err != nil {
			return "", fileErr(file, "cannot read it (%v); make the file readable", err)
		}
		f.Close()
		if fi.Size() == 0 {
			return "", fileErr(file, "the file is empty (0 bytes); copy or export it again from its source")
		}
	}
	if fi.IsDir() || !strings.EqualFold(filepath.Ext(file), ".zip") {
		return file, nil
	}
	return zipMember(file)
}

// vectorExts are the extensions of the files, or directories (.gdb), that
// hold a dataset; companions such as .dbf or .prj are not listed.
var vectorExts = []string{".shp", ".gpkg", ".geojson", ".json", ".csv", ".kml", ".gml", ".fgb", ".tab", ".mif", ".sqlite", ".gdb"}

// zipMember picks the dataset inside a .zip archive, which GDAL reads through
// /vsizip without extracting it.
func zipMember(file string) (string, error) {
	archive := "/vsizip/" + file
	entries, err := gdal.ReadDirRecursive(archive)
	if err != nil || entries == nil {
		return "", zipErr(file, err)
	}
	var found []string
	seen := map[string]bool{}
	for _, e := range entries {
		e = strings.TrimSuffix(filepath.ToSlash(e), "/")
		if strings.HasPrefix(e, "__MACOSX/") || strings.HasPrefix(path.Base(e), "._") {
			continue // resource forks added by macOS's archiver
		}
		// A FileGDB is a directory: keep the .gdb, not the tables in it.
		if i := strings.Index(strings.ToLower(e), ".gdb/"); i >= 0 {
			e = e[:i+len(".gdb")]
		}
		if seen[e] || !slices.Contains(vectorExts, strings.ToLower(path.Ext(e))) {
			continue
		}
		seen[e] = true
		found = append(found, e)
	}
	switch {
	case len(found) == 1:
		return archive + "/" + found[0], nil
	case len(found) == 0:
		if unsafe := unsafeZipNames(file); len(unsafe) > 0 {
			return "", unsafeZipErr(file, unsafe)
		}
		return "", noDatasetErr(file, entries)
	}
	allShp := !slices.ContainsFunc(found, func(e string) bool { return strings.ToLower(path.Ext(e)) != ".shp" })
	if allShp && !slices.ContainsFunc(found, func(e string) bool { return strings.Contains(e, "/") }) {
		// Shapefiles side by side are the layers of one dataset, chosen
		// with --source-layer.
		return archive, nil
	}
	return "", fileErr(file, "the archive holds several datasets (%s); name one as %s/%s", strings.Join(found, ", "), archive, found[0])
}

// noDatasetErr says why an archive with these members holds no dataset
// ingest reads: an archive inside it, which GDAL does not look into, or a
// raster, which ingest reads only unzipped, are named.
func noDatasetErr(file string, entries []string) error {
	var zips, rasters []string
	for _, e := range entries {
		switch ext := strings.ToLower(path.Ext(e)); {
		case ext == ".zip":
			zips = append(zips, e)
		case rasterKinds[ext] != "":
			rasters = append(rasters, e)
		}
	}
	switch {
	case len(zips) > 0:
		return fileErr(file, "the archive holds another zip archive inside it (%s) and no dataset beside it; unzip it first, then give the inner archive", strings.Join(zips, ", "))
	case len(rasters) > 0:
		return fileErr(file, "the archive holds a raster (%s), which ingest does not read from inside a zip; unzip it first, then give the raster", strings.Join(rasters, ", "))
	}
	return fileErr(file, "the archive holds no vector dataset GDAL reads; zip a Shapefile, GeoPackage, GeoJSON, CSV, KML or FileGDB")
}

// zipErr says why GDAL lists nothing in an archive: Go's own zip reader
// tells an empty archive, or one whose members all have unsafe names, which
// GDAL leaves out, from one that is not a zip at all.
func zipErr(file string, gdalErr error) error {
	zr, err := zip.OpenReader(file)
	if err != nil {
		msg := err.Error()
		if gdalErr != nil {
			msg = gdalErr.Error()
		}
		return fileErr(file, "not a readable zip archive (%s); check the file is a complete .zip", msg)
	}
	n := len(zr.File)
	zr.Close()
	if unsafe := unsafeZipNames(file); len(unsafe) > 0 {
		return unsafeZipErr(file, unsafe)
	}
	if n == 0 {
		return fileErr(file, "the zip archive is empty; zip the dataset's files into it")
	}
	return fileErr(file, "GDAL cannot list the zip archive's %d members; check the file is a complete .zip", n)
}

// unsafeZipNames returns the archive's member names that climb out of it
// ("../x", "/x"), which GDAL refuses to read.
func unsafeZipNames(file string) []string {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil
	}
	defer zr.Close()
	var bad []string
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, "\\", "/")
		if !filepath.IsLocal(strings.TrimPrefix(name, "./")) && name != "" {
			bad = append(bad, f.Name)
		}
	}
	return bad
}

func unsafeZipErr(file string, names []string) error {
	shown := names
	if len(shown) > 3 {
		shown = append(shown[:3:3], "…")
	}
	return fileErr(file, "the zip archive's members have unsafe names that point outside it (%s), which are not read; make the archive again with paths inside it (e.g. cd into the folder, then zip)", strings.Join(shown, ", "))
}

// gdalWarnings passes GDAL's warnings to the log, each distinct message once
// and a bounded number in all, so a warning raised per row cannot flood it.
type gdalWarnings struct {
	log        *slog.Logger
	file       string
	seen       map[string]bool
	suppressed int
}

const maxLoggedWarnings = 20

func newGDALWarnings(log *slog.Logger, file string) *gdalWarnings {
	return &gdalWarnings{log: log, file: file, seen: map[string]bool{}}
}

func (w *gdalWarnings) handler(ec gdal.ErrorCategory, code int, msg string) error {
	if ec >= gdal.CE_Failure {
		return &gdal.Error{Code: code, Msg: msg}
	}
	if ec != gdal.CE_Warning || w.seen[msg] {
		return nil
	}
	if len(w.seen) >= maxLoggedWarnings {
		w.suppressed++
		return nil
	}
	w.seen[msg] = true
	w.log.Warn("GDAL: "+msg, "file", w.file)
	return nil
}

// flush logs how many warnings were not shown.
func (w *gdalWarnings) flush() {
	if w.suppressed > 0 {
		w.log.Warn(fmt.Sprintf("GDAL: %d more warnings not shown", w.suppressed), "file", w.file)
	}
}

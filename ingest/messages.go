package ingest

import (
	"archive/zip"
	"os"
	"path"
	"slices"
	"strings"
)

// companionPRJ returns the .prj file beside a shapefile-like file, or "" when
// there is none, so that a CRS GDAL cannot read is blamed on that file
// rather than reported as missing.
func companionPRJ(file string) string {
	base := strings.TrimSuffix(file, path.Ext(file))
	for _, ext := range []string{".prj", ".PRJ", ".Prj"} {
		if fi, err := os.Stat(base + ext); err == nil && fi.Mode().IsRegular() {
			return base + ext
		}
	}
	return ""
}

// unsafeZipMember returns the first member of the zip archive whose name
// leaves the archive (an absolute path or a ".." step), which GDAL refuses
// to read, or "" when there is none or the file is not a zip Go can read.
func unsafeZipMember(file string) string {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return ""
	}
	defer zr.Close()
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		if strings.HasPrefix(name, "/") || slices.Contains(strings.Split(name, "/"), "..") {
			return f.Name
		}
	}
	return ""
}

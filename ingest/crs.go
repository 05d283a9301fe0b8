package ingest

import (
	"fmt"
	"log/slog"
	"path"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/ingest/gdal"
)

// projection takes a layer's coordinates to WGS 84 longitude/latitude.
type projection struct {
	label string          // the source CRS for people, e.g. "EPSG:24047"
	xf    *gdal.Transform // nil when the source is WGS 84 already
	// area is the source CRS's area of use, when PROJ knows it.
	area    gdal.AreaOfUse
	hasArea bool
	// projected is set for a CRS of metres or feet, not degrees.
	projected bool
	// given is set when the CRS came from --s-srs, not the file.
	given bool
}

func (p *projection) Close() { p.xf.Close() }

// newProjection settles the layer's CRS (the file's, --s-srs, or WGS 84 for
// CSV longitude/latitude columns) and prepares the transformation to WGS 84.
func newProjection(s *source, srcSRS string, log *slog.Logger) (*projection, error) {
	declared := s.layer.SpatialRef()
	defer declared.Close()

	var src *gdal.SpatialRef
	switch {
	case srcSRS != "":
		sr, err := gdal.NewSpatialRef(srcSRS)
		if err != nil {
			return nil, flagErr("--s-srs", "cannot read CRS %q (%v); give an EPSG code such as EPSG:24047, WKT or a PROJ string", srcSRS, err)
		}
		defer sr.Close()
		if declared != nil && !declared.IsSame(sr) {
			log.Warn("--s-srs overrides the CRS the file declares", "file", s.file, "declared", crsLabel(declared), "s_srs", crsLabel(sr))
		}
		src = sr
	case declared != nil:
		src = declared
	case s.lonLat:
		sr, err := gdal.NewSpatialRefFromEPSG(4326)
		if err != nil {
			return nil, fileErr(s.file, "cannot set up WGS 84 (%v); check the PROJ installation (proj-data)", err)
		}
		defer sr.Close()
		log.Warn("the CSV declares no CRS; its longitude/latitude columns are read as WGS 84 (EPSG:4326); pass --s-srs if they are not", "file", s.file)
		src = sr
	case s.prjFile() != "":
		return nil, fileErr(s.file, "its .prj (%s) holds no coordinate reference system GDAL can read; replace it with the right .prj, or give the CRS with --s-srs (e.g. --s-srs EPSG:4326 or --s-srs EPSG:32647)", path.Base(s.prjFile()))
	default:
		return nil, fileErr(s.file, "layer %q declares no coordinate reference system; give it with --s-srs (e.g. --s-srs EPSG:4326 or --s-srs EPSG:32647)", s.layer.Name())
	}

	p := &projection{label: crsLabel(src), projected: !src.Geographic(), given: srcSRS != ""}
	p.area, p.hasArea = areaOfUse(src)
	wgs84, err := gdal.NewSpatialRefFromEPSG(4326)
	if err != nil {
		return nil, fileErr(s.file, "cannot set up WGS 84 (%v); check the PROJ installation (proj-data)", err)
	}
	defer wgs84.Close()
	if src.IsSame(wgs84) {
		return p, nil
	}
	xf, err := gdal.NewTransform(src, wgs84)
	if err != nil {
		return nil, fileErr(s.file, "no coordinate transformation from %s to WGS 84 (%v); give the source CRS as an EPSG code with --s-srs, or a PROJ string with +towgs84", p.label, err)
	}
	p.xf = xf
	return p, nil
}

// areaOfUse returns the CRS's area of use, looked up by its EPSG code when
// the definition carries none (an ESRI .prj, matched by crsLabel).
func areaOfUse(sr *gdal.SpatialRef) (gdal.AreaOfUse, bool) {
	if a, ok := sr.AreaOfUse(); ok {
		return a, true
	}
	code, err := strconv.Atoi(sr.AuthorityCode(""))
	if err != nil || sr.AuthorityName("") != "EPSG" {
		return gdal.AreaOfUse{}, false
	}
	byCode, err := gdal.NewSpatialRefFromEPSG(code)
	if err != nil {
		return gdal.AreaOfUse{}, false
	}
	defer byCode.Close()
	return byCode.AreaOfUse()
}

// crsLabel names a CRS for people: its EPSG code when it has or matches one,
// else its name.
func crsLabel(sr *gdal.SpatialRef) string {
	if a, c := sr.AuthorityName(""), sr.AuthorityCode(""); a != "" && c != "" {
		return a + ":" + c
	}
	if sr.AutoIdentifyEPSG() == nil {
		if a, c := sr.AuthorityName(""), sr.AuthorityCode(""); a != "" && c != "" {
			return a + ":" + c
		}
	}
	if n := sr.Name(); n != "" && n != "unknown" {
		return n
	}
	return "a custom CRS"
}

// areaMargin is how far, in degrees, data may lie beyond its CRS's area of use
// before the CRS is taken for wrong: data sets commonly overrun a UTM zone by
// a few degrees (Thailand in zone 47N reaches 105.6°E, 3.6° past its edge).
const areaMargin = 10.0

// checkAreaOfUse refuses data that lands far from where its CRS is used: the
// sign of a valid but wrong .prj (or --s-srs). src is the data's extent in
// the source CRS, b its extent in WGS 84 (west, south, east, north).
func checkAreaOfUse(s *source, p *projection, src orb.Bound, b [4]float64) error {
	a := p.area
	if !p.hasArea || a.West > a.East { // unknown, or across the antimeridian
		return nil
	}
	outside := func(m float64) bool {
		return b[2] < a.West-m || b[0] > a.East+m || b[3] < a.South-m || b[1] > a.North+m
	}
	where := fmt.Sprintf("%s %s", fmtLon((b[0]+b[2])/2), fmtLat((b[1]+b[3])/2))
	area := fmt.Sprintf("%s to %s, %s to %s", fmtLon(a.West), fmtLon(a.East), fmtLat(a.South), fmtLat(a.North))
	says := "the file declares " + p.label
	if s.driver == driverShapefile {
		says = "the .prj says " + p.label
	}
	fix := "give the right CRS with --s-srs"
	errAt := func(format string, args ...any) error { return fileErr(s.file, format, args...) }
	if p.given {
		says = "--s-srs says " + p.label
		fix = "give the right CRS to --s-srs"
		errAt = func(format string, args ...any) error { return flagErr("--s-srs", format, args...) }
	}
	degrees := src.Min[0] >= -180 && src.Max[0] <= 180 && src.Min[1] >= -90 && src.Max[1] <= 90
	switch {
	case p.projected && degrees && outside(0):
		return errAt("coordinates look like longitude/latitude degrees (x %s to %s, y %s to %s), but %s, which puts them at %s, outside its area of use (%s); pass --s-srs EPSG:4326 if they are degrees, else %s",
			fmtCoord(src.Min[0]), fmtCoord(src.Max[0]), fmtCoord(src.Min[1]), fmtCoord(src.Max[1]), says, where, area, fix)
	case outside(areaMargin):
		return errAt("the data lands at %s, far outside the area of use of %s (%s), so %s is likely wrong; %s", where, p.label, area, says, fix)
	}
	return nil
}

func fmtLon(x float64) string {
	if x < 0 {
		return fmt.Sprintf("%.1f°W", -x)
	}
	return fmt.Sprintf("%.1f°E", x)
}

func fmtLat(y float64) string {
	if y < 0 {
		return fmt.Sprintf("%.1f°S", -y)
	}
	return fmt.Sprintf("%.1f°N", y)
}

package ingest

import (
	"log/slog"
	"path"

	"github.com/outcrop/outcrop/ingest/gdal"
)

// projection takes a layer's coordinates to WGS 84 longitude/latitude.
type projection struct {
	label string          // the source CRS for people, e.g. "EPSG:24047"
	xf    *gdal.Transform // nil when the source is WGS 84 already
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
	case companionPRJ(s.file) != "":
		return nil, fileErr(s.file, "its %s is not a coordinate reference system GDAL can read; replace it with a valid .prj (ESRI WKT), or give the CRS with --s-srs (e.g. --s-srs EPSG:32647)", path.Base(companionPRJ(s.file)))
	default:
		return nil, fileErr(s.file, "layer %q declares no coordinate reference system; give it with --s-srs (e.g. --s-srs EPSG:4326 or --s-srs EPSG:32647)", s.layer.Name())
	}

	p := &projection{label: crsLabel(src)}
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

package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// readResult is the layer's features in WGS 84 with what reading them did.
type readResult struct {
	features []*geojson.Feature
	read     int64
	repaired int64
	skipped  map[string]int64
	// partsDropped counts features that lost parts of a lower dimension: a
	// mixed geometry collection, or debris left by a repair.
	partsDropped int64
	// reprojRepaired counts the repaired features that were repaired, or
	// repaired again, after reprojection and rounding.
	reprojRepaired int64
	// degenerateParts are the spikes, zero-area rings or polygons and
	// zero-length lines dropped, from degenerateFeatures features.
	degenerateParts, degenerateFeatures int64
	// unrepairable lists the first maxListedUnrepairable features skipped
	// for a geometry that cannot be used; skipped counts them all.
	unrepairable []SkippedFeature
	// srcBound is the extent of the features kept, in the source CRS.
	srcBound orb.Bound
}

// maxListedUnrepairable bounds the unrepairable features listed, so that a
// file of broken geometries cannot fill the memory with its list.
const maxListedUnrepairable = 100

// readFeatures reads every feature of the layer, converting its geometry and
// attributes. Feature ids are 1-based positions in the source, so they stay
// the same across ingests of the same file, skipped features included.
func readFeatures(ctx context.Context, s *source, proj *projection, decimals int, attrs []attribute, bar progress) (*readResult, error) {
	r := &readResult{skipped: map[string]int64{}}
	var n uint64
	for {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		f, err := s.layer.NextFeature()
		if err != nil {
			return nil, fileErr(s.file, "reading feature %d: %v; the file is corrupt or truncated: export it again from its source", n+1, err)
		}
		if f == nil {
			break
		}
		n++
		bar.Add(1)
		res, err := convertGeometry(f.Geometry(), proj, decimals, s.file, n)
		if bad := (*unrepairableError)(nil); errors.As(err, &bad) {
			if len(r.unrepairable) < maxListedUnrepairable {
				r.unrepairable = append(r.unrepairable, SkippedFeature{Number: n, FID: f.FID(), Reason: bad.reason})
			}
			r.skipped[skipUnrepairable]++
			f.Close()
			continue
		}
		if err != nil {
			f.Close()
			return nil, err
		}
		if res.degenerate > 0 {
			r.degenerateParts += int64(res.degenerate)
			r.degenerateFeatures++
		}
		if res.skip != "" {
			f.Close()
			r.skipped[res.skip]++
			continue
		}
		props, err := attributeValues(s, f, attrs)
		f.Close()
		if err != nil {
			return nil, s.attributeErr(n, err)
		}
		if res.repaired {
			r.repaired++
		}
		if res.reprojRepaired {
			r.reprojRepaired++
		}
		if res.mixed {
			r.partsDropped++
		}
		if len(r.features) == 0 {
			r.srcBound = res.srcBound
		} else {
			r.srcBound = r.srcBound.Union(res.srcBound)
		}
		feat := geojson.NewFeature(res.geom)
		feat.ID = n
		feat.Properties = props
		r.features = append(r.features, feat)
	}
	r.read = int64(n)
	return r, nil
}

// attributeErr words an attribute problem with the fix that fits the source.
func (s *source) attributeErr(fid uint64, err error) error {
	var enc *encodingError
	where := fmt.Sprintf("feature %d", fid)
	if fid == 0 {
		where = "the field list"
	}
	if !errors.As(err, &enc) {
		return fileErr(s.file, "%s: %v; fix that value in the source", where, err)
	}
	switch {
	case s.driver == driverShapefile && s.undeclaredEncoding:
		return fileErr(s.file, "%s: %v and the shapefile declares no encoding (no .cpg); give it with --encoding, e.g. --encoding CP874 (Thai) or --encoding CP1258 (Vietnamese)", where, enc)
	case s.driver == driverShapefile:
		return fileErr(s.file, "%s: %v in the encoding the shapefile declares or was given; correct its .cpg file (or --encoding)", where, enc)
	}
	return fileErr(s.file, "%s: %v; convert the file to UTF-8 (e.g. with iconv)", where, enc)
}

// checkRead refuses a layer that yields nothing to tile.
func checkRead(s *source, r *readResult) error {
	if r.read == 0 {
		return fileErr(s.file, "layer %q has no features, so there is nothing to ingest; check the file, or choose another layer with --source-layer", s.layer.Name())
	}
	if len(r.features) == 0 {
		why := formatSkipped(r.skipped)
		if len(r.unrepairable) > 0 {
			f := r.unrepairable[0]
			why += fmt.Sprintf("; feature %d (FID %d): %s", f.Number, f.FID, f.Reason)
		}
		return fileErr(s.file, "none of the %d features of layer %q has a usable geometry (%s); check the file's geometry column", r.read, s.layer.Name(), why)
	}
	return nil
}

func formatSkipped(skipped map[string]int64) string {
	out := ""
	for _, reason := range sortedKeys(skipped) {
		if out != "" {
			out += ", "
		}
		out += fmt.Sprintf("%d %s", skipped[reason], reason)
	}
	return out
}

// checkUnrepairable refuses, under --strict, a layer with a feature whose
// geometry cannot be used.
func checkUnrepairable(s *source, r *readResult, strict bool) error {
	n := r.skipped[skipUnrepairable]
	if !strict || n == 0 {
		return nil
	}
	f := r.unrepairable[0]
	count := "1 feature"
	if n > 1 {
		count = fmt.Sprintf("%d features", n)
	}
	return fileErr(s.file, "feature %d (FID %d): %s, and --strict refuses to skip it (%s in all); fix the source, or leave out --strict to skip and list them", f.Number, f.FID, f.Reason, count)
}

func logReadWarnings(log *slog.Logger, file string, r *readResult) {
	if n := r.skipped[skipUnrepairable]; n > 0 {
		log.Warn("features skipped: their geometry cannot be repaired (listed in the summary; --strict refuses them)", "file", file, "features", n)
	}
	if r.partsDropped > 0 {
		log.Warn("features lost parts of a lower dimension (points or lines beside their polygons, or debris of a repair)", "file", file, "features", r.partsDropped)
	}
}

package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

func TestTimeField(t *testing.T) {
	var feats []*geojson.Feature
	for _, v := range []any{"1968", int64(1975), "2001-02-03", "2005-06-07T08:09:10Z", "n.d.", "1970s", nil} {
		f := geojson.NewFeature(orb.Point{1, 2})
		f.Properties = geojson.Properties{"found": v, "grade": 1.5, "site": "x"}
		if v == nil {
			delete(f.Properties, "found")
		}
		feats = append(feats, f)
	}
	fields := []tileset.Field{{Name: "found", Type: "string"}, {Name: "grade", Type: "real"}, {Name: "site", Type: "string"}}
	tm, c, err := timeField("found", feats, fields)
	if err != nil {
		t.Fatal(err)
	}
	if tm.Field != "found" || tm.Undated != 3 || c.Dated != 4 || c.Missing != 1 || c.Invalid != 2 || c.Example != "n.d." {
		t.Errorf("temporal %+v, counts %+v", tm, c)
	}
	if !tm.Extent.Start.Equal(time.Date(1968, 1, 1, 0, 0, 0, 0, time.UTC)) || !tm.Extent.End.Equal(time.Date(2005, 6, 7, 8, 9, 10, 0, time.UTC)) {
		t.Errorf("extent %v", tm.Extent)
	}
	sum := Summary{Dates: c}
	var b bytes.Buffer
	sum.Print(&b)
	if want := `time field  found: 4 dated, 1 without a date, 2 not a date (such as "n.d.")`; !strings.Contains(b.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, b.String())
	}

	for _, c := range []struct{ field, mention string }{
		{"nosuch", `no field "nosuch"; give one of found, grade, site`},
		{"grade", `"grade" holds real values`},
		{"site", `no time in any feature (7 are not times, such as "x"`},
	} {
		_, _, err := timeField(c.field, feats, fields)
		var e *Error
		if !errors.As(err, &e) || e.Flag != "--time-field" || !strings.Contains(err.Error(), c.mention) || strings.Contains(err.Error(), "\n") {
			t.Errorf("--time-field %s: %v; want a one-line --time-field error mentioning %q", c.field, err, c.mention)
		}
	}
}

package compile

import (
	"slices"
	"strconv"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// polygonReserved are the fields compile writes on the compiled map's
// units; lines get country and source.
var polygonReserved = []string{"country", "source", UnitField}

// reservedRenames returns, for each of fields named as one of the fields
// compile writes (reserved), the name it is kept under instead of being
// overwritten: name_2, or _3… when that is taken, as ingest keeps a
// repeated field name.
func reservedRenames(fields []tileset.Field, reserved ...string) map[string]string {
	taken := func(n string) bool {
		return slices.Contains(reserved, n) || slices.ContainsFunc(fields, func(f tileset.Field) bool { return f.Name == n })
	}
	var renames map[string]string
	for _, f := range fields {
		if !slices.Contains(reserved, f.Name) {
			continue
		}
		n := 2
		for taken(f.Name + "_" + strconv.Itoa(n)) {
			n++
		}
		if renames == nil {
			renames = map[string]string{}
		}
		renames[f.Name] = f.Name + "_" + strconv.Itoa(n)
	}
	return renames
}

// renamedFields returns fields with the names renames gives.
func renamedFields(fields []tileset.Field, renames map[string]string) []tileset.Field {
	if renames == nil {
		return fields
	}
	out := slices.Clone(fields)
	for i, f := range out {
		if n, ok := renames[f.Name]; ok {
			out[i].Name = n
		}
	}
	return out
}

// copyProps returns a copy of props with the names renames gives, and room
// for extra more.
func copyProps(props geojson.Properties, renames map[string]string, extra int) geojson.Properties {
	out := make(geojson.Properties, len(props)+extra)
	for k, v := range props {
		if n, ok := renames[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}

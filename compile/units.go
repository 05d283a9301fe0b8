package compile

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// UnitField is the compiled map's field of unit codes, from which its
// geology-unit style is made: a source's unit code prefixed by its country
// and a colon ("THA:Kk"), so that two surveys' units of one code stay apart
// (compile/CONFIG.md). Features of a source whose mapping has no legend:
// lack it.
const UnitField = "map_unit"

// unitOf returns the unit of the side's legend that feature f belongs to,
// by its code; false when the side has no legend or f no listed code.
func (sd *side) unitOf(f *geojson.Feature) (tileset.Unit, bool) {
	if sd.legend == nil {
		return tileset.Unit{}, false
	}
	code, _ := f.Properties[sd.legend.Field].(string)
	if code == "" {
		return tileset.Unit{}, false
	}
	i, ok := slices.BinarySearchFunc(sd.legend.Units, code, func(u tileset.Unit, c string) int { return cmp.Compare(u.Code, c) })
	if !ok {
		return tileset.Unit{}, false
	}
	return sd.legend.Units[i], true
}

//go:build cgo

package tiles

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/tiles/validity"
)

func TestDebugKinds(t *testing.T) {
	kinds := map[string]int{}
	for tile, data := range checkedTiles(t) {
		for _, f := range decode(t, data).Features {
			if err := validity.Check(f.Geometry); err != nil {
				p := err.(*validity.Problem)
				edge := p.At[0] == -64 || p.At[0] == 4160 || p.At[1] == -64 || p.At[1] == 4160
				kinds[fmt.Sprintf("z%d %v edge=%v", tile.Z, p.Kind, edge)]++
				if edge && kinds["shown"] < 3 {
					kinds["shown"]++
					t.Logf("%v %v: %v\n%v", tile, f.ID, err, f.Geometry)
				}
			}
		}
	}
	t.Log(kinds)
	_ = orb.Point{}
}

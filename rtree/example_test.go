package rtree_test

import (
	"fmt"

	"github.com/outcrop/outcrop/rtree"
)

func Example() {
	// Three mineral occurrences (points) and one map unit (a box), with the
	// feature ids they are stored under.
	index, err := rtree.Build([]rtree.Item{
		{MinX: 100.5, MinY: 13.2, MaxX: 100.5, MaxY: 13.2, ID: 1},
		{MinX: 101.0, MinY: 14.0, MaxX: 101.0, MaxY: 14.0, ID: 2},
		{MinX: 105.9, MinY: 20.1, MaxX: 105.9, MaxY: 20.1, ID: 3},
		{MinX: 100.0, MinY: 13.0, MaxX: 102.0, MaxY: 15.0, ID: 4},
	}, rtree.DefaultNodeSize)
	if err != nil {
		fmt.Println(err)
		return
	}
	// index is what a tileset stores; later, searched where it lies:
	ids, err := rtree.SearchIDs(index, 100.9, 13.9, 101.0, 14.0)
	fmt.Println(ids, err)
	// Output: [2 4] <nil>
}

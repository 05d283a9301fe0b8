package tileset

import (
	"encoding/binary"
	"testing"
)

func TestPositionsRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 5, 9} {
		ids := make([]uint64, n)
		for i := range ids {
			ids[i] = uint64(10*i + 1)
		}
		b := encodePositions(ids, 4, uint16(n))
		p, err := readPositions(b)
		if err != nil {
			t.Fatalf("%d ids: %v", n, err)
		}
		if p.count != uint64(n) || p.stride != 4 || p.flags != uint16(n) {
			t.Errorf("%d ids: count %d stride %d flags %d", n, p.count, p.stride, p.flags)
		}
		for i := 0; i*4 < n; i++ {
			if got := p.at(uint64(i)); got != ids[i*4] {
				t.Errorf("%d ids: entry %d = %d, want %d", n, i, got, ids[i*4])
			}
		}
	}
}

func TestPositionsRejectsCorruptTables(t *testing.T) {
	good := encodePositions([]uint64{1, 2, 3, 4, 5}, 2, 0) // 3 entries
	set := func(off int, v uint64) []byte {
		b := append([]byte(nil), good...)
		binary.LittleEndian.PutUint64(b[off:], v)
		return b
	}
	for name, b := range map[string][]byte{
		"empty":              nil,
		"short header":       good[:20],
		"bad magic":          append([]byte("XXXX"), good[4:]...),
		"newer version":      append(append([]byte("OPPT"), 2, 0), good[6:]...),
		"truncated entries":  good[:len(good)-8],
		"ragged length":      good[:len(good)-3],
		"extra entries":      append(append([]byte(nil), good...), make([]byte, 8)...),
		"zero stride":        set(16, 0),
		"count too large":    set(8, 7),
		"count overflowing":  set(8, ^uint64(0)),
		"stride overflowing": set(16, ^uint64(0)),
	} {
		if _, err := readPositions(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

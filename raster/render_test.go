package raster

import (
	"bytes"
	"image/color"
	"image/png"
	"testing"
)

func TestRampsLoad(t *testing.T) {
	for _, name := range []string{"viridis", "cividis", "rdbu", "terrain"} {
		if RampByName(name) == nil {
			t.Errorf("ramp %s missing", name)
		}
	}
	v := RampByName("viridis")
	if v.Colour(0) != (color.NRGBA{0x44, 0x01, 0x54, 255}) || v.Colour(1) != (color.NRGBA{0xfd, 0xe7, 0x25, 255}) {
		t.Errorf("viridis ends and middle %v %v %v", v.Colour(0), v.Colour(1), v.Colour(0.5))
	}
	// 256 entries have no exact middle: entry 128 is a shade past white.
	if c := RampByName("rdbu").Colour(0.5); c.R != 0xf7 || c.G < 0xf5 || c.B < 0xf4 {
		t.Error("the diverging ramp's middle is not white")
	}
}

func TestRender(t *testing.T) {
	tile := NewTile(4, 1)
	tile.Data[0] = 10 // low end
	tile.Data[1] = 20 // high end
	tile.Data[2] = 0  // a value, not nodata
	ramp := RampByName("viridis")
	img := Render(tile, 0, Window{0, 0, 4}, 8, ramp, 10, 20)
	if img.NRGBAAt(0, 0) != ramp.Colour(0) || img.NRGBAAt(2, 0) != ramp.Colour(1) || img.NRGBAAt(4, 0) != ramp.Colour(0) {
		t.Errorf("pixels %v %v %v", img.NRGBAAt(0, 0), img.NRGBAAt(2, 0), img.NRGBAAt(4, 0))
	}
	if img.NRGBAAt(7, 7).A != 0 {
		t.Error("nodata is not transparent")
	}
	// The north-east quarter drawn over the whole tile.
	img = Render(tile, 0, Window{2, 0, 2}, 4, ramp, 10, 20)
	if img.NRGBAAt(0, 0) != ramp.Colour(0) || img.NRGBAAt(2, 0).A != 0 {
		t.Errorf("window pixels %v %v", img.NRGBAAt(0, 0), img.NRGBAAt(2, 0))
	}
	b, err := PNG(img)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Error(err)
	}
}

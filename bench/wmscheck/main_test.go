package main

import (
	"image"
	"image/color"
	"strings"
	"testing"
)

// A map of two units, left and right, with a dark line between them.
func twoUnits() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 60, 40))
	for y := range 40 {
		for x := range 60 {
			c := color.RGBA{0xE8, 0x42, 0x6A, 255}
			switch {
			case x == 30:
				c = color.RGBA{0x25, 0x25, 0x25, 255}
			case x > 30:
				c = color.RGBA{0xB1, 0x6A, 0x8A, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

var units = []unit{{"A", [3]uint8{0xE8, 0x42, 0x6A}}, {"B", [3]uint8{0xB1, 0x6A, 0x8A}}}

func TestSameMapsAgree(t *testing.T) {
	a, b := twoUnits(), twoUnits()
	// Edges may differ (antialiasing): only the insides are compared.
	for y := range 40 {
		b.SetRGBA(29, y, color.RGBA{0x90, 0x30, 0x40, 255})
	}
	tl, err := compare(a, b, units, 3)
	if err != nil {
		t.Fatal(err)
	}
	if tl.a[0].inside == 0 || tl.a[0].agree != tl.a[0].inside || tl.b[1].agree != tl.b[1].inside {
		t.Fatalf("counts %+v %+v", tl.a, tl.b)
	}
	if err := report(tl, "a", "b", 10); err != nil {
		t.Fatal(err)
	}
}

func TestWrongColourInsideAUnitFails(t *testing.T) {
	a, b := twoUnits(), twoUnits()
	// b paints unit B 5 levels of green off: past the tolerance of 2.
	for y := range 40 {
		for x := 31; x < 60; x++ {
			b.SetRGBA(x, y, color.RGBA{0xB1, 0x6A + 5, 0x8A, 255})
		}
	}
	tl, err := compare(a, b, units, 3)
	if err != nil {
		t.Fatal(err)
	}
	err = report(tl, "a", "b", 10)
	if err == nil || !strings.Contains(err.Error(), "B") {
		t.Fatalf("a unit painted another colour passed: %v", err)
	}
}

func TestSizesMustMatch(t *testing.T) {
	if _, err := compare(twoUnits(), image.NewRGBA(image.Rect(0, 0, 10, 10)), units, 3); err == nil {
		t.Fatal("images of different sizes compared")
	}
}

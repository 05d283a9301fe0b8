package main

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// TestGeneratedFileIsCurrent regenerates vocabularies.json from the Turtle
// and compares it byte for byte with the committed one, so that the embedded
// data is provably the generator's output and not edited by hand. It needs
// rapper (Debian: raptor2-utils).
func TestGeneratedFileIsCurrent(t *testing.T) {
	if _, err := exec.LookPath("rapper"); err != nil {
		t.Skip("rapper not installed (apt-get install raptor2-utils); generator output not checked")
	}
	got, err := generate("../../ttl")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../vocabularies.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("vocab/vocabularies.json is not what the generator makes of vocab/ttl; run `go generate ./vocab/`")
	}
}

// BenchmarkGenerate measures the full Turtle conversion, rapper included:
// the cost the generator spares every program that embeds the result.
func BenchmarkGenerate(b *testing.B) {
	if _, err := exec.LookPath("rapper"); err != nil {
		b.Skip("rapper not installed")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := generate("../../ttl"); err != nil {
			b.Fatal(err)
		}
	}
}

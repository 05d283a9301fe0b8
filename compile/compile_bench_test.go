package compile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCompileFixture compiles the test fixture (two maps of 8 units
// along 80 km of the Thailand–Lao border) into a fresh store each time. The
// benchmark at scale, beside ingest, is bench/compile.sh (make
// bench-compile).
func BenchmarkCompileFixture(b *testing.B) {
	dir := b.TempDir()
	fx := newFixture(b, dir)
	cfg, err := LoadConfig(fx.config)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		store := filepath.Join(dir, fmt.Sprintf("store%d", i))
		if err := os.Mkdir(store, 0o755); err != nil {
			b.Fatal(err)
		}
		if _, err := Run(context.Background(), cfg, Options{Store: store, MaxZoom: 12}); err != nil {
			b.Fatal(err)
		}
	}
}

// Command servefixture prepares the serving benchmark from one tileset file:
// the list of its tile URLs, in a fixed shuffled order, for wrk to cycle
// through, and the same tiles as static files for nginx, holding exactly
// the gzip bytes that outcrop serves.
//
//	servefixture --tileset STORE/ID.tileset --out DIR [--max N]
//
// writes DIR/urls.txt (one path a line, /tiles/ID/Z/X/Y.mvt) and
// DIR/www/tiles/ID/Z/X/Y.mvt.gz (for nginx's gzip_static), and prints the
// number of tiles and their mean size.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/outcrop/outcrop/tileset"
)

func main() {
	path := flag.String("tileset", "", "tileset file to export (required)")
	out := flag.String("out", "", "directory to write urls.txt and www/ into (required)")
	max := flag.Int("max", 20000, "at most this many tiles, taken evenly across the tileset (0: all)")
	flag.Parse()
	if *path == "" || *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: servefixture --tileset FILE --out DIR [--max N]")
		os.Exit(2)
	}
	if err := run(*path, *out, *max); err != nil {
		fmt.Fprintln(os.Stderr, "servefixture:", err)
		os.Exit(1)
	}
}

type tileRef struct{ z, x, y int }

func run(path, out string, max int) error {
	r, err := tileset.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	id := r.Metadata().ID

	var all []tileRef
	if err := r.ForEach(func(z, x, y int, _ []byte) error {
		all = append(all, tileRef{z, x, y})
		return nil
	}); err != nil {
		return err
	}
	if len(all) == 0 {
		return fmt.Errorf("%s holds no tiles", path)
	}
	// An even sample keeps every zoom in its share; the fixed shuffle mixes
	// zooms and places, as many map clients at once would, and is the same
	// on every run so that runs compare.
	chosen := all
	if max > 0 && len(all) > max {
		chosen = make([]tileRef, max)
		for i := range chosen {
			chosen[i] = all[i*len(all)/max]
		}
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(chosen), func(i, j int) { chosen[i], chosen[j] = chosen[j], chosen[i] })

	urls, err := os.Create(filepath.Join(out, "urls.txt"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(urls)
	var bytes int64
	for _, t := range chosen {
		rel := filepath.Join("tiles", id, strconv.Itoa(t.z), strconv.Itoa(t.x), strconv.Itoa(t.y)+".mvt")
		fmt.Fprintf(w, "/%s\n", filepath.ToSlash(rel))
		file := filepath.Join(out, "www", rel+".gz")
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		if _, err := r.Tile(t.z, t.x, t.y, func(gz []byte) error {
			bytes += int64(len(gz))
			return os.WriteFile(file, gz, 0o644)
		}); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := urls.Close(); err != nil {
		return err
	}
	fmt.Printf("%d tiles of %d in %s, mean %d bytes gzipped\n", len(chosen), len(all), id, bytes/int64(len(chosen)))
	return nil
}

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/outcrop/outcrop/objstore"
	"github.com/outcrop/outcrop/tileset"
)

func init() {
	register("publish", command{"push a tileset's current version to S3-compatible object storage, for replicas that serve --sync", runPublish})
}

// runPublish pushes one tileset of a store to object storage: the version's
// object first, then the manifest that makes it current.
func runPublish(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("publish", "publish --store DIR --id ID s3://BUCKET/PREFIX", stderr)
	dir := fs.String("store", "", "store directory holding the tileset (required)")
	id := fs.String("id", "", "the tileset to publish (required)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return usageError{"no location given; e.g. outcrop publish --store DIR --id ID s3://BUCKET/PREFIX"}
	case len(rest) > 1:
		return usageError{fmt.Sprintf("unexpected argument %q; publish takes one s3://BUCKET/PREFIX", rest[1])}
	case *dir == "":
		return usageError{"--store is required: the store directory outcrop ingest wrote the tileset to"}
	case *id == "":
		return usageError{"--id is required: the tileset to publish"}
	}
	if err := tileset.ValidateID(*id); err != nil {
		return usageError{fmt.Sprintf("--id %q: %v", *id, err)}
	}
	loc, err := objstore.ParseLocation(rest[0])
	if err != nil {
		return usageError{err.Error()}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := objstore.NewClient(ctx, loc)
	if err != nil {
		return err
	}
	m, err := c.Publish(ctx, *dir, *id)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "outcrop publish: %s version %s is current at %s (%d bytes, sha256 %s)\n", m.ID, m.Version, c.ObjectURL(m), m.Size, m.SHA256)
	return nil
}

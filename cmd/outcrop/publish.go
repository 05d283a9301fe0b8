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
// object first, then the manifest that makes it current; or, with --delete,
// writes the manifest that withdraws it from the replicas.
func runPublish(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("publish", "publish --store DIR --id ID s3://BUCKET/PREFIX\n       outcrop publish --delete --id ID s3://BUCKET/PREFIX", stderr)
	dir := fs.String("store", "", "store directory holding the tileset (required, but with --delete)")
	id := fs.String("id", "", "the tileset to publish (required)")
	partMiB := fs.Int64("part-size", 0, "MiB per part of a multipart upload, 5 to 5120; 0 chooses it for the file (16 MiB, more past 80 GiB)")
	del := fs.Bool("delete", false, "withdraw tileset --id: write a manifest saying it is deleted, so that replicas remove it at their next sync")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return usageError{"no location given; e.g. outcrop publish --store DIR --id ID s3://BUCKET/PREFIX"}
	case len(rest) > 1:
		return usageError{fmt.Sprintf("unexpected argument %q; publish takes one s3://BUCKET/PREFIX", rest[1])}
	case *del && *dir != "":
		return usageError{"--delete takes no --store: it withdraws the published tileset, whatever the store holds"}
	case !*del && *dir == "":
		return usageError{"--store is required: the store directory outcrop ingest wrote the tileset to"}
	case *id == "":
		return usageError{"--id is required: the tileset to publish"}
	case *partMiB != 0 && (*partMiB < objstore.MinPartSize>>20 || *partMiB > objstore.MaxPartSize>>20):
		return usageError{fmt.Sprintf("--part-size %d is not between %d and %d MiB, the part sizes S3 accepts", *partMiB, objstore.MinPartSize>>20, objstore.MaxPartSize>>20)}
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
	if *del {
		m, err := c.Delete(ctx, *id)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "outcrop publish: %s is deleted at %s; replicas remove it at their next sync\n", m.ID, c.ManifestURL(m))
		return nil
	}
	c.PartSize = *partMiB << 20
	m, err := c.Publish(ctx, *dir, *id)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "outcrop publish: %s version %s is current at %s (%d bytes, sha256 %s)\n", m.ID, m.Version, c.ObjectURL(m), m.Size, m.SHA256)
	return nil
}

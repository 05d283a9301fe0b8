package ingest

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/outcrop/outcrop/tileset"
)

// ReadAttributes reads the attributes of every feature of file as Run reads
// them (through GDAL, with opts.SourceLayer and opts.Encoding: zips, layers
// and legacy encodings included) and hands each feature's properties to
// each, in order; geometries are not read. It returns the layer's fields.
// `outcrop mapping init` drafts a mapping from them.
func ReadAttributes(ctx context.Context, file string, opts Options, each func(props map[string]any)) (fields []tileset.Field, err error) {
	defer func() {
		if p := recover(); p != nil {
			fields, err = nil, fmt.Errorf("%s: internal error while reading (%v): please report this with the file", file, p)
		}
	}()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s, err := openSource(file, opts, log)
	if err != nil {
		return nil, err
	}
	defer s.release()
	attrs, err := attributeSchema(s, log)
	if err != nil {
		return nil, err
	}
	var n uint64
	for {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		f, err := s.layer.NextFeature()
		if err != nil {
			return nil, fileErr(s.file, "reading feature %d: %v; the file is corrupt or truncated: export it again from its source", n+1, err)
		}
		if f == nil {
			break
		}
		n++
		props, err := attributeValues(s, f, attrs)
		f.Close()
		if err != nil {
			return nil, s.attributeErr(n, err)
		}
		each(props)
	}
	s.warn.flush()
	return schemaFields(attrs), nil
}

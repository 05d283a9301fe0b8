package ingest

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Print writes the summary as a small table for people.
func (s *Summary) Print(w io.Writer) {
	if s.Raster != nil {
		s.printRaster(w)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	source := s.File
	if s.Layer != "" {
		source += " (layer " + s.Layer
		if s.Driver != "" {
			source += ", " + s.Driver
		}
		source += ")"
	}
	fmt.Fprintf(tw, "source\t%s\n", source)
	if s.SourceCRS != "" {
		fmt.Fprintf(tw, "source CRS\t%s\n", s.SourceCRS)
	}
	var skipped int64
	for _, n := range s.Skipped {
		skipped += n
	}
	fmt.Fprintf(tw, "features\t%d read, %d repaired, %d skipped, %d written\n", s.Read, s.Repaired, skipped, s.Written)
	if s.ReprojRepaired > 0 {
		fmt.Fprintf(tw, "  repaired\t%d after reprojection and rounding\n", s.ReprojRepaired)
	}
	if s.DegenerateParts > 0 {
		fmt.Fprintf(tw, "  dropped\t%d degenerate parts (spikes, zero-area rings, zero-length lines) of %d features\n", s.DegenerateParts, s.DegenerateFeatures)
	}
	for _, reason := range sortedKeys(s.Skipped) {
		fmt.Fprintf(tw, "  skipped\t%d %s\n", s.Skipped[reason], reason)
	}
	for i, f := range s.Unrepairable {
		if i == maxPrintedUnrepairable {
			fmt.Fprintf(tw, "  \t… %d more\n", s.Skipped[skipUnrepairable]-int64(i))
			break
		}
		fmt.Fprintf(tw, "  \tFID %d (feature %d): %s\n", f.FID, f.Number, f.Reason)
	}
	if s.MaxZoomReason != "" {
		fmt.Fprintf(tw, "max zoom\t%s\n", s.MaxZoomReason)
	}
	if d := s.Dates; d != nil {
		line := fmt.Sprintf("%s: %d dated, %d without a date", d.Field, d.Dated, d.Missing)
		if d.Invalid > 0 {
			line += fmt.Sprintf(", %d not a date (such as %q)", d.Invalid, d.Example)
		}
		if d.Missing+d.Invalid > 0 {
			line += "; datetime queries select the undated always"
		}
		fmt.Fprintf(tw, "time field\t%s\n", line)
	}
	tw.Flush()

	if len(s.Zooms) > 0 {
		fmt.Fprintln(w)
		zt := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(zt, "zoom\ttiles\tbytes\tlargest\tfeatures\tkept\tmerged\tdropped\t")
		var tiles, bytes int64
		for _, z := range s.Zooms {
			fmt.Fprintf(zt, "%d\t%d\t%s\t%s\t%d\t%d\t%d\t%d\t\n", z.Zoom, z.Tiles, byteSize(z.Bytes), byteSize(z.MaxBytes), z.Features, z.Kept, z.Merged, z.Dropped)
			tiles += z.Tiles
			bytes += z.Bytes
		}
		fmt.Fprintf(zt, "all\t%d\t%s\t\t\t\t\t\t\n", tiles, byteSize(bytes))
		zt.Flush()
		fmt.Fprintln(w)
	}

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "tileset file\t%s\n", byteSize(s.Bytes))
	fmt.Fprintf(tw, "time\t%s\n", s.Duration.Round(10*time.Millisecond))
	tw.Flush()
}

// maxPrintedUnrepairable bounds the unrepairable features the summary lists.
const maxPrintedUnrepairable = 20

// byteSize writes n in decimal units: 512 B, 12.3 kB, 4.5 MB.
func byteSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

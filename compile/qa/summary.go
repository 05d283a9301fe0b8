package qa

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Print writes the summary for people, as outcrop compile prints it.
func (r *Report) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range r.Pairs {
		fmt.Fprintf(tw, "border %s–%s\t%.1f km\n", p.Countries[0], p.Countries[1], p.BorderKm)
		for _, c := range Classes {
			fmt.Fprintf(tw, "  %s\t%.2f km\t%.1f %%\n", c, p.BorderKmByClass.Get(c), 100*p.BorderShare.Get(c))
		}
		fmt.Fprintf(tw, "  gaps\t%d\t%.3f km²\n", p.Gaps.Count, p.Gaps.AreaKm2)
		fmt.Fprintf(tw, "  overlaps\t%d\t%.3f km²\n", p.Overlaps.Count, p.Overlaps.AreaKm2)
		fmt.Fprintf(tw, "  dangling lines\t%d\n", p.Dangling)
		fmt.Fprintf(tw, "  line ends snapped\t%d\n", p.SnappedLineEnds)
	}
	tw.Flush()
}

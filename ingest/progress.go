package ingest

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is a phase's progress display.
type progress interface {
	Add(n int)
	Finish()
}

type noProgress struct{}

func (noProgress) Add(int) {}
func (noProgress) Finish() {}

type bar struct{ b *progressbar.ProgressBar }

func (b bar) Add(n int) { _ = b.b.Add(n) }
func (b bar) Finish()   { _ = b.b.Finish() }

// newProgress returns a progress bar on w for a phase of total units (-1:
// unknown, a spinner), or a silent one when w is not a terminal, so that
// logs and pipes get no control characters.
func newProgress(w io.Writer, description, unit string, total int64) progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return noProgress{}
	}
	return bar{progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
	)}
}

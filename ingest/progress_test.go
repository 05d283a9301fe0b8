package ingest

import (
	"bytes"
	"os"
	"testing"
)

func TestProgressQuietOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, "reading", "features", 10)
	p.Add(5)
	p.Finish()
	if buf.Len() != 0 {
		t.Errorf("progress wrote %q to a buffer", buf.String())
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, ok := newProgress(f, "reading", "features", 10).(noProgress); !ok {
		t.Error("progress bar drawn into a regular file")
	}
	if _, ok := newProgress(nil, "reading", "features", 10).(noProgress); !ok {
		t.Error("progress bar without a writer")
	}
}

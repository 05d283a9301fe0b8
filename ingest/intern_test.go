package ingest

import (
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// textData is where a boxed string's bytes are, to tell a shared copy from an
// equal one.
func textData(t *testing.T, v any) *byte {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("got %T, want string", v)
	}
	return unsafe.StringData(s)
}

func TestValuesShareRepeatedText(t *testing.T) {
	var v values
	// Distinct strings with equal text, as GDAL hands out per feature.
	a := v.text(strings.Clone("orogenic gold"))
	b := v.text(strings.Clone("orogenic gold"))
	if a != b || textData(t, a) != textData(t, b) {
		t.Fatalf("equal texts got separate copies: %q at %p, %q at %p", a, textData(t, a), b, textData(t, b))
	}
	if c := v.text("porphyry"); c != "porphyry" || textData(t, c) == textData(t, a) {
		t.Fatalf("a different text got %q", c)
	}
}

func TestValuesTableIsBounded(t *testing.T) {
	var v values
	long := strings.Repeat("x", internMaxLen+1)
	if got := v.text(long); got != long || len(v.m) != 0 {
		t.Fatalf("long text: got %d bytes, table %d entries; want it returned and not kept", len(got.(string)), len(v.m))
	}
	for i := range internMaxValues + 10 {
		s := strconv.Itoa(i)
		if got := v.text(s); got != s {
			t.Fatalf("text %q came back as %q", s, got)
		}
	}
	if len(v.m) != internMaxValues {
		t.Fatalf("table holds %d texts, want at most %d", len(v.m), internMaxValues)
	}
	// Texts seen before the table filled are still shared.
	if a, b := v.text(strings.Clone("7")), v.text(strings.Clone("7")); textData(t, a) != textData(t, b) {
		t.Fatal("a text kept before the table filled is no longer shared")
	}
}

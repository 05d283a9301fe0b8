package tileset

import (
	"strings"
	"testing"
)

func TestValidateID(t *testing.T) {
	good := []string{"a", "0", "geology", "gswa-hamersley_faults", "usgs-porphyry-cu-2008", strings.Repeat("a", 64)}
	for _, id := range good {
		if err := ValidateID(id); err != nil {
			t.Errorf("ValidateID(%q) = %v, want nil", id, err)
		}
	}
	bad := []string{"", "-a", "_a", "A", "Geology", "a.b", "a/b", "../a", ".hidden", "a b", "é", strings.Repeat("a", 65), "a\n"}
	for _, id := range bad {
		err := ValidateID(id)
		if err == nil {
			t.Errorf("ValidateID(%q) = nil, want an error", id)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, IDRule) || strings.Contains(msg, "\n") && !strings.Contains(id, "\n") {
			t.Errorf("ValidateID(%q) = %q: want one line naming the rule", id, msg)
		}
		if !strings.Contains(msg, "tileset id ") {
			t.Errorf("ValidateID(%q) = %q: want the id named", id, msg)
		}
	}
}

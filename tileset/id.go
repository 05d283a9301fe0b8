package tileset

import (
	"fmt"
	"regexp"
)

// IDRule is the pattern every tileset id must match. Ids appear in file names
// and URL paths, so they are restricted to characters that need no escaping in
// either and cannot name a hidden file.
const IDRule = `^[a-z0-9][a-z0-9_-]{0,63}$`

var idPattern = regexp.MustCompile(IDRule)

// ValidateID reports, in one line naming the id and the rule, why id cannot be
// a tileset id; nil when it can.
func ValidateID(id string) error {
	if idPattern.MatchString(id) {
		return nil
	}
	return fmt.Errorf("invalid tileset id %q: it must match %s (1 to 64 lower-case letters, digits, '_' or '-', starting with a letter or digit)", id, IDRule)
}

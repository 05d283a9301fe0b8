package server

import (
	"errors"
	"net/http"

	"github.com/outcrop/outcrop/tileset"
)

// readFailureStatus is the status of a request whose read from a tileset
// failed with err: 503 when the file is damaged (a checksum that does not
// match, a page bbolt cannot read, a file truncated or overwritten in place
// under the server), since the tileset is unavailable until its file is
// replaced, and 500 for anything else. The error, logged by the caller,
// names the file and the key.
func readFailureStatus(err error) int {
	if errors.Is(err, tileset.ErrDamaged) {
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

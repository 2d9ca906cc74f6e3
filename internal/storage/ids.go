package storage

import (
	"strings"

	"github.com/google/uuid"
)

// Ids are UUIDs, stored as text on SQLite and as uuid on PostgreSQL, where
// comparing a uuid column with a malformed string is an error rather than
// no match. Every query therefore drops malformed ids first, so that both
// databases return "not found" for them.

// validID reports whether id is a UUID in its canonical 36-character form,
// in lower case as the server writes ids. PostgreSQL would also match an
// upper-case id while SQLite compares text, so both refuse it alike.
func validID(id string) bool {
	if len(id) != 36 || strings.ToLower(id) != id {
		return false
	}

	_, err := uuid.Parse(id)
	return err == nil
}

// validIDs returns the ids that are UUIDs, in order.
func validIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if validID(id) {
			out = append(out, id)
		}
	}

	return out
}

// ValidID reports whether id can name a row, for callers that check ids
// before they reach storage, such as cursors.
func ValidID(id string) bool {
	return validID(id)
}

package graph

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/storage"
)

// Page sizes of connections.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// pageSize checks a connection's first argument.
func pageSize(first *int) (int, error) {
	if first == nil {
		return defaultPageSize, nil
	}
	if *first < 0 {
		return 0, apperr.Field("first", "first is %d: give a number from 0 to %d", *first, maxPageSize)
	}
	if *first > maxPageSize {
		return 0, apperr.Field("first", "first is %d, over the maximum of %d: ask for at most %d", *first, maxPageSize, maxPageSize)
	}

	return *first, nil
}

// Cursors are opaque to clients: base64url of "kind:value", where value is
// the sort key of the row (a project id or a version number). The kind
// keeps a cursor of one list from being used on another.
const (
	projectCursor = "project"
	versionCursor = "version"
)

func encodeCursor(kind, value string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + value))
}

func decodeCursor(kind string, after *string) (string, error) {
	if after == nil || *after == "" {
		return "", nil
	}

	raw, err := base64.RawURLEncoding.DecodeString(*after)
	prefix, value, ok := strings.Cut(string(raw), ":")
	if err != nil || !ok || prefix != kind || value == "" {
		return "", notACursor(*after)
	}
	if kind == projectCursor && !storage.ValidID(value) {
		return "", notACursor(*after)
	}

	return value, nil
}

func decodeVersionCursor(after *string) (int, error) {
	value, err := decodeCursor(versionCursor, after)
	if err != nil || value == "" {
		return 0, err
	}

	n, err := strconv.Atoi(value)
	if err != nil || n < 1 {
		return 0, notACursor(*after)
	}

	return n, nil
}

// notACursor rejects an after argument. A cursor is short, so a long value
// is cut in the message rather than sent back whole.
func notACursor(after string) error {
	return apperr.Field("after", "%q is not a cursor of this list: pass the endCursor of the previous page", truncate(after, 64))
}

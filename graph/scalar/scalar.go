// Package scalar marshals the custom GraphQL scalars Time and JSON.
package scalar

import (
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/orquestra/orquestra/internal/apperr"
)

// MarshalTime writes a time as an RFC 3339 string in UTC.
func MarshalTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalTime reads an RFC 3339 string.
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, apperr.New(apperr.Invalid, "a Time must be an RFC 3339 string such as \"2026-01-02T15:04:05Z\", not %v", v)
	}

	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, apperr.New(apperr.Invalid, "invalid Time %q: use RFC 3339 with a time zone, such as \"2026-01-02T15:04:05Z\"", s)
	}

	return t.UTC(), nil
}

// MarshalRawJSON writes stored JSON as it is. The value must be valid JSON,
// which every stored IDL is, because uploads are checked before storing.
func MarshalRawJSON(raw json.RawMessage) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		if len(raw) == 0 {
			_, _ = io.WriteString(w, "null")
			return
		}
		_, _ = w.Write(raw)
	})
}

// UnmarshalRawJSON accepts any JSON value as input.
func UnmarshalRawJSON(v any) (json.RawMessage, error) {
	return json.Marshal(v)
}

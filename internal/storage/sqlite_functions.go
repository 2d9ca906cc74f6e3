package storage

import (
	"database/sql/driver"
	"strings"

	"modernc.org/sqlite"
)

// sqliteLower names the SQL function that lower-cases text by Unicode's
// rules on SQLite, where LOWER changes only the letters A to Z. Search
// lower-cases the term in Go, so both sides must follow the same rules.
const sqliteLower = "orquestra_lower"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(sqliteLower, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		default:
			return v, nil
		}
	})
}

package storage

import (
	"database/sql"
	"errors"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/orquestra/orquestra/internal/apperr"
)

// notFound turns sql.ErrNoRows into an apperr.NotFound with the given
// message and passes other errors through.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, format, args...)
	}

	return err
}

// isUniqueViolation reports whether err is a unique-key violation, and on
// which constraint columns when the driver says.
func isUniqueViolation(err error) (string, bool) {
	var sqliteErr *sqlite.Error
	if !errors.As(err, &sqliteErr) {
		return "", false
	}

	code := sqliteErr.Code()
	if code != sqlite3.SQLITE_CONSTRAINT_UNIQUE && code != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY {
		return "", false
	}

	// The message reads "UNIQUE constraint failed: projects.user_id, projects.program_id".
	_, columns, _ := strings.Cut(sqliteErr.Error(), "failed: ")
	return columns, true
}

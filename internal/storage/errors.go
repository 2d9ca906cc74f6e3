package storage

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
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
// which constraint or columns when the driver reports them.
func isUniqueViolation(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// The constraint name reads like "projects_user_id_program_id_key".
		return pgErr.ConstraintName, pgErr.Code == pgUniqueViolation
	}

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

// pgUniqueViolation is PostgreSQL's SQLSTATE for unique_violation.
const pgUniqueViolation = "23505"

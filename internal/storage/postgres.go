package storage

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/orquestra/orquestra/migrations"
	"github.com/orquestra/orquestra/models"
)

// PostgresPoolSize caps the connections one server opens to PostgreSQL.
const PostgresPoolSize = 20

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openPostgres connects to PostgreSQL and pings it.
func openPostgres(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	sqldb, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	sqldb.SetMaxOpenConns(PostgresPoolSize)
	sqldb.SetMaxIdleConns(PostgresPoolSize)

	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("connect to PostgreSQL at %s: %w", Redact(dsn), err)
	}

	s := &Store{dialect: migrations.PostgreSQL, log: log, dsn: dsn}
	db := bun.NewDB(sqldb, pgdialect.New())
	db.AddQueryHook(&queryHook{store: s})
	s.read, s.write = db, db
	s.warnASCIILocale(ctx)

	return s, nil
}

// warnASCIILocale logs a warning when the database's character type is C
// or POSIX, where LOWER changes only A to Z, so that project search would
// tell capital and small non-ASCII letters apart.
func (s *Store) warnASCIILocale(ctx context.Context) {
	var ctype string
	if err := s.read.QueryRowContext(ctx, "SHOW lc_ctype").Scan(&ctype); err != nil {
		s.log.WarnContext(ctx, "read the database's lc_ctype", "err", err)
		return
	}
	if ctype == "C" || ctype == "POSIX" {
		s.log.WarnContext(ctx, "the database's lc_ctype is "+ctype+", so search matches non-ASCII letters only in the same case: create the database with a UTF-8 locale such as C.UTF-8", "lc_ctype", ctype)
	}
}

// Redact hides the password of a PostgreSQL connection URL, for messages
// and logs. A SQLite path is returned as it is.
func Redact(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}

	credentials := dsn[scheme+3 : at]
	if user, _, ok := strings.Cut(credentials, ":"); ok {
		return dsn[:scheme+3] + user + ":***" + dsn[at:]
	}

	return dsn
}

// lockProject checks that the project exists and, on PostgreSQL, takes its
// row lock for the rest of the transaction, so that two transactions that
// read the project's rows and then write run one after the other. SQLite's
// single writer already serialises them.
func (s *Store) lockProject(ctx context.Context, tx bun.Tx, projectID string) error {
	q := tx.NewSelect().Model((*models.Project)(nil)).Column("p.id").Where("p.id = ?", projectID)
	if s.dialect.Name == migrations.PostgreSQL.Name {
		q = q.For("UPDATE")
	}

	var id string
	if err := q.Scan(ctx, &id); err != nil {
		return notFound(err, "project %s not found", projectID)
	}
	return nil
}

// lowerFunction is the SQL function that lower-cases text by Unicode's
// rules, as strings.ToLower does: PostgreSQL's LOWER, and on SQLite, whose
// LOWER changes only A to Z, the function registered in sqlite_functions.go.
func (s *Store) lowerFunction() string {
	if s.dialect.Name == migrations.PostgreSQL.Name {
		return "LOWER"
	}
	return sqliteLower
}

// DSN returns the PostgreSQL connection URL the store was opened with, or
// "" for SQLite, for the listener of change notifications.
func (s *Store) DSN() string {
	return s.dsn
}

// Package storage runs every database query of the server and owns the
// connection setup: SQLite by default, with one writer connection and a pool
// of readers under WAL.
package storage

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/orquestra/orquestra/migrations"
)

// BusyTimeout is how long a SQLite connection waits for a lock before it
// reports the database as busy.
const BusyTimeout = 10 * time.Second

// Store is the database. On SQLite, reads go to a pool of reader
// connections and every write goes through the single writer connection,
// whose transactions start with BEGIN IMMEDIATE, so concurrent mutations
// wait for each other instead of failing with "database is locked". On
// PostgreSQL one pool serves both.
type Store struct {
	read    *bun.DB
	write   *bun.DB
	dialect migrations.Dialect
	log     *slog.Logger
	queries atomic.Int64
	// dsn is the PostgreSQL connection URL; empty on SQLite.
	dsn string
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL
// selects PostgreSQL, anything else is a SQLite file path.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn, log)
	}

	return openSQLite(ctx, dsn, log)
}

// openSQLite opens the SQLite database at path, creating the file if
// needed, and checks that foreign keys, WAL and the busy timeout are in force.
func openSQLite(ctx context.Context, path string, log *slog.Logger) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("open database: the path is empty: give a SQLite file path with -db")
	}
	if strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") || path == ":memory:" {
		return nil, fmt.Errorf("open database %q: give a plain file path without '?', '#' or a file: prefix", path)
	}

	s := &Store{dialect: migrations.SQLite, log: log}

	write, err := s.openPool(path, 1, "_txlock=immediate", "_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, err
	}
	s.write = write

	readers := max(4, 2*runtime.NumCPU())
	read, err := s.openPool(path, readers, "_txlock=deferred", "_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, err
	}
	s.read = read

	if err := s.checkPragmas(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w: check that its folder exists and is writable", path, err)
	}

	return s, nil
}

func (s *Store) openPool(path string, conns int, options ...string) (*bun.DB, error) {
	params := append([]string{
		"_pragma=foreign_keys(1)",
		fmt.Sprintf("_pragma=busy_timeout(%d)", BusyTimeout.Milliseconds()),
		"_pragma=synchronous(NORMAL)",
	}, options...)

	sqldb, err := sql.Open("sqlite", path+"?"+strings.Join(params, "&"))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	sqldb.SetMaxOpenConns(conns)
	sqldb.SetMaxIdleConns(conns)
	sqldb.SetConnMaxLifetime(0)

	db := bun.NewDB(sqldb, sqlitedialect.New())
	db.AddQueryHook(&queryHook{store: s})

	return db, nil
}

// Pragmas are the SQLite settings of one connection.
type Pragmas struct {
	JournalMode string
	BusyTimeout int
	ForeignKeys int
}

// ReadPragmas reads the settings of a connection of the writer and of the
// reader pool. It works on SQLite only.
func (s *Store) ReadPragmas(ctx context.Context) (write, read Pragmas, err error) {
	if s.dialect.Name != migrations.SQLite.Name {
		return write, read, fmt.Errorf("read pragmas: the database is %s, not SQLite", s.dialect.Name)
	}
	if write, err = readPragmas(ctx, s.write); err != nil {
		return write, read, err
	}
	read, err = readPragmas(ctx, s.read)
	return write, read, err
}

func readPragmas(ctx context.Context, db *bun.DB) (Pragmas, error) {
	var p Pragmas

	conn, err := db.Conn(ctx)
	if err != nil {
		return p, fmt.Errorf("open database connection: %w", err)
	}
	defer conn.Close()

	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&p.JournalMode); err != nil {
		return p, fmt.Errorf("read journal_mode: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&p.BusyTimeout); err != nil {
		return p, fmt.Errorf("read busy_timeout: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&p.ForeignKeys); err != nil {
		return p, fmt.Errorf("read foreign_keys: %w", err)
	}

	return p, nil
}

func (s *Store) checkPragmas(ctx context.Context) error {
	write, read, err := s.ReadPragmas(ctx)
	if err != nil {
		return err
	}

	for _, p := range []Pragmas{write, read} {
		if !strings.EqualFold(p.JournalMode, "wal") || p.ForeignKeys != 1 || p.BusyTimeout < 5000 {
			return fmt.Errorf("database settings not in force (journal_mode=%s foreign_keys=%d busy_timeout=%d): the SQLite driver ignored its connection options", p.JournalMode, p.ForeignKeys, p.BusyTimeout)
		}
	}

	return nil
}

// Dialect returns the database's dialect: migrations.SQLite or migrations.PostgreSQL.
func (s *Store) Dialect() migrations.Dialect {
	return s.dialect
}

// Migrate applies the pending migrations and returns their versions.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	return migrations.Up(ctx, s.write, s.dialect)
}

// PendingMigrations returns the versions of the migrations not yet applied.
func (s *Store) PendingMigrations(ctx context.Context) ([]string, error) {
	return migrations.Pending(ctx, s.read, s.dialect)
}

// Ping checks that the database is reachable.
func (s *Store) Ping(ctx context.Context) error {
	return s.read.PingContext(ctx)
}

// Close closes every connection.
func (s *Store) Close() error {
	var first error
	for i, db := range []*bun.DB{s.read, s.write} {
		if db == nil || (i == 1 && db == s.read) {
			continue
		}
		if err := db.Close(); err != nil && first == nil {
			first = err
		}
	}

	return first
}

// Queries returns how many SQL statements the store has run.
func (s *Store) Queries() int64 {
	return s.queries.Load()
}

// DB returns the reader pool for queries that have no function here, such
// as the integrity checks of tests.
func (s *Store) DB() *bun.DB {
	return s.read
}

// WriteDB returns the writer connection for tests that change rows directly.
func (s *Store) WriteDB() *bun.DB {
	return s.write
}

// inTx runs fn in a write transaction on the single writer connection.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return s.write.RunInTx(ctx, nil, fn)
}

// queryHook counts statements and logs each at debug level.
type queryHook struct {
	store *Store
}

func (h *queryHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (h *queryHook) AfterQuery(ctx context.Context, event *bun.QueryEvent) {
	h.store.queries.Add(1)

	if h.store.log != nil && h.store.log.Enabled(ctx, slog.LevelDebug) {
		query := event.Query
		// bun writes values into the SQL text, and the settings table holds
		// the JWT signing secret.
		if strings.Contains(query, `"settings"`) || strings.Contains(query, "settings ") {
			query = "(a statement on the settings table, not logged: it holds secrets)"
		}
		h.store.log.DebugContext(ctx, "sql", "duration", time.Since(event.StartTime), "query", query)
	}
}

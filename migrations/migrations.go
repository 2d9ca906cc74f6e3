// Package migrations holds the SQL schema migrations and applies them.
//
// Each migration is a pair of files, VERSION_name.up.sql and
// VERSION_name.down.sql, where VERSION is a 14-digit UTC timestamp. The SQL
// is a text/template: the few types that differ between SQLite and
// PostgreSQL are written as {{.ID}}, {{.Time}} and {{.BigInt}} and filled
// from one Dialect value, so each migration exists once for both databases.
//
// On PostgreSQL ids are uuid, times timestamptz and flags boolean. The IDL
// stays text rather than jsonb, because jsonb reorders keys and drops
// whitespace, and the server must return the uploaded bytes, whose SHA-256
// it reports.
//
// bun's own migrator records a migration in a statement of its own after
// running it, so a crash between the two leaves a schema change that is not
// recorded. This migrator runs each migration and its record in one
// transaction instead.
package migrations

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/uptrace/bun"
)

//go:embed *.sql
var files embed.FS

// Dialect fills the dialect-specific parts of the migration templates.
type Dialect struct {
	Name   string
	ID     string
	Time   string
	BigInt string
}

// SQLite is the dialect of the embedded database.
var SQLite = Dialect{Name: "sqlite", ID: "TEXT", Time: "TIMESTAMP", BigInt: "INTEGER"}

// PostgreSQL is the dialect of the scale-out database.
var PostgreSQL = Dialect{Name: "postgres", ID: "UUID", Time: "TIMESTAMPTZ", BigInt: "BIGINT"}

// Migration is one schema change with its SQL for both directions.
type Migration struct {
	Version string
	Name    string
	Up      string
	Down    string
}

// Record is a row of schema_migrations: a migration that has been applied.
type Record struct {
	bun.BaseModel `bun:"table:schema_migrations"`

	Version   string    `bun:"version,pk"`
	Name      string    `bun:"name,notnull"`
	AppliedAt time.Time `bun:"applied_at,notnull"`
}

// All returns every embedded migration in version order, with its SQL
// rendered for the dialect.
func All(d Dialect) ([]Migration, error) {
	names, err := fs.Glob(files, "*.up.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)

	migrations := make([]Migration, 0, len(names))
	for _, upName := range names {
		m, err := load(d, upName)
		if err != nil {
			return nil, err
		}
		migrations = append(migrations, m)
	}

	return migrations, nil
}

func load(d Dialect, upName string) (Migration, error) {
	base := strings.TrimSuffix(upName, ".up.sql")
	version, name, ok := strings.Cut(base, "_")
	if !ok || len(version) != 14 {
		return Migration{}, fmt.Errorf("migration file %s: name must be VERSION_name.up.sql with a 14-digit version", upName)
	}

	up, err := render(d, upName)
	if err != nil {
		return Migration{}, err
	}

	down, err := render(d, base+".down.sql")
	if err != nil {
		return Migration{}, err
	}

	return Migration{Version: version, Name: name, Up: up, Down: down}, nil
}

func render(d Dialect, name string) (string, error) {
	text, err := files.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("read migration %s: %w", name, err)
	}

	tmpl, err := template.New(name).Option("missingkey=error").Parse(string(text))
	if err != nil {
		return "", fmt.Errorf("parse migration %s: %w", name, err)
	}

	var out bytes.Buffer
	if err := tmpl.Execute(&out, d); err != nil {
		return "", fmt.Errorf("render migration %s: %w", name, err)
	}

	return out.String(), nil
}

// Up applies every migration that is not yet recorded, in version order,
// each with its record in one transaction. It returns the versions applied.
func Up(ctx context.Context, db *bun.DB, d Dialect) ([]string, error) {
	migrations, err := All(d)
	if err != nil {
		return nil, err
	}

	unlock, err := lock(ctx, db, d)
	if err != nil {
		return nil, err
	}
	defer unlock()

	if err := createTable(ctx, db, d); err != nil {
		return nil, err
	}

	var applied []string
	for _, m := range migrations {
		done, err := apply(ctx, db, m)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m.Version)
		}
	}

	return applied, nil
}

// advisoryLockKey names the PostgreSQL advisory lock that migrations hold.
const advisoryLockKey = 7_246_593_118

// lock keeps other servers from migrating at the same time. On PostgreSQL
// it holds a session advisory lock on one connection until unlock is
// called, so replicas that start together migrate one after the other.
// SQLite needs none: each migration's transaction takes the write lock and
// checks its record inside it.
func lock(ctx context.Context, db *bun.DB, d Dialect) (func(), error) {
	if d.Name != PostgreSQL.Name {
		return func() {}, nil
	}

	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("open connection for the migration lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", advisoryLockKey); err != nil {
		conn.Close()
		return nil, fmt.Errorf("take the migration lock: %w", err)
	}

	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(?)", advisoryLockKey)
		conn.Close()
	}, nil
}

func createTable(ctx context.Context, db *bun.DB, d Dialect) error {
	query := fmt.Sprintf(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at %s NOT NULL
)`, d.Time)

	if _, err := db.ExecContext(ctx, query); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}

	return nil
}

// apply runs one migration unless another process recorded it first. The
// check happens inside the transaction, which SQLite opens as a write
// transaction, so two servers starting at once apply it once.
func apply(ctx context.Context, db *bun.DB, m Migration) (bool, error) {
	done := false
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		exists, err := tx.NewSelect().Model((*Record)(nil)).Where("version = ?", m.Version).Exists(ctx)
		if err != nil {
			return err
		}
		if exists {
			return nil
		}

		if _, err := tx.ExecContext(ctx, m.Up); err != nil {
			return err
		}

		record := &Record{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}
		if _, err := tx.NewInsert().Model(record).Exec(ctx); err != nil {
			return err
		}

		done = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("apply migration %s_%s: %w", m.Version, m.Name, err)
	}

	return done, nil
}

// Down reverts the newest steps applied migrations, newest first, each with
// the removal of its record in one transaction. It returns the versions reverted.
func Down(ctx context.Context, db *bun.DB, d Dialect, steps int) ([]string, error) {
	migrations, err := All(d)
	if err != nil {
		return nil, err
	}

	byVersion := make(map[string]Migration, len(migrations))
	for _, m := range migrations {
		byVersion[m.Version] = m
	}

	var records []Record
	if err := db.NewSelect().Model(&records).Order("version DESC").Limit(int64(steps)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list applied migrations: %w", err)
	}

	var reverted []string
	for _, r := range records {
		m, ok := byVersion[r.Version]
		if !ok {
			return reverted, fmt.Errorf("migration %s is applied but this build does not have it: revert it with the build that applied it", r.Version)
		}
		if err := revert(ctx, db, m); err != nil {
			return reverted, err
		}
		reverted = append(reverted, m.Version)
	}

	return reverted, nil
}

func revert(ctx context.Context, db *bun.DB, m Migration) error {
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, m.Down); err != nil {
			return err
		}
		_, err := tx.NewDelete().Model((*Record)(nil)).Where("version = ?", m.Version).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("revert migration %s_%s: %w", m.Version, m.Name, err)
	}

	return nil
}

// Pending returns the versions of the migrations not yet applied.
func Pending(ctx context.Context, db bun.IDB, d Dialect) ([]string, error) {
	migrations, err := All(d)
	if err != nil {
		return nil, err
	}

	var versions []string
	err = db.NewSelect().Model((*Record)(nil)).Column("version").Scan(ctx, &versions)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("list applied migrations: %w", err)
	}

	applied := make(map[string]bool, len(versions))
	for _, v := range versions {
		applied[v] = true
	}

	var pending []string
	for _, m := range migrations {
		if !applied[m.Version] {
			pending = append(pending, m.Version)
		}
	}

	return pending, nil
}

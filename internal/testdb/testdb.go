// Package testdb gives each test a fresh, migrated database: a SQLite file
// in a temporary folder, or, when TEST_POSTGRES_DSN names a PostgreSQL
// server, a new database on it that is dropped when the test ends.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/stretchr/testify/require"
)

// EnvPostgres names the variable that selects PostgreSQL for the tests:
// a URL such as postgres://user:password@127.0.0.1:5432/postgres of a role
// that may create databases.
const EnvPostgres = "TEST_POSTGRES_DSN"

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool {
	return os.Getenv(EnvPostgres) != ""
}

// DSN returns the name of a new, empty database: a SQLite file path, or
// the URL of a new PostgreSQL database that is dropped after the test.
func DSN(t testing.TB) string {
	t.Helper()

	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		return filepath.Join(t.TempDir(), "orquestra.db")
	}

	return createDatabase(t, admin)
}

func createDatabase(t testing.TB, admin string) string {
	t.Helper()
	ctx := context.Background()

	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "orquestra_test_" + hex.EncodeToString(suffix)

	db, err := sql.Open("pgx", admin)
	require.NoError(t, err, "connect to %s", EnvPostgres)
	defer db.Close()

	_, err = db.ExecContext(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err, "create database %s", name)

	t.Cleanup(func() {
		cleanup, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer cleanup.Close()
		_, _ = cleanup.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})

	u, err := url.Parse(admin)
	require.NoError(t, err, "parse %s", EnvPostgres)
	u.Path = "/" + name

	return u.String()
}

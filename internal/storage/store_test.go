package storage_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/internal/testdb"
	"github.com/orquestra/orquestra/migrations"
)

func openStore(t *testing.T) *storage.Store {
	t.Helper()

	store, err := storage.Open(context.Background(), testdb.DSN(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err, "open test database")
	t.Cleanup(func() { store.Close() })

	return store
}

func skipOnPostgres(t *testing.T) {
	t.Helper()

	if testdb.Postgres() {
		t.Skip("SQLite connection settings: not applicable on PostgreSQL")
	}
}

func TestPragmasOnEveryPool(t *testing.T) {
	skipOnPostgres(t)
	store := openStore(t)

	write, read, err := store.ReadPragmas(context.Background())
	require.NoError(t, err, "read pragmas")

	for name, p := range map[string]storage.Pragmas{"writer": write, "reader": read} {
		assert.Equal(t, "wal", p.JournalMode, "%s journal_mode", name)
		assert.GreaterOrEqual(t, p.BusyTimeout, 5000, "%s busy_timeout in ms", name)
		assert.Equal(t, 1, p.ForeignKeys, "%s foreign_keys", name)
	}
}

func TestOpenRejectsURIsAndMemory(t *testing.T) {
	skipOnPostgres(t)
	for _, dsn := range []string{":memory:", "file:x.db?_pragma=foreign_keys(0)", "x.db?mode=ro", ""} {
		_, err := storage.Open(context.Background(), dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
		assert.Error(t, err, "Open(%q) must be rejected", dsn)
	}
}

func TestMigrationsUpDownUp(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	all, err := migrations.All(store.Dialect())
	require.NoError(t, err, "list migrations")

	applied, err := store.Migrate(ctx)
	require.NoError(t, err, "migrate up")
	assert.Len(t, applied, len(all), "every migration applied on a new database")

	again, err := store.Migrate(ctx)
	require.NoError(t, err, "migrate up again")
	assert.Empty(t, again, "a second run applies nothing")

	reverted, err := migrations.Down(ctx, store.WriteDB(), store.Dialect(), len(all))
	require.NoError(t, err, "migrate down")
	assert.Len(t, reverted, len(all), "every migration reverted")

	pending, err := store.PendingMigrations(ctx)
	require.NoError(t, err, "pending after down")
	assert.Len(t, pending, len(all), "everything pending after down")

	applied, err = store.Migrate(ctx)
	require.NoError(t, err, "migrate up after down")
	assert.Len(t, applied, len(all), "every migration applied again")
}

func TestMigrationVersionsAreOrderedTimestamps(t *testing.T) {
	all, err := migrations.All(migrations.PostgreSQL)
	require.NoError(t, err, "render migrations for PostgreSQL")

	for i := 1; i < len(all); i++ {
		assert.Less(t, all[i-1].Version, all[i].Version, "versions must increase")
	}
	for _, m := range all {
		assert.NotContains(t, m.Up, "{{", "migration %s left a template action", m.Version)
		assert.NotEmpty(t, m.Down, "migration %s needs a down", m.Version)
	}
}

// Replicas that start at once all migrate: each migration is applied once,
// and none of them fails.
func TestConcurrentMigrationsApplyOnce(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	const replicas = 4
	applied := make([][]string, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() {
			store, err := storage.Open(ctx, dsn, log)
			if err != nil {
				errs[i] = err
				return
			}
			defer store.Close()
			applied[i], errs[i] = store.Migrate(ctx)
		})
	}
	wg.Wait()

	total := 0
	for i := range replicas {
		require.NoError(t, errs[i], "replica %d migrates", i)
		total += len(applied[i])
	}

	all, err := migrations.All(migrations.SQLite)
	require.NoError(t, err)
	assert.Equal(t, len(all), total, "every migration applied exactly once across the replicas")
}

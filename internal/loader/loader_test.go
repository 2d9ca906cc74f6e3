package loader_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/internal/testdb"
)

func newStore(t *testing.T) *storage.Store {
	t.Helper()
	ctx := context.Background()

	store, err := storage.Open(ctx, testdb.DSN(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err, "open database")
	t.Cleanup(func() { store.Close() })

	_, err = store.Migrate(ctx)
	require.NoError(t, err, "migrate")
	return store
}

func TestUserLoaderKeepsKeyOrderAndReportsMissing(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)

	var ids []string
	for _, name := range []string{"alice", "bob", "carol"} {
		u, err := store.EnsureLocalUser(ctx, name)
		require.NoError(t, err, "create %s", name)
		ids = append(ids, u.ID)
	}

	l := loader.New(store, storage.Viewer{}, loader.Options{Wait: 5 * time.Millisecond, BatchCapacity: 100})
	keys := []string{ids[2], "01900000-0000-7000-8000-000000000000", ids[0], ids[1]}
	users, errs := l.User.LoadMany(ctx, keys)()

	require.Len(t, users, len(keys), "one result per key")
	assert.Equal(t, "carol", users[0].Username, "first key answered first")
	assert.Nil(t, users[1], "a missing key gets no row")
	require.Len(t, errs, len(keys), "one error slot per key")
	assert.Error(t, errs[1], "a missing key is reported as an error")
	assert.Equal(t, "alice", users[2].Username, "third key")
	assert.Equal(t, "bob", users[3].Username, "fourth key")
}

func TestLatestVersionLoaderAnswersNullForMissing(t *testing.T) {
	store := newStore(t)

	l := loader.New(store, storage.Viewer{}, loader.DefaultOptions)
	version, err := l.LatestVersion.Load(context.Background(), "no-such-project")()
	require.NoError(t, err, "a project without versions is not an error")
	assert.Nil(t, version, "a project without versions has no latest version")
}

// A batch larger than the capacity is split, so no statement passes the
// bind-parameter limits of SQLite or PostgreSQL.
func TestLoaderSplitsHugeBatches(t *testing.T) {
	store := newStore(t)

	keys := make([]string, 40000)
	for i := range keys {
		keys[i] = uuid.Must(uuid.NewV7()).String()
	}

	before := store.Queries()
	l := loader.New(store, storage.Viewer{}, loader.Options{Wait: time.Millisecond, BatchCapacity: 1000})
	counts, errs := l.VersionCount.LoadMany(context.Background(), keys)()

	for i, err := range errs {
		require.NoError(t, err, "key %d", i)
	}
	require.Len(t, counts, len(keys), "one count per key")
	// The loader may also cut a batch short when its wait ends, so the
	// count has a floor, not an exact value.
	assert.GreaterOrEqual(t, store.Queries()-before, int64(40), "40,000 keys need at least 40 batches of 1,000")
}

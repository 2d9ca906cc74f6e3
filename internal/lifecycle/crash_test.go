package lifecycle

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/mr-tron/base58"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/storage"
)

const (
	crashRounds    = 10
	crashClients   = 20
	publishesFirst = 40
)

const createMutation = `mutation($input: UploadIdlInput!) { uploadIdl(input: $input) { project { id } } }`
const publishMutation = `mutation($input: PublishIdlVersionInput!) { publishIdlVersion(input: $input) { version } }`

func programID(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return base58.Encode(sum[:])
}

// A SIGKILL in the middle of concurrent writes must leave a database that
// SQLite finds intact, with every project at version 1 and no gaps.
func TestSIGKILLDuringPublishesKeepsDatabaseIntact(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server ten times; skipped with -short")
	}

	idl, err := corpus.EmbeddedFile("anchor-legacy-anchor-example-basic-2021.json")
	require.NoError(t, err, "read IDL")
	db := filepath.Join(t.TempDir(), "crash.db")
	bearer := token(t, db, "crasher")

	for round := 0; round < crashRounds; round++ {
		p := start(t, db)
		projectID := createProject(t, p, bearer, round, idl)

		progress := newCounter(publishesFirst)
		var wg sync.WaitGroup
		killed := make(chan struct{})
		for client := 0; client < crashClients; client++ {
			wg.Go(func() {
				publishUntilKilled(p.url, bearer, projectID, idl, round, client, progress, killed)
			})
		}

		<-progress.reached
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL), "kill round %d", round)
		<-p.exited
		close(killed)
		wg.Wait()

		checkDatabase(t, db, round)
	}
}

func createProject(t *testing.T, p *process, bearer string, round int, idl []byte) string {
	t.Helper()

	input := map[string]any{"name": fmt.Sprintf("round %d", round), "programId": programID(fmt.Sprint(round)), "idlJson": string(idl)}
	res, status, err := post(context.Background(), p.url, bearer, createMutation, map[string]any{"input": input})
	require.NoError(t, err, "create project in round %d", round)
	require.Empty(t, res.Errors, "create project in round %d: status %d", round, status)

	var out struct {
		Project struct{ ID string }
	}
	require.NoError(t, json.Unmarshal(res.Data["uploadIdl"], &out), "decode project")
	return out.Project.ID
}

// publishUntilKilled publishes distinct versions until the server dies.
func publishUntilKilled(url, bearer, projectID string, idl []byte, round, client int, published *counter, killed chan struct{}) {
	for i := 0; ; i++ {
		select {
		case <-killed:
			return
		default:
		}

		body := fmt.Sprintf("%s %s", idl, fmt.Sprintf("%*s", (round*1000+client*50+i)%400+1, ""))
		input := map[string]any{"projectId": projectID, "idlJson": body}
		res, _, err := post(context.Background(), url, bearer, publishMutation, map[string]any{"input": input})
		if err != nil {
			return
		}
		if len(res.Errors) == 0 {
			published.add()
		}
	}
}

// counter closes reached once it has counted to its target.
type counter struct {
	n       atomic.Int64
	target  int64
	once    sync.Once
	reached chan struct{}
}

func newCounter(target int64) *counter {
	return &counter{target: target, reached: make(chan struct{})}
}

func (c *counter) add() {
	if c.n.Add(1) >= c.target {
		c.once.Do(func() { close(c.reached) })
	}
}

func checkDatabase(t *testing.T, db string, round int) {
	t.Helper()
	ctx := context.Background()

	store, err := storage.Open(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err, "reopen database after round %d", round)
	defer store.Close()

	var integrity string
	require.NoError(t, store.DB().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity))
	assert.Equal(t, "ok", integrity, "integrity_check after round %d", round)

	rows, err := store.DB().QueryContext(ctx, "PRAGMA foreign_key_check")
	require.NoError(t, err)
	assert.False(t, rows.Next(), "foreign_key_check is clean after round %d", round)
	rows.Close()

	var projects, withoutFirst, gapped int
	require.NoError(t, store.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM projects").Scan(&projects))
	require.NoError(t, store.DB().QueryRowContext(ctx,
		"SELECT COUNT(*) FROM projects p WHERE NOT EXISTS (SELECT 1 FROM idl_versions v WHERE v.project_id = p.id AND v.version = 1)").Scan(&withoutFirst))
	require.NoError(t, store.DB().QueryRowContext(ctx,
		"SELECT COUNT(*) FROM (SELECT project_id FROM idl_versions GROUP BY project_id HAVING MAX(version) <> COUNT(*))").Scan(&gapped))

	assert.Equal(t, round+1, projects, "projects after round %d", round)
	assert.Zero(t, withoutFirst, "projects without a version 1 after round %d", round)
	assert.Zero(t, gapped, "projects with gaps in their version numbers after round %d", round)
}

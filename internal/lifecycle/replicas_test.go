package lifecycle

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/testdb"
	"github.com/orquestra/orquestra/internal/testserver"
)

// Two server processes on one PostgreSQL database behave as one service: a
// write through either is seen through the other at once, and a
// subscriber on one receives what is published on the other.
func TestReplicasShareOnePostgreSQL(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("two replicas need PostgreSQL: set " + testdb.EnvPostgres + " to run this test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	idl, err := corpus.EmbeddedFile("anchor-legacy-anchor-example-basic-2021.json")
	require.NoError(t, err, "read IDL")
	dsn := testdb.DSN(t)
	bearer := token(t, dsn, "replicated")
	a := start(t, dsn)
	b := start(t, dsn)

	projectID := createProject(t, a, bearer, 0, idl)

	sub, err := testserver.Subscribe(ctx, b.url, map[string]any{"Authorization": "Bearer " + bearer},
		`subscription($id: ID!) { idlVersionPublished(projectId: $id) { version } }`, map[string]any{"id": projectID})
	require.NoError(t, err, "subscribe on replica B")
	defer sub.Close()

	publishOn(t, a, bearer, projectID, string(idl)+" ")
	assert.Equal(t, 2, latestVersion(t, b, bearer, projectID), "replica B sees the version published on A at once")

	next, err := sub.NextAfter(ctx, func(attempt int) {
		publishOn(t, a, bearer, projectID, string(idl)+strings.Repeat(" ", attempt+2))
	})
	require.NoError(t, err, "the subscriber on B receives a version published on A")
	assert.Equal(t, "next", next.Type, "message: %s", next.Payload)
	assert.Contains(t, string(next.Payload), `"version"`, "a published version")

	key, keyID := createKey(t, a, bearer, projectID)
	publishWithKey(t, b, key, projectID, string(idl)+strings.Repeat(" ", 40), http.StatusOK)

	res, _, err := post(ctx, a.url, bearer, `mutation($id: ID!) { revokeApiKey(id: $id) }`, map[string]any{"id": keyID})
	require.NoError(t, err, "revoke on A")
	require.Empty(t, res.Errors, "revoke on A")
	publishWithKey(t, b, key, projectID, string(idl)+strings.Repeat(" ", 41), http.StatusUnauthorized)
}

func publishOn(t *testing.T, p *process, bearer, projectID, body string) {
	t.Helper()

	res, status, err := post(context.Background(), p.url, bearer, publishMutation, map[string]any{"input": map[string]any{"projectId": projectID, "idlJson": body}})
	require.NoError(t, err, "publish")
	require.Empty(t, res.Errors, "publish: status %d", status)
}

func latestVersion(t *testing.T, p *process, bearer, projectID string) int {
	t.Helper()

	res, _, err := post(context.Background(), p.url, bearer, `query($id: ID!) { project(id: $id) { latestVersion { version } } }`, map[string]any{"id": projectID})
	require.NoError(t, err, "read latest version")
	require.Empty(t, res.Errors, "read latest version")

	var out struct {
		LatestVersion struct{ Version int }
	}
	require.NoError(t, json.Unmarshal(res.Data["project"], &out), "decode project")
	return out.LatestVersion.Version
}

func createKey(t *testing.T, p *process, bearer, projectID string) (string, string) {
	t.Helper()

	res, _, err := post(context.Background(), p.url, bearer,
		`mutation($id: ID!) { createApiKey(input: {projectId: $id, name: "ci"}) { key apiKey { id } } }`, map[string]any{"id": projectID})
	require.NoError(t, err, "create key")
	require.Empty(t, res.Errors, "create key")

	var out struct {
		Key    string
		APIKey struct{ ID string }
	}
	require.NoError(t, json.Unmarshal(res.Data["createApiKey"], &out), "decode key")
	return out.Key, out.APIKey.ID
}

// publishWithKey publishes with an API key and checks the HTTP status.
func publishWithKey(t *testing.T, p *process, key, projectID, body string, wantStatus int) {
	t.Helper()

	res, status, err := postWithKey(context.Background(), p.url, key, publishMutation, map[string]any{"input": map[string]any{"projectId": projectID, "idlJson": body}})
	require.NoError(t, err, "publish with a key")
	require.Equal(t, wantStatus, status, "status of a publish with the key: %+v", res)
	if wantStatus == http.StatusOK {
		require.Empty(t, res.Errors, "publish with the key")
	}
}

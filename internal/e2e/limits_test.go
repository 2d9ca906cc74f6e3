package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/testdb"
	"github.com/orquestra/orquestra/internal/testserver"
)

// paddedIDL returns a valid IDL of exactly size bytes: the small IDL with
// trailing spaces, which JSON allows.
func paddedIDL(t *testing.T, size int) []byte {
	t.Helper()

	base := smallIDL(t)
	require.Less(t, len(base), size, "base IDL larger than the wanted size")
	return append(append([]byte{}, base...), bytes.Repeat([]byte(" "), size-len(base))...)
}

func TestUploadSizeLimits(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	overLimit := paddedIDL(t, 11<<20)
	input := func() map[string]any {
		return map[string]any{"name": "big", "programId": programID("big")}
	}

	t.Run("multipart file over 10 MiB", func(t *testing.T) {
		res := send(t, s, token, uploadMutation, input(), overLimit, true)
		assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status, "status of %s", res.Body)
		assert.Equal(t, "PAYLOAD_TOO_LARGE", res.Code(0), "code of %s", res.Body)
	})

	t.Run("JSON string over 10 MiB", func(t *testing.T) {
		res := send(t, s, token, uploadMutation, input(), overLimit, false)
		assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status, "status of %s", res.Body)
		assert.Equal(t, "PAYLOAD_TOO_LARGE", res.Code(0), "code of %s", res.Body)
	})

	t.Run("20 MiB JSON string", func(t *testing.T) {
		res := send(t, s, token, uploadMutation, input(), paddedIDL(t, 20<<20), false)
		assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status, "status of a 20 MiB idlJson")
		assert.Equal(t, "PAYLOAD_TOO_LARGE", res.Code(0), "code of a 20 MiB idlJson")
	})

	t.Run("body over the request limit", func(t *testing.T) {
		junk := bytes.Repeat([]byte("x"), 40<<20)
		req, err := http.NewRequest(http.MethodPost, s.URL+"/query", bytes.NewReader(junk))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		res := s.Do(t, req, token)
		assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status, "status of a 40 MiB body")
		assert.Equal(t, "PAYLOAD_TOO_LARGE", res.Code(0), "code of %s", res.Body)
	})

	t.Run("Markdown over 5 MiB", func(t *testing.T) {
		in := input()
		in["cpiMd"] = strings.Repeat("#", 5<<20+1)
		res := send(t, s, token, uploadMutation, in, smallIDL(t), false)
		assert.Equal(t, "PAYLOAD_TOO_LARGE", res.Code(0), "code of an oversized cpiMd")
		assert.Equal(t, "input.cpiMd", res.Errors[0].Extensions["field"], "field of an oversized cpiMd")
	})

	assert.Zero(t, rowCounts(t, s)["projects"], "nothing stored by oversized uploads")

	t.Run("file just under 10 MiB stored as sent", func(t *testing.T) {
		underLimit := paddedIDL(t, 10<<20-100<<10)
		var out uploaded
		send(t, s, token, uploadMutation, input(), underLimit, true).Decode(t, &out)
		assert.Equal(t, len(underLimit), out.UploadIdl.Version.SizeBytes, "sizeBytes is the file size")
		assert.Equal(t, hashOf(underLimit), out.UploadIdl.Version.SHA256, "sha256 is the file's hash")

		var read struct {
			Project struct{ LatestVersion struct{ IdlJSON string } }
		}
		s.Query(t, "", `query($id: ID!) { project(id: $id) { latestVersion { idlJson } } }`, map[string]any{"id": out.UploadIdl.Project.ID}).Decode(t, &read)
		assert.Equal(t, string(underLimit), read.Project.LatestVersion.IdlJSON, "idlJson is the stored file")
	})
}

func TestInternalErrorsHideTheCause(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	id := createProject(t, s, token, "victim", smallIDL(t), true)

	// Break the table under the server, so that the next write fails inside SQLite.
	failingTrigger := "CREATE TRIGGER fail_insert BEFORE INSERT ON idl_versions BEGIN SELECT RAISE(ABORT, 'disk on fire at /var/secret/path'); END"
	if testdb.Postgres() {
		_, err := s.Store.WriteDB().ExecContext(context.Background(),
			"CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire at /var/secret/path'; END $$")
		require.NoError(t, err, "create failing function")
		failingTrigger = "CREATE TRIGGER fail_insert BEFORE INSERT ON idl_versions FOR EACH ROW EXECUTE FUNCTION fail_insert()"
	}
	_, err := s.Store.WriteDB().ExecContext(context.Background(), failingTrigger)
	require.NoError(t, err, "create failing trigger")

	res := s.Query(t, token, publishMutation, map[string]any{"input": map[string]any{"projectId": id, "idlJson": string(smallIDL(t)) + " "}})
	require.Equal(t, "INTERNAL_SERVER_ERROR", res.Code(0), "code of %s", res.Body)
	requestID, _ := res.Errors[0].Extensions["requestId"].(string)
	require.NotEmpty(t, requestID, "internal errors carry the request id")
	assert.Equal(t, requestID, res.Header.Get("X-Request-Id"), "the response header carries the same id")
	assert.Contains(t, res.Errors[0].Message, requestID, "the message names the request id")
	assert.NotContains(t, string(res.Body), "disk on fire", "the cause must not reach the client")
	assert.NotContains(t, string(res.Body), "/var/secret", "paths must not reach the client")
	assert.NotContains(t, string(res.Body), "idl_versions", "table names must not reach the client")

	logs := s.Logs.String()
	assert.Contains(t, logs, "disk on fire", "the log keeps the cause")
	assert.Contains(t, logs, requestID, "the log names the request id")
}

func TestUnreadableStoredIDLAffectsOnlyItsField(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	good := createProject(t, s, token, "good", smallIDL(t), true)
	bad := createProject(t, s, token, "bad", smallIDL(t), true)

	// A row written by an older server whose IDL the current parser rejects.
	_, err := s.Store.WriteDB().ExecContext(context.Background(),
		"UPDATE idl_versions SET idl_json = '{\"instructions\": 5}', sha256 = 'stale' WHERE project_id = ?", bad)
	require.NoError(t, err, "corrupt a stored IDL")

	res := s.Query(t, "", `{ projects(first: 2) { edges { node { id name latestVersion { version program { name } } } } } }`, nil)
	require.Len(t, res.Errors, 1, "exactly one error for the one bad row: %s", res.Body)
	assert.Equal(t, "INTERNAL_SERVER_ERROR", res.Code(0), "a stored IDL that no longer parses is a server fault")
	assert.Contains(t, res.Errors[0].Path, "program", "the error sits at the program field")

	var out struct {
		Projects struct {
			Edges []struct {
				Node struct {
					ID            string
					LatestVersion struct {
						Version int
						Program *struct{ Name string }
					}
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(res.Data, &out), "decode partial data")
	require.Len(t, out.Projects.Edges, 2, "both projects are still listed")
	for _, e := range out.Projects.Edges {
		if e.Node.ID == good {
			assert.NotNil(t, e.Node.LatestVersion.Program, "the good project's program is served")
		} else {
			assert.Nil(t, e.Node.LatestVersion.Program, "the bad project's program is null")
			assert.Equal(t, 1, e.Node.LatestVersion.Version, "the bad project's other fields are served")
		}
	}
}

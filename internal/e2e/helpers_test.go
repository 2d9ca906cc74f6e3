package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mr-tron/base58"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/idl"
	"github.com/orquestra/orquestra/internal/testdb"
	"github.com/orquestra/orquestra/internal/testserver"
)

const uploadMutation = `mutation Upload($input: UploadIdlInput!) {
  uploadIdl(input: $input) {
    project { id name programId isPublic }
    version { id version format sha256 sizeBytes }
  }
}`

const publishMutation = `mutation Publish($input: PublishIdlVersionInput!) {
  publishIdlVersion(input: $input) { id version format sha256 sizeBytes }
}`

type uploaded struct {
	UploadIdl struct {
		Project struct {
			ID        string `json:"id"`
			Name      string `json:"name"`
			ProgramID string `json:"programId"`
			IsPublic  bool   `json:"isPublic"`
		} `json:"project"`
		Version versionFields `json:"version"`
	} `json:"uploadIdl"`
}

type versionFields struct {
	ID        string `json:"id"`
	Version   int    `json:"version"`
	Format    string `json:"format"`
	SHA256    string `json:"sha256"`
	SizeBytes int    `json:"sizeBytes"`
}

// programID derives a valid, distinct program id from a seed.
func programID(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return base58.Encode(sum[:])
}

// createProject uploads idl as a new project through a JSON request and
// returns the project id.
func createProject(t *testing.T, s *testserver.Server, token, name string, idl []byte, public bool) string {
	t.Helper()

	res := s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{
		"name":      name,
		"programId": programID(name),
		"idlJson":   string(idl),
		"isPublic":  public,
	}})

	var out uploaded
	res.Decode(t, &out)
	return out.UploadIdl.Project.ID
}

// smallIDL returns a small real IDL, present in every checkout, that
// declares no program address, so that any program id fits it.
func smallIDL(t *testing.T) []byte {
	t.Helper()

	data, err := corpus.EmbeddedFile("anchor-legacy-anchor-example-basic-2021.json")
	require.NoError(t, err, "read embedded example IDL")
	return data
}

// declaredProgramID returns the program address an IDL declares, or a
// program id derived from seed when it declares none.
func declaredProgramID(t *testing.T, data []byte, seed string) string {
	t.Helper()

	program, err := idl.Parse(data)
	require.NoError(t, err, "parse IDL %s", seed)
	if program.Address != "" {
		return program.Address
	}

	return programID(seed)
}

// testIDLs returns the shared corpus when present, and the embedded one
// otherwise, saying so.
func testIDLs(t *testing.T) []corpus.File {
	t.Helper()

	files, ok, err := corpus.Shared()
	require.NoError(t, err, "read shared corpus")
	if ok {
		return files
	}

	t.Log("shared corpus not found beside the repository: using the embedded redistributable IDLs only")
	return corpus.Embedded()
}

// rowCounts returns the number of rows of every table.
func rowCounts(t *testing.T, s *testserver.Server) map[string]int {
	t.Helper()

	counts := map[string]int{}
	for _, table := range []string{"users", "projects", "idl_versions", "api_keys", "project_socials", "known_addresses"} {
		var n int
		err := s.Store.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n)
		require.NoError(t, err, "count rows of %s", table)
		counts[table] = n
	}

	return counts
}

// requireNoOrphans checks the foreign keys and that no child row lost its parent.
func requireNoOrphans(t *testing.T, s *testserver.Server) {
	t.Helper()
	ctx := context.Background()

	// PostgreSQL checks foreign keys on every write and has no such pragma.
	if !testdb.Postgres() {
		rows, err := s.Store.DB().QueryContext(ctx, "PRAGMA foreign_key_check")
		require.NoError(t, err, "run foreign_key_check")
		defer rows.Close()
		require.False(t, rows.Next(), "PRAGMA foreign_key_check reported violations")
	}

	orphanQueries := map[string]string{
		"projects":        "SELECT COUNT(*) FROM projects WHERE user_id NOT IN (SELECT id FROM users)",
		"idl_versions":    "SELECT COUNT(*) FROM idl_versions WHERE project_id NOT IN (SELECT id FROM projects)",
		"api_keys":        "SELECT COUNT(*) FROM api_keys WHERE project_id NOT IN (SELECT id FROM projects)",
		"project_socials": "SELECT COUNT(*) FROM project_socials WHERE project_id NOT IN (SELECT id FROM projects)",
		"known_addresses": "SELECT COUNT(*) FROM known_addresses WHERE project_id NOT IN (SELECT id FROM projects)",
	}
	for table, query := range orphanQueries {
		var n int
		require.NoError(t, s.Store.DB().QueryRowContext(ctx, query).Scan(&n), "count orphans of %s", table)
		require.Zero(t, n, "%s has %d orphan rows", table, n)
	}
}

// postFromGoroutine sends a JSON request body to s's /query as the user of
// token and returns the response body. It takes no *testing.T, so that a
// goroutine other than the test's may call it; a failed request returns nil.
func postFromGoroutine(s *testserver.Server, token string, body []byte) []byte {
	req, err := http.NewRequest(http.MethodPost, s.URL+"/query", bytes.NewReader(body))
	if err != nil {
		return nil
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)

	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	defer res.Body.Close()

	data, _ := io.ReadAll(res.Body)
	return data
}

// webSocketURL is the ws:// address of s's /query.
func webSocketURL(s *testserver.Server) string {
	return "ws" + strings.TrimPrefix(s.URL, "http") + "/query"
}

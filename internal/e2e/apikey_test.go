package e2e

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/graph"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/testserver"
)

func TestAPIKeyNeverStoredInPlainText(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	projectID := createProject(t, s, token, "hashed", smallIDL(t), true)

	first, id := createKey(t, s, token, projectID, "first")
	second, _ := createKey(t, s, token, projectID, "second")
	var rotated struct{ RotateApiKey struct{ Key string } }
	s.Query(t, token, `mutation($id: ID!) { rotateApiKey(id: $id) { key } }`, map[string]any{"id": id}).Decode(t, &rotated)
	keys := []string{first, second, rotated.RotateApiKey.Key}

	rows, err := s.Store.DB().QueryContext(context.Background(), "SELECT * FROM api_keys")
	require.NoError(t, err, "select api_keys")
	defer rows.Close()
	columns, err := rows.Columns()
	require.NoError(t, err, "read columns")

	scanned := 0
	for rows.Next() {
		values := make([]sql.RawBytes, len(columns))
		pointers := make([]any, len(values))
		for i := range values {
			pointers[i] = &values[i]
		}
		require.NoError(t, rows.Scan(pointers...), "scan row")
		scanned++

		for i, value := range values {
			for _, key := range keys {
				assert.NotContains(t, string(value), key, "column %s holds a key", columns[i])
				assert.NotContains(t, string(value), key[len(auth.APIKeyPrefix)+4:], "column %s holds the secret part of a key", columns[i])
			}
		}
	}
	require.NoError(t, rows.Err(), "iterate api_keys")
	assert.Equal(t, 2, scanned, "both keys scanned")

	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(s.DBPath + suffix)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err, "read database file %s", suffix)
		for _, key := range keys {
			assert.NotContains(t, string(data), key, "the database file%s holds a key", suffix)
		}
	}
}

// scalarFields returns the fields of a GraphQL type that are scalars or
// enums and take no required arguments, by introspection.
func scalarFields(t *testing.T, s *testserver.Server, typeName string) string {
	t.Helper()

	var out struct {
		Type struct {
			Fields []struct {
				Name string
				Args []struct {
					Type struct{ Kind string }
				}
				Type struct {
					Kind   string
					OfType *struct {
						Kind   string
						OfType *struct{ Kind string }
					}
				}
			}
		} `json:"__type"`
	}
	s.Query(t, "", `query($name: String!) { __type(name: $name) { fields { name args { type { kind } } type { kind ofType { kind ofType { kind } } } } } }`,
		map[string]any{"name": typeName}).Decode(t, &out)

	var names []string
	for _, field := range out.Type.Fields {
		required := false
		for _, arg := range field.Args {
			required = required || arg.Type.Kind == "NON_NULL"
		}
		kind := field.Type.Kind
		if kind == "NON_NULL" && field.Type.OfType != nil {
			kind = field.Type.OfType.Kind
		}
		if !required && (kind == "SCALAR" || kind == "ENUM") {
			names = append(names, field.Name)
		}
	}
	require.NotEmpty(t, names, "type %s has scalar fields", typeName)

	return strings.Join(names, " ")
}

func TestAPIKeyShownOnlyByCreateAndRotate(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	projectID := createProject(t, s, token, "shown once", smallIDL(t), false)
	key, id := createKey(t, s, token, projectID, "ci")
	var rotated struct{ RotateApiKey struct{ Key string } }
	s.Query(t, token, `mutation($id: ID!) { rotateApiKey(id: $id) { key } }`, map[string]any{"id": id}).Decode(t, &rotated)
	current := rotated.RotateApiKey.Key

	user, project, apiKey := scalarFields(t, s, "User"), scalarFields(t, s, "Project"), scalarFields(t, s, "ApiKey")
	ownerQuery := fmt.Sprintf(`query($id: ID!) {
		me { %[1]s projects(first: 5) { edges { node { %[2]s apiKeys { %[3]s } } } } }
		project(id: $id) { %[2]s owner { %[1]s } apiKeys { %[3]s } }
	}`, user, project, apiKey)
	// A key may not list keys, so its query leaves apiKeys out.
	keyQuery := fmt.Sprintf(`query($id: ID!) { project(id: $id) { %[2]s owner { %[1]s } } }`, user, project)

	asks := []struct {
		creds testserver.Credentials
		query string
	}{
		{testserver.Credentials{Token: token}, ownerQuery},
		{testserver.Credentials{APIKey: current}, keyQuery},
	}
	for _, ask := range asks {
		res := s.QueryAs(t, ask.creds, ask.query, map[string]any{"id": projectID})
		require.Empty(t, res.Errors, "query every field: %s", res.Body)
		require.Contains(t, string(res.Body), projectID, "the query reached the project: %s", res.Body)
		for _, secret := range []string{key, current, auth.HashAPIKey(key), auth.HashAPIKey(current)} {
			assert.NotContains(t, string(res.Body), secret, "a query shows a key or its hash")
			assert.NotContains(t, string(res.Body), secret[len(auth.APIKeyPrefix)+4:], "a query shows the secret part of a key or hash")
		}
	}
}

// lastUsed returns a key's lastUsed as the owner sees it.
func lastUsed(t *testing.T, s *testserver.Server, token, projectID string) *string {
	t.Helper()

	var out struct {
		Project struct {
			APIKeys []struct{ LastUsed *string } `json:"apiKeys"`
		}
	}
	s.Query(t, token, `query($id: ID!) { project(id: $id) { apiKeys { lastUsed } } }`, map[string]any{"id": projectID}).Decode(t, &out)
	require.Len(t, out.Project.APIKeys, 1, "one key")

	return out.Project.APIKeys[0].LastUsed
}

func TestAPIKeyLastUsed(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	projectID := createProject(t, s, token, "usage", smallIDL(t), false)
	key, id := createKey(t, s, token, projectID, "ci")
	use := func() {
		t.Helper()
		var out struct{ Project struct{ ID string } }
		s.QueryAs(t, testserver.Credentials{APIKey: key}, `query($id: ID!) { project(id: $id) { id } }`, map[string]any{"id": projectID}).Decode(t, &out)
		require.Equal(t, projectID, out.Project.ID, "the key reads its private project")
	}

	assert.Nil(t, lastUsed(t, s, token, projectID), "lastUsed is null before the first use")

	use()
	first := lastUsed(t, s, token, projectID)
	require.NotNil(t, first, "lastUsed is set by the first use")

	use()
	second := lastUsed(t, s, token, projectID)
	require.NotNil(t, second, "lastUsed stays set")
	assert.Equal(t, *first, *second, "lastUsed is not rewritten within a minute")

	stale := time.Now().Add(-2 * time.Minute).UTC()
	_, err := s.Store.WriteDB().NewUpdate().Table("api_keys").Set("last_used = ?", stale).Where("id = ?", id).Exec(context.Background())
	require.NoError(t, err, "make lastUsed two minutes old")
	use()
	third := lastUsed(t, s, token, projectID)
	require.NotNil(t, third, "lastUsed stays set")
	parsed, err := time.Parse(time.RFC3339, *third)
	require.NoError(t, err, "parse lastUsed %s", *third)
	assert.True(t, parsed.After(stale.Add(time.Minute)), "a use after a minute rewrites lastUsed: %s", *third)
}

func TestAPIKeyPublishesOverMultipart(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	idl := smallIDL(t)
	projectID := createProject(t, s, token, "ci publish", idl, false)
	key, _ := createKey(t, s, token, projectID, "ci")

	next := append([]byte(strings.TrimSpace(string(idl))), '\n', '\n')
	res := s.MultipartAs(t, testserver.Credentials{APIKey: key},
		`mutation($input: PublishIdlVersionInput!) { publishIdlVersion(input: $input) { version } }`,
		map[string]any{"input": map[string]any{"projectId": projectID, "idl": nil}},
		testserver.File{Path: "variables.input.idl", Name: "idl.json", Content: next})
	var out struct{ PublishIdlVersion struct{ Version int } }
	res.Decode(t, &out)
	assert.Equal(t, 2, out.PublishIdlVersion.Version, "the key publishes version 2")
}

func TestAPIKeyRejections(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	projectID := createProject(t, s, token, "rejections", smallIDL(t), false)
	key, _ := createKey(t, s, token, projectID, "ci")
	query := `query($id: ID!) { project(id: $id) { id } }`

	send := func(t *testing.T, header http.Header) *testserver.Response {
		t.Helper()
		body := fmt.Sprintf(`{"query": %q, "variables": {"id": %q}}`, query, projectID)
		req, err := http.NewRequest(http.MethodPost, s.URL+"/query", strings.NewReader(body))
		require.NoError(t, err, "build request")
		req.Header = header
		req.Header.Set("Content-Type", "application/json")
		return s.DoAs(t, req, testserver.Credentials{})
	}

	t.Run("lower-case header name", func(t *testing.T) {
		res := send(t, http.Header{"x-api-key": {key}})
		assert.Empty(t, res.Errors, "a lower-case header name works: %s", res.Body)
		assert.Contains(t, string(res.Data), projectID, "the key reads its project")
	})

	cases := []struct {
		name    string
		header  http.Header
		message string
	}{
		{"both token and key", http.Header{"Authorization": {"Bearer " + token}, "X-Api-Key": {key}}, "send one of them"},
		{"empty key", http.Header{"X-Api-Key": {""}}, "empty"},
		{"two keys", http.Header{"X-Api-Key": {key, key}}, "2 X-API-Key headers"},
		{"unknown key", http.Header{"X-Api-Key": {key + "x"}}, "invalid API key"},
		{"two Authorization headers", http.Header{"Authorization": {"Bearer " + token, "Bearer " + token}}, "2 Authorization headers"},
		{"key as a bearer token", http.Header{"Authorization": {"Bearer " + key}}, "send API keys in the X-API-Key header"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := send(t, c.header)
			assert.Equal(t, http.StatusUnauthorized, res.Status, "HTTP status: %s", res.Body)
			assert.Equal(t, "UNAUTHENTICATED", res.Code(0), "code: %s", res.Body)
			if len(res.Errors) > 0 {
				assert.Contains(t, res.Errors[0].Message, c.message, "the message says what is wrong")
			}
		})
	}

	t.Run("key of a deleted project", func(t *testing.T) {
		s.Query(t, token, `mutation($id: ID!) { deleteProject(id: $id) }`, map[string]any{"id": projectID}).Decode(t, &struct{}{})
		res := s.QueryAs(t, testserver.Credentials{APIKey: key}, `{ me { id } }`, nil)
		assert.Equal(t, http.StatusUnauthorized, res.Status, "HTTP status: %s", res.Body)
		assert.Equal(t, "UNAUTHENTICATED", res.Code(0), "code: %s", res.Body)
	})
}

func TestAPIKeyExpiry(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	projectID := createProject(t, s, token, "expiry", smallIDL(t), false)
	key, id := createKey(t, s, token, projectID, "ci")
	query := `query($id: ID!) { project(id: $id) { id } }`

	expireKey(t, s, id, time.Now().Add(time.Hour))
	res := s.QueryAs(t, testserver.Credentials{APIKey: key}, query, map[string]any{"id": projectID})
	assert.Empty(t, res.Errors, "a key expiring in an hour works: %s", res.Body)

	expireKey(t, s, id, time.Now().Add(-time.Second))
	res = s.QueryAs(t, testserver.Credentials{APIKey: key}, query, map[string]any{"id": projectID})
	assert.Equal(t, http.StatusUnauthorized, res.Status, "an expired key is rejected: %s", res.Body)
	assert.Equal(t, "UNAUTHENTICATED", res.Code(0), "code: %s", res.Body)
	if len(res.Errors) > 0 {
		assert.Contains(t, res.Errors[0].Message, "expired", "the message says the key expired")
	}
}

func TestExpiredKeyCannotBeRotated(t *testing.T) {
	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	projectID := createProject(t, s, owner, "expired rotation", smallIDL(t), true)
	_, keyID := createKey(t, s, owner, projectID, "old")
	expireKey(t, s, keyID, time.Now().Add(-time.Minute))

	res := s.Query(t, owner, `mutation($id: ID!) { rotateApiKey(id: $id) { key } }`, map[string]any{"id": keyID})
	require.NotEmpty(t, res.Errors, "rotating an expired key is rejected: %s", res.Body)
	assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "code")
	assert.Contains(t, res.Errors[0].Message, "create a new key", "the message gives the fix")
}

// Concurrent createApiKey calls cannot pass the per-project limit together.
func TestConcurrentKeyCreationKeepsTheLimit(t *testing.T) {
	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	projectID := createProject(t, s, owner, "many keys", smallIDL(t), true)

	body, err := json.Marshal(map[string]any{
		"query":     `mutation($id: ID!) { createApiKey(input: {projectId: $id, name: "ci"}) { key } }`,
		"variables": map[string]any{"id": projectID},
	})
	require.NoError(t, err, "encode the mutation")

	const calls = 2 * graph.MaxKeysPerProject
	var wg sync.WaitGroup
	for range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			postFromGoroutine(s, owner, body)
		}()
	}
	wg.Wait()

	assert.Equal(t, graph.MaxKeysPerProject, rowCounts(t, s)["api_keys"], "keys stored after %d concurrent calls", calls)
}

// Concurrent rotations of one key either run one after another, each
// replacing the key the one before returned, or find that another rotation
// replaced the key they read and are rejected with CONFLICT. Either way
// exactly one of the returned keys works.
func TestConcurrentRotationsLeaveOneKey(t *testing.T) {
	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	projectID := createProject(t, s, owner, "rotations", smallIDL(t), true)
	_, keyID := createKey(t, s, owner, projectID, "ci")

	body, err := json.Marshal(map[string]any{
		"query":     `mutation($id: ID!) { rotateApiKey(id: $id) { key } }`,
		"variables": map[string]any{"id": keyID},
	})
	require.NoError(t, err, "encode the mutation")

	const calls = 5
	answers := make(chan []byte, calls)
	var wg sync.WaitGroup
	for range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers <- postFromGoroutine(s, owner, body)
		}()
	}
	wg.Wait()
	close(answers)

	var keys []string
	for answer := range answers {
		var out struct {
			Data struct {
				RotateAPIKey *struct{ Key string } `json:"rotateApiKey"`
			}
			Errors []struct{ Extensions map[string]any }
		}
		require.NoError(t, json.Unmarshal(answer, &out), "decode %s", answer)
		if out.Data.RotateAPIKey != nil {
			keys = append(keys, out.Data.RotateAPIKey.Key)
			continue
		}
		require.NotEmpty(t, out.Errors, "a rejected rotation has an error: %s", answer)
		assert.Equal(t, "CONFLICT", out.Errors[0].Extensions["code"], "code of a losing rotation")
	}
	require.NotEmpty(t, keys, "a rotation succeeds")
	working := 0
	for _, key := range keys {
		res := s.QueryAs(t, testserver.Credentials{APIKey: key}, `{ project(id: "`+projectID+`") { id } }`, nil)
		if len(res.Errors) == 0 {
			working++
		}
	}
	assert.Equal(t, 1, working, "one of the %d returned keys works", len(keys))
}

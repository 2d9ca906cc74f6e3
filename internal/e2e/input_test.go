package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/graph"
	"github.com/orquestra/orquestra/internal/testserver"
)

// Bad values that reach the server in unusual shapes are the client's to
// fix: each gets BAD_USER_INPUT, never an internal error.
func TestOddInputIsTheClientsFault(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	id := createProject(t, s, token, "odd input", smallIDL(t), true)

	cases := []struct {
		name      string
		query     string
		variables map[string]any
	}{
		{"time with an impossible month", `mutation($id: ID!) { createApiKey(input: {projectId: $id, name: "ci", expiresAt: "2027-13-45T00:00:00Z"}) { key } }`, map[string]any{"id": id}},
		{"time without a zone", `mutation($id: ID!, $at: Time) { createApiKey(input: {projectId: $id, name: "ci", expiresAt: $at}) { key } }`, map[string]any{"id": id, "at": "2026-12-04T22:00:00"}},
		{"time as a number", `mutation($id: ID!, $at: Time) { createApiKey(input: {projectId: $id, name: "ci", expiresAt: $at}) { key } }`, map[string]any{"id": id, "at": 1234}},
		{"NUL in a search variable", `query($q: String) { projects(filter: {search: $q}) { totalCount } }`, map[string]any{"q": "a\x00b"}},
		{"NUL in a string literal", `{ user(username: "a\u0000b") { id } }`, nil},
		{"NUL in custom docs", `mutation($id: ID!, $md: String!) { setCustomDocs(projectId: $id, markdown: $md) { id } }`, map[string]any{"id": id, "md": "a\x00b"}},
		{"empty custom docs", `mutation($id: ID!) { setCustomDocs(projectId: $id, markdown: "  ") { id } }`, map[string]any{"id": id}},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := s.Query(t, token, tc.query, tc.variables)
			require.NotEmpty(t, res.Errors, "an error is returned: %s", res.Body)
			assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "code of %s", res.Body)
		})
	}

	assert.Zero(t, rowCounts(t, s)["api_keys"], "no key was created")

	res := s.Query(t, token, `{ projects(filter: {search: "a\u0000b"}) { totalCount } }`, nil)
	require.NotEmpty(t, res.Errors, "a NUL in a nested literal is rejected: %s", res.Body)
	assert.Equal(t, "projects.filter.search", res.Errors[0].Extensions["field"], "the field names the argument's path")
}

func TestEmptyMarkdownUploadGetsGeneratedDocs(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")

	var out uploaded
	s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{
		"name": "blank docs", "programId": programID("blank docs"), "idlJson": string(smallIDL(t)), "cpiMd": "",
	}}).Decode(t, &out)

	var read struct{ Project struct{ Docs string } }
	s.Query(t, "", `query($id: ID!) { project(id: $id) { docs } }`, map[string]any{"id": out.UploadIdl.Project.ID}).Decode(t, &read)
	assert.Contains(t, read.Project.Docs, "initialize", "empty cpiMd means generated docs")
}

// An escaped NUL in an IDL's text is data: the stored JSON holds the
// escape, which every database can store. In a name it is rejected, like
// every control character, because no one could look the name up.
func TestIDLEscapedNULIsDataExceptInNames(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	inDocs := `{"version": "0.1.0", "name": "xy", "docs": ["a\u0000b"], "instructions": [{"name": "go", "accounts": [], "args": []}]}`
	inName := `{"version": "0.1.0", "name": "x\u0000y", "instructions": [{"name": "go", "accounts": [], "args": []}]}`

	res := s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{
		"name": "nul docs", "programId": programID("nul docs"), "idlJson": inDocs,
	}})
	assert.Empty(t, res.Errors, "an escaped NUL in the docs is data: %s", res.Body)

	res = s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{
		"name": "nul name", "programId": programID("nul name"), "idlJson": inName,
	}})
	require.NotEmpty(t, res.Errors, "a NUL in a name is rejected: %s", res.Body)
	assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "code")
	assert.Contains(t, res.Errors[0].Message, "invisible character U+0000", "the message names the character")
}

func TestNamesRejectInvisibleCharactersAndUnicodeHosts(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	id := createProject(t, s, token, "visible", smallIDL(t), true)

	res := s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{
		"name": "Lever\u202e(official)", "programId": programID("rlo"), "idlJson": string(smallIDL(t)),
	}})
	assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "a right-to-left override in a name: %s", res.Body)

	res = s.Query(t, token, `mutation($id: ID!) { setProjectSocials(projectId: $id, input: {website: "https://exаmple.com"}) { id } }`, map[string]any{"id": id})
	assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "a host with a Cyrillic letter: %s", res.Body)

	res = s.Query(t, token, `mutation($id: ID!) { setProjectSocials(projectId: $id, input: {website: "https://xn--r8jz45g.jp/"}) { website } }`, map[string]any{"id": id})
	assert.Empty(t, res.Errors, "the punycode form is accepted: %s", res.Body)
}

func TestAPIKeysPerProjectAreCapped(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	id := createProject(t, s, token, "many keys", smallIDL(t), true)

	create := `mutation($id: ID!) { createApiKey(input: {projectId: $id, name: "ci"}) { key } }`
	for i := 0; i < graph.MaxKeysPerProject; i++ {
		res := s.Query(t, token, create, map[string]any{"id": id})
		require.Empty(t, res.Errors, "key %d: %s", i, res.Body)
	}

	res := s.Query(t, token, create, map[string]any{"id": id})
	assert.Equal(t, "CONFLICT", res.Code(0), "one key over the cap: %s", res.Body)
}

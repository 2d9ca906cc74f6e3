package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/testserver"
)

// rejection is one request that must fail with a code and store nothing.
type rejection struct {
	name      string
	token     string
	query     string
	variables map[string]any
	code      string
	field     string
	message   string
}

func TestRejectionsStoreNothing(t *testing.T) {
	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	other := s.Token(t, "other")
	idl := smallIDL(t)
	projectID := createProject(t, s, owner, "owned", idl, true)
	privateID := createProject(t, s, owner, "private", idl, false)

	upload := func(overrides map[string]any) map[string]any {
		input := map[string]any{"name": "new", "programId": programID("new"), "idlJson": string(idl)}
		for k, v := range overrides {
			input[k] = v
		}
		return map[string]any{"input": input}
	}
	publish := map[string]any{"input": map[string]any{"projectId": projectID, "idlJson": string(idl) + " "}}

	cases := []rejection{
		{name: "anonymous upload", query: uploadMutation, variables: upload(nil), code: "UNAUTHENTICATED"},
		{name: "anonymous publish", query: publishMutation, variables: publish, code: "UNAUTHENTICATED"},
		{name: "anonymous socials", query: `mutation($id: ID!) { setProjectSocials(projectId: $id, input: {website: "https://a.example"}) { id } }`, variables: map[string]any{"id": projectID}, code: "UNAUTHENTICATED"},
		{name: "publish to another user's project", token: other, query: publishMutation, variables: publish, code: "FORBIDDEN"},
		{name: "publish to another user's private project", token: other, query: publishMutation, variables: map[string]any{"input": map[string]any{"projectId": privateID, "idlJson": string(idl) + " "}}, code: "NOT_FOUND"},
		{name: "update another user's project", token: other, query: `mutation($id: ID!) { updateProject(id: $id, input: {name: "mine now"}) { id } }`, variables: map[string]any{"id": projectID}, code: "FORBIDDEN"},
		{name: "delete another user's project", token: other, query: `mutation($id: ID!) { deleteProject(id: $id) }`, variables: map[string]any{"id": projectID}, code: "FORBIDDEN"},
		{name: "key for another user's project", token: other, query: `mutation($id: ID!) { createApiKey(input: {projectId: $id, name: "ci"}) { key } }`, variables: map[string]any{"id": projectID}, code: "FORBIDDEN"},
		{name: "address on another user's project", token: other, query: `mutation($id: ID!) { addKnownAddress(projectId: $id, input: {label: "x", address: "11111111111111111111111111111111"}) { id } }`, variables: map[string]any{"id": projectID}, code: "FORBIDDEN"},
		{name: "custom docs on another user's project", token: other, query: `mutation($id: ID!) { setCustomDocs(projectId: $id, markdown: "# x") { id } }`, variables: map[string]any{"id": projectID}, code: "FORBIDDEN"},
		{name: "IDL that is an array", token: owner, query: uploadMutation, variables: upload(map[string]any{"idlJson": "[]"}), code: "BAD_USER_INPUT", field: "input.idlJson"},
		{name: "IDL that is not JSON", token: owner, query: uploadMutation, variables: upload(map[string]any{"idlJson": "{not json"}), code: "BAD_USER_INPUT", field: "input.idlJson"},
		{name: "IDL object of no format", token: owner, query: uploadMutation, variables: upload(map[string]any{"idlJson": `{"hello": "world"}`}), code: "BAD_USER_INPUT", field: "input.idlJson"},
		{name: "IDL with trailing data", token: owner, query: uploadMutation, variables: upload(map[string]any{"idlJson": string(idl) + "{}"}), code: "BAD_USER_INPUT", field: "input.idlJson"},
		{name: "IDL missing", token: owner, query: uploadMutation, variables: upload(map[string]any{"idlJson": nil}), code: "BAD_USER_INPUT", field: "input.idlJson"},
		{name: "invalid IDL on publish", token: owner, query: publishMutation, variables: map[string]any{"input": map[string]any{"projectId": projectID, "idlJson": "null"}}, code: "BAD_USER_INPUT", field: "input.idlJson"},
		{name: "program id not base58", token: owner, query: uploadMutation, variables: upload(map[string]any{"programId": "0OIl-not-base58"}), code: "BAD_USER_INPUT", field: "input.programId", message: "0OIl-not-base58"},
		{name: "program id of 31 bytes", token: owner, query: uploadMutation, variables: upload(map[string]any{"programId": "1111111111111111111111111111111"}), code: "BAD_USER_INPUT", field: "input.programId", message: "31 bytes"},
		{name: "empty name", token: owner, query: uploadMutation, variables: upload(map[string]any{"name": "   "}), code: "BAD_USER_INPUT", field: "input.name"},
		{name: "name of 101 characters", token: owner, query: uploadMutation, variables: upload(map[string]any{"name": strings.Repeat("n", 101)}), code: "BAD_USER_INPUT", field: "input.name"},
		{name: "name with a control character", token: owner, query: uploadMutation, variables: upload(map[string]any{"name": "bad\x07name"}), code: "BAD_USER_INPUT", field: "input.name"},
		{name: "description of 2001 characters", token: owner, query: uploadMutation, variables: upload(map[string]any{"description": strings.Repeat("d", 2001)}), code: "BAD_USER_INPUT", field: "input.description"},
		{name: "duplicate program id", token: owner, query: uploadMutation, variables: upload(map[string]any{"programId": programID("owned")}), code: "CONFLICT", field: "input.programId", message: programID("owned")},
		{name: "invalid known address", token: owner, query: `mutation($id: ID!) { addKnownAddress(projectId: $id, input: {label: "Treasury", address: "not-an-address"}) { id } }`, variables: map[string]any{"id": projectID}, code: "BAD_USER_INPUT", field: "input.address", message: "not-an-address"},
		{name: "known address of 33 bytes", token: owner, query: `mutation($id: ID!) { addKnownAddress(projectId: $id, input: {label: "Treasury", address: "JEKNVnkbo3jma5nREBBJCDoXFVeKkD56V3xKrvRmWxFH1"}) { id } }`, variables: map[string]any{"id": projectID}, code: "BAD_USER_INPUT", field: "input.address"},
		{name: "empty label", token: owner, query: `mutation($id: ID!) { addKnownAddress(projectId: $id, input: {label: "", address: "11111111111111111111111111111111"}) { id } }`, variables: map[string]any{"id": projectID}, code: "BAD_USER_INPUT", field: "input.label"},
		{name: "website over http", token: owner, query: `mutation($id: ID!) { setProjectSocials(projectId: $id, input: {website: "http://example.com"}) { id } }`, variables: map[string]any{"id": projectID}, code: "BAD_USER_INPUT", field: "input.website"},
		{name: "javascript URL", token: owner, query: `mutation($id: ID!) { setProjectSocials(projectId: $id, input: {website: "javascript:alert(1)"}) { id } }`, variables: map[string]any{"id": projectID}, code: "BAD_USER_INPUT", field: "input.website"},
		{name: "github link on another host", token: owner, query: `mutation($id: ID!) { setProjectSocials(projectId: $id, input: {github: "https://gitlab.com/x"}) { id } }`, variables: map[string]any{"id": projectID}, code: "BAD_USER_INPUT", field: "input.github"},
		{name: "URL with a password", token: owner, query: `mutation($id: ID!) { setProjectSocials(projectId: $id, input: {website: "https://user:pw@example.com"}) { id } }`, variables: map[string]any{"id": projectID}, code: "BAD_USER_INPUT", field: "input.website"},
		{name: "key that expired already", token: owner, query: `mutation($id: ID!) { createApiKey(input: {projectId: $id, name: "ci", expiresAt: "2000-01-01T00:00:00Z"}) { key } }`, variables: map[string]any{"id": projectID}, code: "BAD_USER_INPUT", field: "input.expiresAt"},
		{name: "first over 100", query: `{ projects(first: 101) { totalCount } }`, code: "BAD_USER_INPUT", field: "first", message: "101"},
		{name: "negative first", query: `{ projects(first: -1) { totalCount } }`, code: "BAD_USER_INPUT", field: "first"},
		{name: "nested first over 100", query: `{ projects { edges { node { versions(first: 500) { totalCount } } } } }`, code: "BAD_USER_INPUT", field: "first"},
		{name: "cursor of another list", query: `{ projects(after: "dmVyc2lvbjoy") { totalCount } }`, code: "BAD_USER_INPUT", field: "after"},
		{name: "cursor that is not base64", query: `{ projects(after: "%%%") { totalCount } }`, code: "BAD_USER_INPUT", field: "after"},
		{name: "mine without signing in", query: `{ projects(filter: {mine: true}) { totalCount } }`, code: "UNAUTHENTICATED"},
		{name: "unknown field", query: `{ projects { nope } }`, code: "BAD_USER_INPUT"},
		{name: "variable of the wrong type", query: `query($n: Int) { projects(first: $n) { totalCount } }`, variables: map[string]any{"n": "ten"}, code: "BAD_USER_INPUT"},
	}

	before := rowCounts(t, s)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := s.Query(t, tc.token, tc.query, tc.variables)
			require.NotEmpty(t, res.Errors, "expected an error, got %s", res.Body)
			assert.Equal(t, tc.code, res.Code(0), "error code of %s", res.Body)
			if tc.field != "" {
				assert.Equal(t, tc.field, res.Errors[0].Extensions["field"], "extensions.field of %s", res.Body)
			}
			if tc.message != "" {
				assert.Contains(t, res.Errors[0].Message, tc.message, "message must name the value")
			}
			assert.NotContains(t, strings.ToLower(string(res.Body)), "constraint", "no SQL detail may leak")
			assert.NotContains(t, strings.ToLower(string(res.Body)), "sqlite", "no SQL detail may leak")
		})
	}

	require.Equal(t, before, rowCounts(t, s), "rejected requests must store nothing")
}

func TestInvalidIDLListsProblems(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")

	res := s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{
		"name": "broken", "programId": programID("broken"), "idlJson": `{"hello": "world"}`,
	}})

	require.Equal(t, "BAD_USER_INPUT", res.Code(0), "code of %s", res.Body)
	problems, ok := res.Errors[0].Extensions["problems"].([]any)
	require.True(t, ok, "extensions.problems must be a list: %s", res.Body)
	require.NotEmpty(t, problems, "extensions.problems must not be empty")
	first, ok := problems[0].(map[string]any)
	require.True(t, ok, "a problem must be an object: %v", problems[0])
	assert.NotEmpty(t, first["path"], "a problem names its path")
	assert.NotEmpty(t, first["message"], "a problem says what is wrong")
}

package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/testserver"
	"github.com/orquestra/orquestra/models"
)

// caller is one kind of credentials of the authorization matrix.
type caller string

const (
	anonymous      caller = "anonymous"
	otherUser      caller = "another user"
	owner          caller = "owner"
	projectKey     caller = "project key"
	otherKey       caller = "another project's key"
	revokedKey     caller = "revoked key"
	expiredKey     caller = "expired key"
	rotatedKey     caller = "rotated-away key"
	expiredJWT     caller = "expired JWT"
	deletedUserJWT caller = "deleted user's JWT"
)

// callers lists every caller. The owner comes last, so that mutations the
// owner may make (deleting the project, revoking the target key) run after
// every other caller's attempt on the same fixture.
var callers = []caller{
	anonymous, otherUser, projectKey, otherKey, revokedKey, expiredKey, rotatedKey, expiredJWT, deletedUserJWT, owner,
}

// unusable are the callers whose credentials are rejected before any
// resolver runs.
var unusable = map[caller]bool{revokedKey: true, expiredKey: true, rotatedKey: true, expiredJWT: true, deletedUserJWT: true}

// matrixFixture is a server with the owner's project, the keys and tokens of
// every caller, and rows for the mutations to act on.
type matrixFixture struct {
	s         *testserver.Server
	projectID string
	// targetKeyID is a key of the project for rotateApiKey and revokeApiKey,
	// kept apart from the keys that act as callers.
	targetKeyID string
	addressID   string
	// idl is the IDL the project was created with, for uploads and publishes.
	idl   []byte
	creds map[caller]testserver.Credentials
}

func newMatrixFixture(t *testing.T, public bool) *matrixFixture {
	t.Helper()
	ctx := context.Background()

	s := testserver.Start(t)
	ownerToken, otherToken := s.Token(t, "owner"), s.Token(t, "other")
	f := &matrixFixture{s: s, idl: smallIDL(t), creds: map[caller]testserver.Credentials{
		anonymous: {},
		owner:     {Token: ownerToken},
		otherUser: {Token: otherToken},
	}}

	f.projectID = createProject(t, s, ownerToken, "matrix", f.idl, public)
	otherProject := createProject(t, s, otherToken, "other project", f.idl, true)

	valid, _ := createKey(t, s, ownerToken, f.projectID, "ci")
	f.creds[projectKey] = testserver.Credentials{APIKey: valid}
	other, _ := createKey(t, s, otherToken, otherProject, "ci")
	f.creds[otherKey] = testserver.Credentials{APIKey: other}
	_, f.targetKeyID = createKey(t, s, ownerToken, f.projectID, "target")

	revoked, revokedID := createKey(t, s, ownerToken, f.projectID, "revoked")
	s.Query(t, ownerToken, `mutation($id: ID!) { revokeApiKey(id: $id) }`, map[string]any{"id": revokedID}).Decode(t, &struct{}{})
	f.creds[revokedKey] = testserver.Credentials{APIKey: revoked}

	expired, expiredID := createKey(t, s, ownerToken, f.projectID, "expired")
	expireKey(t, s, expiredID, time.Now().Add(-time.Minute))
	f.creds[expiredKey] = testserver.Credentials{APIKey: expired}

	rotated, rotatedID := createKey(t, s, ownerToken, f.projectID, "rotated")
	s.Query(t, ownerToken, `mutation($id: ID!) { rotateApiKey(id: $id) { key } }`, map[string]any{"id": rotatedID}).Decode(t, &struct{}{})
	f.creds[rotatedKey] = testserver.Credentials{APIKey: rotated}

	f.creds[expiredJWT] = testserver.Credentials{Token: expiredToken(t, s, s.UserID(t, "owner"))}

	goneToken := s.Token(t, "gone")
	require.NoError(t, s.Store.DeleteUser(ctx, s.UserID(t, "gone")), "delete user gone")
	f.creds[deletedUserJWT] = testserver.Credentials{Token: goneToken}

	var address struct{ AddKnownAddress struct{ ID string } }
	s.Query(t, ownerToken, `mutation($id: ID!) { addKnownAddress(projectId: $id, input: {label: "Vault", address: "11111111111111111111111111111111"}) { id } }`,
		map[string]any{"id": f.projectID}).Decode(t, &address)
	f.addressID = address.AddKnownAddress.ID

	return f
}

// createKey creates an API key and returns the key and its id.
func createKey(t *testing.T, s *testserver.Server, token, projectID, name string) (key, id string) {
	t.Helper()

	var out struct {
		CreateApiKey struct {
			Key    string
			APIKey struct{ ID string } `json:"apiKey"`
		}
	}
	s.Query(t, token, `mutation($id: ID!, $name: String!) { createApiKey(input: {projectId: $id, name: $name}) { key apiKey { id } } }`,
		map[string]any{"id": projectID, "name": name}).Decode(t, &out)

	return out.CreateApiKey.Key, out.CreateApiKey.APIKey.ID
}

// expireKey sets a key's expiry directly in the database.
func expireKey(t *testing.T, s *testserver.Server, id string, at time.Time) {
	t.Helper()

	_, err := s.Store.WriteDB().NewUpdate().Model((*models.APIKey)(nil)).
		Set("expires_at = ?", at.UTC()).Where("id = ?", id).Exec(context.Background())
	require.NoError(t, err, "set expires_at of key %s", id)
}

// expiredToken signs a token with the server's secret that expired an hour ago.
func expiredToken(t *testing.T, s *testserver.Server, userID string) string {
	t.Helper()

	secret, err := s.Store.Setting(context.Background(), "jwt_secret", auth.GenerateSecret)
	require.NoError(t, err, "read JWT secret")

	now := time.Now()
	claims := jwt.RegisteredClaims{
		Subject:   userID,
		Issuer:    auth.Issuer,
		IssuedAt:  jwt.NewNumericDate(now.Add(-2 * time.Hour)),
		ExpiresAt: jwt.NewNumericDate(now.Add(-time.Hour)),
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
	require.NoError(t, err, "sign expired token")

	return token
}

// mutationCase is one row of the matrix: a mutation and the outcome for
// each caller, "OK" or an error code.
type mutationCase struct {
	query  string
	vars   func(f *matrixFixture, c caller) map[string]any
	expect func(c caller, public bool) string
}

// ownerOnly is the outcome of a mutation only the owner may make. Another
// user sees a private project as missing.
func ownerOnly(c caller, public bool) string {
	switch {
	case unusable[c] || c == anonymous:
		return "UNAUTHENTICATED"
	case c == owner:
		return "OK"
	case c == otherUser && !public:
		return "NOT_FOUND"
	default:
		return "FORBIDDEN"
	}
}

func projectVars(f *matrixFixture, _ caller) map[string]any {
	return map[string]any{"id": f.projectID}
}

var mutationMatrix = map[string]mutationCase{
	"uploadIdl": {
		query: `mutation($input: UploadIdlInput!) { uploadIdl(input: $input) { project { id } } }`,
		vars: func(f *matrixFixture, c caller) map[string]any {
			return map[string]any{"input": map[string]any{"name": "upload " + string(c), "programId": programID("upload " + string(c)), "idlJson": string(f.idl)}}
		},
		expect: func(c caller, _ bool) string {
			switch {
			case unusable[c] || c == anonymous:
				return "UNAUTHENTICATED"
			case c == projectKey || c == otherKey:
				return "FORBIDDEN"
			default:
				return "OK"
			}
		},
	},
	"publishIdlVersion": {
		query: `mutation($id: ID!, $idl: String!) { publishIdlVersion(input: {projectId: $id, idlJson: $idl}) { version } }`,
		vars: func(f *matrixFixture, _ caller) map[string]any {
			return map[string]any{"id": f.projectID, "idl": string(f.idl)}
		},
		expect: func(c caller, public bool) string {
			if c == projectKey {
				return "OK"
			}
			return ownerOnly(c, public)
		},
	},
	"updateProject": {
		query:  `mutation($id: ID!) { updateProject(id: $id, input: {name: "renamed"}) { id } }`,
		vars:   projectVars,
		expect: ownerOnly,
	},
	"deleteProject": {
		query:  `mutation($id: ID!) { deleteProject(id: $id) }`,
		vars:   projectVars,
		expect: ownerOnly,
	},
	"createApiKey": {
		query:  `mutation($id: ID!) { createApiKey(input: {projectId: $id, name: "new"}) { key } }`,
		vars:   projectVars,
		expect: ownerOnly,
	},
	"rotateApiKey": {
		query:  `mutation($id: ID!) { rotateApiKey(id: $id) { key } }`,
		vars:   func(f *matrixFixture, _ caller) map[string]any { return map[string]any{"id": f.targetKeyID} },
		expect: ownerOnly,
	},
	"revokeApiKey": {
		query:  `mutation($id: ID!) { revokeApiKey(id: $id) }`,
		vars:   func(f *matrixFixture, _ caller) map[string]any { return map[string]any{"id": f.targetKeyID} },
		expect: ownerOnly,
	},
	"setProjectSocials": {
		query:  `mutation($id: ID!) { setProjectSocials(projectId: $id, input: {github: "orquestra"}) { id } }`,
		vars:   projectVars,
		expect: ownerOnly,
	},
	"addKnownAddress": {
		query:  `mutation($id: ID!) { addKnownAddress(projectId: $id, input: {label: "Rent", address: "SysvarRent111111111111111111111111111111111"}) { id } }`,
		vars:   projectVars,
		expect: ownerOnly,
	},
	"updateKnownAddress": {
		query:  `mutation($id: ID!) { updateKnownAddress(id: $id, input: {label: "Vault 2", address: "11111111111111111111111111111111"}) { id } }`,
		vars:   func(f *matrixFixture, _ caller) map[string]any { return map[string]any{"id": f.addressID} },
		expect: ownerOnly,
	},
	"deleteKnownAddress": {
		query:  `mutation($id: ID!) { deleteKnownAddress(id: $id) }`,
		vars:   func(f *matrixFixture, _ caller) map[string]any { return map[string]any{"id": f.addressID} },
		expect: ownerOnly,
	},
	"setCustomDocs": {
		query:  `mutation($id: ID!) { setCustomDocs(projectId: $id, markdown: "# Custom") { id } }`,
		vars:   projectVars,
		expect: ownerOnly,
	},
	"resetCustomDocs": {
		query:  `mutation($id: ID!) { resetCustomDocs(projectId: $id) { id } }`,
		vars:   projectVars,
		expect: ownerOnly,
	},
}

// outcome returns "OK" for a response without errors, and the first error's
// code otherwise.
func outcome(res *testserver.Response) string {
	if len(res.Errors) > 0 {
		return res.Code(0)
	}
	if len(res.Data) == 0 || string(res.Data) == "null" {
		return "no data"
	}

	return "OK"
}

func TestAuthorizationMatrixCoversEveryMutation(t *testing.T) {
	s := testserver.Start(t)

	var schema struct {
		Schema struct {
			MutationType struct {
				Fields []struct{ Name string }
			}
		} `json:"__schema"`
	}
	s.Query(t, "", `{ __schema { mutationType { fields { name } } } }`, nil).Decode(t, &schema)

	var inSchema, inMatrix []string
	for _, field := range schema.Schema.MutationType.Fields {
		inSchema = append(inSchema, field.Name)
	}
	for name := range mutationMatrix {
		inMatrix = append(inMatrix, name)
	}
	sort.Strings(inSchema)
	sort.Strings(inMatrix)
	assert.Equal(t, inSchema, inMatrix, "every mutation of the schema needs a row in mutationMatrix, and every row a mutation")
}

func TestAuthorizationMatrixMutations(t *testing.T) {
	for _, public := range []bool{false, true} {
		visibility := map[bool]string{false: "private project", true: "public project"}[public]
		for name, row := range mutationMatrix {
			t.Run(visibility+"/"+name, func(t *testing.T) {
				f := newMatrixFixture(t, public)
				for _, c := range callers {
					res := f.s.QueryAs(t, f.creds[c], row.query, row.vars(f, c))
					want := row.expect(c, public)
					assert.Equal(t, want, outcome(res), "%s as %s: %s", name, c, res.Body)
					if unusable[c] {
						assert.Equal(t, http.StatusUnauthorized, res.Status, "%s as %s: HTTP status", name, c)
					}
				}
			})
		}
	}
}

// readOutcome names what a read returned: an error code, "null" or "value".
func readOutcome(t *testing.T, res *testserver.Response, path ...string) string {
	t.Helper()

	if len(res.Errors) > 0 {
		return res.Code(0)
	}

	var value any
	require.NoError(t, json.Unmarshal(res.Data, &value), "decode %s", res.Data)
	for _, key := range path {
		object, ok := value.(map[string]any)
		if !ok || object[key] == nil {
			return "null"
		}
		value = object[key]
	}

	return "value"
}

func TestAuthorizationMatrixReads(t *testing.T) {
	type read struct {
		query string
		path  []string
		// expect returns the outcome for a caller that is not unusable.
		expect func(c caller, public bool) string
	}
	seesProject := func(c caller, public bool) bool {
		return public || c == owner || c == projectKey
	}
	reads := map[string]read{
		"project": {
			query: `query($id: ID!) { project(id: $id) { id } }`,
			path:  []string{"project"},
			expect: func(c caller, public bool) string {
				return map[bool]string{true: "value", false: "null"}[seesProject(c, public)]
			},
		},
		"Project.apiKeys": {
			query: `query($id: ID!) { project(id: $id) { apiKeys { id } } }`,
			path:  []string{"project", "apiKeys"},
			expect: func(c caller, public bool) string {
				switch {
				case c == owner:
					return "value"
				case !seesProject(c, public):
					return "null"
				default:
					return "FORBIDDEN"
				}
			},
		},
		"User.email": {
			query: `{ user(username: "owner") { email } }`,
			path:  []string{"user", "email"},
			expect: func(c caller, _ bool) string {
				return map[bool]string{true: "value", false: "null"}[c == owner]
			},
		},
		"me": {
			query: `{ me { id } }`,
			path:  []string{"me"},
			expect: func(c caller, _ bool) string {
				return map[bool]string{true: "value", false: "null"}[c == owner || c == otherUser]
			},
		},
	}

	for _, public := range []bool{false, true} {
		visibility := map[bool]string{false: "private project", true: "public project"}[public]
		t.Run(visibility, func(t *testing.T) {
			f := newMatrixFixture(t, public)
			for name, r := range reads {
				for _, c := range callers {
					res := f.s.QueryAs(t, f.creds[c], r.query, map[string]any{"id": f.projectID})
					want := "UNAUTHENTICATED"
					if !unusable[c] {
						want = r.expect(c, public)
					}
					assert.Equal(t, want, readOutcome(t, res, r.path...), "%s as %s: %s", name, c, res.Body)
				}
			}
		})
	}
}

func TestProjectListShowsPrivateProjectToItsKey(t *testing.T) {
	f := newMatrixFixture(t, false)

	for _, c := range []caller{anonymous, otherUser, owner, projectKey, otherKey} {
		var out struct {
			Projects struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		f.s.QueryAs(t, f.creds[c], `{ projects(filter: {ownerUsername: "owner"}) { edges { node { id } } } }`, nil).Decode(t, &out)

		listed := false
		for _, edge := range out.Projects.Edges {
			listed = listed || edge.Node.ID == f.projectID
		}
		want := c == owner || c == projectKey
		assert.Equal(t, want, listed, "the private project listed for %s", c)
	}
}

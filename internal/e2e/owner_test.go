package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/testserver"
)

func TestSocialsUpsertKeepsIDAndNormalises(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	id := createProject(t, s, token, "socials", smallIDL(t), true)

	type socials struct {
		ID, CreatedAt                               string
		Twitter, Discord, Telegram, Github, Website *string
	}
	set := func(input string) socials {
		var out struct{ SetProjectSocials socials }
		s.Query(t, token, `mutation($id: ID!) { setProjectSocials(projectId: $id, input: `+input+`) { id createdAt twitter discord telegram github website } }`,
			map[string]any{"id": id}).Decode(t, &out)
		return out.SetProjectSocials
	}

	first := set(`{twitter: "@orquestra", telegram: "orquestra_chat", github: "orquestra", discord: "https://discord.gg/abc", website: "https://Example.com/docs"}`)
	require.NotNil(t, first.Twitter, "twitter set")
	assert.Equal(t, "https://x.com/orquestra", *first.Twitter, "a handle is stored as a URL")
	assert.Equal(t, "https://t.me/orquestra_chat", *first.Telegram, "telegram handle")
	assert.Equal(t, "https://github.com/orquestra", *first.Github, "github handle")
	assert.Equal(t, "https://discord.gg/abc", *first.Discord, "discord link")
	assert.Equal(t, "https://example.com/docs", *first.Website, "the host is lower-cased")

	second := set(`{twitter: null, website: ""}`)
	assert.Equal(t, first.ID, second.ID, "an upsert keeps the row's id")
	assert.Equal(t, first.CreatedAt, second.CreatedAt, "an upsert keeps createdAt")
	assert.Nil(t, second.Twitter, "null clears a link")
	assert.Nil(t, second.Website, "an empty string clears a link")
	require.NotNil(t, second.Github, "a field left out keeps its value")
	assert.Equal(t, "https://github.com/orquestra", *second.Github, "github kept")
}

func TestKnownAddressLifecycle(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	id := createProject(t, s, token, "addresses", smallIDL(t), true)

	var added struct {
		AddKnownAddress struct{ ID, Label, Address string }
	}
	s.Query(t, token, `mutation($id: ID!) { addKnownAddress(projectId: $id, input: {label: " Treasury ", address: "11111111111111111111111111111111", description: "main"}) { id label address } }`,
		map[string]any{"id": id}).Decode(t, &added)
	assert.Equal(t, "Treasury", added.AddKnownAddress.Label, "the label is trimmed")

	var updated struct {
		UpdateKnownAddress struct {
			ID, Label   string
			Description *string
		}
	}
	s.Query(t, token, `mutation($id: ID!) { updateKnownAddress(id: $id, input: {label: "Vault", address: "SysvarRent111111111111111111111111111111111"}) { id label description } }`,
		map[string]any{"id": added.AddKnownAddress.ID}).Decode(t, &updated)
	assert.Equal(t, added.AddKnownAddress.ID, updated.UpdateKnownAddress.ID, "update keeps the id")
	assert.Equal(t, "Vault", updated.UpdateKnownAddress.Label, "label updated")
	assert.Nil(t, updated.UpdateKnownAddress.Description, "a description left out is cleared")

	other := s.Token(t, "other")
	res := s.Query(t, other, `mutation($id: ID!) { deleteKnownAddress(id: $id) }`, map[string]any{"id": added.AddKnownAddress.ID})
	assert.Equal(t, "FORBIDDEN", res.Code(0), "another user may not delete it: %s", res.Body)

	var deleted struct{ DeleteKnownAddress string }
	s.Query(t, token, `mutation($id: ID!) { deleteKnownAddress(id: $id) }`, map[string]any{"id": added.AddKnownAddress.ID}).Decode(t, &deleted)
	assert.Equal(t, added.AddKnownAddress.ID, deleted.DeleteKnownAddress, "delete returns the id")
	assert.Zero(t, rowCounts(t, s)["known_addresses"], "the address is gone")
}

func TestCustomDocsOverrideAndReset(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")

	res := s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{
		"name": "docs", "programId": programID("docs"), "idlJson": string(smallIDL(t)), "cpiMd": "# Uploaded docs",
	}})
	var created uploaded
	res.Decode(t, &created)
	id := created.UploadIdl.Project.ID

	docs := func() (custom, docs *string) {
		var out struct {
			Project struct{ CustomDocs, Docs *string }
		}
		s.Query(t, "", `query($id: ID!) { project(id: $id) { customDocs docs } }`, map[string]any{"id": id}).Decode(t, &out)
		return out.Project.CustomDocs, out.Project.Docs
	}

	custom, served := docs()
	assert.Nil(t, custom, "no custom docs at first")
	require.NotNil(t, served, "docs served from the version")
	assert.Equal(t, "# Uploaded docs", *served, "uploaded Markdown is stored as given")

	s.Query(t, token, `mutation($id: ID!) { setCustomDocs(projectId: $id, markdown: "# Mine") { id } }`, map[string]any{"id": id}).Decode(t, &struct{}{})
	custom, served = docs()
	require.NotNil(t, custom, "custom docs set")
	assert.Equal(t, "# Mine", *served, "custom docs win")

	s.Query(t, token, `mutation($id: ID!) { resetCustomDocs(projectId: $id) { id } }`, map[string]any{"id": id}).Decode(t, &struct{}{})
	custom, served = docs()
	assert.Nil(t, custom, "custom docs reset")
	assert.Equal(t, "# Uploaded docs", *served, "version docs served again")
}

func TestAPIKeyShownOnceAndStoredHashed(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	id := createProject(t, s, token, "keys", smallIDL(t), true)

	type created struct {
		Key    string
		APIKey struct{ ID, Name, Prefix string }
	}
	var out struct{ CreateApiKey created }
	s.Query(t, token, `mutation($id: ID!) { createApiKey(input: {projectId: $id, name: "ci", expiresAt: "2099-01-01T00:00:00Z"}) { key apiKey { id name prefix } } }`,
		map[string]any{"id": id}).Decode(t, &out)
	key := out.CreateApiKey
	require.True(t, strings.HasPrefix(key.Key, "orq_"), "keys start with orq_: %s", key.Key)
	assert.GreaterOrEqual(t, len(key.Key), 4+43, "a key carries at least 32 random bytes in base58")
	assert.True(t, strings.HasPrefix(key.Key, key.APIKey.Prefix), "the prefix is the key's start")

	var stored string
	err := s.Store.DB().QueryRowContext(context.Background(), "SELECT key FROM api_keys WHERE id = ?", key.APIKey.ID).Scan(&stored)
	require.NoError(t, err, "read stored key")
	assert.Equal(t, auth.HashAPIKey(key.Key), stored, "the database holds the SHA-256 of the key")
	assert.NotContains(t, stored, key.Key[4:], "the database never holds the key")

	var listed struct {
		Project struct {
			APIKeys []map[string]any
		}
	}
	s.Query(t, token, `query($id: ID!) { project(id: $id) { apiKeys { id name prefix createdAt lastUsed expiresAt } } }`, map[string]any{"id": id}).Decode(t, &listed)
	require.Len(t, listed.Project.APIKeys, 1, "one key listed")
	for field, value := range listed.Project.APIKeys[0] {
		assert.NotEqual(t, key.Key, value, "field %s must not show the key", field)
	}

	var rotated struct{ RotateApiKey created }
	s.Query(t, token, `mutation($id: ID!) { rotateApiKey(id: $id) { key apiKey { id name prefix } } }`, map[string]any{"id": key.APIKey.ID}).Decode(t, &rotated)
	assert.Equal(t, key.APIKey.ID, rotated.RotateApiKey.APIKey.ID, "rotation keeps the key's id")
	assert.NotEqual(t, key.Key, rotated.RotateApiKey.Key, "rotation makes a new key")
	err = s.Store.DB().QueryRowContext(context.Background(), "SELECT key FROM api_keys WHERE id = ?", key.APIKey.ID).Scan(&stored)
	require.NoError(t, err, "read rotated key")
	assert.Equal(t, auth.HashAPIKey(rotated.RotateApiKey.Key), stored, "the new hash replaces the old")

	var revoked struct{ RevokeApiKey string }
	s.Query(t, token, `mutation($id: ID!) { revokeApiKey(id: $id) }`, map[string]any{"id": key.APIKey.ID}).Decode(t, &revoked)
	assert.Equal(t, key.APIKey.ID, revoked.RevokeApiKey, "revoke returns the id")
	assert.Zero(t, rowCounts(t, s)["api_keys"], "a revoked key is gone")
}

func TestUpdateProjectFields(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	id := createProject(t, s, token, "before", smallIDL(t), true)

	var out struct {
		UpdateProject struct {
			Name, Description    string
			IsPublic             bool
			CreatedAt, UpdatedAt string
		}
	}
	s.Query(t, token, `mutation($id: ID!) { updateProject(id: $id, input: {name: " after ", description: "new text", isPublic: false}) { name description isPublic createdAt updatedAt } }`,
		map[string]any{"id": id}).Decode(t, &out)
	assert.Equal(t, "after", out.UpdateProject.Name, "name trimmed and updated")
	assert.Equal(t, "new text", out.UpdateProject.Description, "description updated")
	assert.False(t, out.UpdateProject.IsPublic, "made private")
	assert.True(t, strings.HasSuffix(out.UpdateProject.UpdatedAt, "Z"), "times are UTC RFC 3339: %s", out.UpdateProject.UpdatedAt)

	var anon struct{ Project *struct{ ID string } }
	s.Query(t, "", `query($id: ID!) { project(id: $id) { id } }`, map[string]any{"id": id}).Decode(t, &anon)
	assert.Nil(t, anon.Project, "a project made private disappears for others")
}

// Each root field of a mutation reads the writes of the fields before it,
// not rows the request's loaders cached earlier.
func TestMutationFieldsSeeEarlierWrites(t *testing.T) {
	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	id := createProject(t, s, owner, "fresh reads", smallIDL(t), true)

	var out struct {
		A struct{ VersionCount int }
		S struct{ Twitter string }
		V struct {
			Version int
			Project struct {
				VersionCount  int
				LatestVersion struct{ Version int }
				Socials       struct{ Twitter string }
			}
		}
	}
	s.Query(t, owner, `mutation($id: ID!, $idl: String!) {
		a: updateProject(id: $id, input: {name: "fresh reads"}) { versionCount socials { twitter } }
		s: setProjectSocials(projectId: $id, input: {twitter: "https://x.com/fresh"}) { twitter }
		v: publishIdlVersion(input: {projectId: $id, idlJson: $idl}) { version project { versionCount latestVersion { version } socials { twitter } } }
	}`, map[string]any{"id": id, "idl": string(smallIDL(t)) + " "}).Decode(t, &out)

	assert.Equal(t, 1, out.A.VersionCount, "one version before the publish")
	assert.Equal(t, 2, out.V.Version, "the published version")
	assert.Equal(t, 2, out.V.Project.VersionCount, "the count read after the publish")
	assert.Equal(t, 2, out.V.Project.LatestVersion.Version, "the latest version read after the publish")
	assert.Equal(t, out.S.Twitter, out.V.Project.Socials.Twitter, "socials read after they were set")
}

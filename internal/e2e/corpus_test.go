package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/testserver"
)

var corpusFormats = map[string]string{
	"anchor-legacy": "ANCHOR_LEGACY",
	"anchor-v030":   "ANCHOR",
	"codama":        "CODAMA",
}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// send uploads or publishes one IDL, as a multipart file when multipart is
// true and as a JSON string otherwise.
func send(t *testing.T, s *testserver.Server, token, mutation string, input map[string]any, idl []byte, multipart bool) *testserver.Response {
	t.Helper()

	if !multipart {
		input["idlJson"] = string(idl)
		return s.Query(t, token, mutation, map[string]any{"input": input})
	}

	input["idl"] = nil
	file := testserver.File{Path: "variables.input.idl", Name: "idl.json", Content: idl}
	return s.Multipart(t, token, mutation, map[string]any{"input": input}, file)
}

// corpusProject is one corpus IDL uploaded as a project by its own owner,
// since some files are versions of one program, which one owner may
// register only once.
type corpusProject struct {
	file  corpus.File
	owner string
	token string
}

func TestCorpusUploadPublishReadDelete(t *testing.T) {
	s := testserver.Start(t)
	files := testIDLs(t)

	projects := make(map[string]corpusProject, len(files))
	for i, f := range files {
		owner := fmt.Sprintf("corpus-%02d", i)
		p := corpusProject{file: f, owner: owner, token: s.Token(t, owner)}
		projects[uploadAndPublish(t, s, p.token, i, f)] = p
	}

	for id, p := range projects {
		checkProjectGraph(t, s, p.token, id, p)
	}

	seen := pageThroughProjects(t, s, "", 7)
	require.Len(t, seen, len(files), "paging through projects found %d projects, want %d", len(seen), len(files))
	for id := range projects {
		assert.Equal(t, 1, seen[id], "project %s seen %d times while paging", id, seen[id])
	}

	deleteProjectAndUsers(t, s, projects)
}

func uploadAndPublish(t *testing.T, s *testserver.Server, token string, i int, f corpus.File) string {
	t.Helper()
	multipart := i%2 == 1
	wantFormat := corpusFormats[corpus.Format(f.Name)]

	programID := declaredProgramID(t, f.Data, f.Name)
	input := map[string]any{"name": f.Name, "programId": programID, "description": "corpus file " + f.Name}
	res := send(t, s, token, uploadMutation, input, f.Data, multipart)
	var created uploaded
	res.Decode(t, &created)

	v1 := created.UploadIdl.Version
	require.Equal(t, 1, v1.Version, "%s: first version number", f.Name)
	require.Equal(t, wantFormat, v1.Format, "%s: detected format", f.Name)
	require.Equal(t, hashOf(f.Data), v1.SHA256, "%s: stored hash must be the file's hash", f.Name)
	require.Equal(t, len(f.Data), v1.SizeBytes, "%s: stored size must be the file's size", f.Name)

	projectID := created.UploadIdl.Project.ID
	second := append(append([]byte{}, f.Data...), '\n')
	res = send(t, s, token, publishMutation, map[string]any{"projectId": projectID}, second, !multipart)
	var published struct{ PublishIdlVersion versionFields }
	res.Decode(t, &published)
	require.Equal(t, 2, published.PublishIdlVersion.Version, "%s: published version number", f.Name)

	res = send(t, s, token, publishMutation, map[string]any{"projectId": projectID}, second, multipart)
	var again struct{ PublishIdlVersion versionFields }
	res.Decode(t, &again)
	require.Equal(t, published.PublishIdlVersion.ID, again.PublishIdlVersion.ID, "%s: an identical re-upload must return the latest version", f.Name)

	return projectID
}

const projectGraphQuery = `query Project($id: ID!) {
  project(id: $id) {
    id name programId isPublic
    owner { username projectCount versionCount projects(first: 1) { totalCount } }
    latestVersion { version sha256 sizeBytes idlJson project { id } }
    first: version(number: 1) { version sha256 idl }
    missing: version(number: 99) { id }
    versionCount
    versions(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { version } } }
    socials { id twitter }
    knownAddresses { id }
  }
}`

func checkProjectGraph(t *testing.T, s *testserver.Server, token, id string, cp corpusProject) {
	t.Helper()
	f := cp.file

	var out struct {
		Project struct {
			ID    string
			Name  string
			Owner struct {
				Username     string
				ProjectCount int
				VersionCount int
			}
			LatestVersion struct {
				Version   int
				SHA256    string
				SizeBytes int
				IdlJSON   string
				Project   struct{ ID string }
			}
			First struct {
				Version int
				SHA256  string
				Idl     json.RawMessage
			}
			Missing      *struct{ ID string }
			VersionCount int
			Versions     struct {
				TotalCount int
				PageInfo   struct{ HasNextPage bool }
				Edges      []struct{ Node struct{ Version int } }
			}
			Socials        *struct{ ID string }
			KnownAddresses []struct{ ID string }
		}
	}
	s.Query(t, token, projectGraphQuery, map[string]any{"id": id}).Decode(t, &out)

	p := out.Project
	second := string(f.Data) + "\n"
	assert.Equal(t, f.Name, p.Name, "project name")
	assert.Equal(t, cp.owner, p.Owner.Username, "%s: owner", f.Name)
	assert.Equal(t, 2, p.LatestVersion.Version, "%s: latest version", f.Name)
	assert.Equal(t, second, p.LatestVersion.IdlJSON, "%s: latest idlJson must be the uploaded bytes", f.Name)
	assert.Equal(t, hashOf([]byte(second)), p.LatestVersion.SHA256, "%s: latest sha256", f.Name)
	assert.Equal(t, id, p.LatestVersion.Project.ID, "%s: version's project", f.Name)
	assert.Equal(t, hashOf(f.Data), p.First.SHA256, "%s: version 1 sha256", f.Name)
	assert.True(t, json.Valid(p.First.Idl), "%s: idl must be JSON", f.Name)
	assert.Nil(t, p.Missing, "%s: version 99 must be null", f.Name)
	assert.Equal(t, 2, p.VersionCount, "%s: versionCount", f.Name)
	assert.Equal(t, 2, p.Versions.TotalCount, "%s: versions totalCount", f.Name)
	assert.True(t, p.Versions.PageInfo.HasNextPage, "%s: versions(first: 1) must have a next page", f.Name)
	require.Len(t, p.Versions.Edges, 1, "%s: versions(first: 1) edges", f.Name)
	assert.Equal(t, 2, p.Versions.Edges[0].Node.Version, "%s: newest version first", f.Name)
	assert.NotNil(t, p.Socials, "%s: every project has a socials row", f.Name)
	assert.Empty(t, p.KnownAddresses, "%s: no known addresses yet", f.Name)
	assert.Positive(t, p.Owner.ProjectCount, "%s: owner's projectCount", f.Name)
}

const projectsPageQuery = `query Page($first: Int, $after: String) {
  projects(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id } }
  }
}`

func pageThroughProjects(t *testing.T, s *testserver.Server, token string, pageSize int) map[string]int {
	t.Helper()

	seen := map[string]int{}
	var after any
	for page := 0; ; page++ {
		require.Less(t, page, 1000, "paging did not end")

		var out struct {
			Projects struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   *string
				}
				Edges []struct {
					Cursor string
					Node   struct{ ID string }
				}
			}
		}
		s.Query(t, token, projectsPageQuery, map[string]any{"first": pageSize, "after": after}).Decode(t, &out)

		for _, e := range out.Projects.Edges {
			seen[e.Node.ID]++
		}
		if !out.Projects.PageInfo.HasNextPage {
			return seen
		}
		require.NotNil(t, out.Projects.PageInfo.EndCursor, "a page with a next page needs an endCursor")
		after = *out.Projects.PageInfo.EndCursor
	}
}

func deleteProjectAndUsers(t *testing.T, s *testserver.Server, projects map[string]corpusProject) {
	t.Helper()

	var victim string
	for id := range projects {
		victim = id
		break
	}
	token := projects[victim].token

	res := s.Query(t, token, `mutation($id: ID!) { deleteProject(id: $id) }`, map[string]any{"id": victim})
	var out struct{ DeleteProject string }
	res.Decode(t, &out)
	require.Equal(t, victim, out.DeleteProject, "deleteProject returns the id")

	counts := rowCounts(t, s)
	require.Equal(t, len(projects)-1, counts["projects"], "projects after deleting one")
	require.Equal(t, 2*(len(projects)-1), counts["idl_versions"], "versions after deleting one project")
	require.Equal(t, len(projects)-1, counts["project_socials"], "socials after deleting one project")
	requireNoOrphans(t, s)

	var gone struct{ Project *struct{ ID string } }
	s.Query(t, token, `query($id: ID!) { project(id: $id) { id } }`, map[string]any{"id": victim}).Decode(t, &gone)
	require.Nil(t, gone.Project, "a deleted project must be null")

	for _, p := range projects {
		require.NoError(t, s.Store.DeleteUser(t.Context(), s.UserID(t, p.owner)), "delete user %s", p.owner)
	}
	counts = rowCounts(t, s)
	for table, n := range counts {
		assert.Zero(t, n, "%s must be empty after deleting every user", table)
	}
	requireNoOrphans(t, s)

	res = s.Query(t, token, `{ me { id } }`, nil)
	require.Equal(t, 401, res.Status, "a token of a deleted user must be rejected: %s", res.Body)
	require.Equal(t, "UNAUTHENTICATED", res.Code(0), "error code for a deleted user's token")
	require.True(t, strings.Contains(res.Errors[0].Message, "no longer exists"), "message: %s", res.Errors[0].Message)
}

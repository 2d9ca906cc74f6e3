package e2e

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/testserver"
)

const projectsPageWithRelations = `query Page($first: Int) {
  projects(first: $first) {
    totalCount
    edges { node {
      name
      owner { username }
      latestVersion { version sha256 }
      versionCount
      socials { website }
      knownAddresses { label address }
    } }
  }
}`

// seedProjects creates n public projects spread over several owners, each
// with two versions, a website and a known address.
func seedProjects(t *testing.T, s *testserver.Server, n int) {
	t.Helper()
	idl := smallIDL(t)

	for i := 0; i < n; i++ {
		token := s.Token(t, fmt.Sprintf("owner-%d", i%7))
		id := createProject(t, s, token, fmt.Sprintf("project %d of %d", i, n), idl, true)

		res := s.Query(t, token, publishMutation, map[string]any{"input": map[string]any{"projectId": id, "idlJson": string(idl) + " "}})
		require.Empty(t, res.Errors, "publish: %s", res.Body)

		res = s.Query(t, token, `mutation($id: ID!) { setProjectSocials(projectId: $id, input: {website: "https://example.com"}) { id } }`, map[string]any{"id": id})
		require.Empty(t, res.Errors, "set socials: %s", res.Body)

		res = s.Query(t, token, `mutation($id: ID!) { addKnownAddress(projectId: $id, input: {label: "Treasury", address: "11111111111111111111111111111111"}) { id } }`, map[string]any{"id": id})
		require.Empty(t, res.Errors, "add known address: %s", res.Body)
	}
}

// statementsFor runs the page query and returns how many SQL statements it ran.
func statementsFor(t *testing.T, s *testserver.Server, first int) int64 {
	t.Helper()

	before := s.Store.Queries()
	var out struct {
		Projects struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Owner         struct{ Username string }
					LatestVersion struct {
						Version int
						SHA256  string
					}
					VersionCount   int
					Socials        struct{ Website string }
					KnownAddresses []struct{ Label string }
				}
			}
		}
	}
	s.Query(t, "", projectsPageWithRelations, map[string]any{"first": first}).Decode(t, &out)
	statements := s.Store.Queries() - before

	require.Len(t, out.Projects.Edges, first, "page size")
	for _, e := range out.Projects.Edges {
		require.NotEmpty(t, e.Node.Owner.Username, "owner loaded")
		require.Equal(t, 2, e.Node.LatestVersion.Version, "latest version loaded")
		require.Len(t, e.Node.LatestVersion.SHA256, 64, "latest version's hash loaded")
		require.Equal(t, "https://example.com", e.Node.Socials.Website, "socials loaded")
		require.Equal(t, 2, e.Node.VersionCount, "version count loaded")
		require.Len(t, e.Node.KnownAddresses, 1, "known addresses loaded")
	}

	return statements
}

func TestStatementCountIndependentOfRows(t *testing.T) {
	small := testserver.Start(t)
	seedProjects(t, small, 5)
	large := testserver.Start(t)
	seedProjects(t, large, 50)

	for _, first := range []int{5, 50} {
		s := small
		if first == 50 {
			s = large
		}
		statements := statementsFor(t, s, first)
		t.Logf("%d projects: %d statements", first, statements)

		// The list, which joins the owners, latest versions, version counts
		// and socials; its count; and one batch for the known addresses.
		require.Equal(t, int64(3), statements, "statements for a page of %d projects", first)
	}
}

// Lists leave custom docs out of their statement and load them only when
// the query requests them.
func TestListsLoadCustomDocsOnRequest(t *testing.T) {
	s := testserver.Start(t)
	owner := s.Token(t, "docs-owner")
	custom := createProject(t, s, owner, "custom docs", smallIDL(t), true)
	plain := createProject(t, s, owner, "generated docs", smallIDL(t), true)
	res := s.Query(t, owner, `mutation($id: ID!) { setCustomDocs(projectId: $id, markdown: "# Custom") { id } }`, map[string]any{"id": custom})
	require.Empty(t, res.Errors, "set custom docs: %s", res.Body)

	type node struct {
		ID         string
		CustomDocs *string
		Docs       string
	}
	var out struct {
		Projects struct{ Edges []struct{ Node node } }
		User     struct {
			Projects struct{ Edges []struct{ Node node } }
		}
	}
	s.Query(t, "", `query($u: String) {
		projects(first: 2) { edges { node { id customDocs docs } } }
		user(username: $u) { projects(first: 2) { edges { node { id customDocs docs } } } }
	}`, map[string]any{"u": "docs-owner"}).Decode(t, &out)

	for name, edges := range map[string][]struct{ Node node }{"projects": out.Projects.Edges, "user.projects": out.User.Projects.Edges} {
		require.Len(t, edges, 2, "%s lists both projects", name)
		for _, e := range edges {
			switch e.Node.ID {
			case custom:
				require.NotNil(t, e.Node.CustomDocs, "%s: custom docs of the custom project", name)
				assert.Equal(t, "# Custom", *e.Node.CustomDocs, "%s: custom docs", name)
				assert.Equal(t, "# Custom", e.Node.Docs, "%s: docs are the custom docs", name)
			case plain:
				assert.Nil(t, e.Node.CustomDocs, "%s: no custom docs", name)
				assert.Contains(t, e.Node.Docs, "initialize", "%s: generated docs", name)
			}
		}
	}
}

package e2e

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/testserver"
)

func TestPrivateProjectLooksMissingToOthers(t *testing.T) {
	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	other := s.Token(t, "other")
	idl := smallIDL(t)
	publicID := createProject(t, s, owner, "public one", idl, true)
	privateID := createProject(t, s, owner, "private one", idl, false)

	for name, token := range map[string]string{"anonymous": "", "other user": other} {
		t.Run(name, func(t *testing.T) {
			var single struct{ Project *struct{ ID string } }
			s.Query(t, token, `query($id: ID!) { project(id: $id) { id } }`, map[string]any{"id": privateID}).Decode(t, &single)
			assert.Nil(t, single.Project, "a private project must be null for %s", name)

			var missing struct{ Project *struct{ ID string } }
			s.Query(t, token, `{ project(id: "01900000-0000-7000-8000-000000000000") { id } }`, nil).Decode(t, &missing)
			assert.Nil(t, missing.Project, "a missing project must be null")

			var list struct {
				Projects struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
				User struct {
					ProjectCount int
					VersionCount int
					Email        *string
					Projects     struct{ TotalCount int }
				}
				Stats struct{ PublicProjects, IDLVersions int }
			}
			s.Query(t, token, `{
				projects { totalCount edges { node { id } } }
				user(username: "owner") { projectCount versionCount email projects { totalCount } }
				stats { publicProjects idlVersions }
			}`, nil).Decode(t, &list)
			assert.Equal(t, 1, list.Projects.TotalCount, "totalCount must leave the private project out")
			require.Len(t, list.Projects.Edges, 1, "edges must leave the private project out")
			assert.Equal(t, publicID, list.Projects.Edges[0].Node.ID, "only the public project is listed")
			assert.Equal(t, 1, list.User.ProjectCount, "projectCount must leave the private project out")
			assert.Equal(t, 1, list.User.VersionCount, "versionCount must leave the private project out")
			assert.Equal(t, 1, list.User.Projects.TotalCount, "user's projects must leave the private project out")
			assert.Nil(t, list.User.Email, "email must be hidden from %s", name)
			assert.Equal(t, 1, list.Stats.PublicProjects, "stats count public projects only")
			assert.Equal(t, 1, list.Stats.IDLVersions, "stats count versions of public projects only")

			res := s.Query(t, token, `query($id: ID!) { project(id: $id) { apiKeys { id } } }`, map[string]any{"id": publicID})
			assert.Equal(t, "FORBIDDEN", res.Code(0), "apiKeys of someone else's project: %s", res.Body)
		})
	}

	t.Run("owner", func(t *testing.T) {
		var out struct {
			Me       struct{ Email *string }
			Projects struct{ TotalCount int }
			Project  *struct {
				ID      string
				APIKeys []struct{ ID string }
			}
		}
		s.Query(t, owner, `query($id: ID!) { me { email } projects(filter: {mine: true}) { totalCount } project(id: $id) { id apiKeys { id } } }`,
			map[string]any{"id": privateID}).Decode(t, &out)
		require.NotNil(t, out.Project, "the owner sees the private project")
		assert.Equal(t, 2, out.Projects.TotalCount, "the owner lists both projects")
		require.NotNil(t, out.Me.Email, "the owner sees their own email")
		assert.NotNil(t, out.Project.APIKeys, "the owner reads the keys")
	})
}

// Loaders are made per request: an anonymous flood never receives the rows
// that a concurrent owner's request loaded.
func TestConcurrentCallersDoNotShareLoaders(t *testing.T) {
	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	privateID := createProject(t, s, owner, "secret", smallIDL(t), false)

	var wg sync.WaitGroup
	leaks := make(chan string, 100)
	for i := 0; i < 50; i++ {
		wg.Go(func() {
			var out struct{ Project *struct{ ID string } }
			s.Query(t, owner, `query($id: ID!) { project(id: $id) { id } }`, map[string]any{"id": privateID}).Decode(t, &out)
			if out.Project == nil {
				leaks <- "owner could not read their private project"
			}
		})
		wg.Go(func() {
			var out struct {
				Project  *struct{ ID string }
				Projects struct{ TotalCount int }
			}
			s.Query(t, "", `query($id: ID!) { project(id: $id) { id } projects { totalCount } }`, map[string]any{"id": privateID}).Decode(t, &out)
			if out.Project != nil || out.Projects.TotalCount != 0 {
				leaks <- "anonymous caller saw the private project"
			}
		})
	}
	wg.Wait()
	close(leaks)

	for leak := range leaks {
		t.Error(leak)
	}
}

func TestRecentUploadsFirstZeroIsEmpty(t *testing.T) {
	s := testserver.Start(t)
	createProject(t, s, s.Token(t, "owner"), "recent", smallIDL(t), true)

	var out struct {
		Stats struct {
			RecentUploads []struct{ Version int }
		}
	}
	s.Query(t, "", `{ stats { recentUploads(first: 0) { version } } }`, nil).Decode(t, &out)
	assert.Empty(t, out.Stats.RecentUploads, "first: 0 asks for no versions")
}

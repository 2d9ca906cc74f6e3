package gendata_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/gendata"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/internal/testserver"
	"github.com/orquestra/orquestra/models"
)

const testProjects = 200

// openStore opens and migrates a new database in a temporary folder.
func openStore(t *testing.T) *storage.Store {
	t.Helper()

	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gen.db")
	store, err := storage.Open(ctx, path, nil)
	require.NoError(t, err, "open %s", path)
	t.Cleanup(func() { store.Close() })

	_, err = store.Migrate(ctx)
	require.NoError(t, err, "migrate %s", path)

	return store
}

func generate(t *testing.T, seed uint64) (*storage.Store, gendata.Result) {
	t.Helper()

	store := openStore(t)
	res, err := gendata.Generate(context.Background(), store, gendata.Options{Projects: testProjects, Seed: seed})
	require.NoError(t, err, "generate %d projects", testProjects)

	return store, res
}

func count(t *testing.T, store *storage.Store, model any, where string) int {
	t.Helper()

	q := store.DB().NewSelect().Model(model)
	if where != "" {
		q = q.Where(where)
	}
	n, err := q.Count(context.Background())
	require.NoError(t, err, "count %T where %q", model, where)

	return int(n)
}

func TestGenerateCounts(t *testing.T) {
	store, res := generate(t, 1)

	assert.Equal(t, testProjects/gendata.ProjectsPerUser, res.Users, "users in result")
	assert.Equal(t, res.Users, count(t, store, (*models.User)(nil), ""), "users in database")
	assert.Equal(t, testProjects, count(t, store, (*models.Project)(nil), ""), "projects in database")
	assert.Equal(t, res.PublicProjects, count(t, store, (*models.Project)(nil), "is_public = TRUE"), "public projects in database")
	assert.Equal(t, res.Versions, count(t, store, (*models.IDLVersion)(nil), ""), "versions in database")
	assert.Equal(t, testProjects, count(t, store, (*models.ProjectSocials)(nil), ""), "one socials row per project")
	assert.Equal(t, res.KnownAddresses, count(t, store, (*models.KnownAddress)(nil), ""), "known addresses in database")

	share := float64(res.PublicProjects) / testProjects
	assert.InDelta(t, gendata.PublicShare, share, 0.08, "share of public projects")
	assert.GreaterOrEqual(t, res.Versions, testProjects, "at least one version per project")
	assert.LessOrEqual(t, res.Versions, testProjects*gendata.MaxVersions, "at most MaxVersions per project")
	assert.LessOrEqual(t, res.KnownAddresses, testProjects*gendata.MaxKnownAddresses, "at most MaxKnownAddresses per project")
}

func TestGenerateVersionRows(t *testing.T) {
	store, _ := generate(t, 1)
	ctx := context.Background()

	var versions []models.IDLVersion
	err := store.DB().NewSelect().Model(&versions).Order("v.project_id", "v.version").Scan(ctx)
	require.NoError(t, err, "read versions")

	latest := map[string]int{}
	for _, v := range versions {
		latest[v.ProjectID] = max(latest[v.ProjectID], v.Version)
	}

	for i, v := range versions {
		sum := sha256.Sum256([]byte(v.IDLJSON))
		require.Equal(t, hex.EncodeToString(sum[:]), v.SHA256, "sha256 of version %s", v.ID)
		require.Equal(t, len(v.IDLJSON), v.SizeBytes, "size of version %s", v.ID)
		require.Contains(t, []string{"ANCHOR_LEGACY", "ANCHOR", "CODAMA"}, v.Format, "format of version %s", v.ID)
		require.False(t, v.DocsGenerated, "docs_generated of version %s", v.ID)
		require.Equal(t, v.Version == latest[v.ProjectID], v.CpiMd != nil, "only the latest version has docs (version %s)", v.ID)

		if i > 0 && versions[i-1].ProjectID == v.ProjectID {
			require.Equal(t, versions[i-1].Version+1, v.Version, "version numbers of project %s have no gaps", v.ProjectID)
			require.NotEqual(t, versions[i-1].SHA256, v.SHA256, "consecutive versions of project %s differ", v.ProjectID)
			require.Less(t, versions[i-1].ID, v.ID, "version ids of project %s follow creation order", v.ProjectID)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	names := func(store *storage.Store) []string {
		var rows []string
		err := store.DB().NewSelect().Model((*models.Project)(nil)).Column("name").Order("p.id").Scan(context.Background(), &rows)
		require.NoError(t, err, "read project names")
		return rows
	}

	first, firstRes := generate(t, 7)
	second, secondRes := generate(t, 7)
	other, _ := generate(t, 8)

	assert.Equal(t, firstRes, secondRes, "counts of two runs with seed 7")
	assert.Equal(t, names(first), names(second), "project names of two runs with seed 7")
	assert.NotEqual(t, names(first), names(other), "project names with seeds 7 and 8")
}

func TestGenerateRejectsUsedDatabase(t *testing.T) {
	store, _ := generate(t, 1)

	_, err := gendata.Generate(context.Background(), store, gendata.Options{Projects: 10, Seed: 1})
	require.ErrorContains(t, err, "already has", "generate into a database with users")
}

func TestGeneratedDataIsServed(t *testing.T) {
	s := testserver.Start(t)
	res, err := gendata.Generate(context.Background(), s.Store, gendata.Options{Projects: testProjects, Seed: 3})
	require.NoError(t, err, "generate into the test server's database")

	var out struct {
		Projects struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID            string
					Owner         struct{ Username string }
					LatestVersion struct {
						Version int
						Program struct{ Name string }
					}
					VersionCount int
					Docs         *string
				}
			}
		}
	}
	s.Query(t, "", `{ projects(first: 5) { totalCount edges { node {
		id owner { username } latestVersion { version program { name } } versionCount docs
	} } } }`, nil).Decode(t, &out)

	assert.Equal(t, res.PublicProjects, out.Projects.TotalCount, "totalCount of public projects")
	require.Len(t, out.Projects.Edges, 5, "page of 5 projects")
	for _, e := range out.Projects.Edges {
		assert.NotEmpty(t, e.Node.Owner.Username, "owner of project %s", e.Node.ID)
		assert.Equal(t, e.Node.VersionCount, e.Node.LatestVersion.Version, "latest version of project %s", e.Node.ID)
		assert.NotEmpty(t, e.Node.LatestVersion.Program.Name, "program name of project %s", e.Node.ID)
		assert.NotNil(t, e.Node.Docs, "docs of project %s", e.Node.ID)
	}
}

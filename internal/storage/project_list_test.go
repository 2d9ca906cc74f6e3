package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/gendata"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/models"
)

// The joined list must serve the same relations as the loaders' own
// statements, including projects without socials.
func TestListProjectsJoinsMatchRelationReads(t *testing.T) {
	ctx := context.Background()
	store := generatedStore(t, 120, 3)
	_, err := store.WriteDB().NewDelete().Model((*models.ProjectSocials)(nil)).
		Where("project_id IN (SELECT id FROM projects ORDER BY id LIMIT 10)").Exec(ctx)
	require.NoError(t, err, "delete some socials")

	all := storage.Joins{Owner: true, LatestVersion: true, VersionCount: true, Socials: true}
	listed := listAll(t, store, all)
	require.NotEmpty(t, listed, "public projects listed")

	ids := make([]string, len(listed))
	var ownerIDs []string
	for i, p := range listed {
		ids[i] = p.ID
		ownerIDs = append(ownerIDs, p.UserID)
	}
	owners, err := store.UsersByIDs(ctx, ownerIDs)
	require.NoError(t, err, "read owners")
	latest, err := store.LatestVersions(ctx, ids)
	require.NoError(t, err, "read latest versions")
	counts, err := store.VersionCounts(ctx, ids)
	require.NoError(t, err, "read version counts")
	socials, err := store.SocialsOfProjects(ctx, ids)
	require.NoError(t, err, "read socials")

	ownerByID := map[string]models.User{}
	for _, u := range owners {
		ownerByID[u.ID] = u
	}
	withoutSocials := 0
	for _, p := range listed {
		require.Equal(t, ownerByID[p.UserID], *p.Owner, "owner of %s", p.ID)
		require.Equal(t, latest[p.ID], p.LatestVersion, "latest version of %s", p.ID)
		require.Equal(t, counts[p.ID], p.VersionCount, "version count of %s", p.ID)
		require.Equal(t, socials[p.ID], p.Socials, "socials of %s", p.ID)
		if p.Socials == nil {
			withoutSocials++
		}
	}
	require.Positive(t, withoutSocials, "some listed projects have no socials")
}

// A list without joins reads the projects alone, as it does without batching.
func TestListProjectsWithoutJoinsLeavesRelationsEmpty(t *testing.T) {
	store := generatedStore(t, 20, 4)

	for _, p := range listAll(t, store, storage.Joins{}) {
		require.NotEmpty(t, p.Name, "project read")
		require.Nil(t, p.Owner, "owner of %s not joined", p.ID)
		require.Nil(t, p.LatestVersion, "latest version of %s not joined", p.ID)
		require.Nil(t, p.Socials, "socials of %s not joined", p.ID)
	}
}

// generatedStore returns a migrated test database with n generated projects.
func generatedStore(t *testing.T, n int, seed uint64) *storage.Store {
	t.Helper()

	ctx := context.Background()
	store := openStore(t)
	_, err := store.Migrate(ctx)
	require.NoError(t, err, "migrate")
	_, err = gendata.Generate(ctx, store, gendata.Options{Projects: n, Seed: seed})
	require.NoError(t, err, "generate %d projects", n)

	return store
}

// listAll pages through every public project, 25 at a time.
func listAll(t *testing.T, store *storage.Store, joins storage.Joins) []storage.ListedProject {
	t.Helper()

	var all []storage.ListedProject
	page := storage.Page{First: 25}
	for {
		projects, hasNext, err := store.ListProjects(context.Background(), storage.Viewer{}, storage.ProjectFilter{}, page, joins)
		require.NoError(t, err, "list projects after %q", page.After)
		all = append(all, projects...)
		if !hasNext {
			return all
		}
		page.After = projects[len(projects)-1].ID
	}
}

// A list never reads custom docs, which may be megabytes per project;
// CustomDocsOfProjects reads them when asked.
func TestListsLeaveCustomDocsOut(t *testing.T) {
	ctx := context.Background()
	store := generatedStore(t, 10, 5)
	listed := listAll(t, store, storage.Joins{})
	require.NotEmpty(t, listed, "projects listed")
	id := listed[0].ID

	_, err := store.WriteDB().NewUpdate().Model((*models.Project)(nil)).Set("custom_docs = ?", "# Custom").Where("id = ?", id).Exec(ctx)
	require.NoError(t, err, "set custom docs")

	for _, p := range listAll(t, store, storage.Joins{}) {
		assert.Nil(t, p.CustomDocs, "the list left out the custom docs of %s", p.ID)
	}

	docs, err := store.CustomDocsOfProjects(ctx, []string{id, listed[1].ID})
	require.NoError(t, err, "read custom docs")
	require.Contains(t, docs, id, "custom docs of the project that has them")
	assert.Equal(t, "# Custom", *docs[id], "custom docs")
	assert.NotContains(t, docs, listed[1].ID, "no entry for a project without custom docs")
}

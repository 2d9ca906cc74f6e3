package loader

import (
	"context"
	"fmt"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/models"
)

// batches holds the batch functions of one request's loaders. Each runs one
// statement for all its keys, except the paged ones, which run one per
// distinct page argument.
type batches struct {
	store  *storage.Store
	viewer storage.Viewer
}

func (b *batches) users(ctx context.Context, ids []string) []*dataloader.Result[*models.User] {
	rows, err := b.store.UsersByIDs(ctx, ids)
	if err != nil {
		return failAll[string, *models.User](ids, fmt.Errorf("load %d users: %w", len(ids), err))
	}

	found := make(map[string]*models.User, len(rows))
	for i := range rows {
		found[rows[i].ID] = &rows[i]
	}

	return results(ids, found, orNotFound[*models.User]("user"))
}

func (b *batches) projects(ctx context.Context, ids []string) []*dataloader.Result[*models.Project] {
	rows, err := b.store.ProjectsByIDs(ctx, ids)
	if err != nil {
		return failAll[string, *models.Project](ids, fmt.Errorf("load %d projects: %w", len(ids), err))
	}

	found := make(map[string]*models.Project, len(rows))
	for i := range rows {
		found[rows[i].ID] = &rows[i]
	}

	return results(ids, found, orNotFound[*models.Project]("project"))
}

func (b *batches) latestVersions(ctx context.Context, projectIDs []string) []*dataloader.Result[*models.IDLVersion] {
	found, err := b.store.LatestVersions(ctx, projectIDs)
	if err != nil {
		return failAll[string, *models.IDLVersion](projectIDs, err)
	}

	return results(projectIDs, found, orNil[string, *models.IDLVersion])
}

func (b *batches) versionsByNumber(ctx context.Context, keys []storage.VersionNumberKey) []*dataloader.Result[*models.IDLVersion] {
	found, err := b.store.VersionsByNumber(ctx, keys)
	if err != nil {
		return failAll[storage.VersionNumberKey, *models.IDLVersion](keys, err)
	}

	return results(keys, found, orNil[storage.VersionNumberKey, *models.IDLVersion])
}

func (b *batches) versionBodies(ctx context.Context, ids []string) []*dataloader.Result[*storage.VersionBody] {
	found, err := b.store.VersionBodies(ctx, ids)
	if err != nil {
		return failAll[string, *storage.VersionBody](ids, err)
	}

	return results(ids, found, orNotFound[*storage.VersionBody]("IDL version"))
}

func (b *batches) versionCounts(ctx context.Context, projectIDs []string) []*dataloader.Result[int] {
	counts, err := b.store.VersionCounts(ctx, projectIDs)
	if err != nil {
		return failAll[string, int](projectIDs, err)
	}

	// A project with no versions has no row in the counts: its count is 0.
	return results(projectIDs, counts, orNil[string, int])
}

func (b *batches) versionPages(ctx context.Context, keys []VersionsKey) []*dataloader.Result[*storage.VersionPage] {
	type pageArgs struct{ first, after int }
	groups := map[pageArgs][]string{}
	for _, k := range keys {
		args := pageArgs{k.First, k.AfterVersion}
		groups[args] = append(groups[args], k.ProjectID)
	}

	found := make(map[VersionsKey]*storage.VersionPage, len(keys))
	for args, projectIDs := range groups {
		pages, err := b.store.VersionsOfProjects(ctx, projectIDs, args.first, args.after)
		if err != nil {
			return failAll[VersionsKey, *storage.VersionPage](keys, err)
		}
		for _, id := range projectIDs {
			page := pages[id]
			if page == nil {
				page = &storage.VersionPage{}
			}
			found[VersionsKey{ProjectID: id, First: args.first, AfterVersion: args.after}] = page
		}
	}

	return results(keys, found, orNil[VersionsKey, *storage.VersionPage])
}

func (b *batches) socials(ctx context.Context, projectIDs []string) []*dataloader.Result[*models.ProjectSocials] {
	found, err := b.store.SocialsOfProjects(ctx, projectIDs)
	if err != nil {
		return failAll[string, *models.ProjectSocials](projectIDs, err)
	}

	return results(projectIDs, found, orNil[string, *models.ProjectSocials])
}

func (b *batches) knownAddresses(ctx context.Context, projectIDs []string) []*dataloader.Result[[]models.KnownAddress] {
	found, err := b.store.KnownAddressesOfProjects(ctx, projectIDs)
	if err != nil {
		return failAll[string, []models.KnownAddress](projectIDs, err)
	}

	return results(projectIDs, found, orNil[string, []models.KnownAddress])
}

func (b *batches) apiKeys(ctx context.Context, projectIDs []string) []*dataloader.Result[[]models.APIKey] {
	found, err := b.store.APIKeysOfProjects(ctx, projectIDs)
	if err != nil {
		return failAll[string, []models.APIKey](projectIDs, err)
	}

	return results(projectIDs, found, orNil[string, []models.APIKey])
}

func (b *batches) userProjects(ctx context.Context, keys []storage.UserPageKey) []*dataloader.Result[*storage.ProjectPage] {
	groups := map[storage.Page][]string{}
	for _, k := range keys {
		groups[k.Page] = append(groups[k.Page], k.UserID)
	}

	found := make(map[storage.UserPageKey]*storage.ProjectPage, len(keys))
	for page, userIDs := range groups {
		pages, err := b.store.ProjectsOfUsers(ctx, b.viewer, userIDs, page)
		if err != nil {
			return failAll[storage.UserPageKey, *storage.ProjectPage](keys, err)
		}
		for _, id := range userIDs {
			p := pages[id]
			if p == nil {
				p = &storage.ProjectPage{}
			}
			found[storage.UserPageKey{UserID: id, Page: page}] = p
		}
	}

	return results(keys, found, orNil[storage.UserPageKey, *storage.ProjectPage])
}

func (b *batches) userCounts(ctx context.Context, userIDs []string) []*dataloader.Result[storage.UserCounts] {
	found, err := b.store.CountsOfUsers(ctx, b.viewer, userIDs)
	if err != nil {
		return failAll[string, storage.UserCounts](userIDs, err)
	}

	return results(userIDs, found, orNil[string, storage.UserCounts])
}

func (b *batches) customDocs(ctx context.Context, projectIDs []string) []*dataloader.Result[*string] {
	found, err := b.store.CustomDocsOfProjects(ctx, projectIDs)
	if err != nil {
		return failAll[string, *string](projectIDs, err)
	}

	return results(projectIDs, found, orNil[string, *string])
}

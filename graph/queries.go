package graph

import (
	"context"
	"strconv"

	"github.com/orquestra/orquestra/graph/model"
	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/input"
	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/models"
)

func (r *Resolver) user(ctx context.Context, id, username *string) (*models.User, error) {
	switch {
	case id != nil && username != nil:
		return nil, apperr.Field("id", "both id and username were given: give one of them")
	case id != nil:
		return nullIfNotFound(r.Store.UserByID(ctx, *id))
	case username != nil:
		return nullIfNotFound(r.Store.UserByUsername(ctx, *username))
	default:
		return nil, apperr.Field("id", "neither id nor username was given: give one of them")
	}
}

func (r *Resolver) projects(ctx context.Context, f *model.ProjectFilter, first *int, after *string) (*model.ProjectConnection, error) {
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	afterID, err := decodeCursor(projectCursor, after)
	if err != nil {
		return nil, err
	}
	filter, err := projectFilter(ctx, f)
	if err != nil {
		return nil, err
	}

	viewer := auth.FromContext(ctx).Viewer()
	loaders := loader.FromContext(ctx)
	fields := connectionNodeFields(ctx, "ProjectConnection", "ProjectEdge", "Project")
	joins := loaders.Joins(fields)
	listed, hasNext, err := r.Store.ListProjects(ctx, viewer, filter, storage.Page{First: n, After: afterID}, joins)
	if err != nil {
		return nil, err
	}
	loaders.PrimeProjects(ctx, listed, joins, fields)

	projects := make([]models.Project, len(listed))
	for i := range listed {
		projects[i] = listed[i].Project
	}
	conn := projectConnection(ctx, projects, hasNext, fields)
	conn.Count = func() (int, error) { return r.Store.CountProjects(ctx, viewer, filter) }
	return conn, nil
}

func projectFilter(ctx context.Context, f *model.ProjectFilter) (storage.ProjectFilter, error) {
	var filter storage.ProjectFilter
	if f == nil {
		return filter, nil
	}

	var err error
	if filter.Search, err = input.Search("filter.search", deref(f.Search)); err != nil {
		return filter, err
	}
	filter.OwnerID = deref(f.OwnerID)
	if filter.OwnerID != "" && !storage.ValidID(filter.OwnerID) {
		return filter, apperr.Field("filter.ownerId", "%q is not a user id: give the id of a user, as User.id returns it", truncate(filter.OwnerID, 64))
	}
	filter.OwnerUsername = deref(f.OwnerUsername)
	if filter.OwnerID != "" && filter.OwnerUsername != "" {
		return filter, apperr.Field("filter.ownerUsername", "both ownerId and ownerUsername were given: give one of them")
	}
	if f.ProgramID != nil {
		if filter.ProgramID, err = input.Address("filter.programId", *f.ProgramID); err != nil {
			return filter, err
		}
	}

	if f.Mine != nil && *f.Mine {
		user, err := auth.RequireUser(ctx)
		if err != nil {
			return filter, err
		}
		if filter.OwnerID != "" && filter.OwnerID != user.ID {
			return filter, apperr.Field("filter.ownerId", "mine and ownerId name different users: give one of them")
		}
		filter.OwnerID = user.ID
	}

	return filter, nil
}

// projectConnection builds a page of projects and starts loading the
// relations named in fields, those the query selects on its nodes.
func projectConnection(ctx context.Context, projects []models.Project, hasNext bool, fields map[string]bool) *model.ProjectConnection {
	conn := &model.ProjectConnection{
		Edges:    make([]*model.ProjectEdge, len(projects)),
		PageInfo: &model.PageInfo{HasNextPage: hasNext},
	}
	for i := range projects {
		cursor := encodeCursor(projectCursor, projects[i].ID)
		conn.Edges[i] = &model.ProjectEdge{Cursor: cursor, Node: model.NewListedProject(ctx, &projects[i], fields)}
		conn.PageInfo.EndCursor = &cursor
	}

	return conn
}

func (r *Resolver) userProjects(ctx context.Context, u *models.User, first *int, after *string) (*model.ProjectConnection, error) {
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	afterID, err := decodeCursor(projectCursor, after)
	if err != nil {
		return nil, err
	}

	loaders := loader.FromContext(ctx)
	key := storage.UserPageKey{UserID: u.ID, Page: storage.Page{First: n, After: afterID}}
	page, err := loaders.UserProjects.Load(ctx, key)()
	if err != nil {
		return nil, err
	}

	fields := connectionNodeFields(ctx, "ProjectConnection", "ProjectEdge", "Project")
	conn := projectConnection(ctx, page.Projects, page.HasNext, fields)
	conn.Count = func() (int, error) {
		counts, err := loaders.UserCounts.Load(ctx, u.ID)()
		return counts.Projects, err
	}
	return conn, nil
}

func (r *Resolver) projectVersions(ctx context.Context, p *models.Project, first *int, after *string) (*model.IdlVersionConnection, error) {
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	afterVersion, err := decodeVersionCursor(after)
	if err != nil {
		return nil, err
	}

	key := loader.VersionsKey{ProjectID: p.ID, First: n, AfterVersion: afterVersion}
	page, err := loader.FromContext(ctx).Versions.Load(ctx, key)()
	if err != nil {
		return nil, err
	}

	conn := &model.IdlVersionConnection{
		ProjectID: p.ID,
		Edges:     make([]*model.IdlVersionEdge, len(page.Versions)),
		PageInfo:  &model.PageInfo{HasNextPage: page.HasNext},
	}
	for i := range page.Versions {
		cursor := encodeCursor(versionCursor, strconv.Itoa(page.Versions[i].Version))
		conn.Edges[i] = &model.IdlVersionEdge{Cursor: cursor, Node: &page.Versions[i]}
		conn.PageInfo.EndCursor = &cursor
	}

	return conn, nil
}

func pointers[T any](values []T) []*T {
	out := make([]*T, len(values))
	for i := range values {
		out[i] = &values[i]
	}

	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}

	return *s
}

// truncate cuts a value echoed in a message to at most n bytes.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

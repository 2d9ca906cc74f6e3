package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

// ProjectFilter narrows a project list. Empty fields do not filter.
type ProjectFilter struct {
	// Search matches text in the name or description without regard to
	// case, or a program id exactly (base58 is case-sensitive).
	Search        string
	OwnerID       string
	OwnerUsername string
	ProgramID     string
}

// Page selects a slice of a list sorted by id, newest first. After is the
// id of the last row of the previous page, or empty for the first page.
type Page struct {
	First int
	After string
}

// ProjectByID returns one project whatever its visibility: callers decide
// whether the viewer may see it.
func (s *Store) ProjectByID(ctx context.Context, id string) (*models.Project, error) {
	if !validID(id) {
		return nil, apperr.New(apperr.NotFound, "project %s not found", id)
	}

	project := new(models.Project)
	err := s.read.NewSelect().Model(project).Where("p.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "project %s not found", id)
	}

	return project, nil
}

// ProjectsByIDs returns the projects with the given ids, in no particular order.
func (s *Store) ProjectsByIDs(ctx context.Context, ids []string) ([]models.Project, error) {
	ids = validIDs(ids)
	if len(ids) == 0 {
		return nil, nil
	}

	var projects []models.Project
	err := s.read.NewSelect().Model(&projects).Where("p.id IN (?)", bun.In(ids)).Scan(ctx)
	return projects, err
}

// CountProjects counts the projects the viewer may see that match filter.
func (s *Store) CountProjects(ctx context.Context, viewer Viewer, filter ProjectFilter) (int, error) {
	q := s.read.NewSelect().Model((*models.Project)(nil))
	q = viewer.visibleWhere(s.filterProjects(q, filter), "p")

	count, err := q.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count projects: %w", err)
	}

	return int(count), nil
}

func (s *Store) filterProjects(q *bun.SelectQuery, f ProjectFilter) *bun.SelectQuery {
	if f.Search != "" {
		pattern := "%" + escapeLike(strings.ToLower(f.Search)) + "%"
		lower := bun.Safe(s.lowerFunction())
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where(`?(p.name) LIKE ? ESCAPE '\'`, lower, pattern).
				WhereOr(`?(p.description) LIKE ? ESCAPE '\'`, lower, pattern).
				WhereOr("p.program_id = ?", f.Search)
		})
	}
	if f.OwnerID != "" {
		if !validID(f.OwnerID) {
			return q.Where("1 = 0")
		}
		q = q.Where("p.user_id = ?", f.OwnerID)
	}
	if f.OwnerUsername != "" {
		q = q.Where("p.user_id IN (SELECT id FROM users WHERE LOWER(username) = LOWER(?))", f.OwnerUsername)
	}
	if f.ProgramID != "" {
		q = q.Where("p.program_id = ?", f.ProgramID)
	}

	return q
}

// escapeLike escapes the LIKE wildcards so that a search matches them literally.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// NewProject is a project with its first version, as CreateProject stores them.
type NewProject struct {
	Project models.Project
	Version models.IDLVersion
}

// CreateProject inserts a project, its version 1 and its empty socials row
// in one transaction, and fills in their ids and times.
func (s *Store) CreateProject(ctx context.Context, in *NewProject) error {
	now := time.Now().UTC()
	p, v := &in.Project, &in.Version

	p.ID, p.CreatedAt, p.UpdatedAt = newID(), now, now
	v.ID, v.ProjectID, v.Version, v.CreatedAt = newID(), p.ID, 1, now
	socials := &models.ProjectSocials{ID: newID(), ProjectID: p.ID, CreatedAt: now, UpdatedAt: now}

	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(socials).Exec(ctx)
		return err
	})
	if columns, ok := isUniqueViolation(err); ok && strings.Contains(columns, "program_id") {
		return &apperr.Error{
			Kind:    apperr.Conflict,
			Field:   "input.programId",
			Message: fmt.Sprintf("you already have a project for program %s: publish a new version to it with publishIdlVersion", p.ProgramID),
		}
	}
	if err != nil {
		return fmt.Errorf("create project for program %s: %w", p.ProgramID, err)
	}

	return nil
}

// ProjectUpdate lists the project columns to change; nil leaves a column as it is.
type ProjectUpdate struct {
	Name        *string
	Description *string
	IsPublic    *bool
	// CustomDocs is set when SetCustomDocs is true; nil then clears it.
	CustomDocs    *string
	SetCustomDocs bool
}

// UpdateProject changes a project's columns and returns the updated row.
func (s *Store) UpdateProject(ctx context.Context, id string, u ProjectUpdate) (*models.Project, error) {
	if !validID(id) {
		return nil, apperr.New(apperr.NotFound, "project %s not found", id)
	}

	project := new(models.Project)
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Model((*models.Project)(nil)).Where("id = ?", id).Set("updated_at = ?", time.Now().UTC())
		if u.Name != nil {
			q = q.Set("name = ?", *u.Name)
		}
		if u.Description != nil {
			q = q.Set("description = ?", *u.Description)
		}
		if u.IsPublic != nil {
			q = q.Set("is_public = ?", *u.IsPublic)
		}
		if u.SetCustomDocs {
			q = q.Set("custom_docs = ?", u.CustomDocs)
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}

		return tx.NewSelect().Model(project).Where("p.id = ?", id).Scan(ctx)
	})
	if err != nil {
		return nil, notFound(err, "project %s not found", id)
	}

	return project, nil
}

// DeleteProject deletes a project; the database cascades to its versions,
// keys, socials and known addresses.
func (s *Store) DeleteProject(ctx context.Context, id string) error {
	if !validID(id) {
		return apperr.New(apperr.NotFound, "project %s not found", id)
	}

	res, err := s.write.NewDelete().Model((*models.Project)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete project %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "project %s not found", id)
	}

	return nil
}

// UserPageKey selects one page of one user's projects.
type UserPageKey struct {
	UserID string
	Page   Page
}

// ProjectPage is one page of a list of projects.
type ProjectPage struct {
	Projects []models.Project
	HasNext  bool
}

type rankedProject struct {
	models.Project `bun:",extend"`
	Rank           int `bun:"rank"`
}

// ProjectsOfUsers returns one page of projects for each of several users,
// all with the same page arguments, in one statement.
func (s *Store) ProjectsOfUsers(ctx context.Context, viewer Viewer, userIDs []string, page Page) (map[string]*ProjectPage, error) {
	userIDs = validIDs(userIDs)
	if len(userIDs) == 0 {
		return map[string]*ProjectPage{}, nil
	}

	inner := columns(s.read.NewSelect().Model((*models.Project)(nil)), "p", projectListColumns).
		ColumnExpr("ROW_NUMBER() OVER (PARTITION BY p.user_id ORDER BY p.id DESC) AS rank").
		Where("p.user_id IN (?)", bun.In(userIDs))
	inner = viewer.visibleWhere(inner, "p")
	if page.After != "" {
		inner = inner.Where("p.id < ?", page.After)
	}

	var rows []rankedProject
	err := s.read.NewSelect().TableExpr("(?) AS p", inner).ColumnExpr("p.*").
		Where("p.rank <= ?", page.First+1).OrderExpr("p.user_id, p.rank").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list projects of %d users: %w", len(userIDs), err)
	}

	pages := make(map[string]*ProjectPage, len(userIDs))
	for _, row := range rows {
		pg := pages[row.UserID]
		if pg == nil {
			pg = &ProjectPage{}
			pages[row.UserID] = pg
		}
		if row.Rank > page.First {
			pg.HasNext = true
			continue
		}
		pg.Projects = append(pg.Projects, row.Project)
	}

	return pages, nil
}

// UserCounts are the per-user counts of projects and versions the viewer may see.
type UserCounts struct {
	Projects int
	Versions int
}

// CountsOfUsers returns, for each user, how many of their projects the viewer
// may see and how many versions those projects have.
func (s *Store) CountsOfUsers(ctx context.Context, viewer Viewer, userIDs []string) (map[string]UserCounts, error) {
	userIDs = validIDs(userIDs)
	if len(userIDs) == 0 {
		return map[string]UserCounts{}, nil
	}

	q := s.read.NewSelect().Model((*models.Project)(nil)).
		ColumnExpr("p.user_id AS user_id").
		ColumnExpr("COUNT(DISTINCT p.id) AS projects").
		ColumnExpr("COUNT(v.id) AS versions").
		Join("LEFT JOIN idl_versions AS v ON v.project_id = p.id").
		Where("p.user_id IN (?)", bun.In(userIDs)).
		Group("p.user_id")
	q = viewer.visibleWhere(q, "p")

	var rows []struct {
		UserID   string `bun:"user_id"`
		Projects int    `bun:"projects"`
		Versions int    `bun:"versions"`
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("count projects of %d users: %w", len(userIDs), err)
	}

	counts := make(map[string]UserCounts, len(rows))
	for _, r := range rows {
		counts[r.UserID] = UserCounts{Projects: r.Projects, Versions: r.Versions}
	}

	return counts, nil
}

// CustomDocsOfProjects returns the custom docs of the projects that have
// them, keyed by project id. Lists leave the docs out, so a page of
// projects reads them only when a query requests them.
func (s *Store) CustomDocsOfProjects(ctx context.Context, projectIDs []string) (map[string]*string, error) {
	projectIDs = validIDs(projectIDs)
	if len(projectIDs) == 0 {
		return map[string]*string{}, nil
	}

	var rows []struct {
		ID         string `bun:"id"`
		CustomDocs string `bun:"custom_docs"`
	}
	err := s.read.NewSelect().Model((*models.Project)(nil)).Column("p.id", "p.custom_docs").
		Where("p.id IN (?)", bun.In(projectIDs)).Where("p.custom_docs IS NOT NULL").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("load the custom docs of %d projects: %w", len(projectIDs), err)
	}

	found := make(map[string]*string, len(rows))
	for i := range rows {
		found[rows[i].ID] = &rows[i].CustomDocs
	}
	return found, nil
}

package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/orquestra/orquestra/models"
)

// Joins names the to-one relations that ListProjects reads in the list's
// own statement.
type Joins struct {
	Owner         bool
	LatestVersion bool
	VersionCount  bool
	Socials       bool
}

// ListedProject is a project of a list with the relations its Joins asked
// for. LatestVersion and Socials are nil when the project has none.
type ListedProject struct {
	models.Project
	Owner         *models.User
	LatestVersion *models.IDLVersion
	VersionCount  int
	Socials       *models.ProjectSocials
}

// The columns each joined table contributes, in the order the scan
// destinations below list them. The versions leave out their bodies, like
// every list read, and the projects their custom docs, Markdown of up to
// megabytes that CustomDocsOfProjects reads when a query requests it.
// TestListColumnsCoverModels checks these against the models.
var (
	projectListColumns  = []string{"id", "user_id", "name", "description", "program_id", "is_public", "created_at", "updated_at"}
	userListColumns     = []string{"id", "github_id", "username", "email", "avatar_url", "created_at", "updated_at"}
	versionListColumns  = []string{"id", "project_id", "docs_generated", "version", "format", "sha256", "size_bytes", "created_at"}
	socialsListColumns  = []string{"id", "project_id", "twitter", "discord", "telegram", "github", "website", "created_at", "updated_at"}
	knownAddressColumns = []string{"id", "project_id", "label", "address", "description", "created_at", "updated_at"}
)

// ListProjects returns one page of the projects the viewer may see, and
// whether more follow, with the relations named in joins read by the same
// statement.
//
// The rows are scanned by position rather than through bun's models: a page
// of fifty projects with its relations is the query front ends run most,
// and reflection was a large part of its cost.
func (s *Store) ListProjects(ctx context.Context, viewer Viewer, filter ProjectFilter, page Page, joins Joins) ([]ListedProject, bool, error) {
	q := listQuery(s.read.NewSelect().TableExpr("projects AS p"), joins)
	q = viewer.visibleWhere(s.filterProjects(q, filter), "p")
	if page.After != "" {
		q = q.Where("p.id < ?", page.After)
	}

	rows, err := q.Order("p.id DESC").Limit(int64(page.First + 1)).Rows(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("list projects: %w", err)
	}
	defer rows.Close()

	projects := make([]ListedProject, 0, page.First+1)
	for rows.Next() {
		var row listRow
		if err := rows.Scan(row.dest(joins)...); err != nil {
			return nil, false, fmt.Errorf("scan a listed project: %w", err)
		}
		projects = append(projects, row.listed(joins))
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list projects: %w", err)
	}

	hasNext := len(projects) > page.First
	if hasNext {
		projects = projects[:page.First]
	}

	return projects, hasNext, nil
}

// listQuery adds the columns and joins of the relations in joins.
func listQuery(q *bun.SelectQuery, joins Joins) *bun.SelectQuery {
	q = columns(q, "p", projectListColumns)
	if joins.Owner {
		q = columns(q.Join("JOIN users AS u ON u.id = p.user_id"), "u", userListColumns)
	}
	if joins.LatestVersion {
		q = q.Join("LEFT JOIN idl_versions AS v ON v.project_id = p.id AND v.version = " +
			"(SELECT MAX(m.version) FROM idl_versions AS m WHERE m.project_id = p.id)")
		q = columns(q, "v", versionListColumns)
	}
	if joins.VersionCount {
		q = q.ColumnExpr("(SELECT COUNT(*) FROM idl_versions AS c WHERE c.project_id = p.id)")
	}
	if joins.Socials {
		q = columns(q.Join("LEFT JOIN project_socials AS s ON s.project_id = p.id"), "s", socialsListColumns)
	}

	return q
}

func columns(q *bun.SelectQuery, alias string, names []string) *bun.SelectQuery {
	for _, name := range names {
		q = q.ColumnExpr("?.?", bun.Ident(alias), bun.Ident(name))
	}
	return q
}

// listRow is one row of a list while it is scanned. The left-joined
// version and socials are scanned into nullable values, because a project
// may have neither.
type listRow struct {
	project models.Project
	owner   models.User
	version nullVersion
	count   int
	socials nullSocials
}

type nullVersion struct {
	id, projectID, format, sha256 sql.NullString
	docsGenerated                 sql.NullBool
	version, size                 sql.NullInt64
	createdAt                     sql.NullTime
}

type nullSocials struct {
	id, projectID                               sql.NullString
	twitter, discord, telegram, github, website sql.NullString
	createdAt, updatedAt                        sql.NullTime
}

func (r *listRow) dest(joins Joins) []any {
	p := &r.project
	dest := []any{&p.ID, &p.UserID, &p.Name, &p.Description, &p.ProgramID, &p.IsPublic, &p.CreatedAt, &p.UpdatedAt}
	if joins.Owner {
		u := &r.owner
		dest = append(dest, &u.ID, &u.GitHubID, &u.Username, &u.Email, &u.AvatarURL, &u.CreatedAt, &u.UpdatedAt)
	}
	if joins.LatestVersion {
		v := &r.version
		dest = append(dest, &v.id, &v.projectID, &v.docsGenerated, &v.version, &v.format, &v.sha256, &v.size, &v.createdAt)
	}
	if joins.VersionCount {
		dest = append(dest, &r.count)
	}
	if joins.Socials {
		s := &r.socials
		dest = append(dest, &s.id, &s.projectID, &s.twitter, &s.discord, &s.telegram, &s.github, &s.website, &s.createdAt, &s.updatedAt)
	}

	return dest
}

func (r *listRow) listed(joins Joins) ListedProject {
	listed := ListedProject{Project: r.project, VersionCount: r.count}
	if joins.Owner {
		owner := r.owner
		listed.Owner = &owner
	}
	if v := r.version; v.id.Valid {
		listed.LatestVersion = &models.IDLVersion{
			ID: v.id.String, ProjectID: v.projectID.String, DocsGenerated: v.docsGenerated.Bool,
			Version: int(v.version.Int64), Format: v.format.String, SHA256: v.sha256.String,
			SizeBytes: int(v.size.Int64), CreatedAt: v.createdAt.Time,
		}
	}
	if s := r.socials; s.id.Valid {
		listed.Socials = &models.ProjectSocials{
			ID: s.id.String, ProjectID: s.projectID.String,
			Twitter: nullable(s.twitter), Discord: nullable(s.discord), Telegram: nullable(s.telegram),
			GitHub: nullable(s.github), Website: nullable(s.website),
			CreatedAt: s.createdAt.Time, UpdatedAt: s.updatedAt.Time,
		}
	}

	return listed
}

func nullable(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

package storage

import "github.com/uptrace/bun"

// Viewer is who a read is for: it decides which private projects the read
// may return. The zero Viewer is an anonymous caller.
type Viewer struct {
	// UserID is the signed-in user, if any.
	UserID string
	// ProjectID is the project of the API key the caller used, if any.
	ProjectID string
}

// CanSee reports whether the viewer may read a project with the given owner,
// id and visibility. visibleWhere is the same rule in SQL.
func (v Viewer) CanSee(projectID, ownerID string, isPublic bool) bool {
	if isPublic {
		return true
	}
	if v.UserID != "" && v.UserID == ownerID {
		return true
	}

	return v.ProjectID != "" && v.ProjectID == projectID
}

// visibleWhere restricts a query on projects (aliased alias) to those the
// viewer may see.
func (v Viewer) visibleWhere(q *bun.SelectQuery, alias string) *bun.SelectQuery {
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("?.is_public = TRUE", bun.Ident(alias))
		if v.UserID != "" {
			q = q.WhereOr("?.user_id = ?", bun.Ident(alias), v.UserID)
		}
		if v.ProjectID != "" {
			q = q.WhereOr("?.id = ?", bun.Ident(alias), v.ProjectID)
		}
		return q
	})
}

package storage

import (
	"context"
	"fmt"
)

// Stats are the platform-wide counts. Only public projects count, so the
// numbers reveal nothing about private ones.
type Stats struct {
	Users          int `bun:"users"`
	PublicProjects int `bun:"public_projects"`
	IDLVersions    int `bun:"idl_versions"`
}

// PlatformStats counts users, public projects and their versions in one statement.
func (s *Store) PlatformStats(ctx context.Context) (Stats, error) {
	var stats Stats
	err := s.read.NewSelect().
		ColumnExpr("(SELECT COUNT(*) FROM users) AS users").
		ColumnExpr("(SELECT COUNT(*) FROM projects WHERE is_public = TRUE) AS public_projects").
		ColumnExpr("(SELECT COUNT(*) FROM idl_versions AS v JOIN projects AS p ON p.id = v.project_id WHERE p.is_public = TRUE) AS idl_versions").
		Scan(ctx, &stats)
	if err != nil {
		return stats, fmt.Errorf("count platform stats: %w", err)
	}

	return stats, nil
}

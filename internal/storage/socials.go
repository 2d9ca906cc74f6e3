package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/orquestra/orquestra/models"
)

// SocialsOfProjects returns the socials row of each project that has one,
// keyed by project id.
func (s *Store) SocialsOfProjects(ctx context.Context, projectIDs []string) (map[string]*models.ProjectSocials, error) {
	projectIDs = validIDs(projectIDs)
	if len(projectIDs) == 0 {
		return map[string]*models.ProjectSocials{}, nil
	}

	var rows []models.ProjectSocials
	err := s.read.NewSelect().Model(&rows).Where("s.project_id IN (?)", bun.In(projectIDs)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load socials of %d projects: %w", len(projectIDs), err)
	}

	byProject := make(map[string]*models.ProjectSocials, len(rows))
	for i := range rows {
		byProject[rows[i].ProjectID] = &rows[i]
	}

	return byProject, nil
}

// SocialsChange lists the links to change: a field that is not Set keeps
// its value, and a Set field with a nil Value clears it.
type SocialsChange struct {
	Twitter, Discord, Telegram, GitHub, Website Change
}

// Change is one optional column update.
type Change struct {
	Set   bool
	Value *string
}

// UpsertSocials applies a change to a project's socials, creating the row
// when it is missing. It updates in place (never REPLACE), so the row keeps
// its id.
func (s *Store) UpsertSocials(ctx context.Context, projectID string, change SocialsChange) (*models.ProjectSocials, error) {
	row := new(models.ProjectSocials)
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewSelect().Model(row).Where("s.project_id = ?", projectID).Scan(ctx)
		missing := err != nil
		if missing {
			now := time.Now().UTC()
			*row = models.ProjectSocials{ID: newID(), ProjectID: projectID, CreatedAt: now}
		}

		apply := func(c Change, field **string) {
			if c.Set {
				*field = c.Value
			}
		}
		apply(change.Twitter, &row.Twitter)
		apply(change.Discord, &row.Discord)
		apply(change.Telegram, &row.Telegram)
		apply(change.GitHub, &row.GitHub)
		apply(change.Website, &row.Website)
		row.UpdatedAt = time.Now().UTC()

		if missing {
			_, err = tx.NewInsert().Model(row).Exec(ctx)
			return err
		}
		_, err = tx.NewUpdate().Model(row).WherePK().Exec(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("set socials of project %s: %w", projectID, err)
	}

	return row, nil
}

package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

// KnownAddressesOfProjects returns each project's known addresses in the
// order they were added, keyed by project id.
func (s *Store) KnownAddressesOfProjects(ctx context.Context, projectIDs []string) (map[string][]models.KnownAddress, error) {
	projectIDs = validIDs(projectIDs)
	if len(projectIDs) == 0 {
		return map[string][]models.KnownAddress{}, nil
	}

	var rows []models.KnownAddress
	err := s.read.NewSelect().Model(&rows).Where("a.project_id IN (?)", bun.In(projectIDs)).
		Order("a.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load known addresses of %d projects: %w", len(projectIDs), err)
	}

	return groupBy(rows, func(a models.KnownAddress) string { return a.ProjectID }), nil
}

// KnownAddressByID returns one known address.
func (s *Store) KnownAddressByID(ctx context.Context, id string) (*models.KnownAddress, error) {
	if !validID(id) {
		return nil, apperr.New(apperr.NotFound, "known address %s not found", id)
	}

	row := new(models.KnownAddress)
	if err := s.read.NewSelect().Model(row).Where("a.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "known address %s not found", id)
	}

	return row, nil
}

// AddKnownAddress inserts a known address and fills in its id and times.
func (s *Store) AddKnownAddress(ctx context.Context, row *models.KnownAddress) error {
	now := time.Now().UTC()
	row.ID, row.CreatedAt, row.UpdatedAt = newID(), now, now

	if _, err := s.write.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("add known address to project %s: %w", row.ProjectID, err)
	}

	return nil
}

// UpdateKnownAddress saves a known address's label, address and description.
func (s *Store) UpdateKnownAddress(ctx context.Context, row *models.KnownAddress) error {
	row.UpdatedAt = time.Now().UTC()

	_, err := s.write.NewUpdate().Model(row).Column("label", "address", "description", "updated_at").
		WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update known address %s: %w", row.ID, err)
	}

	return nil
}

// DeleteKnownAddress deletes a known address.
func (s *Store) DeleteKnownAddress(ctx context.Context, id string) error {
	_, err := s.write.NewDelete().Model((*models.KnownAddress)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete known address %s: %w", id, err)
	}

	return nil
}

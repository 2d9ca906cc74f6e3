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
// order they were added, keyed by project id. Pages of projects ask for
// them, so the rows are scanned by position, as ListProjects does.
func (s *Store) KnownAddressesOfProjects(ctx context.Context, projectIDs []string) (map[string][]models.KnownAddress, error) {
	projectIDs = validIDs(projectIDs)
	if len(projectIDs) == 0 {
		return map[string][]models.KnownAddress{}, nil
	}

	q := columns(s.read.NewSelect().TableExpr("known_addresses AS a"), "a", knownAddressColumns)
	rows, err := q.Where("a.project_id IN (?)", bun.In(projectIDs)).Order("a.id").Rows(ctx)
	if err != nil {
		return nil, fmt.Errorf("load known addresses of %d projects: %w", len(projectIDs), err)
	}
	defer rows.Close()

	found := make(map[string][]models.KnownAddress, len(projectIDs))
	for rows.Next() {
		var a models.KnownAddress
		if err := rows.Scan(&a.ID, &a.ProjectID, &a.Label, &a.Address, &a.Description, &a.CreatedAt, &a.UpdatedAt); err != nil {
			return nil, fmt.Errorf("scan a known address: %w", err)
		}
		found[a.ProjectID] = append(found[a.ProjectID], a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load known addresses of %d projects: %w", len(projectIDs), err)
	}

	return found, nil
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

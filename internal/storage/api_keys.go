package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

// APIKeysOfProjects returns the keys of each project, oldest first, keyed by project id.
func (s *Store) APIKeysOfProjects(ctx context.Context, projectIDs []string) (map[string][]models.APIKey, error) {
	projectIDs = validIDs(projectIDs)
	if len(projectIDs) == 0 {
		return map[string][]models.APIKey{}, nil
	}

	var keys []models.APIKey
	err := s.read.NewSelect().Model(&keys).Where("k.project_id IN (?)", bun.In(projectIDs)).
		Order("k.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load API keys of %d projects: %w", len(projectIDs), err)
	}

	return groupBy(keys, func(k models.APIKey) string { return k.ProjectID }), nil
}

// APIKeyByID returns one key.
func (s *Store) APIKeyByID(ctx context.Context, id string) (*models.APIKey, error) {
	if !validID(id) {
		return nil, apperr.New(apperr.NotFound, "API key %s not found", id)
	}

	key := new(models.APIKey)
	if err := s.read.NewSelect().Model(key).Where("k.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "API key %s not found", id)
	}

	return key, nil
}

// CreateAPIKey inserts a key and fills in its id and creation time, unless
// the project has limit keys already. The count and the insert share one
// transaction under the project's lock, so concurrent calls cannot pass
// the limit together.
func (s *Store) CreateAPIKey(ctx context.Context, key *models.APIKey, limit int) error {
	key.ID, key.CreatedAt = newID(), time.Now().UTC()

	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.lockProject(ctx, tx, key.ProjectID); err != nil {
			return err
		}

		count, err := tx.NewSelect().Model((*models.APIKey)(nil)).Where("k.project_id = ?", key.ProjectID).Count(ctx)
		if err != nil {
			return err
		}
		if count >= int64(limit) {
			return apperr.New(apperr.Conflict, "project %s already has %d API keys, the maximum: revoke one it no longer needs", key.ProjectID, limit)
		}

		_, err = tx.NewInsert().Model(key).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("create API key for project %s: %w", key.ProjectID, err)
	}

	return nil
}

// RotateAPIKey replaces a key's hash and prefix, so that the old key stops
// working, and returns the updated key. oldHash is the hash the caller
// read: when another rotation replaced it first, this one is rejected, so
// that of two concurrent rotations only one returns a working key.
func (s *Store) RotateAPIKey(ctx context.Context, id, oldHash, hash, prefix string) (*models.APIKey, error) {
	key := new(models.APIKey)
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*models.APIKey)(nil)).
			Set("key = ?", hash).Set("prefix = ?", prefix).Set("last_used = NULL").
			Where("id = ?", id).Where("key = ?", oldHash).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "API key %s was rotated or revoked by another request at the same time: read the project's apiKeys and try again", id)
		}

		return tx.NewSelect().Model(key).Where("k.id = ?", id).Scan(ctx)
	})
	if err != nil {
		return nil, fmt.Errorf("rotate API key %s: %w", id, err)
	}

	return key, nil
}

// DeleteAPIKey deletes a key, which revokes it.
func (s *Store) DeleteAPIKey(ctx context.Context, id string) error {
	res, err := s.write.NewDelete().Model((*models.APIKey)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete API key %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "API key %s not found", id)
	}

	return nil
}

// APIKeyByHash returns the key whose stored hash is hash. Revoked keys have
// no row and rotated keys a different hash, so both are NotFound.
func (s *Store) APIKeyByHash(ctx context.Context, hash string) (*models.APIKey, error) {
	key := new(models.APIKey)
	if err := s.read.NewSelect().Model(key).Where("k.key = ?", hash).Scan(ctx); err != nil {
		return nil, notFound(err, "API key not found")
	}

	return key, nil
}

// MarkAPIKeyUsed sets a key's last_used to now unless it is already later
// than staleBefore, so that concurrent requests write it once. Both times
// must be in UTC: SQLite compares the stored texts.
func (s *Store) MarkAPIKeyUsed(ctx context.Context, id string, now, staleBefore time.Time) error {
	_, err := s.write.NewUpdate().Model((*models.APIKey)(nil)).
		Set("last_used = ?", now).
		Where("id = ?", id).
		WhereGroup(" AND ", func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Where("last_used IS NULL").WhereOr("last_used <= ?", staleBefore)
		}).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark API key %s used: %w", id, err)
	}

	return nil
}

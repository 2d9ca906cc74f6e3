package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

// UserByID returns one user.
func (s *Store) UserByID(ctx context.Context, id string) (*models.User, error) {
	if !validID(id) {
		return nil, apperr.New(apperr.NotFound, "user %s not found", id)
	}

	user := new(models.User)
	err := s.read.NewSelect().Model(user).Where("u.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "user %s not found", id)
	}

	return user, nil
}

// UserByUsername returns one user by username, compared without regard to case.
func (s *Store) UserByUsername(ctx context.Context, username string) (*models.User, error) {
	user := new(models.User)
	err := s.read.NewSelect().Model(user).Where("LOWER(u.username) = LOWER(?)", username).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "user %q not found", username)
	}

	return user, nil
}

// UsersByIDs returns the users with the given ids, in no particular order.
func (s *Store) UsersByIDs(ctx context.Context, ids []string) ([]models.User, error) {
	ids = validIDs(ids)
	if len(ids) == 0 {
		return nil, nil
	}

	var users []models.User
	err := s.read.NewSelect().Model(&users).Where("u.id IN (?)", bun.In(ids)).Scan(ctx)
	return users, err
}

// EnsureLocalUser returns the user with the given username, creating a local
// user (no GitHub account) when there is none.
func (s *Store) EnsureLocalUser(ctx context.Context, username string) (*models.User, error) {
	user := new(models.User)
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewSelect().Model(user).Where("LOWER(u.username) = LOWER(?)", username).Scan(ctx)
		if err == nil {
			return nil
		}
		if !apperr.Is(notFound(err, "user"), apperr.NotFound) {
			return err
		}

		// Local users take the negative GitHub ids, counting down from -1,
		// which real GitHub accounts never have.
		var lowest int64
		err = tx.NewSelect().Model((*models.User)(nil)).ColumnExpr("COALESCE(MIN(github_id), 0)").
			Where("github_id < 0").Scan(ctx, &lowest)
		if err != nil {
			return err
		}

		now := time.Now().UTC()
		*user = models.User{
			ID:        newID(),
			GitHubID:  lowest - 1,
			Username:  username,
			Email:     strings.ToLower(username) + "@local.invalid",
			CreatedAt: now,
			UpdatedAt: now,
		}
		_, err = tx.NewInsert().Model(user).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ensure local user %q: %w", username, err)
	}

	return user, nil
}

// DeleteUser deletes a user; the database cascades to their projects and
// everything below them.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	_, err := s.write.NewDelete().Model((*models.User)(nil)).Where("id = ?", id).Exec(ctx)
	return err
}

// newID returns a UUIDv7: random enough to be unguessable, and ordered by
// creation time, which keeps indexes compact and gives the default sort.
func newID() string {
	return uuid.Must(uuid.NewV7()).String()
}

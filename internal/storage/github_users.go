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

// GitHubProfile is the GitHub account data that sign-in stores.
type GitHubProfile struct {
	ID    int64
	Login string
	// Email is the user's verified email, or GitHub's no-reply address when
	// they share none.
	Email string
	// FallbackEmail is GitHub's no-reply address for the user, used when
	// another account already holds Email.
	FallbackEmail string
	AvatarURL     string
}

// UpsertGitHubUser creates the user of a GitHub account, or updates their
// username, email and avatar in place, keeping the row's id and so every
// project and key of theirs. It is an INSERT ... ON CONFLICT (github_id) DO
// UPDATE: an INSERT OR REPLACE would delete the old row first and cascade
// the delete into the user's projects.
//
// Usernames and emails are unique. When another account has the login, this
// user becomes LOGIN-GITHUBID instead, and gets the login back at a later
// sign-in once it is free. That account is a local user, or a GitHub account
// that had the login before a rename. When another account has the email,
// this user gets FallbackEmail.
func (s *Store) UpsertGitHubUser(ctx context.Context, p GitHubProfile) (*models.User, error) {
	user := new(models.User)
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		username, err := freeValue(ctx, tx, "username", p.ID, p.Login, fmt.Sprintf("%s-%d", p.Login, p.ID))
		if err != nil {
			return err
		}
		email, err := freeValue(ctx, tx, "email", p.ID, p.Email, p.FallbackEmail)
		if err != nil {
			return err
		}

		now := time.Now().UTC()
		*user = models.User{
			ID:        newID(),
			GitHubID:  p.ID,
			Username:  username,
			Email:     email,
			CreatedAt: now,
			UpdatedAt: now,
		}
		if p.AvatarURL != "" {
			user.AvatarURL = &p.AvatarURL
		}

		_, err = tx.NewInsert().Model(user).
			On("CONFLICT (github_id) DO UPDATE").
			Set("username = EXCLUDED.username").
			Set("email = EXCLUDED.email").
			Set("avatar_url = EXCLUDED.avatar_url").
			Set("updated_at = EXCLUDED.updated_at").
			Returning("*").
			Exec(ctx)
		return err
	})
	if columns, ok := isUniqueViolation(err); ok {
		return nil, apperr.New(apperr.Conflict, "another account holds the %s of GitHub user %q: try again", columns, p.Login)
	}
	if err != nil {
		return nil, fmt.Errorf("upsert GitHub user %d (%s): %w", p.ID, p.Login, err)
	}

	return user, nil
}

// freeValue returns the first candidate for a unique users column that no
// other account holds, compared without regard to case.
func freeValue(ctx context.Context, tx bun.Tx, column string, githubID int64, candidates ...string) (string, error) {
	for _, value := range candidates {
		if value == "" {
			continue
		}

		taken, err := tx.NewSelect().Model((*models.User)(nil)).
			Where("LOWER(?) = LOWER(?)", bun.Ident(column), value).
			Where("github_id <> ?", githubID).
			Exists(ctx)
		if err != nil {
			return "", err
		}
		if !taken {
			return value, nil
		}
	}

	return "", apperr.New(apperr.Conflict, "every %s for this GitHub account (%s) is held by another account: ask the administrator to rename or delete that account", column, strings.Join(candidates, ", "))
}

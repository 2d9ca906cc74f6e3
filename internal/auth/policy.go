package auth

import (
	"context"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

// The rules of who may do what live here, so that no resolver decides them
// on its own.

// CanRead reports whether the caller may read the project. A private
// project is readable by its owner and by its own API keys only.
func CanRead(ctx context.Context, p *models.Project) bool {
	return FromContext(ctx).Viewer().CanSee(p.ID, p.UserID, p.IsPublic)
}

// RequireUser returns the signed-in user, or UNAUTHENTICATED.
func RequireUser(ctx context.Context) (*models.User, error) {
	id := FromContext(ctx)
	if id.User == nil {
		return nil, apperr.New(apperr.Unauthenticated, "sign in first: send Authorization: Bearer <token>")
	}

	return id.User, nil
}

// RequireOwner allows the project's owner only. Callers that cannot see the
// project get NOT_FOUND, exactly as for a project that does not exist.
func RequireOwner(ctx context.Context, p *models.Project) error {
	user, err := RequireUser(ctx)
	if err != nil {
		return err
	}

	if !CanRead(ctx, p) {
		return apperr.New(apperr.NotFound, "project %s not found", p.ID)
	}
	if p.UserID != user.ID {
		return apperr.New(apperr.Forbidden, "only the owner of project %s may change it", p.ID)
	}

	return nil
}

// CanSeeEmail reports whether the caller may read the user's email: only
// the user themselves may.
func CanSeeEmail(ctx context.Context, u *models.User) bool {
	return FromContext(ctx).UserID() == u.ID
}

// RequireProjectOwnerForKeys allows the owner to list a project's API keys.
func RequireProjectOwnerForKeys(ctx context.Context, p *models.Project) error {
	if FromContext(ctx).UserID() != p.UserID {
		return apperr.New(apperr.Forbidden, "only the owner of project %s may list its API keys", p.ID)
	}

	return nil
}

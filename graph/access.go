package graph

import (
	"context"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/models"
)

// visibleProject returns a project the caller may read. A private project of
// someone else is NOT_FOUND, exactly like a missing one.
func (r *Resolver) visibleProject(ctx context.Context, id string) (*models.Project, error) {
	project, err := r.Store.ProjectByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !auth.CanRead(ctx, project) {
		return nil, apperr.New(apperr.NotFound, "project %s not found", id)
	}

	return project, nil
}

// ownedProject returns a project the caller owns.
func (r *Resolver) ownedProject(ctx context.Context, id string) (*models.Project, error) {
	if _, err := auth.RequireUser(ctx); err != nil {
		return nil, err
	}

	project, err := r.Store.ProjectByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := auth.RequireOwner(ctx, project); err != nil {
		return nil, err
	}

	return project, nil
}

// nullIfNotFound turns NOT_FOUND into a null result, for nullable fields
// where "absent" is an answer, not an error.
func nullIfNotFound[T any](value *T, err error) (*T, error) {
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}

	return value, err
}

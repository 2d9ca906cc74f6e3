package graph

import (
	"context"

	"github.com/orquestra/orquestra/graph/model"
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
	if !auth.Can(ctx, auth.ActionReadProject, auth.ProjectResource(project)) {
		return nil, apperr.New(apperr.NotFound, "project %s not found", id)
	}

	return project, nil
}

// authorizedProject returns the project with the given id when the caller
// may perform action on it. Callers and keys that may not are rejected
// before the project is loaded, so their error is the same whether or not
// it exists.
func (r *Resolver) authorizedProject(ctx context.Context, action auth.Action, id string) (*models.Project, error) {
	if err := auth.AuthorizeProjectID(ctx, action, id); err != nil {
		return nil, err
	}

	project, err := r.Store.ProjectByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := auth.Authorize(ctx, action, auth.ProjectResource(project)); err != nil {
		return nil, err
	}

	return project, nil
}

// nullIfNotFound turns NOT_FOUND into a null result, for nullable fields
// where "absent" is a result, not an error.
func nullIfNotFound[T any](value *T, err error) (*T, error) {
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}

	return value, err
}

// projectOf returns a function that wraps a project read for the current
// resolver, starting the loads of the relations the query selects on it.
// It takes the resolver's result as it is: a nil project or an error
// passes through.
func projectOf(ctx context.Context) func(*models.Project, error) (*model.Project, error) {
	return func(p *models.Project, err error) (*model.Project, error) {
		if err != nil || p == nil {
			return nil, err
		}
		return model.NewProject(ctx, p, selectedFields(ctx, "Project")), nil
	}
}

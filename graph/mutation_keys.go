package graph

import (
	"context"
	"time"

	"github.com/orquestra/orquestra/graph/model"
	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/input"
	"github.com/orquestra/orquestra/models"
)

// MaxKeysPerProject caps a project's API keys, so that a project's owner
// cannot create rows without bound.
const MaxKeysPerProject = 20

func (r *Resolver) createAPIKey(ctx context.Context, in model.CreateAPIKeyInput) (*model.CreatedAPIKey, error) {
	project, err := r.authorizedProject(ctx, auth.ActionManageKeys, in.ProjectID)
	if err != nil {
		return nil, err
	}

	name, err := input.KeyName("input.name", in.Name)
	if err != nil {
		return nil, err
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(time.Now()) {
		return nil, apperr.Field("input.expiresAt", "expiresAt %s is in the past: give a future time or omit it", in.ExpiresAt.UTC().Format(time.RFC3339))
	}

	key, hash, prefix, err := auth.NewAPIKey()
	if err != nil {
		return nil, err
	}

	row := &models.APIKey{ProjectID: project.ID, KeyHash: hash, Name: name, Prefix: prefix, ExpiresAt: in.ExpiresAt}
	if err := r.Store.CreateAPIKey(ctx, row, MaxKeysPerProject); err != nil {
		return nil, err
	}

	return &model.CreatedAPIKey{Key: key, APIKey: row}, nil
}

func (r *Resolver) rotateAPIKey(ctx context.Context, id string) (*model.CreatedAPIKey, error) {
	key, err := r.ownedAPIKey(ctx, id)
	if err != nil {
		return nil, err
	}
	if key.ExpiresAt != nil && !key.ExpiresAt.After(time.Now()) {
		return nil, apperr.Field("id", "API key %s expired at %s, so a rotated key would be expired too: create a new key with createApiKey", id, key.ExpiresAt.UTC().Format(time.RFC3339))
	}

	secret, hash, prefix, err := auth.NewAPIKey()
	if err != nil {
		return nil, err
	}

	row, err := r.Store.RotateAPIKey(ctx, key.ID, key.KeyHash, hash, prefix)
	if err != nil {
		return nil, err
	}

	return &model.CreatedAPIKey{Key: secret, APIKey: row}, nil
}

// ownedAPIKey returns a key of a project the caller owns. Keys of projects
// the caller cannot see are NOT_FOUND.
func (r *Resolver) ownedAPIKey(ctx context.Context, id string) (*models.APIKey, error) {
	if err := auth.AuthorizeCaller(ctx, auth.ActionManageKeys); err != nil {
		return nil, err
	}

	key, err := r.Store.APIKeyByID(ctx, id)
	if err != nil {
		return nil, err
	}

	if _, err := r.authorizedProject(ctx, auth.ActionManageKeys, key.ProjectID); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.NotFound, "API key %s not found", id)
		}
		return nil, err
	}

	return key, nil
}

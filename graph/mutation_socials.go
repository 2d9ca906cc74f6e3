package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/orquestra/orquestra/graph/model"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/input"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/models"
)

func (r *Resolver) setProjectSocials(ctx context.Context, projectID string, in model.ProjectSocialsInput) (*models.ProjectSocials, error) {
	project, err := r.authorizedProject(ctx, auth.ActionEditProject, projectID)
	if err != nil {
		return nil, err
	}

	var change storage.SocialsChange
	fields := []struct {
		value     graphql.Omittable[*string]
		field     string
		normalize func(field, value string) (string, error)
		change    *storage.Change
	}{
		{in.Twitter, "input.twitter", input.Twitter, &change.Twitter},
		{in.Discord, "input.discord", input.Discord, &change.Discord},
		{in.Telegram, "input.telegram", input.Telegram, &change.Telegram},
		{in.Github, "input.github", input.GitHub, &change.GitHub},
		{in.Website, "input.website", input.Website, &change.Website},
	}
	for _, f := range fields {
		if *f.change, err = socialChange(f.value, f.field, f.normalize); err != nil {
			return nil, err
		}
	}

	return r.Store.UpsertSocials(ctx, project.ID, change)
}

// socialChange maps one input field to a column change: absent keeps the
// value, null or an empty string clears it, anything else must be a valid link.
func socialChange(value graphql.Omittable[*string], field string, normalize func(string, string) (string, error)) (storage.Change, error) {
	v, set := value.ValueOK()
	if !set {
		return storage.Change{}, nil
	}
	if v == nil || *v == "" {
		return storage.Change{Set: true}, nil
	}

	link, err := normalize(field, *v)
	if err != nil {
		return storage.Change{}, err
	}

	return storage.Change{Set: true, Value: &link}, nil
}

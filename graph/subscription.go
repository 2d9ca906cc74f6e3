package graph

import (
	"context"

	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/models"
)

// idlVersionPublished streams the project's new versions to a subscriber
// who may see the project. Each version is checked again when it arrives,
// so that a project made private since the subscription began stops
// reaching others, and so are the connection's credentials: a revoked key
// or an expired token ends the subscription and closes the connection.
func (r *Resolver) idlVersionPublished(ctx context.Context, projectID string) (<-chan *models.IDLVersion, error) {
	if _, err := r.visibleProject(ctx, projectID); err != nil {
		return nil, err
	}

	events := r.Events.Subscribe(ctx, projectID)
	out := make(chan *models.IDLVersion)

	go func() {
		defer close(out)

		for e := range events {
			ctx, ok := rechecked(ctx)
			if !ok {
				return
			}

			version, ok := r.deliverable(ctx, e.ProjectID, e.VersionID)
			if !ok {
				continue
			}

			select {
			case out <- version:
			case <-ctx.Done():
				return
			}
		}
	}()

	return out, nil
}

// deliverable loads a published version if the subscriber may still see
// its project.
func (r *Resolver) deliverable(ctx context.Context, projectID, versionID string) (*models.IDLVersion, bool) {
	project, err := r.Store.ProjectByID(ctx, projectID)
	if err != nil || !auth.Can(ctx, auth.ActionReadProject, auth.ProjectResource(project)) {
		return nil, false
	}

	version, err := r.Store.VersionByID(ctx, versionID)
	if err != nil {
		r.Log.WarnContext(ctx, "load published version", "version_id", versionID, "err", err)
		return nil, false
	}

	return version, true
}

// rechecked identifies the caller of a WebSocket connection again and
// returns a context with the fresh identity, or false when the
// credentials no longer hold.
func rechecked(ctx context.Context) (context.Context, bool) {
	recheck := auth.RecheckFromContext(ctx)
	if recheck == nil {
		return ctx, true
	}

	id, err := recheck(ctx)
	if err != nil {
		return ctx, false
	}
	return auth.NewContext(ctx, id), true
}

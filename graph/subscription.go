package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/events"
	"github.com/orquestra/orquestra/models"
)

// idlVersionPublished streams the project's new versions to a subscriber
// who may see the project. Each event is checked when it arrives. A
// project deleted or made private to this subscriber ends the subscription
// with NOT_FOUND, as for a project that does not exist. Credentials that no
// longer hold end it and close the connection.
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

			if !r.stillVisible(ctx, e.ProjectID) {
				transport.AddSubscriptionError(ctx, &gqlerror.Error{
					Message:    fmt.Sprintf("project %s not found", e.ProjectID),
					Extensions: map[string]any{"code": string(apperr.NotFound)},
				})
				return
			}
			if e.VersionID == "" {
				continue
			}

			version, err := r.Store.VersionByID(ctx, e.VersionID)
			if err != nil {
				r.Log.WarnContext(ctx, "load published version", "version_id", e.VersionID, "err", err)
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

// stillVisible reports whether the subscriber may still see the project.
// A failed read counts as visible, so that a passing database error does
// not end subscriptions, and the next event checks again.
func (r *Resolver) stillVisible(ctx context.Context, projectID string) bool {
	project, err := r.Store.ProjectByID(ctx, projectID)
	if apperr.Is(err, apperr.NotFound) {
		return false
	}
	if err != nil {
		r.Log.WarnContext(ctx, "check a subscribed project", "project_id", projectID, "err", err)
		return true
	}

	return auth.Can(ctx, auth.ActionReadProject, auth.ProjectResource(project))
}

// projectChanged publishes an event without a version to the project's
// subscribers after a delete or a visibility change, so that each checks
// whether it may still see the project.
func (r *Resolver) projectChanged(ctx context.Context, projectID string) {
	if err := r.Events.Publish(context.WithoutCancel(ctx), events.Published{ProjectID: projectID}); err != nil {
		r.Log.ErrorContext(ctx, "notify subscribers of a project change", "project_id", projectID, "err", err)
	}
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

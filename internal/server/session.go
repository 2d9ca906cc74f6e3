package server

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/loader"
)

// session is one WebSocket connection: the credentials it opened with, its
// open subscriptions, and what closes it.
type session struct {
	opts          Options
	payload       map[string]any
	cancel        context.CancelFunc
	conn          *sessionConn
	subscriptions atomic.Int64
}

type sessionKey struct{}

// recheck identifies the caller again. A credential that no longer holds
// closes the connection with 4403, so the client knows to get new
// credentials before it reconnects.
func (s *session) recheck(ctx context.Context) (auth.Identity, error) {
	id, err := auth.IdentifyPayload(ctx, s.opts.Tokens, s.opts.Store, s.opts.Log, s.payload)
	if err != nil {
		s.opts.Log.InfoContext(ctx, "closed a WebSocket whose credentials no longer hold", "err", err)
		if s.conn != nil {
			s.conn.closeWith(4403, "Forbidden")
		}
		s.cancel()
		return auth.Identity{}, err
	}

	return id, nil
}

// watch checks the credentials of an idle connection now and then, so that
// an expired token or key closes it even when nothing happens on it. The
// WebSocket gate closes every connection when the server stops.
func (s *session) watch(ctx context.Context) {
	ticker := time.NewTicker(s.opts.Limits.SessionRecheck)
	defer ticker.Stop()

	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if _, err := s.recheck(ctx); err != nil {
				return
			}
		}
	}
}

// aroundWebSocketOperations checks each operation of a WebSocket
// connection: the caller's credentials again, with fresh loaders for the
// identity they give, and the connection's subscription limit. Operations
// over HTTP pass through.
func aroundWebSocketOperations(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	s, ok := ctx.Value(sessionKey{}).(*session)
	if !ok {
		return next(ctx)
	}

	id, err := s.recheck(ctx)
	if err != nil {
		return graphql.OneShot(errorResponse("UNAUTHENTICATED", "the connection's credentials are no longer valid: connect again with a current token or API key"))
	}
	ctx = auth.NewContext(ctx, id)
	ctx = loader.NewContext(ctx, loader.New(s.opts.Store, id.Viewer(), sessionLoaderOptions(s.opts)))

	op := graphql.GetOperationContext(ctx)
	if op.Operation == nil || op.Operation.Operation != ast.Subscription {
		return next(ctx)
	}

	if s.subscriptions.Add(1) > int64(s.opts.Limits.Subscriptions) {
		s.subscriptions.Add(-1)
		message := fmt.Sprintf("this connection already has %d subscriptions, the limit: complete one before starting another", s.opts.Limits.Subscriptions)
		return graphql.OneShot(errorResponse("TOO_MANY_SUBSCRIPTIONS", message))
	}
	var done sync.Once
	release := func() { done.Do(func() { s.subscriptions.Add(-1) }) }
	go func() {
		<-ctx.Done()
		release()
	}()

	return next(ctx)
}

// sessionLoaderOptions are the loader options of a WebSocket connection:
// its loaders cache nothing, since events arrive long after one another.
func sessionLoaderOptions(opts Options) loader.Options {
	options := opts.Loaders
	options.Uncached = true
	return options
}

func errorResponse(code, message string) *graphql.Response {
	return &graphql.Response{Errors: gqlerror.List{{Message: message, Extensions: map[string]any{"code": code}}}}
}

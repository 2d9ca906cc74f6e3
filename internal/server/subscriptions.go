package server

import (
	"context"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"

	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/events"
	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/models"
)

// websocketTransport serves subscriptions over graphql-transport-ws. The
// caller authenticates in the connection_init payload, because browsers
// cannot set headers on a WebSocket. Browsers may connect from the page's
// own origin and from the configured CORS origins only.
func websocketTransport(opts Options) transport.Websocket {
	return transport.Websocket{
		Implementation: sessionImplementation{transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{OriginPatterns: originHosts(opts.CORSOrigins)},
		}},
		KeepAlivePingInterval: 15 * time.Second,
		InitTimeout:           10 * time.Second,
		InitFunc:              initConnection(opts),
	}
}

// initConnection accepts a connection_init: it identifies the caller from
// the payload and opens a session, which checks the credentials again
// every opts.Limits.SessionRecheck.
func initConnection(opts Options) transport.WebsocketInitFunc {
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		id, err := auth.IdentifyPayload(ctx, opts.Tokens, opts.Store, opts.Log, payload)
		if err != nil {
			opts.Log.WarnContext(ctx, "rejected WebSocket credentials", "err", err)
			return reject(ctx, 4403, closeReason("Forbidden: "+err.Error())), nil, err
		}

		connCtx, cancel := context.WithCancel(ctx)
		s := &session{opts: opts, payload: payload, cancel: cancel}
		if h := holderFromContext(ctx); h != nil {
			s.conn = h.get()
		}
		go s.watch(connCtx)

		ctx = context.WithValue(connCtx, sessionKey{}, s)
		ctx = auth.NewRecheckContext(ctx, s.recheck)
		ctx = auth.NewContext(ctx, id)
		ctx = loader.NewContext(ctx, loader.New(opts.Store, id.Viewer(), sessionLoaderOptions(opts)))

		return ctx, nil, nil
	}
}

// reject marks a connection_init's context with the close code and reason
// that gqlgen closes the connection with. graphql-transport-ws uses 4403
// for rejected credentials.
func reject(ctx context.Context, code int, reason string) context.Context {
	ctx = transport.WithWebsocketCloseCode(ctx, code)
	return transport.AppendCloseReason(ctx, reason)
}

// originHosts turns origins such as https://app.example.com into the host
// patterns the WebSocket library matches.
func originHosts(origins []string) []string {
	var hosts []string
	for _, origin := range origins {
		if u, err := url.Parse(origin); err == nil && u.Host != "" {
			hosts = append(hosts, u.Host)
		}
	}

	return hosts
}

// notifySubscribers makes every stored version an event for subscribers.
func notifySubscribers(opts Options) {
	if opts.Uploads == nil {
		return
	}

	opts.Uploads.OnPublish(func(ctx context.Context, v *models.IDLVersion) {
		e := events.Published{ProjectID: v.ProjectID, VersionID: v.ID}
		if err := opts.Events.Publish(context.WithoutCancel(ctx), e); err != nil {
			opts.Log.ErrorContext(ctx, "notify subscribers", "project_id", v.ProjectID, "err", err)
		}
	})
}

// stopping returns the context that ends when the server shuts down.
func stopping(opts Options) context.Context {
	if opts.Stopping == nil {
		return context.Background()
	}
	return opts.Stopping
}

// closeReason cuts a close frame's reason to the 123 bytes a frame may
// carry, at a character boundary.
func closeReason(reason string) string {
	const maxReason = 123
	if len(reason) <= maxReason {
		return reason
	}

	cut := maxReason - len("...")
	for cut > 0 && !utf8.RuneStart(reason[cut]) {
		cut--
	}
	return reason[:cut] + "..."
}

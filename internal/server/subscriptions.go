package server

import (
	"context"
	"net/url"
	"time"

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
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{OriginPatterns: originHosts(opts.CORSOrigins)},
		},
		KeepAlivePingInterval: 15 * time.Second,
		InitTimeout:           10 * time.Second,
		InitFunc:              initConnection(opts),
	}
}

func initConnection(opts Options) transport.WebsocketInitFunc {
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		id, err := auth.IdentifyPayload(ctx, opts.Tokens, opts.Store, opts.Log, payload)
		if err != nil {
			opts.Log.WarnContext(ctx, "rejected WebSocket credentials", "err", err)
			// graphql-transport-ws closes a connection whose init is not
			// accepted with 4403 Forbidden.
			ctx = transport.WithWebsocketCloseCode(ctx, 4403)
			return transport.AppendCloseReason(ctx, "Forbidden"), nil, err
		}

		// The connection's loaders read for this caller and cache nothing,
		// since they serve every event of a long-lived connection.
		loaderOpts := opts.Loaders
		loaderOpts.Uncached = true
		ctx = auth.NewContext(ctx, id)
		ctx = loader.NewContext(ctx, loader.New(opts.Store, id.Viewer(), loaderOpts))

		return ctx, nil, nil
	}
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

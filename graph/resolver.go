// Package graph is the GraphQL edge of the server: the generated executor
// and thin resolvers that authorize, call storage or a loader, and map the
// result.
package graph

//go:generate go tool gqlgen generate

import (
	"log/slog"

	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/events"
	"github.com/orquestra/orquestra/internal/idl"
	"github.com/orquestra/orquestra/internal/ratelimit"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/internal/upload"
)

// Resolver holds the dependencies of every resolver.
type Resolver struct {
	Store   *storage.Store
	Uploads *upload.Service
	Log     *slog.Logger
	// Programs caches parsed IDLs by their SHA-256.
	Programs *idl.Cache
	// Docs caches generated Markdown by IDL hash and known addresses.
	Docs *docgen.Cache
	// UploadLimiter rate-limits uploadIdl and publishIdlVersion per caller.
	UploadLimiter *ratelimit.Limiter
	// Events delivers published versions to subscriptions.
	Events events.Broker
}

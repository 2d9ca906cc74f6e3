// Package server assembles the HTTP handler: the GraphQL endpoint with its
// transports and limits, GraphiQL, health checks, and the middleware that
// every request passes through.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/orquestra/orquestra/graph"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/idl"
	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/internal/request"
	"github.com/orquestra/orquestra/internal/signin"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/internal/upload"
)

// Options configure the handler.
type Options struct {
	Store    *storage.Store
	Uploads  *upload.Service
	Programs *idl.Cache
	Docs     *docgen.Cache
	Tokens   *auth.Tokens
	Log      *slog.Logger
	Loaders  loader.Options
	// MaxBodyBytes caps a request body; multipart uploads included.
	MaxBodyBytes int64
	// SignIn serves GET /auth/github and its callback; nil turns sign-in
	// off, and both routes then respond with 503.
	SignIn *signin.GitHub
}

// DefaultMaxBodyBytes fits a 10 MiB IDL and 5 MiB of Markdown, escaped as
// JSON strings or sent as multipart files, with room for the query.
const DefaultMaxBodyBytes = 32 << 20

// New returns the server's HTTP handler.
func New(opts Options) http.Handler {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}

	gql := newGraphQL(opts)
	api := chain(gql,
		limitBody(opts.MaxBodyBytes),
		auth.Middleware(opts.Tokens, opts.Store, opts.Log),
		loader.Middleware(opts.Store, opts.Loaders),
	)

	mux := http.NewServeMux()
	mux.Handle("/query", api)
	mux.Handle("GET /{$}", graphiQL())
	mux.HandleFunc("GET /healthz", healthz)
	mux.HandleFunc("GET /auth/github", opts.SignIn.Start)
	mux.HandleFunc("GET /auth/github/callback", opts.SignIn.Callback)
	mux.Handle("GET /readyz", readyz(opts.Store))

	return request.Middleware(logRequests(opts.Log, mux))
}

func newGraphQL(opts Options) *handler.Server {
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{
		Store:    opts.Store,
		Uploads:  opts.Uploads,
		Log:      opts.Log,
		Programs: opts.Programs,
		Docs:     opts.Docs,
	}}))

	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.MultipartForm{
		MaxUploadSize: opts.MaxBodyBytes,
		MaxMemory:     8 << 20,
	})

	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.SetErrorPresenter(graph.ErrorPresenter(opts.Log))
	srv.SetRecoverFunc(graph.Recover(opts.Log))
	srv.AroundOperations(recordOperation)

	return srv
}

func recordOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if op := graphql.GetOperationContext(ctx); op != nil {
		name := op.OperationName
		if name == "" && op.Operation != nil {
			name = op.Operation.Name
		}
		request.FromContext(ctx).SetOperation(name)
	}

	return next(ctx)
}

func chain(h http.Handler, middleware ...func(http.Handler) http.Handler) http.Handler {
	for i := len(middleware) - 1; i >= 0; i-- {
		h = middleware[i](h)
	}

	return h
}

// limitBody rejects a body over the limit with 413 before reading it when
// its length is declared, and stops reading at the limit otherwise.
func limitBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > limit {
				writeError(w, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE",
					"the request body is larger than the limit of "+formatMiB(limit)+": send a smaller IDL or Markdown")
				return
			}

			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(w, r)
		})
	}
}

func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)

		meta := request.FromContext(r.Context())
		if meta.ID == "" {
			return
		}
		log.InfoContext(r.Context(), "request",
			"request_id", meta.ID,
			"method", r.Method,
			"path", r.URL.Path,
			"operation", meta.Operation(),
			"status", request.StatusCode(w),
			"duration", time.Since(start),
		)
	})
}

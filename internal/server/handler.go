// Package server assembles the HTTP handler: the GraphQL endpoint with its
// transports and limits, GraphiQL, health checks and metrics, and the
// middleware that every request passes through.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/pprof"
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
	"github.com/orquestra/orquestra/internal/events"
	"github.com/orquestra/orquestra/internal/gqlhttp"
	"github.com/orquestra/orquestra/internal/graphiql"
	"github.com/orquestra/orquestra/internal/idl"
	"github.com/orquestra/orquestra/internal/limits"
	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/internal/metrics"
	"github.com/orquestra/orquestra/internal/ratelimit"
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
	Limits   Limits
	// CORSOrigins are the front-end origins allowed to call the API from a
	// browser; empty allows same-origin pages only.
	CORSOrigins []string
	// Events delivers published versions to subscriptions; nil keeps them
	// within this process.
	Events events.Broker
	// SignIn serves GET /auth/github and its callback; nil turns sign-in
	// off, and both routes then respond with 503.
	SignIn *signin.GitHub
	// Pprof serves the runtime profiles of net/http/pprof under
	// /debug/pprof/, for profiling under load. Off in production.
	Pprof bool
	// Stopping ends when the server starts to shut down. WebSocket
	// connections, which a graceful HTTP shutdown does not wait for, are
	// then closed with a close frame, so clients reconnect elsewhere. Nil
	// never ends.
	Stopping context.Context
}

// Limits bound what one request may cost. Zero values take the defaults.
type Limits struct {
	// MaxBodyBytes caps a request body, multipart uploads included.
	MaxBodyBytes int64
	// Operation limits the depth, aliases and root fields of an operation.
	Operation limits.Limits
	// Complexity caps the cost of an operation; see graph.NewComplexity.
	Complexity int
	// Tokens caps the lexical tokens of a document, before it is parsed.
	Tokens int
	// Batch caps the operations of one batched request.
	Batch int
	// Timeout cancels a request, and its database work, after this long.
	Timeout time.Duration
	// UploadsPerMinute and UploadBurst rate-limit uploadIdl and
	// publishIdlVersion per user or API key.
	UploadsPerMinute int
	UploadBurst      int
	// PersistedQueries caps the automatic persisted query cache, in queries.
	PersistedQueries int
	// WebSockets caps the server's open WebSocket connections, and
	// Subscriptions the open subscriptions of one connection.
	WebSockets    int
	Subscriptions int
	// SessionRecheck is how often an idle WebSocket connection's
	// credentials are checked again.
	SessionRecheck time.Duration
}

// DefaultMaxBodyBytes fits a 10 MiB IDL and 5 MiB of Markdown, escaped as
// JSON strings or sent as multipart files, with room for the query.
const DefaultMaxBodyBytes = 32 << 20

// DefaultLimits are the limits the server runs with unless configured.
var DefaultLimits = Limits{
	MaxBodyBytes:     DefaultMaxBodyBytes,
	Operation:        limits.Defaults,
	Complexity:       20000,
	Tokens:           5000,
	Batch:            10,
	Timeout:          30 * time.Second,
	UploadsPerMinute: 30,
	UploadBurst:      10,
	PersistedQueries: 1000,
	WebSockets:       1000,
	Subscriptions:    20,
	SessionRecheck:   time.Minute,
}

// New returns the server's HTTP handler.
func New(opts Options) http.Handler {
	opts.Limits = withDefaults(opts.Limits)
	if opts.Events == nil {
		opts.Events = events.NewLocal()
	}
	notifySubscribers(opts)
	m := metrics.New(opts.Store.Queries)

	gql := newGraphQL(opts)
	api := chain(gql,
		limitBody(opts.Limits.MaxBodyBytes),
		withTimeout(opts.Limits.Timeout),
		auth.Middleware(opts.Tokens, opts.Store, opts.Log),
		recordCaller,
		loader.Middleware(opts.Store, opts.Loaders),
	)

	mux := http.NewServeMux()
	gate := newWebsocketGate(opts.Limits.WebSockets, stopping(opts))
	mux.Handle("/query", withCORS(opts.CORSOrigins, gate.handler(api)))
	mux.Handle("GET /{$}", graphiql.Handler())
	mux.Handle("GET "+graphiql.AssetPrefix, graphiql.Handler())
	mux.HandleFunc("GET /healthz", healthz)
	mux.HandleFunc("GET /auth/github", opts.SignIn.Start)
	mux.HandleFunc("GET /auth/github/callback", opts.SignIn.Callback)
	mux.Handle("GET /readyz", readyz(opts.Store))
	mux.Handle("GET /metrics", m.Handler())
	if opts.Pprof {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	}

	return request.Middleware(logRequests(opts.Log, m, securityHeaders(mux)))
}

// apiContentSecurityPolicy forbids every resource and framing: the API
// serves data, which a browser must never run or embed. The GraphiQL page
// sets its own policy in place of this one.
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// securityHeaders gives every response headers that keep browsers from
// sniffing, framing or running it.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := w.Header()
		header.Set("Content-Security-Policy", apiContentSecurityPolicy)
		header.Set("X-Content-Type-Options", "nosniff")
		header.Set("X-Frame-Options", "DENY")
		header.Set("Referrer-Policy", "no-referrer")

		next.ServeHTTP(w, r)
	})
}

func withDefaults(l Limits) Limits {
	d := DefaultLimits
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	if l.Operation == (limits.Limits{}) {
		l.Operation = d.Operation
	}
	if l.Complexity <= 0 {
		l.Complexity = d.Complexity
	}
	if l.Tokens <= 0 {
		l.Tokens = d.Tokens
	}
	if l.Batch <= 0 {
		l.Batch = d.Batch
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	if l.PersistedQueries <= 0 {
		l.PersistedQueries = d.PersistedQueries
	}
	if l.WebSockets <= 0 {
		l.WebSockets = d.WebSockets
	}
	if l.Subscriptions <= 0 {
		l.Subscriptions = d.Subscriptions
	}
	if l.SessionRecheck <= 0 {
		l.SessionRecheck = d.SessionRecheck
	}

	return l
}

func newGraphQL(opts Options) *handler.Server {
	resolver := &graph.Resolver{
		Store:         opts.Store,
		Uploads:       opts.Uploads,
		Log:           opts.Log,
		Programs:      opts.Programs,
		Docs:          opts.Docs,
		UploadLimiter: ratelimit.New(opts.Limits.UploadsPerMinute, opts.Limits.UploadBurst, 100000),
		Events:        opts.Events,
	}
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: resolver, Complexity: graph.NewComplexity()}))

	srv.AddTransport(transport.Options{})
	srv.AddTransport(gqlhttp.Multipart{MultipartForm: transport.MultipartForm{
		MaxUploadSize: opts.Limits.MaxBodyBytes,
		MaxMemory:     8 << 20,
	}})
	srv.AddTransport(gqlhttp.Transport{MaxBatch: opts.Limits.Batch, MaxBatchComplexity: opts.Limits.Complexity})
	srv.AddTransport(websocketTransport(opts))

	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(opts.Limits.Tokens)
	srv.SetDisableSuggestion(true)
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](opts.Limits.PersistedQueries)})
	srv.Use(limits.Extension{Limits: opts.Limits.Operation})
	srv.Use(extension.FixedComplexityLimit(opts.Limits.Complexity))
	srv.SetErrorPresenter(graph.ErrorPresenter(opts.Log))
	srv.SetRecoverFunc(graph.Recover(opts.Log))
	srv.AroundOperations(recordOperation)
	srv.AroundOperations(aroundWebSocketOperations)
	srv.AroundRootFields(freshReadsPerMutation)

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

// withTimeout cancels the request's context after d, which stops its
// database work; resolvers then fail with REQUEST_TIMEOUT.
func withTimeout(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// A WebSocket connection lives as long as its subscriptions.
			if r.Header.Get("Upgrade") != "" {
				next.ServeHTTP(w, r)
				return
			}

			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()

			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// recordCaller notes the kind of caller for the request log.
func recordCaller(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := auth.FromContext(r.Context())
		kind := "anonymous"
		switch {
		case id.User != nil:
			kind = "user"
		case id.KeyProjectID != "":
			kind = "key"
		}
		request.FromContext(r.Context()).SetCaller(kind)

		next.ServeHTTP(w, r)
	})
}

func logRequests(log *slog.Logger, m *metrics.Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		elapsed := time.Since(start)

		meta := request.FromContext(r.Context())
		status := request.StatusCode(w)
		if r.URL.Path == "/query" {
			m.Observe(meta.Operation(), status, elapsed)
		}

		log.InfoContext(r.Context(), "request",
			"request_id", meta.ID,
			"method", r.Method,
			"path", r.URL.Path,
			"operation", meta.Operation(),
			"caller", meta.Caller(),
			"status", status,
			"codes", meta.Codes(),
			"duration", elapsed,
		)
	})
}

// freshReadsPerMutation empties the request's loader caches before each root
// field of a mutation. gqlgen runs a mutation's root fields one after the
// other, so each then reads the rows that the fields before it wrote.
func freshReadsPerMutation(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	op := graphql.GetOperationContext(ctx)
	if op != nil && op.Operation != nil && op.Operation.Operation == ast.Mutation {
		loader.FromContext(ctx).ClearAll()
	}

	return next(ctx)
}

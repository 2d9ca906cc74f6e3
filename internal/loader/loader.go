// Package loader batches the nested lookups of one GraphQL request with
// dataloaders, so that the number of SQL statements a query runs depends on
// its shape, not on how many rows it returns.
//
// A fresh set of loaders is made for every request: their caches hold rows
// the request's caller may see, and must never serve another caller.
package loader

import (
	"context"
	"net/http"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/models"
)

// Options tune batching.
type Options struct {
	// Wait is how long a loader collects keys before it runs its batch.
	// gqlgen resolves the fields of a list's items concurrently, so their
	// loads arrive within this window.
	Wait time.Duration
	// BatchCapacity caps the keys of one statement, below the bind-parameter
	// limits of SQLite and PostgreSQL; a larger batch is split.
	BatchCapacity int
	// Unbatched turns batching off: each loader runs one statement per key
	// and PrimeProjects loads nothing ahead, so a list runs one statement
	// per item and relation (N+1). It exists to measure what batching saves.
	Unbatched bool
	// Uncached turns the loaders' caches off, for loaders that live as long
	// as a WebSocket connection: each subscription event then reads fresh
	// rows while its fields are still batched.
	Uncached bool
}

// DefaultOptions are the options the server uses unless configured.
var DefaultOptions = Options{Wait: 2 * time.Millisecond, BatchCapacity: 500}

// Loaders are the dataloaders of one request.
type Loaders struct {
	User            *dataloader.Loader[string, *models.User]
	Project         *dataloader.Loader[string, *models.Project]
	LatestVersion   *dataloader.Loader[string, *models.IDLVersion]
	VersionByNumber *dataloader.Loader[storage.VersionNumberKey, *models.IDLVersion]
	VersionBody     *dataloader.Loader[string, *storage.VersionBody]
	VersionCount    *dataloader.Loader[string, int]
	Versions        *dataloader.Loader[VersionsKey, *storage.VersionPage]
	Socials         *dataloader.Loader[string, *models.ProjectSocials]
	KnownAddresses  *dataloader.Loader[string, []models.KnownAddress]
	APIKeys         *dataloader.Loader[string, []models.APIKey]
	CustomDocs      *dataloader.Loader[string, *string]
	UserProjects    *dataloader.Loader[storage.UserPageKey, *storage.ProjectPage]
	UserCounts      *dataloader.Loader[string, storage.UserCounts]

	batches   *batches
	unbatched bool
}

// VersionsKey selects one page of one project's versions. AfterVersion is
// the version number of the previous page's last item, or 0.
type VersionsKey struct {
	ProjectID    string
	First        int
	AfterVersion int
}

// New returns the loaders for one request by viewer.
func New(store *storage.Store, viewer storage.Viewer, opts Options) *Loaders {
	b := &batches{store: store, viewer: viewer}
	if opts.Unbatched {
		opts.BatchCapacity = 1
	}

	return &Loaders{
		batches:         b,
		unbatched:       opts.Unbatched,
		User:            newLoader(b.users, opts),
		Project:         newLoader(b.projects, opts),
		LatestVersion:   newLoader(b.latestVersions, opts),
		VersionByNumber: newLoader(b.versionsByNumber, opts),
		VersionBody:     newLoader(b.versionBodies, opts),
		VersionCount:    newLoader(b.versionCounts, opts),
		Versions:        newLoader(b.versionPages, opts),
		Socials:         newLoader(b.socials, opts),
		KnownAddresses:  newLoader(b.knownAddresses, opts),
		APIKeys:         newLoader(b.apiKeys, opts),
		CustomDocs:      newLoader(b.customDocs, opts),
		UserProjects:    newLoader(b.userProjects, opts),
		UserCounts:      newLoader(b.userCounts, opts),
	}
}

func newLoader[K comparable, V any](fn dataloader.BatchFunc[K, V], opts Options) *dataloader.Loader[K, V] {
	options := []dataloader.Option[K, V]{
		dataloader.WithWait[K, V](opts.Wait),
		dataloader.WithBatchCapacity[K, V](opts.BatchCapacity),
	}
	if opts.Uncached {
		options = append(options, dataloader.WithCache[K, V](&dataloader.NoCache[K, V]{}))
	}

	return dataloader.NewBatchedLoader(fn, options...)
}

type contextKey struct{}

// NewContext returns a context that carries the request's loaders.
func NewContext(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, contextKey{}, l)
}

// FromContext returns the request's loaders. It panics when the request did
// not pass through Middleware, which is a wiring bug.
func FromContext(ctx context.Context) *Loaders {
	l, ok := ctx.Value(contextKey{}).(*Loaders)
	if !ok {
		panic("loader: no loaders in the context: wrap the handler with loader.Middleware")
	}

	return l
}

// Middleware gives each request its own loaders, built for the caller that
// auth.Middleware put in the context.
func Middleware(store *storage.Store, opts Options) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			viewer := auth.FromContext(r.Context()).Viewer()
			ctx := NewContext(r.Context(), New(store, viewer, opts))
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// results orders found values by keys. A key with no value gets missing(key):
// nil data for a nullable relation, or an error.
func results[K comparable, V any](keys []K, found map[K]V, missing func(K) *dataloader.Result[V]) []*dataloader.Result[V] {
	out := make([]*dataloader.Result[V], len(keys))
	for i, k := range keys {
		if v, ok := found[k]; ok {
			out[i] = &dataloader.Result[V]{Data: v}
			continue
		}
		out[i] = missing(k)
	}

	return out
}

// failAll returns the batch's error for every key of a failed batch.
func failAll[K comparable, V any](keys []K, err error) []*dataloader.Result[V] {
	out := make([]*dataloader.Result[V], len(keys))
	for i := range keys {
		out[i] = &dataloader.Result[V]{Error: err}
	}

	return out
}

// orNil returns a nil value for a missing key, because the relation is absent.
func orNil[K comparable, V any](K) *dataloader.Result[V] {
	return &dataloader.Result[V]{}
}

// orNotFound returns a NOT_FOUND error for a missing key.
func orNotFound[V any](what string) func(string) *dataloader.Result[V] {
	return func(id string) *dataloader.Result[V] {
		return &dataloader.Result[V]{Error: apperr.New(apperr.NotFound, "%s %s not found", what, id)}
	}
}

// ClearAll empties every loader's cache. A mutation runs it before each of
// its root fields, so that a field reads the writes of the fields before it
// rather than rows cached earlier in the request.
func (l *Loaders) ClearAll() {
	l.User.ClearAll()
	l.Project.ClearAll()
	l.LatestVersion.ClearAll()
	l.VersionByNumber.ClearAll()
	l.VersionBody.ClearAll()
	l.VersionCount.ClearAll()
	l.Versions.ClearAll()
	l.Socials.ClearAll()
	l.KnownAddresses.ClearAll()
	l.APIKeys.ClearAll()
	l.CustomDocs.ClearAll()
	l.UserProjects.ClearAll()
	l.UserCounts.ClearAll()
}

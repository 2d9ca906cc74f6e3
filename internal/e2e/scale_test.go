package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/gendata"
	"github.com/orquestra/orquestra/internal/idl"
	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/internal/server"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/internal/upload"
)

// publicPage is the public projects page that front ends load most, with
// its total count: the list, its count and five relations.
const publicPage = `query PublicPage($first: Int) {
  projects(first: $first) {
    totalCount
    edges { node {
      name
      owner { username }
      latestVersion { version }
      versionCount
      socials { website }
      knownAddresses { address }
    } }
  }
}`

// publicPageStatements is the most statements publicPage may run: one for
// the list, one for its count and one per relation.
const publicPageStatements = 2 + 5

// generatedStore opens a new database with n generated projects.
func generatedStore(t *testing.T, n int) *storage.Store {
	t.Helper()

	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "scale.db")
	store, err := storage.Open(ctx, path, nil)
	require.NoError(t, err, "open %s", path)
	t.Cleanup(func() { store.Close() })

	_, err = store.Migrate(ctx)
	require.NoError(t, err, "migrate %s", path)

	_, err = gendata.Generate(ctx, store, gendata.Options{Projects: n, Seed: 1})
	require.NoError(t, err, "generate %d projects", n)

	return store
}

// serveStore serves the real handler over store with the given loader
// options and returns its URL.
func serveStore(t *testing.T, store *storage.Store, loaders loader.Options) string {
	t.Helper()

	tokens, err := auth.NewTokens(bytes.Repeat([]byte("k"), 32), time.Hour)
	require.NoError(t, err, "create token issuer")

	programs, docs := idl.NewCache(16), docgen.NewCache(16)
	handler := server.New(server.Options{
		Store:    store,
		Uploads:  upload.NewService(store, programs, docs),
		Programs: programs,
		Docs:     docs,
		Tokens:   tokens,
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Loaders:  loaders,
	})
	ts := httptest.NewServer(handler)
	t.Cleanup(ts.Close)

	return ts.URL
}

// pageStatements requests a page of first projects and returns how many
// SQL statements the request ran.
func pageStatements(t *testing.T, url string, store *storage.Store, first int) int64 {
	t.Helper()

	body, err := json.Marshal(map[string]any{"query": publicPage, "variables": map[string]any{"first": first}})
	require.NoError(t, err, "encode request")

	before := store.Queries()
	res, err := http.Post(url+"/query", "application/json", bytes.NewReader(body))
	require.NoError(t, err, "POST /query")
	defer res.Body.Close()

	var out struct {
		Errors []json.RawMessage
		Data   struct {
			Projects struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Owner         struct{ Username string }
						LatestVersion *struct{ Version int }
						VersionCount  int
					}
				}
			}
		}
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out), "decode page of %d", first)
	statements := store.Queries() - before

	require.Empty(t, out.Errors, "errors of the page of %d", first)
	require.Len(t, out.Data.Projects.Edges, first, "page size")
	for _, e := range out.Data.Projects.Edges {
		require.NotEmpty(t, e.Node.Owner.Username, "owner loaded")
		require.NotNil(t, e.Node.LatestVersion, "latest version loaded")
		require.Equal(t, e.Node.VersionCount, e.Node.LatestVersion.Version, "version count matches the latest version")
	}

	return statements
}

func TestPageStatementsIndependentOfScale(t *testing.T) {
	counts := map[string]int64{}
	for _, projects := range []int{200, 1000} {
		store := generatedStore(t, projects)
		url := serveStore(t, store, loader.DefaultOptions)

		for _, first := range []int{10, 100} {
			statements := pageStatements(t, url, store, first)
			t.Logf("%d projects, first %d: %d statements", projects, first, statements)

			require.LessOrEqual(t, statements, int64(publicPageStatements), "statements for first %d of %d projects", first, projects)
			counts[formatCase(projects, first)] = statements
		}
	}

	want := counts[formatCase(200, 10)]
	for name, got := range counts {
		require.Equal(t, want, got, "statements for %s equal those for 200 projects, first 10", name)
	}
}

func TestUnbatchedPageRunsStatementPerRow(t *testing.T) {
	store := generatedStore(t, 200)
	url := serveStore(t, store, loader.Options{Wait: loader.DefaultOptions.Wait, Unbatched: true})

	small := pageStatements(t, url, store, 10)
	large := pageStatements(t, url, store, 100)
	t.Logf("unbatched: first 10: %d statements, first 100: %d statements", small, large)

	// Each project's latest version, version count, socials and known
	// addresses take a statement of their own, and so does each owner.
	require.GreaterOrEqual(t, small, int64(2+4*10), "statements for first 10 without batching")
	require.GreaterOrEqual(t, large, int64(2+4*100), "statements for first 100 without batching")
}

func formatCase(projects, first int) string {
	return fmt.Sprintf("%d projects, first %d", projects, first)
}

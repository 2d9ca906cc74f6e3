package graphiql_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/graphiql"
)

const wantCSP = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"connect-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// urlAttribute matches the value of every src and href attribute in the page.
var urlAttribute = regexp.MustCompile(`\b(?:src|href)="([^"]*)"`)

// newMountedServer serves Handler with the same two routes the app uses.
func newMountedServer(t *testing.T, extra func(*http.ServeMux)) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", graphiql.Handler())
	mux.Handle("GET "+graphiql.AssetPrefix, graphiql.Handler())
	if extra != nil {
		extra(mux)
	}
	server := httptest.NewServer(mux)
	t.Cleanup(server.Close)
	return server
}

// get fetches url and returns the response with its body read.
func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err, "GET %s", url)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "read body of GET %s", url)
	return resp, string(body)
}

// pageURLs returns the src and href values of the page at "/".
func pageURLs(t *testing.T, server *httptest.Server) []string {
	t.Helper()
	_, body := get(t, server.URL+"/")
	var urls []string
	for _, match := range urlAttribute.FindAllStringSubmatch(body, -1) {
		urls = append(urls, match[1])
	}
	require.NotEmpty(t, urls, "page at / has no src or href attributes")
	return urls
}

// localAssetPath returns the file in this directory that the hashed asset
// URL was built from: assets/<name> for vendored files, <name> for ours.
func localAssetPath(t *testing.T, url string) string {
	t.Helper()
	hashed := strings.TrimPrefix(url, graphiql.AssetPrefix)
	extension := path.Ext(hashed)
	withoutExtension := strings.TrimSuffix(hashed, extension)
	dot := strings.LastIndex(withoutExtension, ".")
	require.Positive(t, dot, "asset URL %s has no .<hash> before its extension", url)
	name := withoutExtension[:dot] + extension

	if _, err := os.Stat(filepath.Join("assets", name)); err == nil {
		return filepath.Join("assets", name)
	}
	return name
}

// vendoredAssets returns the paths of the scripts and style sheets in assets/.
func vendoredAssets(t *testing.T) []string {
	t.Helper()
	scripts, err := filepath.Glob("assets/*.js")
	require.NoError(t, err, "list scripts in assets/")
	styleSheets, err := filepath.Glob("assets/*.css")
	require.NoError(t, err, "list style sheets in assets/")
	return append(scripts, styleSheets...)
}

func assertSecurityHeaders(t *testing.T, header http.Header, request string) {
	t.Helper()
	assert.Equal(t, wantCSP, header.Get("Content-Security-Policy"), "Content-Security-Policy of %s", request)
	assert.Equal(t, "no-referrer", header.Get("Referrer-Policy"), "Referrer-Policy of %s", request)
	assert.Equal(t, "nosniff", header.Get("X-Content-Type-Options"), "X-Content-Type-Options of %s", request)
}

func TestPageServed(t *testing.T) {
	server := newMountedServer(t, nil)

	resp, body := get(t, server.URL+"/")

	assert.Equal(t, http.StatusOK, resp.StatusCode, "status of GET /")
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"), "Content-Type of GET /")
	assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"), "Cache-Control of GET /")
	assertSecurityHeaders(t, resp.Header, "GET /")
	assert.Contains(t, body, `data-endpoint="`+graphiql.Endpoint+`"`, "page at / must point GraphiQL at the endpoint")
	assert.Contains(t, body, "programId", "page at / must carry the default query")
	assert.NotContains(t, body, "<script>", "page at / must have no inline script, because the CSP forbids it")
	assert.NotContains(t, body, "<style", "page at / must have no inline style, because the CSP forbids it")
}

func TestPageURLsSameOrigin(t *testing.T) {
	server := newMountedServer(t, nil)
	_, body := get(t, server.URL+"/")

	assert.NotContains(t, body, "http://", "page at / must not name another origin")
	assert.NotContains(t, body, "https://", "page at / must not name another origin")
	for _, url := range pageURLs(t, server) {
		assert.True(t, strings.HasPrefix(url, graphiql.AssetPrefix), "page URL %q must start with %s", url, graphiql.AssetPrefix)
		assert.False(t, strings.HasPrefix(url, "//"), "page URL %q must not be protocol-relative", url)
	}
}

func TestPageAssetsServed(t *testing.T) {
	server := newMountedServer(t, nil)
	contentTypes := map[string]string{
		".js":  "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8",
	}

	for _, url := range pageURLs(t, server) {
		t.Run(url, func(t *testing.T) {
			resp, body := get(t, server.URL+url)

			assert.Equal(t, http.StatusOK, resp.StatusCode, "status of GET %s", url)
			assert.Equal(t, contentTypes[path.Ext(url)], resp.Header.Get("Content-Type"), "Content-Type of GET %s", url)
			assert.Equal(t, "public, max-age=31536000, immutable", resp.Header.Get("Cache-Control"), "Cache-Control of GET %s", url)
			assertSecurityHeaders(t, resp.Header, "GET "+url)

			want, err := os.ReadFile(localAssetPath(t, url))
			require.NoError(t, err, "read source file of %s", url)
			assert.Equal(t, string(want), body, "body of GET %s must equal its source file", url)
		})
	}
}

func TestPageReferencesEveryAsset(t *testing.T) {
	server := newMountedServer(t, nil)
	referenced := map[string]bool{}
	for _, url := range pageURLs(t, server) {
		referenced[localAssetPath(t, url)] = true
	}

	vendored := vendoredAssets(t)
	require.Len(t, vendored, 4, "vendored scripts and style sheets in assets/")
	for _, file := range append(vendored, "init.js", "page.css") {
		assert.True(t, referenced[file], "page at / must load %s", file)
	}
}

func TestAssetConditionalGet(t *testing.T) {
	server := newMountedServer(t, nil)
	url := server.URL + pageURLs(t, server)[0]
	first, _ := get(t, url)
	etag := first.Header.Get("ETag")
	require.NotEmpty(t, etag, "ETag of GET %s", url)

	request, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err, "build conditional request")
	request.Header.Set("If-None-Match", etag)
	resp, err := http.DefaultClient.Do(request)
	require.NoError(t, err, "conditional GET %s", url)
	resp.Body.Close()

	assert.Equal(t, http.StatusNotModified, resp.StatusCode, "status of GET %s with If-None-Match %s", url, etag)
}

func TestHandlerRejects(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		target     string
		wantStatus int
	}{
		{"unknown asset", http.MethodGet, "/graphiql/missing.js", http.StatusNotFound},
		{"asset without hash", http.MethodGet, "/graphiql/init.js", http.StatusNotFound},
		{"asset with stale hash", http.MethodGet, "/graphiql/init.000000000000.js", http.StatusNotFound},
		{"asset directory", http.MethodGet, "/graphiql/", http.StatusNotFound},
		{"nested asset path", http.MethodGet, "/graphiql/assets/graphiql.min.js", http.StatusNotFound},
		{"path outside handler", http.MethodGet, "/query", http.StatusNotFound},
		{"post to page", http.MethodPost, "/", http.StatusMethodNotAllowed},
	}
	handler := graphiql.Handler()

	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			recorder := httptest.NewRecorder()
			handler.ServeHTTP(recorder, httptest.NewRequest(test.method, test.target, nil))

			request := test.method + " " + test.target
			assert.Equal(t, test.wantStatus, recorder.Code, "status of %s", request)
			assertSecurityHeaders(t, recorder.Header(), request)
		})
	}
}

// TestSourcesChecksums checks that SOURCES.md lists every vendored file with
// the SHA-256 of the file now in assets/, so a hand edit shows up here.
func TestSourcesChecksums(t *testing.T) {
	sources, err := os.Open("assets/SOURCES.md")
	require.NoError(t, err, "open assets/SOURCES.md")
	defer sources.Close()

	listed := map[string]string{}
	scanner := bufio.NewScanner(sources)
	for scanner.Scan() {
		cells := strings.Split(scanner.Text(), "|")
		if len(cells) == 8 && strings.HasPrefix(strings.TrimSpace(cells[5]), "`") {
			listed[strings.TrimSpace(cells[1])] = strings.Trim(strings.TrimSpace(cells[5]), "`")
		}
	}
	require.NoError(t, scanner.Err(), "read assets/SOURCES.md")

	vendored := vendoredAssets(t)
	assert.Len(t, listed, len(vendored), "rows in SOURCES.md, one per vendored file")
	for _, file := range vendored {
		content, err := os.ReadFile(file)
		require.NoError(t, err, "read %s", file)
		sum := sha256.Sum256(content)
		assert.Equal(t, listed[filepath.Base(file)], hex.EncodeToString(sum[:]),
			"SHA-256 of %s must match SOURCES.md; rerun scripts/update-graphiql.sh instead of editing it", file)
	}
}

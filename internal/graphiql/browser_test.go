package graphiql_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	generated "github.com/99designs/gqlgen/codegen/testserver/compliant-int/generated-default"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/graphiql"
)

const chromiumPath = "/usr/bin/chromium"

// chromiumServiceHosts are hosts that Chromium 156 itself contacted in runs
// of this test despite the flags in runChromium. The test proxy blocks them
// too. A request to any other host fails the test, and so does one to a host
// a page would use, such as fonts.googleapis.com.
var chromiumServiceHosts = map[string]bool{
	"accounts.google.com":             true,
	"clients2.google.com":             true,
	"content-autofill.googleapis.com": true,
	"update.googleapis.com":           true,
}

// requestLog records every request the browser sends to the test server.
// The server is also the browser's proxy, so the log includes requests for
// other hosts.
type requestLog struct {
	mu       sync.Mutex
	local    []string
	external []string
}

func (l *requestLog) add(list *[]string, entry string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*list = append(*list, entry)
}

func (l *requestLog) snapshot() (local, external []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.local...), append([]string(nil), l.external...)
}

// newBrowserServer serves the GraphiQL routes plus a gqlgen test schema at
// graphiql.Endpoint, so GraphiQL's introspection request gets a real result.
// The server also acts as the browser's HTTP proxy. A request for any host
// other than its own is logged as external and gets 502, so it never leaves
// the machine. newBrowserServer returns the server's host:port.
func newBrowserServer(t *testing.T, log *requestLog) string {
	t.Helper()
	schema := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: &generated.Stub{}}))
	schema.AddTransport(transport.POST{})
	schema.Use(extension.Introspection{})

	mux := http.NewServeMux()
	mux.Handle("GET /{$}", graphiql.Handler())
	mux.Handle("GET "+graphiql.AssetPrefix, graphiql.Handler())
	mux.Handle("POST "+graphiql.Endpoint, schema)

	server := httptest.NewUnstartedServer(nil)
	ownHost := server.Listener.Addr().String()
	server.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect || r.Host != ownHost {
			log.add(&log.external, r.Method+" "+r.Host+r.URL.Path)
			http.Error(w, "test proxy: only "+ownHost+" may be reached", http.StatusBadGateway)
			return
		}
		log.add(&log.local, r.Method+" "+r.URL.Path)
		mux.ServeHTTP(w, r)
	})
	server.Start()
	t.Cleanup(server.Close)
	return ownHost
}

// runChromium loads the page at host in headless Chromium with the extra
// flags and returns Chromium's stdout and stderr. The proxy flags send every
// request through the test server, including those for 127.0.0.1, which
// Chromium otherwise sends directly. --log-level=0 puts console messages,
// CSP violations among them, on stderr.
func runChromium(t *testing.T, host string, extraFlags ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	url := "http://" + host + "/"
	flags := []string{
		"--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--no-first-run",
		"--user-data-dir=" + t.TempDir(),
		"--proxy-server=http://" + host, "--proxy-bypass-list=<-loopback>",
		"--enable-logging=stderr", "--log-level=0",
		"--disable-features=NetworkTimeServiceQuerying,AutofillServerCommunication,OptimizationHints,MediaRouter,Translate,CertificateTransparencyComponentUpdater",
		"--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
		"--no-pings", "--disable-breakpad", "--no-default-browser-check", "--disable-extensions",
		"--virtual-time-budget=10000",
	}
	flags = append(append(flags, extraFlags...), url)

	var out, errOut bytes.Buffer
	command := exec.CommandContext(ctx, chromiumPath, flags...)
	command.Stdout = &out
	command.Stderr = &errOut
	err := command.Run()
	require.NoError(t, err, "run %s on %s; stderr:\n%s", chromiumPath, url, errOut.String())
	return out.String(), errOut.String()
}

func TestBrowserRendersGraphiQL(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the Chromium test in -short mode")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("skipping the Chromium test: %s not found; install it with apt-get install -y chromium", chromiumPath)
	}
	log := &requestLog{}
	host := newBrowserServer(t, log)

	dom, stderr := runChromium(t, host, "--dump-dom")

	assert.Contains(t, dom, "graphiql-container", "rendered DOM must contain the GraphiQL container")
	assert.Contains(t, dom, "graphiql-query-editor", "rendered DOM must contain the query editor")
	assert.Contains(t, dom, "CodeMirror", "rendered DOM must contain a CodeMirror editor")
	assert.Contains(t, dom, "programId", "query editor must show the default query")
	assert.NotContains(t, dom, "Loading GraphiQL", "init.js must replace the loading text")

	local, external := log.snapshot()
	for _, want := range []string{"GET /", "POST " + graphiql.Endpoint} {
		assert.Contains(t, local, want, "requests from Chromium to the test server")
	}
	for _, request := range external {
		host := strings.Fields(request)[1]
		host, _, _ = strings.Cut(host, "/")
		host, _, _ = strings.Cut(host, ":")
		assert.True(t, chromiumServiceHosts[host], "request %q left the test server; only Chromium's own services may try that", request)
	}

	for _, line := range strings.Split(stderr, "\n") {
		assert.NotContains(t, line, "Content Security Policy", "Chromium console must show no CSP violation")
	}
}

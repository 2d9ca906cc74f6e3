package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/testserver"
)

const chromiumPath = "/usr/bin/chromium"

// chromiumServiceHosts are hosts that Chromium 156 tried to reach for its
// own services in runs of TestGraphiQLRunsQueryInBrowser despite its flags.
// The test proxy rejects them with 502 like any other host, so they never
// leave the machine. A request to a host outside this list fails the test,
// because it means that the page itself loads a remote resource.
var chromiumServiceHosts = map[string]bool{
	"accounts.google.com":             true,
	"clients2.google.com":             true,
	"content-autofill.googleapis.com": true,
	"update.googleapis.com":           true,
}

// proxyLog records each request that reaches the blocking proxy, as local
// when it is for the test server and as external when it is for any other
// host.
type proxyLog struct {
	mu       sync.Mutex
	local    []string
	external []string
}

func (l *proxyLog) add(list *[]string, entry string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*list = append(*list, entry)
}

func (l *proxyLog) snapshot() (local, external []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.local...), append([]string(nil), l.external...)
}

// startBlockingProxy starts an HTTP proxy on 127.0.0.1 that forwards
// requests for the host of target to target and rejects every other
// request, CONNECT tunnels included, with 502. It returns the proxy's URL.
func startBlockingProxy(t *testing.T, target string, log *proxyLog) string {
	t.Helper()

	targetURL, err := url.Parse(target)
	require.NoError(t, err, "parse test server URL %s", target)

	forward := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(targetURL)
	}}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect || r.Host != targetURL.Host {
			log.add(&log.external, r.Method+" "+r.Host+r.URL.Path)
			http.Error(w, "test proxy: only "+targetURL.Host+" may be reached", http.StatusBadGateway)
			return
		}

		log.add(&log.local, r.Method+" "+r.URL.Path)
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)

	return proxy.URL
}

// hostOf returns the host name, without port, of a proxyLog entry such as
// "GET fonts.googleapis.com:443/css".
func hostOf(entry string) string {
	_, target, _ := strings.Cut(entry, " ")
	host, _, _ := strings.Cut(target, "/")
	name, _, _ := strings.Cut(host, ":")
	return name
}

func TestGraphiQLRunsQueryInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the Chromium test in -short mode")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("skipping the Chromium test: %s not found. Install it with apt-get install -y chromium", chromiumPath)
	}

	s := testserver.Start(t)
	createProject(t, s, s.Token(t, "browser"), "Browser Test Project", smallIDL(t), true)
	log := &proxyLog{}
	proxyURL := startBlockingProxy(t, s.URL, log)

	// A deferred call also runs after require stops the test, so a page
	// that waits for a blocked host shows that host in the output.
	defer func() {
		_, external := log.snapshot()
		if len(external) > 0 {
			t.Logf("the proxy rejected these requests for hosts other than the test server with 502: %v", external)
		}
	}()

	// The flags turn off Chromium's own network services where a flag
	// exists. The proxy flags send every request through the blocking
	// proxy. "<-loopback>" removes the default bypass for 127.0.0.1, so
	// requests to the test server go through the proxy too and show up in
	// its log. chromedp v0.24 connects to Chromium with
	// --remote-debugging-pipe, so Chromium opens no DevTools port.
	allocatorCtx, cancelAllocator := chromedp.NewExecAllocator(t.Context(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "MediaRouter,OptimizationHints,Translate,NetworkTimeServiceQuerying,AutofillServerCommunication,CertificateTransparencyComponentUpdater"),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.ProxyServer(proxyURL),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.WindowSize(1280, 800),
	)
	defer cancelAllocator()
	browserCtx, cancelBrowser := chromedp.NewContext(allocatorCtx)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(browserCtx, 30*time.Second)
	defer cancel()

	var exceptionsMu sync.Mutex
	var exceptions []string
	err := chromedp.Listen(ctx, func(event any) {
		thrown, ok := event.(*runtime.EventExceptionThrown)
		if !ok {
			return
		}
		exceptionsMu.Lock()
		defer exceptionsMu.Unlock()
		exceptions = append(exceptions, thrown.ExceptionDetails.Text)
	})
	require.NoError(t, err, "start %s and listen for JavaScript exceptions", chromiumPath)

	err = chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(".graphiql-query-editor .CodeMirror")),
	)
	require.NoError(t, err, "load GraphiQL at %s/ and wait for the query editor", s.URL)
	queryText, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".graphiql-query-editor .CodeMirror-code")))
	require.NoError(t, err, "read the query editor")

	// The default query lists the first public projects, so running it
	// unchanged must show the project created above in the result pane.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".graphiql-execute-button")))
	require.NoError(t, err, "click the execute button")
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](
		`(document.querySelector(".graphiql-response .result-window")?.innerText ?? "").includes("Browser Test Project")`,
		chromedp.WithPollingTimeout(0)))
	require.NoError(t, err, "wait for the result pane to show Browser Test Project")
	resultText, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".graphiql-response .result-window")))
	require.NoError(t, err, "read the result pane")
	screenshot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err, "take a screenshot")

	// With go test -artifacts the screenshot stays in -outputdir. Without
	// it, ArtifactDir is a temporary directory that the test removes.
	screenshotPath := filepath.Join(t.ArtifactDir(), "graphiql.png")
	require.NoError(t, os.WriteFile(screenshotPath, screenshot, 0o644), "write screenshot %s", screenshotPath)
	t.Logf("screenshot of the page after the query: %s", screenshotPath)

	assert.Contains(t, queryText, "projects(first: 5)", "query editor must show the default query")
	assert.Contains(t, resultText, `"name": "Browser Test Project"`, "result pane must show the created project")
	assert.Contains(t, resultText, `"totalCount": 1`, "result pane must count the one public project")
	assert.NotContains(t, resultText, `"errors"`, "result pane must show no GraphQL errors")

	exceptionsMu.Lock()
	assert.Empty(t, exceptions, "page must throw no uncaught JavaScript exception")
	exceptionsMu.Unlock()

	local, external := log.snapshot()
	for _, want := range []string{"GET /", "POST /query"} {
		assert.Contains(t, local, want, "requests from Chromium to the test server through the proxy")
	}
	for _, entry := range external {
		assert.True(t, chromiumServiceHosts[hostOf(entry)], "request %q was for a host other than the test server. Only Chromium's own services may try that, and the proxy rejected it with 502", entry)
	}
}

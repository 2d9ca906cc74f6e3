package lifecycle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// orquestraBinary builds the server once per test run.
func orquestraBinary(t *testing.T) string {
	t.Helper()

	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "orquestra-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "orquestra")
		out, err := exec.Command("go", "build", "-o", binary, "github.com/orquestra/orquestra").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v: %s", err, out)
		}
	})
	require.NoError(t, buildErr, "build the orquestra binary")

	return binary
}

// process is one running server.
type process struct {
	cmd  *exec.Cmd
	url  string
	logs *syncBuffer
	// exited is closed when the process has exited; err is then its status.
	exited chan struct{}
	err    error
}

// syncBuffer collects the server's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err, "find a free port")
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	return addr
}

// start runs the server on db and waits until it is ready.
func start(t *testing.T, db string, extra ...string) *process {
	t.Helper()

	addr := freeAddr(t)
	args := append([]string{"-addr", addr, "-db", db, "-uploads-per-minute", "0"}, extra...)
	cmd := exec.Command(orquestraBinary(t), args...)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start(), "start server")

	p := &process{cmd: cmd, url: "http://" + addr, logs: logs, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})

	require.Eventually(t, func() bool {
		res, err := http.Get(p.url + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, 30*time.Second, 20*time.Millisecond, "server on %s becomes ready", addr)

	return p
}

// token prints a session token for username with the token command.
func token(t *testing.T, db, username string) string {
	t.Helper()

	out, err := exec.Command(orquestraBinary(t), "token", "-db", db, username).Output()
	require.NoError(t, err, "orquestra token %s", username)

	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

// graphQLResult is the part of a GraphQL response the tests read.
type graphQLResult struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// post sends one GraphQL request and decodes the response. It returns an
// error when the request could not be sent or answered, which happens on
// purpose when the server is killed.
func post(ctx context.Context, url, bearer, query string, variables map[string]any) (*graphQLResult, int, error) {
	return send(ctx, url, "Authorization", "Bearer "+bearer, query, variables)
}

// postWithKey sends one GraphQL request authenticated with an API key.
func postWithKey(ctx context.Context, url, key, query string, variables map[string]any) (*graphQLResult, int, error) {
	return send(ctx, url, "X-API-Key", key, query, variables)
}

func send(ctx context.Context, url, header, value, query string, variables map[string]any) (*graphQLResult, int, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	if err != nil {
		return nil, 0, err
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/query", bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(header, value)

	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()

	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, res.StatusCode, err
	}

	var out graphQLResult
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, res.StatusCode, fmt.Errorf("decode %q: %w", raw, err)
	}

	return &out, res.StatusCode, nil
}

package lifecycle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/corpus"
)

// SIGTERM while an upload is still arriving lets it finish, then the
// process exits 0.
func TestSIGTERMLetsInFlightRequestsFinish(t *testing.T) {
	idl, err := corpus.EmbeddedFile("anchor-legacy-anchor-example-basic-2021.json")
	require.NoError(t, err, "read IDL")
	// Padding larger than the client's write buffer puts the request's
	// headers on the wire before the pause.
	idl = append(idl, bytes.Repeat([]byte(" "), 64<<10)...)
	db := filepath.Join(t.TempDir(), "term.db")
	bearer := token(t, db, "terminator")
	// Debug logging writes each SQL statement, which shows when the server
	// has started handling an upload.
	p := start(t, db, "-log-level", "debug")

	const uploads = 3
	results := make(chan string, uploads)
	sent := make(chan struct{}, uploads)
	release := make(chan struct{})
	for i := 0; i < uploads; i++ {
		go func() {
			results <- slowUpload(p.url, bearer, fmt.Sprintf("slow %d", i), idl, sent, release)
		}()
	}
	for i := 0; i < uploads; i++ {
		<-sent
	}
	waitHandling(t, p, uploads)

	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM), "send SIGTERM")
	time.AfterFunc(300*time.Millisecond, func() { close(release) })

	for i := 0; i < uploads; i++ {
		assert.Equal(t, "ok", <-results, "upload %d finished after SIGTERM", i)
	}

	select {
	case <-p.exited:
		assert.NoError(t, p.err, "the server exits 0 after SIGTERM; log:\n%s", p.logs.String())
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not exit within 30 s of SIGTERM")
	}
}

// waitHandling returns once the server is handling n uploads: each has
// passed authentication, which looks its user up. Go's server drops a
// request whose headers it reads after shutdown began, so only a request
// already being handled is in flight.
func waitHandling(t *testing.T, p *process, n int) {
	t.Helper()

	require.Eventually(t, func() bool {
		return strings.Count(p.logs.String(), "(u.id = '") >= n
	}, 20*time.Second, 5*time.Millisecond, "the server starts handling %d uploads", n)
}

// slowUpload sends a multipart upload in two parts: everything but the
// file's last bytes, then the rest once release is closed. It reports on
// sent when the first part is out.
func slowUpload(url, bearer, name string, idl []byte, sent chan<- struct{}, release <-chan struct{}) string {
	var head bytes.Buffer
	w := multipart.NewWriter(&head)
	operations, _ := json.Marshal(map[string]any{
		"query":     `mutation($input: UploadIdlInput!) { uploadIdl(input: $input) { project { id } } }`,
		"variables": map[string]any{"input": map[string]any{"name": name, "programId": programID(name), "idl": nil}},
	})
	_ = w.WriteField("operations", string(operations))
	_ = w.WriteField("map", `{"0": ["variables.input.idl"]}`)
	part, _ := w.CreateFormFile("0", "idl.json")
	_, _ = part.Write(idl[:len(idl)-10])
	var tail bytes.Buffer
	tail.Write(idl[len(idl)-10:])
	_ = w.Close() // writes the closing boundary into head
	closing := head.Bytes()[head.Len()-len("\r\n--"+w.Boundary()+"--\r\n"):]
	first := head.Bytes()[:head.Len()-len(closing)]

	reader, writer := io.Pipe()
	go func() {
		_, _ = writer.Write(first)
		sent <- struct{}{}
		<-release
		_, _ = writer.Write(tail.Bytes())
		_, _ = writer.Write(closing)
		_ = writer.Close()
	}()

	req, _ := http.NewRequest(http.MethodPost, url+"/query", reader)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+bearer)

	// A client of its own opens a new connection: a connection left idle
	// in a shared pool would be closed by the shutdown as idle.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := client.Do(req)
	if err != nil {
		return "request failed: " + err.Error()
	}
	defer res.Body.Close()

	var out graphQLResult
	raw, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Errors) > 0 || res.StatusCode != http.StatusOK {
		return fmt.Sprintf("status %d: %s", res.StatusCode, raw)
	}

	return "ok"
}

// A graceful HTTP shutdown does not wait for WebSockets, so the server
// closes them itself: the client gets a close frame, not a dropped socket.
func TestSIGTERMClosesWebSockets(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	p := start(t, db)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(p.url, "http") + "/query"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err, "dial %s", url)
	defer conn.CloseNow()
	require.NoError(t, wsjson.Write(ctx, conn, map[string]any{"type": "connection_init"}), "send connection_init")
	var ack map[string]any
	require.NoError(t, wsjson.Read(ctx, conn, &ack), "read connection_ack")
	require.Equal(t, "connection_ack", ack["type"], "acknowledged")

	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM), "send SIGTERM")
	for {
		var m map[string]any
		if err = wsjson.Read(ctx, conn, &m); err != nil {
			break
		}
	}
	assert.Equal(t, websocket.StatusNormalClosure, websocket.CloseStatus(err), "the connection ends with a close frame: %v", err)

	select {
	case <-p.exited:
	case <-ctx.Done():
		t.Fatal("the server did not stop after SIGTERM")
	}
}

// A connection that never sent connection_init gets a close frame too.
func TestSIGTERMClosesUninitialisedWebSockets(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws-raw.db")
	p := start(t, db)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(p.url, "http") + "/query"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err, "dial %s", url)
	defer conn.CloseNow()

	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM), "send SIGTERM")
	var m map[string]any
	err = wsjson.Read(ctx, conn, &m)
	assert.Equal(t, websocket.StatusNormalClosure, websocket.CloseStatus(err), "the connection ends with a close frame: %v", err)
}

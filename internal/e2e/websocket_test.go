package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/server"
	"github.com/orquestra/orquestra/internal/testserver"
)

// dialInit opens a graphql-transport-ws connection, sends connection_init
// with payload and waits for connection_ack.
func dialInit(ctx context.Context, t *testing.T, s *testserver.Server, payload map[string]any) *websocket.Conn {
	t.Helper()

	url := webSocketURL(s)
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err, "dial %s", url)
	t.Cleanup(func() { conn.CloseNow() })

	require.NoError(t, wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": payload}), "send connection_init")
	var ack map[string]any
	require.NoError(t, wsjson.Read(ctx, conn, &ack), "read connection_ack")
	require.Equal(t, "connection_ack", ack["type"], "acknowledged: %v", ack)

	return conn
}

func subscribe(ctx context.Context, t *testing.T, conn *websocket.Conn, id, projectID string) {
	t.Helper()

	msg := map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{
		"query": publishedSubscription, "variables": map[string]any{"id": projectID},
	}}
	require.NoError(t, wsjson.Write(ctx, conn, msg), "subscribe %s", id)
}

// readUntil reads messages until one satisfies match, and returns it, or
// returns the read error when the connection ends first.
func readUntil(ctx context.Context, conn *websocket.Conn, match func(map[string]any) bool) (map[string]any, error) {
	for {
		var m map[string]any
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			return nil, err
		}
		if match(m) {
			return m, nil
		}
	}
}

func TestWebSocketRevokedKeyLosesAccess(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	privateID := createProject(t, s, owner, "revoked", smallIDL(t), false)
	key, keyID := createKey(t, s, owner, privateID, "ci")

	sub, err := testserver.Subscribe(ctx, s.URL, map[string]any{"X-API-Key": key}, publishedSubscription, map[string]any{"id": privateID})
	require.NoError(t, err, "the key subscribes")
	defer sub.Close()
	publish := func(attempt int) {
		body := string(smallIDL(t)) + strings.Repeat(" ", attempt+1)
		res := s.Query(t, owner, publishMutation, map[string]any{"input": map[string]any{"projectId": privateID, "idlJson": body}})
		require.Empty(t, res.Errors, "publish: %s", res.Body)
	}
	first, err := sub.NextAfter(ctx, publish)
	require.NoError(t, err, "the key receives a version while it is valid")
	require.Equal(t, "next", first.Type, "message type: %s", first.Payload)

	idle := dialInit(ctx, t, s, map[string]any{"X-API-Key": key})

	s.Query(t, owner, `mutation($id: ID!) { revokeApiKey(id: $id) }`, map[string]any{"id": keyID}).Decode(t, &struct{}{})
	publish(20)

	for {
		m, err := sub.Next(ctx)
		if err != nil {
			assert.Equal(t, websocket.StatusCode(4403), websocket.CloseStatus(err), "the subscriber's connection closes with 4403: %v", err)
			break
		}
		assert.NotEqual(t, "next", m.Type, "a revoked key receives no version: %s", m.Payload)
	}

	// The rejection and the close race each other, so the response to the
	// subscribe may or may not arrive before the close frame.
	subscribe(ctx, t, idle, "1", privateID)
	for {
		var m map[string]any
		if err = wsjson.Read(ctx, idle, &m); err != nil {
			break
		}
		assert.NotContains(t, fmt.Sprint(m["payload"]), "idlVersionPublished", "no data after revocation: %v", m)
		if m["id"] == "1" {
			assert.Contains(t, fmt.Sprint(m["payload"]), "UNAUTHENTICATED", "the operation is rejected: %v", m)
		}
	}
	assert.Equal(t, websocket.StatusCode(4403), websocket.CloseStatus(err), "the connection closes with 4403: %v", err)
}

func TestWebSocketExpiredKeyClosesIdleConnection(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s := testserver.StartWith(t, testserver.Options{Limits: server.Limits{SessionRecheck: 100 * time.Millisecond}})
	owner := s.Token(t, "owner")
	projectID := createProject(t, s, owner, "expiring", smallIDL(t), false)
	var created struct{ CreateApiKey struct{ Key string } }
	s.Query(t, owner, `mutation($id: ID!, $at: Time) { createApiKey(input: {projectId: $id, name: "short", expiresAt: $at}) { key } }`,
		map[string]any{"id": projectID, "at": time.Now().Add(2 * time.Second).UTC().Format(time.RFC3339)}).Decode(t, &created)

	conn := dialInit(ctx, t, s, map[string]any{"X-API-Key": created.CreateApiKey.Key})
	_, err := readUntil(ctx, conn, func(map[string]any) bool { return false })
	assert.Equal(t, websocket.StatusCode(4403), websocket.CloseStatus(err), "an idle connection closes once its key expires: %v", err)
}

func TestWebSocketSubscriptionLimit(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s := testserver.StartWith(t, testserver.Options{Limits: server.Limits{Subscriptions: 2}})
	owner := s.Token(t, "owner")
	projectID := createProject(t, s, owner, "public", smallIDL(t), true)
	conn := dialInit(ctx, t, s, nil)

	// gqlgen starts each subscription in a goroutine, so any one of the
	// three may be the one rejected.
	ids := []string{"1", "2", "3"}
	for _, id := range ids {
		subscribe(ctx, t, conn, id, projectID)
	}
	rejected, err := readUntil(ctx, conn, func(m map[string]any) bool {
		return strings.Contains(fmt.Sprint(m["payload"]), "TOO_MANY_SUBSCRIPTIONS")
	})
	require.NoError(t, err, "read the refusal of the subscription over the limit")

	var live []string
	for _, id := range ids {
		if id != rejected["id"] {
			live = append(live, id)
		}
	}
	require.Len(t, live, 2, "two subscriptions run")
	require.NoError(t, wsjson.Write(ctx, conn, map[string]any{"id": live[0], "type": "complete"}), "complete subscription %s", live[0])

	// The publisher runs outside the test's goroutine, so it sends plain
	// HTTP requests and leaves failures to the reads below.
	idl := string(smallIDL(t))
	published := make(chan struct{})
	var publisher sync.WaitGroup
	publisher.Add(1)
	defer func() {
		close(published)
		publisher.Wait()
	}()
	go func() {
		defer publisher.Done()
		for attempt := 1; ; attempt++ {
			select {
			case <-published:
				return
			case <-time.After(300 * time.Millisecond):
			}
			variables := map[string]any{"input": map[string]any{"projectId": projectID, "idlJson": idl + strings.Repeat(" ", attempt)}}
			body, _ := json.Marshal(map[string]any{"query": publishMutation, "variables": variables})
			postFromGoroutine(s, owner, body)
		}
	}()

	// The place is freed once the server receives the completion, so a
	// subscription sent at once may still be rejected: try again.
	for attempt := 4; attempt < 100; attempt++ {
		id := fmt.Sprint(attempt)
		subscribe(ctx, t, conn, id, projectID)
		answer, err := readUntil(ctx, conn, func(m map[string]any) bool { return m["id"] == id })
		require.NoError(t, err, "read subscription %s", id)
		if !strings.Contains(fmt.Sprint(answer["payload"]), "TOO_MANY_SUBSCRIPTIONS") {
			assert.Equal(t, "next", answer["type"], "subscription %s receives a version: %v", id, answer)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("a completed subscription never freed its place")
}

func TestWebSocketConnectionLimit(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s := testserver.StartWith(t, testserver.Options{Limits: server.Limits{WebSockets: 1}})
	url := webSocketURL(s)
	options := &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}}

	// The first connection counts from its upgrade, before connection_init.
	first, _, err := websocket.Dial(ctx, url, options)
	require.NoError(t, err, "dial the first connection")

	_, res, err := websocket.Dial(ctx, url, options)
	require.Error(t, err, "a second connection is rejected")
	require.NotNil(t, res, "the refusal is an HTTP response")
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode, "status of the rejected upgrade")
	assert.NotEmpty(t, res.Header.Get("Retry-After"), "Retry-After")

	require.NoError(t, first.Close(websocket.StatusNormalClosure, "done"), "close the first connection")
	assert.Eventually(t, func() bool {
		third, _, err := websocket.Dial(ctx, url, options)
		if err != nil {
			return false
		}
		third.CloseNow()
		return true
	}, 10*time.Second, 100*time.Millisecond, "a closed connection frees its place")
}

func TestWebSocketDuplicateSubscriptionIDClosesWith4409(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	projectID := createProject(t, s, owner, "public", smallIDL(t), true)
	conn := dialInit(ctx, t, s, nil)

	// An operation the server ends frees its id for reuse.
	for range 2 {
		subscribe(ctx, t, conn, "missing", "0193b7a0-0000-7000-8000-000000000000")
		done, err := readUntil(ctx, conn, func(m map[string]any) bool { return m["id"] == "missing" && m["type"] == "complete" })
		require.NoError(t, err, "read the end of a subscription to a missing project")
		require.Equal(t, "complete", done["type"], "the subscription ends")
	}

	subscribe(ctx, t, conn, "a", projectID)
	subscribe(ctx, t, conn, "a", projectID)
	_, err := readUntil(ctx, conn, func(map[string]any) bool { return false })
	assert.Equal(t, websocket.StatusCode(4409), websocket.CloseStatus(err), "a running id reused closes the connection: %v", err)
}

func TestLegacyProtocolDuplicateIDClosesWith4409(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	projectID := createProject(t, s, owner, "legacy", smallIDL(t), true)

	url := webSocketURL(s)
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-ws"}})
	require.NoError(t, err, "dial with graphql-ws")
	defer conn.CloseNow()
	require.NoError(t, wsjson.Write(ctx, conn, map[string]any{"type": "connection_init"}), "send connection_init")
	_, err = readUntil(ctx, conn, func(m map[string]any) bool { return m["type"] == "connection_ack" })
	require.NoError(t, err, "read connection_ack")

	start := map[string]any{"id": "a", "type": "start", "payload": map[string]any{"query": publishedSubscription, "variables": map[string]any{"id": projectID}}}
	require.NoError(t, wsjson.Write(ctx, conn, start), "start a")
	require.NoError(t, wsjson.Write(ctx, conn, start), "start a again")
	_, err = readUntil(ctx, conn, func(map[string]any) bool { return false })
	assert.Equal(t, websocket.StatusCode(4409), websocket.CloseStatus(err), "a running id reused closes the connection: %v", err)
}

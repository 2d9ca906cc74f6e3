package e2e

import (
	"context"
	"fmt"
	"strings"
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

	url := "ws" + strings.TrimPrefix(s.URL, "http") + "/query"
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
			break
		}
		assert.NotEqual(t, "next", m.Type, "a revoked key receives no version: %s", m.Payload)
	}

	subscribe(ctx, t, idle, "1", privateID)
	refused, err := readUntil(ctx, idle, func(m map[string]any) bool { return m["id"] == "1" })
	require.NoError(t, err, "read the answer to a subscribe after revocation")
	assert.Contains(t, fmt.Sprint(refused["payload"]), "UNAUTHENTICATED", "the operation is refused: %v", refused)
	_, err = readUntil(ctx, idle, func(map[string]any) bool { return false })
	assert.Error(t, err, "the connection is closed")
}

func TestWebSocketSubscriptionLimit(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s := testserver.StartWith(t, testserver.Options{Limits: server.Limits{Subscriptions: 2}})
	owner := s.Token(t, "owner")
	projectID := createProject(t, s, owner, "public", smallIDL(t), true)
	conn := dialInit(ctx, t, s, nil)

	// gqlgen starts each subscription in a goroutine, so any one of the
	// three may be the one refused.
	ids := []string{"1", "2", "3"}
	for _, id := range ids {
		subscribe(ctx, t, conn, id, projectID)
	}
	refused, err := readUntil(ctx, conn, func(m map[string]any) bool {
		return strings.Contains(fmt.Sprint(m["payload"]), "TOO_MANY_SUBSCRIPTIONS")
	})
	require.NoError(t, err, "read the refusal of the subscription over the limit")

	var live []string
	for _, id := range ids {
		if id != refused["id"] {
			live = append(live, id)
		}
	}
	require.Len(t, live, 2, "two subscriptions run")
	require.NoError(t, wsjson.Write(ctx, conn, map[string]any{"id": live[0], "type": "complete"}), "complete subscription %s", live[0])

	published := make(chan struct{})
	defer close(published)
	go func() {
		for attempt := 1; ; attempt++ {
			select {
			case <-published:
				return
			case <-time.After(300 * time.Millisecond):
			}
			body := string(smallIDL(t)) + strings.Repeat(" ", attempt)
			s.Query(t, owner, publishMutation, map[string]any{"input": map[string]any{"projectId": projectID, "idlJson": body}})
		}
	}()

	// The place is freed once the server receives the completion, so a
	// subscription sent at once may still be refused: try again.
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
	first := dialInit(ctx, t, s, nil)

	url := "ws" + strings.TrimPrefix(s.URL, "http") + "/query"
	second, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err, "dial a second connection")
	defer second.CloseNow()
	require.NoError(t, wsjson.Write(ctx, second, map[string]any{"type": "connection_init"}), "send connection_init")
	_, err = readUntil(ctx, second, func(m map[string]any) bool { return m["type"] == "connection_ack" })
	assert.Equal(t, websocket.StatusCode(4429), websocket.CloseStatus(err), "the second connection is refused: %v", err)

	require.NoError(t, first.Close(websocket.StatusNormalClosure, "done"), "close the first connection")
	assert.Eventually(t, func() bool {
		third, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			return false
		}
		defer third.CloseNow()
		if wsjson.Write(ctx, third, map[string]any{"type": "connection_init"}) != nil {
			return false
		}
		_, err = readUntil(ctx, third, func(m map[string]any) bool { return m["type"] == "connection_ack" })
		return err == nil
	}, 10*time.Second, 100*time.Millisecond, "a closed connection frees its place")
}

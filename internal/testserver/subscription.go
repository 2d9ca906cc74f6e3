package testserver

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// Subscription is one graphql-transport-ws subscription on its own
// WebSocket connection.
type Subscription struct {
	conn *websocket.Conn
}

// Message is a server message of the graphql-transport-ws protocol.
type Message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Subscribe connects to baseURL's /query over WebSocket, sends
// connection_init with payload, waits for connection_ack and starts one
// subscription. It returns an error when the server rejects the connection.
func Subscribe(ctx context.Context, baseURL string, payload map[string]any, query string, variables map[string]any) (*Subscription, error) {
	url := "ws" + strings.TrimPrefix(baseURL, "http") + "/query"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	sub := &Subscription{conn: conn}

	if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": payload}); err != nil {
		sub.Close()
		return nil, err
	}

	ack, err := sub.Next(ctx)
	if err != nil {
		sub.Close()
		return nil, err
	}
	if ack.Type != "connection_ack" {
		sub.Close()
		return nil, fmt.Errorf("expected connection_ack, got %s %s", ack.Type, ack.Payload)
	}

	start := map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": variables}}
	if err := wsjson.Write(ctx, conn, start); err != nil {
		sub.Close()
		return nil, err
	}

	return sub, nil
}

// Next returns the next message other than a ping or pong, and replies
// to a ping with a pong.
func (s *Subscription) Next(ctx context.Context) (*Message, error) {
	for {
		var m Message
		if err := wsjson.Read(ctx, s.conn, &m); err != nil {
			return nil, err
		}

		switch m.Type {
		case "ping":
			if err := wsjson.Write(ctx, s.conn, map[string]any{"type": "pong"}); err != nil {
				return nil, err
			}
		case "pong":
		default:
			return &m, nil
		}
	}
}

// NextWithin returns the next message, or nil when none arrives within d.
// The WebSocket library closes the connection when a read times out, so
// NextWithin ends the subscription when it returns nil.
func (s *Subscription) NextWithin(ctx context.Context, d time.Duration) (*Message, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()

	m, err := s.Next(ctx)
	if ctx.Err() != nil {
		return nil, nil
	}

	return m, err
}

// Close ends the connection.
func (s *Subscription) Close() {
	_ = s.conn.Close(websocket.StatusNormalClosure, "done")
}

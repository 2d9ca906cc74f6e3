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
// WebSocket connection. A goroutine reads the connection, so that waiting
// for a message with a deadline does not close it.
type Subscription struct {
	conn     *websocket.Conn
	messages chan *Message
	readErr  chan error
	cancel   context.CancelFunc
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

	readCtx, cancel := context.WithCancel(context.Background())
	sub := &Subscription{conn: conn, messages: make(chan *Message, 64), readErr: make(chan error, 1), cancel: cancel}
	go sub.read(readCtx)

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

// read delivers messages until the connection ends, and replies to pings.
func (s *Subscription) read(ctx context.Context) {
	for {
		var m Message
		if err := wsjson.Read(ctx, s.conn, &m); err != nil {
			s.readErr <- err
			close(s.messages)
			return
		}

		switch m.Type {
		case "ping":
			_ = wsjson.Write(ctx, s.conn, map[string]any{"type": "pong"})
		case "pong":
		default:
			s.messages <- &m
		}
	}
}

// Next returns the next message other than a ping or pong.
func (s *Subscription) Next(ctx context.Context) (*Message, error) {
	select {
	case m, ok := <-s.messages:
		if !ok {
			return nil, <-s.readErr
		}
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// NextWithin returns the next message, or nil when none arrives within d.
func (s *Subscription) NextWithin(ctx context.Context, d time.Duration) (*Message, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()

	m, err := s.Next(ctx)
	if ctx.Err() != nil {
		return nil, nil
	}

	return m, err
}

// NextAfter calls trigger until a message arrives, waiting a second after
// each call, at most ten times. The server registers a subscription some
// time after the subscribe message, and an event published before then is
// not delivered, so a single trigger could be missed.
func (s *Subscription) NextAfter(ctx context.Context, trigger func(attempt int)) (*Message, error) {
	for attempt := 0; attempt < 10; attempt++ {
		trigger(attempt)

		m, err := s.NextWithin(ctx, time.Second)
		if err != nil || m != nil {
			return m, err
		}
	}

	return nil, fmt.Errorf("no message after 10 triggers")
}

// Close ends the connection.
func (s *Subscription) Close() {
	s.cancel()
	_ = s.conn.Close(websocket.StatusNormalClosure, "done")
}

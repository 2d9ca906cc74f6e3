package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// websocketGate caps the open WebSocket connections of one server. It
// counts a connection from its upgrade request, before connection_init,
// so that connections that never authenticate count too.
type websocketGate struct {
	open atomic.Int64
	max  int64

	mu      sync.Mutex
	holders map[*connHolder]bool
}

// newWebsocketGate returns a gate for limit connections that closes every
// open connection, with or without connection_init, when stopping ends.
func newWebsocketGate(limit int, stopping context.Context) *websocketGate {
	g := &websocketGate{max: int64(limit), holders: map[*connHolder]bool{}}
	go func() {
		<-stopping.Done()
		g.closeAll()
	}()

	return g
}

// closeAll sends a close frame on every accepted connection, whether or not
// it sent connection_init.
func (g *websocketGate) closeAll() {
	g.mu.Lock()
	defer g.mu.Unlock()

	for h := range g.holders {
		if conn := h.get(); conn != nil {
			go func() { _ = conn.WriteClose(transport.WebsocketCloseNormalClosure, "server shutting down") }()
		}
	}
}

func (g *websocketGate) track(h *connHolder, open bool) {
	g.mu.Lock()
	defer g.mu.Unlock()

	if open {
		g.holders[h] = true
	} else {
		delete(g.holders, h)
	}
}

// handler rejects an upgrade over the limit with 503, and gives the
// connection a holder that the accepted connection is stored in.
func (g *websocketGate) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r)
			return
		}

		if g.open.Add(1) > g.max {
			g.open.Add(-1)
			w.Header().Set("Retry-After", "10")
			writeError(w, http.StatusServiceUnavailable, "TOO_MANY_CONNECTIONS",
				fmt.Sprintf("the server already has %d WebSocket connections, its limit: try again later", g.max))
			return
		}
		defer g.open.Add(-1)

		holder := &connHolder{}
		g.track(holder, true)
		defer g.track(holder, false)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), connHolderKey{}, holder)))
	})
}

type connHolderKey struct{}

// connHolder carries an accepted connection from the WebSocket
// implementation to the session that connection_init opens.
type connHolder struct {
	mu   sync.Mutex
	conn *sessionConn
}

func (h *connHolder) set(conn *sessionConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.conn = conn
}

func (h *connHolder) get() *sessionConn {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.conn
}

func holderFromContext(ctx context.Context) *connHolder {
	h, _ := ctx.Value(connHolderKey{}).(*connHolder)
	return h
}

// sessionImplementation accepts connections with gqlgen's coder/websocket
// implementation and wraps them in a sessionConn.
type sessionImplementation struct {
	transport.CoderWebsocketImplementation
}

func (i sessionImplementation) Accept(w http.ResponseWriter, r *http.Request, options transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := i.CoderWebsocketImplementation.Accept(w, r, options)
	if err != nil {
		return nil, err
	}

	wrapped := &sessionConn{WebsocketConn: conn}
	if h := holderFromContext(r.Context()); h != nil {
		h.set(wrapped)
	}
	return wrapped, nil
}

// sessionConn lets a session choose the close code. gqlgen closes a
// connection whose context ends with 1000, and a session whose
// credentials no longer hold closes with 4403, as at connection_init.
//
// It also keeps the ids of the connection's running operations, because
// graphql-transport-ws closes a connection that reuses a running id with
// 4409, and gqlgen does not check.
type sessionConn struct {
	transport.WebsocketConn
	closeCode   atomic.Int32
	closeReason atomic.Value

	mu      sync.Mutex
	running map[string]bool
}

// The subprotocols whose operation ids sessionConn checks, and the message
// types that start an operation in each: graphql-transport-ws and the
// legacy graphql-ws protocol, which gqlgen also accepts.
const (
	transportWS = "graphql-transport-ws"
	legacyWS    = "graphql-ws"
)

// protocolMessage is the part of a graphql-transport-ws message that
// sessionConn reads.
type protocolMessage struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// NextReader reads the client's next message and, for both subprotocols,
// notes the operation ids it starts and completes.
func (c *sessionConn) NextReader() (int, io.Reader, error) {
	kind, r, err := c.WebsocketConn.NextReader()
	if err != nil || !c.tracksIDs() {
		return kind, r, err
	}

	data, err := io.ReadAll(r)
	if err != nil {
		return kind, nil, err
	}

	var m protocolMessage
	if json.Unmarshal(data, &m) == nil && m.ID != "" {
		switch m.Type {
		case "subscribe", "start":
			if !c.start(m.ID) {
				reason := fmt.Sprintf("Subscriber for %.80s already exists", m.ID)
				_ = c.WebsocketConn.WriteClose(4409, reason)
				return kind, nil, errors.New(reason)
			}
		case "complete", "stop":
			c.finish(m.ID)
		}
	}

	return kind, bytes.NewReader(data), nil
}

// WriteJSON sends a message and drops the id of an operation that the
// message ends.
func (c *sessionConn) WriteJSON(v any) error {
	if c.tracksIDs() {
		if data, err := json.Marshal(v); err == nil {
			var m protocolMessage
			if json.Unmarshal(data, &m) == nil && (m.Type == "complete" || m.Type == "error") {
				c.finish(m.ID)
			}
		}
	}

	return c.WebsocketConn.WriteJSON(v)
}

func (c *sessionConn) tracksIDs() bool {
	protocol := c.Subprotocol()
	return protocol == transportWS || protocol == legacyWS || protocol == ""
}

// start records a running operation id, and reports false when it runs already.
func (c *sessionConn) start(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()

	if c.running[id] {
		return false
	}
	if c.running == nil {
		c.running = map[string]bool{}
	}
	c.running[id] = true
	return true
}

func (c *sessionConn) finish(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.running, id)
}

// closeWith sets the code and reason of the next normal close.
func (c *sessionConn) closeWith(code int, reason string) {
	c.closeReason.Store(reason)
	c.closeCode.Store(int32(code))
}

func (c *sessionConn) WriteClose(code int, message string) error {
	if override := c.closeCode.Load(); override != 0 && code == transport.WebsocketCloseNormalClosure {
		code, message = int(override), c.closeReason.Load().(string)
	}
	return c.WebsocketConn.WriteClose(code, message)
}

// SetReadLimit and SetReadDeadline pass gqlgen's optional settings on to
// the wrapped connection.
func (c *sessionConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *sessionConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

// Package request carries per-request metadata through the context. The
// request id is shown to clients with internal errors and logged with every
// line about the request. A status set by an error, such as 413 for an
// upload over its limit, replaces GraphQL's usual 200.
package request

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"sync/atomic"
)

// Header is the response header that carries the request id.
const Header = "X-Request-Id"

// Meta is the metadata of one request.
type Meta struct {
	ID        string
	status    atomic.Int32
	operation atomic.Value

	mu      sync.Mutex
	caller  string
	codes   []string
	headers http.Header
}

// SetCaller records the kind of caller for the request log: anonymous,
// user or key.
func (m *Meta) SetCaller(kind string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.caller = kind
}

// Caller returns the kind of caller, "anonymous" when none was recorded.
func (m *Meta) Caller() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.caller == "" {
		return "anonymous"
	}
	return m.caller
}

// AddCode records the extensions.code of an error sent to the client.
func (m *Meta) AddCode(code string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.codes {
		if c == code {
			return
		}
	}
	m.codes = append(m.codes, code)
}

// Codes returns the error codes sent to the client, each once.
func (m *Meta) Codes() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.codes...)
}

// SetHeader sets a response header, such as Retry-After, when the response
// status is written.
func (m *Meta) SetHeader(key, value string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.headers == nil {
		m.headers = http.Header{}
	}
	m.headers.Set(key, value)
}

func (m *Meta) applyHeaders(h http.Header) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for key, values := range m.headers {
		h[key] = values
	}
}

// SetOperation records the GraphQL operation name for the request log.
func (m *Meta) SetOperation(name string) {
	m.operation.Store(name)
}

// Operation returns the GraphQL operation name, or "" when the request
// named none or never parsed.
func (m *Meta) Operation() string {
	name, _ := m.operation.Load().(string)
	return name
}

// SetStatus sets the HTTP status of the response. The first call wins.
func (m *Meta) SetStatus(code int) {
	m.status.CompareAndSwap(0, int32(code))
}

// Status returns the status asked for, or 0.
func (m *Meta) Status() int {
	return int(m.status.Load())
}

type contextKey struct{}

// NewContext returns a context that carries m.
func NewContext(ctx context.Context, m *Meta) context.Context {
	return context.WithValue(ctx, contextKey{}, m)
}

// FromContext returns the request's metadata, or an empty Meta outside a request.
func FromContext(ctx context.Context) *Meta {
	if m, ok := ctx.Value(contextKey{}).(*Meta); ok {
		return m
	}

	return &Meta{}
}

// ID returns the request id, or "" outside a request.
func ID(ctx context.Context) string {
	return FromContext(ctx).ID
}

// NewID returns a random request id of 16 hex digits.
func NewID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Middleware gives every request an id, returns it in the X-Request-Id
// header and applies the status asked for with SetStatus.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		meta := &Meta{ID: NewID()}
		w.Header().Set(Header, meta.ID)

		sw := &statusWriter{ResponseWriter: w, meta: meta}
		next.ServeHTTP(sw, r.WithContext(NewContext(r.Context(), meta)))
	})
}

// statusWriter replaces a 200 with the status asked for, when one was.
type statusWriter struct {
	http.ResponseWriter
	meta    *Meta
	written bool
	Code    int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.written {
		return
	}
	w.written = true

	if override := w.meta.Status(); override != 0 && code == http.StatusOK {
		code = override
	}
	w.meta.applyHeaders(w.Header())
	w.Code = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}

	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// StatusCode returns the status written to the client, 200 when none was
// written explicitly.
func StatusCode(w http.ResponseWriter) int {
	if sw, ok := w.(*statusWriter); ok && sw.Code != 0 {
		return sw.Code
	}

	return http.StatusOK
}

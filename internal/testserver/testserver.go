// Package testserver starts the real HTTP handler on 127.0.0.1 over a fresh
// SQLite file, and sends it GraphQL requests as JSON or as multipart
// uploads, for end-to-end tests.
package testserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/idl"
	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/internal/server"
	"github.com/orquestra/orquestra/internal/signin"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/internal/testdb"
	"github.com/orquestra/orquestra/internal/upload"
)

// Server is a running server with its database.
type Server struct {
	URL string
	// DBPath is the SQLite file, or the PostgreSQL URL, of the database.
	DBPath string
	Store  *storage.Store
	Tokens *auth.Tokens
	Logs   *SyncBuffer
	client *http.Client
}

// SyncBuffer is a bytes.Buffer safe for concurrent writers, for logs.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Options are the settings of a test server that Start leaves at their
// defaults.
type Options struct {
	// SignIn configures sign-in with GitHub; an empty ClientID turns it off.
	SignIn signin.Config
	// Limits bound requests; zero fields take server.DefaultLimits.
	Limits server.Limits
	// CORSOrigins are the origins allowed to call the API from a browser.
	CORSOrigins []string
}

// Start opens a new database in a temporary folder, migrates it and serves
// the handler until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()

	return StartWith(t, Options{})
}

// StartWith is Start with options.
func StartWith(t testing.TB, opts Options) *Server {
	t.Helper()

	ctx := context.Background()
	logs := &SyncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))

	dsn := testdb.DSN(t)
	store, err := storage.Open(ctx, dsn, log)
	require.NoError(t, err, "open test database")
	t.Cleanup(func() { store.Close() })
	_, err = store.Migrate(ctx)
	require.NoError(t, err, "migrate test database")

	secret, err := store.Setting(ctx, "jwt_secret", auth.GenerateSecret)
	require.NoError(t, err, "create JWT secret")
	tokens, err := auth.NewTokens([]byte(secret), time.Hour)
	require.NoError(t, err, "create token issuer")

	programs, docs := idl.NewCache(16), docgen.NewCache(16)
	handler := server.New(server.Options{
		Store:    store,
		Uploads:  upload.NewService(store, programs, docs),
		Programs: programs,
		Docs:     docs,
		Tokens:   tokens,
		Log:      log,
		Loaders:  loader.DefaultOptions,
		SignIn:   signin.New(opts.SignIn, store, tokens, log),
		Limits:   opts.Limits,

		CORSOrigins: opts.CORSOrigins,
	})
	ts := httptest.NewServer(handler)
	t.Cleanup(ts.Close)

	return &Server{URL: ts.URL, DBPath: dsn, Store: store, Tokens: tokens, Logs: logs, client: ts.Client()}
}

// Token returns a session token for a local user, creating the user.
func (s *Server) Token(t testing.TB, username string) string {
	t.Helper()

	user, err := s.Store.EnsureLocalUser(context.Background(), username)
	require.NoError(t, err, "create user %s", username)

	token, err := s.Tokens.Issue(user.ID)
	require.NoError(t, err, "issue token for %s", username)

	return token
}

// UserID returns the id of a local user, creating the user.
func (s *Server) UserID(t testing.TB, username string) string {
	t.Helper()

	user, err := s.Store.EnsureLocalUser(context.Background(), username)
	require.NoError(t, err, "create user %s", username)

	return user.ID
}

// Response is a decoded GraphQL response with its HTTP status.
type Response struct {
	Status int
	Header http.Header
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
	Body   []byte          `json:"-"`
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns the extensions.code of the i-th error, or "" when there is none.
func (r *Response) Code(i int) string {
	if i >= len(r.Errors) {
		return ""
	}
	code, _ := r.Errors[i].Extensions["code"].(string)
	return code
}

// Decode decodes the data into v, failing the test when the response has errors.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()

	require.Empty(t, r.Errors, "GraphQL errors in response: %s", r.Body)
	require.NoError(t, json.Unmarshal(r.Data, v), "decode data %s", r.Data)
}

// Query sends a GraphQL request as JSON. token may be empty.
func (s *Server) Query(t testing.TB, token, query string, variables map[string]any) *Response {
	t.Helper()

	return s.QueryAs(t, Credentials{Token: token}, query, variables)
}

// Credentials are the session token and API key of a request. The zero
// value is an anonymous caller, and setting both fields sends both headers.
type Credentials struct {
	// Token is a session token, sent as Authorization: Bearer.
	Token string
	// APIKey is a project's API key, sent as X-API-Key.
	APIKey string
}

// QueryAs sends a GraphQL request as JSON with the given credentials.
func (s *Server) QueryAs(t testing.TB, c Credentials, query string, variables map[string]any) *Response {
	t.Helper()

	body, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	require.NoError(t, err, "encode request")

	req, err := http.NewRequest(http.MethodPost, s.URL+"/query", bytes.NewReader(body))
	require.NoError(t, err, "build request")
	req.Header.Set("Content-Type", "application/json")

	return s.DoAs(t, req, c)
}

// File is a file of a multipart request, sent for the variable at Path
// (for example "variables.input.idl").
type File struct {
	Path    string
	Name    string
	Content []byte
}

// Multipart sends a GraphQL multipart request: the operation, a map from
// part names to variable paths, then the files.
func (s *Server) Multipart(t testing.TB, token, query string, variables map[string]any, files ...File) *Response {
	t.Helper()

	return s.MultipartAs(t, Credentials{Token: token}, query, variables, files...)
}

// MultipartAs is Multipart with the given credentials.
func (s *Server) MultipartAs(t testing.TB, c Credentials, query string, variables map[string]any, files ...File) *Response {
	t.Helper()

	var body bytes.Buffer
	w := multipart.NewWriter(&body)

	operations, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	require.NoError(t, err, "encode operations")
	require.NoError(t, w.WriteField("operations", string(operations)))

	fileMap := map[string][]string{}
	for i, f := range files {
		fileMap[partName(i)] = []string{f.Path}
	}
	mapJSON, err := json.Marshal(fileMap)
	require.NoError(t, err, "encode map")
	require.NoError(t, w.WriteField("map", string(mapJSON)))

	for i, f := range files {
		part, err := w.CreateFormFile(partName(i), f.Name)
		require.NoError(t, err, "create part for %s", f.Name)
		_, err = part.Write(f.Content)
		require.NoError(t, err, "write part for %s", f.Name)
	}
	require.NoError(t, w.Close())

	req, err := http.NewRequest(http.MethodPost, s.URL+"/query", &body)
	require.NoError(t, err, "build request")
	req.Header.Set("Content-Type", w.FormDataContentType())

	return s.DoAs(t, req, c)
}

func partName(i int) string {
	return string(rune('0' + i))
}

// Do sends a request with an optional bearer token and decodes the response.
func (s *Server) Do(t testing.TB, req *http.Request, token string) *Response {
	t.Helper()

	return s.DoAs(t, req, Credentials{Token: token})
}

// DoAs sends a request with the given credentials and decodes the response.
func (s *Server) DoAs(t testing.TB, req *http.Request, c Credentials) *Response {
	t.Helper()

	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if c.APIKey != "" {
		req.Header.Set("X-API-Key", c.APIKey)
	}

	res, err := s.client.Do(req)
	require.NoError(t, err, "send request to %s", req.URL)
	defer res.Body.Close()

	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err, "read response")

	out := &Response{Status: res.StatusCode, Header: res.Header, Body: raw}
	if len(raw) > 0 && raw[0] == '{' {
		require.NoError(t, json.Unmarshal(raw, out), "decode response %s", raw)
	}

	return out
}

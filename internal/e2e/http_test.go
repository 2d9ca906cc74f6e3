package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/server"
	"github.com/orquestra/orquestra/internal/testserver"
)

const graphQLResponse = "application/graphql-response+json"

func getQuery(t *testing.T, s *testserver.Server, accept string, params url.Values) *testserver.Response {
	t.Helper()

	req, err := http.NewRequest(http.MethodGet, s.URL+"/query?"+params.Encode(), nil)
	require.NoError(t, err)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}

	return s.Do(t, req, "")
}

func TestMalformedRequestsAnsweredAndLogged(t *testing.T) {
	s := testserver.Start(t)

	cases := []struct {
		name   string
		send   func() *testserver.Response
		status int
	}{
		{"unfinished document", func() *testserver.Response {
			return postRaw(t, s, "application/json", graphQLResponse, []byte(`{"query": "{ projects { ", "variables": {}}`))
		}, http.StatusBadRequest},
		{"variables as a string", func() *testserver.Response {
			return postRaw(t, s, "application/json", graphQLResponse, []byte(`{"query": "{ __typename }", "variables": "{not json"}`))
		}, http.StatusBadRequest},
		{"empty body", func() *testserver.Response {
			return postRaw(t, s, "application/json", graphQLResponse, nil)
		}, http.StatusBadRequest},
		{"GET with a broken document", func() *testserver.Response {
			return getQuery(t, s, graphQLResponse, url.Values{"query": {"{"}})
		}, http.StatusBadRequest},
		{"text/plain body", func() *testserver.Response {
			return postRaw(t, s, "text/plain", "", []byte(`{"query": "{ __typename }"}`))
		}, http.StatusUnsupportedMediaType},
		{"no content type", func() *testserver.Response {
			return postRaw(t, s, "", "", []byte(`{"query": "{ __typename }"}`))
		}, http.StatusUnsupportedMediaType},
		{"unknown field", func() *testserver.Response {
			return postRaw(t, s, "application/json", graphQLResponse, []byte(`{"query": "{ nope }"}`))
		}, http.StatusBadRequest},
		{"unknown field for a legacy client", func() *testserver.Response {
			return postRaw(t, s, "application/json", "application/json", []byte(`{"query": "{ nope }"}`))
		}, http.StatusOK},
		{"mutation over GET", func() *testserver.Response {
			return getQuery(t, s, "", url.Values{"query": {`mutation { deleteProject(id: "x") }`}})
		}, http.StatusMethodNotAllowed},
		{"accept nothing we serve", func() *testserver.Response {
			return postRaw(t, s, "application/json", "text/html", []byte(`{"query": "{ __typename }"}`))
		}, http.StatusNotAcceptable},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.send()
			assert.Equal(t, tc.status, res.Status, "status of %.300s", res.Body)
			require.NotEmpty(t, res.Errors, "an error is returned")
			assert.NotEmpty(t, res.Code(0), "every error has a code: %.300s", res.Body)
			assert.NotEmpty(t, res.Header.Get("X-Request-Id"), "every response has a request id")
			assert.Contains(t, s.Logs.String(), res.Header.Get("X-Request-Id"), "the request is logged with its id")
		})
	}

	logs := s.Logs.String()
	assert.NotContains(t, logs, "panic", "no panic in the log")
	assert.NotContains(t, logs, "missing operation context", "no gqlgen context panic in the log")
}

func TestGraphQLResponseMediaType(t *testing.T) {
	s := testserver.Start(t)

	res := postRaw(t, s, "application/json", graphQLResponse, []byte(`{"query": "{ __typename }"}`))
	assert.Equal(t, http.StatusOK, res.Status, "status")
	assert.Contains(t, res.Header.Get("Content-Type"), graphQLResponse, "content type follows Accept")

	res = postRaw(t, s, "application/json", "", []byte(`{"query": "{ __typename }"}`))
	assert.Contains(t, res.Header.Get("Content-Type"), "application/json", "application/json without Accept")
}

func TestAutomaticPersistedQueries(t *testing.T) {
	s := testserver.Start(t)
	query := "{ stats { users } }"
	sum := sha256.Sum256([]byte(query))
	hash := hex.EncodeToString(sum[:])
	extension := `{"persistedQuery": {"version": 1, "sha256Hash": "` + hash + `"}}`

	res := getQuery(t, s, "", url.Values{"extensions": {extension}})
	assert.Equal(t, "PERSISTED_QUERY_NOT_FOUND", res.Code(0), "an unknown hash by GET: %s", res.Body)
	res = postRaw(t, s, "application/json", "", []byte(`{"extensions": `+extension+`}`))
	assert.Equal(t, "PERSISTED_QUERY_NOT_FOUND", res.Code(0), "an unknown hash by POST: %s", res.Body)

	wrong := `{"persistedQuery": {"version": 1, "sha256Hash": "` + strings.Repeat("0", 64) + `"}}`
	res = postRaw(t, s, "application/json", "", []byte(`{"query": "`+query+`", "extensions": `+wrong+`}`))
	assert.NotEmpty(t, res.Errors, "a query with the wrong hash is refused")
	res = postRaw(t, s, "application/json", "", []byte(`{"extensions": `+wrong+`}`))
	assert.Equal(t, "PERSISTED_QUERY_NOT_FOUND", res.Code(0), "a wrong hash is not stored")

	res = postRaw(t, s, "application/json", "", []byte(`{"query": "`+query+`", "extensions": `+extension+`}`))
	assert.Empty(t, res.Errors, "registering a query: %s", res.Body)
	res = getQuery(t, s, "", url.Values{"extensions": {extension}})
	assert.Empty(t, res.Errors, "the hash alone then works: %s", res.Body)
}

func TestCORSAllowsConfiguredOriginsOnly(t *testing.T) {
	s := testserver.StartWith(t, testserver.Options{CORSOrigins: []string{"https://app.example.com"}})

	preflight := func(origin string) *http.Response {
		req, err := http.NewRequest(http.MethodOptions, s.URL+"/query", nil)
		require.NoError(t, err)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res
	}

	evil := preflight("https://evil.example")
	assert.Empty(t, evil.Header.Get("Access-Control-Allow-Origin"), "a disallowed origin gets no allow header")

	good := preflight("https://app.example.com")
	assert.Equal(t, "https://app.example.com", good.Header.Get("Access-Control-Allow-Origin"), "an allowed origin is echoed")
	assert.Empty(t, good.Header.Get("Access-Control-Allow-Credentials"), "credentials are never allowed")
}

func TestRequestTimeoutCancelsDatabaseWork(t *testing.T) {
	s := testserver.StartWith(t, testserver.Options{Limits: server.Limits{Timeout: time.Nanosecond}})

	res := s.Query(t, "", "{ projects { totalCount } }", nil)
	assert.Equal(t, "REQUEST_TIMEOUT", res.Code(0), "code of %.300s", res.Body)
	assert.Equal(t, http.StatusServiceUnavailable, res.Status, "status of a timed-out request")
}

func TestMetricsCountRequestsAndStatements(t *testing.T) {
	s := testserver.Start(t)
	s.Query(t, "", "query Stats { stats { users } }", nil)

	res, err := http.Get(s.URL + "/metrics")
	require.NoError(t, err)
	defer res.Body.Close()
	body := new(strings.Builder)
	_, err = io.Copy(body, res.Body)
	require.NoError(t, err)

	assert.Contains(t, body.String(), "orquestra_db_queries_total", "statement counter exported")
	assert.Contains(t, body.String(), `orquestra_http_requests_total{operation="Stats",status="200"} 1`, "request counted by operation")
	assert.Contains(t, body.String(), "orquestra_http_request_duration_seconds_bucket", "durations exported")
}

func TestRequestLogNamesCallerAndHidesToken(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "logged")

	res := s.Query(t, token, "query Me { me { username } }", nil)
	require.Empty(t, res.Errors)

	logs := s.Logs.String()
	assert.Contains(t, logs, "operation=Me", "the log names the operation")
	assert.Contains(t, logs, "caller=user", "the log names the caller kind")
	assert.NotContains(t, logs, token, "the token is never logged")
}

func TestOtherMethodsGet405(t *testing.T) {
	s := testserver.Start(t)

	req, err := http.NewRequest(http.MethodPut, s.URL+"/query", strings.NewReader(`{"query": "{ __typename }"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	res := s.Do(t, req, "")

	assert.Equal(t, http.StatusMethodNotAllowed, res.Status, "status of PUT")
	assert.Equal(t, "METHOD_NOT_ALLOWED", res.Code(0), "code of PUT")
	assert.Contains(t, res.Header.Get("Allow"), "POST", "the Allow header lists POST")
}

func TestMultipartMapToUndeclaredVariable(t *testing.T) {
	s := testserver.Start(t)

	file := testserver.File{Path: "variables.x", Name: "f.json", Content: []byte("{}")}
	res := s.Multipart(t, "", "{ stats { users } }", nil, file)

	assert.Equal(t, http.StatusBadRequest, res.Status, "status of %s", res.Body)
	assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "code of %s", res.Body)
	assert.NotContains(t, s.Logs.String(), "panic", "no panic in the log")
}

// gqlgen rejects a malformed multipart request with a codeless 422, which
// the server rewrites into the shape of every other request error.
func TestMultipartMalformedRequests(t *testing.T) {
	s := testserver.Start(t)

	cases := []struct {
		name   string
		fields [][2]string
		want   string
		fix    string
	}{
		{"map before operations", [][2]string{{"map", "{}"}, {"operations", `{"query":"{ stats { users } }"}`}}, "first part must be operations", "first field is operations"},
		{"operations not JSON", [][2]string{{"operations", "{not json"}, {"map", "{}"}}, "operations is not a JSON object", "send one operation as"},
		{"map not JSON", [][2]string{{"operations", `{"query":"{ stats { users } }"}`}, {"map", "[oops"}}, "map form field could not be decoded", "first field is operations"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body bytes.Buffer
			form := multipart.NewWriter(&body)
			for _, f := range c.fields {
				require.NoError(t, form.WriteField(f[0], f[1]), "write field %s", f[0])
			}
			require.NoError(t, form.Close(), "close the form")

			req, err := http.NewRequest(http.MethodPost, s.URL+"/query", &body)
			require.NoError(t, err, "build request")
			req.Header.Set("Content-Type", form.FormDataContentType())
			res := s.Do(t, req, "")

			assert.Equal(t, http.StatusBadRequest, res.Status, "status of %s", res.Body)
			assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "code of %s", res.Body)
			assert.Contains(t, string(res.Body), c.want, "the reason")
			assert.Contains(t, string(res.Body), c.fix, "how to fix it")
		})
	}
}

func TestUnauthenticatedFollowsAccept(t *testing.T) {
	s := testserver.Start(t)

	req, err := http.NewRequest(http.MethodPost, s.URL+"/query", strings.NewReader(`{"query": "{ me { id } }"}`))
	require.NoError(t, err, "build request")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", graphQLResponse)
	req.Header.Set("Authorization", "Bearer not-a-token")
	res := s.Do(t, req, "")

	assert.Equal(t, http.StatusUnauthorized, res.Status, "status")
	assert.Equal(t, "UNAUTHENTICATED", res.Code(0), "code")
	assert.True(t, strings.HasPrefix(res.Header.Get("Content-Type"), graphQLResponse), "content type: %s", res.Header.Get("Content-Type"))
}

func TestMultipartMistakesGetTheFix(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	upload := `mutation($input: UploadIdlInput!) { uploadIdl(input: $input) { project { id } } }`
	operations := func(variables string) string {
		return `{"query": ` + strconvQuote(upload) + `, "variables": ` + variables + `}`
	}
	input := `{"input": {"name": "x", "programId": "11111111111111111111111111111111", "idl": null}}`

	cases := []struct {
		name  string
		parts [][2]string // field name and content; a name starting with file: is sent as a file
		want  string
	}{
		{"file mapped to a string", [][2]string{{"operations", operations(`{"input": {"name": null, "programId": "11111111111111111111111111111111"}}`)}, {"map", `{"0": ["variables.input.name"]}`}, {"file:0", "{}"}}, "map files only to Upload variables"},
		{"mapped file missing", [][2]string{{"operations", operations(input)}, {"map", `{"0": ["variables.input.idl"]}`}}, "no part of that name"},
		{"file without a path", [][2]string{{"operations", operations(input)}, {"map", `{"0": []}`}, {"file:0", "{}"}}, "lists no variable path"},
		{"operations as a batch", [][2]string{{"operations", "[" + operations(input) + "]"}, {"map", `{}`}}, "batches are not accepted"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body bytes.Buffer
			form := multipart.NewWriter(&body)
			for _, p := range c.parts {
				if name, isFile := strings.CutPrefix(p[0], "file:"); isFile {
					w, err := form.CreateFormFile(name, "idl.json")
					require.NoError(t, err, "create file part %s", name)
					_, err = io.WriteString(w, p[1])
					require.NoError(t, err, "write file part %s", name)
					continue
				}
				require.NoError(t, form.WriteField(p[0], p[1]), "write field %s", p[0])
			}
			require.NoError(t, form.Close(), "close the form")

			req, err := http.NewRequest(http.MethodPost, s.URL+"/query", &body)
			require.NoError(t, err, "build request")
			req.Header.Set("Content-Type", form.FormDataContentType())
			res := s.Do(t, req, token)

			require.NotEmpty(t, res.Errors, "rejected: %s", res.Body)
			assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "code of %s", res.Body)
			assert.Contains(t, res.Errors[0].Message, c.want, "the message gives the fix")
			assert.NotContains(t, res.Errors[0].Message, "struct", "no Go words")
		})
	}
	assert.Zero(t, rowCounts(t, s)["projects"], "nothing stored")
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestEveryResponseCarriesSecurityHeaders(t *testing.T) {
	s := testserver.Start(t)

	for _, path := range []string{"/query?query=%7B__typename%7D", "/query", "/healthz", "/metrics", "/no-such-path", "/"} {
		res, err := http.Get(s.URL + path)
		require.NoError(t, err, "GET %s", path)
		res.Body.Close()

		assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"), "nosniff on %s", path)
		assert.Equal(t, "DENY", res.Header.Get("X-Frame-Options"), "X-Frame-Options on %s", path)
		assert.Contains(t, res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'", "CSP on %s", path)
	}

	res, err := http.Get(s.URL + "/")
	require.NoError(t, err, "GET /")
	res.Body.Close()
	assert.Contains(t, res.Header.Get("Content-Security-Policy"), "script-src 'self'", "GraphiQL keeps its own policy")
}

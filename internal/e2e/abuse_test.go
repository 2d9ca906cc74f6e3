package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/server"
	"github.com/orquestra/orquestra/internal/testserver"
)

// nested returns a query whose deepest leaf sits at depth levels, walking
// user -> projects -> edges -> node -> owner -> projects ...
func nested(depth int) string {
	cycle := []string{"projects(first: 1)", "edges", "node", "owner"}
	var b strings.Builder
	b.WriteString(`{ user(username: "nobody") {`)
	for i := 0; i < depth-2; i++ {
		b.WriteString(" " + cycle[i%len(cycle)] + " {")
	}
	b.WriteString(" __typename")
	b.WriteString(strings.Repeat(" }", depth-2))
	b.WriteString(" } }")
	return b.String()
}

func aliased(n int) string {
	var b strings.Builder
	b.WriteString("{ stats {")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, " a%d: users", i)
	}
	b.WriteString(" } }")
	return b.String()
}

func rootFields(n int) string {
	return "{" + strings.Repeat(" __typename", n) + " }"
}

// fragmentBomb spreads each of n fragments twice in the one before it, so
// the operation selects 2^n fields from a document of about 60n bytes.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("{ stats { ...F0 } }")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, " fragment F%d on PlatformStats { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on PlatformStats { users }", n)
	return b.String()
}

func fragmentChain(n int) string {
	var b strings.Builder
	b.WriteString("query { ...F0 }")
	for i := 0; i < n; i++ {
		next := fmt.Sprintf("...F%d", i+1)
		if i == n-1 {
			next = "__typename"
		}
		fmt.Fprintf(&b, " fragment F%d on Query { %s }", i, next)
	}
	return b.String()
}

// pages nests three connections of size n: projects, versions, versions.
func pages(n int) string {
	return fmt.Sprintf(`{ projects(first: %d) { edges { node { versions(first: %d) { edges { node { project { versions(first: %d) { totalCount } } } } } } } } }`, n, n, n)
}

func TestOperationLimitsJustUnderAndOver(t *testing.T) {
	s := testserver.Start(t)
	d := server.DefaultLimits

	cases := []struct {
		name  string
		query string
		code  string
	}{
		{"depth at the limit", nested(d.Operation.Depth), ""},
		{"depth over the limit", nested(d.Operation.Depth + 1), "QUERY_TOO_DEEP"},
		{"depth of 1000", nested(1000), "QUERY_TOO_DEEP"},
		{"aliases at the limit", aliased(d.Operation.Aliases), ""},
		{"aliases over the limit", aliased(d.Operation.Aliases + 1), "TOO_MANY_ALIASES"},
		{"alias bomb of 500", aliased(500), "TOO_MANY_ALIASES"},
		{"root fields at the limit", rootFields(d.Operation.RootFields), ""},
		{"root fields over the limit", rootFields(d.Operation.RootFields + 1), "TOO_MANY_ROOT_FIELDS"},
		{"5000 repeated fields", rootFields(5000), "TOO_MANY_TOKENS"},
		{"1000 chained fragments", fragmentChain(1000), "TOO_MANY_TOKENS"},
		{"fragment spreading itself", "query { ...F } fragment F on Query { ...F }", "BAD_USER_INPUT"},
		{"fragments doubling 10 times", fragmentBomb(10), ""},
		{"fragments doubling 40 times", fragmentBomb(40), "TOO_MANY_SELECTIONS"},
		{"three pages of 10", pages(10), ""},
		{"three pages of 100", pages(100), "QUERY_TOO_COMPLEX"},
		{"ten whole IDLs", "{ stats { recentUploads(first: 10) { idlJson } } }", ""},
		{"a hundred whole IDLs", "{ stats { recentUploads(first: 100) { idlJson idl cpiMd } } }", "QUERY_TOO_COMPLEX"},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := s.Store.Queries()
			res := s.Query(t, "", tc.query, nil)

			if tc.code == "" {
				assert.Empty(t, res.Errors, "accepted just under the limit: %.300s", res.Body)
			} else {
				require.NotEmpty(t, res.Errors, "rejected over the limit")
				assert.Equal(t, tc.code, res.Code(0), "code of %.300s", res.Body)
				assert.Equal(t, before, s.Store.Queries(), "rejected before any database work")
			}

			alive := s.Query(t, "", "{ __typename }", nil)
			assert.Empty(t, alive.Errors, "the server still answers")
		})
	}

	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	assert.Less(t, mem.HeapAlloc, uint64(512<<20), "heap after the abuse: %d MiB", mem.HeapAlloc>>20)
}

func postRaw(t *testing.T, s *testserver.Server, contentType, accept string, body []byte) *testserver.Response {
	t.Helper()

	req, err := http.NewRequest(http.MethodPost, s.URL+"/query", bytes.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}

	return s.Do(t, req, "")
}

func TestBatchLimit(t *testing.T) {
	s := testserver.Start(t)

	batch := func(n int) []byte {
		ops := make([]map[string]any, n)
		for i := range ops {
			ops[i] = map[string]any{"query": "{ stats { users } }"}
		}
		body, err := json.Marshal(ops)
		require.NoError(t, err)
		return body
	}

	res := postRaw(t, s, "application/json", "", batch(server.DefaultLimits.Batch))
	require.Equal(t, http.StatusOK, res.Status, "a batch at the limit: %.300s", res.Body)
	var answers []map[string]any
	require.NoError(t, json.Unmarshal(res.Body, &answers), "a batch is answered with a list")
	assert.Len(t, answers, server.DefaultLimits.Batch, "one answer per operation")

	heavy := make([]map[string]any, server.DefaultLimits.Batch)
	for i := range heavy {
		heavy[i] = map[string]any{"query": "{ stats { recentUploads(first: 15) { idlJson } } }"}
	}
	res = postRaw(t, s, "application/json", "", mustJSON(t, heavy))
	assert.Equal(t, "BATCH_TOO_LARGE", res.Code(0), "a batch whose operations together read too much: %.300s", res.Body)

	for _, n := range []int{server.DefaultLimits.Batch + 1, 1000} {
		before := s.Store.Queries()
		res = postRaw(t, s, "application/json", "", batch(n))
		assert.Equal(t, http.StatusBadRequest, res.Status, "a batch of %d", n)
		assert.Equal(t, "BATCH_TOO_LARGE", res.Code(0), "code for a batch of %d", n)
		assert.Equal(t, before, s.Store.Queries(), "no database work for a batch of %d", n)
	}
}

func TestIntrospectionFitsProductionLimits(t *testing.T) {
	s := testserver.Start(t)

	res := s.Query(t, "", introspectionQuery, nil)
	require.Empty(t, res.Errors, "GraphiQL's introspection query must pass the limits: %.500s", res.Body)

	disguised := `query IntrospectionQuery { __schema { types { name } } ` + pages(100)[1:]
	res = postRaw(t, s, "application/json", "", mustJSON(t, map[string]any{"query": disguised, "operationName": "IntrospectionQuery"}))
	assert.Equal(t, "QUERY_TOO_COMPLEX", res.Code(0), "an expensive query named IntrospectionQuery is still limited: %.300s", res.Body)
	assert.EqualValues(t, server.DefaultLimits.Complexity, res.Errors[0].Extensions["limit"], "extensions.limit names the limit")
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()

	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// introspectionQuery has the shape GraphiQL sends to load the schema,
// with type references nine levels deep.
var introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}`

func TestMalformedBatches(t *testing.T) {
	s := testserver.Start(t)

	res := postRaw(t, s, "application/json", "", []byte(`[]`))
	assert.Equal(t, http.StatusBadRequest, res.Status, "status of an empty batch")
	assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "code of an empty batch")

	res = postRaw(t, s, "application/json", "", []byte(`[1, "x"]`))
	assert.NotContains(t, string(res.Body), "gqlhttp", "no Go type names: %s", res.Body)
	assert.Contains(t, string(res.Body), "not an object", "each item is named as not an object: %s", res.Body)

	res = postRaw(t, s, "application/json", "", []byte(`[null]`))
	assert.Contains(t, string(res.Body), "JSON null, not an object", "a null item is named as null: %s", res.Body)

	res = postRaw(t, s, "application/json", "", []byte(`7`))
	assert.NotContains(t, string(res.Body), "gqlhttp", "no Go type names: %s", res.Body)
	assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "code of a bare number")
}

func TestGqlgenMessagesCarryTheFix(t *testing.T) {
	s := testserver.Start(t)

	res := postRaw(t, s, "application/json", "", mustJSON(t, map[string]any{"query": "query A { stats { users } } query B { stats { users } }"}))
	require.NotEmpty(t, res.Errors, "two operations without operationName: %s", res.Body)
	assert.Contains(t, res.Errors[0].Message, "name the one to run in operationName", "the fix for a missing operationName")

	res = postRaw(t, s, "application/json", "", mustJSON(t, map[string]any{"query": "query A { stats { users } }", "operationName": "C"}))
	require.NotEmpty(t, res.Errors, "an unknown operationName: %s", res.Body)
	assert.Contains(t, res.Errors[0].Message, "name an operation the document defines", "the fix for an unknown operationName")

	mismatch := map[string]any{"query": "{ stats { users } }", "extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("0", 64)}}}
	res = postRaw(t, s, "application/json", "", mustJSON(t, mismatch))
	require.NotEmpty(t, res.Errors, "a wrong persisted query hash: %s", res.Body)
	assert.Contains(t, res.Errors[0].Message, "sha256Hash", "the fix for a wrong hash")

	res = postRaw(t, s, "application/json", "", mustJSON(t, map[string]any{"query": rootFields(5000)}))
	require.Equal(t, "TOO_MANY_TOKENS", res.Code(0), "a long document: %.300s", res.Body)
	assert.EqualValues(t, server.DefaultLimits.Tokens, res.Errors[0].Extensions["limit"], "extensions.limit names the limit")
}

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/server"
	"github.com/orquestra/orquestra/internal/testserver"
)

func TestUploadRateLimitPerUser(t *testing.T) {
	s := testserver.StartWith(t, testserver.Options{Limits: server.Limits{UploadsPerMinute: 1, UploadBurst: 2}})
	alice := s.Token(t, "alice")
	bob := s.Token(t, "bob")
	idl := smallIDL(t)

	upload := func(token string, i int) *testserver.Response {
		return s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{
			"name": fmt.Sprintf("rate %d", i), "programId": programID(fmt.Sprintf("rate %s %d", token, i)), "idlJson": string(idl),
		}})
	}

	for i := 0; i < 2; i++ {
		res := upload(alice, i)
		require.Empty(t, res.Errors, "upload %d within the burst: %s", i, res.Body)
	}

	res := upload(alice, 2)
	require.Equal(t, "RATE_LIMITED", res.Code(0), "the upload over the burst: %s", res.Body)
	assert.Equal(t, http.StatusTooManyRequests, res.Status, "status of a rate-limited upload")
	retryAfter, err := strconv.Atoi(res.Header.Get("Retry-After"))
	require.NoError(t, err, "Retry-After is a number of seconds: %q", res.Header.Get("Retry-After"))
	assert.Positive(t, retryAfter, "Retry-After")
	assert.EqualValues(t, retryAfter, res.Errors[0].Extensions["retryAfter"], "extensions.retryAfter matches the header")

	res = upload(bob, 0)
	assert.Empty(t, res.Errors, "another user has a budget of their own: %s", res.Body)
	assert.Equal(t, 3, rowCounts(t, s)["projects"], "the rate-limited upload stored nothing")
}

// A batch returns 200 even when one of its operations is rate-limited, so
// that a client retrying on 429 does not run the others again.
func TestRateLimitedOperationInBatchKeeps200(t *testing.T) {
	s := testserver.StartWith(t, testserver.Options{Limits: server.Limits{UploadsPerMinute: 1, UploadBurst: 1}})
	token := s.Token(t, "alice")
	idl := string(smallIDL(t))
	upload := func(i int) map[string]any {
		return map[string]any{"query": uploadMutation, "variables": map[string]any{"input": map[string]any{
			"name": fmt.Sprintf("batch %d", i), "programId": programID(fmt.Sprintf("batch %d", i)), "idlJson": idl,
		}}}
	}
	body, err := json.Marshal([]map[string]any{{"query": "{ me { username } }"}, upload(1), upload(2)})
	require.NoError(t, err, "encode the batch")

	req, err := http.NewRequest(http.MethodPost, s.URL+"/query", bytes.NewReader(body))
	require.NoError(t, err, "build request")
	req.Header.Set("Content-Type", "application/json")
	res := s.Do(t, req, token)

	assert.Equal(t, http.StatusOK, res.Status, "status of the batch: %.500s", res.Body)
	assert.Contains(t, string(res.Body), "RATE_LIMITED", "the second upload is rate-limited")
	assert.Equal(t, 1, rowCounts(t, s)["projects"], "the first upload is stored")
}

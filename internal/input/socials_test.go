package input_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orquestra/orquestra/internal/input"
)

func TestHTTPSURLChecksThePort(t *testing.T) {
	for _, bad := range []string{"https://example.com:99999", "https://example.com:0", "https://example.com:http"} {
		_, err := input.HTTPSURL("input.website", bad)
		assert.Error(t, err, "%s is rejected", bad)
	}

	for _, good := range []string{"https://example.com", "https://example.com:8443/docs"} {
		_, err := input.HTTPSURL("input.website", good)
		assert.NoError(t, err, "%s is accepted", good)
	}
}

func TestSearchIsCapped(t *testing.T) {
	got, err := input.Search("filter.search", "  jupiter  ")
	assert.NoError(t, err, "a short search is accepted")
	assert.Equal(t, "jupiter", got, "the search is trimmed")

	long := make([]rune, input.MaxSearchLength+1)
	for i := range long {
		long[i] = 'é'
	}
	_, err = input.Search("filter.search", string(long))
	assert.ErrorContains(t, err, "201 characters", "the error names the length")
}

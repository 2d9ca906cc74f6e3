package e2e

import (
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/testserver"
)

func TestConcurrentPublishGetsDistinctVersions(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "publisher")
	idl := smallIDL(t)
	projectID := createProject(t, s, token, "concurrent", idl, true)

	const publishers = 20
	versions := make([]int, publishers)
	errs := make([]string, publishers)

	var wg sync.WaitGroup
	for i := range publishers {
		wg.Go(func() {
			// Each body differs, so none is a re-upload of the latest version.
			body := fmt.Sprintf("%s%*s", idl, i+1, "")
			res := s.Query(t, token, publishMutation, map[string]any{"input": map[string]any{"projectId": projectID, "idlJson": body}})
			if len(res.Errors) > 0 {
				errs[i] = string(res.Body)
				return
			}
			var out struct{ PublishIdlVersion versionFields }
			res.Decode(t, &out)
			versions[i] = out.PublishIdlVersion.Version
		})
	}
	wg.Wait()

	for i, e := range errs {
		require.Empty(t, e, "publisher %d failed", i)
	}

	sort.Ints(versions)
	for i, v := range versions {
		require.Equal(t, i+2, v, "sorted versions must be 2 to %d without gaps or duplicates: %v", publishers+1, versions)
	}
	require.NotContains(t, s.Logs.String(), "database is locked", "the log must not report a locked database")
}

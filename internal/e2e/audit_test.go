package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/testserver"
)

// TestGraphQLOverHTTPAudit runs the graphql-http audit suite, every MUST,
// SHOULD and MAY of the GraphQL over HTTP specification, against the real
// handler. It needs Node.js and `npm ci --prefix scripts/audit`, which
// .ci/run does.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found: install Node.js to run the GraphQL over HTTP audit")
	}
	dir, err := filepath.Abs("../../scripts/audit")
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-http")); err != nil {
		t.Skip("graphql-http not installed: run npm ci --prefix scripts/audit to run the GraphQL over HTTP audit")
	}

	s := testserver.Start(t)
	out, err := exec.Command(node, filepath.Join(dir, "audit.mjs"), s.URL+"/query").CombinedOutput()
	t.Logf("graphql-http audit:\n%s", out)
	require.NoError(t, err, "every audit must pass")

	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	assert.Contains(t, lines[len(lines)-1], " 0 failed", "summary line")
}

package idl_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/idl"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenFiles covers each format with embedded IDLs, so the golden tests
// run without the shared corpus.
var goldenFiles = []string{
	"anchor-legacy-anchor-idl-test.json",
	"anchor-legacy-shank-counter-native.json",
	"anchor-v030-anchor-generics.json",
	"anchor-v030-anchor-relations.json",
	"codama-spl-memo.json",
	"codama-world-cup.json",
}

func TestProgramViewGolden(t *testing.T) {
	for _, name := range goldenFiles {
		t.Run(name, func(t *testing.T) {
			prog, err := idl.Parse(embedded(t, name))
			require.NoError(t, err, "Parse(%s)", name)

			got, err := json.MarshalIndent(prog, "", "  ")
			require.NoError(t, err, "json.MarshalIndent")

			compareGolden(t, filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".json")+".view.json"), append(got, '\n'))
		})
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()

	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755), "create golden folder")
		require.NoError(t, os.WriteFile(path, got, 0o644), "write %s", path)
		return
	}

	want, err := os.ReadFile(path)
	require.NoError(t, err, "read %s (run go test -update to create it)", path)
	assert.Equal(t, string(want), string(got), "output differs from %s (review, then run go test -update)", path)
}

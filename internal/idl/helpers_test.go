package idl_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/idl"
)

// allCorpusFiles returns the embedded IDLs and, when present, the shared
// corpus, each named by set and file.
func allCorpusFiles(t *testing.T) []corpus.File {
	t.Helper()

	files := []corpus.File{}
	for _, f := range corpus.Embedded() {
		files = append(files, corpus.File{Name: "embedded/" + f.Name, Data: f.Data})
	}

	shared, ok, err := corpus.Shared()
	require.NoError(t, err, "corpus.Shared")
	if !ok {
		t.Log("shared corpus not found (set ORQUESTRA_CORPUS or place shared/corpus/idls beside the repository); testing embedded IDLs only")
	}
	for _, f := range shared {
		files = append(files, corpus.File{Name: "shared/" + f.Name, Data: f.Data})
	}

	return files
}

func mustParse(t *testing.T, data string) *idl.Program {
	t.Helper()

	prog, err := idl.Parse([]byte(data))
	require.NoError(t, err, "Parse of a valid IDL")

	return prog
}

func decodeJSON(t *testing.T, data []byte) map[string]any {
	t.Helper()

	var out map[string]any
	require.NoError(t, json.Unmarshal(data, &out), "json.Unmarshal")

	return out
}

func listLen(m map[string]any, key string) int {
	items, _ := m[key].([]any)
	return len(items)
}

func embedded(t *testing.T, name string) []byte {
	t.Helper()

	data, err := corpus.EmbeddedFile(name)
	require.NoError(t, err, "corpus.EmbeddedFile(%q)", name)

	return data
}

func sprintf(format string, args ...any) string {
	return fmt.Sprintf(format, args...)
}

package corpus

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEmbeddedHasEveryFormat(t *testing.T) {
	files := Embedded()
	require.NotEmpty(t, files, "Embedded() returned no files")

	seen := map[string]int{}
	for _, f := range files {
		require.NotEmpty(t, f.Data, "embedded file %s is empty", f.Name)
		seen[Format(f.Name)]++
	}

	for _, format := range []string{"anchor-legacy", "anchor-v030", "codama"} {
		require.Positive(t, seen[format], "no embedded IDL of format %s", format)
	}
}

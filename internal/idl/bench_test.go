package idl_test

import (
	"testing"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/idl"
)

// largestIDL returns codama-mpl-token-metadata.json from the shared corpus
// when present, else the largest embedded IDL.
func largestIDL(b *testing.B) corpus.File {
	b.Helper()

	if shared, ok, err := corpus.Shared(); err == nil && ok {
		for _, f := range shared {
			if f.Name == "codama-mpl-token-metadata.json" {
				return f
			}
		}
	}

	var largest corpus.File
	for _, f := range corpus.Embedded() {
		if len(f.Data) > len(largest.Data) {
			largest = f
		}
	}

	return largest
}

func BenchmarkParseAndDocument(b *testing.B) {
	file := largestIDL(b)
	b.Logf("IDL %s, %d bytes", file.Name, len(file.Data))
	b.SetBytes(int64(len(file.Data)))
	b.ReportAllocs()

	for b.Loop() {
		prog, err := idl.Parse(file.Data)
		if err != nil {
			b.Fatalf("Parse(%s): %v", file.Name, err)
		}
		docgen.Generate(prog, nil)
	}
}

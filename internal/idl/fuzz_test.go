package idl

import (
	"errors"
	"testing"

	"github.com/orquestra/orquestra/internal/corpus"
)

// FuzzParse checks that Parse never panics and that it either returns a
// program or an *InvalidError with at least one problem.
func FuzzParse(f *testing.F) {
	for _, file := range corpus.Embedded() {
		f.Add(file.Data)
	}
	f.Add([]byte(`{"name":"x","instructions":[{"name":"a","accounts":[],"args":[{"name":"b","type":{"vec":{"option":"u8"}}}]}]}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		prog, err := Parse(data)
		if err == nil {
			if prog == nil {
				t.Fatal("Parse returned neither a program nor an error")
			}
			return
		}

		var invalidErr *InvalidError
		if !errors.As(err, &invalidErr) || len(invalidErr.Problems) == 0 {
			t.Fatalf("Parse returned %v, want an *InvalidError with problems", err)
		}
	})
}

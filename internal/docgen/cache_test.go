package docgen_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/idl"
)

func TestDocsCacheKeysOnAddresses(t *testing.T) {
	cache := docgen.NewCache(4)
	prog := &idl.Program{Name: "p"}

	first := cache.Generate("hash", prog, nil)
	again := cache.Generate("hash", &idl.Program{Name: "ignored on a hit"}, nil)
	assert.Equal(t, string(first), string(again), "cached docs for the same hash")

	withAddress := cache.Generate("hash", prog, sampleAddresses)
	assert.Contains(t, string(withAddress), "Main pool", "docs after adding an address")
}

func TestDocsCacheEvicts(t *testing.T) {
	cache := docgen.NewCache(1)

	cache.Generate("a", &idl.Program{Name: "first"}, nil)
	cache.Generate("b", &idl.Program{Name: "second"}, nil)
	docs := cache.Generate("a", &idl.Program{Name: "regenerated"}, nil)

	assert.Contains(t, string(docs), "# regenerated", "a was evicted and generated again")
}

func TestDocsCacheKeepsWithinByteBudget(t *testing.T) {
	size := len(docgen.Generate(&idl.Program{Name: "a"}, nil))
	cache := docgen.NewCacheWithBudget(10, 2*size)

	cache.Generate("a", &idl.Program{Name: "a"}, nil)
	cache.Generate("b", &idl.Program{Name: "b"}, nil)
	cache.Generate("c", &idl.Program{Name: "c"}, nil)
	docs := cache.Generate("a", &idl.Program{Name: "regenerated"}, nil)

	assert.Contains(t, string(docs), "regenerated", "the oldest entry was evicted to keep within the budget")
}

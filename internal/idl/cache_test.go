package idl_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/idl"
)

func TestCacheReturnsSameProgram(t *testing.T) {
	cache := idl.NewCache(2)
	data := embedded(t, "anchor-v030-lever.json")

	first, err := cache.Parse("hash-a", data)
	require.NoError(t, err, "first Parse")

	second, err := cache.Parse("hash-a", []byte("not parsed again"))
	require.NoError(t, err, "second Parse with the same hash")
	assert.Same(t, first, second, "cached *Program")
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	cache := idl.NewCache(2)
	data := embedded(t, "anchor-v030-lever.json")

	a, _ := cache.Parse("a", data)
	_, _ = cache.Parse("b", data)
	_, _ = cache.Parse("a", data) // a is now the most recently used
	_, _ = cache.Parse("c", data) // evicts b

	assert.Equal(t, 2, cache.Len(), "entries")

	again, err := cache.Parse("a", []byte("{}"))
	require.NoError(t, err, "a is still cached")
	assert.Same(t, a, again, "cached a")

	_, err = cache.Parse("b", []byte("{}"))
	assert.Error(t, err, "b was evicted, so the invalid data is parsed")
}

func TestCacheDoesNotStoreInvalidIDLs(t *testing.T) {
	cache := idl.NewCache(4)

	_, err := cache.Parse("bad", []byte("[]"))
	require.Error(t, err, "Parse of []")
	assert.Equal(t, 0, cache.Len(), "entries after an invalid IDL")
}

func TestCacheConcurrentParse(t *testing.T) {
	cache := idl.NewCache(8)
	data := embedded(t, "anchor-v030-raydium-clmm-amm-v3.json")

	var wg sync.WaitGroup
	results := make([]*idl.Program, 16)
	for i := range results {
		wg.Go(func() {
			prog, err := cache.Parse("same", data)
			assert.NoError(t, err, "concurrent Parse")
			results[i] = prog
		})
	}
	wg.Wait()

	for i := range results {
		assert.Same(t, results[0], results[i], "result %d", i)
	}
}

func TestCacheKeepsWithinByteBudget(t *testing.T) {
	data := embedded(t, "anchor-v030-lever.json")
	cache := idl.NewCacheWithBudget(10, 2*len(data))

	for _, key := range []string{"a", "b", "c"} {
		_, err := cache.Parse(key, data)
		require.NoError(t, err, "parse %s", key)
	}
	assert.Equal(t, 2, cache.Len(), "two IDLs fit the budget of two")

	huge := idl.NewCacheWithBudget(10, len(data)/2)
	_, err := huge.Parse("only", data)
	require.NoError(t, err, "parse an IDL over the budget")
	assert.Equal(t, 1, huge.Len(), "the newest entry stays even over the budget")
}

package docgen

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/orquestra/orquestra/internal/idl"
)

// CacheBytes is the byte budget of a Cache, counted in bytes of docs.
const CacheBytes = 128 << 20

// Cache keeps generated docs in memory and evicts the least recently used
// entries beyond its capacity or its byte budget, always keeping the
// newest. An entry is keyed by the IDL's SHA-256 and a
// digest of the known addresses, so editing an address gives fresh docs.
// It is safe for concurrent use, and callers must not modify the returned
// bytes, which are shared.
type Cache struct {
	mu       sync.Mutex
	capacity int
	maxBytes int
	bytes    int
	order    *list.List // front is the most recently used entry
	entries  map[string]*list.Element
}

type cacheEntry struct {
	key  string
	docs []byte
}

// NewCache returns a cache holding at most capacity documents within
// CacheBytes. A capacity below 1 is treated as 1.
func NewCache(capacity int) *Cache {
	return NewCacheWithBudget(capacity, CacheBytes)
}

// NewCacheWithBudget is NewCache with a byte budget of maxBytes.
func NewCacheWithBudget(capacity, maxBytes int) *Cache {
	return &Cache{capacity: max(capacity, 1), maxBytes: maxBytes, order: list.New(), entries: map[string]*list.Element{}}
}

// Generate returns the cached docs for the IDL hash and addresses, calling
// Generate only on a miss. Two concurrent misses may both generate, which
// is harmless because the output is deterministic.
func (c *Cache) Generate(idlSHA256 string, p *idl.Program, addresses []Address) []byte {
	key := idlSHA256 + "/" + addressDigest(addresses)

	c.mu.Lock()
	if elem, ok := c.entries[key]; ok {
		c.order.MoveToFront(elem)
		c.mu.Unlock()
		return elem.Value.(*cacheEntry).docs
	}
	c.mu.Unlock()

	docs := Generate(p, addresses)

	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok {
		c.entries[key] = c.order.PushFront(&cacheEntry{key: key, docs: docs})
		c.bytes += len(docs)
	}
	for c.order.Len() > 1 && (c.order.Len() > c.capacity || c.bytes > c.maxBytes) {
		oldest := c.order.Remove(c.order.Back()).(*cacheEntry)
		delete(c.entries, oldest.key)
		c.bytes -= len(oldest.docs)
	}

	return docs
}

// addressDigest hashes the addresses with each field length-prefixed, so
// different lists never share a digest by concatenation.
func addressDigest(addresses []Address) string {
	h := sha256.New()
	for _, a := range addresses {
		for _, field := range []string{a.Label, a.Address, a.Description} {
			h.Write([]byte(itoa(len(field)) + ":" + field))
		}
	}

	return hex.EncodeToString(h.Sum(nil))
}

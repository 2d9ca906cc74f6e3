package idl

import (
	"container/list"
	"sync"
)

// CacheBytes is the byte budget of a Cache, counted in IDL bytes. A parsed
// program took less memory than its IDL where measured (a seventh for the
// 135 KB Raydium CLMM IDL), so the cache is expected to take less than this.
const CacheBytes = 256 << 20

// Cache keeps parsed programs in memory, keyed by the SHA-256 of the IDL
// bytes, and evicts the least recently used entries beyond its capacity
// or its byte budget, always keeping the newest. It is safe for
// concurrent use.
//
// The returned *Program is shared by every caller that asks for the same
// hash, so callers must treat it as read-only.
type Cache struct {
	mu       sync.Mutex
	capacity int
	maxBytes int
	bytes    int
	order    *list.List // front is the most recently used entry
	entries  map[string]*list.Element
	// inflight holds parses in progress, so concurrent requests for one
	// hash parse it once and share the outcome.
	inflight map[string]*parseCall
}

type cacheEntry struct {
	key  string
	prog *Program
	size int
}

type parseCall struct {
	done chan struct{}
	prog *Program
	err  error
}

// NewCache returns a cache holding at most capacity programs within
// CacheBytes. A capacity below 1 is treated as 1.
func NewCache(capacity int) *Cache {
	return NewCacheWithBudget(capacity, CacheBytes)
}

// NewCacheWithBudget is NewCache with a byte budget of maxBytes IDL bytes.
func NewCacheWithBudget(capacity, maxBytes int) *Cache {
	return &Cache{
		capacity: max(capacity, 1),
		maxBytes: maxBytes,
		order:    list.New(),
		entries:  map[string]*list.Element{},
		inflight: map[string]*parseCall{},
	}
}

// Parse returns the program cached under sha256, parsing data only on a
// miss. The caller supplies the hash of data, usually the one it stores;
// the cache trusts it and does not hash data again. Invalid IDLs are not
// cached, so their error is computed again on the next call.
func (c *Cache) Parse(sha256 string, data []byte) (*Program, error) {
	c.mu.Lock()
	if elem, ok := c.entries[sha256]; ok {
		c.order.MoveToFront(elem)
		c.mu.Unlock()
		return elem.Value.(*cacheEntry).prog, nil
	}

	if call, ok := c.inflight[sha256]; ok {
		c.mu.Unlock()
		<-call.done
		return call.prog, call.err
	}

	call := &parseCall{done: make(chan struct{})}
	c.inflight[sha256] = call
	c.mu.Unlock()

	call.prog, call.err = Parse(data)

	c.mu.Lock()
	delete(c.inflight, sha256)
	if call.err == nil {
		c.add(sha256, call.prog, len(data))
	}
	c.mu.Unlock()
	close(call.done)

	return call.prog, call.err
}

// Len returns the number of cached programs.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()

	return c.order.Len()
}

// add stores a program parsed from size bytes; the caller holds c.mu.
func (c *Cache) add(key string, prog *Program, size int) {
	c.entries[key] = c.order.PushFront(&cacheEntry{key: key, prog: prog, size: size})
	c.bytes += size

	for c.order.Len() > 1 && (c.order.Len() > c.capacity || c.bytes > c.maxBytes) {
		oldest := c.order.Remove(c.order.Back()).(*cacheEntry)
		delete(c.entries, oldest.key)
		c.bytes -= oldest.size
	}
}

// Lookup returns the program cached under sha256 without parsing, so that
// callers can skip loading the IDL bytes when the program is cached.
func (c *Cache) Lookup(sha256 string) (*Program, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()

	elem, ok := c.entries[sha256]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(elem)

	return elem.Value.(*cacheEntry).prog, true
}

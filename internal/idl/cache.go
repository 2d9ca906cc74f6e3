package idl

import (
	"container/list"
	"sync"
)

// Cache keeps parsed programs in memory, keyed by the SHA-256 of the IDL
// bytes, and evicts the least recently used entry beyond its capacity.
// It is safe for concurrent use.
//
// The returned *Program is shared by every caller that asks for the same
// hash, so callers must treat it as read-only.
type Cache struct {
	mu       sync.Mutex
	capacity int
	order    *list.List // front is the most recently used entry
	entries  map[string]*list.Element
	// inflight holds parses in progress, so concurrent requests for one
	// hash parse it once and share the outcome.
	inflight map[string]*parseCall
}

type cacheEntry struct {
	key  string
	prog *Program
}

type parseCall struct {
	done chan struct{}
	prog *Program
	err  error
}

// NewCache returns a cache holding at most capacity programs. A capacity
// below 1 is treated as 1.
func NewCache(capacity int) *Cache {
	return &Cache{
		capacity: max(capacity, 1),
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
		c.add(sha256, call.prog)
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

// add stores a program; the caller holds c.mu.
func (c *Cache) add(key string, prog *Program) {
	c.entries[key] = c.order.PushFront(&cacheEntry{key: key, prog: prog})

	for c.order.Len() > c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.entries, oldest.Value.(*cacheEntry).key)
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

// Package ratelimit keeps one token bucket per caller, for operations that
// are expensive enough to need a per-caller budget, such as uploads.
package ratelimit

import (
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// Limiter allows each key perMinute events a minute with bursts of burst.
// It remembers at most maxKeys callers; the least recently seen is
// forgotten first, which only ever gives that caller a fresh bucket.
type Limiter struct {
	mu      sync.Mutex
	buckets *lru.Cache[string, *rate.Limiter]
	limit   rate.Limit
	burst   int
}

// New returns a limiter. perMinute <= 0 turns limiting off.
func New(perMinute, burst, maxKeys int) *Limiter {
	buckets, err := lru.New[string, *rate.Limiter](max(maxKeys, 1))
	if err != nil {
		panic(err) // only a size below 1 fails, and max rules it out
	}

	return &Limiter{buckets: buckets, limit: rate.Limit(float64(perMinute) / 60), burst: max(burst, 1)}
}

// Allow takes one token from key's bucket. When none is left it returns
// false and how long until one is.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l == nil || l.limit <= 0 {
		return true, 0
	}

	l.mu.Lock()
	bucket, ok := l.buckets.Get(key)
	if !ok {
		bucket = rate.NewLimiter(l.limit, l.burst)
		l.buckets.Add(key, bucket)
	}
	l.mu.Unlock()

	reservation := bucket.Reserve()
	delay := reservation.Delay()
	if delay == 0 {
		return true, 0
	}

	reservation.Cancel()
	return false, delay
}

package gendata

import (
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/mr-tron/base58"
)

// source is the seeded random source that every generated value comes
// from, so that one seed always gives the same rows.
type source struct {
	*rand.Rand
}

func newSource(seed uint64) *source {
	return &source{rand.New(rand.NewPCG(seed, seed^0x6f72717565737472))}
}

// uuidV7 returns a UUIDv7 for time t: the 48-bit Unix millisecond time,
// then random bits from the source. Ids of rows created later sort after
// those created earlier, as the server's own ids do. Rows created in the
// same millisecond sort in random order.
func (r *source) uuidV7(t time.Time) string {
	var id uuid.UUID

	ms := uint64(t.UnixMilli())
	for i := range 6 {
		id[i] = byte(ms >> (40 - 8*i))
	}
	hi, lo := r.Uint64(), r.Uint64()
	for i := range 2 {
		id[6+i] = byte(hi >> (8 * i))
	}
	for i := range 8 {
		id[8+i] = byte(lo >> (8 * i))
	}
	id[6] = 0x70 | id[6]&0x0f // version 7
	id[8] = 0x80 | id[8]&0x3f // RFC 9562 variant

	return id.String()
}

// publicKey returns a random 32-byte Solana address in base58.
func (r *source) publicKey() string {
	var key [32]byte
	for i := 0; i < len(key); i += 8 {
		v := r.Uint64()
		for j := range 8 {
			key[i+j] = byte(v >> (8 * j))
		}
	}

	return base58.Encode(key[:])
}

// chance reports true with probability p.
func (r *source) chance(p float64) bool {
	return r.Float64() < p
}

// word returns a random element of words.
func (r *source) word(words []string) string {
	return words[r.IntN(len(words))]
}

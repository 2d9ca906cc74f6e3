package models

import (
	"time"

	"github.com/uptrace/bun"
)

// APIKey is a project's key for CI pipelines. KeyHash is the SHA-256 of the
// key in lower-case hex: the key itself is never stored.
type APIKey struct {
	bun.BaseModel `bun:"table:api_keys,alias:k"`

	ID        string     `bun:"id,pk"`
	ProjectID string     `bun:"project_id,notnull"`
	KeyHash   string     `bun:"key,notnull"`
	Name      string     `bun:"name,notnull"`
	Prefix    string     `bun:"prefix,notnull"`
	LastUsed  *time.Time `bun:"last_used"`
	CreatedAt time.Time  `bun:"created_at,notnull"`
	ExpiresAt *time.Time `bun:"expires_at"`
}

package models

import (
	"time"

	"github.com/uptrace/bun"
)

// KnownAddress is a labelled Solana address that belongs to a project, such
// as its treasury or an authority.
type KnownAddress struct {
	bun.BaseModel `bun:"table:known_addresses,alias:a"`

	ID          string    `bun:"id,pk"`
	ProjectID   string    `bun:"project_id,notnull"`
	Label       string    `bun:"label,notnull"`
	Address     string    `bun:"address,notnull"`
	Description *string   `bun:"description"`
	CreatedAt   time.Time `bun:"created_at,notnull"`
	UpdatedAt   time.Time `bun:"updated_at,notnull"`
}

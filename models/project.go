package models

import (
	"time"

	"github.com/uptrace/bun"
)

// Project is one Solana program registered by a user, with its IDL versions.
type Project struct {
	bun.BaseModel `bun:"table:projects,alias:p"`

	ID          string    `bun:"id,pk"`
	UserID      string    `bun:"user_id,notnull"`
	Name        string    `bun:"name,notnull"`
	Description string    `bun:"description,notnull"`
	ProgramID   string    `bun:"program_id,notnull"`
	IsPublic    bool      `bun:"is_public,notnull"`
	CustomDocs  *string   `bun:"custom_docs"`
	CreatedAt   time.Time `bun:"created_at,notnull"`
	UpdatedAt   time.Time `bun:"updated_at,notnull"`
}

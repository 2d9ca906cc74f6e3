package models

import (
	"time"

	"github.com/uptrace/bun"
)

// ProjectSocials holds a project's social links as canonical URLs. Each
// project has exactly one row, created empty with the project.
type ProjectSocials struct {
	bun.BaseModel `bun:"table:project_socials,alias:s"`

	ID        string    `bun:"id,pk"`
	ProjectID string    `bun:"project_id,notnull"`
	Twitter   *string   `bun:"twitter"`
	Discord   *string   `bun:"discord"`
	Telegram  *string   `bun:"telegram"`
	GitHub    *string   `bun:"github"`
	Website   *string   `bun:"website"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

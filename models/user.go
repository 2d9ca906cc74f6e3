package models

import (
	"time"

	"github.com/uptrace/bun"
)

// User is a person who signs in, with GitHub or as a local user.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID string `bun:"id,pk"`
	// GitHubID is the GitHub account id. Local users get negative ids, so
	// that the column can stay NOT NULL UNIQUE.
	GitHubID  int64     `bun:"github_id,notnull"`
	Username  string    `bun:"username,notnull"`
	Email     string    `bun:"email,notnull"`
	AvatarURL *string   `bun:"avatar_url"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// IsLocal reports whether the user was created for local use, not by GitHub.
func (u *User) IsLocal() bool {
	return u.GitHubID < 0
}

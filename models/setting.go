package models

import "github.com/uptrace/bun"

// Setting is a server-wide value kept in the database, such as the
// generated JWT signing secret.
type Setting struct {
	bun.BaseModel `bun:"table:settings,alias:st"`

	Key   string `bun:"key,pk"`
	Value string `bun:"value,notnull"`
}

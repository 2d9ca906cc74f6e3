package models

import (
	"time"

	"github.com/uptrace/bun"
)

// IDLVersion is one uploaded version of a project's IDL. Version numbers
// start at 1 and are unique within a project.
type IDLVersion struct {
	bun.BaseModel `bun:"table:idl_versions,alias:v"`

	ID        string `bun:"id,pk"`
	ProjectID string `bun:"project_id,notnull"`
	// IDLJSON is the IDL as uploaded, less a leading UTF-8 byte order mark.
	IDLJSON string  `bun:"idl_json,notnull"`
	CpiMd   *string `bun:"cpi_md"`
	// DocsGenerated is set when the server wrote CpiMd from the IDL because
	// the uploader sent no Markdown. Project.docs then generates the docs
	// again with the project's current known addresses.
	DocsGenerated bool `bun:"docs_generated,notnull"`
	Version       int  `bun:"version,notnull"`
	// Format is one of ANCHOR_LEGACY, ANCHOR and CODAMA.
	Format string `bun:"format,notnull"`
	// SHA256 is the lower-case hex SHA-256 of IDLJSON.
	SHA256    string    `bun:"sha256,notnull"`
	SizeBytes int       `bun:"size_bytes,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// Package model holds the GraphQL types that are not database rows:
// connections, payloads and inputs (the last generated in models_gen.go).
package model

import (
	"fmt"
	"io"
	"strconv"

	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/models"
)

// ProjectConnection is one page of projects. Its totalCount runs its own
// count query, so only queries that ask for it pay for it.
type ProjectConnection struct {
	Edges    []*ProjectEdge
	PageInfo *PageInfo
	// Count returns the total; set by the resolver that built the page.
	Count func() (int, error) `json:"-"`
}

// ProjectEdge is one project with its cursor.
type ProjectEdge struct {
	Cursor string
	Node   *Project
}

// IdlVersionConnection is one page of a project's versions.
type IdlVersionConnection struct {
	Edges     []*IdlVersionEdge
	PageInfo  *PageInfo
	ProjectID string `json:"-"`
}

// IdlVersionEdge is one version with its cursor.
type IdlVersionEdge struct {
	Cursor string
	Node   *models.IDLVersion
}

// PageInfo reports whether another page follows and where it starts.
type PageInfo struct {
	HasNextPage bool
	EndCursor   *string
}

// PlatformStats are the platform-wide counts.
type PlatformStats struct {
	storage.Stats
}

// IdlFormat is the format of an uploaded IDL.
type IdlFormat string

// The formats, as stored in idl_versions.format.
const (
	IdlFormatAnchorLegacy IdlFormat = "ANCHOR_LEGACY"
	IdlFormatAnchor       IdlFormat = "ANCHOR"
	IdlFormatCodama       IdlFormat = "CODAMA"
)

// IsValid reports whether f is one of the formats.
func (f IdlFormat) IsValid() bool {
	switch f {
	case IdlFormatAnchorLegacy, IdlFormatAnchor, IdlFormatCodama:
		return true
	}

	return false
}

// MarshalGQL writes the enum value.
func (f IdlFormat) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(string(f)))
}

// UnmarshalGQL reads the enum value.
func (f *IdlFormat) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("IdlFormat must be a string, not %T", v)
	}

	*f = IdlFormat(s)
	if !f.IsValid() {
		return fmt.Errorf("%q is not an IdlFormat: use ANCHOR_LEGACY, ANCHOR or CODAMA", s)
	}

	return nil
}

// TypeDefKind is the shape of a user-defined type in a program: the
// GraphQL enum TypeKind.
type TypeDefKind string

// MarshalGQL writes the enum value.
func (k TypeDefKind) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(string(k)))
}

// UnmarshalGQL reads the enum value.
func (k *TypeDefKind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || (s != "STRUCT" && s != "ENUM" && s != "ALIAS") {
		return fmt.Errorf("%v is not a TypeKind: use STRUCT, ENUM or ALIAS", v)
	}

	*k = TypeDefKind(s)
	return nil
}

package graph

import (
	"context"
	"fmt"

	"github.com/orquestra/orquestra/internal/idl"
	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/internal/upload"
	"github.com/orquestra/orquestra/models"
)

// program returns the parsed view of a version's IDL from the cache, and
// loads and parses the IDL only on a miss.
func (r *Resolver) program(ctx context.Context, v *models.IDLVersion) (*idl.Program, error) {
	if program, ok := r.Programs.Lookup(v.SHA256); ok {
		return program, nil
	}

	body, err := loader.FromContext(ctx).VersionBody.Load(ctx, v.ID)()
	if err != nil {
		return nil, err
	}

	program, err := r.Programs.Parse(v.SHA256, []byte(body.IDLJSON))
	if err != nil {
		// Stored IDLs passed the parser of their day; one that fails now is
		// a server fault, not the client's.
		return nil, fmt.Errorf("parse stored IDL of version %s: %w", v.ID, err)
	}

	return program, nil
}

// generatedDocs documents a version's IDL with the project's current known
// addresses, from the docs cache when it has them.
func (r *Resolver) generatedDocs(ctx context.Context, v *models.IDLVersion) (*string, error) {
	program, err := r.program(ctx, v)
	if err != nil {
		return nil, err
	}

	rows, err := loader.FromContext(ctx).KnownAddresses.Load(ctx, v.ProjectID)()
	if err != nil {
		return nil, err
	}

	text := string(r.Docs.Generate(v.SHA256, program, upload.DocAddresses(rows)))
	return &text, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}

	return &s
}

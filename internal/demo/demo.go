// Package demo fills an empty database with projects built from real public
// IDLs, so that a fresh server has something to explore.
package demo

import (
	"context"
	"fmt"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/internal/upload"
	"github.com/orquestra/orquestra/models"
)

// Username is the owner of the demo projects.
const Username = "demo"

// A demo project: the IDL files of its versions, oldest first, from the
// embedded corpus (whose SOURCES.tsv gives each file's origin and licence).
type project struct {
	name        string
	description string
	programID   string
	files       []string
}

var projects = []project{
	{"Meteora DLMM", "Dynamic liquidity market maker with concentrated liquidity bins.", "LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo", []string{"anchor-v030-meteora-dlmm.json"}},
	{"Marinade Finance", "Liquid staking for Solana.", "MarBmsSgKXdrN1egZf5sqe1TMai9K1rChYNDJgjq7aD", []string{"anchor-legacy-marinade-finance.json"}},
	{"Raydium CLMM", "Concentrated liquidity AMM, first as a legacy IDL, then in the Anchor 0.30 format.", "CAMMCzo5YL8w4VFF8KVHrK22GGUsp5VTaW7grrKgrWqK", []string{"anchor-legacy-raydium-clmm-amm-v3.json", "anchor-v030-raydium-clmm-amm-v3.json"}},
	{"SPL Token", "The token program, from a hand-written IDL.", "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", []string{"anchor-legacy-spl-token.json"}},
	{"Token-2022", "The token extensions program, as a Codama IDL.", "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb", []string{"codama-spl-token-2022.json"}},
	{"Switchboard On-Demand", "Oracle feeds pulled on demand.", "SBondMDrcV3K4kxZR1HNVT7osZxAHVHgYXL5Ze1oMUv", []string{"anchor-v030-switchboard-on-demand.json"}},
	{"World Cup", "An example Pinocchio program described with Codama.", "wCupoZtR1g1NXRRVELe5KqFgayyEteVKKxEerxugvxA", []string{"codama-world-cup.json"}},
}

// Load creates the demo user and projects when the database has no
// projects, and reports whether it did.
func Load(ctx context.Context, store *storage.Store, uploads *upload.Service) (bool, error) {
	count, err := store.CountProjects(ctx, storage.Viewer{}, storage.ProjectFilter{})
	if err != nil {
		return false, err
	}
	if count > 0 {
		return false, nil
	}

	owner, err := store.EnsureLocalUser(ctx, Username)
	if err != nil {
		return false, err
	}

	for _, p := range projects {
		if err := create(ctx, uploads, owner, p); err != nil {
			return false, fmt.Errorf("load demo project %q: %w", p.name, err)
		}
	}

	return true, nil
}

func create(ctx context.Context, uploads *upload.Service, owner *models.User, p project) error {
	var projectID string
	for i, file := range p.files {
		doc, err := read(uploads, file)
		if err != nil {
			return err
		}

		if i == 0 {
			row := models.Project{UserID: owner.ID, Name: p.name, Description: p.description, ProgramID: p.programID, IsPublic: true}
			created, _, err := uploads.CreateProject(ctx, row, doc)
			if err != nil {
				return err
			}
			projectID = created.ID
			continue
		}

		if _, err := uploads.Publish(ctx, projectID, doc); err != nil {
			return err
		}
	}

	return nil
}

func read(uploads *upload.Service, file string) (*upload.Document, error) {
	data, err := corpus.EmbeddedFile(file)
	if err != nil {
		return nil, fmt.Errorf("read embedded IDL %s: %w", file, err)
	}

	text := string(data)
	return uploads.Read(upload.Documents{IDL: upload.Source{String: &text}, IDLField: "demo", MarkdownField: "demo"})
}

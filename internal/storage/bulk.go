package storage

import (
	"context"
	"fmt"
	"reflect"

	"github.com/uptrace/bun"

	"github.com/orquestra/orquestra/models"
)

// maxBindParameters is SQLite's limit on the parameters of one statement
// (SQLITE_MAX_VARIABLE_NUMBER, 32,766 since SQLite 3.32).
const maxBindParameters = 32766

// Bulk is a set of complete rows, ids and times included, to insert at once.
type Bulk struct {
	Users          []models.User
	Projects       []models.Project
	Versions       []models.IDLVersion
	Socials        []models.ProjectSocials
	KnownAddresses []models.KnownAddress
}

// InsertBulk inserts the rows of b in one write transaction, table by table
// in foreign-key order, with multi-row INSERT statements. It is for loading
// generated data: it runs no checks beyond the schema's constraints.
func (s *Store) InsertBulk(ctx context.Context, b *Bulk) error {
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertChunks(ctx, tx, b.Users); err != nil {
			return fmt.Errorf("users: %w", err)
		}
		if err := insertChunks(ctx, tx, b.Projects); err != nil {
			return fmt.Errorf("projects: %w", err)
		}
		if err := insertChunks(ctx, tx, b.Versions); err != nil {
			return fmt.Errorf("IDL versions: %w", err)
		}
		if err := insertChunks(ctx, tx, b.Socials); err != nil {
			return fmt.Errorf("project socials: %w", err)
		}
		if err := insertChunks(ctx, tx, b.KnownAddresses); err != nil {
			return fmt.Errorf("known addresses: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("insert %d projects in bulk: %w", len(b.Projects), err)
	}

	return nil
}

// insertChunks inserts rows with as few statements as the parameter limit
// allows. bun writes values into the SQL text instead of binding them, so
// the limit does not apply today. Keeping rows times columns under it still
// bounds each statement's size and keeps it valid for a driver that binds.
func insertChunks[T any](ctx context.Context, tx bun.Tx, rows []T) error {
	if len(rows) == 0 {
		return nil
	}

	columns := len(tx.Dialect().Tables().Get(reflect.TypeFor[T]()).Fields)
	chunk := max(1, maxBindParameters/columns)

	for start := 0; start < len(rows); start += chunk {
		part := rows[start:min(start+chunk, len(rows))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return err
		}
	}

	return nil
}

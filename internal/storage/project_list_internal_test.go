package storage

import (
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"github.com/orquestra/orquestra/models"
)

// The lists scan by position, so a column added to a model must be added
// to its list too, or lists would serve it empty.
func TestListColumnsCoverModels(t *testing.T) {
	db := bun.NewDB(nil, sqlitedialect.New())

	cases := []struct {
		model   any
		columns []string
		skip    []string
	}{
		{models.Project{}, projectListColumns, []string{"custom_docs"}},
		{models.User{}, userListColumns, nil},
		{models.IDLVersion{}, versionListColumns, versionBodyColumns},
		{models.ProjectSocials{}, socialsListColumns, nil},
		{models.KnownAddress{}, knownAddressColumns, nil},
	}
	for _, c := range cases {
		table := db.Table(reflect.TypeOf(c.model))
		var want []string
		for _, f := range table.Fields {
			if !slices.Contains(c.skip, f.Name) {
				want = append(want, f.Name)
			}
		}
		assert.ElementsMatch(t, want, c.columns, "list columns of %s", table.Name)
	}
}

package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/testserver"
)

// The search rules are the same on SQLite and PostgreSQL: text is matched
// without regard to case, program ids exactly, and LIKE wildcards literally.
func TestProjectSearchRules(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "searcher")
	idl := smallIDL(t)
	createProject(t, s, token, "Jupiter Aggregator", idl, true)
	createProject(t, s, token, "Percent 100% Program", idl, true)
	createProject(t, s, token, "Ωmega ÜNIVERSE", idl, true)

	search := func(text string) []string {
		var out struct {
			Projects struct {
				Edges []struct{ Node struct{ ID, Name string } }
			}
		}
		s.Query(t, "", `query($q: String) { projects(filter: {search: $q}) { edges { node { id name } } } }`, map[string]any{"q": text}).Decode(t, &out)

		var names []string
		for _, e := range out.Projects.Edges {
			names = append(names, e.Node.Name)
		}
		return names
	}

	assert.Equal(t, []string{"Jupiter Aggregator"}, search("jup"), "text is matched without regard to case")
	assert.Equal(t, []string{"Jupiter Aggregator"}, search(programID("Jupiter Aggregator")), "a program id is matched exactly")
	assert.Empty(t, search(strings.ToLower(programID("Jupiter Aggregator"))), "a program id in the wrong case matches nothing")
	assert.Equal(t, []string{"Percent 100% Program"}, search("100%"), "% is matched literally")
	assert.Empty(t, search("_upiter"), "_ is matched literally")
	assert.Empty(t, search("' OR 1=1 --"), "quotes are data, not SQL")
	assert.Equal(t, []string{"Ωmega ÜNIVERSE"}, search("ωmega"), "non-ASCII capitals match lower case")
	assert.Equal(t, []string{"Ωmega ÜNIVERSE"}, search("üniverse"), "lower case matches non-ASCII capitals")
	assert.Equal(t, []string{"Ωmega ÜNIVERSE"}, search("Ωmega ÜNIVERSE"), "the exact name matches")

	var byOwner struct {
		Projects struct{ TotalCount int }
	}
	s.Query(t, "", `{ projects(filter: {ownerUsername: "SEARCHER"}) { totalCount } }`, nil).Decode(t, &byOwner)
	assert.Equal(t, 3, byOwner.Projects.TotalCount, "ownerUsername is matched without regard to case")

	res := s.Query(t, "", `{ projects(filter: {ownerId: "not-a-uuid"}) { totalCount } }`, nil)
	assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "a malformed owner id is rejected: %s", res.Body)
}

func TestProjectFilterRejections(t *testing.T) {
	s := testserver.Start(t)

	cases := []struct {
		name, filter, field, message string
	}{
		{"search over 200 characters", `{search: "` + strings.Repeat("a", 50001) + `"}`, "filter.search", "at most 200"},
		{"owner id and username", `{ownerId: "0193b7a0-0000-7000-8000-000000000000", ownerUsername: "alice"}`, "filter.ownerUsername", "give one of them"},
		{"program id not base58", `{programId: "!!!"}`, "filter.programId", "not base58"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := s.Query(t, "", `{ projects(filter: `+c.filter+`) { totalCount } }`, nil)

			require.NotEmpty(t, res.Errors, "rejected: %.300s", res.Body)
			assert.Equal(t, "BAD_USER_INPUT", res.Code(0), "code")
			assert.Equal(t, c.field, res.Errors[0].Extensions["field"], "field")
			assert.Contains(t, res.Errors[0].Message, c.message, "message")
		})
	}
}

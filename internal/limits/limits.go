// Package limits rejects GraphQL operations that are too deep, use too many
// aliases, ask for too many root fields or select too many fields in all,
// after parsing and validation and before any resolver runs. It also rejects strings with a NUL character,
// which neither SQLite nor PostgreSQL text can hold.
package limits

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Error codes, one per limit.
const (
	CodeTooDeep       = "QUERY_TOO_DEEP"
	CodeTooManyAlias  = "TOO_MANY_ALIASES"
	CodeTooManyFields = "TOO_MANY_ROOT_FIELDS"
	CodeTooManySelect = "TOO_MANY_SELECTIONS"
)

// Limits are the maximums of one operation; 0 turns a limit off.
type Limits struct {
	Depth      int
	Aliases    int
	RootFields int
	// Selections caps the fields an operation selects in all, with every
	// fragment counted each place it is spread. Fragments that spread the
	// next one twice double the count at each level, and gqlgen's cost
	// calculation walks every one of those fields, so without this limit
	// a document of 1 KB could keep a core busy for minutes.
	Selections int
}

// Defaults leave room for GraphiQL's introspection query, which nests
// about fifteen levels through ofType.
var Defaults = Limits{Depth: 20, Aliases: 30, RootFields: 20, Selections: 2000}

// Extension applies Limits to every operation.
type Extension struct {
	Limits Limits
}

var (
	_ graphql.HandlerExtension        = Extension{}
	_ graphql.OperationContextMutator = Extension{}
)

// ExtensionName names the extension in gqlgen.
func (Extension) ExtensionName() string { return "OperationLimits" }

// Validate accepts any schema.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext measures the operation and rejects it when it
// passes a limit.
func (e Extension) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}

	if path, found := nulInValues(op.Variables, "variables"); found {
		return nulError(path)
	}
	if path, found := nulInDocument(op.Doc); found {
		return nulError(path)
	}

	m := measure(op.Doc, op.Operation)
	switch {
	case e.Limits.Depth > 0 && m.depth > e.Limits.Depth:
		return limitError(CodeTooDeep, "the operation nests %s levels deep", m.depth, e.Limits.Depth, "nest fewer selections")
	case e.Limits.Aliases > 0 && m.aliases > e.Limits.Aliases:
		return limitError(CodeTooManyAlias, "the operation has %s aliases", m.aliases, e.Limits.Aliases, "use fewer aliases")
	case e.Limits.RootFields > 0 && m.rootFields > e.Limits.RootFields:
		return limitError(CodeTooManyFields, "the operation has %s root fields", m.rootFields, e.Limits.RootFields, "split the operation")
	case e.Limits.Selections > 0 && m.selections > e.Limits.Selections:
		return limitError(CodeTooManySelect, "the operation selects %s fields, counting each place a fragment is spread", m.selections, e.Limits.Selections, "spread fragments fewer times, or split the operation")
	}

	return nil
}

// limitError reports a measure over its limit. what is the message with a
// %s for the measure, which reads "more than N" when the count saturated.
func limitError(code, what string, got, limit int, fix string) *gqlerror.Error {
	amount := fmt.Sprint(got)
	if got >= saturate {
		amount = fmt.Sprintf("more than %d", saturate)
	}

	return &gqlerror.Error{
		Message:    fmt.Sprintf(what+", over the limit of %d: %s", amount, limit, fix),
		Extensions: map[string]any{"code": code, "limit": limit, "actual": got},
	}
}

type measures struct {
	depth, aliases, rootFields, selections int
}

// summary is the depth, the alias count and the field count that a
// selection set adds below its parent, counting every place a fragment is
// spread.
type summary struct {
	depth, aliases, fields int
}

// saturate caps counts, so that fragments spread in a doubling chain cannot
// overflow them.
const saturate = 1 << 30

// measure walks an operation through its fragments. Each fragment is
// summarised once, so a document whose fragments spread each other many
// times costs time in proportion to its size, not to its expansion.
// Validation rejects fragment cycles; the walk guards against them anyway.
func measure(doc *ast.QueryDocument, op *ast.OperationDefinition) measures {
	w := &walker{doc: doc, done: map[string]summary{}, fields: map[string]int{}, active: map[string]bool{}}
	sum := w.set(op.SelectionSet)

	return measures{depth: sum.depth, aliases: sum.aliases, rootFields: w.countFields(op.SelectionSet), selections: sum.fields}
}

type walker struct {
	doc    *ast.QueryDocument
	done   map[string]summary
	fields map[string]int
	active map[string]bool
}

func (w *walker) set(set ast.SelectionSet) summary {
	var out summary
	for _, sel := range set {
		var s summary
		switch sel := sel.(type) {
		case *ast.Field:
			s = w.set(sel.SelectionSet)
			s.depth++
			s.fields = min(s.fields+1, saturate)
			if sel.Alias != "" && sel.Alias != sel.Name {
				s.aliases++
			}
		case *ast.InlineFragment:
			s = w.set(sel.SelectionSet)
		case *ast.FragmentSpread:
			s = w.fragment(sel.Name)
		}
		out.depth = max(out.depth, s.depth)
		out.aliases = min(out.aliases+s.aliases, saturate)
		out.fields = min(out.fields+s.fields, saturate)
	}

	return out
}

func (w *walker) fragment(name string) summary {
	if s, ok := w.done[name]; ok {
		return s
	}

	fragment := w.doc.Fragments.ForName(name)
	if fragment == nil || w.active[name] {
		return summary{}
	}

	w.active[name] = true
	s := w.set(fragment.SelectionSet)
	delete(w.active, name)
	w.done[name] = s

	return s
}

// countFields counts the root fields, each fragment counted once and then
// reused, for the same reason as set.
func (w *walker) countFields(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			n++
		case *ast.InlineFragment:
			n += w.countFields(s.SelectionSet)
		case *ast.FragmentSpread:
			n += w.fragmentFields(s.Name)
		}
		n = min(n, saturate)
	}

	return n
}

func (w *walker) fragmentFields(name string) int {
	if n, ok := w.fields[name]; ok {
		return n
	}

	fragment := w.doc.Fragments.ForName(name)
	if fragment == nil || w.active[name] {
		return 0
	}

	w.active[name] = true
	n := w.countFields(fragment.SelectionSet)
	delete(w.active, name)
	w.fields[name] = n

	return n
}

func nulError(path string) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf("%s contains a NUL character (U+0000), which text cannot hold: remove it", path),
		Extensions: map[string]any{"code": "BAD_USER_INPUT", "field": path},
	}
}

// nulInValues finds a string with a NUL character in decoded variables.
func nulInValues(value any, path string) (string, bool) {
	switch v := value.(type) {
	case string:
		return path, strings.ContainsRune(v, 0)
	case map[string]any:
		for key, item := range v {
			if p, found := nulInValues(item, path+"."+key); found {
				return p, true
			}
		}
	case []any:
		for i, item := range v {
			if p, found := nulInValues(item, fmt.Sprintf("%s[%d]", path, i)); found {
				return p, true
			}
		}
	}

	return "", false
}

// nulInDocument finds a string literal with a NUL character in a document
// and returns its path, such as uploadIdl.input.name.
func nulInDocument(doc *ast.QueryDocument) (string, bool) {
	found := ""
	var visit func(value *ast.Value, path string)
	visit = func(value *ast.Value, path string) {
		if value == nil || found != "" {
			return
		}
		if value.Kind == ast.StringValue || value.Kind == ast.BlockValue {
			if strings.ContainsRune(value.Raw, 0) {
				found = path
			}
		}
		for i, child := range value.Children {
			if value.Kind == ast.ListValue {
				visit(child.Value, fmt.Sprintf("%s[%d]", path, i))
			} else {
				visit(child.Value, path+"."+child.Name)
			}
		}
	}

	var walkSet func(set ast.SelectionSet)
	walkSet = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				for _, arg := range s.Arguments {
					visit(arg.Value, s.Name+"."+arg.Name)
				}
				walkSet(s.SelectionSet)
			case *ast.InlineFragment:
				walkSet(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		walkSet(op.SelectionSet)
	}
	for _, fragment := range doc.Fragments {
		walkSet(fragment.SelectionSet)
	}

	return found, found != ""
}

package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// connectionNodeFields returns the names of the fields the query selects on
// edges.node of the connection being resolved, fragments included.
func connectionNodeFields(ctx context.Context, connection, edge, node string) map[string]bool {
	fc := graphql.GetFieldContext(ctx)
	op := graphql.GetOperationContext(ctx)
	names := map[string]bool{}
	if fc == nil || op == nil {
		return names
	}

	for _, e := range selectedChildren(op, fc.Field.Selections, connection, "edges") {
		for _, n := range selectedChildren(op, e.Selections, edge, "node") {
			for _, f := range graphql.CollectFields(op, n.Selections, []string{node}) {
				names[f.Name] = true
			}
		}
	}

	return names
}

func selectedChildren(op *graphql.OperationContext, set ast.SelectionSet, typeName, field string) []graphql.CollectedField {
	var out []graphql.CollectedField
	for _, f := range graphql.CollectFields(op, set, []string{typeName}) {
		if f.Name == field {
			out = append(out, f)
		}
	}

	return out
}

// selectedFields returns the names of the fields the query selects on the
// object of type typeName that the current resolver returns.
func selectedFields(ctx context.Context, typeName string) map[string]bool {
	fc := graphql.GetFieldContext(ctx)
	op := graphql.GetOperationContext(ctx)
	names := map[string]bool{}
	if fc == nil || op == nil {
		return names
	}

	for _, f := range graphql.CollectFields(op, fc.Field.Selections, []string{typeName}) {
		names[f.Name] = true
	}
	return names
}

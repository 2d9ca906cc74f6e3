package graph

import "github.com/orquestra/orquestra/graph/model"

// NewComplexity returns the cost rules of the schema. A field costs one
// plus its children, except that a list with a first argument costs its
// children once per item it may return, so that nested pages multiply.
// Program lists (instructions, types, ...) have no first argument; they
// cost as one item each, since their size is bounded by the stored IDL.
func NewComplexity() ComplexityRoot {
	var c ComplexityRoot

	c.Query.Projects = func(child int, _ *model.ProjectFilter, first *int, _ *string) int {
		return listCost(child, first)
	}
	c.User.Projects = func(child int, first *int, _ *string) int {
		return listCost(child, first)
	}
	c.Project.Versions = func(child int, first *int, _ *string) int {
		return listCost(child, first)
	}
	c.PlatformStats.RecentUploads = func(child int, first *int) int {
		if first == nil {
			return 1 + 10*child
		}
		return listCost(child, first)
	}

	return c
}

func listCost(child int, first *int) int {
	n := defaultPageSize
	if first != nil && *first >= 0 {
		n = min(*first, maxPageSize)
	}

	return 1 + n*max(child, 1)
}

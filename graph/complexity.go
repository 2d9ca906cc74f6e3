package graph

import "github.com/orquestra/orquestra/graph/model"

// DocumentCost is the cost of a field that returns a whole stored
// document, an IDL of up to 10 MiB or its docs, or one of the lists of a
// program view. With the default limit of
// 20,000, one operation, or one batch, may read about twenty of them, so
// that a short query cannot make the server build a response of gigabytes.
//
// NOTE: the cost bounds the number of documents, not bytes; twenty 10 MiB
// IDLs still make a response of about 200 MiB.
const DocumentCost = 1000

// NewComplexity returns the cost rules of the schema. A field costs one
// plus its children, except that a list with a first argument costs its
// children once per item it may return, so that nested pages multiply, and
// that a field that returns a stored document costs DocumentCost.
func NewComplexity() ComplexityRoot {
	var c ComplexityRoot

	document := func(child int) int { return DocumentCost + child }
	c.IdlVersion.IdlJSON = document
	c.IdlVersion.Idl = document
	c.IdlVersion.CpiMd = document
	// The lists of a program view are as large as the IDL they come from.
	c.Program.Instructions = document
	c.Program.Accounts = document
	c.Program.Types = document
	c.Program.Errors = document
	c.Program.Events = document
	c.Program.Constants = document
	c.Program.Warnings = document
	c.IdlVersion.Warnings = document
	c.Project.Docs = document
	c.Project.CustomDocs = document

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

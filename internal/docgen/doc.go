// Package docgen writes Markdown documentation for a parsed IDL. It does
// no I/O: a program and the project's known addresses go in, bytes come
// out, and the same input always gives byte-identical output.
package docgen

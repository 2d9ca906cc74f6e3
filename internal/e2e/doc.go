// Package e2e holds end-to-end tests: the real HTTP handler on 127.0.0.1,
// a real SQLite file, and real IDLs from the corpus.
package e2e

// Package models holds the bun models of the database tables. It runs no
// queries: those live in internal/storage.
package models

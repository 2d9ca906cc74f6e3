package server

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql/playground"
)

// graphiQL serves the GraphiQL explorer for /query.
//
// TODO: serve GraphiQL from assets embedded in the binary. gqlgen's page
// loads its scripts from a CDN, so it stays blank offline and under a strict
// content security policy.
func graphiQL() http.Handler {
	return playground.Handler("Orquestra", "/query")
}

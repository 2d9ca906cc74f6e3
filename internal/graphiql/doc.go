// Package graphiql serves the GraphiQL IDE from files embedded in the binary,
// so the page works offline and under a strict Content-Security-Policy.
//
// The page at "/" loads GraphiQL 3 and React 18 (UMD builds vendored under
// assets/, see assets/SOURCES.md) and a small init.js from AssetPrefix. Asset
// URLs carry a content hash, so browsers may cache them for a year. GraphiQL
// sends its requests to Endpoint on the same origin.
//
// Mount both routes on the server's mux:
//
//	mux.Handle("GET /{$}", graphiql.Handler())
//	mux.Handle("GET "+graphiql.AssetPrefix, graphiql.Handler())
package graphiql

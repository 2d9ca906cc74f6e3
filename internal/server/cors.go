package server

import (
	"net/http"

	"github.com/rs/cors"
)

// withCORS lets browsers on the configured front-end origins call the API.
// Credentials are never allowed: callers authenticate with headers, not
// cookies, so no origin can ride on a browser's session. With no origins
// configured, only same-origin pages such as GraphiQL can call it.
func withCORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}

	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   []string{"Authorization", "Content-Type", "Accept", "X-API-Key"},
		ExposedHeaders:   []string{"X-Request-Id", "Retry-After"},
		AllowCredentials: false,
		MaxAge:           600,
	}).Handler(next)
}

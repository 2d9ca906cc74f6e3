package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/orquestra/orquestra/internal/storage"
)

func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz returns 200 when the database is reachable and every migration is applied.
func readyz(store *storage.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()

		if err := store.Ping(ctx); err != nil {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}

		pending, err := store.PendingMigrations(ctx)
		if err != nil || len(pending) > 0 {
			http.Error(w, fmt.Sprintf("%d migrations pending", len(pending)), http.StatusServiceUnavailable)
			return
		}

		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ready\n"))
	})
}

// writeError writes a GraphQL error body outside the GraphQL handler.
func writeError(w http.ResponseWriter, status int, code, message string) {
	body := map[string]any{"errors": []map[string]any{{
		"message":    message,
		"extensions": map[string]any{"code": code},
	}}}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func formatMiB(n int64) string {
	return strconv.FormatInt(n>>20, 10) + " MiB"
}

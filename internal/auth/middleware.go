package auth

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

// UserStore loads the user a token names.
type UserStore interface {
	UserByID(ctx context.Context, id string) (*models.User, error)
}

// Middleware puts the caller's identity in the request context. A request
// with a bearer token that is invalid, expired or names a user who no longer
// exists is answered 401 with an UNAUTHENTICATED GraphQL error, so that
// clients learn to sign in again instead of silently seeing less.
func Middleware(tokens *Tokens, users UserStore, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			header := r.Header.Get("Authorization")
			if header == "" {
				next.ServeHTTP(w, r)
				return
			}

			user, err := authenticate(r.Context(), tokens, users, header)
			if e, ok := apperr.As(err); ok {
				log.WarnContext(r.Context(), "rejected bearer token", "err", err)
				writeUnauthenticated(w, e.Message)
				return
			}
			if err != nil {
				log.ErrorContext(r.Context(), "authenticate bearer token", "err", err)
				http.Error(w, "internal server error", http.StatusInternalServerError)
				return
			}

			ctx := NewContext(r.Context(), Identity{User: user})
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

func authenticate(ctx context.Context, tokens *Tokens, users UserStore, header string) (*models.User, error) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, apperr.New(apperr.Unauthenticated, "the Authorization header must be \"Bearer <token>\"")
	}

	userID, err := tokens.Verify(strings.TrimSpace(token))
	if err != nil {
		return nil, apperr.New(apperr.Unauthenticated, "invalid bearer token: %v: sign in again", err)
	}

	user, err := users.UserByID(ctx, userID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.Unauthenticated, "the token's user no longer exists: sign in again")
	}
	if err != nil {
		return nil, err
	}

	return user, nil
}

func writeUnauthenticated(w http.ResponseWriter, message string) {
	body := map[string]any{"errors": []map[string]any{{
		"message":    message,
		"extensions": map[string]any{"code": string(apperr.Unauthenticated)},
	}}}

	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("WWW-Authenticate", `Bearer realm="orquestra"`)
	w.WriteHeader(http.StatusUnauthorized)
	_ = json.NewEncoder(w).Encode(body)
}

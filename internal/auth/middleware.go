package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

// APIKeyHeader is the request header that carries an API key. HTTP header
// names are case-insensitive, so x-api-key works as well.
const APIKeyHeader = "X-API-Key"

// KeyUseInterval is the maximum age of a key's last_used: a request writes
// it only when the stored value is older than this, so a busy CI pipeline
// costs at most one write a minute per key.
const KeyUseInterval = time.Minute

// keyUseTimeout bounds the wait for the writer connection when recording a
// key's use, so a long upload holding the writer delays a keyed request by
// at most this much. A use that is not recorded in time is retried by the
// next request.
const keyUseTimeout = 250 * time.Millisecond

// Store loads the user a token names and the API key a request sends.
type Store interface {
	UserByID(ctx context.Context, id string) (*models.User, error)
	APIKeyByHash(ctx context.Context, hash string) (*models.APIKey, error)
	MarkAPIKeyUsed(ctx context.Context, id string, now time.Time, staleBefore time.Time) error
}

// Middleware puts the caller's identity in the request context: a user for
// a bearer token, a project for an API key, anonymous for neither.
//
// Credentials that are sent but unusable get status 401 and an
// UNAUTHENTICATED GraphQL error, so that clients learn to sign in again or
// fix their key instead of silently seeing less. Unusable are a bearer
// token that is malformed, badly signed, expired or names a deleted user,
// and an API key that is unknown, revoked, rotated away, expired or of a
// deleted project.
// A request that sends both a bearer token and an API key is rejected the
// same way, because acting for a user and for a project at once has no
// meaning.
func Middleware(tokens *Tokens, store Store, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n := len(r.Header.Values("Authorization")); n > 1 {
				log.WarnContext(r.Context(), "rejected credentials", "authorization_headers", n)
				writeUnauthenticated(w, r, fmt.Sprintf("the request sends %d Authorization headers: send one", n))
				return
			}

			bearer := r.Header.Get("Authorization")
			keys, sentKey := r.Header[http.CanonicalHeaderKey(APIKeyHeader)]
			if bearer == "" && !sentKey {
				next.ServeHTTP(w, r)
				return
			}

			id, err := identify(r.Context(), tokens, store, log, bearer, keys, sentKey)
			if e, ok := apperr.As(err); ok {
				log.WarnContext(r.Context(), "rejected credentials", "err", err)
				writeUnauthenticated(w, r, e.Message)
				return
			}
			if err != nil {
				log.ErrorContext(r.Context(), "authenticate request", "err", err)
				http.Error(w, "internal server error", http.StatusInternalServerError)
				return
			}

			next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), id)))
		})
	}
}

func identify(ctx context.Context, tokens *Tokens, store Store, log *slog.Logger, bearer string, keys []string, sentKey bool) (Identity, error) {
	if bearer != "" && sentKey {
		return Identity{}, apperr.New(apperr.Unauthenticated, "the request sends both Authorization and X-API-Key: send one of them")
	}

	if sentKey {
		if len(keys) != 1 {
			return Identity{}, apperr.New(apperr.Unauthenticated, "the request sends %d X-API-Key headers: send one", len(keys))
		}
		key, err := authenticateKey(ctx, store, log, strings.TrimSpace(keys[0]), time.Now())
		if err != nil {
			return Identity{}, err
		}
		return Identity{KeyProjectID: key.ProjectID, KeyID: key.ID}, nil
	}

	user, err := authenticate(ctx, tokens, store, bearer)
	if err != nil {
		return Identity{}, err
	}
	return Identity{User: user}, nil
}

func authenticate(ctx context.Context, tokens *Tokens, users Store, header string) (*models.User, error) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, apperr.New(apperr.Unauthenticated, "the Authorization header must be \"Bearer <token>\"")
	}

	token = strings.TrimSpace(token)
	if strings.HasPrefix(token, APIKeyPrefix) {
		return nil, apperr.New(apperr.Unauthenticated, "the bearer token is an API key: send API keys in the %s header", APIKeyHeader)
	}

	userID, err := tokens.Verify(token)
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

// authenticateKey looks a key up by its hash, checks it and records its use.
// A key of a deleted project has no row, because the database deletes keys
// with their project.
func authenticateKey(ctx context.Context, store Store, log *slog.Logger, key string, now time.Time) (*models.APIKey, error) {
	if key == "" {
		return nil, apperr.New(apperr.Unauthenticated, "the X-API-Key header is empty: send the project's API key")
	}

	hash := HashAPIKey(key)
	row, err := store.APIKeyByHash(ctx, hash)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.Unauthenticated, "invalid API key %s: it is unknown, revoked or rotated, or its project was deleted", displayPrefix(key))
	}
	if err != nil {
		return nil, err
	}
	if err := CheckAPIKey(row, hash, now); err != nil {
		return nil, err
	}

	if row.LastUsed == nil || now.Sub(*row.LastUsed) >= KeyUseInterval {
		recordKeyUse(ctx, store, log, row.ID, now)
	}

	return row, nil
}

// recordKeyUse writes the key's last_used, waiting at most keyUseTimeout
// for the writer. A failure is logged and never fails the request.
func recordKeyUse(ctx context.Context, store Store, log *slog.Logger, keyID string, now time.Time) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), keyUseTimeout)
	defer cancel()

	if err := store.MarkAPIKeyUsed(ctx, keyID, now.UTC(), now.Add(-KeyUseInterval).UTC()); err != nil {
		log.WarnContext(ctx, "record API key use", "key_id", keyID, "err", err)
	}
}

func writeUnauthenticated(w http.ResponseWriter, r *http.Request, message string) {
	body := map[string]any{"errors": []map[string]any{{
		"message":    message,
		"extensions": map[string]any{"code": string(apperr.Unauthenticated)},
	}}}

	// A GraphQL-over-HTTP client that accepts the GraphQL response type
	// gets it, as for every other error.
	media := "application/json"
	if strings.Contains(r.Header.Get("Accept"), "application/graphql-response+json") {
		media = "application/graphql-response+json"
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.Header().Set("WWW-Authenticate", `Bearer realm="orquestra"`)
	w.WriteHeader(http.StatusUnauthorized)
	_ = json.NewEncoder(w).Encode(body)
}

// Package auth decides who a caller is and what they may do: session JWTs,
// the identity in the request context, and the permission rules that every
// resolver uses.
package auth

import (
	"context"

	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/models"
)

// Identity is the caller of one request. The zero Identity is anonymous.
type Identity struct {
	// User is the signed-in user, or nil.
	User *models.User
	// KeyProjectID is the project of the API key the caller used, or empty.
	KeyProjectID string
	// KeyID is the id of the API key the caller used, or empty.
	KeyID string
}

// UserID returns the signed-in user's id, or "" for other callers.
func (i Identity) UserID() string {
	if i.User == nil {
		return ""
	}

	return i.User.ID
}

// Viewer returns the storage view of this identity, which decides the
// private projects a read may return.
func (i Identity) Viewer() storage.Viewer {
	return storage.Viewer{UserID: i.UserID(), ProjectID: i.KeyProjectID}
}

type contextKey struct{}

// NewContext returns a context that carries the caller's identity.
func NewContext(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, contextKey{}, id)
}

// FromContext returns the caller's identity, anonymous when none was set.
func FromContext(ctx context.Context) Identity {
	id, _ := ctx.Value(contextKey{}).(Identity)
	return id
}

package auth

import "context"

// Recheck identifies the caller of a long-lived connection again from the
// credentials it opened with, so that a revoked key or an expired token
// stops working on a connection that is already open.
type Recheck func(ctx context.Context) (Identity, error)

type recheckKey struct{}

// NewRecheckContext returns a context that carries the connection's Recheck.
func NewRecheckContext(ctx context.Context, recheck Recheck) context.Context {
	return context.WithValue(ctx, recheckKey{}, recheck)
}

// RecheckFromContext returns the connection's Recheck, or nil outside a
// long-lived connection.
func RecheckFromContext(ctx context.Context) Recheck {
	recheck, _ := ctx.Value(recheckKey{}).(Recheck)
	return recheck
}

package graph

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/auth"
)

// allowUpload takes one upload from the caller's budget: a user's, or an
// API key's project's.
func (r *Resolver) allowUpload(ctx context.Context) error {
	id := auth.FromContext(ctx)
	key := "user:" + id.UserID()
	if id.User == nil {
		key = "key:" + id.KeyProjectID
	}

	ok, retryAfter := r.UploadLimiter.Allow(key)
	if ok {
		return nil
	}

	return &apperr.Error{
		Kind:       apperr.RateLimited,
		Message:    fmt.Sprintf("too many uploads: try again in %s", (time.Duration(math.Ceil(retryAfter.Seconds())) * time.Second).String()),
		RetryAfter: retryAfter,
	}
}
